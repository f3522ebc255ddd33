/* SPDX-License-Identifier: Apache-2.0 */
/* core/vgic: redistributors (GICR, GIC spec 12.10/12.11), SGI generation
 * from ICC_SGI1R_EL1 (12.2.22), the exit wiring. */
#include <criterion/criterion.h>
#include "vgic_fixture.h"

static struct vgic_fixture *f;
#define RD(cpu, off) (VF_REDIST + (cpu)*HV_VGIC_REDIST_SIZE + (off))

static void setup(void)
{
	f = vf_new(3, 32, 4);
	cr_assert_not_null(f);
	vf_enable_groups(f);
}

static void teardown(void)
{
	free(f);
}

TestSuite(vgic_redist, .init = setup, .fini = teardown);

Test(vgic_redist, typer_affinity_number_last)
{
	for (unsigned i = 0; i < 3; i++) {
		uint64_t t = vf_read(f, RD(i, 8), 8);
		cr_assert_eq(t >> 32, i, "Affinity_Value");
		cr_assert_eq((t >> 8) & 0xffff, i, "Processor_Number");
		cr_assert_eq((t >> 4) & 1, i == 2, "Last on the last one only");
		cr_assert_eq(t & 1, 0, "no LPIs");
		cr_assert_eq(vf_read(f, RD(i, 0xc), 4), i, "upper half alone");
		cr_assert_eq(vf_read(f, RD(i, 8), 4), (uint32_t)t, "lower half alone");
	}
	cr_assert_eq(vf_read(f, RD(0, 0xffe8), 4) & 0xf0, 0x30, "GICR_PIDR2 ArchRev 3");
	cr_assert_eq(vf_read(f, RD(0, 4), 4), 0x4800043b);
}

Test(vgic_redist, typer_affinity_from_mpidr)
{
	struct vgic_fixture *g = malloc(sizeof(*g));
	memset(g, 0, sizeof(*g));
	hv_mmio_bus_init(&g->vm.mmio);
	g->vm.nr_vcpus = 1;
	g->vm.vcpus[0] = &g->vcpus[0];
	g->vcpus[0].vm = &g->vm;
	g->vcpus[0].ctx.el1.mpidr_el1 = UINT64_C(0x0000000580030201);
	struct hv_vgic_config cfg = {.dist_base = hv_ipa(VF_DIST),
	                             .redist_base = hv_ipa(VF_REDIST)};
	cr_assert_eq(hv_vgic_init(&g->vm, &cfg), HV_OK);
	cr_assert_eq(hv_vgic_vcpu_init(&g->vcpus[0]), HV_OK);
	cr_assert_eq(vf_read(g, RD(0, 8), 8) >> 32, 0x05030201u);
	cr_assert_eq(g->vcpus[0].ctx.gic.nr_lrs, 4, "nr_lrs 0 taken as 4");
	free(g);
}

Test(vgic_redist, waker_sleep_handshake)
{
	cr_assert_eq(vf_read(f, RD(1, 0x14), 4), 0x6, "asleep at reset");
	vf_write(f, RD(1, 0x14), 4, 0);
	cr_assert_eq(vf_read(f, RD(1, 0x14), 4), 0, "awake: ChildrenAsleep follows");
	cr_assert_eq(vf_read(f, RD(0, 0x14), 4), 0x6, "banked per redistributor");
	vf_write(f, RD(1, 0x14), 4, 0x4);
	cr_assert_eq(vf_read(f, RD(1, 0x14), 4), 0, "ChildrenAsleep read-only");
}

Test(vgic_redist, rd_frame_lpi_registers_raz_wi)
{
	static const uint32_t offs[] = {0x0, 0x10, 0x70, 0x78, 0xa0, 0xb0};
	for (unsigned i = 0; i < 6; i++) {
		vf_write(f, RD(0, offs[i]), 4, 0xffffffffu);
		cr_assert_eq(vf_read(f, RD(0, offs[i]), 4), 0, "offset %#x", offs[i]);
	}
	cr_assert_eq(vf_read(f, RD(0, 0x70), 8), 0);
	vf_write(f, RD(0, 8), 8, 0);
	cr_assert_eq(vf_read(f, RD(0, 8), 8) >> 32, 0, "TYPER read-only");
	cr_assert_eq(vf_read(f, RD(2, 8), 8) >> 32, 2);
}

