/* SPDX-License-Identifier: Apache-2.0 */
/* See core_link.h. */
#include <hv/inject.h>
#include <hv/vtimer.h>
#include <hv/vgic.h>
#include <hvsim/arch_sim.h>
#include <hvsim/gic_cpuif.h>
#include "core_link.h"

/* CNTV_CTL_EL0: ENABLE [0], IMASK [1] (Arm ARM D17.8.16). */
#define CNTV_ENABLE HV_BIT(0)
#define CNTV_IMASK  HV_BIT(1)

/* One thread runs every vCPU: a kicked vCPU is looked at again by the
 * scheduler (pick) anyway, so a kick needs no action. */
static void kick(struct hv_vcpu *target, void *opaque)
{
	(void)target;
	(void)opaque;
}

hv_status_t sim_core_vm_init(struct sim *sim)
{
	const struct hv_vgic_config cfg = {
	    .dist_base = hv_ipa(SIM_GICD_BASE),
	    .redist_base = hv_ipa(SIM_GICR_BASE),
	    .nr_spis = hv_platform_virt.nr_spis, /* as the EL2 port's */
	    .nr_vcpus = sim->cfg.nr_vcpus,
	    .kick = kick,
	    .kick_opaque = sim,
	};
	hv_status_t st = hv_vgic_init(sim->vm, &cfg);
	for (uint32_t i = 0; st == HV_OK && i < sim->cfg.nr_vcpus; i++) {
		struct sim_vcpu *sv = &sim->vcpus[i];
		sim_gic_reset(&sv->vcpu->ctx.gic); /* sets nr_lrs before the vGIC looks */
		st = hv_vgic_vcpu_init(sv->vcpu);
	}
	return st;
}

hv_status_t sim_core_vcpu_init(struct sim_vcpu *sv)
{
	sim_gic_reset(&sv->vcpu->ctx.gic);
	return HV_OK;
}

void sim_core_update_lines(struct sim_vcpu *sv)
{
	hv_vtimer_update(sv->vcpu); /* drives PPI 27 through the vGIC */
}

void sim_core_before_entry(struct sim_vcpu *sv)
{
	sim_core_update_lines(sv);
	hv_vgic_flush(sv->vcpu);
}

void sim_core_after_exit(struct sim_vcpu *sv)
{
	hv_vgic_sync(sv->vcpu); /* the status registers: sim_vcpu_enter */
}

bool sim_core_has_pending(struct sim_vcpu *sv)
{
	return hv_vgic_vcpu_has_pending(sv->vcpu);
}

bool sim_core_timer_deadline(const struct sim_vcpu *sv, uint64_t *count)
{
	const struct hv_vtimer_regs *t = &sv->vcpu->ctx.timer;
	uint64_t p;
	bool v_on = (t->cntv_ctl_el0 & (CNTV_ENABLE | CNTV_IMASK)) == CNTV_ENABLE;
	/* The EL1 physical timer (emulated by core/vtimer): its deadline while
	 * its expiry is still to come. */
	bool p_on = hv_vtimer_ptimer_deadline(sv->vcpu, &p);
	if (v_on)
		*count = t->cntv_cval_el0 + t->cntvoff_el2;
	if (p_on && (!v_on || p < *count))
		*count = p;
	return v_on || p_on;
}

/* Vector offsets, Arm ARM D1.10.2: EL1t uses the SP0 quarter, EL1h the SPx
 * one, EL0 the lower-EL AArch64 one; IRQ is +0x80 within a quarter. */
bool sim_take_virtual_irq(struct sim_vcpu *sv)
{
	struct hv_vcpu_context *c = &sv->vcpu->ctx;
	if ((c->regs.pstate & HV_PSTATE_I) || !sim_gic_irq_signalled(&c->gic))
		return false;
	if ((c->regs.pstate & HV_PSTATE_MODE_MASK) == HV_PSTATE_EL0T) {
		sv->irq_at_el0 = true; /* cannot be taken: see run.c */
		return false;
	}
	uint64_t base;
	switch (c->regs.pstate & HV_PSTATE_MODE_MASK) {
	case HV_PSTATE_EL0T: base = HV_VECTOR_LOW_A64; break;
	case HV_PSTATE_EL1T: base = HV_VECTOR_CUR_SP0; break;
	default: base = HV_VECTOR_CUR_SPX; break;
	}
	c->el1.elr_el1 = c->regs.pc;
	c->el1.spsr_el1 = c->regs.pstate;
	c->regs.pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	c->regs.pc = (c->el1.vbar_el1 & ~HV_GENMASK(10, 0)) + base + HV_VECTOR_IRQ;
	sv->sim->counters[SIM_CNT_IRQ_ENTRIES]++;
	return true;
}
