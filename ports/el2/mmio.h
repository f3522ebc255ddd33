/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device register access for the shared EL2 drivers (UARTs, the
 * redistributor walk): a link-time
 * seam, as hv/arch.h is for the core. The EL2 image links mmio.c (volatile
 * single-copy accesses of exactly the named width, Arm ARM B2.2.1); host
 * tests link a register model that records every access.
 */
#ifndef EL2_MMIO_H
#define EL2_MMIO_H

#include <stdint.h>

uint8_t el2_mmio_read8(uintptr_t addr);
void el2_mmio_write8(uintptr_t addr, uint8_t value);
uint32_t el2_mmio_read32(uintptr_t addr);
void el2_mmio_write32(uintptr_t addr, uint32_t value);
uint64_t el2_mmio_read64(uintptr_t addr);

#endif
