/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest for bench/el2_exit_bench (no transcript: its figures depend on the
 * runtime). Times, with the virtual counter, loops of round trips through
 * the hypervisor and prints one line per figure:
 *   exitcost <key> <ticks> <count>
 * plus "exitcost freq <CNTFRQ_EL0>". Under QEMU's -icount shift=0 one
 * instruction is one nanosecond of virtual time, so ticks * 1e9 / freq /
 * count is instructions per round trip, guest loop included; the "empty"
 * loop (the same loop with a NOP) is what the bench subtracts.
 *   hvc         HVC #0 PSCI_VERSION (SMCCC 1.1, DEN0028)
 *   mmio_read   LDR from the emulated PL011's UARTIBRD (PL011 TRM 3.3.6)
 *   mmio_write  STR to UARTIBRD
 *   vgic_read   LDR from the distributor's GICD_TYPER (GIC spec 12.9.38)
 *   vtimer_irq  EL1 virtual timer: from the deadline (CNTV_CVAL_EL0) to
 *               the counter read first thing in the IRQ handler
 *   s2_fault    first load from each 2 MiB block of RAM beyond the image
 *               (a stage-2 fault the hypervisor answers with a block;
 *               RAM must be RAM_MIB), less a load from a mapped block
 *   sgi_rt      (vCPU 1 present) SGI 1 to vCPU 1, whose handler answers
 *               with SGI 2; vCPU 0 waits in WFI for it: one round trip is
 *               two SGIs sent and taken
 * Results are checked (PSCI version, register values); a wrong one ends
 * with exit status 1.
 */
#include "lib/guest.h"

#define ROUNDS      16384u
#define IRQ_ROUNDS  512u
#define RAM_MIB     64u
#define BLOCK       (2ul << 20)
#define UART_IBRD   (GUEST_UART_BASE + 0x24)
#define GICD_TYPER  (GUEST_GICD_BASE + 0x4)
#define TIMER_PPI   27u
#define CTL_ENABLE  1u
#define CTL_IMASK   2u
#define SGI_PING    1u
#define SGI_PONG    2u
#define PSCI_1_1    0x10001u
#define DEADLINE_IN 64u     /* ticks from arming the timer to its deadline */
#define POLL_SPIN   100000u /* instructions between two looks at vCPU 1 */

extern char secondary_entry[];
extern char __stacks_end[];

static volatile uint64_t irq_ticks, irq_count;
static volatile uint64_t pongs, pings;
static volatile unsigned secondary_state; /* 1 ready, 2 stop */
static int failures;

static inline uint64_t now(void)
{
	isb();
	return read_sysreg(cntvct_el0);
}

static void report(const char *key, uint64_t ticks, uint64_t count)
{
	puts_("exitcost ");
	puts_(key);
	putc_(' ');
	put_dec((int64_t)ticks);
	putc_(' ');
	put_dec((int64_t)count);
	putc_('\n');
}

static void expect(const char *what, uint64_t got, uint64_t want)
{
	if (got == want)
		return;
	puts_("exitcost error ");
	puts_(what);
	putc_(' ');
	put_hex(got);
	putc_('\n');
	failures++;
}

void on_irq(struct frame *f)
{
	(void)f;
	uint64_t t = read_sysreg(cntvct_el0);
	uint32_t intid = gic_ack();
	if (intid == TIMER_PPI) {
		irq_ticks += t - read_sysreg(cntv_cval_el0);
		irq_count++;
		write_sysreg(cntv_ctl_el0, CTL_ENABLE | CTL_IMASK); /* quiet the line */
	} else if (intid == SGI_PING) {
		pings++;
		gic_send_sgi(SGI_PONG, 1u << 0);
	} else if (intid == SGI_PONG) {
		pongs++;
	}
	gic_eoi(intid);
}

void secondary_main(uint64_t cpu)
{
	gic_cpu_init(cpu);
	gic_enable_private(cpu, SGI_PING, 0x80);
	irq_enable();
	secondary_state = 1;
	dsb_sy();
	while (secondary_state != 2)
		wfi();
}

/* The loops: the same code around one instruction each. */
#define TIMED_LOOP(insn, ...)                                                                      \
	({                                                                                         \
		uint64_t t0__ = now();                                                             \
		for (unsigned i__ = 0; i__ < ROUNDS; i__++)                                        \
			__asm__ volatile(insn __VA_ARGS__);                                        \
		now() - t0__;                                                                      \
	})

