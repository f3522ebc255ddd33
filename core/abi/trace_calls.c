/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The event-trace extension (hv/abi.h: TRACE_CTL, TRACE_READ): the host
 * switches the runtime's per-CPU rings on and off and copies events out of
 * them into a buffer of its own. The rings' writers never wait for this:
 * hv_trace_read() is lock-free and counts what was overwritten as lost.
 */
#include <hv/arch.h>
#include "abi_internal.h"

_Static_assert(sizeof(struct hv_abi_trace_event) == sizeof(struct hv_trace_event),
               "the host's event is the ring's slot");
_Static_assert(__builtin_offsetof(struct hv_abi_trace_event, arg0) ==
                   __builtin_offsetof(struct hv_trace_event, arg0),
               "arg0");
_Static_assert(__builtin_offsetof(struct hv_abi_trace_event, reserved) ==
                   __builtin_offsetof(struct hv_trace_event, seq),
               "the slot's seq is the host's reserved word");
_Static_assert(__builtin_offsetof(struct hv_abi_trace_event, arg1) ==
                   __builtin_offsetof(struct hv_trace_event, arg1),
               "arg1");

#define EVENT_BYTES sizeof(struct hv_abi_trace_event)

static int64_t trace_ctl(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	if (in[1] > 1 || !abi_args_zero(in, 2))
		return HV_ABI_ERR_INVALID_ARGS;
	for (uint32_t i = 0; i < srv->nr_trace; i++)
		hv_trace_set_enabled(&srv->trace[i], in[1] == 1);
	out[1] = srv->nr_trace;
	out[2] = hv_arch_counter_freq();
	return HV_ABI_OK;
}

static int64_t trace_read(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	uint64_t pa = in[3], bytes = in[4];
	if (in[1] >= srv->nr_trace || !abi_args_zero(in, 5) || pa % EVENT_BYTES ||
	    bytes % EVENT_BYTES || bytes == 0 || bytes > HV_ABI_TRACE_READ_MAX)
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_trace_event *buf = abi_host_buffer(srv, pa, bytes);
	if (!buf)
		return HV_ABI_ERR_INVALID_ARGS;
	uint64_t cursor = in[2], lost = 0;
	size_t n = hv_trace_read(&srv->trace[in[1]], &cursor, buf, bytes / EVENT_BYTES, &lost);
	for (size_t i = 0; i < n; i++)
		buf[i].seq = 0; /* the slot's sequence is not the host's business */
	out[1] = n;
	out[2] = cursor;
	out[3] = lost;
	return HV_ABI_OK;
}

int64_t abi_trace_call(struct hv_abi_server *srv, unsigned n, const uint64_t in[8], uint64_t out[4])
{
	if (!srv->nr_trace)
		return HV_ABI_ERR_NOT_SUPPORTED;
	switch (n) {
	case HV_ABI_TRACE_CTL: return trace_ctl(srv, in, out);
	case HV_ABI_TRACE_READ: return trace_read(srv, in, out);
	default: return HV_ABI_ERR_NOT_SUPPORTED;
	}
}
