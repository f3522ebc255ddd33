/* SPDX-License-Identifier: Apache-2.0 */
/* The device tree a Linux guest is given: the virtual platform. */
#ifndef EL2_GUEST_DT_H
#define EL2_GUEST_DT_H

#include <hv/types.h>

#define EL2_GUEST_DT_MAX_CPUS 8u

struct el2_guest_dt {
	uint64_t ram_ipa, ram_size;
	unsigned nr_cpus;
	uint64_t cpu_mpidr[EL2_GUEST_DT_MAX_CPUS]; /* each vCPU's MPIDR_EL1 (VMPIDR_EL2) */
	uint64_t gicd_ipa, gicd_size;              /* the vGIC's distributor */
	uint64_t gicr_ipa, gicr_size;              /* its redistributors, one per vCPU */
	uint64_t uart_ipa, uart_size;              /* the PL011 model */
	uint32_t uart_intid;                       /* its SPI */
	uint32_t timer_intid[4]; /* secure phys, non-secure phys, virtual, EL2 phys PPIs */
	bool psci_smc;           /* PSCI conduit the guest uses: SMC (else HVC) */
	const char *bootargs;
	uint64_t initrd_start, initrd_end; /* IPAs; start == end: no initramfs */
	bool geniezone;                    /* host mode: the node a GenieZone driver binds to */
};

/*
 * Write the flattened device tree of `p` into buf[0, size) with libfdt's
 * sequential-write API: /memory, /cpus (enable-method psci), /psci, the
 * GICv3, the architected timer, a fixed 24 MHz clock, the PL011 and
 * /chosen (bootargs, stdout-path, linux,initrd-*), and with `geniezone`
 * /hypervisor { compatible = "mediatek,geniezone"; } (the only node
 * MediaTek's GenieZone driver, and hvcore's gzvm.ko, bind to). libfdt may use FP/SIMD
 * registers: call before any vCPU has run. HV_ERR_NO_MEMORY if it does not
 * fit, HV_ERR_INVALID for a bad description.
 */
hv_status_t el2_guest_dt_build(void *buf, size_t size, const struct el2_guest_dt *p);

#endif
