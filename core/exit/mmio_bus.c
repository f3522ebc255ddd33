/* SPDX-License-Identifier: Apache-2.0 */
/* The per-VM MMIO bus: a small table of device ranges sorted by base. */
#include <hv/mmio.h>

void hv_mmio_bus_init(struct hv_mmio_bus *bus)
{
	hv_memset(bus, 0, sizeof(*bus));
}

static bool region_valid(const struct hv_mmio_region *r)
{
	if (r->size == 0 || hv_range_wraps(hv_ipa_addr(r->base), r->size))
		return false;
	if (r->access_sizes == 0 || (r->access_sizes & ~HV_MMIO_SIZES_ALL))
		return false;
	if (r->flags & ~(HV_MMIO_F_UNALIGNED_OK | HV_MMIO_F_FAST))
		return false;
	return r->read || r->write;
}

/* Last byte of a region, inclusive (never wraps once validated). */
static uint64_t region_last(const struct hv_mmio_region *r)
{
	return hv_ipa_addr(r->base) + r->size - 1;
}

hv_status_t hv_mmio_bus_register(struct hv_mmio_bus *bus, const struct hv_mmio_region *region)
{
	if (!region_valid(region))
		return HV_ERR_INVALID;
	uint64_t base = hv_ipa_addr(region->base);
	uint64_t last = region_last(region);
	uint32_t pos = 0;
	while (pos < bus->nr && hv_ipa_addr(bus->regions[pos].base) < base)
		pos++;
	if (pos > 0 && region_last(&bus->regions[pos - 1]) >= base)
		return HV_ERR_EXISTS;
	if (pos < bus->nr && hv_ipa_addr(bus->regions[pos].base) <= last)
		return HV_ERR_EXISTS;
	if (bus->nr == HV_MMIO_MAX_DEVICES)
		return HV_ERR_NO_MEMORY;
	for (uint32_t i = bus->nr; i > pos; i--)
		bus->regions[i] = bus->regions[i - 1];
	bus->regions[pos] = *region;
	bus->nr++;
	return HV_OK;
}

hv_status_t hv_mmio_bus_unregister(struct hv_mmio_bus *bus, hv_ipa_t base)
{
	for (uint32_t i = 0; i < bus->nr; i++) {
		if (hv_ipa_addr(bus->regions[i].base) != hv_ipa_addr(base))
			continue;
		for (uint32_t j = i; j + 1 < bus->nr; j++)
			bus->regions[j] = bus->regions[j + 1];
		bus->nr--;
		hv_memset(&bus->regions[bus->nr], 0, sizeof(bus->regions[0]));
		return HV_OK;
	}
	return HV_ERR_NOT_FOUND;
}

const struct hv_mmio_region *hv_mmio_bus_find(const struct hv_mmio_bus *bus, hv_ipa_t ipa,
                                              unsigned size)
{
	uint64_t addr = hv_ipa_addr(ipa);
	if (size == 0 || hv_range_wraps(addr, size))
		return NULL;
	uint64_t last = addr + size - 1;
	uint32_t nr = bus->nr < HV_MMIO_MAX_DEVICES ? bus->nr : HV_MMIO_MAX_DEVICES;
	for (uint32_t i = 0; i < nr; i++) {
		const struct hv_mmio_region *r = &bus->regions[i];
		if (addr < hv_ipa_addr(r->base))
			return NULL; /* sorted: nothing further can contain it */
		if (last <= region_last(r))
			return r;
	}
	return NULL;
}

hv_status_t hv_mmio_bus_access(const struct hv_mmio_bus *bus, struct hv_vcpu *vcpu, hv_ipa_t ipa,
                               unsigned size, bool is_write, uint64_t *value)
{
	const struct hv_mmio_region *r = hv_mmio_bus_find(bus, ipa, size);
	if (!r)
		return HV_ERR_NOT_FOUND;
	uint64_t offset = hv_ipa_addr(ipa) - hv_ipa_addr(r->base);
	if (size > 8 || (size & (size - 1)) || !(r->access_sizes & size))
		return HV_ERR_INVALID;
	if (!(r->flags & HV_MMIO_F_UNALIGNED_OK) && !hv_is_aligned(hv_ipa_addr(ipa), size))
		return HV_ERR_INVALID;
	if (is_write) {
		if (!r->write)
			return HV_ERR_INVALID;
		uint64_t data = *value;
		if (size < 8)
			data &= (UINT64_C(1) << (size * 8)) - 1;
		return r->write(vcpu, r->opaque, offset, size, data);
	}
	if (!r->read)
		return HV_ERR_INVALID;
	uint64_t data = 0;
	hv_status_t st = r->read(vcpu, r->opaque, offset, size, &data);
	if (st != HV_OK)
		return st;
	if (size < 8)
		data &= (UINT64_C(1) << (size * 8)) - 1;
	*value = data;
	return HV_OK;
}
