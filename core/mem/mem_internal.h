/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the files of core/mem only. */
#ifndef HV_MEM_INTERNAL_H
#define HV_MEM_INTERNAL_H

#include <hv/mem.h>
#include <hv/vm.h>

#define PIN_VALID   HV_BIT(0)
#define PIN_ENTRIES 512u
#define PIN_BITS    9u

static inline struct hv_vm_mem *vm_mem(struct hv_vm *vm)
{
	return &vm->life.mem;
}

/* Ownership records (owner.c). */
static inline struct hv_page_owner *hv_pgown_slot(const struct hv_pgown *own, uint64_t pfn)
{
	uint64_t idx = pfn - own->base_pfn; /* wraps to huge below the base */
	return idx < own->nr_pages ? &own->pages[idx] : NULL;
}

/* Host -> VM for one page (the hot path of hv_mem_map_pages). */
static inline hv_status_t hv_pgown_claim(struct hv_pgown *own, uint64_t pfn, uint16_t vmid,
                                         bool shared)
{
	struct hv_page_owner *p = hv_pgown_slot(own, pfn);
	if (!p)
		return HV_ERR_RANGE;
	if (p->owner != HV_OWNER_HOST || p->flags)
		return HV_ERR_DENIED;
	p->owner = vmid;
	p->flags = shared ? HV_PAGE_SHARED : HV_PAGE_DONATED;
	return HV_OK;
}
hv_status_t hv_pgown_release(struct hv_pgown *own, uint64_t pfn, uint16_t vmid);

/* The host's stage 2 (host_s2.c); each a no-op without one attached.
 * Hide: the host loses access to [pfn, pfn + nr) (all or nothing;
 * HV_ERR_NO_MEMORY if splitting a block needs a table the pool can't give).
 * Unhide: the host gets it back (cannot fail: the pages lie in tables
 * hiding made); a 2 MiB range with nothing hidden left is a block again.
 * Zero: clear the page through the hypervisor's mapping. */
hv_status_t hv_host_hide(struct hv_pgown *own, uint64_t pfn, uint64_t nr);
void hv_host_unhide(struct hv_pgown *own, uint64_t pfn, uint64_t nr);
void hv_host_zero(struct hv_pgown *own, uint64_t pfn);

/* Pin map (pinmap.c): the leaf table holding IPA page `pn`, allocated on
 * demand when `alloc`; NULL if absent (or, with alloc, out of memory). */
uint64_t *hv_pin_leaf(struct hv_vm *vm, uint64_t pn, bool alloc);
/* Tables one call allocated (a 512-page range needs at most two leaves and
 * their paths), so a refused call can free them again: hv_pin_leaf_new()
 * allocates like hv_pin_leaf(vm, pn, true) and records each new table,
 * hv_pin_undo_new() frees them (their entries must be clear again). */
#define HV_PIN_NEW_MAX 8
struct hv_pin_new {
	uint64_t *table[HV_PIN_NEW_MAX];
	uint64_t *link[HV_PIN_NEW_MAX]; /* the entry pointing at it; NULL: the root */
	unsigned n;
};
uint64_t *hv_pin_leaf_new(struct hv_vm *vm, uint64_t pn, struct hv_pin_new *log);
void hv_pin_undo_new(struct hv_vm *vm, struct hv_pin_new *log);
static inline uint64_t *hv_pin_entry(struct hv_vm *vm, uint64_t pn, bool alloc)
{
	uint64_t *leaf = hv_pin_leaf(vm, pn, alloc);
	return leaf ? &leaf[pn & (PIN_ENTRIES - 1)] : NULL;
}
/* First pinned IPA page in [pn, end), or end; skips absent subtrees. */
uint64_t hv_pin_next(const struct hv_vm *vm, uint64_t pn, uint64_t end);
/* Give every pinned page back to the host and free the pin map's tables,
 * spending one unit of *budget per page or table. true when all is gone. */
bool hv_pin_teardown(struct hv_vm *vm, uint64_t *budget);
/* Return pinned page `pn` (entry *e) to the host and clear the entry. */
void hv_pin_release_entry(struct hv_vm *vm, uint64_t *e);

/* Stage-2 adapter (mem_s2.c). prot: HV_MEM_PROT_* */
#define HV_MEM_PROT_R HV_S2_PROT_R
#define HV_MEM_PROT_W HV_S2_PROT_W
#define HV_MEM_PROT_X HV_S2_PROT_X
hv_status_t hv_mem_s2_init(struct hv_vm *vm, unsigned pa_bits);
hv_status_t hv_mem_s2_map(struct hv_vm *vm, uint64_t ipa, uint64_t pa, uint64_t size,
                          uint32_t prot);
/* Unmap and invalidate the TLB for the range. May need a table to split a
 * block (HV_ERR_NO_MEMORY, nothing changed). */
hv_status_t hv_mem_s2_unmap(struct hv_vm *vm, uint64_t ipa, uint64_t size);
hv_status_t hv_mem_s2_destroy(struct hv_vm *vm, uint64_t *budget);
uint64_t hv_mem_s2_table_bytes(const struct hv_vm *vm);

#endif /* HV_MEM_INTERNAL_H */
