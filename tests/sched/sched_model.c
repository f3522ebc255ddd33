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
	PC_WFI,     /* asleep: a kick ends it */
};

enum { W_INJECT, W_WAKE, W_KICK, W_DONE };

/* Waker w targets vCPU w % vcpus, from the CPU after that vCPU's home. */
static unsigned target(const struct m_config *cfg, unsigned w)
{
	return w % cfg->vcpus;
}

static void load(const struct m_config *cfg, const struct m_state *st, struct hv_sched *s)
{
	(void)hv_sched_init(s, cfg->cpus, cfg->vcpus);
	for (unsigned c = 0; c < cfg->cpus; c++) {
		s->where[c] = st->where[c];
		s->last[c] = st->last[c];
	}
}

static void store(const struct m_config *cfg, struct m_state *st, const struct hv_sched *s)
{
	for (unsigned c = 0; c < cfg->cpus; c++) {
		st->where[c] = (uint8_t)s->where[c];
		st->last[c] = (uint8_t)s->last[c];
	}
}

static bool ready(void *arg, unsigned v)
{
	const struct m_state *st = arg;
	return !st->idle[v] || st->pending[v];
}

void m_init(const struct m_config *cfg, struct m_state *st)
{
	memset(st, 0, sizeof(*st));
	struct hv_sched s;
	load(cfg, st, &s);
	store(cfg, st, &s);
	for (unsigned v = 0; v < cfg->vcpus; v++)
		st->idle[v] = 1; /* every vCPU waits in WFI for its interrupt */
}

unsigned m_actors(const struct m_config *cfg)
{
	return cfg->cpus + cfg->wakers;
}

static bool cpu_step(const struct m_config *cfg, struct m_state *st, unsigned c)
{
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
		if (st->pending[v]) { /* into a list register */
			st->pending[v] = 0;
			st->in_lr[v] = 1;
		}
		st->idle[v] = 0;
		st->pc[c] = cfg->variant == M_BUG_FLUSH_BEFORE_GUEST ? PC_PUB_G : PC_RUN;
		break;
	case PC_RUN:
		if (st->kick[c]) { /* the pending SGI ends the entry */
			st->kick[c] = 0;
			st->pc[c] = PC_EXIT;
		} else if (st->in_lr[v]) {
			st->in_lr[v] = 0; /* the guest takes its interrupt */
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
		st->pc[c] = hv_sched_idle_recheck(&s, c, ready, st) ? PC_WFI : PC_LOOK;
		break;
	case PC_WFI:
		if (!st->kick[c])
			return false; /* asleep */
		st->kick[c] = 0;
		hv_sched_in_el2(&s, c);
		st->pc[c] = PC_LOOK;
		break;
	default: return false;
	}
	store(cfg, st, &s);
	return true;
}

static bool waker_step(const struct m_config *cfg, struct m_state *st, unsigned w)
{
	struct hv_sched s;
	load(cfg, st, &s);
	unsigned v = target(cfg, w), home = hv_sched_home(&s, v);
	unsigned self = (home + 1) % cfg->cpus;
	switch (st->wpc[w]) {
	case W_INJECT:
		st->pending[v] = 1; /* an SGI into the vGIC */
		st->wpc[w] = W_WAKE;
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

bool m_step(const struct m_config *cfg, struct m_state *st, unsigned a)
{
	if (a < cfg->cpus)
		return cpu_step(cfg, st, a);
	return waker_step(cfg, st, a - cfg->cpus);
}

bool m_quiescent_ok(const struct m_config *cfg, const struct m_state *st)
{
	for (unsigned v = 0; v < cfg->vcpus; v++)
		if (st->pending[v] || st->in_lr[v])
			return false; /* a wake-up that nobody will deliver */
	return true;
}

bool m_lost(const struct m_config *cfg, const struct m_state *st)
{
	for (unsigned v = 0; v < cfg->vcpus; v++) {
		unsigned c = v % cfg->cpus; /* hv_sched_home */
		if (!st->pending[v] || st->kick[c])
			continue;
		if (st->pc[c] != PC_WFI && !(st->pc[c] == PC_RUN && st->loaded[c] == v))
			continue;
		bool rescue = false;
		for (unsigned w = 0; w < cfg->wakers; w++)
			rescue |= st->wpc[w] != W_DONE && target(cfg, w) % cfg->cpus == c;
		if (!rescue)
			return true;
	}
	return false;
}

/* Field widths of the packed state, in the order of struct m_state. */
static const struct {
	size_t off;
	unsigned n, bits;
} fields[] = {
    {offsetof(struct m_state, pc), M_CPUS, 3},       {offsetof(struct m_state, loaded), M_CPUS, 2},
    {offsetof(struct m_state, kick), M_CPUS, 1},     {offsetof(struct m_state, where), M_CPUS, 2},
    {offsetof(struct m_state, last), M_CPUS, 2},     {offsetof(struct m_state, idle), M_VCPUS, 1},
    {offsetof(struct m_state, pending), M_VCPUS, 1}, {offsetof(struct m_state, in_lr), M_VCPUS, 1},
    {offsetof(struct m_state, wpc), M_WAKERS, 2},
};

uint64_t m_pack(const struct m_state *st)
{
	const uint8_t *b = (const uint8_t *)st;
	uint64_t key = 0;
	unsigned at = 0;
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (unsigned i = 0; i < fields[f].n; i++, at += fields[f].bits)
			key |= (uint64_t)b[fields[f].off + i] << at;
	return key;
}

void m_unpack(uint64_t key, struct m_state *st)
{
	uint8_t *b = (uint8_t *)st;
	unsigned at = 0;
	memset(st, 0, sizeof(*st));
	for (size_t f = 0; f < sizeof(fields) / sizeof(fields[0]); f++)
		for (unsigned i = 0; i < fields[f].n; i++, at += fields[f].bits)
			b[fields[f].off + i] =
			    (uint8_t)((key >> at) & ((1u << fields[f].bits) - 1));
}
