/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the nested-Linux test image (tests/kmod/nested-linux.sh): gzvm-vmm
 * starts a raw image at its first byte with x0..x3 undefined; Linux wants
 * x0 = its device tree and x1..x3 = 0 (booting.rst), and its Image at a
 * 2 MiB aligned address. The image is this page, the Image at +2 MiB, the
 * DTB at +64 MiB (0x44000000), the initramfs at +66 MiB.
 */
	.text
	.globl	_start
_start:
	movz	x0, #0x4400, lsl #16	/* 0x44000000: the DTB */
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	b	_start + 0x200000	/* the Image */
