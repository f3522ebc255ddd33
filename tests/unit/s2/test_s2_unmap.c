/* SPDX-License-Identifier: Apache-2.0 */
/* hv_s2_unmap, hv_s2_unmap_keep_tables, hv_s2_protect, hv_s2_walk,
 * hv_s2_destroy: table freeing, block splits, TLBI batching, failure
 * atomicity, bounded destroy. */
#include "s2_fixture.h"

static struct test_pool pool;
static struct hv_s2_pgt pgt;

static void setup(void)
{
	sim_arch_reset();
	cr_assert(test_pool_init(&pool, 2048, POOL_PA_BASE));
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 9, 40, 40), HV_OK);
}

static void teardown(void)
{
	test_pool_destroy(&pool);
}

TestSuite(s2_unmap, .init = setup, .fini = teardown);

static hv_status_t map(uint64_t ipa, uint64_t pa, uint64_t size, uint32_t flags)
{
	return hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), size, NORMAL_RW, HV_S2_MEM_NORMAL_WB, flags);
}

static size_t tlbi_ops(void)
{
	return sim_op_count_kind(SIM_OP_TLBI_IPA) + sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE) +
	       sim_op_count_kind(SIM_OP_TLBI_VMID);
}

Test(s2_unmap, emptied_tables_are_freed)
{
	cr_assert_eq(map(3 * GIB, GIB, 4096, 0), HV_OK);
	cr_assert_eq(pool.live, 2 + 2);
	cr_assert_eq(map(3 * GIB + 8192, GIB, 4096, 0), HV_OK);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(3 * GIB), 4096), HV_OK);
	cr_assert_eq(pool.live, 4, "table still holds a page");
	cr_assert_eq(s2_pa_of(&pgt, 3 * GIB), UINT64_MAX);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(3 * GIB + 8192), 4096), HV_OK);
	cr_assert_eq(pool.live, 2, "level-2 and level-3 tables freed");
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.table_pages, 2);
	cr_assert_eq(st.leaves[3], 0);
	/* A freed table may be cached by the walker: no level hint. */
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 1);
	cr_assert_eq(sim_op_at(1)->level, HV_TLBI_LEVEL_ANY);
	destroy_all(&pgt, &pool);
}

/* hv_s2_unmap_keep_tables (the host's stage 2 for protected VMs): a block
 * cut by the range is split, the pages leave the TLB, and the table stays
 * even when every entry is invalid, so mapping a page back allocates
 * nothing and makes no TLBI (an invalid entry is never cached). */
