/* SPDX-License-Identifier: Apache-2.0 */
/* Flattened device tree writer (fdt_writer.h). Layout (DT spec v0.4 5.1):
 * the 40-byte header, the memory reservation block (one terminating zero
 * entry, 8-byte aligned), the structure block (4-byte aligned tokens), the
 * strings block; all integers big-endian. */
#include "fdt_writer.h"

#define FDT_MAGIC       0xd00dfeedu
#define FDT_BEGIN_NODE  1u
#define FDT_END_NODE    2u
#define FDT_PROP        3u
#define FDT_END         9u
#define FDT_HEADER_SIZE 40u
#define FDT_RSVMAP_OFF  FDT_HEADER_SIZE
#define FDT_STRUCT_OFF  (FDT_RSVMAP_OFF + 16u) /* one zero {address, size} entry */
#define FDT_VERSION     17u
#define FDT_LAST_COMPAT 16u

void fdt_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

void fdt_put_be64(uint8_t *p, uint64_t v)
{
	fdt_put_be32(p, (uint32_t)(v >> 32));
	fdt_put_be32(p + 4, (uint32_t)v);
}

static size_t str_len(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return n;
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

void fdt_writer_init(struct fdt_writer *w, void *buf, size_t size)
{
	w->buf = buf;
	w->size = size;
	w->off = FDT_STRUCT_OFF;
	w->depth = 0;
	w->strings_len = 0;
	w->st = HV_OK;
	if (!buf || size < FDT_STRUCT_OFF || size > UINT32_MAX)
		w->st = size < FDT_STRUCT_OFF ? HV_ERR_NO_MEMORY : HV_ERR_INVALID;
	else
		hv_memset(buf, 0, FDT_STRUCT_OFF);
}

/* Room for len bytes (padded to 4) in the structure block, zero-filled. */
static uint8_t *reserve(struct fdt_writer *w, size_t len)
{
	size_t padded = (len + 3u) & ~(size_t)3u;
	if (w->st != HV_OK)
		return NULL;
	if (padded > w->size - w->off) {
		w->st = HV_ERR_NO_MEMORY;
		return NULL;
	}
	uint8_t *p = w->buf + w->off;
	hv_memset(p, 0, padded);
	w->off += padded;
	return p;
}

static void token(struct fdt_writer *w, uint32_t tok)
{
	uint8_t *p = reserve(w, 4);
	if (p)
		fdt_put_be32(p, tok);
}

void fdt_begin_node(struct fdt_writer *w, const char *name)
{
	token(w, FDT_BEGIN_NODE);
	size_t n = str_len(name);
	uint8_t *p = reserve(w, n + 1);
	if (p) {
		hv_memcpy(p, name, n);
		w->depth++;
	}
}

void fdt_end_node(struct fdt_writer *w)
{
	if (w->st == HV_OK && w->depth == 0)
		w->st = HV_ERR_INVALID;
	token(w, FDT_END_NODE);
	if (w->st == HV_OK)
		w->depth--;
}

/* Offset of `name` in the strings block, added once. */
static uint32_t name_offset(struct fdt_writer *w, const char *name)
{
	for (size_t at = 0; at < w->strings_len; at += str_len(w->strings + at) + 1)
		if (str_eq(w->strings + at, name))
			return (uint32_t)at;
	size_t n = str_len(name) + 1;
	if (n > FDT_WRITER_STRINGS_MAX - w->strings_len) {
		w->st = HV_ERR_NO_MEMORY;
		return 0;
	}
	hv_memcpy(w->strings + w->strings_len, name, n);
	w->strings_len += n;
	return (uint32_t)(w->strings_len - n);
}

void fdt_prop(struct fdt_writer *w, const char *name, const void *val, size_t len)
{
	if (w->st == HV_OK && len > UINT32_MAX)
		w->st = HV_ERR_INVALID;
	uint32_t nameoff = w->st == HV_OK ? name_offset(w, name) : 0;
	uint8_t *p = reserve(w, 12);
	if (!p)
		return;
	fdt_put_be32(p, FDT_PROP);
	fdt_put_be32(p + 4, (uint32_t)len);
	fdt_put_be32(p + 8, nameoff);
	uint8_t *v = reserve(w, len);
	if (v && len)
		hv_memcpy(v, val, len);
}

void fdt_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	uint8_t cell[4];
	fdt_put_be32(cell, v);
	fdt_prop(w, name, cell, sizeof(cell));
}

void fdt_prop_u64(struct fdt_writer *w, const char *name, uint64_t v)
{
	uint8_t cells[8];
	fdt_put_be64(cells, v);
	fdt_prop(w, name, cells, sizeof(cells));
}

void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s)
{
	fdt_prop(w, name, s, str_len(s) + 1);
}

hv_status_t fdt_writer_finish(struct fdt_writer *w)
{
	if (w->st == HV_OK && w->depth != 0)
		w->st = HV_ERR_INVALID;
	token(w, FDT_END);
	if (w->st == HV_OK && w->strings_len > w->size - w->off)
		w->st = HV_ERR_NO_MEMORY;
	if (w->st != HV_OK) {
		if (w->buf && w->size >= 4)
			hv_memset(w->buf, 0, 4); /* no magic: not a tree */
		return w->st;
	}
	size_t struct_size = w->off - FDT_STRUCT_OFF;
	hv_memcpy(w->buf + w->off, w->strings, w->strings_len);
	uint8_t *h = w->buf;
	fdt_put_be32(h + 0, FDT_MAGIC);
	fdt_put_be32(h + 4, (uint32_t)(w->off + w->strings_len)); /* totalsize */
	fdt_put_be32(h + 8, FDT_STRUCT_OFF);                      /* off_dt_struct */
	fdt_put_be32(h + 12, (uint32_t)w->off);                   /* off_dt_strings */
	fdt_put_be32(h + 16, FDT_RSVMAP_OFF);                     /* off_mem_rsvmap */
	fdt_put_be32(h + 20, FDT_VERSION);
	fdt_put_be32(h + 24, FDT_LAST_COMPAT);
	fdt_put_be32(h + 28, 0);                        /* boot_cpuid_phys */
	fdt_put_be32(h + 32, (uint32_t)w->strings_len); /* size_dt_strings */
	fdt_put_be32(h + 36, (uint32_t)struct_size);    /* size_dt_struct */
	return HV_OK;
}
