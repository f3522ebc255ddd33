/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ESR_EL2 / ESR_EL1 encodings: exception classes and the ISS fields the exit
 * path decodes. Arm ARM (DDI 0487) D17.2.37 "ESR_EL2, Exception Syndrome
 * Register (EL2)" and D17.2.40/D17.2.48 for FAR_EL2/HPFAR_EL2.
 */
#ifndef HV_ESR_H
#define HV_ESR_H

#include <hv/types.h>

/* ESR fields: EC [31:26], IL [25], ISS [24:0]. */
#define HV_ESR_EC_SHIFT 26
#define HV_ESR_IL       HV_BIT(25)
#define HV_ESR_ISS_MASK HV_GENMASK(24, 0)

static inline unsigned hv_esr_ec(uint64_t esr)
{
	return (unsigned)HV_FIELD(esr, 31, 26);
}
static inline uint32_t hv_esr_iss(uint64_t esr)
{
	return (uint32_t)(esr & HV_ESR_ISS_MASK);
}
/* Length of the trapped instruction: 4 if IL is set, else 2 (T32 16-bit). */
static inline unsigned hv_esr_insn_len(uint64_t esr)
{
	return (esr & HV_ESR_IL) ? 4u : 2u;
}

/* Exception classes (ESR_ELx.EC), Arm ARM D17.2.37 table "EC encoding". */
#define HV_EC_UNKNOWN     0x00u
#define HV_EC_WFX         0x01u
#define HV_EC_CP15_32     0x03u
#define HV_EC_CP15_64     0x04u
#define HV_EC_CP14_MR     0x05u
#define HV_EC_CP14_LS     0x06u
#define HV_EC_FP_ASIMD    0x07u
#define HV_EC_CP10_ID     0x08u
#define HV_EC_PAC         0x09u
#define HV_EC_LS64        0x0au
#define HV_EC_CP14_64     0x0cu
#define HV_EC_BTI         0x0du
#define HV_EC_ILL         0x0eu
#define HV_EC_SVC32       0x11u
#define HV_EC_HVC32       0x12u
#define HV_EC_SMC32       0x13u
#define HV_EC_SVC64       0x15u
#define HV_EC_HVC64       0x16u
#define HV_EC_SMC64       0x17u
#define HV_EC_SYS64       0x18u
#define HV_EC_SVE         0x19u
#define HV_EC_ERET        0x1au
#define HV_EC_FPAC        0x1cu
#define HV_EC_SME         0x1du
#define HV_EC_IMP_DEF     0x1fu
#define HV_EC_IABT_LOW    0x20u
#define HV_EC_IABT_CUR    0x21u
#define HV_EC_PC_ALIGN    0x22u
#define HV_EC_DABT_LOW    0x24u
#define HV_EC_DABT_CUR    0x25u
#define HV_EC_SP_ALIGN    0x26u
#define HV_EC_MOPS        0x27u
#define HV_EC_FP_EXC32    0x28u
#define HV_EC_FP_EXC64    0x2cu
#define HV_EC_SERROR      0x2fu
#define HV_EC_BREAKPT_LOW 0x30u
#define HV_EC_BREAKPT_CUR 0x31u
#define HV_EC_SOFTSTP_LOW 0x32u
#define HV_EC_SOFTSTP_CUR 0x33u
#define HV_EC_WATCHPT_LOW 0x34u
#define HV_EC_WATCHPT_CUR 0x35u
#define HV_EC_BKPT32      0x38u
#define HV_EC_VECTOR32    0x3au
#define HV_EC_BRK64       0x3cu
#define HV_EC_MAX         0x3fu

/* ISS for a data abort (EC 0x24/0x25), Arm ARM D17.2.37 "ISS encoding for an
 * exception from a Data Abort". */
#define HV_DABT_ISV       HV_BIT(24)
#define HV_DABT_SAS_SHIFT 22 /* [23:22] access size log2 */
#define HV_DABT_SSE       HV_BIT(21)
#define HV_DABT_SRT_SHIFT 16 /* [20:16] register */
#define HV_DABT_SF        HV_BIT(15)
#define HV_DABT_AR        HV_BIT(14)
#define HV_DABT_VNCR      HV_BIT(13)
#define HV_DABT_FNV       HV_BIT(10) /* FAR not valid */
#define HV_DABT_EA        HV_BIT(9)
#define HV_DABT_CM        HV_BIT(8) /* cache maintenance / address translation */
#define HV_DABT_S1PTW     HV_BIT(7) /* stage-2 fault on a stage-1 table walk */
#define HV_DABT_WNR       HV_BIT(6)
#define HV_DABT_DFSC_MASK 0x3fu

/* Instruction abort ISS (EC 0x20/0x21): FnV [10], EA [9], S1PTW [7], IFSC [5:0]. */
#define HV_IABT_FNV       HV_BIT(10)
#define HV_IABT_S1PTW     HV_BIT(7)
#define HV_IABT_IFSC_MASK 0x3fu

/* Fault status codes (DFSC/IFSC), Arm ARM D17.2.37. */
#define HV_FSC_ADDR_SIZE_L0 0x00u /* 0x00..0x03 address size fault, level 0..3 */
#define HV_FSC_TRANS_L0     0x04u /* 0x04..0x07 translation fault, level 0..3 */
#define HV_FSC_ACCESS_L0    0x08u /* 0x08..0x0b access flag fault, level 0..3 */
#define HV_FSC_PERM_L0      0x0cu /* 0x0c..0x0f permission fault, level 0..3 */
#define HV_FSC_SEA          0x10u /* synchronous external abort, not on a walk */
#define HV_FSC_ALIGN        0x21u
#define HV_FSC_TLB_CONFLICT 0x30u

static inline bool hv_fsc_is_translation(unsigned fsc)
{
	return (fsc & 0x3cu) == HV_FSC_TRANS_L0;
}
static inline bool hv_fsc_is_access_flag(unsigned fsc)
{
	return (fsc & 0x3cu) == HV_FSC_ACCESS_L0;
}
static inline bool hv_fsc_is_permission(unsigned fsc)
{
	return (fsc & 0x3cu) == HV_FSC_PERM_L0;
}

/* WFx ISS (EC 0x01): TI [1:0] 0 WFI, 1 WFE, 2 WFIT, 3 WFET. */
#define HV_WFX_TI_MASK 0x3u
#define HV_WFX_TI_WFI  0u
#define HV_WFX_TI_WFE  1u
#define HV_WFX_TI_WFIT 2u
#define HV_WFX_TI_WFET 3u

/* Trapped MSR/MRS/SYS (EC 0x18): Rt [9:5], Direction [0] (1 = read, MRS);
 * the register identifier is hv_sysreg_from_iss() (hv/sysreg.h). */
#define HV_SYS64_DIR_READ HV_BIT(0)
static inline unsigned hv_sys64_rt(uint32_t iss)
{
	return (unsigned)HV_FIELD(iss, 9, 5);
}

/* HVC/SMC ISS (EC 0x16/0x17): imm16 [15:0]. */
static inline uint16_t hv_hvc_imm(uint32_t iss)
{
	return (uint16_t)(iss & 0xffffu);
}

/*
 * IPA of a stage-2 fault: HPFAR_EL2.FIPA [43:4] holds IPA[55:12] (Arm ARM
 * D17.2.48); the page offset comes from FAR_EL2[11:0].
 */
static inline hv_ipa_t hv_fault_ipa(uint64_t hpfar, uint64_t far)
{
	return hv_ipa(((hpfar & HV_GENMASK(47, 4)) << 8) | (far & 0xfffu));
}

#endif /* HV_ESR_H */
