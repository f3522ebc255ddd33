/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/vm + core/mem under hostile sequences: VM create/destroy, vCPU
 * create, memslots, faults, page maps (lists and ranges), relinquish,
 * hypervisor donations, allocator failures, with arguments taken raw from
 * the input or steered near the interesting values. After every step the
 * ownership invariant is checked:
 *   - every managed page is the host's, the hypervisor's or one live VM's;
 *   - a VM owns exactly the pages its pin map holds, each at one IPA inside
 *     one of its memslots, and its shared count matches the page flags;
 *   - per-slot mapped counts add up to the VM's pinned count;
 *   - stage 2 maps every pinned IPA page to its pinned frame.
 * At the end every VM is destroyed: all pages return, no table page leaks.
 *
 * Input: a sequence of records, each [op][a][b][c][d][8-byte value].
 */
#include <hv/mem.h>
#include <hv/vm_lifecycle.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>
#include "fuzz_harness.h"
#include "test_pool.h"

#define MANAGED    256u
#define GUEST_PA   UINT64_C(0x80000000)
#define GUEST_PFN  (GUEST_PA >> 12)
#define POOL_PAGES 96u
#define RECORD     13u

static struct hv_hyp *hyp;
static struct hv_page_owner owners[MANAGED];
static struct test_pool pool;
static uint64_t pfns[HV_MEM_BATCH_MAX];

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

/* An IPA: mostly near the slots the input tends to create, sometimes raw. */
static uint64_t steer_ipa(uint8_t sel, uint64_t raw)
{
	switch (sel & 3) {
	case 0: return (raw & 0x3ff) << 12;                /* low pages */
	case 1: return 0x40000000 + ((raw & 0xfff) << 12); /* "RAM" */
	case 2: return 0x40000000 + (raw & 0x3fffff);      /* maybe misaligned */
	default: return raw;                               /* anything */
	}
}

static uint64_t steer_pfn(uint8_t sel, uint64_t raw)
{
	switch (sel & 3) {
	case 0:
	case 1: return GUEST_PFN + (raw % (MANAGED + 8)); /* mostly managed */
	case 2: return GUEST_PFN - 1 - (raw & 7);
	default: return raw;
	}
}

static struct hv_vm *vm_at(uint8_t idx)
{
	struct hv_vm *vm = &hyp->vms[idx % HV_MAX_VMS];
	return vm->life.state == HV_VM_FREE ? NULL : vm;
}

struct pin_check {
	const struct hv_vm *vm;
	uint64_t n;
};

HARNESS static void check_pin(void *arg, hv_ipa_t ipa, hv_pa_t pa)
{
	struct pin_check *c = arg;
	uint16_t owner, flags;
	if (hv_pgown_get(&hyp->own, pa, &owner, &flags) != HV_OK || owner != c->vm->vmid)
		abort();
	uint32_t slot;
	if (hv_mem_find_memslot(c->vm, ipa, &slot) != HV_OK)
		abort();
	/* Stage 2 maps the page to the same frame. */
	struct hv_s2_leaf leaf;
	if (hv_s2_lookup(&c->vm->life.mem.s2, ipa, &leaf) != HV_OK ||
	    hv_pa_addr(leaf.pa) != hv_pa_addr(pa))
		abort();
	bool private_slot = c->vm->life.mem.slots[slot].flags & HV_MEMSLOT_PRIVATE;
	if (private_slot == !!(flags & HV_PAGE_SHARED))
		abort();
	c->n++;
}

/* Every managed page is the host's, the hypervisor's or a live VM's; each
 * VM's owned and shared counts match its books, and its pins are all in
 * its slots and its stage 2. One pass over the owner table. */
HARNESS static void check_invariant(void)
{
	uint64_t owned[HV_MAX_VMS] = {0}, shared[HV_MAX_VMS] = {0}, total = 0;
	for (uint64_t p = 0; p < MANAGED; p++) {
		uint16_t o = owners[p].owner;
		if (o == HV_OWNER_HOST || o == HV_OWNER_HYP) {
			total++;
			continue;
		}
		unsigned i = 0;
		while (i < HV_MAX_VMS &&
		       (hyp->vms[i].life.state == HV_VM_FREE || hyp->vms[i].vmid != o))
			i++;
		if (i == HV_MAX_VMS)
			abort(); /* owned by no live VM */
		owned[i]++;
		shared[i] += (owners[p].flags & HV_PAGE_SHARED) != 0;
	}
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		const struct hv_vm *vm = &hyp->vms[i];
		if (vm->life.state == HV_VM_FREE)
			continue;
		const struct hv_vm_mem *m = &vm->life.mem;
		if (owned[i] != m->nr_pinned || shared[i] != m->nr_shared)
			abort();
		total += owned[i];
		if (vm->life.state == HV_VM_DYING)
			continue; /* slots are being dismantled */
		uint64_t in_slots = 0;
		for (unsigned s = 0; s < HV_MAX_MEMSLOTS; s++)
			in_slots += m->slots[s].nr_mapped;
		if (in_slots != m->nr_pinned)
			abort();
		struct pin_check c = {.vm = vm, .n = 0};
		uint64_t cursor = 0;
		if (hv_mem_walk_pinned(vm, &cursor, UINT64_MAX, check_pin, &c) != HV_OK ||
		    c.n != m->nr_pinned)
			abort();
	}
	if (total != MANAGED)
		abort();
}

