/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: the EL1 physical timer (Arm ARM D11.2.4, CNTP_CTL_EL0,
 * CNTP_CVAL_EL0, CNTP_TVAL_EL0), which the hypervisor emulates, raises PPI
 * 30 through the virtual GIC. Checks: TVAL writes set CVAL = CNTPCT + TVAL
 * and read back as the signed distance (negative once past); ISTATUS only
 * while enabled; a masked timer shows ISTATUS without interrupting; three
 * interrupts taken from WFI (TVAL, TVAL, then an absolute CVAL), one while
 * the virtual timer is armed later (only PPI 30 comes); a timer masked
 * (IMASK) after it fired but before it was taken, then unmasked,
 * interrupts again while the guest spins.
 */
#include "lib/guest.h"

#define PTIMER_PPI  30u
#define VTIMER_PPI  27u
#define CTL_ENABLE  1u
#define CTL_IMASK   2u
#define CTL_ISTATUS 4u

static volatile unsigned fired, other;
static volatile uint32_t last_intid;

void on_irq(struct frame *f)
{
	(void)f;
	uint32_t intid = gic_ack();
	last_intid = intid;
	if (intid == PTIMER_PPI) {
		write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK); /* quiet the line */
		fired++;
	} else if (intid < 1020) {
		other++;
	}
	gic_eoi(intid);
}

static void check(const char *what, bool ok, int *bad)
{
	puts_(what);
	puts_(ok ? ": ok\n" : ": WRONG\n");
	*bad += !ok;
}

static void wait_for(unsigned n)
{
	while (fired < n)
		wfi();
	puts_("physical timer interrupt ");
	put_dec(n);
	puts_(": intid ");
	put_dec(last_intid);
	putc_('\n');
}

int main(void)
{
	int bad = 0;
	gic_dist_init();
	gic_cpu_init(0);
	gic_enable_private(0, PTIMER_PPI, 0xa0);
	gic_enable_private(0, VTIMER_PPI, 0xa0);

	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t t0 = read_sysreg(cntpct_el0), t1 = read_sysreg(cntpct_el0);
	check("physical count monotonic", t1 >= t0, &bad);
	check("reset: disabled", (read_sysreg(cntp_ctl_el0) & CTL_ENABLE) == 0, &bad);

	/* TVAL: CVAL = count + SignExtend(TVAL); reads back the distance. */
	uint64_t before = read_sysreg(cntpct_el0);
	write_sysreg(cntp_tval_el0, freq); /* 1 s */
	uint64_t after = read_sysreg(cntpct_el0), cval = read_sysreg(cntp_cval_el0);
	check("tval write sets cval", cval >= before + freq && cval <= after + freq, &bad);
	int32_t tval = (int32_t)read_sysreg(cntp_tval_el0);
	check("tval reads the distance", tval > 0 && (uint64_t)tval <= freq, &bad);
	write_sysreg(cntp_tval_el0, (uint32_t)-1000);
	tval = (int32_t)read_sysreg(cntp_tval_el0);
	check("negative tval: cval in the past, tval negative", tval < 0, &bad);
	write_sysreg(cntp_cval_el0, 0x123456789abcull);
	check("cval reads back", read_sysreg(cntp_cval_el0) == 0x123456789abcull, &bad);

	/* ISTATUS only while enabled; masked: no interrupt. */
	write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) - 1);
	write_sysreg(cntp_ctl_el0, 0);
	check("disabled past deadline: no istatus", !(read_sysreg(cntp_ctl_el0) & CTL_ISTATUS),
	      &bad);
	irq_enable();
	write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) + freq / 1000);
	write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
	while (!(read_sysreg(cntp_ctl_el0) & CTL_ISTATUS))
		;
	print("masked timer: istatus seen, interrupts ", fired);

	/* Three interrupts from WFI; the virtual timer armed later, meanwhile. */
	write_sysreg(cntv_tval_el0, freq * 10);
	write_sysreg(cntv_ctl_el0, CTL_ENABLE);
	for (unsigned i = 1; i <= 2; i++) {
		write_sysreg(cntp_tval_el0, freq / 100); /* 10 ms */
		write_sysreg(cntp_ctl_el0, CTL_ENABLE);
		isb();
		wait_for(i);
	}
	write_sysreg(cntp_cval_el0, read_sysreg(cntpct_el0) + freq / 100);
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	isb();
	wait_for(3);
	write_sysreg(cntv_ctl_el0, 0);
	irq_disable();

	/* Fired, masked before taken, unmasked: interrupts again. */
	write_sysreg(cntp_tval_el0, freq / 1000);
	write_sysreg(cntp_ctl_el0, CTL_ENABLE);
	isb();
	uint64_t due = read_sysreg(cntp_cval_el0) + freq / 1000;
	while (read_sysreg(cntpct_el0) < due)
		;
	write_sysreg(cntp_ctl_el0, CTL_ENABLE | CTL_IMASK);
	isb();
	puts_("timer masked before taken\n");
	unsigned was = fired;
	irq_enable();
	write_sysreg(cntp_ctl_el0, CTL_ENABLE); /* still due: the line rises again */
	isb();
	uint64_t until = read_sysreg(cntpct_el0) + freq / 20; /* 50 ms */
	while (fired == was && read_sysreg(cntpct_el0) < until)
		;
	irq_disable();
	print("unmasked again: interrupts ", fired - was);

	write_sysreg(cntp_ctl_el0, 0);
	print("interrupts taken ", fired);
	print("other interrupts ", other);
	return bad || fired != 4 || other != 0;
}
