/* SPDX-License-Identifier: Apache-2.0 */
/* The buddy page allocator (core/mem/page_alloc.c) on its own and as the
 * page pool of a hyp: every freed run is reused, hostile frees change
 * nothing, a random workload keeps every invariant. */
#include <criterion/criterion.h>
#include <hv/page_alloc.h>
#include <hv/vm_lifecycle.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>

#define NR 256u

static uint8_t *arena;
static uint8_t meta[NR];
static struct hv_palloc pa;

static void setup(void)
{
	/* C11 aligned_alloc: the size must be a multiple of the alignment */
	arena = aligned_alloc(1u << 22, 1u << 22);
	cr_assert_not_null(arena);
	memset(arena, 0xa5, NR * HV_PAGE_SIZE);
	cr_assert_eq(hv_palloc_init(&pa, arena, NR, meta, NULL, NULL, NULL), HV_OK);
}

static void teardown(void)
{
	free(arena);
}

TestSuite(palloc, .init = setup, .fini = teardown);

Test(palloc, init_refusals)
{
	struct hv_palloc other;
	memset(&other, 0x5a, sizeof(other));
	cr_assert_eq(hv_palloc_init(&other, arena + 8, NR, meta, NULL, NULL, NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_palloc_init(&other, arena, 0, meta, NULL, NULL, NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_palloc_init(&other, arena, NR, NULL, NULL, NULL, NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_palloc_init(&other, NULL, NR, meta, NULL, NULL, NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_palloc_init(&other, (void *)(uintptr_t)(UINTPTR_MAX & ~0xfffull), 2, meta,
	                            NULL, NULL, NULL),
	             HV_ERR_INVALID);
	/* A lock without its unlock. */
	cr_assert_eq(hv_palloc_init(&other, arena, NR, meta, free, NULL, NULL), HV_ERR_INVALID);
	cr_assert_eq(other.nr_pages, (size_t)0x5a5a5a5a5a5a5a5aull);
}

Test(palloc, starts_free_in_the_largest_blocks)
{
	cr_assert_eq(pa.max_order, 8); /* 256 pages, base aligned to 4 MiB */
	cr_assert_eq(pa.nr_free[8], 1);
	cr_assert_eq(hv_palloc_free_pages(&pa), NR);
	cr_assert_eq(hv_palloc_live(&pa), 0);
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
}

Test(palloc, odd_sizes_and_bases)
{
	/* 13 pages at a base aligned to 2 pages only: orders up to 1. */
	static uint8_t m[13];
	struct hv_palloc small;
	cr_assert_eq(hv_palloc_init(&small, arena + 2 * HV_PAGE_SIZE, 13, m, NULL, NULL, NULL),
	             HV_OK);
	cr_assert_eq(small.max_order, 1);
	cr_assert_eq(hv_palloc_check(&small), HV_OK);
	cr_assert_null(hv_palloc_alloc(&small, 2));
	void *p[13];
	for (unsigned i = 0; i < 13; i++) {
		p[i] = hv_palloc_alloc(&small, 0);
		cr_assert_not_null(p[i]);
	}
	cr_assert_null(hv_palloc_alloc(&small, 0));
	for (unsigned i = 0; i < 13; i++)
		hv_palloc_free_page(&small, p[12 - i]);
	cr_assert_eq(hv_palloc_check(&small), HV_OK);
	cr_assert_eq(small.nr_free[1], 6);
	cr_assert_eq(small.nr_free[0], 1);
}

Test(palloc, every_page_once_then_dry_then_whole_again)
{
	static uint8_t seen[NR];
	memset(seen, 0, sizeof(seen));
	for (unsigned i = 0; i < NR; i++) {
		uint8_t *p = hv_palloc_alloc(&pa, 0);
		cr_assert_not_null(p);
		size_t idx = (size_t)(p - arena) / HV_PAGE_SIZE;
		cr_assert_eq((size_t)(p - arena) % HV_PAGE_SIZE, 0);
		cr_assert_eq(seen[idx], 0, "page %zu handed out twice", idx);
		seen[idx] = 1;
		for (size_t k = 0; k < HV_PAGE_SIZE; k++)
			cr_assert_eq(p[k], 0);
	}
	cr_assert_null(hv_palloc_alloc(&pa, 0));
	cr_assert_eq(hv_palloc_live(&pa), NR);
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
	for (unsigned i = 0; i < NR; i++)
		hv_palloc_free_page(&pa, arena + (size_t)((i * 97u) % NR) * HV_PAGE_SIZE);
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
	cr_assert_eq(pa.nr_free[8], 1, "every buddy merged back");
	cr_assert_eq(pa.bad_frees, 0);
}

Test(palloc, runs_are_aligned_and_reused_after_page_by_page_frees)
{
	/* One page kept, then a 2-page run made and freed page by page, over
	 * and over: the run must come back every time (the old EL2 pool lost it). */
	void *keep = hv_palloc_alloc(&pa, 0);
	cr_assert_not_null(keep);
	for (unsigned cycle = 0; cycle < 10000; cycle++) {
		for (unsigned order = 1; order <= 4; order++) {
			uint8_t *run = hv_palloc_alloc(&pa, order);
			cr_assert_not_null(run, "cycle %u order %u", cycle, order);
			cr_assert_eq((uintptr_t)run % (HV_PAGE_SIZE << order), 0);
			for (unsigned k = 0; k < (1u << order); k++)
				hv_palloc_free_page(&pa, run + (size_t)k * HV_PAGE_SIZE);
		}
	}
	cr_assert_eq(hv_palloc_live(&pa), 1);
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
}

Test(palloc, hostile_frees_change_nothing)
{
	uint8_t *p = hv_palloc_alloc(&pa, 1);
	cr_assert_not_null(p);
	uint8_t before[NR];
	memcpy(before, meta, NR);
	size_t live = hv_palloc_live(&pa);
	hv_palloc_free_page(&pa, NULL);
	hv_palloc_free_page(&pa, arena - HV_PAGE_SIZE);
	hv_palloc_free_page(&pa, arena + NR * HV_PAGE_SIZE);
	hv_palloc_free_page(&pa, p + 8);                      /* not page aligned */
	hv_palloc_free_page(&pa, arena + 100 * HV_PAGE_SIZE); /* inside a free block */
	hv_palloc_free_page(&pa, arena + 128 * HV_PAGE_SIZE); /* a free block's head */
	cr_assert_eq(pa.bad_frees, 6);
	cr_assert_eq(memcmp(before, meta, NR), 0);
	cr_assert_eq(hv_palloc_live(&pa), live);
	hv_palloc_free_page(&pa, p);
	hv_palloc_free_page(&pa, p); /* double free */
	cr_assert_eq(pa.bad_frees, 7);
	hv_palloc_free_page(&pa, p + HV_PAGE_SIZE);
	cr_assert_eq(hv_palloc_live(&pa), 0);
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
	cr_assert_eq(pa.nr_free[8], 1);
}

Test(palloc, check_catches_corruption)
{
	void *p = hv_palloc_alloc(&pa, 0);
	cr_assert_not_null(p);
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
	size_t idx = (size_t)((uint8_t *)p - arena) / HV_PAGE_SIZE;
	meta[idx] = 0; /* the handed-out page marked free, on no list */
	cr_assert_eq(hv_palloc_check(&pa), HV_ERR_INVALID);
	meta[idx] = 0x80;
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
	pa.live++;
	cr_assert_eq(hv_palloc_check(&pa), HV_ERR_INVALID);
	pa.live--;
	pa.nr_free[0]++;
	cr_assert_eq(hv_palloc_check(&pa), HV_ERR_INVALID);
}

/* Random allocations and frees against a model of who holds each page. */
Test(palloc, random_workload_matches_a_model)
{
	static uint16_t holder[NR]; /* 0: free; else the allocation's tag */
	struct held {
		uint8_t *p;
		unsigned order;
		uint16_t tag;
	} held[NR];
	unsigned nheld = 0;
	uint16_t next_tag = 1;
	memset(holder, 0, sizeof(holder));
	srand(12345);
	for (unsigned step = 0; step < 50000; step++) {
		if (nheld && (rand() % 2 || nheld == NR)) {
			unsigned k = (unsigned)rand() % nheld;
			struct held h = held[k];
			held[k] = held[--nheld];
			/* Contents intact: nobody else was given these pages. */
			for (unsigned pg = 0; pg < (1u << h.order); pg++) {
				uint8_t *page = h.p + (size_t)pg * HV_PAGE_SIZE;
				size_t idx = (size_t)(page - arena) / HV_PAGE_SIZE;
				cr_assert_eq(holder[idx], h.tag);
				cr_assert_eq(*(uint16_t *)(void *)(page + 64), h.tag);
				holder[idx] = 0;
			}
			/* Pages of a run come back in any order. */
			for (unsigned pg = 0; pg < (1u << h.order); pg++)
				hv_palloc_free_page(
				    &pa, h.p + (size_t)(((pg * 5u) + 3u) % (1u << h.order)) *
				                   HV_PAGE_SIZE);
		} else {
			unsigned order = (unsigned)rand() % 8 ? 0 : (unsigned)rand() % 5;
			size_t avail = 0;
			for (unsigned i = 0; i + (1u << order) <= NR; i += 1u << order) {
				unsigned j = 0;
				while (j < (1u << order) && !holder[i + j])
					j++;
				avail += j == (1u << order);
			}
			uint8_t *p = hv_palloc_alloc(&pa, order);
			/* A buddy allocator never fails while an aligned free run exists. */
			cr_assert_eq(p != NULL, avail != 0, "step %u order %u", step, order);
			if (!p)
				continue;
			cr_assert_eq((uintptr_t)p % (HV_PAGE_SIZE << order), 0);
			uint16_t tag = next_tag++ ? next_tag : (next_tag = 1);
			for (unsigned pg = 0; pg < (1u << order); pg++) {
				uint8_t *page = p + (size_t)pg * HV_PAGE_SIZE;
				size_t idx = (size_t)(page - arena) / HV_PAGE_SIZE;
				cr_assert_eq(holder[idx], 0, "page %zu handed out twice", idx);
				cr_assert_eq(page[100], 0, "not zeroed");
				holder[idx] = tag;
				*(uint16_t *)(void *)(page + 64) = tag;
			}
			held[nheld++] = (struct held){p, order, tag};
		}
		size_t live = 0;
		for (unsigned i = 0; i < NR; i++)
			live += holder[i] != 0;
		cr_assert_eq(hv_palloc_live(&pa), live);
		if (step % 64 == 0)
			cr_assert_eq(hv_palloc_check(&pa), HV_OK, "step %u", step);
	}
	while (nheld) {
		struct held h = held[--nheld];
		for (unsigned pg = 0; pg < (1u << h.order); pg++)
			hv_palloc_free_page(&pa, h.p + (size_t)pg * HV_PAGE_SIZE);
	}
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
	cr_assert_eq(pa.nr_free[8], 1);
	cr_assert_eq(pa.bad_frees, 0);
}

/* The allocator as a hyp's pool: VM creation never runs out over many
 * create/destroy cycles with another VM alive (40-bit VMs: 2-page roots). */
Test(palloc, vm_create_destroy_cycles_never_run_out)
{
	sim_arch_reset(); /* the fake arch behind core/vm (counter, TLBI) */
	struct hv_mm_ops ops;
	hv_palloc_mm_ops(&pa, 0, &ops);
	static struct hv_page_owner owners[16];
	static struct hv_hyp hyp;
	cr_assert_eq(hv_hyp_init(&hyp, &ops, 40, hv_pa(0x80000000ull), 16, owners), HV_OK);
	uint16_t alive;
	struct hv_vm_config cfg = {.ipa_bits = 40}; /* a 2-page concatenated root */
	cr_assert_eq(hv_vm_create(&hyp, &cfg, &alive), HV_OK);
	size_t live_one = hv_palloc_live(&pa);
	cr_assert_geq(live_one, 2);
	for (unsigned cycle = 0; cycle < 2000; cycle++) {
		uint16_t vmid;
		cr_assert_eq(hv_vm_create(&hyp, &cfg, &vmid), HV_OK, "cycle %u", cycle);
		hv_status_t st;
		unsigned steps = 0;
		while ((st = hv_vm_destroy(&hyp, vmid, 0)) == HV_BUSY)
			cr_assert_lt(++steps, 100000u);
		cr_assert_eq(st, HV_OK);
		cr_assert_eq(hv_palloc_live(&pa), live_one, "cycle %u leaked", cycle);
	}
	cr_assert_eq(hv_palloc_check(&pa), HV_OK);
}
