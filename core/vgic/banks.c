/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Register banks shared by the distributor (SPIs) and the redistributors'
 * SGI_base frame (SGIs and PPIs): one bit, two bits or one byte per INTID
 * (GIC spec 12.9 GICD_IGROUPR/IS/ICENABLER/IS/ICPENDR/IS/ICACTIVER,
 * GICD_IPRIORITYR, GICD_ICFGR; 12.11 their GICR_*0 counterparts). INTIDs
 * that do not exist read as zero and ignore writes.
 */
#include "vgic_internal.h"

static uint16_t bit_of(enum vgic_bits_reg reg)
{
	switch (reg) {
	case VGIC_IGROUPR: return IRQ_GROUP1;
	case VGIC_ISENABLER:
	case VGIC_ICENABLER: return IRQ_ENABLED;
	case VGIC_ISACTIVER:
	case VGIC_ICACTIVER: return IRQ_ACTIVE;
	default: return 0;
	}
}

uint32_t vgic_bits_read(struct hv_vm *vm, struct hv_vcpu *owner, unsigned reg, uint32_t base)
{
	uint32_t value = 0;
	for (uint32_t i = 0; i < 32; i++) {
		const struct hv_vgic_irq *irq = vgic_irq(vm, owner, base + i);
		if (!irq)
			continue;
		bool set;
		if (reg == VGIC_ISPENDR || reg == VGIC_ICPENDR)
			/* Pending: the model's latch or line, or a latch the
			 * running guest holds in an LR. */
			set = vgic_pending(irq) || (irq->flags & IRQ_LR_LATCH);
		else
			set = (irq->flags & bit_of((enum vgic_bits_reg)reg)) != 0;
		value |= (uint32_t)set << i;
	}
	return value;
}

void vgic_bits_write(struct hv_vm *vm, struct hv_vcpu *owner, struct hv_vcpu *self, unsigned reg,
                     uint32_t base, uint32_t value)
{
	for (uint32_t i = 0; i < 32; i++) {
		bool one = (value >> i) & 1u;
		if (!one && reg != VGIC_IGROUPR)
			continue; /* set/clear registers: 0 bits have no effect */
		struct hv_vgic_irq *irq = vgic_irq(vm, owner, base + i);
		if (!irq)
			continue;
		uint32_t intid = base + i;
		switch ((enum vgic_bits_reg)reg) {
		case VGIC_IGROUPR:
			irq->flags = one ? (uint16_t)(irq->flags | IRQ_GROUP1)
			                 : (uint16_t)(irq->flags & ~IRQ_GROUP1);
			break;
		case VGIC_ISENABLER: irq->flags |= IRQ_ENABLED; break;
		case VGIC_ICENABLER: irq->flags &= (uint16_t)~IRQ_ENABLED; break;
		case VGIC_ISPENDR: irq->flags |= IRQ_LATCH; break;
		case VGIC_ICPENDR: irq->flags &= (uint16_t) ~(IRQ_LATCH | IRQ_LR_LATCH); break;
		case VGIC_ISACTIVER: vgic_irq_set_active(vm, irq, true); break;
		case VGIC_ICACTIVER: vgic_irq_set_active(vm, irq, false); break;
		}
		struct hv_vcpu *wake = vgic_irq_update(vm, irq, intid);
		if (!wake && (irq->flags & IRQ_IN_LR))
			wake = vm->vcpus[irq->qvcpu]; /* its LR must be refreshed */
		vgic_kick(vm, wake, self);
	}
}

uint64_t vgic_prio_read(struct hv_vm *vm, struct hv_vcpu *owner, uint32_t base, unsigned size)
{
	uint64_t value = 0;
	for (unsigned i = 0; i < size; i++) {
		const struct hv_vgic_irq *irq = vgic_irq(vm, owner, base + i);
		if (irq)
			value |= (uint64_t)irq->priority << (8 * i);
	}
	return value;
}

void vgic_prio_write(struct hv_vm *vm, struct hv_vcpu *owner, struct hv_vcpu *self, uint32_t base,
                     unsigned size, uint64_t value)
{
	for (unsigned i = 0; i < size; i++) {
		struct hv_vgic_irq *irq = vgic_irq(vm, owner, base + i);
		if (!irq)
			continue;
		irq->priority = (uint8_t)((value >> (8 * i)) & HV_VGIC_PRIO_MASK);
		vgic_kick(vm, vgic_irq_update(vm, irq, base + i), self);
		if (irq->flags & IRQ_IN_LR)
			vgic_kick(vm, vm->vcpus[irq->qvcpu], self);
	}
}

/* GICD_ICFGR: Int_config[1] of field 2i+1 is edge (1) / level (0); SGIs
 * are edge and read-only (GIC spec 12.9.11, 12.11.7). */
uint32_t vgic_cfg_read(struct hv_vm *vm, struct hv_vcpu *owner, uint32_t base)
{
	uint32_t value = 0;
	for (uint32_t i = 0; i < 16; i++) {
		const struct hv_vgic_irq *irq = vgic_irq(vm, owner, base + i);
		if (irq && (irq->flags & IRQ_EDGE))
			value |= 2u << (2 * i);
	}
	return value;
}

void vgic_cfg_write(struct hv_vm *vm, struct hv_vcpu *owner, struct hv_vcpu *self, uint32_t base,
                    uint32_t value)
{
	for (uint32_t i = 0; i < 16; i++) {
		uint32_t intid = base + i;
		struct hv_vgic_irq *irq = vgic_irq(vm, owner, intid);
		if (!irq || intid < HV_VGIC_NR_SGIS)
			continue;
		if (value & (2u << (2 * i)))
			irq->flags |= IRQ_EDGE;
		else
			irq->flags &= (uint16_t)~IRQ_EDGE;
		vgic_kick(vm, vgic_irq_update(vm, irq, intid), self);
	}
}
