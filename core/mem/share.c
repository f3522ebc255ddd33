/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's MEM_SHARE / MEM_UNSHARE (hv/mem.h): a protected VM's page
 * between private (HV_PAGE_DONATED) and shared with the host (plus
 * HV_PAGE_SHARED), owned by the VM throughout. The host's stage 2 follows
 * (host_s2.c): access given after the flag is set, taken away before it
 * is cleared, so a host fault that sees the page denied is right to.
 */
#include "mem_internal.h"

/* The ownership record of the page the VM has mapped at ipa, or NULL with
 * *st set. */
static struct hv_page_owner *vm_page(struct hv_vcpu *vcpu, hv_ipa_t ipa, uint64_t *pfn,
                                     hv_status_t *st)
{
	struct hv_vm *vm = vcpu ? vcpu->vm : NULL;
	uint64_t a = hv_ipa_addr(ipa);
	hv_pa_t pa;
	uint32_t slot;
	*st = HV_ERR_INVALID;
	if (!vm || !vm->life.mem.own || !hv_is_aligned(a, HV_PAGE_SIZE))
		return NULL;
	*st = HV_ERR_STATE;
	if (vm->life.state != HV_VM_CREATED && vm->life.state != HV_VM_RUNNING)
		return NULL;
	*st = HV_ERR_RANGE;
	if (hv_mem_find_memslot(vm, ipa, &slot) != HV_OK || !hv_mem_is_pinned(vm, ipa, &pa))
		return NULL;
	*pfn = hv_pa_addr(pa) >> HV_PAGE_SHIFT;
	struct hv_page_owner *p = hv_pgown_slot(vm->life.mem.own, *pfn);
	if (!p || p->owner != vm->vmid)
		return NULL;
	*st = HV_OK;
	return p;
}

/* Share (share true) or unshare the page at ipa. */
static hv_status_t set_shared(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool share)
{
	uint64_t pfn;
	hv_status_t st;
	struct hv_page_owner *p = vm_page(vcpu, ipa, &pfn, &st);
	/* A RAM page not paged in yet (a bounce buffer the guest never
	 * touched): ask the host for it as a write fault would. */
	if (!p && st == HV_ERR_RANGE && share &&
	    hv_mem_handle_stage2_fault(vcpu, ipa, true) == HV_BUSY)
		return HV_BUSY;
	if (!p)
		return st;
	struct hv_vm_mem *m = &vcpu->vm->life.mem;
	if (!(p->flags & HV_PAGE_DONATED)) /* a non-protected VM's page: the host has it */
		return share ? HV_OK : HV_ERR_DENIED;
	bool shared = (p->flags & HV_PAGE_SHARED) != 0;
	if (share == shared)
		return share ? HV_ERR_EXISTS : HV_ERR_STATE;
	if (share) {
		__atomic_store_n(&p->flags, (uint16_t)(p->flags | HV_PAGE_SHARED),
		                 __ATOMIC_RELEASE);
		hv_host_unhide(m->own, pfn, 1);
		m->nr_shared++;
		return HV_OK;
	}
	st = hv_host_hide(m->own, pfn, 1);
	if (st != HV_OK)
		return st;
	__atomic_store_n(&p->flags, (uint16_t)(p->flags & ~HV_PAGE_SHARED), __ATOMIC_RELEASE);
	m->nr_shared--;
	return HV_OK;
}

hv_status_t hv_mem_share(struct hv_vcpu *vcpu, hv_ipa_t ipa)
{
	return set_shared(vcpu, ipa, true);
}

hv_status_t hv_mem_unshare(struct hv_vcpu *vcpu, hv_ipa_t ipa)
{
	return set_shared(vcpu, ipa, false);
}
