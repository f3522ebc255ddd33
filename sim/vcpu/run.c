/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run loop: vCPUs take turns in one host thread (round robin, slices
 * counted in instructions, so runs are deterministic). Each engine stop is
 * turned into the exit a real EL2 would take (syndrome in vcpu->ctx.exit),
 * handed to the core's hv_vcpu_handle_exit(), and the core's answer is
 * carried out; host exits are answered here, playing the host.
 */
#include <hv/guest_dt.h>
#include <hv/esr.h>
#include <hv/fault_loop.h>
#include <hv/inject.h>
#include <hv/psci.h>
#include <hvsim/arch_sim.h>
#include <hvsim/gic_cpuif.h>
#include <hvsim/syndrome.h>
#include <string.h>
#include "sim_internal.h"
#include "core_link.h"
#include "sysreg_model.h"
#include "access_decode.h"

/* Simulated time: counter ticks per engine stop (the counter also jumps to
 * the next timer deadline when every vCPU waits). */
#define SIM_TICKS_PER_EXIT 16u

static enum sim_entry stop_run(struct sim *sim, enum sim_stop why, int status, const char *detail)
{
	sim->stop_all = true;
	sim->result.stop = why;
	sim->result.exit_status = status;
	snprintf(sim->result.detail, sizeof(sim->result.detail), "%s", detail ? detail : "");
	return SIM_ENTRY_STOP;
}

static void trace_exit(struct sim_vcpu *sv, const char *what, enum hv_exit_action act)
{
	struct sim *sim = sv->sim;
	if (!sim->cfg.trace_exits)
		return;
	static const char *const acts[] = {"resume", "host", "idle"};
	const struct hv_vcpu *v = sv->vcpu;
	fprintf(sim->trace, "vcpu%u %-6s esr=0x%08llx", v->id, what,
	        (unsigned long long)v->ctx.exit.esr_el2);
	unsigned ec = hv_esr_ec(v->ctx.exit.esr_el2);
	if (ec == HV_EC_DABT_LOW || ec == HV_EC_IABT_LOW)
		fprintf(sim->trace, " ipa=0x%llx",
		        (unsigned long long)hv_ipa_addr(
		            hv_fault_ipa(v->ctx.exit.hpfar_el2, v->ctx.exit.far_el2)));
	if (ec == HV_EC_DABT_LOW && (v->ctx.exit.esr_el2 & HV_DABT_ISV))
		fprintf(sim->trace, " %s%u", (v->ctx.exit.esr_el2 & HV_DABT_WNR) ? "w" : "r",
		        8u << HV_FIELD(v->ctx.exit.esr_el2, 23, 22));
	fprintf(sim->trace, " -> %s", (unsigned)act < 3 ? acts[act] : "?");
	if (act == HV_ACTION_HOST)
		fprintf(sim->trace, " (%s)", hv_exit_reason_name(v->host_exit.reason));
	fprintf(sim->trace, " pc=0x%llx\n", (unsigned long long)v->ctx.regs.pc);
}

