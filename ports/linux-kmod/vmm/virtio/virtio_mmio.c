/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-mmio version 2 transport (virtio_mmio.h; VIRTIO 1.1, 4.2.2). */
#include "virtio_mmio.h"

#include <string.h>

void virtio_mmio_init(struct virtio_mmio *t, const struct virtio_device_ops *ops, void *dev,
                      const struct guest_mem *mem, void (*raise_irq)(void *), void *irq_arg)
{
	memset(t, 0, sizeof(*t));
	t->ops = ops;
	t->dev = dev;
	t->mem = mem;
	t->raise_irq = raise_irq;
	t->irq_arg = irq_arg;
}

static uint64_t offered(const struct virtio_mmio *t)
{
	return t->ops->features | (1ull << VIRTIO_F_VERSION_1);
}

static void reset(struct virtio_mmio *t)
{
	t->status = 0;
	t->device_features_sel = t->driver_features_sel = t->queue_sel = 0;
	t->driver_features = 0;
	t->interrupt_status = 0;
	memset(t->vq, 0, sizeof(t->vq));
	if (t->ops->reset)
		t->ops->reset(t->dev);
}

static struct virtqueue *selected(struct virtio_mmio *t)
{
	return t->queue_sel < t->ops->nr_queues && t->queue_sel < VIRTIO_MMIO_MAX_QUEUES
	           ? &t->vq[t->queue_sel]
	           : NULL;
}

static void raise_interrupt(struct virtio_mmio *t, uint32_t bits)
{
	t->interrupt_status |= bits;
	if (t->raise_irq)
		t->raise_irq(t->irq_arg);
}

void virtio_mmio_used(struct virtio_mmio *t)
{
	raise_interrupt(t, VIRTIO_MMIO_INT_VRING);
}

void virtio_mmio_needs_reset(struct virtio_mmio *t)
{
	if (t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET)
		return;
	t->status |= VIRTIO_STATUS_DEVICE_NEEDS_RESET;
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_QUEUES; i++)
		t->vq[i].ready = false;
	raise_interrupt(t, VIRTIO_MMIO_INT_CONFIG);
}

void virtio_mmio_kick(struct virtio_mmio *t, uint32_t q)
{
	if (q < t->ops->nr_queues && q < VIRTIO_MMIO_MAX_QUEUES && t->vq[q].ready &&
	    (t->status & VIRTIO_STATUS_DRIVER_OK) &&
	    !(t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET))
		t->ops->notify(t->dev, t, (uint16_t)q);
}

static uint32_t read_reg(struct virtio_mmio *t, uint32_t off)
{
	struct virtqueue *vq = selected(t);
	switch (off) {
	case VIRTIO_MMIO_MAGIC_VALUE: return VIRTIO_MMIO_MAGIC;
	case VIRTIO_MMIO_VERSION: return 2;
	case VIRTIO_MMIO_DEVICE_ID: return t->ops->device_id;
	case VIRTIO_MMIO_VENDOR_ID: return VIRTIO_MMIO_VENDOR;
	case VIRTIO_MMIO_DEVICE_FEATURES:
		return t->device_features_sel < 2
		           ? (uint32_t)(offered(t) >> (32 * t->device_features_sel))
		           : 0;
	case VIRTIO_MMIO_QUEUE_NUM_MAX: return vq ? t->ops->queue_max : 0;
	case VIRTIO_MMIO_QUEUE_READY: return vq && vq->ready;
	case VIRTIO_MMIO_INTERRUPT_STATUS: return t->interrupt_status;
	case VIRTIO_MMIO_STATUS: return t->status;
	case VIRTIO_MMIO_CONFIG_GENERATION: return t->config_generation;
	default: return 0; /* write-only and reserved registers read 0 */
	}
}

static void set_half(uint64_t *v, bool high, uint32_t val)
{
	*v = high ? (*v & 0xffffffffull) | (uint64_t)val << 32 : (*v & ~0xffffffffull) | val;
}

