/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exit dispatcher: one switch on ESR_EL2.EC (Arm ARM D17.2.37). Every
 * class a guest at EL1/EL0 can cause ends in resume, an injected exception,
 * idle, or an exit to the host; nothing a guest does stops the hypervisor.
 */
#include <hv/esr.h>
#include <hv/inject.h>
#include <hv/psci.h>
#include <hv/smccc.h>
#include "exit_internal.h"

const char *hv_exit_reason_name(enum hv_exit_reason reason)
{
	static const char *const names[] = {
	    [HV_EXIT_NONE] = "none",
	    [HV_EXIT_MMIO] = "mmio",
	    [HV_EXIT_SYSTEM_EVENT] = "system_event",
	    [HV_EXIT_IDLE] = "idle",
	    [HV_EXIT_HYPERCALL] = "hypercall",
	    [HV_EXIT_PAGE_FAULT] = "page_fault",
	    [HV_EXIT_INTERNAL_ERROR] = "internal_error",
	    [HV_EXIT_VCPU_OFF] = "vcpu_off",
	};
	if ((unsigned)reason >= HV_ARRAY_SIZE(names) || !names[reason])
		return "?";
	return names[reason];
}

const char *hv_exit_stat_key(enum hv_exit_stat stat)
{
	static const char *const keys[HV_STAT_NR] = {
	    [HV_STAT_MMIO_KERNEL] = "mmio_device",
	    [HV_STAT_MMIO_HOST] = "mmio_host",
	    [HV_STAT_MMIO_ISV0] = "mmio_isv0",
	    [HV_STAT_STAGE2] = "stage2_fault",
	    [HV_STAT_SMCCC] = "smccc",
	    [HV_STAT_WFI] = "wfi",
	    [HV_STAT_WFE] = "wfe",
	    [HV_STAT_SYSREG] = "sysreg",
	    [HV_STAT_INJECTED] = "injected",
	    [HV_STAT_TO_HOST] = "to_host",
	};
	if ((unsigned)stat >= HV_STAT_NR || !keys[stat])
		return "?";
	return keys[stat];
}

enum hv_exit_action hv_exit_resume(struct hv_vcpu *vcpu)
{
	if (vcpu->exit_state.last_outcome == HV_OUTCOME_NONE)
		vcpu->exit_state.last_outcome = HV_OUTCOME_RESUMED;
	return HV_ACTION_RESUME;
}

enum hv_exit_action hv_exit_to_host(struct hv_vcpu *vcpu, enum hv_exit_reason reason)
{
	vcpu->host_exit.reason = reason;
	vcpu->exit_state.stats[HV_STAT_TO_HOST]++;
	vcpu->exit_state.last_outcome = HV_OUTCOME_TO_HOST;
	return HV_ACTION_HOST;
}

enum hv_exit_action hv_exit_idle(struct hv_vcpu *vcpu)
{
	vcpu->host_exit.reason = HV_EXIT_IDLE;
	vcpu->exit_state.last_outcome = HV_OUTCOME_IDLE;
	return HV_ACTION_IDLE;
}

/* HVC and SMC: SMCCC calls. ELR is past an HVC but at a trapped SMC (Arm
 * ARM D1.10.4 preferred return address), so only SMC advances the PC. */
static enum hv_exit_action handle_call(struct hv_vcpu *vcpu, uint64_t esr, bool is_smc)
{
	if (is_smc)
		hv_exit_skip_insn(vcpu, 4);
	vcpu->exit_state.stats[HV_STAT_SMCCC]++;
	if (hv_hvc_imm(hv_esr_iss(esr)) != 0) { /* SMCCC uses immediate 0 only */
		vcpu->ctx.regs.x[0] = (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED;
		return hv_exit_resume(vcpu);
	}
	return hv_smccc_handle(vcpu);
}

/*
 * Debug exceptions routed to EL2 (MDCR_EL2.TDE) belong to the guest's own
 * debugger: reflect them to EL1. From EL1 the "lower EL" class becomes the
 * "current EL" one (EC + 1); BRK keeps its class.
 */
static enum hv_exit_action reflect(struct hv_vcpu *vcpu, uint64_t esr, bool with_far)
{
	unsigned ec = hv_esr_ec(esr);
	bool from_el1 = !(vcpu->ctx.regs.pstate & HV_PSTATE_NRW) &&
	                (vcpu->ctx.regs.pstate & 0xfu) != HV_PSTATE_EL0T;
	if (from_el1 &&
	    (ec == HV_EC_BREAKPT_LOW || ec == HV_EC_SOFTSTP_LOW || ec == HV_EC_WATCHPT_LOW))
		esr = (esr & ~HV_GENMASK(31, 26)) | ((uint64_t)(ec + 1) << HV_ESR_EC_SHIFT);
	hv_inject_sync(vcpu, esr & HV_GENMASK(31, 0), with_far, vcpu->ctx.exit.far_el2);
	return hv_exit_resume(vcpu);
}

enum hv_exit_action hv_vcpu_handle_exit(struct hv_vcpu *vcpu)
{
	uint64_t esr = vcpu->ctx.exit.esr_el2;
	struct hv_exit_state *es = &vcpu->exit_state;

