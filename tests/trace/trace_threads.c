/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event ring with a writer and a reader on different threads (as an
 * EL2 CPU and the host's reader): every event read is whole (its fields
 * agree with each other), events come in order, and read + lost = written.
 *   trace-threads EVENTS ORDER
 */
#include <hv/trace.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>

static struct hv_trace_ring ring;
static uint64_t total;
static volatile int done;

static void *writer(void *arg)
{
	(void)arg;
	for (uint64_t i = 0; i < total; i++) {
		hv_trace(&ring, i * 3, HV_TRACE_EXIT, (uint16_t)(i % 251), (uint16_t)(i % 8),
		         (uint32_t)(i * 2654435761u), i);
		if (i % 64 == 63)
			sched_yield(); /* let the reader in between bursts, and race it */
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	total = strtoull(argv[1], NULL, 0);
	uint32_t order = (uint32_t)strtoul(argv[2], NULL, 0);
	struct hv_trace_event *slots = calloc((size_t)1 << order, sizeof(*slots));
	if (hv_trace_ring_init(&ring, slots, order, 5) != HV_OK)
		return 2;
	hv_trace_set_enabled(&ring, true);
	pthread_t w;
	pthread_create(&w, NULL, writer, NULL);
	uint64_t cur = 0, lost = 0, got = 0, last = 0;
	int bad = 0;
	struct hv_trace_event out[64];
	for (;;) {
		int finished = __atomic_load_n(&done, __ATOMIC_ACQUIRE);
		size_t n = hv_trace_read(&ring, &cur, out, 64, &lost);
		for (size_t i = 0; i < n; i++) {
			const struct hv_trace_event *e = &out[i];
			uint64_t k = e->arg1;
			if (e->ts != k * 3 || e->vm != k % 251 || e->vcpu != k % 8 ||
			    e->arg0 != (uint32_t)(k * 2654435761u) || e->cpu != 5 ||
			    (got && k <= last))
				bad++;
			last = k;
			got++;
		}
		if (finished && n == 0 && cur == ring.head)
			break;
	}
	pthread_join(w, NULL);
	printf("trace-threads: written %llu read %llu lost %llu torn-or-disordered %d\n",
	       (unsigned long long)total, (unsigned long long)got, (unsigned long long)lost, bad);
	free(slots);
	/* the reader must have kept up for a good part, or the race was not run */
	return bad == 0 && got + lost == total && got >= total / 100 ? 0 : 1;
}
