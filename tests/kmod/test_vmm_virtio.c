/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm's virtio devices on the build machine (ports/linux-kmod/vmm/
 * virtio): the virtio-mmio transport driven as Linux's virtio_mmio driver
 * does it, virtio-blk requests of several shapes against a raw image, and a
 * hostile driver (descriptors outside RAM, loops, sizes not offered, bad
 * sectors, a read-only image written): errors to the guest, the image
 * untouched, never an access outside guest memory (ASan in the asan preset).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "virtio/virtio_blk.h"

#define RAM_GPA   UINT64_C(0x40000000)
#define RAM_SIZE  (1u << 20)
#define DESC_OFF  0x1000u
#define AVAIL_OFF 0x2000u
#define USED_OFF  0x3000u
#define BUF_OFF   0x10000u
#define QSIZE     16u
#define SECTORS   64u

static uint8_t *ram;
static struct guest_mem mem;
static struct virtio_blk blk;
static struct virtio_mmio t;
static unsigned irqs;
static char image[64];
static uint16_t avail_idx, used_seen;

static void irq(void *arg)
{
	(void)arg;
	irqs++;
}

static void wr(uint32_t off, uint32_t v)
{
	uint8_t d[8] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	cr_assert(virtio_mmio_access(&t, off, true, 4, d));
}

static uint32_t rd(uint32_t off)
{
	uint8_t d[8];
	cr_assert(virtio_mmio_access(&t, off, false, 4, d));
	return (uint32_t)d[0] | (uint32_t)d[1] << 8 | (uint32_t)d[2] << 16 | (uint32_t)d[3] << 24;
}

static void image_fill(void)
{
	int fd = open(image, O_WRONLY | O_TRUNC);
	cr_assert_geq(fd, 0);
	for (unsigned s = 0; s < SECTORS; s++) {
		uint8_t sec[512];
		memset(sec, (int)(s + 1), sizeof(sec));
		cr_assert_eq(write(fd, sec, sizeof(sec)), 512);
	}
	close(fd);
}

static void setup_blk(bool ro)
{
	ram = aligned_alloc(4096, RAM_SIZE);
	memset(ram, 0, RAM_SIZE);
	mem = (struct guest_mem){.host = ram, .gpa_base = RAM_GPA, .size = RAM_SIZE};
	strcpy(image, "/tmp/vmm-virtio-XXXXXX");
	int fd = mkstemp(image);
	cr_assert_geq(fd, 0);
	close(fd);
	image_fill();
	cr_assert_eq(virtio_blk_open(&blk, image, ro), 0);
	virtio_mmio_init(&t, ro ? &virtio_blk_ops_ro : &virtio_blk_ops, &blk, &mem, irq, NULL);
	irqs = 0;
	avail_idx = used_seen = 0;
}

static void teardown(void)
{
	virtio_blk_close(&blk);
	unlink(image);
	free(ram);
}

/* Linux virtio_mmio's bring-up: magic, version, status steps, features,
 * one queue of QSIZE at the fixed offsets, DRIVER_OK. */
static void driver_bringup(uint32_t qsize)
{
	cr_assert_eq(rd(VIRTIO_MMIO_MAGIC_VALUE), 0x74726976);
	cr_assert_eq(rd(VIRTIO_MMIO_VERSION), 2);
	cr_assert_eq(rd(VIRTIO_MMIO_DEVICE_ID), VIRTIO_ID_BLOCK);
	wr(VIRTIO_MMIO_STATUS, 0);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	uint32_t hi = rd(VIRTIO_MMIO_DEVICE_FEATURES);
	wr(VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	uint32_t lo = rd(VIRTIO_MMIO_DEVICE_FEATURES);
	cr_assert(hi & 1u, "VIRTIO_F_VERSION_1 offered");
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, hi);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, lo);
	wr(VIRTIO_MMIO_STATUS,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	cr_assert(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	wr(VIRTIO_MMIO_QUEUE_SEL, 0);
	cr_assert_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), VQ_MAX_SIZE);
	wr(VIRTIO_MMIO_QUEUE_NUM, qsize);
	wr(VIRTIO_MMIO_QUEUE_DESC_LOW, (uint32_t)(RAM_GPA + DESC_OFF));
	wr(VIRTIO_MMIO_QUEUE_DESC_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_DRIVER_LOW, (uint32_t)(RAM_GPA + AVAIL_OFF));
	wr(VIRTIO_MMIO_QUEUE_DRIVER_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_DEVICE_LOW, (uint32_t)(RAM_GPA + USED_OFF));
	wr(VIRTIO_MMIO_QUEUE_DEVICE_HIGH, 0);
	wr(VIRTIO_MMIO_QUEUE_READY, 1);
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	                           VIRTIO_STATUS_FEATURES_OK | VIRTIO_STATUS_DRIVER_OK);
}

static void put16(uint32_t off, uint16_t v)
{
	ram[off] = (uint8_t)v;
	ram[off + 1] = (uint8_t)(v >> 8);
}

static uint16_t get16(uint32_t off)
{
	return (uint16_t)(ram[off] | ram[off + 1] << 8);
}

