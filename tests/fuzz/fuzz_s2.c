/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential fuzzer for the stage-2 builder: fuzz bytes are a sequence of
 * map / unmap / protect / lookup / destroy operations with injected
 * allocation failures, run on core/s2 and on a flat reference model (one
 * entry per 4 KiB IPA page: PA, permissions, memory type). After every
 * operation:
 *   - every page the operation touched agrees between builder and model
 *     (an error return must have changed nothing);
 *   - every descriptor over the operation's range is well formed (valid
 *     bits, AF, aligned output address, no reserved bits, no block at
 *     level 0), every table there has the right count of valid entries
 *     (kept in descriptor bits) and none is empty, and the pool holds
 *     exactly the table pages the statistics count;
 * and after the last operation, over the whole tree (by hv_s2_walk): the
 * same, plus no table page referenced twice, every live pool page a table
 * reached from the root, the statistics equal to a full walk; after the
 * teardown, the page allocator's invariants.
 *
 * Input: a stream of 8-byte records (3 or more bytes after the last whole
 * record: a pool without a linear map)
 *   [0] op  [1] size selector  [2..4] page index  [5] PA selector
 *   [6] prot/type  [7] flags / failure point
 */
#include <hv/s2.h>
#include <hvsim/arch_sim.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_harness.h"
#include "test_pool.h"

#define GIB          (1ull << 30)
#define MIB          (1ull << 20)
#define WINDOW_BASE  (GIB / 2) /* 2 GiB window holding the aligned 1 GiB at 1 GiB */
#define WINDOW_PAGES ((2 * GIB) / 4096)
#define POOL_PAGES   4096

/* A run of mapped pages [first, first + n): page p at pa + (p - first) * 4 KiB. */
struct run {
	uint64_t first, n, pa;
	uint8_t prot, type;
};

/* The model: sorted, disjoint runs; at most 3 more per operation. */
#define MAX_RUNS 512
static struct run runs[MAX_RUNS];
static unsigned nr_runs;
static struct test_pool pool;
static struct hv_s2_pgt pgt;
static bool ready;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond))                                                                       \
			__builtin_trap();                                                          \
	} while (0)

/* linear: the pool declares its linear map (the builder's fast walks), or
 * not (every table through phys_to_virt). */
HARNESS static void setup(bool linear)
{
	if (!ready) {
		CHECK(test_pool_init(&pool, POOL_PAGES, 0x80000000ull));
		ready = true;
	}
	pool.ops.linear = linear;
	sim_arch_reset();
	sim_arch_set_recording(false);
	CHECK(hv_s2_init(&pgt, &pool.ops, 3, 40, 40) == HV_OK);
	nr_runs = 0;
}

HARNESS static void teardown(void)
{
	hv_status_t ret;
	test_pool_fail_after(&pool, -1, false);
	do {
		uint64_t budget = 97;
		ret = hv_s2_destroy(&pgt, &budget);
	} while (ret == HV_BUSY);
	CHECK(ret == HV_OK);
	CHECK(pool.live == 0 && pool.double_frees == 0 && pool.bad_frees == 0);
	CHECK(test_pool_check(&pool)); /* every run merged back, lists whole */
}

/* The run holding page p, or NULL. */
HARNESS static const struct run *model_find(uint64_t p)
{
	unsigned lo = 0, hi = nr_runs;
	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		if (p < runs[mid].first)
			hi = mid;
		else if (p >= runs[mid].first + runs[mid].n)
			lo = mid + 1;
		else
			return &runs[mid];
	}
	return NULL;
}

/* Split the run containing page p (if any) so that a run starts at p. */
HARNESS static void model_split(uint64_t p)
{
	for (unsigned i = 0; i < nr_runs; i++) {
		struct run *r = &runs[i];
		if (p <= r->first || p >= r->first + r->n)
			continue;
		CHECK(nr_runs < MAX_RUNS);
		memmove(&runs[i + 2], &runs[i + 1], (nr_runs - i - 1) * sizeof(runs[0]));
		runs[i + 1] = *r;
		runs[i + 1].first = p;
		runs[i + 1].n = r->first + r->n - p;
		runs[i + 1].pa = r->pa + (p - r->first) * 4096;
		r->n = p - r->first;
		nr_runs++;
		return;
	}
}

/* Runs [*lo, *hi) lie inside [first, first + n), after splitting at both ends. */
HARNESS static void model_cut(uint64_t first, uint64_t n, unsigned *lo, unsigned *hi)
{
	model_split(first);
	model_split(first + n);
	unsigned i = 0;
	while (i < nr_runs && runs[i].first < first)
		i++;
	*lo = i;
	while (i < nr_runs && runs[i].first < first + n)
		i++;
	*hi = i;
}

