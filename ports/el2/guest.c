/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Running a guest at EL1 on this CPU. Everything that decides anything is
 * core/: the VM, vCPU and memslot (core/vm, core/mem: demand paging in
 * 2 MiB blocks into core/s2 tables), exit dispatch (core/exit: PSCI, MMIO
 * decode and the bus), the PL011 model (core/dev). The port only switches
 * worlds, moves EL1 system registers and the syndrome between the CPU and
 * the vCPU context, and answers the exits a host answers: supplying the
 * pages of a faulting block, ending the run at SYSTEM_OFF.
 *
 * Physical CPUs: which vCPU runs where, when a CPU may sleep, whom to kick
 * and the deadline an idle CPU arms are core/sched's (hv/sched.h states the
 * protocol): vCPU i lives on physical CPU i mod n (n = online CPUs, at most
 * the number of vCPUs), each CPU round-robins its own vCPUs; a CPU
 * publishes GUEST before its last look (the vGIC flush) and entry, IDLE
 * before its last look and WFI, EL2 when back. One VM lock serializes every
 * call into core/ (exit handling, vGIC flush/sync and injection, the
 * vtimer, demand paging); the world switch runs outside it. A CPU that
 * makes a vCPU of another CPU runnable (an SGI, an SPI, PSCI CPU_ON) kicks
 * that CPU with a physical SGI, unless core/sched says it is at EL2 and
 * will look anyway; the kick ends its guest's run or its WFI. Whether a
 * vCPU is ready is core/sched's too (ready.c); in host mode a RUN served
 * here is a RUN entry of this CPU's run queue ("RUN entry" below).
 *
 * The virtual timer: the guest's CNTV_* run on the CPU's own timer, and
 * each vCPU's PPI 27 is backed by the CPU's physical virtual-timer PPI (from
 * the DTB; hv_vtimer_map_hw). EL2 takes that PPI, drops its priority and
 * leaves it active (gic.c: EOImode 1); the vGIC puts PPI 27 in a list
 * register with HW = 1, so the guest's deactivation deactivates the
 * physical PPI, with no maintenance exit. On every entry the CPU's physical
 * PPI gets the active state core/vtimer asks for the vCPU being entered
 * (hv_vtimer_hw_active): that is how its state follows the vCPU when the
 * CPU switches vCPUs, and how a timer the guest masked (CNTV_CTL.IMASK)
 * before taking its interrupt fires again.
 */
#include "guest.h"

#include <hv/arch.h>
#include <hv/esr.h>
#include <hv/fault_loop.h>
#include <hv/inject.h>
#include <hv/mem.h>
#include <hv/pl011.h>
#include <hv/platform.h>
#include <hv/psci.h>
#include <hv/sched.h>
#include <hv/vgic.h>
#include <hv/vm_lifecycle.h>
#include <hv/vtimer.h>

#include "console.h"
#include "event_trace.h"
#include "exit_stats.h"
#include "gic.h"
#include "debug_hw.h"
#include "guest_boot.h"
#include "host_abi.h"
#include "idregs_hw.h"
#include "pool.h"
#include "run_entry.h"
#include "sched_trace.h"
#include "smp.h"
#include "stop_status.h"
#include "sysreg.h"
#include "vcpu_state.h"

/* The virtual platform, as hvsim's (core/include/hv/platform.h). */
#define GUEST_RAM_IPA   (hv_platform_virt.ram_base)
#define GUEST_UART_IPA  (hv_platform_virt.uart_base)
#define GUEST_GICD_IPA  (hv_platform_virt.gicd_base)
#define GUEST_GICR_IPA  (hv_platform_virt.gicr_base)
#define GUEST_NR_SPIS   (hv_platform_virt.nr_spis)
#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK  2u
#define GUEST_RAM_SLOT  0

HV_STATIC_ASSERT(offsetof(struct hv_vcpu_regs, sp_el0) == 248, "world_switch.S CTX_SP_EL0");
HV_STATIC_ASSERT(offsetof(struct hv_vcpu_regs, sp_el1) == 256, "world_switch.S CTX_SP_EL1");
HV_STATIC_ASSERT(offsetof(struct hv_vcpu_regs, pc) == 264, "world_switch.S CTX_PC");
HV_STATIC_ASSERT(offsetof(struct hv_vcpu_regs, pstate) == 272, "world_switch.S CTX_PSTATE");
HV_STATIC_ASSERT(offsetof(struct hv_vcpu_context, regs) == 0, "regs first");

static struct hv_hyp hyp;
static struct hv_page_owner owners[EL2_GUEST_MAX_RAM / HV_PAGE_SIZE];
static uint64_t guest_ram_size;
static uint64_t guest_ram_ipa; /* GUEST_RAM_IPA, or the RAM's PA in host mode */
static struct hv_pl011 uart;
static struct hv_vm *cur_vm;
static uint64_t guest_image_pa;
static bool host_mode;       /* the guest is the host (hypercall server) */
static bool cpus_may_starve; /* hvcore.cpus_may_starve=1 (guest_config.h) */

#define MAX_GUEST_VCPUS EL2_GUEST_MAX_VCPUS
#define SLICE_TICKS_DIV 1000 /* 1 ms slices when a CPU has several vCPUs */
#define TICK_DIV        100  /* 10 ms ticks for a lone vCPU when CPUs are several */
static struct hv_vcpu *vcpus[MAX_GUEST_VCPUS];
static unsigned nr_vcpus;
static struct hv_sched sched; /* core/sched: homes, where each CPU is */

