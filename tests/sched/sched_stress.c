/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The run/idle/wake protocol (hv/sched.h) on real host threads, built with
 * ThreadSanitizer (tests/sched/tests.cmake): CPU threads run the port's
 * loop through core/sched (pick, publish GUEST, flush, run, back at EL2;
 * publish IDLE, recheck, sleep until a kick), while waker threads make
 * random vCPUs runnable from other CPUs (an SGI, a timer expiry taken on
 * another CPU, IRQ_LINE from a host thread: each sets the vCPU's pending
 * interrupt, then asks hv_sched_wake whether to kick). vCPUs 2 and 3 also
 * power themselves off (PSCI CPU_OFF: not ready, whatever is pending) and
 * are powered on again by the wakers (CPU_ON: on, then hv_sched_wake); a
 * guest that idles may arm its virtual timer (up to 200 us ahead), which
 * only its own CPU sees: that CPU must wake for it at the idle deadline
 * (hv_sched_idle_deadline over its vCPUs' timers). When the wakers are
 * done, every vCPU is powered on once more and every CPU sleeps, every
 * interrupt must have been delivered and every timer taken: a lost wake-up
 * leaves one pending under a sleeping CPU (or no quiescence: a timer armed
 * under a CPU that sleeps past it). TSan reports any data race on the
 * protocol's state (a report fails the test).
 *
 * `run` (host mode, as ports/el2/guest.c, host_abi.c and
 * abi_runtime_el2.c do it): host vCPUs 0 and 1 are the driver threads of
 * server vCPUs R0 and R1. Entered with work for its R, such a host vCPU
 * calls RUN: it registers as a waiter of the server lock, wakes whichever
 * RUN entry is in progress (hv_sched_wake_run, RUN_ANY), takes the lock,
 * and its CPU's run queue holds R's RUN entry (hv_sched_run_begin) until
 * the call ends: GUEST before each entry, then a look at the server's
 * waiters and the host's wake-ups of this CPU (after the first entry:
 * give the CPU back); R's guest takes its interrupts; at its WFI the CPU
 * waits at EL2 (pick, publish IDLE, look again, sleep) until R or a host
 * vCPU of that CPU is ready or another CPU waits for the server. Server
 * wakers (IRQ_LINE of R from a host thread) take the lock the same way,
 * pend R's interrupt, and wake R's driver vCPU. The host wakers also set
 * the CPU's host_wake flag before hv_sched_wake, as kick_vcpu does. A RUN
 * that never gives way to a waiter, or a CPU that never sleeps, is caught
 * by a watchdog (no progress for 20 s: FAIL); every interrupt to a host
 * vCPU or to R must be delivered at quiescence. Every waker is paced: its
 * next wake waits until the last was taken, so each one reaches a CPU (and
 * a lost one stalls the waker: the watchdog). Mutations, and how many of 5
 * runs failed (host mode / plain): a server_lock without its hv_sched_wake_run
 * (5/-), a RUN's idle wait that looks without publishing IDLE first (5/-),
 * the same in the CPU loop's idle decision (5/5), CPU_ON without its kick
 * (5/5), sleeping without the idle deadline (2/5 in host mode, 5/5).
 *
 * Exit status 0 on success; output is a few lines.
 */
#include <hv/sched.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CPUS         3
#define VCPUS        4
#define WAKERS       2
#define WAKES        10000 /* per waker */
#define DRIVERS      2     /* host mode: host vCPUs 0, 1 drive R0, R1; never off */
#define SERVER_WAKES 10000 /* per driver's server waker */
#ifndef STALL_S
#define STALL_S 20
#endif

