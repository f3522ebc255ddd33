/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's identity stage-2 layout (core/mem/host_layout.c): exact
 * outputs for mode A's board, unsorted and overlapping input, unaligned
 * edges, adjacency, hostile input refused with the output untouched, and
 * random inputs against a page-by-page model of the policy.
 */
#include <criterion/criterion.h>
#include <hv/host_layout.h>
#include <string.h>

#define SPACE40 (UINT64_C(1) << 40)
#define RAM_T   HV_S2_MEM_NORMAL_WB
#define DEV_T   HV_S2_MEM_DEVICE_nGnRE

static const struct hv_range whole40 = {0, SPACE40};

struct want {
	uint64_t base, end;
	enum hv_s2_memtype type;
};

static struct hv_host_map out[256];
static uint32_t nr;

static hv_status_t run(const struct hv_host_layout_in *in)
{
	memset(out, 0xa5, sizeof(out));
	nr = 0xdead;
	return hv_host_layout(in, out, 256, &nr);
}

static void expect_layout(const struct want *w, uint32_t n)
{
	cr_assert_eq(nr, n, "%u ranges, want %u", nr, n);
	for (uint32_t i = 0; i < n; i++) {
		cr_expect_eq(out[i].base, w[i].base, "[%u] base %#llx want %#llx", i,
		             (unsigned long long)out[i].base, (unsigned long long)w[i].base);
		cr_expect_eq(out[i].base + out[i].size, w[i].end, "[%u] end %#llx want %#llx", i,
		             (unsigned long long)(out[i].base + out[i].size),
		             (unsigned long long)w[i].end);
		cr_expect_eq(out[i].type, w[i].type, "[%u] type", i);
		cr_expect_eq(out[i].prot, w[i].type == RAM_T ? HV_S2_PROT_RWX : HV_S2_PROT_RW,
		             "[%u] prot", i);
	}
}

/* The Genio 1200 EVK's shape as el2-mediatek sees it on QEMU: 512 MiB of
 * RAM at 1 GiB, EL2 at 0x40200000, OP-TEE's and BL31's carveouts. */
static const struct hv_range evk_ram[] = {{0x40000000, 0x20000000}};
static const struct hv_range evk_own[] = {{0x40200000, 0x438000}};
static const struct hv_range evk_nomap[] = {{0x43200000, 0xc00000}, {0x54600000, 0x200000}};
static const struct want evk_want[] = {
    {0, 0x40000000, DEV_T},          {0x40000000, 0x40200000, RAM_T},
    {0x40638000, 0x43200000, RAM_T}, {0x43e00000, 0x54600000, RAM_T},
    {0x54800000, 0x60000000, RAM_T}, {0x60000000, SPACE40, DEV_T},
};

Test(host_layout, mode_a_board)
{
	struct hv_host_layout_in in = {SPACE40, evk_ram, 1, evk_nomap, 2, evk_own, 1, &whole40, 1};
	cr_assert_eq(run(&in), HV_OK);
	expect_layout(evk_want, 6);
}

Test(host_layout, unsorted_overlapping_and_repeated_input_gives_the_same_layout)
{
	/* Carveouts out of order, one listed twice, one overlapping EL2's own
	 * range's edge from below inside OP-TEE's; RAM as two overlapping
	 * banks; zero-size ranges of every kind. */
	const struct hv_range ram[] = {{0x50000000, 0x10000000}, {0, 0}, {0x40000000, 0x18000000}};
	const struct hv_range nomap[] = {{0x54600000, 0x200000},
	                                 {0x43200000, 0xc00000},
	                                 {0x54600000, 0x200000},
	                                 {0x43300000, 0x100000},
	                                 {0x12345000, 0}};
	const struct hv_range own[] = {{0x40400000, 0x238000}, {0x40200000, 0x300000}, {0x99, 0}};
	const struct hv_range dev[] = {{0x60000000, SPACE40 - 0x60000000}, {0, 0}, {0, 0x40000000}};
	struct hv_host_layout_in in = {SPACE40, ram, 3, nomap, 5, own, 3, dev, 3};
	cr_assert_eq(run(&in), HV_OK);
	expect_layout(evk_want, 6);
}

