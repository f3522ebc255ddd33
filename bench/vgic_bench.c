/* SPDX-License-Identifier: Apache-2.0 */
/*
 * vGIC costs on the host, per operation (median of batches, thread CPU time):
 *   inject_ns              hv_vgic_inject_spi: an edge on an enabled SPI that
 *                          becomes pending (state change + bitmap insert + wake)
 *   flush_sync_ns_<N>      hv_vgic_flush + hv_vgic_sync of one guest entry with
 *                          N interrupts pending, 4 LRs, the guest idle in between
 *                          (N = 1024 is capped at 1020, every INTID one vCPU has)
 *   flush_sync_churn_ns_<N> the same entry when the guest takes one interrupt
 *                          (acknowledge + EOI on the LR shadow) and the device
 *                          raises it again (one inject), so the backlog stays N
 *                          while LRs are refilled from it on every entry
 * Priorities are spread over all 32 levels so the scheduler's ordering and
 * eviction paths run.
 *
 * Floors, measured in the same rounds with the same loops and clock: the
 * plainest per-priority pending bitmap (a 32-bit level mask, a word mask per
 * level, 16 64-bit words per level; no enable/group/route/active state):
 *   floor_inject_ns          look up the INTID's priority, set its bit, find
 *                            the highest-priority pending bit (whom to wake)
 *   floor_flush_sync_ns_<N>  flush: fill free LRs (ICH_LR_EL2 values) with
 *                            the best pending bits and swap in any bit that
 *                            beats a pending-only LR; sync: free the LRs the
 *                            guest retired; N pending as above
 *   floor_flush_sync_churn_ns_<N> the same plus the fixture's guest
 *                            acknowledge + EOI on the LR shadow and one
 *                            floor inject of the taken INTID
 *   <key>_vs_floor           each figure divided by its floor
 */
#include <stdio.h>

#include "../tests/unit/vgic/vgic_fixture.h"
#include "bench_util.h"

#define ROUNDS   21u
#define ENTRIES  20000u
#define NENTRIES bench_scaled(ENTRIES, 100u)
#define NROUNDS  bench_rounds(ROUNDS)

static struct vgic_fixture *f;

/* ---- the floor ---------------------------------------------------------- */

#define FLOOR_WORDS 16u /* 1024 INTIDs */

struct floor_pending {
	uint32_t levels;                                 /* bit l: level l has bits */
	uint32_t words[HV_VGIC_PRIO_LEVELS];             /* bit w: bits[l][w] != 0 */
	uint64_t bits[HV_VGIC_PRIO_LEVELS][FLOOR_WORDS]; /* one bit per INTID */
};

static struct floor_pending fp;
static uint8_t floor_prio[1024];  /* priority byte per INTID */
static struct hv_vcpu floor_vcpu; /* only its LR shadow is used */

static void floor_set(unsigned level, uint32_t intid)
{
	fp.bits[level][intid >> 6] |= UINT64_C(1) << (intid & 63u);
	fp.words[level] |= 1u << (intid >> 6);
	fp.levels |= 1u << level;
}

static bool floor_top(unsigned *level, uint32_t *intid)
{
	if (!fp.levels)
		return false;
	unsigned l = (unsigned)__builtin_ctz(fp.levels);
	unsigned w = (unsigned)__builtin_ctz(fp.words[l]);
	*level = l;
	*intid = (w << 6) | (uint32_t)__builtin_ctzll(fp.bits[l][w]);
	return true;
}

static void floor_clear(unsigned level, uint32_t intid)
{
	unsigned w = intid >> 6;
	fp.bits[level][w] &= ~(UINT64_C(1) << (intid & 63u));
	if (!fp.bits[level][w]) {
		fp.words[level] &= ~(1u << w);
		if (!fp.words[level])
			fp.levels &= ~(1u << level);
	}
}

