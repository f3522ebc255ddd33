/* SPDX-License-Identifier: Apache-2.0 */
/* A mode-A host's SMCCC calls at EL2: who answers (hv/host_smccc.h). */
#include <hv/abi.h>
#include <hv/host_smccc.h>
#include <hv/psci.h>
#include <hv/smccc.h>

uint32_t hv_host_smccc_version(int32_t firmware_version)
{
	return firmware_version > (int32_t)HV_SMCCC_VERSION_1_1 ? (uint32_t)firmware_version
	                                                        : HV_SMCCC_VERSION_1_1;
}

static bool is_server(uint32_t fid)
{
	return (fid >= HV_ABI_FN_BASE && fid < HV_ABI_FN(HV_ABI_NR_FN)) ||
	       (fid >= HV_ABI_FN(HV_ABI_EXT_FIRST) && fid < HV_ABI_FN(HV_ABI_EXT_END));
}

static enum hv_host_call_route answer(uint64_t out[4], uint64_t x0, uint64_t x1, uint64_t x2,
                                      uint64_t x3)
{
	out[0] = x0;
	out[1] = x1;
	out[2] = x2;
	out[3] = x3;
	return HV_HOST_CALL_ANSWER;
}

static enum hv_host_call_route not_supported(uint64_t out[4], const uint64_t x[4])
{
	/* x1..x3 as they were: an SMCCC 1.1 callee returns only x0 here. */
	return answer(out, (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED, x[1], x[2], x[3]);
}

static enum hv_host_call_route vendor_hyp(uint64_t out[4], const uint64_t x[4], uint32_t fid)
{
	switch (fid) {
	case HV_SMCCC_VENDOR_HYP_CALL_UID:
		return answer(out, HV_SMCCC_HYP_UID_W0, HV_SMCCC_HYP_UID_W1, HV_SMCCC_HYP_UID_W2,
		              HV_SMCCC_HYP_UID_W3);
	case HV_SMCCC_VENDOR_HYP_REVISION:
		return answer(out, HV_SMCCC_HYP_REV_MAJOR, HV_SMCCC_HYP_REV_MINOR, x[2], x[3]);
	default: return not_supported(out, x);
	}
}

enum hv_host_call_route hv_host_smccc_route(const struct hv_host_call *call,
                                            int32_t firmware_version, uint64_t out[4])
{
	const uint64_t *x = call->x;
	uint32_t fid = (uint32_t)x[0]; /* the ID is W0 (DEN0028 2.5) */
	if (call->imm != 0)
		return not_supported(out, x);
	if (is_server(fid))
		return HV_HOST_CALL_SERVER;
	if (fid == HV_SMCCC_VERSION)
		return answer(out, hv_host_smccc_version(firmware_version), x[1], x[2], x[3]);
	if ((fid & HV_SMCCC_FAST) && hv_smccc_owner(fid) == HV_SMCCC_OWNER_VENDOR_HYP)
		return vendor_hyp(out, x, fid);
	if (call->smc) {
		if (fid == HV_PSCI_FEATURES && (uint32_t)x[1] == HV_SMCCC_VERSION)
			return answer(out, (uint64_t)(int64_t)HV_PSCI_SUCCESS, x[1], x[2], x[3]);
		return HV_HOST_CALL_FIRMWARE;
	}
	if (fid == HV_SMCCC_ARCH_FEATURES) {
		uint32_t q = (uint32_t)x[1];
		bool known = q == HV_SMCCC_VERSION || q == HV_SMCCC_ARCH_FEATURES;
		return answer(
		    out,
		    (uint64_t)(int64_t)(known ? HV_SMCCC_RET_SUCCESS : HV_SMCCC_RET_NOT_SUPPORTED),
		    x[1], x[2], x[3]);
	}
	return not_supported(out, x);
}