/* Serializes every call into core/ for this VM. */
static struct el2_lock vm_lock;
/* Set once, by whichever CPU sees the guest stop; the others then stop. */
static volatile bool vm_stopped;
static volatile unsigned vm_status;

/* Per physical CPU. */
struct cpu_state {
	/* The EL2 physical timer fired: the running vCPU's slice is over. */
	bool slice_over;
	uint64_t entries;    /* guest entries made by this CPU */
	uint64_t slice_ends; /* runs ended by their slice or tick (EL2 timer) */
	/* Bytes the guest sent to its PL011 while this CPU held vm_lock,
	 * written to the real UART after the lock is released. */
	char uart_out[64];
	unsigned uart_len;
	uint32_t kicks; /* CPUs to kick when this one releases vm_lock */
	/* Host mode: the host vCPU whose RUN this CPU serves, or NULL. */
	struct hv_vcpu *run_caller;
	/* A vCPU of this CPU was made runnable since its last vGIC flush
	 * (kick_vcpu; atomic): a RUN served here gives the CPU back. */
	uint32_t host_wake;
	uint64_t run_idle_waits;     /* WFIs inside RUNs */
	uint64_t run_idle_reentries; /* RUN vCPUs woken here and entered again */
};
static struct cpu_state cpu_states[EL2_MAX_CPUS];

static unsigned home_cpu(unsigned vcpu_id)
{
	return hv_sched_home(&sched, vcpu_id);
}

/* Under vm_lock: the vCPU's CPU must look again (vGIC kick hook). The SGI
 * goes out when this CPU releases the lock (vm_unlock): a CPU woken by it
 * must not find the lock still held by its sender, whose host thread may
 * just have been preempted in favour of the woken one (QEMU). */
static void kick_vcpu(struct hv_vcpu *target, void *opaque)
{
	(void)opaque;
	unsigned self = el2_cpu_id();
	/* Before hv_sched_wake's fence: a RUN of that CPU looks at it after
	 * publishing GUEST (el2_run_entry_wanted). */
	__atomic_store_n(&cpu_states[home_cpu(target->id)].host_wake, 1u, __ATOMIC_RELAXED);
	if (hv_sched_wake(&sched, target->id, self))
		cpu_states[self].kicks |= 1u << home_cpu(target->id);
}

static void vm_unlock(struct cpu_state *cs)
{
	uint32_t kicks = cs->kicks;
	cs->kicks = 0;
	el2_unlock(&vm_lock);
	for (; kicks; kicks &= kicks - 1) {
		el2_event(HV_TRACE_KICK, 0, 0, (uint32_t)__builtin_ctz(kicks), 0);
		el2_kick_cpu((unsigned)__builtin_ctz(kicks));
	}
}

/* Under vm_lock, after an exit of `v`: a vCPU it powered on (PSCI CPU_ON,
 * reported by core/exit) starts from reset EL1/FP state, and one of another
 * CPU must be noticed there. */
static void wake_powered_on(struct hv_vcpu *v)
{
	uint32_t on = v->exit_state.powered_on; /* core/exit: PSCI CPU_ON targets */
	v->exit_state.powered_on = 0;
	for (unsigned i = 0; i < nr_vcpus; i++) {
		if (on & (1u << i)) {
			el2_vcpu_state_reset(vcpus[i]);
			kick_vcpu(vcpus[i], NULL);
		}
	}
}

/* Under vm_lock: ends the run for every CPU with `status`. */
static void stop_vm(unsigned status)
{
	if (!vm_stopped) {
		vm_status = status;
		__asm__ volatile("dmb ish" ::: "memory");
		vm_stopped = true;
	}
	for (unsigned cpu = 0; cpu < hv_sched_cpus_used(&sched); cpu++)
		if (cpu != el2_cpu_id())
			cpu_states[el2_cpu_id()].kicks |= 1u << cpu; /* sent by vm_unlock */
}

/* The PL011's interrupt line: SPI 1 (INTID 33), as in the guest's DT. */
#define GUEST_UART_INTID (hv_platform_virt.uart_intid)
static void uart_irq(void *arg, bool level)
{
	(void)arg;
	if (level)
		el2_event(HV_TRACE_INJECT, cur_vm->vmid, 0, GUEST_UART_INTID, 0);
	struct hv_vcpu *target = hv_vgic_inject_spi(cur_vm, GUEST_UART_INTID, level);
	if (target)
		kick_vcpu(target, NULL);
}

static void uart_flush(struct cpu_state *cs)
{
	if (cs->uart_len) {
		el2_console_write_raw(cs->uart_out, cs->uart_len);
		cs->uart_len = 0;
	}
}

/* Under vm_lock (the PL011 model runs in exit handling): queue the byte for
 * this CPU's uart_flush. */
static void uart_tx(void *arg, uint8_t byte)
{
	(void)arg;
	struct cpu_state *cs = &cpu_states[el2_cpu_id()];
	if (cs->uart_len == sizeof(cs->uart_out))
		uart_flush(cs);
	cs->uart_out[cs->uart_len++] = (char)byte;
}

/* The host's part of demand paging: the block's pages are the guest RAM
 * region's pages at the same offset. */
