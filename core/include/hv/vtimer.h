/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL1 virtual timer of each vCPU (Arm ARM D11.2 "The Generic Timer in
 * AArch64 state", D11.2.4 "Timers"), and its EL1 physical timer: a second
 * instance of the same math on CNTP_CTL/CVAL/TVAL with no offset (no
 * FEAT_ECV CNTPOFF), emulated entirely here (the registers always trap),
 * its line PPI 30 through the vGIC.
 *
 * Every VM has one CNTVOFF: the guest's virtual count is the physical count
 * minus that offset, the same for all its vCPUs. The register state itself
 * (CNTV_CTL, CNTV_CVAL, CNTVOFF) lives in vcpu->ctx.timer, which the runtime
 * saves and restores; this module computes the timer condition from it,
 * emulates trapped accesses, drives the interrupt line (PPI 27 through the
 * vGIC) and, when a vCPU goes idle, tells the host when to wake exactly that
 * vCPU (the GenieZone vtimer_offset / vtimer_delay / vtimer_migrate fields).
 *
 * Conversions from ticks to nanoseconds use a multiplier and shift computed
 * once per frequency: no division on the hot path.
 */
#ifndef HV_VTIMER_H
#define HV_VTIMER_H

#include <hv/types.h>

struct hv_vcpu;
struct hv_vm;

/* The EL1 virtual timer's interrupt (Arm BSA / SBSA: PPI 27), and the EL1
 * (non-secure) physical timer's (PPI 30). */
#define HV_VTIMER_PPI 27u
#define HV_PTIMER_PPI 30u

/* CNTV_CTL_EL0 fields, Arm ARM D17.8 (CNTV_CTL_EL0). */
#define HV_CNTV_CTL_ENABLE  HV_BIT(0)
#define HV_CNTV_CTL_IMASK   HV_BIT(1)
#define HV_CNTV_CTL_ISTATUS HV_BIT(2) /* read-only */

/*
 * ticks -> ns: ns = (ticks * mult) >> shift, rounded up (a deadline is
 * never reported early). mult = ceil(1e9 * 2^shift / freq) with the largest
 * shift (<= 63) that keeps mult below 2^64, so the error is below one
 * nanosecond for any tick count below 2^shift (which covers more than 30 s
 * at every frequency from 1 Hz to 4 GHz).
 */
struct hv_tick_conv {
	uint64_t freq; /* Hz */
	uint64_t mult;
	uint32_t shift;
};

/* freq_hz in [1, 2^40]: else HV_ERR_INVALID and *conv unchanged. */
hv_status_t hv_tick_conv_init(struct hv_tick_conv *conv, uint64_t freq_hz);
/* Nanoseconds for `ticks` counter ticks; saturates at UINT64_MAX. */
uint64_t hv_ticks_to_ns(const struct hv_tick_conv *conv, uint64_t ticks);

/* Per-VM timer state (embedded in struct hv_vm). */
struct hv_vtimer_vm {
	uint64_t cntvoff;         /* CNTVOFF_EL2 of every vCPU of the VM */
	struct hv_tick_conv conv; /* counter frequency of the platform */
};

/* Per-vCPU timer state (embedded in struct hv_vcpu). */
struct hv_vtimer {
	bool line;  /* level last driven on PPI 27 */
	bool pline; /* level last driven on PPI 30 (EL1 physical timer) */
};

/*
 * Set the VM's offset (its virtual counter reads 0 at physical count
 * `cntvoff`) and the counter frequency from hv_arch_counter_freq().
 * HV_ERR_INVALID if the runtime reports a frequency of 0 (state unchanged).
 */
hv_status_t hv_vtimer_vm_init(struct hv_vm *vm, uint64_t cntvoff);

/* Reset a vCPU's timers: disabled, CVAL 0, CNTVOFF from its VM (0 without). */
void hv_vtimer_vcpu_init(struct hv_vcpu *vcpu);

/* The guest's virtual count now: CNTPCT - CNTVOFF (mod 2^64). */
uint64_t hv_vtimer_count(const struct hv_vcpu *vcpu);

/*
 * A trapped access to a timer register (HV_SYSREG_* ids of hv/sysreg.h):
 * CNTV_CTL/CVAL/TVAL and CNTP_CTL/CVAL/TVAL read and write,
 * CNTVCT/CNTPCT/CNTFRQ read. Writes to
 * read-only registers: HV_ERR_DENIED; other registers: HV_ERR_NOT_SUPPORTED
 * (exit dispatch injects UNDEF). A write re-evaluates the interrupt line.
 */
hv_status_t hv_vtimer_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                    uint64_t *value);

