/* SPDX-License-Identifier: Apache-2.0 */
/* Platform discovery from the flattened device tree QEMU passes in x0. */
#ifndef EL2_FDT_H
#define EL2_FDT_H

#include <hv/types.h>

struct el2_platform {
	uint64_t ram_base, ram_size;   /* /memory reg */
	uint64_t uart_base;            /* arm,pl011 reg */
	uint64_t gicd_base, gicr_base; /* arm,gic-v3 reg[0], reg[1] */
	bool psci_smc;                 /* /psci method = "smc" (else hvc) */
	bool have_psci;
	uint32_t nr_cpus;
	const char *bootargs; /* /chosen bootargs (QEMU -append), or NULL */
};

/* HV_OK, or HV_ERR_INVALID for a blob that is not a sane FDT v17. */
hv_status_t el2_fdt_scan(const void *dtb, struct el2_platform *out);

#endif
