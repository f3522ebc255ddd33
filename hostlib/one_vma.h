/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Guest RAM for a GenieZone memslot: MediaTek's driver accepts a slot only
 * if it is exactly one VMA of exactly memory_size. Two anonymous mappings
 * placed side by side with the same protection merge into one VMA, so the
 * region is mapped between two PROT_NONE guard pages, which never merge
 * with it.
 */
#ifndef HOSTLIB_ONE_VMA_H
#define HOSTLIB_ONE_VMA_H

#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/* size bytes (a page multiple) read-write, one VMA; MAP_FAILED on error. */
static inline void *one_vma_map(size_t size)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	uint8_t *guard = mmap(NULL, size + 2 * page, PROT_NONE,
	                      MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (guard == MAP_FAILED)
		return MAP_FAILED;
	void *mem = mmap(guard + page, size, PROT_READ | PROT_WRITE,
	                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);
	if (mem == MAP_FAILED)
		munmap(guard, size + 2 * page);
	return mem;
}

#endif /* HOSTLIB_ONE_VMA_H */
