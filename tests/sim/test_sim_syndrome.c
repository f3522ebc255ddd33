/* SPDX-License-Identifier: Apache-2.0 */
/* Synthesized exit syndromes against values real hardware (QEMU 7.2 at
 * EL2, shared/reference/platform-facts.md) reported, and the ISV rules of
 * Arm ARM D17.2.37. */
#include <criterion/criterion.h>
#include <hv/esr.h>
#include <hv/sysreg.h>
#include <hvsim/syndrome.h>

static struct hv_exit_syndrome dabt(uint32_t insn, uint64_t addr, bool is_write, unsigned level)
{
	struct hv_exit_syndrome s;
	sim_synth_dabt(insn, addr, hv_ipa(addr), is_write, level, &s);
	return s;
}

Test(sim_syndrome, matches_qemu_isv1_values)
{
	/* str w1, [x0] -> 0x93810045 (SAS=2, SRT=1, WnR, DFSC level 1). */
	cr_assert_eq(dabt(0xb9000001u, 0x09000000, true, 1).esr_el2, 0x93810045u);
	/* strb w1, [x0] -> 0x93010045. */
	cr_assert_eq(dabt(0x39000001u, 0x09000000, true, 1).esr_el2, 0x93010045u);
	/* ldr w3, [x2, #8] -> 0x93830005. */
	cr_assert_eq(dabt(0xb9400843u, 0x09000008, false, 1).esr_el2, 0x93830005u);
}

Test(sim_syndrome, far_and_hpfar)
{
	struct hv_exit_syndrome s = dabt(0xb9000001u, 0x0a000abcu, true, 3);
	cr_assert_eq(s.far_el2, 0x0a000abcu);
	cr_assert_eq(s.hpfar_el2, (0x0a000abcu >> 12) << 4);
	cr_assert_eq(hv_ipa_addr(hv_fault_ipa(s.hpfar_el2, s.far_el2)), 0x0a000abcu);
}

Test(sim_syndrome, isv1_fields)
{
	/* ldrsh x5, [x1] : SAS=1, SSE, SF, SRT=5. */
	uint64_t e = dabt(0x79800025u, 0x9000000, false, 3).esr_el2;
	cr_assert(e & HV_DABT_ISV);
	cr_assert_eq(HV_FIELD(e, 23, 22), 1);
	cr_assert(e & HV_DABT_SSE);
	cr_assert(e & HV_DABT_SF);
	cr_assert_eq(HV_FIELD(e, 20, 16), 5);
	cr_assert_not(e & HV_DABT_WNR);
	cr_assert_eq(e & HV_DABT_DFSC_MASK, 0x07);
	/* ldr x7, [x1, x2] (register offset): SAS=3, SF, no SSE. */
	e = dabt(0xf8626827u, 0x9000000, false, 3).esr_el2;
	cr_assert(e & HV_DABT_ISV);
	cr_assert_eq(HV_FIELD(e, 23, 22), 3);
	cr_assert(e & HV_DABT_SF);
	cr_assert_not(e & HV_DABT_SSE);
	/* stlr w2, [x1]: ISV with AR. ldar x3, [x1]: AR, SF. */
	e = dabt(0x889ffc22u, 0x9000000, true, 3).esr_el2;
	cr_assert(e & HV_DABT_ISV);
	cr_assert(e & HV_DABT_AR);
	cr_assert_eq(HV_FIELD(e, 20, 16), 2);
	e = dabt(0xc8dffc23u, 0x9000000, false, 3).esr_el2;
	cr_assert(e & HV_DABT_AR);
	cr_assert(e & HV_DABT_SF);
	cr_assert_eq(HV_FIELD(e, 20, 16), 3);
}

