// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * hv_hostile.ko: a hostile host for tests/kmod/el2-host.sh. At load it makes
 * raw hypercalls to hvcore's server (SMCCC 1.1 over the firmware's
 * conduit, function IDs from hv/abi.h) naming memory that is not the
 * host's to give: the hypervisor's (`foreign`, a physical address outside
 * the host's RAM), pages past the end of the host's RAM, a page already
 * given to a VM, objects that do not exist. Each must be refused with the
 * ABI's error; a legitimate MAP_GUEST in between must work, and DESTROY_VM
 * must give that page back. A protected VM's page (donated by MAP_GUEST)
 * must not be given again: not to another VM, not twice to the same one, not
 * as a SET_MEMREGION constituent, region buffer or run area, and those
 * refusals change neither VM's GET_STATISTICS; after its DESTROY_VM it is
 * the host's again, zeroed. One line per check; the last line is
 * "hv_hostile: PASS <n> checks" or "hv_hostile: FAIL <k> of <n> checks".
 * init returns 0 either way (the module stays loaded; it registers nothing).
 *
 *   insmod hv_hostile.ko ram_start=0x50000000 ram_size=0x10000000 foreign=0x40000000
 */
#include <linux/arm-smccc.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <hv/abi.h>

static unsigned long ram_start, ram_size, foreign;
module_param(ram_start, ulong, 0444);
module_param(ram_size, ulong, 0444);
module_param(foreign, ulong, 0444);

static unsigned int checks, failures;

static long call(u32 fn, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, struct arm_smccc_res *r)
{
	arm_smccc_1_1_invoke(HV_ABI_FN(fn), a1, a2, a3, a4, a5, 0, 0, r);
	return (long)r->a0;
}

static void expect(const char *what, long got, long want)
{
	checks++;
	if (got != want)
		failures++;
	pr_info("hv_hostile: %s %s: %ld (want %ld)\n", got == want ? "ok  " : "FAIL", what, got,
	        want);
}

/* GET_STATISTICS of a VM: hypervisor bytes and shared bytes. */
struct vm_stats {
	long ret;
	unsigned long hyp, shared;
};

static struct vm_stats stats_of(long vm)
{
	struct arm_smccc_res r;
	long ret = call(HV_ABI_GET_STATISTICS, vm, 0, 0, 0, 0, &r);

	return (struct vm_stats){.ret = ret, .hyp = r.a1, .shared = r.a2};
}

static bool stats_same(struct vm_stats a, struct vm_stats b)
{
	return a.ret == 0 && b.ret == 0 && a.hyp == b.hyp && a.shared == b.shared;
}

#define REFUSED HV_ABI_ERR_INVALID_ARGS
#define GPA     0x40000000ull

static void hostile_calls(u16 vmid, struct page *given, void *buf, struct page *run_area)
{
	struct arm_smccc_res r;
	u64 end = ram_start + ram_size;
	u64 tuple0 = HV_ABI_TUPLE(vmid, 0);
	struct hv_abi_mem_region *region = buf;
	struct hv_abi_mem_constituent *c = (void *)(region + 1);
	u64 buf_pa = virt_to_phys(buf);

	expect("CREATE_VCPU, run area in the hypervisor's memory",
	       call(HV_ABI_CREATE_VCPU, tuple0, foreign, 0, 0, 0, &r), REFUSED);
	expect("CREATE_VCPU, run area's second page past the host's RAM",
	       call(HV_ABI_CREATE_VCPU, tuple0, end - PAGE_SIZE, 0, 0, 0, &r), REFUSED);
	expect("CREATE_VCPU, run area not page aligned",
	       call(HV_ABI_CREATE_VCPU, tuple0, buf_pa + 8, 0, 0, 0, &r), REFUSED);
	expect("SET_MEMREGION, region buffer in the hypervisor's memory",
	       call(HV_ABI_SET_MEMREGION, vmid, sizeof(*region) + sizeof(*c), foreign, 0, 0, &r),
	       REFUSED);
	*region = (struct hv_abi_mem_region){
	    .slot = 1, .constituent_cnt = 1, .total_pages = 1, .gpa = GPA + 0x10000000};
	*c = (struct hv_abi_mem_constituent){.address = foreign, .pg_cnt = 1};
	expect("SET_MEMREGION, a constituent page of the hypervisor's",
	       call(HV_ABI_SET_MEMREGION, vmid, sizeof(*region) + sizeof(*c), buf_pa, 0, 0, &r),
	       REFUSED);
	c->address = end;
	expect("SET_MEMREGION, a constituent page past the host's RAM",
	       call(HV_ABI_SET_MEMREGION, vmid, sizeof(*region) + sizeof(*c), buf_pa, 0, 0, &r),
	       REFUSED);
	/* The refusals changed nothing: slot 1 and vCPU 0 are still free. */
	*region = (struct hv_abi_mem_region){.slot = 1, .total_pages = 1, .gpa = GPA + 0x10000000};
	expect("SET_MEMREGION slot 1 after the refused ones (legitimate, demand paged)",
	       call(HV_ABI_SET_MEMREGION, vmid, sizeof(*region), buf_pa, 0, 0, &r), HV_ABI_OK);
	expect("CREATE_VCPU 0 after the refused ones (legitimate)",
	       call(HV_ABI_CREATE_VCPU, tuple0, page_to_phys(run_area), 0, 0, 0, &r), HV_ABI_OK);
	expect("CREATE_VCPU 0 again",
	       call(HV_ABI_CREATE_VCPU, tuple0, page_to_phys(run_area), 0, 0, 0, &r), REFUSED);
	/* A demand-paged slot, for MAP_GUEST. */
	*region = (struct hv_abi_mem_region){.slot = 0, .total_pages = 512, .gpa = GPA};
	expect("SET_MEMREGION, demand-paged slot 0 (legitimate)",
	       call(HV_ABI_SET_MEMREGION, vmid, sizeof(*region), buf_pa, 0, 0, &r), HV_ABI_OK);
	expect("MAP_GUEST, a page of the hypervisor's",
	       call(HV_ABI_MAP_GUEST, vmid, 0, foreign >> PAGE_SHIFT, GPA >> PAGE_SHIFT, 1, &r),
	       REFUSED);
	expect("MAP_GUEST, a page past the host's RAM",
	       call(HV_ABI_MAP_GUEST, vmid, 0, end >> PAGE_SHIFT, GPA >> PAGE_SHIFT, 1, &r),
	       REFUSED);
	expect("ENABLE_CAP BLOCK_BASED_DEMAND_PAGING, pfn buffer in the hypervisor's memory",
	       call(HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, 2 << 20, foreign,
	            0, &r),
	       REFUSED);
	expect("CREATE_DEVICE, description in the hypervisor's memory",
	       call(HV_ABI_CREATE_DEVICE, vmid, foreign, 0, 0, 0, &r), REFUSED);
	expect("DESTROY_VM of VMID 1 (the host VM's, reserved)",
	       call(HV_ABI_DESTROY_VM, 1, 0, 0, 0, 0, &r), REFUSED);
	expect("RUN of a vCPU that does not exist",
	       call(HV_ABI_RUN, HV_ABI_TUPLE(vmid, 5), 0, 0, 0, 0, &r), REFUSED);
	expect("RUN of a VM that does not exist",
	       call(HV_ABI_RUN, HV_ABI_TUPLE(vmid ^ 0x80, 0), 0, 0, 0, 0, &r), REFUSED);
	expect("RUN with a tuple past 32 bits",
	       call(HV_ABI_RUN, HV_ABI_TUPLE(vmid, 0) | 1ull << 32, 0, 0, 0, 0, &r), REFUSED);
	expect("function 6 (GET_REGS, removed)", call(6, vmid, 0, 0, 0, 0, &r),
	       HV_ABI_ERR_NOT_IMPLEMENTED);
	expect("ENABLE_CAP PROTECTED_VM SET_PROTECTED_VM once memslots exist",
	       call(HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_PROTECTED_VM, HV_ABI_PVM_SET_PROTECTED_VM,
	            0, 0, &r),
	       REFUSED);

	/* A legitimate page, then the same page again and as a run area. */
	expect("MAP_GUEST, a page of the host's (legitimate)",
	       call(HV_ABI_MAP_GUEST, vmid, 0, page_to_pfn(given), GPA >> PAGE_SHIFT, 1, &r),
	       HV_ABI_OK);
	expect("GET_STATISTICS after it: one page shared",
	       call(HV_ABI_GET_STATISTICS, vmid, 0, 0, 0, 0, &r) ?: (long)r.a2, PAGE_SIZE);
	expect("MAP_GUEST, the same page again elsewhere",
	       call(HV_ABI_MAP_GUEST, vmid, 0, page_to_pfn(given), (GPA >> PAGE_SHIFT) + 1, 1, &r),
	       REFUSED);
	expect("CREATE_VCPU 1, run area on the page now the VM's",
	       call(HV_ABI_CREATE_VCPU, HV_ABI_TUPLE(vmid, 1), page_to_phys(given), 0, 0, 0, &r),
	       REFUSED);
}

static long destroy(long vmid)
{
	struct arm_smccc_res r;
	long ret;

	do
		ret = call(HV_ABI_DESTROY_VM, vmid, 0, 0, 0, 0, &r);
	while (ret == HV_ABI_ERR_BUSY);
	return ret;
}

/* A protected VM holding `secret` (MAP_GUEST: donated); `other` is a live
 * VM with a demand-paged slot 0 at GPA. The kernel never reads the page
 * while the protected VM has it (that would be an external abort). */
static void protected_calls(u16 other, struct page *secret, void *buf, struct page *run_area)
{
	struct arm_smccc_res r;
	struct hv_abi_mem_region *region = buf;
	struct hv_abi_mem_constituent *c = (void *)(region + 1);
	u64 buf_pa = virt_to_phys(buf), pfn = page_to_pfn(secret);
	long pvm = call(HV_ABI_CREATE_VM, 0, 0, 0, 0, 0, &r) ?: (long)r.a1;
	u32 *words = page_address(secret);
	struct vm_stats pvm_stats, other_stats;
	bool zero = true;

	memset(words, 0x5e, PAGE_SIZE);
	expect("CREATE_VM for a protected VM", pvm > 1 && pvm < HV_ABI_INVALID_VMID, true);
	if (pvm <= 1 || pvm >= HV_ABI_INVALID_VMID)
		return;
	expect("ENABLE_CAP PROTECTED_VM SET_PROTECTED_VM before any memslot",
	       call(HV_ABI_ENABLE_CAP, pvm, HV_ABI_CAP_PROTECTED_VM, HV_ABI_PVM_SET_PROTECTED_VM, 0,
	            0, &r),
	       HV_ABI_OK);
	*region = (struct hv_abi_mem_region){.slot = 0, .total_pages = 512, .gpa = GPA};
	expect("SET_MEMREGION of the protected VM (demand paged)",
	       call(HV_ABI_SET_MEMREGION, pvm, sizeof(*region), buf_pa, 0, 0, &r), HV_ABI_OK);
	expect("MAP_GUEST of a host page into the protected VM (donated)",
	       call(HV_ABI_MAP_GUEST, pvm, 0, pfn, GPA >> PAGE_SHIFT, 1, &r), HV_ABI_OK);
	expect("GET_STATISTICS: nothing of the protected VM shared",
	       call(HV_ABI_GET_STATISTICS, pvm, 0, 0, 0, 0, &r) ?: (long)r.a2, 0);
	pvm_stats = stats_of(pvm);
	other_stats = stats_of(other);
	expect("MAP_GUEST of the donated page into another VM",
	       call(HV_ABI_MAP_GUEST, other, 0, pfn, (GPA >> PAGE_SHIFT) + 7, 1, &r), REFUSED);
	expect("MAP_GUEST of the donated page again (a second donation)",
	       call(HV_ABI_MAP_GUEST, pvm, 0, pfn, (GPA >> PAGE_SHIFT) + 1, 1, &r), REFUSED);
	*region = (struct hv_abi_mem_region){
	    .slot = 3, .constituent_cnt = 1, .total_pages = 1, .gpa = GPA + 0x20000000};
	*c = (struct hv_abi_mem_constituent){.address = pfn << PAGE_SHIFT, .pg_cnt = 1};
	expect("SET_MEMREGION naming the donated page (another VM)",
	       call(HV_ABI_SET_MEMREGION, other, sizeof(*region) + sizeof(*c), buf_pa, 0, 0, &r),
	       REFUSED);
	expect("SET_MEMREGION naming the donated page (the protected VM)",
	       call(HV_ABI_SET_MEMREGION, pvm, sizeof(*region) + sizeof(*c), buf_pa, 0, 0, &r),
	       REFUSED);
	expect("SET_MEMREGION with its region buffer on the donated page",
	       call(HV_ABI_SET_MEMREGION, pvm, sizeof(*region), pfn << PAGE_SHIFT, 0, 0, &r),
	       REFUSED);
	expect("CREATE_VCPU with its run area on the donated page",
	       call(HV_ABI_CREATE_VCPU, HV_ABI_TUPLE(pvm, 0), pfn << PAGE_SHIFT, 0, 0, 0, &r),
	       REFUSED);
	expect("GET_STATISTICS of both VMs as before the refused calls",
	       stats_same(stats_of(pvm), pvm_stats) && stats_same(stats_of(other), other_stats),
	       true);
	expect("CREATE_VCPU 0 of the protected VM after that (legitimate)",
	       call(HV_ABI_CREATE_VCPU, HV_ABI_TUPLE(pvm, 0), page_to_phys(run_area), 0, 0, 0, &r),
	       HV_ABI_OK);
	expect("DESTROY_VM of the protected VM", destroy(pvm), HV_ABI_OK);
	for (unsigned int i = 0; i < PAGE_SIZE / 4; i++)
		zero = zero && words[i] == 0;
	expect("its page came back to the host zeroed", zero, true);
}

static int __init hv_hostile_init(void)
{
	struct arm_smccc_res r;
	struct page *given = alloc_page(GFP_KERNEL);
	struct page *run_area = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1); /* 2 pages */
	struct page *secret = alloc_page(GFP_KERNEL);
	struct page *pvm_run_area = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	void *buf = (void *)get_zeroed_page(GFP_KERNEL);
	long vmid, ret;

	if (!given || !run_area || !secret || !pvm_run_area || !buf || !ram_size || !foreign) {
		pr_info("hv_hostile: FAIL set-up (pages, or ram_start/ram_size/foreign missing)\n");
		goto out;
	}
	expect("PROBE", call(HV_ABI_PROBE, HV_ABI_DRIVER_MAJOR, 0, 0, 0, 0, &r), HV_ABI_OK);
	vmid = call(HV_ABI_CREATE_VM, 0, 0, 0, 0, 0, &r) ?: (long)r.a1;
	checks++;
	if (vmid <= 1 || vmid >= HV_ABI_INVALID_VMID) {
		failures++;
		pr_info("hv_hostile: FAIL CREATE_VM: %ld\n", vmid);
		goto out;
	}
	hostile_calls((u16)vmid, given, buf, run_area);
	protected_calls((u16)vmid, secret, buf, pvm_run_area);
	ret = destroy(vmid);
	expect("DESTROY_VM (gives the page back)", ret, HV_ABI_OK);
	expect("MAP_GUEST into the destroyed VM",
	       call(HV_ABI_MAP_GUEST, vmid, 0, page_to_pfn(given), GPA >> PAGE_SHIFT, 1, &r),
	       REFUSED);
out:
	if (failures || !checks)
		pr_info("hv_hostile: FAIL %u of %u checks\n", failures, checks);
	else
		pr_info("hv_hostile: PASS %u checks\n", checks);
	if (!failures) { /* back with the host: DESTROY_VM returned them */
		if (given)
			__free_page(given);
		if (run_area)
			__free_pages(run_area, 1);
		if (secret)
			__free_page(secret);
		if (pvm_run_area)
			__free_pages(pvm_run_area, 1);
	}
	free_page((unsigned long)buf);
	return 0;
}

static void __exit hv_hostile_exit(void) {}

module_init(hv_hostile_init);
module_exit(hv_hostile_exit);
MODULE_DESCRIPTION("hvcore test: hostile hypercalls from the host");
MODULE_LICENSE("GPL");
