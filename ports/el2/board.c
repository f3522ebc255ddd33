/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The board as the runtime drives it: the device-tree discovery
 * (dt_discover.c) narrowed to the first RAM range, the console UART, the
 * GICv3's distributor and every redistributor region, the timer PPIs,
 * PSCI, CPUs. Which console kinds a platform accepts is its own (platform.h).
 */
#include "board.h"

#include <libfdt.h>

#include "dt_discover.h"

size_t el2_fdt_size(const void *dtb)
{
	return dtb && fdt_magic(dtb) == FDT_MAGIC ? fdt_totalsize(dtb) : 0;
}

hv_status_t el2_fdt_scan(const void *fdt, struct el2_board *out)
{
	static struct el2_dt_platform dt; /* boot only, one CPU: not on the small EL2 stack */
	hv_memset(out, 0, sizeof(*out));
	size_t size = el2_fdt_size(fdt);
	if (!size)
		return HV_ERR_INVALID;
	hv_status_t st = el2_dt_discover(fdt, size, &dt);
	if (st != HV_OK)
		return st;
	if (!dt.nr_mem || !dt.ppi_maintenance)
		return HV_ERR_NOT_FOUND;
	out->ram_base = dt.mem[0].base;
	out->ram_size = dt.mem[0].size;
	el2_uart_from_dt(&out->console, &dt);
	out->gicd_base = dt.gicd.base;
	out->gicd_size = dt.gicd.size;
	out->nr_gicr = dt.nr_gicr;
	for (uint32_t i = 0; i < dt.nr_gicr && i < EL2_DT_MAX_GICR; i++)
		out->gicr[i] = dt.gicr[i];
	out->ppi_maintenance = dt.ppi_maintenance;
	out->ppi_hyp_timer = dt.ppi_hyp_timer;
	out->ppi_vtimer = dt.ppi_vtimer;
	out->have_psci = dt.psci != EL2_DT_PSCI_NONE;
	out->psci_smc = dt.psci == EL2_DT_PSCI_SMC;
	out->nr_cpus = dt.nr_cpus;
	for (uint32_t i = 0; i < dt.nr_cpus && i < EL2_MAX_CPUS; i++)
		out->cpu_mpidr[i] = dt.cpu_mpidr[i];
	out->bootargs = dt.bootargs;
	out->nr_nomap = dt.nr_nomap;
	for (uint32_t i = 0; i < dt.nr_nomap && i < EL2_DT_MAX_NOMAP; i++)
		out->nomap[i] = dt.nomap[i];
	return HV_OK;
}