HARNESS static void model_unmap(uint64_t first, uint64_t n)
{
	unsigned lo, hi;
	model_cut(first, n, &lo, &hi);
	memmove(&runs[lo], &runs[hi], (nr_runs - hi) * sizeof(runs[0]));
	nr_runs -= hi - lo;
}

HARNESS static void model_map(uint64_t first, uint64_t n, uint64_t pa, uint8_t prot, uint8_t type)
{
	model_unmap(first, n);
	unsigned i = 0;
	while (i < nr_runs && runs[i].first < first)
		i++;
	CHECK(nr_runs < MAX_RUNS);
	memmove(&runs[i + 1], &runs[i], (nr_runs - i) * sizeof(runs[0]));
	runs[i] = (struct run){first, n, pa, prot, type};
	nr_runs++;
}

/* Some page of [first, first + n) is mapped; *conflict: one is mapped
 * otherwise than page p -> pa + (p - first) * 4 KiB, prot, type. */
HARNESS static bool model_overlap(uint64_t first, uint64_t n, uint64_t pa, uint8_t prot,
                                  uint8_t type, bool *conflict)
{
	bool any = false;
	*conflict = false;
	for (unsigned i = 0; i < nr_runs; i++) {
		const struct run *r = &runs[i];
		if (r->first >= first + n || r->first + r->n <= first)
			continue;
		any = true;
		if (r->pa - r->first * 4096 != pa - first * 4096 || r->prot != prot ||
		    r->type != type)
			*conflict = true;
	}
	return any;
}

HARNESS static void check_page(uint64_t p)
{
	struct hv_s2_leaf l;
	hv_status_t ret = hv_s2_lookup(&pgt, hv_ipa(WINDOW_BASE + p * 4096), &l);
	const struct run *r = model_find(p);
	if (!r) {
		CHECK(ret == HV_ERR_NOT_FOUND);
		return;
	}
	CHECK(ret == HV_OK);
	CHECK(hv_pa_addr(l.pa) == r->pa + (p - r->first) * 4096);
	CHECK(l.prot == r->prot);
	CHECK((uint8_t)l.type == r->type);
}

/* Every page of a small range; for a large one its edges, both sides of
 * 2 MiB boundaries in it (every one up to 8 MiB, else 32 spread over it;
 * `salt` moves them between inputs) and a spread of pages between. */
HARNESS static void check_range(uint64_t first, uint64_t n, uint64_t salt)
{
	if (n <= 64) {
		for (uint64_t p = first; p < first + n; p++)
			check_page(p);
		return;
	}
	for (uint64_t i = 0; i < 16; i++) {
		check_page(first + i);
		check_page(first + n - 1 - i);
	}
	if (first > 0)
		check_page(first - 1);
	if (first + n < WINDOW_PAGES)
		check_page(first + n);
	uint64_t b0 = (first + 511) & ~511ull;
	uint64_t nb = b0 < first + n ? (first + n - 1 - b0) / 512 + 1 : 0;
	uint64_t step = nb <= 4 ? 1 : nb / 32 + 1;
	for (uint64_t k = nb <= 4 ? 0 : salt % step; k < nb; k += step) {
		check_page(b0 + k * 512);
		check_page(b0 + k * 512 - 1);
	}
	uint64_t stride = n <= 4096 ? 61 : n / 64 + 1;
	for (uint64_t p = first + 17 + salt % stride; p < first + n; p += stride)
		check_page(p);
}

/* Structural checks over the whole table. */
struct audit {
	uint64_t leaves[HV_S2_LEVELS];
	uint64_t tables;
	uint64_t table_pa[POOL_PAGES];
};
static struct audit audit;

HARNESS static hv_status_t audit_leaf(void *arg, hv_ipa_t ipa, unsigned level, uint64_t d)
{
	struct audit *a = arg;
	uint64_t size = 1ull << (12 + 9 * (3 - level));
	CHECK(level >= 1 && level <= 3);
	CHECK(d & (1u << 10));                                  /* AF */
	CHECK((d & 3) == (level == 3 ? 3u : 1u));               /* page / block */
	CHECK(((d & 0x0000fffffffff000ull) & (size - 1)) == 0); /* aligned OA */
	CHECK((d & 0xf800000000000800ull) == 0);                /* RES0, no stray bits */
	CHECK(hv_is_aligned(hv_ipa_addr(ipa), size));
	a->leaves[level]++;
	return HV_OK;
}

/* core/s2 keeps each table page's count of valid entries in bits [58:55]
 * of its entries 0..2 (ignored by the walker in table and invalid
 * descriptors, reserved for software in leaves). */
HARNESS static unsigned count_bits(const uint64_t *t)
{
	unsigned c = 0;
	for (unsigned i = 0; i < 3; i++)
		c |= (unsigned)((t[i] >> 55) & 15) << (4 * i);
	return c;
}

