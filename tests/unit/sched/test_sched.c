/* SPDX-License-Identifier: Apache-2.0 */
/* core/sched's step functions one at a time (hv/sched.h); their
 * interleavings are tests/sched/test_sched_explore.c's. */
#include <criterion/criterion.h>
#include <hv/sched.h>
#include <hvsim/arch_sim.h>

static struct hv_sched s;

static void setup(void)
{
	sim_arch_reset();
	cr_assert_eq(hv_sched_init(&s, 2, 4), HV_OK);
}

TestSuite(sched, .init = setup);

Test(sched, init_refuses_bad_sizes_and_caps_cpus_at_vcpus)
{
	struct hv_sched t;
	cr_assert_eq(hv_sched_init(&t, 0, 2), HV_ERR_INVALID);
	cr_assert_eq(hv_sched_init(&t, 2, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_sched_init(&t, HV_SCHED_MAX_CPUS + 1, 2), HV_ERR_INVALID);
	cr_assert_eq(hv_sched_init(&t, 2, HV_SCHED_MAX_VCPUS + 1), HV_ERR_INVALID);
	cr_assert_eq(hv_sched_init(&t, 4, 2), HV_OK);
	cr_assert_eq(hv_sched_cpus_used(&t), 2);
}

Test(sched, vcpus_live_on_cpu_i_mod_n)
{
	cr_assert_eq(hv_sched_home(&s, 0), 0);
	cr_assert_eq(hv_sched_home(&s, 1), 1);
	cr_assert_eq(hv_sched_home(&s, 2), 0);
	cr_assert_eq(hv_sched_vcpus_on(&s, 0), 2);
	cr_assert_eq(hv_sched_vcpus_on(&s, 1), 2);
}

static bool ready_mask(void *arg, unsigned v)
{
	return (*(unsigned *)arg >> v) & 1u;
}

Test(sched, pick_round_robins_the_cpus_own_ready_vcpus)
{
	unsigned ready = 0xf;
	cr_assert_eq(hv_sched_pick(&s, 0, ready_mask, &ready), 0);
	cr_assert_eq(hv_sched_pick(&s, 0, ready_mask, &ready), 2);
	cr_assert_eq(hv_sched_pick(&s, 0, ready_mask, &ready), 0);
	ready = 0x2; /* only vCPU 1, which is CPU 1's */
	cr_assert_eq(hv_sched_pick(&s, 0, ready_mask, &ready), -1);
	cr_assert_eq(hv_sched_pick(&s, 1, ready_mask, &ready), 1);
}

Test(sched, wake_kicks_only_a_cpu_in_its_guest_or_idle)
{
	cr_assert_not(hv_sched_wake(&s, 1, 0)); /* CPU 1 at EL2: it will look */
	hv_sched_publish(&s, 1, HV_SCHED_GUEST);
	cr_assert(hv_sched_wake(&s, 1, 0));
	cr_assert(hv_sched_wake(&s, 3, 0));     /* another vCPU of CPU 1: kicked too */
	cr_assert_not(hv_sched_wake(&s, 1, 1)); /* its own CPU looks itself */
	hv_sched_in_el2(&s, 1);
	cr_assert_not(hv_sched_wake(&s, 1, 0));
	hv_sched_publish(&s, 1, HV_SCHED_IDLE);
	cr_assert(hv_sched_wake(&s, 1, 0));
	cr_assert_eq(s.kicks_sent, 3);
	cr_assert_eq(s.kicks_elided, 2);
}

Test(sched, may_sleep_publishes_idle_then_looks_again)
{
	unsigned ready = 0;
	cr_assert(hv_sched_may_sleep(&s, 0, ready_mask, &ready));
	cr_assert_eq(s.where[0], HV_SCHED_IDLE);
	ready = 0x4; /* vCPU 2 (CPU 0's) became ready */
	cr_assert_not(hv_sched_may_sleep(&s, 0, ready_mask, &ready));
	cr_assert_eq(s.where[0], HV_SCHED_EL2); /* back at EL2: it runs it */
}

Test(sched, idle_deadline_is_the_earliest_unsignalled_timer)
{
	struct hv_sched_timer t[5] = {
	    {.ctl = 1, .cval = 500, .cntvoff = 100, .on = true},    /* 600 */
	    {.ctl = 1, .cval = 300, .cntvoff = 100, .on = true},    /* 400 */
	    {.ctl = 3, .cval = 10, .on = true},                     /* masked */
	    {.ctl = 1, .cval = 20, .on = true, .line = true},       /* signalled */
	    {.ctl = 1, .cval = 30, .on = true, .hw_signals = true}, /* its PPI wakes */
	};
	cr_assert_eq(hv_sched_idle_deadline(t, 5), 400);
	t[1].on = false;
	cr_assert_eq(hv_sched_idle_deadline(t, 5), 600);
	t[0].ctl = 0; /* disabled */
	cr_assert_eq(hv_sched_idle_deadline(t, 5), UINT64_MAX);
	cr_assert_eq(hv_sched_idle_deadline(t, 0), UINT64_MAX);
}

/* ready_mask's bit for a CPU's RUN entry. */
static bool ready_run(void *arg, unsigned v)
{
	unsigned mask = *(unsigned *)arg;
	return v == HV_SCHED_RUN_ENTRY ? (mask >> 31) & 1u : (mask >> v) & 1u;
}

Test(sched, run_entry_after_the_hosts_ready_vcpus)
{
	unsigned ready = 1u << 31; /* only a RUN entry has work... */
	cr_assert_eq(hv_sched_pick(&s, 0, ready_run, &ready), -1); /* ...but none is in progress */
	hv_sched_run_begin(&s, 0, 7);
	cr_assert_eq(hv_sched_pick(&s, 0, ready_run, &ready), HV_SCHED_RUN_ENTRY);
	cr_assert_eq(hv_sched_pick(&s, 1, ready_run, &ready), -1); /* CPU 1 has no RUN */
	ready |= 1u << 2; /* host vCPU 2 of CPU 0: it needs its CPU back, first */
	cr_assert_eq(hv_sched_pick(&s, 0, ready_run, &ready), 2);
	ready = 0;
	cr_assert_eq(hv_sched_pick(&s, 0, ready_run, &ready), -1);
	hv_sched_run_end(&s, 0);
	ready = 1u << 31;
	cr_assert_eq(hv_sched_pick(&s, 0, ready_run, &ready), -1);
}

Test(sched, run_entry_idle_looks_at_it_after_publishing_idle)
{
	unsigned ready = 0;
	hv_sched_run_begin(&s, 1, 7);
	cr_assert(hv_sched_may_sleep(&s, 1, ready_run, &ready));
	cr_assert_eq(s.where[1], HV_SCHED_IDLE);
	ready = 1u << 31; /* the RUN's vCPU became runnable meanwhile */
	cr_assert_not(hv_sched_may_sleep(&s, 1, ready_run, &ready));
	cr_assert_eq(s.where[1], HV_SCHED_EL2);
}

Test(sched, wake_run_kicks_the_cpu_serving_it_unless_at_el2)
{
	unsigned cpu = 99;
	cr_assert_not(hv_sched_wake_run(&s, HV_SCHED_RUN_ANY, 0, &cpu)); /* no RUN */
	hv_sched_run_begin(&s, 1, 7);
	cr_assert_not(hv_sched_wake_run(&s, 7, 0, &cpu)); /* CPU 1 at EL2: it looks */
	cr_assert_eq(cpu, 1);
	hv_sched_publish(&s, 1, HV_SCHED_IDLE);
	cpu = 99;
	cr_assert_not(hv_sched_wake_run(&s, 8, 0, &cpu)); /* another vCPU's: none */
	cr_assert_eq(cpu, 99);
	cr_assert(hv_sched_wake_run(&s, 7, 0, &cpu));
	cr_assert_eq(cpu, 1);
	cr_assert(hv_sched_wake_run(&s, HV_SCHED_RUN_ANY, 0, &cpu));
	cr_assert_not(hv_sched_wake_run(&s, 7, 1, &cpu)); /* from its own CPU */
	hv_sched_run_end(&s, 1);
	cr_assert_not(hv_sched_wake_run(&s, 7, 0, &cpu));
}