Test(vgic_redist, sgi_frame_banks_are_per_vcpu)
{
	uint64_t s1 = vf_sgi(1);
	vf_write(f, s1 + 0x80, 4, 0xffffffffu);
	vf_write(f, s1 + 0x100, 4, 0x0000ffffu);
	cr_assert_eq(vf_read(f, s1 + 0x80, 4), 0xffffffffu);
	cr_assert_eq(vf_read(f, s1 + 0x100, 4), 0x0000ffffu);
	cr_assert_eq(vf_read(f, vf_sgi(0) + 0x100, 4), 0);
	vf_write(f, s1 + 0x180, 4, 0x1);
	cr_assert_eq(vf_read(f, s1 + 0x100, 4), 0xfffeu);
	vf_write(f, s1 + 0x400 + 27, 1, 0xa0);
	cr_assert_eq(vf_read(f, s1 + 0x418, 4), 0xa0000000u);
	vf_write(f, s1 + 0x41c, 4, 0x80808080u);
	cr_assert_eq(vf_read(f, s1 + 0x41c, 4), 0x80808080u);
	cr_assert_eq(vf_read(f, s1 + 0x41c, 2), 0, "halfword RAZ");
}

Test(vgic_redist, icfgr0_sgi_readonly_icfgr1_ppi_rw)
{
	uint64_t s0 = vf_sgi(0);
	cr_assert_eq(vf_read(f, s0 + 0xc00, 4), 0xaaaaaaaau, "SGIs edge");
	vf_write(f, s0 + 0xc00, 4, 0);
	cr_assert_eq(vf_read(f, s0 + 0xc00, 4), 0xaaaaaaaau, "read-only");
	cr_assert_eq(vf_read(f, s0 + 0xc04, 4), 0, "PPIs level at reset");
	vf_write(f, s0 + 0xc04, 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, s0 + 0xc04, 4), 0xaaaaaaaau);
	cr_assert_eq(vf_read(f, s0 + 0xd00, 4), 0, "IGRPMODR0 RAZ");
	cr_assert_eq(vf_read(f, s0 + 0xe00, 4), 0, "NSACR RAZ");
}

Test(vgic_redist, beyond_last_vcpu_unclaimed)
{
	uint64_t v = 0;
	cr_assert_eq(hv_mmio_bus_access(&f->vm.mmio, &f->vcpus[0], hv_ipa(RD(3, 8)), 8, false, &v),
	             HV_ERR_NOT_FOUND, "no fourth redistributor");
}

static void sgi1r(struct hv_vcpu *from, uint64_t v)
{
	cr_assert_eq(hv_vgic_sysreg_access(from, HV_SYSREG_ICC_SGI1R_EL1, true, &v), HV_OK);
}

Test(vgic_redist, sgi1r_target_list_wakes_only_targets)
{
	for (unsigned c = 0; c < 3; c++)
		vf_setup_irq(f, c, 3, 0x80, true);
	sgi1r(&f->vcpus[0], (UINT64_C(3) << 24) | 0x4); /* to Aff0 2 */
	cr_assert_eq(f->kicks[2], 1);
	cr_assert_eq(f->kicks[1] + f->kicks[0], 0);
	cr_assert_eq(f->vcpus[2].vgic.pending.count, 1);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 0);
	sgi1r(&f->vcpus[0], (UINT64_C(3) << 24) | 0x1); /* to self */
	cr_assert_eq(f->kicks[0], 0, "the sender is not kicked");
	cr_assert_eq(f->vcpus[0].vgic.pending.count, 1);
	hv_vgic_flush(&f->vcpus[2]);
	cr_assert_eq(vf_lr_state(&f->vcpus[2], 3), 1);
}