static void step(const uint8_t *r)
{
	uint8_t op = r[0], a = r[1], b = r[2], c = r[3], d = r[4];
	uint64_t v = rd64(r + 5);
	struct hv_vm *vm = vm_at(a);
	switch (op % 14) {
	case 0: {
		static const uint32_t bits[] = {0, 32, 36, 40, 48, 39, 52};
		struct hv_vm_config cfg = {.ipa_bits = bits[b % 7],
		                           .max_vcpus = c % 10,
		                           .block_size = d < 200 ? (UINT64_C(1) << (d % 32)) : v,
		                           .set_cntvoff = v & 1,
		                           .cntvoff = v};
		uint16_t id;
		(void)hv_vm_create(hyp, &cfg, &id);
		break;
	}
	case 1:
		if (vm)
			(void)hv_vm_destroy(hyp, vm->vmid, b);
		else
			(void)hv_vm_destroy(hyp, (uint16_t)v, b);
		break;
	case 2:
		if (vm)
			(void)hv_vcpu_create(vm, b % 12, NULL);
		break;
	case 3:
		if (vm) {
			uint64_t size = d & 0x80 ? v : ((uint64_t)(d & 0x7f) + 1) << 12;
			(void)hv_mem_set_memslot(vm, b % 40, hv_ipa(steer_ipa(c, v >> 8)), size,
			                         (uint32_t)(v >> 60));
		}
		break;
	case 4:
		if (vm)
			(void)hv_mem_delete_memslot(vm, b % 40);
		break;
	case 5:
		if (vm && vm->vcpus[b % HV_MAX_VCPUS]) {
			struct hv_vcpu *vc = vm->vcpus[b % HV_MAX_VCPUS];
			if (hv_mem_handle_stage2_fault(vc, hv_ipa(steer_ipa(c, v)), d & 1) ==
			    HV_BUSY) {
				/* The host answers the request (possibly badly). */
				const struct hv_host_exit *hx = &vc->host_exit;
				if (hx->reason != HV_EXIT_PAGE_FAULT || !hx->page_fault.size)
					abort();
				uint32_t slot;
				if (hv_mem_find_memslot(vm, hx->page_fault.ipa, &slot) != HV_OK)
					abort();
				uint64_t n = hx->page_fault.size >> 12;
				if (n > HV_MEM_BATCH_MAX)
					n = HV_MEM_BATCH_MAX;
				for (uint64_t i = 0; i < n; i++)
					pfns[i] = steer_pfn(d >> 1, v * 31 + i * (d | 1));
				(void)hv_mem_map_pages(vm, slot, hx->page_fault.ipa, pfns,
				                       (uint32_t)n);
			}
		}
		break;
	case 6:
		if (vm) {
			uint32_t n = d & 0x80 ? (uint32_t)(v >> 32) : (d & 0x3f) + 1u;
			for (uint32_t i = 0; i < HV_MEM_BATCH_MAX; i++)
				pfns[i] = steer_pfn(c, v + i * ((c >> 2) | 1));
			(void)hv_mem_map_pages(vm, b % 40, hv_ipa(steer_ipa(c >> 2, v >> 4)), pfns,
			                       n);
		}
		break;
	case 7:
		if (vm)
			(void)hv_mem_map_range(vm, b % 40, hv_ipa(steer_ipa(c, v >> 8)),
			                       steer_pfn(d, v), (d & 0x1f) + 1u);
		break;
	case 8:
		if (vm && vm->vcpus[b % HV_MAX_VCPUS])
			(void)hv_mem_relinquish(vm->vcpus[b % HV_MAX_VCPUS],
			                        hv_ipa(steer_ipa(c, v)));
		break;
	case 9:
		if (vm) {
			hv_ipa_t ipa;
			hv_pa_t pa;
			(void)hv_mem_pop_relinquished(vm, &ipa, &pa);
		}
		break;
	case 10:
		(void)hv_pgown_donate_to_hyp(&hyp->own, hv_pa(steer_pfn(b, v) << 12), (c & 7) + 1u);
		break;
	case 11:
		(void)hv_pgown_reclaim_from_hyp(&hyp->own, hv_pa(steer_pfn(b, v) << 12),
		                                (c & 7) + 1u);
		break;
	case 12: test_pool_fail_after(&pool, b & 0x80 ? -1 : (long)(b & 7), c & 1); break;
	default:
		if (vm)
			(void)hv_vm_mark_running(vm);
		break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!hyp) {
		hyp = calloc(1, sizeof(*hyp));
		if (!hyp || !test_pool_init(&pool, POOL_PAGES, 0x10000000))
			abort();
	}
	sim_arch_reset();
	sim_arch_set_recording(false);
	test_pool_fail_after(&pool, -1, false);
	if (hv_hyp_init(hyp, &pool.ops, 40, hv_pa(GUEST_PA), MANAGED, owners) != HV_OK)
		abort();
	for (size_t off = 0; off + RECORD <= size && off < RECORD * 256; off += RECORD) {
		step(data + off);
		check_invariant();
	}
	/* Tear everything down; destroy needs no allocation. */
	test_pool_fail_after(&pool, -1, false);
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		struct hv_vm *vm = &hyp->vms[i];
		unsigned rounds = 0;
		while (vm->life.state != HV_VM_FREE && hv_vm_destroy(hyp, vm->vmid, 7) == HV_BUSY)
			if (++rounds > 100000)
				abort(); /* destroy must finish */
		check_invariant();
	}
	if (hv_pgown_count(&hyp->own, HV_OWNER_HOST) + hv_pgown_count(&hyp->own, HV_OWNER_HYP) !=
	        MANAGED ||
	    pool.live != 0 || !test_pool_check(&pool))
		abort();
	return 0;
}
