/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest-memory calls: SET_MEMREGION (a memslot, its pages given at once or
 * on demand), MAP_GUEST and MAP_GUEST_BLOCK (the host's answers to
 * demand-paging exits), MEMREGION_PURPOSE, SET_DTB_CONFIG. Ownership and
 * all-or-nothing mapping are core/mem's; this file checks the host's
 * arguments and buffers.
 */
#include "abi_internal.h"

#define MAX_SLOT_PAGES ((UINT64_C(1) << 31) - 1) /* GenieZone: pages per memslot */

/* Read the region buffer once (the host may change it while we look) and
 * fill scratch_pfns with the constituents' frames. */
static int64_t read_region(struct hv_abi_server *srv, const uint8_t *buf, uint64_t size,
                           struct hv_abi_mem_region *hdr)
{
	hv_memcpy(hdr, buf, sizeof(*hdr));
	uint64_t max_cnt = (size - sizeof(*hdr)) / sizeof(struct hv_abi_mem_constituent);
	if (hdr->slot >= HV_ABI_MAX_MEMSLOTS || hdr->constituent_cnt > max_cnt ||
	    hdr->total_pages == 0 || hdr->total_pages > MAX_SLOT_PAGES ||
	    !hv_is_aligned(hdr->gpa, HV_PAGE_SIZE) ||
	    (hdr->constituent_cnt && hdr->total_pages > HV_ABI_BLOCK_BUF_PFNS))
		return HV_ABI_ERR_INVALID_ARGS;
	uint64_t pages = 0;
	for (uint32_t i = 0; i < hdr->constituent_cnt; i++) {
		struct hv_abi_mem_constituent c;
		hv_memcpy(&c, buf + sizeof(*hdr) + i * sizeof(c), sizeof(c));
		if (c.reserved || c.pg_cnt == 0 || c.pg_cnt > hdr->total_pages - pages ||
		    !hv_is_aligned(c.address, HV_PAGE_SIZE))
			return HV_ABI_ERR_INVALID_ARGS;
		for (uint32_t k = 0; k < c.pg_cnt; k++)
			srv->scratch_pfns[pages++] = (c.address >> HV_PAGE_SHIFT) + k;
	}
	if (hdr->constituent_cnt && pages != hdr->total_pages)
		return HV_ABI_ERR_INVALID_ARGS;
	return HV_ABI_OK;
}

int64_t abi_set_memregion(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	uint64_t size = in[2], pa = in[3];
	if (!vm || !abi_args_zero(in, 4) || size < sizeof(struct hv_abi_mem_region) ||
	    size > 2 * HV_PAGE_SIZE || !hv_is_aligned(pa, 8))
		return HV_ABI_ERR_INVALID_ARGS;
	const uint8_t *buf = abi_host_buffer(srv, pa, size);
	if (!buf)
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_abi_mem_region hdr;
	int64_t ret = read_region(srv, buf, size, &hdr);
	if (ret != HV_ABI_OK)
		return ret;
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	uint64_t bytes = hdr.total_pages << HV_PAGE_SHIFT;
	if (hv_range_wraps(hdr.gpa, bytes) || abi_overlaps_devices(vs, hdr.gpa, bytes))
		return HV_ABI_ERR_INVALID_ARGS;
	/* A purpose given before the slot existed (MediaTek's order). */
	bool swiotlb = vs->has_purpose && vs->purpose_gpa == hdr.gpa && vs->purpose_size == bytes &&
	               (vs->purpose_flags & HV_GZVM_MEM_STATIC_SWIOTLB);
	uint32_t flags = vs->protected_vm && !swiotlb ? HV_MEMSLOT_PRIVATE : 0;
	hv_status_t st = hv_mem_set_memslot(vm, hdr.slot, hv_ipa(hdr.gpa), bytes, flags);
	if (st == HV_OK && vs->has_purpose && vs->purpose_gpa == hdr.gpa &&
	    vs->purpose_size == bytes)
		vs->has_purpose = false;
	if (st != HV_OK || !hdr.constituent_cnt)
		return abi_code(st);
	st = hv_mem_map_pages(vm, hdr.slot, hv_ipa(hdr.gpa), srv->scratch_pfns,
	                      (uint32_t)hdr.total_pages);
	if (st != HV_OK) {
		(void)hv_mem_delete_memslot(vm, hdr.slot); /* empty: cannot fail */
		return abi_code(st);
	}
	abi_s2_changed(srv, vm, hdr.gpa, bytes);
	return HV_ABI_OK;
}

static bool gfn_ok(uint64_t gfn)
{
	return gfn <= (UINT64_MAX >> HV_PAGE_SHIFT);
}

int64_t abi_map_guest(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	uint64_t slot = in[2], pfn = in[3], gfn = in[4], nr = in[5];
	if (!vm || !abi_args_zero(in, 6) || slot >= HV_ABI_MAX_MEMSLOTS || nr == 0 ||
	    nr > HV_ABI_BLOCK_BUF_PFNS || !gfn_ok(gfn) || !gfn_ok(pfn))
		return HV_ABI_ERR_INVALID_ARGS;
	hv_status_t st =
	    hv_mem_map_range(vm, (uint32_t)slot, hv_ipa(gfn << HV_PAGE_SHIFT), pfn, (uint32_t)nr);
	if (st == HV_OK)
		abi_s2_changed(srv, vm, gfn << HV_PAGE_SHIFT, nr << HV_PAGE_SHIFT);
	return abi_code(st);
}

