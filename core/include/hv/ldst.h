/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoder for the A64 general-purpose load/store instructions that exit
 * dispatch emulates when a data abort has ISV=0 (Arm ARM C4.1.66 "Loads and
 * Stores" encoding groups):
 *   LDR/STR (B, H, W, X) and LDRS{B,H,W}: unsigned immediate, pre-index,
 *   post-index, unscaled (LDUR/STUR), register offset (LSL/UXTW/SXTW/SXTX);
 *   LDP/STP (W, X) and LDPSW: signed offset, pre-index, post-index.
 * Anything else (SIMD&FP, exclusives, atomics, LDTR, LDNP, PRFM...) is
 * refused with HV_ERR_NOT_SUPPORTED.
 */
#ifndef HV_LDST_H
#define HV_LDST_H

#include <hv/types.h>

struct hv_vcpu_regs;

enum hv_ldst_addr_mode {
	HV_LDST_OFFSET = 0, /* [Xn, #imm] or [Xn, Xm{, ext}], no writeback */
	HV_LDST_PRE,        /* [Xn, #imm]!  address = Xn + imm, Xn updated */
	HV_LDST_POST,       /* [Xn], #imm   address = Xn, Xn = Xn + imm */
};

/* Register-offset extension (the instruction's option field). */
enum hv_ldst_extend {
	HV_LDST_EXT_UXTW = 2,
	HV_LDST_EXT_LSL = 3, /* UXTX */
	HV_LDST_EXT_SXTW = 6,
	HV_LDST_EXT_SXTX = 7,
};

struct hv_ldst {
	bool is_load;
	bool is_pair;
	bool sign_extend; /* loads: sign-extend the element to `width` */
	bool reg_offset;  /* address = Xn + extend(Xm) << shift */
	uint8_t size;     /* element size in bytes: 1, 2, 4, 8 */
	uint8_t width;    /* register width in bits: 32 (Wt) or 64 (Xt) */
	uint8_t rt, rt2;  /* 31 = XZR */
	uint8_t rn;       /* 31 = SP */
	uint8_t rm;       /* reg_offset only; 31 = XZR */
	uint8_t extend;   /* enum hv_ldst_extend, reg_offset only */
	uint8_t shift;    /* reg_offset only: 0 or log2(size) */
	enum hv_ldst_addr_mode mode;
	int64_t imm; /* byte offset (already scaled) */
};

/* Decode `insn`. HV_ERR_NOT_SUPPORTED if it is not one of the forms above,
 * HV_ERR_INVALID for encodings the Arm ARM calls UNPREDICTABLE (writeback
 * with Rn == Rt, LDP with Rt == Rt2). *out is written only on HV_OK. */
hv_status_t hv_ldst_decode(uint32_t insn, struct hv_ldst *out);

/* Value of base register n (31 = the SP selected by PSTATE.SP/EL). */
uint64_t hv_ldst_read_base(const struct hv_vcpu_regs *regs, unsigned n);
/* Write base register n (31 = the selected SP). */
void hv_ldst_write_base(struct hv_vcpu_regs *regs, unsigned n, uint64_t value);

/* Virtual address of the first element and the base after writeback. */
void hv_ldst_address(const struct hv_ldst *ls, const struct hv_vcpu_regs *regs, uint64_t *va,
                     uint64_t *new_base);

#endif /* HV_LDST_H */
