/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Virtual GICv3 (GIC architecture specification, Arm IHI 0069).
 *
 * The guest sees a GICv3 with affinity routing (GICD_CTLR.ARE = 1), a single
 * Security state (GICD_CTLR.DS = 1), no LPIs/ITS, 5 priority bits, up to 988
 * SPIs. The distributor (64 KiB) and one redistributor per vCPU (RD_base +
 * SGI_base, 128 KiB) are device models on the VM's MMIO bus. The guest's CPU
 * interface is the hardware virtual interface (ICV_*): the core computes the
 * list registers into vcpu->ctx.gic before entry (hv_vgic_flush) and folds
 * them back after exit (hv_vgic_sync); only SGI generation traps
 * (hv_vgic_sysreg_access).
 *
 * Scheduling: pending interrupts that are not in a list register wait in
 * per-vCPU per-priority bitmaps, so injection, flush and sync cost the same
 * however many interrupts are pending. Invariant after every flush: no
 * deliverable interrupt waits outside the LRs while a free LR exists or an
 * LR holds a pending (not active) interrupt of lower priority.
 *
 * Concurrency: every entry point (injection, MMIO, SGI traps, flush, sync,
 * has_pending) runs under the config's per-VM lock hooks when the runtime
 * gives them (an EL2 port with vCPUs on several CPUs must); without them the
 * runtime must serialize calls per VM itself. The kick callback is called
 * with the lock held and must not call back into the vGIC.
 *
 * A vCPU's affinity (GICR_TYPER, IROUTER and SGI targets) is read from its
 * MPIDR_EL1 (ctx.el1.mpidr_el1, the VMPIDR_EL2 value); a vCPU other than 0
 * whose MPIDR has zero affinity is taken as Aff0 = its index.
 */
#ifndef HV_VGIC_H
#define HV_VGIC_H

#include <hv/types.h>

struct hv_vm;
struct hv_vcpu;

/* INTID space (GIC spec 2.2.1). */
#define HV_VGIC_NR_SGIS      16u
#define HV_VGIC_NR_PRIVATE   32u  /* SGIs 0..15 and PPIs 16..31 */
#define HV_VGIC_MAX_SPIS     988u /* SPIs 32..1019 */
#define HV_VGIC_MAX_INTID    1020u
#define HV_VGIC_SPURIOUS     1023u
#define HV_VGIC_PRIO_BITS    5u
#define HV_VGIC_PRIO_LEVELS  (1u << HV_VGIC_PRIO_BITS)
#define HV_VGIC_PRIO_MASK    0xf8u /* implemented bits of an 8-bit priority */
#define HV_VGIC_PRIO_WORDS   ((HV_VGIC_MAX_INTID + 31u) / 32u)
#define HV_VGIC_DIST_SIZE    0x10000u /* GICD: one 64 KiB frame */
#define HV_VGIC_REDIST_SIZE  0x20000u /* GICR per vCPU: RD_base + SGI_base */
#define HV_VGIC_REDIST_SGI   0x10000u /* offset of SGI_base in a GICR */
#define HV_VGIC_MAINT_INTID  25u      /* maintenance PPI (QEMU virt DT) */
#define HV_VGIC_VTIMER_INTID 27u      /* EL1 virtual timer PPI */

/* ICH_LR<n>_EL2 fields (GIC spec 12.5.11 / Arm ARM ICH_LR<n>_EL2). */
#define HV_ICH_LR_VINTID_MASK UINT64_C(0xffffffff)
#define HV_ICH_LR_EOI         HV_BIT(41) /* HW == 0: maintenance on deactivation */
/* HW == 1: pINTID [44:32]; a deactivation needs only INTIDs < 1020, bits
 * [41:32] (GIC spec 12.5.11, ICH_LR<n>_EL2.pINTID). */
