/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Demand paging and destroy cost (core/vm + core/mem on the sim runtime):
 *   fault_block_ns    one 2 MiB block: the stage-2 abort dispatched, the
 *                     block request to the host, the host's 512 frames
 *                     (physically contiguous, as from a huge page) mapped
 *                     in one batch
 *   fault_4k_x512_ns  the same 2 MiB as 512 single-page faults (4 KiB
 *                     block size: 512 aborts, 512 one-frame answers)
 *   *_scattered_ns    the same two with every other frame (no contiguity)
 *   destroy_1g_ns     destroying a VM with 1 GiB mapped, all BUSY rounds
 *                     summed (batch: GenieZone's default, 128 pages)
 * Stage 2 is core/s2's real tables (a contiguous aligned run becomes one
 * 2 MiB block descriptor; scattered frames become 512 page descriptors).
 * Per 2 MiB, over 16 consecutive blocks per round (so the clock read is
 * amortized); medians of repeated rounds, CPU time of this thread. Host round trips
 * (the exit to the host and back) are not included: on hardware each costs
 * microseconds more, so the real ratio is larger than the one printed.
 */
#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/mem.h>
#include <hv/vm_lifecycle.h>
#include <hvsim/arch_sim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench_util.h"
#include "test_pool.h"

#define ROUNDS     21u
#define GUEST_PA   UINT64_C(0x100000000)
#define GUEST_PFN  (GUEST_PA >> 12)
#define MANAGED    (2u * 262144u) /* 2 GiB of frames */
#define POOL_PAGES 4096u
#define RAM_IPA    UINT64_C(0x40000000)
#define NBLOCKS    16u /* blocks per timed round (amortizes the clock read) */

static struct hv_hyp *hyp;
static struct hv_page_owner *owners;
static struct test_pool pool;
static uint64_t pfns[512];

static struct hv_vm *new_vm(uint64_t block_size, uint64_t slot_size, struct hv_vcpu **vcpu)
{
	struct hv_vm_config cfg = {.ipa_bits = 40, .block_size = block_size};
	uint16_t id;
	if (hv_vm_create(hyp, &cfg, &id) != HV_OK)
		abort();
	struct hv_vm *vm = hv_vm_find(hyp, id);
	if (hv_vcpu_create(vm, 0, vcpu) != HV_OK ||
	    hv_mem_set_memslot(vm, 0, hv_ipa(RAM_IPA), slot_size, 0) != HV_OK)
		abort();
	return vm;
}

static void destroy(struct hv_vm *vm)
{
	while (hv_vm_destroy(hyp, vm->vmid, 1u << 20) == HV_BUSY)
		;
}

/* A translation fault (level 3) on a 4-byte store at `ipa`. */
static void abort_at(struct hv_vcpu *v, uint64_t ipa)
{
	v->ctx.exit.esr_el2 = ((uint64_t)HV_EC_DABT_LOW << 26) | HV_BIT(25) | HV_DABT_ISV |
	                      (2ull << HV_DABT_SAS_SHIFT) | HV_BIT(6) | 0x07;
	v->ctx.exit.far_el2 = ipa;
	v->ctx.exit.hpfar_el2 = (ipa >> 12) << 4;
}

/* One fault served end to end; `next_frame` hands out frames `stride` apart. */
static unsigned stride = 1;
static void serve_fault(struct hv_vm *vm, struct hv_vcpu *v, uint64_t ipa, uint64_t *next_frame)
{
	abort_at(v, ipa);
	if (hv_vcpu_handle_exit(v) != HV_ACTION_HOST || v->host_exit.reason != HV_EXIT_PAGE_FAULT)
		abort();
	uint32_t n = (uint32_t)(v->host_exit.page_fault.size >> 12);
	for (uint32_t i = 0; i < n; i++) {
		pfns[i] = GUEST_PFN + *next_frame;
		*next_frame += stride;
	}
	if (hv_mem_map_pages(vm, 0, v->host_exit.page_fault.ipa, pfns, n) != HV_OK)
		abort();
	v->host_exit.reason = HV_EXIT_NONE;
}

