/* SPDX-License-Identifier: Apache-2.0 */
/* Counts of guest exits, interrupts and time, printed when the guest stops. */
#ifndef EL2_EXIT_STATS_H
#define EL2_EXIT_STATS_H

#include <hv/vcpu.h>

void el2_exit_stats_reset(void);
/* A guest exit taken by this CPU, a physical interrupt (irq) or a
 * synchronous one (classified by core/exit in vcpu->exit_state.stats), has
 * been handled (counted by el2_exit_stats_guest_ran, every exit). */
void el2_exit_stats_exit(bool irq);
/* A physical interrupt acknowledged at EL2 (EL2_INTID_SPURIOUS: none was). */
void el2_exit_stats_irq(uint32_t intid);
/* An IRQ exit: `misr` is ICH_MISR_EL2 as saved; non-zero means the vGIC's
 * maintenance interrupt was asserted (it made or shared the exit). */
void el2_exit_stats_maintenance(uint32_t misr);
void el2_exit_stats_switch(void);
/* Where this CPU's time since the previous call went (counter ticks):
 * running the guest, at EL2 handling it, or idle in WFI. NONE starts. */
enum el2_time { EL2_TIME_NONE, EL2_TIME_GUEST, EL2_TIME_HYP, EL2_TIME_IDLE, EL2_TIME_NR };
void el2_exit_stats_time(enum el2_time spent);
/*
 * Exit profile (hvcore.exitprof=1, for bench/el2_exit_bench): the counter
 * is read at marks along each exit (world_switch.S after the guest's
 * registers are saved and just before ERET, the rest from C) and the time
 * between consecutive marks is summed per exit class (HVC, PL011 or GIC
 * read or write, other data abort, trapped system register, WFx, IRQ).
 * Printed as "el2: exitprof <class> n=N <segment>=<ticks> ..." lines.
 * Off, each mark costs a test of one flag.
 */
enum el2_prof_mark {
	EL2_PROF_VECTOR,     /* world_switch.S: guest registers saved */
	EL2_PROF_SAVED,      /* el2_vcpu_save done: segment switch_out */
	EL2_PROF_LOCKED,     /* VM lock taken: segment lock */
	EL2_PROF_SYNCED,     /* vGIC sync and vtimer update done: segment sync */
	EL2_PROF_DISPATCHED, /* the exit handled: segment dispatch */
	EL2_PROF_FLUSHED,    /* el2_vcpu_load starts: segment flush (vtimer,
	                      * vGIC flush, unlock, console) */
	EL2_PROF_ERET,       /* world_switch.S before ERET: segment switch_in */
	EL2_PROF_NR
};
extern bool el2_exit_prof_on;
void el2_exit_prof_enable(bool on);
void el2_exit_prof_stamp(enum el2_prof_mark m);
static inline void el2_exit_prof_mark(enum el2_prof_mark m)
{
	if (el2_exit_prof_on)
		el2_exit_prof_stamp(m);
}
/* Where world_switch.S writes this CPU's ERET and vector stamps and the
 * exit kind: el2_guest_enter_prof(ctx, el2_exit_stats_stamps()), then
 * el2_exit_stats_guest_ran() books the time before ERET to EL2 and the
 * time from ERET to the exit to the guest (no other counter read). */
struct el2_prof_asm {
	uint64_t vector, eret, kind;
};
struct el2_prof_asm *el2_exit_stats_stamps(void);
void el2_exit_stats_guest_ran(const struct el2_prof_asm *stamps);
/* An exit answered on a fast path (guest.c fast_exit): counted as class
 * hvc_fast, its EL2 time (vector to the next ERET) as segment "fast", or
 * mmio_fast, whose segments end at el2_exit_prof_fast_mark()s (the VM lock
 * taken, the access made, the lock released) and at the ERET. */
enum el2_fast_class { EL2_FAST_HVC, EL2_FAST_MMIO };
void el2_exit_prof_fast(enum el2_fast_class c);
static inline void el2_exit_prof_mark_fast(enum el2_fast_class c)
{
	if (el2_exit_prof_on)
		el2_exit_prof_fast(c);
}
void el2_exit_prof_fast_stamp(enum el2_prof_mark m);
static inline void el2_exit_prof_fast_mark(enum el2_prof_mark m)
{
	if (el2_exit_prof_on)
		el2_exit_prof_fast_stamp(m);
}
/* After el2_vcpu_save: closes the previous exit's record, opens this one's
 * (classified by the kind world_switch.S saw and the syndrome). */
void el2_exit_prof_saved(const struct hv_vcpu *v);

/* "el2: exits total=N irq=N" then core/exit's classes summed over the
 * vCPUs (hv_exit_stat_key=N), and the interrupt / switch / time lines. */
void el2_exit_stats_print(struct hv_vcpu *const *vcpus, unsigned nr_vcpus);

#endif
