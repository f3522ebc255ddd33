/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A QEMU scheduling bug without hvcore: under -icount with several CPUs on
 * QEMU before 8.1, a CPU that busy-waits (no YIELD, WFE or WFI) never lets
 * the next CPU run again. Bare metal at EL1 on -M virt, -smp 2:
 *   CPU 0 starts CPU 1 (PSCI CPU_ON over HVC, DEN0022), waits for `ready`
 *   (with YIELD), stores `go`, then spins until `done` for one second of
 *   its virtual counter; CPU 1 says `ready`, waits for `go` (with YIELD)
 *   and stores `done`.
 * Built with -DSPIN_YIELD, CPU 0's spin has a YIELD in it. Semihosting
 * prints the verdict and exits with status 0 (done) or 1 (starved).
 * scripts/qemu-icount-starve.sh builds and runs both; README, core/sched.
 */
	.text
	.global	_start
_start:
	mrs	x0, mpidr_el1
	and	x0, x0, #0xff
	cbnz	x0, park
	ldr	x0, =0xc4000003		/* PSCI CPU_ON (SMC64) */
	mov	x1, #1			/* target MPIDR */
	adr	x2, secondary		/* entry point */
	mov	x3, #0
	hvc	#0
1:	ldr	w0, ready
	yield
	cbz	w0, 1b
	mov	w0, #1
	adr	x1, go
	str	w0, [x1]
	mrs	x5, cntfrq_el0		/* one second of counter */
	mrs	x6, cntvct_el0
2:	ldr	w0, done
	cbnz	w0, ran
#ifdef SPIN_YIELD
	yield
#endif
	mrs	x1, cntvct_el0
	sub	x1, x1, x6
	cmp	x1, x5
	b.lo	2b
	adr	x1, msg_starved
	mov	x2, #1
	b	finish
ran:	adr	x1, msg_ran
	mov	x2, #0
finish:	mov	x0, #0x04		/* semihosting SYS_WRITE0 */
	hlt	#0xf000
	adr	x1, exit_block		/* SYS_EXIT: reason, subcode (status) */
	str	x2, [x1, #8]
	mov	x0, #0x18
	hlt	#0xf000
park:	wfi
	b	park

secondary:
	mov	w0, #1
	adr	x1, ready
	str	w0, [x1]
3:	ldr	w0, go
	yield
	cbz	w0, 3b
	adr	x1, done
	str	w0, [x1]
4:	wfi
	b	4b

	.balign	8
exit_block:	.quad	0x20026, 0	/* ADP_Stopped_ApplicationExit */
ready:	.word	0
go:	.word	0
done:	.word	0
msg_ran:	.asciz	"starve: cpu 1 ran\n"
msg_starved:	.asciz	"starve: cpu 1 never ran again in 1 s of virtual time\n"
