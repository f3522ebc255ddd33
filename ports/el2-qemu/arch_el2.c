/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seam (core/include/hv/arch.h) at real EL2: TLB maintenance, barriers,
 * counter, console. Stage-2 TLB maintenance by IPA only removes stage-2
 * entries; combined stage-1+2 entries of the VMID go with TLBI VMALLE1IS
 * (Arm ARM D8.13.4), so each IPA invalidation is followed by one. The VMID
 * is the one in VTTBR_EL2: the caller switches it.
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

void hv_arch_tlbi_ipa(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint)
{
	uint64_t old = vmid_switch(vmid);
	/* TLBI IPAS2E1IS takes IPA[51:12] in bits [39:0]; the TTL hint needs
	 * FEAT_TTL, so it is left 0 (any level). */
	(void)level_hint;
	__asm__ volatile("tlbi ipas2e1is, %0" ::"r"(hv_ipa_addr(ipa) >> 12));
	__asm__ volatile("dsb ish\n\ttlbi vmalle1is" ::: "memory");
	vmid_restore(old);
}

void hv_arch_tlbi_ipa_range(uint16_t vmid, hv_ipa_t base, uint64_t size)
{
	/* FEAT_TLBIRANGE is not used yet: whole VMID. */
	(void)base;
	(void)size;
	hv_arch_tlbi_vmid(vmid);
}

void hv_arch_tlbi_vmid(uint16_t vmid)
{
	uint64_t old = vmid_switch(vmid);
	__asm__ volatile("tlbi vmalls12e1is" ::: "memory");
	vmid_restore(old);
}

bool hv_arch_has_tlbi_range(void)
{
	return false;
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
