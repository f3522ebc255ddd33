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
#include <hv/s2.h>
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
	sim->uc_host = calloc(pages, sizeof(*sim->uc_host));
	sim->owners = calloc(pages, sizeof(*sim->owners));
	sim->hyp = calloc(1, sizeof(*sim->hyp));
	if (!sim->uc_mapped || !sim->uc_host || !sim->owners || !sim->hyp)
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
	free(sim->uc_host);
	if (sim->ram)
		munmap(sim->ram, sim->ram_size);
	sim->hyp = NULL;
	sim->owners = NULL;
	sim->uc_mapped = NULL;
	sim->uc_host = NULL;
	sim->ram = NULL;
}

static bool in_ram(const struct sim *sim, uint64_t ipa, uint64_t size)
{
	return ipa >= sim->ram_base && size <= sim->ram_size &&
	       ipa - sim->ram_base <= sim->ram_size - size;
}

static int engine_prot(uint32_t s2_prot)
{
	return ((s2_prot & HV_S2_PROT_R) ? UC_PROT_READ : 0) |
	       ((s2_prot & HV_S2_PROT_W) ? UC_PROT_WRITE : 0) |
	       ((s2_prot & HV_S2_PROT_X) ? UC_PROT_EXEC : 0);
}

/* Apply a run of pages to every engine (prot < 0: unmap). */
static void engines_map(struct sim *sim, uint64_t ipa, uint64_t len, uint8_t *host, int prot)
{
	for (uint32_t i = 0; i < sim->cfg.nr_vcpus; i++) {
		uc_engine *uc = sim->vcpus[i].uc;
		if (!uc)
			continue;
		uc_err e = prot >= 0 ? uc_mem_map_ptr(uc, ipa, len, (uint32_t)prot, host)
		                     : uc_mem_unmap(uc, ipa, len);
		if (e != UC_ERR_OK)
			fprintf(sim->trace, "hvsim: engine %s of [0x%llx, +0x%llx) failed: %s\n",
			        prot >= 0 ? "map" : "unmap", (unsigned long long)ipa,
			        (unsigned long long)len, uc_strerror(e));
	}
	uint64_t first = (ipa - sim->ram_base) / HV_PAGE_SIZE;
	for (uint64_t i = 0; i < len / HV_PAGE_SIZE; i++) {
		sim->uc_mapped[first + i] = prot >= 0 ? (uint8_t)(prot | 0x80) : 0;
		sim->uc_host[first + i] =
		    prot >= 0 ? (uint32_t)((uint64_t)(host - sim->ram) / HV_PAGE_SIZE + i) : 0;
	}
}

/*
 * What the VM's stage 2 says about the page at `a`: the host address that
 * backs it and the engine protection, or -1 if nothing may back it. Only
 * pages of the host's RAM buffer can back the guest.
 */
static int stage2_page(const struct sim *sim, uint64_t a, uint8_t **host)
{
	struct hv_s2_leaf leaf;
	if (hv_s2_lookup(&sim->vm->life.mem.s2, hv_ipa(a), &leaf) != HV_OK ||
	    leaf.type != HV_S2_MEM_NORMAL_WB || !(leaf.prot & HV_S2_PROT_R))
		return -1;
	uint8_t *h = (uint8_t *)(uintptr_t)hv_pa_addr(leaf.pa);
	if (h < sim->ram || h >= sim->ram + sim->ram_size || ((uintptr_t)h & (HV_PAGE_SIZE - 1)))
		return -1;
	*host = h;
	return engine_prot(leaf.prot);
}

/* A run of pages to map (prot >= 0, contiguous host pages) or unmap. */
struct run {
	uint64_t ipa, len;
	uint8_t *host;
	int prot;
};

static void run_add(struct sim *sim, struct run *r, uint64_t a, uint8_t *host, int prot)
{
	bool extends = r->len && a == r->ipa + r->len && prot == r->prot &&
	               (prot < 0 || host == r->host + r->len);
	if (r->len && !extends) {
		engines_map(sim, r->ipa, r->len, r->host, r->prot);
		r->len = 0;
	}
	if (!r->len)
		*r = (struct run){a, 0, host, prot};
	r->len += HV_PAGE_SIZE;
}

static void run_flush(struct sim *sim, struct run *r)
{
	if (r->len)
		engines_map(sim, r->ipa, r->len, r->host, r->prot);
	r->len = 0;
}

