/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which vCPU runs on which physical CPU, when a CPU may sleep, whom to
 * kick (core/sched). The port keeps the world switch, WFI and the SGI and
 * timer register writes; it calls these at the points named below.
 *
 * THE PROTOCOL. Each physical CPU publishes where it is, for wakers:
 *   EL2    it will look at its vCPUs again before it enters a guest or
 *          sleeps: a waker need not kick it;
 *   GUEST  it runs one of its vCPUs: only a kick (a physical SGI) makes it
 *          leave the guest and look;
 *   IDLE   it decided to sleep (WFI): only a kick or its EL2 timer wakes it.
 * A CPU publishes GUEST or IDLE (store, then a full barrier) BEFORE its last
 * look at its vCPUs (the vGIC flush before entry, hv_sched_may_sleep before
 * WFI), and EL2 when it is back. A waker first makes the vCPU runnable (an
 * interrupt pending in the vGIC, PSCI CPU_ON), then, after a full barrier,
 * reads where the vCPU's CPU is (hv_sched_wake): if not EL2 (and not the
 * waker's own CPU) it kicks. A kick is latched (a pending SGI ends a later
 * WFI at once, or the next guest entry at once).
 *
 * THE INVARIANT: a vCPU made runnable is entered, or its CPU is awake,
 * within bounded time. Proof sketch (Dekker): of the CPU's "publish, look"
 * and the waker's "make runnable, read", at least one sees the other's
 * write; if the CPU's look sees the vCPU runnable it runs it, otherwise the
 * waker saw GUEST/IDLE and kicked, and the latched kick ends the guest
 * entry or the WFI. tests/sched/test_sched_explore.c checks this over
 * every interleaving of these steps (2-3 CPUs, 2-4 vCPUs, with timer
 * expiries and PSCI CPU_ON/OFF as steps of their own, and host mode's RUN
 * entries: one, or two on two CPUs contending for the server, whose calls
 * wait as its waiters); tests/sched/sched_stress.c runs the same on host
 * threads under ThreadSanitizer; looking before
 * publishing IDLE, or sleeping without the idle deadline, loses a wake-up
 * there (the test shows each caught).
 *
 * THE DEADLINE: a sleeping CPU must still wake for its vCPUs' virtual-timer
 * deadlines that no hardware line will signal (hv_sched_idle_deadline).
 *
 * Run queues: vCPU i lives on CPU i mod nr_cpus; each CPU round-robins its
 * own vCPUs (hv_sched_pick). Atomics through the seam (hv/arch.h). The
 * EL2 port calls all of this under its VM lock as well; the protocol does
 * not need the lock (the explorer runs it without).
 *
 * RUN ENTRIES (host mode): a host vCPU's hypercall-server call RUN enters
 * a server VM's vCPU on that host vCPU's CPU. For the call, the CPU's run
 * queue holds that RUN entry beside its host vCPUs (hv_sched_run_begin,
 * hv_sched_run_end), and the same decisions serve it: the CPU publishes
 * GUEST before entering the RUN's vCPU and EL2 after its exit; when that
 * vCPU idles (WFI, nothing pending) the CPU looks (hv_sched_pick: a host
 * vCPU that is ready comes first, it needs its CPU back; then the RUN
 * entry), publishes IDLE, looks again (hv_sched_idle_recheck) and sleeps
 * with the idle deadline of all of them. Wakers of the RUN entry (another
 * CPU waiting for the server, which serializes its calls, to make the
 * RUN's vCPU runnable) make their wish visible first, then read where the
 * RUN's CPU is (hv_sched_wake_run). The invariant covers RUN entries: a
 * RUN's vCPU made runnable, or a host vCPU of a CPU in a RUN, is entered
 * or the CPU is awake within bounded time (a RUN's guest entry is bounded
 * by the port's slice).
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/types.h>

#define HV_SCHED_MAX_CPUS  8
#define HV_SCHED_MAX_VCPUS 32

/* What hv_sched_pick and the ready function call a CPU's RUN entry. */
#define HV_SCHED_RUN_ENTRY HV_SCHED_MAX_VCPUS
/* hv_sched_wake_run: whichever RUN entry is in progress. */
#define HV_SCHED_RUN_ANY 0xffffffffu

enum hv_sched_where {
	HV_SCHED_EL2 = 0,
	HV_SCHED_GUEST = 1,
	HV_SCHED_IDLE = 2,
};

struct hv_sched {
	unsigned nr_cpus, nr_vcpus;
	uint32_t where[HV_SCHED_MAX_CPUS]; /* enum hv_sched_where, atomic */
	unsigned last[HV_SCHED_MAX_CPUS];  /* round robin: the vCPU run last */
	uint32_t run[HV_SCHED_MAX_CPUS];   /* the CPU's RUN entry (its key), 0: none; atomic */
	uint8_t idle[HV_SCHED_MAX_VCPUS];  /* in WFI with nothing pending (home CPU only) */
	uint32_t kicks_sent, kicks_elided; /* statistics */
};

/* nr_cpus CPUs (at most nr_vcpus are used) for nr_vcpus vCPUs. */
hv_status_t hv_sched_init(struct hv_sched *s, unsigned nr_cpus, unsigned nr_vcpus);
unsigned hv_sched_home(const struct hv_sched *s, unsigned vcpu);
/* CPUs with at least one vCPU. */
unsigned hv_sched_cpus_used(const struct hv_sched *s);
/* vCPUs on `cpu`. */
unsigned hv_sched_vcpus_on(const struct hv_sched *s, unsigned cpu);

/* CPU `cpu` publishes GUEST or IDLE (then a full barrier): its next look
 * at its vCPUs is the last before it enters or sleeps. */
void hv_sched_publish(struct hv_sched *s, unsigned cpu, enum hv_sched_where where);
/* Back at EL2 (after a guest exit, after WFI): no kick needed to look. */
void hv_sched_in_el2(struct hv_sched *s, unsigned cpu);
/* After the caller (on CPU `self`) made `vcpu` runnable: true if it must
 * kick hv_sched_home(vcpu). */
bool hv_sched_wake(struct hv_sched *s, unsigned vcpu, unsigned self);

/* Can `vcpu` run now (powered on and not idle, or an interrupt pending)?
 * HV_SCHED_RUN_ENTRY: the CPU's RUN entry (its vCPU has something to do). */
typedef bool (*hv_sched_ready_fn)(void *arg, unsigned vcpu);
/* The next ready vCPU of `cpu` after the one it ran last (round robin); in
 * a RUN, if none, HV_SCHED_RUN_ENTRY if that is ready; else -1. Records
 * the choice. */
int hv_sched_pick(struct hv_sched *s, unsigned cpu, hv_sched_ready_fn ready, void *arg);
/* The idle decision: publish IDLE, then look once more
 * (hv_sched_idle_recheck). True: sleep (WFI, then hv_sched_in_el2). False:
 * something became ready meanwhile (the CPU is back at EL2). */
bool hv_sched_may_sleep(struct hv_sched *s, unsigned cpu, hv_sched_ready_fn ready, void *arg);
/* Its second step alone, after hv_sched_publish(IDLE) (the explorer runs
 * the two as separate steps). */
bool hv_sched_idle_recheck(struct hv_sched *s, unsigned cpu, hv_sched_ready_fn ready, void *arg);

/* CPU `cpu` starts serving a RUN of the vCPU named `key` (nonzero, not
 * HV_SCHED_RUN_ANY; e.g. the server's vCPU tuple + 1), ends it. */
void hv_sched_run_begin(struct hv_sched *s, unsigned cpu, uint32_t key);
void hv_sched_run_end(struct hv_sched *s, unsigned cpu);
/* After the caller (on CPU `self`) made RUN entry `key` (or
 * HV_SCHED_RUN_ANY: whichever is in progress) runnable: true if it must
 * kick *cpu, the CPU serving it. False also when no CPU serves it (its
 * next RUN looks). */
bool hv_sched_wake_run(struct hv_sched *s, uint32_t key, unsigned self, unsigned *cpu);

/* Readiness (core/sched/ready.c, under the caller's VM lock): `vcpu` idles
 * (its WFI exit found nothing pending); the idle vCPUs as a bit mask. */
struct hv_vcpu;
void hv_sched_vcpu_idles(struct hv_sched *s, unsigned vcpu);
uint32_t hv_sched_idle_mask(const struct hv_sched *s);
/* Powered on and not idle, or an interrupt pending (which ends its idle),
 * after re-driving its timer lines: a ready function's answer. */
bool hv_sched_vcpu_ready(struct hv_sched *s, struct hv_vcpu *v);
/* An interrupt pending for `v` (timer lines re-driven): a vCPU blocked in
 * a call (a host vCPU in RUN) or idle in RUN wants its CPU. */
bool hv_sched_vcpu_wants_cpu(struct hv_vcpu *v);

/* One vCPU's virtual timer as the idle CPU sees it. */
struct hv_sched_timer {
	uint64_t ctl, cval, cntvoff; /* the saved CNTV_CTL/CVAL, CNTVOFF */
	bool on;                     /* powered on */
	bool line;                   /* its interrupt line is asserted already */
	bool hw_signals;             /* its timer is on the CPU and the CPU's
	                                physical PPI can signal its expiry */
};
/* The physical counter value at which a CPU going idle must wake for its
 * vCPUs' timers: the earliest deadline of a timer that is on, enabled and
 * unmasked, whose line is still low (one asserted is in the vGIC already)
 * and whose expiry no hardware line will signal. UINT64_MAX: none. */
uint64_t hv_sched_idle_deadline(const struct hv_sched_timer *t, unsigned n);

#endif
