/* SPDX-License-Identifier: Apache-2.0 */
/* The GICv3 virtual CPU interface model over the LR shadow (GIC spec
 * IHI 0069: 11.1 virtual CPU interface, 12.4.6 ICH_LR<n>_EL2). */
#include <criterion/criterion.h>
#include <hv/sysreg.h>
#include <hvsim/gic_cpuif.h>

static struct hv_gic_cpuif gic;

static uint64_t lr(uint32_t intid, unsigned prio, bool group1, uint64_t state)
{
	return intid | ((uint64_t)prio << SIM_LR_PRIO_SHIFT) | (group1 ? SIM_LR_GROUP1 : 0) | state;
}

static uint64_t rd(uint32_t id)
{
	uint64_t v = 0xdeadbeef;
	enum sim_gic_access a = sim_gic_sysreg(&gic, id, true, &v);
	cr_assert(a == SIM_GIC_DONE || a == SIM_GIC_DONE_RESYNC, "read of 0x%x: %d", id, a);
	return v;
}

static void wr(uint32_t id, uint64_t v)
{
	enum sim_gic_access a = sim_gic_sysreg(&gic, id, false, &v);
	cr_assert(a == SIM_GIC_DONE || a == SIM_GIC_DONE_RESYNC, "write of 0x%x: %d", id, a);
}

static void setup(void)
{
	sim_gic_reset(&gic);
	gic.hcr = SIM_HCR_EN;
}
TestSuite(gic_cpuif, .init = setup);

Test(gic_cpuif, masked_until_pmr_and_group_enable)
{
	gic.lr[0] = lr(27, 0xa0, true, SIM_LR_PENDING);
	cr_assert_not(sim_gic_irq_signalled(&gic)); /* PMR 0, group disabled */
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), SIM_GIC_SPURIOUS);
	wr(HV_SYSREG_ICC_PMR_EL1, 0xff);
	cr_assert_eq(rd(HV_SYSREG_ICC_PMR_EL1), 0xf8); /* 5 priority bits */
	cr_assert_not(sim_gic_irq_signalled(&gic));
	wr(HV_SYSREG_ICC_IGRPEN1_EL1, 1);
	cr_assert(sim_gic_irq_signalled(&gic));
	gic.hcr = 0; /* interface disabled */
	cr_assert_not(sim_gic_irq_signalled(&gic));
}

Test(gic_cpuif, acknowledge_eoi_cycle)
{
	wr(HV_SYSREG_ICC_PMR_EL1, 0xff);
	wr(HV_SYSREG_ICC_IGRPEN1_EL1, 1);
	gic.lr[0] = lr(27, 0xa0, true, SIM_LR_PENDING);
	gic.lr[1] = lr(3, 0x80, true, SIM_LR_PENDING);
	cr_assert_eq(rd(HV_SYSREG_ICC_HPPIR1_EL1), 3);
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), 3);      /* higher priority first */
	cr_assert_eq(gic.lr[1] >> SIM_LR_STATE_SHIFT, 2); /* active */
	cr_assert_eq(rd(HV_SYSREG_ICC_RPR_EL1), 0x80);
	/* 27 (0xa0) cannot preempt the running 0x80. */
	cr_assert_not(sim_gic_irq_signalled(&gic));
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), SIM_GIC_SPURIOUS);
	wr(HV_SYSREG_ICC_EOIR1_EL1, 3);
	cr_assert_eq(gic.lr[1] >> SIM_LR_STATE_SHIFT, 0); /* priority drop + deactivate */
	cr_assert_eq(rd(HV_SYSREG_ICC_RPR_EL1), 0xff);
	cr_assert(sim_gic_irq_signalled(&gic));
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), 27);
	wr(HV_SYSREG_ICC_EOIR1_EL1, 27);
	cr_assert_eq(gic.lr[0] >> SIM_LR_STATE_SHIFT, 0);
	sim_gic_update_status(&gic);
	cr_assert_eq(gic.elrsr & 3u, 3u);
}

