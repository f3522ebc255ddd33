/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: emulated MMIO loads and stores of every size and form.
 * Targets the PL011's plain read/write registers (IBRD 16 bits, FBRD 6,
 * LCR_H 8, IFLS 6, IMSC 11; PL011 TRM DDI 0183G 3.3). Single-register forms
 * without writeback trap with ISV=1; pairs and writeback forms trap with
 * ISV=0 and are decoded from the instruction by the hypervisor. An 8-byte
 * access is not a PL011 access size: it must come back as an abort.
 */
#include "lib/guest.h"

#define IBRD      (GUEST_UART_BASE + 0x24)
#define FBRD      (GUEST_UART_BASE + 0x28)
#define LCR_H     (GUEST_UART_BASE + 0x2c)
#define IMSC      (GUEST_UART_BASE + 0x38)
#define IROUTER32 (GUEST_GICD_BASE + 0x6100) /* GIC spec 12.9.22 */

static int failures;
static volatile int aborts;

static void check(const char *what, uint64_t got, uint64_t want)
{
	puts_(what);
	puts_(got == want ? " ok " : " FAIL ");
	put_hex(got);
	putc_('\n');
	if (got != want)
		failures++;
}

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("abort ec=");
	put_hex(esr >> 26);
	puts_(" fsc=");
	put_hex(esr & 0x3f);
	puts_(" far=");
	put_hex(far);
	putc_('\n');
	aborts++;
	f->elr += 4; /* skip the access */
}

int main(void)
{
	uint64_t v, b, c;

	puts_("mmio: single register, ISV=1\n");
	__asm__ volatile("strb %w0, [%1]" ::"r"(0x5a), "r"(LCR_H) : "memory");
	__asm__ volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(LCR_H) : "memory");
	check("strb/ldrb", v, 0x5a);
	__asm__ volatile("strh %w0, [%1]" ::"r"(0xbeef), "r"(IBRD) : "memory");
	__asm__ volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("strh/ldrh", v, 0xbeef);
	__asm__ volatile("ldrsh %0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("ldrsh x", v, 0xffffffffffffbeefull);
	__asm__ volatile("ldrsh %w0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("ldrsh w", v, 0xffffbeefull);
	__asm__ volatile("strb %w0, [%1]" ::"r"(0x80), "r"(LCR_H) : "memory");
	__asm__ volatile("ldrsb %0, [%1]" : "=r"(v) : "r"(LCR_H) : "memory");
	check("ldrsb x", v, 0xffffffffffffff80ull);
	__asm__ volatile("str %w0, [%1]" ::"r"(0x12345678), "r"(IBRD) : "memory");
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("str/ldr w (16-bit register)", v, 0x5678);
	__asm__ volatile("str %w0, [%1]" ::"r"(0x9abc), "r"(IBRD) : "memory");
	__asm__ volatile("ldrsw %0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("ldrsw", v, 0x9abc);
	__asm__ volatile("sturh %w0, [%1, #-4]" ::"r"(0x0123), "r"(FBRD) : "memory");
	__asm__ volatile("ldur %w0, [%1, #-4]" : "=r"(v) : "r"(FBRD) : "memory");
	check("sturh/ldur", v, 0x0123);
	b = 0x8;
	__asm__ volatile("str %w0, [%1, %2]" ::"r"(0x7ff), "r"(GUEST_UART_BASE + 0x30), "r"(b)
	                 : "memory");
	__asm__ volatile("ldr %w0, [%1, %2]"
	                 : "=r"(v)
	                 : "r"(GUEST_UART_BASE + 0x30), "r"(b)
	                 : "memory");
	check("str/ldr register offset", v, 0x7ff);
	__asm__ volatile("str wzr, [%0]" ::"r"(IMSC) : "memory");
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(IMSC) : "memory");
	check("str wzr", v, 0);
	__asm__ volatile("stlr %w0, [%1]" ::"r"(0x4321), "r"(IBRD) : "memory");
	__asm__ volatile("ldar %w0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("stlr/ldar", v, 0x4321);

	puts_("mmio: writeback and pairs, ISV=0\n");
	b = IBRD;
	__asm__ volatile("str %w1, [%0], #4" : "+r"(b) : "r"(0x1111) : "memory");
	check("str post-index base", b, IBRD + 4);
	b = IBRD - 4;
	__asm__ volatile("ldr %w1, [%0, #4]!" : "+r"(b), "=r"(v) : : "memory");
	check("ldr pre-index value", v, 0x1111);
	check("ldr pre-index base", b, IBRD);
	__asm__ volatile("ldrh %w1, [%0], #-4" : "+r"(b), "=r"(v) : : "memory");
	check("ldrh post-index value", v, 0x1111);
	check("ldrh post-index base", b, IBRD - 4);
	__asm__ volatile("stp %w0, %w1, [%2]" ::"r"(0x2222), "r"(0x15), "r"(IBRD) : "memory");
	__asm__ volatile("ldp %w0, %w1, [%2]" : "=r"(v), "=r"(c) : "r"(IBRD) : "memory");
	check("stp/ldp w first", v, 0x2222);
	check("stp/ldp w second", c, 0x15);
	b = IBRD - 8;
	__asm__ volatile("stp %w1, %w2, [%0, #8]!" : "+r"(b) : "r"(0x3333), "r"(0x2a) : "memory");
	check("stp pre-index base", b, IBRD);
	__asm__ volatile("ldp %w1, %w2, [%0], #16" : "+r"(b), "=r"(v), "=r"(c) : : "memory");
	check("ldp post-index first", v, 0x3333);
	check("ldp post-index second", c, 0x2a);
	check("ldp post-index base", b, IBRD + 16);
	__asm__ volatile("ldpsw %0, %1, [%2]" : "=r"(v), "=r"(c) : "r"(IBRD) : "memory");
	check("ldpsw first", v, 0x3333);

	puts_("mmio: 64-bit registers (GICD_IROUTER32/33)\n");
	__asm__ volatile("str %0, [%1]" ::"r"(0x1ull), "r"(IROUTER32) : "memory");
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(IROUTER32) : "memory");
	check("str/ldr x", v, 0x1);
	__asm__ volatile("stp %0, %1, [%2]" ::"r"(0x2ull), "r"(0x3ull), "r"(IROUTER32) : "memory");
	__asm__ volatile("ldp %0, %1, [%2]" : "=r"(v), "=r"(c) : "r"(IROUTER32) : "memory");
	check("stp/ldp x first", v, 0x2);
	check("stp/ldp x second", c, 0x3);
	b = IROUTER32;
	__asm__ volatile("ldr %1, [%0, #8]!" : "+r"(b), "=r"(v) : : "memory");
	check("ldr x pre-index value", v, 0x3);
	check("ldr x pre-index base", b, IROUTER32 + 8);
	__asm__ volatile("str xzr, [%0]" ::"r"(IROUTER32) : "memory");
	__asm__ volatile("str xzr, [%0]" ::"r"(IROUTER32 + 8) : "memory");

	puts_("mmio: sizes the device refuses\n");
	__asm__ volatile("str %0, [%1]" ::"r"(0x1ull), "r"(IBRD) : "memory");
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(IBRD) : "memory");
	check("aborts", aborts, 2);
	check("register unchanged", mmio_read32(IBRD), 0x3333);

	puts_(failures ? "mmio: FAILED\n" : "mmio: all passed\n");
	return failures ? 1 : 0;
}
