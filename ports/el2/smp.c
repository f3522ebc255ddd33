/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secondary CPUs at EL2. The boot CPU asks the host's PSCI (DEN0022
 * CPU_ON, 0xC4000003: target MPIDR, entry PA, context ID) to start each
 * CPU at el2_secondary_entry (boot.S) with its index as context ID; there
 * it gets its stack, vectors, the shared EL2 stage-1 map (mmu.c) and its
 * GIC redistributor (gic.c), says it is online and waits for work, taking
 * kick SGIs meanwhile. A CPU whose redistributor is not in the tree's
 * regions says so and parks, never online (it could take no kick).
 */
#include "smp.h"

#include <hv/ticket_lock.h>

#include "console.h"
#include "gic.h"
#include "mmu.h"
#include "sysreg.h"

#define PSCI_CPU_ON_64      0xc4000003u
#define PSCI_SUCCESS        0
#define PSCI_ALREADY_ON     (-4)
#define MPIDR_AFF_MASK      0xff00ffffffull /* Aff3 [39:32], Aff2..Aff0 [23:0] */
#define ONLINE_WAIT_SECONDS 1               /* per CPU */

void el2_secondary_entry(void);
void el2_secondary_main(unsigned cpu);

/* Secondary stacks (boot.S: CPU i's stack top is el2_cpu_stacks[i + 1]). */
#define EL2_CPU_STACK_SIZE (1u << 14)
uint8_t el2_cpu_stacks[EL2_MAX_CPUS][EL2_CPU_STACK_SIZE] __attribute__((aligned(16)));

static const struct el2_board *the_board; /* el2_smp_start's, for secondaries */
static uint64_t cpu_mpidr[EL2_MAX_CPUS];
static unsigned nr_cpus = 1;
static volatile bool cpu_online[EL2_MAX_CPUS];
static volatile bool cpu_parked[EL2_MAX_CPUS]; /* came up without a redistributor */
static volatile uint32_t cpu_kicks[EL2_MAX_CPUS];
static el2_cpu_work_fn volatile work;

void el2_lock(struct el2_lock *l)
{
	(void)hv_ticket_lock(&l->t);
}

void el2_unlock(struct el2_lock *l)
{
	hv_ticket_unlock(&l->t);
}

unsigned el2_nr_cpus(void)
{
	return nr_cpus;
}

int64_t el2_psci_call(const struct el2_board *board, uint64_t fn, uint64_t a1, uint64_t a2,
                      uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fn;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	if (board->psci_smc)
		__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return (int64_t)x0;
}

unsigned el2_smp_start(const struct el2_board *board)
{
	the_board = board;
	if (!board->have_psci)
		return 0;
	unsigned n = board->nr_cpus < EL2_MAX_CPUS ? board->nr_cpus : EL2_MAX_CPUS;
	for (unsigned i = 0; i < n; i++)
		cpu_mpidr[i] = board->cpu_mpidr[i] & MPIDR_AFF_MASK;
	nr_cpus = n;
	/* What a secondary reads with its MMU still off must be in memory. */
	el2_mmu_clean_for_secondaries();
	unsigned online = 0;
	for (unsigned i = 1; i < n; i++) {
		int64_t rc = el2_psci_call(board, PSCI_CPU_ON_64, cpu_mpidr[i],
		                           (uint64_t)(uintptr_t)el2_secondary_entry, i);
		if (rc != PSCI_SUCCESS && rc != PSCI_ALREADY_ON) {
			el2_puts("el2: PSCI CPU_ON failed for cpu ");
			el2_put_hex(i);
			el2_puts("\n");
			continue;
		}
		uint64_t freq = read_sysreg(cntfrq_el0), start = read_sysreg(cntpct_el0);
		while (!cpu_online[i] && !cpu_parked[i] &&
		       read_sysreg(cntpct_el0) - start < freq * ONLINE_WAIT_SECONDS)
			__asm__ volatile("yield");
		online += cpu_online[i];
	}
	return online;
}

void el2_smp_dispatch(el2_cpu_work_fn fn)
{
	work = fn;
	__asm__ volatile("dsb ish\n\tsev" ::: "memory");
	for (unsigned i = 1; i < nr_cpus; i++)
		if (cpu_online[i])
			el2_kick_cpu(i);
}

void el2_kick_cpu(unsigned cpu)
{
	if (cpu < nr_cpus)
		el2_gic_send_sgi(cpu_mpidr[cpu], EL2_SGI_KICK);
}

bool el2_cpu_online(unsigned cpu)
{
	return cpu == 0 || (cpu < nr_cpus && cpu_online[cpu]);
}

uint32_t el2_kicks_taken(unsigned cpu)
{
	return cpu < EL2_MAX_CPUS ? cpu_kicks[cpu] : 0;
}

void el2_kick_taken(void)
{
	__atomic_fetch_add(&cpu_kicks[el2_cpu_id()], 1u, __ATOMIC_RELAXED);
}

/* A secondary, MMU on, stack set (boot.S). Waits for work; takes kicks. */
void el2_secondary_main(unsigned cpu)
{
	el2_mmu_enable_secondary();
	if (!el2_gic_cpu_init(the_board)) {
		el2_puts("el2: cpu ");
		el2_put_hex(cpu);
		el2_puts(": no redistributor in the tree's regions has its affinity; parked\n");
		cpu_parked[cpu] = true;
		for (;;)
			__asm__ volatile("wfe");
	}
	cpu_online[cpu] = true;
	__asm__ volatile("dsb ish" ::: "memory");
	for (;;) {
		el2_cpu_work_fn fn = work;
		if (fn)
			fn(cpu); /* does not return */
		__asm__ volatile("wfi" ::: "memory");
		for (uint32_t intid; (intid = el2_gic_ack()) < EL2_INTID_SPURIOUS;) {
			if (intid == EL2_SGI_KICK)
				el2_kick_taken();
			el2_gic_eoi(intid);
		}
	}
}
