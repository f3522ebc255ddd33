/* SPDX-License-Identifier: Apache-2.0 */
/* Per-CPU scheduler trace for hang dumps (sched_trace.h). */
#include "sched_trace.h"

#include <hv/abi.h>
#include <hv/vm_lifecycle.h>
#include <hv/vtimer.h>

#include "console.h"
#include "host_abi.h"
#include "smp.h"
#include "sysreg.h"

/* Layout read by scripts/soak-nested.sh (little-endian 64-bit words, in
 * this order, one record per CPU); keep them in step. */
struct el2_sched_trace {
	uint64_t magic;  /* EL2_TRACE_MAGIC */
	uint64_t where;  /* enum el2_trace_where */
	uint64_t loaded; /* loaded vCPU id + 1, 0: none */
	uint64_t idle_mask;
	uint64_t wfi_count;
	uint64_t wfi_at; /* counter at the last WFI */
	uint64_t hp_deadline;
	uint64_t vtimer_active;
	uint64_t cntv_ctl, cntv_cval, cntvoff, vtimer_line;
	uint64_t server_fn, server_x1, server_ret1;
	/* The last RUN that reported IDLE: its vCPU's timer and what the
	 * server told the host about it (core/vtimer's migration). */
	uint64_t idle_tuple, idle_migrate, idle_delay, idle_ctl, idle_cval, idle_at;
	uint64_t server_calls;
};
#define EL2_TRACE_MAGIC 0x4445484353324c45ull /* "EL2SCHED" */

struct el2_sched_trace el2_sched_traces[EL2_MAX_CPUS];
/* RUNs that reported IDLE while the guest's timer was already due and its
 * line still low: a wake-up the host must not sleep through. */
static uint32_t idle_due;

static struct el2_sched_trace *mine(void)
{
	struct el2_sched_trace *t = &el2_sched_traces[el2_cpu_id()];
	t->magic = EL2_TRACE_MAGIC;
	return t;
}

void el2_trace_where(enum el2_trace_where where)
{
	mine()->where = where;
}

void el2_trace_wfi(const struct hv_vcpu *loaded, uint32_t idle_mask, uint64_t hp_deadline,
                   bool vtimer_active)
{
	struct el2_sched_trace *t = mine();
	t->loaded = loaded ? loaded->id + 1u : 0;
	t->idle_mask = idle_mask;
	t->wfi_count++;
	t->wfi_at = hv_arch_counter();
	t->hp_deadline = hp_deadline;
	t->vtimer_active = vtimer_active;
	if (loaded) {
		t->cntv_ctl = loaded->ctx.timer.cntv_ctl_el0;
		t->cntv_cval = loaded->ctx.timer.cntv_cval_el0;
		t->cntvoff = loaded->ctx.timer.cntvoff_el2;
		t->vtimer_line = loaded->vtimer.line;
	}
	t->where = EL2_AT_WFI;
}

void el2_trace_server(uint64_t fn, uint64_t x1, uint64_t ret1)
{
	struct el2_sched_trace *t = mine();
	t->server_fn = fn;
	t->server_x1 = x1;
	t->server_ret1 = ret1;
	t->server_calls++;
	const struct hv_hyp *hyp = el2_host_abi_hyp();
	if (fn != HV_ABI_FN(HV_ABI_RUN) || ret1 != HV_ABI_EXIT_IDLE || !hyp)
		return;
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		const struct hv_vm *vm = &hyp->vms[i];
		const struct hv_vcpu *v = hyp->vms[i].vcpus[HV_ABI_TUPLE_VCPU(x1) % HV_MAX_VCPUS];
		if (vm->vmid != HV_ABI_TUPLE_VMID(x1) || !v)
			continue;
		struct hv_vtimer_migration m;
		hv_vtimer_migrate(v, &m);
		const struct hv_vtimer_regs *tr = &v->ctx.timer;
		if ((tr->cntv_ctl_el0 & 3u) == 1u && !v->vtimer.line && hv_vtimer_condition_met(v))
			idle_due++; /* armed, due, not yet signalled */
		t->idle_tuple = x1;
		t->idle_migrate = m.migrate;
		t->idle_delay = m.delay_ticks;
		t->idle_ctl = v->ctx.timer.cntv_ctl_el0;
		t->idle_cval = v->ctx.timer.cntv_cval_el0;
		t->idle_at = hv_arch_counter();
		return;
	}
}

void el2_trace_report(void)
{
	if (!el2_host_abi_hyp())
		return;
	el2_puts("el2: idle RUN exits with the guest timer due and not yet signalled: ");
	el2_put_hex(idle_due);
	el2_puts("\n");
}
