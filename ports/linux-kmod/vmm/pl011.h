/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A polled PL011 UART for MMIO exits (Arm PrimeCell UART PL011 TRM,
 * DDI 0183): transmit only. UARTDR writes go to the output, UARTFR reads
 * say the transmit FIFO is empty and the receive FIFO too, the PrimeCell
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

#define PL011_DR       0x000u
#define PL011_FR       0x018u
#define PL011_FR_RXFE  (1u << 4)
#define PL011_FR_TXFE  (1u << 7)
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
};

/* Reset state, output to `out`. */
void pl011_init(struct pl011 *uart, FILE *out);

/* One access at `offset` into the 4 KiB frame; `data` little-endian. Loads
 * fill data[0..size). Returns false for an access the device refuses
 * (wider than 32 bits, misaligned, outside the frame). */
bool pl011_access(struct pl011 *uart, uint64_t offset, bool is_write, unsigned int size,
                  uint8_t data[8]);

#endif /* VMM_PL011_H */
