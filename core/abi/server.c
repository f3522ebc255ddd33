/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hypercall server (see hv/abi_server.h). Discovery as reviewers asked:
 * SMCCC_VERSION, the vendor-hypervisor UID call, then PROBE; VM calls are
 * refused until PROBE has agreed on a version.
 */
#include <hv/abi_server.h>
#include <hv/mem.h>
#include <hv/smccc.h>

static int64_t abi_code(hv_status_t st)
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

/* Every page of [pa, pa+size) is managed memory the host owns. */
static bool host_owned(const struct hv_abi_server *srv, uint64_t pa, uint64_t size)
{
	if (size == 0 || hv_range_wraps(pa, size))
		return false;
	for (uint64_t p = pa & ~(HV_PAGE_SIZE - 1); p < pa + size; p += HV_PAGE_SIZE) {
		uint16_t owner, flags;
		if (hv_pgown_get(&srv->hyp->own, hv_pa(p), &owner, &flags) != HV_OK ||
		    owner != HV_OWNER_HOST)
			return false;
	}
	return true;
}

static bool args_zero(const uint64_t in[8], unsigned from)
{
	for (unsigned i = from; i < 8; i++)
		if (in[i])
			return false;
	return true;
}

static struct hv_vm *vm_of(const struct hv_abi_server *srv, uint64_t vmid)
{
	return vmid <= HV_VMID_MAX ? hv_vm_find(srv->hyp, (uint16_t)vmid) : NULL;
}

static int64_t create_vm(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	if (in[1] != 0 || !args_zero(in, 2)) /* vm_type 0 only; protected VMs: ENABLE_CAP */
		return HV_ABI_ERR_INVALID_ARGS;
	const struct hv_vm_config cfg = {0};
	uint16_t vmid;
	hv_status_t st = hv_vm_create(srv->hyp, &cfg, &vmid);
	if (st == HV_OK)
		out[1] = vmid;
	return abi_code(st);
}

static int64_t destroy_vm(struct hv_abi_server *srv, const uint64_t in[8])
{
	if (!args_zero(in, 3) || in[1] > HV_VMID_MAX || in[2] > UINT32_MAX)
		return HV_ABI_ERR_INVALID_ARGS;
	hv_status_t st = hv_vm_destroy(srv->hyp, (uint16_t)in[1], in[2]);
	if (st == HV_OK) {
		for (unsigned i = 0; i < HV_MAX_VMS; i++)
			if (srv->hyp->vms[i].vmid == in[1])
				hv_memset(srv->run_area[i], 0, sizeof(srv->run_area[i]));
	}
	return abi_code(st);
}

static int64_t create_vcpu(struct hv_abi_server *srv, const uint64_t in[8])
{
	struct hv_vm *vm = vm_of(srv, HV_ABI_TUPLE_VMID(in[1]));
	uint64_t run_pa = in[2];
	if (!vm || (in[1] >> 32) || !args_zero(in, 3) || !hv_is_aligned(run_pa, HV_PAGE_SIZE) ||
	    !host_owned(srv, run_pa, 2 * HV_PAGE_SIZE) ||
	    !srv->host_map(srv->host_arg, hv_pa(run_pa), 2 * HV_PAGE_SIZE))
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_vcpu *vcpu;
	uint32_t id = HV_ABI_TUPLE_VCPU(in[1]);
	hv_status_t st = hv_vcpu_create(vm, id, &vcpu);
	if (st == HV_OK)
		srv->run_area[vm - srv->hyp->vms][id] = hv_pa(run_pa);
	return abi_code(st);
}

static int64_t set_memregion(struct hv_abi_server *srv, const uint64_t in[8])
{
	struct hv_vm *vm = vm_of(srv, in[1]);
	uint64_t size = in[2], pa = in[3];
	if (!vm || !args_zero(in, 4) || size < sizeof(struct hv_abi_mem_region) ||
	    size > 2 * HV_PAGE_SIZE || !hv_is_aligned(pa, 8) || !host_owned(srv, pa, size))
		return HV_ABI_ERR_INVALID_ARGS;
	const uint8_t *buf = srv->host_map(srv->host_arg, hv_pa(pa), size);
	if (!buf)
		return HV_ABI_ERR_FAULT;
	/* One copy of the header and constituents: the host may change its
	 * buffer while we look (no double fetch). */
	struct hv_abi_mem_region hdr;
	hv_memcpy(&hdr, buf, sizeof(hdr));
	uint64_t max_cnt = (size - sizeof(hdr)) / sizeof(struct hv_abi_mem_constituent);
	if (hdr.slot >= HV_ABI_MAX_MEMSLOTS || hdr.constituent_cnt == 0 ||
	    hdr.constituent_cnt > max_cnt || hdr.total_pages == 0 ||
	    hdr.total_pages > (1ull << 31) - 1 || !hv_is_aligned(hdr.gpa, HV_PAGE_SIZE))
		return HV_ABI_ERR_INVALID_ARGS;
	uint64_t pages = 0;
	for (uint32_t i = 0; i < hdr.constituent_cnt; i++) {
		struct hv_abi_mem_constituent c;
		hv_memcpy(&c, buf + sizeof(hdr) + i * sizeof(c), sizeof(c));
		if (c.reserved || c.pg_cnt == 0 || !hv_is_aligned(c.address, HV_PAGE_SIZE) ||
		    !host_owned(srv, c.address, (uint64_t)c.pg_cnt * HV_PAGE_SIZE))
			return HV_ABI_ERR_INVALID_ARGS;
		pages += c.pg_cnt;
	}
	if (pages != hdr.total_pages)
		return HV_ABI_ERR_INVALID_ARGS;
	return abi_code(
	    hv_mem_set_memslot(vm, hdr.slot, hv_ipa(hdr.gpa), hdr.total_pages * HV_PAGE_SIZE, 0));
}

