/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vGIC against a reference model. Fuzz bytes drive random interleavings
 * of injection (SPI edge/level, PPI, SGI via ICC_SGI1R_EL1), distributor and
 * redistributor writes (enable, disable, priority, group, trigger mode,
 * routing, set/clear pending, group enables), hardware mappings (map and
 * unmap a physical INTID, hostile ones included), guest acknowledge and EOI
 * on the list registers, flush (entry) and sync (exit) on two vCPUs.
 *
 * The reference keeps, per INTID, the GIC's state in the plainest form
 * (enabled, edge, line, latch, active, priority, group, target). Checked
 * after every flush: no INTID in two LRs (of one or of two vCPUs); every
 * pending LR holds an interrupt the reference says is pending, enabled and
 * routed there; every LR carries HW and the pINTID exactly when the INTID
 * is mapped, else EOI exactly when it is level-sensitive; every active
 * interrupt is in an LR as active; the priority
 * invariant (nothing deliverable waits while an LR is free or holds a
 * pending interrupt of lower priority); the vGIC's own consistency check.
 * Checked at every acknowledge: the INTID was pending and not active (no
 * duplicate delivery). Checked at the end, after draining: every pending
 * edge was delivered (nothing lost); level interrupts follow their line.
 *
 * One tolerance the hardware forces: an edge that arrives while its INTID
 * sits pending in a running vCPU's LR may be delivered once more, because
 * the hypervisor cannot tell whether the guest acknowledged it before or
 * after the edge (the real GIC, seeing both, would merge them).
 *
 * MMIO writes happen on exited vCPUs (all vCPUs are synced first): a
 * trapped access always runs with its vCPU out of the guest.
 *
 * Input: [0] number of LRs (1..4; 1..16 when bit 7 is set), then 3-byte
 * operations (op, a, b).
 */
#include <stdio.h>
#include <stdlib.h>
#include "../unit/vgic/vgic_fixture.h"
#include "fuzz_harness.h"

#define NR_VCPUS  2u
#define NR_SPIS   32u
#define NR_INTIDS (HV_VGIC_NR_PRIVATE + NR_SPIS)

struct ref_irq {
	bool enabled, edge, line, latch, active, group1;
	bool lr_ok;       /* flushed into an LR as pending, not yet acknowledged */
	bool extra_ok;    /* may be delivered once more (see above) */
	bool mmio_active; /* made active by GICD/GICR_ISACTIVER, not by an ack */
	uint8_t prio, target, active_on;
	uint16_t hw; /* physical INTID backing it, 0 if none */
};

static struct vgic_fixture *fx;
static struct ref_irq ref[NR_VCPUS][NR_INTIDS]; /* SPIs live in ref[0] */
static uint32_t ref_ctlr;
static bool in_guest[NR_VCPUS];
static unsigned eoi_outside[NR_VCPUS]; /* guest EOIs that matched no LR */

#define CHECK(c, ...)                                                                              \
	do {                                                                                       \
		if (!(c)) {                                                                        \
			fprintf(stderr, "fuzz_vgic: " __VA_ARGS__);                                \
			fputc('\n', stderr);                                                       \
			abort();                                                                   \
		}                                                                                  \
	} while (0)

/* FUZZ_VGIC_TRACE=1 prints the vGIC's and the model's view at each flush. */
static bool trace_on(void)
{
	static int on = -1;
	if (on < 0)
		on = getenv("FUZZ_VGIC_TRACE") != NULL;
	return on;
}

HARNESS static struct ref_irq *r_irq(unsigned vcpu, uint32_t intid)
{
	return intid < HV_VGIC_NR_PRIVATE ? &ref[vcpu][intid] : &ref[0][intid];
}

HARNESS static bool r_pending(const struct ref_irq *r)
{
	return r->latch || (!r->edge && r->line);
}

HARNESS static bool r_deliverable(const struct ref_irq *r, unsigned vcpu)
{
	return r->enabled && !r->active && r_pending(r) && r->target == vcpu &&
	       (ref_ctlr & (r->group1 ? 2u : 1u));
}

