/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 timer semantics, Arm ARM D11.2.4 "Timers", for the virtual timer and
 * the EL1 physical timer alike (two instances of one piece of math): the
 * condition is met when the timer's count (physical count minus the
 * timer's offset: CNTVOFF for the virtual one, 0 for the physical one) is
 * at or past CVAL (unsigned 64-bit); TVAL reads (CVAL - count)[31:0] and a
 * write sets CVAL = count + SignExtend(TVAL[31:0]); ISTATUS reports the
 * condition while ENABLE is set; the interrupt is asserted while
 * ENABLE && !IMASK && ISTATUS.
 */
#include <hv/sysreg.h>
#include <hv/vm.h>
#include "vtimer_irq.h"

#define CTL_WRITABLE (HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK)

/* One timer of a vCPU: its registers, offset, line and PPI. */
struct timer {
	uint64_t *ctl, *cval;
	uint64_t offset;
	bool *line;
	uint32_t ppi;
};

static struct timer virt(struct hv_vcpu *vcpu)
{
	struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	return (struct timer){&t->cntv_ctl_el0, &t->cntv_cval_el0, t->cntvoff_el2,
	                      &vcpu->vtimer.line, HV_VTIMER_PPI};
}

static struct timer phys(struct hv_vcpu *vcpu)
{
	struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	return (struct timer){&t->cntp_ctl_el0, &t->cntp_cval_el0, 0, &vcpu->vtimer.pline,
	                      HV_PTIMER_PPI};
}

hv_status_t hv_vtimer_vm_init(struct hv_vm *vm, uint64_t cntvoff)
{
	struct hv_tick_conv conv;
	hv_status_t st = hv_tick_conv_init(&conv, hv_arch_counter_freq());
	if (st != HV_OK)
		return st;
	vm->vtimer.cntvoff = cntvoff;
	vm->vtimer.conv = conv;
	return HV_OK;
}

void hv_vtimer_vcpu_init(struct hv_vcpu *vcpu)
{
	vcpu->ctx.timer.cntv_ctl_el0 = 0;
	vcpu->ctx.timer.cntv_cval_el0 = 0;
	vcpu->ctx.timer.cntvoff_el2 = vcpu->vm ? vcpu->vm->vtimer.cntvoff : 0;
	vcpu->ctx.timer.cntp_ctl_el0 = 0;
	vcpu->ctx.timer.cntp_cval_el0 = 0;
	vcpu->vtimer.line = false;
	vcpu->vtimer.pline = false;
}

uint64_t hv_vtimer_count(const struct hv_vcpu *vcpu)
{
	return hv_arch_counter() - vcpu->ctx.timer.cntvoff_el2;
}

static bool met_at(uint64_t ctl, uint64_t cval, uint64_t count)
{
	return (ctl & HV_CNTV_CTL_ENABLE) && count >= cval;
}

bool hv_vtimer_condition_met(const struct hv_vcpu *vcpu)
{
	const struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	return met_at(t->cntv_ctl_el0, t->cntv_cval_el0, hv_vtimer_count(vcpu));
}

/* ISTATUS and the line of one timer; the vCPU to wake or NULL. */
static struct hv_vcpu *update(struct hv_vcpu *vcpu, struct timer tm)
{
	bool met = met_at(*tm.ctl, *tm.cval, hv_arch_counter() - tm.offset);
	if (met)
		*tm.ctl |= HV_CNTV_CTL_ISTATUS;
	else
		*tm.ctl &= ~HV_CNTV_CTL_ISTATUS;
	bool level = met && !(*tm.ctl & HV_CNTV_CTL_IMASK);
	if (level == *tm.line)
		return NULL;
	*tm.line = level;
	return hv_vtimer_drive_ppi(vcpu, tm.ppi, level);
}

struct hv_vcpu *hv_vtimer_update(struct hv_vcpu *vcpu)
{
	struct hv_vcpu *wake = update(vcpu, virt(vcpu));
	struct hv_vcpu *pwake = update(vcpu, phys(vcpu));
	return wake ? wake : pwake;
}

static uint64_t freq_of(const struct hv_vcpu *vcpu)
{
	if (vcpu->vm && vcpu->vm->vtimer.conv.freq)
		return vcpu->vm->vtimer.conv.freq;
	return hv_arch_counter_freq();
}

/* CTL, CVAL, TVAL of one timer (the same op2 0..2 under CRm 2 and 3). */
static void read_timer(struct timer tm, uint32_t op2, uint64_t *value)
{
	uint64_t count = hv_arch_counter() - tm.offset;
	switch (op2) {
	case 1:
		*value = (*tm.ctl & CTL_WRITABLE) |
		         (met_at(*tm.ctl, *tm.cval, count) ? HV_CNTV_CTL_ISTATUS : 0);
		break;
	case 2: *value = *tm.cval; break;
	default: *value = (uint32_t)(*tm.cval - count); break;
	}
}

