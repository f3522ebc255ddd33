/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The device tree every guest is given (the arm64 boot protocol: x0 = its
 * IPA at entry, whatever the payload): the virtual platform (hv/platform.h)
 * as a flattened device tree (Devicetree Specification v0.4, chapter 5),
 * written by core so that hvsim and the EL2 port hand guests the same tree.
 */
#ifndef HV_GUEST_DT_H
#define HV_GUEST_DT_H

#include <hv/platform.h>
#include <hv/types.h>

#define HV_GUEST_DT_MAX_CPUS 8u
/* Where the tree goes: the last 64 KiB of guest RAM (so that even 2 MiB of
 * RAM holds a payload and its tree; Linux's booting.rst only asks for
 * 8-byte alignment, normal memory and at most 2 MiB). A payload must leave
 * that slot free. */
#define HV_GUEST_DT_SLOT (UINT64_C(64) * 1024u)
#define HV_GUEST_DT_MAX  HV_GUEST_DT_SLOT

struct hv_guest_dt {
	uint64_t ram_ipa, ram_size;
	unsigned nr_cpus;
	uint64_t cpu_mpidr[HV_GUEST_DT_MAX_CPUS]; /* each vCPU's MPIDR_EL1 (VMPIDR_EL2) */
	uint64_t gicd_ipa, gicd_size;             /* the vGIC's distributor */
	uint64_t gicr_ipa, gicr_size;             /* its redistributors, one per vCPU */
	uint64_t uart_ipa, uart_size;             /* the PL011 model */
	uint32_t uart_intid;                      /* its SPI */
	uint32_t timer_intid[4]; /* secure phys, non-secure phys, virtual, EL2 phys PPIs */
	bool psci_smc;           /* PSCI conduit the guest uses: SMC (else HVC) */
	const char *bootargs;    /* NULL: empty */
	uint64_t initrd_start, initrd_end; /* IPAs; start == end: no initramfs */
	bool geniezone;                    /* host mode: the node a GenieZone driver binds to */
	/* virtio-mmio transports (a VMM's devices, ports/linux-kmod/vmm):
	 * nr_virtio windows of virtio_size bytes from virtio_ipa, the n-th
	 * one's interrupt the rising-edge SPI virtio_intid + n; none when
	 * nr_virtio is 0. */
	uint64_t virtio_ipa, virtio_size;
	uint32_t virtio_intid;
	unsigned nr_virtio;
};

/* The description of `plat` with `ram_size` bytes of RAM and `nr_cpus`
 * vCPUs whose MPIDR_EL1 is Aff0 = index; no bootargs, no initramfs. */
void hv_guest_dt_describe(struct hv_guest_dt *dt, const struct hv_platform *plat, uint64_t ram_size,
                          unsigned nr_cpus);

/* IPA of the tree in a guest's RAM: its last HV_GUEST_DT_SLOT bytes. */
static inline uint64_t hv_guest_dt_ipa(uint64_t ram_ipa, uint64_t ram_size)
{
	return ram_ipa + ram_size - HV_GUEST_DT_SLOT;
}

/*
 * Write the tree of `p` into buf[0, size): /memory, /cpus (enable-method
 * psci), /psci, the GICv3, the architected timer, a fixed 24 MHz clock, the
 * PL011, /chosen (bootargs, stdout-path, linux,initrd-*), the virtio-mmio
 * transports (virtio/mmio.yaml, dma-coherent), and with
 * `geniezone` /hypervisor { compatible = "mediatek,geniezone"; } (the only
 * node MediaTek's GenieZone driver, and hvcore's gzvm.ko, bind to).
 * HV_ERR_NO_MEMORY if it does not fit, HV_ERR_INVALID for a bad description;
 * on failure buf holds no valid tree.
 */
hv_status_t hv_guest_dt_build(void *buf, size_t size, const struct hv_guest_dt *p);

#endif /* HV_GUEST_DT_H */
