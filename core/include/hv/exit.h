/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit dispatch: the path every guest exit takes.
 *
 * The runtime saves the guest into vcpu->ctx (registers and the syndrome
 * ESR_EL2/FAR_EL2/HPFAR_EL2) and calls hv_vcpu_handle_exit(). The returned
 * action tells it what to do next:
 *   HV_ACTION_RESUME  re-enter the guest (an exception may have been injected)
 *   HV_ACTION_HOST    leave to the host; vcpu->host_exit says why
 *   HV_ACTION_IDLE    the guest waits for an interrupt (WFI): block or exit,
 *                     the runtime decides; vcpu->host_exit is an IDLE record
 * A guest can never make the hypervisor stop: anything unknown is injected
 * into the guest as UNDEF (or an external abort for memory accesses).
 *
 * Host exits mirror the GenieZone vcpu_run layout (see
 * shared/reference/geniezone-gunyah-abi.md); the ABI layer translates
 * reasons to wire numbers (hv/abi.h is the single source of those).
 */
#ifndef HV_EXIT_H
#define HV_EXIT_H

#include <hv/types.h>

struct hv_vcpu;

enum hv_exit_action {
	HV_ACTION_RESUME = 0,
	HV_ACTION_HOST,
	HV_ACTION_IDLE,
};

enum hv_exit_reason {
	HV_EXIT_NONE = 0,
	HV_EXIT_MMIO,           /* emulated access no device claimed */
	HV_EXIT_SYSTEM_EVENT,   /* PSCI SYSTEM_OFF / RESET / RESET2 */
	HV_EXIT_IDLE,           /* WFI (or CPU_SUSPEND) with nothing pending */
	HV_EXIT_HYPERCALL,      /* guest SMCCC call for the host (e.g. PTP) */
	HV_EXIT_PAGE_FAULT,     /* demand-paging request, filled by core/mem */
	HV_EXIT_INTERNAL_ERROR, /* the hypervisor could not handle the exit */
	HV_EXIT_VCPU_OFF,       /* PSCI CPU_OFF: do not run until powered on */
};

/* System event types: the same numbers as GenieZone's system_event.type. */
enum hv_system_event {
	HV_SYSTEM_EVENT_SHUTDOWN = 1,
	HV_SYSTEM_EVENT_RESET = 2,
	HV_SYSTEM_EVENT_CRASH = 3,
	HV_SYSTEM_EVENT_WAKEUP = 4,
	HV_SYSTEM_EVENT_SUSPEND = 5,
};

/* Internal error sub-reasons. */
enum hv_exit_internal {
	HV_INTERNAL_NONE = 0,
	HV_INTERNAL_NO_VM,       /* vCPU without a VM where one is needed */
	HV_INTERNAL_BAD_CONTEXT, /* the runtime handed an impossible register file */
};

#define HV_EXIT_REG_NONE 0xffu /* mmio.reg when no register is involved */

/* The record handed to the host (and what the host answers into). */
struct hv_host_exit {
	enum hv_exit_reason reason;
	union {
		struct {
			hv_ipa_t ipa;
			uint64_t data; /* write: value (low `size` bytes); read: 0 */
			uint8_t size;  /* bytes: 1, 2, 4 or 8 */
			uint8_t reg;   /* destination/source Xn (31 = XZR), informative */
			bool is_write;
		} mmio;
		struct {
			uint32_t type; /* enum hv_system_event */
			uint32_t ndata;
			uint64_t data[4]; /* SYSTEM_RESET2: reset_type, cookie */
		} system_event;
		struct {
			uint64_t args[8]; /* x0..x7 at the call */
		} hypercall;
		struct {
			hv_ipa_t ipa;
			uint64_t size; /* bytes the host should make present */
			bool is_write;
			bool is_exec;
		} page_fault;
		struct {
			uint32_t suberror; /* enum hv_exit_internal */
			uint64_t esr;
		} internal;
	};
};

/* Exit classes counted per vCPU (statistics, tests). */
enum hv_exit_stat {
	HV_STAT_MMIO_KERNEL, /* handled by a device on the bus */
	HV_STAT_MMIO_HOST,   /* forwarded to the host */
	HV_STAT_MMIO_ISV0,   /* instructions decoded from guest memory */
	HV_STAT_STAGE2,      /* stage-2 faults resolved by core/mem */
	HV_STAT_SMCCC,       /* HVC/SMC calls */
	HV_STAT_WFI,
	HV_STAT_WFE,
	HV_STAT_SYSREG,
	HV_STAT_INJECTED, /* exceptions injected into the guest */
	HV_STAT_TO_HOST,  /* exits to the host, any reason */
	HV_STAT_NR,
};

/* What happened on the last hv_vcpu_handle_exit (for tests and tracing). */
enum hv_exit_outcome {
	HV_OUTCOME_NONE = 0,
	HV_OUTCOME_RESUMED,  /* emulated/handled, guest continues */
	HV_OUTCOME_INJECTED, /* an exception was injected into the guest */
	HV_OUTCOME_TO_HOST,
	HV_OUTCOME_IDLE,
};

/* One pending emulated access of an instruction (ISV=0 may need two). */
struct hv_mmio_step {
	hv_ipa_t ipa;
	uint8_t size;
	bool is_write;
	uint8_t reg; /* register number, 31 = XZR */
};

