/* SPDX-License-Identifier: Apache-2.0 */
/*
 * virtio-blk (VIRTIO 1.1, 5.2) over a raw image file: one request queue;
 * IN (read), OUT (write), FLUSH and GET_ID; any request size the driver
 * sends, split across any descriptors. A request the device cannot serve
 * (a sector past the end, a length not a multiple of 512, a write to a
 * read-only image, an I/O error) completes with VIRTIO_BLK_S_IOERR and
 * leaves the image as it was; an unknown type with UNSUPP; a chain without
 * a writable status byte, or with readable parts after writable ones,
 * breaks the queue (DEVICE_NEEDS_RESET): the device can tell the driver
 * nothing else.
 */
#ifndef VMM_VIRTIO_BLK_H
#define VMM_VIRTIO_BLK_H

#include <stdbool.h>
#include <stdint.h>

#include "virtio_mmio.h"

#define VIRTIO_ID_BLOCK 2u

/* Feature bits (5.2.3) */
#define VIRTIO_BLK_F_RO    5u
#define VIRTIO_BLK_F_FLUSH 9u

/* Request types and status (5.2.6) */
#define VIRTIO_BLK_T_IN     0u
#define VIRTIO_BLK_T_OUT    1u
#define VIRTIO_BLK_T_FLUSH  4u
#define VIRTIO_BLK_T_GET_ID 8u
#define VIRTIO_BLK_S_OK     0u
#define VIRTIO_BLK_S_IOERR  1u
#define VIRTIO_BLK_S_UNSUPP 2u

#define VIRTIO_BLK_SECTOR   512u
#define VIRTIO_BLK_ID_BYTES 20u

struct virtio_blk {
	int fd;
	bool read_only;
	uint64_t capacity; /* sectors */
	char id[VIRTIO_BLK_ID_BYTES];
	uint64_t requests, errors; /* served, of which failed */
	struct vq_chain chain;     /* scratch for one request */
};

/* Opens path (read-only when ro); the image's size must be a multiple of
 * 512. Returns 0 or -errno. */
int virtio_blk_open(struct virtio_blk *blk, const char *path, bool ro);
void virtio_blk_close(struct virtio_blk *blk);

/* The device's operations for the virtio-mmio transport. */
extern const struct virtio_device_ops virtio_blk_ops;
extern const struct virtio_device_ops virtio_blk_ops_ro;

/* Serves every available request of queue 0 (the notify handler). */
void virtio_blk_notify(void *dev, struct virtio_mmio *t, uint16_t q);

#endif /* VMM_VIRTIO_BLK_H */