Test(sim_syndrome, isv0_forms)
{
	/* ldp x1, x2, [x0] ; stp w1, w2, [x0, #8]! ; ldr x1, [x0], #8 ;
	 * str w1, [x0, #4]! ; ldxr x1, [x0] ; ldr q0, [x0]. */
	const uint32_t insns[] = {0xa9400801u, 0x29810801u, 0xf8408401u,
	                          0xb8004c01u, 0xc85f7c01u, 0x3dc00000u};
	for (size_t i = 0; i < sizeof(insns) / sizeof(insns[0]); i++) {
		bool w = i == 1 || i == 3;
		uint64_t e = dabt(insns[i], 0x9000000, w, 3).esr_el2;
		cr_assert_not(e & HV_DABT_ISV, "insn %zu 0x%08x", i, insns[i]);
		cr_assert_eq(HV_FIELD(e, 24, 14), 0, "insn %zu", i);
		cr_assert_eq(!!(e & HV_DABT_WNR), w, "insn %zu", i);
		cr_assert_eq(hv_esr_ec(e), HV_EC_DABT_LOW);
		cr_assert(e & HV_ESR_IL);
	}
}

Test(sim_syndrome, calls_and_hints)
{
	uint16_t imm = 0;
	cr_assert(sim_insn_is_hvc(0xd4000002u, &imm)); /* hvc #0 */
	cr_assert_eq(imm, 0);
	cr_assert(sim_insn_is_hvc(0xd40000a2u, &imm)); /* hvc #5 */
	cr_assert_eq(imm, 5);
	cr_assert_not(sim_insn_is_hvc(0xd40000a3u, &imm));
	cr_assert(sim_insn_is_smc(0xd40000e3u, &imm)); /* smc #7 */
	cr_assert_eq(imm, 7);
	cr_assert_not(sim_insn_is_smc(0xd4000001u, &imm)); /* svc #0 */
	cr_assert_eq(sim_esr_hvc(0), 0x5a000000u);         /* QEMU: hvc #0 -> 0x5a000000 */
	cr_assert_eq(hv_esr_ec(sim_esr_smc(0)), HV_EC_SMC64);
	cr_assert(sim_insn_is_wfi(0xd503207fu));
	cr_assert(sim_insn_is_wfe(0xd503205fu));
	cr_assert_not(sim_insn_is_wfi(0xd503201fu)); /* nop */
	cr_assert_eq(hv_esr_iss(sim_esr_wfx(false)) & HV_WFX_TI_MASK, HV_WFX_TI_WFI);
	cr_assert_eq(hv_esr_iss(sim_esr_wfx(true)) & HV_WFX_TI_MASK, HV_WFX_TI_WFE);
	cr_assert_eq(hv_esr_ec(sim_esr_unknown()), HV_EC_UNKNOWN);
}

Test(sim_syndrome, sysreg_iss_round_trips)
{
	/* mrs x4, ICC_IAR1_EL1 (3,0,12,12,0). */
	uint64_t e = sim_esr_sysreg(3, 0, 12, 12, 0, 4, true);
	cr_assert_eq(hv_esr_ec(e), HV_EC_SYS64);
	cr_assert_eq(hv_sysreg_from_iss(hv_esr_iss(e)), HV_SYSREG_ICC_IAR1_EL1);
	cr_assert_eq(hv_sys64_rt(hv_esr_iss(e)), 4);
	cr_assert(hv_esr_iss(e) & HV_SYS64_DIR_READ);
	e = sim_esr_sysreg(3, 0, 12, 11, 5, 30, false);
	cr_assert_eq(hv_sysreg_from_iss(hv_esr_iss(e)), HV_SYSREG_ICC_SGI1R_EL1);
	cr_assert_not(hv_esr_iss(e) & HV_SYS64_DIR_READ);
}

Test(sim_syndrome, iabt)
{
	struct hv_exit_syndrome s;
	sim_synth_iabt(0x40001000u, hv_ipa(0x40001000u), 2, &s);
	cr_assert_eq(hv_esr_ec(s.esr_el2), HV_EC_IABT_LOW);
	cr_assert_eq(s.esr_el2 & HV_IABT_IFSC_MASK, 0x06);
	cr_assert_eq(s.far_el2, 0x40001000u);
}
