/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 descriptor construction and decoding (Arm ARM D8.3, D8.4, D8.6).
 */
#include "s2_internal.h"

static uint64_t memattr(const struct hv_s2_pgt *pgt, enum hv_s2_memtype type)
{
	switch (type) {
	case HV_S2_MEM_NORMAL_WB: return pgt->fwb ? S2_MEMATTR_FWB_NORMAL_WB : S2_MEMATTR_NORMAL_WB;
	case HV_S2_MEM_NORMAL_NC: return pgt->fwb ? S2_MEMATTR_FWB_NORMAL_NC : S2_MEMATTR_NORMAL_NC;
	case HV_S2_MEM_DEVICE_nGnRE: return S2_MEMATTR_DEVICE_nGnRE;
	default: return S2_MEMATTR_DEVICE_nGnRnE;
	}
}

uint64_t s2_leaf_attrs(const struct hv_s2_pgt *pgt, uint32_t prot, enum hv_s2_memtype type)
{
	uint64_t d = S2_DESC_AF | (memattr(pgt, type) << S2_MEMATTR_SHIFT);
	/* D8.6.2: shareability applies to Normal memory; Device is treated as
	 * Outer Shareable whatever SH says, so leave it 0 there. */
	if (type == HV_S2_MEM_NORMAL_WB || type == HV_S2_MEM_NORMAL_NC)
		d |= S2_DESC_SH_INNER;
	if (prot & HV_S2_PROT_R)
		d |= S2_DESC_S2AP_R;
	if (prot & HV_S2_PROT_W)
		d |= S2_DESC_S2AP_W;
	if (!(prot & HV_S2_PROT_X))
		d |= S2_DESC_XN;
	return d;
}

uint64_t s2_make_leaf(uint64_t attrs, uint64_t pa, unsigned level)
{
	return attrs | (pa & S2_DESC_OA_MASK) | S2_DESC_VALID | (level == 3 ? S2_DESC_PAGE : 0);
}

uint32_t s2_desc_prot(uint64_t d)
{
	uint32_t prot = 0;
	if (d & S2_DESC_S2AP_R)
		prot |= HV_S2_PROT_R;
	if (d & S2_DESC_S2AP_W)
		prot |= HV_S2_PROT_W;
	if (!(d & S2_DESC_XN_MASK))
		prot |= HV_S2_PROT_X;
	return prot;
}

enum hv_s2_memtype s2_desc_type(const struct hv_s2_pgt *pgt, uint64_t d)
{
	uint64_t attr = (d & S2_MEMATTR_MASK) >> S2_MEMATTR_SHIFT;
	if (attr == S2_MEMATTR_DEVICE_nGnRE)
		return HV_S2_MEM_DEVICE_nGnRE;
	if (attr == S2_MEMATTR_DEVICE_nGnRnE)
		return HV_S2_MEM_DEVICE_nGnRnE;
	if (attr == (pgt->fwb ? S2_MEMATTR_FWB_NORMAL_NC : S2_MEMATTR_NORMAL_NC))
		return HV_S2_MEM_NORMAL_NC;
	return HV_S2_MEM_NORMAL_WB;
}

uint64_t s2_make_table(const struct hv_s2_pgt *pgt, const uint64_t *table)
{
	uint64_t pa = pgt->linear ? (uint64_t)(uintptr_t)table - pgt->linear_offset
	                          : hv_pa_addr(pgt->mm->virt_to_phys(pgt->mm->pool, table));
	return (pa & S2_DESC_OA_MASK) | S2_DESC_TABLE | S2_DESC_VALID;
}
