/* SPDX-License-Identifier: Apache-2.0 */
#include <criterion/criterion.h>
#include <hv/esr.h>
#include <hv/sysreg.h>

Test(exit_esr, qemu_syndromes_decode)
{
	/* str w1, [x0] to unmapped 0x09000000 on QEMU 7.2 */
	uint64_t esr = 0x93810045;
	cr_assert_eq(hv_esr_ec(esr), HV_EC_DABT_LOW);
	cr_assert_eq(hv_esr_insn_len(esr), 4);
	uint32_t iss = hv_esr_iss(esr);
	cr_assert(iss & HV_DABT_ISV);
	cr_assert_eq(HV_FIELD(iss, 23, 22), 2); /* SAS: word */
	cr_assert_eq(HV_FIELD(iss, 20, 16), 1); /* SRT */
	cr_assert(iss & HV_DABT_WNR);
	cr_assert(hv_fsc_is_translation(iss & HV_DABT_DFSC_MASK));
	/* ldr w3, [x2, #8] */
	iss = hv_esr_iss(0x93830005);
	cr_assert_not(iss & HV_DABT_WNR);
	cr_assert_eq(HV_FIELD(iss, 20, 16), 3);
	/* strb */
	cr_assert_eq(HV_FIELD(hv_esr_iss(0x93010045), 23, 22), 0);
	/* hvc #0 */
	cr_assert_eq(hv_esr_ec(0x5a000000), HV_EC_HVC64);
	cr_assert_eq(hv_hvc_imm(hv_esr_iss(0x5a000000)), 0);
	cr_assert_eq(hv_esr_insn_len(0x58000000), 2);
}

Test(exit_esr, fault_ipa_from_hpfar_and_far)
{
	/* IPA = (HPFAR >> 4) << 12 | FAR[11:0] */
	cr_assert_eq(hv_ipa_addr(hv_fault_ipa(0x90000, 0xffff000009000018)), 0x09000018);
	cr_assert_eq(hv_ipa_addr(hv_fault_ipa(0x0000fffffffffff0ull, 0xfff)),
	             0x00ffffffffffffffull);
	/* bits [3:0] and [63:48] of HPFAR are not address bits */
	cr_assert_eq(hv_ipa_addr(hv_fault_ipa(0x800000000009000full, 0x4)), 0x09000004);
}

Test(exit_esr, fault_status_classes)
{
	for (unsigned l = 0; l < 4; l++) {
		cr_assert(hv_fsc_is_translation(0x04 + l));
		cr_assert(hv_fsc_is_access_flag(0x08 + l));
		cr_assert(hv_fsc_is_permission(0x0c + l));
		cr_assert_not(hv_fsc_is_translation(0x08 + l));
	}
	cr_assert_not(hv_fsc_is_translation(0x10));
	cr_assert_not(hv_fsc_is_permission(0x2c));
}

Test(exit_esr, sysreg_iss_round_trip)
{
	/* msr icc_sgi1r_el1, x5: op0 3 op1 0 CRn 12 CRm 11 op2 5, write */
	uint32_t iss = (3u << 20) | (5u << 17) | (0u << 14) | (12u << 10) | (5u << 5) | (11u << 1);
	cr_assert_eq(hv_sysreg_from_iss(iss), HV_SYSREG_ICC_SGI1R_EL1);
	cr_assert_eq(hv_sys64_rt(iss), 5);
	cr_assert_not(iss & HV_SYS64_DIR_READ);
}
