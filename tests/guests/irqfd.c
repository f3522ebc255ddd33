/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest for a GenieZone VMM with irqfds (gzvm-vmm --irqfd-doorbell):
 * SPIs raised by an eventfd the VMM signals. A 32-bit write of g to the
 * VMM's doorbell (IRQFD_DOORBELL) makes the VMM signal the eventfd bound by
 * IRQFD to gsi g; the driver raises SPI g + 32 and never lowers it. INTID
 * 40 (gsi 8) is level-sensitive, INTID 41 (gsi 9) edge-triggered (GICD_ICFGR,
 * GIC spec 12.9.9). For each, N signals one at a time: each must be taken
 * exactly once (none lost: the guest waits for it; no storm: nothing more
 * arrives during a quiet period after the last one).
 */
#include "lib/guest.h"

#define IRQFD_DOORBELL  0x0b000000ul /* outside the contract's hole */
#define SIGNALS         5u
#define GICD_IGROUPR    0x0080u
#define GICD_ISENABLER  0x0100u
#define GICD_IPRIORITYR 0x0400u
#define GICD_ICFGR      0x0c00u
#define GICD_IROUTER    0x6000u

static volatile unsigned taken[2];
static volatile uint32_t stray;

void on_irq(struct frame *f)
{
	(void)f;
	uint32_t intid = gic_ack();
	if (intid == 40 || intid == 41)
		taken[intid - 40]++;
	else if (intid < 1020)
		stray = intid;
	if (intid < 1020)
		gic_eoi(intid);
}

/* SPI intid: group 1, priority 0x80, routed to Aff0 0, edge or level. */
static void spi_setup(unsigned intid, bool edge)
{
	uintptr_t d = GUEST_GICD_BASE;
	unsigned word = intid / 32, bit = intid % 32;
	mmio_write32(d + GICD_IGROUPR + 4 * word,
	             mmio_read32(d + GICD_IGROUPR + 4 * word) | 1u << bit);
	mmio_write8(d + GICD_IPRIORITYR + intid, 0x80);
	*(volatile uint64_t *)(d + GICD_IROUTER + 8 * intid) = 0;
	uintptr_t cfg = d + GICD_ICFGR + 4 * (intid / 16);
	uint32_t mask = 2u << (2 * (intid % 16)); /* Int_config[1]: 1 edge */
	mmio_write32(cfg, edge ? mmio_read32(cfg) | mask : mmio_read32(cfg) & ~mask);
	mmio_write32(d + GICD_ISENABLER + 4 * word, 1u << bit);
}

/* Spin (interrupts on) for about ms milliseconds of the virtual counter. */
static void quiet(unsigned ms)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t end = read_sysreg(cntvct_el0) + freq / 1000 * ms;
	while (read_sysreg(cntvct_el0) < end)
		;
}

static unsigned signal_each(unsigned gsi)
{
	unsigned idx = gsi - 8, lost = 0;
	for (unsigned i = 1; i <= SIGNALS; i++) {
		mmio_write32(IRQFD_DOORBELL, gsi);
		uint64_t freq = read_sysreg(cntfrq_el0);
		uint64_t end = read_sysreg(cntvct_el0) + freq * 2; /* 2 s */
		while (taken[idx] < i && read_sysreg(cntvct_el0) < end)
			;
		if (taken[idx] < i)
			lost++;
	}
	quiet(50);
	return lost;
}

int main(void)
{
	gic_dist_init();
	gic_cpu_init(0);
	spi_setup(40, false);
	spi_setup(41, true);
	irq_enable();
	unsigned lost = signal_each(8);
	print("level SPI 40: signals 0x5, taken ", taken[0]);
	lost += signal_each(9);
	print("edge SPI 41: signals 0x5, taken ", taken[1]);
	print("lost ", lost);
	print("stray ", stray);
	return taken[0] == SIGNALS && taken[1] == SIGNALS && !lost && !stray ? 0 : 1;
}
