/* SPDX-License-Identifier: Apache-2.0 */
/* The protocol model (sched_model.h). */
#include "sched_model.h"

#include <stddef.h>
#include <string.h>

enum {
	PC_LOOK,    /* hv_sched_pick: a ready vCPU? */
	PC_PUB_G,   /* hv_sched_publish(GUEST) */
	PC_FLUSH,   /* the vGIC flush: the last look before entry */
	PC_RUN,     /* in the guest */
	PC_EXIT,    /* hv_sched_in_el2 after the exit */
	PC_PUB_I,   /* hv_sched_publish(IDLE) */
	PC_RECHECK, /* hv_sched_idle_recheck */
	PC_WFI,     /* asleep: a kick (or the EL2 timer) ends it */
	PC_ARM,     /* timers: the EL2 timer set to hv_sched_idle_deadline */
	/* run2: host vCPU h's driver wakes R_o's thread (an IPI, kick_vcpu): */
	PC_H_WAKE, /* hv_sched_wake of host vCPU o */
	PC_H_KICK, /* its kick */
	/* Host vCPU h's RUN of R_h (run): the server call, */
	PC_R_CALL,    /* its HVC exit: hv_sched_in_el2 */
	PC_R_WAITER,  /* hv_sched_publish(GUEST), then a waiter for the server */
	PC_R_WAKESRV, /* hv_sched_wake_run(ANY): the RUN holding the server */
	PC_R_KICKSRV, /* its kick */
	PC_R_LOCK,    /* takes the server's lock (no longer a waiter) */
	/* then the RUN, the lock held: */
	PC_R_BEGIN,   /* hv_sched_run_begin */
	PC_R_PUB_G,   /* hv_sched_publish(GUEST) before R's entry */
	PC_R_FLUSH,   /* a server waiter? (give way) else R's vGIC flush */
	PC_R_GUEST,   /* in R's guest */
	PC_R_EXIT,    /* hv_sched_in_el2 after R's exit */
	PC_R_PICK,    /* hv_sched_pick: a ready host vCPU, else R? */
	PC_R_PUB_I,   /* hv_sched_publish(IDLE) */
	PC_R_RECHECK, /* hv_sched_idle_recheck */
	PC_R_ARM,     /* timers: the EL2 timer set to hv_sched_idle_deadline */
	PC_R_WFI,     /* asleep inside the RUN */
	PC_R_END,     /* hv_sched_run_end: RUN returns to the host */
};

/* The server waker's progress: it waits for the server (a waiter), wakes
 * the RUN holding it (S_KICK + its CPU), takes the server when the RUN
 * gives way, pends R_t's interrupt, then wakes host vCPU t (its driver's
 * thread for R_t). */
enum { S_WAIT, S_WAKE, S_KICK, S_KICK1, S_LOCK, S_HWAKE, S_HKICK, S_DONE };
/* R_h's key in struct hv_sched.run: h + 1 (R_h runs only on CPU h). */

/* Waker progress. Inject: W_FIRST makes the interrupt pending; power-on:
 * W_FIRST marks the vCPU on (PSCI CPU_ON). Both then ask hv_sched_wake. */
enum { W_FIRST, W_WAKE, W_KICK, W_DONE };

/* A vCPU's virtual timer: its guest may arm it once (T_UNUSED -> T_ARMED);
 * it becomes due at any moment after (the timer actor), and is spent once
 * its interrupt is in a list register. */
enum { T_UNUSED, T_ARMED, T_DUE, T_SPENT };

/* Power (PSCI): vCPU 0 starts on, the others off as at boot; a guest may
 * power itself off once, and CPU_ON brings a vCPU back. */
enum { P_ON, P_OFF_BOOT, P_OFF, P_ON_AGAIN };

#define CNTV_CTL_ENABLE 1u

static bool is_on(const struct m_state *st, unsigned v)
{
	return st->power[v] == P_ON || st->power[v] == P_ON_AGAIN;
}

static unsigned nr_runs(const struct m_config *cfg)
{
	return cfg->run ? (cfg->run2 ? 2 : 1) : 0;
}

/* CPU c holds the server in its RUN (R_c's timer is on the CPU). */
static bool in_run(const struct m_state *st, unsigned c)
{
	return st->pc[c] >= PC_R_BEGIN;
}

/* Host vCPU c is in its server call (waiting for the server, or RUN). */
static bool in_call(const struct m_state *st, unsigned c)
{
	return st->pc[c] >= PC_R_CALL;
}

static bool lock_held(const struct m_config *cfg, const struct m_state *st)
{
	for (unsigned h = 0; h < nr_runs(cfg); h++)
		if (in_run(st, h))
			return true;
	return false; /* the server waker's call is one step */
}