#define HV_ICH_LR_PINTID_SHIFT 32
#define HV_ICH_LR_PINTID_MASK  HV_GENMASK(41, 32)
#define HV_ICH_LR_PRIO_SHIFT   48
#define HV_ICH_LR_PRIO_MASK    HV_GENMASK(55, 48)
#define HV_ICH_LR_GROUP1       HV_BIT(60)
#define HV_ICH_LR_HW           HV_BIT(61)
#define HV_ICH_LR_PENDING      HV_BIT(62)
#define HV_ICH_LR_ACTIVE       HV_BIT(63)

/* ICH_HCR_EL2 fields (GIC spec 12.5.4). */
#define HV_ICH_HCR_EN             HV_BIT(0)
#define HV_ICH_HCR_UIE            HV_BIT(1) /* underflow: <= 1 valid LR */
#define HV_ICH_HCR_LRENPIE        HV_BIT(2) /* EOI with no matching LR */
#define HV_ICH_HCR_NPIE           HV_BIT(3) /* no LR in the pending state */
#define HV_ICH_HCR_EOICOUNT_SHIFT 27
#define HV_ICH_HCR_EOICOUNT_MASK  HV_GENMASK(31, 27)

/* ICH_VMCR_EL2 fields (GIC spec 12.5.13). */
#define HV_ICH_VMCR_VENG0       HV_BIT(0)
#define HV_ICH_VMCR_VENG1       HV_BIT(1)
#define HV_ICH_VMCR_VPMR_SHIFT  24
#define HV_ICH_VMCR_VBPR1_SHIFT 18
#define HV_ICH_VMCR_VBPR0_SHIFT 21

/* Called for a vCPU other than the caller's that must be woken or kicked
 * out of the guest (SGI delivery). */
typedef void (*hv_vgic_kick_fn)(struct hv_vcpu *target, void *opaque);
/* Per-VM lock hooks (see Concurrency above). */
typedef void (*hv_vgic_lock_fn)(void *opaque);

struct hv_vgic_config {
	hv_ipa_t dist_base;   /* GICD, 64 KiB aligned */
	hv_ipa_t redist_base; /* GICR of vCPU 0; vCPU i at + i * HV_VGIC_REDIST_SIZE */
	uint32_t nr_spis;     /* 0..988; INTIDs 32..32+nr_spis-1 exist */
	uint32_t nr_vcpus;    /* redistributors: 1..HV_MAX_VCPUS; 0 = vm->nr_vcpus */
	hv_vgic_kick_fn kick; /* may be NULL */
	void *kick_opaque;
	hv_vgic_lock_fn lock; /* both NULL (caller serializes) or both set */
	hv_vgic_lock_fn unlock;
	void *lock_opaque;
};

/* One INTID's state (internal; embedded for allocation-free VMs). */
struct hv_vgic_irq {
	uint16_t flags;   /* IRQ_* (core/vgic/vgic_internal.h) */
	uint8_t priority; /* masked with HV_VGIC_PRIO_MASK */
	uint8_t target;   /* vCPU index an SPI is routed to; owner of a private one */
	uint8_t lr;       /* while IN_LR: the list register holding it */
	uint8_t qvcpu;    /* while QUEUED or IN_LR: the vCPU whose bitmaps/LRs hold it */
	uint8_t qlevel;   /* while QUEUED: priority level it is queued at */
	uint8_t pad;
	uint16_t hw_intid; /* physical INTID backing it (hv_vgic_map_hw), 0 if none */
};

/* Pending interrupts outside the LRs, by priority level (0 = highest):
 * a level bitmap, per-level word summaries and per-level INTID bitmaps. */
struct hv_vgic_pending {
	uint32_t levels;
	uint32_t summary[HV_VGIC_PRIO_LEVELS];
	uint32_t bits[HV_VGIC_PRIO_LEVELS][HV_VGIC_PRIO_WORDS];
	uint32_t count;
};

