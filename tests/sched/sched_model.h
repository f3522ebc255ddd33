/* SPDX-License-Identifier: Apache-2.0 */
/*
 * An explicit-state model of the run/idle/wake protocol (hv/sched.h) for
 * the exhaustive explorer (test_sched_explore.c): physical CPUs running
 * the port's loop, and wakers (another CPU's guest sending an SGI, a PSCI
 * CPU_ON) making vCPUs runnable. Each step is one atomic action and calls
 * core/sched's real step functions on the state's copy of struct hv_sched.
 */
#ifndef SCHED_MODEL_H
#define SCHED_MODEL_H

#include <hv/sched.h>
#include <stdbool.h>
#include <stdint.h>

#define M_CPUS   3
#define M_VCPUS  4
#define M_WAKERS 4

/* Deliberately broken variants the explorer must catch. */
enum m_variant {
	M_CORRECT,
	/* Looks for a ready vCPU, finds none, THEN publishes IDLE and sleeps:
	 * a wake between the look and the publish reads EL2, kicks nobody. */
	M_BUG_LOOK_BEFORE_IDLE,
	/* Flushes the vGIC (its last look) before publishing GUEST. */
	M_BUG_FLUSH_BEFORE_GUEST,
};

struct m_config {
	unsigned cpus, vcpus, wakers;
	enum m_variant variant;
};

/* One state; all bytes, no padding (hashed and compared as memory). */
struct m_state {
	uint8_t pc[M_CPUS];       /* enum in sched_model.c */
	uint8_t loaded[M_CPUS];   /* the vCPU entered (PUB_GUEST..RUN) */
	uint8_t kick[M_CPUS];     /* latched kick SGI */
	uint8_t where[M_CPUS];    /* struct hv_sched.where */
	uint8_t last[M_CPUS];     /* struct hv_sched.last */
	uint8_t idle[M_VCPUS];    /* blocked in WFI (the port's vcpu_idle) */
	uint8_t pending[M_VCPUS]; /* interrupt pending in the vGIC */
	uint8_t in_lr[M_VCPUS];   /* interrupt in the loaded list registers */
	uint8_t wpc[M_WAKERS];    /* waker progress */
};

/* The state in 64 bits (3 bits of pc, 2 of each other CPU and waker
 * field, 1 of each vCPU flag: 50 bits), for the explorer's visited set. */
uint64_t m_pack(const struct m_state *st);
void m_unpack(uint64_t key, struct m_state *st);

void m_init(const struct m_config *cfg, struct m_state *st);
/* Actors: CPUs 0..cpus-1, then wakers. Returns false if actor `a` cannot
 * step in `st` (a CPU in WFI without a kick, a waker done). */
bool m_step(const struct m_config *cfg, struct m_state *st, unsigned a);
unsigned m_actors(const struct m_config *cfg);
/* A state where no actor can step: is every wake-up delivered? */
bool m_quiescent_ok(const struct m_config *cfg, const struct m_state *st);
/* Any state: is a wake-up already lost? A vCPU's interrupt is pending in
 * the vGIC while its CPU sleeps, or runs that very vCPU (whose guest may
 * spin waiting for it without an exit), with no kick latched and no waker
 * left that could still kick that CPU. */
bool m_lost(const struct m_config *cfg, const struct m_state *st);

#endif
