/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Page memory for tables and hypervisor objects, as an explicit ops struct
 * (not part of the arch seam) so one binary can serve several pools: an EL2
 * pool, a kernel module's pages, a test allocator that fails on demand.
 */
#ifndef HV_MM_OPS_H
#define HV_MM_OPS_H

#include <hv/types.h>

struct hv_mm_ops {
	/* One zeroed, page-aligned 4 KiB page, or NULL when the pool is dry. */
	void *(*zalloc_page)(void *pool);
	void (*free_page)(void *pool, void *page);
	hv_pa_t (*virt_to_phys)(void *pool, const void *va);
	void *(*phys_to_virt)(void *pool, hv_pa_t pa);
	void *pool;
	/*
	 * Optional: nr_pages (a power of two, 2..16) zeroed pages, physically
	 * contiguous and aligned to nr_pages * 4 KiB (concatenated stage-2 root
	 * tables), or NULL. Each page is returned with free_page.
	 */
	void *(*zalloc_pages_contig)(void *pool, unsigned nr_pages);
	/*
	 * Optional: the pool is linearly mapped, va == pa + linear_offset for
	 * every page it gives (an identity-mapped EL2 pool, a kernel's linear
	 * map, a host arena). Lets table walks skip the phys_to_virt call.
	 */
	bool linear;
	uint64_t linear_offset; /* va - pa, modulo 2^64 */
};

#endif /* HV_MM_OPS_H */
