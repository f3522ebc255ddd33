/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PPI 27 delivery through the vGIC. Until core/vgic's implementation is in
 * the tree the line level is kept in vcpu->vtimer.line only and the wake-up
 * target is this vCPU when the line rises.
 */
#include <hv/vcpu.h>
#include "vtimer_irq.h"

struct hv_vcpu *hv_vtimer_drive_ppi(struct hv_vcpu *vcpu, bool level)
{
	return level ? vcpu : NULL;
}
