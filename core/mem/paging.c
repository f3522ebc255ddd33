/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Block demand paging: the fault becomes a request for the containing
 * block, the host answers with page frames (GenieZone MAP_GUEST_BLOCK /
 * MAP_GUEST), and the pages are claimed, recorded in the pin map and
 * mapped at stage 2, all or nothing.
 */
#include "mem_internal.h"

static bool vm_live(const struct hv_vm *vm)
{
	return vm->life.mem.own &&
	       (vm->life.state == HV_VM_CREATED || vm->life.state == HV_VM_RUNNING);
}

/* True if no page of [pn, pn + nr) is pinned. */
static bool range_unpinned(struct hv_vm *vm, uint64_t pn, uint64_t nr)
{
	return hv_pin_next(vm, pn, pn + nr) == pn + nr;
}

hv_status_t hv_mem_handle_stage2_fault(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool is_write)
{
	struct hv_vm *vm = vcpu ? vcpu->vm : NULL;
	if (!vm || !vm->life.mem.own)
		return HV_ERR_NOT_FOUND;
	uint32_t idx;
	if (hv_mem_find_memslot(vm, ipa, &idx) != HV_OK)
		return HV_ERR_NOT_FOUND;
	const struct hv_memslot *s = &vm->life.mem.slots[idx];
	if (is_write && (s->flags & HV_MEMSLOT_READONLY))
		return HV_ERR_NOT_FOUND; /* writes to ROM are MMIO */
	if (!vm_live(vm))
		return HV_ERR_STATE;
	uint64_t a = hv_ipa_addr(ipa) & ~(HV_PAGE_SIZE - 1);
	if (hv_mem_is_pinned(vm, hv_ipa(a), NULL))
		return HV_OK; /* mapped meanwhile (another vCPU): retry the access */
	uint64_t block = vm->life.mem.block_size;
	uint64_t start = a & ~(block - 1);
	uint64_t end = start + block;
	if (start < s->base)
		start = s->base;
	if (end > s->base + s->size || end < start)
		end = s->base + s->size;
	if (!range_unpinned(vm, start >> HV_PAGE_SHIFT, (end - start) >> HV_PAGE_SHIFT)) {
		start = a; /* part of the block is present: ask for this page only */
		end = a + HV_PAGE_SIZE;
	}
	struct hv_host_exit *hx = &vcpu->host_exit;
	hv_memset(hx, 0, sizeof(*hx));
	hx->reason = HV_EXIT_PAGE_FAULT;
	hx->page_fault.ipa = hv_ipa(start);
	hx->page_fault.size = end - start;
	hx->page_fault.is_write = is_write;
	return HV_BUSY;
}

/* Pages of a block map that were present before it (left as they are). */
struct present {
	uint64_t bits[HV_MEM_BATCH_MAX / 64];
};

static bool was_present(const struct present *p, uint32_t i)
{
	return p && (p->bits[i / 64] >> (i % 64)) & 1;
}

/* Undo the first n pages of a map: give the host back the first `hidden`
 * (donated, never used: not zeroed), release ownership, clear the pins
 * (pages present before the call stay). */
static void rollback(struct hv_vm *vm, uint64_t pn, uint32_t n, const struct present *keep,
                     uint32_t hidden, bool donated)
{
	for (uint32_t i = 0; i < n; i++) {
		if (was_present(keep, i))
			continue;
		uint64_t *e = hv_pin_entry(vm, pn + i, false);
		if (donated && i < hidden)
			hv_host_unhide(vm->life.mem.own, *e >> HV_PAGE_SHIFT, 1);
		(void)hv_pgown_release(vm->life.mem.own, *e >> HV_PAGE_SHIFT, vm->vmid);
		*e = 0;
	}
}

/* Unmap at stage 2 what this call mapped of its first n pages. */
static void unmap_new(struct hv_vm *vm, uint64_t a, uint32_t n, const struct present *keep)
{
	for (uint32_t i = 0; i < n;) {
		uint32_t j = i;
		while (j < n && !was_present(keep, j))
			j++;
		if (j > i)
			hv_mem_s2_unmap(vm, a + ((uint64_t)i << HV_PAGE_SHIFT),
			                (uint64_t)(j - i) << HV_PAGE_SHIFT);
		i = j + 1;
	}
}

/*
 * keep: NULL, or (MAP_GUEST_BLOCK) storage in which a page already mapped
 * to the very frame the list names is marked and left as it is.
 */
