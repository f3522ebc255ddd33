/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Protected VMs and the host's stage 2: donation hides pages from the host
 * (invalidated for the host's VMID before the guest can map them), reclaim
 * zeroes them before the host sees them again, 2 MiB ranges become blocks
 * again, MEM_SHARE / MEM_UNSHARE and the MMIO guard from the guest's side.
 */
#include "mem_fixture.h"
#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/smccc.h>

#define HOST_VMID 250u

static struct hv_s2_pgt host_pgt;
static struct hv_host_s2 host;
static uint16_t hidden[MANAGED_PGS / 512];
static uint8_t *ram; /* the managed pages' contents */
static struct hv_s2_stats boot;

static void *page_va(void *arg, hv_pa_t pa)
{
	(void)arg;
	return ram + (hv_pa_addr(pa) - GUEST_PA);
}

static void setup(void)
{
	fx_setup();
	ram = calloc(MANAGED_PGS, 4096);
	cr_assert(ram);
	cr_assert_eq(hv_s2_init(&host_pgt, &fx.pool.ops, HOST_VMID, 40, 40), HV_OK);
	cr_assert_eq(hv_s2_map(&host_pgt, hv_ipa(GUEST_PA), hv_pa(GUEST_PA), MANAGED_PGS * 4096ull,
	                       HV_S2_PROT_RWX, HV_S2_MEM_NORMAL_WB, 0),
	             HV_OK);
	hv_s2_get_stats(&host_pgt, &boot);
	cr_assert_eq(boot.leaves[2], MANAGED_PGS / 512);
	host = (struct hv_host_s2){
	    .s2 = &host_pgt, .prot = HV_S2_PROT_RWX, .page_va = page_va, .hidden = hidden};
	cr_assert_eq(hv_pgown_attach_host_s2(&fx.hyp->own, &host), HV_OK);
	sim_arch_reset();
}

static void teardown(void)
{
	sim_arch_set_op_hook(NULL, NULL); /* a test's watch lived on its stack */
	/* The VMs first: their pages go back into the host's stage 2. */
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		if (fx.hyp->vms[i].life.state != HV_VM_FREE)
			while (hv_vm_destroy(fx.hyp, fx.hyp->vms[i].vmid, 0) == HV_BUSY)
				;
	uint64_t budget = 1000;
	while (hv_s2_destroy(&host_pgt, &budget) == HV_BUSY)
		budget = 1000;
	free(ram);
	fx_teardown();
}

TestSuite(protected, .init = setup, .fini = teardown);

/* Ops recorded for the host's VMID since the last sim_arch_reset. */
static size_t host_ops(void)
{
	size_t n = 0;
	for (size_t i = 0; i < sim_op_count(); i++) {
		const struct sim_op *op = sim_op_at(i);
		cr_assert_not_null(op);
		n += op->vmid == HOST_VMID &&
		     (op->kind == SIM_OP_TLBI_IPA || op->kind == SIM_OP_TLBI_IPA_RANGE ||
		      op->kind == SIM_OP_TLBI_VMID);
	}
	return n;
}

/* The host's stage 2 for one page: no valid descriptor (false), or the
 * host's full access at IPA == PA (true); never a valid descriptor without
 * permission (a translation the TLB could hold). */
static bool host_can_access(uint64_t pfn)
{
	struct hv_s2_leaf leaf = {0}; /* the lookup fills it */
	hv_status_t st = hv_s2_lookup(&host_pgt, hv_ipa(pfn << 12), &leaf);
	if (st == HV_ERR_NOT_FOUND)
		return false;
	cr_assert_eq(st, HV_OK);
	cr_assert_eq(hv_pa_addr(leaf.pa), pfn << 12);
	cr_assert_eq(leaf.prot, HV_S2_PROT_RWX, "page %#llx: a valid descriptor with less access",
	             (unsigned long long)pfn);
	return true;
}

/* The invariant: the host can access exactly the managed pages that are not
 * a protected VM's private pages. */
static void check_host_view(void)
{
	for (uint64_t i = 0; i < MANAGED_PGS; i++) {
		bool denied = hv_pgown_host_denied(&fx.hyp->own, hv_pa((GUEST_PFN + i) << 12));
		cr_assert_eq(host_can_access(GUEST_PFN + i), !denied, "page %llu",
		             (unsigned long long)i);
	}
	check_invariant();
}

static void check_boot_shape(void)
{
	struct hv_s2_stats now;
	hv_s2_get_stats(&host_pgt, &now);
	cr_assert_eq(now.table_pages, boot.table_pages);
	for (unsigned l = 0; l < HV_S2_LEVELS; l++)
		cr_assert_eq(now.leaves[l], boot.leaves[l], "level %u", l);
}

static void destroy_vm(uint16_t vmid)
{
	hv_status_t st;
	while ((st = hv_vm_destroy(fx.hyp, vmid, 16)) == HV_BUSY)
		;
	cr_assert_eq(st, HV_OK);
}

static bool page_is_zero(uint64_t pfn)
{
	const uint8_t *p = ram + ((pfn - GUEST_PFN) << 12);
	for (unsigned i = 0; i < 4096; i++)
		if (p[i])
			return false;
	return true;
}

/* At each TLBI for the host's VMID: the pages hidden so far are not yet
 * mapped in the guest; pages given back are already zero. At every barrier
 * or TLBI: a page that was out of the host's stage 2 and is in it again is
 * zero (giving a page back makes no TLBI: its descriptor was invalid). */
struct watch {
	uint64_t first_pfn, nr;
	size_t host_tlbis, guest_mapped_at_host_tlbi, dirty_at_host_tlbi;
	bool was_hidden[8];
	size_t dirty_back_in_host_s2;
};

static void watch_hook(const struct sim_op *op, void *arg)
{
	struct watch *w = arg;
	for (uint64_t i = 0; i < w->nr; i++) {
		if (!host_can_access(w->first_pfn + i))
			w->was_hidden[i] = true;
		else if (w->was_hidden[i] && !page_is_zero(w->first_pfn + i))
			w->dirty_back_in_host_s2++;
	}
	if (op->vmid != HOST_VMID ||
	    (op->kind != SIM_OP_TLBI_IPA && op->kind != SIM_OP_TLBI_IPA_RANGE &&
	     op->kind != SIM_OP_TLBI_VMID))
		return;
	w->host_tlbis++;
	for (uint64_t i = 0; i < w->nr; i++) {
		if (hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + (i << 12)), NULL) &&
		    !hv_pgown_host_denied(&fx.hyp->own, hv_pa((w->first_pfn + i) << 12)))
			w->guest_mapped_at_host_tlbi++;
		uint16_t owner = owner_of(w->first_pfn + i);
		if (owner == HV_OWNER_HOST && !page_is_zero(w->first_pfn + i))
			w->dirty_at_host_tlbi++;
	}
}

