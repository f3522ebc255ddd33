/* SPDX-License-Identifier: Apache-2.0 */
/* What a vCPU's readiness is, for core/sched's ready functions (hv/sched.h):
 * its power, the idle mark of its WFI, its vGIC and its timer lines. */
#include <hv/sched.h>
#include <hv/vcpu.h>
#include <hv/vgic.h>
#include <hv/vtimer.h>

void hv_sched_vcpu_idles(struct hv_sched *s, unsigned vcpu)
{
	s->idle[vcpu] = 1;
}

uint32_t hv_sched_idle_mask(const struct hv_sched *s)
{
	uint32_t mask = 0;
	for (unsigned i = 0; i < s->nr_vcpus; i++)
		mask |= (uint32_t)s->idle[i] << i;
	return mask;
}

bool hv_sched_vcpu_wants_cpu(struct hv_vcpu *v)
{
	hv_vtimer_update(v); /* a deadline passed raises its line */
	return hv_vgic_vcpu_has_pending(v);
}

bool hv_sched_vcpu_ready(struct hv_sched *s, struct hv_vcpu *v)
{
	if (v->power == HV_VCPU_OFF)
		return false;
	if (hv_sched_vcpu_wants_cpu(v))
		s->idle[v->id] = 0; /* an interrupt ends its WFI */
	return !s->idle[v->id];
}
