/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which memory access an instruction makes, for the faults Unicorn reports
 * without an address or with an inexact PC: DC ZVA (done in a helper, so
 * the engine's PC is stale) and alignment faults (reported only as an
 * exception number). Encodings: Arm ARM C4.1.66 "Loads and Stores", C5.3
 * "DC ZVA" (SYS #3, C7, C4, #1).
 */
#include <hv/ldst.h>
#include <hv/vcpu.h>
#include "access_decode.h"

bool sim_insn_is_dc_zva(uint32_t insn, unsigned *rt)
{
	if ((insn & 0xffffffe0u) != 0xd50b7420u)
		return false;
	*rt = insn & 0x1fu;
	return true;
}

/* size 001000 o2 L o1 Rs o0 Rt2 Rn Rt: exclusives, load-acquire and
 * store-release (LDXR, STXR, LDAXP, LDAR, STLR, CAS...). L is bit 22, except
 * for CAS* (o2=1, o1=1), which both read and write. */
static bool exclusive_or_ordered(uint32_t insn, bool *is_write)
{
	if ((insn & 0x3f000000u) != 0x08000000u)
		return false;
	bool cas = (insn & HV_BIT(23)) && (insn & HV_BIT(21));
	*is_write = cas || !(insn & HV_BIT(22));
	return true;
}

/* size 111 V=0 00 A R 1 Rs o3 opc 00 Rn Rt: LSE atomics (LDADD...SWP,
 * LDAPR); hardware reports them as writes, except LDAPR (o3=1, opc=100). */
static bool atomic_or_rcpc(uint32_t insn, bool *is_write)
{
	if ((insn & 0x3f200c00u) != 0x38200000u)
		return false;
	*is_write = (insn & 0x0000f000u) != 0x0000c000u;
	return true;
}

/* size 111 V=0 00 opc 0 imm9 10 Rn Rt: LDTR/STTR (unprivileged). */
static bool unprivileged(uint32_t insn, bool *is_write, int64_t *imm)
{
	if ((insn & 0x3f200c00u) != 0x38000800u)
		return false;
	*is_write = HV_FIELD(insn, 23, 22) == 0;
	uint64_t imm9 = HV_FIELD(insn, 20, 12);
	*imm = (int64_t)((imm9 ^ 0x100u) - 0x100u);
	return true;
}

bool sim_access_decode(uint32_t insn, struct sim_access *out)
{
	int64_t imm = 0;
	out->must_align =
	    exclusive_or_ordered(insn, &out->is_write) || atomic_or_rcpc(insn, &out->is_write);
	if (out->must_align || unprivileged(insn, &out->is_write, &imm)) {
		out->size = 1u << HV_FIELD(insn, 31, 30);
		return true;
	}
	struct hv_ldst ls;
	if (hv_ldst_decode(insn, &ls) != HV_OK)
		return false;
	out->is_write = !ls.is_load;
	out->size = ls.size;
	return true;
}

bool sim_access_va(uint32_t insn, const struct hv_vcpu_regs *regs, struct sim_access *out)
{
	if (!sim_access_decode(insn, out))
		return false;
	struct hv_ldst ls;
	if (!out->must_align && hv_ldst_decode(insn, &ls) == HV_OK) {
		uint64_t new_base;
		hv_ldst_address(&ls, regs, &out->va, &new_base);
		return true;
	}
	int64_t imm = 0;
	bool w;
	unprivileged(insn, &w, &imm);
	out->va = hv_ldst_read_base(regs, (unsigned)HV_FIELD(insn, 9, 5)) + (uint64_t)imm;
	return true;
}
