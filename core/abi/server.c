/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypercall server (see hv/abi_server.h): discovery as reviewers asked
 * (SMCCC_VERSION, the vendor-hypervisor UID call, then PROBE; VM calls are
 * refused until PROBE has agreed on a version), the dispatch table, and the
 * argument checks every handler shares.
 */
#include <hv/smccc.h>
#include "abi_internal.h"

int64_t abi_code(hv_status_t st)
{
	switch (st) {
	case HV_OK: return HV_ABI_OK;
	case HV_BUSY: return HV_ABI_ERR_BUSY;
	case HV_ERR_NO_MEMORY: return HV_ABI_ERR_NO_MEMORY;
	case HV_ERR_FAULT: return HV_ABI_ERR_FAULT;
	case HV_ERR_NOT_SUPPORTED: return HV_ABI_ERR_NOT_SUPPORTED;
	default: return HV_ABI_ERR_INVALID_ARGS;
	}
}

hv_status_t hv_abi_server_init(struct hv_abi_server *srv, struct hv_hyp *hyp,
                               hv_abi_host_map_fn host_map, void *host_arg)
{
	if (!srv || !hyp || !host_map)
		return HV_ERR_INVALID;
	hv_memset(srv, 0, sizeof(*srv));
	srv->hyp = hyp;
	srv->host_map = host_map;
	srv->host_arg = host_arg;
	return HV_OK;
}

void hv_abi_server_set_runtime(struct hv_abi_server *srv, const struct hv_abi_runtime_ops *ops,
                               void *arg)
{
	srv->rt = ops;
	srv->rt_arg = arg;
}

void hv_abi_server_set_trace(struct hv_abi_server *srv, struct hv_trace_ring *rings, uint32_t nr)
{
	srv->trace = rings;
	srv->nr_trace = rings ? nr : 0;
}

bool abi_args_zero(const uint64_t in[8], unsigned from)
{
	for (unsigned i = from; i < 8; i++)
		if (in[i])
			return false;
	return true;
}

void *abi_host_buffer(const struct hv_abi_server *srv, uint64_t pa, uint64_t size)
{
	if (size == 0 || hv_range_wraps(pa, size))
		return NULL;
	for (uint64_t p = pa & ~(HV_PAGE_SIZE - 1); p < pa + size; p += HV_PAGE_SIZE) {
		uint16_t owner, flags;
		if (hv_pgown_get(&srv->hyp->own, hv_pa(p), &owner, &flags) != HV_OK ||
		    owner != HV_OWNER_HOST)
			return NULL;
	}
	return srv->host_map(srv->host_arg, hv_pa(pa), size);
}

struct hv_vm *abi_vm(const struct hv_abi_server *srv, uint64_t vmid)
{
	return vmid <= HV_VMID_MAX ? hv_vm_find(srv->hyp, (uint16_t)vmid) : NULL;
}

struct hv_abi_vm_slot *abi_vm_slot(struct hv_abi_server *srv, const struct hv_vm *vm)
{
	return &srv->vms[vm - srv->hyp->vms];
}

struct hv_vcpu *abi_vcpu(struct hv_abi_server *srv, uint64_t tuple)
{
	if (tuple >> 32)
		return NULL;
	struct hv_vm *vm = abi_vm(srv, HV_ABI_TUPLE_VMID(tuple));
	uint16_t id = HV_ABI_TUPLE_VCPU(tuple);
	if (!vm || id >= HV_MAX_VCPUS || !vm->vcpus[id] || abi_vm_slot(srv, vm)->vcpu[id].retired)
		return NULL;
	return vm->vcpus[id];
}

int abi_slot_containing(const struct hv_vm *vm, uint64_t ipa, uint64_t size)
{
	uint32_t idx;
	if (size == 0 || hv_range_wraps(ipa, size) ||
	    hv_mem_find_memslot(vm, hv_ipa(ipa), &idx) != HV_OK)
		return -1;
	const struct hv_memslot *s = &vm->life.mem.slots[idx];
	return ipa + size <= s->base + s->size ? (int)idx : -1;
}

