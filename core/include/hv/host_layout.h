/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The layout of a host's identity stage 2 (IPA == PA) when the host owns the
 * machine (mode A on MediaTek: the bootloader's Linux at EL1): which ranges
 * it gets, and as what. A pure computation over the ranges the port found
 * (device tree, its own link map); the port only writes the descriptors.
 *
 * Policy, in order of precedence:
 *   1. holes: EL2's own ranges and the firmware's no-map carveouts, rounded
 *      OUT to pages, are never mapped (a carveout may not even be read
 *      speculatively; EL2's memory is not the host's);
 *   2. RAM, rounded IN to pages (a page only partly RAM is not Normal
 *      memory: what shares it may not tolerate speculative reads), is
 *      Normal write-back, RWX;
 *   3. device ranges, rounded OUT to pages, are Device-nGnRE, RW (a port
 *      that knows no better passes the whole space).
 * Everything else stays unmapped. The input may come in any order and
 * overlap (RAM over RAM, a carveout across a RAM edge, a device range over
 * RAM: the precedence above decides); zero-size ranges cover nothing and
 * are ignored. Refused, with nothing written: a range whose end passes
 * 2^64 (HV_ERR_INVALID), RAM or a device range past the IPA space
 * (HV_ERR_RANGE; holes past it are fine), more than HV_HOST_LAYOUT_MAX_IN
 * ranges of one kind (HV_ERR_RANGE), a space that is not a power of two
 * from one page to 2^56 or a missing array (HV_ERR_INVALID), an output
 * array too small (HV_ERR_NO_MEMORY; *nr_out then says how many entries
 * it needs). The output is sorted, disjoint, page aligned, and neighbours
 * of the same kind are merged. The work is bounded: at most 2n + 1 steps
 * over n input ranges, each looking at every range.
 */
#ifndef HV_HOST_LAYOUT_H
#define HV_HOST_LAYOUT_H

#include <hv/s2.h>
#include <hv/types.h>

#define HV_HOST_LAYOUT_MAX_IN 64 /* ranges per kind: bounds the work at EL2 */

struct hv_range {
	uint64_t base, size;
};

struct hv_host_layout_in {
	uint64_t space; /* IPA space in bytes (1 << bits), a power of two >= one page */
	const struct hv_range *ram;
	uint32_t nr_ram;
	const struct hv_range *nomap; /* firmware carveouts (/reserved-memory no-map) */
	uint32_t nr_nomap;
	const struct hv_range *own; /* EL2's image, data, stacks, pool */
	uint32_t nr_own;
	const struct hv_range *devices;
	uint32_t nr_devices;
};

/* One range to map at IPA == PA. */
struct hv_host_map {
	uint64_t base, size;
	enum hv_s2_memtype type; /* HV_S2_MEM_NORMAL_WB or HV_S2_MEM_DEVICE_nGnRE */
	uint32_t prot;           /* HV_S2_PROT_RWX (RAM) or HV_S2_PROT_RW (devices) */
};

/* The ranges to map into out[0..*nr_out), at most max_out of them. */
hv_status_t hv_host_layout(const struct hv_host_layout_in *in, struct hv_host_map *out,
                           uint32_t max_out, uint32_t *nr_out);

#endif