/* Returns the vCPU to wake: this one if the new INTID is now the best. */
static __attribute__((noinline)) struct hv_vcpu *floor_inject(uint32_t intid)
{
	unsigned level = floor_prio[intid] >> 3, top_level;
	uint32_t top;
	floor_set(level, intid);
	return floor_top(&top_level, &top) && top == intid ? &floor_vcpu : NULL;
}

/* List register value: vINTID, priority [55:48], Group 1, pending (GIC
 * spec 12.4.6, ICH_LR<n>_EL2). A zero LR is free. */
static uint64_t floor_lr(unsigned level, uint32_t intid)
{
	return intid | (uint64_t)(level << 3) << HV_ICH_LR_PRIO_SHIFT | HV_ICH_LR_GROUP1 |
	       HV_ICH_LR_PENDING;
}

static unsigned floor_lr_level(uint64_t lr)
{
	return (unsigned)(lr >> (HV_ICH_LR_PRIO_SHIFT + 3)) & 31u;
}

/* Fill free LRs with the best pending bits, then swap in any waiting bit
 * that beats a pending-only LR (so none waits behind a worse one). */
static __attribute__((noinline)) void floor_flush(struct hv_vcpu *v)
{
	struct hv_gic_cpuif *g = &v->ctx.gic;
	unsigned level;
	uint32_t intid;
	for (unsigned i = 0; i < g->nr_lrs; i++) {
		if (g->lr[i])
			continue;
		if (!floor_top(&level, &intid))
			break;
		floor_clear(level, intid);
		g->lr[i] = floor_lr(level, intid);
	}
	while (floor_top(&level, &intid)) {
		unsigned worst = g->nr_lrs, worst_level = level;
		for (unsigned i = 0; i < g->nr_lrs; i++) {
			uint64_t lr = g->lr[i];
			if ((lr & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)) == HV_ICH_LR_PENDING &&
			    floor_lr_level(lr) > worst_level) {
				worst = i;
				worst_level = floor_lr_level(lr);
			}
		}
		if (worst == g->nr_lrs)
			break;
		floor_clear(level, intid);
		floor_set(worst_level, (uint32_t)(g->lr[worst] & HV_ICH_LR_VINTID_MASK));
		g->lr[worst] = floor_lr(level, intid);
	}
	g->nr_lrs_used = g->nr_lrs;
}

/* An LR the guest made invalid (taken and EOIed) becomes free; the others
 * stay as they are. */
static __attribute__((noinline)) void floor_sync(struct hv_vcpu *v)
{
	struct hv_gic_cpuif *g = &v->ctx.gic;
	for (unsigned i = 0; i < g->nr_lrs_used; i++)
		if (!(g->lr[i] & (HV_ICH_LR_PENDING | HV_ICH_LR_ACTIVE)))
			g->lr[i] = 0;
}

/* The floor must hold all n interrupts after a run (bitmaps + LRs), or it
 * did less work than it claims. */
static void floor_check(unsigned n)
{
	unsigned held = 0;
	for (unsigned l = 0; l < HV_VGIC_PRIO_LEVELS; l++)
		for (unsigned w = 0; w < FLOOR_WORDS; w++)
			held += (unsigned)__builtin_popcountll(fp.bits[l][w]);
	for (unsigned i = 0; i < floor_vcpu.ctx.gic.nr_lrs; i++)
		held += floor_vcpu.ctx.gic.lr[i] != 0;
	if (held != n) {
		fprintf(stderr, "vgic_bench: floor holds %u of %u interrupts\n", held, n);
		exit(1);
	}
}

/* The same INTIDs and priorities as make_pending() and setup_all(). */
static void floor_make_pending(unsigned n)
{
	memset(&fp, 0, sizeof(fp));
	memset(floor_vcpu.ctx.gic.lr, 0, sizeof(floor_vcpu.ctx.gic.lr));
	floor_vcpu.ctx.gic.nr_lrs = 4;
	floor_vcpu.ctx.gic.nr_lrs_used = 0;
	for (uint32_t i = 0; i < HV_VGIC_MAX_INTID; i++)
		floor_prio[i] = (uint8_t)((i * 37u) & 0xf8u);
	for (unsigned k = 0; k < n; k++) {
		uint32_t intid = 32u + k;
		if (intid >= HV_VGIC_MAX_INTID)
			intid -= HV_VGIC_MAX_INTID;
		floor_set(floor_prio[intid] >> 3, intid);
	}
}