static hv_status_t supply(struct hv_vcpu *v, uint64_t image_pa)
{
	uint64_t ipa = hv_ipa_addr(v->host_exit.page_fault.ipa);
	uint64_t size = v->host_exit.page_fault.size;
	if (ipa < guest_ram_ipa || size > guest_ram_size ||
	    ipa - guest_ram_ipa > guest_ram_size - size)
		return HV_ERR_RANGE;
	uint64_t pfn = (image_pa + (ipa - guest_ram_ipa)) >> 12;
	return hv_mem_map_range(v->vm, GUEST_RAM_SLOT, hv_ipa(ipa), pfn,
	                        (uint32_t)(size / HV_PAGE_SIZE));
}

/* Physical interrupts taken while the guest ran or EL2 waited. */
static void handle_irqs(struct cpu_state *cs, struct hv_vcpu *loaded)
{
	for (bool first = true;; first = false) {
		uint32_t intid = el2_gic_ack();
		if (intid >= EL2_INTID_SPURIOUS) {
			if (first)
				el2_exit_stats_irq(intid);
			break;
		}
		el2_exit_stats_irq(intid);
		if (intid == EL2_PPI_VTIMER) {
			/* Stays active: the guest's deactivation of its
			 * hardware-mapped PPI 27 (or the next entry's
			 * el2_gic_ppi_set_active) deactivates it. */
			el2_gic_priority_drop(intid);
			continue;
		}
		if (intid == EL2_PPI_HYP_TIMER) {
			write_sysreg(cnthp_ctl_el2, 0ull);
			cs->slice_over = true;
		} else if (intid == EL2_SGI_KICK) {
			el2_kick_taken(); /* the scheduler looks again anyway */
		}
		/* Maintenance: the vGIC's sync has read MISR/EOIcount. */
		el2_gic_eoi(intid); /* priority drop and deactivation */
	}
	if (loaded)
		el2_timer_save(&loaded->ctx.timer);
}

/* The vCPU's timer onto the CPU, and the physical timer PPI's active state
 * core/vtimer computed for it under vm_lock (`phys_active`). Made active
 * before the timer is loaded and inactive after, so that neither the
 * previous vCPU's timer nor this one's signals it in between. */
static unsigned fail(const char *why, hv_status_t st)
{
	el2_puts("el2: guest: ");
	el2_puts(why);
	el2_puts(": ");
	el2_puts(hv_status_name(st));
	el2_puts("\n");
	return EL2_STOP_INTERNAL;
}

enum slice_end { SLICE_YIELD, SLICE_STOP };

/* Under vm_lock, after an exit: fold the list registers back, then
 * re-drive the timer line from the registers just saved (the guest may have
 * deactivated its hardware-mapped PPI 27 and moved its deadline without
 * exiting), so that the model is exact before anything looks at it. */
static void sync_vcpu(struct hv_vcpu *v)
{
	el2_exit_prof_mark(EL2_PROF_LOCKED);
	hv_vgic_sync(v);
	hv_vtimer_update(v);
	el2_exit_prof_mark(EL2_PROF_SYNCED);
}

/* Under vm_lock. */
static unsigned powered_on(void)
{
	unsigned n = 0;
	for (unsigned i = 0; i < nr_vcpus; i++)
		n += vcpus[i]->power != HV_VCPU_OFF;
	return n;
}

/* Under vm_lock: what a host does with an exit the core handed to it.
 * SLICE_STOP when the guest's run is over (vm_status set). */
static bool host_exit(struct hv_vcpu *v, enum slice_end *end)
{
	hv_status_t st;
	switch (v->host_exit.reason) {
	case HV_EXIT_PAGE_FAULT:
		if ((st = supply(v, guest_image_pa)) != HV_OK) {
			stop_vm(fail("supply block", st));
			*end = SLICE_STOP;
			return true;
		}
		return false;
	case HV_EXIT_MMIO:
		/* No device and no memory: an external abort, as on an empty bus. */
		v->exit_state.pending.active = false;
		hv_inject_dabt(v, v->ctx.exit.far_el2);
		return false;
	case HV_EXIT_HYPERCALL: return false; /* no host services: NOT_SUPPORTED */
	case HV_EXIT_VCPU_OFF: *end = SLICE_YIELD; return true;
	case HV_EXIT_SYSTEM_EVENT:
		stop_vm((unsigned)(v->ctx.regs.x[1] & 0xffu));
		*end = SLICE_STOP;
		return true;
	default:
		el2_puts("el2: guest: host exit ");
		el2_puts(hv_exit_reason_name(v->host_exit.reason));
		el2_puts("\n");
		stop_vm(EL2_STOP_INTERNAL);
		*end = SLICE_STOP;
		return true;
	}
}

/* Per vCPU: the fault-loop detector's state (hv/fault_loop.h). */
static struct hv_fault_loop fault_loops[MAX_GUEST_VCPUS];
static unsigned stuck_vcpus;

/* Under vm_lock, after an exit handled at `exit_pc`: a vCPU whose vectors
 * fault for ever is stopped with a report (powered off: it burns no CPU);
 * the others go on. */
static bool stop_if_looping(struct hv_vcpu *v, uint64_t exit_pc)
{
	if (!hv_fault_loop_check(&fault_loops[v->id], v, exit_pc))
		return false;
	el2_puts("el2: guest: vcpu ");
	el2_put_hex(v->id);
	el2_puts(" stopped: exception loop in its vectors, pc ");
	el2_put_hex(exit_pc);
	el2_puts(" esr ");
	el2_put_hex(v->ctx.exit.esr_el2);
	el2_puts(" far ");
	el2_put_hex(v->ctx.exit.far_el2);
	el2_puts("\n");
	__atomic_store_n(&v->power, HV_VCPU_OFF, __ATOMIC_RELEASE);
	stuck_vcpus++;
	return true;
}

