/* SPDX-License-Identifier: Apache-2.0 */
/* A CPU's redistributor by affinity, over every region (gicr_find.h). */
#include "gicr_find.h"

#include "mmio.h"

#define GICR_TYPER       0x0008
#define GICR_TYPER_VLPIS (1ull << 1)
#define GICR_TYPER_LAST  (1ull << 4)

/* MPIDR affinity in GICR_TYPER[63:32] form (GIC spec 12.11.37):
 * Aff3 (MPIDR[39:32]) over Aff2.Aff1.Aff0 (MPIDR[23:0]); MT, U and the
 * RES1 bit 31 are not part of it. */
static uint32_t typer_affinity(uint64_t mpidr)
{
	return (uint32_t)((mpidr >> 8) & 0xff000000u) | (uint32_t)(mpidr & 0xffffffu);
}

static uintptr_t find_in(uint64_t base, uint64_t size, uint32_t want)
{
	if ((base & (EL2_GICR_FRAME - 1)) || (size && size - 1 > UINT64_MAX - base) ||
	    base > UINTPTR_MAX || size > UINTPTR_MAX - base)
		return 0;
	/* At most size / 128 KiB steps: each moves on by two frames or more. */
	for (uint64_t off = 0; size >= 2 * EL2_GICR_FRAME && off <= size - 2 * EL2_GICR_FRAME;) {
		uintptr_t rd = (uintptr_t)(base + off);
		uint64_t typer = el2_mmio_read64(rd + GICR_TYPER);
		if ((uint32_t)(typer >> 32) == want)
			return rd;
		if (typer & GICR_TYPER_LAST)
			break;
		off += (typer & GICR_TYPER_VLPIS ? 4u : 2u) * EL2_GICR_FRAME;
	}
	return 0;
}

uintptr_t el2_gicr_find(const struct el2_dt_range *regions, uint32_t nr, uint64_t mpidr)
{
	uint32_t want = typer_affinity(mpidr);
	for (uint32_t i = 0; regions && i < nr; i++) {
		uintptr_t rd = find_in(regions[i].base, regions[i].size, want);
		if (rd)
			return rd;
	}
	return 0;
}