/* Per-vCPU vGIC state. */
struct hv_vgic_vcpu {
	struct hv_vgic_irq private_irqs[HV_VGIC_NR_PRIVATE];
	struct hv_vgic_pending pending;
	uint16_t lr_intid[16]; /* INTID in each LR, HV_VGIC_LR_FREE if none */
	uint32_t waker;        /* GICR_WAKER.ProcessorSleep */
	uint32_t stat_maint;   /* flushes that requested a maintenance IRQ */
	uint8_t lrs_last;      /* LRs holding an interrupt at the last entry */
	bool in_guest;         /* flushed and not yet synced */
	bool initialized;
};
#define HV_VGIC_LR_FREE 0xffffu

/* Per-VM vGIC state. */
struct hv_vgic {
	bool initialized;
	uint32_t ctlr;           /* GICD_CTLR EnableGrp0/EnableGrp1 */
	uint32_t active_outside; /* active INTIDs in no LR (EOIcount path) */
	uint32_t nr_spis;
	uint32_t nr_vcpus;
	hv_ipa_t dist_base;
	hv_ipa_t redist_base;
	hv_vgic_kick_fn kick;
	void *kick_opaque;
	hv_vgic_lock_fn lock;
	hv_vgic_lock_fn unlock;
	void *lock_opaque;
	struct hv_vgic_irq spis[HV_VGIC_MAX_SPIS];
	uint64_t irouter[HV_VGIC_MAX_SPIS]; /* GICD_IROUTER<n> as written */
};

/*
 * Set up the VM's vGIC and register the distributor and redistributor MMIO
 * regions on vm->mmio. HV_ERR_INVALID: bad alignment, nr_spis > 988,
 * nr_vcpus out of range; HV_ERR_STATE: already initialized; bus errors
 * (overlap, table full) are returned with nothing registered.
 */
hv_status_t hv_vgic_init(struct hv_vm *vm, const struct hv_vgic_config *cfg);

/* Reset a vCPU's private interrupts, its redistributor and its CPU interface
 * shadow (vcpu->ctx.gic; nr_lrs must be set by the runtime beforehand, 0 is
 * taken as 4). Needs hv_vgic_init, vcpu->vm, vcpu->id and vm->vcpus[id] ==
 * vcpu; set ctx.el1.mpidr_el1 first (it gives the affinity). */
hv_status_t hv_vgic_vcpu_init(struct hv_vcpu *vcpu);

/*
 * Drive an SPI (32..32+nr_spis-1). Level-sensitive: `level` is the line.
 * Edge-triggered: `level` true is an edge, false does nothing. Returns the
 * one vCPU that must be woken or kicked to see it, or NULL.
 */
struct hv_vcpu *hv_vgic_inject_spi(struct hv_vm *vm, uint32_t intid, bool level);

/* Make an SPI pending once, edge- or level-configured, as a write of its
 * GICD_ISPENDR bit (GIC spec 12.9.28): the guest's acknowledge consumes it,
 * so a line that is never lowered gives one delivery, not a storm. Returns
 * the vCPU to wake, as hv_vgic_inject_spi. */
struct hv_vcpu *hv_vgic_pend_spi(struct hv_vm *vm, uint32_t intid);

/* Same for a PPI (16..31) of one vCPU (and SGIs 0..15 as edges). */
struct hv_vcpu *hv_vgic_inject_ppi(struct hv_vcpu *vcpu, uint32_t intid, bool level);

/*
 * A trapped ICC_* access (id from hv/sysreg.h): ICC_SGI1R_EL1,
 * ICC_SGI0R_EL1, ICC_ASGI1R_EL1 writes generate SGIs (targets other than the
 * caller are kicked through the config's kick); ICC_SRE_EL1 reads 0x7.
 * Anything else: HV_ERR_NOT_SUPPORTED (the exit layer injects UNDEF).
 */
hv_status_t hv_vgic_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                  uint64_t *value);

/* Before entry: fill vcpu->ctx.gic.lr[0..nr_lrs_used) and hcr. nr_lrs_used
 * also covers LRs that held an interrupt at the previous entry (now 0), so a
 * runtime writing exactly [0, nr_lrs_used) never leaves a stale LR behind. */