/* host_abi.c srv_waiters: calls counted as waiters, not yet holding. */
static unsigned waiters(const struct m_config *cfg, const struct m_state *st)
{
	unsigned n = cfg->server_waker && st->spc > S_WAIT && st->spc <= S_LOCK;
	for (unsigned h = 0; h < nr_runs(cfg); h++)
		n += st->pc[h] >= PC_R_WAKESRV && st->pc[h] <= PC_R_LOCK;
	return n;
}

/* What a RUN reads of the waiters (the broken variant: a flag). */
static bool waiters_seen(const struct m_config *cfg, const struct m_state *st)
{
	return cfg->variant == M_BUG_WAITERS_FLAG ? st->srvw : waiters(cfg, st) > 0;
}

/* Inject waker w targets vCPU w % vcpus; power-on waker w one of the
 * vCPUs that start off, the last first (with 2 CPUs and 3 vCPUs: vCPU 2,
 * which shares CPU 0 with the boot vCPU). */
static unsigned inject_target(const struct m_config *cfg, unsigned w)
{
	return w % cfg->vcpus;
}

static unsigned on_target(const struct m_config *cfg, unsigned w)
{
	return cfg->vcpus > 1 ? cfg->vcpus - 1 - w % (cfg->vcpus - 1) : 0;
}

static unsigned waker_target(const struct m_config *cfg, unsigned w)
{
	return w < cfg->wakers ? inject_target(cfg, w) : on_target(cfg, w - cfg->wakers);
}

static unsigned nr_wakers(const struct m_config *cfg)
{
	return cfg->wakers + cfg->on_wakers;
}

static void load(const struct m_config *cfg, const struct m_state *st, struct hv_sched *s)
{
	/* hv_sched_init's result, made once per configuration (each step
	 * loads one: the search's hottest path). */
	static struct hv_sched fresh;
	if (fresh.nr_vcpus != cfg->vcpus || fresh.nr_cpus != cfg->cpus)
		(void)hv_sched_init(&fresh, cfg->cpus, cfg->vcpus);
	*s = fresh;
	for (unsigned c = 0; c < cfg->cpus; c++) {
		s->where[c] = st->where[c];
		s->last[c] = st->last[c];
		s->run[c] = st->run[c] ? c + 1 : 0;
	}
}

static void store(const struct m_config *cfg, struct m_state *st, const struct hv_sched *s)
{
	for (unsigned c = 0; c < cfg->cpus; c++) {
		st->where[c] = (uint8_t)s->where[c];
		st->last[c] = (uint8_t)s->last[c];
		st->run[c] = s->run[c] != 0;
	}
}

/* hv_sched_vcpu_ready (core/sched/ready.c): on, and not idle or an
 * interrupt for it (a due timer raises its line when it looks). */
static bool ready(void *arg, unsigned v)
{
	const struct m_state *st = arg;
	return is_on(st, v) && (!st->idle[v] || st->pending[v] || st->tmr[v] == T_DUE);
}

static bool r_ready(const struct m_state *st, unsigned h)
{
	return !st->r_idle[h] || st->r_pending[h] || st->r_tmr[h] == T_DUE;
}

/* The RUN's ready function (guest.c run_ready) on CPU h: R_h's entry; host
 * vCPU h, the caller, needs its CPU back (an interrupt, a due timer, or a
 * server call waiting: the RUN gives way); the CPU's other host vCPUs as
 * usual. */
struct run_arg {
	const struct m_config *cfg;
	const struct m_state *st;
	unsigned h;
	bool truth; /* m_lost: the real waiters, not what a broken RUN reads */
};

static bool run_ready(void *arg, unsigned v)
{
	const struct run_arg *r = arg;
	const struct m_state *st = r->st;
	if (v == HV_SCHED_RUN_ENTRY)
		return r_ready(st, r->h);
	if (v == r->h)
		return st->pending[v] || st->tmr[v] == T_DUE ||
		       (r->truth ? waiters(r->cfg, st) > 0 : waiters_seen(r->cfg, st));
	return ready((void *)st, v);
}

void m_init(const struct m_config *cfg, struct m_state *st)
{
	memset(st, 0, sizeof(*st));
	struct hv_sched s;
	load(cfg, st, &s);
	store(cfg, st, &s);
	for (unsigned c = 0; c < cfg->cpus; c++)
		st->loaded[c] = (uint8_t)cfg->vcpus; /* none yet */
	for (unsigned v = 0; v < cfg->vcpus; v++) {
		/* Without power: every vCPU waits in WFI for its interrupt.
		 * With power: as at boot, vCPU 0 starts at its entry point and
		 * the others are off until a CPU_ON. */
		st->idle[v] = !cfg->power || v > 0;
		st->power[v] = cfg->power && v > 0 ? P_OFF_BOOT : P_ON;
	}
	for (unsigned h = 0; h < nr_runs(cfg); h++) { /* R_h's thread is about to RUN it */
		st->idle[h] = 0;
		st->hrun[h] = 1;
	}
}

