/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMC Calling Convention (Arm DEN0028, SMCCC 1.1+): function-ID layout, the
 * Arm architecture calls, the vendor-specific hypervisor service range
 * (owner 6) and this project's own hypervisor UID.
 *
 * The ABI layer reuses these constants: this is the only copy.
 */
#ifndef HV_SMCCC_H
#define HV_SMCCC_H

#include <hv/abi.h>
#include <hv/exit.h>

struct hv_vcpu;

/* Function identifier, DEN0028 2.5: [31] fast, [30] SMC64, [29:24] owner,
 * [15:0] function number. */
#define HV_SMCCC_FAST        HV_BIT(31)
#define HV_SMCCC_64          HV_BIT(30)
#define HV_SMCCC_OWNER_SHIFT 24
#define HV_SMCCC_OWNER_MASK  0x3fu
#define HV_SMCCC_FUNC_MASK   0xffffu

#define HV_SMCCC_OWNER_ARCH       0u
#define HV_SMCCC_OWNER_CPU        1u
#define HV_SMCCC_OWNER_SIP        2u
#define HV_SMCCC_OWNER_OEM        3u
#define HV_SMCCC_OWNER_STANDARD   4u /* PSCI lives here */
#define HV_SMCCC_OWNER_STD_HYP    5u
#define HV_SMCCC_OWNER_VENDOR_HYP 6u

static inline unsigned hv_smccc_owner(uint32_t fid)
{
	return (fid >> HV_SMCCC_OWNER_SHIFT) & HV_SMCCC_OWNER_MASK;
}

/* Return values (DEN0028 7.1 for the Arm architecture calls). */
#define HV_SMCCC_RET_SUCCESS       0
#define HV_SMCCC_RET_NOT_SUPPORTED (-1)
#define HV_SMCCC_RET_NOT_REQUIRED  (-2)
#define HV_SMCCC_RET_INVALID_PARAM (-3)

/* Arm architecture calls (owner 0), DEN0028 7. */
#define HV_SMCCC_VERSION           0x80000000u
#define HV_SMCCC_ARCH_FEATURES     0x80000001u
#define HV_SMCCC_ARCH_SOC_ID       0x80000002u
#define HV_SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define HV_SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define HV_SMCCC_ARCH_WORKAROUND_3 0x80003fffu
#define HV_SMCCC_VERSION_1_1       0x10001u /* major << 16 | minor */

/* Service-range queries, DEN0028 6.2 (each owner's 0xFF00..0xFF03). */
#define HV_SMCCC_VENDOR_HYP_CALL_COUNT 0x8600ff00u
#define HV_SMCCC_VENDOR_HYP_CALL_UID   0x8600ff01u
#define HV_SMCCC_VENDOR_HYP_REVISION   0x8600ff03u

/*
 * This project's hypervisor UID (10efb112-0f94-4e07-b9a4-abc63a105391),
 * returned by VENDOR_HYP_CALL_UID in w0..w3; the words live in hv/abi.h,
 * shared with the host driver.
 */
#define HV_SMCCC_HYP_UID_W0 HV_ABI_HYP_UID_W0
#define HV_SMCCC_HYP_UID_W1 HV_ABI_HYP_UID_W1
#define HV_SMCCC_HYP_UID_W2 HV_ABI_HYP_UID_W2
#define HV_SMCCC_HYP_UID_W3 HV_ABI_HYP_UID_W3

/* Revision of the vendor-hyp service (VENDOR_HYP_REVISION: x0 major, x1 minor). */
#define HV_SMCCC_HYP_REV_MAJOR 1u
#define HV_SMCCC_HYP_REV_MINOR 0u

/*
 * Vendor-hyp functions guests may call (owner 6).
 * HYP_FEATURES (function 0): x0 = bitmap of the functions below that this
 * hypervisor implements (bit n = function number n), x1..x3 = 0.
 * PTP (function 1): the GenieZone/KVM clock-pairing call, answered by the host.
 * MEM_RELINQUISH (function 9, SMC64): x1 = IPA of a page the guest gives back.
 */
#define HV_SMCCC_HYP_FEATURES       0x86000000u
#define HV_SMCCC_HYP_PTP            0x86000001u
#define HV_SMCCC_HYP_MEM_RELINQUISH 0xc6000009u

/*
 * The protected-guest calls of GenieZone's guest ABI (the numbering pKVM
 * gives them; Android's virtualization framework uses them on GenieZone),
 * SMC64 vendor-hyp functions 2..8. Arguments a call does not use are zero.
 *   HYP_MEMINFO        x0 = the sharing granule (4096)
 *   MEM_SHARE          x1 = IPA of a page the host may access again
 *   MEM_UNSHARE        x1 = IPA of a shared page taken back from the host
 *   MMIO_GUARD_INFO    x0 = the guard granule (4096)
 *   MMIO_GUARD_ENROLL  from now on only guarded pages make MMIO exits
 *   MMIO_GUARD_MAP     x1 = IPA of a page outside RAM (x2: attributes, as
 *                      older guests pass them; ignored)
 *   MMIO_GUARD_UNMAP   x1 = IPA of a guarded page
 * Errors: INVALID_PARAMETER (-3), nothing changed.
 */
#define HV_SMCCC_HYP_MEMINFO           0xc6000002u
#define HV_SMCCC_HYP_MEM_SHARE         0xc6000003u
#define HV_SMCCC_HYP_MEM_UNSHARE       0xc6000004u
#define HV_SMCCC_HYP_MMIO_GUARD_INFO   0xc6000005u
#define HV_SMCCC_HYP_MMIO_GUARD_ENROLL 0xc6000006u
#define HV_SMCCC_HYP_MMIO_GUARD_MAP    0xc6000007u
#define HV_SMCCC_HYP_MMIO_GUARD_UNMAP  0xc6000008u

/*
 * The vendor-hyp UID guests see: GenieZone's, 7e134ed0-3b82-488d-8cee-
 * 69c19211dbe7, the one Android's virtualization framework looks for.
 * Words as DEN0028 6.2 lays a UUID out: w0 holds bytes 0..3, byte 0 in
 * bits [7:0]. (The host driver sees this project's UID, hv/abi.h.)
 */
#define HV_SMCCC_GUEST_UID_W0         0xd04e137eu
#define HV_SMCCC_GUEST_UID_W1         0x8d48823bu
#define HV_SMCCC_GUEST_UID_W2         0xc169ee8cu
#define HV_SMCCC_GUEST_UID_W3         0xe7db1192u
#define HV_SMCCC_HYP_FEATURE_BIT(fid) (UINT64_C(1) << ((fid)&HV_SMCCC_FUNC_MASK))

/*
 * Handle the SMCCC call in the guest's x0..x7 (the PC is already past the
 * call). Returns the exit action. Unknown function IDs
 * put NOT_SUPPORTED (-1) in x0 and change nothing else.
 */
enum hv_exit_action hv_smccc_handle(struct hv_vcpu *vcpu);

#endif /* HV_SMCCC_H */
