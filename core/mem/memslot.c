/* SPDX-License-Identifier: Apache-2.0 */
/* Per-VM memory set-up and the memslot table. */
#include "mem_internal.h"

static bool block_size_valid(uint64_t size)
{
	return size >= HV_PAGE_SIZE && size <= HV_SZ_1G && !(size & (size - 1));
}

static bool vm_accepts_changes(const struct hv_vm *vm)
{
	return vm->life.mem.own &&
	       (vm->life.state == HV_VM_CREATED || vm->life.state == HV_VM_RUNNING);
}

hv_status_t hv_mem_vm_init(struct hv_vm *vm, struct hv_pgown *own, uint64_t block_size,
                           unsigned pa_bits)
{
	if (!vm || !own || !vm->mm || vm->ipa_bits < 32 || vm->ipa_bits > 52)
		return HV_ERR_INVALID;
	if (block_size == 0)
		block_size = HV_MEM_BLOCK_DEFAULT;
	if (!block_size_valid(block_size))
		return HV_ERR_INVALID;
	struct hv_vm_mem *m = vm_mem(vm);
	hv_memset(m, 0, sizeof(*m));
	m->own = own;
	m->block_size = block_size;
	m->pin_levels = (vm->ipa_bits - HV_PAGE_SHIFT + PIN_BITS - 1) / PIN_BITS;
	hv_status_t st = hv_mem_s2_init(vm, pa_bits);
	if (st != HV_OK)
		hv_memset(m, 0, sizeof(*m));
	return st;
}

hv_status_t hv_mem_set_block_size(struct hv_vm *vm, uint64_t block_size)
{
	if (!vm || !block_size_valid(block_size))
		return HV_ERR_INVALID;
	if (!vm_accepts_changes(vm))
		return HV_ERR_STATE;
	vm_mem(vm)->block_size = block_size;
	return HV_OK;
}

hv_status_t hv_mem_set_memslot(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, uint64_t size,
                               uint32_t flags)
{
	uint64_t base = hv_ipa_addr(ipa);
	if (!vm)
		return HV_ERR_INVALID;
	if (!vm_accepts_changes(vm))
		return HV_ERR_STATE;
	if (slot >= HV_MAX_MEMSLOTS)
		return HV_ERR_RANGE;
	if (size == 0 || !hv_is_aligned(base, HV_PAGE_SIZE) || !hv_is_aligned(size, HV_PAGE_SIZE) ||
	    (flags & ~(uint32_t)HV_MEMSLOT_FLAGS))
		return HV_ERR_INVALID;
	uint64_t limit = UINT64_C(1) << vm->ipa_bits;
	if (base >= limit || size > limit - base)
		return HV_ERR_RANGE;
	struct hv_vm_mem *m = vm_mem(vm);
	if (m->slots[slot].size)
		return HV_ERR_EXISTS;
	for (unsigned i = 0; i < HV_MAX_MEMSLOTS; i++) {
		const struct hv_memslot *o = &m->slots[i];
		if (o->size && base < o->base + o->size && o->base < base + size)
			return HV_ERR_EXISTS;
	}
	m->slots[slot] = (struct hv_memslot){.base = base, .size = size, .flags = flags};
	m->slots_used |= UINT32_C(1) << slot;
	return HV_OK;
}

hv_status_t hv_mem_delete_memslot(struct hv_vm *vm, uint32_t slot)
{
	if (!vm)
		return HV_ERR_INVALID;
	if (!vm_accepts_changes(vm))
		return HV_ERR_STATE;
	if (slot >= HV_MAX_MEMSLOTS)
		return HV_ERR_RANGE;
	struct hv_memslot *s = &vm_mem(vm)->slots[slot];
	if (!s->size)
		return HV_ERR_NOT_FOUND;
	if (s->nr_mapped)
		return HV_ERR_STATE;
	hv_memset(s, 0, sizeof(*s));
	vm_mem(vm)->slots_used &= ~(UINT32_C(1) << slot);
	return HV_OK;
}

hv_status_t hv_mem_find_memslot(const struct hv_vm *vm, hv_ipa_t ipa, uint32_t *slot)
{
	if (!vm || !slot)
		return HV_ERR_INVALID;
	uint64_t a = hv_ipa_addr(ipa);
	/* Only the slots in use: every MMIO exit asks here first. */
	for (uint32_t used = vm->life.mem.slots_used; used; used &= used - 1) {
		uint32_t i = (uint32_t)__builtin_ctz(used);
		const struct hv_memslot *s = &vm->life.mem.slots[i];
		if (a - s->base < s->size) {
			*slot = i;
			return HV_OK;
		}
	}
	return HV_ERR_NOT_FOUND;
}

uint64_t hv_mem_table_bytes(const struct hv_vm *vm)
{
	if (!vm)
		return 0;
	return (vm->life.mem.pin_table_pages << HV_PAGE_SHIFT) + hv_mem_s2_table_bytes(vm);
}
