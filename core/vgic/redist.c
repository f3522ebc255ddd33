/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The redistributors (GICR) as an MMIO device model: one 128 KiB block per
 * vCPU, RD_base then SGI_base (GIC spec 12.10, 12.11). No LPIs: GICR_CTLR,
 * PROPBASER, PENDBASER, the LPI registers, IGRPMODR0 and NSACR are RAZ/WI.
 * Access rules as for the distributor: 32-bit everywhere, bytes for
 * IPRIORITYR, 64-bit or 32-bit halves for GICR_TYPER; other widths and
 * reserved offsets RAZ/WI. A block whose vCPU does not exist is RAZ/WI.
 */
#include "vgic_internal.h"

#define GICR_CTLR       0x0000u
#define GICR_IIDR       0x0004u
#define GICR_TYPER      0x0008u
#define GICR_WAKER      0x0014u
#define GICR_PIDR2      0xffe8u
#define GICR_IGROUPR0   0x0080u /* in SGI_base */
#define GICR_IPRIORITYR 0x0400u
#define GICR_ICFGR0     0x0c00u
#define GICR_ICFGR1     0x0c04u

/* GICR_TYPER (12.11.37): Affinity_Value [63:32], Processor_Number [23:8],
 * Last [4]. */
#define GICR_TYPER_LAST HV_BIT(4)
/* GICR_WAKER (12.11.43): ProcessorSleep [1], ChildrenAsleep [2] (RO). */
#define GICR_WAKER_SLEEP  HV_BIT(1)
#define GICR_WAKER_ASLEEP HV_BIT(2)

static struct hv_vcpu *block_vcpu(struct hv_vm *vm, uint64_t offset)
{
	uint64_t idx = offset / HV_VGIC_REDIST_SIZE;
	if (idx >= vm->vgic.nr_vcpus || idx >= HV_MAX_VCPUS)
		return NULL;
	struct hv_vcpu *v = vm->vcpus[idx];
	return (v && v->vgic.initialized) ? v : NULL;
}

static uint64_t typer(const struct hv_vm *vm, const struct hv_vcpu *v)
{
	uint64_t t = ((uint64_t)vgic_affinity(v) << 32) | ((uint64_t)v->id << 8);
	if (v->id == vm->vgic.nr_vcpus - 1u)
		t |= GICR_TYPER_LAST;
	return t;
}

static uint64_t rd_read(struct hv_vm *vm, struct hv_vcpu *v, uint64_t off, unsigned size)
{
	if (off == GICR_TYPER || off == GICR_TYPER + 4u) {
		uint64_t t = typer(vm, v);
		if (size == 8 && off == GICR_TYPER)
			return t;
		return size == 4 ? (uint32_t)(t >> ((off & 4u) * 8u)) : 0;
	}
	if (size != 4)
		return 0;
	switch (off) {
	case GICR_IIDR: return VGIC_IIDR;
	case GICR_WAKER:
		return (v->vgic.waker & GICR_WAKER_SLEEP) ? (GICR_WAKER_SLEEP | GICR_WAKER_ASLEEP)
		                                          : 0;
	case GICR_PIDR2: return VGIC_PIDR2;
	default: return 0; /* GICR_CTLR (no LPIs, RWP 0), reserved */
	}
}

static uint64_t sgi_read(struct hv_vm *vm, struct hv_vcpu *v, uint64_t off, unsigned size)
{
	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + HV_VGIC_NR_PRIVATE)
		return (size == 1 || size == 4)
		           ? vgic_prio_read(vm, v, (uint32_t)(off - GICR_IPRIORITYR), size)
		           : 0;
	if (size != 4)
		return 0;
	if (off >= GICR_IGROUPR0 && off < GICR_IPRIORITYR && (off & 0x7fu) == 0)
		return vgic_bits_read(vm, v, (unsigned)((off - GICR_IGROUPR0) / 0x80u), 0);
	if (off == GICR_ICFGR0 || off == GICR_ICFGR1)
		return vgic_cfg_read(vm, v, (uint32_t)(off - GICR_ICFGR0) * 4u);
	return 0;
}

static hv_status_t vgic_redist_read_locked(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                           unsigned size, uint64_t *value)
{
	(void)vcpu;
	struct hv_vm *vm = opaque;
	struct hv_vcpu *v = block_vcpu(vm, offset);
	uint64_t off = offset % HV_VGIC_REDIST_SIZE;
	*value = 0;
	if (!v)
		return HV_OK;
	if (off < HV_VGIC_REDIST_SGI)
		*value = rd_read(vm, v, off, size);
	else
		*value = sgi_read(vm, v, off - HV_VGIC_REDIST_SGI, size);
	return HV_OK;
}

static hv_status_t vgic_redist_write_locked(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                            unsigned size, uint64_t value)
{
	struct hv_vm *vm = opaque;
	struct hv_vcpu *v = block_vcpu(vm, offset);
	uint64_t off = offset % HV_VGIC_REDIST_SIZE;
	if (!v)
		return HV_OK;
	if (off < HV_VGIC_REDIST_SGI) {
		if (off == GICR_WAKER && size == 4)
			v->vgic.waker = (uint32_t)value & (uint32_t)GICR_WAKER_SLEEP;
		return HV_OK; /* everything else in RD_base: RO or RAZ/WI */
	}
	off -= HV_VGIC_REDIST_SGI;
	if (off >= GICR_IPRIORITYR && off < GICR_IPRIORITYR + HV_VGIC_NR_PRIVATE) {
		if (size == 1 || size == 4)
			vgic_prio_write(vm, v, vcpu, (uint32_t)(off - GICR_IPRIORITYR), size,
			                value);
		return HV_OK;
	}
	if (size != 4)
		return HV_OK;
	if (off >= GICR_IGROUPR0 && off < GICR_IPRIORITYR && (off & 0x7fu) == 0)
		vgic_bits_write(vm, v, vcpu, (unsigned)((off - GICR_IGROUPR0) / 0x80u), 0,
		                (uint32_t)value);
	else if (off == GICR_ICFGR1)
		vgic_cfg_write(vm, v, vcpu, 16, (uint32_t)value);
	return HV_OK;
}

hv_status_t vgic_redist_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                             uint64_t *value)
{
	return vgic_locked_read(vgic_redist_read_locked, vcpu, opaque, offset, size, value);
}

hv_status_t vgic_redist_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                              uint64_t value)
{
	return vgic_locked_write(vgic_redist_write_locked, vcpu, opaque, offset, size, value);
}
