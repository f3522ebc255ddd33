/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PSCI 1.1 for guests (Arm DEN0022D) and the per-vCPU power-state machine:
 *
 *   OFF --CPU_ON (another vCPU)--> ON_PENDING --first entry--> ON
 *   ON  --CPU_OFF--> OFF
 *
 * CPU_ON claims the target with an atomic flag, so of racing CPU_ONs one
 * answers SUCCESS. The others answer from the target's state, as KVM's
 * guests and test suites expect: ALREADY_ON once it is on (the claim they
 * lost may only have been another call finding it on), ON_PENDING only while
 * it is genuinely pending (powered on, not yet entered, or being claimed
 * from OFF by the winner right now).
 */
#include <hv/debug.h>
#include <hv/inject.h>
#include <hv/mem.h>
#include <hv/psci.h>
#include <hv/smccc.h>
#include <hv/vm.h>
#include "exit_internal.h"

/* MPIDR bits a target_cpu argument must leave zero (DEN0022D 5.1.4). */
#define MPIDR_ARG_RES0 (~HV_MPIDR_AFF_MASK)

static enum hv_exit_action ret0(struct hv_vcpu *vcpu, int64_t value)
{
	vcpu->ctx.regs.x[0] = (uint64_t)value;
	return hv_exit_resume(vcpu);
}

/* Argument n of the call: SMC32 IDs pass 32-bit values (DEN0028 2.6). */
static uint64_t arg(const struct hv_vcpu *vcpu, uint32_t fid, unsigned n)
{
	uint64_t v = vcpu->ctx.regs.x[n];
	return (fid & HV_SMCCC_64) ? v : (uint32_t)v;
}

static struct hv_vcpu *vcpu_by_mpidr(struct hv_vcpu *self, uint64_t mpidr)
{
	if (mpidr & MPIDR_ARG_RES0)
		return NULL;
	struct hv_vm *vm = self->vm;
	if (!vm)
		return (self->ctx.el1.mpidr_el1 & HV_MPIDR_AFF_MASK) == mpidr ? self : NULL;
	uint32_t nr = vm->nr_vcpus < HV_MAX_VCPUS ? vm->nr_vcpus : HV_MAX_VCPUS;
	for (uint32_t i = 0; i < nr; i++) {
		struct hv_vcpu *v = vm->vcpus[i];
		if (v && (v->ctx.el1.mpidr_el1 & HV_MPIDR_AFF_MASK) == mpidr)
			return v;
	}
	return NULL;
}

static enum hv_vcpu_power power_of(struct hv_vcpu *v)
{
	return __atomic_load_n(&v->power, __ATOMIC_ACQUIRE);
}

/* Architectural start state of a vCPU brought up by CPU_ON (DEN0022D 6.4):
 * entry at EL1h, interrupts masked, MMU and caches off, x0 = context_id. */
static void reset_for_entry(struct hv_vcpu *v, uint64_t entry, uint64_t context_id)
{
	hv_memset(&v->ctx.regs, 0, sizeof(v->ctx.regs));
	v->ctx.regs.pc = entry;
	v->ctx.regs.x[0] = context_id;
	v->ctx.regs.pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	v->ctx.el1.sctlr_el1 = HV_SCTLR_EL1_RESET;
	v->exit_state.pending.active = false;
	hv_debug_reset(v); /* comparators off, MDSCR_EL1 0, OS lock set */
}