/* The host's answer to an exit that left the core. */
static enum sim_entry host_exit(struct sim_vcpu *sv)
{
	struct sim *sim = sv->sim;
	struct hv_vcpu *v = sv->vcpu;
	char msg[96];
	switch (v->host_exit.reason) {
	case HV_EXIT_MMIO:
		/* No device and no memory here: the access fails like one to
		 * an empty bus, as a synchronous external abort in the guest. */
		sim->counters[SIM_CNT_HOST_MMIO_ABORT]++;
		v->exit_state.pending.active = false;
		hv_inject_dabt(v, v->ctx.exit.far_el2);
		return SIM_ENTRY_CONTINUE;
	case HV_EXIT_SYSTEM_EVENT: {
		int status = (int)(v->ctx.regs.x[1] & 0xffu);
		if (v->host_exit.system_event.type == HV_SYSTEM_EVENT_SHUTDOWN)
			return stop_run(sim, SIM_STOP_SHUTDOWN, status, "PSCI SYSTEM_OFF");
		if (v->host_exit.system_event.type == HV_SYSTEM_EVENT_RESET)
			return stop_run(sim, SIM_STOP_RESET, status, "PSCI SYSTEM_RESET");
		snprintf(msg, sizeof(msg), "system event %u", v->host_exit.system_event.type);
		return stop_run(sim, SIM_STOP_INTERNAL, 0, msg);
	}
	case HV_EXIT_VCPU_OFF: sv->state = SIM_VCPU_OFF; return SIM_ENTRY_YIELD;
	case HV_EXIT_PAGE_FAULT:
		/* Demand paging: the host gives the block's pages. */
		if (sim_mem_supply(sim, v->host_exit.page_fault.ipa,
		                   v->host_exit.page_fault.size) != HV_OK) {
			snprintf(msg, sizeof(msg), "vcpu%u: cannot supply [0x%llx, +0x%llx)", v->id,
			         (unsigned long long)hv_ipa_addr(v->host_exit.page_fault.ipa),
			         (unsigned long long)v->host_exit.page_fault.size);
			return stop_run(sim, SIM_STOP_INTERNAL, 0, msg);
		}
		sim->counters[SIM_CNT_PAGES_SUPPLIED] +=
		    v->host_exit.page_fault.size / HV_PAGE_SIZE;
		return SIM_ENTRY_CONTINUE;
	case HV_EXIT_HYPERCALL:
		/* No host services: the guest sees NOT_SUPPORTED in x0. */
		return SIM_ENTRY_CONTINUE;
	case HV_EXIT_IDLE: sv->state = SIM_VCPU_IDLE; return SIM_ENTRY_YIELD;
	default:
		snprintf(msg, sizeof(msg), "vcpu%u: host exit %s", v->id,
		         hv_exit_reason_name(v->host_exit.reason));
		return stop_run(sim, SIM_STOP_INTERNAL, 0, msg);
	}
}

static enum sim_entry dispatch_exit(struct sim_vcpu *sv, const char *what)
{
	enum hv_exit_action act = hv_vcpu_handle_exit(sv->vcpu);
	trace_exit(sv, what, act);
	/* The core may have changed the stage 2 (a racing vCPU mapped the
	 * page, a relinquish unmapped one): the engines follow. */
	unsigned ec = hv_esr_ec(sv->vcpu->ctx.exit.esr_el2);
	if (ec == HV_EC_DABT_LOW || ec == HV_EC_IABT_LOW)
		sim_mem_sync(sv->sim, sv->ev.addr, HV_PAGE_SIZE);
	sim_mem_reap_relinquished(sv->sim);
	/* The guest polls for what only another vCPU can change (hv/exit.h):
	 * its slice ends here, as the EL2 port lets the other CPUs run. */
	bool relax = sv->vcpu->exit_state.relax_hint;
	sv->vcpu->exit_state.relax_hint = false;
	switch (act) {
	case HV_ACTION_RESUME: return relax ? SIM_ENTRY_YIELD : SIM_ENTRY_CONTINUE;
	case HV_ACTION_IDLE: sv->state = SIM_VCPU_IDLE; return SIM_ENTRY_YIELD;
	default: return host_exit(sv);
	}
}

/* The vCPU re-enters a vector that faults again for ever (core's
 * hv_fault_loop_check): stop it, as the EL2 port does; the run ends with
 * SIM_STOP_GUEST_FAULT if no vCPU is left. */
