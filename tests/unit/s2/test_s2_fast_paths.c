/* SPDX-License-Identifier: Apache-2.0 */
/* The fast paths of core/s2 against the general ones: runs of leaves in one
 * table, single pages and blocks, ranged unmap that drops whole last-level
 * tables, and the same operations over a pool without a linear map (every
 * table reached through phys_to_virt). */
#include <string.h>

#include "s2_fixture.h"

static struct test_pool pool;
static struct hv_s2_pgt pgt;

static void setup(void)
{
	sim_arch_reset();
	cr_assert(test_pool_init(&pool, 2048, POOL_PA_BASE));
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 7, 40, 40), HV_OK);
}

static void teardown(void)
{
	test_pool_destroy(&pool);
}

TestSuite(s2_fast, .init = setup, .fini = teardown);

static hv_status_t map_on(struct hv_s2_pgt *p, uint64_t ipa, uint64_t pa, uint64_t size,
                          uint32_t flags)
{
	return hv_s2_map(p, hv_ipa(ipa), hv_pa(pa), size, NORMAL_RW, HV_S2_MEM_NORMAL_WB, flags);
}

static size_t tlbi_ops(void)
{
	return sim_op_count_kind(SIM_OP_TLBI_IPA) + sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE) +
	       sim_op_count_kind(SIM_OP_TLBI_VMID);
}

/* Bits [58:55] of entries 0..2 of a table hold its count of valid entries. */
static unsigned count_bits(const uint64_t *t)
{
	unsigned c = 0;
	for (unsigned i = 0; i < 3; i++)
		c |= (unsigned)((t[i] >> 55) & 15) << (4 * i);
	return c;
}

static uint64_t *table_of(const struct hv_s2_pgt *p, uint64_t ipa, unsigned level)
{
	const uint64_t *t = p->root;
	unsigned shift = 12 + 9 * (3 - p->start_level);
	uint64_t d = t[ipa >> shift];
	for (unsigned l = p->start_level + 1; l <= level; l++) {
		cr_assert_eq(d & 3, 3, "table descriptor above level %u", l);
		t = pool.ops.phys_to_virt(pool.ops.pool, hv_pa(d & 0x0000fffffffff000ull));
		if (l == level)
			break;
		shift -= 9;
		d = t[(ipa >> shift) & 511];
	}
	return (uint64_t *)t;
}

Test(s2_fast, run_of_pages_in_one_table_keeps_identical_entries_and_refuses_others)
{
	cr_assert_eq(map_on(&pgt, 2 * MIB, GIB, 4096, 0), HV_OK); /* creates the tables */
	cr_assert_eq(map_on(&pgt, 2 * MIB + 8 * 4096, GIB + 8 * 4096, 4096, 0), HV_OK);
	sim_arch_reset();
	/* 16 pages, two of them already mapped the same way. */
	cr_assert_eq(map_on(&pgt, 2 * MIB, GIB, 16 * 4096, 0), HV_OK);
	cr_assert_eq(tlbi_ops(), 0, "nothing valid was replaced");
	cr_assert_eq(sim_op_count_kind(SIM_OP_DSB_ISHST), 1, "one barrier for the run");
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[3], 16);
	cr_assert_eq(count_bits(table_of(&pgt, 2 * MIB, 3)), 16);
	for (uint64_t i = 0; i < 16; i++)
		cr_assert_eq(s2_pa_of(&pgt, 2 * MIB + i * 4096), GIB + i * 4096);
	/* A run over a different mapping fails and changes nothing. */
	cr_assert_eq(map_on(&pgt, 2 * MIB + 15 * 4096, 3 * GIB, 4 * 4096, 0), HV_ERR_EXISTS);
	cr_assert_eq(s2_pa_of(&pgt, 2 * MIB + 16 * 4096), UINT64_MAX);
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[3], 16);
	/* The same page again: success, nothing written, no barrier. */
	sim_arch_reset();
	cr_assert_eq(map_on(&pgt, 2 * MIB + 4096, GIB + 4096, 4096, 0), HV_OK);
	cr_assert_eq(sim_op_count(), 0);
	destroy_all(&pgt, &pool);
}

Test(s2_fast, blocks_in_one_table_and_the_count_carry)
{
	cr_assert_eq(map_on(&pgt, 0, 0, 2 * MIB, 0), HV_OK); /* the level-2 table */
	/* 20 blocks one call each: the count of the level-2 table carries from
	 * entry 0's nibble into entry 1's. */
	for (uint64_t i = 1; i <= 20; i++)
		cr_assert_eq(map_on(&pgt, i * 2 * MIB, GIB + i * 2 * MIB, 2 * MIB, 0), HV_OK);
	uint64_t *l2 = table_of(&pgt, 0, 2);
	cr_assert_eq(count_bits(l2), 21);
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(20 * 2 * MIB + 0x1234), &l), HV_OK);
	cr_assert_eq(l.level, 2);
	cr_assert_eq(hv_pa_addr(l.pa), GIB + 20 * 2 * MIB + 0x1234);
	/* A run of 8 blocks in one call, then unmap them one by one. */
	cr_assert_eq(map_on(&pgt, 64 * MIB, 128 * MIB, 16 * MIB, 0), HV_OK);
	cr_assert_eq(count_bits(l2), 29);
	for (uint64_t i = 0; i < 8; i++)
		cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(64 * MIB + i * 2 * MIB), 2 * MIB), HV_OK);
	cr_assert_eq(count_bits(l2), 21);
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[2], 21);
	destroy_all(&pgt, &pool);
}

