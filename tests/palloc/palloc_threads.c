/* SPDX-License-Identifier: Apache-2.0 */
/*
 * palloc-threads [--no-lock] THREADS STEPS SEED: the buddy page allocator
 * (core/mem/page_alloc.c) under contention, as the EL2 pool is used by two
 * lock domains on two CPUs. Each thread allocates blocks of 1..8 pages and
 * frees them page by page in random order, stamping every page it holds
 * with its own tag and checking the stamp is intact before it frees: a
 * page handed to two holders at once is caught by the stamp (or by TSan in
 * the TSan build). The lock hooks are a pthread mutex; --no-lock passes
 * none (the TSan build must then report a data race: the test of the test).
 * At the end every page is back, the invariants hold and no free was
 * refused. Prints one line; exit 0 only on PASS.
 */
#include <hv/page_alloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NR_PAGES 512u
#define HELD_MAX 24u

static struct hv_palloc pa;
static uint8_t meta[NR_PAGES];
static pthread_mutex_t mutex = PTHREAD_MUTEX_INITIALIZER;
static unsigned long steps;
static unsigned seed;

struct worker {
	pthread_t thread;
	unsigned id;
	unsigned long allocs, dry, bad_stamps;
};

static void lock(void *arg)
{
	pthread_mutex_lock(arg);
}

static void unlock(void *arg)
{
	pthread_mutex_unlock(arg);
}

static uint64_t stamp_of(unsigned id, uintptr_t page)
{
	return ((uint64_t)id << 48) ^ page ^ 0x5a5a5a5aull;
}

static void stamp(uint8_t *block, unsigned order, unsigned id)
{
	for (unsigned k = 0; k < (1u << order); k++) {
		uint64_t *w = (uint64_t *)(void *)(block + (size_t)k * HV_PAGE_SIZE);
		w[0] = stamp_of(id, (uintptr_t)w);
		w[511] = ~w[0];
	}
}

static unsigned long check_and_free(uint8_t *block, unsigned order, unsigned id, unsigned *rng)
{
	unsigned long bad = 0;
	unsigned n = 1u << order, start = (unsigned)rand_r(rng) % n;
	for (unsigned k = 0; k < n; k++) {
		uint64_t *w = (uint64_t *)(void *)(block + (size_t)k * HV_PAGE_SIZE);
		bad += w[0] != stamp_of(id, (uintptr_t)w) || w[511] != ~w[0];
	}
	for (unsigned k = 0; k < n; k++) /* pages of a block back in any order */
		hv_palloc_free_page(&pa, block + (size_t)((start + k) % n) * HV_PAGE_SIZE);
	return bad;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	unsigned rng = seed * 7919u + w->id;
	struct {
		uint8_t *p;
		unsigned order;
	} held[HELD_MAX];
	unsigned nheld = 0;
	for (unsigned long s = 0; s < steps; s++) {
		if (nheld == HELD_MAX || (nheld && rand_r(&rng) % 2)) {
			unsigned k = (unsigned)rand_r(&rng) % nheld;
			w->bad_stamps += check_and_free(held[k].p, held[k].order, w->id, &rng);
			held[k] = held[--nheld];
			continue;
		}
		unsigned order = (unsigned)rand_r(&rng) % 4;
		uint8_t *p = hv_palloc_alloc(&pa, order);
		if (!p) {
			w->dry++;
			continue;
		}
		w->allocs++;
		for (unsigned k = 0; k < (1u << order); k++)
			if (*(uint64_t *)(void *)(p + (size_t)k * HV_PAGE_SIZE + 8) != 0)
				w->bad_stamps++; /* not zeroed */
		stamp(p, order, w->id);
		held[nheld].p = p;
		held[nheld++].order = order;
	}
	while (nheld) {
		nheld--;
		w->bad_stamps += check_and_free(held[nheld].p, held[nheld].order, w->id, &rng);
	}
	return NULL;
}

int main(int argc, char **argv)
{
	bool no_lock = argc > 1 && strcmp(argv[1], "--no-lock") == 0;
	if (no_lock) {
		argc--;
		argv++;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: palloc-threads [--no-lock] THREADS STEPS SEED\n");
		return 2;
	}
	unsigned nthreads = (unsigned)strtoul(argv[1], NULL, 0);
	steps = strtoul(argv[2], NULL, 0);
	seed = (unsigned)strtoul(argv[3], NULL, 0);
	if (nthreads == 0 || nthreads > 16) {
		fprintf(stderr, "palloc-threads: 1..16 threads\n");
		return 2;
	}
	/* 24 holders x 8 pages x 16 threads would exceed the arena: "dry"
	 * answers are part of the test (a full pool must refuse cleanly). */
	uint8_t *arena = aligned_alloc(64 * 1024, NR_PAGES * HV_PAGE_SIZE);
	if (!arena || hv_palloc_init(&pa, arena, NR_PAGES, meta, no_lock ? NULL : lock,
	                             no_lock ? NULL : unlock, &mutex) != HV_OK) {
		fprintf(stderr, "palloc-threads: setup failed\n");
		return 1;
	}
	struct worker w[16];
	for (unsigned i = 0; i < nthreads; i++) {
		w[i] = (struct worker){.id = i + 1};
		if (pthread_create(&w[i].thread, NULL, work, &w[i]) != 0) {
			fprintf(stderr, "palloc-threads: pthread_create failed\n");
			return 1;
		}
	}
	unsigned long allocs = 0, dry = 0, bad = 0;
	for (unsigned i = 0; i < nthreads; i++) {
		pthread_join(w[i].thread, NULL);
		allocs += w[i].allocs;
		dry += w[i].dry;
		bad += w[i].bad_stamps;
	}
	bool ok = bad == 0 && hv_palloc_check(&pa) == HV_OK && hv_palloc_live(&pa) == 0 &&
	          pa.bad_frees == 0 && hv_palloc_free_pages(&pa) == NR_PAGES && allocs > 0;
	printf("palloc-threads: %s threads %u steps %lu seed %u allocs %lu dry %lu bad stamps %lu "
	       "refused frees %zu live %zu\n",
	       ok ? "PASS" : "FAIL", nthreads, steps, seed, allocs, dry, bad, pa.bad_frees,
	       hv_palloc_live(&pa));
	free(arena);
	return ok ? 0 : 1;
}
