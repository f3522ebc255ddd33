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
 * Placing a Linux kernel for gzvm-vmm (Linux's arm64 booting.rst): the
 * Image at text_offset from the start of RAM (a 2 MiB aligned base), its
 * device tree where every hvcore guest finds it (hv/guest_dt.h: the last
 * 64 KiB of RAM), the initramfs just below it, page aligned. The files are
 * untrusted: the header is checked and nothing may overlap or leave RAM.
 */
#define LINUX_DT_SLOT HV_GUEST_DT_SLOT

struct linux_layout {
	uint64_t entry;                    /* pc of the boot vCPU */
	uint64_t dt_gpa;                   /* x0: the device tree's slot */
	uint64_t initrd_start, initrd_end; /* equal when there is no initramfs */
};

/* Copies the Image and the initramfs (ilen 0: none) into RAM. 0, or -1
 * with a reason in err. */
int linux_boot_load(const struct vmm_ram *ram, const uint8_t *kernel, size_t klen,
                    const uint8_t *initrd, size_t ilen, struct linux_layout *out, char *err,
                    size_t errlen);

#endif /* VMM_IMAGE_H */
