/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest exits (IRQ and synchronous; core/exit classifies the synchronous
 * ones per vCPU, HV_STAT_*, and this file only prints those), physical
 * interrupts taken at EL2 ("withdrawn": an IRQ exit or wake-up with nothing
 * left to acknowledge, in practice the vGIC maintenance interrupt, which
 * goes away when the exit saves and clears ICH_HCR_EL2), IRQ exits during
 * which that maintenance interrupt was asserted (ICH_MISR_EL2 != 0 on
 * save: "maintenance_exits"), vCPU switches, and where each CPU's time
 * went. Printed as key=value lines
 * when the guest stops (bench/linux_boot_bench reads them).
 */
#include "exit_stats.h"

#include <hv/exit.h>

#include "console.h"
#include "gic.h"
#include "smp.h"

enum { IRQ_VTIMER, IRQ_HYP_TIMER, IRQ_MAINT, IRQ_KICK, IRQ_WITHDRAWN, IRQ_OTHER, IRQ_NR };

/* Per physical CPU (each counts its own), summed when printed. */
static struct {
	uint64_t irq_exits, sync_exits, maint_exits;
	uint64_t irqs[IRQ_NR];
	uint64_t switches;
	uint64_t mark, time[EL2_TIME_NR];
} counts[EL2_MAX_CPUS];

static unsigned this_cpu(void)
{
	unsigned cpu = el2_cpu_id();
	return cpu < EL2_MAX_CPUS ? cpu : 0;
}

void el2_exit_stats_reset(void)
{
	hv_memset(counts, 0, sizeof(counts));
}

void el2_exit_stats_exit(bool irq)
{
	if (irq)
		counts[this_cpu()].irq_exits++;
	else
		counts[this_cpu()].sync_exits++;
}

void el2_exit_stats_maintenance(uint32_t misr)
{
	if (misr)
		counts[this_cpu()].maint_exits++;
}

void el2_exit_stats_irq(uint32_t intid)
{
	unsigned k = intid == EL2_PPI_VTIMER        ? IRQ_VTIMER
	             : intid == EL2_PPI_HYP_TIMER   ? IRQ_HYP_TIMER
	             : intid == EL2_PPI_MAINTENANCE ? IRQ_MAINT
	             : intid == EL2_SGI_KICK        ? IRQ_KICK
	             : intid >= EL2_INTID_SPURIOUS  ? IRQ_WITHDRAWN
	                                            : IRQ_OTHER;
	counts[this_cpu()].irqs[k]++;
}

void el2_exit_stats_time(enum el2_time spent)
{
	unsigned cpu = this_cpu();
	uint64_t now = hv_arch_counter();
	counts[cpu].time[spent] += now - counts[cpu].mark;
	counts[cpu].mark = now;
}

void el2_exit_stats_switch(void)
{
	counts[this_cpu()].switches++;
}

static void kv(const char *key, uint64_t v)
{
	char buf[24];
	int n = 0;
	do {
		buf[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	el2_puts(" ");
	el2_puts(key);
	el2_puts("=");
	while (n)
		el2_console_write(&buf[--n], 1);
}

void el2_exit_stats_print(struct hv_vcpu *const *vcpus, unsigned nr_vcpus)
{
	uint64_t irq_exits = 0, sync_exits = 0, maint_exits = 0, irqs[IRQ_NR] = {0}, switches = 0;
	uint64_t time[EL2_TIME_NR] = {0};
	for (unsigned cpu = 0; cpu < EL2_MAX_CPUS; cpu++) {
		irq_exits += counts[cpu].irq_exits;
		sync_exits += counts[cpu].sync_exits;
		maint_exits += counts[cpu].maint_exits;
		for (unsigned i = 0; i < IRQ_NR; i++)
			irqs[i] += counts[cpu].irqs[i];
		switches += counts[cpu].switches;
		for (unsigned i = 0; i < EL2_TIME_NR; i++)
			time[i] += counts[cpu].time[i];
	}
	el2_puts("el2: exits");
	kv("total", irq_exits + sync_exits);
	kv("irq", irq_exits);
	for (unsigned s = 0; s < HV_STAT_NR; s++) {
		uint64_t n = 0;
		for (unsigned i = 0; i < nr_vcpus; i++)
			n += vcpus[i]->exit_state.stats[s];
		kv(hv_exit_stat_key((enum hv_exit_stat)s), n);
	}
	el2_puts("\nel2: interrupts at EL2");
	kv("vtimer", irqs[IRQ_VTIMER]);
	kv("hyp_timer", irqs[IRQ_HYP_TIMER]);
	kv("maintenance", irqs[IRQ_MAINT]);
	kv("kick", irqs[IRQ_KICK]);
	kv("withdrawn", irqs[IRQ_WITHDRAWN]);
	kv("maintenance_exits", maint_exits);
	kv("other", irqs[IRQ_OTHER]);
	kv("vcpu_switches", switches);
	/* Microseconds summed over the physical CPUs. */
	uint64_t per_us = hv_arch_counter_freq() / 1000000u;
	if (!per_us)
		per_us = 1;
	el2_puts("\nel2: cpu time us");
	kv("guest", time[EL2_TIME_GUEST] / per_us);
	kv("el2", time[EL2_TIME_HYP] / per_us);
	kv("idle", time[EL2_TIME_IDLE] / per_us);
	el2_puts("\n");
}
