/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vGIC model: setup, per-INTID state transitions, injection. See hv/vgic.h.
 */
#include <hv/sysreg.h>
#include "vgic_internal.h"

/* GICR_WAKER.ProcessorSleep (GIC spec 12.11.43). */
#define GICR_WAKER_SLEEP HV_BIT(1)

struct hv_vcpu *vgic_irq_update(struct hv_vm *vm, struct hv_vgic_irq *irq, uint32_t intid)
{
	struct hv_vcpu *target = NULL;
	bool want = false;
	if ((irq->flags & (IRQ_IN_LR | IRQ_ACTIVE)) == IRQ_IN_LR && irq->target != irq->qvcpu) {
		/* Re-routed while pending in another vCPU's LR: take it back now
		 * if that vCPU is out of the guest, else make it exit. */
		struct hv_vcpu *holder = vm->vcpus[irq->qvcpu];
		if (holder->vgic.in_guest) {
			vgic_kick(vm, holder, NULL);
			return NULL;
		}
		vgic_lr_drop(holder, irq);
	}
	if ((irq->flags & (IRQ_IN_LR | IRQ_ENABLED | IRQ_ACTIVE)) == IRQ_ENABLED &&
	    vgic_pending(irq) && vgic_group_enabled(&vm->vgic, irq)) {
		target = vgic_target_vcpu(vm, irq);
		want = target != NULL;
	}
	unsigned level = vgic_level(irq->priority);
	if (irq->flags & IRQ_QUEUED) {
		if (want && irq->qvcpu == target->id && irq->qlevel == level)
			return NULL; /* already where it belongs */
		vgic_pend_remove(&vm->vcpus[irq->qvcpu]->vgic.pending, irq->qlevel, intid);
		irq->flags &= (uint16_t)~IRQ_QUEUED;
		if (want && irq->qvcpu == target->id) {
			/* priority change only: same vCPU, no new wake-up */
			vgic_pend_insert(&target->vgic.pending, level, intid);
			irq->qlevel = (uint8_t)level;
			irq->flags |= IRQ_QUEUED;
			return NULL;
		}
	}
	if (!want)
		return NULL;
	vgic_pend_insert(&target->vgic.pending, level, intid);
	irq->qvcpu = (uint8_t)target->id;
	irq->qlevel = (uint8_t)level;
	irq->flags |= IRQ_QUEUED;
	return target;
}

void vgic_irq_set_active(struct hv_vm *vm, struct hv_vgic_irq *irq, bool active)
{
	bool was = (irq->flags & IRQ_ACTIVE) != 0;
	if (was == active)
		return;
	if (active)
		irq->flags |= IRQ_ACTIVE;
	else
		irq->flags &= (uint16_t)~IRQ_ACTIVE;
	if (!(irq->flags & IRQ_IN_LR)) {
		if (active)
			vm->vgic.active_outside++;
		else
			vm->vgic.active_outside--;
	}
}

void vgic_kick(struct hv_vm *vm, struct hv_vcpu *target, const struct hv_vcpu *self)
{
	if (target && target != self && vm->vgic.kick)
		vm->vgic.kick(target, vm->vgic.kick_opaque);
}

void vgic_update_all(struct hv_vm *vm, struct hv_vcpu *self)
{
	for (uint32_t i = 0; i < vm->vgic.nr_spis; i++)
		vgic_kick(vm, vgic_irq_update(vm, &vm->vgic.spis[i], HV_VGIC_NR_PRIVATE + i), self);
	for (uint32_t v = 0; v < vm->vgic.nr_vcpus && v < HV_MAX_VCPUS; v++) {
		struct hv_vcpu *vcpu = vm->vcpus[v];
		if (!vcpu || !vcpu->vgic.initialized)
			continue;
		for (uint32_t i = 0; i < HV_VGIC_NR_PRIVATE; i++)
			vgic_kick(vm, vgic_irq_update(vm, &vcpu->vgic.private_irqs[i], i), self);
	}
}

/* GICD_IROUTER<n> (GIC spec 12.9.22): Aff3 [39:32], IRM [31] (RAZ/WI here:
 * GICD_TYPER.No1N = 1), Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]. */
