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
 */
#include <stdio.h>

#include "../tests/unit/vgic/vgic_fixture.h"
#include "bench_util.h"

#define ROUNDS  21u
#define ENTRIES 20000u

static struct vgic_fixture *f;

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

static double bench_inject(void)
{
	double per[ROUNDS];
	const unsigned n = HV_VGIC_MAX_SPIS;
	for (unsigned r = 0; r < ROUNDS; r++) {
		make_pending(0);
		uint64_t t0 = bench_now_ns();
		for (uint32_t i = 0; i < n; i++)
			bench_sink((uint64_t)(uintptr_t)hv_vgic_inject_spi(&f->vm, 32u + i, true));
		uint64_t t1 = bench_now_ns();
		per[r] = (double)(t1 - t0) / n;
	}
	return bench_median(per, ROUNDS);
}

static double bench_flush_sync(unsigned n)
{
	struct hv_vcpu *v = &f->vcpus[0];
	double per[ROUNDS];
	make_pending(n);
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned e = 0; e < ENTRIES; e++) {
			hv_vgic_flush(v);
			hv_vgic_sync(v);
		}
		uint64_t t1 = bench_now_ns();
		per[r] = (double)(t1 - t0) / ENTRIES;
	}
	bench_sink(v->ctx.gic.lr[0]);
	return bench_median(per, ROUNDS);
}

static double bench_churn(unsigned n)
{
	struct hv_vcpu *v = &f->vcpus[0];
	double per[ROUNDS];
	make_pending(n);
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned e = 0; e < ENTRIES; e++) {
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
		per[r] = (double)(t1 - t0) / ENTRIES;
	}
	return bench_median(per, ROUNDS);
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
	double inject = bench_inject();
	double fs[4], ch[4];
	for (unsigned i = 0; i < 4; i++) {
		unsigned n = sizes[i] > HV_VGIC_MAX_INTID ? HV_VGIC_MAX_INTID : sizes[i];
		fs[i] = bench_flush_sync(n);
		ch[i] = bench_churn(n);
	}
	bench_json_begin();
	bench_json_num("inject_ns", inject);
	for (unsigned i = 0; i < 4; i++)
		bench_json_num(keys[i], fs[i]);
	for (unsigned i = 0; i < 4; i++)
		bench_json_num(churn_keys[i], ch[i]);
	bench_json_num("lrs", 4);
	bench_json_end();
	free(f);
	return 0;
}
