/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest: the virtual platform is the same on every runtime
 * (core/include/hv/platform.h): GICD_TYPER.ITLinesNumber (32 SPIs), the
 * ID registers through the hypervisor's policy (AArch64 only at EL0/EL1,
 * no EL2/EL3, SVE hidden, LSE atomics and LDAPR offered), and those
 * instructions working on RAM; an atomic on the PL011 aborts.
 */
#include "lib/guest.h"

static volatile uint64_t word = 40;

/* WnR is not printed: for an atomic read-modify-write the architecture
 * lets it be either (QEMU at EL2 reports 0 on one CPU, 1 on two). */
void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("  abort ec=");
	put_hex(esr >> 26);
	puts_(" isv=");
	put_hex((esr >> 24) & 1);
	puts_(" fsc=");
	put_hex(esr & 0x3f);
	print(" far=", far);
	f->elr += 4;
}

static void field(const char *name, uint64_t reg, unsigned shift)
{
	puts_(name);
	put_hex((reg >> shift) & 0xf);
	putc_('\n');
}

int main(void)
{
	uint32_t typer = *(volatile uint32_t *)(GUEST_GICD_BASE + 4);
	print("gicd_typer.itlinesnumber ", typer & 0x1f);
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	field("pfr0.el0 ", pfr0, 0);
	field("pfr0.el1 ", pfr0, 4);
	field("pfr0.el2 ", pfr0, 8);
	field("pfr0.el3 ", pfr0, 12);
	field("pfr0.sve ", pfr0, 32);
	uint64_t isar0 = read_sysreg(id_aa64isar0_el1);
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	puts_(((isar0 >> 20) & 0xf) >= 2 ? "isar0.atomic: lse\n" : "isar0.atomic: none\n");
	puts_(((isar1 >> 20) & 0xf) >= 1 ? "isar1.lrcpc: ldapr\n" : "isar1.lrcpc: none\n");
	uint64_t old = 0, v = 0;
	__asm__ volatile(".arch_extension lse\n\tldadd %1, %0, [%2]"
	                 : "=r"(old)
	                 : "r"(2ul), "r"(&word)
	                 : "memory");
	print("ldadd old ", old);
	__asm__ volatile(".arch_extension rcpc\n\tldapr %0, [%1]"
	                 : "=r"(v)
	                 : "r"(&word)
	                 : "memory");
	print("ldapr ", v);
	puts_("ldadd on the pl011\n");
	old = 0x77;
	__asm__ volatile(".arch_extension lse\n\tldadd %w1, %w0, [%2]"
	                 : "+r"(old)
	                 : "r"(1u), "r"(GUEST_UART_BASE + 0x38)
	                 : "memory");
	print("  value kept ", old);
	return 0;
}