void vgic_spi_route(struct hv_vm *vm, uint32_t intid, uint64_t irouter)
{
	uint32_t n = intid - HV_VGIC_NR_PRIVATE;
	irouter &= HV_GENMASK(39, 32) | HV_GENMASK(23, 0);
	vm->vgic.irouter[n] = irouter;
	uint32_t aff =
	    (uint32_t)(HV_FIELD(irouter, 39, 32) << 24) | (uint32_t)(irouter & 0xffffffu);
	uint8_t target = VGIC_NO_TARGET;
	for (uint32_t v = 0; v < vm->vgic.nr_vcpus && v < HV_MAX_VCPUS; v++) {
		const struct hv_vcpu *vcpu = vm->vcpus[v];
		if (vcpu && vcpu->vgic.initialized && vgic_affinity(vcpu) == aff) {
			target = (uint8_t)v;
			break;
		}
	}
	vm->vgic.spis[n].target = target;
}

hv_status_t hv_vgic_init(struct hv_vm *vm, const struct hv_vgic_config *cfg)
{
	if (!vm || !cfg)
		return HV_ERR_INVALID;
	if (vm->vgic.initialized)
		return HV_ERR_STATE;
	uint32_t nr_vcpus = cfg->nr_vcpus ? cfg->nr_vcpus : vm->nr_vcpus;
	uint64_t dist = hv_ipa_addr(cfg->dist_base), redist = hv_ipa_addr(cfg->redist_base);
	if ((cfg->lock == NULL) != (cfg->unlock == NULL))
		return HV_ERR_INVALID;
	if (cfg->nr_spis > HV_VGIC_MAX_SPIS || nr_vcpus == 0 || nr_vcpus > HV_MAX_VCPUS ||
	    !hv_is_aligned(dist, HV_VGIC_DIST_SIZE) || !hv_is_aligned(redist, 0x10000u) ||
	    hv_range_wraps(dist, HV_VGIC_DIST_SIZE) ||
	    hv_range_wraps(redist, (uint64_t)nr_vcpus * HV_VGIC_REDIST_SIZE))
		return HV_ERR_INVALID;

	struct hv_mmio_region d = {
	    .base = cfg->dist_base,
	    .size = HV_VGIC_DIST_SIZE,
	    .access_sizes = HV_MMIO_SIZES_ALL,
	    .flags = HV_MMIO_F_FAST,
	    .read = vgic_dist_read,
	    .write = vgic_dist_write,
	    .opaque = vm,
	};
	struct hv_mmio_region r = {
	    .base = cfg->redist_base,
	    .size = (uint64_t)nr_vcpus * HV_VGIC_REDIST_SIZE,
	    .access_sizes = HV_MMIO_SIZES_ALL,
	    .flags = HV_MMIO_F_FAST,
	    .read = vgic_redist_read,
	    .write = vgic_redist_write,
	    .opaque = vm,
	};
	hv_status_t st = hv_mmio_bus_register(&vm->mmio, &d);
	if (st != HV_OK)
		return st;
	st = hv_mmio_bus_register(&vm->mmio, &r);
	if (st != HV_OK) {
		(void)hv_mmio_bus_unregister(&vm->mmio, cfg->dist_base);
		return st;
	}

	struct hv_vgic *g = &vm->vgic;
	hv_memset(g, 0, sizeof(*g));
	g->nr_spis = cfg->nr_spis;
	g->nr_vcpus = nr_vcpus;
	g->dist_base = cfg->dist_base;
	g->redist_base = cfg->redist_base;
	g->kick = cfg->kick;
	g->kick_opaque = cfg->kick_opaque;
	g->lock = cfg->lock;
	g->unlock = cfg->unlock;
	g->lock_opaque = cfg->lock_opaque;
	/* Reset: SPIs Group 0, disabled, level-sensitive, priority 0, routed to
	 * affinity 0 (vCPU 0 once it exists). */
	for (uint32_t i = 0; i < g->nr_spis; i++)
		g->spis[i].target = VGIC_NO_TARGET;
	g->initialized = true;
	return HV_OK;
}

