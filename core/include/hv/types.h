/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Basic types shared by every core module: the one status enum, distinct
 * address types, and small bit helpers. Freestanding: stdint/stddef/stdbool.
 */
#ifndef HV_TYPES_H
#define HV_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Every fallible core function returns one of these. No errno. A call that
 * returns anything but HV_OK (or HV_BUSY, which means "progress made, call
 * again") has changed nothing.
 */
typedef enum hv_status {
	HV_OK = 0,
	HV_BUSY,              /* bounded work done; call again to continue */
	HV_ERR_INVALID,       /* malformed argument (alignment, size 0, reserved bits) */
	HV_ERR_RANGE,         /* address or index outside the permitted range */
	HV_ERR_NO_MEMORY,     /* an allocator ran dry; state unchanged */
	HV_ERR_EXISTS,        /* would overlap or replace something present */
	HV_ERR_NOT_FOUND,     /* nothing there (lookup, unmap of a hole, bad id) */
	HV_ERR_DENIED,        /* ownership or permission forbids it */
	HV_ERR_STATE,         /* object is in the wrong state for the request */
	HV_ERR_NOT_SUPPORTED, /* valid request this build/platform does not do */
	HV_ERR_FAULT,         /* a host/guest buffer could not be accessed */
} hv_status_t;

/* Human-readable name of a status, for logs and test messages. */
const char *hv_status_name(hv_status_t status);

/*
 * Address types. Wrapping in single-member structs makes mixing an IPA with
 * a PA a compile error; constructors and accessors are the only crossings.
 */
typedef struct {
	uint64_t bits;
} hv_ipa_t; /* intermediate physical address (guest physical) */

typedef struct {
	uint64_t bits;
} hv_pa_t; /* physical address (host / EL2 physical) */

typedef struct {
	uintptr_t bits;
} hv_va_t; /* virtual address in the current runtime's address space */

static inline hv_ipa_t hv_ipa(uint64_t addr)
{
	return (hv_ipa_t){addr};
}
static inline hv_pa_t hv_pa(uint64_t addr)
{
	return (hv_pa_t){addr};
}
static inline hv_va_t hv_va(const void *ptr)
{
	return (hv_va_t){(uintptr_t)ptr};
}
static inline uint64_t hv_ipa_addr(hv_ipa_t ipa)
{
	return ipa.bits;
}
static inline uint64_t hv_pa_addr(hv_pa_t pa)
{
	return pa.bits;
}
static inline void *hv_va_ptr(hv_va_t va)
{
	return (void *)va.bits;
}
static inline hv_ipa_t hv_ipa_add(hv_ipa_t ipa, uint64_t off)
{
	return (hv_ipa_t){ipa.bits + off};
}
static inline hv_pa_t hv_pa_add(hv_pa_t pa, uint64_t off)
{
	return (hv_pa_t){pa.bits + off};
}

#define HV_PAGE_SHIFT 12
#define HV_PAGE_SIZE  (UINT64_C(1) << HV_PAGE_SHIFT)
#define HV_SZ_2M      (UINT64_C(1) << 21)
#define HV_SZ_1G      (UINT64_C(1) << 30)

#define HV_BIT(n) (UINT64_C(1) << (n))
/* Mask of bits hi..lo inclusive, hi >= lo, hi <= 63. */
#define HV_GENMASK(hi, lo) ((~UINT64_C(0) >> (63 - (hi))) & (~UINT64_C(0) << (lo)))
/* Extract field hi..lo of v, shifted down. */
#define HV_FIELD(v, hi, lo) (((uint64_t)(v)&HV_GENMASK(hi, lo)) >> (lo))
#define HV_ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))

#define HV_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)

static inline bool hv_is_aligned(uint64_t v, uint64_t align)
{
	return (v & (align - 1)) == 0;
}

/* True if [base, base+size) wraps past 2^64; size 0 is not a wrap. */
static inline bool hv_range_wraps(uint64_t base, uint64_t size)
{
	return size != 0 && base + size - 1 < base;
}

/* Freestanding helpers (no libc in core/). */
void hv_memset(void *dst, int byte, size_t len);
void hv_memcpy(void *dst, const void *src, size_t len);

#endif /* HV_TYPES_H */