void sim_mem_sync(struct sim *sim, uint64_t ipa, uint64_t size)
{
	ipa &= ~(HV_PAGE_SIZE - 1);
	size = (size + HV_PAGE_SIZE - 1) & ~(HV_PAGE_SIZE - 1);
	if (!size || !in_ram(sim, ipa, size))
		return;
	/* Pass 1: drop what the stage 2 no longer maps (or maps differently);
	 * pass 2: map what it maps and the engines lack. */
	for (int pass = 0; pass < 2; pass++) {
		struct run r = {0, 0, NULL, -1};
		for (uint64_t a = ipa; a < ipa + size; a += HV_PAGE_SIZE) {
			uint64_t i = (a - sim->ram_base) / HV_PAGE_SIZE;
			uint8_t *host = NULL;
			int want = stage2_page(sim, a, &host);
			int have = sim->uc_mapped[i] ? (sim->uc_mapped[i] & 0x7f) : -1;
			bool same = want == have &&
			            (want < 0 ||
			             host == sim->ram + (uint64_t)sim->uc_host[i] * HV_PAGE_SIZE);
			if (same)
				continue;
			if (pass == 0 && have >= 0)
				run_add(sim, &r, a, NULL, -1);
			if (pass == 1 && want >= 0)
				run_add(sim, &r, a, host, want);
		}
		run_flush(sim, &r);
	}
}

void sim_mem_map_engine(struct sim *sim, struct sim_vcpu *sv)
{
	uint64_t pages = sim->ram_size / HV_PAGE_SIZE;
	for (uint64_t i = 0; i < pages;) {
		if (!sim->uc_mapped[i]) {
			i++;
			continue;
		}
		/* A run of pages with one protection over contiguous host pages. */
		uint64_t n = 1;
		while (i + n < pages && sim->uc_mapped[i + n] == sim->uc_mapped[i] &&
		       sim->uc_host[i + n] == sim->uc_host[i] + n)
			n++;
		uc_err e = uc_mem_map_ptr(sv->uc, sim->ram_base + i * HV_PAGE_SIZE,
		                          n * HV_PAGE_SIZE, sim->uc_mapped[i] & 0x7fu,
		                          sim->ram + (uint64_t)sim->uc_host[i] * HV_PAGE_SIZE);
		if (e != UC_ERR_OK)
			fprintf(sim->trace, "hvsim: engine map of [0x%llx, +0x%llx) failed: %s\n",
			        (unsigned long long)(sim->ram_base + i * HV_PAGE_SIZE),
			        (unsigned long long)(n * HV_PAGE_SIZE), uc_strerror(e));
		i += n;
	}
}

/* Level of the stage-2 walk that found no descriptor for `ipa` (what
 * hardware reports in DFSC/IFSC): one below the deepest table on the path,
 * or the start level. */
static hv_status_t note_table(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc)
{
	unsigned *deepest = arg;
	(void)ipa;
	(void)desc;
	if (level + 1 > *deepest)
		*deepest = level + 1;
	return HV_OK;
}

unsigned sim_mem_fault_level(const struct sim *sim, uint64_t ipa)
{
	const struct hv_s2_pgt *s2 = &sim->vm->life.mem.s2;
	unsigned level = s2->start_level;
	const struct hv_s2_visitor v = {.table_pre = note_table, .arg = &level};
	if (!s2->root ||
	    hv_s2_walk(s2, hv_ipa(ipa & ~(HV_PAGE_SIZE - 1)), HV_PAGE_SIZE, &v) != HV_OK)
		return s2->start_level;
	return level > 3 ? 3 : level;
}

unsigned sim_mem_leaf_level(const struct sim *sim, uint64_t ipa)
{
	struct hv_s2_leaf leaf;
	if (hv_s2_lookup(&sim->vm->life.mem.s2, hv_ipa(ipa), &leaf) != HV_OK)
		return sim_mem_fault_level(sim, ipa);
	return leaf.level;
}

bool sim_mem_host_page(const struct sim *sim, uint64_t ipa, uint8_t **host)
{
	return stage2_page(sim, ipa & ~(HV_PAGE_SIZE - 1), host) >= 0;
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

/* Every page of [ipa, ipa + size) mapped in the engines with at least
 * `prot` (a UC_PROT_* mask). */
static bool engine_has(const struct sim *sim, uint64_t ipa, uint64_t size, uint8_t prot)
{
	if (!in_ram(sim, ipa, size))
		return false;
	uint64_t first = (ipa - sim->ram_base) / HV_PAGE_SIZE;
	uint64_t last = (ipa + size - 1u - sim->ram_base) / HV_PAGE_SIZE;
	for (uint64_t i = first; i <= last; i++)
		if (!sim->uc_mapped[i] || (sim->uc_mapped[i] & prot) != prot)
			return false;
	return true;
}

bool sim_mem_engine_mapped(const struct sim *sim, uint64_t ipa, uint64_t size)
{
	return engine_has(sim, ipa, size, 0);
}

bool sim_mem_engine_writable(const struct sim *sim, uint64_t ipa, uint64_t size)
{
	return engine_has(sim, ipa, size, UC_PROT_WRITE);
}
