/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's event trace: one ring of fixed-size events per physical
 * CPU, written only by that CPU (with interrupts masked, as at EL2) and
 * read by anyone, concurrently, without a lock.
 *
 * Writer: never blocks and never fails; when the ring is full the oldest
 * event is overwritten. Disabled, hv_trace() costs one predictable branch.
 * Each slot is a sequence lock: its seq is 2n + 1 while event n is being
 * written and 2n + 2 once it is complete; the ring's head (events ever
 * written) is published after the slot.
 *
 * Reader: keeps a cursor (the next event number it wants); events the
 * writer overwrote before the reader copied them, or that were being
 * rewritten while it copied, are counted as lost, never returned torn.
 * Timestamps are the counter (CNTPCT) of the writing CPU.
 *
 * An exit's arg0 is ESR_EL2 (bits [31:0]; its EC names the class), or EC
 * HV_TRACE_EC_IRQ alone for a physical interrupt (0x3f is unallocated in
 * the Arm ARM's ESR_EL2.EC table, D17.2.37); arg1 is the faulting IPA of a
 * stage-2 abort (HPFAR_EL2.FIPA with FAR_EL2's page offset), else the PC.
 */
#define HV_TRACE_EC_IRQ 0x3fu
#ifndef HV_TRACE_H
#define HV_TRACE_H

#include <hv/types.h>

enum hv_trace_type {
	HV_TRACE_EXIT = 1,    /* arg0: ESR_EL2 (EC 0x3f: an interrupt), arg1: IPA or PC */
	HV_TRACE_ENTER,       /* world switch into the vCPU */
	HV_TRACE_INJECT,      /* arg0: INTID */
	HV_TRACE_IDLE,        /* the CPU waits (WFI) */
	HV_TRACE_WAKE,        /* arg0: why (implementation's code) */
	HV_TRACE_KICK,        /* arg0: target physical CPU */
	HV_TRACE_SERVER_CALL, /* arg0: function number, arg1: result */
	HV_TRACE_TYPE_MAX,
};

struct hv_trace_event {
	uint64_t ts;
	uint16_t type;
	uint16_t cpu;
	uint16_t vm;
	uint16_t vcpu;
	uint32_t arg0;
	uint32_t seq; /* the slot's sequence (see above); not data */
	uint64_t arg1;
};

struct hv_trace_ring {
	struct hv_trace_event *slots; /* 1 << order of them, caller's storage */
	uint32_t order;
	uint16_t cpu;
	bool enabled;
	uint64_t head; /* events ever written */
};

/* A ring over `slots` (1 << order entries, order 1..20), disabled, empty.
 * HV_ERR_INVALID for no storage or a bad order. */
hv_status_t hv_trace_ring_init(struct hv_trace_ring *ring, struct hv_trace_event *slots,
                               uint32_t order, uint16_t cpu);

void hv_trace_set_enabled(struct hv_trace_ring *ring, bool on);

/* Records one event (the ring's own CPU only). */
void hv_trace_write(struct hv_trace_ring *ring, uint64_t ts, enum hv_trace_type type, uint16_t vm,
                    uint16_t vcpu, uint32_t arg0, uint64_t arg1);

static inline void hv_trace(struct hv_trace_ring *ring, uint64_t ts, enum hv_trace_type type,
                            uint16_t vm, uint16_t vcpu, uint32_t arg0, uint64_t arg1)
{
	if (__builtin_expect(__atomic_load_n(&ring->enabled, __ATOMIC_RELAXED), 0))
		hv_trace_write(ring, ts, type, vm, vcpu, arg0, arg1);
}

/*
 * Copies up to max events from *cursor on into out, oldest first, and
 * advances *cursor past what it looked at; *lost grows by every event
 * skipped because it was overwritten. Returns how many were copied.
 */
size_t hv_trace_read(const struct hv_trace_ring *ring, uint64_t *cursor, struct hv_trace_event *out,
                     size_t max, uint64_t *lost);

/*
 * One event as a text line for the console or a debugfs file, the input of
 * scripts/hvtrace: "cpu ts type vm vcpu arg0 arg1\n", numbers in hex
 * without 0x, type by name (exit enter inject idle wake kick call).
 * Returns the length written (without a NUL), 0 if cap is too small
 * (HV_TRACE_LINE_MAX always suffices).
 */
#define HV_TRACE_LINE_MAX 96u
size_t hv_trace_format(const struct hv_trace_event *e, char *buf, size_t cap);

#endif
