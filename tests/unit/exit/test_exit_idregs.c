/* SPDX-License-Identifier: Apache-2.0 */
/* ID registers trapped with HCR_EL2.TID3: what a guest sees of the CPU. */
#include <criterion/criterion.h>
#include <hv/idregs.h>
#include <hv/sysreg.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;
static uint64_t hw[HV_IDREG_NR];

/* Values read from QEMU 7.2 -cpu max,pauth-impdef=on at EL2. */
#define HW_PFR0  UINT64_C(0x1101000101112222) /* SVE 1, RAS 1, GIC 1, EL0..EL3 AArch32+64 */
#define HW_PFR1  UINT64_C(0x0000000001000221) /* SME 1, MTE 2, SSBS 2, BT 1 */
#define HW_DFR0  UINT64_C(0x00000001f0305619) /* PMSVer 1, PMUVer 6, TraceVer 1 */
#define HW_ISAR1 UINT64_C(0x1001211110212111) /* LS64 1, API 1 (IMPDEF) */
#define HW_MMFR0 UINT64_C(0x1000000000f00006) /* ECV 1, PARange 6 (52 bits) */
#define HW_MMFR1 UINT64_C(0x0010000010211122) /* VH 1, LO 1 */
#define HW_ZFR0  UINT64_C(0x0110110100110021)

static void setup(void)
{
	fx_init(&fx);
	v = &fx.vcpus[0];
	memset(hw, 0, sizeof(hw));
	hw[HV_IDREG_INDEX(4, 0)] = HW_PFR0;
	hw[HV_IDREG_INDEX(4, 1)] = HW_PFR1;
	hw[HV_IDREG_INDEX(4, 4)] = HW_ZFR0;
	hw[HV_IDREG_INDEX(5, 0)] = HW_DFR0;
	hw[HV_IDREG_INDEX(6, 1)] = HW_ISAR1;
	hw[HV_IDREG_INDEX(7, 0)] = HW_MMFR0;
	hw[HV_IDREG_INDEX(7, 1)] = HW_MMFR1;
	hw[HV_IDREG_INDEX(1, 0)] = 0x131;  /* ID_PFR0_EL1: AArch32, passed through */
	hw[HV_IDREG_INDEX(6, 0)] = 0x1234; /* ID_AA64ISAR0_EL1 */
	for (unsigned i = 0; i < HV_IDREG_NR; i++)
		if (!hw[i])
			hw[i] = UINT64_C(0xdead0000) | i; /* unknown registers must not leak */
	hw[HV_IDREG_INDEX(1, 0)] = 0x131;
}
TestSuite(idregs, .init = setup);

static uint64_t guest_read(unsigned crm, unsigned op2)
{
	v->ctx.regs.x[7] = 0x5555;
	uint64_t pc = v->ctx.regs.pc;
	fx_trap(v, fx_sys_esr(3, 0, 0, crm, op2, 7, true));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, pc + 4, "MRS retired");
	return v->ctx.regs.x[7];
}

Test(idregs, hides_state_the_hypervisor_does_not_switch)
{
	hv_idregs_init(&fx.vm.idregs, hw, 40);
	uint64_t pfr0 = guest_read(4, 0);
	cr_assert_eq(HV_FIELD(pfr0, 35, 32), 0, "SVE hidden");
	cr_assert_eq(HV_FIELD(pfr0, 31, 28), 0, "RAS hidden");
	cr_assert_eq(HV_FIELD(pfr0, 11, 8), 0, "no EL2 for the guest");
	cr_assert_eq(HV_FIELD(pfr0, 15, 12), 0, "no EL3 for the guest");
	cr_assert_eq(HV_FIELD(pfr0, 3, 0), 1, "EL0 AArch64 only");
	cr_assert_eq(HV_FIELD(pfr0, 7, 4), 1, "EL1 AArch64 only");
	cr_assert_eq(HV_FIELD(pfr0, 27, 24), 1, "GIC system registers kept");
	cr_assert_eq(HV_FIELD(pfr0, 23, 16), 0x11, "FP and AdvSIMD kept");
	uint64_t pfr1 = guest_read(4, 1);
	cr_assert_eq(pfr1, 0x21, "only BT and SSBS remain (no SME, no MTE)");
	cr_assert_eq(guest_read(4, 4), 0, "ID_AA64ZFR0_EL1 reads 0");
	uint64_t dfr0 = guest_read(5, 0);
	cr_assert_eq(HV_FIELD(dfr0, 11, 8), 0, "no PMU");
	cr_assert_eq(HV_FIELD(dfr0, 35, 32), 0, "no SPE");
	cr_assert_eq(HV_FIELD(dfr0, 7, 4), 0, "no trace");
	cr_assert_eq(HV_FIELD(dfr0, 3, 0), 9, "DebugVer kept");
	cr_assert_eq(HV_FIELD(dfr0, 15, 12), 5, "BRPs kept: core keeps and a runtime loads them");
	cr_assert_eq(HV_FIELD(dfr0, 23, 20), 3, "WRPs kept");
	cr_assert_eq(HV_FIELD(dfr0, 39, 36), 0xf, "no OS double lock (OSDLR_EL1 RAZ/WI)");
	cr_assert_eq(HV_FIELD(guest_read(6, 1), 63, 60), 0, "no LS64 (ACCDATA_EL1)");
	cr_assert_eq(HV_FIELD(guest_read(6, 1), 11, 4), 0x11, "pointer authentication kept");
	uint64_t mmfr1 = guest_read(7, 1);
	cr_assert_eq(HV_FIELD(mmfr1, 11, 8), 0, "no VHE");
	cr_assert_eq(HV_FIELD(mmfr1, 19, 16), 0, "no LORegions");
	cr_assert_eq(HV_FIELD(mmfr1, 3, 0), 2, "HAFDBS kept");
}

