/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared EL2 device-tree discovery (ports/el2/dt_discover.c) under
 * hostile trees: the input is the blob. Checks: no crash or out-of-bounds
 * read (ASan), a refusal always says why, and an accepted tree yields a
 * description within its limits (counts, cells, INTIDs, console layout,
 * bootargs a NUL-ended string inside the blob). Seeds: QEMU virt's DTB and
 * tests/port/mediatek/mtk-shaped.dts compiled.
 */
/* hv-fuzz-build: sources=ports/el2/dt_discover.c libs=fdt */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../ports/el2/dt_discover.h"

static _Alignas(8) uint8_t blob[256 * 1024];

static void check_intid(uint32_t intid, bool may_be_zero)
{
	if ((intid == 0 && may_be_zero) || (intid >= 16 && intid < 1020))
		return;
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > sizeof(blob))
		return 0;
	memcpy(blob, data, size);
	struct el2_dt_platform p;
	hv_status_t st = el2_dt_discover(blob, size, &p);
	if (st != HV_OK) {
		if (!p.why)
			abort();
		return 0;
	}
	if (p.nr_cpus < 1 || p.nr_cpus > EL2_DT_MAX_CPUS || p.nr_mem > EL2_DT_MAX_MEM ||
	    p.nr_nomap > EL2_DT_MAX_NOMAP || p.nr_gicr < 1 || p.nr_gicr > EL2_DT_MAX_GICR ||
	    (p.gic_interrupt_cells != 3 && p.gic_interrupt_cells != 4))
		abort();
	check_intid(p.ppi_maintenance, true);
	check_intid(p.ppi_ptimer, false);
	check_intid(p.ppi_vtimer, false);
	check_intid(p.ppi_hyp_timer, false);
	if (p.console.kind != EL2_DT_CONSOLE_NONE &&
	    (p.console.reg_shift > 2 || (p.console.io_width != 1 && p.console.io_width != 4)))
		abort();
	if (p.bootargs) {
		const uint8_t *a = (const uint8_t *)p.bootargs;
		if (a < blob || a >= blob + size || !memchr(a, 0, (size_t)(blob + size - a)))
			abort();
	}
	return 0;
}
