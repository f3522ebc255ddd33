/* SPDX-License-Identifier: Apache-2.0 */
/* Virtual timer register semantics, line level, offset, migration, wrap;
 * the EL1 physical timer (CNTP_*): emulated per vCPU with the same math and
 * no offset, PPI 30 through the vGIC, its deadline for runtimes and in the
 * idle hand-off record. */
#include <criterion/criterion.h>
#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/sysreg.h>
#include <hv/vm.h>
#include <hv/vgic.h>
#include <hvsim/arch_sim.h>
#include <string.h>

static struct hv_vm vm;
static struct hv_vcpu vcpus[2];

static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(vcpus, 0, sizeof(vcpus));
	sim_arch_reset();
	sim_counter_set_freq(62500000);
	sim_counter_set(1000000);
	cr_assert_eq(hv_vtimer_vm_init(&vm, 400000), HV_OK);
	vm.nr_vcpus = 2;
	for (unsigned i = 0; i < 2; i++) {
		vcpus[i].vm = &vm;
		vcpus[i].id = i;
		vm.vcpus[i] = &vcpus[i];
		hv_vtimer_vcpu_init(&vcpus[i]);
	}
}

static uint64_t rd(struct hv_vcpu *v, uint32_t reg)
{
	uint64_t val = 0xdead;
	cr_assert_eq(hv_vtimer_sysreg_access(v, reg, false, &val), HV_OK);
	return val;
}

static void wr(struct hv_vcpu *v, uint32_t reg, uint64_t val)
{
	cr_assert_eq(hv_vtimer_sysreg_access(v, reg, true, &val), HV_OK);
}

TestSuite(vtimer, .init = setup);

/* The VM's vGIC and both vCPUs' interfaces, as a runtime sets them up. */
static void vgic_up(void)
{
	struct hv_vgic_config cfg = {.dist_base = hv_ipa(0x8000000),
	                             .redist_base = hv_ipa(0x80a0000),
	                             .nr_spis = 32,
	                             .nr_vcpus = 2};
	hv_mmio_bus_init(&vm.mmio);
	cr_assert_eq(hv_vgic_init(&vm, &cfg), HV_OK);
	for (unsigned i = 0; i < 2; i++)
		cr_assert_eq(hv_vgic_vcpu_init(&vcpus[i]), HV_OK);
}

Test(vtimer, virtual_count_is_physical_minus_vm_offset)
{
	cr_assert_eq(vcpus[1].ctx.timer.cntvoff_el2, 400000);
	cr_assert_eq(rd(&vcpus[0], HV_SYSREG_CNTVCT_EL0), 600000);
	cr_assert_eq(rd(&vcpus[0], HV_SYSREG_CNTPCT_EL0), 1000000);
	cr_assert_eq(rd(&vcpus[0], HV_SYSREG_CNTFRQ_EL0), 62500000);
	sim_counter_advance(5);
	cr_assert_eq(rd(&vcpus[1], HV_SYSREG_CNTVCT_EL0), 600005);
}

Test(vtimer, cval_condition_istatus_and_line)
{
	struct hv_vcpu *v = &vcpus[0];
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, 600100);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CTL_EL0), HV_CNTV_CTL_ENABLE);
	cr_assert_not(v->vtimer.line);
	sim_counter_advance(99);
	cr_assert_null(hv_vtimer_update(v));
	cr_assert_not(v->vtimer.line);
	sim_counter_advance(1); /* count == CVAL: met */
	cr_assert_eq(hv_vtimer_update(v), v);
	cr_assert(v->vtimer.line);
	cr_assert(v->ctx.timer.cntv_ctl_el0 & HV_CNTV_CTL_ISTATUS);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CTL_EL0), HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_ISTATUS);
	cr_assert_null(hv_vtimer_update(v)); /* no change: no second edge */
	/* IMASK drops the line, ISTATUS stays. */
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	cr_assert_not(v->vtimer.line);
	cr_assert(rd(v, HV_SYSREG_CNTV_CTL_EL0) & HV_CNTV_CTL_ISTATUS);
	/* Disable: ISTATUS reads 0. */
	wr(v, HV_SYSREG_CNTV_CTL_EL0, 0);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CTL_EL0), 0);
	/* The other vCPU's timer is untouched. */
	cr_assert_eq(vcpus[1].ctx.timer.cntv_ctl_el0, 0);
	cr_assert_not(vcpus[1].vtimer.line);
}

