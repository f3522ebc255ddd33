/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest memory. The host (hvsim) owns a buffer of RAM pages; the VM gets a
 * memslot covering its RAM IPA range and nothing mapped. A first touch is a
 * stage-2 fault the core turns into a demand-paging request for a block
 * (core/mem); the host answers with the block's pages (hv_mem_map_range) and
 * the engines' memory map is made to agree with the VM's stage 2: exactly
 * the pages core/mem has mapped are visible to the guest, every other
 * address stops the engine and becomes an exit.
 *
 * A page's "physical address" in the sim is its host address.
 */
#include <hv/mem.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include "sim_internal.h"

/* Table pages come from one arena (mapped lazily by the host kernel), so
 * runs of contiguous, aligned pages (concatenated stage-2 roots) exist. */
static void *pool_take(struct sim_page_pool *p, uint64_t nr, uint64_t align)
{
	for (uint64_t i = 0; i + nr <= p->nr_pages; i += align) {
		uint64_t k = 0;
		while (k < nr && !p->in_use[i + k])
			k++;
		if (k < nr)
			continue;
		memset(p->in_use + i, 1, nr);
		p->live += nr;
		uint8_t *page = p->arena + i * HV_PAGE_SIZE;
		memset(page, 0, nr * HV_PAGE_SIZE);
		return page;
	}
	return NULL;
}

static void *pool_zalloc(void *pool)
{
	return pool_take(pool, 1, 1);
}

static void *pool_zalloc_contig(void *pool, unsigned nr_pages)
{
	if (nr_pages < 2 || nr_pages > 16 || (nr_pages & (nr_pages - 1)))
		return NULL;
	return pool_take(pool, nr_pages, nr_pages);
}

static void pool_free(void *pool, void *page)
{
	struct sim_page_pool *p = pool;
	uint8_t *pg = page;
	if (!pg || pg < p->arena || pg >= p->arena + p->nr_pages * HV_PAGE_SIZE)
		return;
	uint64_t i = (uint64_t)(pg - p->arena) / HV_PAGE_SIZE;
	if (p->in_use[i]) {
		p->in_use[i] = 0;
		p->live--;
	}
}

static hv_pa_t pool_v2p(void *pool, const void *va)
{
	(void)pool;
	return hv_pa((uint64_t)(uintptr_t)va);
}

static void *pool_p2v(void *pool, hv_pa_t pa)
{
	(void)pool;
	return (void *)(uintptr_t)hv_pa_addr(pa);
}

