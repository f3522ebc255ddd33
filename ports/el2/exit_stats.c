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

#include <hv/esr.h>
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
	if (!irq)
		el2_exit_prof_mark(EL2_PROF_DISPATCHED);
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

bool el2_exit_prof_on;

enum prof_class {
	PROF_HVC,
	PROF_PL011_READ,
	PROF_PL011_WRITE,
	PROF_GIC_READ,
	PROF_GIC_WRITE,
	PROF_DABT_OTHER,
	PROF_SYSREG,
	PROF_WFX,
	PROF_IRQ,
	PROF_OTHER,
	PROF_HVC_FAST, /* answered on a fast path: guest, then "fast" */
	PROF_MMIO_FAST,
	PROF_NR
};
static const char *const prof_class_name[PROF_NR] = {
    "hvc",    "pl011_read", "pl011_write", "gic_read", "gic_write", "dabt_other",
    "sysreg", "wfx",        "irq",         "other",    "hvc_fast",  "mmio_fast"};
/* Segment i ends at mark i (1..EL2_PROF_ERET); slot 0 is the guest's time
 * from ERET to the next exit. */
static const char *const prof_segment_name[EL2_PROF_NR] = {
    "guest", "switch_out", "lock", "sync", "dispatch", "flush", "switch_in"};

static struct prof_cpu {
	struct el2_prof_asm as; /* written by world_switch.S */
	uint64_t t[EL2_PROF_NR];
	uint32_t seen;            /* marks of the open record */
	unsigned cls;             /* PROF_NR: no open record */
	unsigned fast;            /* the last exit's fast class, or PROF_NR */
	uint64_t ft[EL2_PROF_NR]; /* marks of a fast exit (el2_exit_prof_fast_mark) */
	uint32_t fseen;
	uint64_t last_vector;
	uint64_t n[PROF_NR], sum[PROF_NR][EL2_PROF_NR];
} prof[EL2_MAX_CPUS];

void el2_exit_prof_enable(bool on)
{
	hv_memset(prof, 0, sizeof(prof));
	for (unsigned cpu = 0; cpu < EL2_MAX_CPUS; cpu++)
		prof[cpu].cls = prof[cpu].fast = PROF_NR;
	el2_exit_prof_on = on;
}

struct el2_prof_asm *el2_exit_stats_stamps(void)
{
	return &prof[this_cpu()].as;
}

void el2_exit_stats_guest_ran(const struct el2_prof_asm *stamps)
{
	/* as is the first member of struct prof_cpu */
	unsigned cpu = (unsigned)((const struct prof_cpu *)(const void *)stamps - prof);
	counts[cpu].time[EL2_TIME_HYP] += stamps->eret - counts[cpu].mark;
	counts[cpu].time[EL2_TIME_GUEST] += stamps->vector - stamps->eret;
	counts[cpu].mark = stamps->vector;
	if (stamps->kind == 1)
		counts[cpu].irq_exits++;
	else
		counts[cpu].sync_exits++;
	if (el2_exit_prof_on) {
		struct prof_cpu *p = &prof[cpu];
		if (p->fast < PROF_NR) {
			uint64_t last = p->last_vector;
			for (unsigned m = EL2_PROF_SAVED; m < EL2_PROF_ERET; m++) {
				if (!(p->fseen & (1u << m)) || p->ft[m] < last)
					continue;
				p->sum[p->fast][m] += p->ft[m] - last;
				last = p->ft[m];
			}
			p->n[p->fast]++;
			p->sum[p->fast][EL2_PROF_ERET] += stamps->eret - last;
			p->sum[p->fast][0] += stamps->vector - stamps->eret;
			p->fast = PROF_NR;
		}
		p->fseen = 0;
		p->last_vector = stamps->vector;
	}
}

void el2_exit_prof_fast(enum el2_fast_class c)
{
	struct prof_cpu *p = &prof[this_cpu()];
	p->fast = c == EL2_FAST_MMIO ? PROF_MMIO_FAST : PROF_HVC_FAST;
	p->cls = PROF_NR; /* the open record would span the fast exits */
}