Test(vtimer, ctl_write_ignores_istatus_and_reserved_bits)
{
	struct hv_vcpu *v = &vcpus[0];
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, UINT64_MAX);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, ~0ull);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CTL_EL0), HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
}

Test(vtimer, tval_read_and_write_are_signed_32_bit)
{
	struct hv_vcpu *v = &vcpus[0];
	wr(v, HV_SYSREG_CNTV_TVAL_EL0, 1000);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CVAL_EL0), 601000);
	sim_counter_advance(400);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_TVAL_EL0), 600);
	sim_counter_advance(1000); /* past the deadline: TVAL is negative */
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_TVAL_EL0), (uint32_t)-400);
	/* A negative TVAL write puts CVAL in the past; upper bits are ignored. */
	wr(v, HV_SYSREG_CNTV_TVAL_EL0, 0xffffffff00000000ull | (uint32_t)-10);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CVAL_EL0), 601400 - 10);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	cr_assert(v->vtimer.line); /* the write itself re-evaluated the line */
}

Test(vtimer, refusals)
{
	struct hv_vcpu *v = &vcpus[0];
	uint64_t val = 5;
	cr_assert_eq(hv_vtimer_sysreg_access(v, HV_SYSREG_CNTVCT_EL0, true, &val), HV_ERR_DENIED);
	cr_assert_eq(hv_vtimer_sysreg_access(v, HV_SYSREG_CNTFRQ_EL0, true, &val), HV_ERR_DENIED);
	cr_assert_eq(hv_vtimer_sysreg_access(v, HV_SYSREG_CNTPCT_EL0, true, &val), HV_ERR_DENIED);
	cr_assert_eq(hv_vtimer_sysreg_access(v, HV_SYSREG_CNTKCTL_EL1, true, &val),
	             HV_ERR_NOT_SUPPORTED);
	cr_assert_eq(hv_vtimer_sysreg_access(v, HV_SYSREG_ICC_PMR_EL1, false, &val),
	             HV_ERR_NOT_SUPPORTED);
	cr_assert_eq(hv_vtimer_sysreg_access(NULL, HV_SYSREG_CNTVCT_EL0, false, &val),
	             HV_ERR_INVALID);
	cr_assert_eq(hv_vtimer_sysreg_access(v, HV_SYSREG_CNTVCT_EL0, false, NULL), HV_ERR_INVALID);
	cr_assert_eq(val, 5);
	cr_assert_eq(v->ctx.timer.cntv_ctl_el0, 0);
	cr_assert_eq(v->ctx.timer.cntv_cval_el0, 0);
}

Test(vtimer, trapped_msr_through_exit_dispatch)
{
	struct hv_vcpu *v = &vcpus[0];
	v->ctx.regs.pc = 0x1000;
	v->ctx.regs.x[3] = 0x1234;
	/* MSR CNTV_CVAL_EL0, X3: EC 0x18, IL, Op0 3 Op2 2 Op1 3 CRn 14 Rt 3 CRm 3. */
	uint64_t iss =
	    (3ull << 20) | (2ull << 17) | (3ull << 14) | (14ull << 10) | (3ull << 5) | (3ull << 1);
	v->ctx.exit.esr_el2 = (0x18ull << 26) | (1ull << 25) | iss;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.timer.cntv_cval_el0, 0x1234);
	cr_assert_eq(v->ctx.regs.pc, 0x1004);
	/* MRS X4, CNTVCT_EL0 (Op2 2, CRm 0, direction read). */
	iss = (3ull << 20) | (2ull << 17) | (3ull << 14) | (14ull << 10) | (4ull << 5) | 1;
	v->ctx.exit.esr_el2 = (0x18ull << 26) | (1ull << 25) | iss;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[4], 600000);
}

