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

struct vmm_ram {
	uint8_t *host; /* RAM as the VMM sees it */
	uint64_t base; /* guest-physical address of host[0] */
	uint64_t size;
};

/* 0 and *entry on success; -1 with a reason in err otherwise. */
int vmm_load_image(const struct vmm_ram *ram, const uint8_t *img, size_t len, uint64_t *entry,
                   char *err, size_t errlen);

#endif /* VMM_IMAGE_H */
