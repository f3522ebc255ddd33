/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hv_s2_map: two passes over the range. The check pass refuses conflicts
 * and counts the table pages the change needs; the pages are allocated;
 * the apply pass cannot fail. So a failed call changes nothing.
 */
#include "s2_internal.h"

struct map_args {
	struct hv_s2_pgt *pgt;
	uint64_t ipa_start;
	uint64_t pa_start;
	uint64_t attrs;
	uint32_t flags;
	uint64_t need; /* table pages the change needs */
	struct s2_page_cache cache;
	struct s2_free_list freed;
};

static inline uint64_t pa_of(const struct map_args *a, uint64_t ipa)
{
	return a->pa_start + (ipa - a->ipa_start);
}

/* Can [cs, ce) be one leaf at `level` (entry starting at es)? */
static inline bool leaf_fits(const struct map_args *a, unsigned level, uint64_t es, uint64_t cs,
                             uint64_t ce)
{
	uint64_t sz = s2_size(level);
	if (cs != es || ce - cs != sz || !s2_level_has_leaf(level))
		return false;
	if (level < 3 && (a->flags & HV_S2_MAP_PAGES))
		return false;
	return hv_is_aligned(pa_of(a, cs), sz);
}

/* Entry `i` of the table a block at level-1 splits into. */
static uint64_t split_entry(uint64_t block, unsigned level, unsigned i)
{
	uint64_t attrs = s2_clean(block) & ~(S2_DESC_OA_MASK | S2_DESC_VALID | S2_DESC_TABLE);
	return s2_make_leaf(attrs, s2_oa(block) + (uint64_t)i * s2_size(level), level);
}

/* Does the block at `es` already map cs the way the caller asks? */
static bool block_agrees(const struct map_args *a, uint64_t block, uint64_t es, uint64_t cs)
{
	uint64_t attrs = s2_clean(block) & ~(S2_DESC_OA_MASK | S2_DESC_VALID | S2_DESC_TABLE);
	return attrs == a->attrs && s2_oa(block) + (cs - es) == pa_of(a, cs);
}

/*
 * Check pass. `t` is a live table, or NULL for a table the change will
 * create: empty (vblock == 0) or split from block `vblock`.
 */
static hv_status_t map_check(struct map_args *a, unsigned level, const uint64_t *t, uint64_t vblock,
                             uint64_t ipa, uint64_t end)
{
	const uint64_t sz = s2_size(level);
	const uint64_t mask = s2_mask(a->pgt, level);

	if (!t && !vblock && level == 3)
		return HV_OK; /* a new empty page table: every page fits */
	for (uint64_t cs = ipa; cs < end;) {
		uint64_t es = cs & ~(sz - 1);
		uint64_t ce = end - es > sz ? es + sz : end;
		unsigned idx = s2_index(cs, level, mask);
		uint64_t old = t ? s2_clean(t[idx]) : vblock ? split_entry(vblock, level, idx) : 0;
		hv_status_t ret = HV_OK;

		if (leaf_fits(a, level, es, cs, ce)) {
			if (s2_is_valid(old) &&
			    old != s2_make_leaf(a->attrs, pa_of(a, cs), level) &&
			    !(a->flags & HV_S2_MAP_REPLACE))
				return HV_ERR_EXISTS;
		} else if (!s2_is_valid(old)) {
			a->need++;
			ret = map_check(a, level + 1, NULL, 0, cs, ce);
		} else if (s2_is_table(old, level)) {
			ret = map_check(a, level + 1, s2_table_va(a->pgt, old), 0, cs, ce);
		} else if (!block_agrees(a, old, es, cs)) {
			if (!(a->flags & HV_S2_MAP_REPLACE))
				return HV_ERR_EXISTS;
			a->need++;
			ret = map_check(a, level + 1, NULL, old, cs, ce);
		}
		if (ret != HV_OK)
			return ret;
		cs = ce;
	}
	return HV_OK;
}

/* A new table holding the split of `block` (a leaf at level-1). */
static uint64_t *split_block(struct map_args *a, uint64_t block, unsigned level)
{
	uint64_t *nt = s2_cache_take(a->pgt, &a->cache);
	for (unsigned i = 0; i < S2_ENTRIES; i++)
		nt[i] = split_entry(block, level, i);
	s2_count_set(nt, S2_ENTRIES);
	a->pgt->stats.leaves[level] += S2_ENTRIES;
	a->pgt->stats.leaves[level - 1]--;
	return nt;
}

/* Apply pass. `live`: the table is reachable by the hardware walker, so a
 * valid entry is only ever replaced with break-before-make. */
