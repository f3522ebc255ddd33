/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest SMCCC calls (Arm DEN0028, SMCCC 1.1): Arm architecture calls,
 * PSCI (standard service), and the vendor-specific hypervisor service with
 * GenieZone's guest UID (its protected-guest calls included). Unknown IDs: NOT_SUPPORTED in x0, nothing else touched.
 */
#include <hv/psci.h>
#include <hv/smccc.h>
#include <hv/vm.h>
#include "exit_internal.h"

#define PSCI_FUNC_LAST 0x1fu /* DEN0022D reserves 0x00..0x1f for PSCI */

static enum hv_exit_action ret0(struct hv_vcpu *vcpu, int64_t value)
{
	vcpu->ctx.regs.x[0] = (uint64_t)value;
	return hv_exit_resume(vcpu);
}

static enum hv_exit_action arch_call(struct hv_vcpu *vcpu, uint32_t fid)
{
	switch (fid) {
	case HV_SMCCC_VERSION: return ret0(vcpu, HV_SMCCC_VERSION_1_1);
	case HV_SMCCC_ARCH_FEATURES: {
		uint32_t queried = (uint32_t)vcpu->ctx.regs.x[1];
		/* No firmware workarounds are offered to guests (DEN0028 7.5+). */
		bool known = queried == HV_SMCCC_VERSION || queried == HV_SMCCC_ARCH_FEATURES;
		return ret0(vcpu, known ? HV_SMCCC_RET_SUCCESS : HV_SMCCC_RET_NOT_SUPPORTED);
	}
	default: return ret0(vcpu, HV_SMCCC_RET_NOT_SUPPORTED);
	}
}

/* Bitmap for HYP_FEATURES: bit n set if vendor-hyp function n is served. */
static uint64_t hyp_features(const struct hv_vcpu *vcpu)
{
	uint64_t bits = HV_SMCCC_HYP_FEATURE_BIT(HV_SMCCC_HYP_FEATURES) |
	                HV_SMCCC_HYP_FEATURE_BIT(HV_SMCCC_HYP_PTP);
	if (hv_exit_mem_relinquish_available(vcpu))
		bits |= HV_SMCCC_HYP_FEATURE_BIT(HV_SMCCC_HYP_MEM_RELINQUISH);
	for (uint32_t fid = HV_SMCCC_HYP_MEMINFO; fid <= HV_SMCCC_HYP_MMIO_GUARD_UNMAP; fid++)
		bits |= HV_SMCCC_HYP_FEATURE_BIT(fid);
	return bits;
}

/* x[from..3] are zero (arguments a call does not use). */
static bool args_zero(const struct hv_vcpu *vcpu, unsigned from)
{
	for (unsigned i = from; i < 4; i++)
		if (vcpu->ctx.regs.x[i])
			return false;
	return true;
}

static enum hv_exit_action status_ret(struct hv_vcpu *vcpu, hv_status_t st)
{
	return ret0(vcpu, st == HV_OK ? HV_SMCCC_RET_SUCCESS : HV_SMCCC_RET_INVALID_PARAM);
}

/* MEM_SHARE / MEM_UNSHARE. A RAM page not paged in yet: the host is asked
 * for it (PAGE_FAULT exit) and the call runs again once it is there. */
static enum hv_exit_action share_call(struct hv_vcpu *vcpu, uint32_t fid)
{
	if (!args_zero(vcpu, 2))
		return ret0(vcpu, HV_SMCCC_RET_INVALID_PARAM);
	hv_status_t st = hv_exit_call_mem_share(vcpu, hv_ipa(vcpu->ctx.regs.x[1]),
	                                        fid == HV_SMCCC_HYP_MEM_SHARE);
	if (st == HV_BUSY) {
		vcpu->ctx.regs.pc -= 4; /* back to the HVC/SMC (always 4 bytes) */
		return hv_exit_to_host(vcpu, HV_EXIT_PAGE_FAULT);
	}
	return status_ret(vcpu, st);
}

/* The protected-guest calls (hv/smccc.h), fid 2..8. */
static enum hv_exit_action protected_call(struct hv_vcpu *vcpu, uint32_t fid)
{
	uint64_t *x = vcpu->ctx.regs.x;
	struct hv_mmio_bus *bus = &vcpu->vm->mmio;
	switch (fid) {
	case HV_SMCCC_HYP_MEMINFO:
	case HV_SMCCC_HYP_MMIO_GUARD_INFO:
		if (!args_zero(vcpu, 1))
			return ret0(vcpu, HV_SMCCC_RET_INVALID_PARAM);
		x[1] = x[2] = x[3] = 0;
		return ret0(vcpu, (int64_t)HV_PAGE_SIZE);
	case HV_SMCCC_HYP_MEM_SHARE:
	case HV_SMCCC_HYP_MEM_UNSHARE: return share_call(vcpu, fid);
	case HV_SMCCC_HYP_MMIO_GUARD_ENROLL:
		if (!args_zero(vcpu, 1))
			return ret0(vcpu, HV_SMCCC_RET_INVALID_PARAM);
		hv_mmio_guard_enroll(bus);
		return ret0(vcpu, HV_SMCCC_RET_SUCCESS);
	case HV_SMCCC_HYP_MMIO_GUARD_MAP:
		if (x[3] || hv_exit_ipa_is_ram(vcpu, hv_ipa(x[1])))
			return ret0(vcpu, HV_SMCCC_RET_INVALID_PARAM);
		return status_ret(vcpu, hv_mmio_guard_map(bus, hv_ipa(x[1])));
	default: /* MMIO_GUARD_UNMAP */
		if (!args_zero(vcpu, 2))
			return ret0(vcpu, HV_SMCCC_RET_INVALID_PARAM);
		return status_ret(vcpu, hv_mmio_guard_unmap(bus, hv_ipa(x[1])));
	}
}

