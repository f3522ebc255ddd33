/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A64 general-purpose load/store decoder for ISV=0 MMIO emulation.
 * Encodings: Arm ARM C4.1.66 "Loads and Stores", subgroups
 * "Load/store register (unsigned immediate)", "(immediate pre-indexed)",
 * "(immediate post-indexed)", "(unscaled immediate)", "(register offset)",
 * "Load/store register pair (offset / pre-indexed / post-indexed)" and
 * "Load/store no-allocate pair (offset)".
 */
#include <hv/arch.h>
#include <hv/inject.h>
#include <hv/ldst.h>

static int64_t sign_extend(uint64_t v, unsigned bits)
{
	uint64_t m = UINT64_C(1) << (bits - 1);
	v &= (m << 1) - 1;
	return (int64_t)((v ^ m) - m);
}

/*
 * size (log2 of the element) and opc of the single-register forms with V=0
 * (C4.1.66 tables: STRB/LDRB/LDRSB, STRH/LDRH/LDRSH, STR/LDR/LDRSW, STR/LDR).
 */
static hv_status_t decode_single_opc(unsigned size_log2, unsigned opc, struct hv_ldst *ls)
{
	ls->size = (uint8_t)(1u << size_log2);
	ls->sign_extend = false;
	switch (opc) {
	case 0: /* STR* */
		ls->is_load = false;
		ls->width = size_log2 == 3 ? 64 : 32;
		return HV_OK;
	case 1: /* LDR* zero-extending into Wt (Xt for 64-bit) */
		ls->is_load = true;
		ls->width = size_log2 == 3 ? 64 : 32;
		return HV_OK;
	case 2: /* LDRS* into Xt; size 3 is PRFM */
		if (size_log2 == 3)
			return HV_ERR_NOT_SUPPORTED;
		ls->is_load = true;
		ls->sign_extend = true;
		ls->width = 64;
		return HV_OK;
	default: /* LDRS* into Wt; none for words and doublewords */
		if (size_log2 >= 2)
			return HV_ERR_NOT_SUPPORTED;
		ls->is_load = true;
		ls->sign_extend = true;
		ls->width = 32;
		return HV_OK;
	}
}

/* size 111 V=0 01 opc imm12 Rn Rt: LDR/STR (unsigned immediate). */
static hv_status_t decode_uimm(uint32_t insn, struct hv_ldst *ls)
{
	unsigned size_log2 = (unsigned)HV_FIELD(insn, 31, 30);
	hv_status_t st = decode_single_opc(size_log2, (unsigned)HV_FIELD(insn, 23, 22), ls);
	if (st != HV_OK)
		return st;
	ls->mode = HV_LDST_OFFSET;
	ls->imm = (int64_t)(HV_FIELD(insn, 21, 10) << size_log2);
	return HV_OK;
}

/* size 111 V=0 00 opc 0 imm9 op2 Rn Rt: LDUR/STUR, pre- and post-index. */
static hv_status_t decode_imm9(uint32_t insn, struct hv_ldst *ls)
{
	unsigned size_log2 = (unsigned)HV_FIELD(insn, 31, 30);
	hv_status_t st = decode_single_opc(size_log2, (unsigned)HV_FIELD(insn, 23, 22), ls);
	if (st != HV_OK)
		return st;
	switch (HV_FIELD(insn, 11, 10)) {
	case 0: ls->mode = HV_LDST_OFFSET; break;
	case 1: ls->mode = HV_LDST_POST; break;
	case 3: ls->mode = HV_LDST_PRE; break;
	default: return HV_ERR_NOT_SUPPORTED; /* LDTR/STTR (unprivileged) */
	}
	ls->imm = sign_extend(HV_FIELD(insn, 20, 12), 9);
	return HV_OK;
}

/* size 111 V=0 00 opc 1 Rm option S 10 Rn Rt: LDR/STR (register offset). */
static hv_status_t decode_regoff(uint32_t insn, struct hv_ldst *ls)
{
	unsigned size_log2 = (unsigned)HV_FIELD(insn, 31, 30);
	unsigned option = (unsigned)HV_FIELD(insn, 15, 13);
	if (!(option & 2u)) /* option<1> == 0 is unallocated */
		return HV_ERR_NOT_SUPPORTED;
	hv_status_t st = decode_single_opc(size_log2, (unsigned)HV_FIELD(insn, 23, 22), ls);
	if (st != HV_OK)
		return st;
	ls->mode = HV_LDST_OFFSET;
	ls->reg_offset = true;
	ls->rm = (uint8_t)HV_FIELD(insn, 20, 16);
	ls->extend = (uint8_t)option;
	ls->shift = (uint8_t)(HV_FIELD(insn, 12, 12) ? size_log2 : 0);
	ls->imm = 0;
	return HV_OK;
}

