/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of the 8250 console smoke image on QEMU's raspi3b: CPU 0 arrives
 * here at EL2 (raw image at 0x80000); x0 = CurrentEL for main, a stack
 * below the image, then main; main's return value is the semihosting
 * SYS_EXIT_EXTENDED status (Arm semihosting 0x20: reason
 * ADP_Stopped_ApplicationExit 0x20026 and the code).
 */
	.section .text.boot, "ax"
	.global _start
_start:
	mrs	x1, mpidr_el1
	and	x1, x1, #0xff
	cbnz	x1, park
	ldr	x1, =_start
	mov	sp, x1
	mrs	x0, CurrentEL
	bl	smoke_main
	adr	x1, exit_block
	str	x0, [x1, #8]
	mov	w0, #0x20		/* SYS_EXIT_EXTENDED */
	hlt	#0xf000
park:
	wfe
	b	park

	.data
	.balign 8
exit_block:
	.quad	0x20026			/* ADP_Stopped_ApplicationExit */
	.quad	0