Test(protected, donation_hides_reclaim_zeroes_and_merges_back)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	uint64_t first = GUEST_PFN + 4;
	memset(ram + 4 * 4096, 0xa5, 4 * 4096); /* the VMM's image */
	struct watch w = {.first_pfn = first, .nr = 4};
	sim_arch_set_op_hook(watch_hook, &w);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), first, 4), HV_OK);
	cr_assert_gt(w.host_tlbis, 0);
	cr_assert_eq(w.guest_mapped_at_host_tlbi, 0);
	for (uint64_t i = 0; i < 4; i++) {
		cr_assert(w.was_hidden[i]);
		cr_assert_not(host_can_access(first + i));
		cr_assert_eq(flags_of(first + i), HV_PAGE_DONATED);
	}
	cr_assert(host_can_access(first - 1) && host_can_access(first + 4));
	cr_assert_eq(ram[4 * 4096 + 100], 0xa5, "donation keeps the contents");
	struct hv_s2_stats now;
	hv_s2_get_stats(&host_pgt, &now);
	cr_assert_eq(now.table_pages, boot.table_pages + 1, "one block split");
	cr_assert_eq(hidden[0], 4);
	check_host_view();

	w.host_tlbis = 0;
	destroy_vm(fx.vmid);
	cr_assert_eq(w.dirty_at_host_tlbi, 0, "a page reached the host before it was zeroed");
	cr_assert_eq(w.dirty_back_in_host_s2, 0, "a page was back in the host's stage 2 unzeroed");
	cr_assert_gt(w.host_tlbis, 0);
	for (uint64_t i = 0; i < 4; i++) {
		cr_assert(page_is_zero(first + i));
		cr_assert_eq(owner_of(first + i), HV_OWNER_HOST);
		cr_assert_eq(flags_of(first + i), 0);
	}
	cr_assert_eq(hidden[0], 0);
	check_boot_shape();
	struct hv_s2_leaf leaf = {0}; /* the lookup fills it */
	cr_assert_eq(hv_s2_lookup(&host_pgt, hv_ipa(GUEST_PA), &leaf), HV_OK);
	cr_assert_eq(leaf.level, 2, "the 2 MiB range is a block again");
	cr_assert_eq(leaf.prot, HV_S2_PROT_RWX);
	check_host_view();
}

