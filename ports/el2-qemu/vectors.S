/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors (Arm ARM D1.10.2: 16 entries of 0x80 bytes, table
 * aligned to 2 KiB). Bring-up stage: every exception taken at EL2 is
 * reported by el2_unexpected() with its vector index and ESR/ELR/FAR, and
 * the hypervisor stops there (lower-EL guest entries come with the world
 * switch).
 */
	.section .vectors, "ax"
	.balign	2048
	.globl	el2_vectors
el2_vectors:
	.irp	idx, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	.balign	0x80
	mov	x0, #\idx
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	el2_unexpected
	.endr
