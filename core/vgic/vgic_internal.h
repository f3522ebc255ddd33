/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vGIC internals shared by the model (vgic.c), the list-register scheduler
 * (lr_sched.c), the MMIO models (dist.c, redist.c) and SGI generation.
 */
#ifndef HV_VGIC_INTERNAL_H
#define HV_VGIC_INTERNAL_H

#include <hv/vgic.h>
#include <hv/vm.h>

/* struct hv_vgic_irq.flags */
#define IRQ_ENABLED  0x01u
#define IRQ_LATCH    0x02u /* edge latch, or software pending of a level INTID */
#define IRQ_LINE     0x04u /* input line level (level-sensitive) */
#define IRQ_ACTIVE   0x08u
#define IRQ_GROUP1   0x10u
#define IRQ_EDGE     0x20u  /* GICD_ICFGR Int_config[1]: edge-triggered */
#define IRQ_QUEUED   0x40u  /* in the pending bitmaps of vCPU qvcpu */
#define IRQ_IN_LR    0x80u  /* in list register `lr` of vCPU qvcpu */
#define IRQ_LR_LATCH 0x100u /* the latch was moved into the LR at flush */

#define VGIC_NO_TARGET 0xffu

/* GICD_CTLR bits with DS = 1 (GIC spec 12.9.4). */
#define GICD_CTLR_ENGRP0 HV_BIT(0)
#define GICD_CTLR_ENGRP1 HV_BIT(1)
#define GICD_CTLR_ARE    HV_BIT(4)
#define GICD_CTLR_DS     HV_BIT(6)

/* Affinity Aff3.Aff2.Aff1.Aff0 (GICR_TYPER[63:32] layout) from MPIDR_EL1:
 * Aff3 [39:32], Aff2..Aff0 [23:0]. */
static inline uint32_t vgic_affinity(const struct hv_vcpu *vcpu)
{
	uint64_t mpidr = vcpu->ctx.el1.mpidr_el1;
	uint32_t aff = (uint32_t)(HV_FIELD(mpidr, 39, 32) << 24) | (uint32_t)(mpidr & 0xffffffu);
	return (aff == 0 && vcpu->id != 0) ? vcpu->id : aff; /* MPIDR not set up */
}

static inline void vgic_lock(const struct hv_vm *vm)
{
	if (vm->vgic.lock)
		vm->vgic.lock(vm->vgic.lock_opaque);
}

static inline void vgic_unlock(const struct hv_vm *vm)
{
	if (vm->vgic.unlock)
		vm->vgic.unlock(vm->vgic.lock_opaque);
}

/* An MMIO access under the VM's lock. */
static inline hv_status_t vgic_locked_read(hv_mmio_read_fn fn, struct hv_vcpu *vcpu, void *vm,
                                           uint64_t offset, unsigned size, uint64_t *value)
{
	vgic_lock(vm);
	hv_status_t st = fn(vcpu, vm, offset, size, value);
	vgic_unlock(vm);
	return st;
}

static inline hv_status_t vgic_locked_write(hv_mmio_write_fn fn, struct hv_vcpu *vcpu, void *vm,
                                            uint64_t offset, unsigned size, uint64_t value)
{
	vgic_lock(vm);
	hv_status_t st = fn(vcpu, vm, offset, size, value);
	vgic_unlock(vm);
	return st;
}

/* Unlocked bodies of the public entry points. */
void vgic_flush_locked(struct hv_vcpu *vcpu);
void vgic_sync_locked(struct hv_vcpu *vcpu);

/* Level (0 = highest priority) of a masked 8-bit priority. */
static inline unsigned vgic_level(uint8_t priority)
{
	return (unsigned)priority >> (8u - HV_VGIC_PRIO_BITS);
}

static inline bool vgic_pending(const struct hv_vgic_irq *irq)
{
	return (irq->flags & IRQ_LATCH) || ((irq->flags & (IRQ_EDGE | IRQ_LINE)) == IRQ_LINE);
}

static inline bool vgic_group_enabled(const struct hv_vgic *g, const struct hv_vgic_irq *irq)
{
	return (g->ctlr & ((irq->flags & IRQ_GROUP1) ? GICD_CTLR_ENGRP1 : GICD_CTLR_ENGRP0)) != 0;
}

/* The INTID's state: private ones of `vcpu`, SPIs of its VM; NULL if the
 * INTID does not exist. */
static inline struct hv_vgic_irq *vgic_irq(struct hv_vm *vm, struct hv_vcpu *vcpu, uint32_t intid)
{
	if (intid < HV_VGIC_NR_PRIVATE)
		return vcpu ? &vcpu->vgic.private_irqs[intid] : NULL;
	if (intid - HV_VGIC_NR_PRIVATE < vm->vgic.nr_spis)
		return &vm->vgic.spis[intid - HV_VGIC_NR_PRIVATE];
	return NULL;
}

