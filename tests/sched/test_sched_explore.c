/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Every interleaving of the run/idle/wake protocol (hv/sched.h), explored:
 * a depth-first search over the model's states (sched_model.c: CPUs running
 * the port's loop, wakers making vCPUs runnable, each step one atomic
 * action through core/sched's real functions), every state visited once.
 * In every state where nothing can step any more (all wakers done, every
 * CPU asleep without a kick), every wake-up must have been delivered: no
 * interrupt left pending in the vGIC or in a list register. No step bound
 * is needed: the state space is finite and the search exhausts it.
 *
 * The explorer is shown to catch a lost wake-up: with the idle decision's
 * look done BEFORE publishing IDLE (M_BUG_LOOK_BEFORE_IDLE), it finds, e.g.
 * for 2 CPUs and 2 vCPUs:
 *   CPU 1 looks: vCPU 1 idle, nothing ready;
 *   the waker on CPU 0 makes vCPU 1 runnable, reads CPU 1's EL2: no kick;
 *   CPU 1 publishes IDLE and sleeps; vCPU 1's interrupt stays pending.
 * ("2 cpus 2 vcpus 2 wakers variant 1: 2401 states, ... 97 states with a
 * lost wake-up"), and, with two wake-ups per vCPU, the vGIC flush done
 * before publishing GUEST (M_BUG_FLUSH_BEFORE_GUEST): a vCPU kicked out of
 * its guest is entered again with an interrupt injected between the flush
 * and the publish, and its guest may spin without an exit ("1964 states
 * with a lost wake-up").
 *
 * Timers and power (PSCI CPU_ON/OFF) are steps of their own: a guest arms
 * its virtual timer, the timer expires at any later moment (signalled by
 * the CPU's PPI while the timer is on that CPU's hardware, by the EL2 timer
 * a sleeping CPU set to hv_sched_idle_deadline otherwise), a guest powers
 * itself off, another CPU powers a vCPU on. Two more broken variants are
 * caught: a CPU that sleeps without arming the idle deadline
 * (M_BUG_NO_IDLE_DEADLINE; 2 CPUs, 3 vCPUs: the boot vCPU arms its timer
 * and idles, vCPU 2 is powered on and runs on the same CPU, so its timer
 * is on the hardware; vCPU 2 idles, the CPU sleeps, the boot vCPU's timer
 * expires with nothing to signal it: "60 states with a lost wake-up"),
 * and a CPU_ON that marks the vCPU on without hv_sched_wake
 * (M_BUG_POWER_ON_WITHOUT_WAKE: "14 states"). Sizes and times are printed
 * (one line each); the largest, 3 CPUs and 4 vCPUs, has 3.66 M states,
 * with timers and power 2 CPUs and 3 vCPUs 1.80 M.
 *
 * Host mode (run): host vCPU 0 RUNs a server VM's vCPU R on CPU 0, whose
 * RUN entry shares CPU 0 with the host's vCPUs (sched_model.h). The same
 * mutation in the RUN's idle path is caught (M_BUG_RUN_LOOK_BEFORE_IDLE,
 * 2 CPUs, 2 host vCPUs):
 *   R's guest WFIs; CPU 0, back at EL2, picks: nothing ready;
 *   the server call on CPU 1 (IRQ_LINE of R) registers as a waiter and
 *   reads CPU 0's EL2: no kick; it waits for the RUN to give way;
 *   CPU 0 publishes IDLE and sleeps in the RUN: the call waits for ever
 * ("2 cpus 2 vcpus 2+0 wakers run server variant 5: 320433 states, ... 183
 * states with a lost wake-up", and end states that deadlock); an SGI to
 * host vCPU 0 (the host needing its CPU back) is lost the same way.
 *
 * Two RUN entries (run2): host vCPUs 0 and 1 RUN R_0 and R_1 on CPUs 0 and
 * 1. The server's lock lets one RUN at a time hold the server; every call
 * (the other RUN too) counts itself a waiter and wakes the RUN holding the
 * server (hv_sched_wake_run, HV_SCHED_RUN_ANY); R_0's SGI to R_1 ends R_0's
 * RUN with an IPI exit and host vCPU 0's driver wakes R_1's thread by an
 * IPI to host vCPU 1. A server call that wakes the RUN of the vCPU it is
 * about rather than the one holding the server (M_BUG_WAKE_RUN_BY_KEY) is
 * caught only there (with one RUN entry the two are the same; "2 cpus 2
 * vcpus run server variant 6": no lost wake-up in 3440 states):
 *   CPU 0 RUNs R_0, whose guest WFIs; CPU 0 picks, publishes IDLE, looks
 *   again (no waiter) and sleeps in the RUN, holding the server;
 *   host vCPU 1 calls RUN of R_1: it counts itself a waiter and wakes
 *   R_1's RUN: none in progress, no kick; it waits for the server for ever
 * ("2 cpus 2 vcpus 0+0 wakers run2 variant 6: 82632 states, ... 82 states
 * with a lost wake-up"; the server waker's IRQ_LINE of R_1 is lost the
 * same way). The server's waiters kept as a flag rather than a count
 * (M_BUG_WAITERS_FLAG) is caught now that a RUN call is a waiter too, with
 * one RUN entry already: CPU 0's RUN call and the server waker both wait,
 * CPU 0 takes the lock and clears the flag, R idles, CPU 0 sleeps in the
 * RUN, the server waker waits for ever ("4 states with a lost wake-up" of
 * 3776).
 */
#include <criterion/criterion.h>
#include <hvsim/arch_sim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sched_model.h"

#define TABLE_BITS 23 /* 8 M slots of 64-bit keys */
#define STACK_CAP  ((size_t)1 << 23)

struct explorer {
	uint64_t *table; /* packed state + 1; 0: empty slot */
	uint64_t *stack;
	size_t states, transitions, quiescent, bad, lost;
};

static uint64_t mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	return k;
}

/* True if `key` was new (and is now recorded). */
static bool visit(struct explorer *e, uint64_t key)
{
	size_t mask = ((size_t)1 << TABLE_BITS) - 1;
	for (size_t i = mix(key) & mask;; i = (i + 1) & mask) {
		if (!e->table[i]) {
			e->table[i] = key + 1;
			e->states++;
			cr_assert_lt(e->states, mask / 2, "state table too small");
			return true;
		}
		if (e->table[i] == key + 1)
			return false;
	}
}

static void explore(const struct m_config *cfg, struct explorer *e)
{
	memset(e, 0, sizeof(*e));
	e->table = calloc((size_t)1 << TABLE_BITS, sizeof(uint64_t));
	e->stack = malloc(STACK_CAP * sizeof(uint64_t));
	cr_assert(e->table && e->stack);
	size_t top = 0;
	struct m_state cur, next;
	m_init(cfg, &cur);
	visit(e, m_pack(cfg, &cur));
	e->stack[top++] = m_pack(cfg, &cur);
	while (top) {
		m_unpack(cfg, e->stack[--top], &cur);
		e->lost += m_lost(cfg, &cur);
		bool any = false;
		for (unsigned a = 0; a < m_actors(cfg); a++) {
			for (unsigned choice = 0; choice < M_CHOICES; choice++) {
				next = cur;
				if (!m_step(cfg, &next, a, choice))
					continue;
				any = true;
				e->transitions++;
				uint64_t key = m_pack(cfg, &next);
				if (visit(e, key)) {
					cr_assert_lt(top, STACK_CAP, "search stack too small");
					e->stack[top++] = key;
				}
			}
		}
		if (!any) {
			e->quiescent++;
			e->bad += !m_quiescent_ok(cfg, &cur);
		}
	}
	free(e->stack);
	free(e->table);
}

static double seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void report(const struct m_config *cfg, const struct explorer *e, double t)
{
	printf("sched explore: %u cpus %u vcpus %u+%u wakers%s%s%s%s%s variant %d: %zu states, %zu "
	       "transitions, %zu quiescent (%zu undelivered), %zu states with a lost wake-up, "
	       "%.2f s\n",
	       cfg->cpus, cfg->vcpus, cfg->wakers, cfg->on_wakers, cfg->timers ? " timers" : "",
	       cfg->power ? " power" : "", cfg->run ? " run" : "", cfg->run2 ? "2" : "",
	       cfg->server_waker ? " server" : "", (int)cfg->variant, e->states, e->transitions,
	       e->quiescent, e->bad, e->lost, t);
}

static void check(struct m_config cfg, bool expect_lost)
{
	sim_arch_reset();
	cr_assert(cfg.cpus <= M_CPUS && cfg.vcpus <= M_VCPUS && cfg.cpus <= cfg.vcpus &&
	          cfg.wakers <= M_WAKERS && cfg.on_wakers <= M_WAKERS && !(cfg.run && cfg.power) &&
	          (!cfg.run2 || (cfg.run && cfg.cpus >= 2)));
	cr_assert_leq(m_key_bits(&cfg), 64, "configuration needs %u bits of state",
	              m_key_bits(&cfg));
	static struct explorer e;
	double t0 = seconds();
	explore(&cfg, &e);
	report(&cfg, &e, seconds() - t0);
	cr_assert_gt(e.quiescent, 0, "the search reached no end state");
	if (expect_lost) {
		cr_assert_gt(e.lost, 0, "the explorer missed the lost wake-up");
	} else {
		cr_assert_eq(e.bad, 0, "a quiescent state with an undelivered interrupt");
		cr_assert_eq(e.lost, 0, "a state where a wake-up is already lost");
	}
}

/* SGIs from other CPUs only (every vCPU on, no timers). */
Test(sched_explore, two_cpus_two_vcpus)
{
	check((struct m_config){.cpus = 2, .vcpus = 2, .wakers = 2}, false);
}

Test(sched_explore, two_cpus_two_vcpus_two_wakes_each)
{
	check((struct m_config){.cpus = 2, .vcpus = 2, .wakers = 4}, false);
}

Test(sched_explore, two_cpus_four_vcpus)
{
	check((struct m_config){.cpus = 2, .vcpus = 4, .wakers = 4}, false);
}

Test(sched_explore, three_cpus_three_vcpus)
{
	check((struct m_config){.cpus = 3, .vcpus = 3, .wakers = 3}, false);
}

Test(sched_explore, three_cpus_four_vcpus, .timeout = 60)
{
	check((struct m_config){.cpus = 3, .vcpus = 4, .wakers = 4}, false);
}

/* Virtual timers (each guest may arm its timer once; it expires at any
 * later moment, signalled by the CPU's PPI if it is on the hardware, by the
 * idle deadline's EL2 timer otherwise) and PSCI power (vCPUs other than 0
 * start off; CPU_ON from another CPU; each guest may CPU_OFF once). */
Test(sched_explore, two_cpus_two_vcpus_timers)
{
	check((struct m_config){.cpus = 2, .vcpus = 2, .wakers = 2, .timers = true}, false);
}

Test(sched_explore, two_cpus_two_vcpus_timers_power)
{
	check(
	    (struct m_config){
	        .cpus = 2, .vcpus = 2, .wakers = 1, .on_wakers = 1, .timers = true, .power = true},
	    false);
}

/* CPU 0 shares its time between the boot vCPU and vCPU 2 (CPU_ON). */
Test(sched_explore, two_cpus_three_vcpus_timers_power, .timeout = 60)
{
	check(
	    (struct m_config){.cpus = 2, .vcpus = 3, .on_wakers = 2, .timers = true, .power = true},
	    false);
}

Test(sched_explore, three_cpus_three_vcpus_timers_power, .timeout = 60)
{
	check(
	    (struct m_config){
	        .cpus = 3, .vcpus = 3, .wakers = 1, .on_wakers = 1, .timers = true, .power = true},
	    false);
}

/* Each deliberately broken variant is caught. */
Test(sched_explore, catches_look_before_publishing_idle)
{
	check(
	    (struct m_config){
	        .cpus = 2, .vcpus = 2, .wakers = 2, .variant = M_BUG_LOOK_BEFORE_IDLE},
	    true);
}

Test(sched_explore, catches_flush_before_publishing_guest)
{
	check(
	    (struct m_config){
	        .cpus = 2, .vcpus = 2, .wakers = 4, .variant = M_BUG_FLUSH_BEFORE_GUEST},
	    true);
}

Test(sched_explore, catches_sleep_without_idle_deadline)
{
	check((struct m_config){.cpus = 2,
	                        .vcpus = 3,
	                        .on_wakers = 1,
	                        .timers = true,
	                        .power = true,
	                        .variant = M_BUG_NO_IDLE_DEADLINE},
	      true);
}

Test(sched_explore, catches_power_on_without_wake)
{
	check((struct m_config){.cpus = 2,
	                        .vcpus = 2,
	                        .on_wakers = 1,
	                        .power = true,
	                        .variant = M_BUG_POWER_ON_WITHOUT_WAKE},
	      true);
}

/* Host mode: host vCPU 0 on CPU 0 RUNs a server VM's vCPU R, whose RUN
 * entry shares CPU 0 with the host's vCPUs; R's vCPU idles at EL2 and is
 * woken by another CPU's server call (IRQ_LINE), by its timer, or gives
 * the CPU back when a host vCPU of CPU 0 gets an SGI from another CPU. */
Test(sched_explore, run_two_cpus_two_vcpus)
{
	check(
	    (struct m_config){
	        .cpus = 2, .vcpus = 2, .wakers = 2, .run = true, .server_waker = true},
	    false);
}

Test(sched_explore, run_two_cpus_two_vcpus_timers, .timeout = 60)
{
	check((struct m_config){.cpus = 2,
	                        .vcpus = 2,
	                        .wakers = 1,
	                        .timers = true,
	                        .run = true,
	                        .server_waker = true},
	      false);
}

/* CPU 0 interleaves host vCPUs 0 and 2 and R's RUN entry. */
Test(sched_explore, run_two_cpus_three_vcpus, .timeout = 60)
{
	check((struct m_config){.cpus = 2, .vcpus = 3, .wakers = 3, .run = true}, false);
}

Test(sched_explore, run_three_cpus_three_vcpus, .timeout = 60)
{
	check(
	    (struct m_config){
	        .cpus = 3, .vcpus = 3, .wakers = 2, .run = true, .server_waker = true},
	    false);
}

Test(sched_explore, catches_run_look_before_publishing_idle)
{
	check((struct m_config){.cpus = 2,
	                        .vcpus = 2,
	                        .wakers = 2,
	                        .run = true,
	                        .server_waker = true,
	                        .variant = M_BUG_RUN_LOOK_BEFORE_IDLE},
	      true);
}

/* Two RUN entries: host vCPU 0 on CPU 0 RUNs R_0, host vCPU 1 on CPU 1 RUNs
 * R_1 (sched_model.h): the server lock lets one RUN at a time hold the
 * server, the other RUN call and the server waker (IRQ_LINE of either R)
 * wait as waiters; R_0's and R_1's guests SGI each other through the IPI
 * exit and the host's driver. With timers, R_0's and R_1's only (the
 * host's too, or with the server waker, is over 16 M states). */
Test(sched_explore, run2_two_cpus_two_vcpus, .timeout = 60)
{
	check(
	    (struct m_config){
	        .cpus = 2, .vcpus = 2, .run = true, .run2 = true, .server_waker = true},
	    false);
}

Test(sched_explore, run2_two_cpus_two_vcpus_timers, .timeout = 60)
{
	check((struct m_config){.cpus = 2,
	                        .vcpus = 2,
	                        .timers = true,
	                        .r_timers_only = true,
	                        .run = true,
	                        .run2 = true},
	      false);
}

/* Only with two RUN entries (see the top of this file). */
Test(sched_explore, catches_wake_run_by_key)
{
	check(
	    (struct m_config){
	        .cpus = 2, .vcpus = 2, .run = true, .run2 = true, .variant = M_BUG_WAKE_RUN_BY_KEY},
	    true);
}

/* More than one waiter for the server (see the top of this file). */
Test(sched_explore, catches_waiters_flag)
{
	check((struct m_config){.cpus = 2,
	                        .vcpus = 2,
	                        .run = true,
	                        .server_waker = true,
	                        .variant = M_BUG_WAITERS_FLAG},
	      true);
}
