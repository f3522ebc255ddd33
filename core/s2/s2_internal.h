/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table helpers private to core/s2: walks, the walk cursor, the table-page
 * counts, building leaves. The descriptor format itself (Arm ARM D8.3, D8.4,
 * D8.6) is public, in hv/s2_desc.h.
 */
#ifndef HV_S2_INTERNAL_H
#define HV_S2_INTERNAL_H

#include <hv/arch.h>
#include <hv/s2.h>
#include <hv/s2_desc.h>

#define S2_DESC_PERM_MASK (HV_S2_DESC_S2AP_R | HV_S2_DESC_S2AP_W | HV_S2_DESC_XN_MASK)

#define S2_TLBI_BATCH 16u /* per-leaf TLBIs above this become one VMID TLBI */

/* Is a block (or page) allowed at this level with the 4 KiB granule? */
static inline bool s2_level_has_leaf(unsigned level)
{
	return level >= 1;
}

static inline bool s2_is_table(uint64_t d, unsigned level)
{
	return level < 3 && hv_s2_desc_bits_11(d);
}

static inline bool s2_is_leaf(uint64_t d, unsigned level)
{
	if (!hv_s2_desc_valid(d))
		return false;
	return level == 3 ? (d & HV_S2_DESC_PAGE) != 0 : (d & HV_S2_DESC_TABLE) == 0;
}

/* Index of `ipa` in a table at `level` (root tables are concatenated, so
 * the root index is wider: `root_mask`). */
static inline unsigned s2_index(uint64_t ipa, unsigned level, uint64_t mask)
{
	return (unsigned)((ipa >> hv_s2_level_shift(level)) & mask);
}

/* Single-copy-atomic descriptor write (D8.16.1): a 64-bit aligned store. */
static inline void s2_write(uint64_t *slot, uint64_t v)
{
	*(volatile uint64_t *)slot = v;
}

/* Write entry `idx`, keeping the count bits of entries 0..2. */
static inline void s2_set(uint64_t *t, unsigned idx, uint64_t v)
{
	if (idx < 3)
		v = hv_s2_desc_clean(v) | (t[idx] & HV_S2_DESC_SW_MASK);
	s2_write(&t[idx], v);
}

static inline unsigned s2_count(const uint64_t *t)
{
	return (unsigned)(((t[0] >> HV_S2_DESC_SW_SHIFT) & 15u) |
	                  ((t[1] >> HV_S2_DESC_SW_SHIFT) & 15u) << 4 |
	                  ((t[2] >> HV_S2_DESC_SW_SHIFT) & 15u) << 8);
}

/* s2_count(t) > 1, mostly from entry 0's nibble alone. */
static inline bool s2_count_above_one(const uint64_t *t)
{
	return ((t[0] >> HV_S2_DESC_SW_SHIFT) & 15u) > 1 || ((t[1] | t[2]) & HV_S2_DESC_SW_MASK);
}

static inline void s2_count_set(uint64_t *t, unsigned c)
{
	for (unsigned i = 0; i < 3; i++) {
		uint64_t nibble = (uint64_t)((c >> (4 * i)) & 15u) << HV_S2_DESC_SW_SHIFT;
		s2_write(&t[i], (t[i] & ~HV_S2_DESC_SW_MASK) | nibble);
	}
}

/* Only the nibbles that change are rewritten: usually entry 0's alone. */
static inline void s2_count_add(uint64_t *t, int delta)
{
	unsigned low = (unsigned)(t[0] >> HV_S2_DESC_SW_SHIFT) & 15u;
	if ((unsigned)((int)low + delta) < 16u) { /* no carry or borrow */
		s2_write(&t[0], t[0] + ((uint64_t)(int64_t)delta << HV_S2_DESC_SW_SHIFT));
		return;
	}
	unsigned old = s2_count(t), new = (unsigned)((int)old + delta);
	for (unsigned i = 0; i < 3; i++) {
		if (((old ^ new) >> (4 * i)) & 15u) {
			uint64_t nibble = (uint64_t)((new >> (4 * i)) & 15u) << HV_S2_DESC_SW_SHIFT;
			s2_write(&t[i], (t[i] & ~HV_S2_DESC_SW_MASK) | nibble);
		}
	}
}

static inline uint64_t *s2_table_va(const struct hv_s2_pgt *pgt, uint64_t d)
{
	if (pgt->linear)
		return (uint64_t *)(uintptr_t)(hv_s2_desc_oa(d) + pgt->linear_offset);
	return pgt->mm->phys_to_virt(pgt->mm->pool, hv_pa(hv_s2_desc_oa(d)));
}

static inline uint64_t s2_root_mask(const struct hv_s2_pgt *pgt)
{
	return (uint64_t)pgt->nr_root_tables * HV_S2_ENTRIES - 1;
}

