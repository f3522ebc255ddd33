/* SPDX-License-Identifier: Apache-2.0 */
/* The hypercall server driven as the host driver would: discovery, VM and
 * vCPU lifecycle, memory regions (given at once or on demand), MAP_GUEST,
 * capability queries, statistics, and refusals of hostile arguments that
 * change nothing. */
#include <criterion/criterion.h>
#include <hv/smccc.h>

#include "abi_fixture.h"

static struct abi_env *env;

static void setup(void)
{
	env = malloc(sizeof(*env));
	cr_assert(env && abi_env_init(env));
}

static void teardown(void)
{
	abi_env_fini(env);
	free(env);
}

TestSuite(abi_server, .init = setup, .fini = teardown);

static void probe(void)
{
	uint64_t out[4];
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_PROBE), 16, 0, 0, 0, 0, out), HV_ABI_OK);
}

static uint16_t new_vm(void)
{
	uint64_t out[4];
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VM), 0, 0, 0, 0, 0, out), HV_ABI_OK);
	return (uint16_t)out[1];
}

Test(abi_server, discovery_then_probe)
{
	uint64_t out[4];
	cr_assert_eq(hcall(env, HV_SMCCC_VERSION, 0, 0, 0, 0, 0, out), 0x10001);
	hcall(env, HV_SMCCC_VENDOR_HYP_CALL_UID, 0, 0, 0, 0, 0, out);
	cr_assert_eq(out[0], HV_SMCCC_HYP_UID_W0);
	cr_assert_eq(out[3], HV_SMCCC_HYP_UID_W3);
	cr_assert_eq(hcall(env, 0xc2000000, 0, 0, 0, 0, 0, out), -1, "unknown function");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VM), 0, 0, 0, 0, 0, out),
	             HV_ABI_ERR_NOT_SUPPORTED, "VM calls wait for PROBE");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_PROBE), 15, 0, 0, 0, 0, out),
	             HV_ABI_ERR_NOT_SUPPORTED, "driver major must match");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_PROBE), 16, 0, 0, 0, 0, out), HV_ABI_OK);
	cr_assert_eq(out[1], HV_ABI_VERSION_MAJOR);
	cr_assert_eq(out[2], HV_ABI_VERSION_MINOR);
	cr_assert_eq(out[3], HV_ABI_VERSION_SUB);
}

Test(abi_server, vm_lifecycle_with_bounded_destroy)
{
	probe();
	uint64_t out[4];
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VM), 7, 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "unknown vm_type");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VM), 0, 0, 5, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved argument set");
	uint16_t vmid = new_vm();
	cr_assert_not_null(hv_vm_find(&env->hyp, vmid));
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_GET_STATISTICS), vmid, 0, 0, 0, 0, out),
	             HV_ABI_OK);
	cr_assert_gt(out[1], 0, "hypervisor memory of the VM");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_GET_STATISTICS), 200, 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS);
	int64_t ret;
	int calls = 0;
	do {
		ret = hcall(env, HV_ABI_FN(HV_ABI_DESTROY_VM), vmid, 1, 0, 0, 0, out);
		calls++;
	} while (ret == HV_ABI_ERR_BUSY && calls < 100000);
	cr_assert_eq(ret, HV_ABI_OK);
	cr_assert_null(hv_vm_find(&env->hyp, vmid));
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_DESTROY_VM), vmid, 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "already gone");
	cr_assert_eq(env->pool.live, 0, "every table page back");
}

Test(abi_server, vcpu_needs_a_host_owned_run_area)
{
	probe();
	uint16_t vmid = new_vm();
	uint64_t out[4];
	cr_assert_eq(
	    hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), 0x1000, 0, 0, 0, out),
	    HV_ABI_ERR_INVALID_ARGS, "outside managed memory");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0),
	                   host_pa(4) + 8, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "misaligned");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0),
	                   host_pa(HOST_PAGES - 1), 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "second page beyond host memory");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 9), host_pa(4), 0,
	                   0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "vCPU id out of range");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), host_pa(4), 0,
	                   0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), host_pa(4), 0,
	                   0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "exists");
}

