/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hv_s2_unmap, hv_s2_unmap_keep_tables and hv_s2_protect: a check pass
 * counts the blocks the range cuts (each split needs a table page,
 * allocated up front); the apply pass cannot fail. Cleared leaves are
 * invalidated in one batch at the end (break first, then one TLBI
 * sequence); emptied tables are freed only after that invalidation, and
 * never by hv_s2_unmap_keep_tables.
 */
#include "s2_internal.h"

/* OP_CLEAR: OP_UNMAP that leaves every table linked, even an empty one. */
enum range_op { OP_UNMAP, OP_CLEAR, OP_PROTECT };

struct range_args {
	struct hv_s2_pgt *pgt;
	enum range_op op;
	uint64_t perm;  /* OP_PROTECT: new S2AP/XN bits */
	bool want_exec; /* OP_PROTECT: X requested */
	uint64_t need;
	struct s2_page_cache cache;
	struct s2_free_list freed;
	struct s2_tlb_batch tlb;
};

static bool is_device(uint64_t leaf)
{
	uint64_t attr = (leaf & HV_S2_MEMATTR_MASK) >> HV_S2_MEMATTR_SHIFT;
	return attr == HV_S2_MEMATTR_DEVICE_nGnRE || attr == HV_S2_MEMATTR_DEVICE_nGnRnE;
}

/* Check pass over a live table (t) or over the split of block `vblock`. */
static hv_status_t range_check(struct range_args *a, unsigned level, const uint64_t *t,
                               uint64_t vblock, uint64_t ipa, uint64_t end)
{
	const uint64_t sz = hv_s2_level_size(level);
	const uint64_t mask = s2_mask(a->pgt, level);
	/* Only protect-with-X looks at every leaf (Device memory refuses X). */
	const bool every_leaf = a->op == OP_PROTECT && a->want_exec;

	for (uint64_t cs = ipa; cs < end;) {
		const uint64_t s = cs, es = cs & ~(sz - 1);
		const uint64_t ce = end - es > sz ? es + sz : end;
		const bool whole = s == es && ce - es == sz;
		unsigned idx = s2_index(cs, level, mask);
		uint64_t old = t ? hv_s2_desc_clean(t[idx]) : s2_split_entry(vblock, level, idx);
		hv_status_t ret = HV_OK;

		cs = ce;
		if (!hv_s2_desc_valid(old))
			continue;
		if (s2_is_table(old, level)) {
			/* Every entry of a wholly covered table is wholly covered:
			 * no block in it needs a split. */
			if (!whole || every_leaf)
				ret = range_check(a, level + 1, s2_table_va(a->pgt, old), 0, s, ce);
		} else {
			if (every_leaf && is_device(old))
				return HV_ERR_INVALID;
			if (!whole) { /* the range cuts this block */
				a->need++;
				ret = range_check(a, level + 1, NULL, old, s, ce);
			}
		}
		if (ret != HV_OK)
			return ret;
	}
	return HV_OK;
}

/* Pages of entries [i, i + n) of a last-level table, the first at `ipa`:
 * one tight loop. Returns how many became invalid. */
static unsigned range_pages(struct range_args *a, uint64_t *t, bool live, unsigned i, unsigned n,
                            uint64_t ipa)
{
	unsigned removed = 0;
	for (unsigned k = 0; k < n; k++, ipa += HV_PAGE_SIZE) {
		uint64_t old = t[i + k];
		if (!hv_s2_desc_valid(old))
			continue;
		if (a->op != OP_PROTECT) {
			s2_set(t, i + k, 0);
			removed++;
		} else {
			/* Permission change only: no break-before-make needed
			 * (Arm ARM D8.16.1), but stale TLB entries must go. The
			 * count bits of entries 0..2 are kept as they are. */
			uint64_t leaf = (old & ~S2_DESC_PERM_MASK) | a->perm;
			if (leaf == old)
				continue;
			s2_write(&t[i + k], leaf);
		}
		if (live)
			s2_tlb_batch_add(&a->tlb, ipa, 3);
	}
	a->pgt->stats.leaves[3] -= removed;
	return removed;
}

/* Unmap takes a last-level table whose whole range goes by unlinking it:
 * its entries die with it (the page returns to the pool only after the TLB
 * invalidation, and pools hand out zeroed pages). Tables with few leaves
 * still go entry by entry, for one TLBI each with a level hint. */
static bool drops_whole(const struct range_args *a, unsigned child_level, const uint64_t *child,
                        bool whole)
{
	return a->op == OP_UNMAP && whole && child_level == 3 && s2_count(child) > S2_TLBI_BATCH;
}

