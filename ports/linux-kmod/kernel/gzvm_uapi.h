/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * Validation of what userspace hands the /dev/gzvm ioctls, and the small
 * computations the driver makes on hypervisor answers: plain C over the
 * hv/abi.h layouts, no kernel API, so the same file is compiled into the
 * module and into a host unit test (tests/kmod/test_gzvm_uapi.c).
 *
 * Every check returns 0 or a negative errno (-EINVAL for a malformed or
 * reserved-but-set field, -EOPNOTSUPP for a defined feature this driver
 * does not offer). Nothing here has side effects.
 */
#ifndef GZVM_UAPI_H
#define GZVM_UAPI_H

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/types.h>
#else
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#endif
#include <hv/abi.h>

#define GZVM_PAGE_SHIFT 12
#define GZVM_PAGE_SIZE  ((uint64_t)1 << GZVM_PAGE_SHIFT)
/* GenieZone limit: pages per memslot. */
#define GZVM_SLOT_MAX_PAGES (((uint64_t)1 << 31) - 1)
/* Devicetree blobs are at most 2 MiB (Devicetree spec 5.2, Linux's limit). */
#define GZVM_DTB_MAX_SIZE ((uint64_t)2 << 20)

/* Hypervisor return code (a0) to errno. */
int gzvm_errno(int64_t hv_ret);

/* SET_USER_MEMORY_REGION on its own (slot, flags, alignment, size, wrap). */
int gzvm_check_memory_region(const struct hv_gzvm_userspace_memory_region *r);
/* Two guest-physical ranges [gpa, gpa + size) intersect. */
bool gzvm_ranges_overlap(uint64_t a_gpa, uint64_t a_size, uint64_t b_gpa, uint64_t b_size);

/* IRQ_LINE decoded: the SPI number (INTID num + 32, added by the
 * hypervisor), the irq word's vCPU and the level. SPIs only. */
struct gzvm_irq_line {
	uint32_t num;
	uint32_t vcpu;
	uint32_t level;
};
int gzvm_decode_irq_line(const struct hv_gzvm_irq_level *in, struct gzvm_irq_line *out);

/* IRQFD: flags, reserved fields, gsi range; *num = gsi (the SPI number). */
int gzvm_check_irqfd(const struct hv_gzvm_irqfd *in, uint32_t *num);

/* IOEVENTFD: flags, reserved fields, length, address wrap, datamatch fits. */
int gzvm_check_ioeventfd(const struct hv_gzvm_ioeventfd *in);
/* An MMIO write of `len` bytes (little-endian in data) to `addr` triggers it. */
bool gzvm_ioeventfd_matches(const struct hv_gzvm_ioeventfd *ev, uint64_t addr, uint64_t len,
                            const uint8_t data[8]);
/* Same registration for DEASSIGN purposes (address, length, match). */
bool gzvm_ioeventfd_same(const struct hv_gzvm_ioeventfd *a, const struct hv_gzvm_ioeventfd *b);

/* ENABLE_CAP from userspace: only BLOCK_BASED_DEMAND_PAGING (args[0] block
 * size: power of two, 8 KiB .. 2 MiB; args[1..4] zero). Returns the block
 * size in pages through *block_pages. */
int gzvm_check_enable_cap(const struct hv_gzvm_enable_cap *in, uint32_t *block_pages);
/* ENABLE_CAP PROTECTED_VM from userspace: SET_PROTECTED_VM only, other
 * arguments zero (passed on before any memslot; the hypervisor then takes
 * every page that enters the VM away from the host). */
int gzvm_check_protected_cap(const struct hv_gzvm_enable_cap *in);

/* CREATE_DEVICE: a vGICv3 distributor or redistributor, flags and
 * attributes zero, register frame page aligned and not wrapping. */
int gzvm_check_create_device(const struct hv_abi_create_device *in);

/* SET_DTB_CONFIG: a non-empty blob of at most 2 MiB, not wrapping. */
int gzvm_check_dtb_config(const struct hv_gzvm_dtb_config *in);

/* SET_ONE_REG: bytes to read from one_reg.addr (4 or 8) or -EINVAL. */
int gzvm_one_reg_size(uint64_t id);

/*
 * Demand paging: the pages to bring in for a fault on `gfn` in a memslot
 * [slot_gfn, slot_gfn + slot_pages), with blocks of `block_pages` (a power
 * of two; 1 = page by page): the aligned block around gfn clamped to the
 * slot. Returns false if gfn is outside the slot.
 */
bool gzvm_fault_range(uint64_t gfn, uint64_t slot_gfn, uint64_t slot_pages, uint32_t block_pages,
                      uint64_t *first_gfn, uint32_t *nr);

/* Vendor-hyp UID words (w0..w3) are this project's. */
bool gzvm_uid_is_ours(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3);

#endif /* GZVM_UAPI_H */
