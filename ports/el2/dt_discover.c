/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Device-tree discovery for every EL2 platform (dt_discover.h), with
 * libfdt. Runs once at boot, before any guest, on a tree fdt_check_full()
 * accepted; every property is still length-checked before it is read.
 */
#include "dt_discover.h"

#include <libfdt.h>

/* GIC binding, interrupt specifier cell 0: 0 SPI, 1 PPI (GICv3 spec 2.2:
 * PPIs are INTIDs 16..31, SPIs 32..1019). */
#define GIC_SPEC_SPI 0u
#define GIC_SPEC_PPI 1u

static hv_status_t fail(struct el2_dt_platform *out, hv_status_t st, const char *why)
{
	out->why = why;
	return st;
}

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_ld(&p[i]);
	return v;
}

static bool enabled(const void *fdt, int node)
{
	int len;
	const char *status = fdt_getprop(fdt, node, "status", &len);
	return !status || (len > 0 && status[len - 1] == '\0' &&
	                   (strcmp(status, "okay") == 0 || strcmp(status, "ok") == 0));
}

/* The first enabled node compatible with compat, or a negative value. */
static int find_compatible(const void *fdt, const char *compat)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, compat);
	while (node >= 0 && !enabled(fdt, node))
		node = fdt_node_offset_by_compatible(fdt, node, compat);
	return node;
}

static bool cells_ok(int cells, int max)
{
	return cells >= 0 && cells <= max;
}

/*
 * A bus address of node's reg, translated up to the root through the ranges
 * of every ancestor bus (an empty ranges is the identity; a bus without
 * ranges is not in the CPU's address space).
 */
static bool translate(const void *fdt, int node, uint64_t *addr)
{
	int bus = fdt_parent_offset(fdt, node);
	while (bus > 0) {
		int up = fdt_parent_offset(fdt, bus);
		if (up < 0)
			return false;
		int len;
		const fdt32_t *rng = fdt_getprop(fdt, bus, "ranges", &len);
		if (!rng)
			return false;
		if (len > 0) {
			int ca = fdt_address_cells(fdt, bus), pa = fdt_address_cells(fdt, up);
			int sc = fdt_size_cells(fdt, bus);
			if (!cells_ok(ca, 2) || !cells_ok(pa, 2) || !cells_ok(sc, 2) ||
			    ca + pa + sc == 0)
				return false;
			int step = ca + pa + sc, n = len / 4 / step;
			bool hit = false;
			for (int i = 0; i < n && !hit; i++, rng += step) {
				uint64_t c = read_cells(rng, ca), p = read_cells(rng + ca, pa);
				uint64_t s = read_cells(rng + ca + pa, sc);
				if (*addr >= c && *addr - c < s) {
					*addr = *addr - c + p;
					hit = true;
				}
			}
			if (!hit)
				return false;
		}
		bus = up;
	}
	return true;
}

/* Number of (address, size) pairs in node's reg, or -1 if malformed. */
static int reg_count(const void *fdt, int node)
{
	int parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return -1;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent), len;
	if (!cells_ok(ac, 2) || ac == 0 || !cells_ok(sc, 2))
		return -1;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return 0;
	return len / ((ac + sc) * 4);
}

/* The index-th (address, size) pair of node's reg, address translated. */
static bool reg_range(const void *fdt, int node, int index, struct el2_dt_range *r)
{
	int parent = fdt_parent_offset(fdt, node);
	if (parent < 0 || index >= reg_count(fdt, node))
		return false;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", NULL);
	reg += index * (ac + sc);
	r->base = read_cells(reg, ac);
	r->size = sc ? read_cells(reg + ac, sc) : 0;
	return translate(fdt, node, &r->base);
}

/* The node's interrupt parent (interrupt-parent on it or an ancestor). */
static int interrupt_parent(const void *fdt, int node)
{
	for (int n = node; n >= 0; n = fdt_parent_offset(fdt, n)) {
		int len;
		const fdt32_t *ph = fdt_getprop(fdt, n, "interrupt-parent", &len);
		if (ph && len == 4)
			return fdt_node_offset_by_phandle(fdt, fdt32_ld(ph));
		if (ph)
			return -FDT_ERR_BADVALUE;
		if (n == 0)
			break;
	}
	return -FDT_ERR_NOTFOUND;
}

/*
 * INTIDs of node's "interrupts" (GIC specifiers in the cells of its
 * interrupt parent: 3, or 4 with a PPI partition that does not change the
 * INTID); at most max of them. Returns how many, or -1 if malformed.
 */