/* Under vm_lock, before an entry: the EL2 physical timer ends the slice
 * at `slice_end` or at the vCPU's emulated EL1 physical timer deadline,
 * whichever comes first (its expiry then raises PPI 30 in time). */
static void arm_hyp_timer(const struct hv_vcpu *v, uint64_t slice_end)
{
	uint64_t when = slice_end, pct;
	if (hv_vtimer_ptimer_deadline(v, &pct) && pct < when)
		when = pct;
	if (when == UINT64_MAX) {
		write_sysreg(cnthp_ctl_el2, 0ull);
		return;
	}
	write_sysreg(cnthp_cval_el2, when);
	write_sysreg(cnthp_ctl_el2, 1ull);
}

/* Right after a synchronous exit of `v`, before anything else of it is
 * saved: the exits core/exit answers on a fast path (hv/exit.h), an SMCCC
 * query (el2_vcpu_fast_exit) or an access to an in-hypervisor device, made
 * under vm_lock. HV_FAST_FLUSH: that access changed the vCPU's interrupts,
 * the full entry (vGIC sync and flush) follows. */
static enum hv_exit_fast fast_exit(struct cpu_state *cs, struct hv_vcpu *v)
{
	if (el2_vcpu_fast_exit(v))
		return HV_FAST_RESUME;
	uint64_t esr = read_sysreg(esr_el2);
	if (hv_esr_ec(esr) != HV_EC_DABT_LOW || !(esr & HV_DABT_ISV))
		return HV_FAST_NONE;
	el2_exit_prof_fast_mark(EL2_PROF_SAVED);
	el2_lock(&vm_lock);
	el2_exit_prof_fast_mark(EL2_PROF_LOCKED);
	enum hv_exit_fast f =
	    hv_exit_fast_mmio(v, esr, read_sysreg(far_el2), read_sysreg(hpfar_el2));
	el2_exit_prof_fast_mark(EL2_PROF_DISPATCHED);
	vm_unlock(cs);
	if (f == HV_FAST_NONE)
		return f;
	fault_loops[v->id] = (struct hv_fault_loop){0}; /* progress: not a loop */
	uart_flush(cs);
	el2_exit_prof_fast_mark(EL2_PROF_FLUSHED);
	if (f == HV_FAST_RESUME)
		el2_exit_prof_mark_fast(EL2_FAST_MMIO);
	return f;
}

/* Run vCPU `v` on this CPU until it idles, powers off, its slice (`slice`
 * counter ticks, 0: none) ends or the guest stops (vm_stopped). */
static enum slice_end run_slice(struct cpu_state *cs, struct hv_vcpu *v, uint64_t slice)
{
	cs->slice_over = false;
	uint64_t slice_end = slice ? hv_arch_counter() + slice : UINT64_MAX;
	/* vm_lock is held from an exit's vGIC sync through its handling to the
	 * next entry's flush: one lock round trip per exit. */
	el2_lock(&vm_lock);
	for (;;) {
		if (vm_stopped) {
			vm_unlock(cs);
			return SLICE_STOP;
		}
		/* GUEST before the last look (the flush): a wake-up from now on
		 * kicks this CPU out of the guest (hv/sched.h). */
		hv_sched_publish(&sched, el2_cpu_id(), HV_SCHED_GUEST);
		__atomic_store_n(&cs->host_wake, 0u, __ATOMIC_RELAXED); /* the flush looks */
		hv_psci_vcpu_entering(v);
		hv_vtimer_update(v);
		hv_vgic_flush(v);
		arm_hyp_timer(v, slice_end);
		bool vtimer_active = hv_vtimer_hw_active(v);
		bool relax = v->exit_state.relax_hint;
		v->exit_state.relax_hint = false;
		vm_unlock(cs);
		uart_flush(cs);
		/* The guest polls for what only another CPU can change (hv/exit.h):
		 * YIELD. QEMU before 8.1 under -icount runs the CPUs in turn and
		 * gives the first one the whole budget up to the next timer
		 * deadline; one that spins through HVCs used all of it and the
		 * next CPU never ran an instruction again (README, core/sched). */
		if (relax)
			hv_arch_cpu_relax();
		el2_vcpu_load(v, vtimer_active);
		isb();
		cs->entries++;
		struct el2_prof_asm *stamps = el2_exit_stats_stamps();
		uint64_t kind;
		enum hv_exit_fast fast;
		el2_trace_where(EL2_AT_GUEST);
		do {
			el2_event_enter(v);
			kind = el2_guest_enter_prof(&v->ctx, stamps);
			el2_event_exit(v, kind);
			el2_exit_stats_guest_ran(stamps);
			fast = kind == 0 ? fast_exit(cs, v) : HV_FAST_NONE;
		} while (fast == HV_FAST_RESUME);
		hv_sched_in_el2(&sched, el2_cpu_id()); /* it looks again before entry */
		el2_trace_where(EL2_AT_EL2);
		el2_vcpu_save(v);
		if (kind == 1) { /* IRQ */
			el2_exit_stats_exit(true);
			el2_exit_stats_maintenance(v->ctx.gic.misr);
			handle_irqs(cs, v);
			el2_lock(&vm_lock);
			sync_vcpu(v);
			if (cs->slice_over) {
				if (slice && hv_arch_counter() >= slice_end)
					cs->slice_ends++; /* not an EL1 physical timer's */
				vm_unlock(cs);
				hv_arch_cpu_relax(); /* see run_cpu */
				return SLICE_YIELD;
			}
			continue;
		}
		el2_lock(&vm_lock);
		sync_vcpu(v);
		if (kind != 0) {
			el2_puts("el2: guest: unexpected FIQ/SError exit\n");
			stop_vm(EL2_STOP_INTERNAL);
			vm_unlock(cs);
			return SLICE_STOP;
		}
		enum slice_end end = SLICE_YIELD;
		bool leave = false;
		enum hv_exit_action act = HV_ACTION_RESUME;
		uint64_t exit_pc = v->ctx.regs.pc;
		if (fast == HV_FAST_FLUSH) {
			/* handled by fast_exit: only the entry is left */
		} else if (el2_host_abi_is_call(v)) { /* host mode: a hypercall-server call */
			vm_unlock(cs);
			uint64_t fn = (uint32_t)v->ctx.regs.x[0], x1 = v->ctx.regs.x[1];
			/* RUN may enter a server VM's guest: kicks must reach
			 * this CPU there, as in the host's own guest. */
			hv_sched_publish(&sched, el2_cpu_id(), HV_SCHED_GUEST);
			el2_trace_where(EL2_AT_SERVER);
			el2_host_abi_serve(v);
			el2_trace_server(fn, x1, v->ctx.regs.x[1]);
			el2_trace_where(EL2_AT_EL2);
			hv_sched_in_el2(&sched, el2_cpu_id());
			el2_lock(&vm_lock);
		} else if (!el2_host_abi_denied_fault(v)) {
			act = hv_vcpu_handle_exit(v);
		}
		el2_exit_stats_exit(false);
		if (act == HV_ACTION_IDLE) {
			if (!hv_vgic_vcpu_has_pending(v)) {
				hv_sched_vcpu_idles(&sched, v->id);
				leave = true;
			}
		} else if (act != HV_ACTION_RESUME) {
			leave = host_exit(v, &end);
		}
		if (!leave && stop_if_looping(v, exit_pc))
			leave = true;
		wake_powered_on(v);
		if (leave) {
			vm_unlock(cs);
			return end;
		}
	}
}