Test(gic_cpuif, eoimode_split_and_eoicount)
{
	wr(HV_SYSREG_ICC_PMR_EL1, 0xff);
	wr(HV_SYSREG_ICC_IGRPEN1_EL1, 1);
	wr(HV_SYSREG_ICC_CTLR_EL1, 2); /* EOImode: EOIR drops priority only */
	cr_assert_eq(rd(HV_SYSREG_ICC_CTLR_EL1) & 0x703u, 0x402u); /* PRIbits = 4 */
	gic.lr[0] = lr(40, 0x10, true, SIM_LR_PENDING | SIM_LR_EOI);
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), 40);
	wr(HV_SYSREG_ICC_EOIR1_EL1, 40);
	cr_assert_eq(gic.lr[0] >> SIM_LR_STATE_SHIFT, 2); /* still active */
	cr_assert_eq(rd(HV_SYSREG_ICC_RPR_EL1), 0xff);
	wr(HV_SYSREG_ICC_DIR_EL1, 40);
	cr_assert_eq(gic.lr[0] >> SIM_LR_STATE_SHIFT, 0);
	sim_gic_update_status(&gic);
	cr_assert_eq(gic.eisr, 1u); /* EOI maintenance requested by the LR */
	cr_assert(gic.misr & SIM_MISR_EOI);
	/* Deactivating an INTID in no LR counts in ICH_HCR_EL2.EOIcount. */
	wr(HV_SYSREG_ICC_DIR_EL1, 99);
	cr_assert_eq(gic.hcr >> SIM_HCR_EOICOUNT_SHIFT, 1);
	gic.hcr |= SIM_HCR_LRENPIE;
	sim_gic_update_status(&gic);
	cr_assert(gic.misr & SIM_MISR_LRENP);
}

Test(gic_cpuif, groups_and_registers)
{
	wr(HV_SYSREG_ICC_PMR_EL1, 0xff);
	wr(HV_SYSREG_ICC_IGRPEN0_EL1, 1);
	cr_assert_eq(rd(HV_SYSREG_ICC_IGRPEN0_EL1), 1);
	cr_assert_eq(rd(HV_SYSREG_ICC_IGRPEN1_EL1), 0);
	gic.lr[2] = lr(5, 0x40, false, SIM_LR_PENDING);
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), SIM_GIC_SPURIOUS); /* group 0 */
	cr_assert_eq(rd(HV_SYSREG_ICC_HPPIR0_EL1), 5);
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR0_EL1), 5);
	cr_assert_eq(gic.ap0r[0], 1u << (0x40 >> 3));
	wr(HV_SYSREG_ICC_EOIR0_EL1, 5);
	cr_assert_eq(gic.ap0r[0], 0);
	cr_assert_eq(rd(HV_SYSREG_ICC_SRE_EL1), 7);
	cr_assert_eq(rd(HV_SYSREG_ICC_BPR1_EL1), 3); /* minimum with 5 bits */
	wr(HV_SYSREG_ICC_BPR1_EL1, 5);
	cr_assert_eq(rd(HV_SYSREG_ICC_BPR1_EL1), 5);
	wr(HV_SYSREG_ICC_AP1R_EL1(0), 0x10);
	cr_assert_eq(rd(HV_SYSREG_ICC_AP1R_EL1(0)), 0x10);
	cr_assert_eq(rd(HV_SYSREG_ICC_RPR_EL1), 0x20);
	uint64_t v = 0;
	cr_assert_eq(sim_gic_sysreg(&gic, HV_SYSREG_ICC_SGI1R_EL1, false, &v), SIM_GIC_TRAP);
	cr_assert_eq(sim_gic_sysreg(&gic, HV_SYSREG_ICC_IAR1_EL1, false, &v), SIM_GIC_TRAP);
	cr_assert_eq(sim_gic_sysreg(&gic, HV_SYSREG(3, 0, 12, 0, 0), true, &v), SIM_GIC_NOT_MINE);
}

Test(gic_cpuif, pending_and_active_not_acknowledged)
{
	wr(HV_SYSREG_ICC_PMR_EL1, 0xff);
	wr(HV_SYSREG_ICC_IGRPEN1_EL1, 1);
	gic.lr[0] = lr(33, 0x20, true, SIM_LR_PENDING | SIM_LR_ACTIVE);
	cr_assert_not(sim_gic_irq_signalled(&gic));
	cr_assert_eq(rd(HV_SYSREG_ICC_IAR1_EL1), SIM_GIC_SPURIOUS);
	/* Deactivating leaves it pending, and then it is signalled. */
	wr(HV_SYSREG_ICC_EOIR1_EL1, 33);
	cr_assert_eq(gic.lr[0] >> SIM_LR_STATE_SHIFT, 1);
	cr_assert(sim_gic_irq_signalled(&gic));
}
