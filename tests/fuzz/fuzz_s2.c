/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Differential fuzzer for the stage-2 builder: fuzz bytes are a sequence of
 * map / unmap / protect / lookup / destroy operations with injected
 * allocation failures, run on core/s2 and on a flat reference model (one
 * entry per 4 KiB IPA page: PA, permissions, memory type). After every
 * operation:
 *   - every page the operation touched agrees between builder and model
 *     (an error return must have changed nothing);
 *   - every descriptor is well formed (valid bits, AF, aligned output
 *     address, no reserved bits, no block at level 0);
 *   - no table page is referenced twice, every live pool page is a table
 *     reached from the root, and the statistics match a full walk;
 *   - every table's count of valid entries (kept in descriptor bits) is
 *     right, and no empty table stays linked.
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

#include "test_pool.h"

#define GIB          (1ull << 30)
#define MIB          (1ull << 20)
#define WINDOW_BASE  (GIB / 2) /* 2 GiB window holding the aligned 1 GiB at 1 GiB */
#define WINDOW_PAGES ((2 * GIB) / 4096)
#define POOL_PAGES   4096

struct model_page {
	uint64_t pa; /* 0: unmapped (PA 0 is never used) */
	uint8_t prot;
	uint8_t type;
};

static struct model_page model[WINDOW_PAGES];
static struct test_pool pool;
static struct hv_s2_pgt pgt;
static bool ready;
static uint64_t dirty_lo = 0, dirty_hi = WINDOW_PAGES; /* model pages possibly non-zero */

/* Harness bookkeeping (model, checks, audits): not the code under test, so
 * no coverage feedback; instrumenting its page loops cost 3/4 of the time. */
#if defined(__clang__) && __clang_major__ >= 13
#define HARNESS __attribute__((no_sanitize("coverage")))
#else
#define HARNESS
#endif

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
	if (dirty_hi > dirty_lo)
		memset(&model[dirty_lo], 0, (dirty_hi - dirty_lo) * sizeof(model[0]));
	dirty_lo = WINDOW_PAGES;
	dirty_hi = 0;
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

HARNESS static void check_page(uint64_t p)
{
	struct hv_s2_leaf l;
	hv_status_t ret = hv_s2_lookup(&pgt, hv_ipa(WINDOW_BASE + p * 4096), &l);
	if (!model[p].pa) {
		CHECK(ret == HV_ERR_NOT_FOUND);
		return;
	}
	CHECK(ret == HV_OK);
	CHECK(hv_pa_addr(l.pa) == model[p].pa);
	CHECK(l.prot == model[p].prot);
	CHECK((uint8_t)l.type == model[p].type);
}

/* Every page of a small range; for a large one its edges, both sides of
 * every 2 MiB boundary in it, and a spread of pages between. */
HARNESS static void check_range(uint64_t first, uint64_t n)
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
	for (uint64_t b = (first + 511) & ~511ull; b < first + n; b += 512) {
		check_page(b);
		if (b > 0)
			check_page(b - 1);
	}
	for (uint64_t p = first + 17; p < first + n; p += 61)
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

/* The same audit by a direct descent of the tables (the harness reads the
 * descriptor format itself), cheap enough for every operation. */
HARNESS static void scan_table(const uint64_t *t, unsigned level, uint64_t ipa, unsigned n)
{
	const uint64_t span = 1ull << (12 + 9 * (3 - level));
	for (unsigned i = 0; i < n; i++) {
		uint64_t d = t[i] & ~(15ull << 55); /* without core/s2's count bits */
		if (!(d & 1))
			continue;
		if (level < 3 && (d & 3) == 3) {
			audit_table(&audit, hv_ipa(ipa + i * span), level, d);
			const uint64_t *child =
			    pool.ops.phys_to_virt(pool.ops.pool, hv_pa(d & 0x0000fffffffff000ull));
			scan_table(child, level + 1, ipa + i * span, 512);
		} else {
			audit_leaf(&audit, hv_ipa(ipa + i * span), level, d);
		}
	}
}

