/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small read-only scanner of the flattened device tree (Devicetree
 * Specification v0.4, chapter 5: header, structure block tokens
 * FDT_BEGIN_NODE 1, FDT_END_NODE 2, FDT_PROP 3, FDT_NOP 4, FDT_END 9; all
 * big-endian). It assumes #address-cells = #size-cells = 2 for the nodes it
 * reads, as QEMU's virt board has. Debian's libfdt is built for a hosted
 * system only; a freestanding libfdt build is left for later.
 */
#include "fdt.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define MAX_DEPTH      8

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t be64(const uint8_t *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool prefix(const char *s, const char *p)
{
	while (*p && *s == *p)
		s++, p++;
	return *p == 0;
}

/* Does a "compatible" string list contain `want`? */
static bool list_has(const uint8_t *v, uint32_t len, const char *want)
{
	uint32_t i = 0;
	while (i < len) {
		const char *s = (const char *)v + i;
		if (str_eq(s, want))
			return true;
		while (i < len && v[i])
			i++;
		i++;
	}
	return false;
}

hv_status_t el2_fdt_scan(const void *dtb, struct el2_platform *out)
{
	const uint8_t *b = dtb;
	if (!b || be32(b) != FDT_MAGIC)
		return HV_ERR_INVALID;
	uint32_t total = be32(b + 4), off_struct = be32(b + 8), off_strings = be32(b + 12);
	uint32_t size_struct = be32(b + 36);
	if (off_struct >= total || size_struct > total - off_struct || off_strings >= total)
		return HV_ERR_INVALID;
	hv_memset(out, 0, sizeof(*out));

	const uint8_t *p = b + off_struct, *end = p + size_struct;
	const char *names[MAX_DEPTH] = {0};
	int depth = -1;
	/* Per-node facts, per depth: properties come before subnodes. */
	struct node {
		const uint8_t *reg;
		uint32_t reg_len;
		bool pl011, gic, memory, psci;
	} st[MAX_DEPTH];
	struct node *n = NULL;

	while (p + 4 <= end) {
		uint32_t tok = be32(p);
		p += 4;
		if (tok == FDT_BEGIN_NODE) {
			const char *name = (const char *)p;
			uint32_t len = 0;
			while (p + len < end && p[len])
				len++;
			p += (len + 4) & ~3u;
			if (++depth >= MAX_DEPTH)
				return HV_ERR_INVALID;
			names[depth] = name;
			n = &st[depth];
			hv_memset(n, 0, sizeof(*n));
			n->memory = depth == 1 && prefix(name, "memory");
			n->psci = depth == 1 && (str_eq(name, "psci") || prefix(name, "psci@"));
			if (depth == 2 && str_eq(names[1], "cpus") && prefix(name, "cpu@"))
				out->nr_cpus++;
		} else if (tok == FDT_PROP) {
			if (p + 8 > end || !n)
				return HV_ERR_INVALID;
			uint32_t len = be32(p), nameoff = be32(p + 4);
			const uint8_t *val = p + 8;
			if (val + len > end || off_strings + nameoff >= total)
				return HV_ERR_INVALID;
			const char *pname = (const char *)b + off_strings + nameoff;
			if (str_eq(pname, "reg")) {
				n->reg = val;
				n->reg_len = len;
			} else if (str_eq(pname, "compatible")) {
				n->pl011 |= list_has(val, len, "arm,pl011");
				n->gic |= list_has(val, len, "arm,gic-v3");
				n->psci |= list_has(val, len, "arm,psci-1.0") ||
				           list_has(val, len, "arm,psci-0.2");
			} else if (str_eq(pname, "bootargs") && depth == 1 &&
			           str_eq(names[1], "chosen") && len > 0 && val[len - 1] == 0) {
				out->bootargs = (const char *)val;
			} else if (str_eq(pname, "method") && n->psci) {
				out->have_psci = true;
				out->psci_smc = list_has(val, len, "smc");
			}
			p = val + ((len + 3) & ~3u);
		} else if (tok == FDT_END_NODE) {
			if (!n)
				return HV_ERR_INVALID;
			if (n->reg && n->reg_len >= 16) {
				if (n->pl011 && !out->uart_base)
					out->uart_base = be64(n->reg);
				if (n->memory && !out->ram_size) {
					out->ram_base = be64(n->reg);
					out->ram_size = be64(n->reg + 8);
				}
				if (n->gic && n->reg_len >= 32) {
					out->gicd_base = be64(n->reg);
					out->gicr_base = be64(n->reg + 16);
				}
			}
			depth--;
			n = depth >= 0 ? &st[depth] : NULL;
		} else if (tok == FDT_END) {
			break;
		} else if (tok != FDT_NOP) {
			return HV_ERR_INVALID;
		}
	}
	return out->uart_base && out->ram_size ? HV_OK : HV_ERR_NOT_FOUND;
}