Test(host_layout, unaligned_edges_round_ram_in_and_holes_out)
{
	/* RAM from 0x40000800 to 0x40103800: its first and last partial pages
	 * are not RAM (Device, as a device range covers them); a 2-byte
	 * carveout across a page boundary takes both pages; EL2's range ends
	 * one byte into a page, which it takes whole. */
	const struct hv_range ram[] = {{0x40000800, 0x103000}};
	const struct hv_range nomap[] = {{0x40010fff, 2}};
	const struct hv_range own[] = {{0x40080000, 0x1001}};
	struct hv_host_layout_in in = {SPACE40, ram, 1, nomap, 1, own, 1, &whole40, 1};
	cr_assert_eq(run(&in), HV_OK);
	const struct want w[] = {
	    {0, 0x40001000, DEV_T},          {0x40001000, 0x40010000, RAM_T},
	    {0x40012000, 0x40080000, RAM_T}, {0x40082000, 0x40103000, RAM_T},
	    {0x40103000, SPACE40, DEV_T},
	};
	expect_layout(w, 5);
}

Test(host_layout, ram_smaller_than_a_page_is_not_ram)
{
	const struct hv_range ram[] = {{0x40000100, 0xe00}};
	struct hv_host_layout_in in = {SPACE40, ram, 1, NULL, 0, NULL, 0, NULL, 0};
	cr_assert_eq(run(&in), HV_OK);
	cr_expect_eq(nr, 0);
}

Test(host_layout, adjacency_merges_one_kind_and_keeps_kinds_apart)
{
	/* Two RAM banks end to end (one range out), two carveouts end to end
	 * (one hole), a device range ending where RAM starts (two ranges). */
	const struct hv_range ram[] = {{0x80000000, 0x40000000}, {0x40000000, 0x40000000}};
	const struct hv_range nomap[] = {{0x50000000, 0x100000}, {0x50100000, 0x100000}};
	const struct hv_range dev[] = {{0x08000000, 0x38000000}};
	struct hv_host_layout_in in = {SPACE40, ram, 2, nomap, 2, NULL, 0, dev, 1};
	cr_assert_eq(run(&in), HV_OK);
	const struct want w[] = {
	    {0x08000000, 0x40000000, DEV_T},
	    {0x40000000, 0x50000000, RAM_T},
	    {0x50200000, 0xc0000000, RAM_T},
	};
	expect_layout(w, 3);
}

Test(host_layout, holes_win_over_ram_and_devices_ram_over_devices)
{
	/* A carveout across RAM's end into device space, a device range over
	 * all of RAM, no other devices: only what is left of RAM is mapped. */
	const struct hv_range ram[] = {{0x40000000, 0x10000000}};
	const struct hv_range nomap[] = {{0x4ff00000, 0x200000}};
	const struct hv_range dev[] = {{0x40000000, 0x20000000}};
	struct hv_host_layout_in in = {SPACE40, ram, 1, nomap, 1, NULL, 0, dev, 1};
	cr_assert_eq(run(&in), HV_OK);
	const struct want w[] = {
	    {0x40000000, 0x4ff00000, RAM_T},
	    {0x50100000, 0x60000000, DEV_T},
	};
	expect_layout(w, 2);
}

Test(host_layout, holes_past_the_space_are_harmless)
{
	const struct hv_range ram[] = {{0x40000000, 0x1000}};
	const struct hv_range nomap[] = {{SPACE40 - 0x1000, 0x100000}, {SPACE40 * 4, 0x1000}};
	struct hv_host_layout_in in = {SPACE40, ram, 1, nomap, 2, NULL, 0, &whole40, 1};
	cr_assert_eq(run(&in), HV_OK);
	const struct want w[] = {
	    {0, 0x40000000, DEV_T},
	    {0x40000000, 0x40001000, RAM_T},
	    {0x40001000, SPACE40 - 0x1000, DEV_T},
	};
	expect_layout(w, 3);
}

/* A refusal: the status, and neither out[] nor anything else written
 * but *nr_out where the status says so. */
static void refused(const struct hv_host_layout_in *in, hv_status_t want)
{
	static struct hv_host_map fresh[256];
	memset(fresh, 0xa5, sizeof(fresh));
	cr_expect_eq(run(in), want);
	cr_expect(memcmp(out, fresh, sizeof(out)) == 0, "output written on a refusal");
	if (want != HV_ERR_NO_MEMORY)
		cr_expect_eq(nr, 0xdead, "*nr_out written on a refusal");
}