Test(s2_unmap, keep_tables_leaves_an_empty_table_linked)
{
	const uint64_t ipa = 3 * GIB, pa = GIB;
	cr_assert_eq(map(ipa, pa, 2 * MIB, 0), HV_OK);
	struct hv_s2_stats before, st;
	hv_s2_get_stats(&pgt, &before);
	cr_assert_eq(before.leaves[2], 1);
	cr_assert_eq(hv_s2_unmap_keep_tables(&pgt, hv_ipa(ipa + 4096), 4096), HV_OK);
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.table_pages, before.table_pages + 1, "the block split");
	cr_assert_eq(st.leaves[3], 511);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap_keep_tables(&pgt, hv_ipa(ipa), 2 * MIB), HV_OK);
	cr_assert_gt(tlbi_ops(), 0, "the 511 pages left leave the TLB");
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.table_pages, before.table_pages + 1, "the empty table stays");
	cr_assert_eq(st.leaves[3], 0);
	cr_assert_eq(s2_pa_of(&pgt, ipa + 4096), UINT64_MAX);
	cr_assert_eq(s2_pa_of(&pgt, ipa + 2 * MIB - 4096), UINT64_MAX);

	long live = (long)pool.live;
	test_pool_fail_after(&pool, 0, true);
	sim_arch_reset();
	cr_assert_eq(map(ipa + 8192, pa + 8192, 4096, 0), HV_OK, "no allocation");
	cr_assert_eq(tlbi_ops(), 0);
	test_pool_fail_after(&pool, -1, false);
	cr_assert_eq(s2_pa_of(&pgt, ipa + 8192), pa + 8192);
	cr_assert_eq((long)pool.live, live);
	/* The block over the table: as before the split. */
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), 2 * MIB, NORMAL_RW,
	                       HV_S2_MEM_NORMAL_WB, HV_S2_MAP_REPLACE),
	             HV_OK);
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(memcmp(&st, &before, sizeof(st)), 0);
	cr_assert_eq(hv_s2_unmap_keep_tables(&pgt, hv_ipa(ipa + 1), 4096), HV_ERR_INVALID);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, unmapping_a_hole_does_nothing)
{
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(0), GIB), HV_OK);
	cr_assert_eq(tlbi_ops(), 0);
	cr_assert_eq(pool.live, 2);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, partial_block_is_split_with_bbm)
{
	cr_assert_eq(map(GIB, 2 * GIB, GIB, 0), HV_OK);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 2 * MIB + 4096), 4096), HV_OK);
	/* Level-1 block -> level-2 table (one block split further) ->
	 * level-3 table: two new tables, one BBM on the 1 GiB block. */
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[1], 0);
	cr_assert_eq(st.leaves[2], 511);
	cr_assert_eq(st.leaves[3], 511);
	cr_assert_eq(st.table_pages, 4);
	cr_assert_eq(s2_pa_of(&pgt, GIB + 2 * MIB + 4096), UINT64_MAX);
	cr_assert_eq(s2_pa_of(&pgt, GIB + 2 * MIB + 8192), 2 * GIB + 2 * MIB + 8192);
	cr_assert_eq(s2_pa_of(&pgt, GIB + 100 * MIB), 2 * GIB + 100 * MIB);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 1);
	cr_assert_eq(sim_op_at(1)->kind, SIM_OP_TLBI_IPA);
	cr_assert_eq(sim_op_at(1)->level, 1);
	cr_assert_eq(sim_op_at(0)->kind, SIM_OP_DSB_ISHST);
	cr_assert_eq(sim_op_at(2)->kind, SIM_OP_DSB_ISH);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, large_unmap_is_one_range_tlbi)
{
	cr_assert_eq(map(0, GIB, GIB, HV_S2_MAP_PAGES), HV_OK);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(0), GIB), HV_OK);
	cr_assert_eq(tlbi_ops(), 1);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE), 1);
	cr_assert_eq(sim_op_at(1)->ipa, 0);
	cr_assert_eq(sim_op_at(1)->size, GIB);
	cr_assert_eq(pool.live, 2, "every table but the root freed");
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, large_unmap_without_range_tlbi_is_one_vmid_tlbi)
{
	cr_assert_eq(map(0, GIB, 64 * MIB, HV_S2_MAP_PAGES), HV_OK);
	sim_arch_reset();
	sim_arch_set_tlbi_range(false);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(0), 64 * MIB), HV_OK);
	cr_assert_eq(tlbi_ops(), 1);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_VMID), 1);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, few_leaves_get_one_tlbi_each_with_level_hint)
{
	cr_assert_eq(map(0, GIB, 16 * KIB, HV_S2_MAP_PAGES), HV_OK);
	cr_assert_eq(map(GIB, 0, 4 * MIB, 0), HV_OK);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(4096), 8192), HV_OK);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 2);
	cr_assert_eq(sim_op_at(1)->ipa, 4096);
	cr_assert_eq(sim_op_at(1)->level, 3);
	cr_assert_eq(sim_op_at(2)->ipa, 8192);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB), 2 * MIB), HV_OK);
	cr_assert_eq(sim_op_at(1)->level, 2);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, split_failure_is_atomic)
{
	cr_assert_eq(map(GIB, 2 * GIB, GIB, 0), HV_OK);
	struct snapshot *before = malloc(sizeof(*before)), *after = malloc(sizeof(*after));
	take_snapshot(&pgt, before);
	size_t live = pool.live;
	for (long k = 0; k < 2; k++) {
		test_pool_fail_after(&pool, k, false);
		sim_arch_reset();
		cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 4096), 4096), HV_ERR_NO_MEMORY);
		cr_assert_eq(tlbi_ops(), 0);
		take_snapshot(&pgt, after);
		cr_assert(snapshots_equal(before, after));
		cr_assert_eq(pool.live, live);
	}
	test_pool_fail_after(&pool, -1, false);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 4096), 4096), HV_OK);
	free(before);
	free(after);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, protect_changes_permissions_and_splits)
{
	cr_assert_eq(map(0, GIB, 4 * MIB, 0), HV_OK);
	sim_arch_reset();
	cr_assert_eq(hv_s2_protect(&pgt, hv_ipa(2 * MIB), 2 * MIB, HV_S2_PROT_R), HV_OK);
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(3 * MIB), &l), HV_OK);
	cr_assert_eq(l.prot, HV_S2_PROT_R);
	cr_assert_eq(l.level, 2, "whole block: no split");
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 1, "permission removed: TLBI");
	cr_assert_eq(hv_s2_protect(&pgt, hv_ipa(4096), 4096, HV_S2_PROT_RWX), HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(4096), &l), HV_OK);
	cr_assert_eq(l.prot, HV_S2_PROT_RWX);
	cr_assert_eq(l.level, 3);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(8192), &l), HV_OK);
	cr_assert_eq(l.prot, HV_S2_PROT_RW);
	cr_assert_eq(hv_pa_addr(l.pa), GIB + 8192);
	/* Holes stay holes. */
	cr_assert_eq(hv_s2_protect(&pgt, hv_ipa(0), 8 * MIB, HV_S2_PROT_R), HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(5 * MIB), &l), HV_ERR_NOT_FOUND);
	/* Device memory cannot become executable; nothing changes. */
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(GIB), hv_pa(0x9000000), 4096, HV_S2_PROT_RW,
	                       HV_S2_MEM_DEVICE_nGnRE, 0),
	             HV_OK);
	cr_assert_eq(hv_s2_protect(&pgt, hv_ipa(0), 2 * GIB, HV_S2_PROT_RWX), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0), &l), HV_OK);
	cr_assert_eq(l.prot, HV_S2_PROT_R);
	destroy_all(&pgt, &pool);
}