Test(idregs, parange_capped_at_the_ipa_size)
{
	hv_idregs_init(&fx.vm.idregs, hw, 40);
	uint64_t mmfr0 = guest_read(7, 0);
	cr_assert_eq(mmfr0 & 0xf, 2, "40-bit IPA: PARange 2");
	cr_assert_eq(HV_FIELD(mmfr0, 63, 56), 0, "no ECV, no FGT");
	cr_assert_eq(HV_FIELD(mmfr0, 31, 20), 0x00f, "granule support kept");
	hv_idregs_init(&fx.vm.idregs, hw, 48);
	cr_assert_eq(guest_read(7, 0) & 0xf, 5);
	hw[HV_IDREG_INDEX(7, 0)] = (HW_MMFR0 & ~UINT64_C(0xf)) | 1; /* a 36-bit CPU */
	hv_idregs_init(&fx.vm.idregs, hw, 40);
	cr_assert_eq(guest_read(7, 0) & 0xf, 1, "never more than the CPU has");
}

Test(idregs, passes_instruction_sets_and_aarch32_registers)
{
	hv_idregs_init(&fx.vm.idregs, hw, 40);
	cr_assert_eq(guest_read(6, 0), 0x1234);
	cr_assert_eq(guest_read(1, 0), 0x131);
}

Test(idregs, unknown_registers_read_zero)
{
	hv_idregs_init(&fx.vm.idregs, hw, 40);
	static const unsigned unknown[][2] = {{4, 2}, {4, 5}, {4, 7}, {5, 1}, {5, 4},
	                                      {5, 5}, {6, 3}, {7, 3}, {7, 4}, {7, 7}};
	for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		cr_assert_eq(guest_read(unknown[i][0], unknown[i][1]), 0, "CRm %u op2 %u",
		             unknown[i][0], unknown[i][1]);
}

Test(idregs, writes_and_uninitialised_table_are_undef)
{
	/* No table from the runtime: UNDEF, nothing else changes. */
	v->ctx.regs.x[7] = 0x5555;
	fx_trap(v, fx_sys_esr(3, 0, 0, 4, 0, 7, true));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(v->ctx.regs.x[7], 0x5555);
	/* ID registers are read-only. */
	hv_idregs_init(&fx.vm.idregs, hw, 40);
	v->ctx.regs.pc = FX_PC;
	v->ctx.regs.pstate = HV_PSTATE_EL1H;
	fx_trap(v, fx_sys_esr(3, 0, 0, 7, 0, 7, false));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(fx.vm.idregs.value[HV_IDREG_INDEX(7, 0)] & 0xf, 2, "table unchanged");
	/* The accessor refuses encodings outside the ID space. */
	uint64_t val = 1;
	cr_assert_eq(hv_idregs_access(&fx.vm.idregs, HV_SYSREG(3, 0, 1, 0, 0), false, &val),
	             HV_ERR_NOT_SUPPORTED);
	cr_assert_eq(hv_idregs_access(&fx.vm.idregs, HV_SYSREG(3, 0, 0, 0, 5), false, &val),
	             HV_ERR_NOT_SUPPORTED, "CRm 0 (MPIDR space) is not served here");
	cr_assert_eq(hv_idregs_access(NULL, HV_SYSREG(3, 0, 0, 4, 0), false, &val),
	             HV_ERR_NOT_SUPPORTED);
	cr_assert_eq(val, 1);
}