static void write_status(struct virtio_mmio *t, uint32_t val)
{
	if (val == 0) {
		reset(t);
		return;
	}
	/* FEATURES_OK only for a subset of what was offered, with VERSION_1
	 * (a legacy driver cannot use a version 2 device: 4.2.2.2) */
	if ((val & VIRTIO_STATUS_FEATURES_OK) && !(t->status & VIRTIO_STATUS_FEATURES_OK) &&
	    ((t->driver_features & ~offered(t)) ||
	     !(t->driver_features & (1ull << VIRTIO_F_VERSION_1))))
		val &= ~VIRTIO_STATUS_FEATURES_OK;
	t->status = (t->status & VIRTIO_STATUS_DEVICE_NEEDS_RESET) | val;
}

static void write_reg(struct virtio_mmio *t, uint32_t off, uint32_t val)
{
	struct virtqueue *vq = selected(t);
	bool queue_reg_writable = vq && !vq->ready;
	switch (off) {
	case VIRTIO_MMIO_DEVICE_FEATURES_SEL: t->device_features_sel = val; break;
	case VIRTIO_MMIO_DRIVER_FEATURES:
		if (t->driver_features_sel < 2 && !(t->status & VIRTIO_STATUS_FEATURES_OK))
			set_half(&t->driver_features, t->driver_features_sel == 1, val);
		break;
	case VIRTIO_MMIO_DRIVER_FEATURES_SEL: t->driver_features_sel = val; break;
	case VIRTIO_MMIO_QUEUE_SEL: t->queue_sel = val; break;
	case VIRTIO_MMIO_QUEUE_NUM:
		if (queue_reg_writable)
			vq->size = val > 0xffff ? 0 : (uint16_t)val;
		break;
	case VIRTIO_MMIO_QUEUE_READY:
		if (!vq)
			break;
		if (val == 1 && !vq->ready) {
			if (!vq_size_ok(vq->size, t->ops->queue_max)) {
				virtio_mmio_needs_reset(t); /* a size the device did not offer */
				break;
			}
			vq->ready = true;
		} else if (val == 0) {
			vq->ready = false;
		}
		break;
	case VIRTIO_MMIO_QUEUE_NOTIFY: virtio_mmio_kick(t, val); break;
	case VIRTIO_MMIO_INTERRUPT_ACK: t->interrupt_status &= ~val; break;
	case VIRTIO_MMIO_STATUS: write_status(t, val); break;
	case VIRTIO_MMIO_QUEUE_DESC_LOW:
	case VIRTIO_MMIO_QUEUE_DESC_HIGH:
		if (queue_reg_writable)
			set_half(&vq->desc_gpa, off == VIRTIO_MMIO_QUEUE_DESC_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_DRIVER_LOW:
	case VIRTIO_MMIO_QUEUE_DRIVER_HIGH:
		if (queue_reg_writable)
			set_half(&vq->avail_gpa, off == VIRTIO_MMIO_QUEUE_DRIVER_HIGH, val);
		break;
	case VIRTIO_MMIO_QUEUE_DEVICE_LOW:
	case VIRTIO_MMIO_QUEUE_DEVICE_HIGH:
		if (queue_reg_writable)
			set_half(&vq->used_gpa, off == VIRTIO_MMIO_QUEUE_DEVICE_HIGH, val);
		break;
	default: break; /* read-only and reserved registers ignore writes */
	}
}

bool virtio_mmio_access(struct virtio_mmio *t, uint64_t offset, bool is_write, unsigned size,
                        uint8_t data[8])
{
	if (offset >= VIRTIO_MMIO_SIZE || (size != 1 && size != 2 && size != 4) || offset % size)
		return false;
	uint32_t off = (uint32_t)offset;
	if (off >= VIRTIO_MMIO_CONFIG) {
		uint32_t coff = off - VIRTIO_MMIO_CONFIG;
		if (!is_write) {
			memset(data, 0, 8);
			if (coff < t->ops->config_size && size <= t->ops->config_size - coff)
				t->ops->config_read(t->dev, coff, data, size);
		}
		return true; /* writes to the configuration are not offered: ignored */
	}
	if (size != 4)
		return false;
	if (is_write) {
		write_reg(t, off,
		          (uint32_t)data[0] | (uint32_t)data[1] << 8 | (uint32_t)data[2] << 16 |
		              (uint32_t)data[3] << 24);
	} else {
		uint32_t v = read_reg(t, off);
		memset(data, 0, 8);
		for (unsigned i = 0; i < 4; i++)
			data[i] = (uint8_t)(v >> (8 * i));
	}
	return true;
}
