/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the files of the software vCPU (sim/vcpu) only. */
#ifndef HVSIM_SIM_INTERNAL_H
#define HVSIM_SIM_INTERNAL_H

#include <hv/fault_loop.h>
#include <hv/pl011.h>
#include <hv/vm_lifecycle.h>
#include <hvsim/sim.h>
#include <unicorn/unicorn.h>

/* What stopped the engine, recorded by the hooks. */
enum sim_event_kind {
	SIM_EV_NONE = 0, /* stopped on its own: WFI/WFE halt, or end */
	SIM_EV_DABT,     /* access outside every mapping */
	SIM_EV_IABT,     /* fetch outside every mapping */
	SIM_EV_INTR,     /* Unicorn exception number `intno` */
	SIM_EV_SYSREG,   /* MSR/MRS the core must handle (trap) */
	SIM_EV_QUANTUM,  /* time slice or instruction limit used up */
	SIM_EV_RECHECK,  /* look again at an interrupt PSTATE.I held back */
	SIM_EV_ALIGN,    /* alignment fault at addr (rolled back to the access) */
	SIM_EV_RESYNC,   /* GIC CPU interface state changed (EOI...): PC at the
	                    MSR/MRS, which is complete */
};

struct sim_event {
	enum sim_event_kind kind;
	uint64_t addr; /* DABT/IABT: guest VA */
	unsigned size;
	bool is_write;
	bool permission; /* DABT/IABT: mapped without that permission */
	uint32_t intno;
	uint64_t esr; /* SYSREG: synthesized ESR_EL2 */
};

/* How one entry of the software vCPU ended (sim_vcpu_enter). */
enum sim_entry {
	SIM_ENTRY_CONTINUE = 0, /* handled by the sim itself: enter again */
	SIM_ENTRY_YIELD,        /* time slice used up: let the next vCPU run */
	SIM_ENTRY_STOP,         /* the run cannot go on (sim->result says why) */
	SIM_ENTRY_EXIT,         /* vcpu->ctx.exit holds a syndrome for the core */
};

enum sim_vcpu_state {
	SIM_VCPU_RUNNABLE = 0,
	SIM_VCPU_IDLE, /* WFI with nothing pending */
	SIM_VCPU_OFF,
};

/* The state to go back to at the stop (sim/vcpu/rollback.c). */
#define SIM_ROLLBACK_WRITES 64u
struct sim_rollback {
	bool active;
	bool overflow; /* more stores than the log holds: cannot undo */
	uint64_t pc;
	uint64_t x[31], sp;
	uint32_t nzcv, fpcr, fpsr;
	uint8_t q[32][16];
	unsigned nr;
	struct {
		uint64_t addr;
		unsigned len;
		uint8_t old[16];
	} log[SIM_ROLLBACK_WRITES];
};

struct sim_vcpu {
	struct hv_vcpu *vcpu; /* the core's object (in the hyp instance) */
	struct sim *sim;
	uc_engine *uc;
	enum sim_vcpu_state state;
	struct sim_event ev;
	uint64_t quantum_left; /* instructions left in this slice (counting on) */
	struct sim_rollback rollback;
	bool recheck;                     /* an interrupt waits for PSTATE.I: stop often */
	uint64_t recheck_left;            /* instructions until the next look */
	bool irq_at_el0;                  /* a virtual IRQ arrived while at EL0 */
	struct hv_fault_loop fault_loop;  /* stuck-vCPU detection (core) */
	struct hv_el1_sysregs el1_loaded; /* what the engine holds, to write back changes */
	const char *exit_what;            /* SIM_ENTRY_EXIT: the kind of exit, for traces */
	uint64_t mode_at_stop;            /* PSTATE.M when the engine last stopped */
};

enum sim_counter_index {
	SIM_CNT_ENGINE_RUNS = 0,
	SIM_CNT_IRQ_ENTRIES,
	SIM_CNT_HOST_MMIO_ABORT,
	SIM_CNT_PAGES_SUPPLIED,
	SIM_CNT_NR,
};

/* Pages for the hypervisor's tables (pin map, stage 2): host pages whose
 * "physical" address is their host address. */
struct sim_page_pool {
	struct hv_mm_ops ops;
	uint8_t *arena;  /* nr_pages pages */
	uint8_t *in_use; /* one byte per page */
	uint64_t nr_pages;
	uint64_t live; /* pages handed out and not freed */
};

struct sim {
	struct sim_config cfg;
	struct sim_page_pool pool;
	struct hv_hyp *hyp;           /* the hypervisor instance (core/vm) */
	struct hv_page_owner *owners; /* its page-ownership storage */
	struct hv_vm *vm;
	uint16_t vmid;
	struct sim_vcpu vcpus[SIM_MAX_VCPUS];
	/* Host memory the guest's RAM comes from: the host (this program)
	 * gives its pages to the VM on demand. In the sim a page's physical
	 * address is its host address. */
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	uint8_t *uc_mapped; /* per RAM page: 0, or 0x80 | UC_PROT_* the engines map */
	uint32_t *uc_host;  /* per RAM page: the host page (index into ram) mapped */
	uint64_t entry;
	uint64_t image_end; /* end IPA of what was loaded (0: nothing) */
	struct hv_pl011 uart;
	bool counting; /* block hook installed: instructions counted */
	uint64_t insns;
	uint64_t counters[SIM_CNT_NR];
	FILE *trace;
	bool stop_all;  /* a system event ends the run */
	char stuck[96]; /* set when a vCPU was stopped in a fault loop */
	struct sim_result result;
};

