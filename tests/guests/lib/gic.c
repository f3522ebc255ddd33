/* SPDX-License-Identifier: Apache-2.0 */
/* Minimal GICv3 driver for the contract guests (IHI 0069: 12.9 GICD_*,
 * 12.10/12.11 GICR_*, 12.2 ICC_*). */
#include "guest.h"

static uintptr_t rd_base(uint64_t cpu)
{
	return GUEST_GICR_BASE + cpu * GICR_FRAME_SIZE;
}

void gic_dist_init(void)
{
	mmio_write32(GUEST_GICD_BASE + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENGRP1);
}

void gic_cpu_init(uint64_t cpu)
{
	uintptr_t rd = rd_base(cpu);
	mmio_write32(rd + GICR_WAKER, mmio_read32(rd + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (mmio_read32(rd + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	mmio_write32(rd + GICR_IGROUPR0, 0xffffffffu);
	write_sysreg(s3_0_c12_c12_5, read_sysreg(s3_0_c12_c12_5) | 1); /* ICC_SRE_EL1.SRE */
	isb();
	write_sysreg(s3_0_c4_c6_0, 0xff); /* ICC_PMR_EL1 */
	write_sysreg(s3_0_c12_c12_7, 1);  /* ICC_IGRPEN1_EL1 */
	isb();
}

void gic_enable_private(uint64_t cpu, unsigned intid, uint8_t prio)
{
	uintptr_t rd = rd_base(cpu);
	mmio_write8(rd + GICR_IPRIORITYR + intid, prio);
	mmio_write32(rd + GICR_ISENABLER0, 1u << intid);
}

uint32_t gic_ack(void)
{
	uint32_t v = (uint32_t)read_sysreg(s3_0_c12_c12_0); /* ICC_IAR1_EL1 */
	__asm__ volatile("dsb sy" ::: "memory");
	return v;
}

void gic_eoi(uint32_t intid)
{
	write_sysreg(s3_0_c12_c12_1, intid); /* ICC_EOIR1_EL1 */
	isb();
}

void gic_send_sgi(unsigned intid, uint16_t targets)
{
	/* ICC_SGI1R_EL1: TargetList [15:0], Aff1 [23:16], INTID [27:24],
	 * Aff2 [39:32], IRM [40], Aff3 [55:48] (12.2.22). */
	uint64_t v = (uint64_t)targets | ((uint64_t)(intid & 15u) << 24);
	__asm__ volatile("dsb sy" ::: "memory");
	write_sysreg(s3_0_c12_c11_5, v);
	isb();
}
