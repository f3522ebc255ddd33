/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PL011 UART model (Arm DDI 0183G). See hv/pl011.h for what is modelled.
 */
#include <hv/pl011.h>

/* Reset values, DDI 0183G table 3-1. */
#define CR_RESET   0x300u /* TXE | RXE */
#define IFLS_RESET 0x12u  /* FIFO levels: 1/2 */

/* RSR overrun error (DDI 0183G 3.3.2). */
#define RSR_OE HV_BIT(3)

/* UARTPeriphID0..3 (part 0x011, designer 0x41, revision r1p5 = 3) and
 * UARTPCellID0..3 (DDI 0183G 3.3.17, 3.3.18). */
static const uint8_t id_regs[8] = {0x11, 0x10, 0x34, 0x00, 0x0d, 0xf0, 0x05, 0xb1};

static uint32_t mis(const struct hv_pl011 *u)
{
	return u->ris & u->imsc;
}

static void update_irq(struct hv_pl011 *u)
{
	/* The transmit FIFO is always empty, so TXRIS is always set (its level
	 * condition "at or below the trigger level" always holds). */
	u->ris |= (uint32_t)HV_PL011_INT_TX;
	if (u->rx_count)
		u->ris |= (uint32_t)HV_PL011_INT_RX;
	else
		u->ris &= ~(uint32_t)(HV_PL011_INT_RX | HV_PL011_INT_RT);
	bool level = mis(u) != 0;
	if (level != u->irq_level) {
		u->irq_level = level;
		if (u->irq)
			u->irq(u->arg, level);
	}
}

void hv_pl011_init(struct hv_pl011 *uart, hv_pl011_tx_fn tx, hv_pl011_irq_fn irq, void *arg)
{
	hv_memset(uart, 0, sizeof(*uart));
	uart->cr = CR_RESET;
	uart->ifls = IFLS_RESET;
	uart->tx = tx;
	uart->irq = irq;
	uart->arg = arg;
	update_irq(uart);
}

static uint32_t read_reg(struct hv_pl011 *u, uint32_t reg)
{
	switch (reg) {
	case HV_PL011_DR: {
		if (!u->rx_count)
			return 0;
		uint32_t byte = u->rx[u->rx_head];
		u->rx_head = (uint8_t)((u->rx_head + 1u) % HV_PL011_RX_FIFO);
		u->rx_count--;
		update_irq(u);
		return byte;
	}
	case HV_PL011_RSR: return u->rsr;
	case HV_PL011_FR:
		return (uint32_t)(HV_PL011_FR_TXFE | (u->rx_count ? 0u : HV_PL011_FR_RXFE) |
		                  (u->rx_count == HV_PL011_RX_FIFO ? HV_PL011_FR_RXFF : 0u));
	case HV_PL011_ILPR: return u->ilpr;
	case HV_PL011_IBRD: return u->ibrd;
	case HV_PL011_FBRD: return u->fbrd;
	case HV_PL011_LCR_H: return u->lcr_h;
	case HV_PL011_CR: return u->cr;
	case HV_PL011_IFLS: return u->ifls;
	case HV_PL011_IMSC: return u->imsc;
	case HV_PL011_RIS: return u->ris;
	case HV_PL011_MIS: return mis(u);
	case HV_PL011_DMACR: return u->dmacr;
	default:
		if (reg >= HV_PL011_ID_LO && reg < HV_PL011_SIZE)
			return id_regs[(reg - HV_PL011_ID_LO) / 4u];
		return 0; /* reserved: reads as zero */
	}
}

