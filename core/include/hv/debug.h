/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest's self-hosted debug (Arm ARM D2 "AArch64 Self-hosted Debug"):
 * hardware breakpoints, watchpoints, MDSCR_EL1 (software step, MDE, KDE)
 * and the OS lock, per vCPU, in vcpu->ctx.debug (hv/arch.h). The registers
 * always trap; core/exit answers them from that state. Debug exceptions go
 * to the guest's own vectors (MDCR_EL2.TDE = 0); the hypervisor uses no
 * debug hardware of its own.
 */
#ifndef HV_DEBUG_H
#define HV_DEBUG_H

#include <hv/types.h>

struct hv_vcpu;

/* MDSCR_EL1 fields (Arm ARM D17.3.22). */
#define HV_MDSCR_SS  HV_BIT(0)
#define HV_MDSCR_KDE HV_BIT(13)
#define HV_MDSCR_MDE HV_BIT(15)
/* DBGBCR/DBGWCR<n>_EL1.E: the comparator is enabled. */
#define HV_DBG_CR_E HV_BIT(0)

/* Breakpoints and watchpoints the VM has: ID_AA64DFR0_EL1.BRPs/WRPs + 1
 * from its ID register table (at most HV_DEBUG_MAX_BP), 0 without one. */
unsigned hv_debug_nr_brps(const struct hv_vcpu *vcpu);
unsigned hv_debug_nr_wrps(const struct hv_vcpu *vcpu);

/*
 * A trapped access to a debug register (op0 = 2; HV_SYSREG ids):
 * DBGBVR/BCR/WVR/WCR<n>_EL1 for n below the VM's count, MDSCR_EL1,
 * OSLAR_EL1 (write-only), OSLSR_EL1 (read-only), OSDLR_EL1 and DBGPRCR_EL1
 * (RAZ/WI: no double lock, no powerdown control), the claim tags (RAZ/WI),
 * MDCCSR_EL0 and MDRAR_EL1 (RAZ), OSDTRRX/TX, OSECCR (RAZ/WI).
 * HV_ERR_NOT_SUPPORTED for anything else (UNDEF), HV_ERR_DENIED for a
 * write to a read-only or a read of a write-only register.
 */
hv_status_t hv_debug_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                   uint64_t *value);

/* True if the guest's debug state must be in the CPU while it runs: a
 * breakpoint or watchpoint enabled, or MDSCR_EL1 MDE, KDE or SS set, and
 * the OS lock clear (with it set, debug exceptions are disabled: D2.5). */
bool hv_debug_active(const struct hv_vcpu *vcpu);

/* Reset (CPU_ON, vCPU creation): all comparators disabled, MDSCR_EL1 0,
 * OS lock set (its reset value, D17.3.27). */
void hv_debug_reset(struct hv_vcpu *vcpu);

#endif /* HV_DEBUG_H */
