/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL2 page pool behind struct hv_mm_ops: pages from a static arena,
 * identity mapped (the MMU is off at EL2, so VA == PA), a free list for
 * single pages and a bump pointer for aligned contiguous runs.
 */
#include "pool.h"

#define POOL_PAGES 1024

static uint8_t arena[POOL_PAGES][HV_PAGE_SIZE] __attribute__((aligned(16 * HV_PAGE_SIZE)));
static size_t next_fresh;
static void *free_head;
static size_t live;

static void *zalloc_page(void *pool)
{
	(void)pool;
	void *p = free_head;
	if (p)
		free_head = *(void **)p;
	else if (next_fresh < POOL_PAGES)
		p = arena[next_fresh++];
	else
		return NULL;
	hv_memset(p, 0, HV_PAGE_SIZE);
	live++;
	return p;
}

static void *zalloc_pages_contig(void *pool, unsigned nr)
{
	(void)pool;
	size_t first = (next_fresh + nr - 1) & ~(size_t)(nr - 1);
	if (nr < 2 || nr > 16 || (nr & (nr - 1)) || first + nr > POOL_PAGES)
		return NULL;
	for (size_t i = next_fresh; i < first; i++) { /* skipped pages stay usable */
		*(void **)arena[i] = free_head;
		free_head = arena[i];
	}
	next_fresh = first + nr;
	hv_memset(arena[first], 0, (size_t)nr * HV_PAGE_SIZE);
	live += nr;
	return arena[first];
}

static void free_page(void *pool, void *page)
{
	(void)pool;
	*(void **)page = free_head;
	free_head = page;
	live--;
}

static hv_pa_t virt_to_phys(void *pool, const void *va)
{
	(void)pool;
	return hv_pa((uint64_t)(uintptr_t)va);
}

static void *phys_to_virt(void *pool, hv_pa_t pa)
{
	(void)pool;
	return (void *)(uintptr_t)hv_pa_addr(pa);
}

const struct hv_mm_ops el2_pool_ops = {
    .zalloc_page = zalloc_page,
    .free_page = free_page,
    .virt_to_phys = virt_to_phys,
    .phys_to_virt = phys_to_virt,
    .zalloc_pages_contig = zalloc_pages_contig,
    .linear = true,
    .linear_offset = 0,
};

size_t el2_pool_live(void)
{
	return live;
}
