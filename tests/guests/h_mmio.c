/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest: MMIO the way a careless or malicious guest does it, each
 * case with the same outcome at EL2 and under hvsim. Sign-extending loads
 * of the PL011's ID registers; a pre-index load with Rt == Rn and a
 * writeback pair (UNPREDICTABLE forms: refused, the access aborts);
 * exclusives and SIMD to the PL011; unaligned and page-crossing accesses;
 * a load straddling the end of RAM; DC CIVAC on MMIO; vGIC registers past
 * the implemented SPIs (RAZ/WI); GenieZone hypercall IDs from the guest;
 * instruction fetch from MMIO and past RAM.
 */
#include "lib/guest.h"

static volatile uint64_t at;

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("  abort ec=");
	put_hex(esr >> 26);
	puts_(" fsc=");
	put_hex(esr & 0x3f);
	puts_(" far=");
	put_hex(far);
	putc_('\n');
	/* A fetch abort: return to the caller (x30); else skip the access. */
	f->elr = (esr >> 26) == 0x21 ? f->x[30] : f->elr + 4;
}

#define ID (GUEST_UART_BASE + 0xfe0) /* PeriphID0..3, CellID0..3 */

int main(void)
{
	int64_t s = 0;
	uint64_t v = 0, w = 0;
	__asm__ volatile("ldrsb %0, [%1, #0x1c]" : "=r"(s) : "r"(ID) : "memory");
	print("ldrsb cellid3 ", (uint64_t)s);
	__asm__ volatile("ldrsh %w0, [%1, #0x1c]" : "=r"(v) : "r"(ID) : "memory");
	print("ldrsh w cellid3 ", v);
	__asm__ volatile("ldrsw %0, [%1, #0x1c]" : "=r"(s) : "r"(ID) : "memory");
	print("ldrsw cellid3 ", (uint64_t)s);

	puts_("ldr x1, [x1, #8]! (Rt == Rn, writeback)\n");
	__asm__ volatile("mov x1, %1\n\t.inst 0xf8408c21\n\tmov %0, x1" /* ldr x1, [x1, #8]! */
	                 : "=r"(v)
	                 : "r"(GUEST_UART_BASE)
	                 : "x1", "memory");
	print("  x1 ", v);
	puts_("ldp x2, x3, [x4], #16 on the pl011\n");
	__asm__ volatile("mov x4, %2\n\tldp x2, x3, [x4], #16\n\tmov %0, x2\n\tmov %1, x4"
	                 : "=r"(v), "=r"(w)
	                 : "r"(ID)
	                 : "x2", "x3", "x4", "memory");
	print("  base after ", w - ID);

	puts_("ldxr on the pl011\n");
	__asm__ volatile("ldxr %w0, [%1]" : "=r"(v) : "r"(ID) : "memory");
	puts_("ldr q0 (simd) on the pl011\n");
	write_sysreg(cpacr_el1, 3ul << 20); /* FPEN: FP/SIMD on at EL1 (reset: trapped) */
	isb();
	__asm__ volatile("ldr q0, [%0]" ::"r"(ID) : "v0", "memory");
	puts_("str w unaligned on the pl011\n");
	__asm__ volatile("str %w0, [%1]" ::"r"(0), "r"(GUEST_UART_BASE + 0x31) : "memory");
	puts_("ldr x crossing the pl011's page\n");
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(GUEST_UART_BASE + 0xffc) : "memory");
	puts_("ldr x straddling the end of RAM\n");
	v = 0x55;
	__asm__ volatile("ldr %0, [%1]"
	                 : "+r"(v)
	                 : "r"(GUEST_RAM_BASE + (16ul << 20) - 4)
	                 : "memory");
	print("  value kept ", v);
	puts_("dc civac on the pl011 and the hole\n");
	__asm__ volatile("dc civac, %0\n\tdc civac, %1" ::"r"(GUEST_UART_BASE), "r"(GUEST_HOLE_BASE)
	                 : "memory");

	/* GICD_ISENABLER<n> and GICD_IPRIORITYR past the 32 SPIs: RAZ/WI. */
	mmio_write32(GUEST_GICD_BASE + 0x100 + 4 * 20, ~0u);
	print("gicd_isenabler20 ", mmio_read32(GUEST_GICD_BASE + 0x100 + 4 * 20));
	mmio_write32(GUEST_GICD_BASE + 0x400 + 4 * 200, ~0u);
	print("gicd_ipriorityr200 ", mmio_read32(GUEST_GICD_BASE + 0x400 + 4 * 200));
	print("gicd_irouter(1000) ", *(volatile uint64_t *)(GUEST_GICD_BASE + 0x6000 + 8 * 1000));

	/* Vendor hypervisor service, SMC64 fast calls 0xc6000000 + n: 0 and 1
	 * are not offered; 2 is HYP_MEMINFO (the granule), 3 MEM_SHARE (IPA 0
	 * is not the guest's RAM: INVALID_PARAMETER). */
	for (uint32_t n = 0; n < 4; n++) {
		puts_("gz call ");
		put_hex(0xc6000000u + n);
		puts_(" -> ");
		put_dec((int64_t)smccc(0xc6000000u + n, 0, 0, 0));
		putc_('\n');
	}

	puts_("branch to the pl011\n");
	__asm__ volatile("blr %0" ::"r"(GUEST_UART_BASE) : "x30", "memory");
	puts_("branch past RAM\n");
	__asm__ volatile("blr %0" ::"r"(GUEST_RAM_BASE + (16ul << 20)) : "x30", "memory");
	return 0;
}