static int64_t cpu_on(struct hv_vcpu *vcpu, uint32_t fid)
{
	struct hv_vcpu *t = vcpu_by_mpidr(vcpu, arg(vcpu, fid, 1));
	uint64_t entry = arg(vcpu, fid, 2);
	if (!t)
		return HV_PSCI_INVALID_PARAMETERS;
	if (entry & 3u) /* A64 instructions are word aligned */
		return HV_PSCI_INVALID_ADDRESS;
	/* The entry runs with the MMU off (VA = IPA): outside every memslot it
	 * is no physical address of the guest (DEN0022D 5.6: INVALID_ADDRESS),
	 * and the vCPU could only take aborts for ever. */
	uint32_t slot;
	if (vcpu->vm && hv_mem_find_memslot(vcpu->vm, hv_ipa(entry), &slot) != HV_OK)
		return HV_PSCI_INVALID_ADDRESS;
	uint32_t unclaimed = 0;
	if (!__atomic_compare_exchange_n(&t->exit_state.psci_busy, &unclaimed, 1u, false,
	                                 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return power_of(t) == HV_VCPU_ON ? HV_PSCI_ALREADY_ON : HV_PSCI_ON_PENDING;
	int64_t ret;
	switch (power_of(t)) {
	case HV_VCPU_ON: ret = HV_PSCI_ALREADY_ON; break;
	case HV_VCPU_ON_PENDING: ret = HV_PSCI_ON_PENDING; break;
	default:
		reset_for_entry(t, entry, arg(vcpu, fid, 3));
		__atomic_store_n(&t->power, HV_VCPU_ON_PENDING, __ATOMIC_RELEASE);
		vcpu->exit_state.powered_on |= 1u << t->id;
		ret = HV_PSCI_SUCCESS;
		break;
	}
	__atomic_store_n(&t->exit_state.psci_busy, 0u, __ATOMIC_RELEASE);
	return ret;
}

static int64_t affinity_info(struct hv_vcpu *vcpu, uint32_t fid)
{
	if (arg(vcpu, fid, 2) != 0) /* only affinity level 0 is tracked */
		return HV_PSCI_INVALID_PARAMETERS;
	struct hv_vcpu *t = vcpu_by_mpidr(vcpu, arg(vcpu, fid, 1));
	if (!t)
		return HV_PSCI_INVALID_PARAMETERS;
	enum hv_vcpu_power p = power_of(t);
	if (p == HV_VCPU_OFF)
		return HV_PSCI_AFF_OFF;
	/* The caller waits for another vCPU to power off (or on): a poll. */
	vcpu->exit_state.relax_hint |= t != vcpu;
	return p == HV_VCPU_ON ? HV_PSCI_AFF_ON : HV_PSCI_AFF_ON_PENDING;
}

static int64_t features(uint32_t queried)
{
	switch (queried) {
	case HV_PSCI_VERSION:
	case HV_PSCI_CPU_OFF:
	case HV_PSCI_CPU_ON:
	case HV_PSCI_CPU_ON_64:
	case HV_PSCI_AFFINITY_INFO:
	case HV_PSCI_AFFINITY_INFO_64:
	case HV_PSCI_MIGRATE_INFO_TYPE:
	case HV_PSCI_SYSTEM_OFF:
	case HV_PSCI_SYSTEM_RESET:
	case HV_PSCI_SYSTEM_RESET2:
	case HV_PSCI_SYSTEM_RESET2_64:
	case HV_PSCI_FEATURES:
	case HV_SMCCC_VERSION: return HV_PSCI_SUCCESS;
	case HV_PSCI_CPU_SUSPEND:
	case HV_PSCI_CPU_SUSPEND_64:
		return 0; /* flags: original power_state format, platform-coordinated */
	default: return HV_PSCI_NOT_SUPPORTED;
	}
}

static enum hv_exit_action system_event(struct hv_vcpu *vcpu, uint32_t type, uint32_t ndata,
                                        uint64_t d0, uint64_t d1)
{
	struct hv_host_exit *hx = &vcpu->host_exit;
	hx->system_event.type = type;
	hx->system_event.ndata = ndata;
	hx->system_event.data[0] = d0;
	hx->system_event.data[1] = d1;
	hx->system_event.data[2] = 0;
	hx->system_event.data[3] = 0;
	return hv_exit_to_host(vcpu, HV_EXIT_SYSTEM_EVENT);
}

static enum hv_exit_action reset2(struct hv_vcpu *vcpu, uint32_t fid)
{
	uint64_t type = (uint32_t)vcpu->ctx.regs.x[1]; /* reset_type is 32-bit */
	if (!(type & HV_PSCI_RESET2_VENDOR) && type != HV_PSCI_RESET2_SYS_WARM)
		return ret0(vcpu, HV_PSCI_INVALID_PARAMETERS);
	return system_event(vcpu, HV_SYSTEM_EVENT_RESET, 2, type, arg(vcpu, fid, 2));
}

/* CPU_SUSPEND: every state is entered as standby, which PSCI permits; the
 * call returns SUCCESS when the vCPU wakes (DEN0022D 5.4.2). */
static enum hv_exit_action cpu_suspend(struct hv_vcpu *vcpu)
{
	vcpu->ctx.regs.x[0] = HV_PSCI_SUCCESS;
	if (hv_exit_call_vgic_has_pending(vcpu))
		return hv_exit_resume(vcpu);
	return hv_exit_idle(vcpu);
}

enum hv_exit_action hv_psci_handle(struct hv_vcpu *vcpu, uint32_t fid)
{
	switch (fid) {
	case HV_PSCI_VERSION: return ret0(vcpu, HV_PSCI_VERSION_1_1);
	case HV_PSCI_CPU_SUSPEND:
	case HV_PSCI_CPU_SUSPEND_64: return cpu_suspend(vcpu);
	case HV_PSCI_CPU_OFF:
		__atomic_store_n(&vcpu->power, HV_VCPU_OFF, __ATOMIC_RELEASE);
		return hv_exit_to_host(vcpu, HV_EXIT_VCPU_OFF);
	case HV_PSCI_CPU_ON:
	case HV_PSCI_CPU_ON_64: return ret0(vcpu, cpu_on(vcpu, fid));
	case HV_PSCI_AFFINITY_INFO:
	case HV_PSCI_AFFINITY_INFO_64: return ret0(vcpu, affinity_info(vcpu, fid));
	case HV_PSCI_MIGRATE_INFO_TYPE: return ret0(vcpu, HV_PSCI_TOS_NOT_PRESENT);
	case HV_PSCI_SYSTEM_OFF: return system_event(vcpu, HV_SYSTEM_EVENT_SHUTDOWN, 0, 0, 0);
	case HV_PSCI_SYSTEM_RESET: return system_event(vcpu, HV_SYSTEM_EVENT_RESET, 0, 0, 0);
	case HV_PSCI_SYSTEM_RESET2:
	case HV_PSCI_SYSTEM_RESET2_64: return reset2(vcpu, fid);
	case HV_PSCI_FEATURES: return ret0(vcpu, features((uint32_t)vcpu->ctx.regs.x[1]));
	default: return ret0(vcpu, HV_PSCI_NOT_SUPPORTED); /* MIGRATE, SYSTEM_SUSPEND, ... */
	}
}

void hv_psci_vcpu_entering(struct hv_vcpu *vcpu)
{
	enum hv_vcpu_power expected = HV_VCPU_ON_PENDING;
	__atomic_compare_exchange_n(&vcpu->power, &expected, HV_VCPU_ON, false, __ATOMIC_ACQ_REL,
	                            __ATOMIC_RELAXED);
}