Test(host_layout, hostile_input_is_refused_untouched)
{
	const struct hv_range wrap[] = {{UINT64_MAX - 0xfff, 0x2000}};
	const struct hv_range top[] = {{UINT64_MAX - 0xfff, 0x1000}}; /* ends at 2^64: fits */
	const struct hv_range past[] = {{SPACE40 - 0x1000, 0x2000}};
	const struct hv_range beyond[] = {{SPACE40, 0x1000}};
	struct hv_host_layout_in in = {SPACE40, evk_ram, 1, evk_nomap, 2, evk_own, 1, &whole40, 1};

	struct hv_host_layout_in t = in;
	t.ram = wrap;
	refused(&t, HV_ERR_INVALID);
	t = in;
	t.nomap = wrap;
	t.nr_nomap = 1;
	refused(&t, HV_ERR_INVALID);
	t = in;
	t.own = wrap;
	refused(&t, HV_ERR_INVALID);
	t = in;
	t.devices = wrap;
	refused(&t, HV_ERR_INVALID);
	t = in;
	t.ram = past;
	refused(&t, HV_ERR_RANGE);
	t = in;
	t.ram = beyond;
	refused(&t, HV_ERR_RANGE);
	t = in;
	t.devices = past;
	refused(&t, HV_ERR_RANGE);
	t = in;
	t.ram = top;
	refused(&t, HV_ERR_RANGE); /* in 2^64, but past the 40-bit space */
	t = in;
	t.nomap = top; /* a hole there removes nothing: fine */
	t.nr_nomap = 1;
	cr_expect_eq(run(&t), HV_OK);

	t = in;
	t.nr_nomap = HV_HOST_LAYOUT_MAX_IN + 1;
	refused(&t, HV_ERR_RANGE);
	t = in;
	t.ram = NULL;
	refused(&t, HV_ERR_INVALID);
	t = in;
	t.devices = NULL;
	refused(&t, HV_ERR_INVALID);
	for (unsigned i = 0; i < 4; i++) {
		const uint64_t bad_space[] = {0, 0x800, SPACE40 + 0x1000, UINT64_C(1) << 57};
		t = in;
		t.space = bad_space[i];
		refused(&t, HV_ERR_INVALID);
	}
	cr_expect_eq(hv_host_layout(NULL, out, 256, &nr), HV_ERR_INVALID);
	cr_expect_eq(hv_host_layout(&in, out, 256, NULL), HV_ERR_INVALID);
	cr_expect_eq(hv_host_layout(&in, NULL, 6, &nr), HV_ERR_INVALID);
}

Test(host_layout, too_small_an_output_is_refused_before_writing)
{
	struct hv_host_layout_in in = {SPACE40, evk_ram, 1, evk_nomap, 2, evk_own, 1, &whole40, 1};
	memset(out, 0xa5, sizeof(out));
	static struct hv_host_map fresh[256];
	memset(fresh, 0xa5, sizeof(fresh));
	cr_expect_eq(hv_host_layout(&in, out, 5, &nr), HV_ERR_NO_MEMORY);
	cr_expect_eq(nr, 6, "the count needed");
	cr_expect(memcmp(out, fresh, sizeof(out)) == 0);
	cr_expect_eq(hv_host_layout(&in, NULL, 0, &nr), HV_ERR_NO_MEMORY);
	cr_expect_eq(nr, 6);
	cr_expect_eq(hv_host_layout(&in, out, 6, &nr), HV_OK);
	expect_layout(evk_want, 6);
}

Test(host_layout, the_most_ranges_of_every_kind)
{
	/* 64 RAM banks with a gap after each, 64 carveouts inside them, 64
	 * device ranges in the gaps: every one shows in the output. */
	static struct hv_range ram[64], nomap[64], dev[64];
	for (unsigned i = 0; i < 64; i++) {
		uint64_t b = 0x40000000 + i * 0x400000ull;
		ram[i] = (struct hv_range){b, 0x200000};
		nomap[i] = (struct hv_range){b + 0x100000, 0x1000};
		dev[i] = (struct hv_range){b + 0x300000, 0x1000};
	}
	struct hv_host_layout_in in = {SPACE40, ram, 64, nomap, 64, NULL, 0, dev, 64};
	cr_assert_eq(run(&in), HV_OK);
	cr_assert_eq(nr, 3 * 64);
	for (unsigned i = 0; i < 64; i++) {
		uint64_t b = 0x40000000 + i * 0x400000ull;
		cr_expect_eq(out[3 * i].base, b);
		cr_expect_eq(out[3 * i].size, 0x100000);
		cr_expect_eq(out[3 * i + 1].base, b + 0x101000);
		cr_expect_eq(out[3 * i + 2].base, b + 0x300000);
		cr_expect_eq(out[3 * i + 2].type, DEV_T);
	}
}