Test(protected, whole_block_and_two_ranges_back_to_boot_shape)
{
	cr_assert_eq(
	    hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), 2 * HV_SZ_2M, HV_MEMSLOT_PRIVATE), HV_OK);
	/* An aligned 2 MiB run (a block in the guest), then a run across two
	 * host ranges. */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN + 512, 512), HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + HV_SZ_2M), GUEST_PFN + 1532, 8),
	             HV_OK);
	cr_assert_eq(hidden[1], 512);
	cr_assert_eq(hidden[2], 4);
	cr_assert_eq(hidden[3], 4);
	check_host_view();
	/* A relinquished page comes back zeroed into a range still split. */
	ram[(1532 + 1) * 4096ull] = 0x77;
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + HV_SZ_2M + 4096)), HV_OK);
	cr_assert(page_is_zero(GUEST_PFN + 1533));
	cr_assert(host_can_access(GUEST_PFN + 1533));
	cr_assert_eq(hidden[2], 3);
	check_host_view();
	/* Reclaim allocates nothing: it works with the pool dry. */
	test_pool_fail_after(&fx.pool, 0, true);
	destroy_vm(fx.vmid);
	test_pool_fail_after(&fx.pool, -1, false);
	check_boot_shape();
	check_host_view();
}

Test(protected, refused_donations_change_nothing)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 2), HV_OK);
	struct hv_s2_stats before, after;
	hv_s2_get_stats(&host_pgt, &before);
	sim_arch_reset();
	/* The same pfn again (another IPA), and a list naming a donated page
	 * after fresh ones (those must come back). */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + 0x10000), GUEST_PFN + 1, 1),
	             HV_ERR_DENIED);
	uint64_t pfns[3] = {GUEST_PFN + 600, GUEST_PFN + 601, GUEST_PFN};
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 0x20000), pfns, 3), HV_ERR_DENIED);
	/* Another VM may not have a protected VM's page. */
	struct hv_vm_config cfg = {.ipa_bits = 40};
	uint16_t other;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &other), HV_OK);
	struct hv_vm *o = hv_vm_find(fx.hyp, other);
	cr_assert_eq(hv_mem_set_memslot(o, 0, hv_ipa(RAM_IPA), HV_SZ_2M, 0), HV_OK);
	cr_assert_eq(hv_mem_map_range(o, 0, hv_ipa(RAM_IPA), GUEST_PFN, 1), HV_ERR_DENIED);
	hv_s2_get_stats(&host_pgt, &after);
	cr_assert_eq(after.table_pages, before.table_pages);
	cr_assert_eq(after.leaves[3], before.leaves[3]);
	cr_assert_eq(owner_of(GUEST_PFN + 600), HV_OWNER_HOST);
	cr_assert_eq(hidden[1], 0);
	check_host_view();
	destroy_vm(other);
}

