/* SPDX-License-Identifier: Apache-2.0 */
/* core/vgic: injection, the list-register scheduler (flush/sync), its
 * invariant, maintenance requests, level semantics and EOIcount. */
#include <criterion/criterion.h>
#include "vgic_fixture.h"

static struct vgic_fixture *f;
static struct hv_vcpu *v0;

static void setup(void)
{
	f = vf_new(2, 64, 4);
	cr_assert_not_null(f);
	v0 = &f->vcpus[0];
	vf_enable_groups(f);
}

static void teardown(void)
{
	free(f);
}

TestSuite(vgic_sched, .init = setup, .fini = teardown);

static void assert_invariant(struct hv_vcpu *v)
{
	struct hv_vgic_invariant_report r;
	bool ok = hv_vgic_check_invariant(v, &r);
	cr_assert(ok, "invariant: free %u waiting %u best %u worst_lr %u dup %u", r.free_lrs,
	          r.waiting, r.best_waiting_prio, r.worst_pending_lr, r.duplicate_lr_intid);
}

Test(vgic_sched, edge_spi_inject_flush_ack_eoi_cycle)
{
	vf_setup_irq(f, 0, 40, 0x80, true);
	cr_assert_eq(hv_vgic_inject_spi(&f->vm, 40, true), v0, "wakes its target");
	cr_assert_null(hv_vgic_inject_spi(&f->vm, 40, true), "already pending: nobody to wake");
	cr_assert(hv_vgic_vcpu_has_pending(v0) == false, "PMR 0 masks everything");
	v0->ctx.gic.vmcr = (0xffu << HV_ICH_VMCR_VPMR_SHIFT) | HV_ICH_VMCR_VENG1;
	cr_assert(hv_vgic_vcpu_has_pending(v0));

	hv_vgic_flush(v0);
	assert_invariant(v0);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 1);
	uint64_t lr = v0->ctx.gic.lr[0];
	cr_assert_eq(lr & HV_ICH_LR_VINTID_MASK, 40);
	cr_assert_eq((lr >> 48) & 0xff, 0x80);
	cr_assert(lr & HV_ICH_LR_GROUP1);
	cr_assert_eq(lr >> 62, 1, "pending");
	cr_assert_eq(lr & (HV_ICH_LR_EOI | HV_ICH_LR_HW), 0, "edge: no EOI maintenance");
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN, "nothing waits: no maintenance");

	cr_assert_eq(vf_guest_ack(v0), 40);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 40), 2, "stays active in its LR");
	vf_guest_eoi(v0, 40);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 40), -1, "deactivated: LR freed");
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 1, "the freed LR is written once more...");
	cr_assert_eq(v0->ctx.gic.lr[0], 0, "...as invalid, so no stale LR stays in hardware");
	cr_assert_eq(vf_guest_ack(v0), HV_VGIC_SPURIOUS, "delivered exactly once");
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 0, "then no LR at all");
}

Test(vgic_sched, edge_while_active_becomes_active_pending)
{
	vf_setup_irq(f, 0, 33, 0x40, true);
	hv_vgic_inject_spi(&f->vm, 33, true);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_guest_ack(v0), 33);
	/* a new edge while the guest runs with it active */
	cr_assert_eq(hv_vgic_inject_spi(&f->vm, 33, true), v0, "LR must be refreshed");
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 33), 3, "active and pending");
	vf_guest_eoi(v0, 33);
	cr_assert_eq(vf_guest_ack(v0), 33, "taken again");
	vf_guest_eoi(v0, 33);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 33), -1);
	assert_invariant(v0);
}

Test(vgic_sched, edge_not_acked_survives_exits)
{
	vf_setup_irq(f, 0, 34, 0x40, true);
	hv_vgic_inject_spi(&f->vm, 34, true);
	for (int i = 0; i < 5; i++) {
		hv_vgic_flush(v0);
		cr_assert_eq(vf_lr_state(v0, 34), 1);
		hv_vgic_sync(v0);
	}
	/* the pending bit reads back through GICD_ISPENDR between exits */
	cr_assert_eq(vf_read(f, VF_DIST + 0x200 + 4, 4) & (1u << 2), 1u << 2);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_guest_ack(v0), 34);
	hv_vgic_sync(v0);
	cr_assert_eq(vf_read(f, VF_DIST + 0x200 + 4, 4) & (1u << 2), 0, "consumed by the ack");
}

