/* SPDX-License-Identifier: Apache-2.0 */
/* Split virtqueue, device side (virtqueue.h; VIRTIO 1.1, 2.6). */
#include "virtqueue.h"

#include <string.h>

/* Ring layouts (VIRTIO 1.1, 2.6.5-2.6.8), little-endian:
 *   desc:  { le64 addr; le32 len; le16 flags; le16 next; }  16 bytes
 *   avail: { le16 flags; le16 idx; le16 ring[size]; le16 used_event; }
 *   used:  { le16 flags; le16 idx; { le32 id; le32 len; } ring[size]; le16 avail_event; } */
#define DESC_SIZE 16u

static uint16_t ld16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t ld32(const uint8_t *p)
{
	return (uint32_t)ld16(p) | (uint32_t)ld16(p + 2) << 16;
}

static uint64_t ld64(const uint8_t *p)
{
	return (uint64_t)ld32(p) | (uint64_t)ld32(p + 4) << 32;
}

static void st16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void st32(uint8_t *p, uint32_t v)
{
	st16(p, (uint16_t)v);
	st16(p + 2, (uint16_t)(v >> 16));
}

bool vq_size_ok(uint32_t size, uint32_t max)
{
	return size && size <= max && !(size & (size - 1));
}

enum vq_result vq_pop(struct virtqueue *vq, const struct guest_mem *mem, struct vq_chain *chain)
{
	/* alignment (2.6): desc 16, avail 2, used 4; the index loads and stores
	 * below are single-copy atomic only when aligned */
	if (!vq->ready || !vq_size_ok(vq->size, VQ_MAX_SIZE) || vq->desc_gpa % 16 ||
	    vq->avail_gpa % 2 || vq->used_gpa % 4)
		return VQ_BROKEN;
	const uint8_t *avail = guest_mem_ptr(mem, vq->avail_gpa, 4u + 2u * vq->size);
	const uint8_t *desc = guest_mem_ptr(mem, vq->desc_gpa, (uint64_t)DESC_SIZE * vq->size);
	if (!avail || !desc)
		return VQ_BROKEN;
	/* the driver's index, read once (acquire: the ring entry after it) */
	uint16_t idx = __atomic_load_n((const uint16_t *)(avail + 2), __ATOMIC_ACQUIRE);
	idx = ld16((const uint8_t *)&idx);
	if (idx == vq->last_avail)
		return VQ_EMPTY;
	if ((uint16_t)(idx - vq->last_avail) > vq->size)
		return VQ_BROKEN; /* more available than the ring holds */
	uint16_t head = ld16(avail + 4 + 2u * (vq->last_avail % vq->size));
	if (head >= vq->size)
		return VQ_BROKEN;
	chain->head = head;
	chain->nr_segs = 0;
	uint16_t i = head;
	for (;;) {
		if (chain->nr_segs == vq->size)
			return VQ_BROKEN; /* longer than the table: a loop */
		const uint8_t *d = desc + (uint32_t)i * DESC_SIZE;
		uint64_t addr = ld64(d);
		uint32_t len = ld32(d + 8);
		uint16_t flags = ld16(d + 12), next = ld16(d + 14);
		if (flags & VIRTQ_DESC_F_INDIRECT)
			return VQ_BROKEN; /* not offered */
		uint8_t *buf = guest_mem_ptr(mem, addr, len);
		if (!buf)
			return VQ_BROKEN;
		chain->segs[chain->nr_segs++] = (struct vq_seg){
		    .ptr = buf, .len = len, .device_writes = (flags & VIRTQ_DESC_F_WRITE) != 0};
		if (!(flags & VIRTQ_DESC_F_NEXT))
			break;
		if (next >= vq->size)
			return VQ_BROKEN;
		i = next;
	}
	vq->last_avail++;
	return VQ_CHAIN;
}

bool vq_push(struct virtqueue *vq, const struct guest_mem *mem, uint16_t head, uint32_t written)
{
	uint8_t *used = guest_mem_ptr(mem, vq->used_gpa, 4u + 8u * vq->size);
	if (!used || !vq_size_ok(vq->size, VQ_MAX_SIZE) || vq->used_gpa % 4)
		return false;
	uint8_t *elem = used + 4 + 8u * (vq->used_idx % vq->size);
	st32(elem, head);
	st32(elem + 4, written);
	vq->used_idx++;
	uint8_t le[2];
	st16(le, vq->used_idx);
	uint16_t v;
	memcpy(&v, le, 2);
	/* release: the element is visible before the index that publishes it */
	__atomic_store_n((uint16_t *)(used + 2), v, __ATOMIC_RELEASE);
	return true;
}
