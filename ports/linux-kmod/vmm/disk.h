/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm's disk: virtio-blk over a raw image behind a virtio-mmio window
 * of the board. The queue notification (a 32-bit write of queue 0 to
 * QueueNotify) is bound to an eventfd with IOEVENTFD, so the driver signals
 * it in the kernel and the guest's write never reaches a vCPU thread; the
 * I/O thread serves the queue (disk_serve) and the completion interrupt is
 * an eventfd bound with IRQFD. vCPU threads serve the other registers
 * (disk_mmio); one lock orders both.
 */
#ifndef VMM_DISK_H
#define VMM_DISK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "virtio/virtio_blk.h"

struct disk {
	struct virtio_blk blk;
	struct virtio_mmio t;
	struct guest_mem mem;
	uint64_t base; /* guest-physical address of the window */
	uint32_t gsi;  /* its SPI number (INTID gsi + 32) */
	int kick_fd, irq_fd;
	pthread_mutex_t lock;
	uint64_t kicks, irqs; /* notifications served, interrupts raised */
};

/* Opens the image (read-only when ro) for guest RAM `mem`. 0 or -errno. */
int disk_open(struct disk *d, const char *path, bool ro, const struct guest_mem *mem, uint64_t base,
              uint32_t gsi);

/* IOEVENTFD and IRQFD on the VM. 0 or -errno. */
int disk_bind(struct disk *d, int vm_fd);

/* A vCPU's access at offset into the window (virtio_mmio_access). */
bool disk_mmio(struct disk *d, uint64_t offset, bool is_write, unsigned size, uint8_t data[8]);

/* The I/O thread saw kick_fd readable: consume it and serve queue 0. */
void disk_serve(struct disk *d);

/* Flushes the image to stable storage and closes everything. 0 or -errno
 * (a failed flush). */
int disk_close(struct disk *d);

#endif /* VMM_DISK_H */