Test(vgic_redist, sgi1r_broadcast_excludes_self)
{
	for (unsigned c = 0; c < 3; c++)
		vf_setup_irq(f, c, 5, 0x80, true);
	sgi1r(&f->vcpus[1], (UINT64_C(5) << 24) | (UINT64_C(1) << 40));
	cr_assert_eq(f->vcpus[0].vgic.pending.count, 1);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 0);
	cr_assert_eq(f->vcpus[2].vgic.pending.count, 1);
	cr_assert_eq(f->kicks[0] + f->kicks[2], 2);
}

Test(vgic_redist, sgi1r_affinity_mismatch_and_range_selector)
{
	vf_setup_irq(f, 1, 1, 0x80, true);
	sgi1r(&f->vcpus[0], (UINT64_C(1) << 24) | (UINT64_C(1) << 16) | 0x2); /* Aff1 1 */
	sgi1r(&f->vcpus[0], (UINT64_C(1) << 24) | (UINT64_C(1) << 44) | 0x2); /* RS 1 */
	sgi1r(&f->vcpus[0], (UINT64_C(1) << 24) | (UINT64_C(1) << 48) | 0x2); /* Aff3 1 */
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 0);
	sgi1r(&f->vcpus[0], (UINT64_C(1) << 24) | 0x2);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 1);
}

Test(vgic_redist, sgi_group_must_match_register)
{
	vf_setup_irq(f, 1, 2, 0x80, true); /* Group 1 */
	uint64_t v = (UINT64_C(2) << 24) | 0x2;
	cr_assert_eq(hv_vgic_sysreg_access(&f->vcpus[0], HV_SYSREG_ICC_SGI0R_EL1, true, &v), HV_OK);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 0, "SGI0R raises Group 0 only");
	cr_assert_eq(hv_vgic_sysreg_access(&f->vcpus[0], HV_SYSREG_ICC_ASGI1R_EL1, true, &v),
	             HV_OK);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 0, "ASGI1R: WI with one Security state");
	cr_assert_eq(hv_vgic_sysreg_access(&f->vcpus[0], HV_SYSREG_ICC_SGI1R_EL1, false, &v),
	             HV_ERR_NOT_SUPPORTED, "write-only");
	cr_assert_eq(hv_vgic_sysreg_access(&f->vcpus[0], HV_SYSREG_ICC_SRE_EL1, false, &v), HV_OK);
	cr_assert_eq(v, 7);
	cr_assert_eq(hv_vgic_sysreg_access(&f->vcpus[0], HV_SYSREG_ICC_PMR_EL1, false, &v),
	             HV_ERR_NOT_SUPPORTED, "served by ICV_* hardware, never trapped");
}

Test(vgic_redist, linux_style_bringup_delivers_timer_ppi)
{
	struct hv_vcpu *v = &f->vcpus[0];
	/* distributor: groups off, all SPIs Group 1, priority 0xa0, disabled */
	vf_write(f, VF_DIST, 4, 0);
	vf_write(f, VF_DIST + 0x84, 4, 0xffffffffu);
	for (unsigned i = 32; i < 64; i += 4)
		vf_write(f, VF_DIST + 0x400 + i, 4, 0xa0a0a0a0u);
	vf_write(f, VF_DIST + 0x184, 4, 0xffffffffu);
	vf_write(f, VF_DIST, 4, 0x3); /* ARE_NS | Grp1A | Grp1 */
	/* redistributor: wake, SGI/PPI config */
	vf_write(f, RD(0, 0x14), 4, 0);
	cr_assert_eq(vf_read(f, RD(0, 0x14), 4) & 4, 0);
	uint64_t s = vf_sgi(0);
	vf_write(f, s + 0x80, 4, 0xffffffffu);
	vf_write(f, s + 0x180, 4, 0xffff0000u);
	vf_write(f, s + 0x100, 4, 0x0000ffffu);
	for (unsigned i = 0; i < 32; i += 4)
		vf_write(f, s + 0x400 + i, 4, 0xa0a0a0a0u);
	vf_write(f, s + 0x100, 4, 1u << 27);
	v->ctx.gic.vmcr = (0xf0u << HV_ICH_VMCR_VPMR_SHIFT) | HV_ICH_VMCR_VENG1;
	cr_assert_eq(hv_vgic_inject_ppi(v, 27, true), v);
	cr_assert(hv_vgic_vcpu_has_pending(v));
	hv_vgic_flush(v);
	cr_assert_eq(vf_guest_ack(v), 27);
	hv_vgic_inject_ppi(v, 27, false); /* the guest reprograms the timer */
	vf_guest_eoi(v, 27);
	hv_vgic_sync(v);
	cr_assert(!hv_vgic_vcpu_has_pending(v));
	hv_vgic_flush(v);
	cr_assert_eq(v->ctx.gic.lr[0], 0);
	hv_vgic_sync(v);
	hv_vgic_flush(v);
	cr_assert_eq(v->ctx.gic.nr_lrs_used, 0);
}