/* Under vm_lock: core/sched's readiness test (hv_sched_ready_fn). */
static bool runnable(void *arg, unsigned i)
{
	(void)arg;
	return hv_sched_vcpu_ready(&sched, vcpus[i]);
}

/* `v`'s virtual and (emulated) EL1 physical timers as an idle CPU sees
 * them (hv_sched_idle_deadline), after t[0, n); returns the new count.
 * hw_signals: its virtual timer is on this CPU and its PPI can fire. */
static unsigned add_timers(struct hv_sched_timer *t, unsigned n, const struct hv_vcpu *v,
                           bool hw_signals)
{
	t[n++] = (struct hv_sched_timer){
	    .ctl = v->ctx.timer.cntv_ctl_el0,
	    .cval = v->ctx.timer.cntv_cval_el0,
	    .cntvoff = v->ctx.timer.cntvoff_el2,
	    .on = v->power != HV_VCPU_OFF,
	    .line = v->vtimer.line,
	    .hw_signals = hw_signals,
	};
	/* The EL1 physical timer is emulated: only the EL2 timer signals it. */
	t[n++] = (struct hv_sched_timer){
	    .ctl = v->ctx.timer.cntp_ctl_el0,
	    .cval = v->ctx.timer.cntp_cval_el0,
	    .on = v->power != HV_VCPU_OFF,
	    .line = v->vtimer.pline,
	};
	return n;
}

/* Nothing to run here: sleep until the earliest virtual-timer deadline of
 * this CPU's powered-on vCPUs (EL2 physical timer), a kick, or any physical
 * interrupt. Called with vm_lock held; releases it. A kick sent after the
 * lock is released is pending at the GIC and ends the WFI at once. */
static void wait_here(struct cpu_state *cs, unsigned cpu, struct hv_vcpu *loaded)
{
	/* The loaded vCPU's timer stays on the CPU while it waits: its expiry
	 * wakes the CPU through the physical PPI unless that is active (the
	 * interrupt was delivered already), so only the other vCPUs need the
	 * EL2 timer, and only those whose line is still low (runnable() just
	 * re-drove every line: one that is high is in the vGIC already, and the
	 * guest masks it, e.g. with its running priority while it parks in an
	 * interrupt handler at power-off; a timer set at its past deadline
	 * would only make this CPU spin). A vCPU that is off keeps whatever the
	 * PPI holds: its line is not re-driven, and an expiry acknowledged here
	 * stays active rather than storm. */
	bool loaded_on = loaded && loaded->power != HV_VCPU_OFF;
	bool vtimer_active = loaded_on && hv_vtimer_hw_active(loaded);
	struct hv_sched_timer timers[2 * MAX_GUEST_VCPUS];
	unsigned n = 0;
	for (unsigned i = 0; i < nr_vcpus; i++)
		if (home_cpu(i) == cpu)
			n = add_timers(timers, n, vcpus[i], vcpus[i] == loaded && !vtimer_active);
	uint64_t earliest = hv_sched_idle_deadline(timers, n);
	uint32_t idle_mask = hv_sched_idle_mask(&sched);
	vm_unlock(cs);
	el2_trace_wfi(loaded, idle_mask, earliest, vtimer_active);
	if (earliest != UINT64_MAX) {
		write_sysreg(cnthp_cval_el2, earliest);
		write_sysreg(cnthp_ctl_el2, 1ull);
	}
	if (loaded_on)
		el2_gic_ppi_set_active(EL2_PPI_VTIMER, vtimer_active);
	el2_exit_stats_time(EL2_TIME_HYP);
	el2_event(HV_TRACE_IDLE, 0, 0, 0, 0);
	__asm__ volatile("dsb sy\n\twfi" ::: "memory");
	el2_event(HV_TRACE_WAKE, 0, 0, 0, 0);
	el2_exit_stats_time(EL2_TIME_IDLE);
	hv_sched_in_el2(&sched, cpu);
	el2_trace_where(EL2_AT_EL2);
	handle_irqs(cs, loaded);
	write_sysreg(cnthp_ctl_el2, 0ull);
}

