/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: accesses to an IPA with no memory and no device (the hole
 * at 0x0A000000) come back as synchronous external aborts (EC 0x25 from EL1,
 * DFSC 0x10), with FAR_EL1 the address; the guest skips the access.
 */
#include "lib/guest.h"

static volatile int aborts;

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("abort ec=");
	put_hex(esr >> 26);
	puts_(" fsc=");
	put_hex(esr & 0x3f);
	puts_(" wnr=");
	put_hex((esr >> 6) & 1);
	puts_(" far=");
	put_hex(far);
	putc_('\n');
	aborts++;
	f->elr += 4;
}

int main(void)
{
	uint64_t v = 0x77;
	puts_("load from the hole\n");
	__asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(GUEST_HOLE_BASE + 0x10) : "memory");
	print("value kept ", v);
	puts_("store to the hole\n");
	__asm__ volatile("strb %w0, [%1]" ::"r"(1), "r"(GUEST_HOLE_BASE + 0xfff001) : "memory");
	puts_("pair load from the hole\n");
	uint64_t a = 1, b = 2;
	__asm__ volatile("ldp %0, %1, [%2]" : "+r"(a), "+r"(b) : "r"(GUEST_HOLE_BASE) : "memory");
	print("aborts ", aborts);
	return aborts == 3 ? 0 : 1;
}
