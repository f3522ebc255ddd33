/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The ticket lock (hv/ticket_lock.h, core/lib/ticket_lock.c) on host
 * threads racing through the seam's real atomics (sim/arch/atomics_sim.c):
 * mutual exclusion, and fairness as an order, not a time: the lock is
 * granted in exactly the order tickets were taken, so a CPU waits for at
 * most the CPUs that arrived before it (a test-and-set lock gives no such
 * bound: one CPU may win every round).
 */
#include <criterion/criterion.h>
#include <hv/ticket_lock.h>
#include <hvsim/arch_sim.h>
#include <pthread.h>

#define THREADS 4
#define ROUNDS  3000

static struct hv_ticket_lock lock = HV_TICKET_LOCK_INIT;
static uint32_t grants[THREADS * ROUNDS]; /* ticket of the n-th holder */
static unsigned holder[THREADS * ROUNDS];
static unsigned nr_grants;
static unsigned inside; /* holders at once: must stay 1 */
static unsigned max_queued;

static void *contend(void *arg)
{
	unsigned me = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < ROUNDS; i++) {
		uint32_t ticket = hv_ticket_lock(&lock);
		unsigned n = nr_grants; /* plain accesses: the lock orders them */
		inside++;
		grants[n] = ticket;
		holder[n] = me;
		uint32_t queued = hv_ticket_lock_queued(&lock);
		if (queued > max_queued)
			max_queued = queued;
		nr_grants = n + 1;
		inside--;
		hv_ticket_unlock(&lock);
	}
	return NULL;
}

static void setup(void)
{
	sim_arch_reset();
}

TestSuite(ticket_lock, .init = setup);

Test(ticket_lock, single_cpu_takes_tickets_in_order)
{
	struct hv_ticket_lock l = HV_TICKET_LOCK_INIT;
	for (uint32_t t = 0; t < 5; t++) {
		cr_assert_eq(hv_ticket_lock(&l), t);
		cr_assert_eq(hv_ticket_lock_queued(&l), 1);
		hv_ticket_unlock(&l);
		cr_assert_eq(hv_ticket_lock_queued(&l), 0);
	}
}

Test(ticket_lock, tickets_wrap_around)
{
	struct hv_ticket_lock l = {UINT32_MAX, UINT32_MAX};
	cr_assert_eq(hv_ticket_lock(&l), UINT32_MAX);
	hv_ticket_unlock(&l);
	cr_assert_eq(hv_ticket_lock(&l), 0);
	hv_ticket_unlock(&l);
	cr_assert_eq(hv_ticket_lock_queued(&l), 0);
}

Test(ticket_lock, contended_grants_follow_arrival_order)
{
	pthread_t th[THREADS];
	for (unsigned i = 0; i < THREADS; i++)
		cr_assert_eq(pthread_create(&th[i], NULL, contend, (void *)(uintptr_t)i), 0);
	for (unsigned i = 0; i < THREADS; i++)
		pthread_join(th[i], NULL);
	cr_assert_eq(nr_grants, THREADS * ROUNDS); /* no update lost: exclusion */
	cr_assert_eq(inside, 0);
	unsigned per_thread[THREADS] = {0};
	for (unsigned n = 0; n < nr_grants; n++) {
		/* FIFO: the n-th grant went to the n-th ticket taken. */
		cr_assert_eq(grants[n], n, "grant %u served ticket %u", n, grants[n]);
		per_thread[holder[n]]++;
	}
	for (unsigned i = 0; i < THREADS; i++)
		cr_assert_eq(per_thread[i], ROUNDS);
	/* Never more waiting than there are CPUs: each waits for at most
	 * THREADS - 1 holders ahead of it. */
	cr_assert_leq(max_queued, THREADS);
}
