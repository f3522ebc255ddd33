/* SPDX-License-Identifier: Apache-2.0 */
/* The ELF64 AArch64 executable walk (see elf_image.h). */
#include "elf_image.h"

#include <elf.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static bool fail(char *err, size_t errlen, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return false;
}

bool elf_image_is_elf(const uint8_t *img, size_t len)
{
	return len >= SELFMAG && memcmp(img, ELFMAG, SELFMAG) == 0;
}

bool elf_image_load(const uint8_t *img, size_t len, elf_image_place_fn place, void *arg,
                    uint64_t *entry, char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	if (len < sizeof(eh))
		return fail(err, errlen, "truncated ELF header");
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_AARCH64 || eh.e_type != ET_EXEC)
		return fail(err, errlen, "not a little-endian AArch64 ELF executable");
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return fail(err, errlen, "bad program header table");
	/* Every loadable segment is checked, against the file and against the
	 * others, before the first is placed: a refused image places nothing. */
	struct elf_image_segment segs[ELF_IMAGE_MAX_SEGMENTS];
	unsigned loaded = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, img + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset)
			return fail(err, errlen, "segment %u outside the file", i);
		if (ph.p_paddr + ph.p_memsz < ph.p_paddr)
			return fail(err, errlen, "segment %u wraps the address space", i);
		if (loaded == ELF_IMAGE_MAX_SEGMENTS)
			return fail(err, errlen, "more than %u loadable segments",
			            ELF_IMAGE_MAX_SEGMENTS);
		for (unsigned k = 0; k < loaded; k++)
			if (ph.p_paddr < segs[k].paddr + segs[k].memsz &&
			    segs[k].paddr < ph.p_paddr + ph.p_memsz)
				return fail(err, errlen, "segments %u and %u overlap",
				            segs[k].index, i);
		segs[loaded++] = (struct elf_image_segment){
		    .index = i,
		    .paddr = ph.p_paddr,
		    .filesz = ph.p_filesz,
		    .memsz = ph.p_memsz,
		    .data = img + ph.p_offset,
		};
	}
	for (unsigned k = 0; k < loaded; k++)
		if (!place(arg, &segs[k], err, errlen))
			return false;
	if (!loaded)
		return fail(err, errlen, "no loadable segment");
	*entry = eh.e_entry;
	return true;
}
