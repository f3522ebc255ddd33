/* SPDX-License-Identifier: Apache-2.0 */
/* See sysreg_model.h. */
#include <hv/sysreg.h>
#include <hv/vm.h>
#include <hvsim/gic_cpuif.h>
#include <hvsim/syndrome.h>
#include "core_link.h"
#include "sysreg_model.h"

#define SYSREG_MPIDR_EL1 HV_SYSREG(3, 0, 0, 0, 5)

/* CNTV_CTL_EL0 bits (Arm ARM D17.8.16): ENABLE, IMASK, ISTATUS (RO). */
#define CNTV_CTL_ENABLE  HV_BIT(0)
#define CNTV_CTL_IMASK   HV_BIT(1)
#define CNTV_CTL_ISTATUS HV_BIT(2)

static uint64_t virtual_count(const struct sim_vcpu *sv)
{
	return hv_arch_counter() - sv->vcpu->ctx.timer.cntvoff_el2;
}

/* A write that moves the timer's deadline before the end of the running
 * slice (or into the past, or unmasks a due timer) ends the slice there, as
 * run.c limits every slice to the deadline at entry: the interrupt then
 * arrives while the guest runs, as on hardware, not at its next exit. */
static void timer_written(struct sim_vcpu *sv)
{
	uint64_t deadline;
	if (!sv->sim->counting || !sim_core_timer_deadline(sv, &deadline))
		return;
	uint64_t now = hv_arch_counter();
	uint64_t left = deadline > now ? deadline - now : 0;
	if (sv->quantum_left > left)
		sv->quantum_left = left;
}

/* The EL1 virtual timer as hardware presents it (Arm ARM D11.2.4). */
static enum sim_sysreg_result vtimer(struct sim_vcpu *sv, uint32_t id, bool is_read,
                                     uint64_t *value)
{
	struct hv_vtimer_regs *t = &sv->vcpu->ctx.timer;
	uint64_t now = virtual_count(sv);
	switch (id) {
	case HV_SYSREG_CNTFRQ_EL0:
		if (!is_read)
			return SIM_SYSREG_TRAP; /* writable only at the highest EL */
		*value = hv_arch_counter_freq();
		return SIM_SYSREG_DONE;
	case HV_SYSREG_CNTVCT_EL0:
		if (!is_read)
			return SIM_SYSREG_TRAP;
		*value = now;
		return SIM_SYSREG_DONE;
	case HV_SYSREG_CNTV_CTL_EL0:
		if (is_read) {
			uint64_t ctl = t->cntv_ctl_el0 & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
			if ((ctl & CNTV_CTL_ENABLE) && now >= t->cntv_cval_el0)
				ctl |= CNTV_CTL_ISTATUS;
			*value = ctl;
		} else {
			t->cntv_ctl_el0 = *value & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK);
			timer_written(sv);
		}
		return SIM_SYSREG_DONE;
	case HV_SYSREG_CNTV_CVAL_EL0:
		if (is_read) {
			*value = t->cntv_cval_el0;
		} else {
			t->cntv_cval_el0 = *value;
			timer_written(sv);
		}
		return SIM_SYSREG_DONE;
	case HV_SYSREG_CNTV_TVAL_EL0:
		/* TVAL is the signed 32-bit CVAL - count (D17.8.18). */
		if (is_read) {
			*value = (uint64_t)(uint32_t)(t->cntv_cval_el0 - now);
		} else {
			t->cntv_cval_el0 = now + (uint64_t)(int64_t)(int32_t)*value;
			timer_written(sv);
		}
		return SIM_SYSREG_DONE;
	default: return SIM_SYSREG_TRAP; /* CNTP_*, CNTPCT: EL2 traps them */
	}
}

enum sim_sysreg_result sim_sysreg_access(struct sim_vcpu *sv, uint32_t id, bool is_read,
                                         uint64_t *value)
{
	if (id == SYSREG_MPIDR_EL1) {
		if (!is_read)
			return SIM_SYSREG_TRAP;       /* read-only: UNDEF */
		*value = sv->vcpu->ctx.el1.mpidr_el1; /* VMPIDR_EL2 */
		return SIM_SYSREG_DONE;
	}
	unsigned op0 = (id >> 14) & 3u, op1 = (id >> 11) & 7u, crn = (id >> 7) & 15u;
	unsigned crm = (id >> 3) & 15u;
	/* The ID space (op0 3, op1 0, CRn 0, CRm 1..7): trapped as with
	 * HCR_EL2.TID3 at EL2, answered by core/exit from the VM's table. */
	if (op0 == 3 && op1 == 0 && crn == 0 && crm >= 1 && crm <= 7 && sv->vcpu->vm &&
	    sv->vcpu->vm->idregs.valid)
		return SIM_SYSREG_TRAP;
	/* Debug registers (op0 2): trapped as with MDCR_EL2.TDA/TDOSA at EL2,
	 * kept per vCPU by core/exit (hv/debug.h). Unicorn never raises the
	 * debug exceptions they arm: breakpoints, watchpoints and software
	 * step do not fire under hvsim. */
	if (op0 == 2)
		return SIM_SYSREG_TRAP;
	/* Generic timer registers: op0 3, op1 3, CRn 14. */
	if (op0 == 3 && op1 == 3 && crn == 14)
		return vtimer(sv, id, is_read, value);
	/* GIC CPU interface (op1 0, CRn 12, CRm 8..15; ICC_PMR_EL1). */
	if ((op0 == 3 && op1 == 0 && crn == 12 && crm >= 8) || id == HV_SYSREG_ICC_PMR_EL1) {
		/* With ICH_HCR_EL2.En the virtual interface answers (ICV_*);
		 * without a vGIC the access traps (and the core UNDEFs it). */
		if (!(sv->vcpu->ctx.gic.hcr & SIM_HCR_EN))
			return SIM_SYSREG_TRAP;
		switch (sim_gic_sysreg(&sv->vcpu->ctx.gic, id, is_read, value)) {
		case SIM_GIC_DONE: return SIM_SYSREG_DONE;
		case SIM_GIC_DONE_RESYNC: return SIM_SYSREG_DONE_STOP;
		default: return SIM_SYSREG_TRAP;
		}
	}
	return SIM_SYSREG_NATIVE;
}

uint64_t sim_sysreg_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt, bool is_read)
{
	return sim_esr_sysreg(op0, op1, crn, crm, op2, rt, is_read);
}