static hv_status_t map_common(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, const uint64_t *pfns,
                              uint64_t base_pfn, uint32_t nr, struct present *keep)
{
	if (!vm)
		return HV_ERR_INVALID;
	if (!vm_live(vm))
		return HV_ERR_STATE;
	if (slot >= HV_MAX_MEMSLOTS)
		return HV_ERR_RANGE;
	struct hv_vm_mem *m = vm_mem(vm);
	struct hv_memslot *s = &m->slots[slot];
	uint64_t a = hv_ipa_addr(ipa);
	if (nr == 0 || nr > HV_MEM_BATCH_MAX || !hv_is_aligned(a, HV_PAGE_SIZE))
		return HV_ERR_INVALID;
	uint64_t bytes = (uint64_t)nr << HV_PAGE_SHIFT;
	if (!s->size || a < s->base || a - s->base >= s->size || bytes > s->size - (a - s->base))
		return HV_ERR_RANGE;
	if (!pfns && (base_pfn > (UINT64_MAX >> HV_PAGE_SHIFT) - nr))
		return HV_ERR_RANGE;
	uint64_t pn = a >> HV_PAGE_SHIFT;
	/* Tables for every page first (may fail cleanly), and nothing present:
	 * one tree walk per 512-page leaf. Tables this call allocates are
	 * freed again if it is refused: the pin map is left as it was. */
	struct hv_pin_new fresh = {.n = 0};
	hv_status_t st = HV_OK;
	uint32_t nr_kept = 0;
	for (uint32_t i = 0; i < nr && st == HV_OK;) {
		uint64_t *leaf = hv_pin_leaf_new(vm, pn + i, &fresh);
		if (!leaf) {
			st = HV_ERR_NO_MEMORY;
			break;
		}
		do {
			uint64_t pin = leaf[(pn + i) & (PIN_ENTRIES - 1)];
			if ((pin & PIN_VALID) && keep && pfns && pin >> HV_PAGE_SHIFT == pfns[i]) {
				keep->bits[i / 64] |= 1ull << (i % 64);
				nr_kept++;
			} else if (pin & PIN_VALID) {
				st = HV_ERR_EXISTS;
			}
			i++;
		} while (st == HV_OK && i < nr && ((pn + i) & (PIN_ENTRIES - 1)));
	}
	if (st != HV_OK) {
		hv_pin_undo_new(vm, &fresh);
		return st;
	}
	bool shared = !(s->flags & HV_MEMSLOT_PRIVATE);
	uint32_t prot = HV_MEM_PROT_R | HV_MEM_PROT_X;
	if (!(s->flags & HV_MEMSLOT_READONLY))
		prot |= HV_MEM_PROT_W;
	/* Claim each page as it is read (each pfn is read exactly once) and map
	 * physically contiguous runs at stage 2 as they end. */
	uint64_t *leaf = NULL;
	uint32_t run_start = 0;
	uint64_t run_pa = 0;
	for (uint32_t i = 0; i <= nr; i++) {
		bool kept = i < nr && was_present(keep, i);
		uint64_t pfn = 0;
		if (i < nr && !kept) {
			pfn = pfns ? pfns[i] : base_pfn + i;
			st = pfn > (UINT64_MAX >> HV_PAGE_SHIFT)
			         ? HV_ERR_RANGE
			         : hv_pgown_claim(m->own, pfn, vm->vmid, shared);
			if (st != HV_OK) {
				unmap_new(vm, a, run_start, keep);
				rollback(vm, pn, i, keep, run_start, !shared);
				hv_pin_undo_new(vm, &fresh);
				return st;
			}
		}
		uint64_t run_len = i - run_start;
		bool run_ends =
		    i == nr || kept ||
		    (run_len && (pfn << HV_PAGE_SHIFT) != run_pa + (run_len << HV_PAGE_SHIFT));
		if (run_ends && run_len) {
			/* A protected VM's pages leave the host first (their
			 * contents, the VMM's image, stay). */
			st =
			    shared ? HV_OK : hv_host_hide(m->own, run_pa >> HV_PAGE_SHIFT, run_len);
			if (st == HV_OK) {
				st = hv_mem_s2_map(vm, (pn + run_start) << HV_PAGE_SHIFT, run_pa,
				                   run_len << HV_PAGE_SHIFT, prot);
				if (st != HV_OK && !shared)
					hv_host_unhide(m->own, run_pa >> HV_PAGE_SHIFT, run_len);
			}
			if (st != HV_OK) {
				unmap_new(vm, a, run_start, keep);
				if (i < nr && !kept)
					(void)hv_pgown_release(m->own, pfn, vm->vmid);
				rollback(vm, pn, i, keep, run_start, !shared);
				hv_pin_undo_new(vm, &fresh);
				return st;
			}
			run_start = i;
		}
		if (i == nr)
			break;
		if (kept) {
			run_start = i + 1; /* a present page ends a run and starts none */
			continue;
		}
		if (i == run_start)
			run_pa = pfn << HV_PAGE_SHIFT;
		if (!leaf || !((pn + i) & (PIN_ENTRIES - 1)))
			leaf = hv_pin_leaf(vm, pn + i, false);
		leaf[(pn + i) & (PIN_ENTRIES - 1)] = (pfn << HV_PAGE_SHIFT) | PIN_VALID;
	}
	nr -= nr_kept;
	m->nr_pinned += nr;
	if (shared)
		m->nr_shared += nr;
	s->nr_mapped += nr;
	return HV_OK;
}

