/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall server's runtime at EL2 (host mode). RUN is served inside
 * the host vCPU's HVC exit, on the physical CPU that took it; `enter`
 * switches worlds from there into the server VM's vCPU and back:
 *
 *   - the host vCPU's context was saved by the exit (guest.c) and is loaded
 *     again by its next entry; its EL1 registers, FP/SIMD and keys are
 *     switched out by el2_vcpu_state_enter (lazily) and the CPU interface
 *     and timer through gic.c's per-CPU shadows, as between two vCPUs;
 *   - VTTBR_EL2/VTCR_EL2 are the guest's while it runs and through the
 *     server's handling of its exits (an ISV=0 abort is decoded by walking
 *     the guest's stages), the host's again after the call
 *     (el2_abi_runtime_host_back);
 *   - the guest's switched state is saved after every entry: the next RUN
 *     of that vCPU may come from another CPU;
 *   - the host's virtual timer is not in the hardware while the guest
 *     runs, so the EL2 physical timer bounds the entry (a slice, or the
 *     host's own earlier EL2 timer deadline); any physical interrupt (that
 *     timer, a kick SGI, a device) ends the entry as PREEMPTED and stays
 *     pending, so the host's exit handling takes it when it is entered again;
 *   - the guest's virtual timer is delivered by the server (core/vtimer at
 *     each entry, not hardware-mapped): while its line is already asserted
 *     the CPU's physical virtual-timer PPI is made active for the entry, so
 *     it cannot preempt every entry; otherwise it is inactive, so a
 *     deadline passing in the guest ends the entry at once. The host's next
 *     entry gives the PPI the host's own active state (guest.c);
 *   - the RUN is core/sched's RUN entry of this CPU (hv/sched.h, guest.c):
 *     GUEST is published before each entry, then the server's waiters and
 *     the host's wake-ups of this CPU are looked at; EL2 after the exit. A vCPU that idles (WFI, nothing
 *     pending) is waited for here at EL2 (el2_run_entry_idle) until it has
 *     something to do, or until the host needs its CPU back or another
 *     CPU waits for the server (then RUN reports the idle exit).
 */
#include "abi_runtime_el2.h"

#include <hv/mem.h>

#include "event_trace.h"
#include "gic.h"
#include "run_entry.h"
#include "sysreg.h"
#include "vcpu_state.h"

#define SLICE_DIV        1000u /* 1 ms entries at most */
#define CNTHP_CTL_ENABLE 1u

/* Under the server lock. */
static const volatile uint32_t *lock_waiters;
static unsigned call_entries; /* guest entries made by the current call */
static uint64_t yields;

void el2_abi_runtime_call_begin(const volatile uint32_t *waiters)
{
	lock_waiters = waiters;
	call_entries = 0;
}

uint64_t el2_abi_runtime_yields(void)
{
	return yields;
}

static enum hv_abi_entry enter(void *arg, struct hv_vcpu *v)
{
	(void)arg;
	/* GUEST before the look: a wake-up that comes later kicks this CPU
	 * out of the guest (hv/sched.h). Another host CPU waits for the
	 * server, or a host vCPU of this CPU was made runnable: give the CPU
	 * back after one entry (nothing was loaded; the vGIC's flush is
	 * synced back unchanged). */
	el2_run_entry_guest();
	if (call_entries && el2_run_entry_wanted(lock_waiters)) {
		el2_run_entry_el2();
		yields++;
		return HV_ABI_ENTRY_PREEMPTED;
	}
	call_entries++;
	write_sysreg(vtcr_el2, hv_mem_vtcr(v->vm));
	write_sysreg(vttbr_el2, hv_mem_vttbr(v->vm));
	el2_vcpu_load(v, v->vtimer.line); /* core/vtimer, just updated by the server */
	uint64_t hp_ctl = read_sysreg(cnthp_ctl_el2), hp_cval = read_sysreg(cnthp_cval_el2);
	uint64_t deadline = hv_arch_counter() + hv_arch_counter_freq() / SLICE_DIV, pct;
	if ((hp_ctl & CNTHP_CTL_ENABLE) && hp_cval < deadline)
		deadline = hp_cval;
	if (hv_vtimer_ptimer_deadline(v, &pct) && pct < deadline)
		deadline = pct; /* the emulated EL1 physical timer's expiry: an exit */
	write_sysreg(cnthp_cval_el2, deadline);
	write_sysreg(cnthp_ctl_el2, (uint64_t)CNTHP_CTL_ENABLE);
	isb();

	el2_event_enter(v);
	uint64_t kind = el2_guest_enter(&v->ctx);
	el2_run_entry_el2();
	el2_event_exit(v, kind);

	el2_vcpu_save(v);
	el2_vcpu_state_put(v);
	write_sysreg(cnthp_ctl_el2, 0ull);
	write_sysreg(cnthp_cval_el2, hp_cval);
	write_sysreg(cnthp_ctl_el2, hp_ctl);
	isb();
	switch (kind) {
	case 0: return HV_ABI_ENTRY_EXIT;
	case 1: return HV_ABI_ENTRY_PREEMPTED; /* IRQ: the host takes it */
	default: return HV_ABI_ENTRY_FAILED;   /* FIQ or SError: not expected */
	}
}

static bool idle(void *arg, struct hv_vcpu *v)
{
	(void)arg;
	return lock_waiters && el2_run_entry_idle(v, lock_waiters);
}

static void release(void *arg, struct hv_vm *vm, struct hv_vcpu *vcpu)
{
	(void)arg;
	/* A later vCPU in the same place starts from zeroed switched state. */
	for (unsigned i = 0; i < HV_MAX_VCPUS; i++)
		if (vm->vcpus[i] && (!vcpu || vm->vcpus[i] == vcpu))
			el2_vcpu_state_reset(vm->vcpus[i]);
}

/* An image without guest.c's host mode (run_entry.h): no RUN entries. */
__attribute__((weak)) void el2_run_entry_begin(unsigned caller, uint64_t tuple)
{
	(void)caller;
	(void)tuple;
}

__attribute__((weak)) void el2_run_entry_end(void) {}

__attribute__((weak)) void el2_run_entry_guest(void) {}

__attribute__((weak)) void el2_run_entry_el2(void) {}

__attribute__((weak)) bool el2_run_entry_wanted(const volatile uint32_t *waiters)
{
	return waiters && __atomic_load_n(waiters, __ATOMIC_ACQUIRE);
}

__attribute__((weak)) bool el2_run_entry_idle(struct hv_vcpu *guest,
                                              const volatile uint32_t *waiters)
{
	(void)guest;
	(void)waiters;
	return false;
}

__attribute__((weak)) void el2_run_entry_wake_server(void) {}

const struct hv_abi_runtime_ops el2_abi_runtime = {
    .enter = enter,
    .idle = idle,
    .release = release,
};

void el2_abi_runtime_host_back(const struct hv_s2_pgt *s2)
{
	write_sysreg(vtcr_el2, hv_s2_vtcr(s2));
	write_sysreg(vttbr_el2, hv_s2_vttbr(s2));
	isb();
}
