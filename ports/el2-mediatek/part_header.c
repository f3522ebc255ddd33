/* SPDX-License-Identifier: Apache-2.0 */
/* MediaTek partition image header (part_header.h). */
#include "part_header.h"

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t name_len(const char *name)
{
	size_t n = 0;
	while (name[n] && n < MTK_PART_NAME_LEN)
		n++;
	return n;
}

hv_status_t mtk_part_header_write(uint8_t hdr[MTK_PART_HEADER_SIZE],
                                  const struct mtk_part_image *img)
{
	if (!img || !img->name || !img->name[0] || name_len(img->name) >= MTK_PART_NAME_LEN)
		return HV_ERR_INVALID;
	hv_memset(hdr, 0xff, MTK_PART_HEADER_SIZE);
	hv_memset(hdr, 0, 0x50);
	put32(hdr + 0x00, MTK_PART_MAGIC);
	put32(hdr + 0x04, (uint32_t)img->size);
	for (size_t i = 0; img->name[i]; i++)
		hdr[0x08 + i] = (uint8_t)img->name[i];
	put32(hdr + 0x28, (uint32_t)img->load_addr);
	put32(hdr + 0x2c, 0); /* mode: maddr counts from the start of RAM */
	put32(hdr + 0x30, MTK_PART_EXT_MAGIC);
	put32(hdr + 0x34, MTK_PART_HEADER_SIZE);
	put32(hdr + 0x38, 1); /* hdr_version: the sources name no value; 1 */
	put32(hdr + 0x3c, 0); /* img_type: plain image */
	put32(hdr + 0x40, img->last ? 1 : 0);
	put32(hdr + 0x44, img->align ? img->align : 16);
	put32(hdr + 0x48, (uint32_t)(img->size >> 32));
	put32(hdr + 0x4c, (uint32_t)(img->load_addr >> 32));
	return HV_OK;
}

hv_status_t mtk_part_header_read(const uint8_t hdr[MTK_PART_HEADER_SIZE],
                                 struct mtk_part_image *img, char name[MTK_PART_NAME_LEN])
{
	if (get32(hdr) != MTK_PART_MAGIC || get32(hdr + 0x30) != MTK_PART_EXT_MAGIC ||
	    get32(hdr + 0x34) != MTK_PART_HEADER_SIZE)
		return HV_ERR_INVALID;
	for (size_t i = 0; i < MTK_PART_NAME_LEN; i++)
		name[i] = (char)hdr[0x08 + i];
	name[MTK_PART_NAME_LEN - 1] = '\0';
	img->name = name;
	img->size = (uint64_t)get32(hdr + 0x48) << 32 | get32(hdr + 0x04);
	img->load_addr = (uint64_t)get32(hdr + 0x4c) << 32 | get32(hdr + 0x28);
	img->align = get32(hdr + 0x44);
	img->last = get32(hdr + 0x40) == 1;
	return HV_OK;
}
