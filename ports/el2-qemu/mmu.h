/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor's own EL2 stage-1 translation: an identity map. */
#ifndef EL2_MMU_H
#define EL2_MMU_H

#include <hv/types.h>

/*
 * Turns the EL2 MMU and caches on with an identity map in which every 1 GiB
 * of the 39-bit address space is Device-nGnRE and execute-never, except the
 * gigabytes holding [normal_base, normal_base + normal_size) and the
 * image itself, which are Normal write-back and executable. Call once, first
 * thing, with the DTB's range (the boot protocol puts it in RAM).
 */
void el2_mmu_enable(uint64_t normal_base, uint64_t normal_size);

/* Marks more RAM (from the DTB's /memory) Normal write-back. */
void el2_mmu_map_ram(uint64_t base, uint64_t size);

#endif