static void write_reg(struct hv_pl011 *u, uint32_t reg, uint32_t v)
{
	switch (reg) {
	case HV_PL011_DR:
		/* The data byte is DR[7:0]. Hardware sends only with CR.UARTEN
		 * and CR.TXE set (DDI 0183G 3.3.8); like QEMU's model this one
		 * sends regardless, because boot code commonly relies on
		 * firmware having enabled the UART. */
		u->tx_bytes++;
		if (u->tx)
			u->tx(u->arg, (uint8_t)v);
		break;
	case HV_PL011_RSR: u->rsr = 0; break; /* ECR: any write clears */
	case HV_PL011_ILPR: u->ilpr = v & 0xffu; break;
	case HV_PL011_IBRD: u->ibrd = v & 0xffffu; break;
	case HV_PL011_FBRD: u->fbrd = v & 0x3fu; break;
	case HV_PL011_LCR_H: u->lcr_h = v & 0xffu; break;
	case HV_PL011_CR: u->cr = v & 0xff87u; break;
	case HV_PL011_IFLS: u->ifls = v & 0x3fu; break;
	case HV_PL011_IMSC: u->imsc = v & (uint32_t)HV_PL011_INT_ALL; break;
	case HV_PL011_ICR: u->ris &= ~(v & (uint32_t)HV_PL011_INT_ALL); break;
	case HV_PL011_DMACR: u->dmacr = v & 0x7u; break;
	default: break; /* FR, RIS, MIS, IDs and reserved: writes ignored */
	}
	update_irq(u);
}

static bool access_ok(uint64_t offset, unsigned size)
{
	return (size == 1 || size == 2 || size == 4) && hv_is_aligned(offset, size) &&
	       offset < HV_PL011_SIZE;
}

hv_status_t hv_pl011_read(struct hv_pl011 *uart, uint64_t offset, unsigned size, uint64_t *value)
{
	if (!access_ok(offset, size))
		return HV_ERR_INVALID;
	unsigned shift = (unsigned)(offset & 3u) * 8u;
	uint32_t reg = read_reg(uart, (uint32_t)(offset & ~UINT64_C(3)));
	*value = (reg >> shift) & (uint32_t)HV_GENMASK(size * 8u - 1u, 0);
	return HV_OK;
}

hv_status_t hv_pl011_write(struct hv_pl011 *uart, uint64_t offset, unsigned size, uint64_t value)
{
	if (!access_ok(offset, size))
		return HV_ERR_INVALID;
	uint32_t reg = (uint32_t)(offset & ~UINT64_C(3));
	unsigned shift = (unsigned)(offset & 3u) * 8u;
	uint32_t mask = (uint32_t)HV_GENMASK(size * 8u - 1u, 0) << shift;
	uint32_t v = (uint32_t)(value << shift) & mask;
	if (size < 4) {
		if (reg == HV_PL011_DR) {
			if (shift != 0)
				return HV_OK; /* DR[31:8] hold no transmit data */
		} else {
			/* Merge with the current value; never re-read DR (that
			 * would pop the receive FIFO). */
			v |= read_reg(uart, reg) & ~mask;
		}
	}
	write_reg(uart, reg, v);
	return HV_OK;
}

hv_status_t hv_pl011_receive(struct hv_pl011 *uart, uint8_t byte)
{
	if (uart->rx_count == HV_PL011_RX_FIFO) {
		uart->rsr |= RSR_OE;
		return HV_ERR_NO_MEMORY;
	}
	uart->rx[(uart->rx_head + uart->rx_count) % HV_PL011_RX_FIFO] = byte;
	uart->rx_count++;
	update_irq(uart);
	return HV_OK;
}

static hv_status_t bus_read(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                            uint64_t *value)
{
	(void)vcpu;
	return hv_pl011_read(opaque, offset, size, value);
}

static hv_status_t bus_write(struct hv_vcpu *vcpu, void *opaque, uint64_t offset, unsigned size,
                             uint64_t value)
{
	(void)vcpu;
	return hv_pl011_write(opaque, offset, size, value);
}

hv_status_t hv_pl011_attach(struct hv_pl011 *uart, struct hv_mmio_bus *bus, hv_ipa_t base)
{
	if (!hv_is_aligned(hv_ipa_addr(base), HV_PL011_SIZE))
		return HV_ERR_INVALID;
	const struct hv_mmio_region region = {
	    .base = base,
	    .size = HV_PL011_SIZE,
	    .access_sizes = HV_MMIO_SIZE_8BIT | HV_MMIO_SIZE_16BIT | HV_MMIO_SIZE_32BIT,
	    .flags = HV_MMIO_F_FAST, /* refuses before it changes anything */
	    .read = bus_read,
	    .write = bus_write,
	    .opaque = uart,
	};
	return hv_mmio_bus_register(bus, &region);
}
