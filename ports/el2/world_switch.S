/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest entry and exit. el2_guest_enter(ctx) saves the hypervisor's
 * callee-saved registers on the EL2 stack, loads the guest's general
 * registers, SP_EL0/SP_EL1, ELR_EL2 (pc) and SPSR_EL2 (pstate) from
 * struct hv_vcpu_regs (offsets checked in guest.c) and ERETs. An exception
 * from the guest (lower EL, AArch64) lands in el2_guest_exit_*: the guest's
 * registers go back into the context (whose address el2_guest_enter left in
 * its frame on the EL2 stack: SP_EL2 is the same at the exception as at the
 * ERET) and el2_guest_enter returns the exit kind (0 synchronous, 1 IRQ,
 * 2 FIQ, 3 SError). TPIDR_EL2 is this CPU's index (boot.S, el2_cpu_id).
 * el2_guest_enter_prof(ctx, prof) does the same and, if prof (struct
 * el2_prof_asm, exit_stats.h) is not NULL, writes the counter before the
 * guest's registers are loaded (eret), once they are saved again (vector)
 * and the exit kind.
 */
#define PROF_VECTOR 0
#define PROF_ERET 8
#define PROF_KIND 16
#define FRAME 112	/* x19..x30, then prof and ctx */
#define FRAME_PROF 96
#define FRAME_CTX 104
#define CTX_SP_EL0 248
#define CTX_SP_EL1 256
#define CTX_PC 264
#define CTX_PSTATE 272

	.text
	.globl	el2_guest_enter, el2_guest_enter_prof
el2_guest_enter:
	mov	x1, xzr
el2_guest_enter_prof:
	sub	sp, sp, #FRAME
	stp	x19, x20, [sp, #0]
	stp	x21, x22, [sp, #16]
	stp	x23, x24, [sp, #32]
	stp	x25, x26, [sp, #48]
	stp	x27, x28, [sp, #64]
	stp	x29, x30, [sp, #80]
	stp	x1, x0, [sp, #FRAME_PROF]
	ldr	x1, [x0, #CTX_SP_EL0]
	msr	sp_el0, x1
	ldr	x1, [x0, #CTX_SP_EL1]
	msr	sp_el1, x1
	ldr	x1, [x0, #CTX_PC]
	msr	elr_el2, x1
	ldr	x1, [x0, #CTX_PSTATE]
	msr	spsr_el2, x1
	ldr	x1, [sp, #FRAME_PROF]
	cbz	x1, 1f
	mrs	x2, cntpct_el0
	str	x2, [x1, #PROF_ERET]
1:
	ldp	x2, x3, [x0, #16]
	ldp	x4, x5, [x0, #32]
	ldp	x6, x7, [x0, #48]
	ldp	x8, x9, [x0, #64]
	ldp	x10, x11, [x0, #80]
	ldp	x12, x13, [x0, #96]
	ldp	x14, x15, [x0, #112]
	ldp	x16, x17, [x0, #128]
	ldp	x18, x19, [x0, #144]
	ldp	x20, x21, [x0, #160]
	ldp	x22, x23, [x0, #176]
	ldp	x24, x25, [x0, #192]
	ldp	x26, x27, [x0, #208]
	ldp	x28, x29, [x0, #224]
	ldr	x30, [x0, #240]
	ldp	x0, x1, [x0, #0]
	eret
	dsb	nsh
	isb

/* Common exit: x0/x1 of the guest are on the stack, x1 = exit kind. */
	.macro	guest_exit kind
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	el2_guest_exit_common
	.endm

	.globl	el2_guest_exit_sync, el2_guest_exit_irq, el2_guest_exit_fiq, el2_guest_exit_serror
el2_guest_exit_sync:
	guest_exit 0
el2_guest_exit_irq:
	guest_exit 1
el2_guest_exit_fiq:
	guest_exit 2
el2_guest_exit_serror:
	guest_exit 3

el2_guest_exit_common:
	ldr	x0, [sp, #16 + FRAME_CTX]	/* above the guest's x0, x1 */
	stp	x2, x3, [x0, #16]
	stp	x4, x5, [x0, #32]
	stp	x6, x7, [x0, #48]
	stp	x8, x9, [x0, #64]
	stp	x10, x11, [x0, #80]
	stp	x12, x13, [x0, #96]
	stp	x14, x15, [x0, #112]
	stp	x16, x17, [x0, #128]
	stp	x18, x19, [x0, #144]
	stp	x20, x21, [x0, #160]
	mrs	x20, cntpct_el0		/* the profile's vector stamp */
	stp	x22, x23, [x0, #176]
	stp	x24, x25, [x0, #192]
	stp	x26, x27, [x0, #208]
	stp	x28, x29, [x0, #224]
	str	x30, [x0, #240]
	mov	x19, x1			/* exit kind */
	ldp	x2, x3, [sp], #16	/* the guest's x0, x1 */
	stp	x2, x3, [x0, #0]
	mrs	x1, sp_el0
	str	x1, [x0, #CTX_SP_EL0]
	mrs	x1, sp_el1
	str	x1, [x0, #CTX_SP_EL1]
	mrs	x1, elr_el2
	str	x1, [x0, #CTX_PC]
	mrs	x1, spsr_el2
	str	x1, [x0, #CTX_PSTATE]
	ldr	x2, [sp, #FRAME_PROF]
	cbz	x2, 1f
	str	x20, [x2, #PROF_VECTOR]
	str	x19, [x2, #PROF_KIND]
1:
	mov	x0, x19
	ldp	x19, x20, [sp, #0]
	ldp	x21, x22, [sp, #16]
	ldp	x23, x24, [sp, #32]
	ldp	x25, x26, [sp, #48]
	ldp	x27, x28, [sp, #64]
	ldp	x29, x30, [sp, #80]
	add	sp, sp, #FRAME
	ret
