/* SPDX-License-Identifier: Apache-2.0 */
/* core/vgic: distributor (GICD) register access rules, GIC spec 12.9. */
#include <criterion/criterion.h>
#include "vgic_fixture.h"

static struct vgic_fixture *f;
#define D(off) (VF_DIST + (off))

static void setup(void)
{
	f = vf_new(2, 64, 4); /* SPIs 32..95 */
	cr_assert_not_null(f);
}

static void teardown(void)
{
	free(f);
}

TestSuite(vgic_dist, .init = setup, .fini = teardown);

Test(vgic_dist, ctlr_are_and_ds_are_rao_wi_group_enables_rw)
{
	cr_assert_eq(vf_read(f, D(0), 4), 0x50, "ARE | DS, groups off at reset");
	cr_assert_eq(vf_write(f, D(0), 4, 0xffffffffu), HV_OK);
	cr_assert_eq(vf_read(f, D(0), 4), 0x53, "only EnableGrp0/1 stick; RWP reads 0");
	vf_write(f, D(0), 4, 0);
	cr_assert_eq(vf_read(f, D(0), 4), 0x50, "ARE cannot be cleared");
}

Test(vgic_dist, typer_iidr_pidr2)
{
	uint32_t typer = (uint32_t)vf_read(f, D(4), 4);
	cr_assert_eq(typer & 0x1f, 2, "ITLinesNumber: 96 INTIDs -> 2");
	cr_assert_eq((typer >> 5) & 7, 1, "CPUNumber = vCPUs - 1");
	cr_assert_eq((typer >> 19) & 0x1f, 9, "IDbits: 10-bit INTIDs");
	cr_assert_eq(typer & (1u << 17), 0, "no LPIs");
	cr_assert(typer & (1u << 25), "No1N");
	cr_assert_eq(vf_read(f, D(8), 4), 0x4800043b);
	cr_assert_eq(vf_read(f, D(0xffe8), 4) & 0xf0, 0x30, "ArchRev GICv3 (Linux checks)");
	cr_assert_eq(vf_read(f, D(0xfff0), 4), 0x0d);
	cr_assert_eq(vf_read(f, D(0xfffc), 4), 0xb1);
	vf_write(f, D(4), 4, 0);
	cr_assert_eq(vf_read(f, D(4), 4), typer, "read-only");
}

Test(vgic_dist, typer_max_spis)
{
	struct vgic_fixture *g = vf_new(1, 988, 4);
	cr_assert_eq(vf_read(g, D(4), 4) & 0x1f, 31, "1020 INTIDs -> ITLinesNumber 31");
	vf_write(g, D(0x6000 + 8 * 1019), 8, 0);
	cr_assert_eq(vf_read(g, D(0x6000 + 8 * 1019), 8), 0);
	vf_write(g, D(0x100 + 4 * 31), 4, 0xffffffffu);
	cr_assert_eq(vf_read(g, D(0x100 + 4 * 31), 4), 0x0fffffffu, "INTIDs 1020..1023 RAZ/WI");
	free(g);
}

Test(vgic_dist, set_clear_enable_pairs)
{
	cr_assert_eq(vf_read(f, D(0x104), 4), 0);
	vf_write(f, D(0x100 + 4), 4, 0x80000001u);
	cr_assert_eq(vf_read(f, D(0x104), 4), 0x80000001u);
	cr_assert_eq(vf_read(f, D(0x184), 4), 0x80000001u, "ICENABLER reads the same state");
	vf_write(f, D(0x100 + 4), 4, 0x2); /* zeros have no effect */
	cr_assert_eq(vf_read(f, D(0x104), 4), 0x80000003u);
	vf_write(f, D(0x180 + 4), 4, 0x80000000u);
	cr_assert_eq(vf_read(f, D(0x104), 4), 0x3);
}

Test(vgic_dist, private_banks_are_raz_wi_with_are)
{
	vf_write(f, D(0x100), 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, D(0x100), 4), 0);
	vf_write(f, D(0x80), 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, D(0x80), 4), 0);
	vf_write(f, D(0x400), 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, D(0x400), 4), 0);
	cr_assert_eq(vf_read(f, D(0xc00), 4), 0);
	cr_assert_eq(vf_read(f, D(0xc04), 4), 0);
	cr_assert_eq(f->vcpus[0].vgic.private_irqs[0].flags & 1, 0, "GICR state untouched");
}

Test(vgic_dist, nonexistent_spis_raz_wi)
{
	vf_write(f, D(0x100 + 12), 4, 0xffffffffu); /* INTIDs 96..127 */
	cr_assert_eq(vf_read(f, D(0x10c), 4), 0);
	vf_write(f, D(0x400 + 100), 1, 0x80);
	cr_assert_eq(vf_read(f, D(0x400 + 100), 1), 0);
	vf_write(f, D(0x6000 + 8 * 100), 8, 1);
	cr_assert_eq(vf_read(f, D(0x6000 + 8 * 100), 8), 0);
}

Test(vgic_dist, igroupr_rw)
{
	vf_write(f, D(0x84), 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, D(0x84), 4), 0xffffffffu);
	vf_write(f, D(0x84), 4, 0x0000ffffu);
	cr_assert_eq(vf_read(f, D(0x84), 4), 0x0000ffffu, "IGROUPR is plain RW");
}

