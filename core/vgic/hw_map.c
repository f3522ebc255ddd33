/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hardware-mapped interrupts: which virtual INTIDs a physical INTID backs
 * (hv_vgic_map_hw, hv/vgic.h). The LR encoding is in lr_sched.c.
 */
#include "vgic_internal.h"

/* Physical INTID ranges a deactivation through an LR can name (GIC spec
 * 12.5.11: pINTID of a PPI applies to the PE's own PPI; 1020..1023 are
 * special INTIDs, SGIs are never hardware interrupts). */
static bool pintid_fits(uint32_t intid, uint32_t pintid)
{
	if (intid < HV_VGIC_NR_PRIVATE)
		return pintid >= HV_VGIC_NR_SGIS && pintid < HV_VGIC_NR_PRIVATE;
	return pintid >= HV_VGIC_NR_PRIVATE && pintid < HV_VGIC_MAX_INTID;
}

/* Another INTID the vCPU sees (its private ones or its VM's SPIs) already
 * backed by `pintid`. */
static bool pintid_taken(struct hv_vcpu *vcpu, uint32_t intid, uint32_t pintid)
{
	struct hv_vm *vm = vcpu->vm;
	if (intid < HV_VGIC_NR_PRIVATE) {
		for (uint32_t i = HV_VGIC_NR_SGIS; i < HV_VGIC_NR_PRIVATE; i++)
			if (vcpu->vgic.private_irqs[i].hw_intid == pintid)
				return true;
		return false;
	}
	for (uint32_t i = 0; i < vm->vgic.nr_spis; i++)
		if (vm->vgic.spis[i].hw_intid == pintid)
			return true;
	return false;
}

/* The INTID's state if it may be (un)mapped, else the refusal. */
static hv_status_t mappable(struct hv_vcpu *vcpu, uint32_t intid, struct hv_vgic_irq **out)
{
	if (!vcpu || !vcpu->vm)
		return HV_ERR_INVALID;
	if (!vcpu->vgic.initialized)
		return HV_ERR_STATE;
	if (intid < HV_VGIC_NR_SGIS)
		return HV_ERR_INVALID;
	struct hv_vgic_irq *irq = vgic_irq(vcpu->vm, vcpu, intid);
	if (!irq)
		return HV_ERR_INVALID;
	*out = irq;
	return HV_OK;
}

/* In flight: its LR (or the guest's active state) would change meaning. */
static bool in_flight(const struct hv_vgic_irq *irq)
{
	return (irq->flags & (IRQ_IN_LR | IRQ_ACTIVE)) != 0;
}

hv_status_t hv_vgic_map_hw(struct hv_vcpu *vcpu, uint32_t intid, uint32_t pintid)
{
	struct hv_vgic_irq *irq;
	hv_status_t st = mappable(vcpu, intid, &irq);
	if (st != HV_OK)
		return st;
	if (!pintid_fits(intid, pintid))
		return HV_ERR_INVALID;
	vgic_lock(vcpu->vm);
	if (irq->hw_intid || pintid_taken(vcpu, intid, pintid))
		st = HV_ERR_EXISTS;
	else if (in_flight(irq))
		st = HV_ERR_STATE;
	else
		irq->hw_intid = (uint16_t)pintid;
	vgic_unlock(vcpu->vm);
	return st;
}

hv_status_t hv_vgic_unmap_hw(struct hv_vcpu *vcpu, uint32_t intid)
{
	struct hv_vgic_irq *irq;
	hv_status_t st = mappable(vcpu, intid, &irq);
	if (st != HV_OK)
		return st;
	vgic_lock(vcpu->vm);
	if (!irq->hw_intid)
		st = HV_ERR_NOT_FOUND;
	else if (in_flight(irq))
		st = HV_ERR_STATE;
	else
		irq->hw_intid = 0;
	vgic_unlock(vcpu->vm);
	return st;
}

bool hv_vgic_irq_active(const struct hv_vcpu *vcpu, uint32_t intid)
{
	if (!vcpu || !vcpu->vm || !vcpu->vgic.initialized)
		return false;
	struct hv_vcpu *v = (struct hv_vcpu *)vcpu;
	vgic_lock(v->vm);
	const struct hv_vgic_irq *irq = vgic_irq(v->vm, v, intid);
	bool active = irq && (irq->flags & IRQ_ACTIVE);
	vgic_unlock(v->vm);
	return active;
}
