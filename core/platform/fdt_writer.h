/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A sequential writer of flattened device trees (Devicetree Specification
 * v0.4, chapter 5: header, empty memory reservation block, structure block
 * of BEGIN_NODE/PROP/END_NODE tokens, strings block), version 17. Errors
 * are sticky: after the first one every call does nothing and
 * fdt_writer_finish reports it.
 */
#ifndef HV_PLATFORM_FDT_WRITER_H
#define HV_PLATFORM_FDT_WRITER_H

#include <hv/types.h>

#define FDT_WRITER_STRINGS_MAX 512u

struct fdt_writer {
	uint8_t *buf;
	size_t size;
	size_t off; /* end of the structure block so far */
	unsigned depth;
	size_t strings_len;
	char strings[FDT_WRITER_STRINGS_MAX]; /* property names, deduplicated */
	hv_status_t st;
};

void fdt_writer_init(struct fdt_writer *w, void *buf, size_t size);
void fdt_begin_node(struct fdt_writer *w, const char *name);
void fdt_end_node(struct fdt_writer *w);
void fdt_prop(struct fdt_writer *w, const char *name, const void *val, size_t len);
void fdt_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
void fdt_prop_u64(struct fdt_writer *w, const char *name, uint64_t v);
void fdt_prop_string(struct fdt_writer *w, const char *name, const char *s);
/* Values are big-endian cells: store v at p in that order. */
void fdt_put_be32(uint8_t *p, uint32_t v);
void fdt_put_be64(uint8_t *p, uint64_t v);
/* Close the tree: HV_OK and the blob in buf, or the first error
 * (HV_ERR_NO_MEMORY: it did not fit; HV_ERR_INVALID: unbalanced nodes). */
hv_status_t fdt_writer_finish(struct fdt_writer *w);

#endif
