/* SPDX-License-Identifier: Apache-2.0 */
/* Memslots, block demand paging, map refusals, relinquish, pins. */
#include "mem_fixture.h"
#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/smccc.h>

TestSuite(mem, .init = fx_setup, .fini = fx_teardown);

/* True if the pin map has the leaf table for `ipa` (read-only probe). */
static bool hv_pin_leaf_present(struct hv_vm *vm, uint64_t ipa)
{
	const struct hv_vm_mem *m = &vm->life.mem;
	const uint64_t *t = m->pin_root;
	uint64_t pn = ipa >> 12;
	for (unsigned level = 0; t && level + 1 < m->pin_levels; level++) {
		unsigned shift = 9 * (m->pin_levels - 1 - level);
		t = (const uint64_t *)(uintptr_t)t[(pn >> shift) & 511];
	}
	return t != NULL;
}

static void add_ram(uint64_t size, uint32_t flags)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), size, flags), HV_OK);
}

static void fill_pfns(uint64_t *pfns, unsigned n, uint64_t first, uint64_t stride)
{
	for (unsigned i = 0; i < n; i++)
		pfns[i] = first + i * stride;
}

Test(mem, memslot_refusals)
{
	struct hv_vm *vm = fx.vm;
	add_ram(HV_SZ_2M * 4, 0);
	cr_assert_eq(hv_mem_set_memslot(vm, 0, hv_ipa(0x10000000), 4096, 0), HV_ERR_EXISTS);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(RAM_IPA + 4096), 4096, 0), HV_ERR_EXISTS);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(RAM_IPA - 4096), 8192, 0), HV_ERR_EXISTS);
	cr_assert_eq(hv_mem_set_memslot(vm, 32, hv_ipa(0), 4096, 0), HV_ERR_RANGE);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(0x1000), 0, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(0x1001), 4096, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(0x1000), 4095, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(0x1000), 4096, 0x80), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(1ull << 40), 4096, 0), HV_ERR_RANGE);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa((1ull << 40) - 4096), 8192, 0), HV_ERR_RANGE);
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(0xfffffffffffff000ull), 0x2000, 0),
	             HV_ERR_RANGE);
	cr_assert_eq(hv_mem_set_memslot(NULL, 1, hv_ipa(0), 4096, 0), HV_ERR_INVALID);
	/* 32 slots fit. */
	for (uint32_t s = 1; s < HV_MAX_MEMSLOTS; s++)
		cr_assert_eq(
		    hv_mem_set_memslot(vm, s, hv_ipa(0x100000000ull + s * 0x10000), 0x10000, 0),
		    HV_OK, "slot %u", s);
	uint32_t idx = 99;
	cr_assert_eq(hv_mem_find_memslot(vm, hv_ipa(0x100000000ull + 5 * 0x10000 + 0x123), &idx),
	             HV_OK);
	cr_assert_eq(idx, 5);
	cr_assert_eq(hv_mem_find_memslot(vm, hv_ipa(0x100000000ull), &idx), HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_mem_delete_memslot(vm, 5), HV_OK);
	cr_assert_eq(hv_mem_delete_memslot(vm, 5), HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_mem_find_memslot(vm, hv_ipa(0x100000000ull + 5 * 0x10000), &idx),
	             HV_ERR_NOT_FOUND);
}

Test(mem, fault_requests_the_containing_block_clamped_to_the_slot)
{
	/* Slot from 1 MiB into a 2 MiB block to 1 MiB into the next-next one. */
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 3, hv_ipa(RAM_IPA + 0x100000), 0x400000, 0), HV_OK);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x180123), true),
	             HV_BUSY);
	const struct hv_host_exit *hx = &fx.vcpu->host_exit;
	cr_assert_eq(hx->reason, HV_EXIT_PAGE_FAULT);
	cr_assert_eq(hv_ipa_addr(hx->page_fault.ipa), RAM_IPA + 0x100000);
	cr_assert_eq(hx->page_fault.size, 0x100000);
	cr_assert(hx->page_fault.is_write);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x300000), false),
	             HV_BUSY);
	cr_assert_eq(hv_ipa_addr(hx->page_fault.ipa), RAM_IPA + 0x200000);
	cr_assert_eq(hx->page_fault.size, HV_SZ_2M);
	cr_assert_not(hx->page_fault.is_write);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x4fffff), false),
	             HV_BUSY);
	cr_assert_eq(hv_ipa_addr(hx->page_fault.ipa), RAM_IPA + 0x400000);
	cr_assert_eq(hx->page_fault.size, 0x100000);
	/* Outside every slot: not demand-paged (MMIO). */
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x500000), false),
	             HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0xfffff), false),
	             HV_ERR_NOT_FOUND);
}

