/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A buddy page allocator over one arena of 4 KiB pages: blocks of 2^order
 * pages, aligned to their size relative to the arena's base, split on
 * demand and merged with their buddy on every free, so every freed run is
 * reused whole (a concatenated stage-2 root freed page by page comes back
 * as a 2-page block). The free lists live in the free pages themselves;
 * one byte of caller-supplied metadata per page says what the page is.
 *
 * Thread safety: every operation that reads or changes the allocator's
 * state runs between the caller's lock and unlock hooks (core has no
 * atomics; a port passes its spinlock, a host test a mutex, a single-
 * threaded user NULL). Zeroing happens outside the lock, on pages the
 * caller already owns. No allocator call takes any other lock and none
 * calls back into the caller, so the pool lock is a leaf: any lock domain
 * may allocate or free while holding its own lock.
 *
 * Hostile frees (a pointer outside the arena, not page aligned, or a page
 * that is not allocated: a double free) change nothing and are counted.
 */
#ifndef HV_PAGE_ALLOC_H
#define HV_PAGE_ALLOC_H

#include <hv/mm_ops.h>
#include <hv/types.h>

/* Largest block: 2^10 pages (4 MiB); less when the base is less aligned. */
#define HV_PALLOC_MAX_ORDER 10u

struct hv_palloc_free;

struct hv_palloc {
	uint8_t *base; /* arena: nr_pages pages from here */
	size_t nr_pages;
	uint8_t *meta; /* one byte per page (HV_PALLOC_META_BYTES) */
	unsigned max_order;
	struct hv_palloc_free *free[HV_PALLOC_MAX_ORDER + 1];
	size_t nr_free[HV_PALLOC_MAX_ORDER + 1]; /* blocks on each list */
	size_t live;                             /* pages handed out */
	size_t bad_frees;                        /* frees refused (not ours, not allocated) */
	void (*lock)(void *arg);
	void (*unlock)(void *arg);
	void *lock_arg;
	uint64_t linear_offset; /* va - pa (hv_palloc_mm_ops) */
};

#define HV_PALLOC_META_BYTES(nr_pages) ((size_t)(nr_pages))

/*
 * Take nr_pages pages at `base` (page aligned) as the arena, all free;
 * `meta` holds HV_PALLOC_META_BYTES(nr_pages) bytes. lock/unlock may be
 * NULL (single-threaded use). Orders go up to HV_PALLOC_MAX_ORDER or the
 * base's alignment, whichever is smaller.
 */
hv_status_t hv_palloc_init(struct hv_palloc *pa, void *base, size_t nr_pages, uint8_t *meta,
                           void (*lock)(void *), void (*unlock)(void *), void *lock_arg);

/* 2^order zeroed pages, aligned to 2^order pages from the base, or NULL. */
void *hv_palloc_alloc(struct hv_palloc *pa, unsigned order);

/* Give back one page (of any block: runs are freed page by page). */
void hv_palloc_free_page(struct hv_palloc *pa, void *page);

size_t hv_palloc_live(struct hv_palloc *pa);
size_t hv_palloc_free_pages(struct hv_palloc *pa);

/*
 * Check every invariant under the lock: each free list is a well-linked
 * list of blocks of its order, aligned and inside the arena; the metadata
 * agrees (a free block's other pages are marked as its tail); no two free
 * buddies are left unmerged; free + live == nr_pages. HV_OK or
 * HV_ERR_INVALID (for tests and self-checks).
 */
hv_status_t hv_palloc_check(struct hv_palloc *pa);

/*
 * The allocator as struct hv_mm_ops for a linearly mapped arena
 * (va == pa + linear_offset): zalloc_page, free_page, zalloc_pages_contig
 * (any power of two from 2 to 2^max_order), virt_to_phys, phys_to_virt.
 */
void hv_palloc_mm_ops(struct hv_palloc *pa, uint64_t linear_offset, struct hv_mm_ops *ops);

#endif /* HV_PAGE_ALLOC_H */
