/* SPDX-License-Identifier: Apache-2.0 */
/* Event lines for scripts/hvtrace (hv/trace.h): hex fields, a type name. */
#include <hv/trace.h>

static const char *const type_names[HV_TRACE_TYPE_MAX] = {
    [HV_TRACE_EXIT] = "exit",        [HV_TRACE_ENTER] = "enter", [HV_TRACE_INJECT] = "inject",
    [HV_TRACE_IDLE] = "idle",        [HV_TRACE_WAKE] = "wake",   [HV_TRACE_KICK] = "kick",
    [HV_TRACE_SERVER_CALL] = "call",
};

struct line {
	char *buf;
	size_t cap, len;
	bool full;
};

static void put(struct line *l, char c)
{
	if (l->len + 1 >= l->cap) {
		l->full = true;
		return;
	}
	l->buf[l->len++] = c;
}

static void put_hex(struct line *l, uint64_t v)
{
	int shift = 60;
	while (shift > 0 && !((v >> shift) & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		put(l, "0123456789abcdef"[(v >> shift) & 0xf]);
}

size_t hv_trace_format(const struct hv_trace_event *e, char *buf, size_t cap)
{
	struct line l = {buf, cap, 0, cap == 0};
	const char *name =
	    e->type < HV_TRACE_TYPE_MAX && type_names[e->type] ? type_names[e->type] : "?";
	put_hex(&l, e->cpu);
	put(&l, ' ');
	put_hex(&l, e->ts);
	put(&l, ' ');
	for (const char *c = name; *c; c++)
		put(&l, *c);
	const uint64_t rest[] = {e->vm, e->vcpu, e->arg0, e->arg1};
	for (size_t i = 0; i < sizeof(rest) / sizeof(rest[0]); i++) {
		put(&l, ' ');
		put_hex(&l, rest[i]);
	}
	put(&l, '\n');
	if (l.full)
		return 0;
	buf[l.len] = '\0';
	return l.len;
}