static bool r_timer(const struct m_config *cfg)
{
	return cfg->run && cfg->timers;
}

unsigned m_actors(const struct m_config *cfg)
{
	return cfg->cpus + nr_wakers(cfg) + (cfg->timers ? cfg->vcpus : 0) +
	       (cfg->server_waker ? 1 : 0) + (r_timer(cfg) ? nr_runs(cfg) : 0);
}

/* The vCPU whose timer is on CPU c's hardware and whose expiry its
 * physical PPI signals (guest.c wait_here: hw_signals). */
static bool hw_signals(const struct m_state *st, unsigned c, unsigned v)
{
	return st->loaded[c] == v && is_on(st, v) && !in_run(st, c); /* RUN: R's on it */
}

/* guest.c wait_here: the EL2 timer at the earliest deadline of this CPU's
 * vCPUs' timers that no hardware line signals; a deadline already passed
 * fires at once. */
static void arm_idle_deadline(const struct m_config *cfg, struct m_state *st, unsigned c)
{
	struct hv_sched_timer t[M_VCPUS + 1];
	unsigned n = 0;
	bool due = false;
	for (unsigned v = c; v < cfg->vcpus; v += cfg->cpus) { /* hv_sched_home(v) == c */
		bool enabled = st->tmr[v] == T_ARMED || st->tmr[v] == T_DUE;
		t[n++] = (struct hv_sched_timer){
		    .ctl = enabled ? CNTV_CTL_ENABLE : 0,
		    .cval = st->tmr[v] == T_DUE ? 0 : 1,
		    .on = is_on(st, v),
		    .hw_signals = hw_signals(st, c, v),
		};
		due |= enabled && st->tmr[v] == T_DUE && is_on(st, v) && !hw_signals(st, c, v);
	}
	if (in_run(st, c) && r_timer(cfg)) { /* R_c's timer: put away at its exit */
		bool enabled = st->r_tmr[c] == T_ARMED || st->r_tmr[c] == T_DUE;
		t[n++] = (struct hv_sched_timer){
		    .ctl = enabled ? CNTV_CTL_ENABLE : 0,
		    .cval = st->r_tmr[c] == T_DUE ? 0 : 1,
		    .on = true,
		};
		due |= st->r_tmr[c] == T_DUE;
	}
	if (cfg->variant == M_BUG_NO_IDLE_DEADLINE)
		return;
	st->el2t[c] = hv_sched_idle_deadline(t, n) != UINT64_MAX;
	if (st->el2t[c] && due)
		st->kick[c] = 1;
}

/* RUN returns to the host: its driver calls RUN again if `again` (an
 * IRQ exit, or R still has something to do or a timer to wait for). */
static void run_returns(struct m_state *st, unsigned c, bool again)
{
	st->hrun[c] = again;
	st->pc[c] = PC_R_END;
}

/* CPU c in host vCPU c's server call: waiting for the server, then in its
 * RUN of R_c. */
