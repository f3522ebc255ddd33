/* SPDX-License-Identifier: Apache-2.0 */
/* Exception injection: Arm ARM D1.10.2 vector offsets, D1.10.4 entry state. */
#include <criterion/criterion.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;

static void setup(void)
{
	fx_init(&fx);
	v = &fx.vcpus[0];
}
TestSuite(inject, .init = setup);

struct vec_case {
	uint64_t pstate;
	uint64_t offset;
	uint32_t dabt_ec;
};

Test(inject, vector_offset_per_source_mode)
{
	static const struct vec_case cases[] = {
	    {HV_PSTATE_EL1H, 0x200, 0x25},
	    {HV_PSTATE_EL1T, 0x000, 0x25},
	    {HV_PSTATE_EL0T, 0x400, 0x24},
	    {HV_PSTATE_NRW | 0x0, 0x600, 0x24}, /* AArch32 User */
	};
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		fx_init(&fx);
		v->ctx.regs.pstate = cases[i].pstate | HV_PSTATE_I;
		hv_inject_dabt(v, 0x1234);
		cr_assert_eq(v->ctx.regs.pc, FX_VBAR + cases[i].offset, "case %zu", i);
		cr_assert_eq(v->ctx.el1.esr_el1 >> 26, cases[i].dabt_ec, "case %zu", i);
		cr_assert_eq(v->ctx.el1.spsr_el1, cases[i].pstate | HV_PSTATE_I);
		cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);
		cr_assert_eq(v->ctx.el1.far_el1, 0x1234);
	}
}

Test(inject, data_abort_reports_write_of_the_failed_access)
{
	/* A store that aborted (ESR_EL2: EC 0x24, ISV, SAS=2, SRT=1, WnR, as
	 * seen on QEMU) becomes an abort with WnR = 1 in ESR_EL1. */
	v->ctx.regs.pstate = HV_PSTATE_EL1H;
	v->ctx.exit.esr_el2 = 0x93810045ull;
	hv_inject_dabt(v, 0x0a000010);
	cr_assert_eq((v->ctx.el1.esr_el1 >> 6) & 1, 1);
	cr_assert_eq(v->ctx.el1.esr_el1 >> 26, 0x25);
	/* A load (no WnR) stays a read. */
	fx_init(&fx);
	v->ctx.regs.pstate = HV_PSTATE_EL1H;
	v->ctx.exit.esr_el2 = 0x93830005ull;
	hv_inject_dabt(v, 0x0a000010);
	cr_assert_eq((v->ctx.el1.esr_el1 >> 6) & 1, 0);
	/* Not a data-abort exit (e.g. an instruction fetch decode): no WnR. */
	fx_init(&fx);
	v->ctx.exit.esr_el2 = (0x20ull << 26) | HV_BIT(6);
	hv_inject_dabt(v, 0x1000);
	cr_assert_eq((v->ctx.el1.esr_el1 >> 6) & 1, 0);
}

Test(inject, undef_state)
{
	v->ctx.el1.far_el1 = 0x5555;
	v->ctx.el1.sctlr_el1 = 0; /* SPAN = 0: PAN is set on entry */
	v->ctx.regs.pstate = HV_PSTATE_EL1H | HV_BIT(29) /* C flag */;
	hv_inject_undef(v);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x02000000ull); /* EC 0, IL */
	cr_assert_eq(v->ctx.el1.far_el1, 0x5555);        /* untouched */
	cr_assert_eq(v->ctx.regs.pstate, HV_PSTATE_DAIF | HV_PSTATE_EL1H | HV_PSTATE_PAN);
	cr_assert_eq(v->ctx.el1.spsr_el1, HV_PSTATE_EL1H | HV_BIT(29));
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x200);
	cr_assert_eq(v->exit_state.stats[HV_STAT_INJECTED], 1);
}

Test(inject, pan_kept_or_clear_with_span)
{
	v->ctx.el1.sctlr_el1 = HV_SCTLR_SPAN;
	hv_inject_undef(v);
	cr_assert_eq(v->ctx.regs.pstate, HV_PSTATE_DAIF | HV_PSTATE_EL1H);
	fx_init(&fx);
	v->ctx.regs.pstate = HV_PSTATE_EL1H | HV_PSTATE_PAN;
	hv_inject_undef(v);
	cr_assert(v->ctx.regs.pstate & HV_PSTATE_PAN);
}

Test(inject, pabt_and_vbar_low_bits_ignored)
{
	v->ctx.el1.vbar_el1 = FX_VBAR | 0x7ff;
	v->ctx.regs.pstate = HV_PSTATE_EL0T;
	hv_inject_pabt(v, 0x400000);
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x400);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x82000010ull); /* EC 0x20, IL, SEA */
	cr_assert_eq(v->ctx.el1.far_el1, 0x400000);
	fx_init(&fx);
	hv_inject_pabt(v, 0x8000);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x86000010ull); /* EC 0x21 from EL1 */
}

Test(inject, serror_is_left_to_the_runtime)
{
	hv_inject_serror(v, 0xff000001ull);
	cr_assert(v->exit_state.vserror_pending);
	cr_assert_eq(v->exit_state.vserror_esr, 0x1000001ull); /* ISS bits only */
	cr_assert_eq(v->ctx.regs.pc, FX_PC);
}
