/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What each physical CPU's scheduler is doing, kept in plain memory as it
 * goes (a few stores per exit), so that scripts/soak-nested.sh can read it
 * through QEMU's monitor when a run hangs: where the CPU is, the vCPU
 * loaded, the deadlines armed for its last WFI, and in host mode the last
 * hypercall-server call and, for a RUN that reported IDLE, the timer the
 * server's vCPU left behind.
 */
#ifndef EL2_SCHED_TRACE_H
#define EL2_SCHED_TRACE_H

#include <hv/vcpu.h>

enum el2_trace_where {
	EL2_AT_NONE,
	EL2_AT_GUEST,  /* in el2_guest_enter */
	EL2_AT_EL2,    /* exit handling, scheduling */
	EL2_AT_WFI,    /* idle in wait_here's WFI */
	EL2_AT_SERVER, /* host mode: in a hypercall-server call */
};

void el2_trace_where(enum el2_trace_where where);
/* Before the idle WFI: the loaded vCPU (or NULL), this CPU's idle vCPUs,
 * the EL2 timer deadline armed (UINT64_MAX: none), the physical vtimer
 * PPI's active state. */
void el2_trace_wfi(const struct hv_vcpu *loaded, uint32_t idle_mask, uint64_t hp_deadline,
                   bool vtimer_active);
/* Host mode, after a server call `fn` with tuple `x1` answered `ret1`. */
void el2_trace_server(uint64_t fn, uint64_t x1, uint64_t ret1);

/* After the run (host mode): how often a RUN reported IDLE with the guest's
 * timer due and its line low. */
void el2_trace_report(void);

#endif
