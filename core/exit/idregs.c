/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the guest reads from the ID registers (see hv/idregs.h). Each
 * AArch64 feature register keeps a whitelist of fields (Arm ARM D17.2.61
 * ID_AA64DFR0_EL1, D17.2.64..66 ID_AA64ISAR0..2, D17.2.67..70
 * ID_AA64MMFR0..3, D17.2.72..73 ID_AA64PFR0..1); everything else reads 0,
 * which for every field hidden here means "not implemented". The AArch32
 * registers (CRm 1..3) are passed through: with PFR0.EL0 = 1 the guest
 * runs no AArch32 code.
 */
#include <hv/idregs.h>
#include <hv/sysreg.h>

#define F(hi, lo) HV_GENMASK(hi, lo)

/* ID_AA64PFR0_EL1: EL0 [3:0], EL1 [7:4] are set to 1 (AArch64 only); EL2
 * [11:8] and EL3 [15:12] read 0: the VM has neither (PSCI is an HVC to
 * the hypervisor), whatever the CPU underneath has. */
#define PFR0_KEEP (F(19, 16) | F(23, 20) | F(27, 24) | F(51, 48) | F(63, 56))
#define PFR0_AA64 (UINT64_C(1) << 0 | UINT64_C(1) << 4)
/* ID_AA64PFR1_EL1: BT [3:0], SSBS [7:4]. */
#define PFR1_KEEP F(7, 0)
/* ID_AA64DFR0_EL1: DebugVer [3:0], BRPs [15:12], WRPs [23:20],
 * CTX_CMPs [31:28]: the comparators core/exit keeps per vCPU (hv/debug.h)
 * and a runtime loads. DoubleLock [39:36] = 0b1111: OSDLR_EL1 is RAZ/WI.
 * PMUVer [11:8] 0: no PMU (its registers read as zero). */
#define DFR0_KEEP           (F(3, 0) | F(15, 12) | F(23, 20) | F(31, 28))
#define DFR0_NO_DOUBLE_LOCK (UINT64_C(0xf) << 36)
/* ID_AA64ISAR1_EL1: all but LS64 [63:60]; ISAR2: [31:0] (WFxT, RPRES,
 * GPA3, APA3, MOPS, BC, PAC_frac, CLRBHB). */
#define ISAR1_KEEP F(59, 0)
#define ISAR2_KEEP F(31, 0)
/* ID_AA64MMFR0_EL1: PARange [3:0] capped, ASIDBits .. TGran4_2 [43:4],
 * ExS [47:44]; not FGT, ECV. */
#define MMFR0_KEEP F(47, 4)
/* ID_AA64MMFR1_EL1: HAFDBS, VMIDBits, HPDS, PAN, SpecSEI, XNX, ETS, AFP,
 * nTLBPA, CMOW, ECBHB; not VH [11:8], LO [19:16], TWED [35:32],
 * HCX [43:40], TIDCP1 [55:52]. */
#define MMFR1_KEEP (F(7, 0) | F(15, 12) | F(31, 20) | F(39, 36) | F(51, 44) | F(63, 56))
/* ID_AA64MMFR2_EL1: CnP, UAO, LSM, IESB, VARange, CCIDX, ST, AT, IDS, TTL,
 * BBM, E0PD; not NV [27:24], FWB [43:40], EVT [59:56]. */
#define MMFR2_KEEP (F(23, 0) | F(39, 28) | F(55, 48) | F(63, 60))

/* VTCR_EL2.PS / ID_AA64MMFR0_EL1.PARange encodings (Arm ARM D17.2.67). */
static uint64_t parange_of(unsigned bits)
{
	static const uint8_t sizes[] = {32, 36, 40, 42, 44, 48, 52};
	uint64_t enc = 0;
	for (uint64_t i = 0; i < HV_ARRAY_SIZE(sizes); i++)
		if (bits >= sizes[i])
			enc = i;
	return enc;
}

static uint64_t sanitize(unsigned crm, unsigned op2, uint64_t hw, unsigned ipa_bits)
{
	if (crm <= 3)
		return hw; /* AArch32 ID registers */
	switch (HV_IDREG_INDEX(crm, op2)) {
	case HV_IDREG_INDEX(4, 0): return (hw & PFR0_KEEP) | PFR0_AA64;
	case HV_IDREG_INDEX(4, 1): return hw & PFR1_KEEP;
	case HV_IDREG_INDEX(5, 0): return (hw & DFR0_KEEP) | DFR0_NO_DOUBLE_LOCK;
	case HV_IDREG_INDEX(6, 0): return hw; /* ISAR0: instructions only */
	case HV_IDREG_INDEX(6, 1): return hw & ISAR1_KEEP;
	case HV_IDREG_INDEX(6, 2): return hw & ISAR2_KEEP;
	case HV_IDREG_INDEX(7, 0): {
		uint64_t pa = hw & 0xfu, cap = parange_of(ipa_bits);
		return (hw & MMFR0_KEEP) | (pa < cap ? pa : cap);
	}
	case HV_IDREG_INDEX(7, 1): return hw & MMFR1_KEEP;
	case HV_IDREG_INDEX(7, 2): return hw & MMFR2_KEEP;
	default: return 0; /* PFR2, ZFR0, SMFR0, DFR1, AFR0/1, MMFR3/4, unallocated */
	}
}

void hv_idregs_init(struct hv_idregs *ids, const uint64_t hw[HV_IDREG_NR], unsigned ipa_bits)
{
	for (unsigned crm = 1; crm <= 7; crm++)
		for (unsigned op2 = 0; op2 < 8; op2++)
			ids->value[HV_IDREG_INDEX(crm, op2)] =
			    sanitize(crm, op2, hw[HV_IDREG_INDEX(crm, op2)], ipa_bits);
	ids->valid = true;
}

hv_status_t hv_idregs_access(const struct hv_idregs *ids, uint32_t sysreg, bool is_write,
                             uint64_t *value)
{
	unsigned crm = (sysreg >> 3) & 15u, op2 = sysreg & 7u;
	if (!ids || !ids->valid || is_write ||
	    (sysreg & ~(uint32_t)0x7fu) != HV_SYSREG(3, 0, 0, 0, 0) || crm < 1 || crm > 7)
		return HV_ERR_NOT_SUPPORTED;
	*value = ids->value[HV_IDREG_INDEX(crm, op2)];
	return HV_OK;
}
