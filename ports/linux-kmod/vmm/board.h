/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest board gzvm-vmm builds: the contract guests' memory map
 * (tests/guests/README.md), which is QEMU virt's. These are the VMM's
 * choices, not ABI numbers (those come from hv/abi.h).
 */
#ifndef VMM_BOARD_H
#define VMM_BOARD_H

#include <stdint.h>

#define BOARD_RAM_BASE  UINT64_C(0x40000000)
#define BOARD_UART_BASE UINT64_C(0x09000000) /* PL011 */
#define BOARD_UART_SIZE UINT64_C(0x1000)
#define BOARD_UART_GSI  1u /* SPI 1 (INTID 33), level */
/* --disk: a virtio-mmio window (virtio_mmio.h: 0x200 bytes) and its SPI
 * (rising edge), where QEMU virt puts its first transport. */
#define BOARD_VIRTIO_BASE   UINT64_C(0x0a000000)
#define BOARD_VIRTIO_GSI    16u
#define BOARD_GICD_BASE     UINT64_C(0x08000000) /* GICv3 distributor, 64 KiB */
#define BOARD_GICD_SIZE     UINT64_C(0x10000)
#define BOARD_GICR_BASE     UINT64_C(0x080a0000) /* redistributors, 128 KiB per vCPU */
#define BOARD_GICR_PER_VCPU UINT64_C(0x20000)
/* --irqfd-doorbell: a 32-bit write of gsi g here signals the eventfd bound
 * by IRQFD to g (BOARD_IRQFD_GSI0 and the next one). */
#define BOARD_DOORBELL_BASE UINT64_C(0x0b000000)
#define BOARD_DOORBELL_SIZE UINT64_C(0x1000)
#define BOARD_IRQFD_GSI0    8u
#define BOARD_IRQFDS        2u
/* --protected: the guest-memory probe (probe.h). */
#define BOARD_PROBE_BASE UINT64_C(0x0b001000)
#define BOARD_PROBE_SIZE UINT64_C(0x1000)

#endif /* VMM_BOARD_H */
