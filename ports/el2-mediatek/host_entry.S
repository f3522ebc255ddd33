/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Where the firmware starts or resumes a CPU for the host (the entry point
 * core/exit/host_psci.c puts in the host's CPU_ON and CPU_SUSPEND): at EL2,
 * MMU off, x0 = the context ID EL2 chose (the CPU's index). Vectors, the
 * CPU's index in TPIDR_EL2, its stack in el2_cpu_stacks (as boot.S gives a
 * secondary), then el2_mtk_cpu_arrived(index), which does not return. An
 * index past the stacks parks the CPU.
 */
#define EL2_MAX_CPUS        8
#define EL2_CPU_STACK_SHIFT 14

	.text
	.globl	el2_mtk_cpu_entry
	.balign	4
el2_mtk_cpu_entry:
	mov	x19, x0
	cmp	x19, #EL2_MAX_CPUS
	b.hs	2f
	adrp	x1, el2_vectors
	add	x1, x1, :lo12:el2_vectors
	msr	vbar_el2, x1
	msr	tpidr_el2, x19
	adrp	x1, el2_cpu_stacks
	add	x1, x1, :lo12:el2_cpu_stacks
	add	x2, x19, #1
	add	x1, x1, x2, lsl #EL2_CPU_STACK_SHIFT
	mov	sp, x1
	isb
	mov	x0, x19
	bl	el2_mtk_cpu_arrived
2:	wfe
	b	2b