HARNESS static bool in_some_lr(uint32_t intid, unsigned v)
{
	for (unsigned o = 0; o < NR_VCPUS; o++) {
		if (intid < HV_VGIC_NR_PRIVATE && o != v)
			continue;
		for (unsigned i = 0; i < HV_GIC_MAX_LRS; i++)
			if (fx->vcpus[o].vgic.lr_intid[i] == intid)
				return true;
	}
	return false;
}

/* ICH_HCR_EL2.EOIcount: each EOI that matched no LR deactivates the
 * highest-priority interrupt of this vCPU that is active outside the LRs
 * (lowest INTID first among equals), as the vGIC documents. */
HARNESS static void ref_eoi_outside(unsigned v)
{
	for (; eoi_outside[v]; eoi_outside[v]--) {
		struct ref_irq *best = NULL;
		for (uint32_t intid = 0; intid < NR_INTIDS; intid++) {
			struct ref_irq *r = r_irq(v, intid);
			if (!r->active || r->target != v || in_some_lr(intid, v))
				continue;
			CHECK(r->mmio_active, "INTID %u acknowledged but active outside LRs",
			      intid);
			if (!best || r->prio < best->prio)
				best = r;
		}
		if (best)
			best->active = best->mmio_active = false;
	}
}

static void sync_vcpu(unsigned v)
{
	hv_vgic_sync(&fx->vcpus[v]);
	in_guest[v] = false;
	ref_eoi_outside(v);
}

static void sync_all(void)
{
	for (unsigned v = 0; v < NR_VCPUS; v++)
		sync_vcpu(v);
}

/* Still in an LR of the other vCPU, which has not exited yet: its EOI (or
 * a level interrupt's EOI maintenance) reaches the model at that exit. */
HARNESS static bool held_by_other(unsigned v, uint32_t intid)
{
	const struct hv_vcpu *o = &fx->vcpus[v ^ 1u];
	if (intid < HV_VGIC_NR_PRIVATE || !in_guest[v ^ 1u])
		return false;
	for (unsigned i = 0; i < o->ctx.gic.nr_lrs; i++)
		if (o->vgic.lr_intid[i] == intid)
			return true;
	return false;
}

