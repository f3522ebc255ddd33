/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VM and vCPU lifecycle: VMID allocation, creation with validated IPA size,
 * vCPU creation, run state, and destroy in bounded, restartable steps.
 */
#include <hv/debug.h>
#include <hv/vm_lifecycle.h>

#define DEFAULT_IPA_BITS 40u

static bool vmid_used(const struct hv_hyp *hyp, unsigned vmid)
{
	return hyp->vmid_used[vmid / 64] & HV_BIT(vmid % 64);
}

static void vmid_set(struct hv_hyp *hyp, unsigned vmid, bool used)
{
	if (used)
		hyp->vmid_used[vmid / 64] |= HV_BIT(vmid % 64);
	else
		hyp->vmid_used[vmid / 64] &= ~HV_BIT(vmid % 64);
}

/* IPA sizes VTCR_EL2.PS/T0SZ can express for 4 KiB granules (Arm ARM D8.2). */
static bool ipa_bits_valid(unsigned bits)
{
	switch (bits) {
	case 32:
	case 36:
	case 40:
	case 42:
	case 44:
	case 48: return true;
	default: return false;
	}
}

hv_status_t hv_hyp_init(struct hv_hyp *hyp, const struct hv_mm_ops *mm, unsigned max_ipa_bits,
                        hv_pa_t mem_base, uint64_t nr_pages, struct hv_page_owner *owner_storage)
{
	if (!hyp || !mm || !mm->zalloc_page || !mm->free_page || !ipa_bits_valid(max_ipa_bits))
		return HV_ERR_INVALID;
	struct hv_pgown own;
	hv_status_t st = hv_pgown_init(&own, mem_base, nr_pages, owner_storage);
	if (st != HV_OK)
		return st;
	/* VM and vCPU storage is cleared when each is created: only mark the
	 * VM slots free here (the structure is ~1 MiB). */
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		hyp->vms[i].life.state = HV_VM_FREE;
		hyp->vms[i].vmid = 0;
	}
	hv_memset(hyp->vmid_used, 0, sizeof(hyp->vmid_used));
	hyp->mm = mm;
	hyp->own = own;
	hyp->max_ipa_bits = max_ipa_bits;
	vmid_set(hyp, 0, true); /* VMID 0: the host */
	return HV_OK;
}

hv_status_t hv_hyp_reserve_vmid(struct hv_hyp *hyp, uint16_t vmid)
{
	if (!hyp)
		return HV_ERR_INVALID;
	if (vmid == 0 || vmid > HV_VMID_MAX)
		return HV_ERR_RANGE;
	if (vmid_used(hyp, vmid))
		return HV_ERR_EXISTS;
	vmid_set(hyp, vmid, true);
	return HV_OK;
}

hv_status_t hv_vm_create(struct hv_hyp *hyp, const struct hv_vm_config *cfg, uint16_t *vmid)
{
	if (!hyp || !cfg || !vmid)
		return HV_ERR_INVALID;
	unsigned ipa_bits = cfg->ipa_bits;
	if (ipa_bits == 0)
		ipa_bits =
		    hyp->max_ipa_bits < DEFAULT_IPA_BITS ? hyp->max_ipa_bits : DEFAULT_IPA_BITS;
	uint32_t max_vcpus = cfg->max_vcpus ? cfg->max_vcpus : HV_MAX_VCPUS;
	if (!ipa_bits_valid(ipa_bits) || ipa_bits > hyp->max_ipa_bits || max_vcpus > HV_MAX_VCPUS)
		return HV_ERR_INVALID;
	struct hv_vm *vm = NULL;
	for (unsigned i = 0; i < HV_MAX_VMS && !vm; i++)
		if (hyp->vms[i].life.state == HV_VM_FREE)
			vm = &hyp->vms[i];
	unsigned id = 1;
	while (id <= HV_VMID_MAX && vmid_used(hyp, id))
		id++;
	if (!vm || id > HV_VMID_MAX)
		return HV_ERR_NO_MEMORY;

	hv_memset(vm, 0, sizeof(*vm));
	vm->vmid = (uint16_t)id;
	vm->ipa_bits = (uint8_t)ipa_bits;
	vm->mm = hyp->mm;
	hv_mmio_bus_init(&vm->mmio);
	hv_status_t st = hv_vtimer_vm_init(vm, cfg->set_cntvoff ? cfg->cntvoff : hv_arch_counter());
	if (st == HV_OK) /* last: it allocates the stage-2 root */
		st = hv_mem_vm_init(vm, &hyp->own, cfg->block_size, HV_S2_MAX_IPA_BITS);
	if (st != HV_OK) {
		hv_memset(vm, 0, sizeof(*vm));
		return st;
	}
	vm->life.max_vcpus = max_vcpus;
	vm->life.hyp = hyp;
	vm->life.state = HV_VM_CREATED;
	vmid_set(hyp, id, true);
	*vmid = (uint16_t)id;
	return HV_OK;
}

