/* SPDX-License-Identifier: Apache-2.0 */
/*
 * s2_bench: the stage-2 builder on 1 GiB of IPA, 4 KiB granule. TLB
 * operations are the sim runtime's counting no-ops (recording off), table
 * pages come from a pre-faulted pool, times are thread CPU time, each
 * figure the median of 5 runs. Keys for a 40-bit IPA, and with suffix _48
 * for a 48-bit IPA. Floors, measured in the same runs:
 *   floor_fill_ns          a plain loop writing the same number of computed
 *                          descriptors into pool pages (per descriptor);
 *   floor_lookup_random_ns the same random IPAs on a table built the same
 *                          way, first pass after building like
 *                          lookup_random_ns, by plain loads down the levels
 *                          (_48 too).
 * lookup_random_ns and lookup_seq_ns read the output address of each
 * lookup; lookup_random_full_ns reads every field (pa, prot, type, level,
 * size, desc), for callers that use them all. lookup_random_ns is the first
 * pass after building the table; lookup_random_warm_ns the same IPAs again
 * right after it (tables warm in the caches).
 * map4k_call_ns and unmap4k_call_ns go through the pages in ascending IPA
 * order, where the walk cursor skips most descents; the *_shuffled_ns keys
 * take the same pages in one random order (a guest's faults, a balloon).
 * unmap_range_ns is one 1 GiB call divided by its 262,144 pages: most of
 * the work is per last-level table (dropped whole), not per page.
 * <key>_vs_floor: a time per call, page or block over floor_fill_ns
 * (lookup_random_ns and lookup_random_full_ns over floor_lookup_random_ns). clock_read_ns: one read of
 * the clock (CLOCK_THREAD_CPUTIME_ID is a system call here, ~1 us); one
 * read measured at start-up is taken out of every timed total, floors
 * included (it would otherwise add ~2 ns to each map2m_* figure, spread over
 * only 512 blocks).
 */
#include <hv/s2.h>
#include <hvsim/arch_sim.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "test_pool.h"

#define RUNS     5
#define NRUNS    ((int)bench_rounds(RUNS))
#define GIB      (1ull << 30)
#define MIB      (1ull << 20)
#define PAGES    (GIB / 4096)
#define BLOCKS   (GIB / (2 * MIB))
#define IPA_BASE (4 * GIB) /* not at 0: a real guest's RAM sits higher */
#define PA_BASE  (2 * MIB) /* 2 MiB aligned, not 1 GiB: 2 MiB blocks */

struct figures {
	double map4k_call, map4k_range, lookup_random, lookup_seq, unmap4k_call, unmap_range;
	double map2m_call, map2m_range, table_pages, tlbi_calls;
	double floor_lookup, lookup_random_full; /* not in emit()'s keys */
	double map4k_call_shuffled, unmap4k_call_shuffled, lookup_random_warm;
};

static struct test_pool pool;
static uint64_t *random_ipas;
static uint32_t *shuffled; /* a permutation of the page indices */

static void fresh(struct hv_s2_pgt *pgt, unsigned ipa_bits)
{
	if (hv_s2_init(pgt, &pool.ops, 1, ipa_bits, 48) != HV_OK) {
		fprintf(stderr, "s2_bench: init failed\n");
		exit(1);
	}
}

static void teardown(struct hv_s2_pgt *pgt)
{
	hv_status_t ret;
	do {
		uint64_t budget = 1u << 20;
		ret = hv_s2_destroy(pgt, &budget);
	} while (ret == HV_BUSY);
	if (ret != HV_OK || pool.live != 0) {
		fprintf(stderr, "s2_bench: teardown failed (%zu pages live)\n", pool.live);
		exit(1);
	}
}

static void must(hv_status_t ret, const char *what)
{
	if (ret != HV_OK) {
		fprintf(stderr, "s2_bench: %s: %s\n", what, hv_status_name(ret));
		exit(1);
	}
}

static void map_pages_per_call(struct hv_s2_pgt *pgt)
{
	for (uint64_t i = 0; i < PAGES; i++)
		must(hv_s2_map(pgt, hv_ipa(IPA_BASE + i * 4096), hv_pa(PA_BASE + i * 4096), 4096,
		               HV_S2_PROT_RW, HV_S2_MEM_NORMAL_WB, 0),
		     "map4k");
}

/* One read of the clock (the median of many back-to-back pairs). */
static double clock_read(void)
{
	double v[101];
	for (size_t i = 0; i < 101; i++) {
		uint64_t a = bench_now_ns();
		v[i] = (double)(bench_now_ns() - a);
	}
	return bench_median(v, 101);
}

/* The instrument's own cost, taken out of every figure: one clock read
 * (measured at start-up, the median of 101 pairs). */