Test(vgic_sched, level_line_semantics)
{
	vf_setup_irq(f, 0, 50, 0x60, false);
	cr_assert_eq(hv_vgic_inject_spi(&f->vm, 50, true), v0);
	hv_vgic_flush(v0);
	uint64_t lr = v0->ctx.gic.lr[0];
	cr_assert_eq(lr >> 62, 1);
	cr_assert(lr & HV_ICH_LR_EOI, "level: maintenance on EOI to re-sample");
	cr_assert_eq(vf_guest_ack(v0), 50);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 50), 2, "line still high but not re-pended while active");
	vf_guest_eoi(v0, 50);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 50), 1, "EOI re-samples: line high -> pending again");
	/* line falls before the guest takes it: the interrupt retires */
	cr_assert_null(hv_vgic_inject_spi(&f->vm, 50, false));
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 50), -1, "pending retired with the line");
	cr_assert_eq(vf_read(f, VF_DIST + 0x200 + 4, 4) & (1u << 18), 0);
	assert_invariant(v0);
}

Test(vgic_sched, level_queued_line_drop_dequeues)
{
	vf_setup_irq(f, 0, 51, 0x60, false);
	hv_vgic_inject_spi(&f->vm, 51, true);
	cr_assert_eq(v0->vgic.pending.count, 1);
	hv_vgic_inject_spi(&f->vm, 51, false);
	cr_assert_eq(v0->vgic.pending.count, 0);
	hv_vgic_flush(v0);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 0);
}

Test(vgic_sched, level_software_pending_consumed_by_ack)
{
	vf_setup_irq(f, 0, 52, 0x60, false);
	vf_write(f, VF_DIST + 0x200 + 4, 4, 1u << 20); /* ISPENDR */
	hv_vgic_flush(v0);
	cr_assert_eq(vf_guest_ack(v0), 52);
	vf_guest_eoi(v0, 52);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 52), -1, "latch consumed, line low: inactive");
}

Test(vgic_sched, priority_order_and_overflow_maintenance)
{
	/* 8 interrupts, 4 LRs: the 4 best go in, UIE/NPIE are requested. */
	static const uint8_t prio[8] = {0xa0, 0x20, 0xf0, 0x40, 0x10, 0x80, 0x30, 0x90};
	for (unsigned i = 0; i < 8; i++) {
		vf_setup_irq(f, 0, 32 + i, prio[i], true);
		hv_vgic_inject_spi(&f->vm, 32 + i, true);
	}
	hv_vgic_flush(v0);
	assert_invariant(v0);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 4);
	cr_assert_neq(vf_lr_state(v0, 36), -1); /* 0x10 */
	cr_assert_neq(vf_lr_state(v0, 33), -1); /* 0x20 */
	cr_assert_neq(vf_lr_state(v0, 38), -1); /* 0x30 */
	cr_assert_neq(vf_lr_state(v0, 35), -1); /* 0x40 */
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN | HV_ICH_HCR_UIE | HV_ICH_HCR_NPIE);

	/* the guest drains them in priority order across exits */
	uint32_t order[8];
	unsigned got = 0;
	for (int round = 0; round < 20 && got < 8; round++) {
		uint32_t intid = vf_guest_ack(v0);
		if (intid == HV_VGIC_SPURIOUS) {
			hv_vgic_sync(v0);
			hv_vgic_flush(v0);
			assert_invariant(v0);
			continue;
		}
		order[got++] = intid;
		vf_guest_eoi(v0, intid);
	}
	cr_assert_eq(got, 8);
	for (unsigned i = 1; i < 8; i++)
		cr_assert_lt(prio[order[i - 1] - 32], prio[order[i] - 32] + 1, "order at %u", i);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN);
}

Test(vgic_sched, higher_priority_evicts_lower_pending_lr)
{
	for (unsigned i = 0; i < 4; i++) {
		vf_setup_irq(f, 0, 40 + i, 0x80, true);
		hv_vgic_inject_spi(&f->vm, 40 + i, true);
	}
	vf_setup_irq(f, 0, 60, 0x10, true);
	hv_vgic_flush(v0);
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN);
	hv_vgic_sync(v0);
	hv_vgic_inject_spi(&f->vm, 60, true);
	hv_vgic_flush(v0);
	assert_invariant(v0);
	cr_assert_eq(vf_lr_state(v0, 60), 1, "the urgent one got an LR");
	cr_assert_eq(v0->vgic.pending.count, 1, "one 0x80 waits");
	cr_assert_eq(vf_guest_ack(v0), 60);
}

