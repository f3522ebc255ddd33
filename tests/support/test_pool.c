/* SPDX-License-Identifier: Apache-2.0 */
#include "test_pool.h"

#include <stdlib.h>
#include <string.h>

static size_t page_index(const struct test_pool *pool, const void *page)
{
	return (size_t)(((const uint8_t *)page - pool->arena) / HV_PAGE_SIZE);
}

bool test_pool_owns(const struct test_pool *pool, const void *page)
{
	const uint8_t *p = page;
	return p >= pool->arena && p < pool->arena + pool->nr_pages * HV_PAGE_SIZE &&
	       ((uintptr_t)(p - pool->arena) % HV_PAGE_SIZE) == 0;
}

static void *pool_zalloc(void *opaque)
{
	struct test_pool *pool = opaque;
	if (pool->fail_at >= 0 && (long)pool->allocs >= pool->fail_at) {
		if (!pool->fail_sticky)
			pool->fail_at = -1;
		else
			return NULL;
		pool->allocs++; /* the failed attempt consumes its index */
		return NULL;
	}
	if (pool->free_top == 0)
		return NULL;
	uint32_t idx = pool->free_stack[--pool->free_top];
	pool->in_use[idx] = 1;
	pool->live++;
	pool->allocs++;
	uint8_t *page = pool->arena + (size_t)idx * HV_PAGE_SIZE;
	memset(page, 0, HV_PAGE_SIZE);
	return page;
}

/* Contiguous aligned run (concatenated stage-2 roots): O(pages), tests only. */
static void *pool_zalloc_contig(void *opaque, unsigned nr)
{
	struct test_pool *pool = opaque;
	if (nr < 2 || nr > 16 || (nr & (nr - 1)))
		return NULL;
	if (pool->fail_at >= 0 && (long)pool->allocs >= pool->fail_at) {
		if (!pool->fail_sticky)
			pool->fail_at = -1;
		else
			return NULL;
		pool->allocs++;
		return NULL;
	}
	for (size_t first = 0; first + nr <= pool->nr_pages; first += nr) {
		size_t i;
		for (i = 0; i < nr && !pool->in_use[first + i]; i++)
			;
		if (i < nr)
			continue;
		/* Take the run out of the free stack. */
		size_t kept = 0;
		for (size_t k = 0; k < pool->free_top; k++) {
			uint32_t idx = pool->free_stack[k];
			if (idx < first || idx >= first + nr)
				pool->free_stack[kept++] = idx;
		}
		pool->free_top = kept;
		for (i = 0; i < nr; i++)
			pool->in_use[first + i] = 1;
		pool->live += nr;
		pool->allocs++;
		uint8_t *run = pool->arena + first * HV_PAGE_SIZE;
		memset(run, 0, (size_t)nr * HV_PAGE_SIZE);
		return run;
	}
	return NULL;
}

static void pool_free(void *opaque, void *page)
{
	struct test_pool *pool = opaque;
	if (!test_pool_owns(pool, page)) {
		pool->bad_frees++;
		return;
	}
	size_t idx = page_index(pool, page);
	if (!pool->in_use[idx]) {
		pool->double_frees++;
		return;
	}
	pool->in_use[idx] = 0;
	pool->live--;
	pool->free_stack[pool->free_top++] = (uint32_t)idx;
}

static hv_pa_t pool_virt_to_phys(void *opaque, const void *va)
{
	struct test_pool *pool = opaque;
	return hv_pa(pool->pa_base + (uint64_t)((const uint8_t *)va - pool->arena));
}

static void *pool_phys_to_virt(void *opaque, hv_pa_t pa)
{
	struct test_pool *pool = opaque;
	return pool->arena + (hv_pa_addr(pa) - pool->pa_base);
}

bool test_pool_init(struct test_pool *pool, size_t nr_pages, uint64_t pa_base)
{
	memset(pool, 0, sizeof(*pool));
	/* 64 KiB alignment (with a 64 KiB aligned pa_base) lets contiguous runs
	 * of up to 16 pages be aligned in "physical" addresses too. */
	pool->arena =
	    aligned_alloc(16 * HV_PAGE_SIZE, ((nr_pages + 15) & ~(size_t)15) * HV_PAGE_SIZE);
	pool->in_use = calloc(nr_pages, 1);
	pool->free_stack = malloc(nr_pages * sizeof(uint32_t));
	if (!pool->arena || !pool->in_use || !pool->free_stack) {
		test_pool_destroy(pool);
		return false;
	}
	memset(pool->arena, 0, nr_pages * HV_PAGE_SIZE); /* pre-fault */
	pool->nr_pages = nr_pages;
	pool->pa_base = pa_base;
	/* Hand out low addresses first. */
	for (size_t i = 0; i < nr_pages; i++)
		pool->free_stack[i] = (uint32_t)(nr_pages - 1 - i);
	pool->free_top = nr_pages;
	pool->fail_at = -1;
	pool->ops = (struct hv_mm_ops){
	    .zalloc_page = pool_zalloc,
	    .free_page = pool_free,
	    .virt_to_phys = pool_virt_to_phys,
	    .phys_to_virt = pool_phys_to_virt,
	    .pool = pool,
	    .zalloc_pages_contig = pool_zalloc_contig,
	    .linear = true,
	    .linear_offset = (uint64_t)(uintptr_t)pool->arena - pa_base,
	};
	return true;
}

void test_pool_destroy(struct test_pool *pool)
{
	free(pool->arena);
	free(pool->in_use);
	free(pool->free_stack);
	memset(pool, 0, sizeof(*pool));
}

void test_pool_fail_after(struct test_pool *pool, long index, bool sticky)
{
	pool->fail_at = index < 0 ? -1 : (long)pool->allocs + index;
	pool->fail_sticky = sticky;
}