/*
 * Host mode: the RUN entry of this CPU (hv/sched.h, "RUN entries"). While
 * a host vCPU's RUN serves a server VM's vCPU here, core/sched's run queue
 * of this CPU holds that entry beside the host's vCPUs: the runtime
 * publishes GUEST before each of its entries and EL2 after
 * (abi_runtime_el2.c), and when the vCPU idles the CPU waits here at EL2
 * under the same idle decision as wait_here's. Called under the server
 * lock (host_abi.c), which is taken before vm_lock.
 */
struct run_wait {
	struct hv_vcpu *guest;            /* the RUN's vCPU (the server's VM) */
	struct hv_vcpu *caller;           /* the host vCPU whose RUN it is */
	const volatile uint32_t *waiters; /* CPUs waiting for the server */
};

/* Under vm_lock: core/sched's readiness test inside a RUN. */
static bool run_ready(void *arg, unsigned i)
{
	struct run_wait *w = arg;
	if (i == HV_SCHED_RUN_ENTRY)
		return hv_sched_vcpu_wants_cpu(w->guest);
	if (i != w->caller->id)
		return runnable(NULL, i);
	/* The caller needs its CPU back: an interrupt for it, or a server
	 * call of another CPU waits for the RUN to give way. */
	return hv_sched_vcpu_wants_cpu(w->caller) ||
	       __atomic_load_n(w->waiters, __ATOMIC_ACQUIRE) || vm_stopped;
}

/* Each entry point does nothing unless this file runs the host (a host
 * calling the server from elsewhere, el2-mediatek's, has no RUN entries). */
void el2_run_entry_begin(unsigned caller, uint64_t tuple)
{
	unsigned cpu = el2_cpu_id();
	if (!host_mode || caller >= nr_vcpus)
		return;
	cpu_states[cpu].run_caller = vcpus[caller];
	/* A key per server vCPU, never 0 or HV_SCHED_RUN_ANY. */
	hv_sched_run_begin(&sched, cpu, (uint32_t)(tuple & 0xffffffu) + 1u);
}

void el2_run_entry_end(void)
{
	unsigned cpu = el2_cpu_id();
	if (!host_mode)
		return;
	hv_sched_run_end(&sched, cpu);
	cpu_states[cpu].run_caller = NULL;
}

void el2_run_entry_guest(void)
{
	if (host_mode)
		hv_sched_publish(&sched, el2_cpu_id(), HV_SCHED_GUEST);
}

void el2_run_entry_el2(void)
{
	if (host_mode)
		hv_sched_in_el2(&sched, el2_cpu_id());
}

bool el2_run_entry_wanted(const volatile uint32_t *waiters)
{
	if (waiters && __atomic_load_n(waiters, __ATOMIC_ACQUIRE))
		return true;
	return host_mode &&
	       (__atomic_load_n(&cpu_states[el2_cpu_id()].host_wake, __ATOMIC_ACQUIRE) ||
	        vm_stopped);
}

void el2_run_entry_wake_server(void)
{
	unsigned cpu;
	if (host_mode && hv_sched_wake_run(&sched, HV_SCHED_RUN_ANY, el2_cpu_id(), &cpu)) {
		el2_event(HV_TRACE_KICK, 0, 0, cpu, 0);
		el2_kick_cpu(cpu);
	}
}

