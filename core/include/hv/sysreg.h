/* SPDX-License-Identifier: Apache-2.0 */
/*
 * System register identifiers shared by exit dispatch (which decodes trapped
 * MSR/MRS) and the modules that own registers (vGIC: ICC_*, vtimer: CNT*).
 *
 * An identifier packs (op0, op1, CRn, CRm, op2) into 16 bits. The fields
 * come from the ISS of a trapped MSR/MRS, ESR_EL2.EC == 0x18 (Arm ARM
 * D17.2.37, "ISS encoding for an exception from MSR, MRS, or System
 * instruction execution in AArch64 state"): Op0 [21:20], Op2 [19:17],
 * Op1 [16:14], CRn [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read).
 */
#ifndef HV_SYSREG_H
#define HV_SYSREG_H

#include <hv/types.h>

#define HV_SYSREG(op0, op1, crn, crm, op2)                                                         \
	((uint32_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))

static inline uint32_t hv_sysreg_from_iss(uint64_t iss)
{
	return HV_SYSREG((uint32_t)HV_FIELD(iss, 21, 20), (uint32_t)HV_FIELD(iss, 16, 14),
	                 (uint32_t)HV_FIELD(iss, 13, 10), (uint32_t)HV_FIELD(iss, 4, 1),
	                 (uint32_t)HV_FIELD(iss, 19, 17));
}

/* GICv3 CPU interface, GIC spec (IHI 0069) 12.2. */
#define HV_SYSREG_ICC_PMR_EL1     HV_SYSREG(3, 0, 4, 6, 0)
#define HV_SYSREG_ICC_IAR0_EL1    HV_SYSREG(3, 0, 12, 8, 0)
#define HV_SYSREG_ICC_EOIR0_EL1   HV_SYSREG(3, 0, 12, 8, 1)
#define HV_SYSREG_ICC_HPPIR0_EL1  HV_SYSREG(3, 0, 12, 8, 2)
#define HV_SYSREG_ICC_BPR0_EL1    HV_SYSREG(3, 0, 12, 8, 3)
#define HV_SYSREG_ICC_AP0R_EL1(n) HV_SYSREG(3, 0, 12, 8, 4 + (n))
#define HV_SYSREG_ICC_AP1R_EL1(n) HV_SYSREG(3, 0, 12, 9, (n))
#define HV_SYSREG_ICC_DIR_EL1     HV_SYSREG(3, 0, 12, 11, 1)
#define HV_SYSREG_ICC_RPR_EL1     HV_SYSREG(3, 0, 12, 11, 3)
#define HV_SYSREG_ICC_SGI1R_EL1   HV_SYSREG(3, 0, 12, 11, 5)
#define HV_SYSREG_ICC_ASGI1R_EL1  HV_SYSREG(3, 0, 12, 11, 6)
#define HV_SYSREG_ICC_SGI0R_EL1   HV_SYSREG(3, 0, 12, 11, 7)
#define HV_SYSREG_ICC_IAR1_EL1    HV_SYSREG(3, 0, 12, 12, 0)
#define HV_SYSREG_ICC_EOIR1_EL1   HV_SYSREG(3, 0, 12, 12, 1)
#define HV_SYSREG_ICC_HPPIR1_EL1  HV_SYSREG(3, 0, 12, 12, 2)
#define HV_SYSREG_ICC_BPR1_EL1    HV_SYSREG(3, 0, 12, 12, 3)
#define HV_SYSREG_ICC_CTLR_EL1    HV_SYSREG(3, 0, 12, 12, 4)
#define HV_SYSREG_ICC_SRE_EL1     HV_SYSREG(3, 0, 12, 12, 5)
#define HV_SYSREG_ICC_IGRPEN0_EL1 HV_SYSREG(3, 0, 12, 12, 6)
#define HV_SYSREG_ICC_IGRPEN1_EL1 HV_SYSREG(3, 0, 12, 12, 7)

/* Generic timer, Arm ARM D11.2 / D17.8. */
#define HV_SYSREG_CNTKCTL_EL1   HV_SYSREG(3, 0, 14, 1, 0)
#define HV_SYSREG_CNTFRQ_EL0    HV_SYSREG(3, 3, 14, 0, 0)
#define HV_SYSREG_CNTPCT_EL0    HV_SYSREG(3, 3, 14, 0, 1)
#define HV_SYSREG_CNTVCT_EL0    HV_SYSREG(3, 3, 14, 0, 2)
#define HV_SYSREG_CNTP_TVAL_EL0 HV_SYSREG(3, 3, 14, 2, 0)
#define HV_SYSREG_CNTP_CTL_EL0  HV_SYSREG(3, 3, 14, 2, 1)
#define HV_SYSREG_CNTP_CVAL_EL0 HV_SYSREG(3, 3, 14, 2, 2)
#define HV_SYSREG_CNTV_TVAL_EL0 HV_SYSREG(3, 3, 14, 3, 0)
#define HV_SYSREG_CNTV_CTL_EL0  HV_SYSREG(3, 3, 14, 3, 1)
#define HV_SYSREG_CNTV_CVAL_EL0 HV_SYSREG(3, 3, 14, 3, 2)

#endif /* HV_SYSREG_H */