/* A call the host answers (GenieZone HYPERCALL exit). */
static enum hv_exit_action to_host(struct hv_vcpu *vcpu)
{
	struct hv_host_exit *hx = &vcpu->host_exit;
	for (unsigned i = 0; i < 8; i++)
		hx->hypercall.args[i] = vcpu->ctx.regs.x[i];
	vcpu->ctx.regs.x[0] = (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED;
	return hv_exit_to_host(vcpu, HV_EXIT_HYPERCALL);
}

static enum hv_exit_action vendor_hyp_call(struct hv_vcpu *vcpu, uint32_t fid)
{
	uint64_t *x = vcpu->ctx.regs.x;
	switch (fid) {
	case HV_SMCCC_VENDOR_HYP_CALL_UID: {
		bool own = vcpu->vm && vcpu->vm->uid_hvcore;
		x[0] = own ? HV_SMCCC_HYP_UID_W0 : HV_SMCCC_GUEST_UID_W0;
		x[1] = own ? HV_SMCCC_HYP_UID_W1 : HV_SMCCC_GUEST_UID_W1;
		x[2] = own ? HV_SMCCC_HYP_UID_W2 : HV_SMCCC_GUEST_UID_W2;
		x[3] = own ? HV_SMCCC_HYP_UID_W3 : HV_SMCCC_GUEST_UID_W3;
		return hv_exit_resume(vcpu);
	}
	case HV_SMCCC_VENDOR_HYP_REVISION:
		x[0] = HV_SMCCC_HYP_REV_MAJOR;
		x[1] = HV_SMCCC_HYP_REV_MINOR;
		return hv_exit_resume(vcpu);
	case HV_SMCCC_HYP_FEATURES:
		x[0] = hyp_features(vcpu);
		x[1] = x[2] = x[3] = 0;
		return hv_exit_resume(vcpu);
	case HV_SMCCC_HYP_PTP: return to_host(vcpu);
	case HV_SMCCC_HYP_MEM_RELINQUISH: {
		if (!hv_exit_mem_relinquish_available(vcpu))
			return ret0(vcpu, HV_SMCCC_RET_NOT_SUPPORTED);
		hv_status_t st = hv_exit_call_mem_relinquish(vcpu, hv_ipa(x[1]));
		return ret0(vcpu, st == HV_OK ? HV_SMCCC_RET_SUCCESS : HV_SMCCC_RET_INVALID_PARAM);
	}
	default:
		if (fid >= HV_SMCCC_HYP_MEMINFO && fid <= HV_SMCCC_HYP_MMIO_GUARD_UNMAP && vcpu->vm)
			return protected_call(vcpu, fid);
		return ret0(vcpu, HV_SMCCC_RET_NOT_SUPPORTED);
	}
}

enum hv_exit_action hv_smccc_handle(struct hv_vcpu *vcpu)
{
	uint32_t fid = (uint32_t)vcpu->ctx.regs.x[0]; /* the ID is W0 (DEN0028 2.5) */

	if (!(fid & HV_SMCCC_FAST)) /* yielding calls: none served */
		return ret0(vcpu, HV_SMCCC_RET_NOT_SUPPORTED);
	switch (hv_smccc_owner(fid)) {
	case HV_SMCCC_OWNER_ARCH: return arch_call(vcpu, fid);
	case HV_SMCCC_OWNER_STANDARD:
		if ((fid & HV_SMCCC_FUNC_MASK) <= PSCI_FUNC_LAST && !(fid & HV_GENMASK(23, 16)))
			return hv_psci_handle(vcpu, fid);
		return ret0(vcpu, HV_SMCCC_RET_NOT_SUPPORTED);
	case HV_SMCCC_OWNER_VENDOR_HYP: return vendor_hyp_call(vcpu, fid);
	default: return ret0(vcpu, HV_SMCCC_RET_NOT_SUPPORTED);
	}
}

hv_status_t hv_vcpu_complete_hypercall(struct hv_vcpu *vcpu, const uint64_t ret[4])
{
	if (vcpu->host_exit.reason != HV_EXIT_HYPERCALL)
		return HV_ERR_STATE;
	for (unsigned i = 0; i < 4; i++)
		vcpu->ctx.regs.x[i] = ret[i];
	vcpu->host_exit.reason = HV_EXIT_NONE;
	return HV_OK;
}
