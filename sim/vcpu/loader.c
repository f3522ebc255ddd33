/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest image loading: ELF64 AArch64 executables (PT_LOAD segments copied to
 * their physical addresses, the IPA with the guest's MMU off) or raw images
 * (copied to the start of RAM). The file is untrusted: every offset and size
 * is checked against the file and against guest RAM.
 */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <hv/mem.h>
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

hv_status_t sim_load_raw(struct sim *sim, const void *image, size_t len, uint64_t ipa)
{
	hv_status_t st = sim_copy_to_ram(sim, ipa, image, len);
	if (st == HV_OK)
		sim->entry = ipa;
	return st;
}

void sim_set_entry(struct sim *sim, uint64_t pc)
{
	sim->entry = pc;
}

static hv_status_t load_elf(struct sim *sim, const uint8_t *img, size_t len, char *err,
                            size_t errlen)
{
	Elf64_Ehdr eh;
	if (len < sizeof(eh))
		return fail(err, errlen, HV_ERR_INVALID, "truncated ELF header");
	memcpy(&eh, img, sizeof(eh));
	if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB ||
	    eh.e_machine != EM_AARCH64 || eh.e_type != ET_EXEC)
		return fail(err, errlen, HV_ERR_INVALID,
		            "not a little-endian AArch64 ELF executable");
	if (eh.e_phentsize != sizeof(Elf64_Phdr) || eh.e_phnum == 0 || eh.e_phoff > len ||
	    (uint64_t)eh.e_phnum * sizeof(Elf64_Phdr) > len - eh.e_phoff)
		return fail(err, errlen, HV_ERR_INVALID, "bad program header table");
	unsigned loaded = 0;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		memcpy(&ph, img + eh.e_phoff + (size_t)i * sizeof(ph), sizeof(ph));
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_filesz > ph.p_memsz || ph.p_offset > len ||
		    ph.p_filesz > len - ph.p_offset)
			return fail(err, errlen, HV_ERR_INVALID, "segment %u outside the file", i);
		uint64_t base = ph.p_paddr;
		if (base < sim->ram_base || ph.p_memsz > sim->ram_size ||
		    base - sim->ram_base > sim->ram_size - ph.p_memsz)
			return fail(
			    err, errlen, HV_ERR_RANGE,
			    "segment %u [0x%llx, +0x%llx) outside guest RAM [0x%llx, +0x%llx)", i,
			    (unsigned long long)base, (unsigned long long)ph.p_memsz,
			    (unsigned long long)sim->ram_base, (unsigned long long)sim->ram_size);
		memcpy(sim->ram + (base - sim->ram_base), img + ph.p_offset, ph.p_filesz);
		memset(sim->ram + (base - sim->ram_base) + ph.p_filesz, 0,
		       ph.p_memsz - ph.p_filesz);
		hv_status_t st = give_pages(sim, base, ph.p_memsz);
		if (st != HV_OK)
			return fail(err, errlen, st, "segment %u: the VM refused its pages (%s)", i,
			            hv_status_name(st));
		loaded++;
	}
	if (!loaded)
		return fail(err, errlen, HV_ERR_INVALID, "no loadable segment");
	if ((eh.e_entry & 3u) || eh.e_entry < sim->ram_base ||
	    eh.e_entry - sim->ram_base >= sim->ram_size)
		return fail(err, errlen, HV_ERR_RANGE, "entry point 0x%llx outside guest RAM",
		            (unsigned long long)eh.e_entry);
	sim->entry = eh.e_entry;
	return HV_OK;
}

hv_status_t sim_load_file(struct sim *sim, const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return fail(err, errlen, HV_ERR_NOT_FOUND, "%s: %s", path, strerror(errno));
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
		if (len >= 4 && memcmp(img, ELFMAG, SELFMAG) == 0)
			st = load_elf(sim, img, len, err, errlen);
		else if ((st = sim_load_raw(sim, img, len, sim->ram_base)) != HV_OK)
			fail(err, errlen, st, "%s: raw image of %zu bytes does not fit guest RAM",
			     path, len);
	}
	free(img);
	return st;
}
