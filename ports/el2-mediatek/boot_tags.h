/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MediaTek's boot-tag list, as BL31 hands it to the EL2 image on phones
 * (mode B: x4 = the list's address, x5 = its size in bytes; MediaTek TF-A
 * bl31_plat_setup passes the preloader's bootarg_loc/bootarg_size through).
 * Each tag: a header {le32 size, le32 tag} and its payload. Two unit
 * conventions exist in MediaTek's trees: the preloader's, size in 32-bit
 * words including the header, the list ended by a size of 0; and the newer
 * pl_boottags one, size in bytes, each tag padded to 8 bytes. The caller
 * says which. GenieZone's tags (preloader gz_atag.h facts):
 *   BOOT_TAG_GZ_INFO 0x88610023: le32 gz_configs (bit 0: EL2 boot
 *     disabled), le32 bootloader, le32 build_variant
 *   BOOT_TAG_GZ_PLAT 0x88610025: 256 bytes, packed: le64 flags (bit 0
 *     remap, 1 GICv2, 2 GICv3), le64 exec_start_offset @8, le32
 *     reserve_mem_size @16, remap ddr/io/sec_io le64 @20/28/36, register
 *     bases le32 uart @44, cpuxgpt @48, gicd @52, gicr @56, ..., hw_code
 *     le16 @104, vm_mem_size @108, log_addr @112, log_size @116, DRAM size
 *     in MiB @120, sys_timer_irq @128
 * Every length is checked against the list's bounds: a hostile or
 * truncated list is refused, never read past.
 */
#ifndef MTK_BOOT_TAGS_H
#define MTK_BOOT_TAGS_H

#include <hv/types.h>

#define MTK_BOOT_TAG_GZ_INFO 0x88610023u
#define MTK_BOOT_TAG_GZ_PLAT 0x88610025u

#define MTK_GZ_INFO_EL2_BOOT_DISABLED (1u << 0)
#define MTK_GZ_PLAT_FLAG_GIC_V3       (1ull << 2)
#define MTK_GZ_PLAT_SIZE              256u

enum mtk_boot_tag_units {
	MTK_BOOT_TAGS_WORDS, /* preloader: size in 32-bit words, ends at size 0 */
	MTK_BOOT_TAGS_BYTES, /* pl_boottags: size in bytes, 8-byte padded */
};

struct mtk_gz_boot {
	bool have_info, have_plat;
	uint32_t gz_configs;
	uint64_t plat_flags;
	uint64_t exec_start_offset; /* the image's displacement from its link address */
	uint32_t reserve_mem_size;
	uint32_t uart_base, gicd_base, gicr_base;
	uint16_t hw_code;
	uint32_t dram_size_mib;
	uint32_t sys_timer_irq;
	uint32_t nr_tags; /* every tag seen, GenieZone's or not */
};

/*
 * Walks the list at tags (size bytes) and fills *out with GenieZone's
 * tags (others are counted and skipped). HV_ERR_INVALID: a tag shorter than
 * its header, running past the list, a GenieZone tag with a short payload,
 * a repeated GenieZone tag, or (bytes) a size not 8-byte aligned.
 */
hv_status_t mtk_boot_tags_parse(const void *tags, size_t size, enum mtk_boot_tag_units units,
                                struct mtk_gz_boot *out);

#endif
