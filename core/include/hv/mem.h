/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest memory: page ownership, memslots, block demand paging, relinquish,
 * and the pin map (which guest pages are mapped and must stay pinned).
 *
 * Ownership. Every physical page the hypervisor manages (one contiguous
 * range given to hv_pgown_init) is owned by the host, the hypervisor, or
 * exactly one VM. A page goes to a VM only from the host and only if no one
 * else has it; otherwise the request is refused and nothing changes. A
 * VM's page is either private to it (protected memory) or shared with the
 * host (the default, as for a GenieZone non-protected VM); the shared state
 * is recorded per page and counted per VM.
 *
 * Demand paging (GenieZone MAP_GUEST_BLOCK model). A stage-2 fault inside a
 * memslot becomes a request to the host for the containing block (2 MiB by
 * default, per VM, clamped to the slot; a single page when part of that
 * block is already mapped). The host answers with hv_mem_map_pages(): page
 * frame numbers that need not be contiguous, in batches of at most
 * HV_MEM_BATCH_MAX. Faults outside every memslot (and writes to read-only
 * slots) are not demand-paged: exit dispatch treats them as MMIO.
 *
 * Relinquish (SMCCC MEM_RELINQUISH from the guest): the page is unmapped,
 * the TLB invalidated, ownership goes back to the host, and the page is
 * queued for the host to unpin (hv_mem_pop_relinquished()).
 */
#ifndef HV_MEM_H
#define HV_MEM_H

#include <hv/s2.h>
#include <hv/types.h>

struct hv_vm;
struct hv_vcpu;

/* ---------------------------------------------------------------------------
 * Page ownership
 * ------------------------------------------------------------------------- */

#define HV_OWNER_HOST 0x0000u /* VM owners are their VMID, 1..255 */
#define HV_OWNER_HYP  0xffffu

#define HV_PAGE_SHARED  HV_BIT(0) /* owned by a VM, the host keeps access */
#define HV_PAGE_DONATED HV_BIT(1) /* given to a protected VM: zeroed before it leaves */

struct hv_page_owner {
	uint16_t owner;
	uint16_t flags;
};

struct hv_host_s2;

struct hv_pgown {
	uint64_t base_pfn;
	uint64_t nr_pages;
	struct hv_page_owner *pages; /* nr_pages entries, caller's storage */
	struct hv_host_s2 *host;     /* NULL: no host stage 2 to keep in step */
};

/* Track [base, base + nr_pages * 4 KiB), everything owned by the host.
 * HV_ERR_INVALID: misaligned base, 0 pages, no storage, wrap. */
hv_status_t hv_pgown_init(struct hv_pgown *own, hv_pa_t base, uint64_t nr_pages,
                          struct hv_page_owner *storage);
/* Owner and flags of the page at pa. HV_ERR_RANGE outside the range. */
hv_status_t hv_pgown_get(const struct hv_pgown *own, hv_pa_t pa, uint16_t *owner, uint16_t *flags);
/* Host gives pages to the hypervisor (table pools) and takes them back.
 * All-or-nothing: HV_ERR_DENIED if any page is not the host's (resp. the
 * hypervisor's), HV_ERR_RANGE / HV_ERR_INVALID for bad ranges. */
hv_status_t hv_pgown_donate_to_hyp(struct hv_pgown *own, hv_pa_t pa, uint64_t nr_pages);
hv_status_t hv_pgown_reclaim_from_hyp(struct hv_pgown *own, hv_pa_t pa, uint64_t nr_pages);
/* Pages owned by `owner` (a scan: for statistics and invariant checks). */
uint64_t hv_pgown_count(const struct hv_pgown *own, uint16_t owner);