static uint64_t write_region(uint32_t page, uint32_t slot, uint64_t gpa, uint32_t first_host_page,
                             uint32_t nr, uint32_t reserved)
{
	struct hv_abi_mem_region hdr = {slot, 2, nr, gpa};
	struct hv_abi_mem_constituent c[2] = {
	    {host_pa(first_host_page), nr / 2, 0},
	    {host_pa(first_host_page + 100), nr - nr / 2, reserved},
	};
	uint8_t *buf = env->host + (size_t)page * HV_PAGE_SIZE;
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), c, sizeof(c));
	return host_pa(page);
}

static uint16_t owner_of(uint32_t host_page)
{
	uint16_t owner, flags;
	cr_assert_eq(hv_pgown_get(&env->hyp.own, hv_pa(host_pa(host_page)), &owner, &flags), HV_OK);
	return owner;
}

Test(abi_server, memregion_given_at_once)
{
	probe();
	uint16_t vmid = new_vm();
	struct hv_vm *vm = hv_vm_find(&env->hyp, vmid);
	uint64_t out[4], size = sizeof(struct hv_abi_mem_region) + 2 * 16;
	uint32_t slot;

	uint64_t bad = write_region(10, 3, 0x40000000, 200, 64, 1);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, bad, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved field set");
	cr_assert_eq(hv_mem_find_memslot(vm, hv_ipa(0x40000000), &slot), HV_ERR_NOT_FOUND);
	uint64_t good = write_region(10, 3, 0x40000000, 200, 64, 0);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, 8, good, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "buffer too small");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, 0x2000, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "buffer not in host memory");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, good, 1, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved argument");
	((struct hv_abi_mem_region *)(env->host + 10 * HV_PAGE_SIZE))->total_pages = 65;
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, good, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "total differs from the constituents");
	((struct hv_abi_mem_region *)(env->host + 10 * HV_PAGE_SIZE))->total_pages = 600;
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, good, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "more than one batch given at once");
	/* Constituents overlapping each other: a page given twice. */
	write_region(10, 3, 0x40000000, 200, 64, 0);
	((struct hv_abi_mem_constituent *)(env->host + 10 * HV_PAGE_SIZE + 24))[1].address =
	    host_pa(210);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, good, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "a page twice");
	cr_assert_eq(hv_mem_find_memslot(vm, hv_ipa(0x40000000), &slot), HV_ERR_NOT_FOUND,
	             "the slot of a refused region is gone again");
	cr_assert_eq(owner_of(210), HV_OWNER_HOST);

	good = write_region(10, 3, 0x40000000, 200, 64, 0);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, size, good, 0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(hv_mem_find_memslot(vm, hv_ipa(0x40010000), &slot), HV_OK);
	cr_assert_eq(slot, 3);
	hv_pa_t pa;
	cr_assert(hv_mem_is_pinned(vm, hv_ipa(0x40000000 + 33 * HV_PAGE_SIZE), &pa));
	cr_assert_eq(hv_pa_addr(pa), host_pa(301), "second constituent from its second page");
	cr_assert_eq(owner_of(231), vmid);
	cr_assert_eq(owner_of(232), HV_OWNER_HOST);
	/* The same host pages cannot go to a second VM. */
	uint16_t vm2 = new_vm();
	good = write_region(11, 0, 0x40000000, 220, 64, 0);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vm2, size, good, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "pages 220..231 are the first VM's");
	cr_assert_eq(owner_of(232), HV_OWNER_HOST, "nothing of the refused region kept");
	/* Nor can a page a VM owns serve as a host buffer. */
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), host_pa(300),
	                   0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS);
}