Test(vtimer, migration_record_targets_owner_and_converts_delay)
{
	struct hv_vcpu *v = &vcpus[1];
	struct hv_vtimer_migration m;
	hv_vtimer_migrate(v, &m);
	cr_assert_not(m.migrate);                       /* disabled: nothing to arm */
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, 600000 + 62500); /* 1 ms ahead at 62.5 MHz */
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	hv_vtimer_migrate(v, &m);
	cr_assert(m.migrate);
	cr_assert_eq(m.vcpu_id, 1);
	cr_assert_eq(m.offset, 400000);
	cr_assert_eq(m.delay_ticks, 62500);
	cr_assert_eq(m.delay_ns, 1000000);
	cr_assert_eq(m.deadline_pct, 1000000 + 62500);
	/* Masked: no host timer (the line can't rise). */
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	hv_vtimer_migrate(v, &m);
	cr_assert_not(m.migrate);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	/* The host timer fires early: nothing to wake. */
	sim_counter_advance(62499);
	cr_assert_null(hv_vtimer_expire(v));
	/* The deadline passes after the line was last driven (between an idle
	 * exit and the record): still a wake-up, due now, not "no timer" (a
	 * host would then sleep through it: the lost wake-up of the nested
	 * 2-vCPU Linux guest). */
	sim_counter_advance(1);
	hv_vtimer_migrate(v, &m);
	cr_assert(m.migrate);
	cr_assert_eq(m.delay_ticks, 0);
	cr_assert_eq(m.delay_ns, 0);
	/* At the deadline the expiry wakes only v. */
	cr_assert_eq(hv_vtimer_expire(v), v);
	cr_assert_not(vcpus[0].vtimer.line);
	hv_vtimer_migrate(v, &m);
	cr_assert_not(m.migrate); /* line asserted: the interrupt is in the vGIC */
}

Test(vtimer, physical_deadline_wraps_with_offset)
{
	/* The VM started just before the physical counter wraps. */
	struct hv_vcpu *v = &vcpus[0];
	sim_counter_set(UINT64_MAX - 99);
	cr_assert_eq(hv_vtimer_vm_init(&vm, UINT64_MAX - 199), HV_OK);
	hv_vtimer_vcpu_init(v);
	cr_assert_eq(hv_vtimer_count(v), 100);
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, 100 + 1000);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	struct hv_vtimer_migration m;
	hv_vtimer_migrate(v, &m);
	cr_assert(m.migrate);
	cr_assert_eq(m.delay_ticks, 1000);
	cr_assert_eq(m.deadline_pct, 900); /* UINT64_MAX - 99 + 1000, mod 2^64 */
	cr_assert_eq(m.delay_ns, 16000);
	sim_counter_advance(999); /* physical count wrapped to 899 */
	cr_assert_eq(hv_vtimer_count(v), 1099);
	cr_assert_null(hv_vtimer_update(v));
	sim_counter_advance(1);
	cr_assert_eq(hv_vtimer_update(v), v);
	/* The virtual counter itself wrapping: an offset above the count. */
	sim_counter_set(10);
	cr_assert_eq(hv_vtimer_vm_init(&vm, 20), HV_OK);
	hv_vtimer_vcpu_init(v);
	cr_assert_eq(hv_vtimer_count(v), UINT64_MAX - 9);
	wr(v, HV_SYSREG_CNTV_TVAL_EL0, 5);
	cr_assert_eq(rd(v, HV_SYSREG_CNTV_CVAL_EL0), UINT64_MAX - 4);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	hv_vtimer_migrate(v, &m);
	cr_assert_eq(m.delay_ticks, 5);
	cr_assert_eq(m.deadline_pct, 15);
}

