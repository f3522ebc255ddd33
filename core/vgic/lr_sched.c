/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The list-register scheduler.
 *
 * Ownership of an interrupt's pending state: between sync and flush the
 * model (struct hv_vgic_irq) holds all of it. Flush moves an edge latch (or
 * the software latch of a level interrupt) into the LR it writes and marks
 * the INTID IRQ_LR_LATCH; while the guest runs the hardware LR owns that
 * pending state (the guest may acknowledge it) and new edges latch in the
 * model again; sync gives an LR that is still pending its latch back. Line
 * levels stay in the model and are re-sampled when a level interrupt leaves
 * its LR (its LR carries EOI, so deactivation exits to the hypervisor).
 * A hardware-mapped interrupt (hw_map.c) carries HW and its pINTID instead
 * of EOI: its deactivation reaches the physical interrupt without an exit,
 * and the runtime re-drives its line after the next exit; its LR is never
 * pending and active at once (the physical interrupt holds new pending
 * state until the guest deactivates it).
 *
 * Policy (flush):
 *   1. Refresh every occupied LR from the model; drop entries that are
 *      neither pending-and-deliverable nor active (disabled, re-routed,
 *      cleared, level line fallen).
 *   2. Fill free LRs from the per-priority bitmaps, best first.
 *   3. While the best waiting interrupt beats the worst pending-only LR,
 *      evict that LR back to the bitmaps and take its place. Active LRs are
 *      never evicted, so the guest's EOI always finds its LR.
 *   4. If interrupts still wait: request underflow (UIE) maintenance, and
 *      no-pending (NPIE) maintenance when some LR is pending (when none is,
 *      NPIE would fire at once and forever); LRENPIE while active interrupts
 *      live outside the LRs, so their EOIs come back through EOIcount.
 * Every step is bounded by the number of LRs: the cost does not depend on
 * how many interrupts wait.
 *
 * Invariant after flush (checked by hv_vgic_check_invariant and the fuzzer):
 * no deliverable interrupt waits outside the LRs while an LR is free or an
 * LR holds a pending, not active, interrupt of lower priority; no INTID is
 * in two LRs.
 */
#include "vgic_internal.h"

static inline struct hv_vgic_irq *lr_irq(struct hv_vcpu *vcpu, uint32_t intid)
{
	return vgic_irq(vcpu->vm, vcpu, intid);
}

static inline unsigned nr_lrs(const struct hv_vcpu *vcpu)
{
	unsigned n = vcpu->ctx.gic.nr_lrs;
	return n > HV_GIC_MAX_LRS ? HV_GIC_MAX_LRS : n;
}

/* Take an interrupt out of LR i; it returns to the model's bookkeeping. */
static void lr_release(struct hv_vcpu *vcpu, unsigned i, struct hv_vgic_irq *irq, uint32_t intid)
{
	struct hv_vm *vm = vcpu->vm;
	vcpu->vgic.lr_intid[i] = HV_VGIC_LR_FREE;
	vcpu->ctx.gic.lr[i] = 0;
	irq->flags &= (uint16_t)~IRQ_IN_LR;
	if (irq->flags & IRQ_ACTIVE)
		vm->vgic.active_outside++;
	vgic_kick(vm, vgic_irq_update(vm, irq, intid), vcpu);
}

void vgic_lr_drop(struct hv_vcpu *holder, struct hv_vgic_irq *irq)
{
	holder->vgic.lr_intid[irq->lr] = HV_VGIC_LR_FREE;
	holder->ctx.gic.lr[irq->lr] = 0;
	if (irq->flags & IRQ_LR_LATCH)
		irq->flags |= IRQ_LATCH;
	irq->flags &= (uint16_t) ~(IRQ_IN_LR | IRQ_LR_LATCH);
}

/* ICH_LR<n>_EL2 value for an interrupt (GIC spec 12.5.11), with the pending
 * state `pending`; moves the latch into the LR. */
