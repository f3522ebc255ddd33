/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exception injection into the guest's EL1 (AArch64), done on the saved
 * register file: ELR_EL1 <- PC, SPSR_EL1 <- PSTATE, ESR_EL1/FAR_EL1 set, PC
 * <- VBAR_EL1 + vector offset, PSTATE <- EL1h with D, A, I, F masked.
 * Arm ARM D1.10.2 "Exception vectors" (offsets 0x000 current EL with SP0,
 * 0x200 current EL with SPx, 0x400 lower EL AArch64, 0x600 lower EL AArch32)
 * and D1.10.4 "Exception entry". None of these can fail.
 */
#ifndef HV_INJECT_H
#define HV_INJECT_H

#include <hv/types.h>

struct hv_vcpu;

/* ESR_EL1 of an injected UNDEF: EC 0 (unknown reason), IL = 1. */
#define HV_ESR_UNDEF (HV_BIT(25))
/* Fault status of injected aborts: synchronous external abort. */
#define HV_INJECT_FSC 0x10u

/* Vector offsets and the new PSTATE (Arm ARM D1.10.2, C5.2.18 SPSR_EL1). */
#define HV_VECTOR_CUR_SP0   0x000u
#define HV_VECTOR_CUR_SPX   0x200u
#define HV_VECTOR_LOW_A64   0x400u
#define HV_VECTOR_LOW_A32   0x600u
#define HV_VECTOR_SYNC      0x000u
#define HV_VECTOR_IRQ       0x080u
#define HV_VECTOR_FIQ       0x100u
#define HV_VECTOR_SERROR    0x180u
#define HV_PSTATE_MODE_MASK 0x1fu
#define HV_PSTATE_EL0T      0x0u
#define HV_PSTATE_EL1T      0x4u
#define HV_PSTATE_EL1H      0x5u
#define HV_PSTATE_NRW       HV_BIT(4) /* AArch32 */
#define HV_PSTATE_F         HV_BIT(6)
#define HV_PSTATE_I         HV_BIT(7)
#define HV_PSTATE_A         HV_BIT(8)
#define HV_PSTATE_D         HV_BIT(9)
#define HV_PSTATE_DAIF      (HV_PSTATE_D | HV_PSTATE_A | HV_PSTATE_I | HV_PSTATE_F)
#define HV_PSTATE_SS        HV_BIT(21) /* software step (Arm ARM D2.12) */
#define HV_PSTATE_PAN       HV_BIT(22)
#define HV_SCTLR_SPAN       HV_BIT(23)

/* Synchronous exception with the given ESR_EL1; FAR_EL1 is written if set_far. */
void hv_inject_sync(struct hv_vcpu *vcpu, uint64_t esr, bool set_far, uint64_t far);

/* Undefined instruction at the guest's PC. */
void hv_inject_undef(struct hv_vcpu *vcpu);

/* Synchronous external data / instruction abort at guest VA `far`. */
void hv_inject_dabt(struct hv_vcpu *vcpu, uint64_t far);
void hv_inject_pabt(struct hv_vcpu *vcpu, uint64_t far);

/* Virtual SError: recorded in vcpu->exit_state for the runtime (HCR_EL2.VSE). */
void hv_inject_serror(struct hv_vcpu *vcpu, uint64_t esr);

#endif /* HV_INJECT_H */
