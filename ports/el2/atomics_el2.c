/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seam's atomics (hv/arch.h) at EL2. With FEAT_LSE
 * (ID_AA64ISAR0_EL1.Atomic [23:20] = 2, Arm ARM D19.2.61) one LDADDAL /
 * LDSETAL; without, an exclusive load-acquire / store-release loop
 * (LDAXR/STLXR) and a DMB ISH after it, which makes the read-modify-write a
 * full barrier like the LSE form's acquire-release. The image is built for
 * plain Armv8.0 (-mno-outline-atomics), so the choice is made here, once.
 */
#include <hv/arch.h>

#include "sysreg.h"

static int lse = -1; /* unknown until first use */

static bool has_lse(void)
{
	if (lse < 0)
		lse = ((read_sysreg(id_aa64isar0_el1) >> 20) & 0xf) >= 2;
	return lse;
}

uint32_t hv_arch_atomic_fetch_add_u32(uint32_t *p, uint32_t v)
{
	uint32_t old, tmp, fail;
	if (has_lse()) {
		__asm__ volatile(".arch_extension lse\n\tldaddal %w2, %w0, %1"
		                 : "=&r"(old), "+Q"(*p)
		                 : "r"(v)
		                 : "memory");
		return old;
	}
	__asm__ volatile("1:\tldaxr %w0, %3\n"
	                 "\tadd %w1, %w0, %w4\n"
	                 "\tstlxr %w2, %w1, %3\n"
	                 "\tcbnz %w2, 1b\n"
	                 "\tdmb ish"
	                 : "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(*p)
	                 : "r"(v)
	                 : "memory");
	return old;
}

uint32_t hv_arch_atomic_fetch_or_u32(uint32_t *p, uint32_t v)
{
	uint32_t old, tmp, fail;
	if (has_lse()) {
		__asm__ volatile(".arch_extension lse\n\tldsetal %w2, %w0, %1"
		                 : "=&r"(old), "+Q"(*p)
		                 : "r"(v)
		                 : "memory");
		return old;
	}
	__asm__ volatile("1:\tldaxr %w0, %3\n"
	                 "\torr %w1, %w0, %w4\n"
	                 "\tstlxr %w2, %w1, %3\n"
	                 "\tcbnz %w2, 1b\n"
	                 "\tdmb ish"
	                 : "=&r"(old), "=&r"(tmp), "=&r"(fail), "+Q"(*p)
	                 : "r"(v)
	                 : "memory");
	return old;
}

uint32_t hv_arch_atomic_load_acquire_u32(const uint32_t *p)
{
	uint32_t v;
	__asm__ volatile("ldar %w0, %1" : "=r"(v) : "Q"(*p) : "memory");
	return v;
}

void hv_arch_atomic_store_release_u32(uint32_t *p, uint32_t v)
{
	__asm__ volatile("stlr %w1, %0" : "=Q"(*p) : "r"(v) : "memory");
}

void hv_arch_atomic_fence(void)
{
	__asm__ volatile("dmb ish" ::: "memory");
}

void hv_arch_cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}
