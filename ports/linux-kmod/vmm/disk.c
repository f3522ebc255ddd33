/* SPDX-License-Identifier: Apache-2.0 */
/* gzvm-vmm's virtio-blk disk (see disk.h). */
#include "disk.h"

#include <errno.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <hv/abi.h>

static void raise_irq(void *arg)
{
	struct disk *d = arg;
	uint64_t one = 1;
	if (write(d->irq_fd, &one, sizeof(one)) == sizeof(one))
		d->irqs++;
}

int disk_open(struct disk *d, const char *path, bool ro, const struct guest_mem *mem, uint64_t base,
              uint32_t gsi)
{
	memset(d, 0, sizeof(*d));
	d->kick_fd = d->irq_fd = -1;
	int err = virtio_blk_open(&d->blk, path, ro);
	if (err)
		return err;
	d->mem = *mem;
	d->base = base;
	d->gsi = gsi;
	pthread_mutex_init(&d->lock, NULL);
	virtio_mmio_init(&d->t, ro ? &virtio_blk_ops_ro : &virtio_blk_ops, &d->blk, &d->mem,
	                 raise_irq, d);
	return 0;
}

int disk_bind(struct disk *d, int vm_fd)
{
	d->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	d->irq_fd = eventfd(0, EFD_CLOEXEC);
	if (d->kick_fd < 0 || d->irq_fd < 0)
		return -errno;
	/* queue 0 is the only one: other values go to the vCPU thread,
	 * which ignores them (virtio_mmio_kick) */
	struct hv_gzvm_ioeventfd kick = {
	    .datamatch = 0,
	    .addr = d->base + VIRTIO_MMIO_QUEUE_NOTIFY,
	    .len = 4,
	    .fd = d->kick_fd,
	    .flags = HV_GZVM_IOEVENTFD_FLAG_DATAMATCH,
	};
	struct hv_gzvm_irqfd irq = {.fd = (uint32_t)d->irq_fd, .gsi = d->gsi};
	if (ioctl(vm_fd, HV_GZVM_IOEVENTFD, &kick) < 0 || ioctl(vm_fd, HV_GZVM_IRQFD, &irq) < 0)
		return -errno;
	return 0;
}

bool disk_mmio(struct disk *d, uint64_t offset, bool is_write, unsigned size, uint8_t data[8])
{
	pthread_mutex_lock(&d->lock);
	bool ok = virtio_mmio_access(&d->t, offset, is_write, size, data);
	pthread_mutex_unlock(&d->lock);
	return ok;
}

void disk_serve(struct disk *d)
{
	uint64_t n;
	if (read(d->kick_fd, &n, sizeof(n)) != sizeof(n))
		return; /* nothing pending (EAGAIN) */
	pthread_mutex_lock(&d->lock);
	d->kicks++;
	virtio_mmio_kick(&d->t, 0);
	pthread_mutex_unlock(&d->lock);
}

int disk_close(struct disk *d)
{
	int err = 0;
	if (d->blk.fd >= 0 && !d->blk.read_only && fsync(d->blk.fd) != 0)
		err = -errno;
	virtio_blk_close(&d->blk);
	if (d->kick_fd >= 0)
		close(d->kick_fd);
	if (d->irq_fd >= 0)
		close(d->irq_fd);
	d->kick_fd = d->irq_fd = -1;
	return err;
}
