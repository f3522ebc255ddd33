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
	uint64_t sz = hv_s2_level_size(level);
	if (cs != es || ce - cs != sz || !s2_level_has_leaf(level))
		return false;
	if (level < 3 && (a->flags & HV_S2_MAP_PAGES))
		return false;
	return hv_is_aligned(pa_of(a, cs), sz);
}

/* Does the block at `es` already map cs the way the caller asks? */
static bool block_agrees(const struct map_args *a, uint64_t block, uint64_t es, uint64_t cs)
{
	uint64_t attrs =
	    hv_s2_desc_clean(block) & ~(HV_S2_DESC_OA_MASK | HV_S2_DESC_VALID | HV_S2_DESC_TABLE);
	return attrs == a->attrs && hv_s2_desc_oa(block) + (cs - es) == pa_of(a, cs);
}

/*
 * Check pass. `t` is a live table, or NULL for a table the change will
 * create: empty (vblock == 0) or split from block `vblock`.
 */
static hv_status_t map_check(struct map_args *a, unsigned level, const uint64_t *t, uint64_t vblock,
                             uint64_t ipa, uint64_t end)
{
	const uint64_t sz = hv_s2_level_size(level);
	const uint64_t mask = s2_mask(a->pgt, level);

	if (!t && !vblock && level == 3)
		return HV_OK; /* a new empty page table: every page fits */
	for (uint64_t cs = ipa; cs < end;) {
		uint64_t es = cs & ~(sz - 1);
		uint64_t ce = end - es > sz ? es + sz : end;
		unsigned idx = s2_index(cs, level, mask);
		uint64_t old = t        ? hv_s2_desc_clean(t[idx])
		               : vblock ? s2_split_entry(vblock, level, idx)
		                        : 0;
		hv_status_t ret = HV_OK;

		if (leaf_fits(a, level, es, cs, ce)) {
			if (hv_s2_desc_valid(old) &&
			    old != s2_make_leaf(a->attrs, pa_of(a, cs), level) &&
			    !(a->flags & HV_S2_MAP_REPLACE))
				return HV_ERR_EXISTS;
		} else if (!hv_s2_desc_valid(old)) {
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

/*
 * Pages for entries [i, i + n) of a last-level table, the first mapping
 * `ipa`; the check pass has cleared every conflict. A table the change
 * just created is empty and not yet linked: plain stores the compiler may
 * vectorise. Returns how many entries became valid.
 */
static unsigned map_pages(struct map_args *a, uint64_t *t, bool live, bool fresh, unsigned i,
                          unsigned n, uint64_t ipa)
{
	const uint64_t first = s2_make_leaf(a->attrs, pa_of(a, ipa), 3);
	unsigned added = 0;

	if (fresh) {
		for (unsigned k = 0; k < n; k++)
			t[i + k] = first + ((uint64_t)k << HV_PAGE_SHIFT);
		a->pgt->stats.leaves[3] += n;
		return n;
	}
	for (unsigned k = 0; k < n; k++) {
		uint64_t leaf = first + ((uint64_t)k << HV_PAGE_SHIFT);
		uint64_t old = hv_s2_desc_clean(t[i + k]);
		if (!hv_s2_desc_valid(old)) {
			s2_set(t, i + k, leaf);
			added++;
		} else if (old != leaf) {
			if (live)
				s2_bbm_replace(a->pgt, t, i + k,
				               ipa + ((uint64_t)k << HV_PAGE_SHIFT), 3, leaf);
			else
				s2_set(t, i + k, leaf);
		}
	}
	a->pgt->stats.leaves[3] += added;
	return added;
}

/* Apply pass. `live`: the table is reachable by the hardware walker, so a
 * valid entry is only ever replaced with break-before-make. `fresh`: the
 * table was just allocated (all zero). */
static void map_apply(struct map_args *a, unsigned level, uint64_t *t, bool live, bool fresh,
                      uint64_t ipa, uint64_t end)
{
	struct hv_s2_pgt *pgt = a->pgt;
	const uint64_t sz = hv_s2_level_size(level);
	const uint64_t mask = s2_mask(pgt, level);
	int added = 0;

	if (level == 3) {
		unsigned n = (unsigned)((end - ipa) >> HV_PAGE_SHIFT);
		added = (int)map_pages(a, t, live, fresh, s2_index(ipa, 3, mask), n, ipa);
		if (added)
			s2_count_add(t, added);
		return;
	}
	for (uint64_t cs = ipa; cs < end;) {
		uint64_t es = cs & ~(sz - 1);
		uint64_t ce = end - es > sz ? es + sz : end;
		unsigned idx = s2_index(cs, level, mask);
		uint64_t old = hv_s2_desc_clean(t[idx]);

		if (leaf_fits(a, level, es, cs, ce)) {
			uint64_t leaf = s2_make_leaf(a->attrs, pa_of(a, cs), level);
			if (!hv_s2_desc_valid(old)) {
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
		} else if (!hv_s2_desc_valid(old)) {
			uint64_t *nt = s2_cache_take(pgt, &a->cache);
			map_apply(a, level + 1, nt, false, true, cs, ce);
			if (live)
				hv_arch_dsb_ishst(); /* the new table's entries before its link */
			s2_set(t, idx, s2_make_table(pgt, nt));
			added++;
		} else if (s2_is_table(old, level)) {
			map_apply(a, level + 1, s2_table_va(pgt, old), live, false, cs, ce);
		} else if (!block_agrees(a, old, es, cs)) {
			uint64_t *nt = s2_split_block(a->pgt, &a->cache, old, level + 1);
			map_apply(a, level + 1, nt, false, false, cs, ce);
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

/* The leaf level the general path would use for a range that lies in one
 * table at that level: the largest block that alignment allows. */
static unsigned leaf_level(const struct hv_s2_pgt *pgt, uint64_t ipa, uint64_t pa, uint64_t size,
                           uint32_t flags)
{
	unsigned level = 3;
	if (!(flags & HV_S2_MAP_PAGES)) {
		uint64_t align = ipa | pa | size;
		if (hv_is_aligned(align, hv_s2_level_size(1)))
			level = 1;
		else if (hv_is_aligned(align, hv_s2_level_size(2)))
			level = 2;
	}
	return level < pgt->start_level ? pgt->start_level : level;
}

/*
 * The common case of demand paging and of small ranges: the range is a run
 * of leaves in one existing table, every entry invalid or already that very
 * leaf. One descent, one run of stores, no allocation, and no
 * break-before-make (nothing valid is replaced): one barrier publishes the
 * new entries. false: the general path decides (conflict, replacement,
 * missing table, a range over several tables).
 */
static bool map_fast(struct hv_s2_pgt *pgt, uint64_t ipa, uint64_t pa, uint64_t size,
                     uint64_t attrs, uint32_t flags)
{
	const unsigned level = leaf_level(pgt, ipa, pa, size, flags);
	const uint64_t last = ipa + size - 1;

	if (level > pgt->start_level &&
	    (ipa >> hv_s2_level_shift(level - 1)) != (last >> hv_s2_level_shift(level - 1)))
		return false; /* more than one table */
	uint64_t *t = s2_walk_to(pgt, ipa, level);
	if (!t)
		return false;

	const unsigned first = s2_index(ipa, level, s2_mask(pgt, level));
	const unsigned n = (unsigned)(size >> hv_s2_level_shift(level));
	const uint64_t step = hv_s2_level_size(level);
	const uint64_t leaf = s2_make_leaf(attrs, pa, level);
	unsigned present = 0;
	for (unsigned k = 0; k < n; k++) {
		uint64_t old = t[first + k];
		if (!hv_s2_desc_valid(old))
			continue;
		if (hv_s2_desc_clean(old) != leaf + k * step)
			return false;
		present++;
	}
	if (present == n)
		return true; /* exactly this mapping already */
	if (present == 0 && first >= 3) {
		for (unsigned k = 0; k < n; k++)
			s2_write(&t[first + k], leaf + k * step);
	} else {
		for (unsigned k = 0; k < n; k++)
			if (!hv_s2_desc_valid(t[first + k]))
				s2_set(t, first + k, leaf + k * step);
	}
	s2_count_add(t, (int)(n - present));
	pgt->stats.leaves[level] += n - present;
	hv_arch_dsb_ishst();
	return true;
}

/* map_fast for one leaf over a linear pool: the demand-paging fault, one
 * descent (none under the table of the last one), one store. */
static inline bool map_one_linear(struct hv_s2_pgt *pgt, uint64_t ipa, uint64_t leaf,
                                  unsigned level)
{
	uint64_t *t;
	if (s2_cursor_hit(pgt, ipa, level))
		t = pgt->cursor[level].table;
	else if (!(t = s2_cursor_walk_linear(pgt, ipa, level)))
		return false;
	const unsigned i = s2_index(ipa, level, s2_leaf_mask(pgt, level));
	const uint64_t old = t[i];
	if (hv_s2_desc_valid(old))
		return hv_s2_desc_clean(old) == leaf; /* the same leaf: nothing to do */
	s2_set(t, i, leaf);
	s2_count_add(t, 1);
	pgt->stats.leaves[level]++;
	hv_arch_dsb_ishst();
	return true;
}

/* Check, allocate, apply: a failure before the apply pass changes nothing. */
static __attribute__((noinline)) hv_status_t map_general(struct hv_s2_pgt *pgt, uint64_t ipa,
                                                         uint64_t pa, uint64_t size, uint64_t attrs,
                                                         uint32_t flags)
{
	struct map_args a = {
	    .pgt = pgt,
	    .ipa_start = ipa,
	    .pa_start = pa,
	    .attrs = attrs,
	    .flags = flags,
	};
	hv_status_t ret = map_check(&a, pgt->start_level, pgt->root, 0, ipa, ipa + size);
	if (ret != HV_OK)
		return ret;
	ret = s2_cache_fill(pgt, &a.cache, a.need);
	if (ret != HV_OK)
		return ret;
	map_apply(&a, pgt->start_level, pgt->root, true, false, ipa, ipa + size);
	hv_arch_dsb_ishst();
	s2_free_list_release(pgt, &a.freed);
	s2_cache_drain(pgt, &a.cache); /* empty unless the count was generous */
	return HV_OK;
}

/* Any other range: the fast path when it applies, else the general one. */
static __attribute__((noinline)) hv_status_t map_range(struct hv_s2_pgt *pgt, uint64_t ipa,
                                                       uint64_t pa, uint64_t size, uint64_t attrs,
                                                       uint32_t flags)
{
	if (map_fast(pgt, ipa, pa, size, attrs, flags))
		return HV_OK;
	return map_general(pgt, ipa, pa, size, attrs, flags);
}

/*
 * Every argument check of hv_s2_map passes for one leaf of `size` (a page
 * or a 2 MiB block) at ipa -> pa, and the pool is linear: the fast path may
 * run. Anything else goes through the full checks, which pick the status.
 * An IPA (PA) aligned to `size` below the limit ends at or below it.
 */
static inline bool one_leaf_ok(const struct hv_s2_pgt *pgt, uint64_t ipa, uint64_t pa,
                               uint64_t size, uint32_t prot, enum hv_s2_memtype type,
                               uint32_t flags)
{
	return pgt && pgt->linear && pgt->root && !pgt->destroy.started &&
	       !((ipa | pa) & (size - 1)) && ipa < pgt->ipa_limit && pa < pgt->pa_limit &&
	       prot <= HV_S2_PROT_RWX && (unsigned)type < HV_S2_MEM_NR &&
	       !(flags & ~(uint32_t)(HV_S2_MAP_PAGES | HV_S2_MAP_REPLACE)) &&
	       !((type == HV_S2_MEM_DEVICE_nGnRE || type == HV_S2_MEM_DEVICE_nGnRnE) &&
	         (prot & HV_S2_PROT_X));
}

hv_status_t hv_s2_map(struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, hv_pa_t pa_in, uint64_t size,
                      uint32_t prot, enum hv_s2_memtype type, uint32_t flags)
{
	uint64_t ipa = hv_ipa_addr(ipa_in), pa = hv_pa_addr(pa_in);

	/* The fast paths for a page and a 2 MiB block are inlined here; every
	 * other call is a tail call, so the common path saves no registers. */
	if (size == HV_PAGE_SIZE && one_leaf_ok(pgt, ipa, pa, HV_PAGE_SIZE, prot, type, flags)) {
		uint64_t attrs = s2_leaf_attrs(pgt, prot, type);
		if (map_one_linear(pgt, ipa, s2_make_leaf(attrs, pa, 3), 3))
			return HV_OK;
		return map_range(pgt, ipa, pa, size, attrs, flags);
	}
	if (size == HV_SZ_2M && !(flags & HV_S2_MAP_PAGES) &&
	    one_leaf_ok(pgt, ipa, pa, HV_SZ_2M, prot, type, flags)) {
		uint64_t attrs = s2_leaf_attrs(pgt, prot, type);
		if (map_one_linear(pgt, ipa, s2_make_leaf(attrs, pa, 2), 2))
			return HV_OK;
		return map_range(pgt, ipa, pa, size, attrs, flags);
	}

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
	if (pa >= pgt->pa_limit || size > pgt->pa_limit - pa)
		return HV_ERR_RANGE;
	return map_range(pgt, ipa, pa, size, s2_leaf_attrs(pgt, prot, type), flags);
}
