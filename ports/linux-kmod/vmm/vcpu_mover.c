/* SPDX-License-Identifier: Apache-2.0 */
#define _GNU_SOURCE
#include "vcpu_mover.h"

#include <pthread.h>
#include <sched.h>

void vcpu_mover_init(struct vcpu_mover *m)
{
	cpu_set_t set;
	m->allowed = 0;
	m->entered_on = 0;
	m->moves = 0;
	m->last_cpu = -1;
	if (pthread_getaffinity_np(pthread_self(), sizeof(set), &set) != 0)
		return;
	for (int cpu = 0; cpu < 64; cpu++)
		if (CPU_ISSET(cpu, &set))
			m->allowed |= UINT64_C(1) << cpu;
}

/* The allowed CPU after `cpu`, wrapping; -1 if none is known. */
static int next_allowed(uint64_t allowed, int cpu)
{
	for (int step = 1; step <= 64; step++) {
		int next = (cpu + step) % 64;
		if (allowed & (UINT64_C(1) << next))
			return next;
	}
	return -1;
}

void vcpu_mover_step(struct vcpu_mover *m)
{
	int cpu = sched_getcpu();
	int next = cpu >= 0 && cpu < 64 ? next_allowed(m->allowed, cpu) : -1;
	if (next >= 0 && next != cpu) {
		cpu_set_t set;
		CPU_ZERO(&set);
		CPU_SET(next, &set);
		/* A refusal (the CPU went offline) leaves the thread where it is. */
		(void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
		cpu = sched_getcpu();
	}
	if (cpu < 0)
		return;
	if (cpu < 64)
		m->entered_on |= UINT64_C(1) << cpu;
	if (m->last_cpu >= 0 && cpu != m->last_cpu)
		m->moves++;
	m->last_cpu = cpu;
}

unsigned int vcpu_mover_cpus(const struct vcpu_mover *m)
{
	return (unsigned int)__builtin_popcountll(m->entered_on);
}