/* ---- the vGIC ----------------------------------------------------------- */

static void setup_all(void)
{
	vf_enable_groups(f);
	for (uint32_t i = 0; i < HV_VGIC_MAX_INTID; i++)
		vf_setup_irq(f, 0, i, (uint8_t)((i * 37u) & 0xf8u), true);
	f->vcpus[0].ctx.gic.vmcr = (0xffu << HV_ICH_VMCR_VPMR_SHIFT) | HV_ICH_VMCR_VENG1;
}

/* Make exactly the first n INTIDs (SPIs first, then PPIs, SGIs) pending. */
static void make_pending(unsigned n)
{
	struct hv_vcpu *v = &f->vcpus[0];
	hv_vgic_sync(v);
	for (uint32_t w = 0; w < 32; w++) {
		vf_write(f, VF_DIST + 0x280 + 4 * w, 4, 0xffffffffu);
	}
	vf_write(f, vf_sgi(0) + 0x280, 4, 0xffffffffu);
	hv_vgic_flush(v); /* retire what sat in LRs */
	hv_vgic_sync(v);
	for (unsigned k = 0; k < n; k++) {
		uint32_t intid = 32u + k;
		if (intid >= HV_VGIC_MAX_INTID)
			intid -= HV_VGIC_MAX_INTID; /* then 0..31 */
		if (intid < 32)
			hv_vgic_inject_ppi(v, intid, true);
		else
			hv_vgic_inject_spi(&f->vm, intid, true);
	}
}

static double bench_inject(double *floor_out)
{
	double per[ROUNDS], floor_per[ROUNDS];
	const unsigned n = HV_VGIC_MAX_SPIS;
	for (unsigned r = 0; r < NROUNDS; r++) {
		make_pending(0);
		uint64_t t0 = bench_now_ns();
		for (uint32_t i = 0; i < n; i++)
			bench_sink((uint64_t)(uintptr_t)hv_vgic_inject_spi(&f->vm, 32u + i, true));
		uint64_t t1 = bench_now_ns();
		per[r] = (double)(t1 - t0) / n;

		floor_make_pending(0);
		t0 = bench_now_ns();
		for (uint32_t i = 0; i < n; i++)
			bench_sink((uint64_t)(uintptr_t)floor_inject(32u + i));
		t1 = bench_now_ns();
		floor_per[r] = (double)(t1 - t0) / n;
		floor_check(n);
	}
	*floor_out = bench_median(floor_per, NROUNDS);
	return bench_median(per, NROUNDS);
}

static double bench_flush_sync(unsigned n, double *floor_out)
{
	struct hv_vcpu *v = &f->vcpus[0];
	double per[ROUNDS], floor_per[ROUNDS];
	make_pending(n);
	floor_make_pending(n);
	for (unsigned r = 0; r < NROUNDS; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned e = 0; e < NENTRIES; e++) {
			hv_vgic_flush(v);
			hv_vgic_sync(v);
		}
		uint64_t t1 = bench_now_ns();
		per[r] = (double)(t1 - t0) / NENTRIES;

		t0 = bench_now_ns();
		for (unsigned e = 0; e < NENTRIES; e++) {
			floor_flush(&floor_vcpu);
			floor_sync(&floor_vcpu);
		}
		t1 = bench_now_ns();
		floor_per[r] = (double)(t1 - t0) / NENTRIES;
	}
	floor_check(n);
	bench_sink(v->ctx.gic.lr[0] + floor_vcpu.ctx.gic.lr[0]);
	*floor_out = bench_median(floor_per, NROUNDS);
	return bench_median(per, NROUNDS);
}

