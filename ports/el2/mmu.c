/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EL2 stage-1 identity map (Arm ARM D8, VMSAv8-64 translation, 4 KiB
 * granule). TCR_EL2.T0SZ = 25 gives a 39-bit space whose walk starts at
 * level 1: 512 entries of 1 GiB. Device memory is never accessed
 * speculatively, so a gigabyte without RAM is one Device-nGnRE,
 * execute-never block; RAM is Normal write-back so that unaligned accesses
 * (libfdt) and caches work. A gigabyte holding RAM gets a level-2 table and
 * maps only what is known to be RAM, in 2 MiB blocks and, where a block
 * would reach past it, 4 KiB pages: first the image and the DTB (before
 * discovery), then the RAM the DTB names minus its /reserved-memory no-map
 * carveouts (firmware's memory: BL31, OP-TEE; even a speculative access
 * to it may fault the SoC), which EL2 never maps. Entries only ever go
 * from invalid to valid, so no live mapping is broken and remade, except a
 * Device gigabyte that becomes RAM, which nothing is using then.
 */
#include "mmu.h"

#include "sysreg.h"

/* MAIR_EL2 (D13.2.97): attribute 0 Device-nGnRE, 1 Normal WB RW-allocate. */
#define MAIR_DEVICE_NGNRE 0x04ull
#define MAIR_NORMAL_WB    0xffull
#define ATTR_DEVICE       0ull
#define ATTR_NORMAL       1ull

/* Descriptor fields (D8.3): bits [1:0] 0b01 a block (levels 1, 2), 0b11 a
 * table (levels 1, 2) or a page (level 3); AttrIndx[4:2], AP[7:6] = 0 (EL2
 * read/write), SH[9:8], AF[10], XN[54] for the EL2 regime. */
#define DESC_VALID    0x1ull
#define DESC_BLOCK    0x1ull
#define DESC_TABLE    0x3ull
#define DESC_PAGE     0x3ull
#define DESC_TYPE     0x3ull
#define DESC_ADDR     0x0000fffffffff000ull
#define DESC_ATTR(i)  ((i) << 2)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF       (1ull << 10)
#define DESC_XN       (1ull << 54)
#define L1_SHIFT      30
#define L2_SHIFT      21
#define L3_SHIFT      12
#define L1_ENTRIES    512
#define ENTRIES       512
#define NORMAL        (DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF)

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

/* Level-2 and level-3 tables, handed out as RAM is mapped: one level-2
 * table per gigabyte of RAM, level-3 tables only where a 2 MiB block would
 * reach past what may be mapped (the image's and the DTB's edges, each
 * carveout's edges). */
#define NR_TABLES 64
static uint64_t tables[NR_TABLES][ENTRIES] __attribute__((aligned(4096)));
static unsigned tables_used;

static uint64_t device_block(uint64_t index)
{
	return index << L1_SHIFT | DESC_BLOCK | DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_XN;
}

static void tlb_sync(void)
{
	__asm__ volatile("dsb ishst\n\ttlbi alle2\n\tdsb ish" ::: "memory");
	isb();
}

/* The table an entry points to, made (empty) when the entry is invalid,
 * or a Device gigabyte (break, then make: nothing uses it). NULL when the
 * entry maps a block already, or no table is left. */
static uint64_t *next_table(uint64_t *entry, bool device_ok)
{
	if ((*entry & DESC_TYPE) == DESC_TABLE)
		return (uint64_t *)(uintptr_t)(*entry & DESC_ADDR);
	if ((*entry & DESC_VALID) && !device_ok)
		return NULL;
	if (tables_used == NR_TABLES)
		return NULL;
	uint64_t *t = tables[tables_used++];
	for (unsigned i = 0; i < ENTRIES; i++)
		t[i] = 0;
	if (*entry & DESC_VALID) {
		*entry = 0;
		tlb_sync();
	}
	__asm__ volatile("dsb ishst" ::: "memory");
	*entry = (uint64_t)(uintptr_t)t | DESC_TABLE;
	return t;
}

static bool overlaps(uint64_t a, uint64_t asize, uint64_t b, uint64_t bsize)
{
	return a < b + bsize && b < a + asize;
}

static bool clear_of(uint64_t base, uint64_t size, const struct el2_dt_range *skip,
                     unsigned nr_skip)
{
	for (unsigned i = 0; i < nr_skip; i++)
		if (overlaps(base, size, skip[i].base, skip[i].size))
			return false;
	return true;
}

/*
 * Maps the pages of [base, base + size) that overlap none of skip[] as
 * Normal memory: 2 MiB blocks where one fits, else 4 KiB pages. What is
 * mapped already stays as it is. False when the tables ran out (what was
 * mapped stays mapped, the rest not).
 */
