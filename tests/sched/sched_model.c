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
	/* Host vCPU 0's RUN of R (run): */
	PC_R_BEGIN,   /* its HVC exit: hv_sched_in_el2, hv_sched_run_begin */
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

/* The server waker's progress: it waits for the server, wakes the RUN
 * entry's CPU, takes the server when the RUN gives way, pends R's
 * interrupt, then wakes host vCPU 0 (its driver's thread for R). */
enum { S_WAIT, S_WAKE, S_KICK, S_LOCK, S_HWAKE, S_HKICK, S_DONE };
#define R_KEY 1u /* R's key in struct hv_sched.run */

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

static bool in_run(const struct m_state *st, unsigned c)
{
	return st->pc[c] >= PC_R_BEGIN;
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
		s->run[c] = st->run[c] ? R_KEY : 0;
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

static bool r_ready(const struct m_state *st)
{
	return !st->r_idle || st->r_pending || st->r_tmr == T_DUE;
}

/* The RUN's ready function (guest.c run_ready): R's entry; host vCPU 0,
 * the caller, needs its CPU back (an interrupt, a due timer, or a server
 * call waiting: the RUN gives way); the CPU's other host vCPUs as usual. */
static bool run_ready(void *arg, unsigned v)
{
	const struct m_state *st = arg;
	if (v == HV_SCHED_RUN_ENTRY)
		return r_ready(st);
	if (v == 0)
		return st->pending[0] || st->tmr[0] == T_DUE || st->srvw;
	return ready(arg, v);
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
	if (cfg->run) { /* host vCPU 0's thread for R is about to RUN it */
		st->idle[0] = 0;
		st->hrun = 1;
	}
}

static bool r_timer(const struct m_config *cfg)
{
	return cfg->run && cfg->timers;
}

unsigned m_actors(const struct m_config *cfg)
{
	return cfg->cpus + nr_wakers(cfg) + (cfg->timers ? cfg->vcpus : 0) +
	       (cfg->server_waker ? 1 : 0) + (r_timer(cfg) ? 1 : 0);
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
	if (in_run(st, c) && r_timer(cfg)) { /* R's timer: put away at its exit */
		bool enabled = st->r_tmr == T_ARMED || st->r_tmr == T_DUE;
		t[n++] = (struct hv_sched_timer){
		    .ctl = enabled ? CNTV_CTL_ENABLE : 0,
		    .cval = st->r_tmr == T_DUE ? 0 : 1,
		    .on = true,
		};
		due |= st->r_tmr == T_DUE;
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
	st->hrun = again;
	st->pc[c] = PC_R_END;
}

/* CPU c (0) inside host vCPU 0's RUN of R. */
static bool run_step(const struct m_config *cfg, struct m_state *st, struct hv_sched *s, unsigned c,
                     unsigned choice)
{
	if (choice && st->pc[c] != PC_R_GUEST)
		return false;
	switch (st->pc[c]) {
	case PC_R_BEGIN:
		hv_sched_in_el2(s, c);
		hv_sched_run_begin(s, c, R_KEY);
		st->pc[c] = PC_R_PUB_G;
		break;
	case PC_R_PUB_G:
		hv_sched_publish(s, c, HV_SCHED_GUEST);
		st->pc[c] = PC_R_FLUSH;
		break;
	case PC_R_FLUSH:
		if (st->srvw || st->hwake) { /* wanted back: RUN gives way (IRQ exit) */
			run_returns(st, c, true);
			break;
		}
		if (st->r_pending) {
			st->r_pending = 0;
			st->r_in_lr = 1;
		}
		if (st->r_tmr == T_DUE) {
			st->r_tmr = T_SPENT;
			st->r_in_lr = 1;
		}
		st->r_idle = 0;
		st->pc[c] = PC_R_GUEST;
		break;
	case PC_R_GUEST:
		if (choice == 1) { /* R's guest arms its virtual timer */
			if (!r_timer(cfg) || st->r_tmr != T_UNUSED)
				return false;
			st->r_tmr = T_ARMED;
		} else if (choice == 2) { /* the port's slice ends the entry */
			run_returns(st, c, true);
		} else if (st->kick[c]) { /* PREEMPTED: RUN returns IRQ */
			st->kick[c] = 0;
			run_returns(st, c, true);
		} else if (st->r_in_lr) {
			st->r_in_lr = 0;
		} else { /* WFI */
			if (!st->r_pending)
				st->r_idle = 1;
			st->pc[c] = PC_R_EXIT;
		}
		break;
	case PC_R_EXIT:
		hv_sched_in_el2(s, c);
		st->pc[c] = st->r_idle ? PC_R_PICK : PC_R_PUB_G;
		break;
	case PC_R_PICK: {
		int next = hv_sched_pick(s, c, run_ready, st);
		if (next == HV_SCHED_RUN_ENTRY)
			st->pc[c] = PC_R_PUB_G;
		else if (next >= 0) /* a host vCPU needs the CPU back */
			run_returns(st, c, r_ready(st) || st->r_tmr == T_ARMED);
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
		if (!hv_sched_idle_recheck(s, c, run_ready, st))
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
	case PC_R_END:
		hv_sched_run_end(s, c);
		st->pc[c] = PC_EXIT;
		break;
	default: return false;
	}
	return true;
}

static bool cpu_step(const struct m_config *cfg, struct m_state *st, unsigned c, unsigned choice)
{
	struct hv_sched s;
	load(cfg, st, &s);
	unsigned v = st->loaded[c];
	if (choice && st->pc[c] != PC_RUN && st->pc[c] != PC_R_GUEST)
		return false;
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
		if (c == 0)
			st->hwake = 0; /* this flush looks (guest.c run_slice) */
		if (st->pending[v]) {  /* into a list register */
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
		if (choice == 1) { /* the guest arms its virtual timer */
			if (!cfg->timers || st->tmr[v] != T_UNUSED)
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
		} else if (cfg->run && v == 0 && st->hrun) {
			st->hrun = 0; /* the driver's thread calls RUN of R */
			st->pc[c] = PC_R_BEGIN;
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
			st->pending[v] = 1;                 /* an SGI into the vGIC */
			st->hwake |= cfg->run && home == 0; /* kick_vcpu, before its fence */
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

/* Another CPU's server call for R (the server waker, on CPU 1). */
static bool server_step(const struct m_config *cfg, struct m_state *st)
{
	struct hv_sched s;
	load(cfg, st, &s);
	unsigned self = 1 % cfg->cpus, cpu = 0;
	switch (st->spc) {
	case S_WAIT: /* host_abi.c: a waiter for the server, visible first */
		st->srvw = 1;
		st->spc = S_WAKE;
		break;
	case S_WAKE: st->spc = hv_sched_wake_run(&s, R_KEY, self, &cpu) ? S_KICK : S_LOCK; break;
	case S_KICK:
		st->kick[0] = 1; /* the model's only RUN entry is on CPU 0 */
		st->spc = S_LOCK;
		break;
	case S_LOCK:
		if (st->run[0])
			return false; /* the RUN holds the server */
		st->srvw = 0;
		st->r_pending = 1;  /* IRQ_LINE: R's interrupt in its vGIC */
		st->hrun = 1;       /* the driver wakes R's thread... */
		st->pending[0] = 1; /* ...on host vCPU 0, by an IPI */
		st->hwake = 1;
		st->spc = S_HWAKE;
		break;
	case S_HWAKE: st->spc = hv_sched_wake(&s, 0, self) ? S_HKICK : S_DONE; break;
	case S_HKICK:
		st->kick[hv_sched_home(&s, 0)] = 1;
		st->spc = S_DONE;
		break;
	default: return false;
	}
	store(cfg, st, &s);
	return true;
}

/* R's timer reaches its deadline: in R's guest its PPI ends the entry (the
 * port leaves it inactive); asleep in the RUN, the EL2 timer if armed. */
static bool r_timer_step(struct m_state *st)
{
	if (st->r_tmr != T_ARMED)
		return false;
	st->r_tmr = T_DUE;
	if (st->pc[0] == PC_R_GUEST || (in_run(st, 0) && st->el2t[0]))
		st->kick[0] = 1;
	return true;
}

bool m_step(const struct m_config *cfg, struct m_state *st, unsigned a, unsigned choice)
{
	if (a < cfg->cpus)
		return cpu_step(cfg, st, a, choice);
	if (choice)
		return false;
	a -= cfg->cpus;
	if (a < nr_wakers(cfg))
		return waker_step(cfg, st, a);
	a -= nr_wakers(cfg);
	if (cfg->timers && a < cfg->vcpus)
		return timer_step(cfg, st, a);
	a -= cfg->timers ? cfg->vcpus : 0;
	if (cfg->server_waker && a == 0)
		return server_step(cfg, st);
	return r_timer_step(st);
}

bool m_quiescent_ok(const struct m_config *cfg, const struct m_state *st)
{
	for (unsigned v = 0; v < cfg->vcpus; v++) {
		/* Host vCPU 0 asleep in its RUN of R is blocked, not idle. */
		bool blocked = cfg->run && v == 0 && in_run(st, 0);
		if (is_on(st, v) && (st->pending[v] || st->in_lr[v] || st->tmr[v] == T_DUE ||
		                     (!st->idle[v] && !blocked)))
			return false; /* a wake-up that nobody will deliver */
	}
	if (cfg->run && (r_ready(st) || st->r_in_lr || st->srvw || st->hrun ||
	                 (cfg->server_waker && st->spc != S_DONE)))
		return false; /* R's, or a server call's */
	return true;
}

/* Something not yet done could still kick CPU c: a waker for one of its
 * vCPUs, or an armed timer of one of them whose expiry would signal. */
static bool rescue_pending(const struct m_config *cfg, const struct m_state *st, unsigned c)
{
	for (unsigned w = 0; w < nr_wakers(cfg); w++)
		if (st->wpc[w] != W_DONE && waker_target(cfg, w) % cfg->cpus == c)
			return true;
	for (unsigned u = c; u < cfg->vcpus; u += cfg->cpus)
		if (st->tmr[u] == T_ARMED && is_on(st, u) && (hw_signals(st, c, u) || st->el2t[c]))
			return true;
	if (cfg->run && c == 0 &&
	    ((cfg->server_waker && st->spc != S_DONE && st->spc != S_LOCK) ||
	     (st->r_tmr == T_ARMED && st->el2t[c])))
		return true; /* the server waker may still kick, or R's timer */
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
	/* Asleep inside a RUN while R, a host vCPU of the CPU, or a server
	 * call waiting for the RUN wants it. */
	if (cfg->run && st->pc[0] == PC_R_WFI && !st->kick[0] && !rescue_pending(cfg, st, 0)) {
		bool wants = r_ready(st) || run_ready((void *)st, 0);
		for (unsigned v = cfg->cpus; v < cfg->vcpus; v += cfg->cpus)
			wants |= run_ready((void *)st, v);
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
	unsigned r = cfg->run ? 1 : 0;
	f[k++] = (struct field){offsetof(struct m_state, pc), cfg->cpus, r ? 5 : t ? 4 : 3};
	f[k++] = (struct field){offsetof(struct m_state, loaded), cfg->cpus, bits_for(cfg->vcpus)};
	f[k++] = (struct field){offsetof(struct m_state, kick), cfg->cpus, 1};
	f[k++] = (struct field){offsetof(struct m_state, el2t), t ? cfg->cpus : 0, 1};
	f[k++] = (struct field){offsetof(struct m_state, where), cfg->cpus, 2};
	f[k++] =
	    (struct field){offsetof(struct m_state, last), cfg->cpus, bits_for(cfg->vcpus - 1)};
	f[k++] = (struct field){offsetof(struct m_state, idle), cfg->vcpus, 1};
	f[k++] = (struct field){offsetof(struct m_state, pending), cfg->vcpus, 1};
	f[k++] = (struct field){offsetof(struct m_state, in_lr), cfg->vcpus, 1};
	f[k++] = (struct field){offsetof(struct m_state, tmr), t ? cfg->vcpus : 0, 2};
	f[k++] = (struct field){offsetof(struct m_state, power), p ? cfg->vcpus : 0, 2};
	f[k++] = (struct field){offsetof(struct m_state, wpc), nr_wakers(cfg), 2};
	f[k++] = (struct field){offsetof(struct m_state, run), r ? cfg->cpus : 0, 1};
	f[k++] = (struct field){offsetof(struct m_state, r_idle), r, 1};
	f[k++] = (struct field){offsetof(struct m_state, r_pending), r, 1};
	f[k++] = (struct field){offsetof(struct m_state, r_in_lr), r, 1};
	f[k++] = (struct field){offsetof(struct m_state, r_tmr), r && t, 2};
	f[k++] = (struct field){offsetof(struct m_state, hrun), r, 1};
	f[k++] = (struct field){offsetof(struct m_state, hwake), r, 1};
	f[k++] = (struct field){offsetof(struct m_state, srvw), cfg->server_waker ? 1 : 0, 1};
	f[k++] = (struct field){offsetof(struct m_state, spc), cfg->server_waker ? 1 : 0, 3};
	return k;
}

unsigned m_key_bits(const struct m_config *cfg)
{
	struct field f[24];
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
	struct field f[24];
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