static struct hv_sched s;
static bool run_mode;
static uint32_t pending[VCPUS];   /* interrupt in the vGIC (atomic) */
static uint32_t injected[VCPUS];  /* 0 -> 1 transitions of pending */
static uint32_t delivered[VCPUS]; /* taken by the guest (home CPU only) */
static uint32_t kick[CPUS];       /* latched kick SGI (atomic) */
static uint32_t asleep[CPUS];     /* in a WFI loop (atomic) */
static uint32_t host_wake[CPUS];  /* a vCPU of it made runnable since its flush (atomic) */
static uint32_t stop;
static uint32_t wakers_done;         /* waker threads finished (atomic) */
static uint32_t progress;            /* wakes done, RUN calls made (atomic; the watchdog's) */
static uint8_t idle[VCPUS];          /* home CPU only */
static uint32_t vcpu_entries[VCPUS]; /* guest entries outside RUN (home CPU only) */
static uint32_t power[VCPUS];        /* PSCI: on (atomic) */
static uint32_t on_pending[VCPUS];   /* CPU_ON's start not yet taken (atomic) */
static uint32_t no_more_off;         /* the final power-on has begun (atomic) */
static uint64_t tmr_cval[VCPUS];     /* its virtual timer's deadline, ns; 0: none (atomic) */
static uint32_t offs, ons;           /* CPU_OFFs, CPU_ONs done (atomic) */
static uint32_t timers_armed, timers_fired, timers_dropped; /* (atomic) */

/* Host mode: the server (its lock; R's state under it). */
static uint32_t srv_lock, srv_waiters; /* atomic */
static uint32_t r_pending[DRIVERS];    /* R's interrupt in the server VM's vGIC (atomic) */
static uint32_t r_injected[DRIVERS];   /* 0 -> 1 transitions (atomic) */
static uint32_t r_delivered[DRIVERS];  /* under srv_lock */
static uint8_t r_idle[DRIVERS];        /* R in WFI (under srv_lock) */
static uint8_t r_busy[DRIVERS];        /* R's entries before its next WFI (under srv_lock) */
static uint32_t r_work[DRIVERS];       /* R has something to do (atomic; its driver's view) */
static uint32_t runs, run_idle_waits, run_gave_way, run_idle_exits; /* under srv_lock */

