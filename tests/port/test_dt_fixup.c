/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ports/el2's host device-tree fixup (dt_fixup.h) over real trees (Debian's
 * 83 MediaTek DTBs, QEMU virt's, the project's MediaTek-shaped one; inputs
 * from the fixture unit.port_dt_fetch) and over small trees built here:
 * the nodes it adds read back with libfdt, every node and property of the
 * original still there byte for byte, the exact room it asks for, and a
 * refused tree left unchanged to the last byte of its buffer.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ports/el2/dt_discover.h"
#include "../../ports/el2/dt_fixup.h"
#include "read_file.h"

/* dtb in a buffer of cap bytes (the rest 0xa5, so a stray write shows). */
static uint8_t *in_buffer(const void *dtb, size_t len, size_t cap)
{
	uint8_t *buf = malloc(cap);
	memset(buf, 0xa5, cap);
	memcpy(buf, dtb, len < cap ? len : cap);
	return buf;
}

static uint64_t cells_at(const fdt32_t *p, int n)
{
	uint64_t v = 0;
	for (int i = 0; i < n; i++)
		v = v << 32 | fdt32_to_cpu(p[i]);
	return v;
}

/* The test's own look at whether [base, +size) meets a reservation. */
static bool reserved_already(const void *fdt, uint64_t base, uint64_t size)
{
	int rm = fdt_path_offset(fdt, "/reserved-memory"), child, len;
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	if (rm >= 0) {
		fdt_for_each_subnode(child, fdt, rm)
		{
			const fdt32_t *reg = fdt_getprop(fdt, child, "reg", &len);
			for (int i = 0; reg && i + ac + sc <= len / 4; i += ac + sc) {
				uint64_t b = cells_at(reg + i, ac), s = cells_at(reg + i + ac, sc);
				if (b < base + size && base < b + s)
					return true;
			}
		}
	}
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t b, s;
		fdt_get_mem_rsv(fdt, i, &b, &s);
		if (b < base + size && base < b + s)
			return true;
	}
	return false;
}

/* The node at path, every component matched by its whole name (libfdt's
 * path lookup lets "t-phy" match "t-phy@1a0c4000"). */
static int exact_path(const void *fdt, const char *path)
{
	int node = 0;
	while (*path == '/' && path[1]) {
		const char *start = path + 1, *end = strchr(start, '/');
		size_t len = end ? (size_t)(end - start) : strlen(start);
		int child, found = -1;
		fdt_for_each_subnode(child, fdt, node)
		{
			const char *name = fdt_get_name(fdt, child, NULL);
			if (strlen(name) == len && memcmp(name, start, len) == 0)
				found = child;
		}
		if (found < 0)
			return found;
		node = found;
		path = start + len;
	}
	return node;
}

/* Every node of old is in new at the same path with the same properties. */
static void same_nodes(const void *old, const void *new, const char *board)
{
	int depth = 0;
	for (int n = 0; n >= 0 && depth >= 0; n = fdt_next_node(old, n, &depth)) {
		char path[1024];
		int gp = fdt_get_path(old, n, path, sizeof(path));
		cr_assert_eq(gp, 0, "%s: node at %d: %s", board, n, fdt_strerror(gp));
		int m = exact_path(new, path);
		cr_assert(m >= 0, "%s: %s lost", board, path);
		int p, count = 0;
		fdt_for_each_property_offset(p, old, n)
		{
			const char *name;
			int len, len2;
			const void *v = fdt_getprop_by_offset(old, p, &name, &len);
			const void *v2 = fdt_getprop(new, m, name, &len2);
			cr_assert(v2 && len2 == len && memcmp(v, v2, (size_t)len) == 0,
			          "%s: %s %s changed", board, path, name);
			count++;
		}
		fdt_for_each_property_offset(p, new, m) count--;
		cr_assert_eq(count, 0, "%s: %s gained properties", board, path);
	}
}

