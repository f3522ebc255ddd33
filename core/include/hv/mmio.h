/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The per-VM MMIO bus. Device models (vGIC distributor/redistributors, a
 * PL011, ...) claim IPA ranges with read/write callbacks and the access sizes
 * they accept. Exit dispatch routes every emulated guest load/store here; an
 * access no device claims becomes an MMIO exit to the host (hv/exit.h).
 *
 * The table is small, bounded and kept sorted by base, so a lookup is a short
 * scan with no allocation. Register devices while the VM is being built: the
 * bus takes no lock, so it must not change while vCPUs of the VM run.
 */
#ifndef HV_MMIO_H
#define HV_MMIO_H

#include <hv/types.h>

struct hv_vcpu;

#define HV_MMIO_MAX_DEVICES 16

/* Access sizes a device accepts: OR of the byte counts (1, 2, 4, 8). */
#define HV_MMIO_SIZE_8BIT  1u
#define HV_MMIO_SIZE_16BIT 2u
#define HV_MMIO_SIZE_32BIT 4u
#define HV_MMIO_SIZE_64BIT 8u
#define HV_MMIO_SIZES_ALL  0xfu

/* Region flags. By default an access must be naturally aligned. */
#define HV_MMIO_F_UNALIGNED_OK 1u
/* The device may be accessed on a runtime's fast path (hv_exit_fast_mmio):
 * its callbacks change nothing outside the device's own state but the
 * VM's interrupt state (through hv/vgic.h), read nothing a vCPU's list
 * registers or timer hold that the vGIC model does not, and an access
 * they do not complete (any status but HV_OK) changed nothing. */
#define HV_MMIO_F_FAST 2u

/*
 * Callbacks get the offset from the region's base and the access size in
 * bytes (one the region allows). A read returns the value zero-extended in
 * *value; a write gets the value in the low `size` bytes of `value`.
 * Return HV_OK when done; HV_ERR_NOT_FOUND to let the access go to the host
 * as if unclaimed; any other status makes the access an external abort
 * injected into the guest.
 */
typedef hv_status_t (*hv_mmio_read_fn)(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                       unsigned size, uint64_t *value);
typedef hv_status_t (*hv_mmio_write_fn)(struct hv_vcpu *vcpu, void *opaque, uint64_t offset,
                                        unsigned size, uint64_t value);

struct hv_mmio_region {
	hv_ipa_t base;
	uint64_t size;          /* bytes, > 0, [base, base+size) must not wrap */
	uint8_t access_sizes;   /* HV_MMIO_SIZE_* mask, non-zero */
	uint8_t flags;          /* HV_MMIO_F_* */
	hv_mmio_read_fn read;   /* NULL: reads are external aborts */
	hv_mmio_write_fn write; /* NULL: writes are external aborts */
	void *opaque;
};

/*
 * MMIO guard (the protected-guest ABI's MMIO_GUARD, pKVM numbering): once
 * the guest enrolls, an access no device on the bus claims goes to the host
 * only inside a page the guest guarded; anywhere else it is an external
 * abort injected into the guest (the host learns nothing of it).
 */
#define HV_MMIO_GUARD_MAX 64u /* guarded pages per VM */

struct hv_mmio_guard {
	bool enrolled;
	uint32_t nr;
	uint64_t pages[HV_MMIO_GUARD_MAX]; /* IPA of each guarded page */
};

struct hv_mmio_bus {
	uint32_t nr; /* regions in use, sorted by base, non-overlapping */
	struct hv_mmio_region regions[HV_MMIO_MAX_DEVICES];
	struct hv_mmio_guard guard;
};

/* Guard calls. Map: `ipa` page aligned (else HV_ERR_INVALID), already
 * guarded is HV_OK, HV_ERR_NO_MEMORY when HV_MMIO_GUARD_MAX are. Unmap:
 * HV_ERR_NOT_FOUND if not guarded. The caller checks that ipa is not RAM. */
void hv_mmio_guard_enroll(struct hv_mmio_bus *bus);
hv_status_t hv_mmio_guard_map(struct hv_mmio_bus *bus, hv_ipa_t ipa);
hv_status_t hv_mmio_guard_unmap(struct hv_mmio_bus *bus, hv_ipa_t ipa);
/* May an unclaimed access at ipa go to the host? */
bool hv_mmio_guard_allows(const struct hv_mmio_bus *bus, hv_ipa_t ipa);

/* Empty bus. */
void hv_mmio_bus_init(struct hv_mmio_bus *bus);

/*
 * Claim a range (the region is copied). HV_ERR_INVALID: size 0, no sizes,
 * unknown flags or sizes, wrap, or no callback at all; HV_ERR_EXISTS:
 * overlaps a registered region; HV_ERR_NO_MEMORY: table full.
 */
hv_status_t hv_mmio_bus_register(struct hv_mmio_bus *bus, const struct hv_mmio_region *region);

/* Release the region starting exactly at `base`. HV_ERR_NOT_FOUND if none. */
hv_status_t hv_mmio_bus_unregister(struct hv_mmio_bus *bus, hv_ipa_t base);

/* Region containing [ipa, ipa+size), or NULL if none contains all of it. */
const struct hv_mmio_region *hv_mmio_bus_find(const struct hv_mmio_bus *bus, hv_ipa_t ipa,
                                              unsigned size);

/*
 * Perform one access of `size` (1, 2, 4 or 8) bytes. Reads store the value in
 * *value (zero-extended). Returns HV_OK (done), HV_ERR_NOT_FOUND (unclaimed:
 * exit to the host), HV_ERR_INVALID (size or alignment the region refuses, or
 * no callback for that direction), or the device's error.
 */
hv_status_t hv_mmio_bus_access(const struct hv_mmio_bus *bus, struct hv_vcpu *vcpu, hv_ipa_t ipa,
                               unsigned size, bool is_write, uint64_t *value);

#endif /* HV_MMIO_H */
