/* SPDX-License-Identifier: Apache-2.0 */
/* PL011 model (core/dev/pl011.c) against the PL011 TRM (DDI 0183G). */
#include <criterion/criterion.h>
#include <hv/pl011.h>
#include <hv/vm.h>
#include <string.h>

static char out[64];
static size_t out_len;
static int irq_changes;
static bool irq_level;

static void tx(void *arg, uint8_t b)
{
	(void)arg;
	if (out_len < sizeof(out))
		out[out_len++] = (char)b;
}
static void irq(void *arg, bool level)
{
	(void)arg;
	irq_changes++;
	irq_level = level;
}

static struct hv_pl011 u;
static void setup(void)
{
	out_len = 0;
	irq_changes = 0;
	irq_level = false;
	hv_pl011_init(&u, tx, irq, NULL);
}
TestSuite(pl011, .init = setup);

static uint64_t rd(uint64_t off, unsigned size)
{
	uint64_t v = 0xdead;
	cr_assert_eq(hv_pl011_read(&u, off, size, &v), HV_OK);
	return v;
}

Test(pl011, reset_values_and_ids)
{
	cr_assert_eq(rd(HV_PL011_CR, 4), 0x300);
	cr_assert_eq(rd(HV_PL011_IFLS, 4), 0x12);
	cr_assert_eq(rd(HV_PL011_FR, 4), HV_PL011_FR_TXFE | HV_PL011_FR_RXFE);
	cr_assert_eq(rd(0xfe0, 4), 0x11);
	cr_assert_eq(rd(0xfe4, 4), 0x10);
	cr_assert_eq(rd(0xff0, 4), 0x0d);
	cr_assert_eq(rd(0xffc, 4), 0xb1);
	cr_assert_eq(rd(0x100, 4), 0); /* reserved */
}

Test(pl011, transmit_every_size)
{
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_DR, 4, 0x141), HV_OK); /* only [7:0] */
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_DR, 1, 'b'), HV_OK);
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_DR, 2, 'c'), HV_OK);
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_DR + 1, 1, 'x'), HV_OK); /* DR[15:8]: no data */
	cr_assert_eq(out_len, 3);
	cr_assert_eq(memcmp(out, "Abc", 3), 0);
	cr_assert_eq(u.tx_bytes, 3);
}

Test(pl011, partial_writes_merge)
{
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_IBRD, 4, 0x1234), HV_OK);
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_IBRD + 1, 1, 0xab), HV_OK);
	cr_assert_eq(rd(HV_PL011_IBRD, 4), 0xab34);
	cr_assert_eq(rd(HV_PL011_IBRD + 1, 1), 0xab);
	cr_assert_eq(rd(HV_PL011_IBRD, 2), 0xab34);
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_FBRD, 4, 0xff), HV_OK);
	cr_assert_eq(rd(HV_PL011_FBRD, 4), 0x3f); /* 6 bits */
}

Test(pl011, rejects_bad_access_unchanged)
{
	uint64_t v = 7;
	cr_assert_eq(hv_pl011_read(&u, HV_PL011_CR, 8, &v), HV_ERR_INVALID);
	cr_assert_eq(hv_pl011_read(&u, HV_PL011_CR + 1, 2, &v), HV_ERR_INVALID);
	cr_assert_eq(hv_pl011_read(&u, 0x1000, 4, &v), HV_ERR_INVALID);
	cr_assert_eq(v, 7);
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_DR, 8, 'z'), HV_ERR_INVALID);
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_CR + 2, 4, 1), HV_ERR_INVALID);
	cr_assert_eq(out_len, 0);
	cr_assert_eq(rd(HV_PL011_CR, 4), 0x300);
}

Test(pl011, receive_fifo_and_interrupts)
{
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_IMSC, 4, HV_PL011_INT_RX), HV_OK);
	cr_assert_not(irq_level);
	cr_assert_eq(hv_pl011_receive(&u, 'q'), HV_OK);
	cr_assert(irq_level);
	cr_assert_eq(rd(HV_PL011_MIS, 4), HV_PL011_INT_RX);
	cr_assert_eq(rd(HV_PL011_FR, 4) & HV_PL011_FR_RXFE, 0);
	cr_assert_eq(rd(HV_PL011_DR, 4), 'q');
	cr_assert_not(irq_level);
	cr_assert(rd(HV_PL011_FR, 4) & HV_PL011_FR_RXFE);
	for (unsigned i = 0; i < HV_PL011_RX_FIFO; i++)
		cr_assert_eq(hv_pl011_receive(&u, (uint8_t)i), HV_OK);
	cr_assert(rd(HV_PL011_FR, 4) & HV_PL011_FR_RXFF);
	cr_assert_eq(hv_pl011_receive(&u, 0xff), HV_ERR_NO_MEMORY);
	cr_assert_eq(rd(HV_PL011_RSR, 4), 0x8); /* overrun */
	cr_assert_eq(hv_pl011_write(&u, HV_PL011_RSR, 4, 0), HV_OK);
	cr_assert_eq(rd(HV_PL011_RSR, 4), 0);
	cr_assert_eq(rd(HV_PL011_DR, 1), 0); /* oldest first */
	cr_assert_eq(rd(HV_PL011_DR, 1), 1);
	/* TX interrupt: the FIFO is always empty, so TXRIS is set. */
	cr_assert(rd(HV_PL011_RIS, 4) & HV_PL011_INT_TX);
}

Test(pl011, attaches_to_bus)
{
	struct hv_vm vm;
	memset(&vm, 0, sizeof(vm));
	hv_mmio_bus_init(&vm.mmio);
	cr_assert_eq(hv_pl011_attach(&u, &vm.mmio, hv_ipa(0x9000100)), HV_ERR_INVALID);
	cr_assert_eq(hv_pl011_attach(&u, &vm.mmio, hv_ipa(0x9000000)), HV_OK);
	uint64_t v = 0;
	cr_assert_eq(hv_mmio_bus_access(&vm.mmio, NULL, hv_ipa(0x9000018), 4, false, &v), HV_OK);
	cr_assert_eq(v, HV_PL011_FR_TXFE | HV_PL011_FR_RXFE);
	v = 'k';
	cr_assert_eq(hv_mmio_bus_access(&vm.mmio, NULL, hv_ipa(0x9000000), 1, true, &v), HV_OK);
	cr_assert_eq(out_len, 1);
	cr_assert_eq(hv_mmio_bus_access(&vm.mmio, NULL, hv_ipa(0x9000000), 8, true, &v),
	             HV_ERR_INVALID);
}