static int intids(const void *fdt, int node, uint32_t *out, int max)
{
	int parent = interrupt_parent(fdt, node);
	if (parent < 0)
		return -1;
	int len;
	const fdt32_t *nc = fdt_getprop(fdt, parent, "#interrupt-cells", &len);
	if (!nc || len != 4)
		return -1;
	uint32_t cells = fdt32_ld(nc);
	if (cells != 3 && cells != 4)
		return -1;
	const fdt32_t *irq = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irq)
		return 0;
	int n = len / 4 / (int)cells;
	if (n > max)
		n = max;
	for (int i = 0; i < n; i++, irq += cells) {
		uint32_t type = fdt32_ld(&irq[0]), num = fdt32_ld(&irq[1]);
		if (type == GIC_SPEC_PPI && num < 16)
			out[i] = 16 + num;
		else if (type == GIC_SPEC_SPI && num < 988)
			out[i] = 32 + num;
		else
			return -1;
	}
	return n;
}

static bool is_gicv2(const void *fdt)
{
	static const char *const v2[] = {"arm,gic-400", "arm,cortex-a15-gic", "arm,cortex-a7-gic",
	                                 "arm,cortex-a9-gic", "arm,gic-v2"};
	for (size_t i = 0; i < sizeof(v2) / sizeof(v2[0]); i++)
		if (find_compatible(fdt, v2[i]) >= 0)
			return true;
	return false;
}

static hv_status_t scan_gic(const void *fdt, struct el2_dt_platform *out)
{
	int gic = find_compatible(fdt, "arm,gic-v3");
	if (gic < 0)
		return is_gicv2(fdt) ? fail(out, HV_ERR_NOT_SUPPORTED,
		                            "GICv2 (arm,gic-400): hvcore needs a GICv3")
		                     : fail(out, HV_ERR_NOT_FOUND, "no arm,gic-v3 node");
	int len;
	const fdt32_t *nc = fdt_getprop(fdt, gic, "#interrupt-cells", &len);
	if (!nc || len != 4 || (fdt32_ld(nc) != 3 && fdt32_ld(nc) != 4))
		return fail(out, HV_ERR_INVALID, "gic-v3: #interrupt-cells is not 3 or 4");
	out->gic_interrupt_cells = fdt32_ld(nc);
	uint32_t nr_gicr = 1;
	const fdt32_t *rr = fdt_getprop(fdt, gic, "#redistributor-regions", &len);
	if (rr && len == 4)
		nr_gicr = fdt32_ld(rr);
	if (nr_gicr == 0 || nr_gicr > EL2_DT_MAX_GICR)
		return fail(out, HV_ERR_RANGE, "gic-v3: #redistributor-regions is 0 or above 4");
	if (!reg_range(fdt, gic, 0, &out->gicd))
		return fail(out, HV_ERR_INVALID, "gic-v3: no distributor reg");
	for (uint32_t i = 0; i < nr_gicr; i++)
		if (!reg_range(fdt, gic, (int)i + 1, &out->gicr[i]) || !out->gicr[i].size)
			return fail(out, HV_ERR_INVALID,
			            "gic-v3: a redistributor region is missing");
	out->nr_gicr = nr_gicr;
	if (fdt_getprop(fdt, gic, "interrupts", NULL) &&
	    intids(fdt, gic, &out->ppi_maintenance, 1) != 1)
		return fail(out, HV_ERR_INVALID, "gic-v3: bad maintenance interrupt");
	return HV_OK;
}

static hv_status_t scan_timer(const void *fdt, struct el2_dt_platform *out)
{
	int timer = find_compatible(fdt, "arm,armv8-timer");
	if (timer < 0)
		return fail(out, HV_ERR_NOT_FOUND, "no arm,armv8-timer node");
	uint32_t ids[4];
	if (intids(fdt, timer, ids, 4) != 4)
		return fail(out, HV_ERR_INVALID, "timer: interrupts is not 4 valid specifiers");
	out->ppi_ptimer = ids[1];
	out->ppi_vtimer = ids[2];
	out->ppi_hyp_timer = ids[3];
	int len;
	const fdt32_t *freq = fdt_getprop(fdt, timer, "clock-frequency", &len);
	if (freq && len == 4)
		out->timer_freq = fdt32_ld(freq);
	return HV_OK;
}

static bool compatible_with(const void *fdt, int node, const char *compat)
{
	return fdt_node_check_compatible(fdt, node, compat) == 0;
}

static uint32_t u32_prop(const void *fdt, int node, const char *name, uint32_t dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);
	return p && len == 4 ? fdt32_ld(p) : dflt;
}