static int count_nodes(const void *fdt)
{
	int depth = 0, n = 0;
	for (int o = 0; o >= 0 && depth >= 0; o = fdt_next_node(fdt, o, &depth))
		n++;
	return n;
}

/* What the fixup must have added, read back with libfdt. */
static void check_added(const void *fdt, uint64_t base, uint64_t size, const char *board)
{
	cr_assert_eq(fdt_check_full(fdt, fdt_totalsize(fdt)), 0, "%s", board);
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0), len;
	int rm = fdt_path_offset(fdt, "/reserved-memory");
	cr_assert(rm >= 0, "%s", board);
	cr_expect_eq(fdt_address_cells(fdt, rm), ac, "%s", board);
	cr_expect_eq(fdt_size_cells(fdt, rm), sc, "%s", board);
	const void *ranges = fdt_getprop(fdt, rm, "ranges", &len);
	cr_expect(ranges && len == 0, "%s: ranges", board);
	char name[64];
	snprintf(name, sizeof(name), "hvcore@%llx", (unsigned long long)base);
	int node = fdt_subnode_offset(fdt, rm, name);
	cr_assert(node >= 0, "%s: no /reserved-memory/%s", board, name);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	cr_assert(reg && len == 4 * (ac + sc), "%s: reg", board);
	cr_expect_eq(cells_at(reg, ac), base, "%s", board);
	cr_expect_eq(cells_at(reg + ac, sc), size, "%s", board);
	cr_expect(fdt_getprop(fdt, node, "no-map", &len) && len == 0, "%s: no-map", board);
	int hyp = fdt_path_offset(fdt, "/hypervisor");
	cr_assert(hyp >= 0 && fdt_parent_offset(fdt, hyp) == 0, "%s: /hypervisor", board);
	cr_expect_eq(fdt_node_check_compatible(fdt, hyp, "mediatek,geniezone"), 0, "%s", board);
	cr_expect_eq(fdt_node_offset_by_compatible(fdt, hyp, "mediatek,geniezone"),
	             -FDT_ERR_NOTFOUND, "%s: one node only", board);
}

/* One real tree: fixed with room to spare, with the exact room, refused
 * with one byte less (unchanged); discovery then reports the carveout. */
static void fix_board(const char *board, const char *path)
{
	size_t len;
	char *dtb = read_file(path, &len);
	cr_assert_eq(fdt_check_full(dtb, len), 0, "%s", board);
	uint64_t base = 0x7fe00000, size = 0x200000;
	if (reserved_already(dtb, base, size))
		base = 0x4a000000;
	cr_assert(!reserved_already(dtb, base, size), "%s: pick another range", board);
	struct el2_dt_fixup fx = {.hyp_base = base, .hyp_size = size};
	size_t roomy = len + 8192;
	uint8_t *buf = in_buffer(dtb, len, roomy);
	cr_assert_eq(el2_dt_fixup_host(buf, roomy, &fx), HV_OK, "%s: %s", board, fx.why);
	size_t need = fx.need;
	cr_expect_eq(fdt_totalsize(buf), need, "%s", board);
	check_added(buf, base, size, board);
	same_nodes(dtb, buf, board);
	bool had_rm = fdt_path_offset(dtb, "/reserved-memory") >= 0;
	cr_expect_eq(count_nodes(buf), count_nodes(dtb) + (had_rm ? 2 : 3), "%s", board);
	for (size_t i = need; i < roomy; i++)
		cr_assert_eq(buf[i], 0xa5, "%s: wrote past its need at %zu", board, i);
	struct el2_dt_platform p;
	hv_status_t st = el2_dt_discover(buf, need, &p);
	if (st == HV_OK) {
		bool seen = false;
		for (uint32_t i = 0; i < p.nr_nomap; i++)
			seen |= p.nomap[i].base == base && p.nomap[i].size == size;
		cr_expect(seen, "%s: discovery does not see the carveout", board);
	} else {
		cr_expect_eq(st, HV_ERR_NOT_SUPPORTED, "%s: %s", board, p.why); /* GICv2 */
	}
	free(buf);

	buf = in_buffer(dtb, len, need);
	cr_expect_eq(el2_dt_fixup_host(buf, need, &fx), HV_OK, "%s exact: %s", board, fx.why);
	cr_expect_eq(fdt_totalsize(buf), need);
	free(buf);
	if (need > len) {
		buf = in_buffer(dtb, len, need - 1);
		uint8_t *before = in_buffer(dtb, len, need - 1);
		cr_expect_eq(el2_dt_fixup_host(buf, need - 1, &fx), HV_ERR_NO_MEMORY, "%s", board);
		cr_expect_eq(fx.need, need);
		cr_expect_eq(memcmp(buf, before, need - 1), 0, "%s: changed although refused",
		             board);
		free(before);
		free(buf);
	}
	free(dtb);
}

