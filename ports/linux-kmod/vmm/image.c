/* SPDX-License-Identifier: Apache-2.0 */
/* Guest image and Linux Image loading (see image.h). */
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

int payload_boot_load(const struct vmm_ram *ram, const uint8_t *img, size_t len,
                      struct boot_layout *out, char *err, size_t errlen)
{
	if (ram->size <= LINUX_DT_SLOT)
		return fail(err, errlen, "guest RAM holds only the device tree");
	struct vmm_ram below = *ram;
	below.size -= LINUX_DT_SLOT;
	uint64_t entry = 0; /* set by a successful load; 0 keeps -O3 from doubting it */
	if (vmm_load_image(&below, img, len, &entry, err, errlen)) {
		size_t n = strlen(err);
		if (n < errlen)
			snprintf(err + n, errlen - n, " (the last 64 KiB hold the device tree)");
		return -1;
	}
	out->entry = entry;
	out->dt_gpa = ram->base + below.size;
	out->initrd_start = out->initrd_end = 0;
	return 0;
}

/* The arm64 Image header (booting.rst): little-endian fields at these
 * byte offsets; flags bit 0 set means a big-endian kernel. */
#define HDR_TEXT_OFFSET 8u
#define HDR_IMAGE_SIZE  16u
#define HDR_FLAGS       24u
#define HDR_MAGIC       56u
#define HDR_BYTES       64u
#define MAGIC           0x644d5241u /* "ARM\x64" */
#define PAGE            UINT64_C(4096)

static uint64_t le(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;
	while (bytes--)
		v = v << 8 | p[bytes];
	return v;
}

int linux_boot_load(const struct vmm_ram *ram, const uint8_t *kernel, size_t klen,
                    const uint8_t *initrd, size_t ilen, struct boot_layout *out, char *err,
                    size_t errlen)
{
	if (klen < HDR_BYTES || le(kernel + HDR_MAGIC, 4) != MAGIC)
		return fail(err, errlen, "not an arm64 Linux Image (no ARM\\x64 magic)");
	uint64_t text_offset = le(kernel + HDR_TEXT_OFFSET, 8);
	uint64_t image_size = le(kernel + HDR_IMAGE_SIZE, 8);
	if (le(kernel + HDR_FLAGS, 8) & 1)
		return fail(err, errlen, "a big-endian kernel");
	/* image_size 0: a kernel older than 3.17, whose size is unknown */
	if (image_size < klen || text_offset % PAGE)
		return fail(err, errlen, "Image header: image_size %#llx, text_offset %#llx",
		            (unsigned long long)image_size, (unsigned long long)text_offset);
	if (ram->size < LINUX_DT_SLOT || text_offset > ram->size - LINUX_DT_SLOT ||
	    image_size > ram->size - LINUX_DT_SLOT - text_offset)
		return fail(err, errlen,
		            "the Image (%#llx bytes) and its device tree do not fit in RAM",
		            (unsigned long long)image_size);
	uint64_t dt_off = ram->size - LINUX_DT_SLOT;
	uint64_t kernel_end = text_offset + image_size;
	uint64_t initrd_off = dt_off;
	if (ilen) {
		if (ilen > dt_off - kernel_end)
			return fail(err, errlen, "the initramfs (%zu bytes) does not fit in RAM",
			            ilen);
		initrd_off = (dt_off - ilen) & ~(PAGE - 1);
		if (initrd_off < kernel_end)
			return fail(err, errlen, "the initramfs (%zu bytes) does not fit in RAM",
			            ilen);
		memcpy(ram->host + initrd_off, initrd, ilen);
	}
	memcpy(ram->host + text_offset, kernel, klen);
	memset(ram->host + text_offset + klen, 0, image_size - klen); /* bss */
	out->entry = ram->base + text_offset;
	out->dt_gpa = ram->base + dt_off;
	out->initrd_start = ram->base + initrd_off;
	out->initrd_end = out->initrd_start + ilen;
	return 0;
}
