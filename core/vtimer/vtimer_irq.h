/* SPDX-License-Identifier: Apache-2.0 */
/* core/vtimer's one call into the vGIC, behind a small adapter. */
#ifndef HV_VTIMER_IRQ_H
#define HV_VTIMER_IRQ_H

#include <hv/vtimer.h>

/* Drive timer PPI `ppi` (27 or 30) of `vcpu` to `level`; returns the vCPU
 * to wake or NULL. */
struct hv_vcpu *hv_vtimer_drive_ppi(struct hv_vcpu *vcpu, uint32_t ppi, bool level);

#endif /* HV_VTIMER_IRQ_H */
