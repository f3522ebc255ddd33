/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 geometry, VTCR_EL2 and VTTBR_EL2, table initialisation.
 */
#include "s2_internal.h"

/*
 * Arm ARM D8.2.5/D8.2.6: with the 4 KiB granule a level resolves 9 bits
 * and up to 16 tables (4 more bits) may be concatenated at the initial
 * level. Use the fewest levels that reach: levels = ceil((ipa - 16) / 9).
 * 40 bits: 3 levels from level 1, 10 root bits = 2 concatenated tables.
 */
hv_status_t hv_s2_geometry(unsigned ipa_bits, unsigned *start_level, unsigned *nr_root_tables)
{
	if (ipa_bits < HV_S2_MIN_IPA_BITS || ipa_bits > HV_S2_MAX_IPA_BITS)
		return HV_ERR_INVALID;
	unsigned levels = (ipa_bits - 16u + 8u) / 9u;
	unsigned sl = 4u - levels;
	unsigned root_bits = ipa_bits - hv_s2_level_shift(sl);
	if (start_level)
		*start_level = sl;
	if (nr_root_tables)
		*nr_root_tables = root_bits > 9u ? 1u << (root_bits - 9u) : 1u;
	return HV_OK;
}

/* VTCR_EL2.PS (D13.2.151): physical address size encodings. */
static int pa_bits_to_ps(unsigned pa_bits)
{
	switch (pa_bits) {
	case 32: return 0;
	case 36: return 1;
	case 40: return 2;
	case 42: return 3;
	case 44: return 4;
	case 48: return 5;
	default: return -1;
	}
}

hv_status_t hv_s2_init(struct hv_s2_pgt *pgt, const struct hv_mm_ops *mm, uint16_t vmid,
                       unsigned ipa_bits, unsigned pa_bits)
{
	unsigned sl, nr_root;

	if (!pgt || !mm || !mm->zalloc_page || !mm->free_page || !mm->virt_to_phys ||
	    !mm->phys_to_virt)
		return HV_ERR_INVALID;
	if (hv_s2_geometry(ipa_bits, &sl, &nr_root) != HV_OK || pa_bits_to_ps(pa_bits) < 0 ||
	    ipa_bits > pa_bits)
		return HV_ERR_INVALID;

	uint64_t *root;
	if (nr_root > 1) {
		if (!mm->zalloc_pages_contig)
			return HV_ERR_NOT_SUPPORTED;
		root = mm->zalloc_pages_contig(mm->pool, nr_root);
	} else {
		root = mm->zalloc_page(mm->pool);
	}
	if (!root)
		return HV_ERR_NO_MEMORY;

	hv_memset(pgt, 0, sizeof(*pgt));
	pgt->mm = mm;
	pgt->root = root;
	pgt->root_pa = mm->virt_to_phys(mm->pool, root);
	pgt->vmid = vmid;
	pgt->ipa_bits = (uint8_t)ipa_bits;
	pgt->pa_bits = (uint8_t)pa_bits;
	pgt->ipa_limit = 1ull << ipa_bits;
	pgt->pa_limit = 1ull << pa_bits;
	pgt->start_level = (uint8_t)sl;
	pgt->nr_root_tables = (uint8_t)nr_root;
	pgt->stats.table_pages = nr_root;
	pgt->linear = mm->linear;
	pgt->linear_offset = mm->linear_offset;
	s2_cursor_reset(pgt);
	return HV_OK;
}

hv_status_t hv_s2_set_fwb(struct hv_s2_pgt *pgt, bool fwb)
{
	if (!pgt || !pgt->root)
		return HV_ERR_INVALID;
	for (unsigned l = 0; l < HV_S2_LEVELS; l++)
		if (pgt->stats.leaves[l])
			return HV_ERR_STATE;
	pgt->fwb = fwb;
	return HV_OK;
}

/* VTCR_EL2 fields (Arm ARM D13.2.151). */
#define VTCR_T0SZ(x)    ((uint64_t)(x)&0x3f)
#define VTCR_SL0(x)     ((uint64_t)(x) << 6)
#define VTCR_IRGN0_WBWA (1ull << 8)
#define VTCR_ORGN0_WBWA (1ull << 10)
#define VTCR_SH0_INNER  (3ull << 12)
#define VTCR_TG0_4K     (0ull << 14)
#define VTCR_PS(x)      ((uint64_t)(x) << 16)
#define VTCR_VS_16BIT   HV_BIT(19)
#define VTCR_RES1       HV_BIT(31)

uint64_t hv_s2_vtcr(const struct hv_s2_pgt *pgt)
{
	/* SL0 for TG0 = 4 KiB: 0 -> level 2, 1 -> level 1, 2 -> level 0. */
	uint64_t sl0 = 2u - pgt->start_level;
	uint64_t v = VTCR_T0SZ(64u - pgt->ipa_bits) | VTCR_SL0(sl0) | VTCR_IRGN0_WBWA |
	             VTCR_ORGN0_WBWA | VTCR_SH0_INNER | VTCR_TG0_4K |
	             VTCR_PS(pa_bits_to_ps(pgt->pa_bits)) | VTCR_RES1;
	if (pgt->vmid > 0xff)
		v |= VTCR_VS_16BIT; /* needs FEAT_VMID16 */
	return v;
}

/* VTTBR_EL2 (D13.2.152): VMID [63:48], BADDR [47:1] (root, aligned to the
 * size of the concatenated tables), CnP [0] = 0. */
uint64_t hv_s2_vttbr(const struct hv_s2_pgt *pgt)
{
	return ((uint64_t)pgt->vmid << 48) | (hv_pa_addr(pgt->root_pa) & HV_GENMASK(47, 1));
}

void hv_s2_get_stats(const struct hv_s2_pgt *pgt, struct hv_s2_stats *out)
{
	*out = pgt->stats;
}