Test(mem, block_fault_answered_with_scattered_pages)
{
	add_ram(HV_SZ_2M * 2, 0);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x1234), false), HV_BUSY);
	/* The host answers the 512-page request in two batches, odd frames. */
	uint64_t pfns[512];
	fill_pfns(pfns, 512, GUEST_PFN + 1, 2);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 256), HV_OK);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 256 * 4096), pfns + 256, 256),
	             HV_OK);
	hv_pa_t pa;
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x1000), &pa));
	cr_assert_eq(hv_pa_addr(pa), (GUEST_PFN + 3) << 12);
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 511 * 4096), &pa));
	cr_assert_eq(hv_pa_addr(pa), (GUEST_PFN + 1 + 2 * 511) << 12);
	cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + HV_SZ_2M), NULL));
	cr_assert_eq(owner_of(GUEST_PFN + 1), fx.vmid);
	cr_assert_eq(flags_of(GUEST_PFN + 1), HV_PAGE_SHARED);
	cr_assert_eq(owner_of(GUEST_PFN + 2), HV_OWNER_HOST);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 512);
	cr_assert_eq(fx.vm->life.mem.slots[0].nr_mapped, 512);
	/* The block is present now: a second fault in it just resumes. */
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x1ff000), true), HV_OK);
	check_invariant();
}

Test(mem, map_refusals_leave_everything_unchanged)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 1, hv_ipa(RAM_IPA + HV_SZ_2M), HV_SZ_2M, 0), HV_OK);
	uint64_t pfns[4];
	fill_pfns(pfns, 4, GUEST_PFN, 1);
	size_t live = fx.pool.live;
	/* Duplicate frame in the list: the second claim fails, the first is undone. */
	uint64_t dup[3] = {GUEST_PFN + 10, GUEST_PFN + 11, GUEST_PFN + 10};
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), dup, 3), HV_ERR_DENIED);
	cr_assert_eq(owner_of(GUEST_PFN + 10), HV_OWNER_HOST);
	cr_assert_eq(owner_of(GUEST_PFN + 11), HV_OWNER_HOST);
	cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA), NULL));
	/* Hypervisor-owned frame. */
	cr_assert_eq(hv_pgown_donate_to_hyp(&fx.hyp->own, hv_pa((GUEST_PFN + 3) << 12), 1), HV_OK);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 4), HV_ERR_DENIED);
	cr_assert_eq(owner_of(GUEST_PFN), HV_OWNER_HOST);
	/* Frames outside managed memory, and absurd frame numbers. */
	uint64_t outside[2] = {GUEST_PFN + 5, GUEST_PFN + MANAGED_PGS};
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), outside, 2), HV_ERR_RANGE);
	uint64_t absurd[1] = {UINT64_MAX};
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), absurd, 1), HV_ERR_RANGE);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), UINT64_MAX - 1, 2), HV_ERR_RANGE);
	cr_assert_eq(owner_of(GUEST_PFN + 5), HV_OWNER_HOST);
	/* Bad counts, alignment, slots, ranges. */
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 513), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 1), pfns, 1), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), NULL, 1), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 2, hv_ipa(RAM_IPA), pfns, 1), HV_ERR_RANGE);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 99, hv_ipa(RAM_IPA), pfns, 1), HV_ERR_RANGE);
	/* Crossing from slot 0 into slot 1 in one call. */
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + HV_SZ_2M - 4096), pfns, 2),
	             HV_ERR_RANGE);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 1, hv_ipa(RAM_IPA), pfns, 1), HV_ERR_RANGE);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 0);
	/* A frame already given to another VM. */
	uint16_t vmid2;
	struct hv_vm_config cfg = {0};
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &vmid2), HV_OK);
	struct hv_vm *vm2 = hv_vm_find(fx.hyp, vmid2);
	cr_assert_eq(hv_mem_set_memslot(vm2, 0, hv_ipa(0), HV_SZ_2M, 0), HV_OK);
	cr_assert_eq(hv_mem_map_range(vm2, 0, hv_ipa(0), GUEST_PFN + 2, 1), HV_OK);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 0x10000), pfns, 3), HV_ERR_DENIED);
	cr_assert_eq(owner_of(GUEST_PFN + 2), vmid2);
	cr_assert_eq(owner_of(GUEST_PFN), HV_OWNER_HOST);
	/* The pool only grew by the pin-map tables (kept for later use). */
	cr_assert_geq(fx.pool.live, live);
	check_invariant();
}