static int64_t map_guest(struct hv_abi_server *srv, const uint64_t in[8])
{
	struct hv_vm *vm = vm_of(srv, in[1]);
	uint64_t slot = in[2], pfn = in[3], gfn = in[4], nr = in[5];
	if (!vm || !args_zero(in, 6) || slot >= HV_ABI_MAX_MEMSLOTS || nr == 0 || nr > 512 ||
	    gfn > (UINT64_MAX >> 12) || pfn > (UINT64_MAX >> 12) ||
	    !host_owned(srv, pfn << 12, nr * HV_PAGE_SIZE))
		return HV_ABI_ERR_INVALID_ARGS;
	return abi_code(hv_mem_map_range(vm, (uint32_t)slot, hv_ipa(gfn << 12), pfn, (uint32_t)nr));
}

static int64_t get_statistics(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	struct hv_vm *vm = vm_of(srv, in[1]);
	struct hv_vm_stats st;
	if (!vm || !args_zero(in, 2))
		return HV_ABI_ERR_INVALID_ARGS;
	hv_status_t ret = hv_vm_get_stats(vm, &st);
	if (ret == HV_OK) {
		out[1] = st.hyp_bytes;
		out[2] = st.shared_bytes;
	}
	return abi_code(ret);
}

static int64_t enable_cap(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	uint64_t vmid = in[1], cap = in[2];
	switch (cap) {
	case HV_ABI_CAP_QUERY_HYP_BATCH_PAGES: out[1] = 512; return HV_ABI_OK;
	case HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES:
		out[1] = HV_VM_DESTROY_BATCH_DEFAULT;
		return HV_ABI_OK;
	case HV_ABI_CAP_VM_GPA_SIZE: out[1] = srv->hyp->max_ipa_bits; return HV_ABI_OK;
	case HV_ABI_CAP_ENABLE_DEMAND_PAGING:
		/* The core always pages on demand: accepted for a live VM. */
		if (!vm_of(srv, vmid) || !args_zero(in, 3))
			return HV_ABI_ERR_INVALID_ARGS;
		return HV_ABI_OK;
	default: return HV_ABI_ERR_NOT_SUPPORTED;
	}
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
	if (fid < HV_ABI_FN_BASE || fid >= HV_ABI_FN(HV_ABI_NR_FN)) {
		out[0] = (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED;
		return;
	}
	unsigned n = (unsigned)(fid - HV_ABI_FN_BASE);
	if (n == HV_ABI_PROBE) {
		if (in[1] != HV_ABI_DRIVER_MAJOR || !args_zero(in, 4)) {
			ret = HV_ABI_ERR_NOT_SUPPORTED;
		} else {
			srv->probed = true;
			out[1] = HV_ABI_VERSION_MAJOR;
			out[2] = HV_ABI_VERSION_MINOR;
			out[3] = HV_ABI_VERSION_SUB;
			ret = HV_ABI_OK;
		}
		out[0] = (uint64_t)ret;
		return;
	}
	if (!srv->probed) {
		out[0] = (uint64_t)(int64_t)HV_ABI_ERR_NOT_SUPPORTED;
		return;
	}
	switch (n) {
	case HV_ABI_CREATE_VM: ret = create_vm(srv, in, out); break;
	case HV_ABI_DESTROY_VM: ret = destroy_vm(srv, in); break;
	case HV_ABI_CREATE_VCPU: ret = create_vcpu(srv, in); break;
	case HV_ABI_SET_MEMREGION: ret = set_memregion(srv, in); break;
	case HV_ABI_MAP_GUEST: ret = map_guest(srv, in); break;
	case HV_ABI_GET_STATISTICS: ret = get_statistics(srv, in, out); break;
	case HV_ABI_ENABLE_CAP: ret = enable_cap(srv, in, out); break;
	default:
		/* DESTROY_VCPU, RUN, GET/SET_ONE_REG, IRQ_LINE, CREATE_DEVICE,
		 * INFORM_EXIT, MEMREGION_PURPOSE, SET_DTB_CONFIG, MAP_GUEST_BLOCK:
		 * not served yet. */
		ret = HV_ABI_ERR_NOT_IMPLEMENTED;
		break;
	}
	if (ret != HV_ABI_OK)
		out[1] = out[2] = out[3] = 0;
	out[0] = (uint64_t)ret;
}