static enum sim_entry stop_looping_vcpu(struct sim_vcpu *sv, uint64_t exit_pc)
{
	struct hv_vcpu *v = sv->vcpu;
	fprintf(sv->sim->trace,
	        "hvsim: vcpu%u stopped: exception loop in its vectors (pc=0x%llx esr=0x%llx "
	        "far=0x%llx, %u times)\n",
	        v->id, (unsigned long long)exit_pc, (unsigned long long)v->ctx.exit.esr_el2,
	        (unsigned long long)v->ctx.exit.far_el2, HV_FAULT_LOOP_LIMIT);
	snprintf(sv->sim->stuck, sizeof(sv->sim->stuck),
	         "vcpu%u: exception loop in its vectors at pc=0x%llx", v->id,
	         (unsigned long long)exit_pc);
	__atomic_store_n(&v->power, HV_VCPU_OFF, __ATOMIC_RELEASE);
	sv->state = SIM_VCPU_OFF;
	return SIM_ENTRY_YIELD;
}

static enum sim_entry dispatch(struct sim_vcpu *sv, const char *what)
{
	uint64_t exit_pc = sv->vcpu->ctx.regs.pc;
	enum sim_entry s = dispatch_exit(sv, what);
	if (s == SIM_ENTRY_CONTINUE && hv_fault_loop_check(&sv->fault_loop, sv->vcpu, exit_pc))
		return stop_looping_vcpu(sv, exit_pc);
	return s;
}

/* The stop became an exit the core handles (syndrome in vcpu->ctx.exit). */
static enum sim_entry exit_to_core(struct sim_vcpu *sv, const char *what)
{
	sv->exit_what = what;
	return SIM_ENTRY_EXIT;
}

static bool fetch_insn(struct sim_vcpu *sv, uint64_t pc, uint32_t *insn)
{
	/* Contract guests run with the MMU off: VA == IPA. */
	return sim_read_guest(sv->sim, pc, insn, sizeof(*insn)) == HV_OK;
}

static enum sim_entry guest_fault(struct sim_vcpu *sv, const char *why)
{
	char msg[128];
	snprintf(msg, sizeof(msg), "vcpu%u: %s at pc=0x%llx", sv->vcpu->id, why,
	         (unsigned long long)sv->vcpu->ctx.regs.pc);
	return stop_run(sv->sim, SIM_STOP_GUEST_FAULT, 0, msg);
}

/* Unicorn exception numbers (QEMU target/arm EXCP_*). */
#define UC_EXCP_UDEF 1u
#define UC_EXCP_SWI  2u
#define UC_EXCP_DABT 4u
#define UC_EXCP_BKPT 7u
#define UC_EXCP_SMC  13u

/*
 * An alignment fault (misaligned exclusive, acquire/release or atomic;
 * any misaligned access with SCTLR_EL1.A = 1) is a stage-1 fault: hardware
 * takes it to the guest's EL1, never to EL2. Unicorn reports only "data
 * abort": the access is decoded to find the address. ESR_EL1: EC 0x25
 * (0x24 from EL0), IL, ISV=0 (no syndrome for faults taken to EL1), WnR,
 * DFSC 0b100001 (Arm ARM D17.2.37); FAR_EL1 = the address; ELR at the access.
 */
#define DFSC_ALIGNMENT 0x21u

static enum sim_entry alignment_fault(struct sim_vcpu *sv, uint64_t va, bool is_write)
{
	struct hv_vcpu *v = sv->vcpu;
	bool from_el0 = (v->ctx.regs.pstate & HV_PSTATE_MODE_MASK) == HV_PSTATE_EL0T;
	uint64_t esr = ((uint64_t)(from_el0 ? HV_EC_DABT_LOW : HV_EC_DABT_CUR) << HV_ESR_EC_SHIFT) |
	               HV_ESR_IL | (is_write ? HV_DABT_WNR : 0) | DFSC_ALIGNMENT;
	hv_inject_sync(v, esr, true, va);
	return SIM_ENTRY_CONTINUE;
}

