/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: self-hosted debug at EL1 (Arm ARM D2) on two vCPUs, each
 * with its own state. vCPU 0 clears its OS lock, arms a hardware
 * breakpoint (EL1 execution, EC 0x31) and a watchpoint (EL1 stores, EC
 * 0x35, FAR), sees both fire, then starts vCPU 1, which first reads its
 * own DBGBVR0_EL1 and MDSCR_EL1 (zero, not vCPU 0's), then does the same
 * on its own comparators and single-steps 5 instructions (software step,
 * EC 0x33), the third a store to the PL011 that the hypervisor emulates:
 * the steps land on 5 consecutive instructions (none repeated, none lost).
 * While vCPU 1 runs, vCPU 0 keeps its own breakpoint armed; afterwards its
 * DBGBVR0_EL1 reads back its own value, the breakpoint still fires and
 * vCPU 1's (on another function) never fires on vCPU 0.
 * A runtime that delivers no debug exception (hvsim: Unicorn raises none)
 * is told by the first breakpoint: the guest says so and checks only the
 * per-vCPU registers (debug.expected); the EL2 port's transcript
 * (debug.el2.expected) has every exception.
 */
#include "lib/guest.h"

#define EC_BREAKPOINT 0x31u /* Breakpoint, current EL (D17.2.37) */
#define EC_STEP       0x33u /* Software Step, current EL */
#define EC_WATCHPOINT 0x35u /* Watchpoint, current EL */
#define MDSCR_SS      (1ul << 0)
#define MDSCR_KDE     (1ul << 13)
#define MDSCR_MDE     (1ul << 15)
#define SPSR_SS       (1ul << 21)
/* DBGBCR: E, PMC = 0b01 (EL1), BAS = 0b1111 (A64). DBGWCR: E, PAC = 0b01,
 * LSC = 0b10 (stores), BAS = 0xff (8 bytes). */
#define BCR_EL1_EXEC  (1ul | (1ul << 1) | (0xful << 5))
#define WCR_EL1_STORE (1ul | (1ul << 1) | (2ul << 3) | (0xfful << 5))
#define STEPS         5u

extern char secondary_entry[];
extern char step_seq[];
void run_stepped(uintptr_t uart_dr);

/* Each vCPU's own targets (noipa: every call executes their first word). */
__attribute__((noipa)) int target_a(int x)
{
	return x + 1;
}
__attribute__((noipa)) int target_b(int x)
{
	return x * 3;
}

static volatile uint64_t watched[2] __attribute__((aligned(16)));
/* The first breakpoint raised nothing: this runtime delivers no debug
 * exception (set by vCPU 0 before it starts vCPU 1). */
static volatile bool no_exceptions;

struct hits {
	unsigned ec, count;
	uint64_t elr, far;
	uint64_t steps[STEPS];
	unsigned nsteps;
};
/* Written by on_sync, behind the compiler's back: volatile. */
static volatile struct hits hits[2];

static unsigned cpu_id(void)
{
	return read_sysreg(mpidr_el1) & 0xffu;
}

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	volatile struct hits *h = &hits[cpu_id() & 1u];
	unsigned ec = (unsigned)(esr >> 26) & 0x3fu;
	if (ec == EC_STEP) {
		if (h->nsteps < STEPS)
			h->steps[h->nsteps++] = f->elr;
		if (h->nsteps < STEPS) {
			f->spsr |= SPSR_SS; /* step the next one too */
		} else {
			write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) & ~MDSCR_SS);
			f->spsr &= ~SPSR_SS;
		}
		return;
	}
	if (ec != EC_BREAKPOINT && ec != EC_WATCHPOINT) {
		puts_("unexpected exception, esr ");
		put_hex(esr);
		print(" elr ", f->elr);
		psci_system_off_status(1);
	}
	h->ec = ec;
	h->count++;
	h->elr = f->elr;
	h->far = far;
	/* Disarm, so the instruction runs when the handler returns to it. */
	if (ec == EC_BREAKPOINT) {
		write_sysreg(dbgbcr0_el1, 0);
		write_sysreg(dbgbcr1_el1, 0);
	} else {
		write_sysreg(dbgwcr0_el1, 0);
	}
	isb();
}

