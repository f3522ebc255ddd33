/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 stage-1 identity map (Arm ARM D8, VMSAv8-64 translation, 4 KiB
 * granule). TCR_EL2.T0SZ = 25 gives a 39-bit space whose walk starts at
 * level 1: one 4 KiB table of 512 block descriptors, 1 GiB each. Device
 * memory is never accessed speculatively, so everything that is not RAM is
 * Device-nGnRE; RAM is Normal write-back so that unaligned accesses (libfdt)
 * and caches work. A gigabyte is the granule: a platform must have no device
 * in a gigabyte that holds RAM (true of QEMU virt).
 */
#include "mmu.h"

#include "sysreg.h"

/* MAIR_EL2 (D13.2.97): attribute 0 Device-nGnRE, 1 Normal WB RW-allocate. */
#define MAIR_DEVICE_NGNRE 0x04ull
#define MAIR_NORMAL_WB    0xffull
#define ATTR_DEVICE       0ull
#define ATTR_NORMAL       1ull

/* Block descriptor fields (D8.3): valid block, AttrIndx[4:2], AP[7:6] = 0
 * (EL2 read/write), SH[9:8], AF[10], XN[54] for the EL2 regime. */
#define DESC_BLOCK    0x1ull
#define DESC_ATTR(i)  ((i) << 2)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF       (1ull << 10)
#define DESC_XN       (1ull << 54)
#define L1_SHIFT      30
#define L1_ENTRIES    512

/* TCR_EL2 (D13.2.131, E2H = 0): RES1 bits 31 and 23, PS[18:16], TG0 = 4K,
 * SH0 inner shareable, ORGN0/IRGN0 write-back write-allocate, T0SZ. */
#define TCR_RES1       ((1ull << 31) | (1ull << 23))
#define TCR_PS(p)      ((uint64_t)(p) << 16)
#define TCR_SH0_INNER  (3ull << 12)
#define TCR_ORGN0_WBWA (1ull << 10)
#define TCR_IRGN0_WBWA (1ull << 8)
#define TCR_T0SZ_39BIT 25ull

/* SCTLR_EL2 (D13.2.118, E2H = 0): RES1 bits, M, C, I. */
#define SCTLR_RES1 0x30c50830ull
#define SCTLR_M    (1ull << 0)
#define SCTLR_C    (1ull << 2)
#define SCTLR_I    (1ull << 12)

static uint64_t l1_table[L1_ENTRIES] __attribute__((aligned(4096)));

static uint64_t block(uint64_t index, bool normal)
{
	uint64_t pa = index << L1_SHIFT;
	if (normal)
		return pa | DESC_BLOCK | DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF;
	return pa | DESC_BLOCK | DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_XN;
}

static void mark_normal(uint64_t base, uint64_t size)
{
	if (!size)
		return;
	uint64_t first = base >> L1_SHIFT, last = (base + size - 1) >> L1_SHIFT;
	for (uint64_t i = first; i <= last && i < L1_ENTRIES; i++)
		l1_table[i] = block(i, true);
}

void el2_mmu_map_ram(uint64_t base, uint64_t size)
{
	/* Device -> Normal changes the attributes of a live block: break before
	 * make is not needed for an attribute change of a mapping nothing has
	 * cached as Normal yet, but the TLB may hold the Device entry. */
	mark_normal(base, size);
	__asm__ volatile("dsb ishst\n\ttlbi alle2\n\tdsb ish" ::: "memory");
	isb();
}

extern char _start[], __image_end[];

/* The register values every CPU loads (a secondary reads them with its MMU
 * off, so the boot CPU cleans them to memory first). */
static struct {
	uint64_t mair, tcr, ttbr, sctlr_set;
} regs;

static uint64_t dcache_line(void)
{
	return 4ull << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* CTR_EL0.DminLine */
}

static void load_and_enable(void)
{
	write_sysreg(mair_el2, regs.mair);
	write_sysreg(tcr_el2, regs.tcr);
	write_sysreg(ttbr0_el2, regs.ttbr);
	__asm__ volatile("dsb ish\n\ttlbi alle2\n\tdsb ish" ::: "memory");
	isb();
	write_sysreg(sctlr_el2, read_sysreg(sctlr_el2) | regs.sctlr_set);
	isb();
}

void el2_mmu_enable(uint64_t normal_base, uint64_t normal_size)
{
	for (uint64_t i = 0; i < L1_ENTRIES; i++)
		l1_table[i] = block(i, false);
	mark_normal((uint64_t)(uintptr_t)_start, (uint64_t)(__image_end - _start));
	mark_normal(normal_base, normal_size);

	/* PS: the implemented PA size (ID_AA64MMFR0_EL1.PARange, 0..6). */
	uint64_t parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	if (parange > 6)
		parange = 6;
	regs.mair = MAIR_DEVICE_NGNRE << (8 * ATTR_DEVICE) | MAIR_NORMAL_WB << (8 * ATTR_NORMAL);
	regs.tcr = TCR_RES1 | TCR_PS(parange) | TCR_SH0_INNER | TCR_ORGN0_WBWA | TCR_IRGN0_WBWA |
	           TCR_T0SZ_39BIT;
	regs.ttbr = (uint64_t)(uintptr_t)l1_table;
	regs.sctlr_set = SCTLR_RES1 | SCTLR_M | SCTLR_C | SCTLR_I;
	/* The table was written with the MMU (and so the data cache) off: drop
	 * any stale line over it before cacheable walks see it (DC IVAC). The
	 * rest of the image is loaded clean to the point of coherency by the
	 * boot protocol; QEMU has no caches to go stale. */
	uint64_t line = dcache_line();
	for (uintptr_t a = (uintptr_t)l1_table; a < (uintptr_t)(l1_table + L1_ENTRIES); a += line)
		__asm__ volatile("dc ivac, %0" ::"r"(a) : "memory");
	load_and_enable();
}

void el2_dcache_clean(const void *p, size_t size)
{
	uint64_t line = dcache_line();
	for (uintptr_t a = (uintptr_t)p & ~(line - 1); a < (uintptr_t)p + size; a += line)
		__asm__ volatile("dc cvac, %0" ::"r"(a) : "memory");
	__asm__ volatile("dsb ish" ::: "memory");
}

void el2_mmu_clean_for_secondaries(void)
{
	el2_dcache_clean(&regs, sizeof(regs));
	el2_dcache_clean(l1_table, sizeof(l1_table));
}

void el2_mmu_enable_secondary(void)
{
	load_and_enable();
}