Test(vgic_sched, active_lrs_are_never_evicted)
{
	for (unsigned i = 0; i < 4; i++) {
		vf_setup_irq(f, 0, 40 + i, 0x80, true);
		hv_vgic_inject_spi(&f->vm, 40 + i, true);
	}
	hv_vgic_flush(v0);
	for (unsigned i = 0; i < 4; i++)
		vf_guest_ack(v0); /* all four active (nested) */
	hv_vgic_sync(v0);
	vf_setup_irq(f, 0, 61, 0x00, true);
	hv_vgic_inject_spi(&f->vm, 61, true);
	hv_vgic_flush(v0);
	assert_invariant(v0);
	cr_assert_eq(vf_lr_state(v0, 61), -1, "no room: actives keep their LRs");
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN | HV_ICH_HCR_UIE,
	             "underflow only: NPIE with no pending LR would fire forever");
	vf_guest_eoi(v0, 40);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 61), 1);
}

Test(vgic_sched, disable_and_clear_pending_pull_out_of_lr)
{
	vf_setup_irq(f, 0, 45, 0x80, true);
	vf_setup_irq(f, 0, 46, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 45, true);
	hv_vgic_inject_spi(&f->vm, 46, true);
	hv_vgic_flush(v0);
	hv_vgic_sync(v0);
	vf_write(f, VF_DIST + 0x180 + 4, 4, 1u << 13); /* ICENABLER 45 */
	vf_write(f, VF_DIST + 0x280 + 4, 4, 1u << 14); /* ICPENDR 46 */
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 45), -1);
	cr_assert_eq(vf_lr_state(v0, 46), -1);
	hv_vgic_sync(v0);
	vf_write(f, VF_DIST + 0x100 + 4, 4, 1u << 13); /* ISENABLER 45: still pending */
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 45), 1);
	assert_invariant(v0);
}

Test(vgic_sched, disabled_or_group_disabled_not_delivered)
{
	vf_setup_irq(f, 0, 47, 0x80, true);
	vf_write(f, VF_DIST + 0x180 + 4, 4, 1u << 15);
	cr_assert_null(hv_vgic_inject_spi(&f->vm, 47, true), "disabled: latched, no wake");
	hv_vgic_flush(v0);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 0);
	hv_vgic_sync(v0);
	vf_write(f, VF_DIST + 0x0, 4, 0x1); /* Group 1 off */
	vf_write(f, VF_DIST + 0x100 + 4, 4, 1u << 15);
	hv_vgic_flush(v0);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used, 0);
	hv_vgic_sync(v0);
	cr_assert_eq(f->kicks[0], 0);
	vf_write(f, VF_DIST + 0x0, 4, 0x3);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 47), 1);
}

Test(vgic_sched, priority_change_requeues)
{
	vf_setup_irq(f, 0, 40, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 40, true);
	cr_assert(v0->vgic.pending.levels & (1u << (0x80 >> 3)));
	vf_write(f, VF_DIST + 0x400 + 40, 1, 0x18);
	cr_assert_eq(v0->vgic.pending.levels, 1u << 3);
	hv_vgic_flush(v0);
	cr_assert_eq((v0->ctx.gic.lr[0] >> 48) & 0xff, 0x18);
	hv_vgic_sync(v0);
	vf_write(f, VF_DIST + 0x400 + 40, 1, 0xff);
	hv_vgic_flush(v0);
	cr_assert_eq((v0->ctx.gic.lr[0] >> 48) & 0xff, 0xf8, "5 priority bits");
}

Test(vgic_sched, reroute_moves_pending_spi)
{
	struct hv_vcpu *v1 = &f->vcpus[1];
	vf_setup_irq(f, 0, 40, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 40, true);
	cr_assert_eq(v0->vgic.pending.count, 1);
	vf_write(f, VF_DIST + 0x6000 + 8 * 40, 8, 1); /* IROUTER -> Aff0 1 */
	cr_assert_eq(v0->vgic.pending.count, 0);
	cr_assert_eq(v1->vgic.pending.count, 1);
	cr_assert_eq(f->kicks[1], 1, "new target kicked");
	/* unrouted affinity: held, delivered nowhere */
	vf_write(f, VF_DIST + 0x6000 + 8 * 40, 8, 7);
	cr_assert_eq(v1->vgic.pending.count, 0);
	hv_vgic_flush(v0);
	hv_vgic_flush(v1);
	cr_assert_eq(v0->ctx.gic.nr_lrs_used + v1->ctx.gic.nr_lrs_used, 0);
}

