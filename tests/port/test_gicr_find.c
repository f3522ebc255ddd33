/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ports/el2/gicr_find.c against a register model of redistributor frames:
 * every region walked, GICR_TYPER.Last and the region's size both end a
 * region's walk, GICv4 redistributors take four frames, DynamIQ CPUs match
 * on Aff1, and nothing outside a modelled redistributor's GICR_TYPER is ever
 * read (hostile regions: unaligned, wrapping, too small).
 */
#include <criterion/criterion.h>

#include "../../ports/el2/gicr_find.h"
#include "../../ports/el2/mmio.h"

#define MAX_RD 16

static struct {
	uintptr_t rd;
	uint64_t typer;
} model[MAX_RD];
static unsigned nr_model, reads, stray;

uint64_t el2_mmio_read64(uintptr_t addr)
{
	reads++;
	for (unsigned i = 0; i < nr_model; i++)
		if (addr == model[i].rd + 8)
			return model[i].typer;
	stray++;
	return 0;
}

/* The walk reads only GICR_TYPER; the rest of the seam is unused here. */
uint8_t el2_mmio_read8(uintptr_t addr)
{
	(void)addr;
	cr_assert_fail("8-bit read");
	return 0;
}
void el2_mmio_write8(uintptr_t addr, uint8_t value)
{
	(void)addr, (void)value;
	cr_assert_fail("write");
}
uint32_t el2_mmio_read32(uintptr_t addr)
{
	(void)addr;
	cr_assert_fail("32-bit read");
	return 0;
}
void el2_mmio_write32(uintptr_t addr, uint32_t value)
{
	(void)addr, (void)value;
	cr_assert_fail("write");
}

#define LAST  (1ull << 4)
#define VLPIS (1ull << 1)

static void reset(void)
{
	nr_model = reads = stray = 0;
}

/* A redistributor at rd for the CPU with this MPIDR (GICR_TYPER[63:32] =
 * Aff3.Aff2.Aff1.Aff0; Processor_Number in [23:8] as hardware fills it). */
static void rd_at(uintptr_t rd, uint64_t mpidr, uint64_t flags)
{
	uint64_t aff = ((mpidr >> 32) & 0xff) << 24 | (mpidr & 0xffffff);
	model[nr_model].rd = rd;
	model[nr_model].typer = aff << 32 | (uint64_t)nr_model << 8 | flags;
	nr_model++;
}

TestSuite(gicr_find, .init = reset);

Test(gicr_find, one_region_as_qemu_virt)
{
	const struct el2_dt_range r[] = {{0x080a0000, 0xf60000}};
	rd_at(0x080a0000, 0, 0);
	rd_at(0x080c0000, 1, LAST);
	cr_expect_eq(el2_gicr_find(r, 1, 0x80000000), 0x080a0000); /* MPIDR bit 31 RES1 */
	cr_expect_eq(el2_gicr_find(r, 1, 0x80000001), 0x080c0000);
	cr_expect_eq(el2_gicr_find(r, 1, 0x80000002), 0, "a CPU with no redistributor");
	cr_expect_eq(stray, 0);
}

Test(gicr_find, two_regions_one_redistributor_each)
{
	/* QEMU's range described as two 128 KiB regions (the MediaTek-shaped
	 * test tree): the first ends by its size, not by Last. */
	const struct el2_dt_range r[] = {{0x080a0000, 0x20000}, {0x080c0000, 0x20000}};
	rd_at(0x080a0000, 0, 0);
	rd_at(0x080c0000, 1, LAST);
	cr_expect_eq(el2_gicr_find(r, 2, 0x80000001), 0x080c0000);
	cr_expect_eq(reads, 2);
	cr_expect_eq(el2_gicr_find(r, 2, 0x80000000), 0x080a0000);
	cr_expect_eq(stray, 0);
}

Test(gicr_find, dynamiq_cpus_step_aff1_across_regions)
{
	/* Eight DynamIQ CPUs (MPIDR MT bit 24 set, Aff1 = core), in two
	 * regions of four, each region ending with Last. */
	const struct el2_dt_range r[] = {{0x0c040000, 0x80000}, {0x0c100000, 0x100000}};
	for (unsigned c = 0; c < 8; c++)
		rd_at((c < 4 ? 0x0c040000 : 0x0c100000 - 0x80000) + c * 0x20000, c << 8,
		      c == 3 || c == 7 ? LAST : 0);
	for (unsigned c = 0; c < 8; c++)
		cr_expect_eq(el2_gicr_find(r, 2, 0x81000000ull | c << 8),
		             (c < 4 ? 0x0c040000 : 0x0c100000 - 0x80000) + c * 0x20000, "cpu %u",
		             c);
	cr_expect_eq(el2_gicr_find(r, 2, 0x81000001), 0, "Aff0 1 is no CPU here");
	cr_expect_eq(stray, 0);
}

Test(gicr_find, aff3_counts)
{
	const struct el2_dt_range r[] = {{0x100000, 0x40000}};
	rd_at(0x100000, 0x0100000000ull, 0);
	rd_at(0x120000, 0, LAST);
	cr_expect_eq(el2_gicr_find(r, 1, 0x80000000), 0x120000);
	cr_expect_eq(el2_gicr_find(r, 1, 0x0180000000ull), 0x100000);
}

Test(gicr_find, last_ends_a_region_walk)
{
	/* A matching affinity after Last is never read; the next region is. */
	const struct el2_dt_range r[] = {{0x200000, 0x100000}, {0x400000, 0x20000}};
	rd_at(0x200000, 0, LAST);
	rd_at(0x220000, 1, 0);
	rd_at(0x400000, 1, LAST);
	cr_expect_eq(el2_gicr_find(r, 2, 1), 0x400000);
	cr_expect_eq(reads, 2);
}

Test(gicr_find, gicv4_redistributors_take_four_frames)
{
	const struct el2_dt_range r[] = {{0x300000, 0x80000}};
	rd_at(0x300000, 0, VLPIS);
	rd_at(0x340000, 1, VLPIS | LAST);
	cr_expect_eq(el2_gicr_find(r, 1, 1), 0x340000);
	cr_expect_eq(stray, 0);
}

Test(gicr_find, nothing_past_a_region_end_is_read)
{
	/* No Last within the region (a tree that says less than the
	 * hardware has): the walk stops at its size. */
	const struct el2_dt_range r[] = {{0x500000, 0x40000}};
	rd_at(0x500000, 0, 0);
	rd_at(0x520000, 1, 0);
	rd_at(0x540000, 2, LAST);
	cr_expect_eq(el2_gicr_find(r, 1, 2), 0);
	cr_expect_eq(reads, 2);
	cr_expect_eq(stray, 0);
}

Test(gicr_find, hostile_regions_are_not_read)
{
	const struct el2_dt_range r[] = {
	    {0x600800, 0x40000},              /* not 64 KiB aligned */
	    {0x700000, 0x1ffff},              /* smaller than one redistributor */
	    {0x800000, 0},                    /* empty */
	    {UINT64_MAX - 0xffff, 0x40000},   /* wraps */
	    {0xffffffffffff0000ull, 0x20000}, /* ends past 2^64 */
	};
	rd_at(0x600800, 0, LAST);
	rd_at(0x700000, 0, LAST);
	cr_expect_eq(el2_gicr_find(r, 5, 0), 0);
	cr_expect_eq(reads, 0);
	cr_expect_eq(el2_gicr_find(NULL, 3, 0), 0);
	cr_expect_eq(el2_gicr_find(r, 0, 0), 0);
	cr_expect_eq(reads, 0);
}