hv_status_t sim_mem_init(struct sim *sim)
{
	/* Tables: the pin map and the stage 2 need a few pages per 2 MiB. */
	sim->pool.nr_pages = 256 + sim->ram_size / HV_SZ_2M * 4;
	void *arena = mmap(NULL, sim->pool.nr_pages * HV_PAGE_SIZE, PROT_READ | PROT_WRITE,
	                   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	sim->pool.in_use = calloc(sim->pool.nr_pages, 1);
	if (arena == MAP_FAILED || !sim->pool.in_use) {
		if (arena != MAP_FAILED)
			munmap(arena, sim->pool.nr_pages * HV_PAGE_SIZE);
		return HV_ERR_NO_MEMORY;
	}
	sim->pool.arena = arena;
	sim->pool.ops = (struct hv_mm_ops){
	    .zalloc_pages_contig = pool_zalloc_contig,
	    .zalloc_page = pool_zalloc,
	    .free_page = pool_free,
	    .virt_to_phys = pool_v2p,
	    .phys_to_virt = pool_p2v,
	    .pool = &sim->pool,
	};
	void *ram =
	    mmap(NULL, sim->ram_size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (ram == MAP_FAILED)
		return HV_ERR_NO_MEMORY;
	sim->ram = ram;
	uint64_t pages = sim->ram_size / HV_PAGE_SIZE;
	sim->uc_mapped = calloc(pages, 1);
	sim->owners = calloc(pages, sizeof(*sim->owners));
	sim->hyp = calloc(1, sizeof(*sim->hyp));
	if (!sim->uc_mapped || !sim->owners || !sim->hyp)
		return HV_ERR_NO_MEMORY;
	return hv_hyp_init(sim->hyp, &sim->pool.ops, 40, hv_pa((uint64_t)(uintptr_t)ram), pages,
	                   sim->owners);
}

void sim_mem_destroy(struct sim *sim)
{
	if (sim->hyp && sim->vm) {
		/* Bounded steps, as a host would re-issue the call. */
		for (unsigned i = 0; i < 1000000u; i++)
			if (hv_vm_destroy(sim->hyp, sim->vmid, 0) != HV_BUSY)
				break;
		sim->vm = NULL;
		/* Destroy must give every table page back. */
		if (sim->pool.live)
			fprintf(sim->trace, "hvsim: VM destroy leaked %llu table pages\n",
			        (unsigned long long)sim->pool.live);
	}
	free(sim->hyp);
	free(sim->owners);
	if (sim->pool.arena)
		munmap(sim->pool.arena, sim->pool.nr_pages * HV_PAGE_SIZE);
	free(sim->pool.in_use);
	sim->pool.arena = NULL;
	sim->pool.in_use = NULL;
	free(sim->uc_mapped);
	if (sim->ram)
		munmap(sim->ram, sim->ram_size);
	sim->hyp = NULL;
	sim->owners = NULL;
	sim->uc_mapped = NULL;
	sim->ram = NULL;
}

static bool in_ram(const struct sim *sim, uint64_t ipa, uint64_t size)
{
	return ipa >= sim->ram_base && size <= sim->ram_size &&
	       ipa - sim->ram_base <= sim->ram_size - size;
}

/* Apply a run of pages to every engine. */
static void engines_map(struct sim *sim, uint64_t ipa, uint64_t len, void *host, bool map)
{
	for (uint32_t i = 0; i < sim->cfg.nr_vcpus; i++) {
		uc_engine *uc = sim->vcpus[i].uc;
		if (!uc)
			continue;
		uc_err e = map ? uc_mem_map_ptr(uc, ipa, len, UC_PROT_ALL, host)
		               : uc_mem_unmap(uc, ipa, len);
		if (e != UC_ERR_OK)
			fprintf(sim->trace, "hvsim: engine %s of [0x%llx, +0x%llx) failed: %s\n",
			        map ? "map" : "unmap", (unsigned long long)ipa,
			        (unsigned long long)len, uc_strerror(e));
	}
	uint64_t first = (ipa - sim->ram_base) / HV_PAGE_SIZE;
	memset(sim->uc_mapped + first, map ? 1 : 0, len / HV_PAGE_SIZE);
}

void sim_mem_sync(struct sim *sim, uint64_t ipa, uint64_t size)
{
	ipa &= ~(HV_PAGE_SIZE - 1);
	size = (size + HV_PAGE_SIZE - 1) & ~(HV_PAGE_SIZE - 1);
	if (!size || !in_ram(sim, ipa, size))
		return;
	uint64_t run_ipa = 0, run_len = 0;
	uint8_t *run_host = NULL;
	bool run_map = false;
	for (uint64_t off = 0; off <= size; off += HV_PAGE_SIZE) {
		bool end = off == size;
		uint64_t a = ipa + off;
		hv_pa_t pa = hv_pa(0);
		bool want = false, have = false;
		uint8_t *host = NULL;
		if (!end) {
			want = hv_mem_is_pinned(sim->vm, hv_ipa(a), &pa);
			host = (uint8_t *)(uintptr_t)hv_pa_addr(pa);
			/* Only pages of the host's RAM buffer can back the guest. */
			if (want && (host < sim->ram || host >= sim->ram + sim->ram_size))
				want = false;
			have = sim->uc_mapped[(a - sim->ram_base) / HV_PAGE_SIZE] != 0;
		}
		bool change = !end && want != have;
		bool extends = change && run_len && run_map == want && a == run_ipa + run_len &&
		               (!want || host == run_host + run_len);
		if (run_len && !extends) {
			engines_map(sim, run_ipa, run_len, run_host, run_map);
			run_len = 0;
		}
		if (change && !extends) {
			run_ipa = a;
			run_host = host;
			run_map = want;
			run_len = HV_PAGE_SIZE;
		} else if (extends) {
			run_len += HV_PAGE_SIZE;
		}
	}
}

hv_status_t sim_mem_supply(struct sim *sim, hv_ipa_t ipa, uint64_t size)
{
	uint64_t a = hv_ipa_addr(ipa);
	if (!size || !hv_is_aligned(a, HV_PAGE_SIZE) || !hv_is_aligned(size, HV_PAGE_SIZE) ||
	    !in_ram(sim, a, size))
		return HV_ERR_RANGE;
	hv_status_t result = HV_OK;
	for (uint64_t off = 0; off < size;) {
		uint64_t nr = (size - off) / HV_PAGE_SIZE;
		if (nr > HV_MEM_BATCH_MAX)
			nr = HV_MEM_BATCH_MAX;
		uint64_t pfn = (uint64_t)(uintptr_t)(sim->ram + (a + off - sim->ram_base)) >> 12;
		hv_status_t st =
		    hv_mem_map_range(sim->vm, SIM_RAM_SLOT, hv_ipa(a + off), pfn, (uint32_t)nr);
		if (st == HV_ERR_EXISTS) {
			/* Part is mapped already: supply the missing pages one by one. */
			for (uint64_t i = 0; i < nr; i++) {
				uint64_t pa_ipa = a + off + i * HV_PAGE_SIZE;
				if (hv_mem_is_pinned(sim->vm, hv_ipa(pa_ipa), NULL))
					continue;
				st = hv_mem_map_range(sim->vm, SIM_RAM_SLOT, hv_ipa(pa_ipa),
				                      pfn + i, 1);
				if (st != HV_OK)
					result = st;
			}
		} else if (st != HV_OK) {
			result = st;
		}
		off += nr * HV_PAGE_SIZE;
	}
	sim_mem_sync(sim, a, size);
	return result;
}

void sim_mem_reap_relinquished(struct sim *sim)
{
	hv_ipa_t ipa;
	hv_pa_t pa;
	while (hv_mem_pop_relinquished(sim->vm, &ipa, &pa) == HV_OK) {
		/* The host unpins the page; the guest must no longer see it. */
		sim_mem_sync(sim, hv_ipa_addr(ipa), HV_PAGE_SIZE);
		uint8_t *host = (uint8_t *)(uintptr_t)hv_pa_addr(pa);
		if (host >= sim->ram && host < sim->ram + sim->ram_size)
			memset(host, 0, HV_PAGE_SIZE); /* no data leaks to the next user */
	}
}