static bool map_normal(uint64_t base, uint64_t size, const struct el2_dt_range *skip,
                       unsigned nr_skip)
{
	uint64_t pa = base & ~((1ull << L3_SHIFT) - 1), end = base + size;
	while (pa < end) {
		uint64_t l1 = pa >> L1_SHIFT;
		if (l1 >= L1_ENTRIES)
			return true; /* beyond the 39-bit space: nothing maps it */
		uint64_t *l2 = next_table(&l1_table[l1], true);
		if (!l2)
			return false;
		uint64_t *e2 = &l2[(pa >> L2_SHIFT) % ENTRIES];
		uint64_t block = pa & ~((1ull << L2_SHIFT) - 1);
		if (*e2 == 0 && block == pa && end - pa >= (1ull << L2_SHIFT) &&
		    clear_of(pa, 1ull << L2_SHIFT, skip, nr_skip)) {
			*e2 = pa | DESC_BLOCK | NORMAL;
			pa += 1ull << L2_SHIFT;
			continue;
		}
		if ((*e2 & DESC_TYPE) == DESC_BLOCK) { /* mapped whole already */
			pa = block + (1ull << L2_SHIFT);
			continue;
		}
		uint64_t *l3 = next_table(e2, false);
		if (!l3)
			return false;
		for (; pa < end && pa < block + (1ull << L2_SHIFT); pa += 1ull << L3_SHIFT) {
			uint64_t *e3 = &l3[(pa >> L3_SHIFT) % ENTRIES];
			if (*e3 == 0 && clear_of(pa, 1ull << L3_SHIFT, skip, nr_skip))
				*e3 = pa | DESC_PAGE | NORMAL;
		}
	}
	return true;
}

bool el2_mmu_map_ram(uint64_t base, uint64_t size, const struct el2_dt_range *nomap,
                     unsigned nr_nomap)
{
	bool ok = map_normal(base, size, nomap, nr_nomap);
	/* Only invalid entries became valid (and Device gigabytes tables, with
	 * their own invalidation): make the writes visible to the walker. */
	tlb_sync();
	return ok;
}

bool el2_mmu_map_device(uint64_t base, uint64_t size)
{
	const uint64_t device = DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_XN;
	uint64_t pa = base & ~((1ull << L3_SHIFT) - 1), end = base + size;
	bool ok = end >= base;
	while (ok && pa < end) {
		uint64_t l1 = pa >> L1_SHIFT;
		if (l1 >= L1_ENTRIES)
			break;                                  /* beyond the 39-bit space */
		if ((l1_table[l1] & DESC_TYPE) != DESC_TABLE) { /* a Device gigabyte */
			pa = (l1 + 1) << L1_SHIFT;
			continue;
		}
		uint64_t *e2 = &(
		    (uint64_t *)(uintptr_t)(l1_table[l1] & DESC_ADDR))[(pa >> L2_SHIFT) % ENTRIES];
		uint64_t *l3 = (*e2 & DESC_TYPE) == DESC_BLOCK ? NULL : next_table(e2, false);
		if (!l3) {
			ok = false; /* RAM's 2 MiB block, or no table left */
			break;
		}
		uint64_t block_end = (pa & ~((1ull << L2_SHIFT) - 1)) + (1ull << L2_SHIFT);
		for (; pa < end && pa < block_end; pa += 1ull << L3_SHIFT) {
			uint64_t *e3 = &l3[(pa >> L3_SHIFT) % ENTRIES];
			if (*e3 == 0)
				*e3 = pa | DESC_PAGE | device;
			else if ((*e3 & DESC_ATTR(7ull)) != DESC_ATTR(ATTR_DEVICE))
				ok = false; /* RAM's page */
		}
	}
	tlb_sync(); /* only invalid entries became valid */
	return ok;
}

bool el2_mmu_maps(uint64_t va)
{
	__asm__ volatile("at s1e2r, %0" ::"r"(va));
	isb();
	return !(read_sysreg(par_el1) & 1); /* PAR_EL1.F (D13.2.97) */
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
		l1_table[i] = device_block(i);
	map_normal((uint64_t)(uintptr_t)_start, (uint64_t)(__image_end - _start), NULL, 0);
	map_normal(normal_base, normal_size, NULL, 0);

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
	for (uintptr_t a = (uintptr_t)tables; a < (uintptr_t)tables[tables_used]; a += line)
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
	el2_dcache_clean(tables, tables_used * sizeof(tables[0]));
}

void el2_mmu_enable_secondary(void)
{
	load_and_enable();
}