Test(vgic_dist, ipriorityr_byte_and_word)
{
	vf_write(f, D(0x400 + 32), 4, 0x11223344u);
	cr_assert_eq(vf_read(f, D(0x400 + 32), 4), 0x10203040u, "5 bits implemented");
	cr_assert_eq(vf_read(f, D(0x400 + 34), 1), 0x20);
	vf_write(f, D(0x400 + 35), 1, 0xff);
	cr_assert_eq(vf_read(f, D(0x400 + 32), 4), 0xf8203040u);
	vf_write(f, D(0x400 + 32), 2, 0); /* halfword: RAZ/WI */
	cr_assert_eq(vf_read(f, D(0x400 + 32), 2), 0);
	cr_assert_eq(vf_read(f, D(0x400 + 32), 4), 0xf8203040u);
	vf_write(f, D(0x400 + 32), 8, 0); /* doubleword: RAZ/WI */
	cr_assert_eq(vf_read(f, D(0x400 + 32), 4), 0xf8203040u);
}

Test(vgic_dist, word_registers_refuse_other_widths)
{
	vf_write(f, D(0x104), 1, 0xff);
	cr_assert_eq(vf_read(f, D(0x104), 4), 0, "byte write to ISENABLER ignored");
	vf_write(f, D(0x104), 4, 0xff);
	cr_assert_eq(vf_read(f, D(0x104), 1), 0, "byte read RAZ");
	cr_assert_eq(vf_read(f, D(0), 2), 0);
}

Test(vgic_dist, icfgr_edge_bits)
{
	vf_write(f, D(0xc08), 4, 0xffffffffu);
	cr_assert_eq(vf_read(f, D(0xc08), 4), 0xaaaaaaaau, "Int_config[0] is RES0");
	vf_write(f, D(0xc08), 4, 0x2);
	cr_assert_eq(vf_read(f, D(0xc08), 4), 0x2);
	cr_assert(f->vm.vgic.spis[0].flags & 0x20);
	cr_assert_eq(f->vm.vgic.spis[1].flags & 0x20, 0);
}

Test(vgic_dist, irouter_64_and_32bit_halves)
{
	uint64_t r = D(0x6000 + 8 * 40);
	cr_assert_eq(vf_read(f, r, 8), 0);
	vf_write(f, r, 8, UINT64_C(0xff0000aaff80ffff));
	cr_assert_eq(vf_read(f, r, 8), UINT64_C(0x000000aa0080ffff), "IRM and RES0 bits dropped");
	vf_write(f, r, 4, 0x1);
	vf_write(f, r + 4, 4, 0);
	cr_assert_eq(vf_read(f, r, 8), 1);
	cr_assert_eq(vf_read(f, r + 4, 4), 0);
	cr_assert_eq(vf_read(f, r, 4), 1);
	cr_assert_eq(f->vm.vgic.spis[8].target, 1, "routed to Aff0 1");
	vf_write(f, r, 2, 0);
	cr_assert_eq(vf_read(f, r, 8), 1, "16-bit WI");
	cr_assert_eq(vf_read(f, D(0x6000), 8), 0, "IROUTER<0..31> reserved");
}

Test(vgic_dist, pending_and_active_set_clear)
{
	vf_write(f, D(0x204), 4, 0x5);
	cr_assert_eq(vf_read(f, D(0x204), 4), 0x5);
	cr_assert_eq(vf_read(f, D(0x284), 4), 0x5);
	vf_write(f, D(0x284), 4, 0x1);
	cr_assert_eq(vf_read(f, D(0x204), 4), 0x4);
	vf_write(f, D(0x304), 4, 0x8);
	cr_assert_eq(vf_read(f, D(0x304), 4), 0x8);
	vf_write(f, D(0x384), 4, 0x8);
	cr_assert_eq(vf_read(f, D(0x384), 4), 0);
	cr_assert_eq(f->vm.vgic.active_outside, 0);
}

Test(vgic_dist, level_pending_reads_line)
{
	vf_write(f, D(0x104), 4, 1u << 10);
	hv_vgic_inject_spi(&f->vm, 42, true);
	cr_assert_eq(vf_read(f, D(0x204), 4), 1u << 10);
	vf_write(f, D(0x284), 4, 1u << 10);
	cr_assert_eq(vf_read(f, D(0x204), 4), 1u << 10, "ICPENDR cannot clear a high line");
	hv_vgic_inject_spi(&f->vm, 42, false);
	cr_assert_eq(vf_read(f, D(0x204), 4), 0);
}

Test(vgic_dist, reserved_and_legacy_raz_wi)
{
	static const uint32_t offs[] = {0x0010, 0x000c, 0x0040, 0x0800, 0x0820, 0x0d00,
	                                0x0e00, 0x0f00, 0x0f10, 0x0f20, 0x5000, 0xffd0};
	for (unsigned i = 0; i < sizeof(offs) / sizeof(offs[0]); i++) {
		cr_assert_eq(vf_write(f, D(offs[i]), 4, 0xffffffffu), HV_OK);
		cr_assert_eq(vf_read(f, D(offs[i]), 4), 0, "offset %#x", offs[i]);
	}
	cr_assert_eq(vf_read(f, D(0x0800 + 40), 1), 0, "ITARGETSR byte RAZ");
}

Test(vgic_dist, misaligned_access_refused_by_bus)
{
	uint64_t v = 0;
	cr_assert_eq(hv_mmio_bus_access(&f->vm.mmio, &f->vcpus[0], hv_ipa(D(0x102)), 4, false, &v),
	             HV_ERR_INVALID);
}

Test(vgic_dist, ctlr_enable_releases_held_interrupts)
{
	vf_setup_irq(f, 1, 40, 0x80, true);
	hv_vgic_inject_spi(&f->vm, 40, true);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 0, "group disabled: held");
	vf_write(f, D(0), 4, 0x2);
	cr_assert_eq(f->vcpus[1].vgic.pending.count, 1);
	cr_assert_eq(f->kicks[1], 1, "its target (not the writer) kicked");
	cr_assert_eq(f->kicks[0], 0);
}