	es->pending.active = false; /* a new exit abandons an unfinished one */
	es->last_outcome = HV_OUTCOME_NONE;
	vcpu->host_exit.reason = HV_EXIT_NONE;
	if (vcpu->power == HV_VCPU_ON_PENDING)
		hv_psci_vcpu_entering(vcpu);

	switch (hv_esr_ec(esr)) {
	case HV_EC_DABT_LOW: return hv_exit_dabt(vcpu, esr);
	case HV_EC_HVC64: return handle_call(vcpu, esr, false);
	case HV_EC_SMC64: return handle_call(vcpu, esr, true);
	case HV_EC_WFX: return hv_exit_wfx(vcpu, esr);
	case HV_EC_SYS64: return hv_exit_sysreg(vcpu, esr);
	case HV_EC_IABT_LOW: return hv_exit_iabt(vcpu, esr);
	case HV_EC_SERROR: hv_inject_serror(vcpu, hv_esr_iss(esr)); return hv_exit_resume(vcpu);
	case HV_EC_BRK64:
	case HV_EC_BKPT32:
	case HV_EC_BREAKPT_LOW:
	case HV_EC_SOFTSTP_LOW: return reflect(vcpu, esr, false);
	case HV_EC_WATCHPT_LOW: return reflect(vcpu, esr, true);
	case HV_EC_PC_ALIGN: return reflect(vcpu, esr, true);
	case HV_EC_SP_ALIGN: return reflect(vcpu, esr, false);
	default:
		/* Unknown reason, FP/SIMD/SVE/SME traps, AArch32 coprocessor and
		 * call traps, SVC, ERET, illegal state, EL2-only classes: UNDEF. */
		hv_inject_undef(vcpu);
		return hv_exit_resume(vcpu);
	}
}

bool hv_exit_fast_call(struct hv_vcpu *vcpu, uint64_t esr)
{
	if (hv_esr_ec(esr) != HV_EC_HVC64 || hv_hvc_imm(hv_esr_iss(esr)) != 0 ||
	    vcpu->power != HV_VCPU_ON)
		return false;
	switch ((uint32_t)vcpu->ctx.regs.x[0]) {
	case HV_SMCCC_VERSION:
	case HV_SMCCC_ARCH_FEATURES:
	case HV_PSCI_VERSION: break;
	default: return false;
	}
	vcpu->ctx.exit.esr_el2 = esr;
	(void)hv_vcpu_handle_exit(vcpu); /* these three always resume */
	return true;
}

/* WFI/WFE (EC 0x01): ELR is the WFx itself; the PC moves past it. */
enum hv_exit_action hv_exit_wfx(struct hv_vcpu *vcpu, uint64_t esr)
{
	hv_exit_skip_insn(vcpu, hv_esr_insn_len(esr));
	unsigned ti = hv_esr_iss(esr) & HV_WFX_TI_MASK;
	if (ti == HV_WFX_TI_WFE || ti == HV_WFX_TI_WFET) {
		vcpu->exit_state.stats[HV_STAT_WFE]++;
		vcpu->exit_state.relax_hint = true; /* it waits for another CPU */
		return hv_exit_resume(vcpu);        /* a hint: returning is a yield */
	}
	/* WFI, and WFIT (which may always complete early). */
	vcpu->exit_state.stats[HV_STAT_WFI]++;
	if (hv_exit_call_vgic_has_pending(vcpu))
		return hv_exit_resume(vcpu);
	return hv_exit_idle(vcpu);
}
