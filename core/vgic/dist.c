/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The distributor (GICD) as an MMIO device model. Register map: GIC spec
 * 12.8/12.9. Affinity routing is always on (GICD_CTLR.ARE RAO/WI) and there
 * is one Security state (DS RAO/WI), so the banks' first registers (SGIs,
 * PPIs), ITARGETSR, SGIR, CPENDSGIR/SPENDSGIR, IGRPMODR and NSACR are RAZ/WI.
 *
 * Access rules (12.1.3 / 12.1.5): every register takes 32-bit accesses;
 * IPRIORITYR also takes bytes; IROUTER takes 64-bit accesses and 32-bit
 * accesses to either half. Any other width is RAZ/WI, as are reserved
 * offsets.
 */
#include "vgic_internal.h"

#define GICD_CTLR        0x0000u
#define GICD_TYPER       0x0004u
#define GICD_IIDR        0x0008u
#define GICD_IGROUPR     0x0080u
#define GICD_ISENABLER   0x0100u
#define GICD_ICENABLER   0x0180u
#define GICD_ISPENDR     0x0200u
#define GICD_ICPENDR     0x0280u
#define GICD_ISACTIVER   0x0300u
#define GICD_ICACTIVER   0x0380u
#define GICD_IPRIORITYR  0x0400u
#define GICD_ITARGETSR   0x0800u
#define GICD_ICFGR       0x0c00u
#define GICD_IROUTER     0x6000u
#define GICD_IROUTER_END 0x7fe0u /* IROUTER1020 would start here */
#define GICD_PIDR2       0xffe8u
#define GICD_CIDR0       0xfff0u

/* GICD_TYPER (12.9.38): IDbits [23:19] = 9 (10-bit INTIDs), No1N [25]. */
#define GICD_TYPER_IDBITS (9u << 19)
#define GICD_TYPER_NO1N   HV_BIT(25)

/* CoreSight component identification (CIDR0..3). */
static const uint8_t cidr[4] = {0x0d, 0xf0, 0x05, 0xb1};

static uint32_t typer(const struct hv_vgic *g)
{
	uint32_t lines = (HV_VGIC_NR_PRIVATE + g->nr_spis + 31u) / 32u - 1u;
	uint32_t cpus = g->nr_vcpus - 1u;
	return lines | (cpus << 5) | GICD_TYPER_IDBITS | (uint32_t)GICD_TYPER_NO1N;
}

/* Which bank an offset in 0x0080..0x03ff is, and the first INTID it covers. */
static bool bits_bank(uint64_t offset, unsigned *reg, uint32_t *base)
{
	if (offset < GICD_IGROUPR || offset >= GICD_IPRIORITYR)
		return false;
	*reg = (unsigned)((offset - GICD_IGROUPR) / 0x80u);
	*base = (uint32_t)((offset & 0x7fu) / 4u) * 32u;
	return true;
}

static bool is_irouter(uint64_t offset, uint32_t *intid)
{
	if (offset < GICD_IROUTER + 8u * HV_VGIC_NR_PRIVATE || offset >= GICD_IROUTER_END)
		return false;
	*intid = (uint32_t)((offset - GICD_IROUTER) / 8u);
	return true;
}