/* Unicorn's own alignment fault (misaligned exclusive): decode the access. */
static enum sim_entry engine_alignment_fault(struct sim_vcpu *sv)
{
	struct hv_vcpu *v = sv->vcpu;
	uint32_t insn = 0;
	struct sim_access acc;
	if (!fetch_insn(sv, v->ctx.regs.pc, &insn) || !sim_access_va(insn, &v->ctx.regs, &acc) ||
	    (acc.va & (acc.size - 1u)) == 0)
		return guest_fault(sv, "data abort the sim cannot attribute");
	return alignment_fault(sv, acc.va, acc.is_write);
}

static enum sim_entry on_intr(struct sim_vcpu *sv)
{
	struct hv_vcpu *v = sv->vcpu;
	uint64_t pc = v->ctx.regs.pc;
	uint32_t insn = 0;
	uint16_t imm;
	switch (sv->ev.intno) {
	case UC_EXCP_UDEF:
	case UC_EXCP_SMC:
		if (sv->ev.intno == UC_EXCP_SMC && pc >= 4)
			pc -= 4; /* reported past the SMC */
		if (!fetch_insn(sv, pc, &insn))
			return guest_fault(sv, "instruction fetch");
		v->ctx.regs.pc = pc;
		if ((v->ctx.regs.pstate & HV_PSTATE_MODE_MASK) == HV_PSTATE_EL0T) {
			hv_inject_undef(v); /* HVC and SMC are UNDEFINED at EL0 */
			return SIM_ENTRY_CONTINUE;
		}
		if (sim_insn_is_hvc(insn, &imm)) {
			v->ctx.exit.esr_el2 = sim_esr_hvc(imm);
			v->ctx.regs.pc = pc + 4; /* ELR_EL2: past the HVC */
			return exit_to_core(sv, "hvc");
		}
		if (sim_insn_is_smc(insn, &imm)) {
			v->ctx.exit.esr_el2 = sim_esr_smc(imm); /* ELR: at the SMC */
			return exit_to_core(sv, "smc");
		}
		/* Not trapped on hardware: an EL1 UNDEF goes to the guest's
		 * own vector. The core's injection does the same entry. */
		hv_inject_undef(v);
		return SIM_ENTRY_CONTINUE;
	case UC_EXCP_SWI:
		/* SVC taken to EL1 (ESR EC 0x15, imm16), ELR past the SVC. */
		if (!fetch_insn(sv, pc - 4, &insn))
			return guest_fault(sv, "instruction fetch");
		hv_inject_sync(v,
		               ((uint64_t)HV_EC_SVC64 << HV_ESR_EC_SHIFT) | HV_ESR_IL |
		                   ((insn >> 5) & 0xffffu),
		               false, 0);
		return SIM_ENTRY_CONTINUE;
	case UC_EXCP_BKPT:
		/* BRK taken to EL1 (EC 0x3c, comment imm16), ELR at the BRK. */
		if (!fetch_insn(sv, pc, &insn))
			return guest_fault(sv, "instruction fetch");
		hv_inject_sync(v,
		               ((uint64_t)HV_EC_BRK64 << HV_ESR_EC_SHIFT) | HV_ESR_IL |
		                   ((insn >> 5) & 0xffffu),
		               false, 0);
		return SIM_ENTRY_CONTINUE;
	case UC_EXCP_DABT: return engine_alignment_fault(sv);
	default: {
		char why[48];
		snprintf(why, sizeof(why), "unhandled exception %u", sv->ev.intno);
		return guest_fault(sv, why);
	}
	}
}

/* A mapped page without the permission the access needed: the fault status
 * is a permission fault at the level of the leaf (Arm ARM D17.2.37). */
static void permission_fault(struct sim_vcpu *sv)
{
	if (!sv->ev.permission)
		return;
	unsigned level = sim_mem_leaf_level(sv->sim, sv->ev.addr);
	uint64_t *esr = &sv->vcpu->ctx.exit.esr_el2;
	*esr = (*esr & ~(uint64_t)HV_DABT_DFSC_MASK) | (HV_FSC_PERM_L0 + level);
}

