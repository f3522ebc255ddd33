/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The CPU identification registers a guest sees: the "ID space" op0 3,
 * op1 0, CRn 0, CRm 1..7 (ID_PFR0_EL1 .. ID_AA64MMFR4_EL1, Arm ARM D17.2;
 * unallocated encodings there read as zero), trapped to EL2 with
 * HCR_EL2.TID3 and answered by core/exit from this per-VM copy.
 *
 * The runtime hands over the hardware's values once; the core keeps only
 * features whose state the hypervisor switches or that carry no state
 * (instruction sets, translation features), and hides the rest so a guest
 * never uses registers shared between vCPUs or owned by EL2: SVE, SME, MTE,
 * AMU, MPAM, RAS, SPE, trace, the PMU, EL2/VHE/nested virtualization,
 * LORegions, AArch32 at EL0/EL1, and any field this code does not know.
 * PARange is capped at the VM's IPA size.
 */
#ifndef HV_IDREGS_H
#define HV_IDREGS_H

#include <hv/types.h>

#define HV_IDREG_NR 56u /* CRm 1..7 x op2 0..7 */

/* Index of ID register (CRm, op2) in the table; CRm 1..7. */
#define HV_IDREG_INDEX(crm, op2) (((crm)-1u) * 8u + (op2))

struct hv_idregs {
	uint64_t value[HV_IDREG_NR]; /* what the guest reads */
	bool valid;
};

/* Fill `ids` from the hardware's values hw[HV_IDREG_INDEX(crm, op2)] for a
 * VM with `ipa_bits` of IPA space. */
void hv_idregs_init(struct hv_idregs *ids, const uint64_t hw[HV_IDREG_NR], unsigned ipa_bits);

/* A trapped read of `sysreg` (hv/sysreg.h identifier). HV_ERR_NOT_SUPPORTED
 * for anything outside the ID space, a write, or an uninitialised table (the
 * exit layer then injects UNDEF). */
hv_status_t hv_idregs_access(const struct hv_idregs *ids, uint32_t sysreg, bool is_write,
                             uint64_t *value);

#endif /* HV_IDREGS_H */