/* /chosen stdout-path ("serial0:921600n8" or "/soc/serial@..."): the node. */
static int stdout_node(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	if (chosen < 0)
		return -FDT_ERR_NOTFOUND;
	const char *sp = fdt_getprop(fdt, chosen, "stdout-path", &len);
	if (!sp || len < 2 || sp[len - 1] != '\0')
		return -FDT_ERR_NOTFOUND;
	int n = 0;
	while (n < len - 1 && sp[n] != ':')
		n++;
	if (sp[0] == '/')
		return fdt_path_offset_namelen(fdt, sp, n);
	const char *path = fdt_get_alias_namelen(fdt, sp, n);
	return path ? fdt_path_offset(fdt, path) : -FDT_ERR_NOTFOUND;
}

static hv_status_t scan_console(const void *fdt, struct el2_dt_platform *out)
{
	int node = stdout_node(fdt);
	if (node < 0)
		return HV_OK; /* no console named: kind NONE */
	struct el2_dt_range r;
	if (!reg_range(fdt, node, 0, &r))
		return fail(out, HV_ERR_INVALID, "console: no reg");
	out->console.base = r.base;
	if (compatible_with(fdt, node, "arm,pl011")) {
		out->console.kind = EL2_DT_CONSOLE_PL011;
		out->console.reg_shift = 2;
		out->console.io_width = 4;
	} else if (compatible_with(fdt, node, "mediatek,mt6577-uart")) {
		/* Linux 8250_mtk: UPIO_MEM32, registers at a 4-byte stride */
		out->console.kind = EL2_DT_CONSOLE_8250;
		out->console.reg_shift = 2;
		out->console.io_width = 4;
	} else if (compatible_with(fdt, node, "ns16550a") ||
	           compatible_with(fdt, node, "ns16550") || compatible_with(fdt, node, "ns8250") ||
	           compatible_with(fdt, node, "snps,dw-apb-uart")) {
		out->console.kind = EL2_DT_CONSOLE_8250;
		out->console.reg_shift = u32_prop(fdt, node, "reg-shift", 0);
		out->console.io_width = u32_prop(fdt, node, "reg-io-width", 1);
		if (out->console.reg_shift > 2 ||
		    (out->console.io_width != 1 && out->console.io_width != 4))
			return fail(out, HV_ERR_NOT_SUPPORTED,
			            "console: 8250 reg-shift/reg-io-width unsupported");
	} else {
		return fail(out, HV_ERR_NOT_SUPPORTED,
		            "console: stdout-path names an unsupported UART");
	}
	return HV_OK;
}

static void scan_psci(const void *fdt, struct el2_dt_platform *out)
{
	static const struct {
		const char *compat;
		uint32_t version;
	} versions[] = {{"arm,psci-1.0", 0x10000}, {"arm,psci-0.2", 0x2}, {"arm,psci", 0x1}};
	for (size_t i = 0; i < sizeof(versions) / sizeof(versions[0]); i++) {
		int node = find_compatible(fdt, versions[i].compat);
		if (node < 0)
			continue;
		int len;
		const char *method = fdt_getprop(fdt, node, "method", &len);
		if (!method || len < 1 || method[len - 1] != '\0')
			return;
		out->psci_version = versions[i].version;
		if (strcmp(method, "smc") == 0)
			out->psci = EL2_DT_PSCI_SMC;
		else if (strcmp(method, "hvc") == 0)
			out->psci = EL2_DT_PSCI_HVC;
		return;
	}
}

static bool device_type_is(const void *fdt, int node, const char *type)
{
	int len;
	const char *t = fdt_getprop(fdt, node, "device_type", &len);
	return t && len > 0 && t[len - 1] == '\0' && strcmp(t, type) == 0;
}

static hv_status_t scan_cpus(const void *fdt, struct el2_dt_platform *out)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return fail(out, HV_ERR_NOT_FOUND, "no /cpus");
	int ac = fdt_address_cells(fdt, cpus), node;
	if (ac != 1 && ac != 2)
		return fail(out, HV_ERR_INVALID, "/cpus: #address-cells is not 1 or 2");
	fdt_for_each_subnode(node, fdt, cpus)
	{
		if (!device_type_is(fdt, node, "cpu") || !enabled(fdt, node))
			continue;
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || len < ac * 4)
			return fail(out, HV_ERR_INVALID, "cpu: reg shorter than #address-cells");
		if (out->nr_cpus == EL2_DT_MAX_CPUS)
			return fail(out, HV_ERR_RANGE, "more than 16 CPUs");
		out->cpu_mpidr[out->nr_cpus++] = read_cells(reg, ac);
	}
	return out->nr_cpus ? HV_OK : fail(out, HV_ERR_NOT_FOUND, "no cpu under /cpus");
}

