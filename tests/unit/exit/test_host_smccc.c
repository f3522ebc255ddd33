/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/exit/host_smccc.c: which of a mode-A host's HVCs and SMCs the
 * hypercall server takes, which EL2 answers (SMCCC_VERSION, the vendor
 * hypervisor UID, PSCI_FEATURES of SMCCC_VERSION) and which go to the
 * firmware.
 */
#include <criterion/criterion.h>

#include <hv/abi.h>
#include <hv/host_smccc.h>
#include <hv/psci.h>
#include <hv/smccc.h>

#define FW_NONE ((int32_t)HV_SMCCC_RET_NOT_SUPPORTED) /* QEMU's PSCI firmware */

static enum hv_host_call_route route(bool smc, uint16_t imm, uint64_t x0, uint64_t x1, int32_t fw,
                                     uint64_t out[4])
{
	const struct hv_host_call c = {.smc = smc, .imm = imm, .x = {x0, x1, 0x22, 0x33}};
	out[0] = out[1] = out[2] = out[3] = 0xdead;
	return hv_host_smccc_route(&c, fw, out);
}

Test(host_smccc, server_calls_over_either_conduit)
{
	uint64_t out[4];
	for (int smc = 0; smc < 2; smc++) {
		cr_expect_eq(route(smc, 0, HV_ABI_FN(HV_ABI_PROBE), 0, FW_NONE, out),
		             HV_HOST_CALL_SERVER);
		cr_expect_eq(route(smc, 0, HV_ABI_FN(HV_ABI_RUN), 0, FW_NONE, out),
		             HV_HOST_CALL_SERVER);
		cr_expect_eq(route(smc, 0, HV_ABI_FN(HV_ABI_NR_FN - 1), 0, FW_NONE, out),
		             HV_HOST_CALL_SERVER);
		cr_expect_eq(route(smc, 0, HV_ABI_FN(HV_ABI_EXT_FIRST), 0, FW_NONE, out),
		             HV_HOST_CALL_SERVER);
		cr_expect_eq(out[0], 0xdead, "the server answers, not the router");
		/* Just past each range: not the server's. */
		cr_expect_neq(route(smc, 0, HV_ABI_FN(HV_ABI_NR_FN), 0, FW_NONE, out),
		              HV_HOST_CALL_SERVER);
		cr_expect_neq(route(smc, 0, HV_ABI_FN(HV_ABI_EXT_END), 0, FW_NONE, out),
		              HV_HOST_CALL_SERVER);
		cr_expect_neq(route(smc, 0, HV_ABI_FN_BASE - 1, 0, FW_NONE, out),
		              HV_HOST_CALL_SERVER);
		/* Only W0 is the ID: the upper half is ignored (DEN0028 2.5). */
		cr_expect_eq(
		    route(smc, 0, 0xffffffff00000000ull | HV_ABI_FN(HV_ABI_PROBE), 0, FW_NONE, out),
		    HV_HOST_CALL_SERVER);
	}
}

Test(host_smccc, an_immediate_other_than_0_is_not_smccc)
{
	uint64_t out[4];
	cr_expect_eq(route(false, 1, HV_ABI_FN(HV_ABI_PROBE), 0, FW_NONE, out),
	             HV_HOST_CALL_ANSWER);
	cr_expect_eq((int64_t)out[0], HV_SMCCC_RET_NOT_SUPPORTED);
	cr_expect_eq(route(true, 0x10, HV_PSCI_VERSION, 0, FW_NONE, out), HV_HOST_CALL_ANSWER);
	cr_expect_eq((int64_t)out[0], HV_SMCCC_RET_NOT_SUPPORTED);
}