struct lock_probe {
	int depth, max_depth, locks, kicks_locked;
};

static void probe_lock(void *o)
{
	struct lock_probe *p = o;
	p->depth++;
	p->locks++;
	if (p->depth > p->max_depth)
		p->max_depth = p->depth;
}

static void probe_unlock(void *o)
{
	((struct lock_probe *)o)->depth--;
}

static struct lock_probe *kick_probe;
static void probe_kick(struct hv_vcpu *t, void *o)
{
	(void)t;
	(void)o;
	if (kick_probe->depth == 1)
		kick_probe->kicks_locked++;
}

Test(vgic_redist, lock_hooks_wrap_every_entry_point)
{
	struct vgic_fixture *g = malloc(sizeof(*g));
	struct lock_probe p = {0};
	kick_probe = &p;
	memset(g, 0, sizeof(*g));
	hv_mmio_bus_init(&g->vm.mmio);
	g->vm.nr_vcpus = 2;
	for (unsigned i = 0; i < 2; i++) {
		g->vm.vcpus[i] = &g->vcpus[i];
		g->vcpus[i].vm = &g->vm;
		g->vcpus[i].id = i;
		g->vcpus[i].ctx.el1.mpidr_el1 = i;
	}
	struct hv_vgic_config cfg = {.dist_base = hv_ipa(VF_DIST),
	                             .redist_base = hv_ipa(VF_REDIST),
	                             .nr_spis = 32,
	                             .kick = probe_kick,
	                             .lock = probe_lock,
	                             .lock_opaque = &p};
	cr_assert_eq(hv_vgic_init(&g->vm, &cfg), HV_ERR_INVALID, "lock without unlock");
	cfg.unlock = probe_unlock;
	cr_assert_eq(hv_vgic_init(&g->vm, &cfg), HV_OK);
	cr_assert_eq(hv_vgic_vcpu_init(&g->vcpus[0]), HV_OK);
	cr_assert_eq(hv_vgic_vcpu_init(&g->vcpus[1]), HV_OK);
	vf_enable_groups(g);
	vf_setup_irq(g, 1, 40, 0x80, true);
	vf_setup_irq(g, 1, 3, 0x80, true);
	int before = p.locks;
	hv_vgic_inject_spi(&g->vm, 40, true);
	uint64_t v = (UINT64_C(3) << 24) | 0x2;
	hv_vgic_sysreg_access(&g->vcpus[0], HV_SYSREG_ICC_SGI1R_EL1, true, &v);
	hv_vgic_flush(&g->vcpus[1]);
	hv_vgic_sync(&g->vcpus[1]);
	(void)hv_vgic_vcpu_has_pending(&g->vcpus[1]);
	cr_assert_eq(p.locks - before, 5, "one lock per entry point");
	cr_assert_eq(p.depth, 0, "balanced");
	cr_assert_eq(p.max_depth, 1, "never taken recursively");
	cr_assert_geq(p.kicks_locked, 1, "kick runs under the lock");
	/* affinity follows MPIDR, read live */
	g->vcpus[1].ctx.el1.mpidr_el1 = UINT64_C(0x80000105);
	cr_assert_eq(vf_read(g, RD(1, 8), 8) >> 32, 0x105);
	free(g);
}

