/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit dispatch under hostile input: fuzz bytes fill the register file,
 * ESR_EL2, FAR_EL2, HPFAR_EL2 and the guest instruction word, then the exit
 * is dispatched (and a pending MMIO access completed). Checks: no crash, no
 * write outside the vCPU's register file / exit records (and CPU_ON targets),
 * and every outcome is resume, an injected exception, idle, or a host exit.
 *
 * Input layout (little-endian, zero-padded):
 *   [0] flags  bit0 no VM, bit1 a device at the fault page, bit2 it fails,
 *              bit3 it defers to the host, bit4 instruction fetch fails,
 *              bit5 complete pending host MMIO
 *   [1] EC selector: < 0xc0 picks an interesting class, else ESR is raw
 *   [2..9] ESR  [10..17] FAR  [18..25] HPFAR  [26..29] instruction
 *   [30..37] PSTATE  [38..45] completion value  [46..] x0..x30, SP_EL0, SP_EL1
 */
#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/inject.h>
#include <hv/vm.h>
#include <hvsim/arch_sim.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define NR_VCPUS 4
#define CANARY   0xa5u

struct arena {
	uint8_t before[64];
	struct hv_vcpu vcpus[NR_VCPUS];
	uint8_t after[64];
};

static struct hv_vm vm;
static struct arena arena;
static uint32_t insn_word;
static unsigned dev_mode; /* 0 ok, 1 fail, 2 defer */

static hv_status_t fetch(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	(void)ctx;
	(void)arg;
	*insn = insn_word;
	return HV_OK;
}

static hv_status_t dev_status(void)
{
	return dev_mode == 1 ? HV_ERR_DENIED : dev_mode == 2 ? HV_ERR_NOT_FOUND : HV_OK;
}

static hv_status_t dev_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                            uint64_t *value)
{
	(void)vcpu;
	(void)opaque;
	if (size == 0 || size > 8 || offset >= HV_PAGE_SIZE)
		abort();
	*value = 0x8081828384858687ull;
	return dev_status();
}

static hv_status_t dev_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                             uint64_t value)
{
	(void)vcpu;
	(void)opaque;
	(void)value;
	if (size == 0 || size > 8 || offset >= HV_PAGE_SIZE)
		abort();
	return dev_status();
}

static uint64_t take64(const uint8_t *data, size_t size, size_t off)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		if (off + i < size)
			v |= (uint64_t)data[off + i] << (8 * i);
	return v;
}

static const uint8_t interesting_ec[] = {
    HV_EC_DABT_LOW, HV_EC_DABT_LOW, HV_EC_DABT_LOW, HV_EC_IABT_LOW,    HV_EC_HVC64,
    HV_EC_SMC64,    HV_EC_SYS64,    HV_EC_WFX,      HV_EC_BRK64,       HV_EC_SERROR,
    HV_EC_UNKNOWN,  HV_EC_FP_ASIMD, HV_EC_SVC64,    HV_EC_WATCHPT_LOW, HV_EC_PC_ALIGN,
};

static void check_unchanged(const struct hv_vcpu *now, const struct hv_vcpu *was, bool self)
{
	if (now->vm != was->vm || now->id != was->id)
		abort();
	/* The faulting vCPU's own timer registers are the guest's to write
	 * (trapped CNTV_* accesses, core/vtimer); nobody else's. */
	if (!self && memcmp(&now->ctx.timer, &was->ctx.timer, sizeof(was->ctx.timer)))
		abort();
	if (memcmp(&now->ctx.exit, &was->ctx.exit, sizeof(was->ctx.exit)) ||
	    memcmp(&now->ctx.gic, &was->ctx.gic, sizeof(was->ctx.gic)))
		abort();
	const struct hv_el1_sysregs *a = &now->ctx.el1, *b = &was->ctx.el1;
	if (a->vbar_el1 != b->vbar_el1 || a->tcr_el1 != b->tcr_el1 ||
	    a->ttbr0_el1 != b->ttbr0_el1 || a->ttbr1_el1 != b->ttbr1_el1 ||
	    a->mair_el1 != b->mair_el1 || a->mpidr_el1 != b->mpidr_el1)
		abort();
	if (self && a->sctlr_el1 != b->sctlr_el1)
		abort();
}