static enum sim_entry on_stop(struct sim_vcpu *sv, uc_err err)
{
	struct hv_vcpu *v = sv->vcpu;
	uint32_t insn = 0;
	switch (sv->ev.kind) {
	case SIM_EV_DABT:
		if (!fetch_insn(sv, v->ctx.regs.pc, &insn))
			return guest_fault(sv, "instruction fetch");
		sim_synth_dabt(insn, sv->ev.addr, hv_ipa(sv->ev.addr), sv->ev.is_write,
		               sim_mem_fault_level(sv->sim, sv->ev.addr), &v->ctx.exit);
		permission_fault(sv);
		return exit_to_core(sv, "dabt");
	case SIM_EV_IABT:
		sim_synth_iabt(sv->ev.addr, hv_ipa(sv->ev.addr),
		               sim_mem_fault_level(sv->sim, sv->ev.addr), &v->ctx.exit);
		permission_fault(sv);
		return exit_to_core(sv, "iabt");
	case SIM_EV_INTR: return on_intr(sv);
	case SIM_EV_SYSREG: v->ctx.exit.esr_el2 = sv->ev.esr; return exit_to_core(sv, "sysreg");
	case SIM_EV_RESYNC: v->ctx.regs.pc += 4; return SIM_ENTRY_CONTINUE;
	case SIM_EV_RECHECK: return SIM_ENTRY_CONTINUE;
	case SIM_EV_ALIGN: return alignment_fault(sv, sv->ev.addr, sv->ev.is_write);
	case SIM_EV_QUANTUM:
		if (sv->sim->cfg.max_insns && sv->sim->insns >= sv->sim->cfg.max_insns)
			return stop_run(sv->sim, SIM_STOP_INSN_LIMIT, 0,
			                "instruction limit reached");
		return SIM_ENTRY_YIELD;
	case SIM_EV_NONE: break;
	}
	if (err != UC_ERR_OK)
		return guest_fault(sv, uc_strerror(err));
	/* The engine halted by itself: WFI/WFE, with the PC past it. */
	if (v->ctx.regs.pc >= 4 && fetch_insn(sv, v->ctx.regs.pc - 4, &insn) &&
	    (sim_insn_is_wfi(insn) || sim_insn_is_wfe(insn))) {
		v->ctx.regs.pc -= 4; /* ELR_EL2 of a trapped WFx: the WFx */
		v->ctx.exit.esr_el2 = sim_esr_wfx(sim_insn_is_wfe(insn));
		return exit_to_core(sv, "wfx");
	}
	return SIM_ENTRY_CONTINUE;
}

/* Instructions a slice may run before the next timer deadline. */
static void limit_slice_to_timer(struct sim_vcpu *sv)
{
	uint64_t deadline;
	if (!sim_core_timer_deadline(sv, &deadline))
		return;
	uint64_t now = hv_arch_counter();
	if (deadline <= now)
		return; /* already fired: the line is up */
	uint64_t left = deadline - now;
	if (sv->quantum_left == 0 || sv->quantum_left > left)
		sv->quantum_left = left;
}

enum sim_entry sim_vcpu_enter(struct sim_vcpu *sv)
{
	struct sim *sim = sv->sim;
	if (sim->counting && sv->quantum_left == 0)
		sim_engine_slice_begin(sv); /* RUN through the hypercall server */
	sim_take_virtual_irq(sv);
	if (sv->irq_at_el0)
		return guest_fault(sv, "interrupt at EL0 (the engine cannot enter EL1 from EL0)");
	limit_slice_to_timer(sv);
	sim_engine_load(sv);
	bool irq_waits =
	    (sv->vcpu->ctx.regs.pstate & HV_PSTATE_I) && sim_gic_irq_signalled(&sv->vcpu->ctx.gic);
	uc_err err = sim_engine_run(sv, irq_waits);
	sim_engine_save(sv);
	sim_gic_update_status(&sv->vcpu->ctx.gic);
	/* Simulated time: one tick per instruction (counted as blocks start,
	 * so the guest sees time move while it polls), plus a cost per exit. */
	sim_counter_advance(SIM_TICKS_PER_EXIT);
	sv->mode_at_stop = sv->vcpu->ctx.regs.pstate & HV_PSTATE_MODE_MASK;
	enum sim_entry s = on_stop(sv, err);
	if (s != SIM_ENTRY_STOP && !sim_vcpu_mode_ok(sv))
		return guest_fault(sv, "exception from EL0 (the engine cannot enter EL1 from EL0)");
	/* The slice is used up even if its last block ended in an exit the sim
	 * handled itself: the next vCPU's turn (a guest whose every block
	 * faults must not keep the thread). */
	if (s == SIM_ENTRY_CONTINUE && sim->counting && sv->quantum_left == 0)
		return SIM_ENTRY_YIELD;
	return s;
}