/* walk: through hv_s2_walk (the visitor API) instead of the direct scan. */
HARNESS static void audit_tables(bool walk)
{
	memset(&audit, 0, sizeof(audit));
	if (walk) {
		struct hv_s2_visitor v = {audit_leaf, audit_table, NULL, &audit};
		CHECK(hv_s2_walk(&pgt, hv_ipa(0), 1ull << 40, &v) == HV_OK);
	} else {
		scan_table(pgt.root, pgt.start_level, 0, pgt.nr_root_tables * 512u);
	}
	CHECK(count_bits(pgt.root) == valid_entries(pgt.root, pgt.nr_root_tables * 512u));
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	for (unsigned l = 0; l < HV_S2_LEVELS; l++)
		CHECK(audit.leaves[l] == st.leaves[l]);
	CHECK(st.table_pages == audit.tables + pgt.nr_root_tables);
	CHECK(pool.live == st.table_pages); /* no leaked page */
	CHECK(test_pool_check(&pool));
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
	for (size_t off = 0; off + 8 <= size && off < 8 * 32; off += 8) {
		const uint8_t *r = data + off;
		uint64_t n = pick_pages(r[1]);
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
		if (first < dirty_lo)
			dirty_lo = first;
		if (first + n > dirty_hi)
			dirty_hi = first + n;

		switch (r[0] % 6) {
		case 0:
		case 1: { /* map */
			uint64_t pa = ipa + pa_delta[r[5] & 7];
			uint32_t flags = (r[5] >> 3) & 3;
			bool conflict = false;
			for (uint64_t p = first; p < first + n; p++) {
				uint64_t want = pa + (p - first) * 4096;
				if (model[p].pa && (model[p].pa != want || model[p].prot != prot ||
				                    model[p].type != (uint8_t)type))
					conflict = true;
			}
			ret = hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), n * 4096, prot, type, flags);
			if (ret == HV_OK) {
				CHECK(!conflict || (flags & HV_S2_MAP_REPLACE));
				for (uint64_t p = first; p < first + n; p++)
					model[p] = (struct model_page){
					    pa + (p - first) * 4096, (uint8_t)prot, (uint8_t)type};
			} else {
				CHECK(ret == HV_ERR_NO_MEMORY || ret == HV_ERR_EXISTS);
				if (ret == HV_ERR_EXISTS) {
					bool any = false;
					for (uint64_t p = first; p < first + n && !any; p++)
						any = model[p].pa != 0;
					CHECK(any && !(flags & HV_S2_MAP_REPLACE));
				}
			}
			break;
		}
		case 2: /* unmap */
			ret = hv_s2_unmap(&pgt, hv_ipa(ipa), n * 4096);
			CHECK(ret == HV_OK || ret == HV_ERR_NO_MEMORY);
			if (ret == HV_OK)
				memset(&model[first], 0, n * sizeof(model[0]));
			break;
		case 3: { /* protect */
			bool device_x = false;
			prot = r[6] & 7;
			for (uint64_t p = first; p < first + n; p++)
				if (model[p].pa && model[p].type >= HV_S2_MEM_DEVICE_nGnRE &&
				    (prot & HV_S2_PROT_X))
					device_x = true;
			ret = hv_s2_protect(&pgt, hv_ipa(ipa), n * 4096, prot);
			if (device_x) {
				CHECK(ret == HV_ERR_INVALID || ret == HV_ERR_NO_MEMORY);
			} else {
				CHECK(ret == HV_OK || ret == HV_ERR_NO_MEMORY);
				if (ret == HV_OK)
					for (uint64_t p = first; p < first + n; p++)
						if (model[p].pa)
							model[p].prot = (uint8_t)prot;
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
		check_range(first, n);
		audit_tables(false);
	}
	audit_tables(true); /* the visitor API sees the same tables */
	teardown();
	return 0;
}