Test(mem, racing_map_of_a_present_page_is_refused)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + 0x3000), GUEST_PFN + 100, 1),
	             HV_OK);
	uint64_t pfns[8];
	fill_pfns(pfns, 8, GUEST_PFN, 1);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 8), HV_ERR_EXISTS);
	cr_assert_eq(owner_of(GUEST_PFN), HV_OWNER_HOST);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 1);
	/* A fault in the now partly present block asks for one page only. */
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x5010), false), HV_BUSY);
	cr_assert_eq(hv_ipa_addr(fx.vcpu->host_exit.page_fault.ipa), RAM_IPA + 0x5000);
	cr_assert_eq(fx.vcpu->host_exit.page_fault.size, 4096);
	check_invariant();
}

Test(mem, out_of_table_memory_is_clean)
{
	add_ram(HV_SZ_2M, 0);
	test_pool_fail_after(&fx.pool, 0, true);
	uint64_t pfns[2] = {GUEST_PFN, GUEST_PFN + 1};
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 2), HV_ERR_NO_MEMORY);
	cr_assert_eq(owner_of(GUEST_PFN), HV_OWNER_HOST);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 0);
	test_pool_fail_after(&fx.pool, -1, false);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 2), HV_OK);
	check_invariant();
}

Test(mem, readonly_and_private_slots)
{
	add_ram(HV_SZ_2M, HV_MEMSLOT_READONLY);
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 1, hv_ipa(0x8000000), HV_SZ_2M, HV_MEMSLOT_PRIVATE),
	             HV_OK);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA), true), HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA), false), HV_BUSY);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 4), HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 1, hv_ipa(0x8000000), GUEST_PFN + 4, 4), HV_OK);
	cr_assert_eq(flags_of(GUEST_PFN), HV_PAGE_SHARED);
	cr_assert_eq(flags_of(GUEST_PFN + 4), HV_PAGE_DONATED);
	struct hv_vm_stats st;
	cr_assert_eq(hv_vm_get_stats(fx.vm, &st), HV_OK);
	cr_assert_eq(st.shared_bytes, 4 * 4096);
	cr_assert_eq(st.pinned_bytes, 8 * 4096);
	/* A private page cannot be handed to the hypervisor by the host. */
	cr_assert_eq(hv_pgown_donate_to_hyp(&fx.hyp->own, hv_pa((GUEST_PFN + 4) << 12), 1),
	             HV_ERR_DENIED);
	cr_assert_eq(hv_mem_delete_memslot(fx.vm, 1), HV_ERR_STATE);
	check_invariant();
}