bool el2_run_entry_idle(struct hv_vcpu *guest, const volatile uint32_t *waiters)
{
	unsigned cpu = el2_cpu_id();
	struct cpu_state *cs = &cpu_states[cpu];
	struct run_wait w = {.guest = guest, .caller = cs->run_caller, .waiters = waiters};
	if (!host_mode || !w.caller)
		return false;
	/* The host's EL2 timer (its slice, its EL1 physical timer) bounds the
	 * wait as it bounds the RUN's entries; restored after. */
	uint64_t hp_ctl = read_sysreg(cnthp_ctl_el2), hp_cval = read_sysreg(cnthp_cval_el2);
	int next;
	for (;;) {
		el2_lock(&vm_lock);
		next = hv_sched_pick(&sched, cpu, run_ready, &w);
		if (next >= 0)
			break; /* the RUN's vCPU, or a host vCPU wants the CPU */
		if (!hv_sched_may_sleep(&sched, cpu, run_ready, &w)) {
			vm_unlock(cs);
			continue;
		}
		struct hv_sched_timer timers[2 * MAX_GUEST_VCPUS + 2];
		unsigned n = add_timers(timers, 0, guest, false);
		for (unsigned i = 0; i < nr_vcpus; i++)
			if (home_cpu(i) == cpu)
				n = add_timers(timers, n, vcpus[i], false);
		uint64_t earliest = hv_sched_idle_deadline(timers, n);
		if ((hp_ctl & 1u) && hp_cval < earliest)
			earliest = hp_cval;
		vm_unlock(cs);
		if (earliest != UINT64_MAX) {
			write_sysreg(cnthp_cval_el2, earliest);
			write_sysreg(cnthp_ctl_el2, 1ull);
			isb();
		}
		cs->run_idle_waits++;
		el2_event(HV_TRACE_IDLE, 0, 0, 0, 0);
		__asm__ volatile("dsb sy\n\twfi" ::: "memory");
		el2_event(HV_TRACE_WAKE, 0, 0, 0, 0);
		hv_sched_in_el2(&sched, cpu);
		handle_irqs(cs, NULL);
		write_sysreg(cnthp_ctl_el2, 0ull);
	}
	vm_unlock(cs);
	write_sysreg(cnthp_ctl_el2, 0ull);
	write_sysreg(cnthp_cval_el2, hp_cval);
	write_sysreg(cnthp_ctl_el2, hp_ctl);
	isb();
	if (next != HV_SCHED_RUN_ENTRY)
		return false;
	cs->run_idle_reentries++;
	return true;
}

/* This CPU's share of the VM: its vCPUs, round robin, deterministic order. */
static void run_cpu(unsigned cpu)
{
	struct cpu_state *cs = &cpu_states[cpu];
	write_sysreg(vtcr_el2, hv_mem_vtcr(cur_vm));
	write_sysreg(vttbr_el2, hv_mem_vttbr(cur_vm));
	el2_debug_cpu_init();
	el2_guest_controls_load(read_sysreg(mdcr_el2) & MDCR_HPMN_MASK);
	/* A slice when this CPU shares its time between vCPUs. A lone vCPU
	 * runs without one, unless the platform may starve CPUs
	 * (hvcore.cpus_may_starve=1; guest mode with several CPUs): then a
	 * tick, whose end YIELDs, so that a guest spinning in memory without
	 * YIELD cannot keep QEMU before 8.1 under -icount from running the
	 * other CPUs for more than a tick (README, core/sched). */
	uint64_t freq = hv_arch_counter_freq(), slice = 0;
	if (hv_sched_vcpus_on(&sched, cpu) > 1)
		slice = freq / SLICE_TICKS_DIV;
	else if (hv_sched_cpus_used(&sched) > 1 && !host_mode && cpus_may_starve)
		slice = freq / TICK_DIV;
	el2_exit_stats_time(EL2_TIME_NONE);
	struct hv_vcpu *loaded = NULL;
	while (!vm_stopped) {
		el2_lock(&vm_lock);
		int next = hv_sched_pick(&sched, cpu, runnable, NULL);
		if (next < 0) {
			if (!powered_on()) {
				el2_puts("el2: guest: every vCPU is off\n");
				stop_vm(stuck_vcpus ? EL2_STOP_GUEST_FAULT : EL2_STOP_ALL_OFF);
				vm_unlock(cs);
				break;
			}
			/* IDLE, then one more look: sleep only if no wake-up
			 * can be missed (hv/sched.h). */
			if (hv_sched_may_sleep(&sched, cpu, runnable, NULL))
				wait_here(cs, cpu, loaded); /* releases vm_lock */
			else
				vm_unlock(cs);
			continue;
		}
		vm_unlock(cs);
		if (loaded && loaded != vcpus[next])
			el2_exit_stats_switch();
		loaded = vcpus[next];
		enum slice_end end = run_slice(cs, loaded, slice);
		uart_flush(cs);
		if (end == SLICE_STOP)
			break;
	}
	write_sysreg(cnthp_ctl_el2, 0ull);
	write_sysreg(hcr_el2, HCR_RW);
	isb();
}

/* A secondary CPU's work: its vCPUs until the guest stops, then park. */
static void secondary_run(unsigned cpu)
{
	if (cpu < hv_sched_cpus_used(&sched))
		run_cpu(cpu);
	for (;;)
		__asm__ volatile("wfi");
}

/* The virtual platform every guest is told about (hv/guest_dt.h): what
 * this file sets up, each vCPU's MPIDR_EL1, at the RAM's IPA. */
static hv_status_t boot_payload(const struct el2_guest_config *gc)
{
	struct hv_guest_dt dt;
	hv_guest_dt_describe(&dt, &hv_platform_virt, gc->ram_size, nr_vcpus);
	dt.ram_ipa = guest_ram_ipa;
	for (unsigned i = 0; i < nr_vcpus; i++)
		dt.cpu_mpidr[i] = vcpus[i]->ctx.el1.mpidr_el1;
	return el2_guest_boot_prepare(gc, &dt, vcpus[0]);
}

