/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The virtio-mmio transport, version 2 ("modern", VIRTIO 1.1, 4.2.2): the
 * register file a guest driver sees in a 512-byte window, feature
 * negotiation, the queues' addresses and sizes, notifications to the
 * device, and the interrupt status a device raises through the VMM's
 * interrupt line (an irqfd). Registers 0x000-0x0ff take 32-bit accesses
 * only; the device configuration (0x100 on) 1, 2 or 4 bytes.
 */
#ifndef VMM_VIRTIO_MMIO_H
#define VMM_VIRTIO_MMIO_H

#include <stdbool.h>
#include <stdint.h>

#include "virtqueue.h"

#define VIRTIO_MMIO_SIZE       0x200u
#define VIRTIO_MMIO_MAX_QUEUES 2u

/* Register offsets (VIRTIO 1.1, 4.2.2, table "MMIO Device Register Layout") */
#define VIRTIO_MMIO_MAGIC_VALUE         0x000u /* "virt" */
#define VIRTIO_MMIO_VERSION             0x004u
#define VIRTIO_MMIO_DEVICE_ID           0x008u
#define VIRTIO_MMIO_VENDOR_ID           0x00cu
#define VIRTIO_MMIO_DEVICE_FEATURES     0x010u
#define VIRTIO_MMIO_DEVICE_FEATURES_SEL 0x014u
#define VIRTIO_MMIO_DRIVER_FEATURES     0x020u
#define VIRTIO_MMIO_DRIVER_FEATURES_SEL 0x024u
#define VIRTIO_MMIO_QUEUE_SEL           0x030u
#define VIRTIO_MMIO_QUEUE_NUM_MAX       0x034u
#define VIRTIO_MMIO_QUEUE_NUM           0x038u
#define VIRTIO_MMIO_QUEUE_READY         0x044u
#define VIRTIO_MMIO_QUEUE_NOTIFY        0x050u
#define VIRTIO_MMIO_INTERRUPT_STATUS    0x060u
#define VIRTIO_MMIO_INTERRUPT_ACK       0x064u
#define VIRTIO_MMIO_STATUS              0x070u
#define VIRTIO_MMIO_QUEUE_DESC_LOW      0x080u
#define VIRTIO_MMIO_QUEUE_DESC_HIGH     0x084u
#define VIRTIO_MMIO_QUEUE_DRIVER_LOW    0x090u
#define VIRTIO_MMIO_QUEUE_DRIVER_HIGH   0x094u
#define VIRTIO_MMIO_QUEUE_DEVICE_LOW    0x0a0u
#define VIRTIO_MMIO_QUEUE_DEVICE_HIGH   0x0a4u
#define VIRTIO_MMIO_CONFIG_GENERATION   0x0fcu
#define VIRTIO_MMIO_CONFIG              0x100u

#define VIRTIO_MMIO_MAGIC  0x74726976u
#define VIRTIO_MMIO_VENDOR 0x4f435648u /* "HVCO" */

/* Device status bits (VIRTIO 1.1, 2.1) */
#define VIRTIO_STATUS_ACKNOWLEDGE        1u
#define VIRTIO_STATUS_DRIVER             2u
#define VIRTIO_STATUS_DRIVER_OK          4u
#define VIRTIO_STATUS_FEATURES_OK        8u
#define VIRTIO_STATUS_DEVICE_NEEDS_RESET 64u
#define VIRTIO_STATUS_FAILED             128u

#define VIRTIO_F_VERSION_1 32u

/* InterruptStatus bits (4.2.2) */
#define VIRTIO_MMIO_INT_VRING  1u
#define VIRTIO_MMIO_INT_CONFIG 2u

struct virtio_mmio;

struct virtio_device_ops {
	uint32_t device_id;
	uint64_t features; /* offered; VIRTIO_F_VERSION_1 is always added */
	uint16_t nr_queues;
	uint16_t queue_max;
	uint32_t config_size;
	/* config bytes [off, off + size) (inside config_size) into out */
	void (*config_read)(void *dev, uint32_t off, uint8_t *out, unsigned size);
	/* the driver notified queue q (ready, DRIVER_OK) */
	void (*notify)(void *dev, struct virtio_mmio *t, uint16_t q);
	/* a reset (Status 0): the device forgets its requests */
	void (*reset)(void *dev);
};

struct virtio_mmio {
	const struct virtio_device_ops *ops;
	void *dev;
	const struct guest_mem *mem;
	void (*raise_irq)(void *arg); /* the interrupt line (edge): an irqfd signal */
	void *irq_arg;
	uint32_t status;
	uint32_t device_features_sel, driver_features_sel, queue_sel;
	uint64_t driver_features;
	uint32_t interrupt_status;
	uint32_t config_generation;
	struct virtqueue vq[VIRTIO_MMIO_MAX_QUEUES];
};

void virtio_mmio_init(struct virtio_mmio *t, const struct virtio_device_ops *ops, void *dev,
                      const struct guest_mem *mem, void (*raise_irq)(void *), void *irq_arg);

/* One guest access at offset; data little-endian, size bytes. False for an
 * access the transport refuses (width, alignment, outside the window): the
 * VMM answers it as a bus error. */
bool virtio_mmio_access(struct virtio_mmio *t, uint64_t offset, bool is_write, unsigned size,
                        uint8_t data[8]);

/* A notification of queue q, written to QueueNotify or signalled through
 * an ioeventfd: the device serves it if the queue is ready, the driver
 * set DRIVER_OK and the device does not need a reset; else nothing. */
void virtio_mmio_kick(struct virtio_mmio *t, uint32_t q);

/* The device used buffers of a queue: InterruptStatus bit 0, then the line. */
void virtio_mmio_used(struct virtio_mmio *t);

/* The driver broke a queue: DEVICE_NEEDS_RESET, a configuration interrupt. */
void virtio_mmio_needs_reset(struct virtio_mmio *t);

#endif /* VMM_VIRTIO_MMIO_H */