static uint32_t get32(uint32_t off)
{
	return (uint32_t)get16(off) | (uint32_t)get16(off + 2) << 16;
}

static void desc(unsigned i, uint64_t gpa, uint32_t len, uint16_t flags, uint16_t next)
{
	uint8_t *d = ram + DESC_OFF + 16 * i;
	for (int b = 0; b < 8; b++)
		d[b] = (uint8_t)(gpa >> (8 * b));
	for (int b = 0; b < 4; b++)
		d[8 + b] = (uint8_t)(len >> (8 * b));
	d[12] = (uint8_t)flags;
	d[13] = (uint8_t)(flags >> 8);
	d[14] = (uint8_t)next;
	d[15] = (uint8_t)(next >> 8);
}

static void submit(uint16_t head)
{
	put16(AVAIL_OFF + 4 + 2 * (avail_idx % QSIZE), head);
	avail_idx++;
	put16(AVAIL_OFF + 2, avail_idx);
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
}

/* The used entry for the last request: its id and written length. */
static void expect_used(uint16_t head, uint32_t written)
{
	cr_assert_eq(get16(USED_OFF + 2), (uint16_t)(used_seen + 1), "one used entry");
	uint32_t e = USED_OFF + 4 + 8 * (used_seen % QSIZE);
	cr_expect_eq(get32(e), head);
	cr_expect_eq(get32(e + 4), written);
	used_seen++;
}

static void header(uint32_t off, uint32_t type, uint64_t sector)
{
	memset(ram + off, 0, 16);
	ram[off] = (uint8_t)type;
	for (int b = 0; b < 8; b++)
		ram[off + 8 + b] = (uint8_t)(sector >> (8 * b));
}

static uint8_t image_byte(uint64_t pos)
{
	int fd = open(image, O_RDONLY);
	uint8_t b = 0;
	cr_assert_eq(pread(fd, &b, 1, (off_t)pos), 1);
	close(fd);
	return b;
}

TestSuite(vmm_virtio, .fini = teardown);

Test(vmm_virtio, bringup_config_and_a_read_split_across_descriptors)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	uint8_t cap[8];
	cr_assert(virtio_mmio_access(&t, VIRTIO_MMIO_CONFIG, false, 4, cap));
	cr_expect_eq(cap[0], SECTORS, "capacity in sectors");
	/* header | 512 bytes in two writable halves | status */
	header(BUF_OFF, VIRTIO_BLK_T_IN, 3);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + BUF_OFF + 0x100, 200, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc(2, RAM_GPA + BUF_OFF + 0x400, 312, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 3);
	desc(3, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	ram[BUF_OFF + 0x800] = 0xee;
	submit(0);
	expect_used(0, 513);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_OK);
	cr_expect_eq(ram[BUF_OFF + 0x100], 4, "sector 3 is filled with 4");
	cr_expect_eq(ram[BUF_OFF + 0x400 + 311], 4);
	cr_expect_eq(irqs, 1);
	cr_expect_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), VIRTIO_MMIO_INT_VRING);
	wr(VIRTIO_MMIO_INTERRUPT_ACK, VIRTIO_MMIO_INT_VRING);
	cr_expect_eq(rd(VIRTIO_MMIO_INTERRUPT_STATUS), 0);
}

Test(vmm_virtio, write_then_flush_then_get_id)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	header(BUF_OFF, VIRTIO_BLK_T_OUT, 10);
	memset(ram + BUF_OFF + 0x100, 0xab, 1024);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + BUF_OFF + 0x100, 1024, VIRTQ_DESC_F_NEXT, 2);
	desc(2, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(0);
	expect_used(0, 1);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_OK);
	cr_expect_eq(image_byte(10 * 512), 0xab);
	cr_expect_eq(image_byte(12 * 512 - 1), 0xab);
	cr_expect_eq(image_byte(12 * 512), 13, "the next sector untouched");

	header(BUF_OFF, VIRTIO_BLK_T_FLUSH, 0);
	desc(3, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 4);
	desc(4, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(3);
	expect_used(3, 1);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_OK);

	header(BUF_OFF, VIRTIO_BLK_T_GET_ID, 0);
	desc(5, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 6);
	desc(6, RAM_GPA + BUF_OFF + 0x100, 20, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 7);
	desc(7, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(5);
	expect_used(5, 21);
	cr_expect(memcmp(ram + BUF_OFF + 0x100, "hvcore-", 7) == 0);
}

Test(vmm_virtio, bad_requests_get_errors_and_leave_the_image_alone)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	/* past the end: sector 63 + 2 sectors */
	header(BUF_OFF, VIRTIO_BLK_T_OUT, SECTORS - 1);
	memset(ram + BUF_OFF + 0x100, 0xcd, 1024);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + BUF_OFF + 0x100, 1024, VIRTQ_DESC_F_NEXT, 2);
	desc(2, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(0);
	expect_used(0, 1);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_IOERR);
	cr_expect_eq(image_byte((SECTORS - 1) * 512), SECTORS, "last sector untouched");
	/* a length that is not a whole sector */
	header(BUF_OFF, VIRTIO_BLK_T_IN, 0);
	desc(3, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 4);
	desc(4, RAM_GPA + BUF_OFF + 0x100, 100, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 5);
	desc(5, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(3);
	expect_used(3, 1);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_IOERR);
	/* an unknown type */
	header(BUF_OFF, 0x77, 0);
	submit(3);
	expect_used(3, 1);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_UNSUPP);
	cr_expect_eq(blk.errors, 3);
	cr_expect_not(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
}