Test(vgic_redist, sgi_frame_pending_active_banks)
{
	uint64_t s = vf_sgi(2);
	vf_write(f, s + 0x200, 4, 0x00010003u); /* ISPENDR0: SGI 0, 1, PPI 16 */
	cr_assert_eq(vf_read(f, s + 0x200, 4), 0x00010003u);
	cr_assert_eq(vf_read(f, s + 0x280, 4), 0x00010003u);
	cr_assert_eq(vf_read(f, vf_sgi(1) + 0x200, 4), 0, "banked");
	vf_write(f, s + 0x280, 4, 0x1);
	cr_assert_eq(vf_read(f, s + 0x200, 4), 0x00010002u);
	vf_write(f, s + 0x300, 4, 0x80000000u); /* ISACTIVER0: PPI 31 */
	cr_assert_eq(vf_read(f, s + 0x300, 4), 0x80000000u);
	cr_assert_eq(vf_read(f, s + 0x380, 4), 0x80000000u);
	cr_assert_eq(f->vm.vgic.active_outside, 1);
	vf_write(f, s + 0x380, 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, s + 0x300, 4), 0);
	cr_assert_eq(f->vm.vgic.active_outside, 0);
	vf_write(f, s + 0x200, 2, 0xffff);
	cr_assert_eq(vf_read(f, s + 0x200, 4), 0x00010002u, "halfword WI");
}

Test(vgic_redist, gicr_enable_delivers_pending_ppi)
{
	struct hv_vcpu *v = &f->vcpus[1];
	uint64_t s = vf_sgi(1);
	vf_write(f, s + 0x80, 4, 1u << 20);
	vf_write(f, s + 0x400 + 20, 1, 0x40);
	vf_write(f, s + 0x200, 4, 1u << 20); /* pending while disabled */
	cr_assert_eq(v->vgic.pending.count, 0);
	vf_write(f, s + 0x100, 4, 1u << 20);
	cr_assert_eq(v->vgic.pending.count, 1);
	cr_assert_eq(f->kicks[1], 1, "its vCPU kicked by vCPU 0's write");
	hv_vgic_flush(v);
	cr_assert_eq(vf_lr_state(v, 20), 1);
	cr_assert(v->ctx.gic.lr[0] & HV_ICH_LR_EOI, "PPI level by default: EOI maintenance");
}

Test(vgic_redist, eoicount_picks_highest_priority_active_outside)
{
	struct hv_vcpu *v = &f->vcpus[0];
	uint64_t s = vf_sgi(0);
	vf_write(f, s + 0x400 + 20, 1, 0x60);
	vf_write(f, s + 0x400 + 21, 1, 0x20);
	vf_write(f, s + 0x300, 4, (1u << 20) | (1u << 21));
	hv_vgic_flush(v);
	cr_assert(v->ctx.gic.hcr & HV_ICH_HCR_LRENPIE);
	vf_guest_eoi(v, 21);
	hv_vgic_sync(v);
	cr_assert_eq(vf_read(f, s + 0x300, 4), 1u << 20, "0x20 (21) deactivated first");
	hv_vgic_flush(v);
	vf_guest_eoi(v, 20);
	vf_guest_eoi(v, 20); /* more EOIs than active interrupts: ignored */
	hv_vgic_sync(v);
	cr_assert_eq(vf_read(f, s + 0x300, 4), 0);
	hv_vgic_flush(v);
	cr_assert_eq(v->ctx.gic.hcr & HV_ICH_HCR_LRENPIE, 0);
}

Test(vgic_redist, isactiver_on_lr_resident_becomes_active_in_lr)
{
	struct hv_vcpu *v = &f->vcpus[0];
	vf_setup_irq(f, 0, 40, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 40, true);
	hv_vgic_flush(v);
	hv_vgic_sync(v);
	vf_write(f, VF_DIST + 0x304, 4, 1u << 8);
	hv_vgic_flush(v);
	cr_assert_eq(vf_lr_state(v, 40), 3, "edge: active and still pending");
	cr_assert_eq(f->vm.vgic.active_outside, 0, "in an LR: not outside");
	vf_guest_eoi(v, 40);
	cr_assert_eq(vf_guest_ack(v), 40);
	vf_guest_eoi(v, 40);
	hv_vgic_sync(v);
	hv_vgic_flush(v);
	cr_assert_eq(vf_lr_state(v, 40), -1);
}
