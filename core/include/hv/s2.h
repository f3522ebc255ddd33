/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 page-table builder: VMSAv8-64 stage 2 translation, 4 KiB granule
 * (Arm ARM DDI 0487, D8 "The AArch64 Virtual Memory System Architecture").
 *
 * One builder for every runtime: table pages come from struct hv_mm_ops.
 * Every operation is failure-atomic (on any error the tables are exactly as
 * before and no page leaks), validates its arguments (a bad argument gets a
 * status and changes nothing) and follows break-before-make (Arm ARM D8.16.1)
 * whenever a live valid descriptor is replaced by a different valid one.
 *
 * Levels use the Arm ARM numbering: level 0..3, pages at level 3, blocks at
 * level 2 (2 MiB) and level 1 (1 GiB).
 */
#ifndef HV_S2_H
#define HV_S2_H

#include <hv/mm_ops.h>
#include <hv/s2_desc.h>
#include <hv/types.h>

#define HV_S2_MIN_IPA_BITS 32
#define HV_S2_MAX_IPA_BITS 48
#define HV_S2_LEVELS       4

/* Access permissions of a mapping. */
#define HV_S2_PROT_R   HV_BIT(0)
#define HV_S2_PROT_W   HV_BIT(1)
#define HV_S2_PROT_X   HV_BIT(2)
#define HV_S2_PROT_RW  (HV_S2_PROT_R | HV_S2_PROT_W)
#define HV_S2_PROT_RWX (HV_S2_PROT_R | HV_S2_PROT_W | HV_S2_PROT_X)

/* Memory type of a mapping (stage-2 MemAttr, Arm ARM D8.6.5). */
enum hv_s2_memtype {
	HV_S2_MEM_NORMAL_WB = 0, /* Normal, Inner/Outer Write-Back */
	HV_S2_MEM_NORMAL_NC,     /* Normal, Inner/Outer Non-cacheable */
	HV_S2_MEM_DEVICE_nGnRE,  /* Device-nGnRE */
	HV_S2_MEM_DEVICE_nGnRnE, /* Device-nGnRnE */
	HV_S2_MEM_NR,
};

/* hv_s2_map flags. */
#define HV_S2_MAP_PAGES   HV_BIT(0) /* 4 KiB pages only, no blocks */
#define HV_S2_MAP_REPLACE HV_BIT(1) /* replace different existing mappings */

struct hv_s2_stats {
	uint64_t table_pages;          /* table pages in use, root included */
	uint64_t leaves[HV_S2_LEVELS]; /* valid leaf descriptors per level */
};

/* Resumable destroy progress (private to core/s2). */
struct hv_s2_destroy_state {
	bool started;
	bool done;
};

struct hv_s2_pgt {
	const struct hv_mm_ops *mm;
	uint64_t *root; /* VA of the (possibly concatenated) root tables */
	hv_pa_t root_pa;
	uint16_t vmid;
	uint8_t ipa_bits;
	uint8_t pa_bits;
	uint8_t start_level;
	uint8_t nr_root_tables; /* concatenated root tables, 1..16 */
	bool fwb;               /* FEAT_S2FWB descriptor form (HCR_EL2.FWB = 1) */
	bool linear;            /* mm->linear, copied for the walks */
	uint64_t linear_offset;
	uint64_t ipa_limit; /* 1 << ipa_bits */
	uint64_t pa_limit;  /* 1 << pa_bits */
	/* Walk cursor (private to core/s2): per level, the table at that level
	 * last used for a single leaf, and the IPA it starts at (all ones:
	 * none). */
	struct {
		uint64_t ipa;
		uint64_t *table;
	} cursor[HV_S2_LEVELS];
	struct hv_s2_stats stats;
	struct hv_s2_destroy_state destroy;
};

/* What a lookup finds. */
struct hv_s2_leaf {
	hv_pa_t pa;    /* the output address of the looked-up IPA */
	uint32_t prot; /* HV_S2_PROT_* */
	enum hv_s2_memtype type;
	uint8_t level; /* level of the leaf: 1, 2 or 3 */
	uint64_t size; /* bytes the leaf maps */
	uint64_t desc; /* the raw descriptor */
};