hv_status_t hv_vgic_vcpu_init(struct hv_vcpu *vcpu)
{
	if (!vcpu || !vcpu->vm)
		return HV_ERR_INVALID;
	struct hv_vm *vm = vcpu->vm;
	if (!vm->vgic.initialized || vcpu->vgic.initialized)
		return HV_ERR_STATE;
	if (vcpu->id >= vm->vgic.nr_vcpus || vcpu->id >= HV_MAX_VCPUS ||
	    vm->vcpus[vcpu->id] != vcpu)
		return HV_ERR_INVALID;

	vgic_lock(vm);
	struct hv_vgic_vcpu *v = &vcpu->vgic;
	hv_memset(v, 0, sizeof(*v));
	for (uint32_t i = 0; i < HV_VGIC_NR_PRIVATE; i++) {
		v->private_irqs[i].target = (uint8_t)vcpu->id;
		if (i < HV_VGIC_NR_SGIS)
			v->private_irqs[i].flags = IRQ_EDGE; /* SGIs are edge (GICR_ICFGR0) */
	}
	for (unsigned i = 0; i < HV_GIC_MAX_LRS; i++)
		v->lr_intid[i] = HV_VGIC_LR_FREE;
	v->waker = GICR_WAKER_SLEEP;

	struct hv_gic_cpuif *gic = &vcpu->ctx.gic;
	uint8_t nr_lrs = gic->nr_lrs;
	hv_memset(gic, 0, sizeof(*gic));
	gic->nr_lrs = (nr_lrs == 0) ? 4 : (nr_lrs > HV_GIC_MAX_LRS ? HV_GIC_MAX_LRS : nr_lrs);
	gic->hcr = (uint32_t)HV_ICH_HCR_EN;
	v->initialized = true;

	/* SPIs whose IROUTER names this vCPU's affinity now reach it. */
	for (uint32_t i = 0; i < vm->vgic.nr_spis; i++) {
		if (vm->vgic.spis[i].target == VGIC_NO_TARGET) {
			vgic_spi_route(vm, HV_VGIC_NR_PRIVATE + i, vm->vgic.irouter[i]);
			(void)vgic_irq_update(vm, &vm->vgic.spis[i], HV_VGIC_NR_PRIVATE + i);
		}
	}
	vgic_unlock(vm);
	return HV_OK;
}

/* Drive the input of one interrupt: a level for level-sensitive ones, a
 * rising edge (level true) for edge-triggered ones. */
static struct hv_vcpu *drive(struct hv_vm *vm, struct hv_vgic_irq *irq, uint32_t intid, bool level)
{
	if (irq->flags & IRQ_EDGE) {
		if (!level)
			return NULL;
		irq->flags |= IRQ_LATCH;
	} else if (level) {
		irq->flags |= IRQ_LINE;
	} else {
		irq->flags &= (uint16_t)~IRQ_LINE;
		/* A lowered line only retires; nobody needs waking. A queued
		 * level interrupt leaves the bitmaps here; one in an LR is
		 * retired by the next flush. */
		(void)vgic_irq_update(vm, irq, intid);
		return NULL;
	}
	if (irq->flags & IRQ_IN_LR)
		return vm->vcpus[irq->qvcpu]; /* LR state must be refreshed */
	return vgic_irq_update(vm, irq, intid);
}

struct hv_vcpu *hv_vgic_inject_spi(struct hv_vm *vm, uint32_t intid, bool level)
{
	if (!vm || !vm->vgic.initialized)
		return NULL;
	uint32_t n = intid - HV_VGIC_NR_PRIVATE;
	if (intid < HV_VGIC_NR_PRIVATE || n >= vm->vgic.nr_spis)
		return NULL;
	vgic_lock(vm);
	struct hv_vcpu *wake = drive(vm, &vm->vgic.spis[n], intid, level);
	vgic_unlock(vm);
	return wake;
}

