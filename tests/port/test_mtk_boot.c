/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ports/el2-mediatek's phone boot contract (mode B), on golden bytes: the
 * 512-byte MediaTek partition header the preloader expects in front of the
 * gz image, and the boot-tag list BL31 passes in x4/x5 (GenieZone's GZ_INFO
 * and GZ_PLAT tags among others), both conventions, and hostile lists.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "../../ports/el2-mediatek/boot_tags.h"
#include "../../ports/el2-mediatek/part_header.h"

Test(mtk_part_header, golden_bytes)
{
	uint8_t hdr[MTK_PART_HEADER_SIZE];
	struct mtk_part_image img = {
	    .name = "gz", .size = 0x123456789ull, .load_addr = 0x1b8000000ull, .last = true};
	cr_assert_eq(mtk_part_header_write(hdr, &img), HV_OK);
	static const uint8_t want[0x50] = {
	    0x88, 0x16, 0x88, 0x58,                      /* magic 0x58881688 */
	    0x89, 0x67, 0x45, 0x23,                      /* dsize, low word */
	    'g',  'z',  0,    0,    0, 0, 0, 0, 0,    0, /* name[32] */
	    0,    0,    0,    0,    0, 0, 0, 0, 0,    0,    0,    0,    0, 0,
	    0,    0,    0,    0,    0, 0, 0, 0, 0x00, 0x00, 0x00, 0xb8, /* maddr @0x28, low word */
	    0,    0,    0,    0,                                        /* mode */
	    0x89, 0x16, 0x89, 0x58,                                     /* ext_magic 0x58891689 */
	    0x00, 0x02, 0x00, 0x00,                                     /* hdr_size 512 */
	    0x01, 0,    0,    0,                                        /* hdr_version */
	    0,    0,    0,    0,                                        /* img_type */
	    0x01, 0,    0,    0,                                        /* img_list_end */
	    0x10, 0,    0,    0,                                        /* align_size 16 */
	    0x01, 0,    0,    0,                                        /* dsize_extend */
	    0x01, 0,    0,    0,                                        /* maddr_extend */
	};
	cr_expect_arr_eq(hdr, want, sizeof(want));
	for (size_t i = sizeof(want); i < MTK_PART_HEADER_SIZE; i++)
		cr_expect_eq(hdr[i], 0xff, "padding byte %#zx", i);

	struct mtk_part_image back;
	char name[MTK_PART_NAME_LEN];
	cr_assert_eq(mtk_part_header_read(hdr, &back, name), HV_OK);
	cr_expect_str_eq(back.name, "gz");
	cr_expect_eq(back.size, img.size);
	cr_expect_eq(back.load_addr, img.load_addr);
	cr_expect_eq(back.align, 16);
	cr_expect(back.last);
}

Test(mtk_part_header, bad_names_and_magics_are_refused)
{
	uint8_t hdr[MTK_PART_HEADER_SIZE];
	memset(hdr, 0x5a, sizeof(hdr));
	struct mtk_part_image img = {.name = "0123456789012345678901234567890123", .size = 1};
	cr_expect_eq(mtk_part_header_write(hdr, &img), HV_ERR_INVALID);
	img.name = "";
	cr_expect_eq(mtk_part_header_write(hdr, &img), HV_ERR_INVALID);
	for (size_t i = 0; i < sizeof(hdr); i++)
		cr_assert_eq(hdr[i], 0x5a, "a refused write leaves the buffer as it was");
	struct mtk_part_image back;
	char name[MTK_PART_NAME_LEN];
	cr_expect_eq(mtk_part_header_read(hdr, &back, name), HV_ERR_INVALID);
	img.name = "gz";
	cr_assert_eq(mtk_part_header_write(hdr, &img), HV_OK);
	hdr[0x30] ^= 1;
	cr_expect_eq(mtk_part_header_read(hdr, &back, name), HV_ERR_INVALID);
}

