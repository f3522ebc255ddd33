/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Arm PrimeCell UART (PL011) device model on a VM's MMIO bus, for guest
 * console output. Register map and reset values from the PL011 Technical
 * Reference Manual (Arm DDI 0183G), 3.2 "Summary of registers" and 3.3
 * "Register descriptions". Pure policy: bytes the guest transmits go to a
 * callback the runtime provides (sim: stdout; EL2 port: the real UART).
 *
 * Modelled: DR/RSR, FR, ILPR, IBRD, FBRD, LCR_H, CR, IFLS, IMSC, RIS, MIS,
 * ICR, DMACR and the identification registers. The transmit FIFO never
 * fills (every byte leaves at once); receive has a small FIFO fed by the
 * runtime. The interrupt line follows MIS != 0.
 */
#ifndef HV_PL011_H
#define HV_PL011_H

#include <hv/mmio.h>

/* Register offsets, DDI 0183G table 3-1. */
#define HV_PL011_DR    0x000u
#define HV_PL011_RSR   0x004u /* RSR (read) / ECR (write) */
#define HV_PL011_FR    0x018u
#define HV_PL011_ILPR  0x020u
#define HV_PL011_IBRD  0x024u
#define HV_PL011_FBRD  0x028u
#define HV_PL011_LCR_H 0x02cu
#define HV_PL011_CR    0x030u
#define HV_PL011_IFLS  0x034u
#define HV_PL011_IMSC  0x038u
#define HV_PL011_RIS   0x03cu
#define HV_PL011_MIS   0x040u
#define HV_PL011_ICR   0x044u
#define HV_PL011_DMACR 0x048u
#define HV_PL011_ID_LO 0xfe0u /* UARTPeriphID0..3, UARTPCellID0..3 */
#define HV_PL011_SIZE  0x1000u

/* FR bits (DDI 0183G 3.3.3). */
#define HV_PL011_FR_BUSY HV_BIT(3)
#define HV_PL011_FR_RXFE HV_BIT(4)
#define HV_PL011_FR_TXFF HV_BIT(5)
#define HV_PL011_FR_RXFF HV_BIT(6)
#define HV_PL011_FR_TXFE HV_BIT(7)

/* Interrupt bits in IMSC/RIS/MIS/ICR (DDI 0183G 3.3.12..3.3.15). */
#define HV_PL011_INT_RX  HV_BIT(4)
#define HV_PL011_INT_TX  HV_BIT(5)
#define HV_PL011_INT_RT  HV_BIT(6) /* receive timeout */
#define HV_PL011_INT_ALL 0x7ffu

#define HV_PL011_RX_FIFO 16u

typedef void (*hv_pl011_tx_fn)(void *arg, uint8_t byte);
typedef void (*hv_pl011_irq_fn)(void *arg, bool level);

struct hv_pl011 {
	/* Registers (DDI 0183G reset values set by hv_pl011_init). */
	uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr, rsr;
	/* Receive FIFO. */
	uint8_t rx[HV_PL011_RX_FIFO];
	uint8_t rx_head, rx_count;
	bool irq_level;
	/* Runtime bindings. */
	hv_pl011_tx_fn tx;
	hv_pl011_irq_fn irq; /* may be NULL */
	void *arg;
	/* Statistics. */
	uint64_t tx_bytes;
};

/* Reset state; `tx` receives every transmitted byte (NULL: discarded). */
void hv_pl011_init(struct hv_pl011 *uart, hv_pl011_tx_fn tx, hv_pl011_irq_fn irq, void *arg);

/* Claim [base, base + 4 KiB) on `bus` (1-, 2- and 4-byte accesses). */
hv_status_t hv_pl011_attach(struct hv_pl011 *uart, struct hv_mmio_bus *bus, hv_ipa_t base);

/* Register access at `offset` (the bus callbacks call these). Accesses
 * smaller than a register read or merge the addressed bytes.
 * HV_ERR_INVALID: size not 1, 2 or 4, unaligned, or offset past the page. */
hv_status_t hv_pl011_read(struct hv_pl011 *uart, uint64_t offset, unsigned size, uint64_t *value);
hv_status_t hv_pl011_write(struct hv_pl011 *uart, uint64_t offset, unsigned size, uint64_t value);

/* A byte arrives on the receive line. HV_ERR_NO_MEMORY if the FIFO is full
 * (the byte is dropped and RSR.OE set, as the hardware does). */
hv_status_t hv_pl011_receive(struct hv_pl011 *uart, uint8_t byte);

#endif /* HV_PL011_H */
