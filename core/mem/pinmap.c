/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The pin map: for each IPA page of a VM, the physical page mapped there
 * (PA | PIN_VALID), in a radix tree of 512-entry pages like a page table.
 * It is the record of what the host must keep pinned, the source of the PA
 * on relinquish and destroy, and independent of the stage-2 format.
 */
#include "mem_internal.h"

static uint64_t *alloc_table(struct hv_vm *vm)
{
	uint64_t *t = vm->mm->zalloc_page(vm->mm->pool);
	if (t)
		vm_mem(vm)->pin_table_pages++;
	return t;
}

static void free_table(struct hv_vm *vm, uint64_t *t)
{
	vm->mm->free_page(vm->mm->pool, t);
	vm_mem(vm)->pin_table_pages--;
}

/* A new table linked at *link (NULL: the root), recorded in log if given. */
static uint64_t *new_table(struct hv_vm *vm, uint64_t *link, struct hv_pin_new *log)
{
	if (log && log->n == HV_PIN_NEW_MAX)
		return NULL;
	uint64_t *t = alloc_table(vm);
	if (t && log) {
		log->table[log->n] = t;
		log->link[log->n++] = link;
	}
	return t;
}

static uint64_t *leaf_walk(struct hv_vm *vm, uint64_t pn, bool alloc, struct hv_pin_new *log)
{
	struct hv_vm_mem *m = vm_mem(vm);
	if (!m->pin_root) {
		if (!alloc || !(m->pin_root = new_table(vm, NULL, log)))
			return NULL;
	}
	uint64_t *t = m->pin_root;
	for (unsigned level = 0; level + 1 < m->pin_levels; level++) {
		unsigned shift = PIN_BITS * (m->pin_levels - 1 - level);
		uint64_t *e = &t[(pn >> shift) & (PIN_ENTRIES - 1)];
		if (!*e) {
			uint64_t *child = alloc ? new_table(vm, e, log) : NULL;
			if (!child)
				return NULL;
			*e = (uintptr_t)child;
		}
		t = (uint64_t *)(uintptr_t)*e;
	}
	return t;
}

uint64_t *hv_pin_leaf(struct hv_vm *vm, uint64_t pn, bool alloc)
{
	return leaf_walk(vm, pn, alloc, NULL);
}

uint64_t *hv_pin_leaf_new(struct hv_vm *vm, uint64_t pn, struct hv_pin_new *log)
{
	return leaf_walk(vm, pn, true, log);
}

void hv_pin_undo_new(struct hv_vm *vm, struct hv_pin_new *log)
{
	/* Children were allocated after their parents: free in reverse. */
	while (log->n) {
		log->n--;
		free_table(vm, log->table[log->n]);
		if (log->link[log->n])
			*log->link[log->n] = 0;
		else
			vm_mem(vm)->pin_root = NULL;
	}
}

void hv_pin_release_entry(struct hv_vm *vm, uint64_t *e)
{
	struct hv_vm_mem *m = vm_mem(vm);
	uint64_t pfn = *e >> HV_PAGE_SHIFT;
	const struct hv_page_owner *p = hv_pgown_slot(m->own, pfn);
	if (p && (p->flags & HV_PAGE_SHARED))
		m->nr_shared--;
	/* A protected VM's page goes back to the host zeroed, and only then
	 * does the host's stage 2 give access to it again. */
	if (p && p->owner == vm->vmid && (p->flags & HV_PAGE_DONATED)) {
		hv_host_zero(m->own, pfn);
		if (!(p->flags & HV_PAGE_SHARED))
			hv_host_unhide(m->own, pfn, 1);
	}
	(void)hv_pgown_release(m->own, pfn, vm->vmid);
	*e = 0;
	m->nr_pinned--;
}

