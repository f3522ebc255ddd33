/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's RAM as the VMM maps it: one range of guest-physical
 * addresses backed by one host mapping. Every address a guest hands a
 * device (descriptor tables, rings, buffers) goes through guest_mem_ptr,
 * which refuses anything not wholly inside that RAM.
 */
#ifndef VMM_GUEST_MEM_H
#define VMM_GUEST_MEM_H

#include <stddef.h>
#include <stdint.h>

struct guest_mem {
	uint8_t *host; /* host address of gpa_base (page aligned, as gpa_base) */
	uint64_t gpa_base;
	uint64_t size;
};

/* Host pointer to [gpa, gpa + len) or NULL when any byte lies outside RAM
 * (len 0 is refused too: a device never needs an empty buffer's address). */
static inline void *guest_mem_ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len)
{
	if (len == 0 || gpa < m->gpa_base || gpa - m->gpa_base > m->size ||
	    len > m->size - (gpa - m->gpa_base))
		return NULL;
	return m->host + (gpa - m->gpa_base);
}

#endif /* VMM_GUEST_MEM_H */
