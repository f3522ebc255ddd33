/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 exception vectors (Arm ARM D1.10.2: 16 entries of 0x80 bytes, table
 * aligned to 2 KiB). Exceptions from the guest (lower EL, AArch64: entries
 * 8..11) leave the guest through world_switch.S; anything taken from EL2
 * itself, or from AArch32, is a hypervisor bug: el2_unexpected() reports
 * the vector index and ESR/ELR/FAR and stops.
 */
	.macro	unexpected idx
	.balign	0x80
	mov	x0, #\idx
	mrs	x1, esr_el2
	mrs	x2, elr_el2
	mrs	x3, far_el2
	b	el2_unexpected
	.endm

	.macro	to_guest_exit target
	.balign	0x80
	b	\target
	.endm

	.section .vectors, "ax"
	.balign	2048
	.globl	el2_vectors
el2_vectors:
	.irp	idx, 0,1,2,3,4,5,6,7
	unexpected \idx
	.endr
	to_guest_exit el2_guest_exit_sync
	to_guest_exit el2_guest_exit_irq
	to_guest_exit el2_guest_exit_fiq
	to_guest_exit el2_guest_exit_serror
	.irp	idx, 12,13,14,15
	unexpected \idx
	.endr
