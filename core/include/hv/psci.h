/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PSCI 1.1 for guests (Arm DEN0022D): function IDs, return codes, and the
 * per-vCPU power-state machine (vcpu->power, hv/vcpu.h).
 */
#ifndef HV_PSCI_H
#define HV_PSCI_H

#include <hv/exit.h>

struct hv_vcpu;

/* DEN0022D 5.1 function IDs (SMC32 0x84..., SMC64 0xC4...). */
#define HV_PSCI_VERSION                0x84000000u
#define HV_PSCI_CPU_SUSPEND            0x84000001u
#define HV_PSCI_CPU_SUSPEND_64         0xc4000001u
#define HV_PSCI_CPU_OFF                0x84000002u
#define HV_PSCI_CPU_ON                 0x84000003u
#define HV_PSCI_CPU_ON_64              0xc4000003u
#define HV_PSCI_AFFINITY_INFO          0x84000004u
#define HV_PSCI_AFFINITY_INFO_64       0xc4000004u
#define HV_PSCI_MIGRATE                0x84000005u
#define HV_PSCI_MIGRATE_64             0xc4000005u
#define HV_PSCI_MIGRATE_INFO_TYPE      0x84000006u
#define HV_PSCI_MIGRATE_INFO_UP_CPU    0x84000007u
#define HV_PSCI_MIGRATE_INFO_UP_CPU_64 0xc4000007u
#define HV_PSCI_SYSTEM_OFF             0x84000008u
#define HV_PSCI_SYSTEM_RESET           0x84000009u
#define HV_PSCI_FEATURES               0x8400000au
#define HV_PSCI_SYSTEM_SUSPEND         0x8400000eu
#define HV_PSCI_SYSTEM_SUSPEND_64      0xc400000eu
#define HV_PSCI_SYSTEM_RESET2          0x84000012u
#define HV_PSCI_SYSTEM_RESET2_64       0xc4000012u

/* PSCI_VERSION: major [30:16], minor [15:0]. */
#define HV_PSCI_VERSION_1_1 0x00010001u

/* DEN0022D 5.2.2 return codes. */
#define HV_PSCI_SUCCESS            0
#define HV_PSCI_NOT_SUPPORTED      (-1)
#define HV_PSCI_INVALID_PARAMETERS (-2)
#define HV_PSCI_DENIED             (-3)
#define HV_PSCI_ALREADY_ON         (-4)
#define HV_PSCI_ON_PENDING         (-5)
#define HV_PSCI_INTERNAL_FAILURE   (-6)
#define HV_PSCI_NOT_PRESENT        (-7)
#define HV_PSCI_DISABLED           (-8)
#define HV_PSCI_INVALID_ADDRESS    (-9)

/* AFFINITY_INFO results (DEN0022D 5.1.5). */
#define HV_PSCI_AFF_ON         0
#define HV_PSCI_AFF_OFF        1
#define HV_PSCI_AFF_ON_PENDING 2

/* MIGRATE_INFO_TYPE: no Trusted OS needing migration (DEN0022D 5.1.7). */
#define HV_PSCI_TOS_NOT_PRESENT 2

/* SYSTEM_RESET2 reset_type: bit 31 vendor; architectural 0 = warm reset. */
#define HV_PSCI_RESET2_VENDOR   HV_BIT(31)
#define HV_PSCI_RESET2_SYS_WARM 0u

/* MPIDR affinity fields Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
#define HV_MPIDR_AFF_MASK (HV_GENMASK(39, 32) | HV_GENMASK(23, 0))

/* SCTLR_EL1 of a vCPU started by CPU_ON: MMU and caches off, RES1 bits set
 * (Arm ARM D17.2.118: bits 29, 28, 23, 22, 20, 11 are RES1 in ARMv8.0). */
#define HV_SCTLR_EL1_RESET 0x30d00800u

/* Handle a PSCI function (fid in w0, arguments in x1..x3). Returns the
 * exit action. Unknown PSCI IDs return NOT_SUPPORTED in x0. */
enum hv_exit_action hv_psci_handle(struct hv_vcpu *vcpu, uint32_t fid);

/* Runtime hook: the vCPU is about to run; an ON_PENDING vCPU becomes ON. */
void hv_psci_vcpu_entering(struct hv_vcpu *vcpu);

#endif /* HV_PSCI_H */
