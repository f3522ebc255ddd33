/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Physical GICv3 (Arm IHI 0069): distributor and this CPU's redistributor
 * set up for the PPIs the hypervisor takes, as the DTB names them (the
 * virtual timer, the vGIC maintenance interrupt and its own slice timer, the
 * EL2 physical timer; 27, 25, 26 on QEMU virt), system-register CPU interface at
 * EL2, and the ICH_* virtual interface loaded from / saved into the vGIC's
 * shadow (ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_VMCR_EL2, ICH_AP1R0_EL2 with 5
 * priority bits; ICH_MISR/EISR/ELRSR_EL2 read on exit), touching only what
 * changed (see struct cpuif_held).
 *
 * EL2 runs with ICC_CTLR_EL1.EOImode = 1 (GIC spec, ICC_CTLR_EL1): ICC_EOIR1_EL1
 * only drops the running priority, ICC_DIR_EL1 deactivates. That lets the
 * virtual timer's physical PPI stay active after EL2 took it, until the
 * guest deactivates its hardware-mapped virtual PPI (ICH_LR<n>_EL2.HW = 1),
 * which deactivates the physical one (GIC spec 12.5.11): no maintenance
 * interrupt. Every other interrupt is dropped and deactivated at once
 * (el2_gic_eoi). Each CPU tracks its PPIs' active state (set by an
 * acknowledge, cleared by a deactivation: ours, or the guest's through an
 * HW list register, seen on save) so that el2_gic_ppi_set_active writes
 * GICR_ISACTIVER0/ICACTIVER0 only when the state must change.
 */
#include "gic.h"

#include <hv/vgic.h>

#include "gicr_find.h"
#include "smp.h"
#include "sysreg.h"

#define GICD_CTLR           0x0000
#define GICD_CTLR_RWP       (1u << 31)
#define GICD_CTLR_ENABLE_G0 (1u << 0)
#define GICD_CTLR_ENABLE_G1 (1u << 1)
#define GICD_CTLR_ARE       (1u << 4)
#define GICR_WAKER          0x0014
#define GICR_WAKER_SLEEP    (1u << 1)
#define GICR_WAKER_ASLEEP   (1u << 2)
#define GICR_SGI            0x10000
#define GICR_IGROUPR0       (GICR_SGI + 0x080)
#define GICR_ISENABLER0     (GICR_SGI + 0x100)
#define GICR_ISACTIVER0     (GICR_SGI + 0x300)
#define GICR_ICACTIVER0     (GICR_SGI + 0x380)
#define GICR_IPRIORITYR     (GICR_SGI + 0x400)

static uintptr_t gicd;
static uintptr_t cpu_gicr[EL2_MAX_CPUS]; /* each CPU's redistributor (RD_base) */
struct el2_ppis el2_ppi;

/* This CPU's redistributor: the one whose GICR_TYPER.Affinity_Value is
 * its MPIDR's, in any of the tree's regions (gicr_find.c). */
static uintptr_t find_redistributor(const struct el2_board *board)
{
	return el2_gicr_find(board->gicr, board->nr_gicr, read_sysreg(mpidr_el1));
}

uintptr_t el2_gic_redistributor(unsigned cpu)
{
	return cpu < EL2_MAX_CPUS ? cpu_gicr[cpu] : 0;
}
/*
 * What each CPU's ICH_* registers and virtual timer hold (written by the
 * last load, read by the last save). QEMU takes its big lock for every
 * access to a GIC CPU interface or generic timer system register, so a
 * load writes only what differs, and a save reads the list registers,
 * ICH_HCR_EL2 and the status registers only when list registers were in
 * use (an exit without interrupts in flight, such as an MMIO exit, then
 * costs four such accesses instead of two dozen). The guest changes
 * ICH_VMCR_EL2 and ICH_AP1R0_EL2 (through ICV_*) and the timer without
 * trapping: they are read on every exit.
 */
struct cpuif_held {
	uint64_t lr[HV_GIC_MAX_LRS];
	uint32_t ap1r, vmcr, hcr;
	uint64_t cntvoff, cval, ctl;
	uint32_t private_active; /* SGIs/PPIs active at the redistributor, bit = INTID */
	bool known, timer_known;
	bool lr_any; /* some lr[] is not 0 (false: every ICH_LR<n>_EL2 is 0) */
};
static struct cpuif_held held[EL2_MAX_CPUS];

static unsigned nr_lrs;

static inline void w32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline uint32_t r32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

