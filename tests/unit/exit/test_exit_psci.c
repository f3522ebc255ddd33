/* SPDX-License-Identifier: Apache-2.0 */
/* PSCI 1.1 (DEN0022D) and the vCPU power-state machine. */
#include <criterion/criterion.h>
#include <hv/psci.h>
#include <hv/smccc.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;

#define MPIDR(n) (UINT64_C(0x100) | (n))

/* Guest RAM: one memslot over [0, 4 GiB) minus its last 2 MiB. */
#define RAM_END UINT64_C(0xffe00000)

static void setup(void)
{
	fx_init(&fx);
	fx.vm.life.mem.slots[0] = (struct hv_memslot){.base = 0, .size = RAM_END};
	fx.vm.life.mem.slots_used = 1u; /* slot 0 in use, as hv_mem_set_memslot records it */
	v = &fx.vcpus[0];
}
TestSuite(psci, .init = setup);

/* PSCI over SMC (QEMU virt's conduit), on vCPU `c`. */
static enum hv_exit_action call(struct hv_vcpu *c, uint64_t fid, uint64_t a1, uint64_t a2,
                                uint64_t a3)
{
	c->ctx.regs.x[0] = fid;
	c->ctx.regs.x[1] = a1;
	c->ctx.regs.x[2] = a2;
	c->ctx.regs.x[3] = a3;
	fx_trap(c, 0x5e000000);
	return hv_vcpu_handle_exit(c);
}

static int64_t ret(struct hv_vcpu *c)
{
	return (int64_t)c->ctx.regs.x[0];
}

Test(psci, version_and_features)
{
	call(v, HV_PSCI_VERSION, 0, 0, 0);
	cr_assert_eq(ret(v), 0x10001);
	static const uint32_t supported[] = {
	    HV_PSCI_VERSION,          HV_PSCI_CPU_ON_64,        HV_PSCI_CPU_OFF,
	    HV_PSCI_AFFINITY_INFO_64, HV_PSCI_SYSTEM_OFF,       HV_PSCI_SYSTEM_RESET,
	    HV_PSCI_SYSTEM_RESET2,    HV_PSCI_CPU_SUSPEND_64,   HV_PSCI_FEATURES,
	    HV_SMCCC_VERSION,         HV_PSCI_MIGRATE_INFO_TYPE};
	for (size_t i = 0; i < HV_ARRAY_SIZE(supported); i++) {
		call(v, HV_PSCI_FEATURES, supported[i], 0, 0);
		cr_assert_eq(ret(v), 0, "%#x", supported[i]);
	}
	static const uint32_t unsupported[] = {HV_PSCI_MIGRATE, HV_PSCI_SYSTEM_SUSPEND_64,
	                                       0x8400000b, 0x86000000, 0x12345678};
	for (size_t i = 0; i < HV_ARRAY_SIZE(unsupported); i++) {
		call(v, HV_PSCI_FEATURES, unsupported[i], 0, 0);
		cr_assert_eq(ret(v), HV_PSCI_NOT_SUPPORTED, "%#x", unsupported[i]);
	}
}

