/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL1 vector table (Arm ARM D1.10.2): every entry saves x0-x30, ELR, SPSR
 * and calls guest_exception(kind, frame) with kind = entry index 0..15.
 * The handler may change frame->elr (to skip a faulting instruction).
 */
	.macro entry kind
	.balign 0x80
	sub	sp, sp, #272
	stp	x0, x1, [sp, #0]
	mov	x0, #\kind
	b	vector_common
	.endm

	.section .vectors, "ax"
	.global guest_vectors
	.balign 2048
guest_vectors:
	.irp k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	entry \k
	.endr

vector_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	mrs	x1, elr_el1
	mrs	x2, spsr_el1
	stp	x30, x1, [sp, #240]
	str	x2, [sp, #256]
	mov	x1, sp
	bl	guest_exception
	ldp	x30, x1, [sp, #240]
	ldr	x2, [sp, #256]
	msr	elr_el1, x1
	msr	spsr_el1, x2
	ldp	x0, x1, [sp, #0]
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	add	sp, sp, #272
	eret
