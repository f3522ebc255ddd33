/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ports/el2's device-tree discovery over real device trees: Debian's 83
 * MediaTek DTBs and QEMU virt's own, against tests/port/mediatek/expected.txt
 * (made by dtb_expect.py, a reader of its own, not this code), plus hostile
 * and edited trees. The DTB directory and QEMU's DTB come from the fixture
 * unit.port_dt_fetch (files dt-dir.txt and qemu-virt.dtb in the test's
 * working directory).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../ports/el2/dt_discover.h"
#include "read_file.h"

#define EXPECTED HV_SOURCE_DIR "/tests/port/mediatek/expected.txt"

static const char *dtb_dir(void)
{
	static char dir[4096];
	size_t len;
	char *s = read_file("dt-dir.txt", &len);
	snprintf(dir, sizeof(dir), "%s", s);
	dir[strcspn(dir, "\n")] = '\0';
	free(s);
	return dir;
}

static void appendf(char *out, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void appendf(char *out, size_t cap, const char *fmt, ...)
{
	size_t used = strlen(out);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(out + used, cap - used, fmt, ap);
	va_end(ap);
}

static void ranges(char *out, size_t cap, const struct el2_dt_range *r, uint32_t n)
{
	if (!n)
		appendf(out, cap, "none");
	for (uint32_t i = 0; i < n; i++)
		appendf(out, cap, "%s0x%llx+0x%llx", i ? "," : "", (unsigned long long)r[i].base,
		        (unsigned long long)r[i].size);
}

/* The block dtb_expect.py prints for a board, from the discovery's result. */
static void describe(const char *board, hv_status_t st, const struct el2_dt_platform *p, char *out,
                     size_t cap)
{
	out[0] = '\0';
	appendf(out, cap, "board %s\n", board);
	if (st == HV_ERR_NOT_SUPPORTED && strstr(p->why, "GICv2")) {
		appendf(out, cap, "refused gicv2\n");
		return;
	}
	if (st != HV_OK) {
		appendf(out, cap, "error %d %s\n", st, p->why);
		return;
	}
	appendf(out, cap, "gic cells=%u gicd=0x%llx+0x%llx gicr=", p->gic_interrupt_cells,
	        (unsigned long long)p->gicd.base, (unsigned long long)p->gicd.size);
	ranges(out, cap, p->gicr, p->nr_gicr);
	appendf(out, cap, " maint=%u\n", p->ppi_maintenance);
	appendf(out, cap, "timer ptimer=%u vtimer=%u hyptimer=%u freq=%u\n", p->ppi_ptimer,
	        p->ppi_vtimer, p->ppi_hyp_timer, p->timer_freq);
	if (p->console.kind == EL2_DT_CONSOLE_NONE)
		appendf(out, cap, "console none\n");
	else
		appendf(out, cap, "console %s base=0x%llx shift=%u width=%u\n",
		        p->console.kind == EL2_DT_CONSOLE_PL011 ? "pl011" : "8250",
		        (unsigned long long)p->console.base, p->console.reg_shift,
		        p->console.io_width);
	if (p->psci == EL2_DT_PSCI_NONE)
		appendf(out, cap, "psci none\n");
	else
		appendf(out, cap, "psci %s version=%u.%u\n",
		        p->psci == EL2_DT_PSCI_SMC ? "smc" : "hvc", p->psci_version >> 16,
		        p->psci_version & 0xffff);
	appendf(out, cap, "cpus %u ", p->nr_cpus);
	for (uint32_t i = 0; i < p->nr_cpus; i++)
		appendf(out, cap, "%s0x%llx", i ? "," : "", (unsigned long long)p->cpu_mpidr[i]);
	appendf(out, cap, "\nmemory ");
	ranges(out, cap, p->mem, p->nr_mem);
	appendf(out, cap, "\nnomap ");
	ranges(out, cap, p->nomap, p->nr_nomap);
	appendf(out, cap, "\n");
}

/* The expected block for board (from "board NAME\n" to the next "board "). */
static char *expected_block(const char *all, const char *board)
{
	char key[256];
	snprintf(key, sizeof(key), "board %s\n", board);
	const char *at = all;
	while ((at = strstr(at, key)) && at != all && at[-1] != '\n')
		at++;
	if (!at)
		return NULL;
	const char *end = strstr(at + 1, "\nboard ");
	size_t n = end ? (size_t)(end - at) + 1 : strlen(at);
	char *b = malloc(n + 1);
	memcpy(b, at, n);
	b[n] = '\0';
	return b;
}

static void check_board(const char *all, const char *board, const char *path, int *refused)
{
	size_t len;
	char *dtb = read_file(path, &len);
	struct el2_dt_platform p;
	hv_status_t st = el2_dt_discover(dtb, len, &p);
	static char got[8192];
	describe(board, st, &p, got, sizeof(got));
	char *want = expected_block(all, board);
	cr_assert_not_null(want, "%s has no expectations in expected.txt", board);
	cr_expect_str_eq(got, want, "%s:\n got:\n%s want:\n%s", board, got, want);
	if (st != HV_OK) {
		cr_expect_not_null(p.why, "%s: a refusal says why", board);
		(*refused)++;
	}
	free(want);
	free(dtb);
}

Test(dt_discover, every_mediatek_dtb_matches_the_independent_expectations)
{
	size_t len;
	char *all = read_file(EXPECTED, &len);
	const char *dir = dtb_dir();
	DIR *d = opendir(dir);
	cr_assert_not_null(d, "no DTB directory %s", dir);
	int boards = 0, refused = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n < 5 || strcmp(e->d_name + n - 4, ".dtb") != 0)
			continue;
		char board[256], path[8192];
		snprintf(board, sizeof(board), "%.*s", (int)(n - 4), e->d_name);
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		check_board(all, board, path, &refused);
		boards++;
	}
	closedir(d);
	/* Debian's 6.12 arm64 kernel ships 83 MediaTek DTBs, 12 of them GICv2. */
	cr_expect_eq(boards, 83, "%d MediaTek DTBs", boards);
	cr_expect_eq(refused, 12, "%d refused", refused);
	free(all);
}

