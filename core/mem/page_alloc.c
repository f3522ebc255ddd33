/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Buddy page allocator (hv/page_alloc.h). Page i's metadata byte is
 *   0..max_order  the first page of a free block of that order
 *   META_TAIL     another page of a free block
 *   META_USED     handed out
 * A free block of order o at page index i (i a multiple of 2^o) has its
 * buddy at i ^ 2^o; both free with the same order means they merge. Free
 * blocks are linked through their first page (a doubly linked list per
 * order, so a buddy leaves its list in O(1)).
 */
#include <hv/page_alloc.h>

#define META_TAIL 0x40u
#define META_USED 0x80u

struct hv_palloc_free {
	struct hv_palloc_free *next, *prev;
};

static void take(struct hv_palloc *pa)
{
	if (pa->lock)
		pa->lock(pa->lock_arg);
}

static void give(struct hv_palloc *pa)
{
	if (pa->unlock)
		pa->unlock(pa->lock_arg);
}

static struct hv_palloc_free *node(struct hv_palloc *pa, size_t i)
{
	return (struct hv_palloc_free *)(void *)(pa->base + i * HV_PAGE_SIZE);
}

static size_t index_of(struct hv_palloc *pa, const void *p)
{
	return (size_t)((const uint8_t *)p - pa->base) / HV_PAGE_SIZE;
}

static void push(struct hv_palloc *pa, size_t i, unsigned order)
{
	struct hv_palloc_free *n = node(pa, i);
	pa->meta[i] = (uint8_t)order;
	n->prev = NULL;
	n->next = pa->free[order];
	if (n->next)
		n->next->prev = n;
	pa->free[order] = n;
	pa->nr_free[order]++;
}

static void unlink_block(struct hv_palloc *pa, size_t i, unsigned order)
{
	struct hv_palloc_free *n = node(pa, i);
	if (n->prev)
		n->prev->next = n->next;
	else
		pa->free[order] = n->next;
	if (n->next)
		n->next->prev = n->prev;
	pa->nr_free[order]--;
}

hv_status_t hv_palloc_init(struct hv_palloc *pa, void *base, size_t nr_pages, uint8_t *meta,
                           void (*lock)(void *), void (*unlock)(void *), void *lock_arg)
{
	uintptr_t b = (uintptr_t)base;
	if (!pa || !base || !meta || nr_pages == 0 || b % HV_PAGE_SIZE ||
	    nr_pages > (UINTPTR_MAX - b) / HV_PAGE_SIZE || (!lock != !unlock))
		return HV_ERR_INVALID;
	hv_memset(pa, 0, sizeof(*pa));
	pa->base = base;
	pa->nr_pages = nr_pages;
	pa->meta = meta;
	pa->lock = lock;
	pa->unlock = unlock;
	pa->lock_arg = lock_arg;
	/* Blocks are aligned to their size in addresses, not only in indices. */
	unsigned max = 0;
	while (max < HV_PALLOC_MAX_ORDER && (b / HV_PAGE_SIZE) % ((size_t)2 << max) == 0 &&
	       ((size_t)2 << max) <= nr_pages)
		max++;
	pa->max_order = max;
	hv_memset(meta, META_TAIL, nr_pages);
	/* The largest aligned blocks, each list in address order (the lowest
	 * addresses are handed out first). */
	struct hv_palloc_free *last[HV_PALLOC_MAX_ORDER + 1];
	hv_memset(last, 0, sizeof(last));
	for (size_t i = 0; i < nr_pages;) {
		unsigned o = max;
		while (i % ((size_t)1 << o) || i + ((size_t)1 << o) > nr_pages)
			o--;
		struct hv_palloc_free *n = node(pa, i);
		meta[i] = (uint8_t)o;
		n->next = NULL;
		n->prev = last[o];
		if (last[o])
			last[o]->next = n;
		else
			pa->free[o] = n;
		last[o] = n;
		pa->nr_free[o]++;
		i += (size_t)1 << o;
	}
	return HV_OK;
}

void *hv_palloc_alloc(struct hv_palloc *pa, unsigned order)
{
	if (!pa || order > pa->max_order)
		return NULL;
	take(pa);
	unsigned o = order;
	while (o <= pa->max_order && !pa->free[o])
		o++;
	if (o > pa->max_order) {
		give(pa);
		return NULL;
	}
	size_t i = index_of(pa, pa->free[o]);
	unlink_block(pa, i, o);
	while (o > order) { /* the upper half goes back, one order down */
		o--;
		push(pa, i + ((size_t)1 << o), o);
	}
	size_t n = (size_t)1 << order;
	hv_memset(pa->meta + i, META_USED, n);
	pa->live += n;
	give(pa);
	void *p = node(pa, i);
	hv_memset(p, 0, n * HV_PAGE_SIZE);
	return p;
}