HARNESS static void check_after_flush(unsigned v)
{
	struct hv_vcpu *vc = &fx->vcpus[v];
	const struct hv_gic_cpuif *g = &vc->ctx.gic;
	bool in_lr[NR_INTIDS] = {false};
	unsigned valid = 0, worst_pending = 0;
	CHECK(hv_vgic_check_invariant(vc, NULL), "vgic self-check failed on vcpu %u", v);
	for (unsigned i = 0; i < g->nr_lrs; i++) {
		uint64_t lr = g->lr[i];
		if (i >= g->nr_lrs_used || !(lr >> 62))
			continue;
		valid++;
		uint32_t intid = (uint32_t)(lr & HV_ICH_LR_VINTID_MASK);
		CHECK(intid < NR_INTIDS, "bad INTID %u in LR", intid);
		CHECK(!in_lr[intid], "INTID %u in two LRs", intid);
		in_lr[intid] = true;
		if (intid >= HV_VGIC_NR_PRIVATE)
			CHECK(vf_lr_state(&fx->vcpus[v ^ 1u], intid) < 0,
			      "SPI %u in LRs of both vCPUs", intid);
		struct ref_irq *r = r_irq(v, intid);
		CHECK(!(lr & HV_ICH_LR_HW) == !r->hw, "INTID %u HW bit %d, ref hw %u", intid,
		      !!(lr & HV_ICH_LR_HW), r->hw);
		if (r->hw)
			CHECK((lr & HV_ICH_LR_PINTID_MASK) >> HV_ICH_LR_PINTID_SHIFT == r->hw &&
			          !(lr & HV_ICH_LR_PENDING && lr & HV_ICH_LR_ACTIVE),
			      "INTID %u: HW LR %#llx, ref pINTID %u", intid, (unsigned long long)lr,
			      r->hw);
		else
			CHECK(!(lr & HV_ICH_LR_EOI) == r->edge, "INTID %u EOI bit vs edge %d",
			      intid, r->edge);
		CHECK(((lr >> 48) & 0xff) == r->prio, "INTID %u priority %#x != ref %#x", intid,
		      (unsigned)((lr >> 48) & 0xff), r->prio);
		if (lr & HV_ICH_LR_ACTIVE) {
			CHECK(r->active && (r->mmio_active || r->active_on == v),
			      "INTID %u active in LR, not in ref", intid);
			if (lr & HV_ICH_LR_PENDING) { /* edge again while active */
				CHECK(r->edge && (r_pending(r) || r->extra_ok),
				      "INTID %u active+pending, not pending in ref", intid);
				r->lr_ok = true;
			}
		} else {
			CHECK(r->enabled && r->target == v && (ref_ctlr & (r->group1 ? 2u : 1u)),
			      "INTID %u pending in LR but not deliverable here", intid);
			CHECK(!r->active, "INTID %u pending-only LR while ref active", intid);
			CHECK(r_pending(r) || r->extra_ok, "INTID %u pending in LR, not in ref",
			      intid);
			r->lr_ok = true;
			unsigned p = (unsigned)((lr >> 48) & 0xff);
			if (p > worst_pending)
				worst_pending = p;
		}
	}
	for (uint32_t intid = 0; intid < NR_INTIDS; intid++) {
		struct ref_irq *r = r_irq(v, intid);
		if (r->active && !r->mmio_active && r->active_on == v)
			CHECK(in_lr[intid], "active INTID %u lost its LR", intid);
		if (in_lr[intid] || !r_deliverable(r, v) || held_by_other(v, intid))
			continue;
		if (trace_on() && intid >= 32) {
			const struct hv_vgic_irq *q = &fx->vm.vgic.spis[intid - 32];
			fprintf(stderr,
			        "  impl flags %#x target %u qvcpu %u prio %#x ref en %d edge %d "
			        "line %d latch %d act %d g1 %d tgt %u ctlr %u\n",
			        q->flags, q->target, q->qvcpu, q->priority, r->enabled, r->edge,
			        r->line, r->latch, r->active, r->group1, r->target, ref_ctlr);
		}
		CHECK(valid == g->nr_lrs, "INTID %u waits with an LR free", intid);
		CHECK(r->prio >= worst_pending, "INTID %u (prio %#x) waits behind pending prio %#x",
		      intid, r->prio, worst_pending);
	}
}

static void flush_vcpu(unsigned v)
{
	if (in_guest[v])
		sync_vcpu(v); /* what hv_vgic_flush does first, seen by the reference */
	hv_vgic_flush(&fx->vcpus[v]);
	in_guest[v] = true;
	if (trace_on())
		for (unsigned i = 0; i < fx->vcpus[v].ctx.gic.nr_lrs; i++)
			fprintf(stderr, "  flush v%u lr%u %016llx\n", v, i,
			        (unsigned long long)fx->vcpus[v].ctx.gic.lr[i]);
	check_after_flush(v);
}

static void guest_ack(unsigned v)
{
	if (!in_guest[v])
		flush_vcpu(v);
	uint32_t intid = vf_guest_ack(&fx->vcpus[v]);
	if (trace_on())
		fprintf(stderr, "  ack v%u -> %u\n", v, intid);
	if (intid == HV_VGIC_SPURIOUS)
		return;
	struct ref_irq *r = r_irq(v, intid);
	CHECK(r->lr_ok, "INTID %u acknowledged twice (duplicate delivery)", intid);
	CHECK(!r->active, "INTID %u acknowledged while active", intid);
	r->lr_ok = false;
	r->active = true;
	r->active_on = (uint8_t)v;
	if (r->latch)
		r->latch = false;
	else if (r->edge)
		r->extra_ok = false;
}

