/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Stage-2 data and instruction aborts from a lower EL (EC 0x24, 0x20):
 * core/mem first (demand paging), then MMIO emulation. Arm ARM D17.2.37
 * "ISS encoding for an exception from a Data Abort".
 */
#include <hv/esr.h>
#include <hv/inject.h>
#include "exit_internal.h"
#include "mmio_emulate.h"

static bool is_stage2_fault(unsigned fsc)
{
	return hv_fsc_is_translation(fsc) || hv_fsc_is_access_flag(fsc) ||
	       hv_fsc_is_permission(fsc);
}

/* Ask core/mem. Returns true with *action set when mem has decided. */
static bool mem_fault(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool is_write, uint64_t far, bool is_exec,
                      enum hv_exit_action *action)
{
	hv_status_t st = hv_exit_call_mem_fault(vcpu, ipa, is_write);
	switch (st) {
	case HV_ERR_NOT_FOUND: return false;
	case HV_OK:
		vcpu->exit_state.stats[HV_STAT_STAGE2]++;
		*action = hv_exit_resume(vcpu); /* mapped: re-run the access */
		return true;
	case HV_BUSY: /* mem filled vcpu->host_exit (PAGE_FAULT) */
		vcpu->exit_state.stats[HV_STAT_STAGE2]++;
		*action = hv_exit_to_host(vcpu, vcpu->host_exit.reason == HV_EXIT_NONE
		                                    ? HV_EXIT_PAGE_FAULT
		                                    : vcpu->host_exit.reason);
		return true;
	default:
		if (is_exec)
			hv_inject_pabt(vcpu, far);
		else
			hv_inject_dabt(vcpu, far);
		*action = hv_exit_resume(vcpu);
		return true;
	}
}

enum hv_exit_action hv_exit_dabt(struct hv_vcpu *vcpu, uint64_t esr)
{
	uint32_t iss = hv_esr_iss(esr);
	uint64_t far = vcpu->ctx.exit.far_el2;
	hv_ipa_t ipa = hv_fault_ipa(vcpu->ctx.exit.hpfar_el2, far);
	enum hv_exit_action action;

	if (!is_stage2_fault(iss & HV_DABT_DFSC_MASK)) {
		/* External abort, alignment, TLB conflict...: the guest's problem. */
		hv_inject_dabt(vcpu, far);
		return hv_exit_resume(vcpu);
	}
	/* A cache maintenance instruction reports WnR = 1 but writes nothing. */
	bool is_write = (iss & HV_DABT_WNR) && !(iss & HV_DABT_CM);
	if (mem_fault(vcpu, ipa, is_write, far, false, &action))
		return action;
	if (iss & HV_DABT_S1PTW) { /* the guest's page tables are not in RAM */
		hv_inject_dabt(vcpu, far);
		return hv_exit_resume(vcpu);
	}
	if (iss & HV_DABT_CM) { /* DC/IC/AT on device memory: nothing to do */
		hv_exit_skip_insn(vcpu, hv_esr_insn_len(esr));
		return hv_exit_resume(vcpu);
	}
	if (iss & HV_DABT_ISV)
		return hv_mmio_emulate_isv1(vcpu, esr, ipa);
	return hv_mmio_emulate_isv0(vcpu, esr, ipa);
}

enum hv_exit_action hv_exit_iabt(struct hv_vcpu *vcpu, uint64_t esr)
{
	uint32_t iss = hv_esr_iss(esr);
	uint64_t far = vcpu->ctx.exit.far_el2;
	enum hv_exit_action action;

	if (is_stage2_fault(iss & HV_IABT_IFSC_MASK)) {
		hv_ipa_t ipa = hv_fault_ipa(vcpu->ctx.exit.hpfar_el2, far);
		if (mem_fault(vcpu, ipa, false, far, true, &action))
			return action;
	}
	/* Executing from a hole or from device memory. */
	hv_inject_pabt(vcpu, far);
	return hv_exit_resume(vcpu);
}
