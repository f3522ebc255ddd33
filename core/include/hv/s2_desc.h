/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The VMSAv8-64 stage-2 descriptor format, 4 KiB granule (Arm ARM D8.3
 * "Translation table descriptor formats", D8.4 "Memory access control",
 * D8.6 "Memory region attributes").
 *
 * Public because hv_s2_lookup is inline (hv/s2.h): a lookup is on the path
 * of every stage-2 fault and MMIO decode, and inlined, a caller pays only
 * for the result fields it reads. Runtimes and tests may also decode a
 * leaf's raw descriptor (struct hv_s2_leaf.desc) with these names. Only
 * core/s2 writes descriptors.
 */
#ifndef HV_S2_DESC_H
#define HV_S2_DESC_H

#include <hv/types.h>

/* D8.3.1: bit 0 valid; bit 1 "table" at levels 0..2, "page" at level 3. */
#define HV_S2_DESC_VALID HV_BIT(0)
#define HV_S2_DESC_TABLE HV_BIT(1)
#define HV_S2_DESC_PAGE  HV_BIT(1)
/* Output address / next-level table address, bits [47:12] (48-bit PA). */
#define HV_S2_DESC_OA_MASK HV_GENMASK(47, 12)

/* D8.6.5 stage-2 MemAttr[3:0], descriptor bits [5:2]. */
#define HV_S2_MEMATTR_SHIFT         2
#define HV_S2_MEMATTR_MASK          HV_GENMASK(5, 2)
#define HV_S2_MEMATTR_DEVICE_nGnRnE 0x0u /* MemAttr[3:2]=00: Device, [1:0]=00 */
#define HV_S2_MEMATTR_DEVICE_nGnRE  0x1u /* Device, [1:0]=01 */
#define HV_S2_MEMATTR_NORMAL_NC     0x5u /* Outer NC (01), Inner NC (01) */
#define HV_S2_MEMATTR_NORMAL_WB     0xfu /* Outer WB (11), Inner WB (11) */
/* D8.6.6 FEAT_S2FWB form: MemAttr[2]=0 Device ([1:0] as above);
 * MemAttr[2]=1: [1:0]=01 Normal NC, 10 Normal WB (forced). */
#define HV_S2_MEMATTR_FWB_NORMAL_NC 0x5u
#define HV_S2_MEMATTR_FWB_NORMAL_WB 0x6u

/* D8.4.3 S2AP[1:0], bits [7:6]: bit 6 read, bit 7 write. */
#define HV_S2_DESC_S2AP_SHIFT 6
#define HV_S2_DESC_S2AP_R     HV_BIT(6)
#define HV_S2_DESC_S2AP_W     HV_BIT(7)
/* D8.6.2 SH[1:0], bits [9:8]: 0b11 Inner Shareable. */
#define HV_S2_DESC_SH_INNER (3ull << 8)
#define HV_S2_DESC_SH_MASK  HV_GENMASK(9, 8)
/* D8.4.4 AF, bit 10: set, so no Access flag faults. */
#define HV_S2_DESC_AF HV_BIT(10)
/* D8.4.2 stage-2 XN[1:0], bits [54:53] (FEAT_XNX); XN[1]=1: not executable
 * at EL1 or EL0, the encoding that also means XN without FEAT_XNX. */
#define HV_S2_DESC_XN_SHIFT 53
#define HV_S2_DESC_XN       HV_BIT(54)
#define HV_S2_DESC_XN_MASK  HV_GENMASK(54, 53)
/* Bits [58:55] are reserved for software in leaf descriptors and IGNORED
 * in table and invalid descriptors (D8.3.2): core/s2 keeps each table
 * page's count of valid entries there, 4 bits in each of entries 0..2. */
#define HV_S2_DESC_SW_SHIFT 55
#define HV_S2_DESC_SW_MASK  HV_GENMASK(58, 55)

/* Entries in one table (the root may be several concatenated, D8.2.6). */
#define HV_S2_ENTRIES 512u

/* The IPA bit a table at `level` indexes from (D8.2.5, 9 bits a level). */
static inline unsigned hv_s2_level_shift(unsigned level)
{
	return 12u + 9u * (3u - level);
}

/* Bytes one descriptor at `level` maps. */
static inline uint64_t hv_s2_level_size(unsigned level)
{
	return UINT64_C(1) << hv_s2_level_shift(level);
}

static inline bool hv_s2_desc_valid(uint64_t d)
{
	return (d & HV_S2_DESC_VALID) != 0;
}

/* Bits [1:0] = 11: a table descriptor at levels 0..2, a page at level 3.
 * (d + 1) has bits [1:0] = 00 exactly then: one add and one test. */
static inline bool hv_s2_desc_bits_11(uint64_t d)
{
	return ((d + 1) & (HV_S2_DESC_VALID | HV_S2_DESC_TABLE)) == 0;
}

/* The descriptor without the software bits. */
static inline uint64_t hv_s2_desc_clean(uint64_t d)
{
	return d & ~HV_S2_DESC_SW_MASK;
}

static inline uint64_t hv_s2_desc_oa(uint64_t d)
{
	return d & HV_S2_DESC_OA_MASK;
}

/*
 * prot (HV_S2_PROT_*) and type (enum hv_s2_memtype) of a leaf, by one load:
 * hv_s2_attr_decode[hv_s2_attr_index(d)]. The index is MemAttr[3:0] in bits
 * 3:0, S2AP in 5:4 and XN[1:0] in 7:6. Both MemAttr forms (with and without
 * FWB) share the Device and Normal-NC codes; every other code is Normal
 * write-back. Defined in core/s2/lookup.c.
 */
struct hv_s2_attr_decode {
	uint32_t prot;
	uint32_t type;
};
extern const struct hv_s2_attr_decode hv_s2_attr_decode[256];

static inline unsigned hv_s2_attr_index(uint64_t d)
{
	return (unsigned)(((d >> HV_S2_MEMATTR_SHIFT) & 0x3f) |
	                  ((d >> (HV_S2_DESC_XN_SHIFT - 6)) & 0xc0));
}

#endif /* HV_S2_DESC_H */