static void guest_eoi(unsigned v, unsigned pick)
{
	if (!in_guest[v])
		return;
	const struct hv_gic_cpuif *g = &fx->vcpus[v].ctx.gic;
	for (unsigned k = 0; k < g->nr_lrs; k++) {
		uint64_t lr = g->lr[(pick + k) % g->nr_lrs];
		if (!(lr & HV_ICH_LR_ACTIVE))
			continue;
		uint32_t intid = (uint32_t)(lr & HV_ICH_LR_VINTID_MASK);
		uint32_t pintid = vf_guest_eoi(&fx->vcpus[v], intid);
		uint32_t want = r_irq(v, intid)->hw ? r_irq(v, intid)->hw : HV_VGIC_SPURIOUS;
		CHECK(pintid == want, "EOI of INTID %u deactivated physical %u, not %u", intid,
		      pintid, want);
		if (trace_on())
			fprintf(stderr, "  eoi v%u %u\n", v, intid);
		r_irq(v, intid)->active = r_irq(v, intid)->mmio_active = false;
		return;
	}
}

/* A guest EOI naming an INTID in none of its LRs (EOIcount). */
static void guest_eoi_unmatched(unsigned v, uint32_t intid)
{
	const struct hv_gic_cpuif *g = &fx->vcpus[v].ctx.gic;
	if (!in_guest[v] || (g->hcr >> HV_ICH_HCR_EOICOUNT_SHIFT) >= 30)
		return;
	for (unsigned i = 0; i < g->nr_lrs; i++)
		if ((g->lr[i] & HV_ICH_LR_ACTIVE) && (g->lr[i] & HV_ICH_LR_VINTID_MASK) == intid)
			return; /* that would be an ordinary EOI */
	vf_guest_eoi(&fx->vcpus[v], intid);
	eoi_outside[v]++;
}

/* An edge while the INTID may sit pending in a running vCPU's LR. */
static void note_edge(struct ref_irq *r)
{
	if (r->lr_ok && r->latch && (in_guest[0] || in_guest[1]))
		r->extra_ok = true;
	r->latch = true;
}

static void inject(unsigned vcpu, uint32_t intid, bool level)
{
	struct ref_irq *r = r_irq(vcpu, intid);
	bool was = r->target < NR_VCPUS && r_deliverable(r, r->target);
	bool extra = r->extra_ok; /* the vGIC may hold it pending already */
	struct hv_vcpu *w = intid < HV_VGIC_NR_PRIVATE
	                        ? hv_vgic_inject_ppi(&fx->vcpus[vcpu], intid, level)
	                        : hv_vgic_inject_spi(&fx->vm, intid, level);
	if (r->edge) {
		if (level)
			note_edge(r);
	} else {
		r->line = level;
	}
	/* With every vCPU out of the guest the LRs are exact: an interrupt
	 * that just became deliverable, and is in no LR, wakes its target. */
	bool now = r->target < NR_VCPUS && r_deliverable(r, r->target);
	if (!was && now && !extra && !r->lr_ok && !in_guest[0] && !in_guest[1])
		CHECK(w && w->id == r->target, "INTID %u: target %u not woken", intid, r->target);
	CHECK(!w || w->id < NR_VCPUS, "woke a vCPU that does not exist");
}

static uint64_t bank(unsigned vcpu, uint32_t intid, uint32_t off_dist, uint32_t off_gicr)
{
	if (intid < HV_VGIC_NR_PRIVATE)
		return vf_sgi(vcpu) + off_gicr;
	return VF_DIST + off_dist + 4 * (intid / 32);
}