static double clock_overhead_ns;

/* Thread CPU time since t0, less one clock read; never negative. */
static double elapsed_ns(uint64_t t0)
{
	double ns = (double)(bench_now_ns() - t0) - clock_overhead_ns;
	return ns > 0 ? ns : 0;
}

/* The least a lookup can cost: the descriptor format known, one load per
 * level from the root (no checks, no decode but the output address). */
static uint64_t floor_descend(const struct hv_s2_pgt *pgt, uint64_t ipa)
{
	unsigned shift = 39 - 9 * pgt->start_level;
	uint64_t d = pgt->root[ipa >> shift];
	while (shift > 12) {
		shift -= 9;
		const uint64_t *t =
		    (const uint64_t *)(uintptr_t)((d & 0x0000fffffffff000ull) + pgt->linear_offset);
		d = t[(ipa >> shift) & 511];
	}
	return (d & 0x0000fffffffff000ull) | (ipa & 4095);
}

/* One lookup of every page, random or ascending order, reading each output
 * address (as a fault or MMIO path does); failures counted in *failed. */
static inline uint64_t lookup_pa_pass(const struct hv_s2_pgt *pgt, bool ascending, uint64_t *failed)
{
	uint64_t sum = 0;
	for (uint64_t i = 0; i < PAGES; i++) {
		struct hv_s2_leaf leaf;
		uint64_t ipa = ascending ? IPA_BASE + i * 4096 : random_ipas[i];
		if (hv_s2_lookup(pgt, hv_ipa(ipa), &leaf) != HV_OK) {
			++*failed;
			continue;
		}
		sum += hv_pa_addr(leaf.pa);
	}
	return sum;
}

static void one_run(unsigned ipa_bits, struct figures *f)
{
	struct hv_s2_pgt pgt;
	uint64_t t0, sum = 0, failed = 0;

	/* map4k per call, lookups, unmap4k per call. */
	fresh(&pgt, ipa_bits);
	t0 = bench_now_ns();
	map_pages_per_call(&pgt);
	f->map4k_call = elapsed_ns(t0) / PAGES;
	struct hv_s2_stats st;
	hv_s2_get_stats(&pgt, &st);
	f->table_pages = (double)st.table_pages;

	/* Random lookups whose caller reads the output address (the inline
	 * lookup decodes nothing else), the same whose caller reads every
	 * field, then sequential ones. */
	t0 = bench_now_ns();
	sum += lookup_pa_pass(&pgt, false, &failed);
	f->lookup_random = elapsed_ns(t0) / PAGES;
	t0 = bench_now_ns();
	sum += lookup_pa_pass(&pgt, false, &failed);
	f->lookup_random_warm = elapsed_ns(t0) / PAGES;
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < PAGES; i++) {
		struct hv_s2_leaf leaf;
		if (hv_s2_lookup(&pgt, hv_ipa(random_ipas[i]), &leaf) != HV_OK) {
			failed++;
			continue;
		}
		sum += hv_pa_addr(leaf.pa) ^ leaf.prot ^ ((uint64_t)leaf.type << 8) ^
		       ((uint64_t)leaf.level << 16) ^ leaf.size ^ leaf.desc;
	}
	f->lookup_random_full = elapsed_ns(t0) / PAGES;
	t0 = bench_now_ns();
	sum += lookup_pa_pass(&pgt, true, &failed);
	f->lookup_seq = elapsed_ns(t0) / PAGES;
	must(failed ? HV_ERR_NOT_FOUND : HV_OK, "lookup");

	t0 = bench_now_ns();
	for (uint64_t i = 0; i < PAGES; i++)
		must(hv_s2_unmap(&pgt, hv_ipa(IPA_BASE + i * 4096), 4096), "unmap4k");
	f->unmap4k_call = elapsed_ns(t0) / PAGES;
	teardown(&pgt);

	/* The same per call, the pages in shuffled order. */
	fresh(&pgt, ipa_bits);
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < PAGES; i++)
		must(hv_s2_map(&pgt, hv_ipa(IPA_BASE + shuffled[i] * 4096ull),
		               hv_pa(PA_BASE + shuffled[i] * 4096ull), 4096, HV_S2_PROT_RW,
		               HV_S2_MEM_NORMAL_WB, 0),
		     "map4k shuffled");
	f->map4k_call_shuffled = elapsed_ns(t0) / PAGES;
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < PAGES; i++)
		must(hv_s2_unmap(&pgt, hv_ipa(IPA_BASE + shuffled[i] * 4096ull), 4096),
		     "unmap4k shuffled");
	f->unmap4k_call_shuffled = elapsed_ns(t0) / PAGES;
	teardown(&pgt);

	/* Ranged map and unmap of 1 GiB of pages. */
	fresh(&pgt, ipa_bits);
	t0 = bench_now_ns();
	must(hv_s2_map(&pgt, hv_ipa(IPA_BASE), hv_pa(PA_BASE), GIB, HV_S2_PROT_RW,
	               HV_S2_MEM_NORMAL_WB, HV_S2_MAP_PAGES),
	     "map range");
	f->map4k_range = elapsed_ns(t0) / PAGES;
	size_t tlbi_before = sim_op_count_kind(SIM_OP_TLBI_IPA) +
	                     sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE) +
	                     sim_op_count_kind(SIM_OP_TLBI_VMID);
	t0 = bench_now_ns();
	must(hv_s2_unmap(&pgt, hv_ipa(IPA_BASE), GIB), "unmap range");
	f->unmap_range = elapsed_ns(t0) / PAGES;
	f->tlbi_calls =
	    (double)(sim_op_count_kind(SIM_OP_TLBI_IPA) + sim_op_count_kind(SIM_OP_TLBI_IPA_RANGE) +
	             sim_op_count_kind(SIM_OP_TLBI_VMID) - tlbi_before);
	teardown(&pgt);

	/* 2 MiB blocks, per call and ranged. */
	fresh(&pgt, ipa_bits);
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < BLOCKS; i++)
		must(hv_s2_map(&pgt, hv_ipa(IPA_BASE + i * 2 * MIB), hv_pa(PA_BASE + i * 2 * MIB),
		               2 * MIB, HV_S2_PROT_RW, HV_S2_MEM_NORMAL_WB, 0),
		     "map2m");
	f->map2m_call = elapsed_ns(t0) / BLOCKS;
	teardown(&pgt);
	fresh(&pgt, ipa_bits);
	t0 = bench_now_ns();
	must(hv_s2_map(&pgt, hv_ipa(IPA_BASE), hv_pa(PA_BASE), GIB, HV_S2_PROT_RW,
	               HV_S2_MEM_NORMAL_WB, 0),
	     "map2m range");
	f->map2m_range = elapsed_ns(t0) / BLOCKS;
	teardown(&pgt);

	/* The lookup floor, on a table built as for lookup_random_ns. */
	fresh(&pgt, ipa_bits);
	map_pages_per_call(&pgt);
	t0 = bench_now_ns();
	for (uint64_t i = 0; i < PAGES; i++)
		sum += floor_descend(&pgt, random_ipas[i]);
	f->floor_lookup = elapsed_ns(t0) / PAGES;
	teardown(&pgt);
	bench_sink(sum);
}

