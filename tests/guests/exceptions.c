/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: exceptions an EL1 guest takes itself (never trapped to
 * EL2), and a call the hypervisor refuses. SVC, BRK, an undefined
 * instruction, an EL2 register read from EL1 (UNDEF), HVC with a non-zero
 * immediate (SMCCC NOT_SUPPORTED in x0) and an unknown SMCCC function.
 */
#include "lib/guest.h"

static volatile unsigned taken;

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	unsigned ec = (unsigned)(esr >> 26);
	puts_("sync ec=");
	put_hex(ec);
	puts_(" iss=");
	put_hex(esr & 0x1ffffff);
	putc_('\n');
	taken++;
	if (ec != 0x15) /* SVC returns past itself; the others are skipped */
		f->elr += 4;
}

static uint64_t __attribute__((noinline)) hvc_imm1(uint64_t fid)
{
	register uint64_t x0 __asm__("x0") = fid;
	__asm__ volatile("hvc #1" : "+r"(x0)::"x1", "x2", "x3", "memory");
	return x0;
}

int main(void)
{
	puts_("svc #0x42\n");
	__asm__ volatile("svc #0x42" ::: "memory");
	puts_("brk #7\n");
	__asm__ volatile("brk #7" ::: "memory");
	puts_("udf\n");
	__asm__ volatile(".inst 0x00000000" ::: "memory");
	puts_("mrs hcr_el2 at EL1\n");
	uint64_t v = 0;
	__asm__ volatile("mrs %0, hcr_el2" : "+r"(v)::"memory");
	puts_("hvc #1 returns ");
	put_dec((int64_t)hvc_imm1(0x84000000u));
	putc_('\n');
	puts_("unknown smccc function returns ");
	put_dec((int64_t)smccc(0x82000123u, 0, 0, 0));
	putc_('\n');
	print("exceptions taken ", taken);
	return taken == 4 ? 0 : 1;
}
