/* SPDX-License-Identifier: Apache-2.0 */
#include <criterion/criterion.h>
#include <hvsim/arch_sim.h>
#include "test_pool.h"

static void reset(void)
{
	sim_arch_reset();
}

TestSuite(sim_arch, .init = reset);

Test(sim_arch, records_ops_in_order)
{
	hv_arch_dsb_ishst();
	hv_arch_tlbi_ipa(7, hv_ipa(0x1000), 3);
	uint64_t mark = sim_mark();
	hv_arch_dsb_ish();
	hv_arch_isb();
	cr_assert_eq(sim_op_count(), 4);
	cr_assert_eq(sim_op_at(0)->kind, SIM_OP_DSB_ISHST);
	const struct sim_op *tlbi = sim_op_at(1);
	cr_assert_eq(tlbi->kind, SIM_OP_TLBI_IPA);
	cr_assert_eq(tlbi->vmid, 7);
	cr_assert_eq(tlbi->ipa, 0x1000);
	cr_assert_eq(tlbi->level, 3);
	cr_assert_gt(mark, tlbi->seq);
	cr_assert_lt(mark, sim_op_at(2)->seq);
	cr_assert_eq(sim_op_at(3)->kind, SIM_OP_ISB);
	cr_assert_null(sim_op_at(4));
}

Test(sim_arch, fused_invalidate_records_the_three_steps_in_order)
{
	hv_arch_tlbi_ipa_sync(3, hv_ipa(0x40201000), 2);
	cr_assert_eq(sim_op_count(), 3);
	cr_assert_eq(sim_op_at(0)->kind, SIM_OP_DSB_ISHST);
	const struct sim_op *tlbi = sim_op_at(1);
	cr_assert_eq(tlbi->kind, SIM_OP_TLBI_IPA);
	cr_assert_eq(tlbi->vmid, 3);
	cr_assert_eq(tlbi->ipa, 0x40201000);
	cr_assert_eq(tlbi->level, 2);
	cr_assert_eq(sim_op_at(2)->kind, SIM_OP_DSB_ISH);
	cr_assert_lt(sim_op_at(0)->seq, tlbi->seq);
	cr_assert_lt(tlbi->seq, sim_op_at(2)->seq);
}

Test(sim_arch, counts_beyond_capacity_and_when_not_recording)
{
	for (int i = 0; i < SIM_OP_LOG_CAPACITY + 10; i++)
		hv_arch_tlbi_vmid(1);
	cr_assert_eq(sim_op_count(), SIM_OP_LOG_CAPACITY + 10);
	cr_assert_not_null(sim_op_at(SIM_OP_LOG_CAPACITY - 1));
	cr_assert_null(sim_op_at(SIM_OP_LOG_CAPACITY));
	sim_arch_set_recording(false);
	hv_arch_tlbi_ipa_range(1, hv_ipa(0), HV_SZ_1G);
	cr_assert_eq(sim_op_count(), SIM_OP_LOG_CAPACITY + 10);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE), 1);
}

Test(sim_arch, counter_and_range_capability)
{
	cr_assert_eq(hv_arch_counter_freq(), 62500000);
	sim_counter_set(100);
	sim_counter_advance(23);
	cr_assert_eq(hv_arch_counter(), 123);
	cr_assert(hv_arch_has_tlbi_range());
	sim_arch_set_tlbi_range(false);
	cr_assert_not(hv_arch_has_tlbi_range());
}

static hv_status_t fixed_insn(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	(void)ctx;
	*insn = *(uint32_t *)arg;
	return HV_OK;
}

Test(sim_arch, fetch_insn_source)
{
	struct hv_vcpu_context ctx = {0};
	uint32_t insn = 0;
	cr_assert_eq(hv_arch_guest_fetch_insn(&ctx, &insn), HV_ERR_FAULT);
	uint32_t word = 0xa9000440; /* stp x0, x1, [x2] */
	sim_set_fetch_insn(fixed_insn, &word);
	cr_assert_eq(hv_arch_guest_fetch_insn(&ctx, &insn), HV_OK);
	cr_assert_eq(insn, word);
}

Test(sim_arch, console_capture)
{
	sim_console_capture(true);
	hv_arch_console_write("hello ", 6);
	hv_arch_console_write("el2", 3);
	size_t len;
	cr_assert_str_eq(sim_console_captured(&len), "hello el2");
	cr_assert_eq(len, 9);
	sim_console_capture(false);
}

Test(test_pool, fails_on_demand_and_tracks_leaks)
{
	struct test_pool pool;
	cr_assert(test_pool_init(&pool, 8, 0x80000000));
	struct hv_mm_ops *ops = &pool.ops;
	void *a = ops->zalloc_page(ops->pool);
	cr_assert_not_null(a);
	cr_assert_eq(hv_pa_addr(ops->virt_to_phys(ops->pool, a)) & 0xfff, 0);
	cr_assert_eq(ops->phys_to_virt(ops->pool, ops->virt_to_phys(ops->pool, a)), a);
	test_pool_fail_after(&pool, 1, false);
	void *b = ops->zalloc_page(ops->pool);
	cr_assert_not_null(b);
	cr_assert_null(ops->zalloc_page(ops->pool));
	void *c = ops->zalloc_page(ops->pool);
	cr_assert_not_null(c);
	cr_assert_eq(pool.live, 3);
	ops->free_page(ops->pool, b);
	ops->free_page(ops->pool, b);
	cr_assert_eq(pool.double_frees, 1);
	ops->free_page(ops->pool, a);
	ops->free_page(ops->pool, c);
	cr_assert_eq(pool.live, 0);
	test_pool_destroy(&pool);
}