Test(mem, relinquish_unmaps_invalidates_and_reports)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN + 40, 16), HV_OK);
	sim_arch_reset();
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + 0x2000)), HV_OK);
	cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x2000), NULL));
	cr_assert_eq(owner_of(GUEST_PFN + 42), HV_OWNER_HOST);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 15);
	cr_assert_eq(fx.vm->life.mem.slots[0].nr_mapped, 15);
	/* TLB: DSB ISHST, TLBI IPA (this VMID, this page), DSB ISH. */
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 1);
	const struct sim_op *op = NULL;
	for (size_t i = 0; i < sim_op_count(); i++)
		if (sim_op_at(i)->kind == SIM_OP_TLBI_IPA)
			op = sim_op_at(i);
	cr_assert_eq(op->vmid, fx.vmid);
	cr_assert_eq(op->ipa, RAM_IPA + 0x2000);
	cr_assert_eq(sim_op_at(0)->kind, SIM_OP_DSB_ISHST);
	hv_ipa_t ipa;
	hv_pa_t pa;
	cr_assert_eq(hv_mem_pop_relinquished(fx.vm, &ipa, &pa), HV_OK);
	cr_assert_eq(hv_ipa_addr(ipa), RAM_IPA + 0x2000);
	cr_assert_eq(hv_pa_addr(pa), (GUEST_PFN + 42) << 12);
	cr_assert_eq(hv_mem_pop_relinquished(fx.vm, &ipa, &pa), HV_ERR_NOT_FOUND);
	/* Again: nothing there, fine. Misaligned, outside: refused. */
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + 0x2000)), HV_OK);
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + 0x3001)), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(0x1000)), HV_ERR_RANGE);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 15);
	/* The page can be faulted back in with another frame. */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + 0x2000), GUEST_PFN + 7, 1), HV_OK);
	check_invariant();
}

Test(mem, relinquish_queue_full_refuses)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 128), HV_OK);
	for (unsigned i = 0; i < HV_MEM_RELINQ_PENDING; i++)
		cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + i * 4096ull)), HV_OK);
	uint64_t at = RAM_IPA + HV_MEM_RELINQ_PENDING * 4096ull;
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(at)), HV_ERR_NO_MEMORY);
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(at), NULL));
	hv_ipa_t ipa;
	hv_pa_t pa;
	cr_assert_eq(hv_mem_pop_relinquished(fx.vm, &ipa, &pa), HV_OK);
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(at)), HV_OK);
	check_invariant();
}

static void count_pin(void *arg, hv_ipa_t ipa, hv_pa_t pa)
{
	uint64_t *n = arg;
	cr_assert_eq(hv_pa_addr(pa) - GUEST_PA, hv_ipa_addr(ipa) - RAM_IPA);
	(*n)++;
}

Test(mem, walk_pinned_is_bounded_and_complete)
{
	add_ram(HV_SZ_2M * 2, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + 0x10000), GUEST_PFN + 16, 100),
	             HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + HV_SZ_2M), GUEST_PFN + 512, 30),
	             HV_OK);
	uint64_t cursor = 0, n = 0;
	unsigned calls = 0;
	hv_status_t st;
	do {
		st = hv_mem_walk_pinned(fx.vm, &cursor, 32, count_pin, &n);
		calls++;
	} while (st == HV_BUSY && calls < 100);
	cr_assert_eq(st, HV_OK);
	cr_assert_eq(n, 130);
	cr_assert_eq(calls, 5);
}

Test(mem, fault_through_exit_dispatch_goes_to_host_outside_slots_is_mmio)
{
	add_ram(HV_SZ_2M, 0);
	struct hv_vcpu *v = fx.vcpu;
	/* Data abort from a lower EL, translation fault level 3, ISV=1 STR W1. */
	uint64_t esr = ((uint64_t)HV_EC_DABT_LOW << 26) | HV_BIT(25) | HV_DABT_ISV |
	               (2ull << HV_DABT_SAS_SHIFT) | (1ull << HV_DABT_SRT_SHIFT) | HV_BIT(6) | 0x07;
	v->ctx.exit.esr_el2 = esr;
	v->ctx.exit.far_el2 = 0x1000;
	v->ctx.exit.hpfar_el2 = ((RAM_IPA + 0x5000) >> 12) << 4;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_PAGE_FAULT);
	cr_assert_eq(hv_ipa_addr(v->host_exit.page_fault.ipa), RAM_IPA);
	cr_assert_eq(v->host_exit.page_fault.size, HV_SZ_2M);
	cr_assert(v->host_exit.page_fault.is_write);
	v->ctx.exit.hpfar_el2 = ((RAM_IPA + HV_SZ_2M) >> 12) << 4;
	memset(&v->host_exit, 0, sizeof(v->host_exit));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_MMIO);
}