unsigned el2_run_guest(const struct el2_board *board, const struct el2_guest_config *gc)
{
	unsigned want_vcpus = gc->nr_vcpus;
	uint64_t image_pa = gc->ram_pa;
	guest_ram_size = gc->ram_size;
	guest_ram_ipa = gc->host ? gc->ram_pa : GUEST_RAM_IPA;
	host_mode = gc->host;
	cpus_may_starve = gc->cpus_may_starve;
	guest_image_pa = image_pa;
	if (want_vcpus == 0 || want_vcpus > MAX_GUEST_VCPUS)
		return fail("vcpus", HV_ERR_RANGE);
	const struct hv_vm_config cfg = {
	    .ipa_bits = hv_platform_virt.ipa_bits, .max_vcpus = want_vcpus, .block_size = HV_SZ_2M};
	uint16_t vmid;
	hv_status_t st = hv_hyp_init(&hyp, &el2_pool_ops, 40, hv_pa(image_pa),
	                             guest_ram_size / HV_PAGE_SIZE, owners);
	if (st != HV_OK)
		return fail("hyp init", st);
	if ((st = hv_vm_create(&hyp, &cfg, &vmid)) != HV_OK)
		return fail("vm create", st);
	cur_vm = hv_vm_find(&hyp, vmid);
	uint64_t hw_idregs[HV_IDREG_NR];
	el2_read_idregs(hw_idregs);
	hv_idregs_init(&cur_vm->idregs, hw_idregs, cur_vm->ipa_bits);
	st = hv_mem_set_memslot(cur_vm, GUEST_RAM_SLOT, hv_ipa(guest_ram_ipa), guest_ram_size, 0);
	if (st != HV_OK)
		return fail("memslot", st);
	hv_pl011_init(&uart, uart_tx, uart_irq, NULL);
	if ((st = hv_pl011_attach(&uart, &cur_vm->mmio, hv_ipa(GUEST_UART_IPA))) != HV_OK)
		return fail("pl011", st);
	el2_gic_init(board);
	nr_vcpus = want_vcpus;
	unsigned cpus = 0;
	while (cpus < el2_nr_cpus() && cpus < nr_vcpus && el2_cpu_online(cpus))
		cpus++;
	if ((st = hv_sched_init(&sched, cpus ? cpus : 1, nr_vcpus)) != HV_OK)
		return fail("sched", st);
	el2_events_init(el2_nr_cpus(), gc->trace);
	for (unsigned i = 0; i < nr_vcpus; i++) {
		if ((st = hv_vcpu_create(cur_vm, i, &vcpus[i])) != HV_OK)
			return fail("vcpu", st);
		vcpus[i]->ctx.gic.nr_lrs = (uint8_t)el2_gic_nr_lrs();
	}
	const struct hv_vgic_config vgic = {
	    .dist_base = hv_ipa(GUEST_GICD_IPA),
	    .redist_base = hv_ipa(GUEST_GICR_IPA),
	    .nr_spis = GUEST_NR_SPIS,
	    .nr_vcpus = nr_vcpus,
	    .kick = kick_vcpu,
	};
	if ((st = hv_vgic_init(cur_vm, &vgic)) != HV_OK)
		return fail("vgic", st);
	for (unsigned i = 0; i < nr_vcpus; i++) {
		if ((st = hv_vgic_vcpu_init(vcpus[i])) != HV_OK)
			return fail("vgic vcpu", st);
		if ((st = hv_vtimer_map_hw(vcpus[i], EL2_PPI_VTIMER)) != HV_OK)
			return fail("vtimer ppi", st);
	}
	struct hv_vcpu *boot = vcpus[0];
	boot->ctx.regs.pc = guest_ram_ipa;
	boot->ctx.regs.pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	boot->ctx.el1.sctlr_el1 = HV_SCTLR_EL1_RESET;
	boot->power = HV_VCPU_ON;
	if ((st = boot_payload(gc)) != HV_OK)
		return fail("boot", st);
	if (gc->host &&
	    (st = el2_host_abi_init(cur_vm, GUEST_RAM_SLOT, image_pa, guest_ram_size)) != HV_OK)
		return fail("host mode", st);

	(void)el2_vcpu_state_init();
	el2_exit_stats_reset();
	el2_exit_prof_enable(gc->exit_profile);
	uint64_t cptr = read_sysreg(cptr_el2), mdcr = read_sysreg(mdcr_el2);
	hv_arch_tlbi_vmid(vmid);
	hv_arch_dsb_ish();
	el2_smp_dispatch(secondary_run);
	run_cpu(0);
	write_sysreg(cptr_el2, cptr);
	write_sysreg(mdcr_el2, mdcr);
	isb();
	return vm_status;
}

void el2_guest_report(void)
{
	el2_exit_stats_print(vcpus, nr_vcpus);
	el2_trace_report();
	el2_debug_report();
	if (hv_sched_cpus_used(&sched) < 2)
		return;
	el2_puts("el2: kicks sent ");
	el2_put_hex(sched.kicks_sent);
	el2_puts(", elided (target CPU at EL2) ");
	el2_put_hex(sched.kicks_elided);
	el2_puts("\n");
	for (unsigned cpu = 0; cpu < hv_sched_cpus_used(&sched); cpu++) {
		el2_puts("el2: physical cpu ");
		el2_put_hex(cpu);
		el2_puts(": guest entries ");
		el2_put_hex(cpu_states[cpu].entries);
		el2_puts(", kicks taken ");
		el2_put_hex(el2_kicks_taken(cpu));
		el2_puts(", slice ends ");
		el2_put_hex(cpu_states[cpu].slice_ends);
		if (host_mode) {
			el2_puts(", RUN idle waits ");
			el2_put_hex(cpu_states[cpu].run_idle_waits);
			el2_puts(", RUN vCPUs woken here ");
			el2_put_hex(cpu_states[cpu].run_idle_reentries);
		}
		el2_puts("\n");
	}
}