static void mmio_op(unsigned kind, unsigned vcpu, uint32_t intid, uint8_t arg)
{
	sync_all();
	struct ref_irq *r = r_irq(vcpu, intid);
	uint32_t bit = 1u << (intid % 32);
	switch (kind) {
	case 0: /* ISENABLER / ICENABLER */
		vf_write(fx,
		         bank(vcpu, intid, (arg & 1) ? 0x100 : 0x180, (arg & 1) ? 0x100 : 0x180), 4,
		         bit);
		r->enabled = arg & 1;
		break;
	case 1: { /* IPRIORITYR (byte) */
		uint64_t a = intid < HV_VGIC_NR_PRIVATE ? vf_sgi(vcpu) + 0x400 + intid
		                                        : VF_DIST + 0x400 + intid;
		vf_write(fx, a, 1, arg);
		r->prio = arg & HV_VGIC_PRIO_MASK;
		break;
	}
	case 2: { /* ICFGR: PPIs and SPIs */
		if (intid < HV_VGIC_NR_SGIS)
			break;
		uint64_t a = intid < HV_VGIC_NR_PRIVATE ? vf_sgi(vcpu) + 0xc04
		                                        : VF_DIST + 0xc00 + 4 * (intid / 16);
		uint64_t cfg = vf_read(fx, a, 4);
		uint32_t b = 2u << (2 * (intid % 16));
		vf_write(fx, a, 4, (arg & 1) ? (cfg | b) : (cfg & ~(uint64_t)b));
		r->edge = arg & 1;
		break;
	}
	case 3: { /* IGROUPR */
		uint64_t a = bank(vcpu, intid, 0x80, 0x80);
		uint64_t cur = vf_read(fx, a, 4);
		vf_write(fx, a, 4, (arg & 1) ? (cur | bit) : (cur & ~(uint64_t)bit));
		r->group1 = arg & 1;
		break;
	}
	case 4: /* GICD_CTLR group enables */
		vf_write(fx, VF_DIST, 4, arg & 3u);
		ref_ctlr = arg & 3u;
		break;
	case 5: /* IROUTER: Aff0 0..2 (2 routes nowhere) */
		if (intid < HV_VGIC_NR_PRIVATE)
			break;
		vf_write(fx, VF_DIST + 0x6000 + 8 * intid, 8, arg % 3u);
		r->target = (uint8_t)(arg % 3u);
		break;
	case 7: /* ISACTIVER / ICACTIVER */
		vf_write(fx,
		         bank(vcpu, intid, (arg & 1) ? 0x300 : 0x380, (arg & 1) ? 0x300 : 0x380), 4,
		         bit);
		if (!(arg & 1))
			r->active = r->mmio_active = false;
		else if (!r->active)
			r->active = r->mmio_active = true;
		break;
	case 6: /* ISPENDR / ICPENDR */
		vf_write(fx,
		         bank(vcpu, intid, (arg & 1) ? 0x200 : 0x280, (arg & 1) ? 0x200 : 0x280), 4,
		         bit);
		r->latch = arg & 1;
		if (!(arg & 1))
			r->extra_ok = false;
		break;
	}
}

/* Map (or unmap, if mapped) a physical INTID; hostile ones sometimes. The
 * status must be the documented one and a refusal must change nothing. */
static void hw_op(unsigned v, uint32_t intid, uint8_t a, uint8_t b)
{
	sync_all();
	struct ref_irq *r = r_irq(v, intid);
	bool busy = in_some_lr(intid, v) || r->active;
	if (intid < HV_VGIC_NR_SGIS) {
		CHECK(hv_vgic_map_hw(&fx->vcpus[v], intid, 16) == HV_ERR_INVALID, "SGI mapped");
		CHECK(hv_vgic_unmap_hw(&fx->vcpus[v], intid) == HV_ERR_INVALID, "SGI unmapped");
		return;
	}
	if (r->hw) {
		hv_status_t st = hv_vgic_unmap_hw(&fx->vcpus[v], intid);
		CHECK(st == (busy ? HV_ERR_STATE : HV_OK), "unmap INTID %u: %d", intid, st);
		if (st == HV_OK)
			r->hw = 0;
		return;
	}
	static const uint32_t hostile[] = {0, 15, 27, 40, 1020, 1023, 0xffffffffu, 16};
	bool private = intid < HV_VGIC_NR_PRIVATE;
	uint32_t pintid = (b & 8)   ? hostile[a & 7]
	                  : private ? 16u + (b & 15u)
	                            : HV_VGIC_NR_PRIVATE + (uint32_t)(a * 31u + b) % 988u;
	bool fits = private ? (pintid >= 16 && pintid < 32) : (pintid >= 32 && pintid < 1020);
	bool taken = false;
	for (uint32_t i = 16; i < NR_INTIDS; i++)
		if ((i < HV_VGIC_NR_PRIVATE) == private && r_irq(v, i)->hw == pintid)
			taken = true;
	hv_status_t want = !fits   ? HV_ERR_INVALID
	                   : taken ? HV_ERR_EXISTS
	                   : busy  ? HV_ERR_STATE
	                           : HV_OK;
	hv_status_t st = hv_vgic_map_hw(&fx->vcpus[v], intid, pintid);
	CHECK(st == want, "map INTID %u to %u: %d, expected %d", intid, pintid, st, want);
	CHECK(hv_vgic_map_hw(&fx->vcpus[v], intid, pintid) == (st == HV_OK ? HV_ERR_EXISTS : want),
	      "map INTID %u twice", intid);
	if (st == HV_OK)
		r->hw = (uint16_t)pintid;
}

