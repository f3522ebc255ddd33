/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Timer PPI delivery (27 virtual, 30 physical) through the vGIC, and PPI
 * 27's backing by a physical PPI. A
 * vCPU whose vGIC is not set up (unit fixtures, a runtime without a GIC
 * model) keeps the level in vcpu->vtimer.line only; the wake-up target is
 * then this vCPU when the line rises.
 */
#include <hv/vcpu.h>
#include <hv/vgic.h>
#include "vtimer_irq.h"

struct hv_vcpu *hv_vtimer_drive_ppi(struct hv_vcpu *vcpu, uint32_t ppi, bool level)
{
	if (!vcpu->vgic.initialized)
		return level ? vcpu : NULL;
	return hv_vgic_inject_ppi(vcpu, ppi, level);
}

hv_status_t hv_vtimer_map_hw(struct hv_vcpu *vcpu, uint32_t pintid)
{
	return hv_vgic_map_hw(vcpu, HV_VTIMER_PPI, pintid);
}

bool hv_vtimer_hw_active(const struct hv_vcpu *vcpu)
{
	return vcpu && (vcpu->vtimer.line || hv_vgic_irq_active(vcpu, HV_VTIMER_PPI));
}