Test(vtimer, vm_init_refuses_zero_frequency)
{
	sim_counter_set_freq(0);
	struct hv_vm other;
	memset(&other, 0, sizeof(other));
	other.vtimer.cntvoff = 77;
	cr_assert_eq(hv_vtimer_vm_init(&other, 5), HV_ERR_INVALID);
	cr_assert_eq(other.vtimer.cntvoff, 77);
}

Test(vtimer, line_drives_ppi27_of_the_owning_vcpu_in_the_vgic)
{
	vgic_up();
	const struct hv_vgic_irq *ppi0 = &vcpus[0].vgic.private_irqs[HV_VTIMER_PPI];
	const struct hv_vgic_irq *ppi1 = &vcpus[1].vgic.private_irqs[HV_VTIMER_PPI];
	cr_assert_eq(ppi0->flags & 0x04u, 0); /* IRQ_LINE (core/vgic/vgic_internal.h) */
	wr(&vcpus[0], HV_SYSREG_CNTV_CVAL_EL0, 600010);
	wr(&vcpus[0], HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	sim_counter_advance(10);
	(void)hv_vtimer_update(&vcpus[0]);
	cr_assert(vcpus[0].vtimer.line);
	cr_assert_neq(ppi0->flags & 0x04u, 0);
	cr_assert_eq(ppi1->flags & 0x04u, 0); /* the other vCPU's PPI 27 untouched */
	wr(&vcpus[0], HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	cr_assert_eq(ppi0->flags & 0x04u, 0);
}

/* PPI 27 backed by the physical timer PPI: the physical one must be active
 * while the line is asserted or the guest has PPI 27 active, inactive
 * otherwise (so the next expiry is taken, also after an IMASK). */
Test(vtimer, hw_mapped_ppi_and_physical_active_state)
{
	struct hv_vgic_config cfg = {.dist_base = hv_ipa(0x8000000),
	                             .redist_base = hv_ipa(0x80a0000),
	                             .nr_spis = 32,
	                             .nr_vcpus = 2};
	struct hv_vcpu *v = &vcpus[0];
	cr_assert_eq(hv_vtimer_map_hw(v, 27), HV_ERR_STATE, "no vGIC yet");
	hv_mmio_bus_init(&vm.mmio);
	cr_assert_eq(hv_vgic_init(&vm, &cfg), HV_OK);
	for (unsigned i = 0; i < 2; i++)
		cr_assert_eq(hv_vgic_vcpu_init(&vcpus[i]), HV_OK);
	cr_assert_eq(hv_vtimer_map_hw(v, 5), HV_ERR_INVALID, "an SGI cannot back it");
	cr_assert_eq(hv_vtimer_map_hw(v, 27), HV_OK);
	cr_assert_eq(hv_vtimer_map_hw(v, 27), HV_ERR_EXISTS);
	cr_assert_not(hv_vtimer_hw_active(NULL));
	cr_assert_not(hv_vtimer_hw_active(v), "idle timer: physical PPI inactive");

	/* Enable PPI 27 (Group 1, GICR_ISENABLER0) and both groups. */
	uint64_t sgi = 0x80a0000 + 0x10000, one = 1u << 27, grp = 3;
	cr_assert_eq(hv_mmio_bus_access(&vm.mmio, v, hv_ipa(sgi + 0x80), 4, true, &one), HV_OK);
	cr_assert_eq(hv_mmio_bus_access(&vm.mmio, v, hv_ipa(sgi + 0x100), 4, true, &one), HV_OK);
	cr_assert_eq(hv_mmio_bus_access(&vm.mmio, v, hv_ipa(0x8000000), 4, true, &grp), HV_OK);
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, 600010);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	sim_counter_advance(10);
	(void)hv_vtimer_update(v);
	cr_assert(hv_vtimer_hw_active(v), "line asserted: delivered through the vGIC only");
	hv_vgic_flush(v);
	uint64_t lr = v->ctx.gic.lr[0];
	cr_assert_eq(lr & HV_ICH_LR_VINTID_MASK, 27);
	cr_assert(lr & HV_ICH_LR_HW);
	cr_assert_eq((lr & HV_ICH_LR_PINTID_MASK) >> HV_ICH_LR_PINTID_SHIFT, 27);
	cr_assert_eq(v->ctx.gic.hcr, HV_ICH_HCR_EN, "no maintenance requested");

	/* The guest takes it, then masks its timer before deactivating. */
	v->ctx.gic.lr[0] = (lr & ~HV_ICH_LR_PENDING) | HV_ICH_LR_ACTIVE;
	hv_vgic_sync(v);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	cr_assert_not(v->vtimer.line);
	cr_assert(hv_vtimer_hw_active(v), "guest still has PPI 27 active");
	hv_vgic_flush(v);
	v->ctx.gic.lr[0] &= ~HV_ICH_LR_ACTIVE; /* guest EOI: physical deactivated too */
	hv_vgic_sync(v);
	cr_assert_not(hv_vtimer_hw_active(v), "masked and deactivated: inactive again");

	/* Masked before the guest took it: no longer active either. */
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	cr_assert(hv_vtimer_hw_active(v));
	hv_vgic_flush(v);
	hv_vgic_sync(v);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	cr_assert_not(hv_vtimer_hw_active(v));
	cr_assert_not(hv_vtimer_hw_active(&vcpus[1]), "the other vCPU's state is its own");
}

Test(vtimer, ptimer_physical_count_no_offset_signed_tval)
{
	struct hv_vcpu *v = &vcpus[0];
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_CTL_EL0), 0, "reset: disabled");
	wr(v, HV_SYSREG_CNTP_TVAL_EL0, 500);
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_CVAL_EL0), 1000500, "CNTPCT + TVAL, no CNTVOFF");
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_TVAL_EL0), 500);
	wr(v, HV_SYSREG_CNTP_TVAL_EL0, 0xffffffff00000000ull | (uint32_t)-10);
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_CVAL_EL0), 1000000 - 10, "sign-extended 32 bits");
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_TVAL_EL0), (uint32_t)-10, "negative once past");
	/* Past deadline: ISTATUS only while enabled; the line only unmasked. */
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_CTL_EL0), 0);
	wr(v, HV_SYSREG_CNTP_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK | HV_CNTV_CTL_ISTATUS);
	cr_assert_eq(rd(v, HV_SYSREG_CNTP_CTL_EL0),
	             HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK | HV_CNTV_CTL_ISTATUS);
	cr_assert_not(v->vtimer.pline);
	wr(v, HV_SYSREG_CNTP_CTL_EL0, HV_CNTV_CTL_ENABLE);
	cr_assert(v->vtimer.pline, "the write re-evaluated the line");
	cr_assert_not(v->vtimer.line, "the virtual timer untouched");
	cr_assert_eq(v->ctx.timer.cntv_ctl_el0, 0);
	cr_assert_eq(vcpus[1].ctx.timer.cntp_ctl_el0, 0, "per vCPU");
}

