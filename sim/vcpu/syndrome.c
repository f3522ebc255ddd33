/* SPDX-License-Identifier: Apache-2.0 */
/* Exit syndromes for the software vCPU; see hvsim/syndrome.h. */
#include <hv/esr.h>
#include <hv/ldst.h>
#include <hvsim/syndrome.h>

#define ESR_EC(ec) ((uint64_t)(ec) << HV_ESR_EC_SHIFT)

/* HPFAR_EL2.FIPA [43:4] = IPA[55:12] (D17.2.48). */
static uint64_t hpfar_of(hv_ipa_t ipa)
{
	return (hv_ipa_addr(ipa) >> 12) << 4;
}

/*
 * Load-acquire / store-release of one register (C4.1.66 "Load/store
 * ordered", "LDAPR/STLR (unscaled)" aside): LDAR, STLR, LDAPR. These give
 * ISV=1 with AR=1.
 */
static bool decode_acq_rel(uint32_t insn, unsigned *size_log2, bool *is_load, unsigned *rt)
{
	/* size 001000 1 L 0 11111 1 11111 Rn Rt: STLR (L=0) / LDAR (L=1). */
	bool ldar_stlr = (insn & 0x3fbffc00u) == 0x089ffc00u;
	/* size 111000 1 0 1 11111 1100 00 Rn Rt: LDAPR (FEAT_LRCPC). */
	bool ldapr = (insn & 0x3ffffc00u) == 0x38bfc000u;
	if (!ldar_stlr && !ldapr)
		return false;
	*size_log2 = (unsigned)HV_FIELD(insn, 31, 30);
	*is_load = ldapr || (insn & HV_BIT(22));
	*rt = (unsigned)(insn & 0x1fu);
	return true;
}

/*
 * LDTR/STTR and their B/H/SB/SH/SW forms (C4.1.66 "Load/store register
 * (unprivileged)": size 111 V=0 00 opc 0 imm9 10 Rn Rt): single registers
 * without writeback, so ISV=1 like LDUR/STUR. opc 0 store, 1 load, 2
 * sign-extending into Xt, 3 into Wt (only for bytes and halfwords).
 */
static uint32_t unprivileged_iss(uint32_t insn)
{
	if ((insn & 0x3f200c00u) != 0x38000800u)
		return 0;
	unsigned size_log2 = (unsigned)HV_FIELD(insn, 31, 30);
	unsigned opc = (unsigned)HV_FIELD(insn, 23, 22);
	if ((opc == 2 && size_log2 == 3) || (opc == 3 && size_log2 >= 2))
		return 0; /* unallocated (PRFM-like) */
	bool sse = opc >= 2;
	bool sf = size_log2 == 3 || opc == 2;
	return (uint32_t)(HV_DABT_ISV | ((uint64_t)size_log2 << HV_DABT_SAS_SHIFT) |
	                  (sse ? HV_DABT_SSE : 0) |
	                  ((uint64_t)(insn & 0x1fu) << HV_DABT_SRT_SHIFT) | (sf ? HV_DABT_SF : 0));
}

/* ISS bits above DFSC for `insn`, or 0 when hardware gives ISV=0. */
static uint32_t valid_iss(uint32_t insn)
{
	unsigned size_log2, rt;
	bool is_load;
	struct hv_ldst ls;

	if (decode_acq_rel(insn, &size_log2, &is_load, &rt))
		return (uint32_t)(HV_DABT_ISV | ((uint64_t)size_log2 << HV_DABT_SAS_SHIFT) |
		                  ((uint64_t)rt << HV_DABT_SRT_SHIFT) |
		                  (size_log2 == 3 ? HV_DABT_SF : 0) | HV_DABT_AR);
	uint32_t iss = unprivileged_iss(insn);
	if (iss)
		return iss;
	if (hv_ldst_decode(insn, &ls) != HV_OK || ls.is_pair || ls.mode != HV_LDST_OFFSET)
		return 0;
	unsigned sas = ls.size == 1 ? 0u : ls.size == 2 ? 1u : ls.size == 4 ? 2u : 3u;
	return (uint32_t)(HV_DABT_ISV | ((uint64_t)sas << HV_DABT_SAS_SHIFT) |
	                  (ls.is_load && ls.sign_extend ? HV_DABT_SSE : 0) |
	                  ((uint64_t)ls.rt << HV_DABT_SRT_SHIFT) |
	                  (ls.width == 64 ? HV_DABT_SF : 0));
}