Test(s2_fast, page_unmap_keeps_the_table_until_its_last_page)
{
	cr_assert_eq(map_on(&pgt, GIB, 0, 3 * 4096, HV_S2_MAP_PAGES), HV_OK);
	cr_assert_eq(pool.live, 2 + 2);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 4096), 4096), HV_OK);
	/* invalid -> DSB ISHST -> TLBI (level 3) -> DSB ISH */
	cr_assert_eq(sim_op_at(0)->kind, SIM_OP_DSB_ISHST);
	cr_assert_eq(sim_op_at(1)->kind, SIM_OP_TLBI_IPA);
	cr_assert_eq(sim_op_at(1)->ipa, GIB + 4096);
	cr_assert_eq(sim_op_at(1)->level, 3);
	cr_assert_eq(sim_op_at(2)->kind, SIM_OP_DSB_ISH);
	/* Unmapping a hole invalidates nothing. */
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 4096), 4096), HV_OK);
	cr_assert_eq(tlbi_ops(), 0);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB), 4096), HV_OK);
	cr_assert_eq(pool.live, 4);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 8192), 4096), HV_OK);
	cr_assert_eq(pool.live, 2, "last page: both tables freed");
	destroy_all(&pgt, &pool);
}

Test(s2_fast, ranged_unmap_drops_full_tables_and_clears_sparse_ones)
{
	/* Table A: 512 pages; table B: 3 pages; table C: 100 pages, of which
	 * the unmap covers only part. */
	cr_assert_eq(map_on(&pgt, 0, GIB, 2 * MIB, HV_S2_MAP_PAGES), HV_OK);
	cr_assert_eq(map_on(&pgt, 2 * MIB + 40960, GIB, 3 * 4096, 0), HV_OK);
	cr_assert_eq(map_on(&pgt, 4 * MIB, GIB, 100 * 4096, 0), HV_OK);
	cr_assert_eq(pool.live, 2 + 1 + 3);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(0), 4 * MIB + 50 * 4096), HV_OK);
	cr_assert_eq(pool.live, 2 + 1 + 1, "tables A and B freed");
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[3], 50);
	cr_assert_eq(st.table_pages, 4);
	cr_assert_eq(tlbi_ops(), 1, "one invalidation for the whole range");
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE), 1);
	cr_assert_eq(sim_op_at(1)->ipa, 0);
	cr_assert_eq(sim_op_at(1)->size, 4 * MIB + 50 * 4096);
	cr_assert_eq(count_bits(table_of(&pgt, 4 * MIB, 3)), 50);
	cr_assert_eq(s2_pa_of(&pgt, 4 * MIB + 49 * 4096), UINT64_MAX);
	cr_assert_eq(s2_pa_of(&pgt, 4 * MIB + 50 * 4096), GIB + 50 * 4096);
	/* The freed pages come back zeroed. */
	cr_assert_eq(map_on(&pgt, 8 * MIB, GIB, 4096, 0), HV_OK);
	cr_assert_eq(count_bits(table_of(&pgt, 8 * MIB, 3)), 1);
	hv_s2_get_stats(&pgt, &st);
	cr_assert_eq(st.leaves[3], 51);
	/* Without range invalidation: one VMID invalidation. */
	cr_assert_eq(map_on(&pgt, 16 * MIB, GIB, 2 * MIB, HV_S2_MAP_PAGES), HV_OK);
	sim_arch_reset();
	sim_arch_set_tlbi_range(false);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(16 * MIB), 2 * MIB), HV_OK);
	cr_assert_eq(tlbi_ops(), 1);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_VMID), 1);
	destroy_all(&pgt, &pool);
}

Test(s2_fast, few_leaves_of_a_covered_table_get_one_tlbi_each)
{
	cr_assert_eq(map_on(&pgt, 2 * MIB, GIB, 4096, 0), HV_OK);
	cr_assert_eq(map_on(&pgt, 2 * MIB + 5 * 4096, GIB, 4096, 0), HV_OK);
	sim_arch_reset();
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(2 * MIB), 2 * MIB), HV_OK);
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_IPA), 2);
	cr_assert_eq(tlbi_ops(), 2);
	/* The table went too: walk caches as well, so no level hint. */
	cr_assert_eq(sim_op_at(1)->level, HV_TLBI_LEVEL_ANY);
	cr_assert_eq(pool.live, 2);
	destroy_all(&pgt, &pool);
}

/* The walk cursor must forget a table once it is freed: the page comes
 * back from the pool as another table. */