static uint64_t lr_value(struct hv_vgic_irq *irq, uint32_t intid, bool pending)
{
	uint64_t lr = intid | ((uint64_t)irq->priority << HV_ICH_LR_PRIO_SHIFT);
	if (irq->flags & IRQ_GROUP1)
		lr |= HV_ICH_LR_GROUP1;
	if (irq->hw_intid)
		lr |= HV_ICH_LR_HW | ((uint64_t)irq->hw_intid << HV_ICH_LR_PINTID_SHIFT);
	else if (!(irq->flags & IRQ_EDGE))
		lr |= HV_ICH_LR_EOI; /* re-sample the line on deactivation */
	if (irq->flags & IRQ_ACTIVE)
		lr |= HV_ICH_LR_ACTIVE;
	if (pending) {
		lr |= HV_ICH_LR_PENDING;
		if (irq->flags & IRQ_LATCH)
			irq->flags = (uint16_t)((irq->flags & ~IRQ_LATCH) | IRQ_LR_LATCH);
	}
	return lr;
}

/* Place a queued interrupt (pending, deliverable) into free LR i. */
static void lr_place(struct hv_vcpu *vcpu, unsigned i, uint32_t intid, unsigned level)
{
	struct hv_vgic_irq *irq = lr_irq(vcpu, intid);
	vgic_pend_remove(&vcpu->vgic.pending, level, intid);
	irq->flags = (uint16_t)((irq->flags & ~IRQ_QUEUED) | IRQ_IN_LR);
	irq->lr = (uint8_t)i;
	irq->qvcpu = (uint8_t)vcpu->id;
	vcpu->vgic.lr_intid[i] = (uint16_t)intid;
	vcpu->ctx.gic.lr[i] = lr_value(irq, intid, true);
}

/* Step 1: refresh an occupied LR from the model. */
static void lr_refresh(struct hv_vcpu *vcpu, unsigned i, uint32_t intid)
{
	struct hv_vm *vm = vcpu->vm;
	struct hv_vgic_irq *irq = lr_irq(vcpu, intid);
	bool active = (irq->flags & IRQ_ACTIVE) != 0;
	bool deliverable = (irq->flags & IRQ_ENABLED) && vgic_group_enabled(&vm->vgic, irq) &&
	                   irq->target == vcpu->id;
	/* A level interrupt is not made pending again while active: its line
	 * is re-sampled when the guest deactivates it. Nor is a hardware one:
	 * a new edge waits in the model for the deactivation. */
	bool again = (irq->flags & IRQ_EDGE) && !irq->hw_intid;
	bool pending = vgic_pending(irq) && deliverable && (!active || again);
	if (!active && !pending) {
		lr_release(vcpu, i, irq, intid);
		return;
	}
	vcpu->ctx.gic.lr[i] = lr_value(irq, intid, pending);
}