Test(psci, cpu_on_starts_target_in_reset_state)
{
	struct hv_vcpu *t = &fx.vcpus[2];
	t->ctx.regs.x[5] = 99;
	t->ctx.el1.sctlr_el1 = 0x30d0180d; /* MMU on before: must be reset */
	cr_assert_eq(call(v, HV_PSCI_CPU_ON_64, MPIDR(2), 0x40080000, 0xc0ffee), HV_ACTION_RESUME);
	cr_assert_eq(ret(v), HV_PSCI_SUCCESS);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(t->power, HV_VCPU_ON_PENDING);
	cr_assert_eq(v->exit_state.powered_on, 1u << 2, "the runtime learns whom to wake");
	cr_assert_eq(t->ctx.regs.pc, 0x40080000);
	cr_assert_eq(t->ctx.regs.x[0], 0xc0ffee);
	cr_assert_eq(t->ctx.regs.x[5], 0);
	cr_assert_eq(t->ctx.regs.pstate, HV_PSTATE_DAIF | HV_PSTATE_EL1H);
	cr_assert_eq(t->ctx.el1.sctlr_el1 & 1u, 0); /* MMU off */
	cr_assert_eq(t->ctx.el1.mpidr_el1 & 0xffffff, MPIDR(2));

	/* Second CPU_ON while pending; AFFINITY_INFO sees ON_PENDING. */
	v->exit_state.powered_on = 0;
	call(v, HV_PSCI_CPU_ON_64, MPIDR(2), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ON_PENDING);
	cr_assert_eq(v->exit_state.powered_on, 0, "nothing newly powered on");
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(2), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_AFF_ON_PENDING);
	cr_assert(v->exit_state.relax_hint, "a poll of another vCPU: the runtime yields");
	v->exit_state.relax_hint = false;

	/* The runtime enters it: ON. */
	hv_psci_vcpu_entering(t);
	cr_assert_eq(t->power, HV_VCPU_ON);
	call(v, HV_PSCI_CPU_ON_64, MPIDR(2), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ALREADY_ON);
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(2), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_AFF_ON);
	cr_assert(v->exit_state.relax_hint);
}

Test(psci, cpu_on_errors)
{
	call(v, HV_PSCI_CPU_ON_64, MPIDR(0), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ALREADY_ON); /* itself */
	call(v, HV_PSCI_CPU_ON_64, MPIDR(7), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_PARAMETERS); /* no such vCPU */
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1) | (1ull << 40), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_PARAMETERS); /* RES0 bits set */
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x40080002, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_ADDRESS);
	cr_assert_eq(fx.vcpus[1].power, HV_VCPU_OFF);
	/* Word aligned but outside every memslot: no guest address either. */
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), RAM_END, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_ADDRESS);
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), UINT64_C(0x0a000000) << 8, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_ADDRESS);
	cr_assert_eq(fx.vcpus[1].power, HV_VCPU_OFF);
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), RAM_END - 4, 0);
	cr_assert_eq(ret(v), HV_PSCI_SUCCESS); /* the last word of RAM */
	cr_assert_eq(fx.vcpus[1].power, HV_VCPU_ON_PENDING);
	fx.vcpus[1].power = HV_VCPU_OFF;
	v->exit_state.powered_on = 0;
	/* A claim in progress elsewhere reads as ON_PENDING. */
	fx.vcpus[1].exit_state.psci_busy = 1;
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ON_PENDING);
	cr_assert_eq(fx.vcpus[1].power, HV_VCPU_OFF);
	cr_assert_eq(v->exit_state.powered_on, 0, "no failed CPU_ON asks for a wake-up");
}

/* Racing CPU_ONs: the loser of the claim answers from the target's state. */
Test(psci, cpu_on_race_loser_sees_already_on_once_target_is_on)
{
	struct hv_vcpu *t = &fx.vcpus[1];
	t->exit_state.psci_busy = 1; /* another CPU_ON holds the claim */
	t->power = HV_VCPU_ON;
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ALREADY_ON, "the target is on: not ON_PENDING");
	t->power = HV_VCPU_ON_PENDING;
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ON_PENDING, "powered on, not yet entered");
	t->power = HV_VCPU_OFF; /* the winner is turning it on right now */
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x40080000, 0);
	cr_assert_eq(ret(v), HV_PSCI_ON_PENDING);
	cr_assert_eq(t->power, HV_VCPU_OFF, "the loser changed nothing");
	cr_assert_eq(t->exit_state.psci_busy, 1u, "nor released the winner's claim");
	cr_assert_eq(v->exit_state.powered_on, 0);
}

Test(psci, cpu_on_smc32_truncates_arguments)
{
	call(v, HV_PSCI_CPU_ON, 0xffffffff00000000ull | MPIDR(3), 0xabcd000040080000ull,
	     0x1111111122222222ull);
	cr_assert_eq(ret(v), HV_PSCI_SUCCESS);
	cr_assert_eq(fx.vcpus[3].ctx.regs.pc, 0x40080000);
	cr_assert_eq(fx.vcpus[3].ctx.regs.x[0], 0x22222222);
}