void hv_vgic_flush(struct hv_vcpu *vcpu);

/* After exit: fold vcpu->ctx.gic (LR states, EOIcount) back into the model. */
void hv_vgic_sync(struct hv_vcpu *vcpu);

/*
 * Hardware-mapped interrupts (GIC spec 12.5.11, ICH_LR<n>_EL2.HW): a
 * virtual INTID backed by a physical one that EL2 took, priority-dropped
 * (ICC_EOIR1_EL1 with ICC_CTLR_EL1.EOImode = 1) and left active. Its LR
 * carries HW = 1 and the pINTID and never the EOI bit: the guest's
 * deactivation deactivates the physical interrupt in hardware, without a
 * maintenance interrupt. The LR is never pending and active at once (the
 * physical interrupt holds any new pending state until the deactivation).
 * A level line is still driven by the runtime (inject); it must re-drive
 * it after an exit (the guest may have deactivated the interrupt and
 * quietened its source without exiting), before the next flush.
 *
 * `vcpu` owns the INTID if it is a PPI (16..31), which may only be backed
 * by a physical PPI (16..31) of the CPU the vCPU runs on; an SPI (32..)
 * belongs to vcpu->vm and may only be backed by a physical SPI (32..1019).
 * SGIs cannot be mapped.
 * HV_ERR_INVALID: NULL vcpu, INTID out of those ranges or not created,
 * pINTID out of range; HV_ERR_STATE: vGIC not set up for the vCPU;
 * HV_ERR_EXISTS: the INTID is mapped already, or another INTID the vCPU
 * sees is backed by the same pINTID; HV_ERR_STATE also while the interrupt
 * is active or in a list register (its LR would change meaning under the
 * guest). Every failure leaves the state as it was.
 */
hv_status_t hv_vgic_map_hw(struct hv_vcpu *vcpu, uint32_t intid, uint32_t pintid);
/* Undo hv_vgic_map_hw: the INTID is purely virtual again (a level one's LR
 * carries EOI once more). HV_ERR_NOT_FOUND if it is not mapped; otherwise
 * the same refusals as hv_vgic_map_hw. */
hv_status_t hv_vgic_unmap_hw(struct hv_vcpu *vcpu, uint32_t intid);

/* True if the INTID (private to `vcpu`, or an SPI of its VM) is active in
 * the model as of the last sync; false for an INTID that does not exist. */
bool hv_vgic_irq_active(const struct hv_vcpu *vcpu, uint32_t intid);

/*
 * True if nothing of the vCPU's is in flight: no list register held an
 * interrupt at its last entry (so the hardware's hold none), nothing waits
 * to be flushed and no active interrupt lives outside the list registers.
 * Then the model is exact while the vCPU runs and a flush would only
 * re-enable the interface as it is: a runtime may handle an exit and
 * re-enter without sync and flush (hv_exit_fast_mmio). Under the VM lock;
 * true for a vCPU without a vGIC.
 */
bool hv_vgic_vcpu_quiet(const struct hv_vcpu *vcpu);

/* True if an interrupt the vCPU could take is pending (wakes WFI). */
bool hv_vgic_vcpu_has_pending(const struct hv_vcpu *vcpu);

/* Statistics and checks for tests and benches. */
struct hv_vgic_invariant_report {
	uint32_t free_lrs;           /* LRs unused after flush */
	uint32_t waiting;            /* deliverable interrupts outside the LRs */
	uint32_t best_waiting_prio;  /* 0xff if none */
	uint32_t worst_pending_lr;   /* lowest priority of a pending-only LR, 0 if none */
	uint32_t duplicate_lr_intid; /* INTIDs found in two LRs */
};
/* Scan the vCPU (O(INTIDs): tests only) and report the scheduler invariant's
 * terms; returns true if it holds. */
bool hv_vgic_check_invariant(const struct hv_vcpu *vcpu, struct hv_vgic_invariant_report *rep);

#endif /* HV_VGIC_H */
