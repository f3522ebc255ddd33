/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hosted helpers shared by the runtimes that load guest images on a host
 * (sim/ and ports/linux-kmod/vmm): libc, so not in core/.
 *
 * The ELF64 AArch64 executable walk: the file is untrusted, so the header,
 * the program header table and every PT_LOAD segment are checked against
 * the file before the caller places a segment in guest RAM.
 */
#ifndef HOSTLIB_ELF_IMAGE_H
#define HOSTLIB_ELF_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One PT_LOAD segment, inside the file: data[0, filesz) then zeros up to
 * memsz, at guest-physical paddr. */
struct elf_image_segment {
	unsigned index; /* in the program header table */
	uint64_t paddr, filesz, memsz;
	const uint8_t *data;
};

/* Places a segment (checks it against RAM, copies it); false with a reason
 * in err to stop the load. */
typedef bool (*elf_image_place_fn)(void *arg, const struct elf_image_segment *seg, char *err,
                                   size_t errlen);

/* Loadable segments an image may have. */
#define ELF_IMAGE_MAX_SEGMENTS 64u

/* Does the image start with the ELF magic? */
bool elf_image_is_elf(const uint8_t *img, size_t len);

/*
 * Checks an ELF64 little-endian AArch64 ET_EXEC image and hands each
 * non-empty PT_LOAD segment to place, in order. true and *entry = e_entry
 * (unchecked: RAM is the caller's) when every segment was placed; false
 * with a reason in err for a malformed file, no loadable segment, more
 * than ELF_IMAGE_MAX_SEGMENTS, segments that overlap or wrap (nothing is
 * placed then), or a place that refused.
 */
bool elf_image_load(const uint8_t *img, size_t len, elf_image_place_fn place, void *arg,
                    uint64_t *entry, char *err, size_t errlen);

#endif