Test(vgic_sched, eoicount_deactivates_active_outside_lrs)
{
	vf_setup_irq(f, 0, 44, 0x80, true);
	vf_write(f, VF_DIST + 0x300 + 4, 4, 1u << 12); /* ISACTIVER 44 */
	cr_assert_eq(f->vm.vgic.active_outside, 1);
	hv_vgic_flush(v0);
	cr_assert(v0->ctx.gic.hcr & HV_ICH_HCR_LRENPIE);
	vf_guest_eoi(v0, 44); /* in no LR: EOIcount */
	cr_assert_eq(v0->ctx.gic.hcr >> HV_ICH_HCR_EOICOUNT_SHIFT, 1);
	hv_vgic_sync(v0);
	cr_assert_eq(f->vm.vgic.active_outside, 0);
	cr_assert_eq(vf_read(f, VF_DIST + 0x300 + 4, 4) & (1u << 12), 0);
	cr_assert_eq(v0->ctx.gic.hcr & HV_ICH_HCR_EOICOUNT_MASK, 0);
}

Test(vgic_sched, ppi_level_and_bad_intids)
{
	vf_setup_irq(f, 0, HV_VGIC_VTIMER_INTID, 0x20, false);
	cr_assert_eq(hv_vgic_inject_ppi(v0, HV_VGIC_VTIMER_INTID, true), v0);
	cr_assert_null(hv_vgic_inject_ppi(v0, 32, true));
	cr_assert_null(hv_vgic_inject_spi(&f->vm, 31, true));
	cr_assert_null(hv_vgic_inject_spi(&f->vm, 32 + 64, true), "beyond nr_spis");
	cr_assert_null(hv_vgic_inject_spi(&f->vm, 0xffffffffu, true));
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 27), 1);
	cr_assert_eq(vf_lr_state(&f->vcpus[1], 27), -1, "PPIs are per vCPU");
}

Test(vgic_sched, flush_twice_does_not_lose_pending)
{
	vf_setup_irq(f, 0, 40, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 40, true);
	hv_vgic_flush(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 40), 1);
	hv_vgic_sync(v0);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 40), 1);
	assert_invariant(v0);
}

Test(vgic_sched, many_pending_only_lrs_worth)
{
	hv_vgic_flush(v0);
	hv_vgic_sync(v0);
	for (uint32_t i = 32; i < 96; i++) {
		vf_setup_irq(f, 0, i, (uint8_t)(0xf8 - (i % 31) * 8), true);
		hv_vgic_inject_spi(&f->vm, i, true);
	}
	unsigned seen = 0;
	for (int round = 0; round < 200 && seen < 64; round++) {
		hv_vgic_flush(v0);
		assert_invariant(v0);
		uint32_t intid;
		while ((intid = vf_guest_ack(v0)) != HV_VGIC_SPURIOUS) {
			vf_guest_eoi(v0, intid);
			seen++;
		}
		hv_vgic_sync(v0);
	}
	cr_assert_eq(seen, 64, "each delivered once");
	cr_assert_eq(v0->vgic.pending.count, 0);
}

Test(vgic_sched, init_errors)
{
	struct vgic_fixture *g = malloc(sizeof(*g));
	cr_assert_eq(vf_init(g, 1, 989, 4), HV_ERR_INVALID);
	cr_assert_eq(g->vm.mmio.nr, 0, "nothing registered");
	cr_assert_eq(vf_init(g, 1, 988, 4), HV_OK);
	struct hv_vgic_config cfg = {.dist_base = hv_ipa(0x1000), .redist_base = hv_ipa(0x100000)};
	cr_assert_eq(hv_vgic_init(&g->vm, &cfg), HV_ERR_STATE);
	cr_assert_eq(hv_vgic_vcpu_init(&g->vcpus[0]), HV_ERR_STATE, "twice");
	memset(g, 0, sizeof(*g));
	hv_mmio_bus_init(&g->vm.mmio);
	g->vm.nr_vcpus = 1;
	cr_assert_eq(hv_vgic_init(&g->vm, &cfg), HV_ERR_INVALID, "unaligned GICD");
	cfg.dist_base = hv_ipa(0x100000);
	cr_assert_eq(hv_vgic_init(&g->vm, &cfg), HV_ERR_EXISTS, "GICD overlaps GICR");
	cr_assert_eq(g->vm.mmio.nr, 0, "rolled back");
	cr_assert(!g->vm.vgic.initialized);
	free(g);
}

