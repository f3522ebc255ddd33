/* SPDX-License-Identifier: Apache-2.0 */
/*
 * THE SEAM: everything a runtime (sim/, ports/el2-*) provides to the core.
 *
 * Binding is at link time: exactly one runtime is linked into a binary and
 * implements the hv_arch_* functions below, so hot paths make no indirect
 * calls. The core never touches a system register: the runtime saves the
 * guest's state into struct hv_vcpu_context on every exit and restores it on
 * every entry, and the core reads and writes only that memory.
 *
 * Table-page memory is deliberately NOT here: it is an explicit ops struct
 * (hv/mm_ops.h) passed to whoever allocates, because one binary uses several
 * pools.
 */
#ifndef HV_ARCH_H
#define HV_ARCH_H

#include <hv/types.h>

/* ---------------------------------------------------------------------------
 * The vCPU register file. Saved by the runtime on exit, restored on entry.
 * ------------------------------------------------------------------------- */

/* General-purpose state at the point of the exception (Arm ARM D1.2). */
struct hv_vcpu_regs {
	uint64_t x[31];  /* x0..x30 */
	uint64_t sp_el0; /* SP_EL0 */
	uint64_t sp_el1; /* SP_EL1 */
	uint64_t pc;     /* ELR_EL2: return address of the guest */
	uint64_t pstate; /* SPSR_EL2: the guest's PSTATE */
};

/* EL1 system registers the core reads or writes (injection, ISV=0 decode). */
struct hv_el1_sysregs {
	uint64_t elr_el1;
	uint64_t spsr_el1;
	uint64_t esr_el1;
	uint64_t far_el1;
	uint64_t vbar_el1;
	uint64_t sctlr_el1;
	uint64_t tcr_el1;
	uint64_t ttbr0_el1;
	uint64_t ttbr1_el1;
	uint64_t mair_el1;
	uint64_t mpidr_el1; /* written to VMPIDR_EL2 by the runtime on entry */
};

/* Syndrome of the exit, filled by the runtime (Arm ARM D17.2.37 ESR_EL2,
 * D17.2.40 FAR_EL2, D17.2.48 HPFAR_EL2). */
struct hv_exit_syndrome {
	uint64_t esr_el2;
	uint64_t far_el2;
	uint64_t hpfar_el2;
};

/* EL1 virtual timer (Arm ARM D11.2.4). cntvoff is loaded into CNTVOFF_EL2. */
struct hv_vtimer_regs {
	uint64_t cntv_ctl_el0;
	uint64_t cntv_cval_el0;
	uint64_t cntvoff_el2;
	/* The EL1 physical timer: emulated by core/vtimer (CNTP_* always trap,
	 * CNTHCTL_EL2.EL1PCEN = 0), never loaded into the CPU. */
	uint64_t cntp_ctl_el0;
	uint64_t cntp_cval_el0;
};

/*
 * GICv3 virtual CPU interface shadow (GIC spec 12.4, ICH_* registers).
 * The vGIC computes lr[], hcr, vmcr and the APRs before entry; the runtime
 * writes them to ICH_LR<n>_EL2 etc. On exit the runtime copies the hardware
 * values back (lr[], vmcr, APRs, and the read-only misr/eisr/elrsr) and the
 * vGIC folds them into its model.
 */
#define HV_GIC_MAX_LRS 16
struct hv_gic_cpuif {
	uint64_t lr[HV_GIC_MAX_LRS]; /* ICH_LR<n>_EL2 */
	uint32_t hcr;                /* ICH_HCR_EL2 */
	uint32_t vmcr;               /* ICH_VMCR_EL2 */
	uint32_t misr;               /* ICH_MISR_EL2 (read on exit) */
	uint32_t eisr;               /* ICH_EISR_EL2 (read on exit) */
	uint32_t elrsr;              /* ICH_ELRSR_EL2 (read on exit) */
	uint32_t ap0r[4];            /* ICH_AP0R<n>_EL2 */
	uint32_t ap1r[4];            /* ICH_AP1R<n>_EL2 */
	uint8_t nr_lrs;              /* ICH_VTR_EL2.ListRegs + 1, 1..16 */
	uint8_t nr_lrs_used;         /* LRs the vGIC filled; the runtime writes [0, n) */
};

/*
 * Self-hosted debug state of a vCPU (Arm ARM D2, D17.3), handed to the
 * guest lazily as KVM does. While the registers trap (MDCR_EL2.TDA), core/exit
 * answers them from here; a trapped write sets `dirty`. A runtime that can
 * give the CPU's registers to the guest does so for the next run while
 * hv_debug_guest_owns() (dirty, or debug exceptions enabled): it loads
 * these values into the CPU (comparators [0, nr_brps) and [0, nr_wrps) as
 * the VM's ID_AA64DFR0_EL1 advertises, MDSCR_EL1, the OS lock into
 * OSLAR_EL1), clears the trap, and on every exit reads them
 * back here and calls hv_debug_saved(). The OS lock registers always trap
 * (TDOSA). `gen` changes whenever core changes the state (a trapped
 * write, a reset), so a runtime reloads only then or when the CPU held
 * another vCPU's.
 */
