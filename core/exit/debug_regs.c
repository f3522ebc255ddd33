/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's debug registers (hv/debug.h). Encodings, Arm ARM D17.3:
 * op0 2, op1 0, CRn 0, CRm n: DBGBVR<n> op2 4, DBGBCR<n> 5, DBGWVR<n> 6,
 * DBGWCR<n> 7; MDSCR_EL1 CRm 2 op2 2; CRn 1: MDRAR_EL1 (CRm 0, op2 0),
 * OSLAR_EL1 (0, 4), OSLSR_EL1 (1, 4), OSDLR_EL1 (3, 4), DBGPRCR_EL1 (4, 4);
 * CRn 7: DBGCLAIMSET/CLR_EL1 (CRm 8/9, op2 6), DBGAUTHSTATUS_EL1 (14, 6).
 * When the state is handed to the guest is hv/arch.h's policy.
 */
#include <hv/debug.h>
#include <hv/idregs.h>
#include <hv/sysreg.h>
#include <hv/vm.h>

/* OSLSR_EL1 (D17.3.27): OSLM = 0b10 (OSLM[1] is bit 3): the OS lock is
 * implemented; OSLK bit 1. */
#define OSLSR_OSLM2 HV_BIT(3)
#define OSLSR_OSLK  HV_BIT(1)

static unsigned dfr0_count(const struct hv_vcpu *vcpu, unsigned lo)
{
	const struct hv_vm *vm = vcpu->vm;
	if (!vm || !vm->idregs.valid)
		return 0;
	unsigned n = (unsigned)HV_FIELD(vm->idregs.value[HV_IDREG_INDEX(5, 0)], lo + 3, lo) + 1;
	return n < HV_DEBUG_MAX_BP ? n : HV_DEBUG_MAX_BP;
}

unsigned hv_debug_nr_brps(const struct hv_vcpu *vcpu)
{
	return dfr0_count(vcpu, 12); /* ID_AA64DFR0_EL1.BRPs [15:12] */
}

unsigned hv_debug_nr_wrps(const struct hv_vcpu *vcpu)
{
	return dfr0_count(vcpu, 20); /* ID_AA64DFR0_EL1.WRPs [23:20] */
}

void hv_debug_reset(struct hv_vcpu *vcpu)
{
	struct hv_debug_regs *d = &vcpu->ctx.debug;
	uint32_t gen = d->gen;
	hv_memset(d, 0, sizeof(*d));
	d->os_lock = true;
	d->gen = gen + 1;
}

bool hv_debug_active(const struct hv_vcpu *vcpu)
{
	const struct hv_debug_regs *d = &vcpu->ctx.debug;
	return !d->os_lock && (d->mdscr & (HV_MDSCR_SS | HV_MDSCR_KDE | HV_MDSCR_MDE));
}

/* A write the guest made to its own state (trapped): the runtime hands it
 * the registers for its next run and reloads them. */
static void written(struct hv_debug_regs *d)
{
	d->dirty = true;
	d->gen++;
}

/* A breakpoint or watchpoint register: its slot, or NULL past the count. */
static uint64_t *comparator(struct hv_vcpu *vcpu, unsigned n, unsigned op2)
{
	struct hv_debug_regs *d = &vcpu->ctx.debug;
	bool bp = op2 == 4 || op2 == 5;
	if (n >= (bp ? hv_debug_nr_brps(vcpu) : hv_debug_nr_wrps(vcpu)))
		return NULL;
	switch (op2) {
	case 4: return &d->bvr[n];
	case 5: return &d->bcr[n];
	case 6: return &d->wvr[n];
	default: return &d->wcr[n];
	}
}

static hv_status_t raz_wi(bool is_write, uint64_t *value)
{
	if (!is_write)
		*value = 0;
	return HV_OK;
}

static hv_status_t crn0(struct hv_vcpu *vcpu, unsigned crm, unsigned op2, bool is_write,
                        uint64_t *value)
{
	struct hv_debug_regs *d = &vcpu->ctx.debug;
	if (op2 >= 4) {
		uint64_t *reg = comparator(vcpu, crm, op2);
		if (!reg)
			return HV_ERR_NOT_SUPPORTED;
		if (is_write) {
			*reg = *value;
			written(d);
		} else {
			*value = *reg;
		}
		return HV_OK;
	}
	if (crm == 2 && op2 == 2) { /* MDSCR_EL1 */
		if (is_write) {
			d->mdscr = *value;
			written(d);
		} else {
			*value = d->mdscr;
		}
		return HV_OK;
	}
	return raz_wi(is_write, value); /* MDCCINT, OSDTRRX/TX, OSECCR */
}

static hv_status_t crn1(struct hv_vcpu *vcpu, unsigned crm, unsigned op2, bool is_write,
                        uint64_t *value)
{
	struct hv_debug_regs *d = &vcpu->ctx.debug;
	if (crm == 0 && op2 == 0) { /* MDRAR_EL1: no debug ROM */
		if (is_write)
			return HV_ERR_DENIED;
		*value = 0;
		return HV_OK;
	}
	if (op2 != 4 || crm > 4 || crm == 2)
		return HV_ERR_NOT_SUPPORTED;
	switch (crm) {
	case 0: /* OSLAR_EL1, write-only */
		if (!is_write)
			return HV_ERR_DENIED;
		d->os_lock = *value & 1u;
		d->gen++;
		return HV_OK;
	case 1: /* OSLSR_EL1, read-only */
		if (is_write)
			return HV_ERR_DENIED;
		*value = OSLSR_OSLM2 | (d->os_lock ? OSLSR_OSLK : 0);
		return HV_OK;
	default: return raz_wi(is_write, value); /* OSDLR_EL1, DBGPRCR_EL1 */
	}
}

hv_status_t hv_debug_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                   uint64_t *value)
{
	if (!vcpu || !value)
		return HV_ERR_INVALID;
	unsigned op0 = (sysreg >> 14) & 3u, op1 = (sysreg >> 11) & 7u, crn = (sysreg >> 7) & 15u;
	unsigned crm = (sysreg >> 3) & 15u, op2 = sysreg & 7u;
	if (op0 != 2 || op1 != 0)
		return HV_ERR_NOT_SUPPORTED;
	switch (crn) {
	case 0: return crn0(vcpu, crm, op2, is_write, value);
	case 1: return crn1(vcpu, crm, op2, is_write, value);
	case 7:
		if (op2 != 6)
			return HV_ERR_NOT_SUPPORTED;
		if (crm == 8 || crm == 9)
			return raz_wi(is_write, value); /* claim tags */
		if (crm == 14 && !is_write) {           /* DBGAUTHSTATUS_EL1 */
			*value = 0;
			return HV_OK;
		}
		return crm == 14 ? HV_ERR_DENIED : HV_ERR_NOT_SUPPORTED;
	default: return HV_ERR_NOT_SUPPORTED;
	}
}