Test(mem, relinquish_through_smccc)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 2), HV_OK);
	struct hv_vcpu *v = fx.vcpu;
	v->ctx.regs.x[0] = HV_SMCCC_HYP_MEM_RELINQUISH;
	v->ctx.regs.x[1] = RAM_IPA + 0x1000;
	v->ctx.exit.esr_el2 = ((uint64_t)0x16 << 26) | HV_BIT(25); /* HVC64 #0 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0], 0);
	cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x1000), NULL));
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA), NULL));
	check_invariant();
}

Test(mem, stage2_gets_blocks_for_contiguous_runs_and_pages_otherwise)
{
	add_ram(HV_SZ_2M * 2, 0);
	/* Block 0: an aligned contiguous 2 MiB run -> one level-2 block. */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN + 512, 512), HV_OK);
	struct hv_s2_leaf leaf;
	cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + 0x5000), &leaf), HV_OK);
	cr_assert_eq(leaf.level, 2);
	cr_assert_eq(hv_pa_addr(leaf.pa), GUEST_PA + HV_SZ_2M + 0x5000);
	cr_assert_eq(leaf.prot, HV_S2_PROT_RWX);
	/* Block 1: scattered frames -> level-3 pages at the right frames. */
	uint64_t pfns[512];
	fill_pfns(pfns, 512, GUEST_PFN + 1024, 3);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + HV_SZ_2M), pfns, 512), HV_OK);
	cr_assert_eq(
	    hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + HV_SZ_2M + 7 * 4096), &leaf), HV_OK);
	cr_assert_eq(leaf.level, 3);
	cr_assert_eq(hv_pa_addr(leaf.pa), (GUEST_PFN + 1024 + 21) << 12);
	struct hv_vm_stats st;
	cr_assert_eq(hv_vm_get_stats(fx.vm, &st), HV_OK);
	struct hv_s2_stats s2st;
	hv_s2_get_stats(&fx.vm->life.mem.s2, &s2st);
	cr_assert_geq(s2st.table_pages, 2);
	cr_assert_eq(st.hyp_bytes, sizeof(struct hv_vm) + sizeof(struct hv_vcpu) +
	                               (fx.vm->life.mem.pin_table_pages + s2st.table_pages) * 4096);
	check_invariant();
}

Test(mem, relinquish_inside_a_block_splits_it_or_fails_cleanly)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 512), HV_OK);
	/* No page for the level-3 table the split needs: nothing changes. */
	test_pool_fail_after(&fx.pool, 0, true);
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + 0x3000)), HV_ERR_NO_MEMORY);
	test_pool_fail_after(&fx.pool, -1, false);
	struct hv_s2_leaf leaf;
	cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + 0x3000), &leaf), HV_OK);
	cr_assert_eq(leaf.level, 2);
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x3000), NULL));
	cr_assert_eq(owner_of(GUEST_PFN + 3), fx.vmid);
	/* With memory: the page goes, its neighbours stay mapped as pages. */
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA + 0x3000)), HV_OK);
	cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + 0x3000), &leaf),
	             HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + 0x4000), &leaf), HV_OK);
	cr_assert_eq(leaf.level, 3);
	cr_assert_eq(hv_pa_addr(leaf.pa), GUEST_PA + 0x4000);
	cr_assert_eq(owner_of(GUEST_PFN + 3), HV_OWNER_HOST);
	check_invariant();
}

