/* SPDX-License-Identifier: Apache-2.0 */
/* PL011 model: transmit, a receive FIFO, interrupts, plain registers (see pl011.h). */
#include <string.h>

#include "pl011.h"

/* PeriphID0..3 = 0x11, 0x10, 0x34, 0x00 (PL011 r1p5), PCellID0..3 =
 * 0x0d, 0xf0, 0x05, 0xb1 (PL011 TRM 3.3.14-15). */
static const uint8_t pl011_ids[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

/* The plain read/write registers: offset, implemented bits, reset value. */
static const struct {
	uint64_t offset;
	uint32_t mask, reset;
} rw_regs[PL011_NR_RW] = {
    {PL011_IBRD, 0xffffu, 0},   {PL011_FBRD, 0x3fu, 0},  {PL011_LCR_H, 0xffu, 0},
    {PL011_IFLS, 0x3fu, 0x12u}, {PL011_IMSC, 0x7ffu, 0},
};

static int rw_index(uint64_t reg)
{
	for (unsigned int i = 0; i < PL011_NR_RW; i++)
		if (rw_regs[i].offset == reg)
			return (int)i;
	return -1;
}

void pl011_init(struct pl011 *uart, FILE *out)
{
	memset(uart, 0, sizeof(*uart));
	uart->out = out;
	for (unsigned int i = 0; i < PL011_NR_RW; i++)
		uart->rw[i] = rw_regs[i].reset;
}

static uint32_t raw_status(const struct pl011 *uart)
{
	uint32_t ris = uart->tx_int ? PL011_INT_TX : 0;
	if (uart->rx_count)
		ris |= PL011_INT_RX | PL011_INT_RT;
	return ris;
}

static uint32_t masked_status(const struct pl011 *uart)
{
	return raw_status(uart) & uart->rw[PL011_NR_RW - 1]; /* IMSC */
}

/* Calls the interrupt callback when the masked status becomes non-zero. */
static void update_line(struct pl011 *uart)
{
	bool line = masked_status(uart) != 0;
	if (line && !uart->line && uart->irq)
		uart->irq(uart->irq_arg);
	uart->line = line;
}

bool pl011_receive(struct pl011 *uart, uint8_t byte)
{
	if (uart->rx_count == PL011_RX_FIFO)
		return false;
	uart->rx[(uart->rx_head + uart->rx_count++) % PL011_RX_FIFO] = byte;
	update_line(uart);
	return true;
}

unsigned int pl011_rx_space(const struct pl011 *uart)
{
	return PL011_RX_FIFO - uart->rx_count;
}

static uint32_t pop_rx(struct pl011 *uart)
{
	if (!uart->rx_count)
		return 0;
	uint8_t byte = uart->rx[uart->rx_head];
	uart->rx_head = (uart->rx_head + 1) % PL011_RX_FIFO;
	uart->rx_count--;
	return byte;
}

static uint32_t read_reg(struct pl011 *uart, uint64_t offset)
{
	int rw = rw_index(offset);
	if (rw >= 0)
		return uart->rw[rw];
	switch (offset) {
	case PL011_DR: return pop_rx(uart);
	case PL011_FR:
		return PL011_FR_TXFE | (uart->rx_count ? 0 : PL011_FR_RXFE) |
		       (uart->rx_count == PL011_RX_FIFO ? PL011_FR_RXFF : 0);
	case PL011_RIS: return raw_status(uart);
	case PL011_MIS: return masked_status(uart);
	default: break;
	}
	if (offset >= PL011_PERIPHID && offset < PL011_PERIPHID + 4 * sizeof(pl011_ids))
		return pl011_ids[(offset - PL011_PERIPHID) / 4];
	return 0;
}

bool pl011_access(struct pl011 *uart, uint64_t offset, bool is_write, unsigned int size,
                  uint8_t data[8])
{
	if ((size != 1 && size != 2 && size != 4) || (offset & (size - 1)) || offset >= 0x1000)
		return false;
	uint64_t reg = offset & ~UINT64_C(3);
	unsigned int shift = 8 * (unsigned int)(offset & 3);

	if (is_write) {
		int rw = rw_index(reg);
		if (rw >= 0) {
			uint32_t lanes = (size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1u)
			                 << shift;
			uint32_t v = 0;
			for (unsigned int i = 0; i < size; i++)
				v |= (uint32_t)data[i] << (8 * i);
			v = (v << shift & lanes) | (uart->rw[rw] & ~lanes);
			uart->rw[rw] = v & rw_regs[rw].mask;
		} else if (reg == PL011_DR && shift == 0) {
			fputc(data[0], uart->out);
			fflush(uart->out);
			uart->bytes_out++;
			uart->tx_int = true;
		} else if (reg == PL011_ICR && shift == 0 && (data[0] & PL011_INT_TX)) {
			uart->tx_int = false; /* RX and RT follow the FIFO's level */
		}
		update_line(uart);
		return true;
	}
	/* a narrower load of DR's byte 0 still takes the byte */
	uint32_t value = (reg == PL011_DR && shift) ? 0 : read_reg(uart, reg) >> shift;
	memset(data, 0, 8);
	for (unsigned int i = 0; i < size; i++)
		data[i] = (uint8_t)(value >> (8 * i));
	update_line(uart);
	return true;
}
