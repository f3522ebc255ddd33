/* SPDX-License-Identifier: Apache-2.0 */
/* The contract guests' runtime; see guest.h. */
#include "guest.h"

#define UART_DR 0x000u
#define UART_FR 0x018u
#define UART_CR 0x030u
#define FR_TXFF (1u << 5)

static bool uart_ready;
uintptr_t guest_uart_base = GUEST_UART_BASE;

void putc_(char c)
{
	if (!uart_ready) {
		/* UARTEN | TXE | RXE (PL011 TRM 3.3.8). */
		mmio_write32(guest_uart_base + UART_CR, 0x301u);
		uart_ready = true;
	}
	while (mmio_read32(guest_uart_base + UART_FR) & FR_TXFF)
		;
	mmio_write32(guest_uart_base + UART_DR, (uint8_t)c);
}

void puts_(const char *s)
{
	while (*s)
		putc_(*s++);
}

void put_hex(uint64_t v)
{
	char buf[19];
	int n = 0;
	do {
		unsigned d = v & 15u;
		buf[n++] = (char)(d < 10 ? '0' + d : 'a' + d - 10);
		v >>= 4;
	} while (v);
	putc_('0');
	putc_('x');
	while (n)
		putc_(buf[--n]);
}

void put_dec(int64_t v)
{
	char buf[21];
	int n = 0;
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	if (v < 0)
		putc_('-');
	do {
		buf[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	while (n)
		putc_(buf[--n]);
}

void print(const char *label, uint64_t hex)
{
	puts_(label);
	put_hex(hex);
	putc_('\n');
}

uint64_t smccc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	__asm__ volatile("hvc #0"
	                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
	                 :
	                 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
	                   "x15", "x16", "x17", "memory");
	return x0;
}

void psci_system_off_status(uint32_t status)
{
	/* x1 carries the exit status to hvsim (PSCI ignores it). */
	smccc(PSCI_SYSTEM_OFF, status, 0, 0);
	for (;;)
		wfi();
}

void psci_cpu_off(void)
{
	smccc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		wfi();
}

__attribute__((weak)) void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("unexpected sync exception esr=");
	put_hex(esr);
	puts_(" far=");
	put_hex(far);
	puts_(" elr=");
	put_hex(f->elr);
	putc_('\n');
	psci_system_off_status(1);
}

__attribute__((weak)) void on_irq(struct frame *f)
{
	(void)f;
	puts_("unexpected irq\n");
	psci_system_off_status(1);
}

__attribute__((weak)) void secondary_main(uint64_t cpu)
{
	(void)cpu;
}

void guest_exception(uint64_t kind, struct frame *f);
void guest_exception(uint64_t kind, struct frame *f)
{
	switch (VEC_TYPE(kind)) {
	case VEC_SYNC: on_sync(f, read_sysreg(esr_el1), read_sysreg(far_el1)); break;
	case VEC_IRQ: on_irq(f); break;
	default:
		puts_("unexpected exception kind ");
		put_hex(kind);
		putc_('\n');
		psci_system_off_status(1);
	}
}

/* The compiler may emit calls to these even in freestanding code. */
void *memset(void *d, int c, unsigned long n);
void *memcpy(void *d, const void *s, unsigned long n);
void *memset(void *d, int c, unsigned long n)
{
	volatile unsigned char *p = d;
	while (n--)
		*p++ = (unsigned char)c;
	return d;
}
void *memcpy(void *d, const void *s, unsigned long n)
{
	volatile unsigned char *p = d;
	const unsigned char *q = s;
	while (n--)
		*p++ = *q++;
	return d;
}

void put_abort_esr(uint64_t esr)
{
	/* ESR_ELx (Arm ARM D17.2.37): EC [31:26], ISV [24], CM [8], WnR [6],
	 * DFSC [5:0]. */
	puts_("ec=");
	put_hex(esr >> 26);
	puts_(" isv=");
	put_hex((esr >> 24) & 1);
	puts_(" cm=");
	put_hex((esr >> 8) & 1);
	puts_(" wnr=");
	put_hex((esr >> 6) & 1);
	puts_(" fsc=");
	put_hex(esr & 0x3f);
}
