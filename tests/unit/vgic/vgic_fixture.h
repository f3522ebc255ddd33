/* SPDX-License-Identifier: Apache-2.0 */
/* Test fixture for core/vgic: a VM with a vGIC, MMIO helpers, and the two
 * guest-side CPU interface actions tests need (acknowledge, EOI) performed
 * on the LR shadow the way the virtual CPU interface does (GIC spec 11.1). */
#ifndef VGIC_FIXTURE_H
#define VGIC_FIXTURE_H

#include <hv/sysreg.h>
#include <hv/vgic.h>
#include <hv/vm.h>
#include <stdlib.h>
#include <string.h>

#define VF_DIST   UINT64_C(0x08000000)
#define VF_REDIST UINT64_C(0x080a0000)

struct vgic_fixture {
	struct hv_vm vm;
	struct hv_vcpu vcpus[HV_MAX_VCPUS];
	unsigned kicks[HV_MAX_VCPUS];
};

static inline void vf_kick(struct hv_vcpu *target, void *opaque)
{
	struct vgic_fixture *f = opaque;
	f->kicks[target->id]++;
}

/* nr_vcpus vCPUs with MPIDR Aff0 = index, `lrs` list registers each. */
static inline hv_status_t vf_init(struct vgic_fixture *f, unsigned nr_vcpus, uint32_t nr_spis,
                                  unsigned lrs)
{
	memset(f, 0, sizeof(*f));
	hv_mmio_bus_init(&f->vm.mmio);
	f->vm.nr_vcpus = nr_vcpus;
	for (unsigned i = 0; i < nr_vcpus; i++) {
		struct hv_vcpu *v = &f->vcpus[i];
		f->vm.vcpus[i] = v;
		v->vm = &f->vm;
		v->id = i;
		v->ctx.el1.mpidr_el1 = UINT64_C(0x80000000) | i;
		v->ctx.gic.nr_lrs = (uint8_t)lrs;
	}
	struct hv_vgic_config cfg = {
	    .dist_base = hv_ipa(VF_DIST),
	    .redist_base = hv_ipa(VF_REDIST),
	    .nr_spis = nr_spis,
	    .kick = vf_kick,
	    .kick_opaque = f,
	};
	hv_status_t st = hv_vgic_init(&f->vm, &cfg);
	for (unsigned i = 0; st == HV_OK && i < nr_vcpus; i++)
		st = hv_vgic_vcpu_init(&f->vcpus[i]);
	return st;
}

static inline struct vgic_fixture *vf_new(unsigned nr_vcpus, uint32_t nr_spis, unsigned lrs)
{
	struct vgic_fixture *f = malloc(sizeof(*f));
	if (f && vf_init(f, nr_vcpus, nr_spis, lrs) != HV_OK) {
		free(f);
		return NULL;
	}
	return f;
}

static inline uint64_t vf_read(struct vgic_fixture *f, uint64_t addr, unsigned size)
{
	uint64_t v = UINT64_C(0xdeadbeefdeadbeef);
	hv_status_t st =
	    hv_mmio_bus_access(&f->vm.mmio, &f->vcpus[0], hv_ipa(addr), size, false, &v);
	return st == HV_OK ? v : UINT64_C(0xbad0bad0bad0bad0);
}

static inline hv_status_t vf_write(struct vgic_fixture *f, uint64_t addr, unsigned size,
                                   uint64_t value)
{
	return hv_mmio_bus_access(&f->vm.mmio, &f->vcpus[0], hv_ipa(addr), size, true, &value);
}

static inline uint64_t vf_sgi(unsigned vcpu) /* SGI_base of a vCPU's GICR */
{
	return VF_REDIST + vcpu * HV_VGIC_REDIST_SIZE + HV_VGIC_REDIST_SGI;
}

/* Distributor setup Linux does: ARE (RAO) + both groups enabled. */
static inline void vf_enable_groups(struct vgic_fixture *f)
{
	vf_write(f, VF_DIST + 0x0, 4, 0x3);
}