static void range_apply(struct range_args *a, unsigned level, uint64_t *t, bool live, uint64_t ipa,
                        uint64_t end)
{
	struct hv_s2_pgt *pgt = a->pgt;
	const uint64_t sz = hv_s2_level_size(level);
	const uint64_t mask = s2_mask(pgt, level);
	int removed = 0;

	if (level == 3) {
		removed = (int)range_pages(a, t, live, s2_index(ipa, 3, mask),
		                           (unsigned)((end - ipa) >> HV_PAGE_SHIFT), ipa);
		if (removed)
			s2_count_add(t, -removed);
		return;
	}
	for (uint64_t cs = ipa; cs < end;) {
		const uint64_t s = cs, es = cs & ~(sz - 1);
		const uint64_t ce = end - es > sz ? es + sz : end;
		const bool whole = s == es && ce - es == sz;
		unsigned idx = s2_index(cs, level, mask);
		uint64_t old = hv_s2_desc_clean(t[idx]);

		cs = ce;
		if (!hv_s2_desc_valid(old))
			continue;
		if (s2_is_table(old, level)) {
			uint64_t *child = s2_table_va(pgt, old);
			if (live && drops_whole(a, level + 1, child, whole)) {
				s2_set(t, idx, 0);
				removed++;
				pgt->stats.leaves[3] -= s2_count(child);
				s2_free_defer(pgt, &a->freed, child);
				s2_tlb_batch_add_table(&a->tlb, es, sz);
				continue;
			}
			range_apply(a, level + 1, child, live, s, ce);
			if (a->op == OP_UNMAP && s2_count(child) == 0) {
				s2_set(t, idx, 0);
				removed++;
				s2_free_defer(pgt, &a->freed, child);
				a->tlb.tables_freed = true;
			}
		} else if (!whole) {
			uint64_t *nt = s2_split_block(a->pgt, &a->cache, old, level + 1);
			range_apply(a, level + 1, nt, false, s, ce);
			if (live)
				s2_bbm_replace(pgt, t, idx, es, level, s2_make_table(pgt, nt));
			else
				s2_set(t, idx, s2_make_table(pgt, nt));
		} else if (a->op != OP_PROTECT) {
			s2_set(t, idx, 0);
			removed++;
			pgt->stats.leaves[level]--;
			if (live)
				s2_tlb_batch_add(&a->tlb, es, level);
		} else {
			/* Permission change only: no break-before-make needed
			 * (Arm ARM D8.16.1), but stale TLB entries must go. */
			uint64_t leaf = (old & ~S2_DESC_PERM_MASK) | a->perm;
			if (leaf != old) {
				s2_set(t, idx, leaf);
				if (live)
					s2_tlb_batch_add(&a->tlb, es, level);
			}
		}
	}
	if (removed)
		s2_count_add(t, -removed);
}

static hv_status_t range_op(struct range_args *a, uint64_t ipa, uint64_t size)
{
	struct hv_s2_pgt *pgt = a->pgt;
	hv_status_t ret = range_check(a, pgt->start_level, pgt->root, 0, ipa, ipa + size);
	if (ret != HV_OK)
		return ret;
	ret = s2_cache_fill(pgt, &a->cache, a->need);
	if (ret != HV_OK)
		return ret;
	s2_tlb_batch_init(&a->tlb);
	range_apply(a, pgt->start_level, pgt->root, true, ipa, ipa + size);
	s2_tlb_batch_flush(pgt, &a->tlb);
	s2_free_list_release(pgt, &a->freed);
	s2_cache_drain(pgt, &a->cache);
	return HV_OK;
}

/* Any range: the general path, out of line so hv_s2_unmap's page path
 * saves no registers. */
static __attribute__((noinline)) hv_status_t unmap_range(struct hv_s2_pgt *pgt, uint64_t ipa,
                                                         uint64_t size)
{
	struct range_args a = {.pgt = pgt, .op = OP_UNMAP};
	return range_op(&a, ipa, size);
}

/* One page of a linear pool's last-level table that keeps other entries:
 * clear it and invalidate it (D8.16.1: invalid -> DSB -> TLBI -> DSB).
 * false: the general path (a block to split, a table to free). */
static inline bool unmap_page_linear(struct hv_s2_pgt *pgt, uint64_t ipa)
{
	uint64_t *t;
	if (s2_cursor_hit(pgt, ipa, 3))
		t = pgt->cursor[3].table;
	else if (!(t = s2_cursor_walk_linear(pgt, ipa, 3)))
		return false;
	const unsigned i = s2_index(ipa, 3, HV_S2_ENTRIES - 1);
	if (!hv_s2_desc_valid(t[i]))
		return true; /* nothing mapped: nothing to invalidate */
	if (!s2_count_above_one(t))
		return false;
	s2_set(t, i, 0);
	s2_count_add(t, -1);
	pgt->stats.leaves[3]--;
	hv_arch_tlbi_ipa_sync(pgt->vmid, hv_ipa(ipa), 3);
	return true;
}

hv_status_t hv_s2_unmap(struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, uint64_t size)
{
	uint64_t ipa = hv_ipa_addr(ipa_in);
	/* One page of a linear pool, every check passed (an aligned page below
	 * the limit ends at or below it): the inlined fast path. */
	if (size == HV_PAGE_SIZE && pgt && pgt->linear && pgt->root && !pgt->destroy.started &&
	    hv_is_aligned(ipa, HV_PAGE_SIZE) && ipa < pgt->ipa_limit) {
		if (unmap_page_linear(pgt, ipa))
			return HV_OK;
		return unmap_range(pgt, ipa, size);
	}
	hv_status_t ret = s2_check_range(pgt, ipa, size);
	if (ret != HV_OK)
		return ret;
	return unmap_range(pgt, ipa, size);
}

hv_status_t hv_s2_unmap_keep_tables(struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, uint64_t size)
{
	uint64_t ipa = hv_ipa_addr(ipa_in);
	hv_status_t ret = s2_check_range(pgt, ipa, size);
	if (ret != HV_OK)
		return ret;
	struct range_args a = {.pgt = pgt, .op = OP_CLEAR};
	return range_op(&a, ipa, size);
}

hv_status_t hv_s2_protect(struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, uint64_t size, uint32_t prot)
{
	uint64_t ipa = hv_ipa_addr(ipa_in);
	hv_status_t ret = s2_check_range(pgt, ipa, size);
	if (ret != HV_OK)
		return ret;
	if (prot & ~(uint32_t)HV_S2_PROT_RWX)
		return HV_ERR_INVALID;
	struct range_args a = {
	    .pgt = pgt,
	    .op = OP_PROTECT,
	    .perm = s2_leaf_attrs(pgt, prot, HV_S2_MEM_NORMAL_WB) & S2_DESC_PERM_MASK,
	    .want_exec = (prot & HV_S2_PROT_X) != 0,
	};
	return range_op(&a, ipa, size);
}
