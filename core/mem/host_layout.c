/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's identity stage-2 layout (hv/host_layout.h). Rather than sort
 * and merge copies of the input, it sweeps the IPA space from 0: at each
 * point it asks which kind of range covers it (hole, then RAM, then
 * device: the precedence) and where the next range edge after it lies; the
 * kind cannot change between two edges. The input stays as given, any
 * order and overlap, and nothing needs scratch memory. One pass counts the
 * output, so a too-small array is refused before anything is written.
 */
#include <hv/host_layout.h>

#define PAGE_MASK (HV_PAGE_SIZE - 1)
#define MAX_SPACE (UINT64_C(1) << 56)

enum kind { NONE, DEVICE, RAM, HOLE };

/* [lo, hi) inside the space; empty when lo >= hi. */
struct span {
	uint64_t lo, hi;
};

static bool wraps(const struct hv_range *r)
{
	return r->size && r->size - 1 > UINT64_MAX - r->base;
}

/* The range clipped to the space (checked: it wraps nowhere), rounded out
 * to pages, or in when `inward`. */
static struct span span_of(const struct hv_range *r, uint64_t space, bool inward)
{
	if (!r->size || r->base >= space)
		return (struct span){0, 0};
	uint64_t end = r->size > space - r->base ? space : r->base + r->size;
	if (inward)
		return (struct span){(r->base + PAGE_MASK) & ~PAGE_MASK, end & ~PAGE_MASK};
	return (struct span){r->base & ~PAGE_MASK, (end + PAGE_MASK) & ~PAGE_MASK};
}

struct list {
	const struct hv_range *r;
	uint32_t n;
	enum kind kind;
	bool inward;
};

static bool covers(const struct list *l, uint64_t space, uint64_t at)
{
	for (uint32_t i = 0; i < l->n; i++) {
		struct span s = span_of(&l->r[i], space, l->inward);
		if (s.lo <= at && at < s.hi)
			return true;
	}
	return false;
}

/* The first range edge above `at` in any list, or the space's end. */
static uint64_t next_edge(const struct list *lists, uint64_t space, uint64_t at)
{
	uint64_t next = space;
	for (unsigned k = 0; k < 4; k++)
		for (uint32_t i = 0; i < lists[k].n; i++) {
			struct span s = span_of(&lists[k].r[i], space, lists[k].inward);
			if (s.lo >= s.hi)
				continue;
			if (s.lo > at && s.lo < next)
				next = s.lo;
			if (s.hi > at && s.hi < next)
				next = s.hi;
		}
	return next;
}

/* One sweep; writes out[] only when `out` is not NULL. Returns the count. */
static uint32_t sweep(const struct list *lists, uint64_t space, struct hv_host_map *out)
{
	uint32_t n = 0;
	enum kind last = NONE; /* the kind just below `at` */
	for (uint64_t at = 0; at < space;) {
		enum kind k = NONE;
		for (unsigned i = 0; i < 4 && k == NONE; i++) /* lists[] in precedence order */
			if (covers(&lists[i], space, at))
				k = lists[i].kind;
		uint64_t next = next_edge(lists, space, at);
		if (k == RAM || k == DEVICE) {
			if (k != last) { /* else out[n - 1] ends at `at`: extend it */
				if (out)
					out[n] = (struct hv_host_map){
					    at, 0,
					    k == RAM ? HV_S2_MEM_NORMAL_WB : HV_S2_MEM_DEVICE_nGnRE,
					    k == RAM ? HV_S2_PROT_RWX : HV_S2_PROT_RW};
				n++;
			}
			if (out)
				out[n - 1].size = next - out[n - 1].base;
		}
		last = k;
		at = next;
	}
	return n;
}

static hv_status_t check(const struct hv_range *r, uint32_t n, uint64_t space, bool must_fit)
{
	if (n > HV_HOST_LAYOUT_MAX_IN)
		return HV_ERR_RANGE;
	if (n && !r)
		return HV_ERR_INVALID;
	for (uint32_t i = 0; i < n; i++) {
		if (wraps(&r[i]))
			return HV_ERR_INVALID;
		if (must_fit && r[i].size && (r[i].base >= space || r[i].size > space - r[i].base))
			return HV_ERR_RANGE;
	}
	return HV_OK;
}

hv_status_t hv_host_layout(const struct hv_host_layout_in *in, struct hv_host_map *out,
                           uint32_t max_out, uint32_t *nr_out)
{
	if (!in || !nr_out || (max_out && !out))
		return HV_ERR_INVALID;
	uint64_t space = in->space;
	if (space < HV_PAGE_SIZE || space > MAX_SPACE || (space & (space - 1)))
		return HV_ERR_INVALID;
	const struct list lists[4] = {
	    {in->own, in->nr_own, HOLE, false},
	    {in->nomap, in->nr_nomap, HOLE, false},
	    {in->ram, in->nr_ram, RAM, true},
	    {in->devices, in->nr_devices, DEVICE, false},
	};
	for (unsigned k = 0; k < 4; k++) {
		hv_status_t st = check(lists[k].r, lists[k].n, space, lists[k].kind != HOLE);
		if (st != HV_OK)
			return st;
	}
	uint32_t n = sweep(lists, space, NULL);
	*nr_out = n;
	if (n > max_out)
		return HV_ERR_NO_MEMORY;
	sweep(lists, space, out);
	return HV_OK;
}
