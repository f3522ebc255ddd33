/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor's own EL2 stage-1 translation: an identity map. */
#ifndef EL2_MMU_H
#define EL2_MMU_H

#include <hv/types.h>

#include "dt_discover.h"

/*
 * Turns the EL2 MMU and caches on with an identity map in which every 1 GiB
 * of the 39-bit address space is Device-nGnRE and execute-never, except the
 * gigabytes holding [normal_base, normal_base + normal_size) and the
 * image itself, where only those two are mapped (Normal write-back,
 * executable) until el2_mmu_map_ram. Call once, first
 * thing, with the DTB's range (the boot protocol puts it in RAM).
 */
void el2_mmu_enable(uint64_t normal_base, uint64_t normal_size);

/* Maps more RAM (from the DTB's /memory) Normal write-back, except the
 * pages of nomap[] (the DTB's /reserved-memory no-map carveouts), which EL2
 * never maps. False when the map ran out of tables (part left unmapped). */
bool el2_mmu_map_ram(uint64_t base, uint64_t size, const struct el2_dt_range *nomap,
                     unsigned nr_nomap);

/* Maps [base, base + size) Device-nGnRE, execute-never, where it lies in a
 * gigabyte that holds RAM (elsewhere it is Device already): a device next
 * to RAM (a console inside RAM's gigabyte). False when a page of it is
 * mapped as RAM, or the tables ran out. */
bool el2_mmu_map_device(uint64_t base, uint64_t size);
/* Whether EL2's map translates va (AT S1E2R): for the self-test. */
bool el2_mmu_maps(uint64_t va);

/* Cleans [p, p + size) to the point of coherency (DC CVAC), for a CPU
 * that reads it with its MMU off. */
void el2_dcache_clean(const void *p, size_t size);

/* Boot CPU, before starting secondaries: make the map and the register
 * values visible to a CPU whose MMU is still off. */
void el2_mmu_clean_for_secondaries(void);

/* A secondary CPU: the same map, MMU and caches on. */
void el2_mmu_enable_secondary(void);

#endif
