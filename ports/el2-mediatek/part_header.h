/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MediaTek's 512-byte partition image header, as the preloader expects in
 * front of the `gz` partition's image (preloader part_hdr.h layout, all
 * little-endian): magic 0x58881688 @0x00, dsize @0x04 (payload bytes, low
 * word), name[32] @0x08, maddr @0x28 (load address, low word), mode @0x2c,
 * ext_magic 0x58891689 @0x30, hdr_size 512 @0x34, hdr_version @0x38,
 * img_type @0x3c, img_list_end @0x40 (1: last image), align_size @0x44,
 * dsize_extend @0x48 and maddr_extend @0x4c (high words), padding 0xff to
 * 0x1ff. The preloader loads the payload only at the carveout it reserved
 * (maddr must equal it) and, on a locked phone, only if it is signed with
 * MediaTek's keys: this header alone does not make a bootable phone image.
 */
#ifndef MTK_PART_HEADER_H
#define MTK_PART_HEADER_H

#include <hv/types.h>

#define MTK_PART_HEADER_SIZE 512u
#define MTK_PART_MAGIC       0x58881688u
#define MTK_PART_EXT_MAGIC   0x58891689u
#define MTK_PART_NAME_LEN    32u

struct mtk_part_image {
	const char *name;   /* at most 31 characters, NUL-padded */
	uint64_t size;      /* payload bytes */
	uint64_t load_addr; /* the carveout's address (maddr) */
	uint32_t align;     /* align_size; 0 means 16 */
	bool last;          /* img_list_end */
};

/* Writes the header for img into hdr. HV_ERR_INVALID for a missing or too
 * long name; hdr is untouched then. */
hv_status_t mtk_part_header_write(uint8_t hdr[MTK_PART_HEADER_SIZE],
                                  const struct mtk_part_image *img);

/* Reads a header back (both magics, hdr_size 512); name copied NUL-ended. */
hv_status_t mtk_part_header_read(const uint8_t hdr[MTK_PART_HEADER_SIZE],
                                 struct mtk_part_image *img, char name[MTK_PART_NAME_LEN]);

#endif
