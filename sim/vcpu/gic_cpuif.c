/* SPDX-License-Identifier: Apache-2.0 */
/* GICv3 virtual CPU interface over the LR shadow; see hvsim/gic_cpuif.h. */
#include <hv/sysreg.h>
#include <hvsim/gic_cpuif.h>

#define PRI_MASK 0xf8u /* the 5 implemented priority bits */
#define IDLE_PRI 0xffu

static unsigned lr_state(uint64_t lr)
{
	return (unsigned)(lr >> SIM_LR_STATE_SHIFT);
}
static unsigned lr_prio(uint64_t lr)
{
	return (unsigned)((lr >> SIM_LR_PRIO_SHIFT) & 0xffu) & PRI_MASK;
}
static unsigned lr_group(uint64_t lr)
{
	return (lr & SIM_LR_GROUP1) ? 1u : 0u;
}
static uint32_t lr_intid(uint64_t lr)
{
	return (uint32_t)(lr & SIM_LR_VINTID_MASK);
}
static unsigned nr_lrs(const struct hv_gic_cpuif *gic)
{
	unsigned n = gic->nr_lrs ? gic->nr_lrs : SIM_GIC_NR_LRS;
	return n < HV_GIC_MAX_LRS ? n : HV_GIC_MAX_LRS;
}
static unsigned vpmr(const struct hv_gic_cpuif *gic)
{
	return (gic->vmcr >> SIM_VMCR_VPMR_SHIFT) & PRI_MASK;
}
static bool group_enabled(const struct hv_gic_cpuif *gic, unsigned group)
{
	return gic->vmcr & (group ? SIM_VMCR_VENG1 : SIM_VMCR_VENG0);
}

/* Running priority: the highest (lowest-numbered) active priority in the
 * active-priority registers; one bit per 8-level group (12.4.1, 12.4.2). */
static unsigned running_priority(const struct hv_gic_cpuif *gic)
{
	uint32_t active = gic->ap0r[0] | gic->ap1r[0];
	if (!active)
		return IDLE_PRI;
	return (unsigned)__builtin_ctz(active) << 3;
}

/* Group priority under the binary point: the bits above BPR (11.1.2). */
static unsigned group_priority(const struct hv_gic_cpuif *gic, unsigned prio, unsigned group)
{
	unsigned bpr = group && !(gic->vmcr & SIM_VMCR_VCBPR)
	                   ? (gic->vmcr >> SIM_VMCR_VBPR1_SHIFT) & 7u
	                   : (gic->vmcr >> SIM_VMCR_VBPR0_SHIFT) & 7u;
	if (group && !(gic->vmcr & SIM_VMCR_VCBPR) && bpr > 0)
		bpr--; /* BPR1 counts one more bit than BPR0 */
	unsigned mask = (0xffu << (bpr + 1u)) & 0xffu;
	return prio & mask & PRI_MASK;
}

/* Highest-priority pending LR of `group` (any group if group > 1); returns
 * the LR index or -1. Ties go to the lowest index. */
static int highest_pending(const struct hv_gic_cpuif *gic, unsigned group)
{
	int best = -1;
	unsigned best_prio = 0x100;
	for (unsigned i = 0; i < nr_lrs(gic); i++) {
		uint64_t lr = gic->lr[i];
		if (lr_state(lr) != 1u) /* pending only (not active, not both) */
			continue;
		if (group <= 1 && lr_group(lr) != group)
			continue;
		if (lr_prio(lr) < best_prio) {
			best_prio = lr_prio(lr);
			best = (int)i;
		}
	}
	return best;
}

static bool deliverable(const struct hv_gic_cpuif *gic, uint64_t lr)
{
	unsigned g = lr_group(lr);
	return group_enabled(gic, g) && lr_prio(lr) < vpmr(gic) &&
	       group_priority(gic, lr_prio(lr), g) < running_priority(gic);
}

bool sim_gic_irq_signalled(const struct hv_gic_cpuif *gic)
{
	if (!(gic->hcr & SIM_HCR_EN))
		return false;
	int i = highest_pending(gic, 2);
	return i >= 0 && deliverable(gic, gic->lr[i]);
}

static uint32_t acknowledge(struct hv_gic_cpuif *gic, unsigned group)
{
	int i = highest_pending(gic, 2);
	if (i < 0 || lr_group(gic->lr[i]) != group || !deliverable(gic, gic->lr[i]))
		return SIM_GIC_SPURIOUS;
	uint64_t lr = gic->lr[i];
	gic->lr[i] = (lr & ~(SIM_LR_PENDING | SIM_LR_ACTIVE)) | SIM_LR_ACTIVE;
	uint32_t bit = 1u << (group_priority(gic, lr_prio(lr), group) >> 3);
	if (group)
		gic->ap1r[0] |= bit;
	else
		gic->ap0r[0] |= bit;
	return lr_intid(lr);
}

