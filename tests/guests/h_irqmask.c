/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest: an interrupt that became pending while PSTATE.I masked it
 * must be taken as soon as the guest unmasks, not at its next exit. An SGI
 * to itself and the virtual timer, each made pending with interrupts
 * masked; the guest spins masked (no interrupt may arrive), unmasks with
 * MSR DAIFClr and counts loop iterations, with no exits, until its handler
 * ran. Hardware takes it at once; the bound here is loose.
 */
#include "lib/guest.h"

#define SGI       3u
#define TIMER_PPI 27u
#define BOUND     1000u

static volatile unsigned taken;
static volatile uint32_t intid_seen;

void on_irq(struct frame *f)
{
	(void)f;
	uint32_t intid = gic_ack();
	intid_seen = intid;
	if (intid == TIMER_PPI)
		write_sysreg(cntv_ctl_el0, 0);
	gic_eoi(intid);
	taken++;
}

static void unmask_and_count(const char *what)
{
	unsigned before = taken;
	for (volatile unsigned i = 0; i < 20000; i++)
		;
	print("  taken while masked ", taken - before);
	unsigned n = 0;
	irq_enable();
	while (taken == before && n < 10 * BOUND)
		n++;
	irq_disable();
	puts_(what);
	puts_(n < BOUND ? " taken right after the unmask, intid "
	                : " NOT taken after the unmask, intid ");
	put_dec(intid_seen);
	putc_('\n');
}

int main(void)
{
	gic_dist_init();
	gic_cpu_init(0);
	gic_enable_private(0, SGI, 0x80);
	gic_enable_private(0, TIMER_PPI, 0x80);
	puts_("sgi to self, masked\n");
	gic_send_sgi(SGI, 1u << 0);
	isb();
	unmask_and_count("sgi");
	puts_("timer due, masked\n");
	write_sysreg(cntv_tval_el0, 100);
	write_sysreg(cntv_ctl_el0, 1);
	isb();
	while (!(read_sysreg(cntv_ctl_el0) & 4u))
		;
	unmask_and_count("timer");
	print("interrupts ", taken);
	return taken == 2 ? 0 : 1;
}