/* ---------------------------------------------------------------------------
 * The host's stage 2 (an EL2 port's host mode)
 *
 * When the host runs under a stage 2 the hypervisor builds, with managed
 * memory mapped there at IPA == PA in 2 MiB blocks, a page donated to a
 * protected VM (claimed from a HV_MEMSLOT_PRIVATE slot: HV_PAGE_DONATED)
 * loses the host's access before the VM can use it, and gets it back only
 * when it is shared (MEM_SHARE) or after it has been zeroed on its way back
 * to the host (relinquish, destroy). "Loses access": its descriptor in the
 * host's stage 2 becomes invalid, and the host VMID's TLB entries for it are
 * invalidated on every CPU. Not a valid descriptor without permission
 * (S2AP 00): that would still give the host a cacheable translation of the
 * page, which TLBs hold and which speculative loads and prefetchers may
 * follow before the permission check (the Meltdown class of flaws), and a
 * TLBI would be needed to give the access back; an invalid descriptor gives
 * no translation and is never held in a TLB (Arm ARM D8.16), so giving a
 * page back is a store and a barrier. Whose page it is comes from the
 * ownership record, not the descriptor: pKVM writes the owner into the
 * invalid descriptor because its host stage 2 is mapped lazily and an
 * invalid entry alone is ambiguous there; here all managed memory is
 * mapped before the host runs. The first page hidden in a 2 MiB block
 * splits it (the only step that allocates, so only donation can fail for
 * lack of memory) and the table stays while any page of the range is
 * hidden, so giving back allocates nothing; when the last hidden page of a
 * 2 MiB range is back, the range is one block again (break-before-make,
 * the table freed): the host's stage 2 has the same table pages and leaves
 * after a protected VM's whole life as before it.
 * ------------------------------------------------------------------------- */

struct hv_host_s2 {
	struct hv_s2_pgt *s2; /* the host's stage 2 */
	uint32_t prot;        /* the host's access to its RAM (HV_S2_PROT_*) */
	/* The hypervisor's VA of a managed page (to zero it). */
	void *(*page_va)(void *arg, hv_pa_t pa);
	void *arg;
	/* Per 2 MiB of managed memory: pages the host cannot access
	 * (nr_pages / 512 entries, caller's storage, zeroed by attach). */
	uint16_t *hidden;
};

/* Keep `host` in step with ownership from now on (while no page is a VM's).
 * HV_ERR_INVALID: managed memory not in whole 2 MiB ranges, missing fields. */
hv_status_t hv_pgown_attach_host_s2(struct hv_pgown *own, struct hv_host_s2 *host);
/* True if the host may not access the managed page at pa now (a protected
 * VM's page not shared). Read without a lock: a host stage-2 fault handler
 * may ask while a call changes it. */
bool hv_pgown_host_denied(const struct hv_pgown *own, hv_pa_t pa);

/* ---------------------------------------------------------------------------
 * Per-VM memory state (embedded in struct hv_vm as `mem`)
 * ------------------------------------------------------------------------- */

#define HV_MAX_MEMSLOTS     32
#define HV_MEMSLOT_READONLY HV_BIT(0) /* guest writes exit as MMIO */
#define HV_MEMSLOT_PRIVATE  HV_BIT(1) /* pages are not shared with the host */
#define HV_MEMSLOT_FLAGS    (HV_MEMSLOT_READONLY | HV_MEMSLOT_PRIVATE)

#define HV_MEM_BATCH_MAX      512u /* pfns per hv_mem_map_pages call */
#define HV_MEM_BLOCK_DEFAULT  HV_SZ_2M
#define HV_MEM_RELINQ_PENDING 64u /* relinquished pages awaiting the host */

struct hv_memslot {
	uint64_t base; /* IPA */
	uint64_t size; /* bytes, page multiple; 0: slot unused */
	uint32_t flags;
	uint64_t nr_mapped; /* pages of this slot currently mapped */
};

struct hv_mem_relinquished {
	hv_ipa_t ipa;
	hv_pa_t pa;
};

struct hv_vm_mem {
	struct hv_pgown *own; /* NULL: memory management off for this VM */
	uint64_t block_size;  /* demand-paging request size */
	struct hv_memslot slots[HV_MAX_MEMSLOTS];
	uint32_t slots_used; /* bit i: slots[i] is set (size != 0) */
	uint64_t *pin_root;  /* pin map: radix of 512-entry pages, leaf = PA | 1 */
	unsigned pin_levels;
	uint64_t pin_table_pages;
	uint64_t nr_pinned; /* pages mapped into the VM */
	uint64_t nr_shared; /* of which shared with the host */
	struct hv_mem_relinquished relinq[HV_MEM_RELINQ_PENDING];
	uint32_t relinq_head;
	uint32_t relinq_count;
	bool relinquish_off;      /* MEM_RELINQUISH not offered (hv_mem_set_relinquish) */
	uint64_t teardown_cursor; /* next IPA page to visit while destroying */
	bool teardown_done;
	struct hv_s2_pgt s2; /* the VM's stage-2 tables (core/s2) */
};