void el2_exit_prof_fast_stamp(enum el2_prof_mark m)
{
	struct prof_cpu *p = &prof[this_cpu()];
	p->ft[m] = hv_arch_counter();
	p->fseen |= 1u << m;
}

void el2_exit_prof_stamp(enum el2_prof_mark m)
{
	struct prof_cpu *p = &prof[this_cpu()];
	p->t[m] = hv_arch_counter();
	p->seen |= 1u << m;
}

/* The guest's IPA map (guest.c): GIC distributor and redistributors below
 * the PL011 page. */
#define PROF_GIC_IPA   0x08000000ull
#define PROF_PL011_IPA 0x09000000ull
static unsigned classify(const struct hv_vcpu *v, uint64_t kind)
{
	if (kind == 1)
		return PROF_IRQ;
	uint64_t esr = v->ctx.exit.esr_el2;
	switch (hv_esr_ec(esr)) {
	case HV_EC_HVC64: return PROF_HVC;
	case HV_EC_SYS64: return PROF_SYSREG;
	case HV_EC_WFX: return PROF_WFX;
	case HV_EC_DABT_LOW: {
		uint64_t ipa = (v->ctx.exit.hpfar_el2 >> 4) << 12;
		bool write = (esr >> 6) & 1; /* ISS.WnR */
		if (ipa >= PROF_GIC_IPA && ipa < PROF_PL011_IPA)
			return write ? PROF_GIC_WRITE : PROF_GIC_READ;
		if (ipa == PROF_PL011_IPA)
			return write ? PROF_PL011_WRITE : PROF_PL011_READ;
		return PROF_DABT_OTHER;
	}
	default: return PROF_OTHER;
	}
}

void el2_exit_prof_saved(const struct hv_vcpu *v)
{
	struct prof_cpu *p = &prof[this_cpu()];
	uint64_t saved = hv_arch_counter();
	/* The open record ends with this exit: its ERET stamp is valid if it
	 * came after its marks (a world switch that stamped). */
	if (p->cls < PROF_NR && p->as.eret >= p->t[EL2_PROF_FLUSHED] &&
	    p->as.vector >= p->as.eret) {
		p->t[EL2_PROF_ERET] = p->as.eret;
		p->seen |= 1u << EL2_PROF_ERET;
		uint64_t last = p->t[EL2_PROF_VECTOR];
		for (unsigned m = EL2_PROF_SAVED; m < EL2_PROF_NR; m++) {
			if (!(p->seen & (1u << m)) || p->t[m] < last)
				continue;
			p->sum[p->cls][m] += p->t[m] - last;
			last = p->t[m];
		}
		p->sum[p->cls][0] += p->as.vector - p->as.eret;
		p->n[p->cls]++;
	}
	p->cls = classify(v, p->as.kind);
	p->t[EL2_PROF_VECTOR] = p->as.vector;
	p->t[EL2_PROF_SAVED] = saved;
	p->seen = 1u << EL2_PROF_VECTOR | 1u << EL2_PROF_SAVED;
}

static void kv(const char *key, uint64_t v);
static void prof_print(void)
{
	for (unsigned c = 0; c < PROF_NR; c++) {
		uint64_t n = 0, sum[EL2_PROF_NR] = {0};
		for (unsigned cpu = 0; cpu < EL2_MAX_CPUS; cpu++) {
			n += prof[cpu].n[c];
			for (unsigned m = 0; m < EL2_PROF_NR; m++)
				sum[m] += prof[cpu].sum[c][m];
		}
		if (!n)
			continue;
		el2_puts("el2: exitprof ");
		el2_puts(prof_class_name[c]);
		kv("n", n);
		bool fast = c == PROF_HVC_FAST;
		if (fast) { /* only the whole EL2 time is known */
			kv("guest", sum[0]);
			kv("fast", sum[EL2_PROF_ERET]);
		}
		for (unsigned m = 0; m < EL2_PROF_NR && !fast; m++)
			kv(prof_segment_name[m], sum[m]);
		el2_puts("\n");
	}
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
	if (el2_exit_prof_on)
		prof_print();
}