static void sgi(unsigned from, uint8_t a, uint8_t b)
{
	sync_vcpu(from);
	uint32_t intid = a % HV_VGIC_NR_SGIS;
	bool broadcast = (b & 0x80) != 0;
	uint64_t v = ((uint64_t)intid << 24) | (b & 0x7u);
	if (broadcast)
		v |= UINT64_C(1) << 40;
	CHECK(hv_vgic_sysreg_access(&fx->vcpus[from], HV_SYSREG_ICC_SGI1R_EL1, true, &v) == HV_OK,
	      "SGI1R refused");
	for (unsigned t = 0; t < NR_VCPUS; t++) {
		bool hit = broadcast ? t != from : (b >> t) & 1u;
		struct ref_irq *r = &ref[t][intid];
		if (hit && r->group1)
			note_edge(r);
	}
}

static void reset_ref(void)
{
	memset(ref, 0, sizeof(ref));
	memset(in_guest, 0, sizeof(in_guest));
	memset(eoi_outside, 0, sizeof(eoi_outside));
	for (unsigned v = 0; v < NR_VCPUS; v++) {
		for (uint32_t i = 0; i < HV_VGIC_NR_PRIVATE; i++) {
			ref[v][i].target = (uint8_t)v;
			ref[v][i].edge = i < HV_VGIC_NR_SGIS;
		}
	}
	ref_ctlr = 0;
}

/* Lower every line, let the guests take and complete everything. */
static void drain(void)
{
	for (unsigned v = 0; v < NR_VCPUS; v++)
		for (uint32_t i = 16; i < NR_INTIDS; i++)
			if (!r_irq(v, i)->edge && (i < HV_VGIC_NR_PRIVATE || v == 0))
				inject(v, i, false);
	for (int round = 0; round < 4 * (int)NR_INTIDS; round++) {
		bool any = false;
		for (unsigned v = 0; v < NR_VCPUS; v++) {
			sync_vcpu(v);
			flush_vcpu(v);
			const struct hv_gic_cpuif *g = &fx->vcpus[v].ctx.gic;
			for (unsigned k = 0; k < g->nr_lrs; k++) {
				guest_ack(v);
				guest_eoi(v, k);
			}
			any |= g->nr_lrs_used != 0 || fx->vcpus[v].vgic.pending.count != 0;
		}
		for (unsigned v = 0; v < NR_VCPUS; v++) /* a late sync may queue more */
			any |= fx->vcpus[v].vgic.pending.count != 0;
		if (!any)
			break;
	}
	for (unsigned v = 0; v < NR_VCPUS; v++)
		for (uint32_t i = 0; i < NR_INTIDS; i++) {
			struct ref_irq *r = r_irq(v, i);
			if ((i >= HV_VGIC_NR_PRIVATE && v != 0) || r->target >= NR_VCPUS)
				continue;
			CHECK(!r_deliverable(r, r->target), "INTID %u (vcpu %u) never delivered", i,
			      r->target);
		}
}