/* Random inputs on a 16 MiB space (4096 pages) against the policy page by
 * page: a hole if any hole range touches the page, else RAM if one RAM
 * range holds all of it, else Device if any device range touches it. */
#define SMALL_SPACE (UINT64_C(1) << 24)
#define PAGES       (SMALL_SPACE >> HV_PAGE_SHIFT)

static uint64_t rng = 0x9e3779b97f4a7c15ull;
static uint64_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static void random_ranges(struct hv_range *r, unsigned n, bool may_pass)
{
	for (unsigned i = 0; i < n; i++) {
		uint64_t base = next_rand() % SMALL_SPACE, size = next_rand() % (SMALL_SPACE / 8);
		if (next_rand() % 4 == 0)
			base &= ~0xfffull; /* some aligned, most not */
		if (next_rand() % 8 == 0)
			size = 0;
		if (!may_pass && size > SMALL_SPACE - base)
			size = SMALL_SPACE - base;
		r[i] = (struct hv_range){base, size};
	}
}

static bool touches(const struct hv_range *r, unsigned n, uint64_t p)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i].size && r[i].base < p + HV_PAGE_SIZE && p < r[i].base + r[i].size)
			return true;
	return false;
}

static bool holds(const struct hv_range *r, unsigned n, uint64_t p)
{
	for (unsigned i = 0; i < n; i++)
		if (r[i].base <= p && p + HV_PAGE_SIZE <= r[i].base + r[i].size)
			return true;
	return false;
}

Test(host_layout, random_inputs_match_the_page_model)
{
	static uint8_t kind[PAGES];
	for (unsigned round = 0; round < 400; round++) {
		struct hv_range ram[6], nomap[5], own[2], dev[4];
		unsigned nr_ram = 1 + next_rand() % 6, nr_nomap = next_rand() % 6,
		         nr_own = next_rand() % 3, nr_dev = next_rand() % 5;
		random_ranges(ram, nr_ram, false);
		random_ranges(nomap, nr_nomap, true);
		random_ranges(own, nr_own, true);
		random_ranges(dev, nr_dev, false);
		struct hv_host_layout_in in = {SMALL_SPACE, ram,    nr_ram, nomap, nr_nomap,
		                               own,         nr_own, dev,    nr_dev};
		cr_assert_eq(run(&in), HV_OK, "round %u", round);
		memset(kind, 0, sizeof(kind));
		uint64_t prev_end = 0;
		for (uint32_t i = 0; i < nr; i++) {
			cr_assert(out[i].size && !(out[i].base & 0xfff) && !(out[i].size & 0xfff));
			cr_assert(out[i].base >= prev_end, "round %u: [%u] unsorted or overlapping",
			          round, i);
			cr_assert(!(i && out[i].base == prev_end && out[i].type == out[i - 1].type),
			          "round %u: [%u] not merged with its neighbour", round, i);
			cr_assert(out[i].base + out[i].size <= SMALL_SPACE);
			prev_end = out[i].base + out[i].size;
			for (uint64_t a = out[i].base; a < prev_end; a += HV_PAGE_SIZE)
				kind[a >> HV_PAGE_SHIFT] = out[i].type == RAM_T ? 2 : 1;
		}
		for (uint64_t pg = 0; pg < PAGES; pg++) {
			uint64_t p = pg << HV_PAGE_SHIFT;
			uint8_t want = touches(nomap, nr_nomap, p) || touches(own, nr_own, p) ? 0
			               : holds(ram, nr_ram, p)                                ? 2
			               : touches(dev, nr_dev, p)                              ? 1
			                                                                      : 0;
			cr_assert_eq(kind[pg], want, "round %u: page %#llx is %u, want %u", round,
			             (unsigned long long)p, kind[pg], want);
		}
	}
}
