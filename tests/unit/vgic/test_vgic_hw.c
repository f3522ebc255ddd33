/* SPDX-License-Identifier: Apache-2.0 */
/* core/vgic: hardware-mapped interrupts (hv_vgic_map_hw). The LR carries
 * HW (bit 61) and the pINTID (bits 41:32) instead of EOI (GIC spec 12.5.11),
 * so the guest's deactivation needs no maintenance exit; unmapping brings
 * the purely virtual encoding back; hostile arguments change nothing. */
#include <criterion/criterion.h>
#include "vgic_fixture.h"

static struct vgic_fixture *f;
static struct hv_vcpu *v0, *v1;

static void setup(void)
{
	f = vf_new(2, 64, 4);
	cr_assert_not_null(f);
	v0 = &f->vcpus[0];
	v1 = &f->vcpus[1];
	vf_enable_groups(f);
}

static void teardown(void)
{
	free(f);
}

TestSuite(vgic_hw, .init = setup, .fini = teardown);

static bool lr_hw(uint64_t lr)
{
	return (lr >> 61) & 1u;
}

static uint32_t lr_pintid(uint64_t lr)
{
	return (uint32_t)((lr >> 32) & 0x3ffu);
}

static uint64_t lr_of(struct hv_vcpu *v, uint32_t intid)
{
	for (unsigned i = 0; i < v->ctx.gic.nr_lrs_used; i++)
		if ((v->ctx.gic.lr[i] >> 62) && (v->ctx.gic.lr[i] & HV_ICH_LR_VINTID_MASK) == intid)
			return v->ctx.gic.lr[i];
	return 0;
}

static void assert_invariant(struct hv_vcpu *v)
{
	cr_assert(hv_vgic_check_invariant(v, NULL));
}

Test(vgic_hw, level_ppi_lr_has_hw_and_pintid_and_no_maintenance)
{
	vf_setup_irq(f, 0, 27, 0xa0, false);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 29), HV_OK);
	cr_assert_eq(hv_vgic_inject_ppi(v0, 27, true), v0);
	uint32_t maint_before = v0->vgic.stat_maint;
	hv_vgic_flush(v0);
	uint64_t lr = lr_of(v0, 27);
	cr_assert_eq(lr >> 62, 1, "pending");
	cr_assert(lr_hw(lr), "HW bit 61");
	cr_assert_eq(lr_pintid(lr), 29, "pINTID in bits 41:32");
	cr_assert_eq(lr & HV_ICH_LR_EOI, 0, "no EOI maintenance (bit 41 is pINTID's)");
	cr_assert_eq((lr >> 48) & 0xff, 0xa0);
	cr_assert(lr & HV_ICH_LR_GROUP1);
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN, "no maintenance interrupt requested");
	cr_assert_eq(v0->vgic.stat_maint, maint_before);
	assert_invariant(v0);

	cr_assert_eq(vf_guest_ack(v0), 27);
	hv_vgic_sync(v0);
	cr_assert(hv_vgic_irq_active(v0, 27));
	hv_vgic_flush(v0);
	lr = lr_of(v0, 27);
	cr_assert_eq(lr >> 62, 2, "active only: line high but not re-pended");
	cr_assert(lr_hw(lr) && lr_pintid(lr) == 29);
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN);

	/* The guest quietens its source, then deactivates: the hardware
	 * deactivates physical INTID 29, no exit. */
	cr_assert_eq(vf_guest_eoi(v0, 27), 29);
	hv_vgic_sync(v0);
	cr_assert_not(hv_vgic_irq_active(v0, 27));
	/* The runtime re-drives the line after the exit, before the flush. */
	cr_assert_null(hv_vgic_inject_ppi(v0, 27, false));
	hv_vgic_flush(v0);
	cr_assert_eq(lr_of(v0, 27), 0, "LR freed, nothing pending");
	cr_assert_eq(v0->ctx.gic.hcr, HV_ICH_HCR_EN);
	assert_invariant(v0);
}

Test(vgic_hw, level_line_still_high_after_deactivation_pends_again)
{
	vf_setup_irq(f, 0, 27, 0x80, false);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 27), HV_OK);
	hv_vgic_inject_ppi(v0, 27, true);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_guest_ack(v0), 27);
	cr_assert_eq(vf_guest_eoi(v0, 27), 27);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	uint64_t lr = lr_of(v0, 27);
	cr_assert_eq(lr >> 62, 1, "level still high: pending again");
	cr_assert(lr_hw(lr) && lr_pintid(lr) == 27);
}

