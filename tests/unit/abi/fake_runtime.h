/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A scripted runtime for the server's RUN: each entry takes the next
 * scripted stop (an exit syndrome as hardware reports it, with registers
 * the guest had set, or a preemption/failure). An empty script preempts.
 * It records what the server told it (stage-2 changes, releases).
 */
#ifndef HV_TEST_FAKE_RUNTIME_H
#define HV_TEST_FAKE_RUNTIME_H

#include <hv/abi_server.h>
#include <hv/esr.h>
#include <hv/sysreg.h>
#include <hv/vm.h>

#define FAKE_MAX_STOPS 64

struct fake_stop {
	enum hv_abi_entry kind;
	struct hv_exit_syndrome exit;
	int8_t reg[2]; /* registers the guest set before trapping, -1: none */
	uint64_t val[2];
};

struct fake_rt {
	struct fake_stop stops[FAKE_MAX_STOPS];
	unsigned n, next;
	unsigned entries;
	struct hv_vcpu *last;
	uint64_t lr0_at_entry; /* ctx.gic.lr[0] as the server flushed it */
	unsigned s2_changes;
	uint64_t s2_last_ipa, s2_last_size;
	unsigned releases;
	struct hv_vcpu *released;
	bool guest_completes_lrs; /* each entry: the guest takes and deactivates every LR */
};

static enum hv_abi_entry fake_enter(void *arg, struct hv_vcpu *vcpu)
{
	struct fake_rt *f = arg;
	f->entries++;
	f->last = vcpu;
	f->lr0_at_entry = vcpu->ctx.gic.lr[0];
	if (f->guest_completes_lrs)
		for (unsigned i = 0; i < HV_GIC_MAX_LRS; i++)
			vcpu->ctx.gic.lr[i] &= ~(HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE);
	if (f->next == f->n)
		return HV_ABI_ENTRY_PREEMPTED;
	const struct fake_stop *s = &f->stops[f->next++];
	for (unsigned i = 0; i < 2; i++)
		if (s->reg[i] >= 0)
			vcpu->ctx.regs.x[s->reg[i]] = s->val[i];
	if (s->kind == HV_ABI_ENTRY_EXIT)
		vcpu->ctx.exit = s->exit;
	return s->kind;
}

static void fake_s2_changed(void *arg, struct hv_vm *vm, hv_ipa_t ipa, uint64_t size)
{
	struct fake_rt *f = arg;
	(void)vm;
	f->s2_changes++;
	f->s2_last_ipa = hv_ipa_addr(ipa);
	f->s2_last_size = size;
}

static void fake_release(void *arg, struct hv_vm *vm, struct hv_vcpu *vcpu)
{
	struct fake_rt *f = arg;
	(void)vm;
	f->releases++;
	f->released = vcpu;
}

static const struct hv_abi_runtime_ops fake_ops = {
    .enter = fake_enter,
    .s2_changed = fake_s2_changed,
    .release = fake_release,
};

static inline struct fake_stop *fake_push(struct fake_rt *f, enum hv_abi_entry kind)
{
	struct fake_stop *s = &f->stops[f->n++];
	*s = (struct fake_stop){.kind = kind, .reg = {-1, -1}};
	return s;
}

/* A stage-2 data abort with ISV=1 (Arm ARM D17.2.37): `size` bytes, Xt/Wt
 * `reg`, at IPA ipa (MMU off: VA == IPA). */
static inline struct fake_stop *fake_dabt(struct fake_rt *f, uint64_t ipa, unsigned size,
                                          bool write, unsigned reg, bool sf)
{
	struct fake_stop *s = fake_push(f, HV_ABI_ENTRY_EXIT);
	unsigned sas = size == 1 ? 0 : size == 2 ? 1 : size == 4 ? 2 : 3;
	s->exit.esr_el2 = ((uint64_t)HV_EC_DABT_LOW << HV_ESR_EC_SHIFT) | HV_ESR_IL | HV_DABT_ISV |
	                  ((uint64_t)sas << HV_DABT_SAS_SHIFT) |
	                  ((uint64_t)reg << HV_DABT_SRT_SHIFT) | (sf ? HV_DABT_SF : 0) |
	                  (write ? HV_DABT_WNR : 0) | (HV_FSC_TRANS_L0 + 3);
	s->exit.far_el2 = ipa;
	s->exit.hpfar_el2 = (ipa >> 12) << 4;
	return s;
}

/* HVC #0 with x0 = fid, x1 = arg. */
static inline struct fake_stop *fake_hvc(struct fake_rt *f, uint64_t fid, uint64_t arg)
{
	struct fake_stop *s = fake_push(f, HV_ABI_ENTRY_EXIT);
	s->exit.esr_el2 = ((uint64_t)HV_EC_HVC64 << HV_ESR_EC_SHIFT) | HV_ESR_IL;
	s->reg[0] = 0;
	s->val[0] = fid;
	s->reg[1] = 1;
	s->val[1] = arg;
	return s;
}

/* WFI trapped (EC 0x01, TI 0). */
static inline struct fake_stop *fake_wfi(struct fake_rt *f)
{
	struct fake_stop *s = fake_push(f, HV_ABI_ENTRY_EXIT);
	s->exit.esr_el2 = ((uint64_t)HV_EC_WFX << HV_ESR_EC_SHIFT) | HV_ESR_IL | HV_WFX_TI_WFI;
	return s;
}

/* MSR ICC_SGI1R_EL1, x<reg> = value (the trapped SGI generation). */
static inline struct fake_stop *fake_sgi1r(struct fake_rt *f, unsigned reg, uint64_t value)
{
	struct fake_stop *s = fake_push(f, HV_ABI_ENTRY_EXIT);
	/* ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn [13:10], Rt [9:5],
	 * CRm [4:1], Direction [0] = 0 (write). ICC_SGI1R_EL1 is 3,0,12,11,5. */
	uint64_t iss = (3ull << 20) | (5ull << 17) | (0ull << 14) | (12ull << 10) |
	               ((uint64_t)reg << 5) | (11ull << 1);
	s->exit.esr_el2 = ((uint64_t)HV_EC_SYS64 << HV_ESR_EC_SHIFT) | HV_ESR_IL | iss;
	s->reg[0] = (int8_t)reg;
	s->val[0] = value;
	return s;
}

#endif