Test(dt_fixup, every_debian_mediatek_dtb)
{
	size_t len;
	char *dir = read_file("dt-dir.txt", &len);
	dir[strcspn(dir, "\n")] = '\0';
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "%s", dir);
	int boards = 0;
	for (struct dirent *e; (e = readdir(d));) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".dtb") != 0)
			continue;
		char path[8192];
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		fix_board(e->d_name, path);
		boards++;
	}
	closedir(d);
	free(dir);
	cr_expect_eq(boards, 83);
}

Test(dt_fixup, qemu_virt_and_the_mediatek_shaped_tree)
{
	fix_board("qemu-virt", "qemu-virt.dtb");
	fix_board("mtk-shaped", HV_SOURCE_DIR "/tests/fuzz/corpus/fuzz_dt/mtk-shaped");
}

/* A small tree: root cells ac/sc, one /memory; returned with room. */
static uint8_t *small_tree(int ac, int sc)
{
	uint8_t *t = malloc(4096);
	cr_assert_eq(fdt_create_empty_tree(t, 4096), 0);
	cr_assert_eq(fdt_setprop_u32(t, 0, "#address-cells", (uint32_t)ac), 0);
	cr_assert_eq(fdt_setprop_u32(t, 0, "#size-cells", (uint32_t)sc), 0);
	int mem = fdt_add_subnode(t, 0, "memory@40000000");
	cr_assert(mem >= 0);
	cr_assert_eq(fdt_setprop_string(t, mem, "device_type", "memory"), 0);
	return t;
}

static int add_reserved(uint8_t *t, int ac, int sc, bool ranges)
{
	int rm = fdt_add_subnode(t, 0, "reserved-memory");
	cr_assert(rm >= 0);
	cr_assert_eq(fdt_setprop_u32(t, rm, "#address-cells", (uint32_t)ac), 0);
	cr_assert_eq(fdt_setprop_u32(t, rm, "#size-cells", (uint32_t)sc), 0);
	if (ranges)
		cr_assert_eq(fdt_setprop_empty(t, rm, "ranges"), 0);
	return rm;
}

/* fixup of t must fail with want and leave all 4096 bytes as they were. */
static void refused(uint8_t *t, uint64_t base, uint64_t size, hv_status_t want, const char *what)
{
	uint8_t before[4096];
	memcpy(before, t, sizeof(before));
	struct el2_dt_fixup fx = {.hyp_base = base, .hyp_size = size};
	hv_status_t st = el2_dt_fixup_host(t, 4096, &fx);
	cr_expect_eq(st, want, "%s: %d (%s)", what, st, fx.why ? fx.why : "");
	cr_expect_not_null(fx.why, "%s", what);
	cr_expect_eq(memcmp(before, t, sizeof(before)), 0, "%s: changed although refused", what);
}

static void fixed(uint8_t *t, uint64_t base, uint64_t size, const char *what)
{
	uint8_t before[4096];
	memcpy(before, t, sizeof(before));
	struct el2_dt_fixup fx = {.hyp_base = base, .hyp_size = size};
	cr_assert_eq(el2_dt_fixup_host(t, 4096, &fx), HV_OK, "%s: %s", what, fx.why);
	check_added(t, base, size, what);
	same_nodes(before, t, what);
}