/* opc 101 V=0 mode L imm7 Rt2 Rn Rt: LDP/STP/LDPSW/LDNP/STNP. */
static hv_status_t decode_pair(uint32_t insn, struct hv_ldst *ls)
{
	unsigned opc = (unsigned)HV_FIELD(insn, 31, 30);
	bool load = HV_FIELD(insn, 22, 22) != 0;
	unsigned mode = (unsigned)HV_FIELD(insn, 24, 23);
	unsigned size_log2;

	switch (opc) {
	case 0: size_log2 = 2; break;
	case 1: /* LDPSW; opc 01 with L=0 is STGP (MTE) */
		if (!load || mode == 0)
			return HV_ERR_NOT_SUPPORTED;
		size_log2 = 2;
		ls->sign_extend = true;
		break;
	case 2: size_log2 = 3; break;
	default: return HV_ERR_NOT_SUPPORTED;
	}
	switch (mode) {
	case 0: /* no-allocate pair: same access, a cache hint only */
	case 2: ls->mode = HV_LDST_OFFSET; break;
	case 1: ls->mode = HV_LDST_POST; break;
	default: ls->mode = HV_LDST_PRE; break;
	}
	ls->is_pair = true;
	ls->is_load = load;
	ls->size = (uint8_t)(1u << size_log2);
	ls->width = (size_log2 == 3 || ls->sign_extend) ? 64 : 32;
	ls->rt2 = (uint8_t)HV_FIELD(insn, 14, 10);
	ls->imm = sign_extend(HV_FIELD(insn, 21, 15), 7) * (int64_t)ls->size;
	return HV_OK;
}

hv_status_t hv_ldst_decode(uint32_t insn, struct hv_ldst *out)
{
	struct hv_ldst ls;
	hv_status_t st;

	hv_memset(&ls, 0, sizeof(ls));
	if (HV_FIELD(insn, 26, 26)) /* V: SIMD&FP registers */
		return HV_ERR_NOT_SUPPORTED;
	if (HV_FIELD(insn, 29, 27) == 7u) {
		if (HV_FIELD(insn, 25, 24) == 1u)
			st = decode_uimm(insn, &ls);
		else if (HV_FIELD(insn, 25, 24) != 0u)
			return HV_ERR_NOT_SUPPORTED;
		else if (!HV_FIELD(insn, 21, 21))
			st = decode_imm9(insn, &ls);
		else if (HV_FIELD(insn, 11, 10) == 2u)
			st = decode_regoff(insn, &ls);
		else
			return HV_ERR_NOT_SUPPORTED; /* atomics, LDRA* */
	} else if (HV_FIELD(insn, 29, 27) == 5u && HV_FIELD(insn, 25, 25) == 0u) {
		st = decode_pair(insn, &ls);
	} else {
		return HV_ERR_NOT_SUPPORTED;
	}
	if (st != HV_OK)
		return st;

	ls.rt = (uint8_t)HV_FIELD(insn, 4, 0);
	ls.rn = (uint8_t)HV_FIELD(insn, 9, 5);
	/* CONSTRAINED UNPREDICTABLE cases (Arm ARM K1.2.x): refuse rather than
	 * pick one of the permitted behaviours. */
	bool wb = ls.mode != HV_LDST_OFFSET;
	if (wb && ls.rn != 31 && (ls.rn == ls.rt || (ls.is_pair && ls.rn == ls.rt2)))
		return HV_ERR_INVALID;
	if (ls.is_pair && ls.is_load && ls.rt == ls.rt2)
		return HV_ERR_INVALID;
	*out = ls;
	return HV_OK;
}

/* SP in use: SP_EL0 at EL0 and in EL1t, SP_EL1 in EL1h (Arm ARM D1.3.2). */
static bool uses_sp_el1(const struct hv_vcpu_regs *regs)
{
	return (regs->pstate & HV_PSTATE_MODE_MASK) == HV_PSTATE_EL1H;
}

uint64_t hv_ldst_read_base(const struct hv_vcpu_regs *regs, unsigned n)
{
	if (n < 31)
		return regs->x[n];
	return uses_sp_el1(regs) ? regs->sp_el1 : regs->sp_el0;
}

void hv_ldst_write_base(struct hv_vcpu_regs *regs, unsigned n, uint64_t value)
{
	if (n < 31)
		regs->x[n] = value;
	else if (uses_sp_el1(regs))
		regs->sp_el1 = value;
	else
		regs->sp_el0 = value;
}

/* ExtendReg() of the register-offset forms (Arm ARM J1 shared pseudocode). */
static uint64_t extended_offset(const struct hv_ldst *ls, const struct hv_vcpu_regs *regs)
{
	uint64_t m = ls->rm == 31 ? 0 : regs->x[ls->rm];
	switch (ls->extend) {
	case HV_LDST_EXT_UXTW: m = (uint32_t)m; break;
	case HV_LDST_EXT_SXTW: m = (uint64_t)(int64_t)(int32_t)(uint32_t)m; break;
	default: break; /* LSL (UXTX) and SXTX use all 64 bits */
	}
	return m << ls->shift;
}

void hv_ldst_address(const struct hv_ldst *ls, const struct hv_vcpu_regs *regs, uint64_t *va,
                     uint64_t *new_base)
{
	uint64_t base = hv_ldst_read_base(regs, ls->rn);
	uint64_t off = ls->reg_offset ? extended_offset(ls, regs) : (uint64_t)ls->imm;
	switch (ls->mode) {
	case HV_LDST_PRE:
		*va = base + off;
		*new_base = *va;
		break;
	case HV_LDST_POST:
		*va = base;
		*new_base = base + off;
		break;
	default:
		*va = base + off;
		*new_base = base;
		break;
	}
}
