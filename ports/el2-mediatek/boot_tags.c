/* SPDX-License-Identifier: Apache-2.0 */
/* MediaTek boot tags (boot_tags.h): bounds-checked walk, little-endian reads. */
#include "boot_tags.h"

#define TAG_HEADER 8u

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

static hv_status_t gz_info(const uint8_t *p, size_t len, struct mtk_gz_boot *out)
{
	if (len < 12 || out->have_info)
		return HV_ERR_INVALID;
	out->have_info = true;
	out->gz_configs = le32(p);
	return HV_OK;
}

static hv_status_t gz_plat(const uint8_t *p, size_t len, struct mtk_gz_boot *out)
{
	if (len < MTK_GZ_PLAT_SIZE || out->have_plat)
		return HV_ERR_INVALID;
	out->have_plat = true;
	out->plat_flags = le64(p + 0);
	out->exec_start_offset = le64(p + 8);
	out->reserve_mem_size = le32(p + 16);
	out->uart_base = le32(p + 44);
	out->gicd_base = le32(p + 52);
	out->gicr_base = le32(p + 56);
	out->hw_code = (uint16_t)(p[104] | p[105] << 8);
	out->dram_size_mib = le32(p + 120);
	out->sys_timer_irq = le32(p + 128);
	return HV_OK;
}

hv_status_t mtk_boot_tags_parse(const void *tags, size_t size, enum mtk_boot_tag_units units,
                                struct mtk_gz_boot *out)
{
	hv_memset(out, 0, sizeof(*out));
	if (!tags || (units != MTK_BOOT_TAGS_WORDS && units != MTK_BOOT_TAGS_BYTES))
		return HV_ERR_INVALID;
	const uint8_t *base = tags;
	size_t at = 0;
	while (size - at >= TAG_HEADER) {
		uint32_t raw = le32(base + at), tag = le32(base + at + 4);
		if (raw == 0 && units == MTK_BOOT_TAGS_WORDS)
			return HV_OK; /* the preloader's end of list */
		uint64_t len = units == MTK_BOOT_TAGS_WORDS ? (uint64_t)raw * 4 : raw;
		if (len < TAG_HEADER || len > size - at ||
		    (units == MTK_BOOT_TAGS_BYTES && len % 8))
			return HV_ERR_INVALID;
		const uint8_t *payload = base + at + TAG_HEADER;
		size_t plen = (size_t)len - TAG_HEADER;
		hv_status_t st = HV_OK;
		if (tag == MTK_BOOT_TAG_GZ_INFO)
			st = gz_info(payload, plen, out);
		else if (tag == MTK_BOOT_TAG_GZ_PLAT)
			st = gz_plat(payload, plen, out);
		if (st != HV_OK)
			return st;
		out->nr_tags++;
		at += (size_t)len;
	}
	/* the list ends with the buffer (bytes) or is cut short (words: no end tag) */
	return units == MTK_BOOT_TAGS_BYTES && at == size ? HV_OK : HV_ERR_INVALID;
}
