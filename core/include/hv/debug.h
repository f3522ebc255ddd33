/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A guest's self-hosted debug (Arm ARM D2 "AArch64 Self-hosted Debug"):
 * hardware breakpoints, watchpoints, MDSCR_EL1 (software step, MDE, KDE)
 * and the OS lock, per vCPU, in vcpu->ctx.debug (hv/arch.h).
 * The registers trap until the guest writes one; a runtime then hands the
 * CPU's registers to the guest while hv_debug_guest_owns() (lazily, as
 * KVM: a guest that never debugs never has them loaded or saved). Debug
 * exceptions go to the guest's own vectors (MDCR_EL2.TDE = 0); the
 * hypervisor uses no debug hardware of its own.
 */
#ifndef HV_DEBUG_H
#define HV_DEBUG_H

#include <hv/arch.h>
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
 * MDRAR_EL1 (RAZ), MDCCINT, OSDTRRX/TX, OSECCR (RAZ/WI). A write to a
 * comparator or MDSCR_EL1 marks the state dirty.
 * HV_ERR_NOT_SUPPORTED for anything else (UNDEF), HV_ERR_DENIED for a
 * write to a read-only or a read of a write-only register.
 */
hv_status_t hv_debug_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                   uint64_t *value);

/* True if the guest's debug exceptions are enabled: MDSCR_EL1 MDE, KDE or
 * SS set and the OS lock clear (D2.5: with it set, or MDE and KDE clear
 * and no step, no breakpoint, watchpoint or step exception is generated). */
bool hv_debug_active(const struct hv_vcpu *vcpu);

/* True if the guest runs next with the CPU's debug registers, untrapped:
 * it wrote one (trapped) since its last exit, or its debug exceptions are
 * enabled (hv_debug_active). Otherwise they trap and nothing is loaded. */
static inline bool hv_debug_guest_owns(const struct hv_debug_regs *d)
{
	return d->dirty ||
	       (!d->os_lock && (d->mdscr & (HV_MDSCR_SS | HV_MDSCR_KDE | HV_MDSCR_MDE)));
}

/* A runtime read the guest's registers back into ctx.debug after a run
 * that owned them: the next entry traps again unless still owned. */
static inline void hv_debug_saved(struct hv_debug_regs *d)
{
	d->dirty = false;
}

/* Reset (CPU_ON, vCPU creation): all comparators disabled, MDSCR_EL1 0,
 * OS lock set (its reset value, D17.3.27). */
void hv_debug_reset(struct hv_vcpu *vcpu);

#endif /* HV_DEBUG_H */
