/* SPDX-License-Identifier: Apache-2.0 */
/* Test fixture for core/exit: a small VM, a recording MMIO device, and
 * helpers that fill the exit syndrome like the runtime does. */
#ifndef EXIT_FIXTURE_H
#define EXIT_FIXTURE_H

#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/inject.h>
#include <hv/vm.h>
#include <hvsim/arch_sim.h>
#include <string.h>

#define FX_NR_VCPUS 4
#define FX_PC       UINT64_C(0xffff800010001000)
#define FX_VBAR     UINT64_C(0xffff800010000000)

struct exit_fixture {
	struct hv_vm vm;
	struct hv_vcpu vcpus[FX_NR_VCPUS];
};

static inline void fx_init(struct exit_fixture *f)
{
	memset(f, 0, sizeof(*f));
	sim_arch_reset();
	hv_mmio_bus_init(&f->vm.mmio);
	f->vm.nr_vcpus = FX_NR_VCPUS;
	for (unsigned i = 0; i < FX_NR_VCPUS; i++) {
		struct hv_vcpu *v = &f->vcpus[i];
		f->vm.vcpus[i] = v;
		v->vm = &f->vm;
		v->id = i;
		v->power = i == 0 ? HV_VCPU_ON : HV_VCPU_OFF;
		/* Aff0 = i, Aff1 = 1: MPIDR 0x80000100 | i (bit 31 is RES1). */
		v->ctx.el1.mpidr_el1 = UINT64_C(0x80000100) | i;
		v->ctx.el1.vbar_el1 = FX_VBAR;
		v->ctx.el1.sctlr_el1 = HV_SCTLR_SPAN;
		v->ctx.regs.pc = FX_PC;
		v->ctx.regs.pstate = HV_PSTATE_EL1H;
	}
}

/* A stage-2 data abort at guest VA `far` that maps to `ipa`. */
static inline void fx_abort(struct hv_vcpu *v, uint64_t esr, uint64_t ipa, uint64_t far)
{
	v->ctx.exit.esr_el2 = esr;
	v->ctx.exit.far_el2 = far;
	v->ctx.exit.hpfar_el2 = (ipa >> 12) << 4;
}

static inline void fx_trap(struct hv_vcpu *v, uint64_t esr)
{
	v->ctx.exit.esr_el2 = esr;
	v->ctx.exit.far_el2 = 0;
	v->ctx.exit.hpfar_el2 = 0;
}

/* A device that records its last access. */
struct fx_dev {
	unsigned reads, writes;
	uint64_t offset;
	unsigned size;
	uint64_t value;      /* last value written */
	uint64_t read_value; /* what reads return */
	hv_status_t ret;     /* what the callbacks return */
	struct hv_vcpu *vcpu;
};

static inline hv_status_t fx_dev_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                      unsigned size, uint64_t *value)
{
	struct fx_dev *d = opaque;
	d->reads++;
	d->offset = offset;
	d->size = size;
	d->vcpu = vcpu;
	*value = d->read_value;
	return d->ret;
}

static inline hv_status_t fx_dev_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                       unsigned size, uint64_t value)
{
	struct fx_dev *d = opaque;
	d->writes++;
	d->offset = offset;
	d->size = size;
	d->value = value;
	d->vcpu = vcpu;
	return d->ret;
}

static inline hv_status_t fx_add_dev(struct exit_fixture *f, struct fx_dev *d, uint64_t base,
                                     uint64_t size, uint8_t sizes)
{
	struct hv_mmio_region r = {
	    .base = hv_ipa(base),
	    .size = size,
	    .access_sizes = sizes,
	    .read = fx_dev_read,
	    .write = fx_dev_write,
	    .opaque = d,
	};
	return hv_mmio_bus_register(&f->vm.mmio, &r);
}

/* Instruction source for ISV=0 tests. */
static uint32_t fx_insn_word;
static inline hv_status_t fx_fetch(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	(void)ctx;
	(void)arg;
	*insn = fx_insn_word;
	return HV_OK;
}
static inline void fx_set_insn(uint32_t insn)
{
	fx_insn_word = insn;
	sim_set_fetch_insn(fx_fetch, NULL);
}

/* ESR builders (Arm ARM D17.2.37). */
static inline uint64_t fx_esr(unsigned ec, uint32_t iss)
{
	return ((uint64_t)ec << 26) | HV_ESR_IL | iss;
}
/* Data abort, ISV=1: SAS, SSE, SRT, SF, AR, WnR, translation fault level 1. */
static inline uint64_t fx_dabt_isv(unsigned sas, bool sse, unsigned srt, bool sf, bool wnr)
{
	uint32_t iss = (1u << 24) | (sas << 22) | ((uint32_t)sse << 21) | (srt << 16) |
	               ((uint32_t)sf << 15) | ((uint32_t)wnr << 6) | 0x05u;
	return fx_esr(HV_EC_DABT_LOW, iss);
}
/* System register trap ISS: Op0 [21:20], Op2 [19:17], Op1 [16:14], CRn
 * [13:10], Rt [9:5], CRm [4:1], Direction [0] (1 = read). */
static inline uint64_t fx_sys_esr(unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                                  unsigned op2, unsigned rt, bool read)
{
	uint32_t iss = (op0 << 20) | (op2 << 17) | (op1 << 14) | (crn << 10) | (rt << 5) |
	               (crm << 1) | (uint32_t)read;
	return fx_esr(HV_EC_SYS64, iss);
}

#endif /* EXIT_FIXTURE_H */
