/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/mem's calls into the stage-2 builder (core/s2), in one place. Guest
 * RAM is Normal Write-Back memory; core/s2 chooses blocks where alignment
 * allows, does break-before-make and the TLB maintenance of unmaps.
 */
#include "mem_internal.h"

hv_status_t hv_mem_s2_init(struct hv_vm *vm, unsigned pa_bits)
{
	return hv_s2_init(&vm_mem(vm)->s2, vm->mm, vm->vmid, vm->ipa_bits, pa_bits);
}

hv_status_t hv_mem_s2_map(struct hv_vm *vm, uint64_t ipa, uint64_t pa, uint64_t size, uint32_t prot)
{
	return hv_s2_map(&vm_mem(vm)->s2, hv_ipa(ipa), hv_pa(pa), size, prot, HV_S2_MEM_NORMAL_WB,
	                 0);
}

hv_status_t hv_mem_s2_unmap(struct hv_vm *vm, uint64_t ipa, uint64_t size)
{
	return hv_s2_unmap(&vm_mem(vm)->s2, hv_ipa(ipa), size);
}

hv_status_t hv_mem_s2_destroy(struct hv_vm *vm, uint64_t *budget)
{
	struct hv_s2_pgt *s2 = &vm_mem(vm)->s2;
	if (!s2->root)
		return HV_OK; /* never initialised, or already gone */
	if (*budget == 0)
		return HV_BUSY;
	return hv_s2_destroy(s2, budget);
}

uint64_t hv_mem_s2_table_bytes(const struct hv_vm *vm)
{
	struct hv_s2_stats st;
	if (!vm->life.mem.s2.root)
		return 0;
	hv_s2_get_stats(&vm->life.mem.s2, &st);
	return st.table_pages << HV_PAGE_SHIFT;
}

uint64_t hv_mem_vtcr(const struct hv_vm *vm)
{
	return hv_s2_vtcr(&vm->life.mem.s2);
}

uint64_t hv_mem_vttbr(const struct hv_vm *vm)
{
	return hv_s2_vttbr(&vm->life.mem.s2);
}
