/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/mem's calls into the stage-2 builder, behind one adapter. Until
 * core/s2 is in the tree, mappings live in the pin map only and unmapping
 * performs the TLB maintenance a stage-2 unmap needs (Arm ARM D8.13.5
 * "Break-before-make": DSB ISHST, TLBI IPAS2E1IS, DSB ISH, ISB).
 */
#include "mem_internal.h"

hv_status_t hv_mem_s2_init(struct hv_vm *vm)
{
	(void)vm;
	return HV_OK;
}

hv_status_t hv_mem_s2_map(struct hv_vm *vm, uint64_t ipa, uint64_t pa, uint64_t size, uint32_t prot)
{
	(void)vm;
	(void)ipa;
	(void)pa;
	(void)size;
	(void)prot;
	return HV_OK;
}

void hv_mem_s2_unmap(struct hv_vm *vm, uint64_t ipa, uint64_t size)
{
	hv_arch_dsb_ishst();
	for (uint64_t off = 0; off < size; off += HV_PAGE_SIZE)
		hv_arch_tlbi_ipa(vm->vmid, hv_ipa(ipa + off), 3);
	hv_arch_dsb_ish();
	hv_arch_isb();
}

hv_status_t hv_mem_s2_destroy(struct hv_vm *vm, uint64_t *budget)
{
	(void)vm;
	(void)budget;
	return HV_OK;
}

uint64_t hv_mem_s2_table_bytes(const struct hv_vm *vm)
{
	(void)vm;
	return 0;
}
