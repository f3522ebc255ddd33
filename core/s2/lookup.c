/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hv_s2_lookup (a hand-written descent) and hv_s2_walk (read-only visitor).
 */
#include "s2_internal.h"

/*
 * prot and type of a leaf by its bits MemAttr[3:0] (5:2), S2AP (7:6) and
 * XN[1:0] (54:53), all of them in one table load: index bits 3:0 MemAttr,
 * 5:4 S2AP, 7:6 XN. The decode is s2_desc_prot and s2_desc_type.
 */
struct prot_type {
	uint32_t prot;
	uint32_t type;
};
#define PT_PROT(i) ((uint32_t)(((i) >> 4) & 3u) | (((i) >> 6) ? 0u : (uint32_t)HV_S2_PROT_X))
#define PT_TYPE(i)                                                                                 \
	(((i)&15) == S2_MEMATTR_DEVICE_nGnRnE  ? HV_S2_MEM_DEVICE_nGnRnE                           \
	 : ((i)&15) == S2_MEMATTR_DEVICE_nGnRE ? HV_S2_MEM_DEVICE_nGnRE                            \
	 : ((i)&15) == S2_MEMATTR_NORMAL_NC    ? HV_S2_MEM_NORMAL_NC                               \
	                                       : HV_S2_MEM_NORMAL_WB)
#define PT1(i)                                                                                     \
	{                                                                                          \
		PT_PROT(i), PT_TYPE(i)                                                             \
	}
#define PT4(i)  PT1(i), PT1(i + 1), PT1(i + 2), PT1(i + 3)
#define PT16(i) PT4(i), PT4(i + 4), PT4(i + 8), PT4(i + 12)
#define PT64(i) PT16(i), PT16(i + 16), PT16(i + 32), PT16(i + 48)
static const struct prot_type prot_type_of[256] = {PT64(0), PT64(64), PT64(128), PT64(192)};
#undef PT64
#undef PT16
#undef PT4
#undef PT1
#undef PT_TYPE
#undef PT_PROT

/* What the leaf `d` at `level` says about `ipa`. */
static inline hv_status_t fill_leaf(uint64_t ipa, uint64_t d, unsigned level,
                                    struct hv_s2_leaf *out)
{
	d = s2_clean(d);
	if (level == 3 ? !s2_type_bits_11(d) : !s2_is_valid(d))
		return HV_ERR_NOT_FOUND;
	uint64_t sz = s2_size(level);
	const struct prot_type *pt =
	    &prot_type_of[((d >> S2_MEMATTR_SHIFT) & 0x3f) | ((d >> (53 - 6)) & 0xc0)];
	out->pa = hv_pa((s2_oa(d) & ~(sz - 1)) | (ipa & (sz - 1)));
	out->prot = pt->prot;
	out->type = (enum hv_s2_memtype)pt->type;
	out->level = (uint8_t)level;
	out->size = sz;
	out->desc = d;
	return HV_OK;
}

/* Any pool: each table through phys_to_virt. */
static __attribute__((noinline)) hv_status_t lookup_mm(const struct hv_s2_pgt *pgt, uint64_t ipa,
                                                       struct hv_s2_leaf *out)
{
	unsigned level = pgt->start_level;
	uint64_t d = pgt->root[ipa >> s2_shift(level)];
	while (level < 3 && s2_type_bits_11(d)) {
		level++;
		d = s2_table_va(pgt, d)[s2_index(ipa, level, S2_ENTRIES - 1)];
	}
	return fill_leaf(ipa, d, level, out);
}

/*
 * The descent over a linear pool from a constant start level, so it unrolls
 * into straight-line code with constant shifts and a constant-level leaf
 * decode at each exit. The root index needs no mask: an IPA below the limit
 * indexes the concatenated root tables exactly.
 */
static inline hv_status_t lookup_linear(const struct hv_s2_pgt *pgt, uint64_t ipa,
                                        struct hv_s2_leaf *out, unsigned start)
{
	const uint64_t off = pgt->linear_offset;
	uint64_t d = pgt->root[ipa >> s2_shift(start)];
	for (unsigned level = start; level < 3; level++) {
		if (!s2_type_bits_11(d))
			return fill_leaf(ipa, d, level, out);
		const uint64_t *t = (const uint64_t *)(uintptr_t)(s2_oa(d) + off);
		d = t[s2_index(ipa, level + 1, S2_ENTRIES - 1)];
	}
	return fill_leaf(ipa, d, 3, out);
}

hv_status_t hv_s2_lookup(const struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, struct hv_s2_leaf *out)
{
	uint64_t ipa = hv_ipa_addr(ipa_in);
	if (!pgt || !pgt->root || !out)
		return HV_ERR_INVALID;
	if (ipa >= pgt->ipa_limit)
		return HV_ERR_RANGE;
	if (!pgt->linear)
		return lookup_mm(pgt, ipa, out);
	switch (pgt->start_level) {
	case 0: return lookup_linear(pgt, ipa, out, 0);
	case 1: return lookup_linear(pgt, ipa, out, 1);
	default: return lookup_linear(pgt, ipa, out, 2);
	}
}

static hv_status_t walk_table(const struct hv_s2_pgt *pgt, const struct hv_s2_visitor *v,
                              unsigned level, const uint64_t *t, uint64_t ipa, uint64_t end)
{
	const uint64_t sz = s2_size(level);
	const uint64_t mask = s2_mask(pgt, level);

	for (uint64_t cs = ipa; cs < end;) {
		uint64_t es = cs & ~(sz - 1);
		uint64_t ce = end - es > sz ? es + sz : end;
		uint64_t d = s2_clean(t[s2_index(cs, level, mask)]);
		hv_status_t ret = HV_OK;

		if (s2_is_table(d, level)) {
			if (v->table_pre)
				ret = v->table_pre(v->arg, hv_ipa(es), level, d);
			if (ret == HV_OK)
				ret = walk_table(pgt, v, level + 1, s2_table_va(pgt, d), cs, ce);
			if (ret == HV_OK && v->table_post)
				ret = v->table_post(v->arg, hv_ipa(es), level, d);
		} else if (s2_is_leaf(d, level) && v->leaf) {
			ret = v->leaf(v->arg, hv_ipa(es), level, d);
		}
		if (ret != HV_OK)
			return ret;
		cs = ce;
	}
	return HV_OK;
}

hv_status_t hv_s2_walk(const struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, uint64_t size,
                       const struct hv_s2_visitor *visitor)
{
	uint64_t ipa = hv_ipa_addr(ipa_in);
	hv_status_t ret = s2_check_range(pgt, ipa, size);
	if (ret != HV_OK)
		return ret;
	if (!visitor)
		return HV_ERR_INVALID;
	return walk_table(pgt, visitor, pgt->start_level, pgt->root, ipa, ipa + size);
}