Test(protected, donation_without_a_table_fails_cleanly)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	/* Warm the guest's tables, then let no page more be had. */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 1), HV_OK);
	test_pool_fail_after(&fx.pool, 0, true);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + 0x1000), GUEST_PFN + 1024, 3),
	             HV_ERR_NO_MEMORY);
	cr_assert_eq(owner_of(GUEST_PFN + 1024), HV_OWNER_HOST);
	cr_assert_eq(hidden[2], 0);
	cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x1000), NULL));
	check_host_view();
	test_pool_fail_after(&fx.pool, -1, false);
}

/* An HVC64 #0 from the guest; returns x0. */
static int64_t guest_call(uint32_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	struct hv_vcpu *v = fx.vcpu;
	v->ctx.regs.x[0] = fid;
	v->ctx.regs.x[1] = a1;
	v->ctx.regs.x[2] = a2;
	v->ctx.regs.x[3] = a3;
	v->ctx.exit.esr_el2 = ((uint64_t)HV_EC_HVC64 << 26) | HV_BIT(25);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	return (int64_t)v->ctx.regs.x[0];
}

Test(protected, share_and_unshare_from_the_guest)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 8), HV_OK);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEMINFO, 0, 0, 0), 4096);
	const uint64_t at = RAM_IPA + 0x3000;
	ram[3 * 4096] = 0x42;
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, at, 0, 0), 0);
	cr_assert(host_can_access(GUEST_PFN + 3));
	cr_assert_eq(flags_of(GUEST_PFN + 3), HV_PAGE_DONATED | HV_PAGE_SHARED);
	cr_assert_eq(ram[3 * 4096], 0x42, "sharing keeps the contents");
	cr_assert_eq(fx.vm->life.mem.nr_shared, 1);
	check_host_view();

	/* Refusals: double share, bad IPAs, reserved arguments; nothing changes. */
	struct hv_s2_stats before, after;
	hv_s2_get_stats(&host_pgt, &before);
	sim_arch_reset();
	const int64_t bad = HV_SMCCC_RET_INVALID_PARAM;
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, at, 0, 0), bad);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, at + 1, 0, 0), bad);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, 0x1000, 0, 0), bad); /* no memslot */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, RAM_IPA, 1, 0), bad);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_UNSHARE, RAM_IPA + 0x4000, 0, 0), bad); /* never */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_UNSHARE, at, 0, 7), bad);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEMINFO, 1, 0, 0), bad);
	cr_assert_eq(host_ops(), 0, "a refused call touched the host's stage 2");
	hv_s2_get_stats(&host_pgt, &after);
	cr_assert_eq(after.leaves[3], before.leaves[3]);
	cr_assert_eq(fx.vm->life.mem.nr_shared, 1);
	check_host_view();

	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_UNSHARE, at, 0, 0), 0);
	cr_assert_not(host_can_access(GUEST_PFN + 3));
	cr_assert_eq(flags_of(GUEST_PFN + 3), HV_PAGE_DONATED);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_UNSHARE, at, 0, 0), bad);
	cr_assert_eq(fx.vm->life.mem.nr_shared, 0);
	check_host_view();

	/* Shared at destroy: zeroed all the same. */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, at, 0, 0), 0);
	destroy_vm(fx.vmid);
	cr_assert(page_is_zero(GUEST_PFN + 3));
	check_boot_shape();
	check_host_view();
}

Test(protected, share_of_a_page_not_paged_in_asks_the_host_first)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	const uint64_t at = RAM_IPA + 0x5000;
	struct hv_vcpu *v = fx.vcpu;
	v->ctx.regs.pc = 0x40001004; /* past the HVC at 0x40001000 */
	v->ctx.regs.x[0] = HV_SMCCC_HYP_MEM_SHARE;
	v->ctx.regs.x[1] = at;
	v->ctx.regs.x[2] = v->ctx.regs.x[3] = 0;
	v->ctx.exit.esr_el2 = ((uint64_t)HV_EC_HVC64 << 26) | HV_BIT(25);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_PAGE_FAULT);
	cr_assert_eq(hv_ipa_addr(v->host_exit.page_fault.ipa) & ~(HV_SZ_2M - 1), RAM_IPA);
	cr_assert_eq(v->ctx.regs.pc, 0x40001000, "the HVC runs again after the host's answer");
	cr_assert_eq(v->ctx.regs.x[0], HV_SMCCC_HYP_MEM_SHARE, "arguments kept for the retry");
	cr_assert_eq(host_ops(), 0);
	/* The host maps the page; the guest's HVC again: shared. */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(at), GUEST_PFN + 5, 1), HV_OK);
	memset(&v->host_exit, 0, sizeof(v->host_exit));
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, at, 0, 0), 0);
	cr_assert(host_can_access(GUEST_PFN + 5));
	/* Unshare of a page not paged in is not a fault: refused. */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_UNSHARE, RAM_IPA + 0x7000, 0, 0),
	             HV_SMCCC_RET_INVALID_PARAM);
	check_host_view();
}

