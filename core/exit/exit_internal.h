/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the files of core/exit only. */
#ifndef HV_EXIT_INTERNAL_H
#define HV_EXIT_INTERNAL_H

#include <hv/exit.h>
#include <hv/inject.h>
#include <hv/vcpu.h>

/* Per-class handlers called by the EC switch (dispatch.c). */
enum hv_exit_action hv_exit_dabt(struct hv_vcpu *vcpu, uint64_t esr);
enum hv_exit_action hv_exit_iabt(struct hv_vcpu *vcpu, uint64_t esr);
enum hv_exit_action hv_exit_sysreg(struct hv_vcpu *vcpu, uint64_t esr);
enum hv_exit_action hv_exit_wfx(struct hv_vcpu *vcpu, uint64_t esr);

/* Common endings: record the outcome, count it, return the action. */
enum hv_exit_action hv_exit_resume(struct hv_vcpu *vcpu);
enum hv_exit_action hv_exit_to_host(struct hv_vcpu *vcpu, enum hv_exit_reason reason);
enum hv_exit_action hv_exit_idle(struct hv_vcpu *vcpu);

/* Write Xn (n == 31 is XZR: discarded); read Xn (31 reads as zero). */
static inline void hv_exit_set_x(struct hv_vcpu *vcpu, unsigned n, uint64_t value)
{
	if (n < 31)
		vcpu->ctx.regs.x[n] = value;
}
static inline uint64_t hv_exit_get_x(const struct hv_vcpu *vcpu, unsigned n)
{
	return n < 31 ? vcpu->ctx.regs.x[n] : 0;
}

/*
 * The hypervisor completed the trapped instruction of `len` bytes for the
 * guest: the PC moves past it, and PSTATE.SS is cleared so that a guest
 * single-stepping it (MDSCR_EL1.SS) takes its software step exception on
 * return, at the next instruction, as after any instruction that completes
 * (Arm ARM D2.12.5, active-pending state): the step is neither repeated nor
 * lost over an emulated MMIO access, system register or WFI.
 */
static inline void hv_exit_skip_insn(struct hv_vcpu *vcpu, unsigned len)
{
	vcpu->ctx.regs.pc += len;
	vcpu->ctx.regs.pstate &= ~HV_PSTATE_SS;
}

/*
 * Calls into other modules, in one place (delegate.c) so each is a single
 * edit when its module lands. Each returns the module's status.
 */
hv_status_t hv_exit_call_mem_fault(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool is_write);
hv_status_t hv_exit_call_mem_relinquish(struct hv_vcpu *vcpu, hv_ipa_t ipa);
bool hv_exit_mem_relinquish_available(const struct hv_vcpu *vcpu);
hv_status_t hv_exit_call_mem_share(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool share);
bool hv_exit_ipa_is_ram(const struct hv_vcpu *vcpu, hv_ipa_t ipa);
hv_status_t hv_exit_call_vgic_sysreg(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                     uint64_t *value);
hv_status_t hv_exit_call_vtimer_sysreg(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                       uint64_t *value);
bool hv_exit_call_vgic_has_pending(struct hv_vcpu *vcpu);
bool hv_exit_call_vgic_quiet(const struct hv_vcpu *vcpu);
/* True if a memslot contains `ipa` (a fault there is core/mem's). */
bool hv_exit_call_mem_claims(const struct hv_vcpu *vcpu, hv_ipa_t ipa);

#endif /* HV_EXIT_INTERNAL_H */