Test(dt_discover, qemu_virt_dtb_matches)
{
	size_t len;
	char *all = read_file(EXPECTED, &len);
	int refused = 0;
	check_board(all, "qemu-virt", "qemu-virt.dtb", &refused);
	cr_expect_eq(refused, 0);
	free(all);
}

Test(dt_discover, the_project_s_mediatek_shaped_tree_matches)
{
	size_t len;
	char *all = read_file(EXPECTED, &len);
	int refused = 0;
	check_board(all, "mtk-shaped", HV_SOURCE_DIR "/tests/fuzz/corpus/fuzz_dt/mtk-shaped",
	            &refused);
	cr_expect_eq(refused, 0);
	free(all);
}

/* An editable copy of a board's DTB with room to grow. */
static void *editable(const char *board, size_t *cap)
{
	char path[8192];
	snprintf(path, sizeof(path), "%s/%s.dtb", dtb_dir(), board);
	size_t len;
	char *dtb = read_file(path, &len);
	*cap = len + 4096;
	void *buf = malloc(*cap);
	cr_assert_eq(fdt_open_into(dtb, buf, (int)*cap), 0);
	free(dtb);
	return buf;
}

Test(dt_discover, hostile_blobs_are_refused_without_reading_past_them)
{
	size_t cap;
	uint8_t *buf = editable("mt8195-evb", &cap);
	size_t size = fdt_totalsize(buf);
	struct el2_dt_platform p;
	/* every truncation is refused (ASan checks nothing past it is read) */
	for (size_t cut = 0; cut < size; cut += 97) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, buf, cut);
		cr_expect_eq(el2_dt_discover(copy, cut, &p), HV_ERR_INVALID, "truncated at %zu",
		             cut);
		cr_expect_not_null(p.why);
		free(copy);
	}
	cr_expect_eq(el2_dt_discover(NULL, 4096, &p), HV_ERR_INVALID);
	uint32_t magic = 0;
	memcpy(buf, &magic, 4);
	cr_expect_eq(el2_dt_discover(buf, cap, &p), HV_ERR_INVALID);
	free(buf);
}

static int gic_node(void *fdt)
{
	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	cr_assert_geq(gic, 0);
	return gic;
}

