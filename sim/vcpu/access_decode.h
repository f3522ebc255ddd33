/* SPDX-License-Identifier: Apache-2.0 */
/* Memory accesses of single instructions, for faults Unicorn reports without
 * an address (sim/vcpu/access_decode.c). */
#ifndef HVSIM_ACCESS_DECODE_H
#define HVSIM_ACCESS_DECODE_H

#include <hv/types.h>

struct hv_vcpu_regs;

/* DC ZVA, Xt: true and *rt = t. */
bool sim_insn_is_dc_zva(uint32_t insn, unsigned *rt);

struct sim_access {
	uint64_t va;   /* of the (first) element */
	unsigned size; /* of one element, bytes */
	bool is_write;
	bool must_align; /* exclusives, acquire/release, atomics: hardware
	                    without FEAT_LSE2 faults on a misaligned one */
};

/* The kind of access of `insn` (va not set). */
bool sim_access_decode(uint32_t insn, struct sim_access *out);

/* The access `insn` makes with `regs` (as they are before it executes):
 * general-purpose loads and stores and pairs, exclusives, load-acquire/
 * store-release, LSE atomics, LDAPR, LDTR/STTR. False for anything else
 * (SIMD&FP, system instructions...). */
bool sim_access_va(uint32_t insn, const struct hv_vcpu_regs *regs, struct sim_access *out);

#endif /* HVSIM_ACCESS_DECODE_H */