static double bench_churn(unsigned n, double *floor_out)
{
	struct hv_vcpu *v = &f->vcpus[0];
	double per[ROUNDS], floor_per[ROUNDS];
	make_pending(n);
	floor_make_pending(n);
	for (unsigned r = 0; r < NROUNDS; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned e = 0; e < NENTRIES; e++) {
			hv_vgic_flush(v);
			uint32_t intid = vf_guest_ack(v);
			vf_guest_eoi(v, intid);
			hv_vgic_sync(v);
			if (intid >= 32)
				hv_vgic_inject_spi(&f->vm, intid, true);
			else if (intid != HV_VGIC_SPURIOUS)
				hv_vgic_inject_ppi(v, intid, true);
		}
		uint64_t t1 = bench_now_ns();
		per[r] = (double)(t1 - t0) / NENTRIES;

		t0 = bench_now_ns();
		for (unsigned e = 0; e < NENTRIES; e++) {
			floor_flush(&floor_vcpu);
			uint32_t intid = vf_guest_ack(&floor_vcpu);
			vf_guest_eoi(&floor_vcpu, intid);
			floor_sync(&floor_vcpu);
			if (intid != HV_VGIC_SPURIOUS)
				floor_inject(intid);
		}
		t1 = bench_now_ns();
		floor_per[r] = (double)(t1 - t0) / NENTRIES;
	}
	floor_check(n);
	*floor_out = bench_median(floor_per, NROUNDS);
	return bench_median(per, NROUNDS);
}

int main(void)
{
	f = vf_new(1, HV_VGIC_MAX_SPIS, 4);
	if (!f) {
		fprintf(stderr, "vgic_bench: setup failed\n");
		return 1;
	}
	setup_all();
	static const unsigned sizes[] = {1, 4, 64, 1024};
	static const char *const keys[] = {"flush_sync_ns_1", "flush_sync_ns_4", "flush_sync_ns_64",
	                                   "flush_sync_ns_1024"};
	static const char *const churn_keys[] = {"flush_sync_churn_ns_1", "flush_sync_churn_ns_4",
	                                         "flush_sync_churn_ns_64",
	                                         "flush_sync_churn_ns_1024"};
	double inject_floor, fs_floor[4], ch_floor[4];
	double inject = bench_inject(&inject_floor);
	double fs[4], ch[4];
	for (unsigned i = 0; i < 4; i++) {
		unsigned n = sizes[i] > HV_VGIC_MAX_INTID ? HV_VGIC_MAX_INTID : sizes[i];
		fs[i] = bench_flush_sync(n, &fs_floor[i]);
		ch[i] = bench_churn(n, &ch_floor[i]);
	}
	bench_json_begin();
	bench_json_num("inject_ns", inject);
	bench_json_vs_floor("inject_ns", inject, inject_floor);
	for (unsigned i = 0; i < 4; i++) {
		bench_json_num(keys[i], fs[i]);
		bench_json_vs_floor(keys[i], fs[i], fs_floor[i]);
	}
	for (unsigned i = 0; i < 4; i++) {
		bench_json_num(churn_keys[i], ch[i]);
		bench_json_vs_floor(churn_keys[i], ch[i], ch_floor[i]);
	}
	bench_json_num("floor_inject_ns", inject_floor);
	for (unsigned i = 0; i < 4; i++) {
		char key[64];
		snprintf(key, sizeof(key), "floor_%s", keys[i]);
		bench_json_num(key, fs_floor[i]);
	}
	for (unsigned i = 0; i < 4; i++) {
		char key[64];
		snprintf(key, sizeof(key), "floor_%s", churn_keys[i]);
		bench_json_num(key, ch_floor[i]);
	}
	bench_json_num("lrs", 4);
	bench_json_end();
	free(f);
	return 0;
}
