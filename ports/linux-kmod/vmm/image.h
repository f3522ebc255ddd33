/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest image loading into the VMM's RAM buffer: an ELF64 AArch64
 * executable (PT_LOAD segments at their physical addresses) or a raw image
 * (at the start of RAM, entry there). The file is untrusted: every offset
 * and size is checked against the file and against RAM.
 */
#ifndef VMM_IMAGE_H
#define VMM_IMAGE_H

#include <stddef.h>
#include <stdint.h>

#include <hv/guest_dt.h>

struct vmm_ram {
	uint8_t *host; /* RAM as the VMM sees it */
	uint64_t base; /* guest-physical address of host[0] */
	uint64_t size;
};

/* 0 and *entry on success; -1 with a reason in err otherwise. */
int vmm_load_image(const struct vmm_ram *ram, const uint8_t *img, size_t len, uint64_t *entry,
                   char *err, size_t errlen);

/*
 * Every guest of gzvm-vmm starts with the arm64 boot protocol (Linux's
 * booting.rst): x0 = the IPA of the device tree the VMM writes where every
 * hvcore guest finds it (hv/guest_dt.h: the last 64 KiB of RAM, which the
 * payload must leave free), x1..x3 = 0. RAM starts at 0x40000000 (board.h,
 * 2 MiB aligned).
 */
#define LINUX_DT_SLOT HV_GUEST_DT_SLOT

struct boot_layout {
	uint64_t entry;                    /* pc of the boot vCPU */
	uint64_t dt_gpa;                   /* x0: the device tree's slot */
	uint64_t initrd_start, initrd_end; /* equal when there is no initramfs */
};

/* Any payload (vmm_load_image: an ELF at its segments' addresses, a raw
 * image at the start of RAM), which must not reach the device tree's slot;
 * no initramfs. 0, or -1 with a reason in err. */
int payload_boot_load(const struct vmm_ram *ram, const uint8_t *img, size_t len,
                      struct boot_layout *out, char *err, size_t errlen);

/* A Linux kernel (--kernel): the Image at text_offset from the start of
 * RAM, the initramfs (ilen 0: none) just below the device tree, page
 * aligned. The files are untrusted: the header is checked and nothing may
 * overlap or leave RAM. 0, or -1 with a reason in err. */
int linux_boot_load(const struct vmm_ram *ram, const uint8_t *kernel, size_t klen,
                    const uint8_t *initrd, size_t ilen, struct boot_layout *out, char *err,
                    size_t errlen);

#endif /* VMM_IMAGE_H */
