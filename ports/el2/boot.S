/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 entry as an arm64 Image, the contract QEMU's -kernel and U-Boot's
 * booti share: the Image header (Linux
 * Documentation/arm64/booting.rst layout: code0, text_offset, image_size,
 * flags, magic "ARM\x64" at 0x38), then self-relocation of the static PIE
 * (R_AARCH64_RELATIVE entries), VBAR_EL2, a stack, BSS, and el2_main(dtb).
 * Entered at EL2 with the MMU off and x0 = the DTB's physical address.
 */
#define R_AARCH64_RELATIVE 1027

	.section .text.head, "ax"
	.globl	_start
_start:
	b	el2_entry		/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset: loaded at a 2 MiB boundary + 0 */
	.quad	0			/* image_size: patched by mkimage.sh (non-zero) */
	.quad	0xa			/* flags: LE, 4 KiB pages, anywhere in RAM */
	.quad	0, 0, 0			/* res2..res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */

el2_entry:
	mov	x20, x0			/* DTB */
	adr	x1, _start		/* where we run; linked at 0 */
	adrp	x2, __rela_start
	add	x2, x2, :lo12:__rela_start
	adrp	x3, __rela_end
	add	x3, x3, :lo12:__rela_end
1:	cmp	x2, x3
	b.hs	2f
	ldp	x4, x5, [x2]		/* r_offset, r_info */
	ldr	x6, [x2, #16]		/* r_addend */
	add	x2, x2, #24
	cmp	w5, #R_AARCH64_RELATIVE
	b.ne	1b
	add	x6, x6, x1
	str	x6, [x1, x4]
	b	1b
2:	adrp	x1, el2_vectors
	add	x1, x1, :lo12:el2_vectors
	msr	vbar_el2, x1
	msr	tpidr_el2, xzr		/* CPU index 0 (el2_cpu_id) */
	adrp	x1, __bss_start
	add	x1, x1, :lo12:__bss_start
	adrp	x2, __bss_end
	add	x2, x2, :lo12:__bss_end
3:	cmp	x1, x2
	b.hs	4f
	str	xzr, [x1], #8
	b	3b
4:	adrp	x1, __stack_top
	add	x1, x1, :lo12:__stack_top
	mov	sp, x1
	isb
	mov	x0, x20
	bl	el2_main
5:	wfe
	b	5b

/*
 * A secondary CPU, started by the host's PSCI CPU_ON at EL2 with the MMU
 * off and x0 = its index (the context ID el2_smp_start passed): vectors, its
 * own 16 KiB stack in el2_cpu_stacks, then el2_secondary_main(index), which
 * turns the MMU on first.
 */
#define EL2_CPU_STACK_SHIFT 14

	.text
	.globl	el2_secondary_entry
el2_secondary_entry:
	mov	x19, x0
	adrp	x1, el2_vectors
	add	x1, x1, :lo12:el2_vectors
	msr	vbar_el2, x1
	msr	tpidr_el2, x19		/* CPU index (el2_cpu_id) */
	adrp	x1, el2_cpu_stacks
	add	x1, x1, :lo12:el2_cpu_stacks
	add	x2, x19, #1
	add	x1, x1, x2, lsl #EL2_CPU_STACK_SHIFT
	mov	sp, x1
	isb
	mov	x0, x19
	bl	el2_secondary_main
6:	wfe
	b	6b
