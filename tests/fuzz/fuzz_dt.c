/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared EL2 device-tree discovery (ports/el2/dt_discover.c) under
 * hostile trees: the input is the blob. Checks: no crash or out-of-bounds
 * read (ASan), a refusal always says why, and an accepted tree yields a
 * description within its limits (counts, cells, INTIDs, console layout,
 * bootargs a NUL-ended string inside the blob). The host fixup
 * (ports/el2/dt_fixup.c) over the same blob in a buffer with room: refused,
 * it leaves every byte of the buffer as it was; done, the tree is whole, its
 * size the one it announced, and discovery of it succeeds where it did
 * before. Seeds: QEMU virt's DTB and tests/port/mediatek/mtk-shaped.dts
 * compiled.
 */
/* hv-fuzz-build: sources=ports/el2/dt_discover.c,ports/el2/dt_fixup.c libs=fdt */
#include <libfdt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../ports/el2/dt_discover.h"
#include "../../ports/el2/dt_fixup.h"

static _Alignas(8) uint8_t blob[256 * 1024];
static _Alignas(8) uint8_t fixed[256 * 1024 + 512], before[sizeof(fixed)];

/* The fixup of the input (its room: 512 bytes more than it). */
static void fixup(const uint8_t *data, size_t size, bool discovered)
{
	size_t cap = size + 512;
	memset(fixed, 0x5a, cap);
	memcpy(fixed, data, size);
	memcpy(before, fixed, cap);
	struct el2_dt_fixup fx = {.hyp_base = 0x7fe00000, .hyp_size = 0x200000};
	if (el2_dt_fixup_host(fixed, cap, &fx) != HV_OK) {
		if (!fx.why || memcmp(fixed, before, cap) != 0)
			abort();
		return;
	}
	struct el2_dt_platform p;
	if (fx.need > cap || fdt_totalsize(fixed) != fx.need || !el2_dt_check(fixed, fx.need) ||
	    (discovered && el2_dt_discover(fixed, fx.need, &p) != HV_OK))
		abort();
}

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
	fixup(data, size, st == HV_OK);
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