/* A tag list builder over raw little-endian bytes (not the parser's view). */
struct list {
	uint8_t b[1024];
	size_t n;
};

static void put32(struct list *l, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		l->b[l->n++] = (uint8_t)(v >> (8 * i));
}

static void put_tag(struct list *l, enum mtk_boot_tag_units u, uint32_t tag, const uint8_t *p,
                    size_t len)
{
	size_t total = 8 + len, padded = u == MTK_BOOT_TAGS_BYTES ? (total + 7) & ~(size_t)7
	                                                          : (total + 3) & ~(size_t)3;
	put32(l, u == MTK_BOOT_TAGS_WORDS ? (uint32_t)(padded / 4) : (uint32_t)padded);
	put32(l, tag);
	memcpy(l->b + l->n, p, len);
	memset(l->b + l->n + len, 0, padded - total);
	l->n += padded - 8;
}

static void gz_plat_payload(uint8_t p[256])
{
	memset(p, 0, 256);
	p[0] = 1u << 2;                                       /* flags: GIC_V3 */
	memcpy(p + 8, "\x00\x00\x00\x80\x01\x00\x00\x00", 8); /* exec_start_offset 0x180000000 */
	memcpy(p + 16, "\x00\x00\xc0\x00", 4);                /* reserve_mem_size 12 MiB */
	memcpy(p + 44, "\x00\x11\x00\x11", 4);                /* uart 0x11001100 */
	memcpy(p + 52, "\x00\x00\x00\x0c", 4);                /* gicd 0x0c000000 */
	memcpy(p + 56, "\x00\x00\x04\x0c", 4);                /* gicr 0x0c040000 */
	memcpy(p + 104, "\x95\x81", 2);                       /* hw_code 0x8195 */
	memcpy(p + 120, "\x00\x20\x00\x00", 4);               /* 8 GiB */
	memcpy(p + 128, "\xe9\x00\x00\x00", 4);               /* sys_timer_irq 233 */
}

static void check_gz(const struct mtk_gz_boot *g)
{
	cr_expect(g->have_info);
	cr_expect(g->have_plat);
	cr_expect_eq(g->gz_configs, 0x2);
	cr_expect_eq(g->plat_flags, MTK_GZ_PLAT_FLAG_GIC_V3);
	cr_expect_eq(g->exec_start_offset, 0x180000000ull);
	cr_expect_eq(g->reserve_mem_size, 0xc00000);
	cr_expect_eq(g->uart_base, 0x11001100);
	cr_expect_eq(g->gicd_base, 0x0c000000);
	cr_expect_eq(g->gicr_base, 0x0c040000);
	cr_expect_eq(g->hw_code, 0x8195);
	cr_expect_eq(g->dram_size_mib, 8192);
	cr_expect_eq(g->sys_timer_irq, 233);
}

static struct list sample(enum mtk_boot_tag_units u)
{
	struct list l = {.n = 0};
	uint8_t boot_reason[4] = {1, 0, 0, 0},
	        info[12] = {2, 0, 0, 0, 0, 0, 0x20, 0x4c, 0, 0, 0, 0};
	uint8_t plat[256];
	gz_plat_payload(plat);
	put_tag(&l, u, 0x88610001, boot_reason, sizeof(boot_reason));
	put_tag(&l, u, MTK_BOOT_TAG_GZ_INFO, info, sizeof(info));
	put_tag(&l, u, MTK_BOOT_TAG_GZ_PLAT, plat, sizeof(plat));
	return l;
}

Test(mtk_boot_tags, preloader_words_list_ended_by_size_zero)
{
	struct list l = sample(MTK_BOOT_TAGS_WORDS);
	put32(&l, 0);
	put32(&l, 0);
	struct mtk_gz_boot g;
	cr_assert_eq(mtk_boot_tags_parse(l.b, l.n + 64, MTK_BOOT_TAGS_WORDS, &g), HV_OK);
	check_gz(&g);
	cr_expect_eq(g.nr_tags, 3);
}