Test(mem, stage2_failure_rolls_back_the_whole_batch)
{
	add_ram(HV_SZ_2M, 0);
	/* Pin-map tables exist after this; the next map needs stage-2 tables. */
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + 0x100000), GUEST_PFN + 600, 1),
	             HV_OK);
	uint64_t pfns[4] = {GUEST_PFN + 10, GUEST_PFN + 11, GUEST_PFN + 20, GUEST_PFN + 30};
	/* A hole in another 2 MiB range needs new s2 tables; the pin map too. */
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 1, hv_ipa(0x80000000ull), HV_SZ_2M, 0), HV_OK);
	size_t live = fx.pool.live;
	for (long k = 0; k < 8; k++) {
		test_pool_fail_after(&fx.pool, k, true);
		hv_status_t st = hv_mem_map_pages(fx.vm, 1, hv_ipa(0x80000000ull), pfns, 4);
		test_pool_fail_after(&fx.pool, -1, false);
		if (st == HV_OK)
			break;
		cr_assert_eq(st, HV_ERR_NO_MEMORY);
		for (unsigned i = 0; i < 4; i++)
			cr_assert_eq(owner_of(pfns[i]), HV_OWNER_HOST);
		cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(0x80000000ull), NULL));
		struct hv_s2_leaf leaf;
		cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(0x80000000ull), &leaf),
		             HV_ERR_NOT_FOUND);
		check_invariant();
	}
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(0x80000000ull + 0x3000), NULL));
	cr_assert_gt(fx.pool.live, live);
	check_invariant();
}

Test(mem, block_size_can_change_for_later_faults)
{
	add_ram(HV_SZ_2M * 4, 0);
	cr_assert_eq(hv_mem_set_block_size(fx.vm, 3 * 4096), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_block_size(fx.vm, 2048), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_block_size(fx.vm, HV_SZ_1G * 2), HV_ERR_INVALID);
	cr_assert_eq(hv_mem_set_block_size(NULL, 4096), HV_ERR_INVALID);
	cr_assert_eq(fx.vm->life.mem.block_size, HV_SZ_2M);
	cr_assert_eq(hv_mem_set_block_size(fx.vm, 0x10000), HV_OK);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 0x23456), false),
	             HV_BUSY);
	cr_assert_eq(hv_ipa_addr(fx.vcpu->host_exit.page_fault.ipa), RAM_IPA + 0x20000);
	cr_assert_eq(fx.vcpu->host_exit.page_fault.size, 0x10000);
}

Test(mem, failure_after_mapped_runs_unmaps_them)
{
	add_ram(HV_SZ_2M * 2, 0);
	/* Runs [A, A+1] and [B]; then a hypervisor page: the claim fails after
	 * two runs were mapped at stage 2. */
	cr_assert_eq(hv_pgown_donate_to_hyp(&fx.hyp->own, hv_pa((GUEST_PFN + 99) << 12), 1), HV_OK);
	uint64_t bad[4] = {GUEST_PFN + 10, GUEST_PFN + 11, GUEST_PFN + 50, GUEST_PFN + 99};
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), bad, 4), HV_ERR_DENIED);
	struct hv_s2_leaf leaf;
	for (unsigned i = 0; i < 4; i++) {
		cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + i * 4096), &leaf),
		             HV_ERR_NOT_FOUND);
		cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + i * 4096), NULL));
	}
	cr_assert_eq(owner_of(GUEST_PFN + 10), HV_OWNER_HOST);
	cr_assert_eq(owner_of(GUEST_PFN + 50), HV_OWNER_HOST);
	/* A batch across two 2 MiB regions: the second region's stage-2 table
	 * allocation fails after the first region's run is mapped. */
	uint64_t ipa = RAM_IPA + HV_SZ_2M - 2 * 4096;
	uint64_t two[4] = {GUEST_PFN + 200, GUEST_PFN + 201, GUEST_PFN + 300, GUEST_PFN + 301};
	/* A refused call frees the pin-map tables it allocated, so each try
	 * allocates them again: a try that allocated more than the pin map
	 * needs got as far as stage 2. */
	size_t used[16] = {0};
	hv_status_t res[16];
	uint64_t pin_before = fx.vm->life.mem.pin_table_pages;
	long tries = 0;
	for (long k = 0; k < 16; k++, tries++) {
		size_t allocs = fx.pool.allocs;
		test_pool_fail_after(&fx.pool, k, true);
		hv_status_t st = hv_mem_map_pages(fx.vm, 0, hv_ipa(ipa), two, 4);
		test_pool_fail_after(&fx.pool, -1, false);
		used[k] = fx.pool.allocs - allocs;
		res[k] = st;
		if (st == HV_OK)
			break;
		cr_assert_eq(st, HV_ERR_NO_MEMORY);
		cr_assert_eq(fx.vm->life.mem.pin_table_pages, pin_before, "pin tables freed");
		cr_assert_not(hv_pin_leaf_present(fx.vm, ipa + 3 * 4096));
		for (unsigned i = 0; i < 4; i++) {
			cr_assert_eq(
			    hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(ipa + i * 4096), &leaf),
			    HV_ERR_NOT_FOUND);
			cr_assert_eq(owner_of(two[i]), HV_OWNER_HOST);
		}
		check_invariant();
	}
	uint64_t pin_need = fx.vm->life.mem.pin_table_pages - pin_before;
	bool hit_partial = false;
	for (long k = 0; k < tries; k++)
		hit_partial |= res[k] != HV_OK && used[k] > pin_need + 1;
	cr_assert(hit_partial);
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(ipa + 3 * 4096), NULL));
	check_invariant();
}

