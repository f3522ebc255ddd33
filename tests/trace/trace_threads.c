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
static uint64_t read_up_to; /* 1 + the newest event the reader has read */

static void *writer(void *arg)
{
	(void)arg;
	for (uint64_t i = 0; i < total; i++) {
		hv_trace(&ring, i * 3, HV_TRACE_EXIT, (uint16_t)(i % 251), (uint16_t)(i % 8),
		         (uint32_t)(i * 2654435761u), i);
		/* After each burst of 64, wait until the reader has read one of
		 * them (the ring still holds the newest, so it will): the next
		 * burst then races the reader's copy of this one, whatever the
		 * scheduler does. Without this, a loaded machine could run the
		 * whole writer before the reader got a CPU. */
		if (i % 64 == 63)
			while (__atomic_load_n(&read_up_to, __ATOMIC_ACQUIRE) < i - 62)
				sched_yield();
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
		if (n)
			__atomic_store_n(&read_up_to, last + 1, __ATOMIC_RELEASE);
		if (finished && n == 0 && cur == ring.head)
			break;
	}
	pthread_join(w, NULL);
	printf("trace-threads: written %llu read %llu lost %llu torn-or-disordered %d\n",
	       (unsigned long long)total, (unsigned long long)got, (unsigned long long)lost, bad);
	free(slots);
	/* at least one event of every burst of 64 was read (the writer waits
	 * for it), so the race was run all along */
	return bad == 0 && got + lost == total && got >= total / 100 ? 0 : 1;
}