/*
 * Set up the VM's memory state and its empty stage-2 table: `vm->vmid`,
 * `vm->ipa_bits` and `vm->mm` must be set; pa_bits is the platform's
 * physical address size (VTCR_EL2.PS). block_size: power of two,
 * 4 KiB..1 GiB (0: the default 2 MiB). HV_ERR_INVALID otherwise;
 * HV_ERR_NO_MEMORY if the root table can't be had. Nothing is allocated on
 * failure.
 */
hv_status_t hv_mem_vm_init(struct hv_vm *vm, struct hv_pgown *own, uint64_t block_size,
                           unsigned pa_bits);

/*
 * Change the demand-paging block size (GenieZone ENABLE_CAP
 * BLOCK_BASED_DEMAND_PAGING): power of two, 4 KiB..1 GiB. Takes effect for
 * later faults. HV_ERR_INVALID for a bad size, HV_ERR_STATE if dying.
 */
hv_status_t hv_mem_set_block_size(struct hv_vm *vm, uint64_t block_size);

/*
 * Create memslot `slot` (< HV_MAX_MEMSLOTS): IPA range [ipa, ipa + size),
 * page aligned, inside the VM's IPA space, overlapping no other slot.
 * HV_ERR_EXISTS if the slot is in use or the range overlaps another.
 */
hv_status_t hv_mem_set_memslot(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, uint64_t size,
                               uint32_t flags);
/* Delete an empty memslot. HV_ERR_STATE while any page of it is mapped. */
hv_status_t hv_mem_delete_memslot(struct hv_vm *vm, uint32_t slot);
/* Index of the memslot containing ipa, or HV_ERR_NOT_FOUND. */
hv_status_t hv_mem_find_memslot(const struct hv_vm *vm, hv_ipa_t ipa, uint32_t *slot);

/*
 * A stage-2 fault of `vcpu` at `ipa`.
 *   HV_OK            the page is mapped (another vCPU won the race): resume
 *   HV_BUSY          vcpu->host_exit is a HV_EXIT_PAGE_FAULT request for the
 *                    block to supply with hv_mem_map_pages()
 *   HV_ERR_NOT_FOUND outside every memslot, or a write to a read-only slot:
 *                    MMIO
 */
hv_status_t hv_mem_handle_stage2_fault(struct hv_vcpu *vcpu, hv_ipa_t ipa, bool is_write);

/*
 * The host supplies pages: IPA pages [ipa, ipa + nr * 4 KiB) of memslot
 * `slot` are backed by pfns[0..nr) (physical page frame numbers, each read
 * once). nr in 1..HV_MEM_BATCH_MAX. All-or-nothing: HV_ERR_EXISTS if any
 * IPA page is already mapped (a racing vCPU: the host unpins its pages),
 * HV_ERR_DENIED if any page is not the host's to give (owned by the
 * hypervisor or a VM, or given twice in the list), HV_ERR_RANGE outside the
 * slot or the managed memory, HV_ERR_NO_MEMORY if tables ran out.
 * Physically contiguous runs are mapped together (a whole aligned 2 MiB run
 * becomes one block mapping).
 */
hv_status_t hv_mem_map_pages(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, const uint64_t *pfns,
                             uint32_t nr);

/*
 * GenieZone's MAP_GUEST_BLOCK: as hv_mem_map_pages, except that a page
 * already mapped at its IPA to the very frame the list names is left as it
 * is (not an error, not counted twice). MediaTek's driver sends the whole
 * block again when part of it is present: after another vCPU's fault in
 * the same block, or after a relinquish. A page mapped to another frame is
 * still HV_ERR_EXISTS. Each pfn is still read exactly once. On any failure
 * the pages present before the call stay mapped and everything else is as
 * it was.
 */
hv_status_t hv_mem_map_block_pages(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa,
                                   const uint64_t *pfns, uint32_t nr);
