/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's event trace at EL2 (core/trace, hv/trace.h): one ring
 * per physical CPU, recording guest entries and exits, injections, idle and
 * wake, kicks and hypercall-server calls with CNTPCT timestamps. Off, each
 * recording point costs one load and one predictable branch (ring 0's
 * enabled flag stands for all of them: every ring is switched at once).
 * On from boot with hvcore.trace=1 (dumped on the console at power-off);
 * in host mode the host switches it and reads it through the hypercall
 * extension TRACE_CTL / TRACE_READ (hv/abi.h).
 */
#ifndef EL2_EVENT_TRACE_H
#define EL2_EVENT_TRACE_H

#include <hv/trace.h>
#include <hv/vcpu.h>
#include <hv/vm.h>

#include "board.h"

#define EL2_EVENT_ORDER 14u /* 16384 events (512 KiB) per CPU */

extern struct hv_trace_ring el2_event_rings[EL2_MAX_CPUS];

/* Rings for `nr_cpus` CPUs, recording from now on if `on`. */
void el2_events_init(unsigned nr_cpus, bool on);
unsigned el2_events_nr_rings(void);

static inline bool el2_events_on(void)
{
	return __builtin_expect(__atomic_load_n(&el2_event_rings[0].enabled, __ATOMIC_RELAXED), 0);
}

/* Out of line: record on this CPU's ring. */
void el2_event_record(enum hv_trace_type type, uint16_t vm, uint16_t vcpu, uint32_t arg0,
                      uint64_t arg1);
/* An exit of `v` that world_switch.S reported as `kind` (0 synchronous,
 * 1 IRQ): ESR_EL2, FAR_EL2, HPFAR_EL2 are read from the CPU, so call it
 * right after the guest ran. */
void el2_event_record_exit(const struct hv_vcpu *v, uint64_t kind);

static inline void el2_event(enum hv_trace_type type, uint16_t vm, uint16_t vcpu, uint32_t arg0,
                             uint64_t arg1)
{
	if (el2_events_on())
		el2_event_record(type, vm, vcpu, arg0, arg1);
}

static inline void el2_event_enter(const struct hv_vcpu *v)
{
	if (el2_events_on())
		el2_event_record(HV_TRACE_ENTER, v->vm->vmid, (uint16_t)v->id, 0, 0);
}

static inline void el2_event_exit(const struct hv_vcpu *v, uint64_t kind)
{
	if (el2_events_on())
		el2_event_record_exit(v, kind);
}

/* At power-off with hvcore.trace=1: every ring on the console, between
 * "--- el2 trace begin ---" and "--- el2 trace end ---", in
 * scripts/hvtrace's format ("# hvtrace freq=HZ", one line per event, a
 * "# cpu N lost L" line per ring). Nothing otherwise. */
void el2_events_dump(void);

#endif