static void write_timer(struct timer tm, uint32_t op2, uint64_t value)
{
	switch (op2) {
	case 1: *tm.ctl = (*tm.ctl & HV_CNTV_CTL_ISTATUS) | (value & CTL_WRITABLE); break;
	case 2: *tm.cval = value; break;
	default:
		*tm.cval =
		    hv_arch_counter() - tm.offset + (uint64_t)(int64_t)(int32_t)(uint32_t)value;
		break;
	}
}

/* Which timer a CNTV_* or CNTP_* register belongs to, or false. */
static bool timer_of(struct hv_vcpu *vcpu, uint32_t sysreg, struct timer *tm)
{
	switch (sysreg) {
	case HV_SYSREG_CNTV_CTL_EL0:
	case HV_SYSREG_CNTV_CVAL_EL0:
	case HV_SYSREG_CNTV_TVAL_EL0: *tm = virt(vcpu); return true;
	case HV_SYSREG_CNTP_CTL_EL0:
	case HV_SYSREG_CNTP_CVAL_EL0:
	case HV_SYSREG_CNTP_TVAL_EL0: *tm = phys(vcpu); return true;
	default: return false;
	}
}

hv_status_t hv_vtimer_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                    uint64_t *value)
{
	if (!vcpu || !value)
		return HV_ERR_INVALID;
	struct timer tm;
	if (timer_of(vcpu, sysreg, &tm)) {
		if (!is_write) {
			read_timer(tm, sysreg & 7u, value);
			return HV_OK;
		}
		write_timer(tm, sysreg & 7u, *value);
		(void)update(vcpu, tm);
		return HV_OK;
	}
	switch (sysreg) {
	case HV_SYSREG_CNTVCT_EL0:
	case HV_SYSREG_CNTPCT_EL0:
	case HV_SYSREG_CNTFRQ_EL0:
		if (is_write)
			return HV_ERR_DENIED; /* read-only at EL1 */
		*value = sysreg == HV_SYSREG_CNTVCT_EL0   ? hv_vtimer_count(vcpu)
		         : sysreg == HV_SYSREG_CNTPCT_EL0 ? hv_arch_counter()
		                                          : freq_of(vcpu);
		return HV_OK;
	default: return HV_ERR_NOT_SUPPORTED;
	}
}

/* A timer whose expiry is still to come: enabled, unmasked, line low. */
static bool armed(uint64_t ctl, bool line)
{
	return (ctl & (HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK)) == HV_CNTV_CTL_ENABLE && !line;
}

bool hv_vtimer_ptimer_deadline(const struct hv_vcpu *vcpu, uint64_t *pct)
{
	const struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	if (!armed(t->cntp_ctl_el0, vcpu->vtimer.pline))
		return false;
	*pct = t->cntp_cval_el0;
	return true;
}

void hv_vtimer_migrate(const struct hv_vcpu *vcpu, struct hv_vtimer_migration *out)
{
	const struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	uint64_t now = hv_arch_counter();
	hv_memset(out, 0, sizeof(*out));
	out->offset = t->cntvoff_el2;
	out->vcpu_id = vcpu->id;
	out->deadline_pct = t->cntv_cval_el0 + t->cntvoff_el2;
	bool v_armed = armed(t->cntv_ctl_el0, vcpu->vtimer.line);
	uint64_t p_pct = 0;
	bool p_armed = hv_vtimer_ptimer_deadline(vcpu, &p_pct);
	if (!v_armed && !p_armed)
		return; /* no line can rise (again): no host timer */
	out->migrate = true;
	/* The earlier expiry to come, as a distance from now (the counts are
	 * compared as the timers do: unsigned, at or past CVAL). */
	bool v_due = v_armed && met_at(t->cntv_ctl_el0, t->cntv_cval_el0, now - t->cntvoff_el2);
	bool p_due = p_armed && now >= p_pct;
	uint64_t v_left = t->cntv_cval_el0 - (now - t->cntvoff_el2), p_left = p_pct - now;
	if (!v_armed || (p_armed && p_left < v_left)) {
		out->deadline_pct = p_pct;
		v_left = p_left;
	}
	/* Due already, but not yet seen (the line was last driven before the
	 * deadline, e.g. by the entry before the idle exit): a wake-up now,
	 * delay 0. Saying "no timer" here loses it: the host would sleep
	 * until some other event. */
	if (v_due || p_due)
		return;
	out->delay_ticks = v_left;
	struct hv_tick_conv local;
	const struct hv_tick_conv *conv = &local;
	if (vcpu->vm && vcpu->vm->vtimer.conv.freq)
		conv = &vcpu->vm->vtimer.conv;
	else if (hv_tick_conv_init(&local, hv_arch_counter_freq()) != HV_OK)
		return; /* no frequency: ticks only */
	out->delay_ns = hv_ticks_to_ns(conv, out->delay_ticks);
}

struct hv_vcpu *hv_vtimer_expire(struct hv_vcpu *vcpu)
{
	struct hv_vcpu *wake = hv_vtimer_update(vcpu);
	if (wake)
		return wake;
	return vcpu->vtimer.line || vcpu->vtimer.pline ? vcpu : NULL;
}
