/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seam (core/include/hv/arch.h) at real EL2: TLB maintenance, barriers,
 * counter, console. Stage-2 TLB maintenance by IPA only removes stage-2
 * entries; combined stage-1+2 entries of the VMID go with TLBI VMALLE1IS
 * (Arm ARM D8.13.4), so each IPA invalidation is followed by one. The VMID
 * is the one in VTTBR_EL2: the caller switches it. With FEAT_TTL the
 * level hint goes into TLBI IPAS2E1IS; with FEAT_TLBIRANGE an IPA range is
 * invalidated with TLBI RIPAS2E1IS (D8.13.5: range = (NUM + 1) <<
 * (5 * SCALE + 1) pages from BaseADDR).
 */
#include <hv/arch.h>

#include "console.h"
#include "sysreg.h"

/* Run `fn` with VTTBR_EL2.VMID = vmid (TLBI by IPA/VMALLS12E1 use it). */
static uint64_t vmid_switch(uint16_t vmid)
{
	uint64_t old = read_sysreg(vttbr_el2);
	uint64_t want = (old & ~(0xffffull << 48)) | ((uint64_t)vmid << 48);
	if (want != old) {
		write_sysreg(vttbr_el2, want);
		isb();
	}
	return old;
}

static void vmid_restore(uint64_t old)
{
	if (read_sysreg(vttbr_el2) != old) {
		write_sysreg(vttbr_el2, old);
		isb();
	}
}

/* ID_AA64ISAR0_EL1.TLB [59:56] = 2: FEAT_TLBIRANGE (and TLBIOS).
 * ID_AA64MMFR2_EL1.TTL [51:48] = 1: FEAT_TTL. */
static bool has_range(void)
{
	return ((read_sysreg(id_aa64isar0_el1) >> 56) & 0xf) >= 2;
}

static bool has_ttl(void)
{
	return ((read_sysreg(id_aa64mmfr2_el1) >> 48) & 0xf) >= 1;
}

/* TTL hint, operand bits [47:44]: TTL[3:2] = 0b01 (4 KiB granule),
 * TTL[1:0] = level 1..3; 0 means no information. */
#define TLBI_TTL_SHIFT 44
#define TLBI_TTL_4K    (1ull << 2)

void hv_arch_tlbi_ipa(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint)
{
	uint64_t old = vmid_switch(vmid);
	/* TLBI IPAS2E1IS takes IPA[51:12] in bits [39:0]. */
	uint64_t op = hv_ipa_addr(ipa) >> 12;
	if (level_hint >= 1 && level_hint <= 3 && has_ttl())
		op |= (TLBI_TTL_4K | level_hint) << TLBI_TTL_SHIFT;
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(op));
	__asm__ volatile("dsb ish\n\ttlbi vmalle1is" ::: "memory");
	vmid_restore(old);
}

void hv_arch_tlbi_ipa_sync(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint)
{
	__asm__ volatile("dsb ishst" ::: "memory");
	hv_arch_tlbi_ipa(vmid, ipa, level_hint);
	__asm__ volatile("dsb ish" ::: "memory");
}

/* RIPAS2E1IS operand: TG [47:46] = 0b01 (4 KiB), SCALE [45:44], NUM
 * [43:39], TTL [38:37] = 0 (any level), BaseADDR [36:0] = IPA >> 12. */
#define RANGE_TG_4K       (1ull << 46)
#define RANGE_SCALE_SHIFT 44
#define RANGE_NUM_SHIFT   39
#define RANGE_BASE_MASK   ((1ull << 37) - 1)
#define RANGE_MAX_PAGES   (32ull << (5 * 3 + 1)) /* NUM 31, SCALE 3 */

void hv_arch_tlbi_ipa_range(uint16_t vmid, hv_ipa_t base, uint64_t size)
{
	uint64_t page = hv_ipa_addr(base) >> 12, pages = (size + 4095) >> 12;
	if (pages >= RANGE_MAX_PAGES || !has_range()) {
		hv_arch_tlbi_vmid(vmid);
		return;
	}
	uint64_t old = vmid_switch(vmid);
	/* Consume the page count from its low bits up: an odd page by itself,
	 * then, per SCALE, the 5 bits [5*SCALE+5 : 5*SCALE+1] as NUM + 1 units
	 * of 2^(5*SCALE+1) pages. At most 4 range operations and 1 page. */
	for (unsigned scale = 0; pages;) {
		if (pages & 1) {
			__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(page));
			page++, pages--;
			continue;
		}
		unsigned shift = 5 * scale + 1;
		uint64_t units = (pages >> shift) & 0x1f;
		if (units) {
			uint64_t op = RANGE_TG_4K | (uint64_t)scale << RANGE_SCALE_SHIFT |
			              (units - 1) << RANGE_NUM_SHIFT | (page & RANGE_BASE_MASK);
			/* TLBI RIPAS2E1IS = SYS #4, C8, C0, #2 (the assembler wants v8.4). */
			__asm__ volatile("sys #4, c8, c0, #2, %0" ::"r"(op));
			page += units << shift;
			pages -= units << shift;
		}
		scale++;
	}
	__asm__ volatile("dsb ish\n\ttlbi vmalle1is" ::: "memory");
	vmid_restore(old);
}

void hv_arch_tlbi_vmid(uint16_t vmid)
{
	uint64_t old = vmid_switch(vmid);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	vmid_restore(old);
}

bool hv_arch_has_tlbi_range(void)
{
	return has_range();
}

void hv_arch_dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

void hv_arch_dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

void hv_arch_isb(void)
{
	isb();
}

uint64_t hv_arch_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

uint64_t hv_arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

/* hv_arch_guest_fetch_insn is in guest.c (it needs the guest's translation). */

void hv_arch_console_write(const char *buf, size_t len)
{
	el2_console_write(buf, len);
}

/* ISV=0 decode reads the faulting instruction: the MMU translates the
 * guest's VA through both stages (AT S12E1R, PAR_EL1) and EL2 reads the PA
 * through its identity map. core/s2 issues no ISB after a stage-2 TLB
 * invalidation (the guest resumes through an exception return); this walk
 * runs at EL2, so it takes one first. */
hv_status_t hv_arch_guest_fetch_insn(const struct hv_vcpu_context *ctx, uint32_t *insn)
{
	uint64_t guest_par = read_sysreg(par_el1); /* the guest's: AT overwrites it */
	isb();
	__asm__ volatile("at s12e1r, %0" ::"r"(ctx->regs.pc));
	isb();
	uint64_t par = read_sysreg(par_el1);
	write_sysreg(par_el1, guest_par);
	if ((par & 1) || (ctx->regs.pc & 3))
		return HV_ERR_FAULT;
	uint64_t pa = (par & 0x0000fffffffff000ull) | (ctx->regs.pc & 0xfff);
	*insn = *(volatile uint32_t *)(uintptr_t)pa;
	return HV_OK;
}
