/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RUN: take the host's answer to the exit reported last, enter the vCPU
 * through the runtime until an exit needs the host, and describe that exit
 * in the shared run area (page 0: struct hv_abi_vcpu_run; page 1: struct
 * hv_abi_vcpu_hwstate). The core does the work: core/vtimer drives the
 * timer line, core/vgic computes and folds back the list registers,
 * core/exit handles the exit and completes MMIO and hypercalls, core/mem
 * demand paging and relinquish. See hv/abi.h for what each exit carries.
 */
#include <hv/arch.h>
#include <hv/psci.h>
#include <hv/vgic.h>
#include <hv/vtimer.h>
#include <hv/inject.h>
#include "abi_internal.h"

struct run_ctx {
	struct hv_abi_server *srv;
	struct hv_vm *vm;
	struct hv_vcpu *vcpu;
	struct hv_abi_vm_slot *vs;
	struct hv_abi_vcpu_slot *slot;
	struct hv_abi_vcpu_run *run;    /* run-area page 0, host memory */
	struct hv_abi_vcpu_hwstate *hw; /* run-area page 1, host memory */
	struct hv_abi_vcpu_run answer;  /* the host's page 0, read once */
	struct hv_abi_vcpu_run body;    /* the exit being reported */
};

#define RUN_UNION_OFFSET __builtin_offsetof(struct hv_abi_vcpu_run, padding)
HV_STATIC_ASSERT(RUN_UNION_OFFSET == 8, "vcpu_run union");

static uint64_t le_load(const uint8_t b[8])
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)b[i] << (8 * i);
	return v;
}

static void le_store(uint8_t b[8], uint64_t v)
{
	for (unsigned i = 0; i < 8; i++)
		b[i] = (uint8_t)(v >> (8 * i));
}

/* Page 1: list registers (not a protected VM's) and the timer hand-off. */
static void fill_hwstate(struct run_ctx *r)
{
	struct hv_abi_vcpu_hwstate h;
	hv_memset(&h, 0, sizeof(h));
	const struct hv_gic_cpuif *gic = &r->vcpu->ctx.gic;
	if (r->vcpu->vgic.initialized) {
		h.nr_lrs = gic->nr_lrs;
		if (!r->vs->protected_vm)
			for (unsigned i = 0; i < gic->nr_lrs && i < HV_GIC_MAX_LRS; i++)
				h.lr[i] = gic->lr[i];
	}
	struct hv_vtimer_migration m;
	hv_vtimer_migrate(r->vcpu, &m);
	h.vtimer_offset = m.offset;
	/* MediaTek's driver blocks an idle vCPU only when migrate is set: it
	 * always is, with the delay to the timer's deadline or, without one
	 * (or powered off), the longest; a wake-up comes first. The bound
	 * keeps the driver's (delay * mult) >> shift inside 64 bits. */
	bool armed = m.migrate && r->vcpu->power != HV_VCPU_OFF;
	h.vtimer_delay =
	    armed && m.delay_ticks < HV_ABI_IDLE_MAX_DELAY ? m.delay_ticks : HV_ABI_IDLE_MAX_DELAY;
	h.vtimer_migrate = 1;
	hv_memcpy(r->hw, &h, sizeof(h));
}

/* Publish r->body under `reason` (immediate_exit stays the host's). */
static int64_t report(struct run_ctx *r, uint32_t reason, uint64_t out[4])
{
	hv_memcpy((uint8_t *)r->run + RUN_UNION_OFFSET,
	          (const uint8_t *)&r->body + RUN_UNION_OFFSET, sizeof(r->body) - RUN_UNION_OFFSET);
	r->run->exit_reason = reason;
	fill_hwstate(r);
	r->slot->reported = reason;
	out[1] = reason;
	return HV_ABI_OK;
}

static void clear_body(struct run_ctx *r)
{
	hv_memset(&r->body, 0, sizeof(r->body));
}

/* Idle (WFI with nothing pending) or powered off: the host blocks the
 * vCPU's thread if it asked for idle exits, else re-enters. */
static int64_t report_idle(struct run_ctx *r, uint64_t out[4])
{
	clear_body(r);
	return report(r, r->vs->idle ? HV_ABI_EXIT_IDLE : HV_ABI_EXIT_IRQ, out);
}

