/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 virtual timer semantics, Arm ARM D11.2.4 "Timers": the condition is
 * met when the virtual count is at or past CNTV_CVAL (unsigned 64-bit);
 * CNTV_TVAL reads (CVAL - count)[31:0] and a write sets CVAL = count +
 * SignExtend(TVAL[31:0]); ISTATUS reports the condition while ENABLE is
 * set; the interrupt is asserted while ENABLE && !IMASK && ISTATUS.
 */
#include <hv/sysreg.h>
#include <hv/vm.h>
#include "vtimer_irq.h"

#define CTL_WRITABLE (HV_CNTV_CTL_ENABLE | HV_CNTV_CTL_IMASK)

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
	vcpu->vtimer.line = false;
}

uint64_t hv_vtimer_count(const struct hv_vcpu *vcpu)
{
	return hv_arch_counter() - vcpu->ctx.timer.cntvoff_el2;
}

static bool met_at(const struct hv_vcpu *vcpu, uint64_t count)
{
	return (vcpu->ctx.timer.cntv_ctl_el0 & HV_CNTV_CTL_ENABLE) &&
	       count >= vcpu->ctx.timer.cntv_cval_el0;
}

bool hv_vtimer_condition_met(const struct hv_vcpu *vcpu)
{
	return met_at(vcpu, hv_vtimer_count(vcpu));
}

struct hv_vcpu *hv_vtimer_update(struct hv_vcpu *vcpu)
{
	struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	bool met = hv_vtimer_condition_met(vcpu);
	if (met)
		t->cntv_ctl_el0 |= HV_CNTV_CTL_ISTATUS;
	else
		t->cntv_ctl_el0 &= ~HV_CNTV_CTL_ISTATUS;
	bool level = met && !(t->cntv_ctl_el0 & HV_CNTV_CTL_IMASK);
	if (level == vcpu->vtimer.line)
		return NULL;
	vcpu->vtimer.line = level;
	return hv_vtimer_drive_ppi(vcpu, level);
}

static uint64_t freq_of(const struct hv_vcpu *vcpu)
{
	if (vcpu->vm && vcpu->vm->vtimer.conv.freq)
		return vcpu->vm->vtimer.conv.freq;
	return hv_arch_counter_freq();
}

static hv_status_t read_reg(struct hv_vcpu *vcpu, uint32_t sysreg, uint64_t *value)
{
	const struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	uint64_t count = hv_vtimer_count(vcpu);
	switch (sysreg) {
	case HV_SYSREG_CNTV_CTL_EL0:
		*value = (t->cntv_ctl_el0 & CTL_WRITABLE) |
		         (met_at(vcpu, count) ? HV_CNTV_CTL_ISTATUS : 0);
		return HV_OK;
	case HV_SYSREG_CNTV_CVAL_EL0: *value = t->cntv_cval_el0; return HV_OK;
	case HV_SYSREG_CNTV_TVAL_EL0: *value = (uint32_t)(t->cntv_cval_el0 - count); return HV_OK;
	case HV_SYSREG_CNTVCT_EL0: *value = count; return HV_OK;
	case HV_SYSREG_CNTPCT_EL0: *value = hv_arch_counter(); return HV_OK;
	case HV_SYSREG_CNTFRQ_EL0: *value = freq_of(vcpu); return HV_OK;
	default: return HV_ERR_NOT_SUPPORTED;
	}
}

static hv_status_t write_reg(struct hv_vcpu *vcpu, uint32_t sysreg, uint64_t value)
{
	struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	switch (sysreg) {
	case HV_SYSREG_CNTV_CTL_EL0:
		t->cntv_ctl_el0 = (t->cntv_ctl_el0 & HV_CNTV_CTL_ISTATUS) | (value & CTL_WRITABLE);
		break;
	case HV_SYSREG_CNTV_CVAL_EL0: t->cntv_cval_el0 = value; break;
	case HV_SYSREG_CNTV_TVAL_EL0:
		t->cntv_cval_el0 =
		    hv_vtimer_count(vcpu) + (uint64_t)(int64_t)(int32_t)(uint32_t)value;
		break;
	case HV_SYSREG_CNTVCT_EL0:
	case HV_SYSREG_CNTPCT_EL0:
	case HV_SYSREG_CNTFRQ_EL0: return HV_ERR_DENIED; /* read-only at EL1 */
	default: return HV_ERR_NOT_SUPPORTED;
	}
	(void)hv_vtimer_update(vcpu);
	return HV_OK;
}

hv_status_t hv_vtimer_sysreg_access(struct hv_vcpu *vcpu, uint32_t sysreg, bool is_write,
                                    uint64_t *value)
{
	if (!vcpu || !value)
		return HV_ERR_INVALID;
	return is_write ? write_reg(vcpu, sysreg, *value) : read_reg(vcpu, sysreg, value);
}

void hv_vtimer_migrate(const struct hv_vcpu *vcpu, struct hv_vtimer_migration *out)
{
	const struct hv_vtimer_regs *t = &vcpu->ctx.timer;
	uint64_t count = hv_vtimer_count(vcpu);
	hv_memset(out, 0, sizeof(*out));
	out->offset = t->cntvoff_el2;
	out->vcpu_id = vcpu->id;
	out->deadline_pct = t->cntv_cval_el0 + t->cntvoff_el2;
	bool armed =
	    (t->cntv_ctl_el0 & HV_CNTV_CTL_ENABLE) && !(t->cntv_ctl_el0 & HV_CNTV_CTL_IMASK);
	if (!armed || vcpu->vtimer.line)
		return; /* the line cannot rise (again): no host timer */
	out->migrate = true;
	/* Due already, but not yet seen (the line was last driven before the
	 * deadline, e.g. by the entry before the idle exit): a wake-up now,
	 * delay 0. Saying "no timer" here loses it: the host would sleep
	 * until some other event. */
	if (met_at(vcpu, count))
		return;
	out->delay_ticks = t->cntv_cval_el0 - count;
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
	return vcpu->vtimer.line ? vcpu : NULL;
}
