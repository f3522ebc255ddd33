/* SPDX-License-Identifier: Apache-2.0 */
/* The guest's self-hosted debug registers (hv/debug.h), trapped into
 * core/exit: per-vCPU state, as many comparators as ID_AA64DFR0_EL1 says,
 * the OS lock, and when a runtime hands them to the guest. */
#include <criterion/criterion.h>
#include <hv/debug.h>
#include <hv/idregs.h>
#include <hv/psci.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;

static void setup(void)
{
	fx_init(&fx);
	/* 6 breakpoints (BRPs 5), 4 watchpoints (WRPs 3). */
	fx.vm.idregs.value[HV_IDREG_INDEX(5, 0)] = (UINT64_C(5) << 12) | (UINT64_C(3) << 20) | 6;
	fx.vm.idregs.valid = true;
	for (unsigned i = 0; i < FX_NR_VCPUS; i++)
		hv_debug_reset(&fx.vcpus[i]);
	v = &fx.vcpus[0];
}
TestSuite(debug, .init = setup);

/* MSR/MRS of an op0 = 2 register on vCPU c: true if it completed (no UNDEF). */
static bool sys(struct hv_vcpu *c, unsigned crn, unsigned crm, unsigned op2, bool read,
                uint64_t *val)
{
	c->ctx.regs.x[2] = read ? 0xdead : *val;
	uint64_t pc = c->ctx.regs.pc;
	fx_trap(c, fx_sys_esr(2, 0, crn, crm, op2, 2, read));
	cr_assert_eq(hv_vcpu_handle_exit(c), HV_ACTION_RESUME);
	if (read)
		*val = c->ctx.regs.x[2];
	return c->ctx.regs.pc == pc + 4;
}

Test(debug, comparators_as_many_as_advertised)
{
	cr_assert_eq(hv_debug_nr_brps(v), 6);
	cr_assert_eq(hv_debug_nr_wrps(v), 4);
	uint64_t val = 0x40001000;
	cr_assert(sys(v, 0, 5, 4, false, &val), "DBGBVR5_EL1");
	val = 0;
	cr_assert(sys(v, 0, 5, 4, true, &val));
	cr_assert_eq(val, 0x40001000);
	val = 1;
	fx.vcpus[0].ctx.regs.pc = FX_PC;
	cr_assert_not(sys(v, 0, 6, 5, false, &val), "DBGBCR6_EL1: past the count, UNDEF");
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x200, "to the guest's vectors");
	v->ctx.regs.pc = FX_PC;
	val = 0x1e3;
	cr_assert(sys(v, 0, 3, 7, false, &val), "DBGWCR3_EL1");
	cr_assert_eq(v->ctx.debug.wcr[3], 0x1e3);
	cr_assert_not(sys(v, 0, 4, 6, false, &val), "DBGWVR4_EL1: past the count");
}

Test(debug, state_is_per_vcpu_and_generations_move)
{
	uint64_t val = 0x1e3;
	uint32_t gen0 = v->ctx.debug.gen, gen1 = fx.vcpus[1].ctx.debug.gen;
	cr_assert(sys(v, 0, 0, 5, false, &val));
	cr_assert_neq(v->ctx.debug.gen, gen0, "a write changes the generation");
	cr_assert_eq(fx.vcpus[1].ctx.debug.bcr[0], 0, "the other vCPU's untouched");
	cr_assert_eq(fx.vcpus[1].ctx.debug.gen, gen1);
	val = 0;
	gen0 = v->ctx.debug.gen;
	cr_assert(sys(v, 0, 0, 5, true, &val));
	cr_assert_eq(val, 0x1e3);
	cr_assert_eq(v->ctx.debug.gen, gen0, "a read does not");
}

