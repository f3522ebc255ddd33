/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 16550-compatible transmit (TI PC16550D: THR register 0 on write, LSR
 * register 5 with THRE bit 5), as MediaTek's UART (mediatek,mt6577-uart:
 * 32-bit registers at a 4-byte stride, Linux 8250_mtk UPIO_MEM32) and
 * ns16550a nodes with reg-shift/reg-io-width. Only LSR is read and only
 * THR written: divisor latch, LCR, FCR and MediaTek's HIGHSPEED/SAMPLE/
 * FRACDIV registers keep the bootloader's setup.
 */
#include "mmio.h"
#include "uart.h"

#define UART_THR      0u
#define UART_LSR      5u
#define UART_LSR_THRE (1u << 5)

static uintptr_t reg(const struct el2_uart *u, uint32_t n)
{
	return u->base + ((uintptr_t)n << u->reg_shift);
}

static uint32_t read_reg(const struct el2_uart *u, uint32_t n)
{
	return u->io_width == 4 ? el2_mmio_read32(reg(u, n)) : el2_mmio_read8(reg(u, n));
}

static void write_reg(const struct el2_uart *u, uint32_t n, uint8_t v)
{
	if (u->io_width == 4)
		el2_mmio_write32(reg(u, n), v);
	else
		el2_mmio_write8(reg(u, n), v);
}

bool el2_uart_8250_putc(const struct el2_uart *u, char c)
{
	for (uint32_t polls = 0; !(read_reg(u, UART_LSR) & UART_LSR_THRE); polls++)
		if (polls == EL2_UART_POLL_LIMIT)
			return false;
	write_reg(u, UART_THR, (uint8_t)c);
	return true;
}