/* Software step over step_seq: ERET into it with SPSR_EL1.SS = 1 and
 * MDSCR_EL1.SS = 1; each step exception re-arms SPSR_EL1.SS (on_sync). */
__asm__(".text\n"
        ".global run_stepped\n"
        "run_stepped:\n"
        "	stp x29, x30, [sp, #-16]!\n"
        "	mov x1, x0\n"
        "	mov w10, #'S'\n"
        "	adr x2, step_seq\n"
        "	msr elr_el1, x2\n"
        "	mov x2, #0x1c5\n"         /* EL1h, A I F masked, D clear */
        "	orr x2, x2, #(1 << 21)\n" /* SS */
        "	msr spsr_el1, x2\n"
        "	adr x30, 1f\n"
        "	isb\n"
        "	eret\n"
        "1:	ldp x29, x30, [sp], #16\n"
        "	ret\n"
        ".global step_seq\n"
        "step_seq:\n"
        "	mov x9, #1\n"
        "	add x9, x9, #2\n"
        "	str w10, [x1]\n" /* the PL011's data register: emulated */
        "	add x9, x9, #3\n"
        "	add x9, x9, #4\n"
        "	add x9, x9, #5\n"
        "	nop\n"
        "	ret\n");

static void debug_on(void)
{
	write_sysreg(oslar_el1, 0); /* OS lock clear: debug exceptions enabled */
	isb();
	write_sysreg(mdscr_el1, MDSCR_MDE | MDSCR_KDE);
	isb();
	__asm__ volatile("msr daifclr, #8" ::: "memory"); /* PSTATE.D = 0 */
}

static void say(unsigned cpu, const char *what)
{
	puts_("cpu ");
	put_dec(cpu);
	puts_(": ");
	puts_(what);
}

static int breakpoint(unsigned cpu, unsigned n, int (*fn)(int))
{
	volatile struct hits *h = &hits[cpu];
	unsigned before = h->count;
	if (n == 0) {
		write_sysreg(dbgbvr0_el1, (uint64_t)fn);
		write_sysreg(dbgbcr0_el1, BCR_EL1_EXEC);
	} else {
		write_sysreg(dbgbvr1_el1, (uint64_t)fn);
		write_sysreg(dbgbcr1_el1, BCR_EL1_EXEC);
	}
	isb();
	int r = fn(4);
	if (cpu == 0 && n == 1 && h->count == 0) {
		no_exceptions = true;
		say(cpu, "breakpoint 1: no debug exception here (registers only)\n");
		return r < 5;
	}
	bool ok = h->count == before + 1 && h->ec == EC_BREAKPOINT && h->elr == (uint64_t)fn;
	say(cpu, "breakpoint ");
	put_dec(n);
	puts_(ok ? ": fired at its address, ec 0x31\n" : ": WRONG\n");
	return !ok || r < 5;
}

static int watchpoint(unsigned cpu)
{
	volatile struct hits *h = &hits[cpu];
	unsigned before = h->count;
	write_sysreg(dbgwvr0_el1, (uint64_t)&watched[cpu]);
	write_sysreg(dbgwcr0_el1, WCR_EL1_STORE);
	isb();
	(void)watched[cpu]; /* a load: not watched */
	bool quiet = h->count == before;
	watched[cpu] = 0x1234 + cpu;
	bool ok = quiet && h->count == before + 1 && h->ec == EC_WATCHPOINT &&
	          h->far == (uint64_t)&watched[cpu] && watched[cpu] == 0x1234 + cpu;
	say(cpu, ok ? "watchpoint: store fired, FAR the address, load did not\n"
	            : "watchpoint: WRONG\n");
	return !ok;
}