/*
 * Unicorn 2.0.1 caches the exception level in flags it rebuilds only on its
 * own exception entry and return, which it never performs; writing PSTATE
 * does not rebuild them. An exception entry from EL0 into EL1 (injected by
 * the sim or the core after the engine stopped at EL0) cannot be carried out.
 */
bool sim_vcpu_mode_ok(const struct sim_vcpu *sv)
{
	return sv->mode_at_stop != HV_PSTATE_EL0T ||
	       (sv->vcpu->ctx.regs.pstate & HV_PSTATE_MODE_MASK) == HV_PSTATE_EL0T;
}

/* Run one vCPU for one time slice: until the slice is used up (even by
 * exits: each block may end in one), or it idles, powers off, or the run
 * ends. */
static enum sim_entry run_vcpu(struct sim_vcpu *sv)
{
	struct sim *sim = sv->sim;
	if (sim->counting)
		sim_engine_slice_begin(sv);
	for (;;) {
		sim_core_before_entry(sv);
		enum sim_entry s = sim_vcpu_enter(sv);
		sim_core_after_exit(sv);
		if (s == SIM_ENTRY_EXIT)
			s = dispatch(sv, sv->exit_what);
		if (s == SIM_ENTRY_STOP)
			return s;
		if (!sim_vcpu_mode_ok(sv))
			return guest_fault(sv, "exception from EL0 (the engine cannot enter EL1 "
			                       "from EL0)");
		if (sim->cfg.max_insns && sim->insns >= sim->cfg.max_insns)
			return stop_run(sim, SIM_STOP_INSN_LIMIT, 0, "instruction limit reached");
		if (s == SIM_ENTRY_YIELD)
			return s;
		if (sim->counting && sv->quantum_left == 0)
			return SIM_ENTRY_YIELD;
	}
}

/* Make an OFF vCPU that CPU_ON targeted runnable. */
static void power_on_pending(struct sim_vcpu *sv)
{
	if (sv->vcpu->power != HV_VCPU_ON_PENDING || sv->state != SIM_VCPU_OFF)
		return;
	hv_psci_vcpu_entering(sv->vcpu);
	sim_engine_load_all(sv);
	sv->state = SIM_VCPU_RUNNABLE;
}

static struct sim_vcpu *pick(struct sim *sim, uint32_t *cursor)
{
	uint32_t n = sim->cfg.nr_vcpus;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t i = (*cursor + k) % n;
		struct sim_vcpu *sv = &sim->vcpus[i];
		power_on_pending(sv);
		if (sv->state == SIM_VCPU_IDLE) {
			sim_core_update_lines(sv);
			if (sim_core_has_pending(sv))
				sv->state = SIM_VCPU_RUNNABLE;
		}
		if (sv->state == SIM_VCPU_RUNNABLE) {
			*cursor = (i + 1) % n;
			return sv;
		}
	}
	return NULL;
}

/* Every vCPU waits: let simulated time jump to the earliest timer deadline
 * of an idle vCPU. False if no timer is armed. */
