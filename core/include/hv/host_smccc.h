/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Who answers a host's SMCCC call at EL2, for a host that runs on the
 * physical CPUs itself (mode A on MediaTek: Linux at EL1, its SMCs trapped
 * by HCR_EL2.TSC, its HVCs taken to EL2), as GenieZone serves its host:
 *
 *   - the hypercall server's function IDs (hv/abi.h: GenieZone's 0..19 and
 *     this project's extensions), over HVC or SMC #0: the server;
 *   - SMCCC_VERSION (DEN0028 7.2): EL2 implements SMCCC 1.1 for the calls
 *     it answers, so the answer is the firmware's version, or 1.1 if the
 *     firmware's is older or absent (QEMU's PSCI firmware: NOT_SUPPORTED);
 *     PSCI_FEATURES(SMCCC_VERSION) is SUCCESS accordingly (DEN0022D 5.1.15:
 *     how a caller learns that SMCCC_VERSION may be called);
 *   - the vendor-specific hypervisor service (owner 6, DEN0028 6.2):
 *     CALL_UID answers hvcore's UID (what gzvm.ko looks for), REVISION
 *     1.0, any other function NOT_SUPPORTED;
 *   - everything else over SMC goes to the firmware (PSCI through
 *     hv/host_psci.h first); over HVC it is NOT_SUPPORTED (SMCCC_ARCH_FEATURES
 *     over HVC as a guest's: only the two Arm architecture calls).
 *
 * An SMC or HVC with an immediate other than 0 is not an SMCCC call
 * (DEN0028 2.9): NOT_SUPPORTED.
 */
#ifndef HV_HOST_SMCCC_H
#define HV_HOST_SMCCC_H

#include <hv/types.h>

enum hv_host_call_route {
	HV_HOST_CALL_ANSWER,   /* out[0..3] go back to the host */
	HV_HOST_CALL_SERVER,   /* the hypercall server's (hv/abi_server.h) */
	HV_HOST_CALL_FIRMWARE, /* an SMC for the firmware (PSCI: hv/host_psci.h) */
};

struct hv_host_call {
	bool smc;      /* SMC (else HVC) */
	uint16_t imm;  /* the instruction's immediate */
	uint64_t x[4]; /* the host's x0..x3 */
};

/* firmware_version: what the firmware answered SMCCC_VERSION with at boot
 * (as a signed 32-bit value: negative when it does not implement it). */
enum hv_host_call_route hv_host_smccc_route(const struct hv_host_call *call,
                                            int32_t firmware_version, uint64_t out[4]);

/* The SMCCC version the host is told (firmware_version as above). */
uint32_t hv_host_smccc_version(int32_t firmware_version);

#endif