Test(protected, non_protected_vm_keeps_sharing)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, 0), HV_OK);
	ram[0] = 0x11;
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 2), HV_OK);
	cr_assert_eq(host_ops(), 0, "a shared page does not touch the host's stage 2");
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_SHARE, RAM_IPA, 0, 0), 0);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MEM_UNSHARE, RAM_IPA, 0, 0),
	             HV_SMCCC_RET_INVALID_PARAM);
	check_host_view();
	destroy_vm(fx.vmid);
	cr_assert_eq(ram[0], 0x11, "a non-protected VM's page is not zeroed");
	check_boot_shape();
}

/* An ISV=1 32-bit store to ipa from the guest. */
static enum hv_exit_action guest_store(uint64_t ipa)
{
	struct hv_vcpu *v = fx.vcpu;
	memset(&v->host_exit, 0, sizeof(v->host_exit));
	v->ctx.exit.esr_el2 = ((uint64_t)HV_EC_DABT_LOW << 26) | HV_BIT(25) | HV_DABT_ISV |
	                      (2ull << HV_DABT_SAS_SHIFT) | (1ull << HV_DABT_SRT_SHIFT) |
	                      HV_BIT(6) | 0x07;
	v->ctx.exit.far_el2 = ipa & 0xfff;
	v->ctx.exit.hpfar_el2 = (ipa >> 12) << 4;
	return hv_vcpu_handle_exit(v);
}

Test(protected, mmio_guard)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	const uint64_t dev = 0x09000000, other = 0x0a000000;
	/* Not enrolled: every unclaimed access goes to the host. */
	cr_assert_eq(guest_store(other + 8), HV_ACTION_HOST);
	cr_assert_eq(fx.vcpu->host_exit.reason, HV_EXIT_MMIO);
	fx.vcpu->exit_state.pending.active = false;
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_INFO, 0, 0, 0), 4096);
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_ENROLL, 0, 0, 0), 0);
	const int64_t bad = HV_SMCCC_RET_INVALID_PARAM;
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_MAP, RAM_IPA, 0, 0), bad); /* RAM */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_MAP, dev + 4, 0, 0), bad); /* misaligned */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_UNMAP, dev, 0, 0), bad);   /* not guarded */
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_MAP, dev, 0x4, 0), 0);
	cr_assert_eq(guest_store(dev + 8), HV_ACTION_HOST);
	cr_assert_eq(fx.vcpu->host_exit.reason, HV_EXIT_MMIO);
	fx.vcpu->exit_state.pending.active = false;
	/* Outside every guarded page: an abort for the guest, nothing for the host. */
	uint64_t vbar = 0x5000;
	fx.vcpu->ctx.el1.vbar_el1 = vbar;
	cr_assert_eq(guest_store(other + 8), HV_ACTION_RESUME);
	cr_assert_eq(fx.vcpu->host_exit.reason, HV_EXIT_NONE);
	cr_assert_eq(fx.vcpu->ctx.regs.pc & ~0x7ffull, vbar, "an exception was injected");
	cr_assert_eq(guest_call(HV_SMCCC_HYP_MMIO_GUARD_UNMAP, dev, 0, 0), 0);
	cr_assert_eq(guest_store(dev + 8), HV_ACTION_RESUME);
	cr_assert_eq(fx.vcpu->host_exit.reason, HV_EXIT_NONE);
}
