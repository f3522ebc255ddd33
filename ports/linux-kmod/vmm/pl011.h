/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A PL011 UART for MMIO exits (Arm PrimeCell UART PL011 TRM, DDI 0183).
 * UARTDR writes go to the output at once (the transmit FIFO is always
 * empty); bytes the VMM receives (pl011_receive) wait in a receive FIFO of
 * PL011_RX_FIFO bytes that UARTDR reads drain, UARTFR saying whether it is
 * empty or full. Interrupts (TRM 3.4): the receive and receive-timeout
 * interrupts are raised while the receive FIFO holds a byte, the transmit
 * interrupt by each UARTDR write until UARTICR clears it; UARTRIS, UARTMIS
 * (RIS & IMSC) and UARTICR as in TRM 3.3.11-14. Each time the masked
 * status goes from none to some, the model calls its interrupt callback
 * once (the line is an edge for the VMM's irqfd). The PrimeCell
 * identification registers read as a PL011 r1p5; the plain read/write
 * registers keep what is written, to their width (IBRD 16 bits, FBRD 6,
 * LCR_H 8, IFLS 6 with reset 0x12, IMSC 11; TRM 3.3), a narrower write
 * merged into the rest; every other register reads 0 and ignores writes.
 * 32-bit or narrower accesses only.
 */
#ifndef VMM_PL011_H
#define VMM_PL011_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define PL011_DR      0x000u
#define PL011_FR      0x018u
#define PL011_FR_RXFE (1u << 4)
#define PL011_FR_RXFF (1u << 6)
#define PL011_FR_TXFE (1u << 7)
#define PL011_RIS     0x03cu
#define PL011_MIS     0x040u
#define PL011_ICR     0x044u
/* Interrupt bits of IMSC, RIS, MIS and ICR (TRM 3.3.10-14) */
#define PL011_INT_RX   (1u << 4)
#define PL011_INT_TX   (1u << 5)
#define PL011_INT_RT   (1u << 6)
#define PL011_RX_FIFO  64u
#define PL011_PERIPHID 0xfe0u /* PeriphID0..3, then PCellID0..3 at 0xff0 */

#define PL011_IBRD  0x024u
#define PL011_FBRD  0x028u
#define PL011_LCR_H 0x02cu
#define PL011_IFLS  0x034u
#define PL011_IMSC  0x038u
#define PL011_NR_RW 5u

struct pl011 {
	FILE *out;
	uint64_t bytes_out;
	uint32_t rw[PL011_NR_RW]; /* IBRD, FBRD, LCR_H, IFLS, IMSC */
	uint8_t rx[PL011_RX_FIFO];
	unsigned int rx_head, rx_count;
	bool tx_int;         /* transmit interrupt latched by a UARTDR write */
	bool line;           /* masked status was non-zero at the last update */
	void (*irq)(void *); /* raise the interrupt line; may be NULL */
	void *irq_arg;
};

/* Reset state, output to `out`, no interrupt line. */
void pl011_init(struct pl011 *uart, FILE *out);

/* Queues a received byte; false when the receive FIFO is full. */
bool pl011_receive(struct pl011 *uart, uint8_t byte);

/* Free bytes in the receive FIFO. */
unsigned int pl011_rx_space(const struct pl011 *uart);

/* One access at `offset` into the 4 KiB frame; `data` little-endian. Loads
 * fill data[0..size). Returns false for an access the device refuses
 * (wider than 32 bits, misaligned, outside the frame). */
bool pl011_access(struct pl011 *uart, uint64_t offset, bool is_write, unsigned int size,
                  uint8_t data[8]);

#endif /* VMM_PL011_H */
