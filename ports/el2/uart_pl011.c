/* SPDX-License-Identifier: Apache-2.0 */
/* PL011 transmit, polled (PL011 TRM: UARTDR 0x000, UARTFR 0x018, TXFF bit 5). */
#include "mmio.h"
#include "uart.h"

#define UARTDR      0x000u
#define UARTFR      0x018u
#define UARTFR_TXFF (1u << 5)

bool el2_uart_pl011_putc(const struct el2_uart *u, char c)
{
	for (uint32_t polls = 0; el2_mmio_read32(u->base + UARTFR) & UARTFR_TXFF; polls++)
		if (polls == EL2_UART_POLL_LIMIT)
			return false;
	el2_mmio_write32(u->base + UARTDR, (uint8_t)c);
	return true;
}