void sim_synth_dabt(uint32_t insn, uint64_t va, hv_ipa_t ipa, bool is_write, unsigned level,
                    struct hv_exit_syndrome *out)
{
	uint64_t iss = valid_iss(insn) | (HV_FSC_TRANS_L0 + (level & 3u));
	if (is_write)
		iss |= HV_DABT_WNR;
	out->esr_el2 = ESR_EC(HV_EC_DABT_LOW) | HV_ESR_IL | iss;
	out->far_el2 = va;
	out->hpfar_el2 = hpfar_of(ipa);
}

void sim_synth_iabt(uint64_t va, hv_ipa_t ipa, unsigned level, struct hv_exit_syndrome *out)
{
	out->esr_el2 = ESR_EC(HV_EC_IABT_LOW) | HV_ESR_IL | (HV_FSC_TRANS_L0 + (level & 3u));
	out->far_el2 = va;
	out->hpfar_el2 = hpfar_of(ipa);
}

uint64_t sim_esr_hvc(uint16_t imm)
{
	return ESR_EC(HV_EC_HVC64) | HV_ESR_IL | imm;
}

uint64_t sim_esr_smc(uint16_t imm)
{
	return ESR_EC(HV_EC_SMC64) | HV_ESR_IL | imm;
}

uint64_t sim_esr_wfx(bool is_wfe)
{
	/* ISS: CV=1, COND=0b1110 (always) for A64 (D17.2.37 WFx ISS), TI. */
	return ESR_EC(HV_EC_WFX) | HV_ESR_IL | HV_BIT(24) | (UINT64_C(0xe) << 20) |
	       (is_wfe ? HV_WFX_TI_WFE : HV_WFX_TI_WFI);
}

uint64_t sim_esr_sysreg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt, bool is_read)
{
	/* ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
	 * CRm [4:1], Direction [0]. */
	uint64_t iss = ((uint64_t)(op0 & 3u) << 20) | ((uint64_t)(op2 & 7u) << 17) |
	               ((uint64_t)(op1 & 7u) << 14) | ((uint64_t)(crn & 15u) << 10) |
	               ((uint64_t)(rt & 31u) << 5) | ((uint64_t)(crm & 15u) << 1) |
	               (is_read ? HV_SYS64_DIR_READ : 0);
	return ESR_EC(HV_EC_SYS64) | HV_ESR_IL | iss;
}

uint64_t sim_esr_unknown(void)
{
	return ESR_EC(HV_EC_UNKNOWN) | HV_ESR_IL;
}

/* Exception generation (C4.1.64): 11010100 opc imm16 op2 LL. HVC: opc 000,
 * LL 10; SMC: opc 000, LL 11. */
bool sim_insn_is_hvc(uint32_t insn, uint16_t *imm)
{
	if ((insn & 0xffe0001fu) != 0xd4000002u)
		return false;
	*imm = (uint16_t)HV_FIELD(insn, 20, 5);
	return true;
}

bool sim_insn_is_smc(uint32_t insn, uint16_t *imm)
{
	if ((insn & 0xffe0001fu) != 0xd4000003u)
		return false;
	*imm = (uint16_t)HV_FIELD(insn, 20, 5);
	return true;
}

/* Hints (C6.2): WFI 0xd503207f, WFE 0xd503205f. */
bool sim_insn_is_wfi(uint32_t insn)
{
	return insn == 0xd503207fu;
}

bool sim_insn_is_wfe(uint32_t insn)
{
	return insn == 0xd503205fu;
}
