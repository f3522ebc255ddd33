/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm's virtio-blk behind the virtio-mmio transport under a hostile
 * driver: the input is a sequence of register writes (offset, value) and
 * the guest RAM's contents (descriptor tables, rings, requests). Checks: no
 * crash and no access outside guest RAM or the request's buffers (ASan),
 * the image keeps its size, and the device stays in a state a reset
 * clears.
 *
 * Input: [0] number of register writes n (<= 32); n x {le16 offset, le32
 * value}; the rest is copied to the start of the 64 KiB guest RAM.
 */
/* hv-fuzz-build: sources=ports/linux-kmod/vmm/virtio/virtqueue.c,ports/linux-kmod/vmm/virtio/virtio_mmio.c,ports/linux-kmod/vmm/virtio/virtio_blk.c */
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../ports/linux-kmod/vmm/virtio/virtio_blk.h"

#define RAM_GPA  UINT64_C(0x40000000)
#define RAM_SIZE (64u * 1024)
#define SECTORS  16u

static _Alignas(4096) uint8_t ram[RAM_SIZE];
static char image[64];
static int ready;

static void make_image(void)
{
	strcpy(image, "/tmp/fuzz-virtio-XXXXXX");
	int fd = mkstemp(image);
	if (fd < 0 || ftruncate(fd, SECTORS * 512) != 0)
		abort();
	close(fd);
	ready = 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ready)
		make_image();
	if (size < 1)
		return 0;
	unsigned n = data[0] % 33;
	size_t regs = 1 + (size_t)n * 6;
	if (size < regs)
		return 0;
	memset(ram, 0, sizeof(ram));
	size_t rest = size - regs < RAM_SIZE ? size - regs : RAM_SIZE;
	memcpy(ram, data + regs, rest);

	struct guest_mem mem = {.host = ram, .gpa_base = RAM_GPA, .size = RAM_SIZE};
	static struct virtio_blk blk;
	if (virtio_blk_open(&blk, image, false) != 0)
		abort();
	struct virtio_mmio t;
	virtio_mmio_init(&t, &virtio_blk_ops, &blk, &mem, NULL, NULL);
	for (unsigned i = 0; i < n; i++) {
		const uint8_t *r = data + 1 + 6 * i;
		uint32_t off = (uint32_t)(r[0] | r[1] << 8) % VIRTIO_MMIO_SIZE & ~3u;
		uint8_t v[8] = {r[2], r[3], r[4], r[5]};
		/* queue addresses land inside (or just outside) the small RAM */
		if (off == VIRTIO_MMIO_QUEUE_DESC_HIGH || off == VIRTIO_MMIO_QUEUE_DRIVER_HIGH ||
		    off == VIRTIO_MMIO_QUEUE_DEVICE_HIGH)
			memset(v, 0, 4);
		if (off == VIRTIO_MMIO_QUEUE_DESC_LOW || off == VIRTIO_MMIO_QUEUE_DRIVER_LOW ||
		    off == VIRTIO_MMIO_QUEUE_DEVICE_LOW) {
			uint32_t low =
			    (uint32_t)(RAM_GPA + ((uint32_t)(v[0] | v[1] << 8 | v[2] << 16) %
			                          (RAM_SIZE + 4096)));
			for (int b = 0; b < 4; b++)
				v[b] = (uint8_t)(low >> (8 * b));
		}
		virtio_mmio_access(&t, off, true, 4, v);
	}
	uint8_t v[8] = {0};
	virtio_mmio_access(&t, VIRTIO_MMIO_QUEUE_NOTIFY, true, 4, v);
	virtio_mmio_access(&t, VIRTIO_MMIO_STATUS, true, 4, v); /* reset */
	if (t.status != 0 || t.vq[0].ready)
		abort();
	struct stat st;
	if (fstat(blk.fd, &st) != 0 || st.st_size != SECTORS * 512)
		abort();
	virtio_blk_close(&blk);
	return 0;
}
