/* SPDX-License-Identifier: Apache-2.0 */
/* virtio-blk over a raw image (virtio_blk.h; VIRTIO 1.1, 5.2). */
#define _GNU_SOURCE
#include "virtio_blk.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REQ_HEADER 16u /* le32 type, le32 reserved, le64 sector */

int virtio_blk_open(struct virtio_blk *blk, const char *path, bool ro)
{
	memset(blk, 0, sizeof(*blk));
	blk->fd = open(path, (ro ? O_RDONLY : O_RDWR) | O_CLOEXEC);
	if (blk->fd < 0)
		return -errno;
	struct stat st;
	int err = 0;
	if (fstat(blk->fd, &st) != 0)
		err = -errno;
	else if (!S_ISREG(st.st_mode) || st.st_size % VIRTIO_BLK_SECTOR)
		err = -EINVAL;
	if (err) {
		close(blk->fd);
		blk->fd = -1;
		return err;
	}
	blk->read_only = ro;
	blk->capacity = (uint64_t)st.st_size / VIRTIO_BLK_SECTOR;
	snprintf(blk->id, sizeof(blk->id), "hvcore-%llx", (unsigned long long)st.st_ino);
	return 0;
}

void virtio_blk_close(struct virtio_blk *blk)
{
	if (blk->fd >= 0)
		close(blk->fd);
	blk->fd = -1;
}

static void config_read(void *dev, uint32_t off, uint8_t *out, unsigned size)
{
	const struct virtio_blk *blk = dev;
	uint8_t cfg[8]; /* capacity, le64 (5.2.4); the rest of the config is not offered */
	for (unsigned i = 0; i < 8; i++)
		cfg[i] = (uint8_t)(blk->capacity >> (8 * i));
	memcpy(out, cfg + off, size);
}

/* A request's bytes across its segments: [0, readable) then writable. */
struct req_view {
	const struct vq_chain *c;
	uint64_t readable, writable;
};

static bool view(const struct vq_chain *c, struct req_view *v)
{
	v->c = c;
	v->readable = v->writable = 0;
	for (unsigned i = 0; i < c->nr_segs; i++) {
		if (c->segs[i].device_writes)
			v->writable += c->segs[i].len;
		else if (v->writable)
			return false; /* readable after writable (2.6.4.2) */
		else
			v->readable += c->segs[i].len;
	}
	return v->writable >= 1;
}

/* Copies `len` bytes at byte `pos` of the readable (or writable) part. */
static void copy_part(const struct req_view *v, bool writable, uint64_t pos, uint8_t *buf,
                      uint64_t len, bool to_guest)
{
	for (unsigned i = 0; i < v->c->nr_segs && len; i++) {
		const struct vq_seg *s = &v->c->segs[i];
		if (s->device_writes != writable)
			continue;
		if (pos >= s->len) {
			pos -= s->len;
			continue;
		}
		uint64_t n = s->len - pos < len ? s->len - pos : len;
		if (to_guest)
			memcpy(s->ptr + pos, buf, n);
		else
			memcpy(buf, s->ptr + pos, n);
		buf += n;
		len -= n;
		pos = 0;
	}
}

static bool in_range(const struct virtio_blk *blk, uint64_t sector, uint64_t bytes)
{
	return bytes % VIRTIO_BLK_SECTOR == 0 && sector <= blk->capacity &&
	       bytes / VIRTIO_BLK_SECTOR <= blk->capacity - sector;
}

/* Moves bytes between the image and the request's data part in chunks. */
static bool transfer(struct virtio_blk *blk, const struct req_view *v, bool write_image,
                     uint64_t sector, uint64_t data_pos, uint64_t bytes)
{
	uint8_t chunk[64 * 1024];
	uint64_t done = 0;
	while (done < bytes) {
		size_t n = bytes - done < sizeof(chunk) ? (size_t)(bytes - done) : sizeof(chunk);
		off_t at = (off_t)(sector * VIRTIO_BLK_SECTOR + done);
		if (write_image) {
			copy_part(v, false, data_pos + done, chunk, n, false);
			if (pwrite(blk->fd, chunk, n, at) != (ssize_t)n)
				return false;
		} else {
			if (pread(blk->fd, chunk, n, at) != (ssize_t)n)
				return false;
			copy_part(v, true, done, chunk, n, true);
		}
		done += n;
	}
	return true;
}

