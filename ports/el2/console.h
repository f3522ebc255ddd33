/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor's own console: the board's UART (uart.h), polled. */
#ifndef EL2_CONSOLE_H
#define EL2_CONSOLE_H

#include <hv/types.h>

#include "uart.h"

void el2_console_init(const struct el2_uart *u);
/* The hypervisor's text: "\n" goes out as "\r\n". */
void el2_console_write(const char *buf, size_t len);
/* Bytes as they are (a guest's UART output, forwarded). */
void el2_console_write_raw(const char *buf, size_t len);
void el2_puts(const char *s);
void el2_put_hex(uint64_t v);
/* One line for an exception EL2 did not expect: PREFIX, then the vector
 * offset, ESR_EL2, ELR_EL2 and FAR_EL2 in hex. */
void el2_report_unexpected(const char *prefix, uint64_t vector, uint64_t esr, uint64_t elr,
                           uint64_t far);

#endif
