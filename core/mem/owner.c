/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page ownership: one record per managed physical page. Transitions are
 * host -> VM (claim), VM -> host (release), host <-> hypervisor; anything
 * else is refused. Multi-page requests check every page before changing
 * any, so a refusal leaves the table as it was.
 */
#include "mem_internal.h"

hv_status_t hv_pgown_init(struct hv_pgown *own, hv_pa_t base, uint64_t nr_pages,
                          struct hv_page_owner *storage)
{
	uint64_t b = hv_pa_addr(base);
	if (!own || !storage || nr_pages == 0 || !hv_is_aligned(b, HV_PAGE_SIZE) ||
	    nr_pages > (UINT64_MAX >> HV_PAGE_SHIFT) ||
	    hv_range_wraps(b, nr_pages << HV_PAGE_SHIFT))
		return HV_ERR_INVALID;
	own->base_pfn = b >> HV_PAGE_SHIFT;
	own->nr_pages = nr_pages;
	own->pages = storage;
	own->host = NULL;
	hv_memset(storage, 0, nr_pages * sizeof(*storage)); /* HV_OWNER_HOST, no flags */
	return HV_OK;
}

hv_status_t hv_pgown_get(const struct hv_pgown *own, hv_pa_t pa, uint16_t *owner, uint16_t *flags)
{
	if (!own || !owner || !flags)
		return HV_ERR_INVALID;
	const struct hv_page_owner *p = hv_pgown_slot(own, hv_pa_addr(pa) >> HV_PAGE_SHIFT);
	if (!p)
		return HV_ERR_RANGE;
	*owner = p->owner;
	*flags = p->flags;
	return HV_OK;
}

/* Check a whole range is held by `from`, then hand it to `to`. */
static hv_status_t transfer(struct hv_pgown *own, hv_pa_t pa, uint64_t nr, uint16_t from,
                            uint16_t to)
{
	uint64_t a = hv_pa_addr(pa);
	if (!own || nr == 0 || !hv_is_aligned(a, HV_PAGE_SIZE))
		return HV_ERR_INVALID;
	uint64_t first = a >> HV_PAGE_SHIFT;
	if (first < own->base_pfn || first - own->base_pfn >= own->nr_pages ||
	    nr > own->nr_pages - (first - own->base_pfn))
		return HV_ERR_RANGE;
	struct hv_page_owner *p = &own->pages[first - own->base_pfn];
	for (uint64_t i = 0; i < nr; i++)
		if (p[i].owner != from || p[i].flags)
			return HV_ERR_DENIED;
	for (uint64_t i = 0; i < nr; i++)
		p[i].owner = to;
	return HV_OK;
}

hv_status_t hv_pgown_donate_to_hyp(struct hv_pgown *own, hv_pa_t pa, uint64_t nr_pages)
{
	return transfer(own, pa, nr_pages, HV_OWNER_HOST, HV_OWNER_HYP);
}

hv_status_t hv_pgown_reclaim_from_hyp(struct hv_pgown *own, hv_pa_t pa, uint64_t nr_pages)
{
	return transfer(own, pa, nr_pages, HV_OWNER_HYP, HV_OWNER_HOST);
}

uint64_t hv_pgown_count(const struct hv_pgown *own, uint16_t owner)
{
	uint64_t n = 0;
	for (uint64_t i = 0; own && i < own->nr_pages; i++)
		n += own->pages[i].owner == owner;
	return n;
}

hv_status_t hv_pgown_release(struct hv_pgown *own, uint64_t pfn, uint16_t vmid)
{
	struct hv_page_owner *p = hv_pgown_slot(own, pfn);
	if (!p)
		return HV_ERR_RANGE;
	if (p->owner != vmid)
		return HV_ERR_DENIED;
	p->owner = HV_OWNER_HOST;
	p->flags = 0;
	return HV_OK;
}
