/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Entry of every contract guest, at EL1 with the MMU off. vCPU 0 enters at
 * _start with the arm64 boot protocol's x0..x3 (x0 = the device tree),
 * kept in boot_regs[0..3]; vCPUs started with PSCI CPU_ON enter at
 * secondary_entry with x0 = their index (the context_id the guest passes).
 */
	.section .text.start, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	mov	x19, x0			/* boot protocol registers, until .bss is clear */
	mov	x20, x1
	mov	x21, x2
	mov	x22, x3
	adrp	x1, __stacks_start
	add	x1, x1, :lo12:__stacks_start
	add	sp, x1, #16384		/* vCPU 0's stack */
	adrp	x0, guest_vectors
	add	x0, x0, :lo12:guest_vectors
	msr	vbar_el1, x0
	isb
	adrp	x0, __bss_start
	add	x0, x0, :lo12:__bss_start
	adrp	x1, __bss_end
	add	x1, x1, :lo12:__bss_end
1:	cmp	x0, x1
	b.hs	2f
	str	xzr, [x0], #8
	b	1b
2:	adrp	x0, boot_regs
	add	x0, x0, :lo12:boot_regs
	stp	x19, x20, [x0]
	stp	x21, x22, [x0, #16]
	bl	main
	mov	w1, w0			/* exit status for SYSTEM_OFF */
	bl	psci_system_off_status
3:	wfi
	b	3b

	.global secondary_entry
secondary_entry:
	msr	daifset, #0xf
	and	x19, x0, #7
	adrp	x1, __stacks_start
	add	x1, x1, :lo12:__stacks_start
	add	x2, x19, #1
	lsl	x2, x2, #14
	add	sp, x1, x2
	adrp	x1, guest_vectors
	add	x1, x1, :lo12:guest_vectors
	msr	vbar_el1, x1
	isb
	mov	x0, x19
	bl	secondary_main
	bl	psci_cpu_off
4:	wfi
	b	4b

	.bss
	.balign	8
	.global	boot_regs
boot_regs:
	.skip	32