static bool run_step(const struct m_config *cfg, struct m_state *st, struct hv_sched *s, unsigned c,
                     unsigned choice)
{
	struct run_arg ra = {cfg, st, c, false};
	unsigned cpu = c;
	switch (st->pc[c]) {
	case PC_R_CALL:
		hv_sched_in_el2(s, c);
		st->pc[c] = PC_R_WAITER;
		break;
	case PC_R_WAITER: /* guest.c run_slice, then host_abi.c srv_waiters++ (no look between) */
		hv_sched_publish(s, c, HV_SCHED_GUEST);
		st->srvw |= cfg->variant == M_BUG_WAITERS_FLAG;
		st->pc[c] = PC_R_WAKESRV;
		break;
	case PC_R_WAKESRV: {
		uint32_t key = cfg->variant == M_BUG_WAKE_RUN_BY_KEY ? c + 1 : HV_SCHED_RUN_ANY;
		bool kick = hv_sched_wake_run(s, key, c, &cpu);
		st->pc[c] = kick ? PC_R_KICKSRV : PC_R_LOCK;
		break;
	}
	case PC_R_KICKSRV:
		/* The only RUN it can find is the other RUN CPU's: its own
		 * has not begun, and the server waker runs no RUN. */
		st->kick[1 - c] = 1;
		st->pc[c] = PC_R_LOCK;
		break;
	case PC_R_LOCK:
		if (lock_held(cfg, st))
			return false;
		st->srvw = 0; /* only the flag variant: the count is pc */
		st->pc[c] = PC_R_BEGIN;
		break;
	case PC_R_BEGIN:
		hv_sched_run_begin(s, c, c + 1);
		st->r_ent[c] = 0;
		st->pc[c] = PC_R_PUB_G;
		break;
	case PC_R_PUB_G:
		hv_sched_publish(s, c, HV_SCHED_GUEST);
		st->pc[c] = PC_R_FLUSH;
		break;
	case PC_R_FLUSH:
		/* The vGIC flush, then enter(): wanted back (a waiter, a
		 * host vCPU of this CPU), the RUN gives way; not on the call's
		 * first entry, which its slice or WFI bounds. */
		if (st->r_ent[c] && (waiters_seen(cfg, st) || st->hwake[c])) {
			run_returns(st, c, true);
			break;
		}
		st->r_ent[c] = 1;
		if (st->r_pending[c]) {
			st->r_pending[c] = 0;
			st->r_in_lr[c] = 1;
		}
		if (st->r_tmr[c] == T_DUE) {
			st->r_tmr[c] = T_SPENT;
			st->r_in_lr[c] = 1;
		}
		st->r_idle[c] = 0;
		st->pc[c] = PC_R_GUEST;
		break;
	case PC_R_GUEST:
		if (choice == 1) { /* R's guest arms its virtual timer */
			if (!r_timer(cfg) || st->r_tmr[c] != T_UNUSED)
				return false;
			st->r_tmr[c] = T_ARMED;
		} else if (choice == 2) { /* the port's slice ends the entry */
			run_returns(st, c, true);
		} else if (choice == 3) {
			/* run2: an SGI to R_o. core/vgic pends it, core/abi's
			 * kick marks R_o to wake, and the exit (RESUME) reports
			 * the IPI exit: RUN returns, host vCPU c's driver wakes
			 * R_o's thread, then RUNs R_c again. */
			if (!cfg->run2)
				return false;
			st->r_pending[1 - c] = 1;
			st->ipi[c] = 1;
			run_returns(st, c, true);
		} else if (st->kick[c]) { /* PREEMPTED: RUN returns IRQ */
			st->kick[c] = 0;
			run_returns(st, c, true);
		} else if (st->r_in_lr[c]) {
			st->r_in_lr[c] = 0;
		} else { /* WFI */
			if (!st->r_pending[c])
				st->r_idle[c] = 1;
			st->pc[c] = PC_R_EXIT;
		}
		break;
	case PC_R_EXIT:
		hv_sched_in_el2(s, c);
		st->pc[c] = st->r_idle[c] ? PC_R_PICK : PC_R_PUB_G;
		break;
	case PC_R_PICK: {
		int next = hv_sched_pick(s, c, run_ready, &ra);
		if (next == HV_SCHED_RUN_ENTRY)
			st->pc[c] = PC_R_PUB_G;
		else if (next >= 0) /* a host vCPU needs the CPU back */
			run_returns(st, c, r_ready(st, c) || st->r_tmr[c] == T_ARMED);
		else
			st->pc[c] = PC_R_PUB_I;
		break;
	}
	case PC_R_PUB_I:
		hv_sched_publish(s, c, HV_SCHED_IDLE);
		st->pc[c] = cfg->variant != M_BUG_RUN_LOOK_BEFORE_IDLE ? PC_R_RECHECK
		            : cfg->timers                              ? PC_R_ARM
		                                                       : PC_R_WFI;
		break;
	case PC_R_RECHECK:
		if (!hv_sched_idle_recheck(s, c, run_ready, &ra))
			st->pc[c] = PC_R_PICK;
		else
			st->pc[c] = cfg->timers ? PC_R_ARM : PC_R_WFI;
		break;
	case PC_R_ARM:
		arm_idle_deadline(cfg, st, c);
		st->pc[c] = PC_R_WFI;
		break;
	case PC_R_WFI:
		if (!st->kick[c])
			return false;
		st->kick[c] = 0;
		st->el2t[c] = 0;
		hv_sched_in_el2(s, c);
		st->pc[c] = PC_R_PICK;
		break;
	case PC_R_END: /* hv_sched_run_end, then the server's lock is released */
		hv_sched_run_end(s, c);
		st->pc[c] = PC_EXIT;
		break;
	default: return false;
	}
	return true;
}

