/* SPDX-License-Identifier: Apache-2.0 */
/* The console UART chosen by the device tree (uart.h). */
#include "uart.h"

void el2_uart_from_dt(struct el2_uart *u, const struct el2_dt_platform *p)
{
	u->kind = p->console.kind;
	u->base = (uintptr_t)p->console.base;
	u->reg_shift = p->console.reg_shift;
	u->io_width = p->console.io_width;
}

bool el2_uart_putc(const struct el2_uart *u, char c)
{
	switch (u->kind) {
	case EL2_DT_CONSOLE_8250: return el2_uart_8250_putc(u, c);
	case EL2_DT_CONSOLE_PL011: return el2_uart_pl011_putc(u, c);
	case EL2_DT_CONSOLE_NONE: break;
	}
	return false;
}
