/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL2 page pool behind struct hv_mm_ops: pages from a static arena,
 * identity mapped (the MMU maps EL2's RAM at VA == PA), handed out by
 * core's buddy allocator (hv/page_alloc.h), so every freed run is reused,
 * a concatenated stage-2 root included.
 *
 * Lock domains: the host VM's hyp allocates under the VM lock (guest.c),
 * the hypercall server's hyp under the server lock (host_abi.c), on any
 * CPU. The pool's own lock is a leaf (the allocator takes no other lock
 * and calls nothing back), so it may be taken under either; see the lock
 * order in README.md (EL2 port: locks).
 */
#include "pool.h"

#include <hv/page_alloc.h>

#include "smp.h"

#define POOL_PAGES 1024

static uint8_t arena[POOL_PAGES][HV_PAGE_SIZE] __attribute__((aligned(16 * HV_PAGE_SIZE)));
static uint8_t meta[HV_PALLOC_META_BYTES(POOL_PAGES)];
static struct hv_palloc palloc;
static struct el2_lock pool_lock;
struct hv_mm_ops el2_pool_ops;

static void pool_lock_take(void *arg)
{
	el2_lock(arg);
}

static void pool_lock_give(void *arg)
{
	el2_unlock(arg);
}

hv_status_t el2_pool_init(void)
{
	hv_status_t st = hv_palloc_init(&palloc, arena, POOL_PAGES, meta, pool_lock_take,
	                                pool_lock_give, &pool_lock);
	if (st == HV_OK)
		hv_palloc_mm_ops(&palloc, 0, &el2_pool_ops); /* VA == PA */
	return st;
}

size_t el2_pool_live(void)
{
	return hv_palloc_live(&palloc);
}

size_t el2_pool_free(void)
{
	return hv_palloc_free_pages(&palloc);
}

hv_status_t el2_pool_check(void)
{
	return hv_palloc_check(&palloc);
}
