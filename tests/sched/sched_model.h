/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An explicit-state model of the run/idle/wake protocol (hv/sched.h) for
 * the exhaustive explorer (test_sched_explore.c): physical CPUs running
 * the port's loop (ports/el2/guest.c run_cpu, wait_here), and the
 * events that make vCPUs runnable: another CPU's guest sending an SGI
 * (an "inject" waker), PSCI CPU_ON from another CPU (a "power-on" waker),
 * and, with timers on, a vCPU's virtual timer reaching its deadline (a
 * "timer" actor). Each step is one atomic action and calls core/sched's
 * real step functions (pick, publish, recheck, wake, idle deadline) on the
 * state's copy of struct hv_sched.
 *
 * Host mode (`run`): the vCPUs are the host's, and host vCPU h (on CPU h)
 * calls the hypercall server's RUN of a server VM's vCPU R_h
 * (abi_runtime_el2.c, guest.c's RUN entry; `run2`: R_0 by host vCPU 0 on
 * CPU 0 and R_1 by host vCPU 1 on CPU 1, two vCPUs of one server VM, the
 * RUN on the caller's CPU). CPU h's run queue then holds R_h's RUN entry
 * beside its host vCPUs. R_h's guest takes its interrupts, idles (WFI),
 * arms its timer, sends an SGI to the other R (run2); its entry ends at a
 * kick, at the port's slice end, or at R_h's WFI, after which CPU h picks
 * (a host vCPU that is ready first: RUN returns to the host), publishes
 * IDLE, looks again and sleeps at EL2 with the idle deadline of R_h and its
 * host vCPUs.
 *
 * The server serializes its calls with one lock, held for a whole RUN
 * (host_abi.c): every call, a RUN too, first counts itself a waiter, then
 * wakes whichever RUN is in progress (hv_sched_wake_run with
 * HV_SCHED_RUN_ANY: at most one, the lock's holder), then takes the lock;
 * a RUN gives way when it sees a waiter. So two RUN entries are never in
 * progress at once: the second RUN call waits as a waiter, and up to three
 * waiters exist at once (both RUN calls and the server waker). An SGI from
 * R_h's guest to R_o pends R_o's interrupt and ends R_h's RUN with an IPI
 * exit (core/abi run.c report_wake): host vCPU h's driver then wakes R_o's
 * thread by an IPI to host vCPU o (a vGIC SGI: kick_vcpu), which calls RUN
 * of R_o again. The "server" waker is another CPU's server call (IRQ_LINE
 * of R_0 or R_1): it waits for the server as above, pends R's interrupt
 * and then wakes host vCPU h (the driver's thread for R_h) by an IPI; with
 * two RUN entries on 2 CPUs it runs on a CPU outside the model. Not
 * modelled: a RUN that returns at once with an IPI exit for wake bits
 * another call left (an extra wake of a thread), the host driver's other
 * server calls (INFORM_EXIT), and the server waker's own CPU.
 */
#ifndef SCHED_MODEL_H
#define SCHED_MODEL_H

#include <hv/sched.h>
#include <stdbool.h>
#include <stdint.h>

#define M_CPUS   3
#define M_VCPUS  4
#define M_WAKERS 4
#define M_RUNS   2 /* RUN entries (host vCPUs 0 and 1 on CPUs 0 and 1) */

/* Deliberately broken variants the explorer must catch. */
enum m_variant {
	M_CORRECT,
	/* Looks for a ready vCPU, finds none, THEN publishes IDLE and sleeps:
	 * a wake between the look and the publish reads EL2, kicks nobody. */
	M_BUG_LOOK_BEFORE_IDLE,
	/* Flushes the vGIC (its last look) before publishing GUEST. */
	M_BUG_FLUSH_BEFORE_GUEST,
	/* Sleeps without arming the EL2 timer for its vCPUs' virtual-timer
	 * deadlines (hv_sched_idle_deadline ignored). */
	M_BUG_NO_IDLE_DEADLINE,
	/* CPU_ON marks the vCPU on and returns: no hv_sched_wake, no kick
	 * (as if the target's CPU would look again by itself). */
	M_BUG_POWER_ON_WITHOUT_WAKE,
	/* A RUN's vCPU idles: CPU 0 looks (pick) at EL2, finds nothing,
	 * publishes IDLE and sleeps without the second look. */
	M_BUG_RUN_LOOK_BEFORE_IDLE,
	/* A server call wakes the RUN of the vCPU it is about (hv_sched_wake_run
	 * with R's own key: IRQ_LINE of R_t, RUN of R_h) instead of whichever
	 * RUN holds the server (HV_SCHED_RUN_ANY). */
	M_BUG_WAKE_RUN_BY_KEY,
	/* The server's waiters as a flag, not a count: the first waiter to
	 * take the lock clears it while another still waits. */
	M_BUG_WAITERS_FLAG,
};

struct m_config {
	unsigned cpus, vcpus;
	unsigned wakers;    /* inject wakers: an SGI to vCPU w % vcpus */
	unsigned on_wakers; /* power-on wakers: CPU_ON of vCPU w % vcpus */
	bool timers;        /* each vCPU's guest may arm its virtual timer once */
	bool r_timers_only; /* with run and timers: R's guests only, not the host's */
	bool power;         /* each vCPU's guest may CPU_OFF itself once */
	bool run;           /* host mode: host vCPU 0 RUNs a server vCPU (not with power) */
	bool run2;          /* with run: host vCPU 1 RUNs another one on CPU 1 */
	bool server_waker;  /* with run: another CPU's server call makes R runnable */
	enum m_variant variant;
};

/* One state; all bytes. Timer and power fields stay 0 when the feature
 * is off. */
struct m_state {
	uint8_t pc[M_CPUS];        /* enum in sched_model.c */
	uint8_t loaded[M_CPUS];    /* the vCPU entered last; `vcpus`: none yet
	                             (its timer is the one on the CPU) */
	uint8_t kick[M_CPUS];      /* latched kick SGI or EL2 timer interrupt */
	uint8_t el2t[M_CPUS];      /* EL2 timer armed for the idle deadline */
	uint8_t where[M_CPUS];     /* struct hv_sched.where */
	uint8_t last[M_CPUS];      /* struct hv_sched.last */
	uint8_t idle[M_VCPUS];     /* blocked in WFI (struct hv_sched.idle) */
	uint8_t pending[M_VCPUS];  /* interrupt pending in the vGIC */
	uint8_t in_lr[M_VCPUS];    /* interrupt in the loaded list registers */
	uint8_t tmr[M_VCPUS];      /* virtual timer: enum in sched_model.c */
	uint8_t power[M_VCPUS];    /* enum in sched_model.c */
	uint8_t wpc[2 * M_WAKERS]; /* waker progress: inject, then power-on */
	/* Host mode (run): h indexes the RUN entries (host vCPU h, CPU h). */
	uint8_t run[M_CPUS]; /* struct hv_sched.run: a RUN entry in progress */
	uint8_t r_idle[M_RUNS], r_pending[M_RUNS], r_in_lr[M_RUNS], r_tmr[M_RUNS]; /* R_h */
	uint8_t r_ent[M_RUNS]; /* R_h entered by this call (abi_runtime_el2.c
	                          call_entries): a first entry does not look */
	uint8_t hrun[M_RUNS];  /* host vCPU h will call RUN (its driver's thread for R_h) */
	uint8_t hwake[M_RUNS]; /* a vCPU of CPU h made runnable since its last flush
	                          (guest.c host_wake): a RUN gives the CPU back */
	uint8_t ipi[M_RUNS];   /* run2: R_h's RUN returned an IPI exit for R_o:
	                          host vCPU h's driver will wake R_o's thread */
	uint8_t srvw;          /* M_BUG_WAITERS_FLAG only: the flag */
	uint8_t spc;           /* the server waker's progress */
	uint8_t stgt;          /* run2: the R its IRQ_LINE is for */
};

/* The state in 64 bits, each field as wide as the configuration needs,
 * for the explorer's visited set. m_key_bits: how many bits that is (the
 * explorer refuses a configuration that needs more than 64). */
uint64_t m_pack(const struct m_config *cfg, const struct m_state *st);
void m_unpack(const struct m_config *cfg, uint64_t key, struct m_state *st);
unsigned m_key_bits(const struct m_config *cfg);

void m_init(const struct m_config *cfg, struct m_state *st);
/* Actors: CPUs 0..cpus-1, then inject wakers, power-on wakers, and (with
 * timers) one timer per vCPU, the server waker, (run with timers) one timer
 * per R. An actor may have several moves (a guest takes its interrupt, arms
 * its timer or powers itself off; R's guest sends an SGI; the server waker
 * picks the R its IRQ_LINE is for). Returns false
 * if actor `a` cannot make move `choice` in `st` (a CPU in WFI without a
 * kick, a waker done, a timer not armed). */
bool m_step(const struct m_config *cfg, struct m_state *st, unsigned a, unsigned choice);
unsigned m_actors(const struct m_config *cfg);
#define M_CHOICES 4
/* A state where no actor can step: is every wake-up delivered? */
bool m_quiescent_ok(const struct m_config *cfg, const struct m_state *st);
/* Any state: is a wake-up already lost? A powered-on vCPU's interrupt is
 * pending in the vGIC, or its timer is due, while its CPU sleeps, or runs
 * that very vCPU (whose guest may spin waiting for it without an exit),
 * with no kick latched and nothing left that could still kick that CPU. */
bool m_lost(const struct m_config *cfg, const struct m_state *st);

#endif