int64_t abi_map_guest_block(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	uint64_t slot = in[2], gfn = in[3], nr = in[4];
	if (!vm || !abi_args_zero(in, 5) || slot >= HV_ABI_MAX_MEMSLOTS || nr == 0 ||
	    nr > HV_ABI_BLOCK_BUF_PFNS || !gfn_ok(gfn))
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	/* The pfn page must still be the host's: it may have been given away. */
	const uint64_t *pfns = hv_pa_addr(vs->block_buf)
	                           ? abi_host_buffer(srv, hv_pa_addr(vs->block_buf), nr * 8)
	                           : NULL;
	if (!pfns)
		return HV_ABI_ERR_INVALID_ARGS;
	/* core/mem reads each pfn exactly once and checks that it is the
	 * host's to give: a host rewriting the page meanwhile gains nothing.
	 * Pages of the block already mapped to the frames named stay: MediaTek's
	 * driver sends the whole block again after another vCPU's fault in it
	 * or a relinquish (its handle_block_demand_page checks nothing). */
	hv_status_t st = hv_mem_map_block_pages(vm, (uint32_t)slot, hv_ipa(gfn << HV_PAGE_SHIFT),
	                                        pfns, (uint32_t)nr);
	if (st == HV_OK)
		abi_s2_changed(srv, vm, gfn << HV_PAGE_SHIFT, nr << HV_PAGE_SHIFT);
	return abi_code(st);
}

/* PURPOSE of a range no memslot touches: remembered for its SET_MEMREGION. */
static int64_t purpose_ahead(struct hv_abi_vm_slot *vs, const struct hv_vm *vm, uint64_t gpa,
                             uint64_t size, uint64_t purpose)
{
	if (size == 0 || !hv_is_aligned(gpa | size, HV_PAGE_SIZE) || hv_range_wraps(gpa, size) ||
	    (size >> HV_PAGE_SHIFT) > MAX_SLOT_PAGES)
		return HV_ABI_ERR_INVALID_ARGS;
	for (unsigned i = 0; i < HV_MAX_MEMSLOTS; i++) {
		const struct hv_memslot *s = &vm->life.mem.slots[i];
		if (s->size && abi_overlap(gpa, size, s->base, s->size))
			return HV_ABI_ERR_INVALID_ARGS; /* part of an existing slot */
	}
	vs->has_purpose = true;
	vs->purpose_gpa = gpa;
	vs->purpose_size = size;
	vs->purpose_flags = purpose;
	return HV_ABI_OK;
}

int64_t abi_memregion_purpose(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	uint64_t gpa = in[2], size = in[3], purpose = in[4];
	const uint64_t known =
	    HV_GZVM_MEM_GUEST_MEM | HV_GZVM_MEM_PROTECT_FW | HV_GZVM_MEM_STATIC_SWIOTLB;
	if (!vm || !abi_args_zero(in, 5) || purpose == 0 || (purpose & ~known) ||
	    ((purpose & HV_GZVM_MEM_STATIC_SWIOTLB) && (purpose & HV_GZVM_MEM_PROTECT_FW)))
		return HV_ABI_ERR_INVALID_ARGS;
	int idx = abi_slot_containing(vm, gpa, size);
	if (idx < 0)
		return purpose_ahead(abi_vm_slot(srv, vm), vm, gpa, size, purpose);
	const struct hv_memslot *s = &vm->life.mem.slots[idx];
	if (s->base != gpa || s->size != size)
		return HV_ABI_ERR_INVALID_ARGS; /* exactly one memslot */
	bool private =
	    abi_vm_slot(srv, vm)->protected_vm && !(purpose & HV_GZVM_MEM_STATIC_SWIOTLB);
	uint32_t flags = (s->flags & ~(uint32_t)HV_MEMSLOT_PRIVATE) |
	                 (private ? (uint32_t)HV_MEMSLOT_PRIVATE : 0u);
	if (flags == s->flags)
		return HV_ABI_OK;
	if (s->nr_mapped)
		return HV_ABI_ERR_INVALID_ARGS; /* pages already given with the other sharing */
	/* Same range, no pages: deleting and re-creating cannot fail. */
	if (hv_mem_delete_memslot(vm, (uint32_t)idx) != HV_OK)
		return HV_ABI_ERR_INVALID_ARGS;
	return abi_code(hv_mem_set_memslot(vm, (uint32_t)idx, hv_ipa(gpa), size, flags));
}

int64_t abi_set_dtb_config(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4])
{
	(void)out;
	struct hv_vm *vm = abi_vm(srv, in[1]);
	uint64_t gpa = in[2], size = in[3];
	if (!vm || !abi_args_zero(in, 4) || vm->life.state != HV_VM_CREATED || size == 0 ||
	    size > HV_ABI_DTB_MAX_SIZE || !hv_is_aligned(gpa, 8) ||
	    abi_slot_containing(vm, gpa, size) < 0)
		return HV_ABI_ERR_INVALID_ARGS;
	struct hv_abi_vm_slot *vs = abi_vm_slot(srv, vm);
	vs->has_dtb = true;
	vs->dtb_gpa = gpa;
	if (vm->vcpus[0])
		vm->vcpus[0]->ctx.regs.x[0] = gpa;
	return HV_ABI_OK;
}
