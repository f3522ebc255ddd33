/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trapped GIC CPU interface system registers: SGI generation. With
 * HCR_EL2.IMO/FMO set, the guest's ICC_SGI0R/SGI1R/ASGI1R writes trap to EL2
 * (GIC spec 12.2.20-12.2.22); every other ICC_* access is served by the
 * virtual CPU interface (ICV_*) over the list registers without a trap.
 */
#include <hv/sysreg.h>
#include "vgic_internal.h"

/* ICC_SGI1R_EL1 (GIC spec 12.2.22): TargetList [15:0], Aff1 [23:16],
 * INTID [27:24], Aff2 [39:32], IRM [40], RS [47:44], Aff3 [55:48]. */
static void generate_sgis(struct hv_vcpu *self, uint64_t v, bool group1)
{
	struct hv_vm *vm = self->vm;
	uint32_t intid = (uint32_t)HV_FIELD(v, 27, 24);
	bool broadcast = HV_FIELD(v, 40, 40) != 0;
	uint32_t upper = (uint32_t)((HV_FIELD(v, 55, 48) << 24) | (HV_FIELD(v, 39, 32) << 16) |
	                            (HV_FIELD(v, 23, 16) << 8));
	uint32_t rs = (uint32_t)HV_FIELD(v, 47, 44);
	uint32_t list = (uint32_t)(v & 0xffffu);
	for (uint32_t i = 0; i < vm->vgic.nr_vcpus && i < HV_MAX_VCPUS; i++) {
		struct hv_vcpu *t = vm->vcpus[i];
		if (!t || !t->vgic.initialized)
			continue;
		uint32_t aff = vgic_affinity(t);
		if (broadcast) {
			if (t == self)
				continue; /* IRM: every PE but the sender */
		} else {
			uint32_t aff0 = aff & 0xffu;
			if ((aff & ~0xffu) != upper || aff0 / 16u != rs ||
			    !(list & (1u << (aff0 % 16u))))
				continue;
		}
		struct hv_vgic_irq *irq = &t->vgic.private_irqs[intid];
		if (((irq->flags & IRQ_GROUP1) != 0) != group1)
			continue; /* SGI1R raises Group 1 SGIs, SGI0R Group 0 */
		irq->flags |= IRQ_LATCH;
		struct hv_vcpu *wake = vgic_irq_update(vm, irq, intid);
		if (!wake && (irq->flags & IRQ_IN_LR))
			wake = t;
		vgic_kick(vm, wake, self);
	}
}

hv_status_t hv_vgic_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                  uint64_t *value)
{
	if (!vcpu || !value || !vcpu->vgic.initialized)
		return HV_ERR_NOT_SUPPORTED;
	switch (sysreg) {
	case HV_SYSREG_ICC_SGI1R_EL1:
	case HV_SYSREG_ICC_SGI0R_EL1:
		if (!is_write)
			return HV_ERR_NOT_SUPPORTED; /* write-only: UNDEF */
		vgic_lock(vcpu->vm);
		generate_sgis(vcpu, *value, sysreg == HV_SYSREG_ICC_SGI1R_EL1);
		vgic_unlock(vcpu->vm);
		return HV_OK;
	case HV_SYSREG_ICC_ASGI1R_EL1:
		/* One Security state: no "other" Group 1 to raise (WI). */
		return is_write ? HV_OK : HV_ERR_NOT_SUPPORTED;
	case HV_SYSREG_ICC_SRE_EL1:
		if (!is_write)
			*value = 0x7; /* SRE, DFB, DIB: system registers only */
		return HV_OK;
	default: return HV_ERR_NOT_SUPPORTED;
	}
}