static hv_status_t vgic_dist_read_locked(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                         unsigned size, uint64_t *value)
{
	(void)vcpu;
	struct hv_vm *vm = opaque;
	struct hv_vgic *g = &vm->vgic;
	unsigned reg;
	uint32_t base, intid;
	*value = 0;
	if (is_irouter(offset, &intid)) {
		if (intid - HV_VGIC_NR_PRIVATE >= g->nr_spis || (size != 8 && size != 4))
			return HV_OK;
		uint64_t r = g->irouter[intid - HV_VGIC_NR_PRIVATE];
		*value = size == 8 ? r : (uint32_t)(r >> ((offset & 4u) * 8u));
		return HV_OK;
	}
	if (offset >= GICD_IPRIORITYR && offset < GICD_ITARGETSR) {
		base = (uint32_t)(offset - GICD_IPRIORITYR);
		if ((size == 1 || size == 4) && base >= HV_VGIC_NR_PRIVATE)
			*value = vgic_prio_read(vm, NULL, base, size);
		return HV_OK;
	}
	if (size != 4)
		return HV_OK;
	if (bits_bank(offset, &reg, &base)) {
		if (base >= HV_VGIC_NR_PRIVATE)
			*value = vgic_bits_read(vm, NULL, reg, base);
		return HV_OK;
	}
	if (offset >= GICD_ICFGR && offset < GICD_ICFGR + 0x100u) {
		base = (uint32_t)(offset - GICD_ICFGR) * 4u;
		if (base >= HV_VGIC_NR_PRIVATE)
			*value = vgic_cfg_read(vm, NULL, base);
		return HV_OK;
	}
	switch (offset) {
	case GICD_CTLR: *value = g->ctlr | GICD_CTLR_ARE | GICD_CTLR_DS; break;
	case GICD_TYPER: *value = typer(g); break;
	case GICD_IIDR: *value = VGIC_IIDR; break;
	case GICD_PIDR2: *value = VGIC_PIDR2; break;
	default:
		if (offset >= GICD_CIDR0 && (offset & 3u) == 0)
			*value = cidr[(offset - GICD_CIDR0) / 4u];
		break;
	}
	return HV_OK;
}

static hv_status_t vgic_dist_write_locked(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                          unsigned size, uint64_t value)
{
	struct hv_vm *vm = opaque;
	struct hv_vgic *g = &vm->vgic;
	unsigned reg;
	uint32_t base, intid;
	if (is_irouter(offset, &intid)) {
		uint32_t n = intid - HV_VGIC_NR_PRIVATE;
		if (n >= g->nr_spis || (size != 8 && size != 4))
			return HV_OK;
		uint64_t r = g->irouter[n];
		if (size == 8)
			r = value;
		else if (offset & 4u)
			r = (r & 0xffffffffu) | (value << 32);
		else
			r = (r & ~(uint64_t)0xffffffffu) | (uint32_t)value;
		vgic_spi_route(vm, intid, r);
		vgic_kick(vm, vgic_irq_update(vm, &g->spis[n], intid), vcpu);
		return HV_OK;
	}
	if (offset >= GICD_IPRIORITYR && offset < GICD_ITARGETSR) {
		base = (uint32_t)(offset - GICD_IPRIORITYR);
		if ((size == 1 || size == 4) && base >= HV_VGIC_NR_PRIVATE)
			vgic_prio_write(vm, NULL, vcpu, base, size, value);
		return HV_OK;
	}
	if (size != 4)
		return HV_OK;
	if (bits_bank(offset, &reg, &base)) {
		if (base >= HV_VGIC_NR_PRIVATE)
			vgic_bits_write(vm, NULL, vcpu, reg, base, (uint32_t)value);
		return HV_OK;
	}
	if (offset >= GICD_ICFGR && offset < GICD_ICFGR + 0x100u) {
		base = (uint32_t)(offset - GICD_ICFGR) * 4u;
		if (base >= HV_VGIC_NR_PRIVATE)
			vgic_cfg_write(vm, NULL, vcpu, base, (uint32_t)value);
		return HV_OK;
	}
	if (offset == GICD_CTLR) {
		uint32_t ctlr = (uint32_t)value & (uint32_t)(GICD_CTLR_ENGRP0 | GICD_CTLR_ENGRP1);
		if (ctlr != g->ctlr) {
			g->ctlr = ctlr;
			vgic_update_all(vm, vcpu);
		}
	}
	return HV_OK; /* read-only and reserved registers: WI */
}

hv_status_t vgic_dist_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                           uint64_t *value)
{
	return vgic_locked_read(vgic_dist_read_locked, vcpu, opaque, offset, size, value);
}

hv_status_t vgic_dist_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                            uint64_t value)
{
	return vgic_locked_write(vgic_dist_write_locked, vcpu, opaque, offset, size, value);
}
