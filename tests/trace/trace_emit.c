/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A synthetic trace through the real ring and formatter, for the decoder's
 * test (tests/trace/hvtrace-check.sh): two CPUs, a VM with two vCPUs that
 * enter and exit (HVC, data aborts, WFI), idle periods and kicks, a server
 * call, printed as core/trace/format.c writes them.
 */
#include <hv/trace.h>
#include <stdio.h>

static struct hv_trace_event slots[2][256];
static struct hv_trace_ring rings[2];

int main(void)
{
	for (uint16_t c = 0; c < 2; c++) {
		hv_trace_ring_init(&rings[c], slots[c], 8, c);
		hv_trace_set_enabled(&rings[c], true);
	}
	uint64_t t = 1000;
	for (int i = 0; i < 20; i++) {
		for (uint16_t c = 0; c < 2; c++) {
			struct hv_trace_ring *r = &rings[c];
			hv_trace(r, t, HV_TRACE_ENTER, 1, c, 0, 0);
			t += 625; /* 10 us at 62.5 MHz */
			uint32_t ec = i % 4 == 0 ? 0x16 : i % 4 == 3 ? 0x01 : 0x24;
			hv_trace(r, t, HV_TRACE_EXIT, 1, c,
			         ec << 26 | (i % 4 == 1 ? 0x1000045u : 0),
			         ec == 0x24 ? 0x9000000u + (uint64_t)(i % 4) * 0x18 : 0x40001000u);
			t += 62;
			if (ec == 0x01) {
				hv_trace(r, t, HV_TRACE_IDLE, 0, 0, 0, 0);
				t += 6250 * (uint64_t)(i + 1);
				hv_trace(r, t, HV_TRACE_WAKE, 0, 0, 1, 0);
				hv_trace(&rings[1 - c], t, HV_TRACE_KICK, 0, 0, c, 0);
				hv_trace(r, t + 1, HV_TRACE_INJECT, 1, c, 27, 0);
			}
		}
	}
	hv_trace(&rings[0], t, HV_TRACE_SERVER_CALL, 0, 0, 0x5, (uint64_t)-8);
	printf("# hvtrace freq=62500000\n");
	for (int c = 0; c < 2; c++) {
		struct hv_trace_event ev[256];
		uint64_t cur = 0, lost = 0;
		size_t n = hv_trace_read(&rings[c], &cur, ev, 256, &lost);
		for (size_t i = 0; i < n; i++) {
			char line[HV_TRACE_LINE_MAX];
			if (hv_trace_format(&ev[i], line, sizeof(line)))
				fputs(line, stdout);
		}
	}
	return 0;
}