/* Priority drop: clear the highest active priority (11.2.3). */
static void drop_priority(struct hv_gic_cpuif *gic, unsigned group)
{
	uint32_t *ap = group ? &gic->ap1r[0] : &gic->ap0r[0];
	if (*ap)
		*ap &= *ap - 1u;
}

/* Deactivate the LR holding `intid`; with none, count it in EOIcount. */
static void deactivate(struct hv_gic_cpuif *gic, uint32_t intid)
{
	for (unsigned i = 0; i < nr_lrs(gic); i++) {
		uint64_t lr = gic->lr[i];
		if (lr_intid(lr) == intid && (lr & SIM_LR_ACTIVE)) {
			gic->lr[i] = lr & ~SIM_LR_ACTIVE;
			return;
		}
	}
	if (intid < 1020u) {
		uint32_t count = gic->hcr >> SIM_HCR_EOICOUNT_SHIFT;
		gic->hcr = (gic->hcr & ((1u << SIM_HCR_EOICOUNT_SHIFT) - 1u)) |
		           (((count + 1u) & 0x1fu) << SIM_HCR_EOICOUNT_SHIFT);
	}
}

static void set_vmcr_field(struct hv_gic_cpuif *gic, unsigned shift, uint32_t width_mask,
                           uint64_t v)
{
	gic->vmcr = (gic->vmcr & ~(width_mask << shift)) | (((uint32_t)v & width_mask) << shift);
}

static unsigned ap_index(uint32_t id, uint32_t base)
{
	return (id - base) & 3u;
}

enum sim_gic_access sim_gic_sysreg(struct hv_gic_cpuif *gic, uint32_t id, bool is_read,
                                   uint64_t *value)
{
	uint64_t v = is_read ? 0 : *value;
	enum sim_gic_access done = SIM_GIC_DONE;
	switch (id) {
	case HV_SYSREG_ICC_SGI1R_EL1:
	case HV_SYSREG_ICC_ASGI1R_EL1:
	case HV_SYSREG_ICC_SGI0R_EL1: return SIM_GIC_TRAP;
	case HV_SYSREG_ICC_IAR1_EL1:
	case HV_SYSREG_ICC_IAR0_EL1:
		if (!is_read)
			return SIM_GIC_TRAP; /* read-only: UNDEF */
		v = acknowledge(gic, id == HV_SYSREG_ICC_IAR1_EL1);
		done = SIM_GIC_DONE_RESYNC;
		break;
	case HV_SYSREG_ICC_EOIR1_EL1:
	case HV_SYSREG_ICC_EOIR0_EL1:
		if (is_read)
			return SIM_GIC_TRAP; /* write-only */
		drop_priority(gic, id == HV_SYSREG_ICC_EOIR1_EL1);
		if (!(gic->vmcr & SIM_VMCR_VEOIM))
			deactivate(gic, (uint32_t)v & 0xffffffu);
		done = SIM_GIC_DONE_RESYNC;
		break;
	case HV_SYSREG_ICC_DIR_EL1:
		if (is_read)
			return SIM_GIC_TRAP;
		deactivate(gic, (uint32_t)v & 0xffffffu);
		done = SIM_GIC_DONE_RESYNC;
		break;
	case HV_SYSREG_ICC_HPPIR1_EL1:
	case HV_SYSREG_ICC_HPPIR0_EL1: {
		if (!is_read)
			return SIM_GIC_TRAP;
		int i = highest_pending(gic, 2);
		unsigned g = id == HV_SYSREG_ICC_HPPIR1_EL1;
		v = i >= 0 && lr_group(gic->lr[i]) == g ? lr_intid(gic->lr[i]) : SIM_GIC_SPURIOUS;
		break;
	}
	case HV_SYSREG_ICC_RPR_EL1:
		if (!is_read)
			return SIM_GIC_TRAP;
		v = running_priority(gic);
		break;
	case HV_SYSREG_ICC_PMR_EL1:
		if (is_read)
			v = vpmr(gic);
		else
			set_vmcr_field(gic, SIM_VMCR_VPMR_SHIFT, 0xff, v & PRI_MASK);
		done = is_read ? SIM_GIC_DONE : SIM_GIC_DONE_RESYNC;
		break;
	case HV_SYSREG_ICC_BPR1_EL1:
	case HV_SYSREG_ICC_BPR0_EL1: {
		unsigned shift =
		    id == HV_SYSREG_ICC_BPR1_EL1 ? SIM_VMCR_VBPR1_SHIFT : SIM_VMCR_VBPR0_SHIFT;
		unsigned min =
		    id == HV_SYSREG_ICC_BPR1_EL1 ? 8u - SIM_GIC_PRI_BITS : 7u - SIM_GIC_PRI_BITS;
		if (is_read) {
			v = (gic->vmcr >> shift) & 7u;
			if (v < min)
				v = min;
		} else {
			set_vmcr_field(gic, shift, 7u, v < min ? min : v);
		}
		break;
	}
	case HV_SYSREG_ICC_CTLR_EL1:
		/* CBPR [0], EOImode [1], PRIbits [10:8] = bits - 1, IDbits [13:11]
		 * = 0 (16-bit INTIDs), A3V [15] (12.3.? ICV_CTLR_EL1). */
		if (is_read) {
			v = ((gic->vmcr & SIM_VMCR_VCBPR) ? 1u : 0u) |
			    ((gic->vmcr & SIM_VMCR_VEOIM) ? 2u : 0u) |
			    ((uint64_t)(SIM_GIC_PRI_BITS - 1u) << 8) | (1u << 15);
		} else {
			gic->vmcr = (gic->vmcr & ~(SIM_VMCR_VCBPR | SIM_VMCR_VEOIM)) |
			            ((v & 1u) ? SIM_VMCR_VCBPR : 0u) |
			            ((v & 2u) ? SIM_VMCR_VEOIM : 0u);
		}
		break;
	case HV_SYSREG_ICC_SRE_EL1:
		/* System register interface only: SRE, DFB, DIB read as one. */
		if (is_read)
			v = 0x7;
		break;
	case HV_SYSREG_ICC_IGRPEN1_EL1:
	case HV_SYSREG_ICC_IGRPEN0_EL1: {
		uint32_t bit = id == HV_SYSREG_ICC_IGRPEN1_EL1 ? SIM_VMCR_VENG1 : SIM_VMCR_VENG0;
		if (is_read)
			v = (gic->vmcr & bit) ? 1u : 0u;
		else
			gic->vmcr = (v & 1u) ? gic->vmcr | bit : gic->vmcr & ~bit;
		done = is_read ? SIM_GIC_DONE : SIM_GIC_DONE_RESYNC;
		break;
	}
	default:
		if (id >= HV_SYSREG_ICC_AP0R_EL1(0) && id <= HV_SYSREG_ICC_AP0R_EL1(3)) {
			uint32_t *r = &gic->ap0r[ap_index(id, HV_SYSREG_ICC_AP0R_EL1(0))];
			if (is_read)
				v = *r;
			else
				*r = (uint32_t)v;
			break;
		}
		if (id >= HV_SYSREG_ICC_AP1R_EL1(0) && id <= HV_SYSREG_ICC_AP1R_EL1(3)) {
			uint32_t *r = &gic->ap1r[ap_index(id, HV_SYSREG_ICC_AP1R_EL1(0))];
			if (is_read)
				v = *r;
			else
				*r = (uint32_t)v;
			break;
		}
		return SIM_GIC_NOT_MINE;
	}
	if (is_read)
		*value = v;
	return done;
}

