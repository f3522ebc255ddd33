/* SPDX-License-Identifier: Apache-2.0 */
/* core/exit/fault_loop.c: a vCPU whose vector faults again for ever is
 * recognised after HV_FAULT_LOOP_LIMIT identical exits, and only then. */
#include <criterion/criterion.h>
#include <hv/fault_loop.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;
static struct hv_fault_loop fl;

static void setup(void)
{
	fx_init(&fx);
	v = &fx.vcpus[0];
	memset(&fl, 0, sizeof(fl));
}

TestSuite(fault_loop, .init = setup);

/* One round: an instruction abort at `pc` for `far`, after which the
 * handling put the vCPU at `resume`. */
static bool exit_at(uint64_t pc, uint64_t far, uint64_t resume)
{
	fx_trap(v, 0x82000005u);
	v->ctx.exit.far_el2 = far;
	v->ctx.regs.pc = resume;
	return hv_fault_loop_check(&fl, v, pc);
}

Test(fault_loop, vector_that_faults_again_is_a_loop)
{
	uint64_t vec = FX_VBAR + 0x200;
	for (unsigned i = 0; i < HV_FAULT_LOOP_LIMIT; i++)
		cr_assert_not(exit_at(vec, vec, vec), "round %u", i);
	cr_assert(exit_at(vec, vec, vec));
	cr_assert(exit_at(vec, vec, vec), "stays detected");
}

Test(fault_loop, progress_resets_the_count)
{
	uint64_t vec = FX_VBAR + 0x200;
	for (unsigned i = 0; i < 10 * HV_FAULT_LOOP_LIMIT; i++) {
		/* A storm that moves on: the address changes each time. */
		cr_assert_not(exit_at(vec + 4, 0x0a000000u + 64u * (i & 1u), vec));
	}
	for (unsigned i = 0; i < 10 * HV_FAULT_LOOP_LIMIT; i++) {
		/* The same fault outside the vectors (a guest loop retrying an
		 * access its handler skips) is not a loop of the vectors. */
		cr_assert_not(exit_at(FX_PC, 0x0a000000u, vec));
		/* Emulated and resumed past the access: no exception. */
		cr_assert_not(exit_at(vec, vec, FX_PC));
	}
}
