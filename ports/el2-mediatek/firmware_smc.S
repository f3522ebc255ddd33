/* SPDX-License-Identifier: Apache-2.0 */
/*
 * el2_mtk_firmware_smc(uint64_t x[18]): SMC #0 from EL2 to the firmware
 * with x0-x17 loaded from x[] and stored back there after (SMCCC 1.2:
 * arguments and results in x0-x17; the firmware keeps x18-x30).
 */
	.text
	.globl	el2_mtk_firmware_smc
	.balign	4
el2_mtk_firmware_smc:
	str	x0, [sp, #-16]!		/* x[]; [sp, #8] takes the result x17 */
	mov	x17, x0
	ldp	x0, x1, [x17, #0]
	ldp	x2, x3, [x17, #16]
	ldp	x4, x5, [x17, #32]
	ldp	x6, x7, [x17, #48]
	ldp	x8, x9, [x17, #64]
	ldp	x10, x11, [x17, #80]
	ldp	x12, x13, [x17, #96]
	ldp	x14, x15, [x17, #112]
	ldr	x16, [x17, #128]
	ldr	x17, [x17, #136]
	smc	#0
	str	x17, [sp, #8]
	ldr	x17, [sp]
	stp	x0, x1, [x17, #0]
	stp	x2, x3, [x17, #16]
	stp	x4, x5, [x17, #32]
	stp	x6, x7, [x17, #48]
	stp	x8, x9, [x17, #64]
	stp	x10, x11, [x17, #80]
	stp	x12, x13, [x17, #96]
	stp	x14, x15, [x17, #112]
	str	x16, [x17, #128]
	ldr	x16, [sp, #8]
	str	x16, [x17, #136]
	add	sp, sp, #16
	ret
