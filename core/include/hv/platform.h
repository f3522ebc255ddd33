/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtual platform a guest sees, whichever runtime runs it (hvsim, the
 * EL2 port's guest runner, the device tree given to a Linux guest): one
 * description, so the runtimes cannot drift apart. It follows QEMU's virt
 * board where a guest expects it (tests/guests/README.md is the contract).
 * The ID registers a guest reads are core/exit's policy (hv/idregs.h),
 * applied to the CPU's values with this platform's IPA size.
 */
#ifndef HV_PLATFORM_H
#define HV_PLATFORM_H

#include <hv/types.h>

enum hv_psci_conduit {
	HV_PSCI_CONDUIT_HVC = 0, /* the guest calls PSCI with HVC #0 */
	HV_PSCI_CONDUIT_SMC,
};

struct hv_platform {
	uint64_t ram_base;   /* IPA of guest RAM */
	uint64_t uart_base;  /* PL011 (hv/pl011.h), HV_PL011_SIZE bytes */
	uint32_t uart_intid; /* its SPI */
	uint64_t gicd_base;  /* GICv3 distributor, HV_VGIC_DIST_SIZE bytes */
	uint64_t gicr_base;  /* redistributors, HV_VGIC_REDIST_SIZE per vCPU */
	uint32_t nr_spis;    /* SPIs 32 .. 32 + nr_spis - 1 */
	/* Architected timer PPIs (INTIDs), in the device-tree order: secure
	 * physical, non-secure physical, virtual (core/vtimer), EL2 physical. */
	uint32_t timer_intid[4];
	uint64_t hole_base, hole_size; /* no memory, no device: aborts */
	unsigned ipa_bits;             /* IPA space of the VM (PARange cap) */
	enum hv_psci_conduit psci;
};

/* The platform of every contract guest and of Linux guests at EL2. */
extern const struct hv_platform hv_platform_virt;

#endif /* HV_PLATFORM_H */
