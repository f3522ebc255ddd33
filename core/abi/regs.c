/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET_ONE_REG / SET_ONE_REG: a register id (KVM arm64 layout, hv/abi.h)
 * names one 64-bit field of the vCPU's register file. Unknown ids, other
 * sizes and values the architecture forbids are refused.
 */
#include <hv/inject.h>
#include <hv/vtimer.h>
#include "abi_internal.h"

/* PSTATE values a host may set: AArch64 at EL0t, EL1t or EL1h (Arm ARM
 * C5.2.18 SPSR_EL2: M[4] = 0 is AArch64, M[3:0] the mode), with only the
 * condition flags NZCV [31:28] and the DAIF masks [9:6]. */
#define PSTATE_NZCV     HV_GENMASK(31, 28)
#define PSTATE_SETTABLE (PSTATE_NZCV | HV_PSTATE_DAIF | HV_PSTATE_MODE_MASK)

static bool pstate_ok(uint64_t v)
{
	uint64_t mode = v & HV_PSTATE_MODE_MASK;
	return !(v & ~PSTATE_SETTABLE) &&
	       (mode == HV_PSTATE_EL0T || mode == HV_PSTATE_EL1T || mode == HV_PSTATE_EL1H);
}

enum reg_rule {
	REG_RW = 0,
	REG_RO,      /* reads only */
	REG_PSTATE,  /* checked by pstate_ok */
	REG_CNTV_CTL /* ENABLE and IMASK writable, ISTATUS computed */
};

/* The field an id names, or NULL for an unknown id. */
static uint64_t *reg_field(struct hv_vcpu *vcpu, uint64_t id, enum reg_rule *rule)
{
	struct hv_vcpu_context *c = &vcpu->ctx;
	*rule = REG_RW;
	for (unsigned n = 0; n < 31; n++)
		if (id == HV_GZVM_REG_X(n))
			return &c->regs.x[n];
	switch (id) {
	case HV_GZVM_REG_SP: return &c->regs.sp_el0;
	case HV_GZVM_REG_PC: return &c->regs.pc;
	case HV_GZVM_REG_PSTATE: *rule = REG_PSTATE; return &c->regs.pstate;
	case HV_GZVM_REG_SP_EL1: return &c->regs.sp_el1;
	case HV_GZVM_REG_ELR_EL1: return &c->el1.elr_el1;
	case HV_GZVM_REG_SPSR_EL1: return &c->el1.spsr_el1;
	case HV_GZVM_REG_MPIDR_EL1: *rule = REG_RO; return &c->el1.mpidr_el1;
	case HV_GZVM_REG_SCTLR_EL1: return &c->el1.sctlr_el1;
	case HV_GZVM_REG_TTBR0_EL1: return &c->el1.ttbr0_el1;
	case HV_GZVM_REG_TTBR1_EL1: return &c->el1.ttbr1_el1;
	case HV_GZVM_REG_TCR_EL1: return &c->el1.tcr_el1;
	case HV_GZVM_REG_ESR_EL1: return &c->el1.esr_el1;
	case HV_GZVM_REG_FAR_EL1: return &c->el1.far_el1;
	case HV_GZVM_REG_MAIR_EL1: return &c->el1.mair_el1;
	case HV_GZVM_REG_VBAR_EL1: return &c->el1.vbar_el1;
	case HV_GZVM_REG_CNTV_CTL_EL0: *rule = REG_CNTV_CTL; return &c->timer.cntv_ctl_el0;
	case HV_GZVM_REG_CNTV_CVAL_EL0: return &c->timer.cntv_cval_el0;
	default: return NULL;
	}
}

/* A protected VM's registers are the guest's once it has run. */
static struct hv_vcpu *reg_vcpu(struct hv_abi_server *srv, uint64_t tuple, int64_t *err)
{
	struct hv_vcpu *vcpu = abi_vcpu(srv, tuple);
	*err = HV_ABI_ERR_INVALID_ARGS;
	if (!vcpu)
		return NULL;
	if (abi_vm_slot(srv, vcpu->vm)->protected_vm && vcpu->vm->life.state != HV_VM_CREATED) {
		*err = HV_ABI_ERR_NOT_SUPPORTED;
		return NULL;
	}
	return vcpu;
}

int64_t abi_get_one_reg(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	int64_t err;
	struct hv_vcpu *vcpu = reg_vcpu(srv, in[1], &err);
	if (!vcpu)
		return err;
	enum reg_rule rule;
	uint64_t *f = reg_field(vcpu, in[2], &rule);
	if (!f || !abi_args_zero(in, 3))
		return HV_ABI_ERR_INVALID_ARGS;
	out[1] = *f;
	return HV_ABI_OK;
}

int64_t abi_set_one_reg(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	int64_t err;
	struct hv_vcpu *vcpu = reg_vcpu(srv, in[1], &err);
	if (!vcpu)
		return err;
	enum reg_rule rule;
	uint64_t *f = reg_field(vcpu, in[2], &rule);
	uint64_t v = in[3];
	if (!f || !abi_args_zero(in, 4) || rule == REG_RO ||
	    (rule == REG_PSTATE && !pstate_ok(v)) ||
	    (rule == REG_CNTV_CTL &&
	     (v & ~(HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK | HV_CNTV_CTL_ISTATUS))))
		return HV_ABI_ERR_INVALID_ARGS;
	if (rule == REG_CNTV_CTL)
		v &= ~HV_CNTV_CTL_ISTATUS; /* read-only: recomputed before entry */
	*f = v;
	return HV_ABI_OK;
}
