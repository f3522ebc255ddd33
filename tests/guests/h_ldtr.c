/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest: unprivileged loads and stores (LDTR/STTR and their byte,
 * halfword and sign-extending forms) to the PL011. Hardware reports them
 * with a valid syndrome (ISV=1), so the hypervisor emulates them like
 * LDR/STR: STTRB prints, LDTR* read the identification registers.
 */
#include "lib/guest.h"

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("abort ec=");
	put_hex(esr >> 26);
	puts_(" far=");
	put_hex(far);
	putc_('\n');
	f->elr += 4;
}

int main(void)
{
	uint64_t uart = GUEST_UART_BASE;
	const char *msg = "sttrb ok\n";
	for (const char *p = msg; *p; p++) {
		while (mmio_read32(uart + 0x18) & (1u << 5))
			;
		__asm__ volatile("sttrb %w0, [%1]" ::"r"((uint32_t)*p), "r"(uart) : "memory");
	}
	uint64_t v = 0, id = uart + 0xff0; /* identification registers */
	__asm__ volatile("ldtrb %w0, [%1, #-0x10]" : "=r"(v) : "r"(id) : "memory");
	print("ldtrb periphid0 ", v);
	__asm__ volatile("ldtrh %w0, [%1, #-0xc]" : "=r"(v) : "r"(id) : "memory");
	print("ldtrh periphid1 ", v);
	__asm__ volatile("ldtr %w0, [%1, #-0x8]" : "=r"(v) : "r"(id) : "memory");
	print("ldtr w periphid2 ", v);
	__asm__ volatile("ldtrsb %x0, [%1, #0]" : "=r"(v) : "r"(id) : "memory");
	print("ldtrsb x cellid0 ", v);
	__asm__ volatile("ldtrsb %w0, [%1, #0xc]" : "=r"(v) : "r"(id) : "memory");
	print("ldtrsb w cellid3 ", v);
	__asm__ volatile("ldtrsh %x0, [%1, #0xc]" : "=r"(v) : "r"(id) : "memory");
	print("ldtrsh x cellid3 ", v);
	__asm__ volatile("ldtrsw %x0, [%1, #0xc]" : "=r"(v) : "r"(id) : "memory");
	print("ldtrsw cellid3 ", v);
	__asm__ volatile("sttrh %w0, [%1]" ::"r"((uint32_t)'h'), "r"(uart) : "memory");
	__asm__ volatile("sttr %w0, [%1]" ::"r"((uint32_t)'w'), "r"(uart) : "memory");
	__asm__ volatile("sttr %w0, [%1]" ::"r"((uint32_t)'\n'), "r"(uart) : "memory");
	puts_("ldtr from the hole\n");
	v = 0x55;
	__asm__ volatile("ldtr %x0, [%1, #8]" : "+r"(v) : "r"(GUEST_HOLE_BASE) : "memory");
	print("value kept ", v);
	return 0;
}