bool abi_overlaps_devices(const struct hv_abi_vm_slot *vs, uint64_t ipa, uint64_t size)
{
	return (vs->has_dist && abi_overlap(ipa, size, vs->dist, HV_ABI_VGIC_DIST_SIZE)) ||
	       (vs->has_redist && abi_overlap(ipa, size, vs->redist, vs->redist_size));
}

void abi_s2_changed(struct hv_abi_server *srv, struct hv_vm *vm, uint64_t ipa, uint64_t size)
{
	if (srv->rt && srv->rt->s2_changed)
		srv->rt->s2_changed(srv->rt_arg, vm, hv_ipa(ipa), size);
}

static const abi_handler_fn handlers[HV_ABI_NR_FN] = {
    [HV_ABI_CREATE_VM] = abi_create_vm,
    [HV_ABI_DESTROY_VM] = abi_destroy_vm,
    [HV_ABI_CREATE_VCPU] = abi_create_vcpu,
    [HV_ABI_DESTROY_VCPU] = abi_destroy_vcpu,
    [HV_ABI_SET_MEMREGION] = abi_set_memregion,
    [HV_ABI_RUN] = abi_run,
    [HV_ABI_GET_ONE_REG] = abi_get_one_reg,
    [HV_ABI_SET_ONE_REG] = abi_set_one_reg,
    [HV_ABI_IRQ_LINE] = abi_irq_line,
    [HV_ABI_CREATE_DEVICE] = abi_create_device,
    [HV_ABI_ENABLE_CAP] = abi_enable_cap,
    [HV_ABI_INFORM_EXIT] = abi_inform_exit,
    [HV_ABI_MEMREGION_PURPOSE] = abi_memregion_purpose,
    [HV_ABI_SET_DTB_CONFIG] = abi_set_dtb_config,
    [HV_ABI_MAP_GUEST] = abi_map_guest,
    [HV_ABI_MAP_GUEST_BLOCK] = abi_map_guest_block,
    [HV_ABI_GET_STATISTICS] = abi_get_statistics,
};

static int64_t probe(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	if (in[1] != HV_ABI_DRIVER_MAJOR || !abi_args_zero(in, 4))
		return HV_ABI_ERR_NOT_SUPPORTED;
	srv->probed = true;
	out[1] = HV_ABI_VERSION_MAJOR;
	out[2] = HV_ABI_VERSION_MINOR;
	out[3] = HV_ABI_VERSION_SUB;
	return HV_ABI_OK;
}

void hv_abi_server_call(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	out[0] = out[1] = out[2] = out[3] = 0;
	uint64_t fid = in[0];
	int64_t ret;

	if (fid == HV_SMCCC_VERSION) {
		out[0] = HV_SMCCC_VERSION_1_1;
		return;
	}
	if (fid == HV_SMCCC_VENDOR_HYP_CALL_UID) {
		out[0] = HV_SMCCC_HYP_UID_W0;
		out[1] = HV_SMCCC_HYP_UID_W1;
		out[2] = HV_SMCCC_HYP_UID_W2;
		out[3] = HV_SMCCC_HYP_UID_W3;
		return;
	}
	bool ext = fid >= HV_ABI_FN(HV_ABI_EXT_FIRST) && fid < HV_ABI_FN(HV_ABI_EXT_END);
	if ((fid < HV_ABI_FN_BASE || fid >= HV_ABI_FN(HV_ABI_NR_FN)) && !ext) {
		out[0] = (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	unsigned n = (unsigned)(fid - HV_ABI_FN_BASE);
	if (n == HV_ABI_PROBE)
		ret = probe(srv, in, out);
	else if (!srv->probed)
		ret = HV_ABI_ERR_NOT_SUPPORTED;
	else if (ext)
		ret = abi_trace_call(srv, n, in, out);
	else if (!handlers[n])
		ret = HV_ABI_ERR_NOT_IMPLEMENTED; /* 6, 7: GET/SET_REGS, removed */
	else
		ret = handlers[n](srv, in, out);
	if (ret != HV_ABI_OK)
		out[1] = out[2] = out[3] = 0;
	out[0] = (uint64_t)ret;
}
