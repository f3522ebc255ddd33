/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared EL2 8250 console (ports/el2/uart_8250.c, mmio.c) on emulated
 * hardware at EL2: QEMU raspi3b's BCM2835 auxiliary mini UART is a
 * 16550-style transmitter at a 4-byte stride (AUX_MU_IO 0x3f215040,
 * AUX_MU_LSR 0x3f215054 with bit 5 "can accept"), the layout of
 * MediaTek's UART. No GIC, no PSCI: the image prints and exits through
 * semihosting. Returns 0 when every character was accepted.
 */
#include <stdint.h>

#include "../../../ports/el2/uart.h"

#define MINI_UART_BASE 0x3f215040u

uint64_t smoke_main(uint64_t current_el);

static bool puts8250(const struct el2_uart *u, const char *s)
{
	bool ok = true;
	for (; *s; s++) {
		if (*s == '\n')
			ok &= el2_uart_putc(u, '\r');
		ok &= el2_uart_putc(u, *s);
	}
	return ok;
}

uint64_t smoke_main(uint64_t current_el)
{
	/* the console as discovery describes a stride-4 16550 */
	const struct el2_uart u = {
	    .kind = EL2_DT_CONSOLE_8250, .base = MINI_UART_BASE, .reg_shift = 2, .io_width = 4};
	char el[] = "hvcore-8250: EL? console at stride 4\n";
	el[15] = (char)('0' + ((current_el >> 2) & 3));
	bool ok = puts8250(&u, el);
	ok &= puts8250(&u, "hvcore-8250: done\n");
	return ok && ((current_el >> 2) & 3) == 2 ? 0 : 1;
}
