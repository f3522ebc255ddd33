/* SPDX-License-Identifier: Apache-2.0 */
/* Exception injection into the guest's EL1 on the saved register file. */
#include <hv/esr.h>
#include <hv/inject.h>
#include <hv/vcpu.h>

#define SCTLR_DSSBS HV_BIT(44)
#define PSTATE_SSBS HV_BIT(12)
#define VBAR_RES0   HV_GENMASK(10, 0)

/* Arm ARM D1.10.2: which quarter of the vector table the exception uses. */
static uint64_t vector_base_offset(uint64_t pstate)
{
	if (pstate & HV_PSTATE_NRW)
		return HV_VECTOR_LOW_A32; /* EL1 is AArch64, so AArch32 is EL0 */
	switch (pstate & 0xfu) {
	case HV_PSTATE_EL0T: return HV_VECTOR_LOW_A64;
	case HV_PSTATE_EL1T: return HV_VECTOR_CUR_SP0;
	default: return HV_VECTOR_CUR_SPX; /* EL1h (other modes cannot trap here) */
	}
}

static bool from_lower_el(uint64_t pstate)
{
	return (pstate & HV_PSTATE_NRW) || (pstate & 0xfu) == HV_PSTATE_EL0T;
}

/* Arm ARM D1.10.4 "Exception entry" / C5.2.18 SPSR_EL1: the PSTATE an
 * exception taken to EL1 establishes. */
static uint64_t entry_pstate(uint64_t old, uint64_t sctlr)
{
	uint64_t pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	/* PAN is kept, and set when SCTLR_EL1.SPAN == 0 (FEAT_PAN). */
	if ((old & HV_PSTATE_PAN) || !(sctlr & HV_SCTLR_SPAN))
		pstate |= HV_PSTATE_PAN;
	if (sctlr & SCTLR_DSSBS) /* FEAT_SSBS: PSTATE.SSBS <- SCTLR_EL1.DSSBS */
		pstate |= PSTATE_SSBS;
	return pstate;
}

static void inject_at(struct hv_vcpu *vcpu, uint64_t kind_offset, uint64_t esr, bool set_far,
                      uint64_t far)
{
	struct hv_vcpu_regs *regs = &vcpu->ctx.regs;
	struct hv_el1_sysregs *el1 = &vcpu->ctx.el1;
	uint64_t old = regs->pstate;

	el1->elr_el1 = regs->pc;
	el1->spsr_el1 = old;
	el1->esr_el1 = esr;
	if (set_far)
		el1->far_el1 = far;
	regs->pstate = entry_pstate(old, el1->sctlr_el1);
	regs->pc = (el1->vbar_el1 & ~VBAR_RES0) + vector_base_offset(old) + kind_offset;
	vcpu->exit_state.stats[HV_STAT_INJECTED]++;
	vcpu->exit_state.last_outcome = HV_OUTCOME_INJECTED;
}

void hv_inject_sync(struct hv_vcpu *vcpu, uint64_t esr, bool set_far, uint64_t far)
{
	inject_at(vcpu, HV_VECTOR_SYNC, esr, set_far, far);
}

void hv_inject_undef(struct hv_vcpu *vcpu)
{
	hv_inject_sync(vcpu, HV_ESR_UNDEF, false, 0);
}

/* ESR of an injected external abort: EC by the EL it came from, IL = 1. */
static uint64_t abort_esr(uint64_t pstate, unsigned ec_lower, unsigned ec_current)
{
	unsigned ec = from_lower_el(pstate) ? ec_lower : ec_current;
	return ((uint64_t)ec << HV_ESR_EC_SHIFT) | HV_ESR_IL | HV_INJECT_FSC;
}

void hv_inject_dabt(struct hv_vcpu *vcpu, uint64_t far)
{
	uint64_t esr = abort_esr(vcpu->ctx.regs.pstate, HV_EC_DABT_LOW, HV_EC_DABT_CUR);
	/* ISS.WnR (bit 6, Arm ARM D17.2.37) tells the guest whether the access
	 * that aborted was a write: copy it when this exit is that data abort. */
	uint64_t exit_esr = vcpu->ctx.exit.esr_el2;
	unsigned ec = (unsigned)(exit_esr >> 26) & 0x3fu;
	if ((ec == HV_EC_DABT_LOW || ec == HV_EC_DABT_CUR) && (exit_esr & HV_BIT(6)))
		esr |= HV_BIT(6);
	hv_inject_sync(vcpu, esr, true, far);
}

void hv_inject_pabt(struct hv_vcpu *vcpu, uint64_t far)
{
	uint64_t esr = abort_esr(vcpu->ctx.regs.pstate, HV_EC_IABT_LOW, HV_EC_IABT_CUR);
	hv_inject_sync(vcpu, esr, true, far);
}

void hv_inject_serror(struct hv_vcpu *vcpu, uint64_t esr)
{
	vcpu->exit_state.vserror_pending = true;
	vcpu->exit_state.vserror_esr = esr & HV_GENMASK(24, 0);
	vcpu->exit_state.stats[HV_STAT_INJECTED]++;
	vcpu->exit_state.last_outcome = HV_OUTCOME_INJECTED;
}
