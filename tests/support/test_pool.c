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

/* Failure injection: true if this allocation must fail. */
static bool injected_failure(struct test_pool *pool)
{
	if (pool->fail_at < 0 || (long)pool->allocs < pool->fail_at)
		return false;
	if (!pool->fail_sticky) {
		pool->fail_at = -1;
		pool->allocs++; /* the failed attempt consumes its index */
	}
	return true;
}

static void *take(struct test_pool *pool, unsigned order)
{
	if (injected_failure(pool))
		return NULL;
	uint8_t *p = hv_palloc_alloc(&pool->alloc, order);
	if (!p)
		return NULL;
	size_t idx = page_index(pool, p), n = (size_t)1 << order;
	for (size_t i = 0; i < n; i++)
		pool->in_use[idx + i] = 1;
	pool->live += n;
	pool->allocs++;
	return p;
}

static void *pool_zalloc(void *opaque)
{
	return take(opaque, 0);
}

/* Contiguous aligned run (concatenated stage-2 roots). */
static void *pool_zalloc_contig(void *opaque, unsigned nr)
{
	if (nr < 2 || nr > 16 || (nr & (nr - 1)))
		return NULL;
	unsigned order = 0;
	while ((1u << order) < nr)
		order++;
	return take(opaque, order);
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
	hv_palloc_free_page(&pool->alloc, page);
}

bool test_pool_check(struct test_pool *pool)
{
	size_t used = 0;
	for (size_t i = 0; i < pool->nr_pages; i++)
		used += pool->in_use[i];
	return hv_palloc_check(&pool->alloc) == HV_OK && used == pool->live &&
	       hv_palloc_live(&pool->alloc) == pool->live && pool->alloc.bad_frees == 0;
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
	pool->alloc_meta = malloc(HV_PALLOC_META_BYTES(nr_pages));
	if (pool->arena)
		memset(pool->arena, 0, nr_pages * HV_PAGE_SIZE); /* pre-fault */
	if (!pool->arena || !pool->in_use || !pool->alloc_meta ||
	    hv_palloc_init(&pool->alloc, pool->arena, nr_pages, pool->alloc_meta, NULL, NULL,
	                   NULL) != HV_OK) {
		test_pool_destroy(pool);
		return false;
	}
	pool->nr_pages = nr_pages;
	pool->pa_base = pa_base;
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
	free(pool->alloc_meta);
	memset(pool, 0, sizeof(*pool));
}

void test_pool_fail_after(struct test_pool *pool, long index, bool sticky)
{
	pool->fail_at = index < 0 ? -1 : (long)pool->allocs + index;
	pool->fail_sticky = sticky;
}