static void map_apply(struct map_args *a, unsigned level, uint64_t *t, bool live, uint64_t ipa,
                      uint64_t end)
{
	struct hv_s2_pgt *pgt = a->pgt;
	const uint64_t sz = s2_size(level);
	const uint64_t mask = s2_mask(pgt, level);
	int added = 0;

	for (uint64_t cs = ipa; cs < end;) {
		uint64_t es = cs & ~(sz - 1);
		uint64_t ce = end - es > sz ? es + sz : end;
		unsigned idx = s2_index(cs, level, mask);
		uint64_t old = s2_clean(t[idx]);

		if (leaf_fits(a, level, es, cs, ce)) {
			uint64_t leaf = s2_make_leaf(a->attrs, pa_of(a, cs), level);
			if (!s2_is_valid(old)) {
				s2_set(t, idx, leaf);
				added++;
				pgt->stats.leaves[level]++;
			} else if (s2_is_table(old, level)) {
				if (live)
					s2_bbm_replace_range(pgt, t, idx, es, sz, leaf);
				else
					s2_set(t, idx, leaf);
				s2_free_subtree(pgt, &a->freed, old, level);
				pgt->stats.leaves[level]++;
			} else if (old != leaf) {
				if (live)
					s2_bbm_replace(pgt, t, idx, es, level, leaf);
				else
					s2_set(t, idx, leaf);
			}
		} else if (!s2_is_valid(old)) {
			uint64_t *nt = s2_cache_take(pgt, &a->cache);
			map_apply(a, level + 1, nt, false, cs, ce);
			if (live)
				hv_arch_dsb_ishst(); /* the new table's entries before its link */
			s2_set(t, idx, s2_make_table(pgt, nt));
			added++;
		} else if (s2_is_table(old, level)) {
			map_apply(a, level + 1, s2_table_va(pgt, old), live, cs, ce);
		} else if (!block_agrees(a, old, es, cs)) {
			uint64_t *nt = split_block(a, old, level + 1);
			map_apply(a, level + 1, nt, false, cs, ce);
			if (live)
				s2_bbm_replace(pgt, t, idx, es, level, s2_make_table(pgt, nt));
			else
				s2_set(t, idx, s2_make_table(pgt, nt));
		}
		cs = ce;
	}
	if (added)
		s2_count_add(t, added);
}

/* One leaf (a page or a block) under existing tables: the common
 * demand-paging case, one descent, no allocation. false: general path. */
static bool map_leaf_fast(struct hv_s2_pgt *pgt, const struct map_args *a, uint64_t ipa,
                          uint64_t size)
{
	unsigned target;
	if (size == HV_PAGE_SIZE)
		target = 3;
	else if (size == s2_size(2) && leaf_fits(a, 2, ipa, ipa, ipa + size))
		target = 2;
	else if (size == s2_size(1) && leaf_fits(a, 1, ipa, ipa, ipa + size))
		target = 1;
	else
		return false;
	if (target < pgt->start_level)
		return false;

	uint64_t *t = pgt->root;
	uint64_t mask = s2_root_mask(pgt);
	for (unsigned level = pgt->start_level; level < target; level++) {
		uint64_t d = s2_clean(t[s2_index(ipa, level, mask)]);
		if (!s2_is_table(d, level))
			return false;
		t = s2_table_va(pgt, d);
		mask = S2_ENTRIES - 1;
	}
	unsigned idx = s2_index(ipa, target, mask);
	uint64_t leaf = s2_make_leaf(a->attrs, a->pa_start, target);
	uint64_t old = s2_clean(t[idx]);
	if (old == leaf)
		return true;
	if (s2_is_valid(old))
		return false;
	s2_set(t, idx, leaf);
	s2_count_add(t, 1);
	pgt->stats.leaves[target]++;
	hv_arch_dsb_ishst();
	return true;
}

hv_status_t hv_s2_map(struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, hv_pa_t pa_in, uint64_t size,
                      uint32_t prot, enum hv_s2_memtype type, uint32_t flags)
{
	uint64_t ipa = hv_ipa_addr(ipa_in), pa = hv_pa_addr(pa_in);
	hv_status_t ret = s2_check_range(pgt, ipa, size);

	if (ret != HV_OK)
		return ret;
	if (!hv_is_aligned(pa, HV_PAGE_SIZE) || hv_range_wraps(pa, size) ||
	    (prot & ~(uint32_t)HV_S2_PROT_RWX) || (unsigned)type >= HV_S2_MEM_NR ||
	    (flags & ~(uint32_t)(HV_S2_MAP_PAGES | HV_S2_MAP_REPLACE)))
		return HV_ERR_INVALID;
	/* Execution from Device memory is never wanted (Arm ARM B2.7.2). */
	if ((type == HV_S2_MEM_DEVICE_nGnRE || type == HV_S2_MEM_DEVICE_nGnRnE) &&
	    (prot & HV_S2_PROT_X))
		return HV_ERR_INVALID;
	uint64_t pa_limit = 1ull << pgt->pa_bits;
	if (pa >= pa_limit || size > pa_limit - pa)
		return HV_ERR_RANGE;

	struct map_args a = {
	    .pgt = pgt,
	    .ipa_start = ipa,
	    .pa_start = pa,
	    .attrs = s2_leaf_attrs(pgt, prot, type),
	    .flags = flags,
	};
	if (map_leaf_fast(pgt, &a, ipa, size))
		return HV_OK;

	ret = map_check(&a, pgt->start_level, pgt->root, 0, ipa, ipa + size);
	if (ret != HV_OK)
		return ret;
	ret = s2_cache_fill(pgt, &a.cache, a.need);
	if (ret != HV_OK)
		return ret;
	map_apply(&a, pgt->start_level, pgt->root, true, ipa, ipa + size);
	hv_arch_dsb_ishst();
	s2_free_list_release(pgt, &a.freed);
	s2_cache_drain(pgt, &a.cache); /* empty unless the count was generous */
	return HV_OK;
}