static void check_outcome(const struct hv_vcpu *v, enum hv_exit_action action,
                          const struct hv_vcpu *before)
{
	switch (action) {
	case HV_ACTION_RESUME:
		if (v->exit_state.last_outcome != HV_OUTCOME_RESUMED &&
		    v->exit_state.last_outcome != HV_OUTCOME_INJECTED)
			abort();
		break;
	case HV_ACTION_HOST:
		if (v->exit_state.last_outcome != HV_OUTCOME_TO_HOST ||
		    v->host_exit.reason == HV_EXIT_NONE)
			abort();
		if (v->host_exit.reason == HV_EXIT_MMIO) {
			unsigned s = v->host_exit.mmio.size;
			if (s != 1 && s != 2 && s != 4 && s != 8)
				abort();
		}
		break;
	case HV_ACTION_IDLE:
		if (v->exit_state.last_outcome != HV_OUTCOME_IDLE)
			abort();
		break;
	default: abort();
	}
	if (v->exit_state.last_outcome == HV_OUTCOME_INJECTED && !v->exit_state.vserror_pending) {
		uint64_t off = v->ctx.regs.pc - (before->ctx.el1.vbar_el1 & ~UINT64_C(0x7ff));
		if (off != 0x000 && off != 0x200 && off != 0x400 && off != 0x600)
			abort();
		if ((v->ctx.regs.pstate & HV_PSTATE_DAIF) != HV_PSTATE_DAIF)
			abort();
		if (v->ctx.el1.elr_el1 != before->ctx.regs.pc &&
		    v->ctx.el1.elr_el1 != before->ctx.regs.pc + 4)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	uint8_t flags = data[0];
	memset(&arena, CANARY, sizeof(arena));
	memset(&vm, 0, sizeof(vm));
	sim_arch_reset();
	hv_mmio_bus_init(&vm.mmio);
	vm.nr_vcpus = NR_VCPUS;
	for (unsigned i = 0; i < NR_VCPUS; i++) {
		struct hv_vcpu *v = &arena.vcpus[i];
		memset(v, 0, sizeof(*v));
		vm.vcpus[i] = v;
		v->vm = &vm;
		v->id = i;
		v->power = i == 0 ? HV_VCPU_ON : (enum hv_vcpu_power)(data[1] >> 6) % 3;
		v->ctx.el1.mpidr_el1 = 0x80000100u | i;
		v->ctx.el1.vbar_el1 = 0xffff800010000800ull;
	}
	struct hv_vcpu *v = &arena.vcpus[0];
	if (flags & 1)
		v->vm = NULL;

	uint64_t esr = take64(data, size, 2);
	if (data[1] < 0xc0)
		esr = (esr & HV_GENMASK(25, 0)) |
		      ((uint64_t)interesting_ec[data[1] % sizeof(interesting_ec)] << 26);
	v->ctx.exit.esr_el2 = esr;
	v->ctx.exit.far_el2 = take64(data, size, 10);
	v->ctx.exit.hpfar_el2 = take64(data, size, 18);
	insn_word = (uint32_t)take64(data, size, 26);
	v->ctx.regs.pstate = take64(data, size, 30);
	uint64_t completion = take64(data, size, 38);
	for (unsigned i = 0; i < 31; i++)
		v->ctx.regs.x[i] = take64(data, size, 46 + 8 * i);
	v->ctx.regs.sp_el0 = take64(data, size, 46 + 8 * 31);
	v->ctx.regs.sp_el1 = take64(data, size, 46 + 8 * 32);
	v->ctx.regs.pc = take64(data, size, 46 + 8 * 33);
	v->ctx.el1.sctlr_el1 = take64(data, size, 46 + 8 * 34);

	if (!(flags & 0x10))
		sim_set_fetch_insn(fetch, NULL);
	dev_mode = (flags & 4) ? 1 : (flags & 8) ? 2 : 0;
	if (flags & 2) {
		hv_ipa_t ipa = hv_fault_ipa(v->ctx.exit.hpfar_el2, 0);
		struct hv_mmio_region r = {.base = ipa,
		                           .size = HV_PAGE_SIZE,
		                           .access_sizes = (uint8_t)(1u | 2u | 4u | 8u),
		                           .read = dev_read,
		                           .write = dev_write};
		(void)hv_mmio_bus_register(&vm.mmio, &r); /* may wrap: then refused */
	}

	struct hv_vcpu before[NR_VCPUS];
	memcpy(before, arena.vcpus, sizeof(before));
	enum hv_exit_action action = hv_vcpu_handle_exit(v);
	check_outcome(v, action, &before[0]);

	/* The host completes up to two pending accesses. */
	for (unsigned round = 0; round < 3 && (flags & 0x20) && action == HV_ACTION_HOST &&
	                         v->host_exit.reason == HV_EXIT_MMIO;
	     round++) {
		hv_status_t st = v->host_exit.mmio.is_write
		                     ? hv_vcpu_complete_mmio_write(v)
		                     : hv_vcpu_complete_mmio_read(v, completion);
		if (st == HV_OK)
			break;
		if (st != HV_BUSY || round == 2)
			abort();
	}

	for (unsigned i = 0; i < sizeof(arena.before); i++)
		if (arena.before[i] != CANARY || arena.after[i] != CANARY)
			abort();
	for (unsigned i = 0; i < NR_VCPUS; i++)
		check_unchanged(&arena.vcpus[i], &before[i], i == 0);
	return 0;
}
