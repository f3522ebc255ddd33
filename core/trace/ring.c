/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Per-CPU event rings (hv/trace.h). Sequence lock per slot, in the C11
 * memory model through the compiler's __atomic builtins (as core/exit/
 * psci.c): the writer marks the slot odd, fences, stores the payload,
 * then publishes the even sequence and the head with release stores; the
 * reader loads the sequence with acquire, the payload, fences, and loads
 * the sequence again. Every payload access is a relaxed atomic, so a
 * reader racing a writer copies a torn event at worst, and discards it.
 */
#include <hv/trace.h>

#define ORDER_MAX 20u
#define WORDS     (sizeof(struct hv_trace_event) / sizeof(uint64_t))

_Static_assert(sizeof(struct hv_trace_event) == 32, "four 64-bit words");
_Static_assert(__builtin_offsetof(struct hv_trace_event, seq) == 20, "seq in word 2, upper half");

hv_status_t hv_trace_ring_init(struct hv_trace_ring *ring, struct hv_trace_event *slots,
                               uint32_t order, uint16_t cpu)
{
	if (!ring || !slots || order == 0 || order > ORDER_MAX)
		return HV_ERR_INVALID;
	hv_memset(slots, 0, sizeof(*slots) << order);
	ring->slots = slots;
	ring->order = order;
	ring->cpu = cpu;
	ring->enabled = false;
	ring->head = 0;
	return HV_OK;
}

void hv_trace_set_enabled(struct hv_trace_ring *ring, bool on)
{
	__atomic_store_n(&ring->enabled, on, __ATOMIC_RELAXED);
}

static uint32_t seq_of(uint64_t n, bool done)
{
	return (uint32_t)(2 * n + (done ? 2 : 1));
}

void hv_trace_write(struct hv_trace_ring *ring, uint64_t ts, enum hv_trace_type type, uint16_t vm,
                    uint16_t vcpu, uint32_t arg0, uint64_t arg1)
{
	uint64_t n = ring->head; /* only this CPU writes head */
	struct hv_trace_event *e = &ring->slots[n & ((1ull << ring->order) - 1)];
	__atomic_store_n(&e->seq, seq_of(n, false), __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_RELEASE); /* odd seq before the payload */
	__atomic_store_n(&e->ts, ts, __ATOMIC_RELAXED);
	__atomic_store_n(&e->type, (uint16_t)type, __ATOMIC_RELAXED);
	__atomic_store_n(&e->cpu, ring->cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&e->vm, vm, __ATOMIC_RELAXED);
	__atomic_store_n(&e->vcpu, vcpu, __ATOMIC_RELAXED);
	__atomic_store_n(&e->arg0, arg0, __ATOMIC_RELAXED);
	__atomic_store_n(&e->arg1, arg1, __ATOMIC_RELAXED);
	__atomic_store_n(&e->seq, seq_of(n, true), __ATOMIC_RELEASE);
	__atomic_store_n(&ring->head, n + 1, __ATOMIC_RELEASE);
}

/* Event n into *out if the slot holds it whole; false if overwritten. */
static bool copy_event(const struct hv_trace_ring *ring, uint64_t n, struct hv_trace_event *out)
{
	const struct hv_trace_event *e = &ring->slots[n & ((1ull << ring->order) - 1)];
	uint32_t want = seq_of(n, true);
	if (__atomic_load_n(&e->seq, __ATOMIC_ACQUIRE) != want)
		return false;
	out->ts = __atomic_load_n(&e->ts, __ATOMIC_RELAXED);
	out->type = __atomic_load_n(&e->type, __ATOMIC_RELAXED);
	out->cpu = __atomic_load_n(&e->cpu, __ATOMIC_RELAXED);
	out->vm = __atomic_load_n(&e->vm, __ATOMIC_RELAXED);
	out->vcpu = __atomic_load_n(&e->vcpu, __ATOMIC_RELAXED);
	out->arg0 = __atomic_load_n(&e->arg0, __ATOMIC_RELAXED);
	out->arg1 = __atomic_load_n(&e->arg1, __ATOMIC_RELAXED);
	__atomic_thread_fence(__ATOMIC_ACQUIRE); /* the payload before the second look */
	out->seq = want;
	return __atomic_load_n(&e->seq, __ATOMIC_RELAXED) == want;
}

size_t hv_trace_read(const struct hv_trace_ring *ring, uint64_t *cursor, struct hv_trace_event *out,
                     size_t max, uint64_t *lost)
{
	uint64_t head = __atomic_load_n(&ring->head, __ATOMIC_ACQUIRE);
	uint64_t size = 1ull << ring->order;
	if (*cursor > head) /* a cursor from the future: start over at the oldest */
		*cursor = head > size ? head - size : 0;
	if (head - *cursor > size) {
		*lost += head - *cursor - size;
		*cursor = head - size;
	}
	size_t got = 0;
	while (got < max && *cursor < head) {
		if (copy_event(ring, *cursor, &out[got]))
			got++;
		else
			(*lost)++; /* overwritten since head was read */
		(*cursor)++;
	}
	return got;
}
