/* SPDX-License-Identifier: Apache-2.0 */
/* PL011 transmit, polled (PL011 TRM: UARTDR 0x000, UARTFR 0x018, TXFF bit 5). */
#include "console.h"

#include "smp.h"

#define UARTDR      0x000
#define UARTFR      0x018
#define UARTFR_TXFF (1u << 5)

static volatile uint32_t *uart;
static struct el2_lock console_lock; /* CPUs print whole writes */

void el2_console_init(uint64_t pl011_base)
{
	uart = (volatile uint32_t *)(uintptr_t)pl011_base;
}

static void putc_raw(char c)
{
	if (!uart)
		return;
	while (uart[UARTFR / 4] & UARTFR_TXFF)
		;
	uart[UARTDR / 4] = (uint32_t)(uint8_t)c;
}

void el2_console_write(const char *buf, size_t len)
{
	el2_lock(&console_lock);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			putc_raw('\r');
		putc_raw(buf[i]);
	}
	el2_unlock(&console_lock);
}

void el2_console_write_raw(const char *buf, size_t len)
{
	el2_lock(&console_lock);
	for (size_t i = 0; i < len; i++)
		putc_raw(buf[i]);
	el2_unlock(&console_lock);
}

void el2_puts(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	el2_console_write(s, n);
}

void el2_put_hex(uint64_t v)
{
	char b[19] = "0x";
	for (int i = 0; i < 16; i++) {
		unsigned nib = (unsigned)(v >> (60 - 4 * i)) & 15u;
		b[2 + i] = (char)(nib < 10 ? '0' + nib : 'a' + nib - 10);
	}
	el2_console_write(b, 18);
}