Test(vgic_hw, line_dropped_before_ack_retires_the_lr)
{
	/* The guest masked its source (e.g. CNTV_CTL.IMASK) before taking it. */
	vf_setup_irq(f, 0, 27, 0x80, false);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 27), HV_OK);
	hv_vgic_inject_ppi(v0, 27, true);
	hv_vgic_flush(v0);
	hv_vgic_sync(v0);
	hv_vgic_inject_ppi(v0, 27, false);
	hv_vgic_flush(v0);
	cr_assert_eq(lr_of(v0, 27), 0);
	cr_assert_not(hv_vgic_irq_active(v0, 27));
	assert_invariant(v0);
}

Test(vgic_hw, spi_high_pintid_fills_bits_41_to_32)
{
	vf_setup_irq(f, 1, 40, 0x40, false);
	cr_assert_eq(hv_vgic_map_hw(v1, 40, 1019), HV_OK);
	cr_assert_eq(hv_vgic_inject_spi(&f->vm, 40, true), v1);
	hv_vgic_flush(v1);
	uint64_t lr = lr_of(v1, 40);
	cr_assert(lr_hw(lr));
	cr_assert_eq(lr_pintid(lr), 1019);
	cr_assert_eq((lr >> 42) & 7u, 0, "pINTID bits above 41 stay 0");
	cr_assert_eq(lr & HV_ICH_LR_VINTID_MASK, 40);
	cr_assert_eq(v1->ctx.gic.hcr, HV_ICH_HCR_EN);
	cr_assert_eq(vf_guest_ack(v1), 40);
	cr_assert_eq(vf_guest_eoi(v1, 40), 1019);
}

Test(vgic_hw, edge_never_active_and_pending_in_an_hw_lr)
{
	vf_setup_irq(f, 0, 45, 0x80, true);
	cr_assert_eq(hv_vgic_map_hw(v0, 45, 100), HV_OK);
	hv_vgic_inject_spi(&f->vm, 45, true);
	hv_vgic_flush(v0);
	cr_assert_eq(vf_guest_ack(v0), 45);
	cr_assert_eq(hv_vgic_inject_spi(&f->vm, 45, true), v0, "new edge while active");
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(lr_of(v0, 45) >> 62, 2, "active only: the new edge waits in the model");
	cr_assert_eq(vf_guest_eoi(v0, 45), 100);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(lr_of(v0, 45) >> 62, 1, "then delivered");
	cr_assert(lr_hw(lr_of(v0, 45)));
	cr_assert_eq(vf_guest_ack(v0), 45);
	cr_assert_eq(vf_guest_eoi(v0, 45), 100);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(lr_of(v0, 45), 0, "exactly twice");
}

Test(vgic_hw, unmap_restores_eoi_maintenance)
{
	vf_setup_irq(f, 0, 27, 0x80, false);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 27), HV_OK);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 27), HV_OK);
	hv_vgic_inject_ppi(v0, 27, true);
	hv_vgic_flush(v0);
	uint64_t lr = lr_of(v0, 27);
	cr_assert_not(lr_hw(lr));
	cr_assert(lr & HV_ICH_LR_EOI, "purely virtual level: EOI maintenance again");
	cr_assert_eq((lr >> 32) & 0x1ffu, 0, "no pINTID");
	cr_assert_eq(vf_guest_ack(v0), 27);
	cr_assert_eq(vf_guest_eoi(v0, 27), HV_VGIC_SPURIOUS, "no physical deactivation");
	/* And it can be mapped again once out of the LRs. */
	hv_vgic_inject_ppi(v0, 27, false);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 27), HV_OK);
}

Test(vgic_hw, per_vcpu_ppi_mappings_are_independent)
{
	vf_setup_irq(f, 0, 27, 0x80, false);
	vf_setup_irq(f, 1, 27, 0x80, false);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 27), HV_OK);
	cr_assert_eq(hv_vgic_map_hw(v1, 27, 27), HV_OK, "same physical PPI on another CPU");
	cr_assert_eq(hv_vgic_unmap_hw(v1, 27), HV_OK);
	hv_vgic_inject_ppi(v0, 27, true);
	hv_vgic_inject_ppi(v1, 27, true);
	hv_vgic_flush(v0);
	hv_vgic_flush(v1);
	cr_assert(lr_hw(lr_of(v0, 27)));
	cr_assert_not(lr_hw(lr_of(v1, 27)));
	cr_assert(lr_of(v1, 27) & HV_ICH_LR_EOI);
}