/* The floor: compute and store as many descriptors into pool pages. */
static double floor_fill(void)
{
	uint64_t *tables[PAGES / 512];
	for (size_t i = 0; i < PAGES / 512; i++)
		tables[i] = pool.ops.zalloc_page(pool.ops.pool);
	uint64_t t0 = bench_now_ns();
	for (uint64_t i = 0; i < PAGES; i++)
		((volatile uint64_t *)tables[i / 512])[i % 512] =
		    (PA_BASE + i * 4096) | 0x400000000007ffull;
	double ns = elapsed_ns(t0) / PAGES;
	for (size_t i = 0; i < PAGES / 512; i++)
		pool.ops.free_page(pool.ops.pool, tables[i]);
	return ns;
}

static double median_of(const struct figures *runs, size_t offset)
{
	double v[RUNS];
	for (int r = 0; r < NRUNS; r++)
		v[r] = *(const double *)((const char *)&runs[r] + offset);
	return bench_median(v, NRUNS);
}

static void emit_vs_floor(const char *suffix, const struct figures *runs, double fill,
                          double lookup)
{
	static const struct {
		const char *key;
		size_t offset;
	} per_descriptor[] = {
	    {"map4k_call_ns", offsetof(struct figures, map4k_call)},
	    {"map4k_range_ns", offsetof(struct figures, map4k_range)},
	    {"unmap4k_call_ns", offsetof(struct figures, unmap4k_call)},
	    {"unmap_range_ns", offsetof(struct figures, unmap_range)},
	    {"map2m_call_ns", offsetof(struct figures, map2m_call)},
	    {"map2m_range_ns", offsetof(struct figures, map2m_range)},
	    {"map4k_call_shuffled_ns", offsetof(struct figures, map4k_call_shuffled)},
	    {"unmap4k_call_shuffled_ns", offsetof(struct figures, unmap4k_call_shuffled)},
	};
	char key[64];
	for (size_t k = 0; k < sizeof(per_descriptor) / sizeof(per_descriptor[0]); k++) {
		snprintf(key, sizeof(key), "%s%s", per_descriptor[k].key, suffix);
		bench_json_vs_floor(key, median_of(runs, per_descriptor[k].offset), fill);
	}
	snprintf(key, sizeof(key), "lookup_random_ns%s", suffix);
	bench_json_vs_floor(key, median_of(runs, offsetof(struct figures, lookup_random)), lookup);
	snprintf(key, sizeof(key), "lookup_random_full_ns%s", suffix);
	bench_json_vs_floor(key, median_of(runs, offsetof(struct figures, lookup_random_full)),
	                    lookup);
}