static bool cpu_step(const struct m_config *cfg, struct m_state *st, unsigned c, unsigned choice)
{
	if (choice && st->pc[c] != PC_RUN && st->pc[c] != PC_R_GUEST)
		return false;
	struct hv_sched s;
	load(cfg, st, &s);
	unsigned v = st->loaded[c];
	switch (st->pc[c]) {
	case PC_LOOK: {
		int next = hv_sched_pick(&s, c, ready, st);
		if (next >= 0) {
			st->loaded[c] = (uint8_t)next;
			st->pc[c] = cfg->variant == M_BUG_FLUSH_BEFORE_GUEST ? PC_FLUSH : PC_PUB_G;
		} else {
			/* Correct: publish IDLE, then look again. The bug:
			 * this look was the last one. */
			st->pc[c] = PC_PUB_I;
		}
		break;
	}
	case PC_PUB_G:
		hv_sched_publish(&s, c, HV_SCHED_GUEST);
		st->pc[c] = cfg->variant == M_BUG_FLUSH_BEFORE_GUEST ? PC_RUN : PC_FLUSH;
		break;
	case PC_FLUSH:
		if (c < nr_runs(cfg))
			st->hwake[c] = 0; /* this flush looks (guest.c run_slice) */
		if (st->pending[v]) {     /* into a list register */
			st->pending[v] = 0;
			st->in_lr[v] = 1;
		}
		if (st->tmr[v] == T_DUE) { /* the timer's line, into a list register */
			st->tmr[v] = T_SPENT;
			st->in_lr[v] = 1;
		}
		st->idle[v] = 0;
		st->pc[c] = cfg->variant == M_BUG_FLUSH_BEFORE_GUEST ? PC_PUB_G : PC_RUN;
		break;
	case PC_RUN:
		if (choice == 3)
			return false;
		if (choice == 1) { /* the guest arms its virtual timer */
			if (!cfg->timers || cfg->r_timers_only || st->tmr[v] != T_UNUSED)
				return false;
			st->tmr[v] = T_ARMED;
			break;
		}
		if (choice == 2) { /* the guest calls PSCI CPU_OFF */
			if (!cfg->power || st->power[v] != P_ON || st->in_lr[v])
				return false;
			st->power[v] = P_OFF;
			st->pc[c] = PC_EXIT;
			break;
		}
		if (st->kick[c]) { /* the pending SGI ends the entry */
			st->kick[c] = 0;
			st->pc[c] = PC_EXIT;
		} else if (st->in_lr[v]) {
			st->in_lr[v] = 0; /* the guest takes its interrupt */
		} else if (v < nr_runs(cfg) && st->ipi[v]) {
			/* The driver wakes R_o's thread: an IPI to host vCPU o
			 * (kick_vcpu: host_wake before hv_sched_wake's fence). */
			unsigned o = 1 - v;
			st->ipi[v] = 0;
			st->pending[o] = 1;
			st->hrun[o] = 1;
			st->hwake[o] = 1;
			st->pc[c] = PC_H_WAKE;
		} else if (v < nr_runs(cfg) && st->hrun[v]) {
			st->hrun[v] = 0; /* the driver's thread calls RUN of R_v */
			st->pc[c] = PC_R_CALL;
		} else {
			/* It has nothing to do: WFI exit. The port marks it idle
			 * unless the vGIC has an interrupt for it. */
			if (!st->pending[v])
				st->idle[v] = 1;
			st->pc[c] = PC_EXIT;
		}
		break;
	case PC_EXIT:
		hv_sched_in_el2(&s, c);
		st->pc[c] = PC_LOOK;
		break;
	case PC_PUB_I:
		hv_sched_publish(&s, c, HV_SCHED_IDLE);
		st->pc[c] = cfg->variant == M_BUG_LOOK_BEFORE_IDLE ? PC_WFI : PC_RECHECK;
		break;
	case PC_RECHECK:
		if (!hv_sched_idle_recheck(&s, c, ready, st))
			st->pc[c] = PC_LOOK;
		else
			st->pc[c] = cfg->timers ? PC_ARM : PC_WFI;
		break;
	case PC_ARM:
		arm_idle_deadline(cfg, st, c);
		st->pc[c] = PC_WFI;
		break;
	case PC_WFI:
		if (!st->kick[c])
			return false; /* asleep */
		st->kick[c] = 0;
		st->el2t[c] = 0; /* the port disarms the EL2 timer after WFI */
		hv_sched_in_el2(&s, c);
		st->pc[c] = PC_LOOK;
		break;
	case PC_H_WAKE: /* host vCPU c's IPI to host vCPU 1 - c, on CPU 1 - c */
		st->pc[c] = hv_sched_wake(&s, 1 - c, c) ? PC_H_KICK : PC_EXIT;
		break;
	case PC_H_KICK:
		st->kick[1 - c] = 1;
		st->pc[c] = PC_EXIT; /* the SGI's exit is handled */
		break;
	default:
		if (!run_step(cfg, st, &s, c, choice))
			return false;
	}
	store(cfg, st, &s);
	return true;
}