Test(vgic_hw, hostile_arguments_are_refused_and_change_nothing)
{
	struct hv_vgic_vcpu before;
	struct hv_vgic spis_before;
	memcpy(&before, &v0->vgic, sizeof(before));
	memcpy(&spis_before, &f->vm.vgic, sizeof(spis_before));
	cr_assert_eq(hv_vgic_map_hw(NULL, 27, 27), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_map_hw(v0, 5, 27), HV_ERR_INVALID, "SGIs are never hardware");
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 5), HV_ERR_INVALID, "nor backed by an SGI");
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 40), HV_ERR_INVALID, "PPI backed by an SPI");
	cr_assert_eq(hv_vgic_map_hw(v0, 40, 27), HV_ERR_INVALID, "SPI backed by a PPI");
	cr_assert_eq(hv_vgic_map_hw(v0, 40, 1020), HV_ERR_INVALID, "special INTIDs");
	cr_assert_eq(hv_vgic_map_hw(v0, 40, 1023), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_map_hw(v0, 40, 0xffffffffu), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_map_hw(v0, 32 + 64, 100), HV_ERR_INVALID, "SPI not created");
	cr_assert_eq(hv_vgic_map_hw(v0, 1020, 100), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_map_hw(v0, 0xffffffffu, 100), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_unmap_hw(NULL, 27), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 3), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 2000), HV_ERR_INVALID);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 27), HV_ERR_NOT_FOUND);
	cr_assert_eq(memcmp(&before, &v0->vgic, sizeof(before)), 0);
	cr_assert_eq(memcmp(&spis_before, &f->vm.vgic, sizeof(spis_before)), 0);

	/* A vCPU whose vGIC is not set up. */
	struct hv_vcpu lone;
	memset(&lone, 0, sizeof(lone));
	lone.vm = &f->vm;
	cr_assert_eq(hv_vgic_map_hw(&lone, 27, 27), HV_ERR_STATE);
	cr_assert_not(hv_vgic_irq_active(&lone, 27));
	cr_assert_not(hv_vgic_irq_active(NULL, 27));
	cr_assert_not(hv_vgic_irq_active(v0, 5000));
}

Test(vgic_hw, conflicts_and_in_flight_refusals)
{
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 27), HV_OK);
	cr_assert_eq(hv_vgic_map_hw(v0, 27, 26), HV_ERR_EXISTS, "mapped already");
	cr_assert_eq(hv_vgic_map_hw(v0, 26, 27), HV_ERR_EXISTS, "pINTID backs PPI 27 already");
	cr_assert_eq(hv_vgic_map_hw(v0, 40, 300), HV_OK);
	cr_assert_eq(hv_vgic_map_hw(v1, 41, 300), HV_ERR_EXISTS, "pINTID backs SPI 40 already");
	cr_assert_eq(v1->vgic.private_irqs[27].hw_intid, 0);
	cr_assert_eq(f->vm.vgic.spis[41 - 32].hw_intid, 0);

	/* In an LR: refused both ways, the LR keeps its meaning. */
	vf_setup_irq(f, 0, 27, 0x80, false);
	hv_vgic_inject_ppi(v0, 27, true);
	hv_vgic_flush(v0);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 27), HV_ERR_STATE, "pending in an LR");
	cr_assert_eq(vf_guest_ack(v0), 27);
	hv_vgic_sync(v0);
	hv_vgic_inject_ppi(v0, 27, false);
	hv_vgic_flush(v0);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 27), HV_ERR_STATE, "active");
	cr_assert(lr_hw(lr_of(v0, 27)));
	cr_assert_eq(vf_guest_eoi(v0, 27), 27);
	hv_vgic_sync(v0);
	hv_vgic_flush(v0);
	cr_assert_eq(hv_vgic_unmap_hw(v0, 27), HV_OK, "out of the LRs and inactive");

	/* Active without an LR (GICD_ISACTIVER): refused too. */
	vf_write(f, VF_DIST + 0x300 + 4, 4, 1u << (42 - 32));
	cr_assert(hv_vgic_irq_active(v0, 42));
	cr_assert_eq(hv_vgic_map_hw(v0, 42, 301), HV_ERR_STATE);
	cr_assert_eq(f->vm.vgic.spis[42 - 32].hw_intid, 0);
}
