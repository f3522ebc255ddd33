/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A vCPU that can never run its own exception handler: its vector faults
 * again each time it is entered (VBAR_EL1 in the hole, a missing or garbage
 * image, a vector whose first access faults at the same address). Hardware
 * would loop for ever, burning a physical CPU; each runtime instead stops
 * that vCPU with a report (the VM goes on with the others).
 */
#ifndef HV_FAULT_LOOP_H
#define HV_FAULT_LOOP_H

#include <hv/types.h>

struct hv_vcpu;

/* Exits in a row that make a loop. */
#define HV_FAULT_LOOP_LIMIT 256u

/* Per vCPU, owned by the runtime; zero is the initial state. */
struct hv_fault_loop {
	uint64_t pc, esr, far;
	uint32_t repeats;
};

/*
 * After the runtime handled an exit the guest took at `exit_pc` (syndrome
 * in vcpu->ctx.exit): true once the vCPU has taken the same exit (ESR_EL2,
 * FAR_EL2, PC) inside its own EL1 vector table and been sent back into that
 * table (an exception injected) HV_FAULT_LOOP_LIMIT times in a row. Any
 * other exit resets the count, so a storm that moves on (another address)
 * is progress.
 */
bool hv_fault_loop_check(struct hv_fault_loop *fl, const struct hv_vcpu *vcpu, uint64_t exit_pc);

#endif /* HV_FAULT_LOOP_H */