/* Single-page / contiguous mode (GenieZone MAP_GUEST): nr pages from pfn. */
hv_status_t hv_mem_map_range(struct hv_vm *vm, uint32_t slot, hv_ipa_t ipa, uint64_t pfn,
                             uint32_t nr);

/*
 * The guest gives back the page at `ipa` (page aligned). HV_OK also when it
 * was not mapped. HV_ERR_RANGE outside every memslot, HV_ERR_INVALID if
 * misaligned, HV_ERR_NO_MEMORY while HV_MEM_RELINQ_PENDING pages await the
 * host or if splitting a stage-2 block needs a table the pool can't give
 * (nothing changes; the guest may retry).
 */
hv_status_t hv_mem_relinquish(struct hv_vcpu *vcpu, hv_ipa_t ipa);
/*
 * Offer MEM_RELINQUISH to this VM or not (on by default at creation). Off:
 * HYP_FEATURES does not list it, the call answers NOT_SUPPORTED and
 * hv_mem_relinquish changes nothing (HV_ERR_NOT_SUPPORTED). For a VM whose
 * stage 2 must keep all its RAM mapped (an EL2 port's host VM).
 */
void hv_mem_set_relinquish(struct hv_vm *vm, bool offered);
/* False only for a VM it was turned off for. */
bool hv_mem_relinquish_offered(const struct hv_vm *vm);
/* Next relinquished page for the host to unpin; HV_ERR_NOT_FOUND if none. */
hv_status_t hv_mem_pop_relinquished(struct hv_vm *vm, hv_ipa_t *ipa, hv_pa_t *pa);

/*
 * The guest's side of protected memory (GenieZone's protected-guest ABI,
 * pKVM numbering). Share: a donated page mapped at `ipa` (page aligned)
 * becomes accessible to the host again, still the VM's. Unshare: taken back
 * from the host. HV_ERR_INVALID: misaligned; HV_ERR_RANGE: not mapped in a
 * memslot; HV_ERR_EXISTS: already shared; HV_ERR_STATE: unshare of a page
 * not shared; HV_ERR_DENIED: unshare of a non-protected VM's page (the host
 * keeps access to those; their share is HV_OK, nothing changes);
 * HV_ERR_NO_MEMORY: unshare needs a table (nothing changed). Share of a
 * RAM page not paged in yet: HV_BUSY, vcpu->host_exit is the PAGE_FAULT
 * request for it (the caller makes the guest repeat the call after).
 */
hv_status_t hv_mem_share(struct hv_vcpu *vcpu, hv_ipa_t ipa);
hv_status_t hv_mem_unshare(struct hv_vcpu *vcpu, hv_ipa_t ipa);

/* Pin bookkeeping: is the IPA page mapped (and to which PA)? */
bool hv_mem_is_pinned(const struct hv_vm *vm, hv_ipa_t ipa, hv_pa_t *pa);
/*
 * Visit pinned pages in IPA order from *cursor (an IPA), at most `max`;
 * *cursor is advanced past the last visited. HV_BUSY: more remain.
 */
typedef void (*hv_mem_pin_visit_fn)(void *arg, hv_ipa_t ipa, hv_pa_t pa);
hv_status_t hv_mem_walk_pinned(const struct hv_vm *vm, uint64_t *cursor, uint64_t max,
                               hv_mem_pin_visit_fn fn, void *arg);

/*
 * Bounded teardown for VM destroy: unmaps, returns pages to the host and
 * frees tables, doing at most `budget` units (a page released or a table
 * freed). HV_BUSY until finished, then HV_OK. After HV_OK nothing of the VM
 * remains mapped, owned or allocated.
 */
hv_status_t hv_mem_vm_teardown(struct hv_vm *vm, uint64_t budget);

/* VTCR_EL2 / VTTBR_EL2 values for running the VM (from core/s2). */
uint64_t hv_mem_vtcr(const struct hv_vm *vm);
uint64_t hv_mem_vttbr(const struct hv_vm *vm);

/* Bytes of hypervisor memory for this VM's tables (pin map + stage 2). */
uint64_t hv_mem_table_bytes(const struct hv_vm *vm);

#endif /* HV_MEM_H */