struct walk_log {
	int leaves, pre, post;
	uint64_t first_leaf_ipa;
	int stop_after;
};

static hv_status_t on_leaf(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc)
{
	struct walk_log *w = arg;
	(void)level;
	cr_assert(desc & 1);
	if (w->leaves++ == 0)
		w->first_leaf_ipa = hv_ipa_addr(ipa);
	return w->stop_after && w->leaves == w->stop_after ? HV_ERR_EXISTS : HV_OK;
}

static hv_status_t on_pre(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc)
{
	(void)ipa, (void)level, (void)desc;
	((struct walk_log *)arg)->pre++;
	return HV_OK;
}

static hv_status_t on_post(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc)
{
	(void)ipa, (void)level, (void)desc;
	((struct walk_log *)arg)->post++;
	return HV_OK;
}

Test(s2_unmap, walk_visits_leaves_and_tables_and_stops)
{
	cr_assert_eq(map(0, GIB, 4 * MIB + 3 * 4096, 0), HV_OK);
	struct walk_log w = {0};
	struct hv_s2_visitor v = {on_leaf, on_pre, on_post, &w};
	cr_assert_eq(hv_s2_walk(&pgt, hv_ipa(MIB), 4 * MIB, &v), HV_OK);
	cr_assert_eq(w.leaves, 2 + 3);
	cr_assert_eq(w.first_leaf_ipa, 0, "the block containing the start");
	cr_assert_eq(w.pre, 2); /* level-2 table, level-3 table */
	cr_assert_eq(w.post, 2);
	struct walk_log s = {.stop_after = 2};
	struct hv_s2_visitor vs = {on_leaf, NULL, NULL, &s};
	cr_assert_eq(hv_s2_walk(&pgt, hv_ipa(0), GIB, &vs), HV_ERR_EXISTS);
	cr_assert_eq(s.leaves, 2);
	destroy_all(&pgt, &pool);
}

Test(s2_unmap, destroy_is_bounded_and_resumable)
{
	cr_assert_eq(map(0, GIB, 256 * MIB, HV_S2_MAP_PAGES), HV_OK);
	cr_assert_eq(pool.live, 2 + 1 + 128);
	sim_arch_reset();
	int calls = 0;
	hv_status_t ret;
	do {
		uint64_t budget = 10;
		size_t before = pool.live;
		ret = hv_s2_destroy(&pgt, &budget);
		cr_assert_leq(before - pool.live, 10 + 1, "at most the budget per call");
		calls++;
	} while (ret == HV_BUSY);
	cr_assert_eq(ret, HV_OK);
	cr_assert_geq(calls, 13);
	cr_assert_eq(pool.live, 0);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_VMID), 1);
	uint64_t budget = 1;
	cr_assert_eq(hv_s2_destroy(&pgt, &budget), HV_ERR_INVALID, "already destroyed");
	cr_assert_eq(map(0, 0, 4096, 0), HV_ERR_INVALID);
	budget = 0;
	cr_assert_eq(hv_s2_destroy(&pgt, &budget), HV_ERR_INVALID);
}

Test(s2_unmap, ipa_sizes_32_to_48_map_and_unmap_at_the_top)
{
	destroy_all(&pgt, &pool);
	for (unsigned bits = 32; bits <= 48; bits++) {
		struct hv_s2_pgt p;
		cr_assert_eq(hv_s2_init(&p, &pool.ops, 1, bits, 48), HV_OK, "ipa %u", bits);
		uint64_t top = 1ull << bits;
		cr_assert_eq(hv_s2_map(&p, hv_ipa(top - 2 * MIB), hv_pa(0), 2 * MIB, NORMAL_RW,
		                       HV_S2_MEM_NORMAL_WB, 0),
		             HV_OK);
		cr_assert_eq(hv_s2_map(&p, hv_ipa(0), hv_pa(0x5000), 4096, NORMAL_RW,
		                       HV_S2_MEM_NORMAL_WB, 0),
		             HV_OK);
		struct hv_s2_leaf l;
		cr_assert_eq(hv_s2_lookup(&p, hv_ipa(top - 4096), &l), HV_OK);
		cr_assert_eq(hv_pa_addr(l.pa), 2 * MIB - 4096);
		cr_assert_eq(l.level, 2);
		cr_assert_eq(hv_s2_lookup(&p, hv_ipa(0), &l), HV_OK);
		cr_assert_eq(hv_pa_addr(l.pa), 0x5000);
		cr_assert_eq(hv_s2_unmap(&p, hv_ipa(0), top), HV_OK);
		struct hv_s2_stats st;
		hv_s2_get_stats(&p, &st);
		cr_assert_eq(st.table_pages, p.nr_root_tables);
		destroy_all(&p, &pool);
	}
}
