/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Trapped MSR/MRS/SYS (EC 0x18): a table of register ranges and what to do
 * with each. Encodings from the Arm ARM D17 register descriptions and the
 * GIC spec 12.2; which traps reach EL2 follows HCR_EL2.TID3/TACR/TSW, MDCR_EL2
 * TDA/TDOSA/TPM, ICH_HCR_EL2 and CNTHCTL_EL2. Anything not in the table is
 * UNDEF, as is a write to a read-only entry.
 */
#include <hv/debug.h>
#include <hv/esr.h>
#include <hv/inject.h>
#include <hv/sysreg.h>
#include <hv/vm.h>
#include "exit_internal.h"

enum sysreg_kind {
	SR_RAZ_WI, /* reads as zero, writes ignored */
	SR_RAZ,    /* read-only zero: a write is UNDEF */
	SR_WI,     /* write-only, ignored (DC set/way): a read is UNDEF */
	SR_VGIC,   /* ICC_*: core/vgic */
	SR_VTIMER, /* CNT*: core/vtimer */
	SR_IDREG,  /* ID space (HCR_EL2.TID3): the VM's hv_idregs */
	SR_DEBUG,  /* self-hosted debug: the vCPU's state (hv/debug.h) */
};

struct sysreg_range {
	uint8_t op0, op1, crn, crm_lo, crm_hi, op2_lo, op2_hi;
	uint8_t kind;
};

static const struct sysreg_range table[] = {
    /* ID registers, op0 3 op1 0 CRn 0 CRm 1..7 (HCR_EL2.TID3). */
    {3, 0, 0, 1, 7, 0, 7, SR_IDREG},
    /* GICv3 CPU interface system registers (GIC spec 12.2). */
    {3, 0, 12, 0, 15, 0, 7, SR_VGIC},
    {3, 0, 4, 6, 6, 0, 0, SR_VGIC}, /* ICC_PMR_EL1 */
    /* Generic timer: CNTKCTL_EL1, CNT{FRQ,PCT,VCT}, CNTP_*, CNTV_* (D17.8). */
    {3, 0, 14, 1, 1, 0, 0, SR_VTIMER},
    {3, 3, 14, 0, 3, 0, 7, SR_VTIMER},
    /* DC ISW / CSW / CISW (HCR_EL2.TSW): with stage 2 the set/way ops are
	 * not needed for coherency; ignored. */
    {1, 0, 7, 6, 6, 2, 2, SR_WI},
    {1, 0, 7, 10, 10, 2, 2, SR_WI},
    {1, 0, 7, 14, 14, 2, 2, SR_WI},
    /* ACTLR_EL1 (HCR_EL2.TACR): IMPLEMENTATION DEFINED, no controls given. */
    {3, 0, 1, 0, 0, 1, 1, SR_RAZ_WI},
    /* Debug (MDCR_EL2.TDA/TDOSA/TDRA): breakpoints, watchpoints, MDSCR,
	 * MDRAR, OS lock, OS double lock, DBGPRCR, claim tags, DBGAUTHSTATUS. */
    {2, 0, 0, 0, 15, 0, 7, SR_DEBUG},
    {2, 0, 1, 0, 4, 0, 7, SR_DEBUG},
    {2, 0, 7, 8, 14, 6, 6, SR_DEBUG},
    /* PMU (MDCR_EL2.TPM): PMCR_EL0 and friends, PMEVCNTR/TYPER, PMINTEN*. */
    {3, 3, 9, 12, 14, 0, 7, SR_RAZ_WI},
    {3, 3, 14, 8, 15, 0, 7, SR_RAZ_WI},
    {3, 0, 9, 14, 14, 1, 2, SR_RAZ_WI},
    /* LORegions (FEAT_LOR) control registers, LORID_EL1 read-only. */
    {3, 0, 10, 4, 4, 0, 3, SR_RAZ_WI},
    {3, 0, 10, 4, 4, 7, 7, SR_RAZ},
};

static const struct sysreg_range *lookup(uint32_t id)
{
	unsigned op0 = (id >> 14) & 3u, op1 = (id >> 11) & 7u, crn = (id >> 7) & 15u;
	unsigned crm = (id >> 3) & 15u, op2 = id & 7u;
	for (size_t i = 0; i < HV_ARRAY_SIZE(table); i++) {
		const struct sysreg_range *r = &table[i];
		if (r->op0 == op0 && r->op1 == op1 && r->crn == crn && crm >= r->crm_lo &&
		    crm <= r->crm_hi && op2 >= r->op2_lo && op2 <= r->op2_hi)
			return r;
	}
	return NULL;
}

static hv_status_t access(struct hv_vcpu *vcpu, const struct sysreg_range *r, uint32_t id,
                          bool is_write, uint64_t *value)
{
	switch (r->kind) {
	case SR_RAZ_WI:
		if (!is_write)
			*value = 0;
		return HV_OK;
	case SR_RAZ:
		if (is_write)
			return HV_ERR_DENIED;
		*value = 0;
		return HV_OK;
	case SR_WI: return is_write ? HV_OK : HV_ERR_DENIED;
	case SR_VGIC: return hv_exit_call_vgic_sysreg(vcpu, id, is_write, value);
	case SR_IDREG:
		return hv_idregs_access(vcpu->vm ? &vcpu->vm->idregs : NULL, id, is_write, value);
	case SR_DEBUG: return hv_debug_sysreg_access(vcpu, id, is_write, value);
	default: return hv_exit_call_vtimer_sysreg(vcpu, id, is_write, value);
	}
}

enum hv_exit_action hv_exit_sysreg(struct hv_vcpu *vcpu, uint64_t esr)
{
	uint32_t iss = hv_esr_iss(esr);
	uint32_t id = hv_sysreg_from_iss(iss);
	unsigned rt = hv_sys64_rt(iss);
	bool is_write = !(iss & HV_SYS64_DIR_READ);
	const struct sysreg_range *r = lookup(id);

	vcpu->exit_state.stats[HV_STAT_SYSREG]++;
	uint64_t value = is_write ? hv_exit_get_x(vcpu, rt) : 0;
	if (!r || access(vcpu, r, id, is_write, &value) != HV_OK) {
		hv_inject_undef(vcpu);
		return hv_exit_resume(vcpu);
	}
	if (!is_write)
		hv_exit_set_x(vcpu, rt, value);
	hv_exit_skip_insn(vcpu, hv_esr_insn_len(esr));
	return hv_exit_resume(vcpu);
}