static double time_block(void)
{
	struct hv_vcpu *v;
	struct hv_vm *vm = new_vm(HV_SZ_2M, NBLOCKS * HV_SZ_2M, &v);
	uint64_t frame = 0;
	uint64_t t0 = bench_now_ns();
	for (unsigned b = 0; b < NBLOCKS; b++)
		serve_fault(vm, v, RAM_IPA + b * HV_SZ_2M + 0x1234, &frame);
	uint64_t t1 = bench_now_ns();
	if (vm->life.mem.nr_pinned != 512 * NBLOCKS)
		abort();
	destroy(vm);
	return (double)(t1 - t0) / NBLOCKS;
}

static double time_4k(void)
{
	struct hv_vcpu *v;
	struct hv_vm *vm = new_vm(HV_PAGE_SIZE, NBLOCKS * HV_SZ_2M, &v);
	uint64_t frame = 0;
	uint64_t t0 = bench_now_ns();
	for (unsigned i = 0; i < 512 * NBLOCKS; i++)
		serve_fault(vm, v, RAM_IPA + i * HV_PAGE_SIZE, &frame);
	uint64_t t1 = bench_now_ns();
	if (vm->life.mem.nr_pinned != 512 * NBLOCKS)
		abort();
	destroy(vm);
	return (double)(t1 - t0) / NBLOCKS;
}

static double time_destroy_1g(unsigned *rounds_out)
{
	struct hv_vcpu *v;
	struct hv_vm *vm = new_vm(HV_SZ_2M, HV_SZ_1G, &v);
	for (unsigned b = 0; b < 512; b++) {
		for (unsigned i = 0; i < 512; i++)
			pfns[i] = GUEST_PFN + b * 512 + i;
		if (hv_mem_map_pages(vm, 0, hv_ipa(RAM_IPA + b * HV_SZ_2M), pfns, 512) != HV_OK)
			abort();
	}
	unsigned rounds = 1;
	uint16_t id = vm->vmid;
	uint64_t t0 = bench_now_ns();
	while (hv_vm_destroy(hyp, id, HV_VM_DESTROY_BATCH_DEFAULT) == HV_BUSY)
		rounds++;
	uint64_t t1 = bench_now_ns();
	if (hv_pgown_count(&hyp->own, HV_OWNER_HOST) != MANAGED || pool.live != 0)
		abort();
	*rounds_out = rounds;
	return (double)(t1 - t0);
}

int main(void)
{
	hyp = calloc(1, sizeof(*hyp));
	owners = calloc(MANAGED, sizeof(*owners));
	if (!hyp || !owners || !test_pool_init(&pool, POOL_PAGES, 0x10000000))
		return 1;
	if (hv_hyp_init(hyp, &pool.ops, 40, hv_pa(GUEST_PA), MANAGED, owners) != HV_OK)
		return 1;
	sim_arch_set_recording(false);

	double block[ROUNDS], small[ROUNDS], destroy_ns[ROUNDS], block_sc[ROUNDS], small_sc[ROUNDS];
	unsigned rounds = 0;
	for (unsigned r = 0; r < ROUNDS; r++) {
		stride = 1;
		block[r] = time_block();
		small[r] = time_4k();
		stride = 2;
		block_sc[r] = time_block();
		small_sc[r] = time_4k();
		destroy_ns[r] = time_destroy_1g(&rounds);
	}
	double b = bench_median(block, ROUNDS);
	double s = bench_median(small, ROUNDS);
	bench_json_begin();
	bench_json_num("fault_block_ns", b);
	bench_json_num("fault_4k_x512_ns", s);
	bench_json_num("fault_ratio", s / b);
	double bs = bench_median(block_sc, ROUNDS);
	double ss = bench_median(small_sc, ROUNDS);
	bench_json_num("fault_block_scattered_ns", bs);
	bench_json_num("fault_4k_x512_scattered_ns", ss);
	bench_json_num("fault_ratio_scattered", ss / bs);
	bench_json_num("destroy_1g_ns", bench_median(destroy_ns, ROUNDS));
	bench_json_num("destroy_1g_rounds", rounds);
	bench_json_end();
	test_pool_destroy(&pool);
	free(owners);
	free(hyp);
	return 0;
}
