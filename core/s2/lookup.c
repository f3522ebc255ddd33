/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hv_s2_lookup (a hand-written descent) and hv_s2_walk (read-only visitor).
 */
#include "s2_internal.h"

hv_status_t hv_s2_lookup(const struct hv_s2_pgt *pgt, hv_ipa_t ipa_in, struct hv_s2_leaf *out)
{
	uint64_t ipa = hv_ipa_addr(ipa_in);
	if (!pgt || !pgt->root || !out)
		return HV_ERR_INVALID;
	if (ipa >= s2_ipa_limit(pgt))
		return HV_ERR_RANGE;

	const uint64_t *t = pgt->root;
	uint64_t mask = s2_root_mask(pgt);
	for (unsigned level = pgt->start_level;; level++) {
		uint64_t d = s2_clean(t[s2_index(ipa, level, mask)]);
		if (s2_is_table(d, level)) {
			t = s2_table_va(pgt, d);
			mask = S2_ENTRIES - 1;
			continue;
		}
		if (!s2_is_leaf(d, level))
			return HV_ERR_NOT_FOUND;
		uint64_t sz = s2_size(level);
		out->pa = hv_pa((s2_oa(d) & ~(sz - 1)) | (ipa & (sz - 1)));
		out->prot = s2_desc_prot(d);
		out->type = s2_desc_type(pgt, d);
		out->level = (uint8_t)level;
		out->size = sz;
		out->desc = d;
		return HV_OK;
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