HARNESS static unsigned valid_entries(const uint64_t *t, unsigned n)
{
	unsigned v = 0;
	for (unsigned i = 0; i < n; i++)
		v += (unsigned)(t[i] & 1);
	return v;
}

HARNESS static hv_status_t audit_table(void *arg, hv_ipa_t ipa, unsigned level, uint64_t d)
{
	struct audit *a = arg;
	(void)ipa;
	CHECK(level <= 2 && (d & 3) == 3);
	CHECK((d & ~0x0000fffffffff003ull) == 0);
	CHECK(a->tables < POOL_PAGES);
	a->table_pa[a->tables++] = d & 0x0000fffffffff000ull;
	const uint64_t *child =
	    pool.ops.phys_to_virt(pool.ops.pool, hv_pa(d & 0x0000fffffffff000ull));
	unsigned live = valid_entries(child, 512);
	CHECK(live > 0); /* an empty table is freed, never left linked */
	CHECK(count_bits(child) == live);
	return HV_OK;
}

HARNESS static int cmp_u64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
	return a < b ? -1 : a > b;
}

/* The per-operation audit: the tables and leaves over [lo, hi) only (the
 * operation's range and a page either side), each table's count bits, and
 * the statistics' table count against the pool. The whole tree is audited
 * once per input (audit_tables): what an operation did not touch cannot
 * have changed. */
HARNESS static void scan_range(const uint64_t *t, unsigned level, uint64_t ipa, unsigned n,
                               uint64_t lo, uint64_t hi)
{
	const uint64_t span = 1ull << (12 + 9 * (3 - level));
	unsigned i = lo > ipa ? (unsigned)((lo - ipa) / span) : 0;
	for (; i < n && ipa + i * span < hi; i++) {
		uint64_t d = t[i] & ~(15ull << 55);
		if (!(d & 1))
			continue;
		if (level < 3 && (d & 3) == 3) {
			audit_table(&audit, hv_ipa(ipa + i * span), level, d);
			const uint64_t *child =
			    pool.ops.phys_to_virt(pool.ops.pool, hv_pa(d & 0x0000fffffffff000ull));
			scan_range(child, level + 1, ipa + i * span, 512, lo, hi);
		} else {
			audit_leaf(&audit, hv_ipa(ipa + i * span), level, d);
		}
	}
}

HARNESS static void audit_op(uint64_t first, uint64_t n)
{
	audit.tables = 0;
	uint64_t lo = WINDOW_BASE + (first ? first - 1 : 0) * 4096;
	uint64_t hi = WINDOW_BASE + (first + n + 1) * 4096;
	scan_range(pgt.root, pgt.start_level, 0, pgt.nr_root_tables * 512u, lo, hi);
	CHECK(count_bits(pgt.root) == valid_entries(pgt.root, pgt.nr_root_tables * 512u));
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	CHECK(pool.live == st.table_pages); /* no leaked page */
}

/* The whole tree, through hv_s2_walk (the visitor API). */
HARNESS static void audit_tables(void)
{
	memset(&audit, 0, sizeof(audit));
	struct hv_s2_visitor v = {audit_leaf, audit_table, NULL, &audit};
	CHECK(hv_s2_walk(&pgt, hv_ipa(0), 1ull << 40, &v) == HV_OK);
	CHECK(count_bits(pgt.root) == valid_entries(pgt.root, pgt.nr_root_tables * 512u));
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	for (unsigned l = 0; l < HV_S2_LEVELS; l++)
		CHECK(audit.leaves[l] == st.leaves[l]);
	CHECK(st.table_pages == audit.tables + pgt.nr_root_tables);
	CHECK(pool.live == st.table_pages); /* no leaked page */
	/* The allocator's own invariants (a scan of the whole pool) are
	 * checked after the teardown, once per input. */
	qsort(audit.table_pa, audit.tables, sizeof(uint64_t), cmp_u64);
	for (uint64_t i = 1; i < audit.tables; i++)
		CHECK(audit.table_pa[i] != audit.table_pa[i - 1]); /* referenced once */
}

HARNESS static uint64_t pick_pages(uint8_t s)
{
	if (s < 112)
		return 1 + s % 16;
	if (s < 176)
		return 512;
	if (s < 224)
		return 512 + (s % 8) - 4;
	if (s < 255)
		return 1024 + (s % 3) * 512;
	return 262144;
}

HARNESS static uint64_t pick_first(uint32_t idx, uint8_t align, uint64_t n)
{
	uint64_t p = idx % (WINDOW_PAGES - n + 1);
	if (align & 0x40) {
		uint64_t base = (WINDOW_BASE / 4096 + p) & ~511ull;
		p = base >= WINDOW_BASE / 4096 ? base - WINDOW_BASE / 4096 : 0;
	}
	if ((align & 0xc0) == 0xc0 && n >= 262144)
		p = GIB / 2 / 4096; /* the aligned gigabyte */
	if (p + n > WINDOW_PAGES)
		p = WINDOW_PAGES - n;
	return p;
}

