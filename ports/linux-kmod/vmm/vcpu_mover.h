/* SPDX-License-Identifier: Apache-2.0 */
/*
 * --move-vcpus: a vCPU thread pins itself to the next host CPU before every
 * RUN, so each guest vCPU is entered on one physical CPU after another
 * (host mode: the host's CPUs are the physical ones). A test of state that
 * must follow a vCPU across CPUs (debug registers, timers) without waiting
 * for the host's scheduler to move it.
 */
#ifndef GZVM_VMM_VCPU_MOVER_H
#define GZVM_VMM_VCPU_MOVER_H

#include <stdint.h>

struct vcpu_mover {
	uint64_t allowed;    /* bit N: host CPU N was in the thread's affinity at init */
	uint64_t entered_on; /* bit N: a RUN was entered on host CPU N (N < 64) */
	unsigned long moves; /* RUNs entered on another CPU than the last */
	int last_cpu;        /* -1 before the first RUN */
};

/* Records the calling thread's allowed CPUs (the first 64). */
void vcpu_mover_init(struct vcpu_mover *m);
/* Before a RUN: pin the calling thread to the host CPU after the current
 * one among those it was allowed at init (round robin) and record where
 * the RUN will enter. */
void vcpu_mover_step(struct vcpu_mover *m);
/* How many different host CPUs the RUNs were entered on. */
unsigned int vcpu_mover_cpus(const struct vcpu_mover *m);

#endif
