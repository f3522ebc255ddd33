/* SPDX-License-Identifier: Apache-2.0 */
/*
 * el2-mediatek's console: the UART /chosen/stdout-path names (MediaTek's
 * 16550-style UART, or a PL011 on QEMU virt), through the shared drivers
 * (ports/el2/uart.h), behind the runtime's console API (console.h).
 */
#include "console.h"

#include "smp.h"
#include "uart.h"

static struct el2_uart uart;         /* kind NONE until el2_mtk_console_init */
static struct el2_lock console_lock; /* CPUs print whole writes */

void el2_mtk_console_init(const struct el2_dt_platform *p);
void el2_mtk_console_init(const struct el2_dt_platform *p)
{
	el2_uart_from_dt(&uart, p);
}

void el2_console_write(const char *buf, size_t len)
{
	el2_lock(&console_lock);
	for (size_t i = 0; i < len; i++) {
		if (buf[i] == '\n')
			el2_uart_putc(&uart, '\r');
		el2_uart_putc(&uart, buf[i]);
	}
	el2_unlock(&console_lock);
}

void el2_console_write_raw(const char *buf, size_t len)
{
	el2_lock(&console_lock);
	for (size_t i = 0; i < len; i++)
		el2_uart_putc(&uart, buf[i]);
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