void sim_gic_update_status(struct hv_gic_cpuif *gic)
{
	uint32_t eisr = 0, elrsr = 0;
	unsigned pending = 0, valid = 0;
	for (unsigned i = 0; i < nr_lrs(gic); i++) {
		uint64_t lr = gic->lr[i];
		bool invalid = lr_state(lr) == 0;
		if (invalid && !(lr & SIM_LR_HW) && (lr & SIM_LR_EOI))
			eisr |= 1u << i;
		if (invalid && ((lr & SIM_LR_HW) || !(lr & SIM_LR_EOI)))
			elrsr |= 1u << i;
		valid += !invalid;
		pending += lr_state(lr) == 1u;
	}
	uint32_t misr = 0;
	if (eisr)
		misr |= SIM_MISR_EOI;
	if ((gic->hcr & SIM_HCR_UIE) && valid <= 1)
		misr |= SIM_MISR_U;
	if ((gic->hcr & SIM_HCR_LRENPIE) && (gic->hcr >> SIM_HCR_EOICOUNT_SHIFT))
		misr |= SIM_MISR_LRENP;
	if ((gic->hcr & SIM_HCR_NPIE) && !pending)
		misr |= SIM_MISR_NP;
	gic->eisr = eisr;
	gic->elrsr = elrsr;
	gic->misr = misr;
}

void sim_gic_reset(struct hv_gic_cpuif *gic)
{
	for (unsigned i = 0; i < HV_GIC_MAX_LRS; i++)
		gic->lr[i] = 0;
	gic->hcr = 0;
	gic->vmcr = 0; /* VPMR 0: everything masked until the guest sets PMR */
	for (unsigned i = 0; i < 4; i++)
		gic->ap0r[i] = gic->ap1r[i] = 0;
	gic->nr_lrs = SIM_GIC_NR_LRS;
	gic->nr_lrs_used = 0;
	sim_gic_update_status(gic);
}
