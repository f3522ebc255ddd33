/* SPDX-License-Identifier: Apache-2.0 */
/* MMIO guard (hv/mmio.h): the pages a guest lets reach the host as MMIO. */
#include <hv/mmio.h>

static int find(const struct hv_mmio_guard *g, uint64_t page)
{
	for (uint32_t i = 0; i < g->nr; i++)
		if (g->pages[i] == page)
			return (int)i;
	return -1;
}

void hv_mmio_guard_enroll(struct hv_mmio_bus *bus)
{
	bus->guard.enrolled = true;
}

hv_status_t hv_mmio_guard_map(struct hv_mmio_bus *bus, hv_ipa_t ipa)
{
	uint64_t a = hv_ipa_addr(ipa);
	struct hv_mmio_guard *g = &bus->guard;
	if (!hv_is_aligned(a, HV_PAGE_SIZE))
		return HV_ERR_INVALID;
	if (find(g, a) >= 0)
		return HV_OK;
	if (g->nr == HV_MMIO_GUARD_MAX)
		return HV_ERR_NO_MEMORY;
	g->pages[g->nr++] = a;
	return HV_OK;
}

hv_status_t hv_mmio_guard_unmap(struct hv_mmio_bus *bus, hv_ipa_t ipa)
{
	struct hv_mmio_guard *g = &bus->guard;
	int i = find(g, hv_ipa_addr(ipa));
	if (i < 0)
		return HV_ERR_NOT_FOUND;
	g->pages[i] = g->pages[--g->nr];
	return HV_OK;
}

bool hv_mmio_guard_allows(const struct hv_mmio_bus *bus, hv_ipa_t ipa)
{
	const struct hv_mmio_guard *g = &bus->guard;
	return !g->enrolled || find(g, hv_ipa_addr(ipa) & ~(HV_PAGE_SIZE - 1)) >= 0;
}