Test(vtimer, ptimer_deadline_for_runtimes_and_idle_record)
{
	struct hv_vcpu *v = &vcpus[1];
	uint64_t pct = 0;
	cr_assert_not(hv_vtimer_ptimer_deadline(v, &pct));
	wr(v, HV_SYSREG_CNTP_CVAL_EL0, 1000000 + 62500);
	wr(v, HV_SYSREG_CNTP_CTL_EL0, HV_CNTV_CTL_ENABLE);
	cr_assert(hv_vtimer_ptimer_deadline(v, &pct));
	cr_assert_eq(pct, 1062500);
	/* The virtual timer later: the record names the physical deadline. */
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, 600000 + 125000);
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE);
	struct hv_vtimer_migration m;
	hv_vtimer_migrate(v, &m);
	cr_assert(m.migrate);
	cr_assert_eq(m.deadline_pct, 1062500);
	cr_assert_eq(m.delay_ticks, 62500);
	cr_assert_eq(m.delay_ns, 1000000);
	/* The virtual timer earlier: its deadline. */
	wr(v, HV_SYSREG_CNTV_CVAL_EL0, 600000 + 100);
	hv_vtimer_migrate(v, &m);
	cr_assert_eq(m.deadline_pct, 1000100);
	cr_assert_eq(m.delay_ticks, 100);
	/* Only the physical one: masked virtual. */
	wr(v, HV_SYSREG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	hv_vtimer_migrate(v, &m);
	cr_assert_eq(m.deadline_pct, 1062500);
	/* It expires: the line rises, this vCPU wakes, no deadline is left. */
	sim_counter_advance(62499);
	cr_assert_null(hv_vtimer_expire(v));
	sim_counter_advance(1);
	cr_assert_eq(hv_vtimer_expire(v), v);
	cr_assert(v->vtimer.pline);
	cr_assert_not(hv_vtimer_ptimer_deadline(v, &pct));
	hv_vtimer_migrate(v, &m);
	cr_assert_not(m.migrate);
	/* Masked: no deadline either. */
	wr(v, HV_SYSREG_CNTP_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	cr_assert_not(v->vtimer.pline);
	cr_assert_not(hv_vtimer_ptimer_deadline(v, &pct));
}

Test(vtimer, ptimer_line_drives_ppi30_of_the_owning_vcpu)
{
	vgic_up();
	const struct hv_vgic_irq *p0 = &vcpus[0].vgic.private_irqs[HV_PTIMER_PPI];
	const struct hv_vgic_irq *p1 = &vcpus[1].vgic.private_irqs[HV_PTIMER_PPI];
	const struct hv_vgic_irq *v0 = &vcpus[0].vgic.private_irqs[HV_VTIMER_PPI];
	wr(&vcpus[0], HV_SYSREG_CNTP_CVAL_EL0, 1000010);
	wr(&vcpus[0], HV_SYSREG_CNTP_CTL_EL0, HV_CNTV_CTL_ENABLE);
	cr_assert_eq(p0->flags & 0x04u, 0); /* IRQ_LINE (core/vgic/vgic_internal.h) */
	sim_counter_advance(10);
	(void)hv_vtimer_update(&vcpus[0]);
	cr_assert(vcpus[0].vtimer.pline);
	cr_assert_neq(p0->flags & 0x04u, 0);
	cr_assert_eq(p1->flags & 0x04u, 0, "the other vCPU's PPI 30 untouched");
	cr_assert_eq(v0->flags & 0x04u, 0, "PPI 27 untouched");
	wr(&vcpus[0], HV_SYSREG_CNTP_CTL_EL0, HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK);
	cr_assert_eq(p0->flags & 0x04u, 0);
}

Test(vtimer, ptimer_trapped_mrs_through_exit_dispatch)
{
	struct hv_vcpu *v = &vcpus[0];
	v->ctx.regs.pc = 0x1000;
	v->ctx.timer.cntp_cval_el0 = 0x4321;
	/* MRS X5, CNTP_CVAL_EL0: Op0 3 Op2 2 Op1 3 CRn 14 Rt 5 CRm 2, read. */
	uint64_t iss = (3ull << 20) | (2ull << 17) | (3ull << 14) | (14ull << 10) | (5ull << 5) |
	               (2ull << 1) | 1;
	v->ctx.exit.esr_el2 = (0x18ull << 26) | (1ull << 25) | iss;
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[5], 0x4321);
	cr_assert_eq(v->ctx.regs.pc, 0x1004, "no UNDEF: the instruction completed");
}
