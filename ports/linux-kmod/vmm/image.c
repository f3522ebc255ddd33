/* SPDX-License-Identifier: Apache-2.0 */
/* Guest image loading (see image.h). */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "elf_image.h"
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

static bool place_segment(void *arg, const struct elf_image_segment *seg, char *err, size_t errlen)
{
	const struct vmm_ram *ram = arg;
	if (!in_ram(ram, seg->paddr, seg->memsz)) {
		fail(err, errlen, "segment %u [%#llx, +%#llx) outside guest RAM", seg->index,
		     (unsigned long long)seg->paddr, (unsigned long long)seg->memsz);
		return false;
	}
	uint8_t *dst = ram->host + (seg->paddr - ram->base);
	memcpy(dst, seg->data, seg->filesz);
	memset(dst + seg->filesz, 0, seg->memsz - seg->filesz);
	return true;
}

static int load_elf(const struct vmm_ram *ram, const uint8_t *img, size_t len, uint64_t *entry,
                    char *err, size_t errlen)
{
	uint64_t e;
	if (!elf_image_load(img, len, place_segment, (void *)ram, &e, err, errlen))
		return -1;
	if ((e & 3) || !in_ram(ram, e, 4))
		return fail(err, errlen, "entry point %#llx outside guest RAM",
		            (unsigned long long)e);
	*entry = e;
	return 0;
}

int vmm_load_image(const struct vmm_ram *ram, const uint8_t *img, size_t len, uint64_t *entry,
                   char *err, size_t errlen)
{
	if (elf_image_is_elf(img, len))
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
