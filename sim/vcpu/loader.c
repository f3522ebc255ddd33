/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest image loading: ELF64 AArch64 executables (PT_LOAD segments, walked
 * and checked against the file by hostlib/elf_image.c, copied to their
 * physical addresses, the IPA with the guest's MMU off) or raw images
 * (copied to the start of RAM). Every segment is checked against guest RAM.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <hv/guest_dt.h>
#include <hv/mem.h>
#include "elf_image.h"
#include "sim_internal.h"

#define MAX_IMAGE_SIZE (UINT64_C(1) << 30)

static hv_status_t fail(char *err, size_t errlen, hv_status_t st, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return st;
}

/* The host writes the image into its pages for [ipa, ipa + len), then gives
 * those pages to the VM (the rest of RAM is paged in on demand). */
static hv_status_t give_pages(struct sim *sim, uint64_t ipa, uint64_t len)
{
	uint64_t start = ipa & ~(HV_PAGE_SIZE - 1);
	uint64_t end = (ipa + len + HV_PAGE_SIZE - 1) & ~(HV_PAGE_SIZE - 1);
	return len ? sim_mem_supply(sim, hv_ipa(start), end - start) : HV_OK;
}

hv_status_t sim_copy_to_ram(struct sim *sim, uint64_t ipa, const void *src, size_t len)
{
	if (ipa < sim->ram_base || len > sim->ram_size || ipa - sim->ram_base > sim->ram_size - len)
		return HV_ERR_RANGE;
	memcpy(sim->ram + (ipa - sim->ram_base), src, len);
	return give_pages(sim, ipa, len);
}

hv_status_t sim_read_guest(struct sim *sim, uint64_t ipa, void *buf, size_t len)
{
	/* Only what the VM's stage 2 maps; the read stays in one page. */
	uint8_t *host;
	if ((ipa & (HV_PAGE_SIZE - 1)) + len > HV_PAGE_SIZE || !sim_mem_host_page(sim, ipa, &host))
		return HV_ERR_FAULT;
	memcpy(buf, host + (ipa & (HV_PAGE_SIZE - 1)), len);
	return HV_OK;
}

static void note_extent(struct sim *sim, uint64_t ipa, uint64_t len)
{
	if (ipa + len > sim->image_end)
		sim->image_end = ipa + len;
}

hv_status_t sim_load_raw(struct sim *sim, const void *image, size_t len, uint64_t ipa)
{
	hv_status_t st = sim_copy_to_ram(sim, ipa, image, len);
	if (st == HV_OK) {
		sim->entry = ipa;
		note_extent(sim, ipa, len);
	}
	return st;
}

void sim_set_entry(struct sim *sim, uint64_t pc)
{
	sim->entry = pc;
}

struct placing {
	struct sim *sim;
	hv_status_t st; /* why a segment was refused */
};

static bool place_segment(void *arg, const struct elf_image_segment *seg, char *err, size_t errlen)
{
	struct placing *p = arg;
	struct sim *sim = p->sim;
	uint64_t base = seg->paddr;
	if (base < sim->ram_base || seg->memsz > sim->ram_size ||
	    base - sim->ram_base > sim->ram_size - seg->memsz) {
		p->st = fail(err, errlen, HV_ERR_RANGE,
		             "segment %u [0x%llx, +0x%llx) outside guest RAM [0x%llx, +0x%llx)",
		             seg->index, (unsigned long long)base, (unsigned long long)seg->memsz,
		             (unsigned long long)sim->ram_base, (unsigned long long)sim->ram_size);
		return false;
	}
	memcpy(sim->ram + (base - sim->ram_base), seg->data, seg->filesz);
	memset(sim->ram + (base - sim->ram_base) + seg->filesz, 0, seg->memsz - seg->filesz);
	hv_status_t st = give_pages(sim, base, seg->memsz);
	if (st != HV_OK) {
		p->st = fail(err, errlen, st, "segment %u: the VM refused its pages (%s)",
		             seg->index, hv_status_name(st));
		return false;
	}
	note_extent(sim, base, seg->memsz);
	return true;
}

static hv_status_t load_elf(struct sim *sim, const uint8_t *img, size_t len, char *err,
                            size_t errlen)
{
	struct placing p = {sim, HV_OK};
	uint64_t entry;
	if (!elf_image_load(img, len, place_segment, &p, &entry, err, errlen))
		return p.st != HV_OK ? p.st : HV_ERR_INVALID; /* refused, or malformed */
	if (entry & 3u)
		return fail(err, errlen, HV_ERR_RANGE,
		            "entry point 0x%llx not word aligned (A64 instructions are)",
		            (unsigned long long)entry);
	if (entry < sim->ram_base || entry - sim->ram_base >= sim->ram_size)
		return fail(err, errlen, HV_ERR_RANGE, "entry point 0x%llx outside guest RAM",
		            (unsigned long long)entry);
	sim->entry = entry;
	return HV_OK;
}

hv_status_t sim_load_file(struct sim *sim, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(err, errlen, HV_ERR_NOT_FOUND, "%s: %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f); /* opens, but reads fail: no input file */
		return fail(err, errlen, HV_ERR_NOT_FOUND, "%s: %s", path, strerror(EISDIR));
	}
	uint8_t *img = NULL;
	size_t len = 0, cap = 0;
	hv_status_t st = HV_OK;
	for (;;) {
		if (len == cap) {
			size_t ncap = cap ? cap * 2 : 65536;
			uint8_t *n = ncap <= MAX_IMAGE_SIZE ? realloc(img, ncap) : NULL;
			if (!n) {
				st = fail(err, errlen, HV_ERR_NO_MEMORY, "%s: image too large",
				          path);
				break;
			}
			img = n;
			cap = ncap;
		}
		size_t got = fread(img + len, 1, cap - len, f);
		len += got;
		if (got == 0) {
			if (ferror(f))
				st = fail(err, errlen, HV_ERR_FAULT, "%s: read error", path);
			break;
		}
	}
	fclose(f);
	if (st == HV_OK && len == 0)
		st = fail(err, errlen, HV_ERR_INVALID, "%s: empty file", path);
	if (st == HV_OK) {
		if (elf_image_is_elf(img, len))
			st = load_elf(sim, img, len, err, errlen);
		else if ((st = sim_load_raw(sim, img, len, sim->ram_base)) != HV_OK)
			fail(err, errlen, st, "%s: raw image of %zu bytes does not fit guest RAM",
			     path, len);
	}
	free(img);
	uint64_t dt = hv_guest_dt_ipa(sim->ram_base, sim->ram_size);
	if (st == HV_OK && sim->image_end > dt)
		st = fail(err, errlen, HV_ERR_RANGE,
		          "%s: the image reaches into the device tree's place, the last %llu "
		          "bytes of guest RAM (from 0x%llx)",
		          path, (unsigned long long)HV_GUEST_DT_SLOT, (unsigned long long)dt);
	return st;
}