/* The vCPU an interrupt is delivered to, or NULL (unrouted, not created). */
static inline struct hv_vcpu *vgic_target_vcpu(struct hv_vm *vm, const struct hv_vgic_irq *irq)
{
	if (irq->target >= vm->vgic.nr_vcpus || irq->target >= HV_MAX_VCPUS)
		return NULL;
	struct hv_vcpu *v = vm->vcpus[irq->target];
	return (v && v->vgic.initialized) ? v : NULL;
}

/* --- pending bitmaps: O(1) insert, remove and highest-priority lookup --- */

static inline void vgic_pend_insert(struct hv_vgic_pending *p, unsigned level, uint32_t intid)
{
	unsigned w = intid >> 5, b = intid & 31u;
	if (!p->bits[level][w])
		p->summary[level] |= 1u << w;
	p->bits[level][w] |= 1u << b;
	p->levels |= 1u << level;
	p->count++;
}

static inline void vgic_pend_remove(struct hv_vgic_pending *p, unsigned level, uint32_t intid)
{
	unsigned w = intid >> 5, b = intid & 31u;
	p->bits[level][w] &= ~(1u << b);
	if (!p->bits[level][w]) {
		p->summary[level] &= ~(1u << w);
		if (!p->summary[level])
			p->levels &= ~(1u << level);
	}
	p->count--;
}

/* Highest-priority queued INTID (lowest INTID within a level); false if
 * none. */
static inline bool vgic_pend_top(const struct hv_vgic_pending *p, unsigned *level, uint32_t *intid)
{
	if (!p->levels)
		return false;
	unsigned l = (unsigned)__builtin_ctz(p->levels);
	unsigned w = (unsigned)__builtin_ctz(p->summary[l]);
	*level = l;
	*intid = (w << 5) | (unsigned)__builtin_ctz(p->bits[l][w]);
	return true;
}

/*
 * Put the interrupt in, or take it out of, the pending bitmaps of its target
 * so that QUEUED == (pending, enabled, not active, group enabled, routed,
 * not in an LR). Returns the target vCPU if it was newly queued (it must be
 * woken), else NULL.
 */
struct hv_vcpu *vgic_irq_update(struct hv_vm *vm, struct hv_vgic_irq *irq, uint32_t intid);

/* Take a pending, not active interrupt out of the LR of `holder` (which is
 * out of the guest): its latch returns to the model. */
void vgic_lr_drop(struct hv_vcpu *holder, struct hv_vgic_irq *irq);

/* Set or clear the active state outside the LR scheduler (MMIO, EOIcount). */
void vgic_irq_set_active(struct hv_vm *vm, struct hv_vgic_irq *irq, bool active);

/* Wake `target` through the config's kick unless it is `self`. */
void vgic_kick(struct hv_vm *vm, struct hv_vcpu *target, const struct hv_vcpu *self);

/* Re-evaluate every interrupt (after GICD_CTLR group enables change). */
void vgic_update_all(struct hv_vm *vm, struct hv_vcpu *self);

/* Route an SPI from its GICD_IROUTER value. */
void vgic_spi_route(struct hv_vm *vm, uint32_t intid, uint64_t irouter);

/* MMIO models. */
hv_status_t vgic_dist_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                           uint64_t *value);
hv_status_t vgic_dist_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                            uint64_t value);
hv_status_t vgic_redist_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                             uint64_t *value);
hv_status_t vgic_redist_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                              uint64_t value);

/* Register-bank helpers shared by GICD and GICR (one bit / two bits / one
 * byte per INTID): `base` is the first INTID covered by the access. */
uint32_t vgic_bits_read(struct hv_vm *vm, struct hv_vcpu *owner, unsigned reg, uint32_t base);
void vgic_bits_write(struct hv_vm *vm, struct hv_vcpu *owner, struct hv_vcpu *self, unsigned reg,
                     uint32_t base, uint32_t value);
uint64_t vgic_prio_read(struct hv_vm *vm, struct hv_vcpu *owner, uint32_t base, unsigned size);
void vgic_prio_write(struct hv_vm *vm, struct hv_vcpu *owner, struct hv_vcpu *self, uint32_t base,
                     unsigned size, uint64_t value);
uint32_t vgic_cfg_read(struct hv_vm *vm, struct hv_vcpu *owner, uint32_t base);
void vgic_cfg_write(struct hv_vm *vm, struct hv_vcpu *owner, struct hv_vcpu *self, uint32_t base,
                    uint32_t value);

/* Register kinds of the one-bit-per-INTID banks (offsets GIC spec 12.9). */
enum vgic_bits_reg {
	VGIC_IGROUPR = 0,
	VGIC_ISENABLER,
	VGIC_ICENABLER,
	VGIC_ISPENDR,
	VGIC_ICPENDR,
	VGIC_ISACTIVER,
	VGIC_ICACTIVER,
};

#define VGIC_IIDR  0x4800043bu /* ProductID 'H', Implementer Arm (JEP106 0x43b) */
#define VGIC_PIDR2 0x3bu       /* ArchRev 3 (GICv3) [7:4], JEP106 bits [3:0] */

#endif /* HV_VGIC_INTERNAL_H */