Test(host_smccc, smccc_version_is_at_least_1_1)
{
	uint64_t out[4];
	const int32_t fws[] = {FW_NONE, 0x10000, 0x10001, 0x10002, 0x10003, -3};
	const uint32_t want[] = {0x10001, 0x10001, 0x10001, 0x10002, 0x10003, 0x10001};
	for (unsigned i = 0; i < sizeof(fws) / sizeof(fws[0]); i++)
		for (int smc = 0; smc < 2; smc++) {
			cr_expect_eq(route(smc, 0, HV_SMCCC_VERSION, 0, fws[i], out),
			             HV_HOST_CALL_ANSWER);
			cr_expect_eq(out[0], want[i], "firmware %d: %#llx", fws[i],
			             (unsigned long long)out[0]);
		}
	/* PSCI_FEATURES of SMCCC_VERSION over SMC, PSCI's conduit: SUCCESS. */
	cr_expect_eq(route(true, 0, HV_PSCI_FEATURES, HV_SMCCC_VERSION, FW_NONE, out),
	             HV_HOST_CALL_ANSWER);
	cr_expect_eq((int64_t)out[0], HV_PSCI_SUCCESS);
	/* Any other PSCI_FEATURES query is the firmware's (through host_psci). */
	cr_expect_eq(route(true, 0, HV_PSCI_FEATURES, HV_PSCI_CPU_ON, FW_NONE, out),
	             HV_HOST_CALL_FIRMWARE);
}

Test(host_smccc, vendor_hypervisor_uid_is_hvcore_s)
{
	uint64_t out[4];
	for (int smc = 0; smc < 2; smc++) {
		cr_expect_eq(route(smc, 0, HV_SMCCC_VENDOR_HYP_CALL_UID, 0, FW_NONE, out),
		             HV_HOST_CALL_ANSWER);
		cr_expect_eq(out[0], HV_ABI_HYP_UID_W0);
		cr_expect_eq(out[1], HV_ABI_HYP_UID_W1);
		cr_expect_eq(out[2], HV_ABI_HYP_UID_W2);
		cr_expect_eq(out[3], HV_ABI_HYP_UID_W3);
		cr_expect_eq(route(smc, 0, HV_SMCCC_VENDOR_HYP_REVISION, 0, FW_NONE, out),
		             HV_HOST_CALL_ANSWER);
		cr_expect_eq(out[0], HV_SMCCC_HYP_REV_MAJOR);
		cr_expect_eq(out[1], HV_SMCCC_HYP_REV_MINOR);
		/* The guests' vendor-hyp calls are not the host's. */
		cr_expect_eq(route(smc, 0, HV_SMCCC_HYP_FEATURES, 0, FW_NONE, out),
		             HV_HOST_CALL_ANSWER);
		cr_expect_eq((int64_t)out[0], HV_SMCCC_RET_NOT_SUPPORTED);
	}
}

Test(host_smccc, other_smcs_go_to_the_firmware_other_hvcs_are_refused)
{
	uint64_t out[4];
	const uint64_t fids[] = {HV_PSCI_VERSION,         HV_PSCI_CPU_ON_64,
	                         HV_SMCCC_ARCH_FEATURES,  HV_SMCCC_ARCH_WORKAROUND_1,
	                         0x82000001ull /* SiP */, 0xb2000000ull /* trusted OS */};
	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		cr_expect_eq(route(true, 0, fids[i], 0, FW_NONE, out), HV_HOST_CALL_FIRMWARE,
		             "smc %#llx", (unsigned long long)fids[i]);
		cr_expect_eq(route(false, 0, fids[i], 0, FW_NONE, out), HV_HOST_CALL_ANSWER);
		if (fids[i] != HV_SMCCC_ARCH_FEATURES)
			cr_expect_eq((int64_t)out[0], HV_SMCCC_RET_NOT_SUPPORTED, "hvc %#llx",
			             (unsigned long long)fids[i]);
	}
	/* ARCH_FEATURES over HVC: the two architecture calls EL2 answers. */
	route(false, 0, HV_SMCCC_ARCH_FEATURES, HV_SMCCC_VERSION, FW_NONE, out);
	cr_expect_eq((int64_t)out[0], HV_SMCCC_RET_SUCCESS);
	route(false, 0, HV_SMCCC_ARCH_FEATURES, HV_SMCCC_ARCH_WORKAROUND_1, FW_NONE, out);
	cr_expect_eq((int64_t)out[0], HV_SMCCC_RET_NOT_SUPPORTED);
}
