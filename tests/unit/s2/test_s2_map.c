/* SPDX-License-Identifier: Apache-2.0 */
/* hv_s2_map and hv_s2_lookup: block selection, boundaries, overlap,
 * replacement with break-before-make, failure atomicity, hostile input. */
#include "s2_fixture.h"

static struct test_pool pool;
static struct hv_s2_pgt pgt;

static void setup(void)
{
	sim_arch_reset();
	cr_assert(test_pool_init(&pool, 2048, POOL_PA_BASE));
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 5, 40, 40), HV_OK);
}

static void teardown(void)
{
	test_pool_destroy(&pool);
}

TestSuite(s2_map, .init = setup, .fini = teardown);

static hv_status_t map(uint64_t ipa, uint64_t pa, uint64_t size, uint32_t flags)
{
	return hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), size, NORMAL_RW, HV_S2_MEM_NORMAL_WB, flags);
}

Test(s2_map, largest_blocks_alignment_allows)
{
	/* 1 GiB aligned on both sides: one level-1 block. */
	cr_assert_eq(map(GIB, 2 * GIB, GIB, 0), HV_OK);
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(GIB + 0x12345000), &l), HV_OK);
	cr_assert_eq(l.level, 1);
	cr_assert_eq(hv_pa_addr(l.pa), 2 * GIB + 0x12345000);
	/* 4 MiB + 8 KiB at a 2 MiB boundary: two 2 MiB blocks and two pages. */
	cr_assert_eq(map(4 * GIB, 8 * GIB, 4 * MIB + 8 * KIB, 0), HV_OK);
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[1], 1);
	cr_assert_eq(st.leaves[2], 2);
	cr_assert_eq(st.leaves[3], 2);
	/* IPA and PA aligned differently: pages only. */
	cr_assert_eq(map(6 * GIB, 9 * GIB + 4096, 2 * MIB, 0), HV_OK);
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[2], 2);
	cr_assert_eq(st.leaves[3], 2 + 512);
	cr_assert_eq(s2_pa_of(&pgt, 6 * GIB + 2 * MIB - 4096), 9 * GIB + 2 * MIB);
	destroy_all(&pgt, &pool);
}

Test(s2_map, pages_flag_and_table_count)
{
	cr_assert_eq(map(0, GIB, GIB, HV_S2_MAP_PAGES), HV_OK);
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	/* 2 concatenated roots + 1 level-2 table + 512 level-3 tables. */
	cr_assert_eq(st.table_pages, 515);
	cr_assert_eq(st.leaves[3], 262144);
	cr_assert_eq(pool.live, 515);
	for (uint64_t off = 0; off < GIB; off += 97 * 4096)
		cr_assert_eq(s2_pa_of(&pgt, off), GIB + off);
	destroy_all(&pgt, &pool);
}

Test(s2_map, boundaries_of_the_ipa_space)
{
	uint64_t top = 1ull << 40;
	cr_assert_eq(map(0, 0, 4096, 0), HV_OK);
	cr_assert_eq(map(top - 4096, 0x1000, 4096, 0), HV_OK);
	cr_assert_eq(map(top - 2 * MIB, 0x40000000, 2 * MIB, 0), HV_ERR_EXISTS);
	cr_assert_eq(s2_pa_of(&pgt, 0), 0);
	cr_assert_eq(s2_pa_of(&pgt, top - 4096), 0x1000);
	cr_assert_eq(map(top, 0, 4096, 0), HV_ERR_RANGE);
	cr_assert_eq(map(top - 4096, 0, 8192, 0), HV_ERR_RANGE);
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(top), &l), HV_ERR_RANGE);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(top - 8192), &l), HV_ERR_NOT_FOUND);
	destroy_all(&pgt, &pool);
}

Test(s2_map, hostile_arguments_change_nothing)
{
	cr_assert_eq(map(2 * MIB, 4 * MIB, 2 * MIB, 0), HV_OK);
	struct snapshot *before = malloc(sizeof(*before)), *after = malloc(sizeof(*after));
	take_snapshot(&pgt, before);
	size_t live = pool.live;
	cr_assert_eq(map(0x1001, 0, 4096, 0), HV_ERR_INVALID);
	cr_assert_eq(map(0x1000, 0x10, 4096, 0), HV_ERR_INVALID);
	cr_assert_eq(map(0x1000, 0, 100, 0), HV_ERR_INVALID);
	cr_assert_eq(map(0x1000, 0, 0, 0), HV_ERR_INVALID);
	cr_assert_eq(map(0xfffffffffffff000ull, 0, 0x2000, 0), HV_ERR_INVALID);
	cr_assert_eq(map(0x1000, 0xfffffffffffff000ull, 0x2000, 0), HV_ERR_INVALID);
	cr_assert_eq(map(0x1000, 1ull << 40, 4096, 0), HV_ERR_RANGE);
	cr_assert_eq(map(0x1000, 0, 4096, 1u << 7), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0), hv_pa(0), 4096, 1u << 5, HV_S2_MEM_NORMAL_WB, 0),
	             HV_ERR_INVALID);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0), hv_pa(0), 4096, 1, (enum hv_s2_memtype)9, 0),
	             HV_ERR_INVALID);
	cr_assert_eq(
	    hv_s2_map(&pgt, hv_ipa(0), hv_pa(0), 4096, HV_S2_PROT_RWX, HV_S2_MEM_DEVICE_nGnRE, 0),
	    HV_ERR_INVALID);
	cr_assert_eq(map(3 * MIB, 0, 4096, 0), HV_ERR_EXISTS, "overlaps a different block");
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(0x800), 4096), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_protect(&pgt, hv_ipa(0), 4096, 0x10), HV_ERR_INVALID);
	take_snapshot(&pgt, after);
	cr_assert(snapshots_equal(before, after));
	cr_assert_eq(pool.live, live);
	free(before);
	free(after);
	destroy_all(&pgt, &pool);
}

