/* SPDX-License-Identifier: Apache-2.0 */
/* The board as the runtime drives it, from the device tree the bootloader
 * passes in x0 (QEMU, U-Boot, coreboot): what the platform (platform.h)
 * does not say, the tree does. */
#ifndef EL2_BOARD_H
#define EL2_BOARD_H

#include <hv/types.h>

#include "uart.h"

#define EL2_MAX_CPUS 8

struct el2_board {
	uint64_t ram_base, ram_size;   /* first /memory reg range */
	struct el2_uart console;       /* /chosen/stdout-path's UART (kind NONE: none) */
	uint64_t gicd_base, gicd_size; /* arm,gic-v3 reg[0] */
	uint32_t nr_gicr;              /* arm,gic-v3 #redistributor-regions */
	struct el2_dt_range gicr[EL2_DT_MAX_GICR]; /* reg[1..]: redistributor regions */
	uint32_t ppi_maintenance;                  /* gic-v3 interrupts: vGIC maintenance INTID */
	uint32_t ppi_hyp_timer; /* arm,armv8-timer interrupts[3]: EL2 physical timer */
	uint32_t ppi_vtimer;    /* arm,armv8-timer interrupts[2]: virtual timer */
	bool psci_smc;          /* /psci method = "smc" (else hvc) */
	bool have_psci;
	uint32_t nr_cpus;
	uint64_t cpu_mpidr[EL2_MAX_CPUS]; /* /cpus/cpu@N reg (MPIDR affinity) */
	const char *bootargs;             /* /chosen bootargs (e.g. QEMU's -append), or NULL */
	uint32_t nr_nomap;                /* /reserved-memory no-map carveouts: never mapped */
	struct el2_dt_range nomap[EL2_DT_MAX_NOMAP];
};

/*
 * Fills *out from the DTB through the shared discovery (dt_discover.h: the
 * whole tree checked first, 3- or 4-cell interrupt specifiers,
 * stdout-path). Its statuses, plus HV_ERR_NOT_FOUND when something the
 * runtime needs (memory, the GIC's maintenance PPI) is missing. libfdt may
 * use FP/SIMD registers: call only at boot, before any guest vCPU has run.
 */
hv_status_t el2_fdt_scan(const void *dtb, struct el2_board *out);

/* The DTB's total size (for mapping it), or 0 when it is not an FDT. */
size_t el2_fdt_size(const void *dtb);

#endif