static bool waker_step(const struct m_config *cfg, struct m_state *st, unsigned w)
{
	struct hv_sched s;
	load(cfg, st, &s);
	bool power_on = w >= cfg->wakers;
	unsigned v = waker_target(cfg, w), home = hv_sched_home(&s, v);
	unsigned self = (home + 1) % cfg->cpus;
	switch (st->wpc[w]) {
	case W_FIRST:
		if (!power_on) {
			st->pending[v] = 1; /* an SGI into the vGIC */
			if (home < nr_runs(cfg))
				st->hwake[home] = 1; /* kick_vcpu, before its fence */
			st->wpc[w] = W_WAKE;
			break;
		}
		if (is_on(st, v)) { /* ALREADY_ON: nothing to wake */
			st->wpc[w] = W_DONE;
			break;
		}
		st->power[v] = st->power[v] == P_OFF_BOOT ? P_ON : P_ON_AGAIN;
		st->idle[v] = 0; /* it starts at its entry point */
		st->wpc[w] = cfg->variant == M_BUG_POWER_ON_WITHOUT_WAKE ? W_DONE : W_WAKE;
		break;
	case W_WAKE: st->wpc[w] = hv_sched_wake(&s, v, self) ? W_KICK : W_DONE; break;
	case W_KICK:
		st->kick[home] = 1;
		st->wpc[w] = W_DONE;
		break;
	default: return false;
	}
	store(cfg, st, &s);
	return true;
}

/* vCPU v's timer reaches its deadline. The PPI signals it if the timer is
 * on its CPU's hardware; otherwise the EL2 timer does if the CPU armed it
 * for the idle deadline; otherwise the CPU finds it when it next looks. */
static bool timer_step(const struct m_config *cfg, struct m_state *st, unsigned v)
{
	if (st->tmr[v] != T_ARMED)
		return false;
	st->tmr[v] = T_DUE;
	unsigned c = v % cfg->cpus; /* hv_sched_home */
	if (hw_signals(st, c, v) || (st->el2t[c] && is_on(st, v)))
		st->kick[c] = 1;
	return true;
}

/* Another CPU's server call for R_t (the server waker): on the first CPU
 * without a RUN entry (CPU 1 with one), else on a CPU outside the model
 * (2 CPUs with two: both run RUN calls; its own scheduling is not
 * modelled, so it never counts as the RUN's own CPU). */
static bool server_step(const struct m_config *cfg, struct m_state *st, unsigned choice)
{
	if (choice && (st->spc != S_WAIT || choice >= nr_runs(cfg)))
		return false;
	struct hv_sched s;
	load(cfg, st, &s);
	unsigned self = nr_runs(cfg) < cfg->cpus ? nr_runs(cfg) : cfg->cpus, cpu = 0, t = st->stgt;
	switch (st->spc) {
	case S_WAIT:                        /* host_abi.c: a waiter for the server, visible first */
		st->stgt = (uint8_t)choice; /* IRQ_LINE of R_choice */
		st->srvw |= cfg->variant == M_BUG_WAITERS_FLAG;
		st->spc = S_WAKE;
		break;
	case S_WAKE: {
		uint32_t key = cfg->variant == M_BUG_WAKE_RUN_BY_KEY ? t + 1 : HV_SCHED_RUN_ANY;
		st->spc = hv_sched_wake_run(&s, key, self, &cpu) ? (uint8_t)(S_KICK + cpu) : S_LOCK;
		break;
	}
	case S_KICK:
	case S_KICK1:
		st->kick[st->spc - S_KICK] = 1; /* the CPU hv_sched_wake_run named */
		st->spc = S_LOCK;
		break;
	case S_LOCK:
		if (lock_held(cfg, st))
			return false; /* a RUN holds the server */
		st->srvw = 0;
		st->r_pending[t] = 1; /* IRQ_LINE: R_t's interrupt in its vGIC */
		st->hrun[t] = 1;      /* the driver wakes R_t's thread... */
		st->pending[t] = 1;   /* ...on host vCPU t, by an IPI */
		st->hwake[t] = 1;
		st->spc = S_HWAKE;
		break;
	case S_HWAKE: st->spc = hv_sched_wake(&s, t, self) ? S_HKICK : S_DONE; break;
	case S_HKICK:
		st->kick[hv_sched_home(&s, t)] = 1;
		st->spc = S_DONE;
		break;
	default: return false;
	}
	store(cfg, st, &s);
	return true;
}

