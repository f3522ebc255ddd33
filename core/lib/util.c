/* SPDX-License-Identifier: Apache-2.0 */
/* Freestanding helpers: core/ links no libc. */
#include <hv/types.h>

/* Byte loops at the edges, aligned 64-bit words in between. The accesses
 * are volatile so the compiler emits no memset()/memcpy() call. */
void hv_memset(void *dst, int byte, size_t len)
{
	volatile uint8_t *d = dst;
	uint64_t pattern = UINT64_C(0x0101010101010101) * (uint8_t)byte;
	size_t i = 0;
	for (; i < len && ((uintptr_t)(d + i) & 7u); i++)
		d[i] = (uint8_t)byte;
	for (; len - i >= 8; i += 8)
		*(volatile uint64_t *)(uintptr_t)(d + i) = pattern;
	for (; i < len; i++)
		d[i] = (uint8_t)byte;
}

void hv_memcpy(void *dst, const void *src, size_t len)
{
	volatile uint8_t *d = dst;
	const uint8_t *s = src;
	size_t i = 0;
	if ((((uintptr_t)d ^ (uintptr_t)s) & 7u) == 0) {
		for (; i < len && ((uintptr_t)(d + i) & 7u); i++)
			d[i] = s[i];
		for (; len - i >= 8; i += 8)
			*(volatile uint64_t *)(uintptr_t)(d + i) =
			    *(const uint64_t *)(uintptr_t)(s + i);
	}
	for (; i < len; i++)
		d[i] = s[i];
}

const char *hv_status_name(hv_status_t status)
{
	switch (status) {
	case HV_OK: return "OK";
	case HV_BUSY: return "BUSY";
	case HV_ERR_INVALID: return "INVALID";
	case HV_ERR_RANGE: return "RANGE";
	case HV_ERR_NO_MEMORY: return "NO_MEMORY";
	case HV_ERR_EXISTS: return "EXISTS";
	case HV_ERR_NOT_FOUND: return "NOT_FOUND";
	case HV_ERR_DENIED: return "DENIED";
	case HV_ERR_STATE: return "STATE";
	case HV_ERR_NOT_SUPPORTED: return "NOT_SUPPORTED";
	case HV_ERR_FAULT: return "FAULT";
	}
	return "UNKNOWN";
}