hv_status_t hv_mem_map_pages(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, const uint64_t *pfns,
                             uint32_t nr)
{
	if (!pfns)
		return HV_ERR_INVALID;
	return map_common(vm, slot, ipa, pfns, 0, nr, NULL);
}

hv_status_t hv_mem_map_block_pages(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa,
                                   const uint64_t *pfns, uint32_t nr)
{
	if (!pfns)
		return HV_ERR_INVALID;
	struct present keep = {{0}};
	return map_common(vm, slot, ipa, pfns, 0, nr, &keep);
}

hv_status_t hv_mem_map_range(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, uint64_t pfn,
                             uint32_t nr)
{
	if (pfn == UINT64_MAX)
		return HV_ERR_RANGE;
	return map_common(vm, slot, ipa, NULL, pfn, nr, NULL);
}

hv_status_t hv_mem_relinquish(struct hv_vcpu *vcpu, hv_ipa_t ipa)
{
	struct hv_vm *vm = vcpu ? vcpu->vm : NULL;
	if (!vm || !vm->life.mem.own || !hv_mem_relinquish_offered(vm))
		return HV_ERR_NOT_SUPPORTED;
	if (!vm_live(vm))
		return HV_ERR_STATE;
	uint64_t a = hv_ipa_addr(ipa);
	if (!hv_is_aligned(a, HV_PAGE_SIZE))
		return HV_ERR_INVALID;
	uint32_t idx;
	if (hv_mem_find_memslot(vm, ipa, &idx) != HV_OK)
		return HV_ERR_RANGE;
	struct hv_vm_mem *m = vm_mem(vm);
	uint64_t *e = hv_pin_entry(vm, a >> HV_PAGE_SHIFT, false);
	if (!e || !(*e & PIN_VALID))
		return HV_OK; /* nothing there to give back */
	if (m->relinq_count == HV_MEM_RELINQ_PENDING)
		return HV_ERR_NO_MEMORY;
	uint64_t pa = *e & ~(HV_PAGE_SIZE - 1);
	hv_status_t st = hv_mem_s2_unmap(vm, a, HV_PAGE_SIZE); /* may split a block */
	if (st != HV_OK)
		return st;
	hv_pin_release_entry(vm, e);
	m->slots[idx].nr_mapped--;
	uint32_t tail = (m->relinq_head + m->relinq_count) % HV_MEM_RELINQ_PENDING;
	m->relinq[tail].ipa = hv_ipa(a);
	m->relinq[tail].pa = hv_pa(pa);
	m->relinq_count++;
	return HV_OK;
}

void hv_mem_set_relinquish(struct hv_vm *vm, bool offered)
{
	if (vm)
		vm_mem(vm)->relinquish_off = !offered;
}

bool hv_mem_relinquish_offered(const struct hv_vm *vm)
{
	return !vm || !vm->life.mem.relinquish_off;
}

hv_status_t hv_mem_pop_relinquished(struct hv_vm *vm, hv_ipa_t *ipa, hv_pa_t *pa)
{
	if (!vm || !ipa || !pa)
		return HV_ERR_INVALID;
	struct hv_vm_mem *m = vm_mem(vm);
	if (!m->relinq_count)
		return HV_ERR_NOT_FOUND;
	*ipa = m->relinq[m->relinq_head].ipa;
	*pa = m->relinq[m->relinq_head].pa;
	m->relinq_head = (m->relinq_head + 1) % HV_MEM_RELINQ_PENDING;
	m->relinq_count--;
	return HV_OK;
}

hv_status_t hv_mem_vm_teardown(struct hv_vm *vm, uint64_t budget)
{
	if (!vm)
		return HV_ERR_INVALID;
	struct hv_vm_mem *m = vm_mem(vm);
	if (!m->own || m->teardown_done)
		return HV_OK;
	if (!hv_pin_teardown(vm, &budget))
		return HV_BUSY;
	hv_status_t st = hv_mem_s2_destroy(vm, &budget);
	if (st != HV_OK)
		return st;
	m->teardown_done = true;
	m->nr_pinned = 0;
	m->nr_shared = 0;
	m->relinq_count = 0;
	for (unsigned i = 0; i < HV_MAX_MEMSLOTS; i++)
		m->slots[i].nr_mapped = 0;
	return HV_OK;
}