static int step(unsigned cpu)
{
	volatile struct hits *h = &hits[cpu];
	h->nsteps = 0;
	/* With PSTATE.D clear, MDSCR_EL1.SS would step this code at once:
	 * set it with debug exceptions masked, step_seq runs with D clear. */
	__asm__ volatile("msr daifset, #8" ::: "memory");
	write_sysreg(mdscr_el1, read_sysreg(mdscr_el1) | MDSCR_SS);
	isb();
	run_stepped(guest_uart_base);
	putc_('\n');
	int bad = h->nsteps != STEPS;
	say(cpu, "single steps at step_seq +");
	for (unsigned i = 0; i < h->nsteps; i++) {
		uint64_t off = h->steps[i] - (uint64_t)step_seq;
		putc_(' ');
		put_dec((int64_t)off);
		bad |= off != 4 * (i + 1);
	}
	puts_(bad ? " WRONG\n" : "\n");
	return bad;
}

static volatile int cpu1_bad = -1;

void secondary_main(uint64_t cpu)
{
	/* vCPU 0 has MDE, KDE and breakpoint 0 on target_a: none of it here. */
	uint64_t bvr0 = read_sysreg(dbgbvr0_el1), mdscr = read_sysreg(mdscr_el1);
	int bad = bvr0 != 0 || mdscr != 0;
	say((unsigned)cpu, bad ? "WRONG: it reads cpu 0's debug registers\n"
	                       : "its DBGBVR0_EL1 and MDSCR_EL1 read 0, not cpu 0's\n");
	debug_on();
	if (no_exceptions) {
		write_sysreg(dbgbvr0_el1, (uint64_t)target_b);
	} else {
		bad |= breakpoint((unsigned)cpu, 0, target_b);
		bad |= watchpoint((unsigned)cpu);
		bad |= step((unsigned)cpu);
	}
	/* Its own breakpoint armed on target_b, left for vCPU 0 not to see. */
	write_sysreg(dbgbvr1_el1, (uint64_t)target_b);
	write_sysreg(dbgbcr1_el1, BCR_EL1_EXEC);
	isb();
	cpu1_bad = bad;
}

int main(void)
{
	debug_on();
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	unsigned brps = (unsigned)((dfr0 >> 12) & 0xf) + 1,
	         wrps = (unsigned)((dfr0 >> 20) & 0xf) + 1;
	puts_(brps >= 2 && wrps >= 2 ? "at least 2 breakpoints and 2 watchpoints\n"
	                             : "too few breakpoints\n");
	print("OSLSR_EL1 after unlock ", read_sysreg(oslsr_el1));
	int bad = brps < 2 || wrps < 2;
	bad |= breakpoint(0, 1, target_a);
	if (!no_exceptions)
		bad |= watchpoint(0);
	/* vCPU 0's breakpoint 0 armed on target_a while vCPU 1 runs. */
	write_sysreg(dbgbvr0_el1, (uint64_t)target_a);
	write_sysreg(dbgbcr0_el1, BCR_EL1_EXEC);
	isb();
	if (smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1) != 0)
		return 2;
	for (unsigned i = 0; i < 200000000u && cpu1_bad < 0; i++)
		cpu_relax();
	for (unsigned i = 0; i < 200000000u && smccc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1; i++)
		cpu_relax();
	bad |= cpu1_bad != 0;
	bool kept = read_sysreg(dbgbvr0_el1) == (uint64_t)target_a;
	say(0, kept ? "its DBGBVR0_EL1 still its own after the other vCPU ran\n"
	            : "WRONG: its DBGBVR0_EL1 changed\n");
	bad |= !kept;
	if (no_exceptions) {
		puts_(bad ? "debug: FAILED\n" : "debug: ok (registers only)\n");
		return bad;
	}
	/* Back on vCPU 0: vCPU 1's breakpoint is not ours, ours still fires. */
	unsigned before = hits[0].count;
	int r = target_b(1);
	say(0, hits[0].count == before ? "the other vCPU's breakpoint does not fire here\n"
	                               : "WRONG: another vCPU's breakpoint fired\n");
	bad |= hits[0].count != before || r != 3;
	r = target_a(1);
	bool ok = hits[0].count == before + 1 && hits[0].elr == (uint64_t)target_a;
	say(0, ok ? "its own breakpoint still fires after the other vCPU ran\n"
	          : "WRONG: its breakpoint was lost\n");
	bad |= !ok || r != 2;
	puts_(bad ? "debug: FAILED\n" : "debug: ok\n");
	return bad;
}