#define HV_DEBUG_MAX_BP 16u
struct hv_debug_regs {
	uint64_t bvr[HV_DEBUG_MAX_BP], bcr[HV_DEBUG_MAX_BP]; /* DBGBVR/BCR<n>_EL1 */
	uint64_t wvr[HV_DEBUG_MAX_BP], wcr[HV_DEBUG_MAX_BP]; /* DBGWVR/WCR<n>_EL1 */
	uint64_t mdscr;                                      /* MDSCR_EL1 */
	bool os_lock;                                        /* OSLSR_EL1.OSLK */
	bool dirty; /* written while trapped since the last hv_debug_saved */
	uint32_t gen;
};

/* Everything a runtime saves and restores for one vCPU. */
struct hv_vcpu_context {
	struct hv_vcpu_regs regs;
	struct hv_el1_sysregs el1;
	struct hv_exit_syndrome exit;
	struct hv_vtimer_regs timer;
	struct hv_gic_cpuif gic;
	struct hv_debug_regs debug;
};

/* ---------------------------------------------------------------------------
 * TLB maintenance and barriers. The sim runtime records every call in order
 * so tests can assert break-before-make and count invalidations.
 * ------------------------------------------------------------------------- */

/* Level hint for TLBI by IPA (FEAT_TTL, Arm ARM D8.13): 0..3, or unknown. */
#define HV_TLBI_LEVEL_ANY 0xffu

/* Invalidate stage-2 (and combined stage-1+2) entries for one IPA of a VMID,
 * inner shareable: TLBI IPAS2E1IS (+ the stage-1 follow-up the port needs). */
void hv_arch_tlbi_ipa(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint);

/* The invalidation of one IPA whose descriptor was just written invalid, as
 * one call: DSB ISHST (the write reaches the walkers), TLBI IPAS2E1IS (+ the
 * stage-1 follow-up), DSB ISH (complete on every PE): the "break" of
 * break-before-make and of a page unmap (Arm ARM D8.16.1). Equivalent to
 * the three calls in that order, and recorded as such by the sim. */
void hv_arch_tlbi_ipa_sync(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint);

/* Invalidate [base, base+size) of a VMID. Only called when
 * hv_arch_has_tlbi_range() is true (FEAT_TLBIRANGE, TLBI RIPAS2E1IS). */
void hv_arch_tlbi_ipa_range(uint16_t vmid, hv_ipa_t base, uint64_t size);

/* Invalidate all stage-1 and stage-2 entries of a VMID: TLBI VMALLS12E1IS. */
void hv_arch_tlbi_vmid(uint16_t vmid);

/* True if the runtime can invalidate an IPA range in one operation. */
bool hv_arch_has_tlbi_range(void);

void hv_arch_dsb_ishst(void); /* DSB ISHST: order table writes before TLBI */
void hv_arch_dsb_ish(void);   /* DSB ISH: wait for TLBI completion */
void hv_arch_isb(void);       /* ISB */

/* ---------------------------------------------------------------------------
 * Atomics between physical CPUs (core/lib/ticket_lock.c, core/sched). The
 * runtime picks the instructions: LSE when the CPU has them, else LL/SC
 * (ldaxr/stlxr); the host sim uses the compiler's. Orders: fetch_add and
 * fetch_or are sequentially consistent (a full barrier either side), loads
 * acquire, stores release.
 * ------------------------------------------------------------------------- */

uint32_t hv_arch_atomic_fetch_add_u32(uint32_t *p, uint32_t v);
uint32_t hv_arch_atomic_fetch_or_u32(uint32_t *p, uint32_t v);
uint32_t hv_arch_atomic_load_acquire_u32(const uint32_t *p);
void hv_arch_atomic_store_release_u32(uint32_t *p, uint32_t v);
void hv_arch_atomic_fence(void); /* DMB ISH: full barrier */
/* One pause of a spin-wait (YIELD): on a host or an emulator that runs
 * CPUs in turn (QEMU -icount), the waiter lets the one it waits for run. */
void hv_arch_cpu_relax(void);

/* ---------------------------------------------------------------------------
 * Counter, guest memory access, console.
 * ------------------------------------------------------------------------- */

uint64_t hv_arch_counter(void);      /* CNTPCT_EL0 */
uint64_t hv_arch_counter_freq(void); /* CNTFRQ_EL0, Hz */

/*
 * Read the 32-bit instruction at the guest's PC (for MMIO with ISV=0). The
 * runtime translates the guest VA through the guest's stage 1 and stage 2
 * (AT S12E1R at EL2; the software MMU in sim). HV_ERR_FAULT if unmapped.
 */
hv_status_t hv_arch_guest_fetch_insn(const struct hv_vcpu_context *ctx, uint32_t *insn);

/* Hypervisor console output (log lines, the forwarded guest UART). */
void hv_arch_console_write(const char *buf, size_t len);

#endif /* HV_ARCH_H */
