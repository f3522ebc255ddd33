/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: the EL1 virtual timer (Arm ARM D11.2.4) raises PPI 27
 * through the virtual GIC; the guest takes it in its IRQ handler (ICC_IAR1
 * -> 27, ICC_EOIR1), three times, waiting in WFI. It also checks that the
 * virtual count moves forward and that a masked timer shows ISTATUS
 * without interrupting. Last, a timer that fired while interrupts were
 * masked is masked (CNTV_CTL.IMASK) before the guest takes it, with exits
 * in between (UART), then unmasked: it must interrupt again, while the
 * guest spins without exiting (a runtime whose physical timer interrupt
 * stayed active for the withdrawn one would miss it).
 */
#include "lib/guest.h"

#define TIMER_PPI   27u
#define CTL_ENABLE  1u
#define CTL_IMASK   2u
#define CTL_ISTATUS 4u

static volatile unsigned fired;
static volatile uint32_t last_intid;

void on_irq(struct frame *f)
{
	(void)f;
	uint32_t intid = gic_ack();
	last_intid = intid;
	if (intid == TIMER_PPI) {
		write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK); /* quiet the line */
		fired++;
	}
	gic_eoi(intid);
}

int main(void)
{
	gic_dist_init();
	gic_cpu_init(0);
	gic_enable_private(0, TIMER_PPI, 0xa0);

	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t t0 = read_sysreg(cntvct_el0);
	uint64_t t1 = read_sysreg(cntvct_el0);
	puts_(freq ? "counter frequency set\n" : "counter frequency 0\n");
	puts_(t1 >= t0 ? "virtual count monotonic\n" : "virtual count went back\n");

	/* Masked: ISTATUS rises, no interrupt. */
	write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + freq / 1000);
	write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
	irq_enable();
	while (!(read_sysreg(cntv_ctl_el0) & CTL_ISTATUS))
		;
	print("masked timer: istatus seen, interrupts ", fired);

	for (unsigned i = 1; i <= 3; i++) {
		write_sysreg(cntv_tval_el0, freq / 100); /* 10 ms */
		write_sysreg(cntv_ctl_el0, CTL_ENABLE);
		isb();
		while (fired < i)
			wfi();
		puts_("timer interrupt ");
		put_dec(i);
		puts_(": intid ");
		put_dec(last_intid);
		putc_('\n');
	}
	irq_disable();

	write_sysreg(cntv_tval_el0, freq / 1000);
	write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	isb();
	uint64_t due = read_sysreg(cntv_cval_el0) + freq / 1000; /* time to reach the runtime */
	while (read_sysreg(cntvct_el0) < due)
		;
	write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK);
	isb();
	puts_("timer masked before taken\n");
	unsigned before = fired;
	irq_enable();
	write_sysreg(cntv_ctl_el0, CTL_ENABLE); /* still due: the line rises again */
	isb();
	uint64_t until = read_sysreg(cntvct_el0) + freq / 20; /* 50 ms */
	while (fired == before && read_sysreg(cntvct_el0) < until)
		;
	irq_disable();
	print("unmasked again: interrupts ", fired - before);

	write_sysreg(cntv_ctl_el0, 0);
	print("interrupts taken ", fired);
	return fired == 4 ? 0 : 1;
}