/*
 * Geometry for an IPA size (Arm ARM D8.2.5, stage 2 with concatenated
 * initial tables, D8.2.6): the start level and the number of concatenated
 * root tables. HV_ERR_INVALID for an IPA size outside 32..48.
 */
hv_status_t hv_s2_geometry(unsigned ipa_bits, unsigned *start_level, unsigned *nr_root_tables);

/*
 * An empty table for `vmid`. pa_bits: the physical address size (32, 36,
 * 40, 42, 44 or 48), at least ipa_bits. Concatenated roots need
 * mm->zalloc_pages_contig. HV_ERR_INVALID for bad geometry,
 * HV_ERR_NO_MEMORY if the root can't be had, HV_ERR_NOT_SUPPORTED if the
 * pool can't give contiguous pages.
 */
hv_status_t hv_s2_init(struct hv_s2_pgt *pgt, const struct hv_mm_ops *mm, uint16_t vmid,
                       unsigned ipa_bits, unsigned pa_bits);

/* Use the FEAT_S2FWB descriptor form; only while nothing is mapped. */
hv_status_t hv_s2_set_fwb(struct hv_s2_pgt *pgt, bool fwb);

/* VTCR_EL2 for this table (Arm ARM D13.2.151) and VTTBR_EL2 (D13.2.152). */
uint64_t hv_s2_vtcr(const struct hv_s2_pgt *pgt);
uint64_t hv_s2_vttbr(const struct hv_s2_pgt *pgt);

/*
 * Map [ipa, ipa+size) to [pa, pa+size) with the largest blocks alignment
 * allows (unless HV_S2_MAP_PAGES). An existing different mapping in the
 * range makes the call fail with HV_ERR_EXISTS unless HV_S2_MAP_REPLACE;
 * mapping exactly what is already mapped succeeds and changes nothing.
 * HV_ERR_INVALID: unaligned, zero size, wrap, bad prot/type/flags, device
 * memory with execute; HV_ERR_RANGE: beyond the IPA or PA size;
 * HV_ERR_NO_MEMORY: the pool ran dry (nothing changed).
 */
hv_status_t hv_s2_map(struct hv_s2_pgt *pgt, hv_ipa_t ipa, hv_pa_t pa, uint64_t size, uint32_t prot,
                      enum hv_s2_memtype type, uint32_t flags);

/* Unmap a range; splits blocks cut by its edges; frees emptied tables. */
hv_status_t hv_s2_unmap(struct hv_s2_pgt *pgt, hv_ipa_t ipa, uint64_t size);

/* Unmap a range as hv_s2_unmap does (blocks cut by its edges split, the
 * leaves invalid and out of the TLB) but free no table, even an empty one:
 * mapping pages of the range again then allocates nothing. */
hv_status_t hv_s2_unmap_keep_tables(struct hv_s2_pgt *pgt, hv_ipa_t ipa, uint64_t size);

/* Change the permissions of every mapping in the range (unmapped holes are
 * left alone); splits blocks cut by its edges. */
hv_status_t hv_s2_protect(struct hv_s2_pgt *pgt, hv_ipa_t ipa, uint64_t size, uint32_t prot);

/*
 * What the leaf `d` (read at `level` while looking `ipa` up) says: the
 * result of hv_s2_lookup. HV_ERR_NOT_FOUND if it is not a valid leaf.
 */
static inline hv_status_t hv_s2_leaf_of(uint64_t ipa, uint64_t d, unsigned level,
                                        struct hv_s2_leaf *out)
{
	/* D8.3.1: a page (level 3) has bits [1:0] = 11, a block bit 0 set. */
	if (level == 3 ? !hv_s2_desc_bits_11(d) : !hv_s2_desc_valid(d))
		return HV_ERR_NOT_FOUND;
	const uint64_t size = hv_s2_level_size(level);
	const struct hv_s2_attr_decode *attr = &hv_s2_attr_decode[hv_s2_attr_index(d)];
	d = hv_s2_desc_clean(d);
	out->pa = hv_pa((hv_s2_desc_oa(d) & ~(size - 1)) | (ipa & (size - 1)));
	out->prot = attr->prot;
	out->type = (enum hv_s2_memtype)attr->type;
	out->level = (uint8_t)level;
	out->size = size;
	out->desc = d;
	return HV_OK;
}