Test(mem, vtcr_and_vttbr_come_from_stage2)
{
	cr_assert_eq(hv_mem_vtcr(fx.vm), hv_s2_vtcr(&fx.vm->life.mem.s2));
	cr_assert_eq(hv_mem_vttbr(fx.vm), hv_s2_vttbr(&fx.vm->life.mem.s2));
	cr_assert_eq(hv_mem_vttbr(fx.vm) >> 48, fx.vmid); /* VTTBR_EL2.VMID [55:48] */
}

Test(mem, relinquish_turned_off_is_not_offered_and_changes_nothing)
{
	add_ram(HV_SZ_2M, 0);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 2), HV_OK);
	cr_assert(hv_mem_relinquish_offered(fx.vm));
	hv_mem_set_relinquish(fx.vm, false);
	cr_assert_not(hv_mem_relinquish_offered(fx.vm));
	struct hv_vcpu *v = fx.vcpu;
	v->ctx.exit.esr_el2 = ((uint64_t)0x16 << 26) | HV_BIT(25); /* HVC64 #0 */
	v->ctx.regs.x[0] = HV_SMCCC_HYP_FEATURES;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0] & HV_SMCCC_HYP_FEATURE_BIT(HV_SMCCC_HYP_MEM_RELINQUISH), 0,
	             "MEM_RELINQUISH still listed");
	cr_assert_neq(v->ctx.regs.x[0] & 1u, 0);
	v->ctx.regs.x[0] = HV_SMCCC_HYP_MEM_RELINQUISH;
	v->ctx.regs.x[1] = RAM_IPA + 0x1000;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0], (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED);
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x1000), NULL), "page unmapped");
	cr_assert_eq(hv_mem_relinquish(v, hv_ipa(RAM_IPA)), HV_ERR_NOT_SUPPORTED);
	cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA), NULL));
	/* On again: listed and served. */
	hv_mem_set_relinquish(fx.vm, true);
	v->ctx.regs.x[0] = HV_SMCCC_HYP_FEATURES;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_neq(v->ctx.regs.x[0] & HV_SMCCC_HYP_FEATURE_BIT(HV_SMCCC_HYP_MEM_RELINQUISH), 0);
	v->ctx.regs.x[0] = HV_SMCCC_HYP_MEM_RELINQUISH;
	v->ctx.regs.x[1] = RAM_IPA + 0x1000;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0], 0);
	cr_assert_not(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + 0x1000), NULL));
	check_invariant();
}

/* MediaTek's driver re-sends a whole block when part of it is present
 * (another vCPU's fault in it, a relinquish): MAP_GUEST_BLOCK's pages that
 * are mapped to the frames named stay, the rest are mapped. */