Test(vmm_virtio, read_only_image_refuses_writes)
{
	setup_blk(true);
	driver_bringup(QSIZE);
	header(BUF_OFF, VIRTIO_BLK_T_OUT, 0);
	memset(ram + BUF_OFF + 0x100, 0xcd, 512);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + BUF_OFF + 0x100, 512, VIRTQ_DESC_F_NEXT, 2);
	desc(2, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(0);
	expect_used(0, 1);
	cr_expect_eq(ram[BUF_OFF + 0x800], VIRTIO_BLK_S_IOERR);
	cr_expect_eq(image_byte(0), 1);
}

static void expect_broken(void)
{
	cr_expect(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	cr_expect(rd(VIRTIO_MMIO_INTERRUPT_STATUS) & VIRTIO_MMIO_INT_CONFIG);
	cr_expect_eq(get16(USED_OFF + 2), used_seen, "nothing used");
	/* a reset brings the device back */
	wr(VIRTIO_MMIO_STATUS, 0);
	cr_expect_eq(rd(VIRTIO_MMIO_STATUS), 0);
}

Test(vmm_virtio, a_buffer_outside_guest_ram_breaks_the_queue)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	header(BUF_OFF, VIRTIO_BLK_T_IN, 0);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + RAM_SIZE - 256, 512, VIRTQ_DESC_F_NEXT | VIRTQ_DESC_F_WRITE, 2);
	desc(2, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE, 0);
	submit(0);
	expect_broken();
}

Test(vmm_virtio, a_descriptor_loop_breaks_the_queue)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_NEXT, 0);
	submit(0);
	expect_broken();
}

Test(vmm_virtio, no_status_byte_or_readable_after_writable_breaks_the_queue)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	header(BUF_OFF, VIRTIO_BLK_T_FLUSH, 0);
	desc(0, RAM_GPA + BUF_OFF, 16, 0, 0);
	submit(0);
	expect_broken();
	driver_bringup(QSIZE);
	avail_idx = 0;
	desc(0, RAM_GPA + BUF_OFF + 0x800, 1, VIRTQ_DESC_F_WRITE | VIRTQ_DESC_F_NEXT, 1);
	desc(1, RAM_GPA + BUF_OFF, 16, 0, 0);
	submit(0);
	expect_broken();
}

Test(vmm_virtio, indirect_and_out_of_table_indices_break_the_queue)
{
	setup_blk(false);
	driver_bringup(QSIZE);
	desc(0, RAM_GPA + BUF_OFF, 16, VIRTQ_DESC_F_INDIRECT, 0);
	submit(0);
	expect_broken();
	driver_bringup(QSIZE);
	avail_idx = 0;
	submit(QSIZE); /* a head past the table */
	expect_broken();
	driver_bringup(QSIZE);
	avail_idx = 0;
	put16(AVAIL_OFF + 2, QSIZE + 5); /* more available than the ring holds */
	wr(VIRTIO_MMIO_QUEUE_NOTIFY, 0);
	expect_broken();
}

Test(vmm_virtio, queue_sizes_and_features_not_offered_are_refused)
{
	setup_blk(false);
	driver_bringup(24); /* not a power of two */
	cr_expect(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_DEVICE_NEEDS_RESET);
	cr_expect_eq(rd(VIRTIO_MMIO_QUEUE_READY), 0);
	wr(VIRTIO_MMIO_STATUS, 0);
	/* a feature the device did not offer: FEATURES_OK does not stick */
	wr(VIRTIO_MMIO_STATUS, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1);
	wr(VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	wr(VIRTIO_MMIO_DRIVER_FEATURES, 1u << 3);
	wr(VIRTIO_MMIO_STATUS,
	   VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER | VIRTIO_STATUS_FEATURES_OK);
	cr_expect_not(rd(VIRTIO_MMIO_STATUS) & VIRTIO_STATUS_FEATURES_OK);
	/* a second queue does not exist; 64-bit and misaligned accesses are refused */
	wr(VIRTIO_MMIO_QUEUE_SEL, 1);
	cr_expect_eq(rd(VIRTIO_MMIO_QUEUE_NUM_MAX), 0);
	uint8_t d[8] = {0};
	cr_expect_not(virtio_mmio_access(&t, VIRTIO_MMIO_STATUS, false, 8, d));
	cr_expect_not(virtio_mmio_access(&t, VIRTIO_MMIO_STATUS + 2, false, 2, d));
	cr_expect_not(virtio_mmio_access(&t, VIRTIO_MMIO_SIZE, false, 4, d));
}
