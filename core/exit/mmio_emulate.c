/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MMIO emulation. An instruction becomes one or two accesses (steps); each
 * goes to the VM's MMIO bus, or to the host when no device claims it. The
 * instruction retires (loaded registers, base writeback, PC) only when its
 * last access is done, so a host exit in the middle changes no register.
 */
#include <hv/arch.h>
#include <hv/esr.h>
#include <hv/inject.h>
#include <hv/ldst.h>
#include <hv/vm.h>
#include "mmio_emulate.h"

#define PAGE_OFFSET_MASK (HV_PAGE_SIZE - 1)
/* VA bits compared to tell whether an access is in the faulting page
 * (bits [63:56] may hold a tag under TBI). */
#define VA_PAGE_MASK HV_GENMASK(55, 12)

static uint64_t size_mask(unsigned size)
{
	return size >= 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8)) - 1;
}

uint64_t hv_mmio_load_value(uint64_t loaded, unsigned size, bool sign_extend, unsigned width)
{
	uint64_t v = loaded & size_mask(size);
	if (sign_extend && size < 8) {
		uint64_t sign = UINT64_C(1) << (size * 8 - 1);
		v = (v ^ sign) - sign;
	}
	if (width == 32)
		v &= 0xffffffffu; /* a write to Wt clears Xt[63:32] */
	return v;
}

static void retire(struct hv_vcpu *vcpu)
{
	struct hv_exit_state *es = &vcpu->exit_state;
	for (unsigned i = 0; i < es->pending.nr_steps; i++) {
		const struct hv_mmio_step *s = &es->pending.steps[i];
		if (!s->is_write)
			hv_exit_set_x(vcpu, s->reg,
			              hv_mmio_load_value(es->pending.loaded[i], s->size,
			                                 es->pending.sign_extend,
			                                 es->pending.width));
	}
	if (es->pending.writeback)
		hv_ldst_write_base(&vcpu->ctx.regs, es->pending.wb_reg, es->pending.wb_value);
	hv_exit_skip_insn(vcpu, es->pending.insn_len);
	es->pending.active = false;
}

/* Run the remaining steps of the pending instruction. */
static enum hv_exit_action run_steps(struct hv_vcpu *vcpu)
{
	struct hv_exit_state *es = &vcpu->exit_state;
	const struct hv_mmio_bus *bus = vcpu->vm ? &vcpu->vm->mmio : NULL;

	while (es->pending.step < es->pending.nr_steps) {
		const struct hv_mmio_step *s = &es->pending.steps[es->pending.step];
		uint64_t value = s->is_write ? hv_exit_get_x(vcpu, s->reg) & size_mask(s->size) : 0;
		hv_status_t st =
		    bus ? hv_mmio_bus_access(bus, vcpu, s->ipa, s->size, s->is_write, &value)
		        : HV_ERR_NOT_FOUND;
		if (st == HV_ERR_NOT_FOUND && bus && !hv_mmio_guard_allows(bus, s->ipa))
			st = HV_ERR_DENIED; /* MMIO guard: not a page the guest let out */
		if (st == HV_ERR_NOT_FOUND) {
			struct hv_host_exit *hx = &vcpu->host_exit;
			hx->mmio.ipa = s->ipa;
			hx->mmio.data = s->is_write ? value : 0;
			hx->mmio.size = s->size;
			hx->mmio.reg = s->reg;
			hx->mmio.is_write = s->is_write;
			es->stats[HV_STAT_MMIO_HOST]++;
			return hv_exit_to_host(vcpu, HV_EXIT_MMIO);
		}
		if (st != HV_OK) { /* refused size/alignment, or the device failed */
			es->pending.active = false;
			hv_inject_dabt(vcpu, vcpu->ctx.exit.far_el2);
			return hv_exit_resume(vcpu);
		}
		if (!s->is_write)
			es->pending.loaded[es->pending.step] = value;
		es->stats[HV_STAT_MMIO_KERNEL]++;
		es->pending.step++;
	}
	retire(vcpu);
	return hv_exit_resume(vcpu);
}

enum hv_exit_action hv_mmio_emulate_isv1(struct hv_vcpu *vcpu, uint64_t esr, hv_ipa_t ipa)
{
	struct hv_exit_state *es = &vcpu->exit_state;
	uint32_t iss = hv_esr_iss(esr);