static const uint64_t pa_delta[8] = {GIB,     2 * GIB,       GIB + 2 * MIB,  GIB + 4096,
                                     3 * GIB, GIB + 8 * MIB, GIB - 4096 * 3, 2 * GIB + 2 * MIB};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
HARNESS int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* The bytes after the last whole record choose the pool kind: the
	 * records decode the same either way. */
	const bool linear = (size & 7) < 4;
	setup(linear);
	/* One gigabyte-sized operation per input: each costs the builder a
	 * quarter million descriptors; more would only repeat that work. */
	bool gigabyte_done = false;
	for (size_t off = 0; off + 8 <= size && off < 8 * 32; off += 8) {
		const uint8_t *r = data + off;
		uint64_t n = pick_pages(r[1]);
		if (n >= 262144) {
			if (gigabyte_done)
				n = 1536;
			gigabyte_done = true;
		}
		uint64_t first = pick_first(
		    (uint32_t)r[2] | (uint32_t)r[3] << 8 | (uint32_t)r[4] << 16, r[7], n);
		uint64_t ipa = WINDOW_BASE + first * 4096;
		uint32_t prot = r[6] & 7;
		enum hv_s2_memtype type = (enum hv_s2_memtype)((r[6] >> 3) & 3);
		if (type >= HV_S2_MEM_DEVICE_nGnRE)
			prot &= ~(uint32_t)HV_S2_PROT_X;
		if (r[7] & 0x20)
			test_pool_fail_after(&pool, r[7] & 7, (r[7] & 0x10) != 0);
		hv_status_t ret;

		switch (r[0] % 6) {
		case 0:
		case 1: { /* map */
			uint64_t pa = ipa + pa_delta[r[5] & 7];
			uint32_t flags = (r[5] >> 3) & 3;
			bool conflict;
			bool any =
			    model_overlap(first, n, pa, (uint8_t)prot, (uint8_t)type, &conflict);
			ret = hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), n * 4096, prot, type, flags);
			if (ret == HV_OK) {
				CHECK(!conflict || (flags & HV_S2_MAP_REPLACE));
				model_map(first, n, pa, (uint8_t)prot, (uint8_t)type);
			} else {
				CHECK(ret == HV_ERR_NO_MEMORY || ret == HV_ERR_EXISTS);
				if (ret == HV_ERR_EXISTS)
					CHECK(any && !(flags & HV_S2_MAP_REPLACE));
			}
			break;
		}
		case 2: /* unmap */
			ret = hv_s2_unmap(&pgt, hv_ipa(ipa), n * 4096);
			CHECK(ret == HV_OK || ret == HV_ERR_NO_MEMORY);
			if (ret == HV_OK)
				model_unmap(first, n);
			break;
		case 3: { /* protect */
			bool device_x = false;
			prot = r[6] & 7;
			unsigned lo, hi;
			model_cut(first, n, &lo, &hi);
			for (unsigned i = lo; i < hi; i++)
				if (runs[i].type >= HV_S2_MEM_DEVICE_nGnRE && (prot & HV_S2_PROT_X))
					device_x = true;
			ret = hv_s2_protect(&pgt, hv_ipa(ipa), n * 4096, prot);
			if (device_x) {
				CHECK(ret == HV_ERR_INVALID || ret == HV_ERR_NO_MEMORY);
			} else {
				CHECK(ret == HV_OK || ret == HV_ERR_NO_MEMORY);
				if (ret == HV_OK)
					for (unsigned i = lo; i < hi; i++)
						runs[i].prot = (uint8_t)prot;
			}
			break;
		}
		case 4: /* hostile arguments: must change nothing */
			CHECK(hv_s2_map(&pgt, hv_ipa(ipa + 1 + (r[5] & 0xff)), hv_pa(ipa), 4096, 1,
			                0, 0) == HV_ERR_INVALID);
			CHECK(hv_s2_unmap(&pgt, hv_ipa(ipa), 0) == HV_ERR_INVALID);
			CHECK(hv_s2_map(&pgt, hv_ipa((1ull << 40) - 4096), hv_pa(0x1000), 8192, 1,
			                0, 0) == HV_ERR_RANGE);
			CHECK(hv_s2_protect(&pgt, hv_ipa(ipa), 4096, 8u << (r[6] & 3)) ==
			      HV_ERR_INVALID);
			break;
		default: /* destroy everything and start again */
			if (r[5] & 1) {
				teardown();
				setup(linear);
			}
			break;
		}
		test_pool_fail_after(&pool, -1, false);
		check_range(first, n, (uint64_t)r[2] * 7 + off);
		audit_op(first, n);
	}
	audit_tables();
	teardown();
	return 0;
}
