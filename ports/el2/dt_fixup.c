/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host device tree fixup (dt_fixup.h), with libfdt's read-write calls.
 * Phase 1 reads only: checks, and the exact room the edits take (libfdt's
 * layout rules: a node is its BEGIN_NODE tag, its name with NUL padded to 4
 * bytes and END_NODE; a property a 12-byte header and its value padded to 4;
 * a property name is added to the strings block unless the block already
 * holds it, as a whole string or the tail of one). Phase 2 writes, and
 * cannot run out of room.
 */
#include "dt_fixup.h"

#include <libfdt.h>

#include "dt_discover.h"

#define HYP_COMPATIBLE "mediatek,geniezone"
#define RSV_NAME       "hvcore@"
#define PAGE_MASK      0xfffull

static hv_status_t refuse(struct el2_dt_fixup *fx, hv_status_t st, const char *why)
{
	fx->why = why;
	return st;
}

static uint32_t pad4(uint32_t n)
{
	return (n + 3u) & ~3u;
}

static uint32_t node_bytes(const char *name)
{
	return 4 + pad4((uint32_t)strlen(name) + 1) + 4;
}

static uint32_t prop_bytes(uint32_t len)
{
	return 12 + pad4(len);
}

/* Bytes the strings block grows by for name (libfdt reuses any occurrence
 * of name with its NUL, also the tail of a longer string). */
static uint32_t string_bytes(const void *fdt, const char *name)
{
	const char *tab = (const char *)fdt + fdt_off_dt_strings(fdt);
	uint32_t size = fdt_size_dt_strings(fdt), len = (uint32_t)strlen(name) + 1;
	for (uint32_t i = 0; i + len <= size; i++)
		if (memcmp(tab + i, name, len) == 0)
			return 0;
	return len;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_ld(&p[i]);
	return v;
}

static bool overlaps(uint64_t base, uint64_t size, const struct el2_dt_fixup *fx)
{
	return size && base < fx->hyp_base + fx->hyp_size && fx->hyp_base < base + size &&
	       base + size > base;
}

/* "hvcore@" and the base in lower-case hex without leading zeros. */
static void reserved_name(char *out, uint64_t base)
{
	unsigned n = 0, digits = 1;
	while (digits < 16 && base >> (4 * digits))
		digits++;
	for (const char *p = RSV_NAME; *p; p++)
		out[n++] = *p;
	for (unsigned i = digits; i-- > 0;) {
		unsigned nib = (unsigned)(base >> (4 * i)) & 15u;
		out[n++] = (char)(nib < 10 ? '0' + nib : 'a' + nib - 10);
	}
	out[n] = '\0';
}

/* A node name starting "hvcore@" (a carveout of this hypervisor's). */
static bool is_ours(const char *name)
{
	for (unsigned i = 0; name && i < sizeof(RSV_NAME) - 1; i++)
		if (name[i] != RSV_NAME[i])
			return false; /* also at the name's NUL */
	return name != NULL;
}

/* One cell property of node equal to want. */
static bool cell_is(const void *fdt, int node, const char *name, int want)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	return p && len == 4 && fdt32_ld(p) == (uint32_t)want;
}

/* An existing /reserved-memory: its shape, and no child's reg meets ours. */
static hv_status_t check_reserved(const void *fdt, int rm, int ac, int sc, struct el2_dt_fixup *fx)
{
	int len;
	if (!cell_is(fdt, rm, "#address-cells", ac) || !cell_is(fdt, rm, "#size-cells", sc))
		return refuse(
		    fx, HV_ERR_INVALID,
		    "/reserved-memory: #address-cells/#size-cells differ from the root's");
	if (!fdt_getprop(fdt, rm, "ranges", &len) || len != 0)
		return refuse(fx, HV_ERR_INVALID, "/reserved-memory: ranges is not empty");
	int child;
	fdt_for_each_subnode(child, fdt, rm)
	{
		if (is_ours(fdt_get_name(fdt, child, NULL)))
			return refuse(
			    fx, HV_ERR_EXISTS,
			    "/reserved-memory already has a hypervisor's node (fixed twice)");
		const fdt32_t *reg = fdt_getprop(fdt, child, "reg", &len);
		if (!reg)
			continue; /* a dynamic (size-only) reservation: placed by the host */
		int step = (ac + sc) * 4;
		if (len % step)
			return refuse(fx, HV_ERR_INVALID,
			              "/reserved-memory: a child's reg is malformed");
		for (const fdt32_t *r = reg; r < reg + len / 4; r += ac + sc)
			if (overlaps(read_cells(r, ac), read_cells(r + ac, sc), fx))
				return refuse(
				    fx, HV_ERR_EXISTS,
				    "the hypervisor's memory overlaps a /reserved-memory region");
	}
	return HV_OK;
}