/* Serves one request; returns the bytes written into the guest's buffers. */
static uint32_t serve(struct virtio_blk *blk, const struct req_view *v)
{
	uint8_t hdr[REQ_HEADER] = {0}, status = VIRTIO_BLK_S_IOERR;
	uint64_t written = 1; /* the status byte */
	if (v->readable >= REQ_HEADER) {
		copy_part(v, false, 0, hdr, REQ_HEADER, false);
		uint32_t type = (uint32_t)hdr[0] | (uint32_t)hdr[1] << 8 | (uint32_t)hdr[2] << 16 |
		                (uint32_t)hdr[3] << 24;
		uint64_t sector = 0;
		for (int i = 7; i >= 0; i--)
			sector = sector << 8 | hdr[8 + i];
		uint64_t in_bytes = v->writable - 1, out_bytes = v->readable - REQ_HEADER;
		switch (type) {
		case VIRTIO_BLK_T_IN:
			if (in_range(blk, sector, in_bytes) &&
			    transfer(blk, v, false, sector, 0, in_bytes)) {
				status = VIRTIO_BLK_S_OK;
				written += in_bytes;
			}
			break;
		case VIRTIO_BLK_T_OUT:
			if (!blk->read_only && in_range(blk, sector, out_bytes) &&
			    transfer(blk, v, true, sector, REQ_HEADER, out_bytes))
				status = VIRTIO_BLK_S_OK;
			break;
		case VIRTIO_BLK_T_FLUSH:
			if (blk->read_only || fdatasync(blk->fd) == 0)
				status = VIRTIO_BLK_S_OK;
			break;
		case VIRTIO_BLK_T_GET_ID: {
			uint64_t n =
			    in_bytes < VIRTIO_BLK_ID_BYTES ? in_bytes : VIRTIO_BLK_ID_BYTES;
			uint8_t id[VIRTIO_BLK_ID_BYTES] = {0};
			memcpy(id, blk->id, strnlen(blk->id, sizeof(blk->id)));
			copy_part(v, true, 0, id, n, true);
			written += n;
			status = VIRTIO_BLK_S_OK;
			break;
		}
		default: status = VIRTIO_BLK_S_UNSUPP; break;
		}
	}
	copy_part(v, true, v->writable - 1, &status, 1, true);
	blk->requests++;
	if (status != VIRTIO_BLK_S_OK)
		blk->errors++;
	return (uint32_t)written;
}

void virtio_blk_notify(void *dev, struct virtio_mmio *t, uint16_t q)
{
	struct virtio_blk *blk = dev;
	struct virtqueue *vq = &t->vq[q];
	bool used = false;
	for (;;) {
		enum vq_result r = vq_pop(vq, t->mem, &blk->chain);
		if (r == VQ_EMPTY)
			break;
		struct req_view v;
		if (r == VQ_BROKEN || !view(&blk->chain, &v)) {
			virtio_mmio_needs_reset(t);
			break;
		}
		uint32_t written = serve(blk, &v);
		if (!vq_push(vq, t->mem, blk->chain.head, written)) {
			virtio_mmio_needs_reset(t);
			break;
		}
		used = true;
	}
	if (used)
		virtio_mmio_used(t);
}

const struct virtio_device_ops virtio_blk_ops = {
    .device_id = VIRTIO_ID_BLOCK,
    .features = 1ull << VIRTIO_BLK_F_FLUSH,
    .nr_queues = 1,
    .queue_max = VQ_MAX_SIZE,
    .config_size = 8,
    .config_read = config_read,
    .notify = virtio_blk_notify,
};

const struct virtio_device_ops virtio_blk_ops_ro = {
    .device_id = VIRTIO_ID_BLOCK,
    .features = 1ull << VIRTIO_BLK_F_FLUSH | 1ull << VIRTIO_BLK_F_RO,
    .nr_queues = 1,
    .queue_max = VQ_MAX_SIZE,
    .config_size = 8,
    .config_read = config_read,
    .notify = virtio_blk_notify,
};