static bool advance_to_next_deadline(struct sim *sim)
{
	bool any = false;
	uint64_t earliest = UINT64_MAX;
	for (uint32_t i = 0; i < sim->cfg.nr_vcpus; i++) {
		uint64_t d;
		if (sim->vcpus[i].state == SIM_VCPU_IDLE &&
		    sim_core_timer_deadline(&sim->vcpus[i], &d) && d < earliest) {
			earliest = d;
			any = true;
		}
	}
	if (!any)
		return false;
	uint64_t now = hv_arch_counter();
	if (earliest <= now)
		return false; /* already due, yet nothing woke: no interrupt path */
	sim_counter_advance(earliest - now);
	return true;
}

/* The arm64 boot protocol for every payload: the device tree in the last
 * HV_GUEST_DT_SLOT bytes of RAM, x0 = its IPA, x1..x3 = 0. */
static hv_status_t write_guest_dt(struct sim *sim, uint64_t *ipa)
{
	static uint8_t blob[HV_GUEST_DT_MAX];
	struct hv_guest_dt dt;
	hv_guest_dt_describe(&dt, &hv_platform_virt, sim->ram_size, sim->cfg.nr_vcpus);
	dt.ram_ipa = sim->ram_base;
	for (uint32_t i = 0; i < sim->cfg.nr_vcpus; i++)
		dt.cpu_mpidr[i] = sim->vcpus[i].vcpu->ctx.el1.mpidr_el1;
	dt.bootargs = sim->cfg.bootargs;
	hv_status_t st = hv_guest_dt_build(blob, sizeof(blob), &dt);
	*ipa = hv_guest_dt_ipa(sim->ram_base, sim->ram_size);
	if (st == HV_OK)
		st = sim_copy_to_ram(sim, *ipa, blob, sizeof(blob));
	return st;
}

static hv_status_t start_boot_vcpu(struct sim *sim)
{
	struct sim_vcpu *sv = &sim->vcpus[0];
	struct hv_vcpu *v = sv->vcpu;
	uint64_t dt;
	hv_status_t st = write_guest_dt(sim, &dt);
	if (st != HV_OK)
		return st;
	memset(&v->ctx.regs, 0, sizeof(v->ctx.regs));
	v->ctx.regs.x[0] = dt;
	v->ctx.regs.pc = sim->entry;
	v->ctx.regs.pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	v->ctx.el1.sctlr_el1 = HV_SCTLR_EL1_RESET;
	v->power = HV_VCPU_ON;
	sv->state = SIM_VCPU_RUNNABLE;
	sim_engine_load_all(sv);
	return HV_OK;
}

hv_status_t sim_run(struct sim *sim, struct sim_result *res)
{
	memset(&sim->result, 0, sizeof(sim->result));
	sim->stop_all = false;
	sim->stuck[0] = 0;
	hv_vm_mark_running(sim->vm);
	if (start_boot_vcpu(sim) != HV_OK)
		stop_run(sim, SIM_STOP_INTERNAL, 0, "cannot write the guest's device tree");
	uint32_t cursor = 0;
	while (!sim->stop_all) {
		struct sim_vcpu *sv = pick(sim, &cursor);
		if (!sv && advance_to_next_deadline(sim))
			continue;
		if (!sv) {
			bool any_on = false;
			for (uint32_t i = 0; i < sim->cfg.nr_vcpus; i++)
				any_on |= sim->vcpus[i].state != SIM_VCPU_OFF;
			if (!any_on && sim->stuck[0])
				stop_run(sim, SIM_STOP_GUEST_FAULT, 0, sim->stuck);
			else if (!any_on)
				stop_run(sim, SIM_STOP_ALL_OFF, 0, "every vCPU is off");
			else
				stop_run(sim, SIM_STOP_DEADLOCK, 0,
				         "every vCPU waits for an interrupt and none can arrive");
			break;
		}
		run_vcpu(sv);
	}
	sim->result.insns = sim->insns;
	if (res)
		*res = sim->result;
	return HV_OK;
}