/* Enable an INTID as Group 1 with a priority, through the MMIO model. */
static inline void vf_setup_irq(struct vgic_fixture *f, unsigned vcpu, uint32_t intid, uint8_t prio,
                                bool edge)
{
	uint32_t bit = 1u << (intid % 32);
	if (intid < 32) {
		uint64_t sgi = vf_sgi(vcpu);
		vf_write(f, sgi + 0x80, 4, vf_read(f, sgi + 0x80, 4) | bit);
		vf_write(f, sgi + 0x400 + intid, 1, prio);
		if (intid >= 16) {
			uint64_t cfg = vf_read(f, sgi + 0xc04, 4);
			uint32_t b = 2u << (2 * (intid - 16));
			vf_write(f, sgi + 0xc04, 4, edge ? (cfg | b) : (cfg & ~b));
		}
		vf_write(f, sgi + 0x100, 4, bit);
	} else {
		uint64_t w = 4 * (intid / 32);
		vf_write(f, VF_DIST + 0x80 + w, 4, vf_read(f, VF_DIST + 0x80 + w, 4) | bit);
		vf_write(f, VF_DIST + 0x400 + intid, 1, prio);
		uint64_t c = VF_DIST + 0xc00 + 4 * (intid / 16);
		uint32_t b = 2u << (2 * (intid % 16));
		uint64_t cfg = vf_read(f, c, 4);
		vf_write(f, c, 4, edge ? (cfg | b) : (cfg & ~b));
		vf_write(f, VF_DIST + 0x6000 + 8 * intid, 8, vcpu); /* Aff0 = vcpu */
		vf_write(f, VF_DIST + 0x100 + w, 4, bit);
	}
}

/* Guest acknowledge on the shadow: the highest-priority pending-only LR
 * becomes active. Returns its INTID or 1023. */
static inline uint32_t vf_guest_ack(struct hv_vcpu *v)
{
	struct hv_gic_cpuif *g = &v->ctx.gic;
	int best = -1;
	for (unsigned i = 0; i < g->nr_lrs; i++) {
		uint64_t lr = g->lr[i];
		if ((lr & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)) != HV_ICH_LR_PENDING)
			continue;
		if (best < 0 || ((lr >> 48) & 0xff) < ((g->lr[best] >> 48) & 0xff))
			best = (int)i;
	}
	if (best < 0)
		return HV_VGIC_SPURIOUS;
	g->lr[best] = (g->lr[best] & ~HV_ICH_LR_PENDING) | HV_ICH_LR_ACTIVE;
	return (uint32_t)(g->lr[best] & HV_ICH_LR_VINTID_MASK);
}

/* Guest EOI (EOImode 0) on the shadow: deactivate the INTID's LR, or count
 * it in ICH_HCR_EL2.EOIcount when no LR holds it. An LR with HW = 1 also
 * deactivates its physical INTID (GIC spec 12.5.11): returned, else 1023. */
static inline uint32_t vf_guest_eoi(struct hv_vcpu *v, uint32_t intid)
{
	struct hv_gic_cpuif *g = &v->ctx.gic;
	for (unsigned i = 0; i < g->nr_lrs; i++) {
		uint64_t lr = g->lr[i];
		if ((lr & HV_ICH_LR_ACTIVE) && (lr & HV_ICH_LR_VINTID_MASK) == intid) {
			g->lr[i] = lr & ~HV_ICH_LR_ACTIVE; /* active+pending -> pending */
			if (!(lr & HV_ICH_LR_HW))
				return HV_VGIC_SPURIOUS;
			return (uint32_t)((lr & HV_ICH_LR_PINTID_MASK) >> HV_ICH_LR_PINTID_SHIFT);
		}
	}
	g->hcr += 1u << HV_ICH_HCR_EOICOUNT_SHIFT;
	return HV_VGIC_SPURIOUS;
}

/* One LR state of an INTID in the shadow, or -1 if in no LR. */
static inline int vf_lr_state(const struct hv_vcpu *v, uint32_t intid)
{
	const struct hv_gic_cpuif *g = &v->ctx.gic;
	for (unsigned i = 0; i < g->nr_lrs_used; i++) {
		uint64_t lr = g->lr[i];
		if ((lr >> 62) && (lr & HV_ICH_LR_VINTID_MASK) == intid)
			return (int)(lr >> 62);
	}
	return -1;
}

#endif /* VGIC_FIXTURE_H */
