/* SPDX-License-Identifier: Apache-2.0 */
/*
 * CREATE_DEVICE (vGICv3 distributor and redistributor placement) and
 * IRQ_LINE (the host raises an SPI). The vGIC itself is
 * core/vgic; the server places it, validated, and reports whom to wake.
 */
#include <hv/vgic.h>
#include "abi_internal.h"

HV_STATIC_ASSERT(HV_ABI_VGIC_DIST_SIZE == HV_VGIC_DIST_SIZE, "GICD frame");
HV_STATIC_ASSERT(HV_ABI_VGIC_REDIST_SIZE == HV_VGIC_REDIST_SIZE, "GICR frames");

/* Every SPI INTID the GIC architecture has (32..1019). */
#define NR_SPIS (HV_ABI_INTID_SPI_LAST + 1u - HV_ABI_INTID_SPI_FIRST)
HV_STATIC_ASSERT(NR_SPIS == HV_VGIC_MAX_SPIS, "SPI range");

/* SGI delivery to another vCPU: remember it for an IPI exit of this RUN. */
static void kick(struct hv_vcpu *target, void *opaque)
{
	struct hv_abi_server *srv = opaque;
	abi_vm_slot(srv, target->vm)->wake |= (uint8_t)HV_ABI_VCPU_BIT(target->id);
}

hv_status_t abi_vgic_vcpu_check(const struct hv_vm *vm, uint32_t id)
{
	return id < vm->vgic.nr_vcpus ? HV_OK : HV_ERR_RANGE;
}

void abi_vgic_vcpu_init(struct hv_abi_server *srv, struct hv_vcpu *vcpu)
{
	if (srv->rt && srv->rt->nr_lrs)
		vcpu->ctx.gic.nr_lrs = srv->rt->nr_lrs;
	(void)hv_vgic_vcpu_init(vcpu); /* the VM's vGIC exists and has its frame */
}

/* Both frames placed: create the vGIC and bring in the existing vCPUs. */
static hv_status_t vgic_create(struct hv_abi_server *srv, struct hv_vm *vm,
                               const struct hv_abi_vm_slot *vs)
{
	uint32_t nr = (uint32_t)(vs->redist_size / HV_ABI_VGIC_REDIST_SIZE);
	for (uint32_t i = nr; i < HV_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			return HV_ERR_RANGE; /* a vCPU without a redistributor */
	const struct hv_vgic_config cfg = {
	    .dist_base = hv_ipa(vs->dist),
	    .redist_base = hv_ipa(vs->redist),
	    .nr_spis = NR_SPIS,
	    .nr_vcpus = nr,
	    .kick = kick,
	    .kick_opaque = srv,
	};
	hv_status_t st = hv_vgic_init(vm, &cfg);
	for (uint32_t i = 0; st == HV_OK && i < nr; i++)
		if (vm->vcpus[i])
			abi_vgic_vcpu_init(srv, vm->vcpus[i]);
	return st;
}

static bool placement_ok(const struct hv_vm *vm, const struct hv_abi_vm_slot *vs, uint64_t addr,
                         uint64_t size)
{
	if (!hv_is_aligned(addr, HV_ABI_VGIC_ALIGN) || hv_range_wraps(addr, size) ||
	    addr + size > (UINT64_C(1) << vm->ipa_bits) || abi_overlaps_devices(vs, addr, size))
		return false;
	for (unsigned i = 0; i < HV_MAX_MEMSLOTS; i++) {
		const struct hv_memslot *s = &vm->life.mem.slots[i];
		if (s->size && abi_overlap(addr, size, s->base, s->size))
			return false;
	}
	return true;
}

int64_t abi_create_device(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	uint64_t pa = in[2];
	const void *page = hv_is_aligned(pa, 8)
	                       ? abi_host_buffer(srv, pa, sizeof(struct hv_abi_create_device))
	                       : NULL;
	if (!vm || !abi_args_zero(in, 3) || !page)
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_abi_create_device d;
	hv_memcpy(&d, page, sizeof(d)); /* read once */
	if (d.id || d.flags || d.attr_addr || d.attr_size)
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	struct hv_abi_vm_slot next = *vs;
	switch (d.dev_type) {
	case HV_ABI_DEV_VGIC_V3_DIST:
		if (vs->has_dist || d.dev_reg_size != HV_ABI_VGIC_DIST_SIZE)
			return HV_ABI_ERR_INVALID_ARGS;
		next.has_dist = true;
		next.dist = d.dev_addr;
		break;
	case HV_ABI_DEV_VGIC_V3_REDIST:
		if (vs->has_redist || d.dev_reg_size == 0 ||
		    d.dev_reg_size % HV_ABI_VGIC_REDIST_SIZE ||
		    d.dev_reg_size / HV_ABI_VGIC_REDIST_SIZE > vm->life.max_vcpus)
			return HV_ABI_ERR_INVALID_ARGS;
		next.has_redist = true;
		next.redist = d.dev_addr;
		next.redist_size = d.dev_reg_size;
		break;
	default: return HV_ABI_ERR_INVALID_ARGS;
	}
	if (!placement_ok(vm, vs, d.dev_addr, d.dev_reg_size))
		return HV_ABI_ERR_INVALID_ARGS;
	if (next.has_dist && next.has_redist) {
		hv_status_t st = vgic_create(srv, vm, &next);
		if (st != HV_OK)
			return abi_code(st);
	}
	*vs = next;
	return HV_ABI_OK;
}

int64_t abi_irq_line(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	uint64_t tuple = in[1], num = in[2], level = in[3];
	struct hv_vm *vm = (tuple >> 32) ? NULL : abi_vm(srv, HV_ABI_TUPLE_VMID(tuple));
	/* MediaTek's driver passes the irq word's number field only: SPIs
	 * counted from 0, the hypervisor adds 32. The vCPU field is the irq
	 * word's and means nothing for an SPI: not checked. */
	if (!vm || !vm->vgic.initialized || !abi_args_zero(in, 4) || level > 1 ||
	    num > HV_ABI_IRQ_NUM_MAX || num >= vm->vgic.nr_spis)
		return HV_ABI_ERR_INVALID_ARGS;
	/* Level 1 pends the SPI once (the host never lowers it); 0 is a no-op. */
	struct hv_vcpu *wake =
	    level ? hv_vgic_pend_spi(vm, (uint32_t)num + HV_ABI_INTID_SPI_FIRST) : NULL;
	out[1] = wake ? HV_ABI_VCPU_BIT(wake->id) : 0;
	return HV_ABI_OK;
}