Test(psci, affinity_info_errors_and_off)
{
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(1), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_AFF_OFF);
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(1), 1, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_PARAMETERS);
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(9), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_PARAMETERS);
	call(v, HV_PSCI_AFFINITY_INFO, MPIDR(0), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_AFF_ON);
	/* OFF, an error, or the caller itself: no poll of another CPU. */
	cr_assert_not(v->exit_state.relax_hint);
}

Test(psci, cpu_off_then_on_again)
{
	struct hv_vcpu *t = &fx.vcpus[1];
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x1000, 0);
	hv_psci_vcpu_entering(t);
	cr_assert_eq(call(t, HV_PSCI_CPU_OFF, 0, 0, 0), HV_ACTION_HOST);
	cr_assert_eq(t->host_exit.reason, HV_EXIT_VCPU_OFF);
	cr_assert_eq(t->power, HV_VCPU_OFF);
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(1), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_AFF_OFF);
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x2000, 7);
	cr_assert_eq(ret(v), HV_PSCI_SUCCESS);
	cr_assert_eq(t->ctx.regs.pc, 0x2000);
}

Test(psci, first_exit_of_pending_vcpu_marks_it_on)
{
	struct hv_vcpu *t = &fx.vcpus[1];
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x1000, 0);
	cr_assert_eq(t->power, HV_VCPU_ON_PENDING);
	call(t, HV_PSCI_VERSION, 0, 0, 0);
	cr_assert_eq(t->power, HV_VCPU_ON);
}

Test(psci, system_events)
{
	cr_assert_eq(call(v, HV_PSCI_SYSTEM_OFF, 0, 0, 0), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_SYSTEM_EVENT);
	cr_assert_eq(v->host_exit.system_event.type, HV_SYSTEM_EVENT_SHUTDOWN);
	cr_assert_eq(call(v, HV_PSCI_SYSTEM_RESET, 0, 0, 0), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.system_event.type, HV_SYSTEM_EVENT_RESET);
	cr_assert_eq(v->host_exit.system_event.ndata, 0);
	cr_assert_eq(call(v, HV_PSCI_SYSTEM_RESET2_64, 0x80000001, 0xc00c1e, 0), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.system_event.type, HV_SYSTEM_EVENT_RESET);
	cr_assert_eq(v->host_exit.system_event.ndata, 2);
	cr_assert_eq(v->host_exit.system_event.data[0], 0x80000001);
	cr_assert_eq(v->host_exit.system_event.data[1], 0xc00c1e);
	cr_assert_eq(call(v, HV_PSCI_SYSTEM_RESET2, 0, 0, 0), HV_ACTION_HOST); /* warm */
	cr_assert_eq(call(v, HV_PSCI_SYSTEM_RESET2, 1, 0, 0), HV_ACTION_RESUME);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_PARAMETERS);
}

Test(psci, suspend_is_standby)
{
	cr_assert_eq(call(v, HV_PSCI_CPU_SUSPEND_64, 0x10000, 0x40000000, 0), HV_ACTION_IDLE);
	cr_assert_eq(ret(v), HV_PSCI_SUCCESS);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_IDLE);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
}

Test(psci, migrate_and_unknown)
{
	call(v, HV_PSCI_MIGRATE_INFO_TYPE, 0, 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_TOS_NOT_PRESENT);
	call(v, HV_PSCI_MIGRATE_64, 0, 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_NOT_SUPPORTED);
	call(v, HV_PSCI_MIGRATE_INFO_UP_CPU, 0, 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_NOT_SUPPORTED);
	call(v, HV_PSCI_SYSTEM_SUSPEND_64, 0x1000, 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_NOT_SUPPORTED);
	cr_assert_eq(v->ctx.regs.x[1], 0x1000);
}

Test(psci, vcpu_without_vm_knows_only_itself)
{
	v->vm = NULL;
	call(v, HV_PSCI_AFFINITY_INFO_64, MPIDR(0), 0, 0);
	cr_assert_eq(ret(v), HV_PSCI_AFF_ON);
	call(v, HV_PSCI_CPU_ON_64, MPIDR(1), 0x1000, 0);
	cr_assert_eq(ret(v), HV_PSCI_INVALID_PARAMETERS);
}
