/* SPDX-License-Identifier: Apache-2.0 */
/* Guest image loading (see image.h). */
#include <elf.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "image.h"

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -1;
}

/* [gpa, gpa + size) lies inside RAM. */
static bool in_ram(const struct vmm_ram *ram, uint64_t gpa, uint64_t size)
{
	return gpa >= ram->base && size <= ram->size && gpa - ram->base <= ram->size - size;
}

static int load_elf(const struct vmm_ram *ram, const uint8_t *img, size_t len, uint64_t *entry,
                    char *err, size_t errlen)
{
	Elf64_Ehdr eh;
	unsigned int loaded = 0;

	if (len < sizeof(eh))
		return fail(err, errlen, "truncated ELF header");
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_AARCH64 || eh.e_type != ET_EXEC)
		return fail(err, errlen, "not a little-endian AArch64 ELF executable");
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return fail(err, errlen, "bad program header table");
	for (unsigned int i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;

		memcpy(&ph, img + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset)
			return fail(err, errlen, "segment %u outside the file", i);
		if (!in_ram(ram, ph.p_paddr, ph.p_memsz))
			return fail(err, errlen, "segment %u [%#llx, +%#llx) outside guest RAM", i,
			            (unsigned long long)ph.p_paddr, (unsigned long long)ph.p_memsz);
		uint8_t *dst = ram->host + (ph.p_paddr - ram->base);
		memcpy(dst, img + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		loaded++;
	}
	if (!loaded)
		return fail(err, errlen, "no loadable segment");
	if ((eh.e_entry & 3) || !in_ram(ram, eh.e_entry, 4))
		return fail(err, errlen, "entry point %#llx outside guest RAM",
		            (unsigned long long)eh.e_entry);
	*entry = eh.e_entry;
	return 0;
}

int vmm_load_image(const struct vmm_ram *ram, const uint8_t *img, size_t len, uint64_t *entry,
                   char *err, size_t errlen)
{
	if (len >= SELFMAG && memcmp(img, ELFMAG, SELFMAG) == 0)
		return load_elf(ram, img, len, entry, err, errlen);
	if (len == 0)
		return fail(err, errlen, "empty image");
	if (len > ram->size)
		return fail(err, errlen, "raw image of %zu bytes does not fit in %llu bytes of RAM",
		            len, (unsigned long long)ram->size);
	memcpy(ram->host, img, len);
	*entry = ram->base;
	return 0;
}
