/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Platform discovery with Debian's libfdt (libfdt-dev:arm64's libfdt.a,
 * linked into the image). Bindings: Documentation/devicetree/bindings in
 * Linux for arm,gic-v3 (reg: GICD, then GICR regions; interrupts: the
 * maintenance PPI), arm,armv8-timer (interrupts: secure, non-secure, virtual,
 * hypervisor physical timer), arm,psci (method), cpus (reg = MPIDR).
 */
#include "fdt.h"

#include <libfdt.h>

/* Interrupt specifier of the GIC binding: type (0 SPI, 1 PPI), number, flags. */
#define GIC_SPEC_CELLS 3
#define GIC_SPEC_PPI   1u

static uint64_t read_cells(const fdt32_t *p, int cells)
{
	uint64_t v = 0;
	for (int i = 0; i < cells; i++)
		v = v << 32 | fdt32_ld(&p[i]);
	return v;
}

/* The index-th (address, size) pair of node's reg, with its parent's cells. */
static bool reg_range(const void *fdt, int node, int index, uint64_t *base, uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return false;
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent);
	if (ac < 1 || ac > 2 || sc < 0 || sc > 2)
		return false;
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int stride = (ac + sc) * 4;
	if (!reg || len < (index + 1) * stride)
		return false;
	reg += index * (ac + sc);
	*base = read_cells(reg, ac);
	*size = sc ? read_cells(reg + ac, sc) : 0;
	return true;
}

/* INTID of the index-th PPI specifier of node's "interrupts". */
static bool ppi(const void *fdt, int node, int index, uint32_t *intid)
{
	int len;
	const fdt32_t *irqs = fdt_getprop(fdt, node, "interrupts", &len);
	if (!irqs || len < (index + 1) * GIC_SPEC_CELLS * 4)
		return false;
	irqs += index * GIC_SPEC_CELLS;
	uint32_t type = fdt32_ld(&irqs[0]), num = fdt32_ld(&irqs[1]);
	if (type != GIC_SPEC_PPI || num >= 16)
		return false;
	*intid = 16 + num; /* GIC v3 spec 2.2: PPIs are INTIDs 16..31 */
	return true;
}

size_t el2_fdt_size(const void *dtb)
{
	return dtb && fdt_magic(dtb) == FDT_MAGIC ? fdt_totalsize(dtb) : 0;
}

static hv_status_t scan_cpus(const void *fdt, struct el2_platform *out)
{
	int cpus = fdt_path_offset(fdt, "/cpus");
	if (cpus < 0)
		return HV_ERR_NOT_FOUND;
	int node;
	fdt_for_each_subnode(node, fdt, cpus)
	{
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		if (!type || strcmp(type, "cpu") != 0)
			continue;
		int len;
		const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
		if (!reg || (len != 4 && len != 8))
			return HV_ERR_INVALID;
		if (out->nr_cpus < EL2_MAX_CPUS)
			out->cpu_mpidr[out->nr_cpus] = read_cells(reg, len / 4);
		out->nr_cpus++;
	}
	return out->nr_cpus ? HV_OK : HV_ERR_NOT_FOUND;
}

hv_status_t el2_fdt_scan(const void *fdt, struct el2_platform *out)
{
	if (!fdt || fdt_check_header(fdt) != 0)
		return HV_ERR_INVALID;
	hv_memset(out, 0, sizeof(*out));

	int mem = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory", sizeof("memory"));
	if (mem < 0 || !reg_range(fdt, mem, 0, &out->ram_base, &out->ram_size) || !out->ram_size)
		return HV_ERR_NOT_FOUND;

	uint64_t size;
	int uart = fdt_node_offset_by_compatible(fdt, -1, "arm,pl011");
	if (uart < 0 || !reg_range(fdt, uart, 0, &out->uart_base, &size))
		return HV_ERR_NOT_FOUND;

	int gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	if (gic < 0 || !reg_range(fdt, gic, 0, &out->gicd_base, &out->gicd_size) ||
	    !reg_range(fdt, gic, 1, &out->gicr_base, &out->gicr_size) ||
	    !ppi(fdt, gic, 0, &out->ppi_maintenance))
		return HV_ERR_NOT_FOUND;

	int timer = fdt_node_offset_by_compatible(fdt, -1, "arm,armv8-timer");
	if (timer < 0 || !ppi(fdt, timer, 2, &out->ppi_vtimer) ||
	    !ppi(fdt, timer, 3, &out->ppi_hyp_timer))
		return HV_ERR_NOT_FOUND;

	int psci = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	if (psci < 0)
		psci = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	if (psci >= 0) {
		const char *method = fdt_getprop(fdt, psci, "method", NULL);
		out->have_psci = method != NULL;
		out->psci_smc = method && strcmp(method, "smc") == 0;
	}

	int chosen = fdt_path_offset(fdt, "/chosen");
	if (chosen >= 0) {
		int len;
		const char *args = fdt_getprop(fdt, chosen, "bootargs", &len);
		if (args && len > 0 && args[len - 1] == '\0')
			out->bootargs = args;
	}
	return scan_cpus(fdt, out);
}