struct hv_vcpu *hv_vgic_pend_spi(struct hv_vm *vm, uint32_t intid)
{
	if (!vm || !vm->vgic.initialized)
		return NULL;
	uint32_t n = intid - HV_VGIC_NR_PRIVATE;
	if (intid < HV_VGIC_NR_PRIVATE || n >= vm->vgic.nr_spis)
		return NULL;
	vgic_lock(vm);
	struct hv_vgic_irq *irq = &vm->vgic.spis[n];
	irq->flags |= IRQ_LATCH;
	struct hv_vcpu *wake =
	    (irq->flags & IRQ_IN_LR) ? vm->vcpus[irq->qvcpu] : vgic_irq_update(vm, irq, intid);
	vgic_unlock(vm);
	return wake;
}

struct hv_vcpu *hv_vgic_inject_ppi(struct hv_vcpu *vcpu, uint32_t intid, bool level)
{
	if (!vcpu || !vcpu->vgic.initialized || intid >= HV_VGIC_NR_PRIVATE)
		return NULL;
	vgic_lock(vcpu->vm);
	struct hv_vcpu *wake = drive(vcpu->vm, &vcpu->vgic.private_irqs[intid], intid, level);
	vgic_unlock(vcpu->vm);
	return wake;
}

/* Running priority from the active-priority registers: with 5 priority bits
 * bit n of ICH_AP{0,1}R0_EL2 is group priority n << 3 (GIC spec 12.5.1). */
static unsigned running_level(const struct hv_gic_cpuif *gic)
{
	uint32_t ap = gic->ap0r[0] | gic->ap1r[0];
	return ap ? (unsigned)__builtin_ctz(ap) : HV_VGIC_PRIO_LEVELS;
}

/* Would the virtual CPU interface signal this interrupt now: its group
 * enabled in ICH_VMCR_EL2, priority above the mask and the running priority
 * (GIC spec 11.1 / 12.5.13). */
static bool cpuif_would_signal(const struct hv_gic_cpuif *gic, bool group1, unsigned prio)
{
	uint32_t eng = group1 ? (uint32_t)HV_ICH_VMCR_VENG1 : (uint32_t)HV_ICH_VMCR_VENG0;
	unsigned pmr = gic->vmcr >> HV_ICH_VMCR_VPMR_SHIFT;
	return (gic->vmcr & eng) && prio < pmr && vgic_level((uint8_t)prio) < running_level(gic);
}

static bool has_pending(const struct hv_vcpu *vcpu)
{
	const struct hv_gic_cpuif *gic = &vcpu->ctx.gic;
	unsigned level;
	uint32_t intid;
	if (vgic_pend_top(&vcpu->vgic.pending, &level, &intid)) {
		const struct hv_vgic_irq *irq = vgic_irq(vcpu->vm, (struct hv_vcpu *)vcpu, intid);
		if (cpuif_would_signal(gic, (irq->flags & IRQ_GROUP1) != 0, level << 3))
			return true;
	}
	unsigned n = gic->nr_lrs;
	for (unsigned i = 0; i < n && i < HV_GIC_MAX_LRS; i++) {
		uint64_t lr = gic->lr[i];
		if (vcpu->vgic.lr_intid[i] == HV_VGIC_LR_FREE ||
		    (lr & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)) != HV_ICH_LR_PENDING)
			continue;
		if (cpuif_would_signal(gic, (lr & HV_ICH_LR_GROUP1) != 0,
		                       (unsigned)HV_FIELD(lr, 55, 48)))
			return true;
	}
	return false;
}

bool hv_vgic_vcpu_quiet(const struct hv_vcpu *vcpu)
{
	const struct hv_vgic_vcpu *v = &vcpu->vgic;
	if (!v->initialized)
		return true;
	return v->lrs_last == 0 && v->pending.count == 0 && v->pending.levels == 0 &&
	       vcpu->vm->vgic.active_outside == 0;
}

bool hv_vgic_vcpu_has_pending(const struct hv_vcpu *vcpu)
{
	if (!vcpu || !vcpu->vgic.initialized)
		return false;
	vgic_lock(vcpu->vm);
	bool pending = has_pending(vcpu);
	vgic_unlock(vcpu->vm);
	return pending;
}
