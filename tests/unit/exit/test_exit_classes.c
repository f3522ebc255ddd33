/* SPDX-License-Identifier: Apache-2.0 */
/* Every exception class: the dispatcher resumes, injects, idles or exits,
 * and never leaves the register file inconsistent. */
#include <criterion/criterion.h>
#include <hv/smccc.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;

static void setup(void)
{
	fx_init(&fx);
	v = &fx.vcpus[0];
}
TestSuite(exit_classes, .init = setup);

Test(exit_classes, unsupported_classes_are_undef)
{
	static const unsigned ecs[] = {
	    HV_EC_UNKNOWN,  HV_EC_CP15_32,  HV_EC_CP15_64,  HV_EC_CP14_MR,     HV_EC_CP14_LS,
	    HV_EC_FP_ASIMD, HV_EC_CP10_ID,  HV_EC_PAC,      HV_EC_CP14_64,     HV_EC_BTI,
	    HV_EC_ILL,      HV_EC_SVC32,    HV_EC_HVC32,    HV_EC_SMC32,       HV_EC_SVC64,
	    HV_EC_SVE,      HV_EC_ERET,     HV_EC_FPAC,     HV_EC_SME,         HV_EC_IABT_CUR,
	    HV_EC_DABT_CUR, HV_EC_FP_EXC32, HV_EC_FP_EXC64, HV_EC_BREAKPT_CUR, 0x3f,
	    0x2d,
	};
	for (size_t i = 0; i < HV_ARRAY_SIZE(ecs); i++) {
		fx_init(&fx);
		fx_trap(v, fx_esr(ecs[i], 0x1234));
		cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME, "ec %#x", ecs[i]);
		cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED, "ec %#x", ecs[i]);
		cr_assert_eq(v->ctx.el1.esr_el1, HV_ESR_UNDEF, "ec %#x", ecs[i]);
		cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);
		cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x200);
	}
}

Test(exit_classes, brk_reflected_unchanged)
{
	fx_trap(v, fx_esr(HV_EC_BRK64, 0x3e8)); /* brk #1000 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1, fx_esr(HV_EC_BRK64, 0x3e8));
	cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);
}

Test(exit_classes, debug_from_el1_becomes_current_el_class)
{
	fx_trap(v, fx_esr(HV_EC_WATCHPT_LOW, 0x22));
	v->ctx.exit.far_el2 = 0xdead0;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1 >> 26, HV_EC_WATCHPT_CUR);
	cr_assert_eq(v->ctx.el1.far_el1, 0xdead0);
	fx_init(&fx);
	v->ctx.regs.pstate = HV_PSTATE_EL0T;
	fx_trap(v, fx_esr(HV_EC_SOFTSTP_LOW, 0x22));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1 >> 26, HV_EC_SOFTSTP_LOW);
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x400);
}

Test(exit_classes, serror_becomes_virtual_serror)
{
	fx_trap(v, fx_esr(HV_EC_SERROR, 0x000011));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert(v->exit_state.vserror_pending);
	cr_assert_eq(v->ctx.regs.pc, FX_PC);
}

Test(exit_classes, instruction_abort_in_hole_injects_pabt)
{
	fx_abort(v, fx_esr(HV_EC_IABT_LOW, 0x06), 0x40000000, FX_PC);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x86000010ull);
	cr_assert_eq(v->ctx.el1.far_el1, FX_PC);
}

Test(exit_classes, hvc_nonzero_immediate_not_supported)
{
	v->ctx.regs.x[0] = HV_SMCCC_VERSION;
	v->ctx.regs.x[1] = 11;
	fx_trap(v, fx_esr(HV_EC_HVC64, 0x1));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0], (uint64_t)-1);
	cr_assert_eq(v->ctx.regs.x[1], 11);
	cr_assert_eq(v->ctx.regs.pc, FX_PC);
}

Test(exit_classes, smc_advances_pc_hvc_does_not)
{
	v->ctx.regs.x[0] = HV_SMCCC_VERSION;
	fx_trap(v, 0x5e000000); /* smc #0 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->ctx.regs.x[0], HV_SMCCC_VERSION_1_1);
	v->ctx.regs.x[0] = HV_SMCCC_VERSION;
	fx_trap(v, 0x5a000000); /* hvc #0: ELR is already past it */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->ctx.regs.x[0], HV_SMCCC_VERSION_1_1);
}

Test(exit_classes, alignment_faults_and_bkpt_reflected)
{
	fx_trap(v, fx_esr(HV_EC_PC_ALIGN, 0));
	v->ctx.exit.far_el2 = FX_PC + 2;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1, fx_esr(HV_EC_PC_ALIGN, 0));
	cr_assert_eq(v->ctx.el1.far_el1, FX_PC + 2);
	fx_init(&fx);
	v->ctx.el1.far_el1 = 0x77;
	fx_trap(v, fx_esr(HV_EC_SP_ALIGN, 0));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1 >> 26, HV_EC_SP_ALIGN);
	cr_assert_eq(v->ctx.el1.far_el1, 0x77);
	fx_init(&fx);
	v->ctx.regs.pstate = HV_PSTATE_NRW | 0x10; /* AArch32 User */
	fx_trap(v, fx_esr(HV_EC_BKPT32, 5));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1, fx_esr(HV_EC_BKPT32, 5));
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x600);
}

Test(exit_classes, instruction_abort_external_injects_pabt)
{
	fx_abort(v, fx_esr(HV_EC_IABT_LOW, 0x10), 0x40000000, FX_PC);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x86000010ull);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
}

Test(exit_classes, exit_reason_names)
{
	cr_assert_str_eq(hv_exit_reason_name(HV_EXIT_MMIO), "mmio");
	cr_assert_str_eq(hv_exit_reason_name(HV_EXIT_VCPU_OFF), "vcpu_off");
	cr_assert_str_eq(hv_exit_reason_name((enum hv_exit_reason)99), "?");
}

Test(exit_classes, exit_stat_keys)
{
	for (unsigned s = 0; s < HV_STAT_NR; s++) {
		const char *key = hv_exit_stat_key((enum hv_exit_stat)s);
		cr_assert_str_neq(key, "?", "class %u has a key", s);
		for (const char *c = key; *c; c++) /* usable as key=value */
			cr_assert((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') || *c == '_',
			          "key %s", key);
	}
	cr_assert_str_eq(hv_exit_stat_key(HV_STAT_MMIO_KERNEL), "mmio_device");
	cr_assert_str_eq(hv_exit_stat_key(HV_STAT_NR), "?");
}
