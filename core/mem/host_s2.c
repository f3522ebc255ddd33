/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's stage 2 kept in step with page ownership (see hv/mem.h): a
 * protected VM's page is not mapped there unless shared. Work is done per
 * 2 MiB range of managed memory, whose count of hidden pages says its
 * shape: 0, one block as at boot; otherwise a last-level table (made by the
 * first hide, which splits the block, and kept until the block comes back)
 * whose hidden pages have invalid descriptors.
 */
#include "mem_internal.h"

#define PAGES_2M (HV_SZ_2M >> HV_PAGE_SHIFT)

hv_status_t hv_pgown_attach_host_s2(struct hv_pgown *own, struct hv_host_s2 *host)
{
	if (!own || !host || !host->s2 || !host->hidden || !host->page_va ||
	    (host->prot & ~(uint32_t)HV_S2_PROT_RWX) || (own->base_pfn % PAGES_2M) ||
	    (own->nr_pages % PAGES_2M))
		return HV_ERR_INVALID;
	hv_memset(host->hidden, 0, own->nr_pages / PAGES_2M * sizeof(*host->hidden));
	own->host = host;
	return HV_OK;
}

bool hv_pgown_host_denied(const struct hv_pgown *own, hv_pa_t pa)
{
	const struct hv_page_owner *p =
	    own ? hv_pgown_slot(own, hv_pa_addr(pa) >> HV_PAGE_SHIFT) : 0;
	if (!p)
		return false;
	uint16_t flags = __atomic_load_n(&p->flags, __ATOMIC_RELAXED);
	return (flags & HV_PAGE_DONATED) && !(flags & HV_PAGE_SHARED);
}

/* Pages [pfn, pfn + nr) stay inside one 2 MiB range: its index. */
static uint64_t range_of(const struct hv_pgown *own, uint64_t pfn)
{
	return (pfn - own->base_pfn) / PAGES_2M;
}

/* Hide [pfn, pfn + nr), inside one 2 MiB range. The first page alone first:
 * that splits a block (the only allocation), the rest then lies in its
 * table, which stays even with every entry invalid, so unhiding allocates
 * nothing. */
static hv_status_t hide_in_range(struct hv_pgown *own, uint64_t pfn, uint64_t nr)
{
	struct hv_host_s2 *h = own->host;
	uint64_t pa = pfn << HV_PAGE_SHIFT;
	hv_status_t st = hv_s2_unmap_keep_tables(h->s2, hv_ipa(pa), HV_PAGE_SIZE);
	if (st == HV_OK && nr > 1)
		st = hv_s2_unmap_keep_tables(h->s2, hv_ipa(pa + HV_PAGE_SIZE),
		                             (nr - 1) << HV_PAGE_SHIFT);
	if (st != HV_OK)
		return st; /* the first call failed: nothing changed */
	h->hidden[range_of(own, pfn)] += (uint16_t)nr;
	return HV_OK;
}

static void unhide_in_range(struct hv_pgown *own, uint64_t pfn, uint64_t nr)
{
	struct hv_host_s2 *h = own->host;
	uint64_t r = range_of(own, pfn);
	h->hidden[r] -= (uint16_t)nr;
	if (h->hidden[r]) {
		/* Into the range's table: invalid entries become valid, no
		 * allocation, and no TLBI (an invalid entry is never cached). */
		uint64_t pa = pfn << HV_PAGE_SHIFT;
		(void)hv_s2_map(h->s2, hv_ipa(pa), hv_pa(pa), nr << HV_PAGE_SHIFT, h->prot,
		                HV_S2_MEM_NORMAL_WB, HV_S2_MAP_PAGES);
		return;
	}
	/* Nothing hidden left: the block the range was at boot (over the
	 * table: break-before-make, the table freed). */
	uint64_t base = (own->base_pfn + r * PAGES_2M) << HV_PAGE_SHIFT;
	(void)hv_s2_map(h->s2, hv_ipa(base), hv_pa(base), HV_SZ_2M, h->prot, HV_S2_MEM_NORMAL_WB,
	                HV_S2_MAP_REPLACE);
}

/* Split [pfn, pfn + nr) at 2 MiB boundaries: the length of the first piece. */
static uint64_t piece(uint64_t pfn, uint64_t nr)
{
	uint64_t left = PAGES_2M - (pfn % PAGES_2M);
	return nr < left ? nr : left;
}

void hv_host_unhide(struct hv_pgown *own, uint64_t pfn, uint64_t nr)
{
	if (!own || !own->host)
		return;
	for (uint64_t n; nr; pfn += n, nr -= n) {
		n = piece(pfn, nr);
		unhide_in_range(own, pfn, n);
	}
}

hv_status_t hv_host_hide(struct hv_pgown *own, uint64_t pfn, uint64_t nr)
{
	if (!own || !own->host)
		return HV_OK;
	uint64_t done = 0;
	for (uint64_t n; done < nr; done += n) {
		n = piece(pfn + done, nr - done);
		hv_status_t st = hide_in_range(own, pfn + done, n);
		if (st != HV_OK) {
			hv_host_unhide(own, pfn, done);
			return st;
		}
	}
	return HV_OK;
}

void hv_host_zero(struct hv_pgown *own, uint64_t pfn)
{
	if (!own || !own->host)
		return;
	void *va = own->host->page_va(own->host->arg, hv_pa(pfn << HV_PAGE_SHIFT));
	if (va)
		hv_memset(va, 0, HV_PAGE_SIZE);
}