/* Post-order teardown of one table; true when every entry is clear. */
static bool teardown(struct hv_vm *vm, uint64_t *t, unsigned level, uint64_t base_pn,
                     uint64_t *budget)
{
	struct hv_vm_mem *m = vm_mem(vm);
	unsigned shift = PIN_BITS * (m->pin_levels - 1 - level);
	bool leaf = level + 1 == m->pin_levels;
	unsigned first = 0;
	/* Leaf entries below the cursor are already clear: skip them. */
	if (leaf && m->teardown_cursor > base_pn && m->teardown_cursor - base_pn < PIN_ENTRIES)
		first = (unsigned)(m->teardown_cursor - base_pn);
	for (unsigned i = first; i < PIN_ENTRIES; i++) {
		if (!t[i])
			continue;
		if (*budget == 0)
			return false;
		if (leaf) {
			hv_pin_release_entry(vm, &t[i]);
			m->teardown_cursor = base_pn + i + 1;
		} else {
			uint64_t *child = (uint64_t *)(uintptr_t)t[i];
			if (!teardown(vm, child, level + 1, base_pn + ((uint64_t)i << shift),
			              budget))
				return false;
			if (*budget == 0)
				return false;
			free_table(vm, child);
			t[i] = 0;
		}
		(*budget)--;
	}
	return true;
}

bool hv_pin_teardown(struct hv_vm *vm, uint64_t *budget)
{
	struct hv_vm_mem *m = vm_mem(vm);
	if (!m->pin_root)
		return true;
	if (!teardown(vm, m->pin_root, 0, 0, budget) || *budget == 0)
		return false;
	free_table(vm, m->pin_root);
	m->pin_root = NULL;
	(*budget)--;
	return true;
}

bool hv_mem_is_pinned(const struct hv_vm *vm, hv_ipa_t ipa, hv_pa_t *pa)
{
	if (!vm || !vm->life.mem.own)
		return false;
	uint64_t a = hv_ipa_addr(ipa);
	if (vm->ipa_bits < 64 && (a >> vm->ipa_bits))
		return false;
	const uint64_t *e = hv_pin_entry((struct hv_vm *)vm, a >> HV_PAGE_SHIFT, false);
	if (!e || !(*e & PIN_VALID))
		return false;
	if (pa)
		*pa = hv_pa(*e & ~(HV_PAGE_SIZE - 1));
	return true;
}

uint64_t hv_pin_next(const struct hv_vm *vm, uint64_t pn, uint64_t end)
{
	const struct hv_vm_mem *m = &vm->life.mem;
	while (pn < end && m->pin_root) {
		const uint64_t *t = m->pin_root;
		unsigned level = 0;
		for (; level + 1 < m->pin_levels; level++) {
			unsigned shift = PIN_BITS * (m->pin_levels - 1 - level);
			uint64_t e = t[(pn >> shift) & (PIN_ENTRIES - 1)];
			if (!e)
				break;
			t = (const uint64_t *)(uintptr_t)e;
		}
		if (level + 1 < m->pin_levels) {
			/* Absent subtree: skip to the next entry of this level. */
			unsigned shift = PIN_BITS * (m->pin_levels - 1 - level);
			uint64_t next = ((pn >> shift) + 1) << shift;
			if (next <= pn)
				return end;
			pn = next;
			continue;
		}
		for (; pn < end; pn++) {
			if (t[pn & (PIN_ENTRIES - 1)] & PIN_VALID)
				return pn;
			if ((pn & (PIN_ENTRIES - 1)) == PIN_ENTRIES - 1) {
				pn++;
				break;
			}
		}
	}
	return end;
}

hv_status_t hv_mem_walk_pinned(const struct hv_vm *vm, uint64_t *cursor, uint64_t max,
                               hv_mem_pin_visit_fn fn, void *arg)
{
	if (!vm || !cursor || !fn || !vm->life.mem.own)
		return HV_ERR_INVALID;
	uint64_t end = UINT64_C(1) << (vm->ipa_bits - HV_PAGE_SHIFT);
	uint64_t pn = *cursor >> HV_PAGE_SHIFT;
	for (uint64_t visited = 0;; visited++) {
		pn = pn < end ? hv_pin_next(vm, pn, end) : end;
		if (pn == end) {
			*cursor = end << HV_PAGE_SHIFT;
			return HV_OK;
		}
		if (visited == max) {
			*cursor = pn << HV_PAGE_SHIFT;
			return HV_BUSY;
		}
		const uint64_t *e = hv_pin_entry((struct hv_vm *)vm, pn, false);
		fn(arg, hv_ipa(pn << HV_PAGE_SHIFT), hv_pa(*e & ~(HV_PAGE_SIZE - 1)));
		pn++;
	}
}
