/* SPDX-License-Identifier: Apache-2.0 */
/* WFI/WFE and trapped system registers. */
#include <criterion/criterion.h>
#include <hv/sysreg.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;

static void setup(void)
{
	fx_init(&fx);
	v = &fx.vcpus[0];
}
TestSuite(wfx_sysreg, .init = setup);

Test(wfx_sysreg, wfi_idles_and_advances_pc)
{
	fx_trap(v, fx_esr(HV_EC_WFX, HV_WFX_TI_WFI));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_IDLE);
	cr_assert_not(v->exit_state.relax_hint);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_IDLE);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_IDLE);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->exit_state.stats[HV_STAT_WFI], 1);
	fx_trap(v, fx_esr(HV_EC_WFX, HV_WFX_TI_WFIT | (3u << 5)));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_IDLE);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 8);
}

Test(wfx_sysreg, wfe_yields)
{
	fx_trap(v, fx_esr(HV_EC_WFX, HV_WFX_TI_WFE));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert(v->exit_state.relax_hint, "it waits for another CPU: the runtime yields");
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	fx_trap(v, fx_esr(HV_EC_WFX, HV_WFX_TI_WFET));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.stats[HV_STAT_WFE], 2);
	/* A 16-bit T32 WFI (IL = 0) advances by 2. */
	fx_trap(v, ((uint64_t)HV_EC_WFX << 26) | HV_WFX_TI_WFE);
	hv_vcpu_handle_exit(v);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 10);
}

Test(wfx_sysreg, raz_wi_registers)
{
	/* mrs x3, actlr_el1 (HCR_EL2.TACR) */
	v->ctx.regs.x[3] = 0x1234;
	fx_trap(v, fx_sys_esr(3, 0, 1, 0, 1, 3, true));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[3], 0);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	/* msr pmcr_el0, x4; mrs x5, pmccntr_el0; msr osdlr_el1, x1; mrs x6, dbgprcr_el1
	 * (the debug registers proper: test_exit_debug.c) */
	v->ctx.regs.x[5] = 9;
	fx_trap(v, fx_sys_esr(3, 3, 9, 12, 0, 4, false));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	fx_trap(v, fx_sys_esr(3, 3, 9, 13, 0, 5, true));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[5], 0);
	fx_trap(v, fx_sys_esr(2, 0, 1, 3, 4, 1, false));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	v->ctx.regs.x[6] = 7;
	fx_trap(v, fx_sys_esr(2, 0, 1, 4, 4, 6, true));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[6], 0);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 20);
	cr_assert_eq(v->exit_state.stats[HV_STAT_INJECTED], 0);
	cr_assert_eq(v->exit_state.stats[HV_STAT_SYSREG], 5);
}

Test(wfx_sysreg, set_way_ops_ignored_but_not_readable)
{
	fx_trap(v, fx_sys_esr(1, 0, 7, 14, 2, 0, false)); /* dc cisw, x0 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_RESUMED);
	fx_trap(v, fx_sys_esr(1, 0, 7, 14, 2, 0, true)); /* sysl: no such read */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
}

Test(wfx_sysreg, read_only_register_write_is_undef)
{
	fx_trap(v, fx_sys_esr(3, 0, 10, 4, 7, 2, false)); /* msr lorid_el1, x2 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(v->ctx.el1.esr_el1, HV_ESR_UNDEF);
}

Test(wfx_sysreg, unknown_registers_are_undef)
{
	/* ID_AA64PFR0_EL1, SCTLR_EL1 and an IMPLEMENTATION DEFINED S3_7_C15_C2_0 */
	static const uint8_t regs[][5] = {{3, 0, 0, 4, 0}, {3, 0, 1, 0, 0}, {3, 7, 15, 2, 0}};
	for (size_t i = 0; i < HV_ARRAY_SIZE(regs); i++) {
		fx_init(&fx);
		v->ctx.regs.x[2] = 0x77;
		fx_trap(v, fx_sys_esr(regs[i][0], regs[i][1], regs[i][2], regs[i][3], regs[i][4], 2,
		                      true));
		cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
		cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
		cr_assert_eq(v->ctx.regs.x[2], 0x77);
		cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);
	}
}

Test(wfx_sysreg, xzr_target_discards_read)
{
	uint64_t before[31];
	memcpy(before, v->ctx.regs.x, sizeof(before));
	fx_trap(v, fx_sys_esr(3, 0, 1, 0, 1, 31, true)); /* mrs xzr, actlr_el1 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(memcmp(before, v->ctx.regs.x, sizeof(before)), 0);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
}