Test(vgic_sched, reroute_of_spi_in_running_vcpus_lr)
{
	struct hv_vcpu *v1 = &f->vcpus[1];
	vf_setup_irq(f, 0, 40, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 40, true);
	hv_vgic_flush(v0); /* vCPU 0 runs with SPI 40 pending in an LR */
	cr_assert_eq(vf_lr_state(v0, 40), 1);
	uint64_t val = 1; /* IROUTER write by vCPU 1 */
	cr_assert_eq(
	    hv_mmio_bus_access(&f->vm.mmio, v1, hv_ipa(VF_DIST + 0x6000 + 8 * 40), 8, true, &val),
	    HV_OK);
	cr_assert_eq(f->kicks[0], 1, "the running holder is made to exit");
	cr_assert_eq(v1->vgic.pending.count, 0, "not delivered twice meanwhile");
	hv_vgic_sync(v0); /* the guest did not take it */
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 40), -1, "left vCPU 0");
	cr_assert_eq(v1->vgic.pending.count, 1, "queued on its new target");
	cr_assert_eq(f->kicks[1], 1);
	hv_vgic_flush(v1);
	cr_assert_eq(vf_lr_state(v1, 40), 1);
	assert_invariant(v0);
	assert_invariant(v1);
}

Test(vgic_sched, reroute_of_spi_in_exited_vcpus_lr_moves_at_once)
{
	struct hv_vcpu *v1 = &f->vcpus[1];
	vf_setup_irq(f, 0, 41, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 41, true);
	hv_vgic_flush(v0);
	hv_vgic_sync(v0); /* vCPU 0 exited; 41 still sits in its LR */
	vf_write(f, VF_DIST + 0x6000 + 8 * 41, 8, 1);
	cr_assert_eq(v0->ctx.gic.lr[0], 0, "taken back from the LR shadow");
	cr_assert_eq(v1->vgic.pending.count, 1);
	cr_assert_eq(f->kicks[1], 1);
	hv_vgic_flush(v1);
	cr_assert_eq(vf_lr_state(v1, 41), 1);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_lr_state(v0, 41), -1);
}

Test(vgic_sched, has_pending_follows_cpu_interface_masks)
{
	vf_setup_irq(f, 0, 40, 0x80, true); /* Group 1 */
	hv_vgic_inject_spi(&f->vm, 40, true);
	v0->ctx.gic.vmcr = (0xffu << HV_ICH_VMCR_VPMR_SHIFT) | HV_ICH_VMCR_VENG0;
	cr_assert(!hv_vgic_vcpu_has_pending(v0), "Group 1 disabled at the CPU interface");
	v0->ctx.gic.vmcr = (0x80u << HV_ICH_VMCR_VPMR_SHIFT) | HV_ICH_VMCR_VENG1;
	cr_assert(!hv_vgic_vcpu_has_pending(v0), "priority 0x80 not above PMR 0x80");
	v0->ctx.gic.vmcr = (0x88u << HV_ICH_VMCR_VPMR_SHIFT) | HV_ICH_VMCR_VENG1;
	cr_assert(hv_vgic_vcpu_has_pending(v0));
	v0->ctx.gic.ap1r[0] = 1u << (0x80 >> 3);
	cr_assert(!hv_vgic_vcpu_has_pending(v0), "running priority 0x80 blocks it");
	v0->ctx.gic.ap1r[0] = 0;
	hv_vgic_flush(v0); /* now from the LR */
	cr_assert(hv_vgic_vcpu_has_pending(v0));
	v0->ctx.gic.vmcr &= ~(uint32_t)HV_ICH_VMCR_VENG1;
	cr_assert(!hv_vgic_vcpu_has_pending(v0));
}