static int64_t report_host_exit(struct run_ctx *r, uint64_t out[4])
{
	const struct hv_host_exit *hx = &r->vcpu->host_exit;
	struct hv_abi_vcpu_run *b = &r->body;
	clear_body(r);
	switch (hx->reason) {
	case HV_EXIT_MMIO:
		b->mmio.phys_addr = hv_ipa_addr(hx->mmio.ipa);
		le_store(b->mmio.data, hx->mmio.data);
		b->mmio.size = hx->mmio.size;
		b->mmio.reg_nr = hx->mmio.reg;
		b->mmio.is_write = hx->mmio.is_write;
		return report(r, HV_ABI_EXIT_MMIO, out);
	case HV_EXIT_PAGE_FAULT:
		b->exception.exception = HV_ABI_EXCEPTION_PAGE_FAULT;
		b->exception.error_code = (hx->page_fault.is_write ? HV_ABI_PF_WRITE : 0u) |
		                          (hx->page_fault.is_exec ? HV_ABI_PF_EXEC : 0u);
		b->exception.fault_gpa = hv_ipa_addr(hx->page_fault.ipa);
		return report(r, HV_ABI_EXIT_EXCEPTION, out);
	case HV_EXIT_SYSTEM_EVENT: {
		uint32_t n = hx->system_event.ndata;
		n = n < HV_ARRAY_SIZE(hx->system_event.data) ? n
		                                             : HV_ARRAY_SIZE(hx->system_event.data);
		b->system_event.type = hx->system_event.type;
		b->system_event.ndata = n;
		for (uint32_t i = 0; i < n; i++)
			b->system_event.data[i] = hx->system_event.data[i];
		return report(r, HV_ABI_EXIT_SYSTEM_EVENT, out);
	}
	case HV_EXIT_HYPERCALL:
		for (unsigned i = 0; i < 8; i++)
			b->hypercall.args[i] = hx->hypercall.args[i];
		return report(r, HV_ABI_EXIT_HYPERCALL, out);
	case HV_EXIT_VCPU_OFF: return report_idle(r, out);
	default:
		b->internal.suberror =
		    hx->reason == HV_EXIT_INTERNAL_ERROR ? hx->internal.suberror : 0;
		b->internal.ndata = 1;
		b->internal.data[0] = r->vcpu->ctx.exit.esr_el2;
		return report(r, HV_ABI_EXIT_INTERNAL_ERROR, out);
	}
}

/* A page the guest relinquished: the host unpins it (no answer). */
static bool report_relinquished(struct run_ctx *r, uint64_t out[4])
{
	hv_ipa_t ipa;
	hv_pa_t pa;
	if (hv_mem_pop_relinquished(r->vm, &ipa, &pa) != HV_OK)
		return false;
	abi_s2_changed(r->srv, r->vm, hv_ipa_addr(ipa), HV_PAGE_SIZE);
	clear_body(r);
	r->body.hypercall.args[0] = HV_ABI_GUEST_MEM_RELINQUISH;
	r->body.hypercall.args[1] = hv_ipa_addr(ipa);
	r->body.hypercall.args[2] = hv_pa_addr(pa);
	report(r, HV_ABI_EXIT_HYPERCALL, out);
	return true;
}

/* Other vCPUs made runnable (SGI targets, CPU_ON): the host wakes them. */
static bool report_wake(struct run_ctx *r, uint64_t out[4])
{
	uint8_t wake = r->vs->wake & (uint8_t)~HV_ABI_VCPU_BIT(r->vcpu->id);
	r->vs->wake = 0;
	if (!wake)
		return false;
	clear_body(r);
	r->body.hypercall.args[0] = wake;
	report(r, HV_ABI_EXIT_IPI, out);
	return true;
}

/*
 * The host's answer to the exit reported last. Returns true if the answer
 * itself produced an exit to report (the second access of a pair).
 */
static bool take_answer(struct run_ctx *r, uint64_t out[4])
{
	struct hv_vcpu *v = r->vcpu;
	uint32_t reported = r->slot->reported;
	r->slot->reported = 0;
	if (reported == HV_ABI_EXIT_MMIO && v->host_exit.reason == HV_EXIT_MMIO &&
	    v->exit_state.pending.active) {
		hv_status_t st;
		if (r->answer.mmio.host_abort) {
			/* Nothing at that address: an external abort, as an
			 * access to an empty bus. */
			v->exit_state.pending.active = false;
			v->host_exit.reason = HV_EXIT_NONE;
			hv_inject_dabt(v, v->ctx.exit.far_el2);
			st = HV_OK;
		} else if (v->host_exit.mmio.is_write) {
			st = hv_vcpu_complete_mmio_write(v);
		} else {
			st = hv_vcpu_complete_mmio_read(v, le_load(r->answer.mmio.data));
		}
		if (st == HV_BUSY) {
			report_host_exit(r, out);
			return true;
		}
	} else if (reported == HV_ABI_EXIT_HYPERCALL && v->host_exit.reason == HV_EXIT_HYPERCALL) {
		(void)hv_vcpu_complete_hypercall(v, r->answer.hypercall.args);
	}
	return false;
}