static hv_status_t check_range(const void *fdt, int ac, int sc, struct el2_dt_fixup *fx)
{
	uint64_t base = fx->hyp_base, size = fx->hyp_size;
	if (!size || (base | size) & PAGE_MASK || base + size < base)
		return refuse(fx, HV_ERR_INVALID, "hypervisor range empty, unaligned or wrapping");
	if ((ac == 1 && base + size - 1 > 0xffffffffull) || (sc == 1 && size > 0xffffffffull))
		return refuse(fx, HV_ERR_RANGE, "hypervisor range does not fit the root's cells");
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		uint64_t a, s;
		if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0 && overlaps(a, s, fx))
			return refuse(fx, HV_ERR_EXISTS,
			              "the hypervisor's memory overlaps a /memreserve/ entry");
	}
	return HV_OK;
}

/* Blocks in dtc's order (header, memory reservations, structure, strings)
 * with the strings last: the room libfdt edits in is what follows them. */
static bool usual_layout(const void *fdt)
{
	uint64_t rsv = fdt_off_mem_rsvmap(fdt), st = fdt_off_dt_struct(fdt);
	uint64_t str = fdt_off_dt_strings(fdt);
	int entries = fdt_num_mem_rsv(fdt); /* < 0: the map runs off the blob */
	return entries >= 0 && rsv >= fdt_header_size(fdt) &&
	       st >= rsv + ((uint64_t)entries + 1) * 16 && str >= st + fdt_size_dt_struct(fdt);
}

hv_status_t el2_dt_fixup_host(void *fdt, size_t bufsize, struct el2_dt_fixup *fx)
{
	fx->need = 0;
	fx->why = NULL;
	if (!el2_dt_check(fdt, bufsize))
		return refuse(fx, HV_ERR_INVALID, "not a valid device tree (version 17)");
	if (!usual_layout(fdt))
		return refuse(fx, HV_ERR_NOT_SUPPORTED,
		              "device tree blocks out of the usual order");
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return refuse(fx, HV_ERR_INVALID, "root #address-cells/#size-cells not 1 or 2");
	hv_status_t st = check_range(fdt, ac, sc, fx);
	if (st != HV_OK)
		return st;
	char name[sizeof(RSV_NAME) + 16];
	reserved_name(name, fx->hyp_base);
	uint32_t grow = node_bytes(name) + prop_bytes(4u * (uint32_t)(ac + sc)) + prop_bytes(0) +
	                string_bytes(fdt, "reg") + string_bytes(fdt, "no-map");
	int rm = fdt_path_offset(fdt, "/reserved-memory");
	if (rm >= 0) {
		if ((st = check_reserved(fdt, rm, ac, sc, fx)) != HV_OK)
			return st;
	} else {
		grow += node_bytes("reserved-memory") + 2 * prop_bytes(4) + prop_bytes(0) +
		        string_bytes(fdt, "#address-cells") + string_bytes(fdt, "#size-cells") +
		        string_bytes(fdt, "ranges");
	}
	int hyp = fdt_path_offset(fdt, "/hypervisor");
	if (hyp >= 0 && fdt_node_check_compatible(fdt, hyp, HYP_COMPATIBLE) != 0)
		return refuse(fx, HV_ERR_EXISTS,
		              "/hypervisor exists and is not mediatek,geniezone");
	if (hyp < 0)
		grow += node_bytes("hypervisor") + prop_bytes(sizeof(HYP_COMPATIBLE)) +
		        string_bytes(fdt, "compatible");
	/* The edits shift what follows them up to the strings' end; padding
	 * beyond it (a bootloader's) is room already. */
	uint64_t need = (uint64_t)fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt) + grow;
	if (need < fdt_totalsize(fdt))
		need = fdt_totalsize(fdt);
	fx->need = (size_t)need;
	if (need > bufsize)
		return refuse(fx, HV_ERR_NO_MEMORY, "no room in the buffer for the new nodes");

	/* Phase 2: the room is there, every check passed. */
	fdt32_t reg[4];
	for (int i = 0; i < ac; i++)
		reg[i] = cpu_to_fdt32((uint32_t)(fx->hyp_base >> (32 * (ac - 1 - i))));
	for (int i = 0; i < sc; i++)
		reg[ac + i] = cpu_to_fdt32((uint32_t)(fx->hyp_size >> (32 * (sc - 1 - i))));
	int err = fdt_open_into(fdt, fdt, (int)need);
	if (!err && rm < 0) {
		rm = fdt_add_subnode(fdt, 0, "reserved-memory");
		err = rm < 0 ? rm : fdt_setprop_u32(fdt, rm, "#address-cells", (uint32_t)ac);
		err = err ? err : fdt_setprop_u32(fdt, rm, "#size-cells", (uint32_t)sc);
		err = err ? err : fdt_setprop_empty(fdt, rm, "ranges");
	}
	int node = err ? err : fdt_add_subnode(fdt, rm, name);
	err = node < 0 ? node : fdt_setprop(fdt, node, "reg", reg, 4 * (ac + sc));
	err = err ? err : fdt_setprop_empty(fdt, node, "no-map");
	if (!err && hyp < 0) {
		hyp = fdt_add_subnode(fdt, 0, "hypervisor");
		err = hyp < 0 ? hyp : fdt_setprop_string(fdt, hyp, "compatible", HYP_COMPATIBLE);
	}
	/* Only a wrong room computation gets here: a bug, said as one. */
	return err ? refuse(fx, HV_ERR_STATE, "internal: the fixup's room was miscomputed") : HV_OK;
}
