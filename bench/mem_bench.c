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
 * fault_ratio (4k_x512 / block) compares the two core paths with each other,
 * not with a floor.
 *
 * Floors (floor_<key>), measured in the same rounds with the same harness
 * (syndrome written, the host's frames listed, NBLOCKS blocks per timed
 * round, same clock and medians): the least any design must do for that
 * work. Per fault: the IPA from HPFAR_EL2 aligned down to the block; every
 * frame checked host-owned, then (all or nothing) given to the VM in a flat
 * per-frame owner array (struct hv_page_owner, as the hypervisor's); one
 * 2 MiB block descriptor for an aligned contiguous run of 512, otherwise one
 * page descriptor per frame in a zeroed level-3 table page from the same
 * pool (the level-2 table is preallocated; no pin records, no TLB calls).
 * floor_destroy_1g_ns: the same 1 GiB mapped as 512 blocks returned frame by
 * frame (owner checked, given back to the host) and the block descriptors
 * cleared, in restartable calls of the same batch (128 frames).
 * <key>_vs_floor: each figure divided by its floor.
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
#define NROUNDS    bench_rounds(ROUNDS)
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

/* ---- the floor ---------------------------------------------------------- */

#define FLOOR_HOST  0u
#define FLOOR_VM    1u
#define FLOOR_PAGES (HV_SZ_1G / HV_PAGE_SIZE)
/* Stage-2 lower attributes (Arm ARM D8.3): AF, SH inner, S2AP RW, MemAttr
 * Normal WB; bits [1:0] 0b01 block, 0b11 page or table. */
#define FLOOR_ATTRS UINT64_C(0x7fc)

static struct hv_page_owner *floor_owners; /* MANAGED entries */
static uint64_t floor_l2[512];             /* 1 GiB of IPA from RAM_IPA */
static uint64_t *floor_l3[512];            /* level-3 table of each L2 entry */
static struct hv_vcpu floor_vcpu;          /* only its exit syndrome is used */

/* The fault's block: IPA from HPFAR_EL2 (FIPA, D17.2.64), aligned down. */
static __attribute__((noinline)) uint64_t floor_request(const struct hv_vcpu *v,
                                                        uint64_t block_size)
{
	uint64_t ipa = (v->ctx.exit.hpfar_el2 >> 4) << 12;
	if (ipa < RAM_IPA || ipa - RAM_IPA >= HV_SZ_1G)
		return UINT64_MAX;
	return ipa & ~(block_size - 1);
}

static __attribute__((noinline)) int floor_map(uint64_t ipa, const uint64_t *frames, uint32_t n)
{
	for (uint32_t i = 0; i < n; i++)
		if (frames[i] - GUEST_PFN >= MANAGED ||
		    floor_owners[frames[i] - GUEST_PFN].owner != FLOOR_HOST)
			return -1;
	bool contiguous = true;
	for (uint32_t i = 0; i < n; i++) {
		floor_owners[frames[i] - GUEST_PFN].owner = FLOOR_VM;
		contiguous &= frames[i] == frames[0] + i;
	}
	unsigned l2i = (unsigned)((ipa - RAM_IPA) >> 21);
	if (n == 512 && contiguous && frames[0] % 512 == 0) {
		floor_l2[l2i] = frames[0] << 12 | FLOOR_ATTRS | 1u;
		return 0;
	}
	uint64_t *l3 = floor_l3[l2i];
	if (!l3) {
		l3 = pool.ops.zalloc_page(pool.ops.pool);
		if (!l3)
			return -1;
		floor_l3[l2i] = l3;
		floor_l2[l2i] = hv_pa_addr(pool.ops.virt_to_phys(pool.ops.pool, l3)) | 3u;
	}
	unsigned first = (unsigned)(ipa >> 12) & 511u;
	for (uint32_t i = 0; i < n; i++)
		l3[first + i] = frames[i] << 12 | FLOOR_ATTRS | 3u;
	return 0;
}

/* Give back up to `budget` frames of the 1 GiB from IPA page *cursor on, an
 * L2 entry (and its table page) once its last frame is back. Returns true
 * while work is left (BUSY). */
static __attribute__((noinline)) bool floor_destroy(uint64_t *cursor, uint64_t budget)
{
	while (*cursor < FLOOR_PAGES && budget) {
		uint64_t p = *cursor, e = floor_l2[p >> 9];
		uint64_t pte = 0;
		if ((e & 3u) == 1u)
			pte = (e & HV_GENMASK(47, 21)) + ((p & 511u) << 12) + 1u;
		else if (e & 1u)
			pte = floor_l3[p >> 9][p & 511u];
		if (pte & 1u) {
			struct hv_page_owner *o =
			    &floor_owners[((pte & HV_GENMASK(47, 12)) >> 12) - GUEST_PFN];
			if (o->owner != FLOOR_VM)
				abort();
			o->owner = FLOOR_HOST;
			budget--;
		}
		if ((p & 511u) == 511u && e) {
			floor_l2[p >> 9] = 0;
			if (floor_l3[p >> 9]) {
				pool.ops.free_page(pool.ops.pool, floor_l3[p >> 9]);
				floor_l3[p >> 9] = NULL;
				if (budget)
					budget--;
			}
		}
		*cursor = p + 1;
	}
	return *cursor < FLOOR_PAGES;
}

static void floor_reset(void)
{
	uint64_t cursor = 0;
	while (floor_destroy(&cursor, UINT64_MAX))
		;
	uint64_t host = 0;
	for (uint64_t i = 0; i < MANAGED; i++)
		host += floor_owners[i].owner == FLOOR_HOST;
	if (host != MANAGED || pool.live != 0)
		abort();
}

/* The same harness as serve_fault, the floor in place of the core. */
static void floor_serve(uint64_t block_size, uint64_t ipa, uint64_t *next_frame)
{
	abort_at(&floor_vcpu, ipa);
	uint64_t base = floor_request(&floor_vcpu, block_size);
	if (base == UINT64_MAX)
		abort();
	uint32_t n = (uint32_t)(block_size >> 12);
	for (uint32_t i = 0; i < n; i++) {
		pfns[i] = GUEST_PFN + *next_frame;
		*next_frame += stride;
	}
	if (floor_map(base, pfns, n) != 0)
		abort();
}

static double floor_time_block(void)
{
	uint64_t frame = 0;
	uint64_t t0 = bench_now_ns();
	for (unsigned b = 0; b < NBLOCKS; b++)
		floor_serve(HV_SZ_2M, RAM_IPA + b * HV_SZ_2M + 0x1234, &frame);
	uint64_t t1 = bench_now_ns();
	floor_reset();
	return (double)(t1 - t0) / NBLOCKS;
}

static double floor_time_4k(void)
{
	uint64_t frame = 0;
	uint64_t t0 = bench_now_ns();
	for (unsigned i = 0; i < 512 * NBLOCKS; i++)
		floor_serve(HV_PAGE_SIZE, RAM_IPA + i * HV_PAGE_SIZE, &frame);
	uint64_t t1 = bench_now_ns();
	floor_reset();
	return (double)(t1 - t0) / NBLOCKS;
}

static double floor_time_destroy_1g(void)
{
	for (unsigned b = 0; b < 512; b++) {
		for (unsigned i = 0; i < 512; i++)
			pfns[i] = GUEST_PFN + b * 512 + i;
		if (floor_map(RAM_IPA + b * HV_SZ_2M, pfns, 512) != 0)
			abort();
	}
	uint64_t cursor = 0;
	uint64_t t0 = bench_now_ns();
	while (floor_destroy(&cursor, HV_VM_DESTROY_BATCH_DEFAULT))
		;
	uint64_t t1 = bench_now_ns();
	floor_reset();
	return (double)(t1 - t0);
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

	floor_owners = calloc(MANAGED, sizeof(*floor_owners));
	if (!floor_owners)
		return 1;

	enum { BLOCK, SMALL, BLOCK_SC, SMALL_SC, DESTROY, NR_FIGS };
	static const char *const keys[NR_FIGS] = {"fault_block_ns", "fault_4k_x512_ns",
	                                          "fault_block_scattered_ns",
	                                          "fault_4k_x512_scattered_ns", "destroy_1g_ns"};
	double core_v[NR_FIGS][ROUNDS], floor_v[NR_FIGS][ROUNDS], med[NR_FIGS], floor_med[NR_FIGS];
	unsigned rounds = 0;
	for (unsigned r = 0; r < NROUNDS; r++) {
		stride = 1;
		core_v[BLOCK][r] = time_block();
		floor_v[BLOCK][r] = floor_time_block();
		core_v[SMALL][r] = time_4k();
		floor_v[SMALL][r] = floor_time_4k();
		stride = 2;
		core_v[BLOCK_SC][r] = time_block();
		floor_v[BLOCK_SC][r] = floor_time_block();
		core_v[SMALL_SC][r] = time_4k();
		floor_v[SMALL_SC][r] = floor_time_4k();
		core_v[DESTROY][r] = time_destroy_1g(&rounds);
		floor_v[DESTROY][r] = floor_time_destroy_1g();
	}
	for (unsigned k = 0; k < NR_FIGS; k++) {
		med[k] = bench_median(core_v[k], NROUNDS);
		floor_med[k] = bench_median(floor_v[k], NROUNDS);
	}
	bench_json_begin();
	for (unsigned k = 0; k < NR_FIGS; k++) {
		bench_json_num(keys[k], med[k]);
		bench_json_vs_floor(keys[k], med[k], floor_med[k]);
		if (k == SMALL)
			bench_json_num("fault_ratio", med[SMALL] / med[BLOCK]);
		if (k == SMALL_SC)
			bench_json_num("fault_ratio_scattered", med[SMALL_SC] / med[BLOCK_SC]);
	}
	bench_json_num("destroy_1g_rounds", rounds);
	for (unsigned k = 0; k < NR_FIGS; k++) {
		char key[64];
		snprintf(key, sizeof(key), "floor_%s", keys[k]);
		bench_json_num(key, floor_med[k]);
	}
	bench_json_end();
	test_pool_destroy(&pool);
	free(floor_owners);
	free(owners);
	free(hyp);
	return 0;
}