/* Enter until an exit needs the host (at most HV_ABI_RUN_MAX_ENTRIES). */
static int64_t run_loop(struct run_ctx *r, uint64_t out[4])
{
	struct hv_vcpu *v = r->vcpu;
	const struct hv_abi_runtime_ops *rt = r->srv->rt;
	for (unsigned n = 0;; n++) {
		if (v->power == HV_VCPU_OFF)
			return report_idle(r, out);
		if (n == HV_ABI_RUN_MAX_ENTRIES) {
			clear_body(r);
			return report(r, HV_ABI_EXIT_IRQ, out);
		}
		hv_psci_vcpu_entering(v); /* ON_PENDING (CPU_ON) becomes ON */
		(void)hv_vm_mark_running(r->vm);
		hv_vtimer_update(v);
		hv_vgic_flush(v);
		enum hv_abi_entry e = rt->enter(r->srv->rt_arg, v);
		hv_vgic_sync(v);
		if (e == HV_ABI_ENTRY_RESUME)
			continue;
		if (e == HV_ABI_ENTRY_PREEMPTED) {
			clear_body(r);
			return report(r, HV_ABI_EXIT_IRQ, out);
		}
		if (e != HV_ABI_ENTRY_EXIT) {
			clear_body(r);
			r->body.fail_entry.cpu = v->id;
			return report(r, HV_ABI_EXIT_FAIL_ENTRY, out);
		}
		enum hv_exit_action act = hv_vcpu_handle_exit(v);
		if (v->exit_state.relax_hint) { /* the guest polls another CPU */
			v->exit_state.relax_hint = false;
			hv_arch_cpu_relax();
		}
		/* PSCI CPU_ON targets (bit n: vCPU n, as HV_ABI_VCPU_BIT). */
		r->vs->wake |= (uint8_t)v->exit_state.powered_on;
		v->exit_state.powered_on = 0;
		if (act == HV_ACTION_HOST)
			return report_host_exit(r, out);
		if (act == HV_ACTION_IDLE && rt->idle) {
			/* The host first hears of what this exit made runnable
			 * (IPI) or gave back; then the runtime may wait for
			 * the vCPU rather than report it idle. */
			if (report_relinquished(r, out) || report_wake(r, out))
				return HV_ABI_OK;
			if (rt->idle(r->srv->rt_arg, v))
				continue;
		}
		if (act == HV_ACTION_IDLE)
			return report_idle(r, out);
		if (report_relinquished(r, out) || report_wake(r, out))
			return HV_ABI_OK;
	}
}

int64_t abi_run(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	struct run_ctx r = {.srv = srv};
	r.vcpu = abi_vcpu(srv, in[1]);
	if (!r.vcpu || !abi_args_zero(in, 2))
		return HV_ABI_ERR_INVALID_ARGS;
	if (!srv->rt || !srv->rt->enter)
		return HV_ABI_ERR_NOT_SUPPORTED;
	r.vm = r.vcpu->vm;
	r.vs = abi_vm_slot(srv, r.vm);
	r.slot = &r.vs->vcpu[r.vcpu->id];
	/* The run area must still be the host's (it may have been given to a
	 * VM since CREATE_VCPU). */
	uint8_t *area = abi_host_buffer(srv, hv_pa_addr(r.slot->run_area), 2 * HV_PAGE_SIZE);
	if (!area)
		return HV_ABI_ERR_FAULT;
	r.run = (struct hv_abi_vcpu_run *)area;
	r.hw = (struct hv_abi_vcpu_hwstate *)(area + HV_PAGE_SIZE);
	hv_memcpy(&r.answer, r.run, sizeof(r.answer)); /* one read of the host's page */
	if (r.answer.immediate_exit > 1 || r.answer.padding1[0] || r.answer.padding1[1] ||
	    r.answer.padding1[2] ||
	    (r.slot->reported == HV_ABI_EXIT_MMIO && r.answer.mmio.host_abort > HV_ABI_MMIO_ABORT))
		return HV_ABI_ERR_INVALID_ARGS; /* reserved values */

	if (take_answer(&r, out) || report_relinquished(&r, out) || report_wake(&r, out))
		return HV_ABI_OK;
	if (r.answer.immediate_exit || r.slot->kicked) {
		r.slot->kicked = false;
		clear_body(&r);
		return report(&r, HV_ABI_EXIT_IRQ, out);
	}
	return run_loop(&r, out);
}
