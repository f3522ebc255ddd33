/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest: DC ZVA (a store of a whole block, done by hardware without
 * a load/store instruction's syndrome) to the PL011, to the hole and past
 * the end of RAM. Each must come back as a data abort at the DC ZVA itself
 * (ELR_EL1 exact, FAR_EL1 in the block), after a RAM store in the same
 * straight-line code; DC ZVA on RAM zeroes its block.
 */
#include "lib/guest.h"

static volatile uint64_t at_zva;
static volatile unsigned taken;
static uint64_t block[32] __attribute__((aligned(128)));

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("  abort ");
	put_abort_esr(esr);
	puts_(" far=");
	put_hex(far);
	puts_(f->elr == at_zva ? " elr at the dc zva\n" : " elr elsewhere\n");
	taken++;
	f->elr = at_zva + 4;
}

static void zva(uint64_t addr)
{
	uint64_t tmp;
	__asm__ volatile("adr %0, 1f\n\t"
	                 "str %0, [%2]\n\t"
	                 "1: dc zva, %1\n\t"
	                 : "=&r"(tmp)
	                 : "r"(addr), "r"(&at_zva)
	                 : "memory");
}

int main(void)
{
	uint64_t dczid = read_sysreg(dczid_el0);
	print("dczid block words log2 ", dczid & 0xf);
	print("dczid prohibited ", (dczid >> 4) & 1);
	for (unsigned i = 0; i < 32; i++)
		block[i] = ~0ul;
	puts_("dc zva on RAM\n");
	zva((uint64_t)&block[0]);
	unsigned zero = 0;
	for (unsigned i = 0; i < 32; i++)
		zero += block[i] == 0;
	print("  words zeroed ", zero);
	puts_("dc zva on the PL011\n");
	zva(GUEST_UART_BASE + 0x40);
	puts_("dc zva in the hole\n");
	zva(GUEST_HOLE_BASE + 0x1234);
	puts_("dc zva past RAM\n");
	zva(GUEST_RAM_BASE + (16ul << 20) + 0x80);
	print("aborts ", taken);
	return taken == 3 ? 0 : 1;
}