static void time_loops(void)
{
	uint64_t t, v = 0;
	register uint64_t x0 __asm__("x0");

	t = TIMED_LOOP("nop", ::: "memory");
	report("empty", t, ROUNDS);

	t = now();
	for (unsigned i = 0; i < ROUNDS; i++) {
		x0 = PSCI_VERSION;
		__asm__ volatile("hvc #0" : "+r"(x0)::"x1", "x2", "x3", "memory");
	}
	t = now() - t;
	expect("psci version", x0, PSCI_1_1);
	report("hvc", t, ROUNDS);
	t = now();
	for (unsigned i = 0; i < ROUNDS; i++) {
		x0 = PSCI_VERSION;
		__asm__ volatile("nop" : "+r"(x0)::"x1", "x2", "x3", "memory");
	}
	report("hvc_empty", now() - t, ROUNDS);

	mmio_write32(UART_IBRD, 0x1234);
	t = TIMED_LOOP("ldr %w0, [%1]", : "=&r"(v) : "r"(UART_IBRD) : "memory");
	expect("uart ibrd", v, 0x1234);
	report("mmio_read", t, ROUNDS);
	t = TIMED_LOOP("ldr %w0, [%1]", : "=&r"(v) : "r"(&irq_count) : "memory");
	report("load_empty", t, ROUNDS);
	t = TIMED_LOOP("str %w0, [%1]", ::"r"(0x10), "r"(UART_IBRD) : "memory");
	expect("uart ibrd written", mmio_read32(UART_IBRD), 0x10);
	report("mmio_write", t, ROUNDS);
	t = TIMED_LOOP("ldr %w0, [%1]", : "=&r"(v) : "r"(GICD_TYPER) : "memory");
	expect("gicd_typer nonzero", v != 0, 1);
	report("vgic_read", t, ROUNDS);
}

static void time_vtimer(void)
{
	gic_enable_private(0, TIMER_PPI, 0xa0);
	irq_enable();
	for (unsigned i = 0; i < IRQ_ROUNDS; i++) {
		uint64_t before = irq_count;
		write_sysreg(cntv_cval_el0, read_sysreg(cntvct_el0) + DEADLINE_IN);
		write_sysreg(cntv_ctl_el0, CTL_ENABLE);
		isb();
		while (irq_count == before)
			;
	}
	write_sysreg(cntv_ctl_el0, 0);
	irq_disable();
	expect("timer interrupts", irq_count, IRQ_ROUNDS);
	report("vtimer_irq", irq_ticks, irq_count);
}

static void time_s2_faults(void)
{
	uintptr_t first = ((uintptr_t)__stacks_end + BLOCK - 1) & ~(BLOCK - 1);
	uintptr_t end = GUEST_RAM_BASE + (uintptr_t)RAM_MIB * (1ul << 20);
	uint64_t sum = 0, warm = 0, n = 0, v = 0;
	for (uintptr_t a = first; a < end; a += BLOCK, n++) {
		uint64_t t0 = now();
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		sum += now() - t0;
		expect("fresh block reads zero", v, 0);
	}
	for (uintptr_t a = first; a < end; a += BLOCK) {
		uint64_t t0 = now();
		__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(a) : "memory");
		warm += now() - t0;
	}
	report("s2_fault", sum, n);
	report("s2_fault_empty", warm, n);
}

static void time_sgi(void)
{
	if (smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1) != 0)
		return; /* one vCPU: no SGI figures */
	gic_enable_private(0, SGI_PONG, 0x80);
	while (secondary_state != 1)
		;
	irq_enable();
	uint64_t t = now();
	for (unsigned i = 0; i < IRQ_ROUNDS; i++) {
		if (i == IRQ_ROUNDS - 1) { /* vCPU 1 stops after this one */
			secondary_state = 2;
			dsb_sy();
		}
		gic_send_sgi(SGI_PING, 1u << 1);
		while (pongs <= i)
			wfi();
	}
	t = now() - t;
	irq_disable();
	expect("sgi pings", pings, IRQ_ROUNDS);
	report("sgi_rt", t, IRQ_ROUNDS);
	/* vCPU 1 powers off once its last pong is sent; ask now and then. */
	while (smccc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		for (unsigned i = 0; i < POLL_SPIN; i++)
			__asm__ volatile("nop");
}

int main(void)
{
	gic_dist_init();
	gic_cpu_init(0);
	puts_("exitcost freq ");
	put_dec((int64_t)read_sysreg(cntfrq_el0));
	putc_('\n');
	time_loops();
	time_vtimer();
	time_s2_faults();
	time_sgi();
	puts_(failures ? "exitcost failed\n" : "exitcost done\n");
	return failures ? 1 : 0;
}