	es->pending.active = true;
	es->pending.nr_steps = 1;
	es->pending.step = 0;
	es->pending.width = (iss & HV_DABT_SF) ? 64 : 32;
	es->pending.sign_extend = (iss & HV_DABT_SSE) != 0;
	es->pending.insn_len = (uint8_t)hv_esr_insn_len(esr);
	es->pending.writeback = false;
	/* AR (acquire/release) needs nothing more: the trap and ERET order
	 * the emulated access against the guest's others. */
	es->pending.steps[0] = (struct hv_mmio_step){
	    .ipa = ipa,
	    .size = (uint8_t)(1u << HV_FIELD(iss, 23, 22)),
	    .is_write = (iss & HV_DABT_WNR) != 0,
	    .reg = (uint8_t)HV_FIELD(iss, 20, 16),
	};
	return run_steps(vcpu);
}

static enum hv_exit_action refuse(struct hv_vcpu *vcpu)
{
	vcpu->exit_state.pending.active = false;
	hv_inject_dabt(vcpu, vcpu->ctx.exit.far_el2);
	return hv_exit_resume(vcpu);
}

/* Both elements of the access must lie in the faulting VA page: that page's
 * IPA is the only one the syndrome gives (HPFAR_EL2). */
static bool in_fault_page(uint64_t va, unsigned size, uint64_t far)
{
	return ((va ^ far) & VA_PAGE_MASK) == 0 && (va & PAGE_OFFSET_MASK) + size <= HV_PAGE_SIZE;
}

enum hv_exit_action hv_mmio_emulate_isv0(struct hv_vcpu *vcpu, uint64_t esr, hv_ipa_t ipa)
{
	struct hv_exit_state *es = &vcpu->exit_state;
	uint64_t far = vcpu->ctx.exit.far_el2;
	uint32_t insn;
	struct hv_ldst ls;

	es->stats[HV_STAT_MMIO_ISV0]++;
	if ((vcpu->ctx.regs.pstate & HV_PSTATE_NRW) || (hv_esr_iss(esr) & HV_DABT_FNV))
		return refuse(vcpu); /* A32/T32 not decoded; no usable FAR */
	if (hv_arch_guest_fetch_insn(&vcpu->ctx, &insn) != HV_OK)
		return refuse(vcpu);
	if (hv_ldst_decode(insn, &ls) != HV_OK)
		return refuse(vcpu);

	uint64_t va, new_base;
	hv_ldst_address(&ls, &vcpu->ctx.regs, &va, &new_base);
	unsigned nr = ls.is_pair ? 2u : 1u;
	uint64_t page = hv_ipa_addr(ipa) & ~PAGE_OFFSET_MASK;
	for (unsigned i = 0; i < nr; i++) {
		uint64_t eva = va + i * ls.size;
		if (!in_fault_page(eva, ls.size, far))
			return refuse(vcpu);
		es->pending.steps[i] = (struct hv_mmio_step){
		    .ipa = hv_ipa(page | (eva & PAGE_OFFSET_MASK)),
		    .size = ls.size,
		    .is_write = !ls.is_load,
		    .reg = i == 0 ? ls.rt : ls.rt2,
		};
	}
	es->pending.active = true;
	es->pending.nr_steps = (uint8_t)nr;
	es->pending.step = 0;
	es->pending.width = ls.width;
	es->pending.sign_extend = ls.sign_extend;
	es->pending.insn_len = 4;
	es->pending.writeback = ls.mode != HV_LDST_OFFSET;
	es->pending.wb_reg = ls.rn;
	es->pending.wb_value = new_base;
	return run_steps(vcpu);
}

static hv_status_t complete_step(struct hv_vcpu *vcpu, bool is_write, uint64_t value)
{
	struct hv_exit_state *es = &vcpu->exit_state;
	if (!es->pending.active || es->pending.step >= es->pending.nr_steps ||
	    es->pending.step >= 2 || es->pending.steps[es->pending.step].is_write != is_write)
		return HV_ERR_STATE;
	if (!is_write)
		es->pending.loaded[es->pending.step] = value;
	es->pending.step++;
	vcpu->host_exit.reason = HV_EXIT_NONE;
	return run_steps(vcpu) == HV_ACTION_HOST ? HV_BUSY : HV_OK;
}

hv_status_t hv_vcpu_complete_mmio_read(struct hv_vcpu *vcpu, uint64_t value)
{
	return complete_step(vcpu, false, value);
}

hv_status_t hv_vcpu_complete_mmio_write(struct hv_vcpu *vcpu)
{
	return complete_step(vcpu, true, 0);
}