/* hv_s2_lookup through mm->phys_to_virt, for a pool that is not linear. */
hv_status_t hv_s2_lookup_any_pool(const struct hv_s2_pgt *pgt, uint64_t ipa,
                                  struct hv_s2_leaf *out);

/*
 * hv_s2_lookup over a linear pool from a constant start level: straight-line
 * code with constant shifts and a constant-level decode at each exit. The
 * root index needs no mask: an IPA below the limit indexes the concatenated
 * root tables exactly.
 */
static inline hv_status_t hv_s2_lookup_linear(const struct hv_s2_pgt *pgt, uint64_t ipa,
                                              struct hv_s2_leaf *out, unsigned start)
{
	uint64_t d = pgt->root[ipa >> hv_s2_level_shift(start)];
	for (unsigned level = start; level < 3; level++) {
		if (!hv_s2_desc_bits_11(d)) /* not a table: a block or invalid */
			return hv_s2_leaf_of(ipa, d, level, out);
		const uint64_t *t =
		    (const uint64_t *)(uintptr_t)(hv_s2_desc_oa(d) + pgt->linear_offset);
		d = t[(ipa >> hv_s2_level_shift(level + 1)) & (HV_S2_ENTRIES - 1)];
	}
	return hv_s2_leaf_of(ipa, d, 3, out);
}

/*
 * The leaf mapping `ipa`: HV_ERR_NOT_FOUND if none, HV_ERR_RANGE if the IPA
 * is beyond the IPA size, HV_ERR_INVALID for a table not initialised (or
 * destroyed). A hand-written descent, inline: a caller that reads only
 * out->pa pays for no decode.
 */
static inline hv_status_t hv_s2_lookup(const struct hv_s2_pgt *pgt, hv_ipa_t ipa_in,
                                       struct hv_s2_leaf *out)
{
	const uint64_t ipa = hv_ipa_addr(ipa_in);
	if (!pgt || !pgt->root || !out)
		return HV_ERR_INVALID;
	if (ipa >= pgt->ipa_limit)
		return HV_ERR_RANGE;
	if (!pgt->linear) {
		/* Through a copy, so `out` never escapes and a caller's unread
		 * fields stay dead. */
		struct hv_s2_leaf leaf;
		hv_status_t ret = hv_s2_lookup_any_pool(pgt, ipa, &leaf);
		if (ret == HV_OK)
			*out = leaf;
		return ret;
	}
	switch (pgt->start_level) {
	case 0: return hv_s2_lookup_linear(pgt, ipa, out, 0);
	case 1: return hv_s2_lookup_linear(pgt, ipa, out, 1);
	default: return hv_s2_lookup_linear(pgt, ipa, out, 2);
	}
}

/* Read-only walk; a callback returning other than HV_OK stops the walk and
 * its status is returned. `ipa` is the first IPA the descriptor maps. */
struct hv_s2_visitor {
	hv_status_t (*leaf)(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc);
	hv_status_t (*table_pre)(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc);
	hv_status_t (*table_post)(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc);
	void *arg;
};
hv_status_t hv_s2_walk(const struct hv_s2_pgt *pgt, hv_ipa_t ipa, uint64_t size,
                       const struct hv_s2_visitor *visitor);

/*
 * Tear the table down, freeing at most *budget table pages per call (the
 * budget left is written back). HV_BUSY: call again; HV_OK: every page is
 * back in the pool and the table is unusable until hv_s2_init. The first
 * call invalidates the VMID's TLB entries; the caller guarantees no vCPU of
 * the VM runs. HV_ERR_INVALID for a zero budget.
 */
hv_status_t hv_s2_destroy(struct hv_s2_pgt *pgt, uint64_t *budget);

void hv_s2_get_stats(const struct hv_s2_pgt *pgt, struct hv_s2_stats *out);

#endif /* HV_S2_H */