Test(dt_fixup, an_existing_reserved_memory_is_reused_and_its_regions_respected)
{
	uint8_t *t = small_tree(2, 2);
	int rm = add_reserved(t, 2, 2, true);
	int bl31 = fdt_add_subnode(t, rm, "bl31@54600000");
	fdt32_t reg[4] = {0, cpu_to_fdt32(0x54600000), 0, cpu_to_fdt32(0x200000)};
	cr_assert_eq(fdt_setprop(t, bl31, "reg", reg, sizeof(reg)), 0);
	cr_assert(fdt_add_subnode(t, rm, "linux,cma") >= 0); /* no reg: dynamic */
	refused(t, 0x54400000, 0x400000, HV_ERR_EXISTS, "overlaps BL31's carveout");
	refused(t, 0x547ff000, 0x1000, HV_ERR_EXISTS, "last page of BL31's carveout");
	fixed(t, 0x54800000, 0x200000, "right after BL31");
	cr_expect_eq(fdt_next_subnode(t, fdt_path_offset(t, "/reserved-memory")) >= 0, 1);
	refused(t, 0x54800000, 0x200000, HV_ERR_EXISTS, "fixed twice");
	refused(t, 0x60000000, 0x200000, HV_ERR_EXISTS, "fixed twice, other range");
	free(t);
}

Test(dt_fixup, a_reserved_memory_linux_would_ignore_is_refused)
{
	uint8_t *t = small_tree(2, 2);
	add_reserved(t, 2, 1, true);
	refused(t, 0x60000000, 0x200000, HV_ERR_INVALID, "#size-cells 1 under a 2-cell root");
	free(t);
	t = small_tree(2, 2);
	add_reserved(t, 2, 2, false);
	refused(t, 0x60000000, 0x200000, HV_ERR_INVALID, "no ranges");
	free(t);
	t = small_tree(2, 2);
	int rm = add_reserved(t, 2, 2, false);
	fdt32_t map[6] = {0};
	cr_assert_eq(fdt_setprop(t, rm, "ranges", map, sizeof(map)), 0);
	refused(t, 0x60000000, 0x200000, HV_ERR_INVALID, "non-empty ranges");
	free(t);
	t = small_tree(2, 2);
	rm = add_reserved(t, 2, 2, true);
	int bad = fdt_add_subnode(t, rm, "odd@0");
	fdt32_t three[3] = {0};
	cr_assert_eq(fdt_setprop(t, bad, "reg", three, sizeof(three)), 0);
	refused(t, 0x60000000, 0x200000, HV_ERR_INVALID, "a child's reg of 3 cells");
	free(t);
}

Test(dt_fixup, hypervisor_node_of_another_kind_is_refused_ours_is_kept)
{
	uint8_t *t = small_tree(2, 2);
	int xen = fdt_add_subnode(t, 0, "hypervisor");
	cr_assert_eq(fdt_setprop_string(t, xen, "compatible", "xen,xen"), 0);
	refused(t, 0x60000000, 0x200000, HV_ERR_EXISTS, "/hypervisor is Xen's");
	free(t);
	t = small_tree(2, 2);
	int gz = fdt_add_subnode(t, 0, "hypervisor");
	cr_assert_eq(fdt_setprop_string(t, gz, "compatible", "mediatek,geniezone"), 0);
	fixed(t, 0x60000000, 0x200000, "/hypervisor already GenieZone's");
	free(t);
}