Test(mtk_boot_tags, byte_sized_list_to_the_end_of_the_buffer)
{
	struct list l = sample(MTK_BOOT_TAGS_BYTES);
	struct mtk_gz_boot g;
	cr_assert_eq(mtk_boot_tags_parse(l.b, l.n, MTK_BOOT_TAGS_BYTES, &g), HV_OK);
	check_gz(&g);
	cr_expect_eq(g.nr_tags, 3);
}

Test(mtk_boot_tags, hostile_lists_are_refused)
{
	struct mtk_gz_boot g;
	struct list l = sample(MTK_BOOT_TAGS_WORDS);
	/* no end tag and cut inside a tag */
	cr_expect_eq(mtk_boot_tags_parse(l.b, l.n - 4, MTK_BOOT_TAGS_WORDS, &g), HV_ERR_INVALID);
	/* no end tag: the list runs to the buffer's end */
	cr_expect_eq(mtk_boot_tags_parse(l.b, l.n, MTK_BOOT_TAGS_WORDS, &g), HV_ERR_INVALID);
	/* a tag claiming more than the buffer */
	struct list big = {.n = 0};
	put32(&big, 0x40000000);
	put32(&big, 0x88610001);
	cr_expect_eq(mtk_boot_tags_parse(big.b, 64, MTK_BOOT_TAGS_WORDS, &g), HV_ERR_INVALID);
	/* a tag smaller than its header (1 word) */
	struct list tiny = {.n = 0};
	put32(&tiny, 1);
	put32(&tiny, 0x88610001);
	cr_expect_eq(mtk_boot_tags_parse(tiny.b, 64, MTK_BOOT_TAGS_WORDS, &g), HV_ERR_INVALID);
	/* GZ_PLAT shorter than its 256 bytes */
	struct list shortp = {.n = 0};
	uint8_t plat[256];
	gz_plat_payload(plat);
	put_tag(&shortp, MTK_BOOT_TAGS_BYTES, MTK_BOOT_TAG_GZ_PLAT, plat, 200);
	cr_expect_eq(mtk_boot_tags_parse(shortp.b, shortp.n, MTK_BOOT_TAGS_BYTES, &g),
	             HV_ERR_INVALID);
	/* GZ_INFO twice */
	struct list twice = sample(MTK_BOOT_TAGS_BYTES);
	uint8_t info[12] = {0};
	put_tag(&twice, MTK_BOOT_TAGS_BYTES, MTK_BOOT_TAG_GZ_INFO, info, sizeof(info));
	cr_expect_eq(mtk_boot_tags_parse(twice.b, twice.n, MTK_BOOT_TAGS_BYTES, &g),
	             HV_ERR_INVALID);
	/* bytes: a size not 8-byte aligned */
	struct list odd = {.n = 0};
	put32(&odd, 12);
	put32(&odd, 0x88610001);
	put32(&odd, 0);
	put32(&odd, 0);
	cr_expect_eq(mtk_boot_tags_parse(odd.b, 16, MTK_BOOT_TAGS_BYTES, &g), HV_ERR_INVALID);
	cr_expect_eq(mtk_boot_tags_parse(NULL, 16, MTK_BOOT_TAGS_BYTES, &g), HV_ERR_INVALID);
	/* every truncation of a good list: refused or parsed, never read past (ASan) */
	struct list good = sample(MTK_BOOT_TAGS_BYTES);
	for (size_t cut = 0; cut < good.n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, good.b, cut);
		hv_status_t st = mtk_boot_tags_parse(copy, cut, MTK_BOOT_TAGS_BYTES, &g);
		cr_expect(st == HV_ERR_INVALID || (st == HV_OK && !g.have_plat), "cut %zu: %d", cut,
		          st);
		free(copy);
	}
}
