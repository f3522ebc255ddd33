/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor's console over the board's UART (uart.h: the kind the
 * device tree names), whole writes under one lock. */
#include "console.h"

#include "smp.h"

static struct el2_uart uart;         /* kind NONE until el2_console_init: puts are dropped */
static struct el2_lock console_lock; /* CPUs print whole writes */

void el2_console_init(const struct el2_uart *u)
{
	uart = *u;
}

static void putc_raw(char c)
{
	(void)el2_uart_putc(&uart, c);
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

void el2_report_unexpected(const char *prefix, uint64_t vector, uint64_t esr, uint64_t elr,
                           uint64_t far)
{
	el2_puts(prefix);
	el2_put_hex(vector);
	el2_puts(" esr ");
	el2_put_hex(esr);
	el2_puts(" elr ");
	el2_put_hex(elr);
	el2_puts(" far ");
	el2_put_hex(far);
	el2_puts("\n");
}
