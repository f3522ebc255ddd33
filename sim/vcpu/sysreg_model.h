/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The system registers the software vCPU plays "hardware" for: what a real
 * CPU with EL2 gives an EL1 guest without trapping (virtual MPIDR, the
 * generic timer's virtual view, the GIC virtual CPU interface over the list
 * registers), and which accesses trap to EL2 (to the core's dispatch).
 */
#ifndef HVSIM_SYSREG_MODEL_H
#define HVSIM_SYSREG_MODEL_H

#include "sim_internal.h"

enum sim_sysreg_result {
	SIM_SYSREG_NATIVE = 0, /* Unicorn's own register: let it execute */
	SIM_SYSREG_DONE,       /* handled here; reads return *value */
	SIM_SYSREG_DONE_STOP,  /* handled; stop so the vGIC sees the new state */
	SIM_SYSREG_TRAP,       /* traps to EL2: synthesize an EC 0x18 exit */
};

enum sim_sysreg_result sim_sysreg_access(struct sim_vcpu *sv, uint32_t id, bool is_read,
                                         uint64_t *value);

uint64_t sim_sysreg_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt, bool is_read);

/* Copy the whole register file into a fresh or reset engine. */
void sim_engine_load_all(struct sim_vcpu *sv);

#endif /* HVSIM_SYSREG_MODEL_H */