Test(debug, os_lock_mdscr_and_when_to_load)
{
	uint64_t val = 0;
	cr_assert(sys(v, 1, 1, 4, true, &val), "OSLSR_EL1");
	cr_assert_eq(val, 0xa, "OSLM = 0b10, locked at reset");
	v->ctx.debug.bcr[0] = HV_DBG_CR_E;
	v->ctx.debug.mdscr = HV_MDSCR_MDE | HV_MDSCR_KDE;
	cr_assert_not(hv_debug_active(v), "locked: debug exceptions disabled");
	val = 0;
	cr_assert(sys(v, 1, 0, 4, false, &val), "OSLAR_EL1 = 0");
	cr_assert(hv_debug_active(v));
	cr_assert_not(v->ctx.debug.dirty, "the OS lock always traps: not a hand-over");
	v->ctx.debug.mdscr = 0;
	cr_assert_not(hv_debug_active(v), "a comparator without MDE fires nothing (D2.5)");
	v->ctx.debug.mdscr = HV_MDSCR_MDE | HV_MDSCR_KDE;
	cr_assert(sys(v, 1, 1, 4, true, &val));
	cr_assert_eq(val, 0x8);
	cr_assert_not(sys(v, 1, 0, 4, true, &val), "OSLAR_EL1 is write-only");
	v->ctx.regs.pc = FX_PC;
	cr_assert_not(sys(v, 1, 1, 4, false, &val), "OSLSR_EL1 is read-only");
	v->ctx.regs.pc = FX_PC;
	v->ctx.debug.bcr[0] = 0;
	v->ctx.debug.mdscr = 0;
	cr_assert_not(hv_debug_active(v), "nothing enabled");
	val = HV_MDSCR_SS | HV_MDSCR_KDE;
	cr_assert(sys(v, 0, 2, 2, false, &val), "MDSCR_EL1");
	cr_assert(hv_debug_active(v));
	val = 0;
	cr_assert(sys(v, 0, 2, 2, true, &val));
	cr_assert_eq(val, HV_MDSCR_SS | HV_MDSCR_KDE);
	/* Claim tags and MDRAR_EL1 read as zero; MDRAR is read-only. */
	cr_assert(sys(v, 7, 8, 6, true, &val));
	cr_assert_eq(val, 0);
	cr_assert(sys(v, 1, 0, 0, true, &val));
	cr_assert_not(sys(v, 1, 0, 0, false, &val));
}

Test(debug, cpu_on_resets_the_target_state)
{
	struct hv_vcpu *t = &fx.vcpus[1];
	t->ctx.debug.os_lock = false;
	t->ctx.debug.bcr[2] = HV_DBG_CR_E;
	t->ctx.debug.mdscr = HV_MDSCR_MDE;
	fx.vm.life.mem.slots[0] = (struct hv_memslot){.base = 0, .size = UINT64_C(1) << 32};
	fx.vm.life.mem.slots_used = 1u;
	v->ctx.regs.x[0] = HV_PSCI_CPU_ON_64;
	v->ctx.regs.x[1] = 0x101; /* the fixture's MPIDR of vCPU 1 */
	v->ctx.regs.x[2] = 0x40000000;
	v->ctx.regs.x[3] = 0;
	fx_trap(v, 0x5e000000);
	hv_vcpu_handle_exit(v);
	cr_assert_eq(v->ctx.regs.x[0], 0);
	cr_assert_eq(t->ctx.debug.bcr[2], 0);
	cr_assert_eq(t->ctx.debug.mdscr, 0);
	cr_assert(t->ctx.debug.os_lock);
	cr_assert_not(hv_debug_active(t));
}

/* Lazy hand-over (KVM's): a vCPU that never writes a debug register keeps
 * them trapped; a trapped write hands them over for its next run, which
 * ends with them read back (hv_debug_saved); they stay handed over only
 * while its debug exceptions are enabled. */
Test(debug, handed_over_after_a_write_while_in_use)
{
	uint64_t val = 0;
	cr_assert_not(hv_debug_guest_owns(&v->ctx.debug), "reset: trapped");
	cr_assert(sys(v, 1, 1, 4, true, &val), "OSLSR_EL1");
	cr_assert(sys(v, 0, 5, 4, true, &val), "DBGBVR5_EL1 read");
	cr_assert_not(hv_debug_guest_owns(&v->ctx.debug), "reads hand nothing over");

	val = 0; /* what Linux's CPU setup writes */
	cr_assert(sys(v, 0, 2, 2, false, &val), "MDSCR_EL1 = 0");
	cr_assert(hv_debug_guest_owns(&v->ctx.debug), "a write: the next run owns them");
	cr_assert_not(hv_debug_guest_owns(&fx.vcpus[1].ctx.debug), "per vCPU");
	hv_debug_saved(&v->ctx.debug);
	cr_assert_not(hv_debug_guest_owns(&v->ctx.debug), "nothing in use: trapped again");

	cr_assert(sys(v, 1, 0, 4, false, &val), "OSLAR_EL1 = 0");
	val = HV_MDSCR_MDE | HV_MDSCR_KDE;
	cr_assert(sys(v, 0, 2, 2, false, &val));
	hv_debug_saved(&v->ctx.debug);
	cr_assert(hv_debug_guest_owns(&v->ctx.debug), "in use: stays handed over");
	val = 1;
	cr_assert(sys(v, 1, 0, 4, false, &val), "OSLAR_EL1 = 1");
	cr_assert_not(hv_debug_guest_owns(&v->ctx.debug), "locked: trapped again");

	v->ctx.debug.dirty = true;
	hv_debug_reset(v);
	cr_assert_not(hv_debug_guest_owns(&v->ctx.debug), "reset: trapped");
}