/* R_h's timer reaches its deadline: in R_h's guest its PPI ends the entry
 * (the port leaves it inactive); asleep in the RUN, the EL2 timer if armed. */
static bool r_timer_step(struct m_state *st, unsigned h)
{
	if (st->r_tmr[h] != T_ARMED)
		return false;
	st->r_tmr[h] = T_DUE;
	if (st->pc[h] == PC_R_GUEST || (in_run(st, h) && st->el2t[h]))
		st->kick[h] = 1;
	return true;
}

bool m_step(const struct m_config *cfg, struct m_state *st, unsigned a, unsigned choice)
{
	if (a < cfg->cpus)
		return cpu_step(cfg, st, a, choice);
	a -= cfg->cpus;
	if (cfg->server_waker && a == nr_wakers(cfg) + (cfg->timers ? cfg->vcpus : 0))
		return server_step(cfg, st, choice);
	if (choice)
		return false;
	if (a < nr_wakers(cfg))
		return waker_step(cfg, st, a);
	a -= nr_wakers(cfg);
	if (cfg->timers && a < cfg->vcpus)
		return timer_step(cfg, st, a);
	a -= (cfg->timers ? cfg->vcpus : 0) + (cfg->server_waker ? 1 : 0);
	return r_timer_step(st, a);
}

bool m_quiescent_ok(const struct m_config *cfg, const struct m_state *st)
{
	for (unsigned v = 0; v < cfg->vcpus; v++) {
		/* Host vCPU h in its server call (asleep in its RUN) is
		 * blocked, not idle. */
		bool blocked = v < nr_runs(cfg) && in_call(st, v);
		if (is_on(st, v) && (st->pending[v] || st->in_lr[v] || st->tmr[v] == T_DUE ||
		                     (!st->idle[v] && !blocked)))
			return false; /* a wake-up that nobody will deliver */
	}
	for (unsigned h = 0; h < nr_runs(cfg); h++)
		if (r_ready(st, h) || st->r_in_lr[h] || st->hrun[h] || st->ipi[h] ||
		    (st->pc[h] != PC_R_WFI && st->pc[h] != PC_WFI))
			return false; /* R_h's, or a call waiting for the server */
	if (cfg->server_waker && st->spc != S_DONE)
		return false;
	return true;
}

/* Something not yet done could still kick CPU c: a waker for one of its
 * vCPUs, an armed timer of one of them whose expiry would signal; for a
 * RUN CPU, a server call not yet past its wake of the RUN, or an IPI from
 * the other RUN CPU's host vCPU on its way. */
static bool rescue_pending(const struct m_config *cfg, const struct m_state *st, unsigned c)
{
	for (unsigned w = 0; w < nr_wakers(cfg); w++)
		if (st->wpc[w] != W_DONE && waker_target(cfg, w) % cfg->cpus == c)
			return true;
	for (unsigned u = c; u < cfg->vcpus; u += cfg->cpus)
		if (st->tmr[u] == T_ARMED && is_on(st, u) && (hw_signals(st, c, u) || st->el2t[c]))
			return true;
	if (c >= nr_runs(cfg))
		return false;
	if (cfg->server_waker && (st->spc == S_WAIT || st->spc == S_WAKE || st->spc == S_KICK + c ||
	                          ((st->spc == S_HWAKE || st->spc == S_HKICK) && st->stgt == c)))
		return true;
	if (st->r_tmr[c] == T_ARMED && st->el2t[c])
		return true; /* R_c's timer */
	if (cfg->run2) {
		unsigned o = 1 - c;
		if (st->ipi[o] || st->pc[o] == PC_H_WAKE || st->pc[o] == PC_H_KICK ||
		    (st->pc[o] >= PC_R_CALL && st->pc[o] <= PC_R_KICKSRV))
			return true;
	}
	return false;
}

bool m_lost(const struct m_config *cfg, const struct m_state *st)
{
	for (unsigned v = 0; v < cfg->vcpus; v++) {
		unsigned c = v % cfg->cpus; /* hv_sched_home */
		if (!is_on(st, v) || st->kick[c])
			continue;
		bool wants = st->pending[v] || st->tmr[v] == T_DUE;
		bool stuck = (st->pc[c] == PC_WFI && (wants || !st->idle[v])) ||
		             (st->pc[c] == PC_RUN && st->loaded[c] == v && wants);
		if (stuck && !rescue_pending(cfg, st, c))
			return true;
	}
	/* Asleep inside a RUN while R_h, a host vCPU of the CPU, or a server
	 * call waiting for the RUN (really waiting: not what a broken RUN
	 * reads) wants it. */
	for (unsigned h = 0; h < nr_runs(cfg); h++) {
		if (st->pc[h] != PC_R_WFI || st->kick[h] || rescue_pending(cfg, st, h))
			continue;
		struct run_arg ra = {cfg, st, h, true};
		bool wants = r_ready(st, h);
		for (unsigned v = h; v < cfg->vcpus; v += cfg->cpus)
			wants |= run_ready(&ra, v);
		if (wants)
			return true;
	}
	return false;
}