Test(s2_fast, cursor_forgets_freed_tables)
{
	cr_assert_eq(map_on(&pgt, 2 * MIB, GIB, 4096, 0), HV_OK);
	cr_assert_eq(map_on(&pgt, 2 * MIB + 4096, GIB + 4096, 4096, 0), HV_OK); /* fast path */
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(2 * MIB), 2 * MIB), HV_OK);
	cr_assert_eq(pool.live, 2, "level-2 and level-3 tables freed");
	cr_assert_eq(map_on(&pgt, GIB, 2 * GIB, 4096, 0), HV_OK); /* reuses both pages */
	cr_assert_eq(map_on(&pgt, 2 * MIB + 8192, 3 * GIB, 4096, 0), HV_OK);
	cr_assert_eq(hv_s2_unmap(&pgt, hv_ipa(GIB + 4096), 4096), HV_OK);
	struct snapshot *snap = malloc(sizeof(*snap));
	take_snapshot(&pgt, snap);
	cr_assert_eq(snap->nr, 2);
	cr_assert_eq(snap->leaf[0].ipa, 2 * MIB + 8192);
	cr_assert_eq(snap->leaf[1].ipa, GIB);
	cr_assert_eq(snap->stats.leaves[3], 2);
	cr_assert_eq(s2_pa_of(&pgt, GIB + 8192), UINT64_MAX);
	cr_assert_eq(s2_pa_of(&pgt, 2 * MIB + 8192), 3 * GIB);
	cr_assert_eq(s2_pa_of(&pgt, GIB), 2 * GIB);
	free(snap);
	destroy_all(&pgt, &pool);
}

/* The same operations on a linear pool and on one without the linear map
 * give the same mappings, statistics and table counts. */
Test(s2_fast, pool_without_linear_map_matches)
{
	struct test_pool pool2;
	struct hv_s2_pgt p2;
	cr_assert(test_pool_init(&pool2, 2048, POOL_PA_BASE));
	pool2.ops.linear = false;
	destroy_all(&pgt, &pool);
	for (unsigned bits = 32; bits <= 48; bits += 8) {
		struct hv_s2_pgt *both[2] = {&pgt, &p2};
		cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 7, bits, 48), HV_OK);
		cr_assert_eq(hv_s2_init(&p2, &pool2.ops, 7, bits, 48), HV_OK);
		cr_assert(!p2.linear);
		for (int k = 0; k < 2; k++) {
			struct hv_s2_pgt *p = both[k];
			cr_assert_eq(map_on(p, 0, GIB, 4096, 0), HV_OK);
			cr_assert_eq(map_on(p, 4096, GIB + 4096, 4096, 0), HV_OK);
			cr_assert_eq(map_on(p, 2 * MIB, GIB, 2 * MIB, 0), HV_OK);
			cr_assert_eq(map_on(p, 4 * MIB, GIB, 2 * MIB, 0), HV_OK);
			cr_assert_eq(map_on(p, 8 * MIB, 0, 4 * MIB, HV_S2_MAP_PAGES), HV_OK);
			cr_assert_eq(map_on(p, 16 * MIB, 0, 8 * 4096, 0), HV_OK);
			cr_assert_eq(map_on(p, 16 * MIB, 0, 8 * 4096, 0), HV_OK);
			cr_assert_eq(hv_s2_unmap(p, hv_ipa(4096), 4096), HV_OK);
			cr_assert_eq(hv_s2_unmap(p, hv_ipa(8 * MIB), 2 * MIB + 4096), HV_OK);
			cr_assert_eq(hv_s2_protect(p, hv_ipa(2 * MIB + 4096), 4096, HV_S2_PROT_R),
			             HV_OK);
		}
		struct snapshot *a = malloc(sizeof(*a)), *b = malloc(sizeof(*b));
		take_snapshot(&pgt, a);
		take_snapshot(&p2, b);
		cr_assert(snapshots_equal(a, b), "ipa %u", bits);
		for (uint64_t ipa = 0; ipa < 20 * MIB; ipa += 4096) {
			/* Both leaves start as one pattern: a lookup that fails
			 * must leave its leaf as it was, one that succeeds must
			 * fill it the same way on both tables. */
			struct hv_s2_leaf la, lb;
			memset(&la, 0xa5, sizeof(la));
			memset(&lb, 0xa5, sizeof(lb));
			hv_status_t ra = hv_s2_lookup(&pgt, hv_ipa(ipa), &la);
			cr_assert_eq(hv_s2_lookup(&p2, hv_ipa(ipa), &lb), ra);
			if (ra != HV_OK)
				cr_assert(memcmp(&la, &lb, sizeof(la)) == 0 &&
				              la.desc == 0xa5a5a5a5a5a5a5a5ull,
				          "a failed lookup wrote its leaf (ipa %#llx)",
				          (unsigned long long)ipa);
			else
				cr_assert(hv_pa_addr(la.pa) == hv_pa_addr(lb.pa) &&
				          la.prot == lb.prot && la.type == lb.type &&
				          la.level == lb.level && la.size == lb.size &&
				          la.desc == lb.desc);
		}
		free(a);
		free(b);
		destroy_all(&pgt, &pool);
		destroy_all(&p2, &pool2);
	}
	test_pool_destroy(&pool2);
}
