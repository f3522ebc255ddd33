/* SPDX-License-Identifier: Apache-2.0 */
/* The per-CPU event ring (core/trace/ring.c): order, wrap, lost counts, cursors. */
#include <criterion/criterion.h>
#include <hv/trace.h>
#include <string.h>

static struct hv_trace_event slots[1u << 4];
static struct hv_trace_ring ring;

static void write_n(uint64_t from, uint64_t n)
{
	for (uint64_t i = from; i < from + n; i++)
		hv_trace(&ring, 1000 + i, HV_TRACE_EXIT, 3, (uint16_t)(i % 4), (uint32_t)(i * 7),
		         i);
}

Test(trace_ring, init_refuses_bad_arguments)
{
	cr_expect_eq(hv_trace_ring_init(&ring, NULL, 4, 0), HV_ERR_INVALID);
	cr_expect_eq(hv_trace_ring_init(&ring, slots, 0, 0), HV_ERR_INVALID);
	cr_expect_eq(hv_trace_ring_init(&ring, slots, 21, 0), HV_ERR_INVALID);
	cr_expect_eq(hv_trace_ring_init(NULL, slots, 4, 0), HV_ERR_INVALID);
}

Test(trace_ring, disabled_records_nothing)
{
	cr_assert_eq(hv_trace_ring_init(&ring, slots, 4, 1), HV_OK);
	write_n(0, 5);
	cr_expect_eq(ring.head, 0);
	struct hv_trace_event out[4];
	uint64_t cur = 0, lost = 0;
	cr_expect_eq(hv_trace_read(&ring, &cur, out, 4, &lost), 0);
	cr_expect_eq(cur, 0);
}

Test(trace_ring, events_come_back_in_order_with_every_field)
{
	cr_assert_eq(hv_trace_ring_init(&ring, slots, 4, 1), HV_OK);
	hv_trace_set_enabled(&ring, true);
	write_n(0, 5);
	struct hv_trace_event out[8];
	uint64_t cur = 0, lost = 0;
	cr_assert_eq(hv_trace_read(&ring, &cur, out, 8, &lost), 5);
	cr_expect_eq(cur, 5);
	cr_expect_eq(lost, 0);
	for (unsigned i = 0; i < 5; i++) {
		cr_expect_eq(out[i].ts, 1000 + i);
		cr_expect_eq(out[i].type, HV_TRACE_EXIT);
		cr_expect_eq(out[i].cpu, 1);
		cr_expect_eq(out[i].vm, 3);
		cr_expect_eq(out[i].vcpu, i % 4);
		cr_expect_eq(out[i].arg0, i * 7);
		cr_expect_eq(out[i].arg1, i);
	}
	/* nothing new: nothing read, cursor stays */
	cr_expect_eq(hv_trace_read(&ring, &cur, out, 8, &lost), 0);
	cr_expect_eq(cur, 5);
}

Test(trace_ring, overwritten_events_are_counted_lost)
{
	cr_assert_eq(hv_trace_ring_init(&ring, slots, 3, 0), HV_OK); /* 8 slots */
	hv_trace_set_enabled(&ring, true);
	write_n(0, 20);
	struct hv_trace_event out[16];
	uint64_t cur = 0, lost = 0;
	cr_assert_eq(hv_trace_read(&ring, &cur, out, 16, &lost), 8);
	cr_expect_eq(lost, 12);
	cr_expect_eq(out[0].arg1, 12, "the oldest kept is event 12");
	cr_expect_eq(out[7].arg1, 19);
	cr_expect_eq(cur, 20);
}

Test(trace_ring, a_small_buffer_reads_in_steps)
{
	cr_assert_eq(hv_trace_ring_init(&ring, slots, 4, 0), HV_OK);
	hv_trace_set_enabled(&ring, true);
	write_n(0, 10);
	struct hv_trace_event out[3];
	uint64_t cur = 0, lost = 0, seen = 0;
	size_t n;
	while ((n = hv_trace_read(&ring, &cur, out, 3, &lost)) > 0) {
		for (size_t i = 0; i < n; i++)
			cr_expect_eq(out[i].arg1, seen + i);
		seen += n;
	}
	cr_expect_eq(seen, 10);
	cr_expect_eq(lost, 0);
}

Test(trace_ring, a_cursor_from_the_future_restarts_at_the_oldest)
{
	cr_assert_eq(hv_trace_ring_init(&ring, slots, 2, 0), HV_OK); /* 4 slots */
	hv_trace_set_enabled(&ring, true);
	write_n(0, 6);
	struct hv_trace_event out[8];
	uint64_t cur = 1000, lost = 0;
	cr_expect_eq(hv_trace_read(&ring, &cur, out, 8, &lost), 4);
	cr_expect_eq(out[0].arg1, 2);
	cr_expect_eq(lost, 0);
}

Test(trace_format, one_line_per_event_in_hex)
{
	struct hv_trace_event e = {.ts = 0x1234abcd,
	                           .type = HV_TRACE_EXIT,
	                           .cpu = 1,
	                           .vm = 2,
	                           .vcpu = 0,
	                           .arg0 = 0x24,
	                           .arg1 = 0x93810045};
	char buf[HV_TRACE_LINE_MAX];
	size_t n = hv_trace_format(&e, buf, sizeof(buf));
	cr_expect_str_eq(buf, "1 1234abcd exit 2 0 24 93810045\n");
	cr_expect_eq(n, strlen(buf));
	e.type = 999;
	e.arg1 = UINT64_MAX;
	e.ts = UINT64_MAX;
	cr_expect_gt(hv_trace_format(&e, buf, sizeof(buf)), 0);
	cr_expect_str_eq(buf, "1 ffffffffffffffff ? 2 0 24 ffffffffffffffff\n");
	cr_expect_eq(hv_trace_format(&e, buf, 10), 0, "too small: nothing claimed");
}