/* Field widths of the packed state, in the order of struct m_state. */
static unsigned bits_for(unsigned max_value)
{
	unsigned b = 0;
	while ((1u << b) <= max_value)
		b++;
	return b ? b : 1;
}

struct field {
	size_t off;
	unsigned n, bits;
};

static unsigned fields_of(const struct m_config *cfg, struct field *f)
{
	unsigned t = cfg->timers ? 1 : 0, p = cfg->power ? 1 : 0, k = 0;
	unsigned r = nr_runs(cfg), sw = cfg->server_waker ? 1 : 0;
#define F(name, n, bits) f[k++] = (struct field){offsetof(struct m_state, name), (n), (bits)}
	F(pc, cfg->cpus, r ? 5 : t ? 4 : 3);
	F(loaded, cfg->cpus, bits_for(cfg->vcpus));
	F(kick, cfg->cpus, 1);
	F(el2t, t ? cfg->cpus : 0, 1);
	F(where, cfg->cpus, 2);
	F(last, cfg->cpus, bits_for(cfg->vcpus - 1));
	F(idle, cfg->vcpus, 1);
	F(pending, cfg->vcpus, 1);
	F(in_lr, cfg->vcpus, 1);
	F(tmr, t ? cfg->vcpus : 0, 2);
	F(power, p ? cfg->vcpus : 0, 2);
	F(wpc, nr_wakers(cfg), 2);
	F(run, r ? cfg->cpus : 0, 1);
	F(r_idle, r, 1);
	F(r_pending, r, 1);
	F(r_in_lr, r, 1);
	F(r_tmr, t ? r : 0, 2);
	F(r_ent, r, 1);
	F(hrun, r, 1);
	F(hwake, r, 1);
	F(ipi, cfg->run2 ? r : 0, 1);
	F(srvw, cfg->variant == M_BUG_WAITERS_FLAG ? 1 : 0, 1);
	F(spc, sw, 3);
	F(stgt, sw && cfg->run2 ? 1 : 0, 1);
#undef F
	return k;
}

unsigned m_key_bits(const struct m_config *cfg)
{
	struct field f[32];
	unsigned n = fields_of(cfg, f), bits = 0;
	for (unsigned i = 0; i < n; i++)
		bits += f[i].n * f[i].bits;
	return bits;
}

/* The packed state's slots in order (a byte of struct m_state, its width),
 * made once per configuration: packing is the search's other hot path. */
struct layout {
	struct m_config cfg;
	bool valid;
	unsigned n;
	uint8_t off[64], bits[64];
};

static const struct layout *layout_of(const struct m_config *cfg)
{
	static struct layout l;
	if (l.valid && !memcmp(&l.cfg, cfg, sizeof(*cfg)))
		return &l;
	struct field f[32];
	unsigned nf = fields_of(cfg, f);
	l.n = 0;
	for (unsigned i = 0; i < nf; i++)
		for (unsigned j = 0; j < f[i].n && l.n < 64; j++, l.n++) {
			l.off[l.n] = (uint8_t)(f[i].off + j);
			l.bits[l.n] = (uint8_t)f[i].bits;
		}
	l.cfg = *cfg;
	l.valid = true;
	return &l;
}

uint64_t m_pack(const struct m_config *cfg, const struct m_state *st)
{
	const struct layout *l = layout_of(cfg);
	const uint8_t *b = (const uint8_t *)st;
	uint64_t key = 0;
	for (unsigned i = 0, at = 0; i < l->n; at += l->bits[i], i++)
		key |= (uint64_t)b[l->off[i]] << at;
	return key;
}

void m_unpack(const struct m_config *cfg, uint64_t key, struct m_state *st)
{
	const struct layout *l = layout_of(cfg);
	uint8_t *b = (uint8_t *)st;
	memset(st, 0, sizeof(*st));
	for (unsigned i = 0, at = 0; i < l->n; at += l->bits[i], i++)
		b[l->off[i]] = (uint8_t)((key >> at) & ((1u << l->bits[i]) - 1));
}