/*
 * Recompute each timer's ISTATUS (stored into ctx.timer.cntv_ctl_el0 and
 * cntp_ctl_el0) and line level (ENABLE && !IMASK && ISTATUS) from the
 * counter; on a level change drive PPI 27 or PPI 30 of this vCPU through
 * the vGIC. Returns the vCPU the vGIC says to wake (this one) or NULL.
 */
struct hv_vcpu *hv_vtimer_update(struct hv_vcpu *vcpu);

/*
 * A runtime that runs the guest's virtual timer on the CPU's own (CNTV_*
 * loaded on entry) may back PPI 27 by the CPU's physical timer PPI
 * `pintid` (hv_vgic_map_hw): it then takes that PPI at EL2, drops its
 * priority and leaves it active, and the guest's deactivation of PPI 27
 * deactivates it in hardware (no maintenance exit). Needs the vCPU's vGIC;
 * errors as hv_vgic_map_hw. A runtime without a physical GIC (sim) does not
 * map and keeps the purely virtual PPI.
 */
hv_status_t hv_vtimer_map_hw(struct hv_vcpu *vcpu, uint32_t pintid);

/*
 * With the PPI mapped: the active state the physical timer PPI must have
 * while this vCPU's timer is on the CPU (set on entry when it differs). It
 * is active while the line is asserted (the interrupt is delivered, or
 * waits, through the vGIC: no second physical one) or the guest has PPI 27
 * active (its deactivation will deactivate the physical one); otherwise
 * inactive, so the next expiry is taken at EL2 (e.g. after the guest masked
 * its timer with CNTV_CTL.IMASK before taking the interrupt).
 */
bool hv_vtimer_hw_active(const struct hv_vcpu *vcpu);

/* True if the guest's virtual timer condition is met and enabled (ISTATUS). */
bool hv_vtimer_condition_met(const struct hv_vcpu *vcpu);

/*
 * The EL1 physical timer has no hardware behind it: while the vCPU runs, a
 * runtime must make the CPU exit at its deadline (an EL2 timer, or a slice
 * bounded by it) so that hv_vtimer_update raises PPI 30 in time. True and
 * *pct = the physical count of that deadline when the timer is enabled,
 * unmasked and its line still low; false when no expiry is to come.
 */
bool hv_vtimer_ptimer_deadline(const struct hv_vcpu *vcpu, uint64_t *pct);

/*
 * The record for the host when a vCPU goes idle (GenieZone hwstate:
 * vtimer_offset, vtimer_delay, vtimer_migrate). migrate is true when a
 * timer (virtual or physical) is enabled, unmasked and its line not yet
 * asserted (its expiry is still a wake-up to come): the host must arm a
 * timer for `deadline_pct`, the earlier of the two deadlines
 * (absolute physical count, mod 2^64), i.e. `delay_ticks` / `delay_ns`
 * from now (0 when the deadline has passed since the line was last
 * driven: wake at once), and on expiry call hv_vtimer_expire() on this
 * vCPU only. With the line already asserted the interrupt is in the vGIC:
 * the timer has nothing more to signal, migrate is false.
 */
struct hv_vtimer_migration {
	uint64_t offset;       /* CNTVOFF */
	uint64_t delay_ticks;  /* until the deadline; 0 if none or already due */
	uint64_t delay_ns;     /* the same in ns (rounded up) */
	uint64_t deadline_pct; /* CVAL + CNTVOFF: physical count of the deadline */
	uint32_t vcpu_id;      /* the only vCPU to wake */
	bool migrate;
};
void hv_vtimer_migrate(const struct hv_vcpu *vcpu, struct hv_vtimer_migration *out);

/* The host timer armed from a migration record fired: re-evaluate this
 * vCPU's timer. Returns the vCPU to wake (this one) or NULL if nothing is
 * pending (e.g. the guest moved its deadline meanwhile). */
struct hv_vcpu *hv_vtimer_expire(struct hv_vcpu *vcpu);

#endif /* HV_VTIMER_H */