/*
 * Per-vCPU exit state, embedded in struct hv_vcpu. `pending` describes a
 * guest instruction whose MMIO accesses are partly done while the host
 * emulates one of them; the instruction retires (registers, PC, writeback)
 * when its last access completes.
 */
struct hv_exit_state {
	struct {
		bool active;
		uint8_t nr_steps; /* 1 or 2 */
		uint8_t step;     /* the access at the host now */
		uint8_t width;    /* register width in bits for loads: 32 or 64 */
		bool sign_extend;
		uint8_t insn_len; /* PC advance when the instruction retires */
		bool writeback;
		uint8_t wb_reg; /* base register (31 = SP) */
		uint64_t wb_value;
		uint64_t loaded[2];
		struct hv_mmio_step steps[2];
	} pending;
	/* Virtual SError to deliver (the runtime sets HCR_EL2.VSE, VSESR_EL2). */
	bool vserror_pending;
	uint64_t vserror_esr;
	uint32_t psci_busy; /* CPU_ON in progress on this vCPU (atomic claim) */
	/* vCPUs (bit n: id n) this vCPU's exits powered on with PSCI CPU_ON:
	 * the runtime wakes them where they run, then clears the bits. */
	uint32_t powered_on;
	/* The last exit answered a poll whose answer only another CPU can
	 * change (PSCI AFFINITY_INFO: another vCPU still ON or ON_PENDING; a
	 * trapped WFE): the guest spins. The runtime lets the other CPUs run
	 * (hv_arch_cpu_relax, outside its locks) before the next entry and
	 * clears it. An emulator that runs CPUs in turn may otherwise never
	 * run the CPU the guest waits for (README, core/sched section). */
	bool relax_hint;
	enum hv_exit_outcome last_outcome;
	uint64_t stats[HV_STAT_NR];
};

/* Name of a host-exit reason, for logs ("?" for an unknown value). */
const char *hv_exit_reason_name(enum hv_exit_reason reason);

/* A key for an exit class (key=value statistics lines: "mmio_device",
 * "stage2_fault", ...; "?" for an unknown value). */
const char *hv_exit_stat_key(enum hv_exit_stat stat);

/* Decode vcpu->ctx.exit and handle the exit. Never fails: see above. */
enum hv_exit_action hv_vcpu_handle_exit(struct hv_vcpu *vcpu);

/*
 * A runtime's fast path for an exit with syndrome `esr` (ctx.regs saved):
 * true if it is an HVC #0 SMCCC call whose answer depends on its arguments
 * alone (SMCCC_VERSION, SMCCC_ARCH_FEATURES, PSCI_VERSION). It has then
 * been handled exactly as hv_vcpu_handle_exit() handles it (x0, this
 * vCPU's exit state and counters) and the vCPU resumes. Such a call
 * touches nothing outside this vCPU and no interrupt or timer state, so
 * the runtime may answer it without the VM lock, without vGIC/vtimer sync
 * and flush, and without saving the rest of the vCPU. false: nothing done.
 */
bool hv_exit_fast_call(struct hv_vcpu *vcpu, uint64_t esr);

/* What hv_exit_fast_mmio did. */
enum hv_exit_fast {
	HV_FAST_NONE = 0, /* not taken: nothing changed, take the full exit */
	HV_FAST_RESUME,   /* handled: re-enter the guest as it is */
	HV_FAST_FLUSH,    /* handled, and the vCPU's interrupts changed: re-enter
	                   * through the full entry (vGIC sync and flush) */
};

/*
 * A runtime's fast path for a stage-2 data abort with syndrome `esr`,
 * FAR_EL2 `far` and HPFAR_EL2 `hpfar` (ctx.regs saved; the rest of the vCPU
 * may still be on the CPU): a load or store described by the syndrome
 * (ISV = 1) to a device flagged HV_MMIO_F_FAST (the vGIC, the PL011) and in
 * no memslot, from a running vCPU with nothing in flight in its vGIC
 * (hv_vgic_vcpu_quiet) and its timer line low. The access is made and the
 * instruction retired exactly as hv_vcpu_handle_exit() does (registers, PC,
 * ctx.exit, counters, outcome); it cannot need an injected exception or the
 * host (a device that does not complete the access leaves HV_FAST_NONE).
 * The EL1 registers, the timer and the list registers are neither read nor
 * needed, and the model needs no sync. Call under the VM lock.
 */
enum hv_exit_fast hv_exit_fast_mmio(struct hv_vcpu *vcpu, uint64_t esr, uint64_t far,
                                    uint64_t hpfar);

/*
 * The host finished an MMIO load of the pending exit: `value` is the data
 * (low `size` bytes used). HV_OK: the instruction retired, resume the guest.
 * HV_BUSY: the instruction needs another host access; vcpu->host_exit holds
 * it (exit to the host again). HV_ERR_STATE: no MMIO load is pending.
 */
hv_status_t hv_vcpu_complete_mmio_read(struct hv_vcpu *vcpu, uint64_t value);

/* Same for an MMIO store the host has performed. */
hv_status_t hv_vcpu_complete_mmio_write(struct hv_vcpu *vcpu);

/*
 * The host answered a HYPERCALL exit: ret[0..3] go to x0..x3 (the PC is
 * already past the call; without this the guest sees NOT_SUPPORTED in x0).
 * HV_ERR_STATE if the last exit was not a HYPERCALL.
 */
hv_status_t hv_vcpu_complete_hypercall(struct hv_vcpu *vcpu, const uint64_t ret[4]);

#endif /* HV_EXIT_H */
