/* SPDX-License-Identifier: Apache-2.0 */
/* Device register access at EL2 (mmio.h): the MMU maps devices as Device-nGnRE. */
#include "mmio.h"

uint8_t el2_mmio_read8(uintptr_t addr)
{
	return *(volatile uint8_t *)addr;
}

void el2_mmio_write8(uintptr_t addr, uint8_t value)
{
	*(volatile uint8_t *)addr = value;
}

uint32_t el2_mmio_read32(uintptr_t addr)
{
	return *(volatile uint32_t *)addr;
}

void el2_mmio_write32(uintptr_t addr, uint32_t value)
{
	*(volatile uint32_t *)addr = value;
}

uint64_t el2_mmio_read64(uintptr_t addr)
{
	return *(volatile uint64_t *)addr;
}