/* Keys added after the first ones, by name. */
static void emit_more(const char *suffix, const struct figures *runs)
{
	static const struct {
		const char *key;
		size_t offset;
	} more[] = {
	    {"map4k_call_shuffled_ns", offsetof(struct figures, map4k_call_shuffled)},
	    {"unmap4k_call_shuffled_ns", offsetof(struct figures, unmap4k_call_shuffled)},
	    {"lookup_random_warm_ns", offsetof(struct figures, lookup_random_warm)},
	};
	char key[64];
	for (size_t k = 0; k < sizeof(more) / sizeof(more[0]); k++) {
		snprintf(key, sizeof(key), "%s%s", more[k].key, suffix);
		bench_json_num(key, median_of(runs, more[k].offset));
	}
}

static void emit(const char *suffix, struct figures *runs)
{
	static const char *keys[] = {"map4k_call_ns",      "map4k_range_ns",  "lookup_random_ns",
	                             "lookup_seq_ns",      "unmap4k_call_ns", "unmap_range_ns",
	                             "map2m_call_ns",      "map2m_range_ns",  "table_pages_1g_4k",
	                             "tlbi_calls_unmap_1g"};
	for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
		double v[RUNS];
		for (int r = 0; r < NRUNS; r++)
			v[r] = ((double *)&runs[r])[k];
		char key[64];
		snprintf(key, sizeof(key), "%s%s", keys[k], suffix);
		bench_json_num(key, bench_median(v, NRUNS));
	}
}

int main(void)
{
	sim_arch_reset();
	sim_arch_set_recording(false); /* counting no-ops */
	sim_arch_set_tlbi_range(true);
	if (!test_pool_init(&pool, 2048, 0x80000000ull)) {
		fprintf(stderr, "s2_bench: no memory for the pool\n");
		return 1;
	}
	random_ipas = malloc(PAGES * sizeof(*random_ipas));
	shuffled = malloc(PAGES * sizeof(*shuffled));
	if (!random_ipas || !shuffled) {
		fprintf(stderr, "s2_bench: no memory for the IPA lists\n");
		return 1;
	}
	uint64_t x = 0x9e3779b97f4a7c15ull;
	for (uint64_t i = 0; i < PAGES; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		random_ipas[i] = IPA_BASE + (x % PAGES) * 4096;
	}
	for (uint32_t i = 0; i < PAGES; i++)
		shuffled[i] = i;
	for (uint32_t i = PAGES - 1; i > 0; i--) { /* Fisher-Yates */
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		uint32_t j = (uint32_t)(x % (i + 1u)), t = shuffled[i];
		shuffled[i] = shuffled[j];
		shuffled[j] = t;
	}
	clock_overhead_ns = clock_read();
	struct figures f40[RUNS], f48[RUNS];
	double floor_v[RUNS], clock_v[RUNS];
	for (int r = 0; r < NRUNS; r++) {
		one_run(40, &f40[r]);
		one_run(48, &f48[r]);
		floor_v[r] = floor_fill();
		clock_v[r] = clock_read();
	}
	double fill = bench_median(floor_v, NRUNS);
	double lookup40 = median_of(f40, offsetof(struct figures, floor_lookup));
	double lookup48 = median_of(f48, offsetof(struct figures, floor_lookup));
	bench_json_begin();
	bench_json_str("bench", "s2");
	emit("", f40);
	emit("_48", f48);
	emit_more("", f40);
	emit_more("_48", f48);
	bench_json_num("floor_fill_ns", fill);
	bench_json_num("floor_lookup_random_ns", lookup40);
	bench_json_num("floor_lookup_random_ns_48", lookup48);
	bench_json_num("lookup_random_full_ns",
	               median_of(f40, offsetof(struct figures, lookup_random_full)));
	bench_json_num("lookup_random_full_ns_48",
	               median_of(f48, offsetof(struct figures, lookup_random_full)));
	emit_vs_floor("", f40, fill, lookup40);
	emit_vs_floor("_48", f48, fill, lookup48);
	bench_json_num("clock_read_ns", bench_median(clock_v, NRUNS));
	bench_json_end();
	free(random_ipas);
	free(shuffled);
	test_pool_destroy(&pool);
	return 0;
}