Test(s2_map, same_mapping_is_idempotent_and_different_one_conflicts)
{
	cr_assert_eq(map(0, GIB, 4 * MIB, 0), HV_OK);
	sim_arch_reset();
	cr_assert_eq(map(0, GIB, 4 * MIB, 0), HV_OK);
	cr_assert_eq(map(MIB, GIB + MIB, 4096, 0), HV_OK, "a page inside an agreeing block");
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 0);
	cr_assert_eq(map(MIB, GIB, 4096, 0), HV_ERR_EXISTS);
	cr_assert_eq(
	    hv_s2_map(&pgt, hv_ipa(0), hv_pa(GIB), 2 * MIB, HV_S2_PROT_R, HV_S2_MEM_NORMAL_WB, 0),
	    HV_ERR_EXISTS, "different permissions");
	destroy_all(&pgt, &pool);
}

/* Break-before-make: at the TLBI the old descriptor must already be
 * invalid, and the new one must not be there before the last barrier. */
struct bbm_probe {
	uint64_t ipa;
	int tlbis;
	int invalid_at_tlbi;
};

static void probe(const struct sim_op *op, void *arg)
{
	struct bbm_probe *p = arg;
	if (op->kind == SIM_OP_TLBI_IPA || op->kind == SIM_OP_TLBI_IPA_RANGE ||
	    op->kind == SIM_OP_TLBI_VMID) {
		struct hv_s2_leaf l;
		p->tlbis++;
		if (hv_s2_lookup(&pgt, hv_ipa(p->ipa), &l) == HV_ERR_NOT_FOUND)
			p->invalid_at_tlbi++;
	}
}

static void assert_bbm_sequence(size_t first)
{
	/* ... invalid -> DSB ISHST -> TLBI -> DSB ISH -> new descriptor. */
	size_t n = sim_op_count();
	bool seen = false;
	for (size_t i = first; i < n; i++) {
		const struct sim_op *op = sim_op_at(i);
		if (op->kind != SIM_OP_TLBI_IPA && op->kind != SIM_OP_TLBI_IPA_RANGE &&
		    op->kind != SIM_OP_TLBI_VMID)
			continue;
		cr_assert(i > 0 && sim_op_at(i - 1)->kind == SIM_OP_DSB_ISHST,
		          "DSB ISHST before TLBI");
		cr_assert(i + 1 < n && sim_op_at(i + 1)->kind == SIM_OP_DSB_ISH,
		          "DSB ISH after TLBI");
		seen = true;
	}
	cr_assert(seen, "no TLBI at all");
}

Test(s2_map, replace_block_output_address_uses_bbm)
{
	cr_assert_eq(map(2 * MIB, 4 * MIB, 2 * MIB, 0), HV_OK);
	sim_arch_reset();
	struct bbm_probe p = {.ipa = 2 * MIB};
	sim_arch_set_op_hook(probe, &p);
	cr_assert_eq(map(2 * MIB, 8 * MIB, 2 * MIB, HV_S2_MAP_REPLACE), HV_OK);
	cr_assert_eq(p.tlbis, 1);
	cr_assert_eq(p.invalid_at_tlbi, 1);
	cr_assert_eq(sim_op_at(1)->kind, SIM_OP_TLBI_IPA);
	cr_assert_eq(sim_op_at(1)->ipa, 2 * MIB);
	cr_assert_eq(sim_op_at(1)->level, 2, "level hint of the block");
	assert_bbm_sequence(0);
	cr_assert_eq(s2_pa_of(&pgt, 3 * MIB), 9 * MIB);
	destroy_all(&pgt, &pool);
}

