/* SPDX-License-Identifier: Apache-2.0 */
/* hv_exit_fast_call: the SMCCC queries a runtime may answer without the
 * full exit give exactly what hv_vcpu_handle_exit gives; anything else is
 * refused with nothing changed. */
#include <criterion/criterion.h>
#include <hv/psci.h>
#include <hv/smccc.h>
#include <stdlib.h>
#include "exit_fixture.h"

#define ESR_HVC(imm) ((UINT64_C(0x16) << 26) | (UINT64_C(1) << 25) | (imm))
#define ESR_SMC      ((UINT64_C(0x17) << 26) | (UINT64_C(1) << 25))
#define ESR_DABT     ((UINT64_C(0x24) << 26) | (UINT64_C(1) << 25) | (UINT64_C(1) << 24))

static struct exit_fixture fx;

static void setup(void)
{
	fx_init(&fx);
	fx.vcpus[1].power = HV_VCPU_ON;
}
TestSuite(exit_fast, .init = setup);

static void set_args(struct hv_vcpu *v, uint64_t x0, uint64_t x1)
{
	v->ctx.regs.x[0] = x0;
	v->ctx.regs.x[1] = x1;
	v->ctx.regs.x[2] = 0x2222;
	v->ctx.regs.x[3] = 0x3333;
}

Test(exit_fast, queries_answered_as_the_full_exit_does)
{
	static const uint64_t calls[][2] = {
	    {HV_PSCI_VERSION, 0},
	    {HV_SMCCC_VERSION, 0},
	    {HV_SMCCC_ARCH_FEATURES, HV_SMCCC_VERSION},
	    {HV_SMCCC_ARCH_FEATURES, 0x80008000u},
	    {UINT64_C(0xffffffff00000000) | HV_PSCI_VERSION, 0}, /* w0 is the function */
	};
	struct hv_vcpu *slow = &fx.vcpus[0], *fast = &fx.vcpus[1];
	for (size_t i = 0; i < HV_ARRAY_SIZE(calls); i++) {
		set_args(slow, calls[i][0], calls[i][1]);
		set_args(fast, calls[i][0], calls[i][1]);
		fx_trap(slow, ESR_HVC(0));
		cr_assert_eq(hv_vcpu_handle_exit(slow), HV_ACTION_RESUME);
		cr_assert(hv_exit_fast_call(fast, ESR_HVC(0)), "call %zu", i);
		cr_assert_eq(memcmp(&fast->ctx.regs, &slow->ctx.regs, sizeof(slow->ctx.regs)), 0,
		             "call %zu: registers differ", i);
		cr_assert_eq(fast->ctx.exit.esr_el2, slow->ctx.exit.esr_el2);
		cr_assert_eq(memcmp(fast->exit_state.stats, slow->exit_state.stats,
		                    sizeof(slow->exit_state.stats)),
		             0, "call %zu: counters differ", i);
		cr_assert_eq(fast->exit_state.last_outcome, slow->exit_state.last_outcome);
	}
	cr_assert_eq(fx.vcpus[1].ctx.regs.x[0], 0x10001u, "PSCI 1.1");
}

Test(exit_fast, everything_else_refused_untouched)
{
	struct hv_vcpu *v = &fx.vcpus[1];
	static const struct {
		uint64_t esr, x0;
	} refused[] = {
	    {ESR_HVC(1), HV_PSCI_VERSION},             /* not SMCCC's immediate */
	    {ESR_SMC, HV_PSCI_VERSION},                /* SMC moves the PC: full path */
	    {ESR_HVC(0), HV_PSCI_CPU_ON_64},           /* changes another vCPU */
	    {ESR_HVC(0), HV_PSCI_SYSTEM_OFF},          /* exit to the host */
	    {ESR_HVC(0), HV_PSCI_FEATURES},            /* not in the fast set */
	    {ESR_HVC(0), 0xc6000000u},                 /* vendor hypervisor service */
	    {ESR_DABT, HV_PSCI_VERSION},               /* not a call */
	    {(UINT64_C(0x01) << 26), HV_PSCI_VERSION}, /* WFI */
	};
	struct hv_vcpu *before = malloc(sizeof(*before));
	cr_assert_not_null(before);
	for (size_t i = 0; i < HV_ARRAY_SIZE(refused); i++) {
		set_args(v, refused[i].x0, 0);
		memcpy(before, v, sizeof(*v));
		cr_assert(!hv_exit_fast_call(v, refused[i].esr), "case %zu", i);
		cr_assert_eq(memcmp(before, v, sizeof(*v)), 0, "case %zu changed the vCPU", i);
	}
	/* A vCPU not running (powering on) takes the full path. */
	v->power = HV_VCPU_ON_PENDING;
	set_args(v, HV_PSCI_VERSION, 0);
	memcpy(before, v, sizeof(*v));
	cr_assert(!hv_exit_fast_call(v, ESR_HVC(0)));
	cr_assert_eq(memcmp(before, v, sizeof(*v)), 0);
	free(before);
}
