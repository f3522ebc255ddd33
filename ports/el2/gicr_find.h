/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which GICv3 redistributor is a CPU's: every redistributor region the
 * device tree lists (#redistributor-regions, any number; Debian's MediaTek
 * trees have one, a part may have several), each walked from its base one
 * redistributor at a time (RD_base and SGI_base frames, 64 KiB each, plus
 * two VLPI frames when GICR_TYPER.VLPIS says so: GIC spec 9.1, 12.10), until
 * one's GICR_TYPER.Affinity_Value is the CPU's MPIDR affinity (Aff3.Aff2.
 * Aff1.Aff0: DynamIQ parts step Aff1, not Aff0), GICR_TYPER.Last ends that
 * region, or its size does. Plain C over mmio.h: host tests give it a
 * register model.
 */
#ifndef EL2_GICR_FIND_H
#define EL2_GICR_FIND_H

#include <stdint.h>

#include "dt_discover.h"

#define EL2_GICR_FRAME 0x10000u /* one 64 KiB redistributor frame */

/* RD_base of the redistributor with this MPIDR's affinity, or 0. A region
 * not 64 KiB aligned, ending past 2^64, or smaller than one redistributor
 * (two frames) is not read at all; nothing past a region's end is read. */
uintptr_t el2_gicr_find(const struct el2_dt_range *regions, uint32_t nr, uint64_t mpidr);

#endif