/* Appends node's non-empty reg ranges to list (capacity max). */
static hv_status_t add_ranges(const void *fdt, int node, struct el2_dt_range *list, uint32_t *nr,
                              uint32_t max, struct el2_dt_platform *out)
{
	int n = reg_count(fdt, node);
	if (n < 0)
		return fail(out, HV_ERR_INVALID, "bad #address-cells/#size-cells above a reg");
	for (int i = 0; i < n; i++) {
		struct el2_dt_range r;
		if (!reg_range(fdt, node, i, &r))
			return fail(out, HV_ERR_INVALID, "a memory reg is not translatable");
		if (!r.size)
			continue;
		if (*nr == max)
			return fail(out, HV_ERR_RANGE, "too many memory or no-map ranges");
		list[(*nr)++] = r;
	}
	return HV_OK;
}

static hv_status_t scan_memory(const void *fdt, struct el2_dt_platform *out)
{
	int node;
	hv_status_t st;
	fdt_for_each_subnode(node, fdt, 0)
	{
		if (!device_type_is(fdt, node, "memory") || !enabled(fdt, node))
			continue;
		st = add_ranges(fdt, node, out->mem, &out->nr_mem, EL2_DT_MAX_MEM, out);
		if (st != HV_OK)
			return st;
	}
	int rm = fdt_path_offset(fdt, "/reserved-memory");
	if (rm < 0)
		return HV_OK;
	fdt_for_each_subnode(node, fdt, rm)
	{
		if (!fdt_getprop(fdt, node, "no-map", NULL) || !enabled(fdt, node))
			continue;
		st = add_ranges(fdt, node, out->nomap, &out->nr_nomap, EL2_DT_MAX_NOMAP, out);
		if (st != HV_OK)
			return st;
	}
	return HV_OK;
}

/*
 * Every tag of the structure block in bounds, each one strictly after the
 * last (so every libfdt walk over it ends), nodes nested at most 64 deep
 * and all closed, every property's name inside the strings block.
 */
static bool structure_ok(const void *fdt)
{
	int offset = 0, next = 0, depth = 0;
	for (;;) {
		uint32_t tag = fdt_next_tag(fdt, offset, &next);
		if (next < 0 || (tag != FDT_END && next <= offset))
			return false;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (++depth > 64)
				return false;
			break;
		case FDT_END_NODE:
			if (--depth < 0)
				return false;
			break;
		case FDT_PROP: {
			const char *name = NULL;
			int len;
			if (depth < 1 || !fdt_getprop_by_offset(fdt, offset, &name, &len) || !name)
				return false;
			break;
		}
		case FDT_NOP: break;
		case FDT_END: return depth == 0;
		default: return false;
		}
		offset = next;
	}
}

bool el2_dt_check(const void *fdt, size_t bufsize)
{
	/* Version 17 trees only (what dtc, QEMU and bootloaders write), and our
	 * own walk of the structure instead of fdt_check_full, which in libfdt
	 * 1.6.1 dereferences NULL on some legacy headers and loops for ever on
	 * a property length that wraps the walk backwards (both found by
	 * fuzz_dt). */
	return fdt && bufsize >= sizeof(struct fdt_header) && fdt_check_header(fdt) == 0 &&
	       fdt_version(fdt) >= 17 && fdt_totalsize(fdt) <= bufsize && structure_ok(fdt);
}

hv_status_t el2_dt_discover_console(const void *fdt, size_t bufsize, struct el2_dt_platform *out)
{
	hv_memset(out, 0, sizeof(*out));
	if (!el2_dt_check(fdt, bufsize))
		return fail(out, HV_ERR_INVALID, "not a valid flattened device tree (version 17)");
	return scan_console(fdt, out);
}

hv_status_t el2_dt_discover(const void *fdt, size_t bufsize, struct el2_dt_platform *out)
{
	hv_memset(out, 0, sizeof(*out));
	if (!el2_dt_check(fdt, bufsize))
		return fail(out, HV_ERR_INVALID, "not a valid flattened device tree (version 17)");
	hv_status_t st = scan_gic(fdt, out);
	if (st == HV_OK)
		st = scan_timer(fdt, out);
	if (st == HV_OK)
		st = scan_memory(fdt, out);
	if (st == HV_OK)
		st = scan_cpus(fdt, out);
	if (st == HV_OK)
		st = scan_console(fdt, out);
	if (st != HV_OK)
		return st;
	scan_psci(fdt, out);
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	if (chosen >= 0) {
		const char *args = fdt_getprop(fdt, chosen, "bootargs", &len);
		if (args && len > 0 && args[len - 1] == '\0')
			out->bootargs = args;
	}
	return HV_OK;
}
