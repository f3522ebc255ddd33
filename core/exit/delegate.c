/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit dispatch's calls into core/mem, core/vgic and core/vtimer. A module
 * not yet in the build behaves as "absent": no memslots (every stage-2 fault
 * is MMIO), no GIC or timer registers (UNDEF), nothing pending (WFI idles).
 */
#include <hv/vgic.h>
#include <hv/mem.h>
#include <hv/vtimer.h>
#include "exit_internal.h"

hv_status_t hv_exit_call_mem_fault(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool is_write)
{
	return hv_mem_handle_stage2_fault(vcpu, ipa, is_write);
}

bool hv_exit_mem_relinquish_available(const struct hv_vcpu *vcpu)
{
	return hv_mem_relinquish_offered(vcpu->vm);
}

hv_status_t hv_exit_call_mem_relinquish(struct hv_vcpu *vcpu, hv_ipa_t ipa)
{
	return hv_mem_relinquish(vcpu, ipa);
}

hv_status_t hv_exit_call_mem_share(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool share)
{
	return share ? hv_mem_share(vcpu, ipa) : hv_mem_unshare(vcpu, ipa);
}

bool hv_exit_ipa_is_ram(const struct hv_vcpu *vcpu, hv_ipa_t ipa)
{
	uint32_t slot;
	return hv_mem_find_memslot(vcpu->vm, ipa, &slot) == HV_OK;
}

hv_status_t hv_exit_call_vgic_sysreg(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                     uint64_t *value)
{
	return hv_vgic_sysreg_access(vcpu, sysreg, is_write, value);
}

hv_status_t hv_exit_call_vtimer_sysreg(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                       uint64_t *value)
{
	return hv_vtimer_sysreg_access(vcpu, sysreg, is_write, value);
}

bool hv_exit_call_vgic_has_pending(struct hv_vcpu *vcpu)
{
	return hv_vgic_vcpu_has_pending(vcpu);
}

bool hv_exit_call_vgic_quiet(const struct hv_vcpu *vcpu)
{
	return hv_vgic_vcpu_quiet(vcpu);
}

bool hv_exit_call_mem_claims(const struct hv_vcpu *vcpu, hv_ipa_t ipa)
{
	uint32_t slot;
	return hv_mem_find_memslot(vcpu->vm, ipa, &slot) == HV_OK;
}