Test(abi_server, memregion_on_demand_and_map_guest)
{
	probe();
	uint16_t vmid = new_vm();
	struct hv_vm *vm = hv_vm_find(&env->hyp, vmid);
	uint64_t out[4];
	struct hv_abi_mem_region hdr = {3, 0, 1024, 0x40000000};
	memcpy(env->host + 10 * HV_PAGE_SIZE, &hdr, sizeof(hdr));
	cr_assert_eq(
	    hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vmid, sizeof(hdr), host_pa(10), 0, 0, out),
	    HV_ABI_OK, "a demand-paged slot: no constituents");
	cr_assert_eq(hv_vm_find(&env->hyp, vmid)->life.mem.nr_pinned, 0);

	/* MAP_GUEST: host pages 300.. into the slot. */
	uint64_t pfn = host_pa(300) >> 12, gfn = 0x40000000 >> 12;
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_MAP_GUEST), vmid, 3, pfn, gfn, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "zero pages");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_MAP_GUEST), vmid, 3, 0x10, gfn, 1, out),
	             HV_ABI_ERR_INVALID_ARGS, "pfn not host memory");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_MAP_GUEST), vmid, 3, pfn, gfn + 1024, 1, out),
	             HV_ABI_ERR_INVALID_ARGS, "outside the slot");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_MAP_GUEST), vmid, 3, pfn, gfn, 4, out), HV_ABI_OK);
	hv_pa_t pa;
	cr_assert(hv_mem_is_pinned(vm, hv_ipa(0x40002000), &pa));
	cr_assert_eq(hv_pa_addr(pa), host_pa(302));
	cr_assert_eq(owner_of(302), vmid, "the page now belongs to the VM");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_MAP_GUEST), vmid, 3, pfn + 8, gfn + 2, 4, out),
	             HV_ABI_ERR_INVALID_ARGS, "part of the range is mapped");
	cr_assert_eq(owner_of(308), HV_OWNER_HOST);
	/* The same host pages cannot go to a second VM. */
	uint16_t vm2 = new_vm();
	memcpy(env->host + 11 * HV_PAGE_SIZE, &hdr, sizeof(hdr));
	cr_assert_eq(
	    hcall(env, HV_ABI_FN(HV_ABI_SET_MEMREGION), vm2, sizeof(hdr), host_pa(11), 0, 0, out),
	    HV_ABI_OK);
	cr_assert_neq(hcall(env, HV_ABI_FN(HV_ABI_MAP_GUEST), vm2, 3, pfn, gfn, 1, out), HV_ABI_OK);
	cr_assert_eq(owner_of(300), vmid, "ownership unchanged by the refused call");
}

Test(abi_server, capabilities_and_removed_calls)
{
	probe();
	uint16_t vmid = new_vm();
	uint64_t out[4];
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), 0, HV_ABI_CAP_QUERY_HYP_BATCH_PAGES,
	                   0, 0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(out[1], 512);
	cr_assert_eq(512 % out[1], 0, "divides 512");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), 0,
	                   HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES, 0, 0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(out[1] & (out[1] - 1), 0, "a power of two");
	cr_assert_eq(
	    hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), 0, HV_ABI_CAP_VM_GPA_SIZE, 0, 0, 0, out),
	    HV_ABI_OK);
	cr_assert_eq(out[1], 40);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), vmid, HV_ABI_CAP_ENABLE_DEMAND_PAGING,
	                   0, 0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), vmid, 0x1234, 0, 0, 0, out),
	             HV_ABI_ERR_NOT_SUPPORTED);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), 0, HV_ABI_CAP_QUERY_HYP_BATCH_PAGES,
	                   1, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "unused argument set");
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), host_pa(4), 0,
	                   0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out),
	             HV_ABI_ERR_NOT_SUPPORTED, "no runtime to run vCPUs");
	cr_assert_eq(hcall(env, HV_ABI_FN(6), 0, 0, 0, 0, 0, out), HV_ABI_ERR_NOT_IMPLEMENTED,
	             "removed GET_REGS");
}
