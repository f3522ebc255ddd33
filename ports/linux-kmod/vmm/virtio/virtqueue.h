/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A split virtqueue, device side (VIRTIO 1.1, 2.6): the driver's
 * descriptor table, available ring and used ring live in guest RAM; the
 * device pops descriptor chains and pushes used entries. Everything read
 * from guest memory is hostile: every address is bounds-checked, a chain
 * may not loop or run longer than the queue, descriptors the device did not
 * offer (INDIRECT) are refused, and the available index may not run ahead
 * of the ring by more than its size. A broken queue reports VQ_BROKEN, the
 * device then asks for a reset (DEVICE_NEEDS_RESET) and stops using it.
 */
#ifndef VMM_VIRTQUEUE_H
#define VMM_VIRTQUEUE_H

#include <stdbool.h>
#include <stdint.h>

#include "guest_mem.h"

#define VQ_MAX_SIZE 256u /* the largest queue this VMM offers */
#define VQ_MAX_SEGS VQ_MAX_SIZE

/* Descriptor flags (VIRTIO 1.1, 2.6.5) */
#define VIRTQ_DESC_F_NEXT     1u
#define VIRTQ_DESC_F_WRITE    2u
#define VIRTQ_DESC_F_INDIRECT 4u

struct virtqueue {
	uint16_t size; /* QueueNum: power of two, 1..VQ_MAX_SIZE */
	bool ready;
	uint64_t desc_gpa, avail_gpa, used_gpa;
	uint16_t last_avail; /* next available-ring entry to take */
	uint16_t used_idx;   /* next used-ring entry to fill */
};

struct vq_seg {
	uint8_t *ptr; /* host address of the buffer, checked inside RAM */
	uint32_t len;
	bool device_writes; /* VIRTQ_DESC_F_WRITE */
};

struct vq_chain {
	uint16_t head; /* descriptor index to return in the used ring */
	uint16_t nr_segs;
	struct vq_seg segs[VQ_MAX_SEGS];
};

enum vq_result {
	VQ_EMPTY,  /* nothing available */
	VQ_CHAIN,  /* *chain filled */
	VQ_BROKEN, /* the driver broke the queue: the device needs a reset */
};

/* Whether size is a queue size the device can take (power of two <= max). */
bool vq_size_ok(uint32_t size, uint32_t max);

/* Takes the next available chain. */
enum vq_result vq_pop(struct virtqueue *vq, const struct guest_mem *mem, struct vq_chain *chain);

/* Returns a chain: used ring entry {head, written} then the used index
 * (release order). False if the used ring is not inside RAM. */
bool vq_push(struct virtqueue *vq, const struct guest_mem *mem, uint16_t head, uint32_t written);

#endif /* VMM_VIRTQUEUE_H */
