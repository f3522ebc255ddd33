/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypervisor's console UART, transmit only and polled: a kind and a
 * register layout from the device tree (dt_discover.h), one driver per kind.
 * Drivers never program the baud rate or the line format: the bootloader
 * set the UART up, EL2 only writes characters.
 */
#ifndef EL2_UART_H
#define EL2_UART_H

#include <stdbool.h>
#include <stdint.h>

#include "dt_discover.h"

struct el2_uart {
	enum el2_dt_console_kind kind;
	uintptr_t base;
	uint32_t reg_shift; /* register n at base + (n << reg_shift) */
	uint32_t io_width;  /* 1: 8-bit accesses, 4: 32-bit accesses */
};

/* Polls of a full transmitter before a character is dropped: a dead or
 * unclocked UART must not hang the hypervisor (about 1 s at 1 MHz polls). */
#define EL2_UART_POLL_LIMIT (1u << 20)

/* The UART the discovered platform names (kind NONE: every put is dropped). */
void el2_uart_from_dt(struct el2_uart *u, const struct el2_dt_platform *p);

/* One character; false when the transmitter stayed full and it was dropped. */
bool el2_uart_putc(const struct el2_uart *u, char c);

/* Kind-specific transmit (uart_8250.c, uart_pl011.c). */
bool el2_uart_8250_putc(const struct el2_uart *u, char c);
bool el2_uart_pl011_putc(const struct el2_uart *u, char c);

#endif