static struct hv_vm *find_any(struct hv_hyp *hyp, uint16_t vmid)
{
	if (!hyp || vmid == 0)
		return NULL;
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		if (hyp->vms[i].life.state != HV_VM_FREE && hyp->vms[i].vmid == vmid)
			return &hyp->vms[i];
	return NULL;
}

struct hv_vm *hv_vm_find(struct hv_hyp *hyp, uint16_t vmid)
{
	struct hv_vm *vm = find_any(hyp, vmid);
	return vm && vm->life.state != HV_VM_DYING ? vm : NULL;
}

hv_status_t hv_vcpu_create(struct hv_vm *vm, uint32_t id, struct hv_vcpu **out)
{
	if (!vm || !vm->life.hyp)
		return HV_ERR_INVALID;
	if (vm->life.state != HV_VM_CREATED && vm->life.state != HV_VM_RUNNING)
		return HV_ERR_STATE;
	if (id >= vm->life.max_vcpus)
		return HV_ERR_RANGE;
	if (vm->vcpus[id])
		return HV_ERR_EXISTS;
	struct hv_vcpu *v = &vm->life.hyp->vcpus[vm - vm->life.hyp->vms][id];
	hv_memset(v, 0, sizeof(*v));
	v->vm = vm;
	v->id = id;
	v->power = id == 0 ? HV_VCPU_ON : HV_VCPU_OFF;
	v->ctx.el1.mpidr_el1 = HV_BIT(31) | id; /* MPIDR_EL1 bit 31 RES1, Aff0 = id */
	hv_vtimer_vcpu_init(v);
	hv_debug_reset(v);
	vm->vcpus[id] = v;
	if (id >= vm->nr_vcpus)
		vm->nr_vcpus = id + 1;
	if (out)
		*out = v;
	return HV_OK;
}

hv_status_t hv_vm_mark_running(struct hv_vm *vm)
{
	if (!vm || (vm->life.state != HV_VM_CREATED && vm->life.state != HV_VM_RUNNING))
		return HV_ERR_STATE;
	vm->life.state = HV_VM_RUNNING;
	return HV_OK;
}

hv_status_t hv_vm_destroy(struct hv_hyp *hyp, uint16_t vmid, uint64_t batch_pages)
{
	struct hv_vm *vm = find_any(hyp, vmid);
	if (!vm)
		return HV_ERR_NOT_FOUND;
	if (batch_pages == 0)
		batch_pages = HV_VM_DESTROY_BATCH_DEFAULT;
	if (batch_pages > HV_VM_DESTROY_BATCH_MAX)
		batch_pages = HV_VM_DESTROY_BATCH_MAX;
	if (vm->life.state != HV_VM_DYING) {
		/* No vCPU of it runs again; drop every cached translation now, so
		 * pages can go back to the host while the tables are torn down. */
		vm->life.state = HV_VM_DYING;
		hv_arch_dsb_ishst();
		hv_arch_tlbi_vmid(vm->vmid);
		hv_arch_dsb_ish();
	}
	hv_status_t st = hv_mem_vm_teardown(vm, batch_pages);
	if (st != HV_OK)
		return st;
	for (uint32_t i = 0; i < HV_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			hv_memset(vm->vcpus[i], 0, sizeof(*vm->vcpus[i]));
	vmid_set(hyp, vm->vmid, false);
	hv_memset(vm, 0, sizeof(*vm)); /* state HV_VM_FREE */
	return HV_OK;
}

hv_status_t hv_vm_get_stats(const struct hv_vm *vm, struct hv_vm_stats *out)
{
	if (!vm || !out)
		return HV_ERR_INVALID;
	hv_memset(out, 0, sizeof(*out));
	uint32_t nr = 0;
	for (uint32_t i = 0; i < HV_MAX_VCPUS; i++)
		nr += vm->vcpus[i] != NULL;
	out->nr_vcpus = nr;
	out->state = vm->life.state;
	out->hyp_bytes = sizeof(*vm) + nr * sizeof(struct hv_vcpu) + hv_mem_table_bytes(vm);
	out->shared_bytes = vm->life.mem.nr_shared << HV_PAGE_SHIFT;
	out->pinned_bytes = vm->life.mem.nr_pinned << HV_PAGE_SHIFT;
	return HV_OK;
}