void vgic_flush_locked(struct hv_vcpu *vcpu)
{
	if (vcpu->vgic.in_guest)
		vgic_sync_locked(vcpu); /* flushed twice: fold the first one back */
	struct hv_vgic_vcpu *v = &vcpu->vgic;
	struct hv_gic_cpuif *gic = &vcpu->ctx.gic;
	unsigned n = nr_lrs(vcpu);
	unsigned level;
	uint32_t intid;

	/* Fast path, the common exit: no LR was in use at the last entry (an
	 * LR is only ever filled here) and nothing waits, so the LRs stay
	 * empty and only the request for active interrupts outside them can
	 * be needed. Same result as the steps below. */
	if (v->lrs_last == 0 && v->pending.count == 0 && v->pending.levels == 0) {
		uint32_t fast = (uint32_t)HV_ICH_HCR_EN;
		if (vcpu->vm->vgic.active_outside) {
			fast |= (uint32_t)HV_ICH_HCR_LRENPIE;
			v->stat_maint++;
		}
		gic->hcr = fast;
		gic->nr_lrs_used = 0;
		v->in_guest = true;
		return;
	}

	/* 1 + 2: refresh occupied LRs, fill free ones best first. */
	for (unsigned i = 0; i < n; i++) {
		if (v->lr_intid[i] != HV_VGIC_LR_FREE)
			lr_refresh(vcpu, i, v->lr_intid[i]);
	}
	for (unsigned i = 0; i < n && v->pending.levels; i++) {
		if (v->lr_intid[i] == HV_VGIC_LR_FREE && vgic_pend_top(&v->pending, &level, &intid))
			lr_place(vcpu, i, intid, level);
	}

	/* 3: evict pending-only LRs that the best waiting interrupt beats. */
	for (unsigned round = 0; round < n && vgic_pend_top(&v->pending, &level, &intid); round++) {
		unsigned worst = n, worst_level = 0;
		for (unsigned i = 0; i < n; i++) {
			uint64_t lr = gic->lr[i];
			if ((lr & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)) != HV_ICH_LR_PENDING)
				continue;
			unsigned l = vgic_level((uint8_t)HV_FIELD(lr, 55, 48));
			if (worst == n || l > worst_level) {
				worst = i;
				worst_level = l;
			}
		}
		if (worst == n || level >= worst_level)
			break;
		uint32_t out = v->lr_intid[worst];
		struct hv_vgic_irq *irq = lr_irq(vcpu, out);
		if (irq->flags & IRQ_LR_LATCH)
			irq->flags = (uint16_t)((irq->flags & ~IRQ_LR_LATCH) | IRQ_LATCH);
		lr_release(vcpu, worst, irq, out);
		lr_place(vcpu, worst, intid, level);
	}

	/* 4: maintenance requests; LRs the runtime must write. */
	uint32_t hcr = (uint32_t)HV_ICH_HCR_EN;
	unsigned used = 0;
	bool any_pending = false;
	for (unsigned i = 0; i < n; i++) {
		if (v->lr_intid[i] == HV_VGIC_LR_FREE)
			continue;
		used = i + 1;
		any_pending |= (gic->lr[i] & HV_ICH_LR_PENDING) != 0;
	}
	if (v->pending.count) {
		hcr |= (uint32_t)HV_ICH_HCR_UIE;
		if (any_pending)
			hcr |= (uint32_t)HV_ICH_HCR_NPIE;
	}
	if (vcpu->vm->vgic.active_outside)
		hcr |= (uint32_t)HV_ICH_HCR_LRENPIE;
	if (hcr != (uint32_t)HV_ICH_HCR_EN)
		v->stat_maint++;
	gic->hcr = hcr;
	/* Slots freed since the last entry are written too (as 0). */
	gic->nr_lrs_used = (uint8_t)(used > v->lrs_last ? used : v->lrs_last);
	v->lrs_last = (uint8_t)used;
	v->in_guest = true;
}

/* An EOI the guest made for an INTID in no LR (counted in ICH_HCR_EL2.
 * EOIcount, GIC spec 12.5.4): it deactivates the highest-priority active
 * interrupt of this vCPU that is outside the LRs. Rare path: a scan. */
static void eoi_outside(struct hv_vcpu *vcpu)
{
	struct hv_vm *vm = vcpu->vm;
	struct hv_vgic_irq *best = NULL;
	uint32_t best_intid = 0;
	for (uint32_t intid = 0; intid < HV_VGIC_NR_PRIVATE + vm->vgic.nr_spis; intid++) {
		struct hv_vgic_irq *irq = vgic_irq(vm, vcpu, intid);
		if ((irq->flags & (IRQ_ACTIVE | IRQ_IN_LR)) != IRQ_ACTIVE ||
		    irq->target != vcpu->id)
			continue;
		if (!best || irq->priority < best->priority) {
			best = irq;
			best_intid = intid;
		}
	}
	if (!best)
		return;
	vgic_irq_set_active(vm, best, false);
	vgic_kick(vm, vgic_irq_update(vm, best, best_intid), vcpu);
}

void vgic_sync_locked(struct hv_vcpu *vcpu)
{
	struct hv_vgic_vcpu *v = &vcpu->vgic;
	if (!v->in_guest)
		return;
	v->in_guest = false;
	struct hv_gic_cpuif *gic = &vcpu->ctx.gic;
	/* No LR was in use at entry (lrs_last, set by flush): nothing to read
	 * back from them. */
	unsigned n = v->lrs_last ? nr_lrs(vcpu) : 0;
	for (unsigned i = 0; i < n; i++) {
		uint32_t intid = v->lr_intid[i];
		if (intid == HV_VGIC_LR_FREE)
			continue;
		struct hv_vgic_irq *irq = lr_irq(vcpu, intid);
		uint64_t lr = gic->lr[i];
		uint16_t f = irq->flags;
		/* A latch still pending in the LR goes back to the model; one the
		 * guest acknowledged is consumed. */
		if ((f & IRQ_LR_LATCH) && (lr & HV_ICH_LR_PENDING))
			f |= IRQ_LATCH;
		f &= (uint16_t) ~(IRQ_LR_LATCH | IRQ_ACTIVE);
		if (lr & HV_ICH_LR_ACTIVE)
			f |= IRQ_ACTIVE;
		irq->flags = f;
		/* Invalid: acknowledged and deactivated. It leaves the LR; a level
		 * line still high (or a new edge) queues it again. */
		if (!(lr & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)))
			lr_release(vcpu, i, irq, intid);
	}
	unsigned eoicount = (unsigned)HV_FIELD(gic->hcr, 31, 27);
	for (unsigned k = 0; k < eoicount && vcpu->vm->vgic.active_outside; k++)
		eoi_outside(vcpu);
	gic->hcr &= ~(uint32_t)HV_ICH_HCR_EOICOUNT_MASK;
}