/*
 * The CPU model closest to what the EL2 port offers its guests: Unicorn's
 * "max" (QEMU 5.0's), with LSE atomics, LDAPR (RCpc), pointer
 * authentication; what a guest reads in the ID registers is core/exit's
 * policy applied to this model's values, as at EL2 (hv/idregs.h).
 */
#define SIM_CPU_MODEL UC_CPU_ARM64_MAX

/* Engine (Unicorn) side: sim/vcpu/engine.c. */
hv_status_t sim_engine_create(struct sim *sim, struct sim_vcpu *sv);
void sim_engine_destroy(struct sim_vcpu *sv);
/* The engine's ID registers, hw[HV_IDREG_INDEX(crm, op2)] (for hv_idregs_init). */
void sim_engine_read_idregs(struct sim_vcpu *sv, uint64_t hw[56]);
/* Copy the register file into the engine / out of it. */
void sim_engine_load(struct sim_vcpu *sv);
void sim_engine_save(struct sim_vcpu *sv);
/* Roll back to `pc` at the stop (sim/vcpu/rollback.c): keep the registers
 * now, log the bytes each later store overwrites, put both back. apply is
 * false if the log overflowed (memory only partly restored). */
void sim_rollback_begin(struct sim_vcpu *sv, uint64_t pc);
void sim_rollback_note_write(struct sim_vcpu *sv, uint64_t addr, unsigned size);
bool sim_rollback_apply(struct sim_vcpu *sv);
/* Bytes DC ZVA writes (DCZID_EL0.BS). */
uint64_t sim_engine_dc_zva_bytes(struct sim_vcpu *sv);
/* A new time slice (instructions the vCPU may run before the next one's
 * turn, bounded by the instruction limit). */
void sim_engine_slice_begin(struct sim_vcpu *sv);
/* Run from vcpu.ctx.regs.pc until something stops the engine; sv->ev says
 * what. irq_waits: an interrupt is signalled but masked by PSTATE.I. */
uc_err sim_engine_run(struct sim_vcpu *sv, bool irq_waits);
/* Read guest memory at an IPA (RAM only). */
hv_status_t sim_read_guest(struct sim *sim, uint64_t ipa, void *buf, size_t len);

/* One entry, as hardware does it: take a signalled virtual IRQ, run the
 * engine (the LR shadow must be flushed by the caller), save the context
 * with the CPU interface status, and turn the stop into an exit syndrome.
 * sim/vcpu/run.c. */
enum sim_entry sim_vcpu_enter(struct sim_vcpu *sv);
/* False if the vCPU must enter EL1 from EL0 since the engine stopped,
 * which the engine cannot do (see run.c). */
bool sim_vcpu_mode_ok(const struct sim_vcpu *sv);

/* Guest memory: sim/vcpu/guest_mem.c. */
#define SIM_RAM_SLOT 0u
hv_status_t sim_mem_init(struct sim *sim);
void sim_mem_destroy(struct sim *sim);
/* The host's answer to a demand-paging request: give the block's pages. */
hv_status_t sim_mem_supply(struct sim *sim, hv_ipa_t ipa, uint64_t size);
/* Make the engines' memory map agree with the VM's stage 2 over a range
 * (mapped pages appear, unmapped ones disappear). */
void sim_mem_sync(struct sim *sim, uint64_t ipa, uint64_t size);
/* Give a newly created engine what the other engines map already. */
void sim_mem_map_engine(struct sim *sim, struct sim_vcpu *sv);
/* Stage-2 walk level where `ipa` has no descriptor (for DFSC/IFSC). */
unsigned sim_mem_fault_level(const struct sim *sim, uint64_t ipa);
/* Level of the stage-2 leaf mapping `ipa` (permission faults). */
unsigned sim_mem_leaf_level(const struct sim *sim, uint64_t ipa);
/* The host address backing the guest page of `ipa`, per the stage 2. */
bool sim_mem_host_page(const struct sim *sim, uint64_t ipa, uint8_t **host);
/* Whether the engines map all of [ipa, ipa + size) (writable). */
bool sim_mem_engine_mapped(const struct sim *sim, uint64_t ipa, uint64_t size);
bool sim_mem_engine_writable(const struct sim *sim, uint64_t ipa, uint64_t size);
/* Unpin pages the guest relinquished (and drop them from the engines). */
void sim_mem_reap_relinquished(struct sim *sim);

/* Loader: sim/vcpu/loader.c. */
hv_status_t sim_copy_to_ram(struct sim *sim, uint64_t ipa, const void *src, size_t len);

#endif /* HVSIM_SIM_INTERNAL_H */
