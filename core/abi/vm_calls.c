/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VM and vCPU lifecycle calls: CREATE_VM, DESTROY_VM (bounded, BUSY until
 * done), CREATE_VCPU (run area in host memory), DESTROY_VCPU,
 * GET_STATISTICS, INFORM_EXIT.
 */
#include <hv/inject.h>
#include <hv/psci.h>
#include "abi_internal.h"

int64_t abi_create_vm(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	if (in[1] != 0 || !abi_args_zero(in, 2)) /* vm_type 0 only; protected VMs: ENABLE_CAP */
		return HV_ABI_ERR_INVALID_ARGS;
	/* One page per fault until the host asks for block-based paging. */
	const struct hv_vm_config cfg = {.block_size = HV_PAGE_SIZE};
	uint16_t vmid;
	hv_status_t st = hv_vm_create(srv->hyp, &cfg, &vmid);
	if (st != HV_OK)
		return abi_code(st);
	struct hv_vm *vm = hv_vm_find(srv->hyp, vmid);
	hv_memset(abi_vm_slot(srv, vm), 0, sizeof(struct hv_abi_vm_slot));
	out[1] = vmid;
	return HV_ABI_OK;
}

int64_t abi_destroy_vm(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	if (!abi_args_zero(in, 3) || in[1] == 0 || in[1] > HV_VMID_MAX || in[2] > UINT32_MAX)
		return HV_ABI_ERR_INVALID_ARGS;
	/* The first call of a live VM: no vCPU of it runs again. */
	struct hv_vm *live = abi_vm(srv, in[1]);
	if (live && srv->rt && srv->rt->release)
		srv->rt->release(srv->rt_arg, live, NULL);
	hv_status_t st = hv_vm_destroy(srv->hyp, (uint16_t)in[1], in[2]);
	if (live && (st == HV_OK || st == HV_BUSY))
		hv_memset(abi_vm_slot(srv, live), 0, sizeof(struct hv_abi_vm_slot));
	return abi_code(st);
}

/* Architectural reset state of a vCPU the host creates: AArch64 EL1h with
 * DAIF masked, MMU and caches off (as PSCI CPU_ON and the arm64 boot
 * protocol expect). */
static void reset_regs(struct hv_vcpu *vcpu)
{
	vcpu->ctx.regs.pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	vcpu->ctx.el1.sctlr_el1 = HV_SCTLR_EL1_RESET;
}

int64_t abi_create_vcpu(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = (in[1] >> 32) ? NULL : abi_vm(srv, HV_ABI_TUPLE_VMID(in[1]));
	uint64_t run_pa = in[2];
	uint32_t id = HV_ABI_TUPLE_VCPU(in[1]);
	if (!vm || !abi_args_zero(in, 3) || !hv_is_aligned(run_pa, HV_PAGE_SIZE) ||
	    !abi_host_buffer(srv, run_pa, 2 * HV_PAGE_SIZE))
		return HV_ABI_ERR_INVALID_ARGS;
	if (vm->vgic.initialized && abi_vgic_vcpu_check(vm, id) != HV_OK)
		return HV_ABI_ERR_INVALID_ARGS; /* no redistributor for it */
	struct hv_vcpu *vcpu;
	hv_status_t st = hv_vcpu_create(vm, id, &vcpu);
	if (st != HV_OK)
		return abi_code(st);
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	reset_regs(vcpu);
	if (id == 0 && vs->has_dtb)
		vcpu->ctx.regs.x[0] = vs->dtb_gpa;
	if (vm->vgic.initialized)
		abi_vgic_vcpu_init(srv, vcpu);
	vs->vcpu[id] = (struct hv_abi_vcpu_slot){.run_area = hv_pa(run_pa)};
	return HV_ABI_OK;
}

int64_t abi_destroy_vcpu(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vcpu *vcpu = abi_vcpu(srv, in[1]);
	if (!vcpu || !abi_args_zero(in, 2))
		return HV_ABI_ERR_INVALID_ARGS;
	if (srv->rt && srv->rt->release)
		srv->rt->release(srv->rt_arg, vcpu->vm, vcpu);
	struct hv_abi_vcpu_slot *s = &abi_vm_slot(srv, vcpu->vm)->vcpu[vcpu->id];
	*s = (struct hv_abi_vcpu_slot){.retired = true};
	return HV_ABI_OK;
}

int64_t abi_get_statistics(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	struct hv_vm *vm = abi_vm(srv, in[1]);
	struct hv_vm_stats st;
	if (!vm || !abi_args_zero(in, 2))
		return HV_ABI_ERR_INVALID_ARGS;
	hv_status_t ret = hv_vm_get_stats(vm, &st);
	if (ret == HV_OK) {
		out[1] = st.hyp_bytes;
		out[2] = st.shared_bytes;
	}
	return abi_code(ret);
}

int64_t abi_inform_exit(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	if (!vm || !abi_args_zero(in, 2))
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	for (uint32_t i = 0; i < HV_MAX_VCPUS; i++)
		if (vm->vcpus[i] && !vs->vcpu[i].retired)
			vs->vcpu[i].kicked = true;
	return HV_ABI_OK;
}
