/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table page management for core/s2: pages allocated before a change
 * (so the change cannot fail half-way), tables freed only after the TLB
 * invalidation that covers them (walk caches may hold them until then),
 * TLB invalidation batching and break-before-make.
 */
#include "s2_internal.h"

hv_status_t s2_cache_fill(const struct hv_s2_pgt *pgt, struct s2_page_cache *cache, uint64_t nr)
{
	cache->head = NULL;
	cache->nr = 0;
	while (cache->nr < nr) {
		void **page = pgt->mm->zalloc_page(pgt->mm->pool);
		if (!page) {
			s2_cache_drain(pgt, cache);
			return HV_ERR_NO_MEMORY;
		}
		*page = cache->head;
		cache->head = page;
		cache->nr++;
	}
	return HV_OK;
}

uint64_t *s2_cache_take(struct hv_s2_pgt *pgt, struct s2_page_cache *cache)
{
	void **page = cache->head;
	/* The count was computed from the same state the change walks, so the
	 * cache cannot run dry; a NULL here is a builder bug. */
	cache->head = *page;
	*page = NULL;
	cache->nr--;
	pgt->stats.table_pages++;
	return (uint64_t *)page;
}

uint64_t *s2_split_block(struct hv_s2_pgt *pgt, struct s2_page_cache *cache, uint64_t block,
                         unsigned level)
{
	uint64_t *nt = s2_cache_take(pgt, cache);
	for (unsigned i = 0; i < HV_S2_ENTRIES; i++)
		nt[i] = s2_split_entry(block, level, i);
	s2_count_set(nt, HV_S2_ENTRIES);
	pgt->stats.leaves[level] += HV_S2_ENTRIES;
	pgt->stats.leaves[level - 1]--;
	return nt;
}

void s2_cache_drain(const struct hv_s2_pgt *pgt, struct s2_page_cache *cache)
{
	while (cache->head) {
		void **page = cache->head;
		cache->head = *page;
		pgt->mm->free_page(pgt->mm->pool, page);
	}
	cache->nr = 0;
}

void s2_free_defer(struct hv_s2_pgt *pgt, struct s2_free_list *list, uint64_t *table)
{
	s2_cursor_reset(pgt);
	*(void **)table = list->head;
	list->head = table;
	pgt->stats.table_pages--;
}

void s2_free_list_release(const struct hv_s2_pgt *pgt, struct s2_free_list *list)
{
	while (list->head) {
		void **page = list->head;
		list->head = *page;
		pgt->mm->free_page(pgt->mm->pool, page);
	}
}

void s2_free_subtree(struct hv_s2_pgt *pgt, struct s2_free_list *list, uint64_t desc,
                     unsigned level)
{
	uint64_t *t = s2_table_va(pgt, desc);
	for (unsigned i = 0; i < HV_S2_ENTRIES; i++) {
		uint64_t d = hv_s2_desc_clean(t[i]);
		if (s2_is_table(d, level + 1))
			s2_free_subtree(pgt, list, d, level + 1);
		else if (s2_is_leaf(d, level + 1))
			pgt->stats.leaves[level + 1]--;
	}
	s2_free_defer(pgt, list, t);
}

void s2_tlb_batch_init(struct s2_tlb_batch *b)
{
	b->start = UINT64_MAX;
	b->end = 0;
	b->nr = 0;
	b->overflow = false;
	b->tables_freed = false;
}

void s2_tlb_batch_flush(const struct hv_s2_pgt *pgt, const struct s2_tlb_batch *b)
{
	if (b->nr == 0 && !b->overflow)
		return;
	hv_arch_dsb_ishst();
	if (!b->overflow) {
		/* Few leaves: one TLBI each, with the level hint unless a table
		 * went too (then walk-cache entries of any level must go). */
		for (unsigned i = 0; i < b->nr; i++)
			hv_arch_tlbi_ipa(pgt->vmid, hv_ipa(b->entries[i].ipa),
			                 b->tables_freed ? HV_TLBI_LEVEL_ANY : b->entries[i].level);
	} else if (hv_arch_has_tlbi_range()) {
		hv_arch_tlbi_ipa_range(pgt->vmid, hv_ipa(b->start), b->end - b->start);
	} else {
		hv_arch_tlbi_vmid(pgt->vmid);
	}
	hv_arch_dsb_ish();
}

void s2_bbm_replace(const struct hv_s2_pgt *pgt, uint64_t *t, unsigned idx, uint64_t ipa,
                    unsigned tlbi_level, uint64_t new_desc)
{
	s2_set(t, idx, 0);
	hv_arch_tlbi_ipa_sync(pgt->vmid, hv_ipa(ipa), tlbi_level);
	s2_set(t, idx, new_desc);
}

void s2_bbm_replace_range(const struct hv_s2_pgt *pgt, uint64_t *t, unsigned idx, uint64_t ipa,
                          uint64_t size, uint64_t new_desc)
{
	s2_set(t, idx, 0);
	hv_arch_dsb_ishst();
	if (hv_arch_has_tlbi_range())
		hv_arch_tlbi_ipa_range(pgt->vmid, hv_ipa(ipa), size);
	else
		hv_arch_tlbi_vmid(pgt->vmid);
	hv_arch_dsb_ish();
	s2_set(t, idx, new_desc);
}

uint64_t *s2_walk_to_mm(const struct hv_s2_pgt *pgt, uint64_t ipa, unsigned level)
{
	uint64_t *t = pgt->root;
	for (unsigned l = pgt->start_level; l < level; l++) {
		uint64_t d = t[s2_index(ipa, l, s2_mask(pgt, l))];
		if (!s2_is_table(d, l))
			return NULL;
		t = s2_table_va(pgt, d);
	}
	return t;
}