void hv_vgic_flush(struct hv_vcpu *vcpu)
{
	if (!vcpu->vgic.initialized)
		return;
	vgic_lock(vcpu->vm);
	vgic_flush_locked(vcpu);
	vgic_unlock(vcpu->vm);
}

void hv_vgic_sync(struct hv_vcpu *vcpu)
{
	if (!vcpu->vgic.initialized)
		return;
	vgic_lock(vcpu->vm);
	vgic_sync_locked(vcpu);
	vgic_unlock(vcpu->vm);
}

bool hv_vgic_check_invariant(const struct hv_vcpu *vcpu, struct hv_vgic_invariant_report *rep)
{
	struct hv_vgic_invariant_report r = {0, 0, 0xff, 0, 0};
	struct hv_vm *vm = vcpu->vm;
	const struct hv_vgic_vcpu *v = &vcpu->vgic;
	unsigned n = nr_lrs(vcpu);
	bool ok = true;
	for (unsigned i = 0; i < n; i++) {
		uint32_t intid = v->lr_intid[i];
		if (intid == HV_VGIC_LR_FREE) {
			r.free_lrs++;
			continue;
		}
		for (unsigned j = i + 1; j < n; j++)
			r.duplicate_lr_intid += v->lr_intid[j] == intid;
		uint64_t lr = vcpu->ctx.gic.lr[i];
		if ((lr & HV_ICH_LR_VINTID_MASK) != intid)
			ok = false;
		if ((lr & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)) == HV_ICH_LR_PENDING) {
			uint32_t p = (uint32_t)HV_FIELD(lr, 55, 48);
			if (p > r.worst_pending_lr)
				r.worst_pending_lr = p;
		}
	}
	uint32_t queued = 0;
	for (uint32_t intid = 0; intid < HV_VGIC_NR_PRIVATE + vm->vgic.nr_spis; intid++) {
		const struct hv_vgic_irq *irq = vgic_irq(vm, (struct hv_vcpu *)vcpu, intid);
		if ((irq->flags & IRQ_IN_LR) && irq->qvcpu == vcpu->id &&
		    v->lr_intid[irq->lr] != intid)
			ok = false; /* LR bookkeeping disagrees */
		bool waiting =
		    (irq->flags & (IRQ_IN_LR | IRQ_ENABLED | IRQ_ACTIVE)) == IRQ_ENABLED &&
		    vgic_pending(irq) && vgic_group_enabled(&vm->vgic, irq) &&
		    irq->target == vcpu->id;
		bool queued_here = (irq->flags & IRQ_QUEUED) && irq->qvcpu == vcpu->id;
		if (waiting != queued_here)
			ok = false; /* bitmaps disagree with the state */
		if (queued_here) {
			queued++;
			unsigned w = intid >> 5;
			if (!(v->pending.bits[irq->qlevel][w] & (1u << (intid & 31u))) ||
			    irq->qlevel != vgic_level(irq->priority))
				ok = false;
		}
		if (waiting) {
			r.waiting++;
			if (irq->priority < r.best_waiting_prio)
				r.best_waiting_prio = irq->priority;
		}
	}
	if (queued != v->pending.count)
		ok = false;
	if (r.duplicate_lr_intid)
		ok = false;
	if (r.waiting && r.free_lrs)
		ok = false;
	if (r.waiting && r.worst_pending_lr > r.best_waiting_prio)
		ok = false;
	if (rep)
		*rep = r;
	return ok;
}