Test(dt_fixup, ranges_that_are_empty_unaligned_wrapping_or_too_wide)
{
	uint8_t *t = small_tree(2, 2);
	refused(t, 0x60000000, 0, HV_ERR_INVALID, "size 0");
	refused(t, 0x60000800, 0x200000, HV_ERR_INVALID, "base not page aligned");
	refused(t, 0x60000000, 0x1800, HV_ERR_INVALID, "size not page aligned");
	refused(t, 0xfffffffffffff000ull, 0x2000, HV_ERR_INVALID, "wraps");
	cr_assert_eq(fdt_add_mem_rsv(t, 0x70000000, 0x10000), 0);
	refused(t, 0x6ff00000, 0x200000, HV_ERR_EXISTS, "meets a /memreserve/ entry");
	fixed(t, 0x100000000ull, 0x200000, "above 4 GiB with 2 cells");
	free(t);
	t = small_tree(1, 1);
	refused(t, 0x100000000ull, 0x200000, HV_ERR_RANGE, "above 4 GiB with 1 cell");
	refused(t, 0xfff00000, 0x200000, HV_ERR_RANGE, "crosses 4 GiB with 1 cell");
	fixed(t, 0xffe00000, 0x200000, "ends at 4 GiB with 1 cell");
	free(t);
}

Test(dt_fixup, hostile_and_unusual_blobs_are_refused_unchanged)
{
	uint8_t *t = small_tree(2, 2);
	cr_assert_eq(fdt_pack(t), 0);
	size_t size = fdt_totalsize(t);
	for (size_t cut = 0; cut < size; cut++) {
		uint8_t *copy = in_buffer(t, size, cut ? cut : 1);
		uint8_t *before = in_buffer(t, size, cut ? cut : 1);
		struct el2_dt_fixup fx = {.hyp_base = 0x60000000, .hyp_size = 0x200000};
		cr_expect_eq(el2_dt_fixup_host(copy, cut, &fx), HV_ERR_INVALID, "cut at %zu", cut);
		cr_expect_eq(memcmp(copy, before, cut ? cut : 1), 0, "cut at %zu", cut);
		free(copy);
		free(before);
	}
	struct el2_dt_fixup fx = {.hyp_base = 0x60000000, .hyp_size = 0x200000};
	cr_expect_eq(el2_dt_fixup_host(NULL, 4096, &fx), HV_ERR_INVALID);
	free(t);

	/* Version 16 (no size_dt_struct to trust): not edited. */
	t = small_tree(2, 2);
	fdt_set_version(t, 16);
	fdt_set_last_comp_version(t, 16);
	refused(t, 0x60000000, 0x200000, HV_ERR_INVALID, "version 16");
	free(t);

	/* The memory reservation map pointed into the structure block (found
	 * by fuzz_dt: its entry count is an error there, not a count). */
	t = small_tree(2, 2);
	cr_assert_eq(fdt_pack(t), 0);
	fdt_set_off_mem_rsvmap(t, fdt_off_dt_struct(t) + 8);
	refused(t, 0x60000000, 0x200000, HV_ERR_NOT_SUPPORTED, "reservation map in the structure");
	free(t);

	/* Strings block before the structure block: valid, but not dtc's order. */
	t = small_tree(2, 2);
	cr_assert_eq(fdt_pack(t), 0);
	uint8_t *swapped = calloc(1, 4096);
	uint32_t hdr = fdt_off_mem_rsvmap(t) + 16 * (fdt_num_mem_rsv(t) + 1);
	uint32_t strs = fdt_size_dt_strings(t), st = fdt_size_dt_struct(t);
	memcpy(swapped, t, hdr);
	memcpy(swapped + hdr, t + fdt_off_dt_strings(t), strs);
	uint32_t st_off = (hdr + strs + 3) & ~3u;
	memcpy(swapped + st_off, t + fdt_off_dt_struct(t), st);
	fdt_set_off_dt_strings(swapped, hdr);
	fdt_set_off_dt_struct(swapped, st_off);
	fdt_set_totalsize(swapped, st_off + st);
	cr_assert_eq(fdt_check_full(swapped, 4096), 0, "the swapped tree is a valid tree");
	refused(swapped, 0x60000000, 0x200000, HV_ERR_NOT_SUPPORTED, "strings before structure");
	free(swapped);
	free(t);
}
