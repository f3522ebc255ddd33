/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The out-of-line half of hv_s2_lookup (its decode table and the descent
 * through phys_to_virt), and hv_s2_walk (read-only visitor). The descent
 * over a linear pool is inline, in hv/s2.h.
 */
#include "s2_internal.h"

/*
 * Every attribute index (hv_s2_attr_index: MemAttr[3:0] in bits 3:0, S2AP
 * in 5:4, XN[1:0] in 7:6) decoded. Execute iff XN is 0b00 (D8.4.2); the
 * type by MemAttr: Device-nGnRnE, Device-nGnRE and Normal-NC have one code
 * in both forms (D8.6.5, and D8.6.6 with FEAT_S2FWB), every other code is
 * one of the two Normal write-back codes or unused.
 */
HV_STATIC_ASSERT(HV_S2_MEMATTR_FWB_NORMAL_NC == HV_S2_MEMATTR_NORMAL_NC,
                 "one decode table for both MemAttr forms");
HV_STATIC_ASSERT(HV_S2_PROT_R == 1 && HV_S2_PROT_W == 2, "S2AP[1:0] is prot's R and W");
#define ATTR_PROT(i) ((uint32_t)(((i) >> 4) & 3u) | (((i) >> 6) ? 0u : (uint32_t)HV_S2_PROT_X))
#define ATTR_TYPE(i)                                                                               \
	(((i)&15) == HV_S2_MEMATTR_DEVICE_nGnRnE  ? HV_S2_MEM_DEVICE_nGnRnE                        \
	 : ((i)&15) == HV_S2_MEMATTR_DEVICE_nGnRE ? HV_S2_MEM_DEVICE_nGnRE                         \
	 : ((i)&15) == HV_S2_MEMATTR_NORMAL_NC    ? HV_S2_MEM_NORMAL_NC                            \
	                                          : HV_S2_MEM_NORMAL_WB)
#define ATTR1(i)                                                                                   \
	{                                                                                          \
		ATTR_PROT(i), ATTR_TYPE(i)                                                         \
	}
#define ATTR4(i)  ATTR1(i), ATTR1(i + 1), ATTR1(i + 2), ATTR1(i + 3)
#define ATTR16(i) ATTR4(i), ATTR4(i + 4), ATTR4(i + 8), ATTR4(i + 12)
#define ATTR64(i) ATTR16(i), ATTR16(i + 16), ATTR16(i + 32), ATTR16(i + 48)
const struct hv_s2_attr_decode hv_s2_attr_decode[256] = {ATTR64(0), ATTR64(64), ATTR64(128),
                                                         ATTR64(192)};
#undef ATTR64
#undef ATTR16
#undef ATTR4
#undef ATTR1
#undef ATTR_TYPE
#undef ATTR_PROT

hv_status_t hv_s2_lookup_any_pool(const struct hv_s2_pgt *pgt, uint64_t ipa, struct hv_s2_leaf *out)
{
	unsigned level = pgt->start_level;
	uint64_t d = pgt->root[ipa >> hv_s2_level_shift(level)];
	while (level < 3 && hv_s2_desc_bits_11(d)) {
		level++;
		d = s2_table_va(pgt, d)[s2_index(ipa, level, HV_S2_ENTRIES - 1)];
	}
	return hv_s2_leaf_of(ipa, d, level, out);
}

static hv_status_t walk_table(const struct hv_s2_pgt *pgt, const struct hv_s2_visitor *v,
                              unsigned level, const uint64_t *t, uint64_t ipa, uint64_t end)
{
	const uint64_t sz = hv_s2_level_size(level);
	const uint64_t mask = s2_mask(pgt, level);

	for (uint64_t cs = ipa; cs < end;) {
		uint64_t es = cs & ~(sz - 1);
		uint64_t ce = end - es > sz ? es + sz : end;
		uint64_t d = hv_s2_desc_clean(t[s2_index(cs, level, mask)]);
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