void hv_palloc_free_page(struct hv_palloc *pa, void *page)
{
	if (!pa)
		return;
	uintptr_t p = (uintptr_t)page, b = (uintptr_t)pa->base;
	bool ours = p >= b && (p - b) / HV_PAGE_SIZE < pa->nr_pages && (p - b) % HV_PAGE_SIZE == 0;
	take(pa);
	size_t i = ours ? index_of(pa, page) : 0;
	if (!ours || pa->meta[i] != META_USED) {
		pa->bad_frees++;
		give(pa);
		return;
	}
	pa->live--;
	unsigned o = 0;
	while (o < pa->max_order) {
		size_t buddy = i ^ ((size_t)1 << o);
		if (buddy + ((size_t)1 << o) > pa->nr_pages || pa->meta[buddy] != o)
			break;
		unlink_block(pa, buddy, o);
		size_t low = i < buddy ? i : buddy;
		pa->meta[i ^ buddy ^ low] = META_TAIL; /* the higher one */
		i = low;
		o++;
	}
	push(pa, i, o);
	give(pa);
}

size_t hv_palloc_live(struct hv_palloc *pa)
{
	take(pa);
	size_t n = pa->live;
	give(pa);
	return n;
}

size_t hv_palloc_free_pages(struct hv_palloc *pa)
{
	take(pa);
	size_t n = 0;
	for (unsigned o = 0; o <= pa->max_order; o++)
		n += pa->nr_free[o] << o;
	give(pa);
	return n;
}

static bool lists_ok(struct hv_palloc *pa, size_t *free_pages)
{
	for (unsigned o = 0; o <= pa->max_order; o++) {
		size_t count = 0;
		struct hv_palloc_free *prev = NULL;
		for (struct hv_palloc_free *n = pa->free[o]; n; prev = n, n = n->next) {
			uintptr_t p = (uintptr_t)n, b = (uintptr_t)pa->base;
			if (p < b || (p - b) % HV_PAGE_SIZE ||
			    (p - b) / HV_PAGE_SIZE >= pa->nr_pages)
				return false;
			size_t i = index_of(pa, n);
			if (n->prev != prev || pa->meta[i] != o || i % ((size_t)1 << o) ||
			    i + ((size_t)1 << o) > pa->nr_pages || ++count > pa->nr_free[o])
				return false;
		}
		if (count != pa->nr_free[o])
			return false;
		*free_pages += count << o;
	}
	return true;
}

static bool meta_ok(struct hv_palloc *pa, size_t *used, size_t *heads_pages)
{
	for (size_t i = 0; i < pa->nr_pages;) {
		uint8_t m = pa->meta[i];
		if (m == META_USED) {
			(*used)++;
			i++;
			continue;
		}
		if (m > pa->max_order)
			return false; /* a tail without its head */
		size_t n = (size_t)1 << m, buddy = i ^ n;
		if (m < pa->max_order && buddy + n <= pa->nr_pages && pa->meta[buddy] == m)
			return false; /* two free buddies left apart */
		for (size_t k = 1; k < n; k++)
			if (i + k >= pa->nr_pages || pa->meta[i + k] != META_TAIL)
				return false;
		*heads_pages += n;
		i += n;
	}
	return true;
}

hv_status_t hv_palloc_check(struct hv_palloc *pa)
{
	if (!pa)
		return HV_ERR_INVALID;
	take(pa);
	size_t listed = 0, used = 0, heads = 0;
	bool ok = lists_ok(pa, &listed) && meta_ok(pa, &used, &heads) && listed == heads &&
	          used == pa->live && used + heads == pa->nr_pages;
	give(pa);
	return ok ? HV_OK : HV_ERR_INVALID;
}

/* struct hv_mm_ops over the allocator (pool = the struct hv_palloc). */

static void *ops_zalloc_page(void *pool)
{
	return hv_palloc_alloc(pool, 0);
}

static void ops_free_page(void *pool, void *page)
{
	hv_palloc_free_page(pool, page);
}

static void *ops_zalloc_contig(void *pool, unsigned nr)
{
	unsigned order = 0;
	while (order < 31 && (1u << order) < nr)
		order++;
	if (nr < 2 || (1u << order) != nr)
		return NULL;
	return hv_palloc_alloc(pool, order);
}

static hv_pa_t ops_v2p(void *pool, const void *va)
{
	const struct hv_palloc *pa = pool;
	return hv_pa((uint64_t)(uintptr_t)va - pa->linear_offset);
}

static void *ops_p2v(void *pool, hv_pa_t phys)
{
	const struct hv_palloc *pa = pool;
	return (void *)(uintptr_t)(hv_pa_addr(phys) + pa->linear_offset);
}

void hv_palloc_mm_ops(struct hv_palloc *pa, uint64_t linear_offset, struct hv_mm_ops *ops)
{
	pa->linear_offset = linear_offset;
	*ops = (struct hv_mm_ops){
	    .zalloc_page = ops_zalloc_page,
	    .free_page = ops_free_page,
	    .virt_to_phys = ops_v2p,
	    .phys_to_virt = ops_p2v,
	    .zalloc_pages_contig = ops_zalloc_contig,
	    .pool = pa,
	    .linear = true,
	    .linear_offset = linear_offset,
	};
}