bool el2_gic_init(const struct el2_board *board)
{
	el2_ppi.maintenance = board->ppi_maintenance;
	el2_ppi.hyp_timer = board->ppi_hyp_timer;
	el2_ppi.vtimer = board->ppi_vtimer;
	gicd = (uintptr_t)board->gicd_base;
	w32(gicd + GICD_CTLR, GICD_CTLR_ARE | GICD_CTLR_ENABLE_G1 | GICD_CTLR_ENABLE_G0);
	while (r32(gicd + GICD_CTLR) & GICD_CTLR_RWP)
		;
	return el2_gic_cpu_init(board);
}

bool el2_gic_cpu_init(const struct el2_board *board)
{
	uintptr_t gicr = find_redistributor(board);
	if (!gicr)
		return false;
	cpu_gicr[el2_cpu_id()] = gicr;
	hv_memset(&held[el2_cpu_id()], 0, sizeof(held[0])); /* nothing known loaded */
	write_sysreg(S3_4_C12_C9_5, 0xfull);                /* ICC_SRE_EL2: SRE, DFB, DIB, Enable */
	isb();
	w32(gicr + GICR_WAKER, r32(gicr + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	while (r32(gicr + GICR_WAKER) & GICR_WAKER_ASLEEP)
		;
	w32(gicr + GICR_IGROUPR0, 0xffffffffu);
	w32(gicr + GICR_ICACTIVER0, 0xffffffffu); /* held[].private_active: none */
	for (unsigned i = 0; i < 32; i += 4)
		w32(gicr + GICR_IPRIORITYR + i, 0x80808080u);
	w32(gicr + GICR_ISENABLER0, (1u << EL2_PPI_VTIMER) | (1u << EL2_PPI_MAINTENANCE) |
	                                (1u << EL2_PPI_HYP_TIMER) | (1u << EL2_SGI_KICK));
	write_sysreg(S3_0_C4_C6_0, 0xffull); /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C12_C12_4, 2ull);  /* ICC_CTLR_EL1: EOImode [1] = 1 */
	write_sysreg(S3_0_C12_C12_7, 1ull);  /* ICC_IGRPEN1_EL1 */
	isb();
	nr_lrs = (unsigned)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2.ListRegs */
	return true;
}

/* ICC_SGI1R_EL1 (GIC spec 12.2.23): Aff3 [55:48], Aff2 [39:32], INTID
 * [27:24], Aff1 [23:16], TargetList [15:0] (Aff0 < 16, RS = 0). */
void el2_gic_send_sgi(uint64_t mpidr, uint32_t intid)
{
	uint64_t v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
	             (uint64_t)(intid & 0xf) << 24 | ((mpidr >> 8) & 0xff) << 16 |
	             1ull << (mpidr & 0xf);
	__asm__ volatile("dsb ish" ::: "memory");
	write_sysreg(S3_0_C12_C11_5, v);
	isb();
}

unsigned el2_gic_nr_lrs(void)
{
	return nr_lrs;
}

static struct cpuif_held *this_held(void)
{
	return &held[el2_cpu_id()];
}

uint32_t el2_gic_ack(void)
{
	uint32_t intid = (uint32_t)read_sysreg(S3_0_C12_C12_0) & 0xffffffu; /* ICC_IAR1_EL1 */
	__asm__ volatile("dsb sy" ::: "memory");
	if (intid < 32)
		this_held()->private_active |= 1u << intid;
	return intid;
}

void el2_gic_priority_drop(uint32_t intid)
{
	write_sysreg(S3_0_C12_C12_1, (uint64_t)intid); /* ICC_EOIR1_EL1 */
	isb();
}

void el2_gic_eoi(uint32_t intid)
{
	el2_gic_priority_drop(intid);
	write_sysreg(S3_0_C12_C11_1, (uint64_t)intid); /* ICC_DIR_EL1 */
	isb();
	if (intid < 32)
		this_held()->private_active &= ~(1u << intid);
}

void el2_gic_ppi_set_active(uint32_t intid, bool active)
{
	struct cpuif_held *h = this_held();
	uint32_t bit = 1u << intid;
	if (intid >= 32 || ((h->private_active & bit) != 0) == active)
		return;
	w32(cpu_gicr[el2_cpu_id()] + (active ? GICR_ISACTIVER0 : GICR_ICACTIVER0), bit);
	__asm__ volatile("dsb sy" ::: "memory");
	h->private_active ^= bit;
}

/* ICH_LR<n>_EL2: S3_4_C12_C12_<n> for n < 8, S3_4_C12_C13_<n-8> above. */
#define LR_CASE(n, crm, op2)                                                                       \
	case n:                                                                                    \
		if (write)                                                                         \
			write_sysreg(S3_4_C12_##crm##_##op2, *v);                                  \
		else                                                                               \
			*v = read_sysreg(S3_4_C12_##crm##_##op2);                                  \
		break;

static void lr_access(unsigned n, bool write, uint64_t *v)
{
	switch (n) {
		LR_CASE(0, C12, 0)
		LR_CASE(1, C12, 1)
		LR_CASE(2, C12, 2)
		LR_CASE(3, C12, 3)
		LR_CASE(4, C12, 4)
		LR_CASE(5, C12, 5)
		LR_CASE(6, C12, 6)
		LR_CASE(7, C12, 7)
		LR_CASE(8, C13, 0)
		LR_CASE(9, C13, 1)
		LR_CASE(10, C13, 2)
		LR_CASE(11, C13, 3)
		LR_CASE(12, C13, 4)
		LR_CASE(13, C13, 5)
		LR_CASE(14, C13, 6)
		LR_CASE(15, C13, 7)
	default: break;
	}
}

/* ICH_HCR_EL2 bits that request maintenance interrupts (GIC spec 12.5.4:
 * UIE, LRENPIE, NPIE, VGrp0EIE/DIE, VGrp1EIE/DIE): with one of them set the
 * interrupt could fire while EL2 waits, so the interface is switched off. */
#define ICH_HCR_MAINT_REQ 0xfeu

void el2_gic_load(const struct hv_gic_cpuif *gic)
{
	struct cpuif_held *h = this_held();
	unsigned used = gic->nr_lrs_used < nr_lrs ? gic->nr_lrs_used : nr_lrs;
	if (!h->known || used || h->lr_any) { /* else every LR is and stays 0 */
		bool any = false;
		for (unsigned n = 0; n < nr_lrs; n++) {
			uint64_t v = n < used ? gic->lr[n] : 0;
			if (!h->known || h->lr[n] != v) {
				lr_access(n, true, &v);
				h->lr[n] = v;
			}
			any |= v != 0;
		}
		h->lr_any = any;
	}
	if (!h->known || h->ap1r != gic->ap1r[0])
		write_sysreg(S3_4_C12_C9_0, (uint64_t)(h->ap1r = gic->ap1r[0])); /* ICH_AP1R0_EL2 */
	if (!h->known || h->vmcr != gic->vmcr)
		write_sysreg(S3_4_C12_C11_7, (uint64_t)(h->vmcr = gic->vmcr)); /* ICH_VMCR_EL2 */
	if (!h->known || h->hcr != gic->hcr)
		write_sysreg(S3_4_C12_C11_0, (uint64_t)(h->hcr = gic->hcr)); /* ICH_HCR_EL2 */
	h->known = true;
}

void el2_gic_save(struct hv_gic_cpuif *gic)
{
	struct cpuif_held *h = this_held();
	bool live = false;
	for (unsigned n = 0; n < nr_lrs; n++) {
		uint64_t was = h->lr[n];
		if (was) { /* a zero LR stays zero: the hardware never fills one */
			lr_access(n, false, &h->lr[n]);
			live = true;
			/* An HW list register the guest deactivated (now invalid)
			 * deactivated its physical INTID. */
			uint32_t p =
			    (uint32_t)((was & HV_ICH_LR_PINTID_MASK) >> HV_ICH_LR_PINTID_SHIFT);
			if ((was & HV_ICH_LR_HW) && !(h->lr[n] >> 62) && p < 32)
				h->private_active &= ~(1u << p);
		}
		gic->lr[n] = h->lr[n];
	}
	gic->ap1r[0] = h->ap1r = (uint32_t)read_sysreg(S3_4_C12_C9_0);
	gic->vmcr = h->vmcr = (uint32_t)read_sysreg(S3_4_C12_C11_7);
	if (!live && !h->ap1r && !(h->hcr & ICH_HCR_MAINT_REQ)) {
		/* Nothing in flight: ICH_HCR_EL2 is as loaded (EOIcount 0) and
		 * can stay enabled, it has nothing to signal. */
		gic->hcr = h->hcr;
		gic->misr = gic->eisr = 0;
		gic->elrsr = (1u << nr_lrs) - 1u;
		return;
	}
	gic->hcr = (uint32_t)read_sysreg(S3_4_C12_C11_0);
	gic->misr = (uint32_t)read_sysreg(S3_4_C12_C11_2);  /* ICH_MISR_EL2 */
	gic->eisr = (uint32_t)read_sysreg(S3_4_C12_C11_3);  /* ICH_EISR_EL2 */
	gic->elrsr = (uint32_t)read_sysreg(S3_4_C12_C11_5); /* ICH_ELRSR_EL2 */
	/* The virtual interface goes off at EL2 (no maintenance storms). */
	write_sysreg(S3_4_C12_C11_0, 0ull);
	h->hcr = 0;
	isb();
}

void el2_timer_load(const struct hv_vtimer_regs *t)
{
	struct cpuif_held *h = this_held();
	bool known = h->timer_known;
	if (!known || h->cntvoff != t->cntvoff_el2)
		write_sysreg(cntvoff_el2, h->cntvoff = t->cntvoff_el2);
	if (!known || h->cval != t->cntv_cval_el0)
		write_sysreg(cntv_cval_el0, h->cval = t->cntv_cval_el0);
	/* CNTV_CTL_EL0: ENABLE [0], IMASK [1] are writable, ISTATUS is not. */
	if (!known || (h->ctl & 3u) != (t->cntv_ctl_el0 & 3u))
		write_sysreg(cntv_ctl_el0, h->ctl = t->cntv_ctl_el0);
	h->timer_known = true;
}

void el2_timer_save(struct hv_vtimer_regs *t)
{
	struct cpuif_held *h = this_held();
	t->cntv_ctl_el0 = h->ctl = read_sysreg(cntv_ctl_el0);
	t->cntv_cval_el0 = h->cval = read_sysreg(cntv_cval_el0);
}

/*
 * A host that runs on the machine owns the GIC (el2-mediatek's mode A): its
 * own driver set up the distributor, the redistributors and the ICC_*
 * registers, and EL2 changes none of that configuration. EL2 only finds
 * this CPU's redistributor, for the active state of the virtual timer's
 * PPI and the enable of its own timer's PPI during a RUN, and reads the
 * number of list registers.
 */
#define GICR_ICENABLER0 (GICR_SGI + 0x180)
#define GICR_CTLR       0x0000
#define GICR_CTLR_RWP   (1u << 3)
#define RWP_POLLS       (1u << 20) /* bounded: a GIC that never clears RWP */

bool el2_gic_cpu_attach(const struct el2_board *board)
{
	el2_ppi.maintenance = board->ppi_maintenance;
	el2_ppi.hyp_timer = board->ppi_hyp_timer;
	el2_ppi.vtimer = board->ppi_vtimer;
	uintptr_t gicr = find_redistributor(board);
	if (!gicr)
		return false;
	cpu_gicr[el2_cpu_id()] = gicr;
	hv_memset(&held[el2_cpu_id()], 0, sizeof(held[0]));
	nr_lrs = (unsigned)(read_sysreg(S3_4_C12_C11_1) & 0x1f) + 1; /* ICH_VTR_EL2.ListRegs */
	return true;
}

void el2_gic_host_out(struct el2_gic_host *s)
{
	struct cpuif_held *h = this_held();
	uintptr_t gicr = cpu_gicr[el2_cpu_id()];
	uint32_t hyp_timer = 1u << EL2_PPI_HYP_TIMER;
	/* The host acknowledged and deactivated as it ran, and programmed its
	 * own virtual timer: what the CPU holds is read afresh. */
	s->private_active = h->private_active = r32(gicr + GICR_ISACTIVER0);
	h->timer_known = false;
	s->hyp_timer_enabled = (r32(gicr + GICR_ISENABLER0) & hyp_timer) != 0;
	if (!s->hyp_timer_enabled) /* EL2's timer ends the guest's entries */
		w32(gicr + GICR_ISENABLER0, hyp_timer);
	__asm__ volatile("dsb sy" ::: "memory");
}

void el2_gic_host_back(const struct el2_gic_host *s)
{
	struct cpuif_held *h = this_held();
	uintptr_t gicr = cpu_gicr[el2_cpu_id()];
	el2_gic_ppi_set_active(EL2_PPI_VTIMER, (s->private_active >> EL2_PPI_VTIMER) & 1);
	if (!s->hyp_timer_enabled) {
		w32(gicr + GICR_ICENABLER0, 1u << EL2_PPI_HYP_TIMER);
		/* The disable has taken effect before the host runs (GIC spec
		 * 12.11.1: GICR_CTLR.RWP covers GICR_ICENABLER0). */
		for (unsigned i = 0; i < RWP_POLLS && (r32(gicr + GICR_CTLR) & GICR_CTLR_RWP); i++)
			;
	}
	/* No virtual interface while the host runs (no maintenance interrupt). */
	write_sysreg(S3_4_C12_C11_0, 0ull); /* ICH_HCR_EL2 */
	h->hcr = 0;
	__asm__ volatile("dsb sy" ::: "memory");
	isb();
}