static inline uint64_t s2_ipa_limit(const struct hv_s2_pgt *pgt)
{
	return pgt->ipa_limit;
}

/* Mask for indexing a table at `level` (the root is wider). */
static inline uint64_t s2_mask(const struct hv_s2_pgt *pgt, unsigned level)
{
	return level == pgt->start_level ? s2_root_mask(pgt) : HV_S2_ENTRIES - 1;
}

/* The table at `level` on the way to `ipa` (below the IPA limit), or NULL
 * if a descriptor above it is not a table: through phys_to_virt (tables.c). */
uint64_t *s2_walk_to_mm(const struct hv_s2_pgt *pgt, uint64_t ipa, unsigned level);

/* The same over a linear pool from a constant start level: unrolled, with
 * constant shifts. The root index needs no mask (an IPA below the limit
 * indexes the concatenated root tables exactly). */
static inline uint64_t *s2_walk_linear(const struct hv_s2_pgt *pgt, uint64_t ipa, unsigned level,
                                       unsigned start)
{
	uint64_t *t = pgt->root;
	for (unsigned l = start; l < level; l++) {
		uint64_t d = t[l == start ? ipa >> hv_s2_level_shift(l)
		                          : s2_index(ipa, l, HV_S2_ENTRIES - 1)];
		if (!s2_is_table(d, l))
			return NULL;
		t = (uint64_t *)(uintptr_t)(hv_s2_desc_oa(d) + pgt->linear_offset);
	}
	return t;
}

/*
 * The walk cursor remembers, per level, the table of the last single page
 * (level 3) or block (level 2) mapped or unmapped, so the next one under
 * the same table needs no descent. Any table unlinked (s2_free_defer,
 * destroy) resets it: a remembered table is always linked.
 */
static inline void s2_cursor_reset(struct hv_s2_pgt *pgt)
{
	for (unsigned l = 0; l < HV_S2_LEVELS; l++) {
		pgt->cursor[l].ipa = UINT64_MAX;
		pgt->cursor[l].table = NULL;
	}
}

/* Does the cursor hold the table at `level` (2 or 3) for `ipa`? */
static inline bool s2_cursor_hit(const struct hv_s2_pgt *pgt, uint64_t ipa, unsigned level)
{
	return ((ipa ^ pgt->cursor[level].ipa) >> hv_s2_level_shift(level - 1)) == 0;
}

/* Cursor miss: walk to the table at `level` (a constant) over a linear
 * pool and remember it; NULL if a descriptor above it is not a table. */
static inline uint64_t *s2_cursor_walk_linear(struct hv_s2_pgt *pgt, uint64_t ipa, unsigned level)
{
	uint64_t *t;
	switch (pgt->start_level) {
	case 0: t = s2_walk_linear(pgt, ipa, level, 0); break;
	case 1: t = s2_walk_linear(pgt, ipa, level, 1); break;
	default: t = s2_walk_linear(pgt, ipa, level, 2); break;
	}
	if (t) {
		const unsigned span = hv_s2_level_shift(level - 1); /* what one table maps */
		pgt->cursor[level].ipa = ipa & ~((1ull << span) - 1);
		pgt->cursor[level].table = t;
	}
	return t;
}

/* Index mask of a table at `level`, a constant where level 3 is never the
 * (wider) root. */
static inline uint64_t s2_leaf_mask(const struct hv_s2_pgt *pgt, unsigned level)
{
	return level == 3 ? HV_S2_ENTRIES - 1 : s2_mask(pgt, level);
}

static inline uint64_t *s2_walk_to(const struct hv_s2_pgt *pgt, uint64_t ipa, unsigned level)
{
	if (!pgt->linear)
		return s2_walk_to_mm(pgt, ipa, level);
	switch (pgt->start_level) {
	case 0: return s2_walk_linear(pgt, ipa, level, 0);
	case 1: return s2_walk_linear(pgt, ipa, level, 1);
	default: return s2_walk_linear(pgt, ipa, level, 2);
	}
}

/*
 * The memory-type bits of a leaf: AF, MemAttr[3:0] (D8.6.5, or the FWB form
 * of D8.6.6) and SH (D8.6.2: Inner Shareable for Normal memory; Device is
 * treated as Outer Shareable whatever SH says, so 0 there). `type` is valid.
 */
