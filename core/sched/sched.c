/* SPDX-License-Identifier: Apache-2.0 */
/* The run/idle/wake protocol (hv/sched.h, where it is stated). */
#include <hv/arch.h>
#include <hv/sched.h>

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK  2u

hv_status_t hv_sched_init(struct hv_sched *s, unsigned nr_cpus, unsigned nr_vcpus)
{
	if (!s || nr_cpus == 0 || nr_cpus > HV_SCHED_MAX_CPUS || nr_vcpus == 0 ||
	    nr_vcpus > HV_SCHED_MAX_VCPUS)
		return HV_ERR_INVALID;
	s->nr_cpus = nr_cpus < nr_vcpus ? nr_cpus : nr_vcpus;
	s->nr_vcpus = nr_vcpus;
	for (unsigned c = 0; c < HV_SCHED_MAX_CPUS; c++) {
		s->where[c] = HV_SCHED_EL2;
		s->last[c] = nr_vcpus - 1;
		s->run[c] = 0;
	}
	for (unsigned v = 0; v < HV_SCHED_MAX_VCPUS; v++)
		s->idle[v] = 0;
	s->kicks_sent = s->kicks_elided = 0;
	return HV_OK;
}

unsigned hv_sched_home(const struct hv_sched *s, unsigned vcpu)
{
	return vcpu % s->nr_cpus;
}

unsigned hv_sched_cpus_used(const struct hv_sched *s)
{
	return s->nr_cpus;
}

unsigned hv_sched_vcpus_on(const struct hv_sched *s, unsigned cpu)
{
	unsigned n = 0;
	for (unsigned v = 0; v < s->nr_vcpus; v++)
		n += hv_sched_home(s, v) == cpu;
	return n;
}

void hv_sched_publish(struct hv_sched *s, unsigned cpu, enum hv_sched_where where)
{
	hv_arch_atomic_store_release_u32(&s->where[cpu], (uint32_t)where);
	hv_arch_atomic_fence(); /* the store before the CPU's last look */
}

void hv_sched_in_el2(struct hv_sched *s, unsigned cpu)
{
	hv_arch_atomic_store_release_u32(&s->where[cpu], HV_SCHED_EL2);
}

/* The kick decision for CPU `cpu`, after the caller's fence. */
static bool must_kick(struct hv_sched *s, unsigned cpu, unsigned self)
{
	uint32_t where = hv_arch_atomic_load_acquire_u32(&s->where[cpu]);
	if (cpu == self)
		return false; /* the caller looks again itself */
	if (where == HV_SCHED_EL2) {
		hv_arch_atomic_fetch_add_u32(&s->kicks_elided, 1);
		return false;
	}
	hv_arch_atomic_fetch_add_u32(&s->kicks_sent, 1);
	return true;
}

bool hv_sched_wake(struct hv_sched *s, unsigned vcpu, unsigned self)
{
	hv_arch_atomic_fence(); /* the caller's "runnable" before the read */
	return must_kick(s, hv_sched_home(s, vcpu), self);
}

void hv_sched_run_begin(struct hv_sched *s, unsigned cpu, uint32_t key)
{
	hv_arch_atomic_store_release_u32(&s->run[cpu], key);
}

void hv_sched_run_end(struct hv_sched *s, unsigned cpu)
{
	hv_arch_atomic_store_release_u32(&s->run[cpu], 0);
}

bool hv_sched_wake_run(struct hv_sched *s, uint32_t key, unsigned self, unsigned *cpu)
{
	hv_arch_atomic_fence(); /* the caller's "runnable" before the reads */
	for (unsigned c = 0; c < s->nr_cpus; c++) {
		uint32_t run = hv_arch_atomic_load_acquire_u32(&s->run[c]);
		if (run && (run == key || key == HV_SCHED_RUN_ANY)) {
			*cpu = c;
			return must_kick(s, c, self);
		}
	}
	return false; /* no RUN of it in progress: its next one looks */
}

int hv_sched_pick(struct hv_sched *s, unsigned cpu, hv_sched_ready_fn ready, void *arg)
{
	unsigned n = s->nr_vcpus;
	for (unsigned k = 1; k <= n; k++) {
		unsigned v = (s->last[cpu] + k) % n;
		if (hv_sched_home(s, v) == cpu && ready(arg, v)) {
			s->last[cpu] = v;
			return (int)v;
		}
	}
	if (hv_arch_atomic_load_acquire_u32(&s->run[cpu]) && ready(arg, HV_SCHED_RUN_ENTRY))
		return HV_SCHED_RUN_ENTRY;
	return -1;
}

bool hv_sched_may_sleep(struct hv_sched *s, unsigned cpu, hv_sched_ready_fn ready, void *arg)
{
	hv_sched_publish(s, cpu, HV_SCHED_IDLE);
	return hv_sched_idle_recheck(s, cpu, ready, arg);
}

bool hv_sched_idle_recheck(struct hv_sched *s, unsigned cpu, hv_sched_ready_fn ready, void *arg)
{
	for (unsigned v = 0; v < s->nr_vcpus; v++) {
		if (hv_sched_home(s, v) == cpu && ready(arg, v)) {
			hv_sched_in_el2(s, cpu);
			return false;
		}
	}
	if (hv_arch_atomic_load_acquire_u32(&s->run[cpu]) && ready(arg, HV_SCHED_RUN_ENTRY)) {
		hv_sched_in_el2(s, cpu);
		return false;
	}
	return true;
}

uint64_t hv_sched_idle_deadline(const struct hv_sched_timer *t, unsigned n)
{
	uint64_t earliest = UINT64_MAX;
	for (unsigned i = 0; i < n; i++) {
		if (!t[i].on || t[i].line || t[i].hw_signals ||
		    (t[i].ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) != CNTV_CTL_ENABLE)
			continue;
		uint64_t when = t[i].cval + t[i].cntvoff; /* physical count */
		if (when < earliest)
			earliest = when;
	}
	return earliest;
}
