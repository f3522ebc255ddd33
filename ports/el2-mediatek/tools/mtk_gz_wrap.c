/* SPDX-License-Identifier: Apache-2.0 */
/*
 * mtk_gz_wrap: a host tool that writes OUTPUT = MediaTek's 512-byte
 * partition header (part_header.h) + INPUT, byte for byte: the container
 * the phone flow (mode B) reads from the `gz` partition.
 *
 *   mtk_gz_wrap INPUT OUTPUT NAME LOAD_ADDRESS [ALIGN]
 *
 * NAME is at most 31 characters ("gz"); LOAD_ADDRESS (the header's maddr)
 * and ALIGN (align_size, a power of two, default 16) are decimal or 0x
 * hex. On any error it says why, exits 1 and leaves no OUTPUT: the file is
 * written under a temporary name and renamed only when complete.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "part_header.h"

static int fail(const char *what, const char *arg)
{
	fprintf(stderr, "mtk_gz_wrap: %s%s%s\n", what, arg ? ": " : "", arg ? arg : "");
	return 1;
}

/* A whole unsigned number, decimal or 0x hex: it must start with a digit
 * (strtoull alone would take leading blanks and a sign) and end with one. */
static bool parse_u64(const char *s, uint64_t *out)
{
	if (!isdigit((unsigned char)s[0]))
		return false;
	char *end;
	errno = 0;
	*out = strtoull(s, &end, 0);
	return !errno && end != s && !*end;
}

/* INPUT's bytes in a malloc'd buffer, or NULL (errno set; ENODATA: empty). */
static uint8_t *read_all(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	uint8_t *buf = malloc(cap);
	while (buf) {
		len += fread(buf + len, 1, cap - len, f);
		if (len < cap)
			break;
		uint8_t *more = realloc(buf, cap * 2);
		if (!more) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = more;
		cap *= 2;
	}
	bool bad = ferror(f);
	fclose(f);
	if (buf && (bad || len == 0)) {
		free(buf);
		errno = bad ? EIO : ENODATA;
		return NULL;
	}
	*size = len;
	return buf;
}

static bool write_all(const char *path, const uint8_t *hdr, const uint8_t *payload, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return false;
	bool ok = fwrite(hdr, 1, MTK_PART_HEADER_SIZE, f) == MTK_PART_HEADER_SIZE &&
	          fwrite(payload, 1, size, f) == size;
	return fclose(f) == 0 && ok;
}

int main(int argc, char **argv)
{
	if (argc != 5 && argc != 6)
		return fail("usage: mtk_gz_wrap INPUT OUTPUT NAME LOAD_ADDRESS [ALIGN]", NULL);
	const char *in = argv[1], *out = argv[2], *name = argv[3];
	if (!name[0] || strlen(name) >= MTK_PART_NAME_LEN)
		return fail("the name must be 1 to 31 characters", name);
	uint64_t load, align = 16;
	if (!parse_u64(argv[4], &load))
		return fail("the load address is not a number", argv[4]);
	if (argc == 6 &&
	    (!parse_u64(argv[5], &align) || !align || align > 0x80000000u || (align & (align - 1))))
		return fail("the alignment is not a power of two up to 0x80000000", argv[5]);

	size_t size;
	uint8_t *payload = read_all(in, &size);
	if (!payload)
		return fail(errno == ENODATA ? "the input is empty" : strerror(errno), in);
	uint8_t hdr[MTK_PART_HEADER_SIZE];
	struct mtk_part_image img = {
	    .name = name, .size = size, .load_addr = load, .align = (uint32_t)align, .last = true};
	if (mtk_part_header_write(hdr, &img) != HV_OK) {
		free(payload);
		return fail("the header writer refused the name", name);
	}

	size_t tmp_len = strlen(out) + sizeof(".part");
	char *tmp = malloc(tmp_len);
	bool ok = tmp && snprintf(tmp, tmp_len, "%s.part", out) > 0 &&
	          write_all(tmp, hdr, payload, size) && rename(tmp, out) == 0;
	int err = errno;
	if (!ok && tmp)
		remove(tmp);
	free(tmp);
	free(payload);
	if (!ok)
		return fail(strerror(err), out);
	return 0;
}
