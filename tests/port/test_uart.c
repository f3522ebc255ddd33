/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shared EL2 console UART drivers (ports/el2/uart*.c) against a
 * register model: every access recorded with its address and width; LSR
 * (8250) or UARTFR (PL011) report a full transmitter for a chosen number of
 * polls. Proves offsets, stride, access width, polling and that nothing but
 * the transmit and status registers is touched (no baud or format change).
 * Does not prove real FIFO or clock behaviour.
 */
#include <criterion/criterion.h>

#include "../../ports/el2/mmio.h"
#include "../../ports/el2/uart.h"

struct access {
	uintptr_t addr;
	int width;
	bool write;
	uint32_t value;
};

static struct access log_[8];
static unsigned nlog, nall;
static uintptr_t status_addr, tx_addr;
static uint32_t busy_polls;   /* status reads that still say "full" */
static uint32_t ready_status; /* the status value once ready */
static uint32_t busy_status;

static void record(uintptr_t a, int width, bool write, uint32_t v)
{
	if (nlog < 8)
		log_[nlog++] = (struct access){a, width, write, v};
	nall++;
}

static uint32_t model_read(uintptr_t a, int width)
{
	record(a, width, false, 0);
	if (a != status_addr)
		return 0xdead;
	if (busy_polls) {
		busy_polls--;
		return busy_status;
	}
	return ready_status;
}

uint8_t el2_mmio_read8(uintptr_t a)
{
	return (uint8_t)model_read(a, 1);
}

uint32_t el2_mmio_read32(uintptr_t a)
{
	return model_read(a, 4);
}

void el2_mmio_write8(uintptr_t a, uint8_t v)
{
	record(a, 1, true, v);
}

void el2_mmio_write32(uintptr_t a, uint32_t v)
{
	record(a, 4, true, v);
}

static void model(uintptr_t status, uintptr_t tx, uint32_t busy, uint32_t ready, uint32_t polls)
{
	nlog = nall = 0;
	status_addr = status;
	tx_addr = tx;
	busy_status = busy;
	ready_status = ready;
	busy_polls = polls;
}

/* Every access of one putc: `polls` busy status reads, the one that finds
 * room, then one write of c. */
static void expect_polls_then_write(uint32_t polls, int width, char c)
{
	cr_assert_eq(nall, polls + 2, "%u accesses for %u busy polls", nall, polls);
	for (unsigned i = 0; i < nall - 1 && i < 8; i++) {
		cr_expect_eq(log_[i].addr, status_addr, "access %u at %#lx", i,
		             (unsigned long)log_[i].addr);
		cr_expect_not(log_[i].write);
		cr_expect_eq(log_[i].width, width);
	}
	const struct access *w = &log_[nall - 1 < 8 ? nall - 1 : 7];
	cr_expect(w->write);
	cr_expect_eq(w->addr, tx_addr);
	cr_expect_eq(w->width, width);
	cr_expect_eq(w->value, (uint8_t)c);
}

static struct el2_uart from_dt(enum el2_dt_console_kind kind, uint64_t base, uint32_t shift,
                               uint32_t width)
{
	struct el2_dt_platform p = {0};
	p.console.kind = kind;
	p.console.base = base;
	p.console.reg_shift = shift;
	p.console.io_width = width;
	struct el2_uart u;
	el2_uart_from_dt(&u, &p);
	return u;
}

Test(uart_8250, mediatek_uart_is_32_bit_at_stride_4)
{
	/* MT8195 UART0: THR 0x11001100, LSR 0x11001114 (register 5 x 4) */
	struct el2_uart u = from_dt(EL2_DT_CONSOLE_8250, 0x11001100, 2, 4);
	model(0x11001114, 0x11001100, 0x00, 0x60, 3);
	cr_expect(el2_uart_putc(&u, 'A'));
	expect_polls_then_write(3, 4, 'A');
}

Test(uart_8250, ns16550a_bytes_at_stride_1)
{
	struct el2_uart u = from_dt(EL2_DT_CONSOLE_8250, 0x3f215040, 0, 1);
	model(0x3f215045, 0x3f215040, 0x00, 0x20, 0);
	cr_expect(el2_uart_putc(&u, '\n'));
	expect_polls_then_write(0, 1, '\n');
}

Test(uart_8250, only_thre_means_room)
{
	/* TEMT alone, data ready, errors: none of them is THRE */
	struct el2_uart u = from_dt(EL2_DT_CONSOLE_8250, 0x11002000, 2, 4);
	model(0x11002014, 0x11002000, 0x5f, 0x20, 2);
	cr_expect(el2_uart_putc(&u, 'x'));
	expect_polls_then_write(2, 4, 'x');
}

Test(uart_8250, a_dead_uart_drops_the_character_instead_of_hanging)
{
	struct el2_uart u = from_dt(EL2_DT_CONSOLE_8250, 0x11001100, 2, 4);
	model(0x11001114, 0x11001100, 0x00, 0x60, UINT32_MAX);
	cr_expect_not(el2_uart_putc(&u, 'A'));
	cr_expect_eq(nall, EL2_UART_POLL_LIMIT + 1u, "%u polls", nall);
	for (unsigned i = 0; i < 8; i++)
		cr_expect_not(log_[i].write, "nothing written");
}

Test(uart_pl011, flag_register_then_data_register)
{
	struct el2_uart u = from_dt(EL2_DT_CONSOLE_PL011, 0x09000000, 2, 4);
	model(0x09000018, 0x09000000, 1u << 5, 0x90, 2);
	cr_expect(el2_uart_putc(&u, 'Z'));
	expect_polls_then_write(2, 4, 'Z');
}

Test(uart, no_console_touches_nothing)
{
	struct el2_uart u = from_dt(EL2_DT_CONSOLE_NONE, 0, 0, 0);
	model(0, 0, 0, 0, 0);
	cr_expect_not(el2_uart_putc(&u, 'A'));
	cr_expect_eq(nall, 0);
}