Test(s2_map, replace_page_inside_block_splits_with_bbm)
{
	cr_assert_eq(map(2 * MIB, 4 * MIB, 2 * MIB, 0), HV_OK);
	sim_arch_reset();
	struct bbm_probe p = {.ipa = 2 * MIB + 4096 * 7};
	sim_arch_set_op_hook(probe, &p);
	cr_assert_eq(map(2 * MIB + 4096 * 3, GIB, 4096, HV_S2_MAP_REPLACE), HV_OK);
	cr_assert_eq(p.tlbis, 1);
	cr_assert_eq(p.invalid_at_tlbi, 1, "block still valid at the TLBI");
	assert_bbm_sequence(0);
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[2], 0);
	cr_assert_eq(st.leaves[3], 512);
	cr_assert_eq(s2_pa_of(&pgt, 2 * MIB + 4096 * 3), GIB);
	cr_assert_eq(s2_pa_of(&pgt, 2 * MIB + 4096 * 4), 4 * MIB + 4096 * 4);
	destroy_all(&pgt, &pool);
}

Test(s2_map, replace_memory_type_uses_bbm)
{
	cr_assert_eq(map(0x5000, 0x5000, 4096, 0), HV_OK);
	sim_arch_reset();
	struct bbm_probe p = {.ipa = 0x5000};
	sim_arch_set_op_hook(probe, &p);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0x5000), hv_pa(0x5000), 4096, HV_S2_PROT_RW,
	                       HV_S2_MEM_DEVICE_nGnRE, HV_S2_MAP_REPLACE),
	             HV_OK);
	cr_assert_eq(p.invalid_at_tlbi, 1);
	assert_bbm_sequence(0);
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0x5000), &l), HV_OK);
	cr_assert_eq(l.type, HV_S2_MEM_DEVICE_nGnRE);
	destroy_all(&pgt, &pool);
}

Test(s2_map, replace_pages_by_block_frees_the_table)
{
	cr_assert_eq(map(0, GIB, 2 * MIB, HV_S2_MAP_PAGES), HV_OK);
	size_t live = pool.live;
	sim_arch_reset();
	cr_assert_eq(map(0, 2 * GIB, 2 * MIB, HV_S2_MAP_REPLACE), HV_OK);
	cr_assert_eq(pool.live, live - 1, "the level-3 table went back");
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE), 1, "whole range of the table");
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[3], 0);
	cr_assert_eq(st.leaves[2], 1);
	destroy_all(&pgt, &pool);
}

Test(s2_map, new_mappings_need_no_tlbi)
{
	cr_assert_eq(map(0, GIB, 64 * MIB, HV_S2_MAP_PAGES), HV_OK);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA) + sim_op_count_kind(SIM_OP_TLBI_VMID) +
	                 sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE),
	             0);
	cr_assert_gt(sim_op_count_kind(SIM_OP_DSB_ISHST), 0, "tables published with a barrier");
	destroy_all(&pgt, &pool);
}

/* Fail each allocation of a multi-table map in turn: the call fails, the
 * table is exactly as before, no page leaks. */
Test(s2_map, allocation_failure_at_every_point_is_atomic)
{
	cr_assert_eq(map(0, 0x40000000, 4096, 0), HV_OK);
	cr_assert_eq(map(5 * GIB, 0x40000000, 2 * MIB, 0), HV_OK);
	struct snapshot *before = malloc(sizeof(*before)), *after = malloc(sizeof(*after));
	take_snapshot(&pgt, before);
	size_t live = pool.live;
	/* Spans two level-1 entries (one new L2 table each), splits the block
	 * at 5 GiB and needs level-3 tables: 7 pages in all. */
	uint64_t ipa = 5 * GIB - 4 * MIB - 4096, size = 6 * MIB + 8192;
	int failures = 0;
	for (long k = 0;; k++) {
		test_pool_fail_after(&pool, k, false);
		hv_status_t ret = hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(0x80000000), size, NORMAL_RW,
		                            HV_S2_MEM_NORMAL_WB, HV_S2_MAP_REPLACE);
		if (ret == HV_OK)
			break;
		cr_assert_eq(ret, HV_ERR_NO_MEMORY);
		take_snapshot(&pgt, after);
		cr_assert(snapshots_equal(before, after), "changed after failure %ld", k);
		cr_assert_eq(pool.live, live, "leak after failure %ld", k);
		failures++;
	}
	test_pool_fail_after(&pool, -1, false);
	cr_assert_geq(failures, 5, "the map needed several tables");
	cr_assert_eq(s2_pa_of(&pgt, 5 * GIB), 0x80000000 + 4 * MIB + 4096);
	cr_assert_eq(s2_pa_of(&pgt, 5 * GIB + 2 * MIB), 0x80000000 + 6 * MIB + 4096);
	cr_assert_eq(s2_pa_of(&pgt, 5 * GIB + 2 * MIB + 4096), UINT64_MAX);
	destroy_all(&pgt, &pool);
	free(before);
	free(after);
}
