/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ENABLE_CAP: global queries (batch sizes, IPA size) and per-VM
 * capabilities (demand paging, block-based demand paging, idle exits,
 * protected VM). in[1] vmid, in[2] cap, in[3..7] args[0..4]; arguments a
 * capability does not use must be zero.
 */
#include "abi_internal.h"

static bool vm_has_memslots(const struct hv_vm *vm)
{
	for (unsigned i = 0; i < HV_MAX_MEMSLOTS; i++)
		if (vm->life.mem.slots[i].size)
			return true;
	return false;
}

static int64_t protected_vm(struct hv_abi_server *srv, struct hv_vm *vm, const uint64_t in[8],
                            uint64_t out[4])
{
	if (in[3] == HV_ABI_PVM_SET_PVMFW_GPA)
		return HV_ABI_ERR_NOT_SUPPORTED; /* no pvmfw to place */
	if (!abi_args_zero(in, 4))
		return HV_ABI_ERR_INVALID_ARGS;
	switch (in[3]) {
	case HV_ABI_PVM_GET_PVMFW_SIZE: out[1] = 0; return HV_ABI_OK;
	case HV_ABI_PVM_SET_PROTECTED_VM:
		/* Before any memory is given and before it runs: every slot is
		 * then created private. */
		if (vm->life.state != HV_VM_CREATED || vm_has_memslots(vm))
			return HV_ABI_ERR_INVALID_ARGS;
		abi_vm_slot(srv, vm)->protected_vm = true;
		return HV_ABI_OK;
	default: return HV_ABI_ERR_INVALID_ARGS;
	}
}

static int64_t block_paging(struct hv_abi_server *srv, struct hv_vm *vm, const uint64_t in[8])
{
	uint64_t block = in[3], buf = in[4];
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	/* buf 0: the page given before stays (a userspace ENABLE_CAP passed on
	 * by MediaTek's driver after its own at CREATE_VM). */
	bool keep = buf == 0 && hv_pa_addr(vs->block_buf) != 0;
	if (!abi_args_zero(in, 5) || (!keep && (!hv_is_aligned(buf, HV_PAGE_SIZE) ||
	                                        !abi_host_buffer(srv, buf, HV_PAGE_SIZE))))
		return HV_ABI_ERR_INVALID_ARGS;
	hv_status_t st = hv_mem_set_block_size(vm, block); /* checks the size */
	if (st == HV_OK && !keep)
		vs->block_buf = hv_pa(buf);
	return abi_code(st);
}

int64_t abi_enable_cap(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	uint64_t cap = in[2];
	switch (cap) {
	case HV_ABI_CAP_QUERY_HYP_BATCH_PAGES:
	case HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES:
	case HV_ABI_CAP_VM_GPA_SIZE:
		if (!abi_args_zero(in, 3))
			return HV_ABI_ERR_INVALID_ARGS;
		out[1] = cap == HV_ABI_CAP_QUERY_HYP_BATCH_PAGES       ? HV_ABI_BLOCK_BUF_PFNS
		         : cap == HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES ? HV_VM_DESTROY_BATCH_DEFAULT
		                                                       : srv->hyp->max_ipa_bits;
		return HV_ABI_OK;
	default: break;
	}
	struct hv_vm *vm = abi_vm(srv, in[1]);
	if (!vm)
		return cap == HV_ABI_CAP_ENABLE_DEMAND_PAGING || cap == HV_ABI_CAP_ENABLE_IDLE ||
		               cap == HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING ||
		               cap == HV_ABI_CAP_PROTECTED_VM
		           ? HV_ABI_ERR_INVALID_ARGS
		           : HV_ABI_ERR_NOT_SUPPORTED;
	switch (cap) {
	case HV_ABI_CAP_ENABLE_DEMAND_PAGING:
		/* The core always pages on demand: accepted. */
		return abi_args_zero(in, 3) ? HV_ABI_OK : HV_ABI_ERR_INVALID_ARGS;
	case HV_ABI_CAP_ENABLE_IDLE:
		if (!abi_args_zero(in, 3))
			return HV_ABI_ERR_INVALID_ARGS;
		abi_vm_slot(srv, vm)->idle = true;
		return HV_ABI_OK;
	case HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING: return block_paging(srv, vm, in);
	case HV_ABI_CAP_PROTECTED_VM: return protected_vm(srv, vm, in, out);
	default: return HV_ABI_ERR_NOT_SUPPORTED;
	}
}
