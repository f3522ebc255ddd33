/* SPDX-License-Identifier: Apache-2.0 */
/* The hypervisor's own console: the board's PL011, polled. */
#ifndef EL2_CONSOLE_H
#define EL2_CONSOLE_H

#include <hv/types.h>

void el2_console_init(uint64_t pl011_base);
/* The hypervisor's text: "\n" goes out as "\r\n". */
void el2_console_write(const char *buf, size_t len);
/* Bytes as they are (a guest's UART output, forwarded). */
void el2_console_write_raw(const char *buf, size_t len);
void el2_puts(const char *s);
void el2_put_hex(uint64_t v);

#endif