static uint32_t ld(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

static void st(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

static bool xchg0(uint32_t *p)
{
	return __atomic_exchange_n(p, 0, __ATOMIC_ACQ_REL) != 0;
}

static uint64_t now_ns(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static bool timer_due(unsigned v)
{
	uint64_t cval = __atomic_load_n(&tmr_cval[v], __ATOMIC_ACQUIRE);
	return cval && now_ns() >= cval;
}

static bool ready(void *arg, unsigned v)
{
	(void)arg;
	return ld(&power[v]) && (!idle[v] || ld(&pending[v]) || ld(&on_pending[v]) || timer_due(v));
}

/* The EL2 timer for a CPU going idle: its powered-on vCPUs' virtual
 * timers, through core/sched's idle deadline. */
static uint64_t idle_deadline(unsigned c)
{
	struct hv_sched_timer t[VCPUS];
	unsigned n = 0;
	for (unsigned v = 0; v < VCPUS; v++) {
		uint64_t cval = __atomic_load_n(&tmr_cval[v], __ATOMIC_ACQUIRE);
		if (hv_sched_home(&s, v) != c || !cval)
			continue;
		t[n++] = (struct hv_sched_timer){
		    .ctl = 1 /* ENABLE */, .cval = cval, .on = ld(&power[v]) != 0};
	}
	return hv_sched_idle_deadline(t, n);
}

/* Another CPU made host vCPU v runnable (kick_vcpu). */
static void wake_vcpu(unsigned v, unsigned self)
{
	unsigned home = hv_sched_home(&s, v);
	if (!__atomic_exchange_n(&pending[v], 1, __ATOMIC_ACQ_REL))
		__atomic_fetch_add(&injected[v], 1, __ATOMIC_RELAXED);
	__atomic_store_n(&host_wake[home], 1, __ATOMIC_RELAXED); /* before the fence */
	if (hv_sched_wake(&s, v, self))
		st(&kick[home], 1);
}

/* The server lock as host_abi.c takes it: a visible waiter first, then
 * the RUN entry in progress (if any) is woken, then the lock. */
static void server_lock(unsigned self)
{
	__atomic_fetch_add(&srv_waiters, 1, __ATOMIC_RELEASE);
	unsigned cpu;
	if (hv_sched_wake_run(&s, HV_SCHED_RUN_ANY, self, &cpu))
		st(&kick[cpu], 1);
	while (__atomic_exchange_n(&srv_lock, 1, __ATOMIC_ACQUIRE))
		sched_yield();
	__atomic_fetch_sub(&srv_waiters, 1, __ATOMIC_RELAXED);
}

static void server_unlock(void)
{
	__atomic_store_n(&srv_lock, 0, __ATOMIC_RELEASE);
}

/* WFI at EL2 until a kick or the EL2 timer armed for the idle deadline. */
static void sleep_until_kick(unsigned c)
{
	uint64_t deadline = idle_deadline(c);
	st(&asleep[c], 1);
	while (!ld(&kick[c]) && !ld(&stop) && now_ns() < deadline)
		sched_yield();
	/* Awake before the kick is consumed: main, which reads the kick
	 * first, never sees this CPU asleep without its kick. */
	st(&asleep[c], 0);
	xchg0(&kick[c]);
	hv_sched_in_el2(&s, c);
}

struct run_wait {
	unsigned r, caller;
};

/* guest.c's run_ready: the RUN entry, the caller, the CPU's other vCPUs. */
static bool run_ready(void *arg, unsigned i)
{
	const struct run_wait *w = arg;
	if (i == HV_SCHED_RUN_ENTRY)
		return !r_idle[w->r] || ld(&r_pending[w->r]);
	if (i != w->caller)
		return ready(NULL, i);
	return ld(&pending[i]) || timer_due(i) || ld(&srv_waiters) || ld(&stop); /* vm_stopped */
}

/* RUN of R `r` by its driver, host vCPU `caller`, on CPU c. */
static void run_call(unsigned c, unsigned caller)
{
	unsigned r = caller;
	server_lock(c);
	hv_sched_run_begin(&s, c, r + 1);
	runs++;
	struct run_wait w = {.r = r, .caller = caller};
	for (unsigned entries = 0;; entries++) {
		hv_sched_publish(&s, c, HV_SCHED_GUEST);
		if (entries && (ld(&srv_waiters) || ld(&host_wake[c]))) {
			hv_sched_in_el2(&s, c); /* PREEMPTED: the host's turn */
			run_gave_way++;
			break;
		}
		if (xchg0(&r_pending[r])) {
			r_delivered[r]++;
			r_busy[r] =
			    (uint8_t)(r_delivered[r] % 4); /* its handler: 0-3 more entries */
		}
		r_idle[r] = 0;
		bool kicked = xchg0(&kick[c]); /* an IRQ exit: PREEMPTED, next entry looks */
		hv_sched_in_el2(&s, c);
		if (kicked || ld(&r_pending[r]))
			continue;
		if (r_busy[r]) {
			r_busy[r]--; /* the slice ends: the next entry looks */
			continue;
		}
		r_idle[r] = 1; /* WFI with nothing pending: wait at EL2 */
		int next;
		for (;;) {
			next = hv_sched_pick(&s, c, run_ready, &w);
			if (next >= 0)
				break;
			if (!hv_sched_may_sleep(&s, c, run_ready, &w))
				continue;
			run_idle_waits++;
			sleep_until_kick(c);
		}
		if (next != HV_SCHED_RUN_ENTRY) {
			run_idle_exits++;
			break; /* the idle exit: the host needs this CPU */
		}
	}
	st(&r_work[r], !r_idle[r] || ld(&r_pending[r]));
	hv_sched_run_end(&s, c);
	server_unlock();
	__atomic_fetch_add(&progress, 1, __ATOMIC_RELAXED);
}

static unsigned next_rand(unsigned *seed)
{
	*seed = *seed * 1103515245u + 12345u;
	return *seed >> 8;
}

/* vCPU v's guest on its home CPU, after its entry: it took what was
 * pending; now it powers off, or idles (arming its timer or not). */
static void guest_after_entry(unsigned v, bool kicked, unsigned rnd)
{
	if (v >= DRIVERS && ++vcpu_entries[v] % 8 == 0 && !ld(&no_more_off)) {
		if (__atomic_exchange_n(&tmr_cval[v], 0, __ATOMIC_ACQ_REL))
			__atomic_fetch_add(&timers_dropped, 1, __ATOMIC_RELAXED);
		idle[v] = 1;
		st(&power[v], 0); /* CPU_OFF */
		__atomic_fetch_add(&offs, 1, __ATOMIC_RELAXED);
		return;
	}
	if (kicked || ld(&pending[v]))
		return;
	idle[v] = 1; /* its WFI exit with nothing pending */
	if (rnd % 4 == 1 && !__atomic_load_n(&tmr_cval[v], __ATOMIC_ACQUIRE)) {
		__atomic_store_n(&tmr_cval[v], now_ns() + 1 + (rnd >> 4) % 200000,
		                 __ATOMIC_RELEASE);
		__atomic_fetch_add(&timers_armed, 1, __ATOMIC_RELAXED);
	}
}

static void *cpu_thread(void *arg)
{
	unsigned c = (unsigned)(uintptr_t)arg, seed = c * 31337u + 11;
	while (!ld(&stop)) {
		int v = hv_sched_pick(&s, c, ready, NULL);
		if (v >= 0) {
			hv_sched_publish(&s, c, HV_SCHED_GUEST);
			__atomic_store_n(&host_wake[c], 0, __ATOMIC_RELAXED); /* the flush looks */
			xchg0(&on_pending[v]); /* CPU_ON's entry point */
			if (xchg0(&pending[v]))
				delivered[v]++; /* the flush, then the guest takes it */
			if (timer_due((unsigned)v)) {
				__atomic_store_n(&tmr_cval[v], 0, __ATOMIC_RELEASE);
				__atomic_fetch_add(&timers_fired, 1, __ATOMIC_RELAXED);
			}
			idle[v] = 0;
			bool kicked = xchg0(&kick[c]);
			hv_sched_in_el2(&s, c);
			if (run_mode && (unsigned)v < DRIVERS && ld(&r_work[v])) {
				run_call(c, (unsigned)v); /* its guest's hypercall */
				continue;                 /* entered again: it looks at its R */
			}
			guest_after_entry((unsigned)v, kicked, next_rand(&seed));
			continue;
		}
		if (!hv_sched_may_sleep(&s, c, ready, NULL))
			continue;
		sleep_until_kick(c);
	}
	return NULL;
}

/* PSCI CPU_ON of v from CPU `self`: on, its start pending, then the wake. */
static void power_on(unsigned v, unsigned self)
{
	uint32_t off = 0;
	if (!__atomic_compare_exchange_n(&power[v], &off, 1, false, __ATOMIC_ACQ_REL,
	                                 __ATOMIC_ACQUIRE))
		return; /* ALREADY_ON */
	st(&on_pending[v], 1);
	__atomic_fetch_add(&ons, 1, __ATOMIC_RELAXED);
	if (hv_sched_wake(&s, v, self))
		st(&kick[hv_sched_home(&s, v)], 1);
}

static void *waker_thread(void *arg)
{
	unsigned seed = (unsigned)(uintptr_t)arg * 7919u + 1;
	for (unsigned i = 0; i < WAKES; i++) {
		unsigned v = (next_rand(&seed) >> 8) % VCPUS;
		unsigned home = hv_sched_home(&s, v);
		unsigned self = (home + 1 + next_rand(&seed) % (CPUS - 1)) % CPUS; /* another CPU */
		if (v >= DRIVERS && next_rand(&seed) % 4 == 0)
			power_on(v, self);
		else
			wake_vcpu(v, self);
		__atomic_fetch_add(&progress, 1, __ATOMIC_RELAXED);
		/* Paced: the next wake when this one was taken (or its vCPU
		 * is off), so that each reaches a CPU; a lost one stalls here
		 * and the watchdog fails the test. */
		while ((ld(&pending[v]) || ld(&on_pending[v])) && ld(&power[v]))
			sched_yield();
	}
	__atomic_fetch_add(&wakers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

/* IRQ_LINE of R `r` from a host thread on a CPU outside the three (a CPU
 * thread's RUN may hold the server at any moment: a call "from" that CPU
 * would be one a CPU makes while it runs something else). */
static void *server_waker_thread(void *arg)
{
	unsigned r = (unsigned)(uintptr_t)arg;
	for (unsigned i = 0; i < SERVER_WAKES; i++) {
		unsigned self = CPUS;
		server_lock(self);
		if (!__atomic_exchange_n(&r_pending[r], 1, __ATOMIC_ACQ_REL))
			__atomic_fetch_add(&r_injected[r], 1, __ATOMIC_RELAXED);
		st(&r_work[r], 1);
		server_unlock();
		wake_vcpu(r, self); /* the driver's thread: RUN again */
		__atomic_fetch_add(&progress, 1, __ATOMIC_RELAXED);
		while (ld(&r_pending[r])) /* paced as above */
			sched_yield();
	}
	__atomic_fetch_add(&wakers_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void stalled(const char *what)
{
	printf("FAIL: %s: no progress for %d s (a RUN that never gives way, or a CPU "
	       "that never sleeps)\n",
	       what, STALL_S);
	for (unsigned c = 0; c < CPUS; c++)
		printf("  cpu %u: where %u run %u kick %u asleep %u host_wake %u\n", c,
		       ld(&s.where[c]), ld(&s.run[c]), ld(&kick[c]), ld(&asleep[c]),
		       ld(&host_wake[c]));
	for (unsigned v = 0; v < VCPUS; v++)
		printf("  vcpu %u: power %u on_pending %u pending %u timer %s\n", v, ld(&power[v]),
		       ld(&on_pending[v]), ld(&pending[v]),
		       __atomic_load_n(&tmr_cval[v], __ATOMIC_ACQUIRE) ? "armed" : "-");
	for (unsigned r = 0; run_mode && r < DRIVERS; r++)
		printf("  R%u: pending %u work %u; server lock %u waiters %u\n", r,
		       ld(&r_pending[r]), ld(&r_work[r]), ld(&srv_lock), ld(&srv_waiters));
	exit(1);
}

/* Waits for `done` while the progress counter moves. */
static void watch(const uint32_t *done, uint32_t want, const char *what)
{
	uint32_t last = ld(&progress);
	time_t since = time(NULL);
	while (ld(done) < want) {
		struct timespec ms = {0, 1000000};
		nanosleep(&ms, NULL);
		uint32_t now = ld(&progress);
		if (now != last) {
			last = now;
			since = time(NULL);
		} else if (time(NULL) - since > STALL_S) {
			stalled(what);
		}
	}
}

int main(int argc, char **argv)
{
	run_mode = argc > 1 && strcmp(argv[1], "run") == 0;
	if (hv_sched_init(&s, CPUS, VCPUS) != HV_OK)
		return 1;
	for (unsigned v = 0; v < VCPUS; v++) {
		idle[v] = 1;
		power[v] = 1;
	}
	for (unsigned r = 0; r < DRIVERS; r++)
		r_idle[r] = 1;
	pthread_t cpu[CPUS], waker[WAKERS + DRIVERS];
	unsigned nw = 0;
	for (unsigned c = 0; c < CPUS; c++)
		pthread_create(&cpu[c], NULL, cpu_thread, (void *)(uintptr_t)c);
	for (unsigned w = 0; w < WAKERS; w++, nw++) {
		pthread_create(&waker[nw], NULL, waker_thread, (void *)(uintptr_t)w);
	}
	for (unsigned r = 0; run_mode && r < DRIVERS; r++, nw++) {
		pthread_create(&waker[nw], NULL, server_waker_thread, (void *)(uintptr_t)r);
	}
	watch(&wakers_done, nw, "wakers");
	for (unsigned w = 0; w < nw; w++)
		pthread_join(waker[w], NULL);
	/* Every vCPU on again (and no more CPU_OFF): at quiescence all of
	 * them must have taken every interrupt. */
	st(&no_more_off, 1);
	for (unsigned v = 0; v < VCPUS; v++)
		power_on(v, (hv_sched_home(&s, v) + 1) % CPUS);
	/* Quiescence: every CPU asleep, or a pending interrupt under a CPU
	 * that sleeps with no kick to come (a lost wake-up). */
	time_t since = time(NULL);
	for (;;) {
		bool all = true, lost = false;
		for (unsigned c = 0; c < CPUS; c++)
			all &= !ld(&kick[c]) && ld(&asleep[c]);
		for (unsigned v = 0; v < VCPUS; v++)
			all &= !__atomic_load_n(&tmr_cval[v], __ATOMIC_ACQUIRE) && ld(&power[v]);
		if (!all) {
			if (time(NULL) - since > STALL_S)
				stalled("quiescence");
			sched_yield();
			continue;
		}
		for (unsigned v = 0; v < VCPUS; v++)
			lost |= ld(&pending[v]) != 0 || ld(&on_pending[v]) != 0;
		for (unsigned r = 0; run_mode && r < DRIVERS; r++)
			lost |= ld(&r_pending[r]) != 0;
		st(&stop, 1);
		for (unsigned c = 0; c < CPUS; c++)
			pthread_join(cpu[c], NULL);
		unsigned long in = 0, out = 0, r_in = 0, r_out = 0;
		for (unsigned v = 0; v < VCPUS; v++) {
			in += injected[v];
			out += delivered[v];
		}
		for (unsigned r = 0; r < DRIVERS; r++) {
			r_in += r_injected[r];
			r_out += r_delivered[r];
		}
		printf("sched stress%s: %u wakes, %lu interrupts injected, %lu delivered, kicks "
		       "sent %u elided %u\n",
		       run_mode ? " (run)" : "", WAKERS * WAKES, in, out, s.kicks_sent,
		       s.kicks_elided);
		printf("vCPUs 2, 3: %u, %u entries; power: %u CPU_OFF, %u CPU_ON; timers: %u "
		       "armed, %u taken, %u dropped "
		       "at CPU_OFF\n",
		       vcpu_entries[2], vcpu_entries[3], offs, ons, timers_armed, timers_fired,
		       timers_dropped);
		if (run_mode)
			printf(
			    "RUN: %u calls, %lu interrupts to R injected, %lu delivered, %u idle "
			    "waits at EL2, %u idle exits, %u entries gave way to the host or a "
			    "waiter\n",
			    runs, r_in, r_out, run_idle_waits, run_idle_exits, run_gave_way);
		if (lost || in != out || r_in != r_out) {
			printf("FAIL: lost wake-up (an interrupt left pending under a "
			       "sleeping CPU)\n");
			return 1;
		}
		if (timers_armed != timers_fired + timers_dropped || offs == 0 || ons == 0 ||
		    timers_fired == 0) {
			printf("FAIL: timers or power: not all taken, or never exercised\n");
			return 1;
		}
		if (run_mode && (runs == 0 || run_idle_waits == 0 || run_gave_way == 0)) {
			printf("FAIL: the RUN paths were not all taken\n");
			return 1;
		}
		printf("PASS\n");
		return 0;
	}
}
