/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run/idle/wake protocol (hv/sched.h) on real host threads, built with
 * ThreadSanitizer (tests/sched/tests.cmake): CPU threads run the port's
 * loop through core/sched (pick, publish GUEST, flush, run, back at EL2;
 * publish IDLE, recheck, sleep until a kick), while waker threads make
 * random vCPUs runnable from other CPUs (an SGI, a timer expiry taken on
 * another CPU, CPU_ON, IRQ_LINE from a host thread: each sets the vCPU's
 * pending interrupt, then asks hv_sched_wake whether to kick). When the
 * wakers are done and every CPU sleeps, every interrupt must have been
 * delivered: a lost wake-up leaves one pending under a sleeping CPU. TSan
 * reports any data race on the protocol's state (a report fails the test).
 * Exit status 0 on success; output is a few lines.
 */
#include <hv/sched.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

#define CPUS   3
#define VCPUS  4
#define WAKERS 2
#define WAKES  20000 /* per waker */

static struct hv_sched s;
static uint32_t pending[VCPUS];   /* interrupt in the vGIC (atomic) */
static uint32_t injected[VCPUS];  /* 0 -> 1 transitions of pending */
static uint32_t delivered[VCPUS]; /* taken by the guest (home CPU only) */
static uint32_t kick[CPUS];       /* latched kick SGI (atomic) */
static uint32_t asleep[CPUS];     /* in the WFI loop (atomic) */
static uint32_t stop;
static uint8_t idle[VCPUS]; /* home CPU only */

static uint32_t ld(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static bool ready(void *arg, unsigned v)
{
	(void)arg;
	return !idle[v] || ld(&pending[v]);
}

static void *cpu_thread(void *arg)
{
	unsigned c = (unsigned)(uintptr_t)arg;
	while (!ld(&stop)) {
		int v = hv_sched_pick(&s, c, ready, NULL);
		if (v >= 0) {
			hv_sched_publish(&s, c, HV_SCHED_GUEST);
			if (__atomic_exchange_n(&pending[v], 0, __ATOMIC_ACQ_REL))
				delivered[v]++; /* the flush, then the guest takes it */
			idle[v] = 0;
			if (!__atomic_exchange_n(&kick[c], 0, __ATOMIC_ACQ_REL) && !ld(&pending[v]))
				idle[v] = 1; /* its WFI exit with nothing pending */
			hv_sched_in_el2(&s, c);
			continue;
		}
		if (!hv_sched_may_sleep(&s, c, ready, NULL))
			continue;
		__atomic_store_n(&asleep[c], 1, __ATOMIC_RELEASE);
		while (!ld(&kick[c]) && !ld(&stop))
			sched_yield(); /* WFI */
		/* Awake before the kick is consumed: main, which reads the
		 * kick first, never sees this CPU asleep without its kick. */
		__atomic_store_n(&asleep[c], 0, __ATOMIC_RELEASE);
		__atomic_exchange_n(&kick[c], 0, __ATOMIC_ACQ_REL);
		hv_sched_in_el2(&s, c);
	}
	return NULL;
}

static void *waker_thread(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 7919u + 1;
	for (unsigned i = 0; i < WAKES; i++) {
		seed = seed * 1103515245u + 12345u;
		unsigned v = (seed >> 16) % VCPUS;
		unsigned home = hv_sched_home(&s, v);
		unsigned self = (home + 1 + (seed >> 8) % (CPUS - 1)) % CPUS; /* another CPU */
		if (!__atomic_exchange_n(&pending[v], 1, __ATOMIC_ACQ_REL))
			__atomic_fetch_add(&injected[v], 1, __ATOMIC_RELAXED);
		if (hv_sched_wake(&s, v, self))
			__atomic_store_n(&kick[home], 1, __ATOMIC_RELEASE);
		if (i % 64 == 0)
			sched_yield();
	}
	return NULL;
}

int main(void)
{
	if (hv_sched_init(&s, CPUS, VCPUS) != HV_OK)
		return 1;
	for (unsigned v = 0; v < VCPUS; v++)
		idle[v] = 1;
	pthread_t cpu[CPUS], waker[WAKERS];
	for (unsigned c = 0; c < CPUS; c++)
		pthread_create(&cpu[c], NULL, cpu_thread, (void *)(uintptr_t)c);
	for (unsigned w = 0; w < WAKERS; w++)
		pthread_create(&waker[w], NULL, waker_thread, (void *)(uintptr_t)w);
	for (unsigned w = 0; w < WAKERS; w++)
		pthread_join(waker[w], NULL);
	/* Quiescence: every CPU asleep, or a pending interrupt under a CPU
	 * that sleeps with no kick to come (a lost wake-up). */
	for (;;) {
		bool all = true, lost = false;
		for (unsigned c = 0; c < CPUS; c++)
			all &= !ld(&kick[c]) && ld(&asleep[c]);
		if (all) {
			for (unsigned v = 0; v < VCPUS; v++)
				lost |= ld(&pending[v]) != 0;
			__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
			for (unsigned c = 0; c < CPUS; c++)
				pthread_join(cpu[c], NULL);
			unsigned long in = 0, out = 0;
			for (unsigned v = 0; v < VCPUS; v++) {
				in += injected[v];
				out += delivered[v];
			}
			printf(
			    "sched stress: %u wakes, %lu interrupts injected, %lu delivered, kicks "
			    "sent %u elided %u\n",
			    WAKERS * WAKES, in, out, s.kicks_sent, s.kicks_elided);
			if (lost || in != out) {
				printf("FAIL: lost wake-up (an interrupt left pending under a "
				       "sleeping CPU)\n");
				return 1;
			}
			printf("PASS\n");
			return 0;
		}
		sched_yield();
	}
}