static inline uint64_t s2_type_attrs(bool fwb, enum hv_s2_memtype type)
{
#define S2_TYPE_ATTRS(memattr, sh)                                                                 \
	(HV_S2_DESC_AF | ((uint64_t)(memattr) << HV_S2_MEMATTR_SHIFT) | (sh))
	static const uint64_t attrs[2][HV_S2_MEM_NR] = {
	    {
	        [HV_S2_MEM_NORMAL_WB] = S2_TYPE_ATTRS(HV_S2_MEMATTR_NORMAL_WB, HV_S2_DESC_SH_INNER),
	        [HV_S2_MEM_NORMAL_NC] = S2_TYPE_ATTRS(HV_S2_MEMATTR_NORMAL_NC, HV_S2_DESC_SH_INNER),
	        [HV_S2_MEM_DEVICE_nGnRE] = S2_TYPE_ATTRS(HV_S2_MEMATTR_DEVICE_nGnRE, 0),
	        [HV_S2_MEM_DEVICE_nGnRnE] = S2_TYPE_ATTRS(HV_S2_MEMATTR_DEVICE_nGnRnE, 0),
	    },
	    {
	        [HV_S2_MEM_NORMAL_WB] =
	            S2_TYPE_ATTRS(HV_S2_MEMATTR_FWB_NORMAL_WB, HV_S2_DESC_SH_INNER),
	        [HV_S2_MEM_NORMAL_NC] =
	            S2_TYPE_ATTRS(HV_S2_MEMATTR_FWB_NORMAL_NC, HV_S2_DESC_SH_INNER),
	        [HV_S2_MEM_DEVICE_nGnRE] = S2_TYPE_ATTRS(HV_S2_MEMATTR_DEVICE_nGnRE, 0),
	        [HV_S2_MEM_DEVICE_nGnRnE] = S2_TYPE_ATTRS(HV_S2_MEMATTR_DEVICE_nGnRnE, 0),
	    },
	};
#undef S2_TYPE_ATTRS
	return attrs[fwb][type];
}

/* Leaf attribute bits (everything but the OA and the type bits) for a valid
 * prot and type. */
static inline uint64_t s2_leaf_attrs(const struct hv_s2_pgt *pgt, uint32_t prot,
                                     enum hv_s2_memtype type)
{
	/* HV_S2_PROT_R/W (bits 0/1) on S2AP[0]/[1] (bits 6/7), XN[1] unless X:
	 * one load from a table of every prot. */
	HV_STATIC_ASSERT(HV_S2_PROT_R == 1 && HV_S2_PROT_W == 2 && HV_S2_PROT_X == 4 &&
	                     HV_S2_PROT_RWX == 7,
	                 "prot indexes the table");
#define S2_PROT_BITS(p) ((((uint64_t)(p)&3u) << 6) | (((p)&4u) ? 0 : HV_S2_DESC_XN))
	static const uint64_t prot_bits[8] = {
	    S2_PROT_BITS(0), S2_PROT_BITS(1), S2_PROT_BITS(2), S2_PROT_BITS(3),
	    S2_PROT_BITS(4), S2_PROT_BITS(5), S2_PROT_BITS(6), S2_PROT_BITS(7),
	};
#undef S2_PROT_BITS
	return s2_type_attrs(pgt->fwb, type) | prot_bits[prot & HV_S2_PROT_RWX];
}

/* D8.3.1: a block descriptor (levels 1, 2) has bits [1:0] = 01, a page
 * descriptor (level 3) 11. */
static inline uint64_t s2_leaf_type_bits(unsigned level)
{
	return level == 3 ? HV_S2_DESC_VALID | HV_S2_DESC_PAGE : HV_S2_DESC_VALID;
}

static inline uint64_t s2_make_leaf(uint64_t attrs, uint64_t pa, unsigned level)
{
	return attrs | (pa & HV_S2_DESC_OA_MASK) | s2_leaf_type_bits(level);
}

static inline uint64_t s2_table_pa(const struct hv_s2_pgt *pgt, const uint64_t *table)
{
	if (pgt->linear)
		return (uint64_t)(uintptr_t)table - pgt->linear_offset;
	return hv_pa_addr(pgt->mm->virt_to_phys(pgt->mm->pool, table));
}

static inline uint64_t s2_make_table(const struct hv_s2_pgt *pgt, const uint64_t *table)
{
	return (s2_table_pa(pgt, table) & HV_S2_DESC_OA_MASK) | HV_S2_DESC_TABLE | HV_S2_DESC_VALID;
}

/* Pages allocated up front so the change itself cannot fail. */
struct s2_page_cache {
	void *head; /* singly linked through each page's first word */
	uint64_t nr;
};
hv_status_t s2_cache_fill(const struct hv_s2_pgt *pgt, struct s2_page_cache *cache, uint64_t nr);
uint64_t *s2_cache_take(struct hv_s2_pgt *pgt, struct s2_page_cache *cache);
void s2_cache_drain(const struct hv_s2_pgt *pgt, struct s2_page_cache *cache);

/* Entry `i` of the table a block at level-1 splits into: the block's
 * attributes, the i-th `level`-sized piece of its output range. */
