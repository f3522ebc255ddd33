/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sim runtime's side of the seam: an ordered log of every TLB
 * invalidation and barrier the core issued, a settable counter, a settable
 * instruction source for ISV=0 decode, and console capture. Tests inspect
 * these to assert break-before-make, count invalidations, and read output.
 */
#ifndef HVSIM_ARCH_SIM_H
#define HVSIM_ARCH_SIM_H

#include <hv/arch.h>

enum sim_op_kind {
	SIM_OP_TLBI_IPA,
	SIM_OP_TLBI_IPA_RANGE,
	SIM_OP_TLBI_VMID,
	SIM_OP_DSB_ISHST,
	SIM_OP_DSB_ISH,
	SIM_OP_ISB,
};

struct sim_op {
	enum sim_op_kind kind;
	uint16_t vmid;
	unsigned level; /* TLBI_IPA level hint */
	uint64_t ipa;   /* TLBI_IPA(_RANGE) */
	uint64_t size;  /* TLBI_IPA_RANGE */
	uint64_t seq;   /* global sequence number, shared with sim_mark() */
};

/* Ops kept in the log; later ones are counted but not stored. */
#define SIM_OP_LOG_CAPACITY 4096

void sim_arch_reset(void);
/* Enable/disable recording (benchmarks disable it: ops become counting no-ops). */
void sim_arch_set_recording(bool on);
/* Called after each recorded op, e.g. to look at the tables at the moment of
 * a TLBI (break-before-make tests). Cleared by sim_arch_reset. */
typedef void (*sim_op_hook_fn)(const struct sim_op *op, void *arg);
void sim_arch_set_op_hook(sim_op_hook_fn fn, void *arg);
size_t sim_op_count(void); /* ops recorded since reset (may exceed capacity) */
size_t sim_op_count_kind(enum sim_op_kind kind);
const struct sim_op *sim_op_at(size_t index); /* NULL past the stored log */
/* Take a sequence number from the same counter as the op log: tests call it
 * from e.g. a descriptor-write hook to place events among the ops. */
uint64_t sim_mark(void);
const char *sim_op_name(enum sim_op_kind kind);

/* Range invalidation capability the sim claims (default: true). */
void sim_arch_set_tlbi_range(bool supported);

/* Counter: starts at 0, frequency default 62.5 MHz (QEMU virt's CNTFRQ). */
void sim_counter_set(uint64_t value);
void sim_counter_advance(uint64_t ticks);
void sim_counter_set_freq(uint64_t hz);

/* Instruction source for hv_arch_guest_fetch_insn (the software vCPU sets
 * it; unit tests set a fixed word). NULL => HV_ERR_FAULT. */
typedef hv_status_t (*sim_fetch_insn_fn)(const struct hv_vcpu_context *ctx, uint32_t *insn,
                                         void *arg);
void sim_set_fetch_insn(sim_fetch_insn_fn fn, void *arg);

/* Console: by default written to stdout; capture keeps it in a buffer. */
void sim_console_capture(bool on);
/* Write out console output still buffered (async-signal-safe). */
void sim_console_flush(void);
const char *sim_console_captured(size_t *len);

#endif /* HVSIM_ARCH_SIM_H */