Test(dt_discover, bad_interrupt_cells_and_specifiers_are_refused)
{
	size_t cap;
	struct el2_dt_platform p;
	void *fdt = editable("mt8195-evb", &cap);
	cr_assert_eq(fdt_setprop_u32(fdt, gic_node(fdt), "#interrupt-cells", 5), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_ERR_INVALID);
	free(fdt);

	/* a timer PPI number >= 16 is no PPI */
	fdt = editable("mt8195-evb", &cap);
	int timer = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	cr_assert_geq(timer, 0);
	fdt32_t spec[16] = {0};
	for (int i = 0; i < 4; i++) {
		spec[i * 4] = cpu_to_fdt32(1);
		spec[i * 4 + 1] = cpu_to_fdt32(i == 2 ? 16 : 13);
	}
	cr_assert_eq(fdt_setprop(fdt, timer, "interrupts", spec, sizeof(spec)), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_ERR_INVALID);
	/* fixed, the PPIs are read from 4-cell specifiers: 16 + number */
	spec[2 * 4 + 1] = cpu_to_fdt32(11);
	cr_assert_eq(fdt_setprop(fdt, timer, "interrupts", spec, sizeof(spec)), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_OK, "%s", p.why);
	cr_expect_eq(p.ppi_vtimer, 27);
	cr_expect_eq(p.ppi_hyp_timer, 29);
	free(fdt);
}

Test(dt_discover, missing_nodes_say_what_is_missing)
{
	size_t cap;
	struct el2_dt_platform p;
	void *fdt = editable("mt8195-evb", &cap);
	cr_assert_eq(fdt_setprop_string(fdt, gic_node(fdt), "status", "disabled"), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_ERR_NOT_FOUND);
	cr_expect_str_eq(p.why, "no arm,gic-v3 node");
	free(fdt);

	fdt = editable("mt8195-evb", &cap);
	int mem = fdt_path_offset(fdt, "/memory@40000000");
	cr_assert_geq(mem, 0);
	cr_assert_eq(fdt_del_node(fdt, mem), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_OK, "memory is the port's to require");
	cr_expect_eq(p.nr_mem, 0);
	int cpus = fdt_path_offset(fdt, "/cpus");
	cr_assert_geq(cpus, 0);
	cr_assert_eq(fdt_del_node(fdt, cpus), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_ERR_NOT_FOUND);
	cr_expect_str_eq(p.why, "no /cpus");
	free(fdt);
}

Test(dt_discover, stdout_path_by_path_with_options_and_by_missing_alias)
{
	size_t cap;
	struct el2_dt_platform p;
	void *fdt = editable("mt8195-evb", &cap);
	int chosen = fdt_path_offset(fdt, "/chosen");
	const char *uart0 = fdt_get_alias(fdt, "serial0");
	cr_assert_not_null(uart0);
	char path[256];
	snprintf(path, sizeof(path), "%s:115200n8", uart0);
	cr_assert_eq(fdt_setprop_string(fdt, chosen, "stdout-path", path), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_OK, "%s", p.why);
	cr_expect_eq(p.console.kind, EL2_DT_CONSOLE_8250);
	cr_expect_eq(p.console.base, 0x11001100);
	cr_assert_eq(fdt_setprop_string(fdt, chosen, "stdout-path", "serial9:115200n8"), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_OK);
	cr_expect_eq(p.console.kind, EL2_DT_CONSOLE_NONE);
	free(fdt);
}

Test(dt_discover, reg_is_translated_through_a_bus_ranges)
{
	size_t cap;
	struct el2_dt_platform p;
	void *fdt = editable("mt8195-evb", &cap);
	int soc = fdt_parent_offset(fdt, gic_node(fdt));
	cr_assert_gt(soc, 0, "the GIC sits on a bus");
	/* child 0x0 .. 0x20000000 -> parent 0x100000000 (2 address cells up, 2 here) */
	fdt32_t rng[] = {cpu_to_fdt32(0), cpu_to_fdt32(0), cpu_to_fdt32(1),
	                 cpu_to_fdt32(0), cpu_to_fdt32(0), cpu_to_fdt32(0x20000000)};
	cr_assert_eq(fdt_setprop(fdt, soc, "ranges", rng, sizeof(rng)), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_OK, "%s", p.why);
	cr_expect_eq(p.gicd.base, 0x10c000000ull);
	cr_expect_eq(p.console.base, 0x111001100ull);
	/* a bus whose ranges do not cover the device: not addressable */
	rng[5] = cpu_to_fdt32(0x1000);
	cr_assert_eq(fdt_setprop(fdt, soc, "ranges", rng, sizeof(rng)), 0);
	cr_expect_eq(el2_dt_discover(fdt, cap, &p), HV_ERR_INVALID);
	free(fdt);
}
