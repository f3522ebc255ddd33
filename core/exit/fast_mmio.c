/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The MMIO fast path (hv/exit.h: hv_exit_fast_mmio). It takes only the
 * exits whose whole handling is one access to an in-hypervisor device: a
 * stage-2 translation fault with a valid syndrome (ISV = 1, not on a
 * stage-1 walk, not cache maintenance; Arm ARM D17.2.37) outside every
 * memslot, on a device flagged HV_MMIO_F_FAST, of a size and alignment it
 * accepts. Everything else, and every access the device does not complete,
 * is left to hv_vcpu_handle_exit(), so nothing here injects an exception
 * or exits to the host: that is what lets a runtime skip reading the EL1
 * registers, the timer and the list registers.
 */
#include <hv/esr.h>
#include <hv/mmio.h>
#include <hv/vm.h>
#include "exit_internal.h"
#include "mmio_emulate.h"

/* The vCPU's interrupt state is exact without a sync: nothing in flight in
 * its vGIC, and its timer line low (a line the model holds high may have
 * fallen while the guest ran; a low one that rose has signalled its
 * physical PPI, which takes the CPU to EL2 as soon as the guest resumes). */
static bool interrupts_quiet(const struct hv_vcpu *vcpu)
{
	return !vcpu->vtimer.line && hv_exit_call_vgic_quiet(vcpu);
}

enum hv_exit_fast hv_exit_fast_mmio(struct hv_vcpu *vcpu, uint64_t esr, uint64_t far,
                                    uint64_t hpfar)
{
	uint32_t iss = hv_esr_iss(esr);
	if (hv_esr_ec(esr) != HV_EC_DABT_LOW ||
	    (iss & (HV_DABT_ISV | HV_DABT_S1PTW | HV_DABT_CM)) != HV_DABT_ISV ||
	    !hv_fsc_is_translation(iss & HV_DABT_DFSC_MASK) || vcpu->power != HV_VCPU_ON ||
	    !vcpu->vm || !interrupts_quiet(vcpu))
		return HV_FAST_NONE;
	hv_ipa_t ipa = hv_fault_ipa(hpfar, far);
	unsigned size = 1u << HV_FIELD(iss, 23, 22);
	const struct hv_mmio_region *r = hv_mmio_bus_find(&vcpu->vm->mmio, ipa, size);
	if (!r || !(r->flags & HV_MMIO_F_FAST) || !(r->access_sizes & size) ||
	    (!(r->flags & HV_MMIO_F_UNALIGNED_OK) && !hv_is_aligned(hv_ipa_addr(ipa), size)) ||
	    hv_exit_call_mem_claims(vcpu, ipa)) /* demand paging comes first */
		return HV_FAST_NONE;

	bool is_write = (iss & HV_DABT_WNR) != 0;
	unsigned reg = (unsigned)HV_FIELD(iss, 20, 16);
	uint64_t offset = hv_ipa_addr(ipa) - hv_ipa_addr(r->base);
	uint64_t mask = size == 8 ? ~UINT64_C(0) : (UINT64_C(1) << (size * 8)) - 1;
	uint64_t value = 0;
	hv_status_t st;
	if (is_write)
		st = r->write
		         ? r->write(vcpu, r->opaque, offset, size, hv_exit_get_x(vcpu, reg) & mask)
		         : HV_ERR_INVALID;
	else
		st = r->read ? r->read(vcpu, r->opaque, offset, size, &value) : HV_ERR_INVALID;
	if (st != HV_OK)
		return HV_FAST_NONE; /* nothing changed (HV_MMIO_F_FAST) */

	/* Retired as hv_vcpu_handle_exit() retires it (mmio_emulate.c). */
	struct hv_exit_state *es = &vcpu->exit_state;
	vcpu->ctx.exit.esr_el2 = esr;
	vcpu->ctx.exit.far_el2 = far;
	vcpu->ctx.exit.hpfar_el2 = hpfar;
	vcpu->host_exit.reason = HV_EXIT_NONE;
	es->pending.active = false;
	es->last_outcome = HV_OUTCOME_RESUMED;
	if (!is_write)
		hv_exit_set_x(vcpu, reg,
		              hv_mmio_load_value(value, size, (iss & HV_DABT_SSE) != 0,
		                                 (iss & HV_DABT_SF) ? 64 : 32));
	hv_exit_skip_insn(vcpu, hv_esr_insn_len(esr));
	es->stats[HV_STAT_MMIO_KERNEL]++;
	return interrupts_quiet(vcpu) ? HV_FAST_RESUME : HV_FAST_FLUSH;
}
