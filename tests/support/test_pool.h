/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A page pool for tests and benchmarks behind struct hv_mm_ops: pages come
 * from one pre-faulted aligned arena whose "physical" addresses start at a
 * configurable base, handed out by core's buddy allocator (the EL2 pool's,
 * hv/page_alloc.h), so every test and fuzzer exercises it. It can fail the
 * Nth allocation (failure injection), counts live pages (leak checks) and
 * detects double frees.
 */
#ifndef HV_TEST_POOL_H
#define HV_TEST_POOL_H

#include <hv/mm_ops.h>
#include <hv/page_alloc.h>

struct test_pool {
	uint8_t *arena;
	size_t nr_pages;
	uint64_t pa_base;
	uint8_t *in_use; /* one byte per page */
	struct hv_palloc alloc;
	uint8_t *alloc_meta;
	size_t live;      /* pages allocated and not freed */
	size_t allocs;    /* successful allocations since init */
	long fail_at;     /* fail the allocation with this index (0-based), -1: never */
	bool fail_sticky; /* keep failing after fail_at */
	size_t double_frees;
	size_t bad_frees;
	struct hv_mm_ops ops;
};

/* pa_base must be 4 KiB aligned (64 KiB for aligned contiguous runs). Returns
 * false if the arena can't be had. */
bool test_pool_init(struct test_pool *pool, size_t nr_pages, uint64_t pa_base);
void test_pool_destroy(struct test_pool *pool);
/* Fail allocation number `index` counted from now (0 = the next one). */
void test_pool_fail_after(struct test_pool *pool, long index, bool sticky);
bool test_pool_owns(const struct test_pool *pool, const void *page);
/* The allocator's invariants hold (hv_palloc_check) and agree with in_use. */
bool test_pool_check(struct test_pool *pool);

#endif /* HV_TEST_POOL_H */