static inline uint64_t s2_split_entry(uint64_t block, unsigned level, unsigned i)
{
	uint64_t attrs =
	    hv_s2_desc_clean(block) & ~(HV_S2_DESC_OA_MASK | HV_S2_DESC_VALID | HV_S2_DESC_TABLE);
	return s2_make_leaf(attrs, hv_s2_desc_oa(block) + (uint64_t)i * hv_s2_level_size(level),
	                    level);
}

/* A new table from the cache holding the split of `block` (a leaf at
 * level-1), counted in the stats; the caller links it. */
uint64_t *s2_split_block(struct hv_s2_pgt *pgt, struct s2_page_cache *cache, uint64_t block,
                         unsigned level);

/* Tables unlinked by an operation, freed after the TLB invalidation. */
struct s2_free_list {
	void *head;
};
void s2_free_defer(struct hv_s2_pgt *pgt, struct s2_free_list *list, uint64_t *table);
void s2_free_list_release(const struct hv_s2_pgt *pgt, struct s2_free_list *list);
/* Defer freeing every table below a table descriptor (replaced by a leaf). */
void s2_free_subtree(struct hv_s2_pgt *pgt, struct s2_free_list *list, uint64_t desc,
                     unsigned level);

/*
 * TLB invalidation batching for one operation (tables.c). The sequence is
 * DSB ISHST -> TLBI -> DSB ISH: the DSB completes the invalidation on every
 * PE of the Inner Shareable domain. No ISB follows: the hypervisor does not
 * translate through the guest's stage 2 (and an AT after the DSB cannot
 * execute before it completes), and the guest runs again only after an
 * exception return, itself a context synchronization event.
 */
struct s2_tlb_batch {
	uint64_t start, end; /* IPA range touched */
	unsigned nr;
	bool overflow;
	bool tables_freed; /* walk-cache entries must go too: no level hint */
	struct {
		uint64_t ipa;
		uint8_t level;
	} entries[S2_TLBI_BATCH];
};
void s2_tlb_batch_init(struct s2_tlb_batch *b);
void s2_tlb_batch_flush(const struct hv_s2_pgt *pgt, const struct s2_tlb_batch *b);

static inline void s2_tlb_batch_span(struct s2_tlb_batch *b, uint64_t ipa, uint64_t end)
{
	if (ipa < b->start)
		b->start = ipa;
	if (end > b->end)
		b->end = end;
}

/* One leaf at `level` was invalidated or changed. */
static inline void s2_tlb_batch_add(struct s2_tlb_batch *b, uint64_t ipa, unsigned level)
{
	s2_tlb_batch_span(b, ipa, ipa + hv_s2_level_size(level));
	if (b->nr < S2_TLBI_BATCH) {
		b->entries[b->nr].ipa = ipa;
		b->entries[b->nr].level = (uint8_t)level;
		b->nr++;
	} else {
		b->overflow = true;
	}
}

/* A whole table under [ipa, ipa + size) was unlinked: too many leaves for
 * one TLBI each, and walk-cache entries must go too. */
static inline void s2_tlb_batch_add_table(struct s2_tlb_batch *b, uint64_t ipa, uint64_t size)
{
	s2_tlb_batch_span(b, ipa, ipa + size);
	b->overflow = true;
	b->tables_freed = true;
}

/* Break-before-make replacement of a live valid descriptor (D8.16.1):
 * invalid -> DSB ISHST -> TLBI (level hint) -> DSB ISH -> new descriptor. */
void s2_bbm_replace(const struct hv_s2_pgt *pgt, uint64_t *t, unsigned idx, uint64_t ipa,
                    unsigned tlbi_level, uint64_t new_desc);

/* Break-before-make replacement of a live table descriptor: the TLB may
 * hold entries of any IPA below it, so the whole range goes (one range
 * TLBI if the runtime has it, else the VMID). */
void s2_bbm_replace_range(const struct hv_s2_pgt *pgt, uint64_t *t, unsigned idx, uint64_t ipa,
                          uint64_t size, uint64_t new_desc);

/* Common argument checks for range operations. */
static inline hv_status_t s2_check_range(const struct hv_s2_pgt *pgt, uint64_t ipa, uint64_t size)
{
	if (!pgt || !pgt->root || pgt->destroy.started)
		return HV_ERR_INVALID;
	if (size == 0 || !hv_is_aligned(ipa, HV_PAGE_SIZE) || !hv_is_aligned(size, HV_PAGE_SIZE) ||
	    hv_range_wraps(ipa, size))
		return HV_ERR_INVALID;
	if (ipa >= s2_ipa_limit(pgt) || size > s2_ipa_limit(pgt) - ipa)
		return HV_ERR_RANGE;
	return HV_OK;
}

#endif /* HV_S2_INTERNAL_H */