Test(mem, block_map_keeps_pages_already_mapped_to_the_same_frames)
{
	add_ram(HV_SZ_2M, 0);
	uint64_t pfns[512];
	fill_pfns(pfns, 512, GUEST_PFN + 1, 1);
	/* pages 3 and 4 are in already (a first fault, one page each) */
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 3 * 4096), pfns + 3, 2), HV_OK);
	cr_assert_eq(hv_mem_map_block_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 512), HV_OK);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 512, "no page counted twice");
	cr_assert_eq(fx.vm->life.mem.slots[0].nr_mapped, 512);
	hv_pa_t pa;
	for (unsigned i = 0; i < 512; i += 73) {
		cr_assert(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + i * 4096ull), &pa));
		cr_assert_eq(hv_pa_addr(pa), (GUEST_PFN + 1 + i) << 12);
	}
	struct hv_s2_leaf leaf;
	cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + 4 * 4096), &leaf), HV_OK);
	cr_assert_eq(hv_pa_addr(leaf.pa), (GUEST_PFN + 5) << 12);
	cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + 300 * 4096), &leaf), HV_OK);
	/* the whole block again (a second vCPU's fault): nothing to do */
	cr_assert_eq(hv_mem_map_block_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 512), HV_OK);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 512);
	check_invariant();
}

Test(mem, block_map_refuses_a_present_page_named_with_another_frame)
{
	add_ram(HV_SZ_2M, 0);
	uint64_t pfns[16];
	fill_pfns(pfns, 16, GUEST_PFN + 1, 1);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 5 * 4096), pfns + 5, 1), HV_OK);
	pfns[5] = GUEST_PFN + 100;
	cr_assert_eq(hv_mem_map_block_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 16), HV_ERR_EXISTS);
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 1);
	cr_assert_eq(owner_of(GUEST_PFN + 1), HV_OWNER_HOST);
	cr_assert_eq(owner_of(GUEST_PFN + 100), HV_OWNER_HOST);
	/* the strict call refuses even the same frame */
	pfns[5] = GUEST_PFN + 6;
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 16), HV_ERR_EXISTS);
	check_invariant();
}

Test(mem, block_map_failure_keeps_the_present_pages_and_undoes_the_rest)
{
	add_ram(HV_SZ_2M, 0);
	uint64_t pfns[16];
	fill_pfns(pfns, 16, GUEST_PFN + 1, 1);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 2 * 4096), pfns + 2, 1), HV_OK);
	cr_assert_eq(hv_mem_map_pages(fx.vm, 0, hv_ipa(RAM_IPA + 9 * 4096), pfns + 9, 1), HV_OK);
	/* the last frame is the hypervisor's: the claim fails after runs
	 * [0,2) and [3,9) were mapped around the present page 2 */
	cr_assert_eq(hv_pgown_donate_to_hyp(&fx.hyp->own, hv_pa((GUEST_PFN + 16) << 12), 1), HV_OK);
	cr_assert_eq(hv_mem_map_block_pages(fx.vm, 0, hv_ipa(RAM_IPA), pfns, 16), HV_ERR_DENIED);
	struct hv_s2_leaf leaf;
	for (unsigned i = 0; i < 16; i++) {
		bool present = i == 2 || i == 9;
		cr_assert_eq(hv_mem_is_pinned(fx.vm, hv_ipa(RAM_IPA + i * 4096), NULL), present,
		             "page %u", i);
		cr_assert_eq(hv_s2_lookup(&fx.vm->life.mem.s2, hv_ipa(RAM_IPA + i * 4096), &leaf),
		             present ? HV_OK : HV_ERR_NOT_FOUND, "page %u", i);
		cr_assert_eq(owner_of(pfns[i]),
		             present   ? fx.vmid
		             : i == 15 ? HV_OWNER_HYP
		                       : HV_OWNER_HOST,
		             "frame %u", i);
	}
	cr_assert_eq(fx.vm->life.mem.nr_pinned, 2);
	cr_assert_eq(fx.vm->life.mem.slots[0].nr_mapped, 2);
	check_invariant();
}