/* The state every input starts from: a vGIC with `lrs` list registers,
 * every INTID enabled, Group 1, priority 0x80, and the model to match. Built
 * through the MMIO interface once per LR count and kept: each input then
 * starts from a copy (the fixture's pointers all point inside it, and the
 * copy goes back to the same address), not from 300 register writes. */
struct start_snapshot {
	struct vgic_fixture fx;
	struct ref_irq ref[NR_VCPUS][NR_INTIDS];
	uint32_t ref_ctlr;
	bool in_guest[NR_VCPUS];
	unsigned eoi_outside[NR_VCPUS];
};
static struct start_snapshot *snapshots[HV_GIC_MAX_LRS + 1];

static void start_state(unsigned lrs)
{
	if (!fx)
		fx = malloc(sizeof(*fx));
	struct start_snapshot *snap = snapshots[lrs];
	if (snap) {
		memcpy(fx, &snap->fx, sizeof(*fx));
		memcpy(ref, snap->ref, sizeof(ref));
		ref_ctlr = snap->ref_ctlr;
		memcpy(in_guest, snap->in_guest, sizeof(in_guest));
		memcpy(eoi_outside, snap->eoi_outside, sizeof(eoi_outside));
		return;
	}
	if (!fx || vf_init(fx, NR_VCPUS, NR_SPIS, lrs) != HV_OK)
		abort();
	reset_ref();
	mmio_op(4, 0, 0, 3);
	for (unsigned v = 0; v < NR_VCPUS; v++)
		for (uint32_t i = 0; i < NR_INTIDS; i++) {
			if (i >= HV_VGIC_NR_PRIVATE && v != 0)
				continue;
			mmio_op(3, v, i, 1);
			mmio_op(1, v, i, 0x80);
			mmio_op(0, v, i, 1);
		}
	snap = malloc(sizeof(*snap));
	if (!snap)
		abort();
	memcpy(&snap->fx, fx, sizeof(*fx));
	memcpy(snap->ref, ref, sizeof(ref));
	snap->ref_ctlr = ref_ctlr;
	memcpy(snap->in_guest, in_guest, sizeof(in_guest));
	memcpy(snap->eoi_outside, eoi_outside, sizeof(eoi_outside));
	snapshots[lrs] = snap;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned lrs = (data[0] & 0x80) ? 1u + data[0] % 16u : 1u + data[0] % 4u;
	start_state(lrs);
	for (size_t pos = 1; pos + 3 <= size; pos += 3) {
		uint8_t op = data[pos], a = data[pos + 1], b = data[pos + 2];
		unsigned v = op >> 7;
		uint32_t intid = a % NR_INTIDS;
		if (trace_on())
			fprintf(stderr, "op %u v %u a %u b %u\n", op % 12u, v, a, b);
		switch (op % 12u) {
		case 0: inject(v, HV_VGIC_NR_PRIVATE + a % NR_SPIS, b & 1); break;
		case 1: inject(v, 16 + a % 16u, b & 1); break;
		case 2: sgi(v, a, b); break;
		case 3: mmio_op(b % 8u, v, intid, a >> 5 ^ b); break;
		case 4: mmio_op(1, v, intid, b); break;
		case 5:
		case 6: guest_ack(v); break;
		case 7: guest_eoi(v, b); break;
		case 8:
			if ((b & 0xe0) == 0xe0)
				guest_eoi_unmatched(v, intid);
			else
				guest_eoi(v, b);
			break;
		case 9: flush_vcpu(v); break;
		case 10: sync_vcpu(v); break;
		default:
			if ((b & 0xf0) == 0xf0)
				hw_op(v, intid, a, b);
			else
				mmio_op(0, v, intid, b);
			break;
		}
	}
	/* Let everything deliverable be delivered: restore enables/routes. */
	sync_all();
	mmio_op(4, 0, 0, 3);
	drain();
	return 0;
}
