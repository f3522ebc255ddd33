/* SPDX-License-Identifier: Apache-2.0 */
/* The ISV=0 load/store decoder. Encodings from GNU as (aarch64). */
#include <criterion/criterion.h>
#include <hv/arch.h>
#include <hv/inject.h>
#include <hv/ldst.h>
#include <string.h>

struct dcase {
	uint32_t insn;
	const char *text;
	bool load, pair, sext, regoff;
	uint8_t size, width, rt, rt2, rn;
	enum hv_ldst_addr_mode mode;
	int64_t imm;
};

#define L true
#define S false
static const struct dcase cases[] = {
    {0x39001441, "strb w1, [x2, #5]", S, 0, 0, 0, 1, 32, 1, 0, 2, HV_LDST_OFFSET, 5},
    {0x79000c41, "strh w1, [x2, #6]", S, 0, 0, 0, 2, 32, 1, 0, 2, HV_LDST_OFFSET, 6},
    {0xb9000841, "str w1, [x2, #8]", S, 0, 0, 0, 4, 32, 1, 0, 2, HV_LDST_OFFSET, 8},
    {0xf9000841, "str x1, [x2, #16]", S, 0, 0, 0, 8, 64, 1, 0, 2, HV_LDST_OFFSET, 16},
    {0x397ffc83, "ldrb w3, [x4, #4095]", L, 0, 0, 0, 1, 32, 3, 0, 4, HV_LDST_OFFSET, 4095},
    {0x79400483, "ldrh w3, [x4, #2]", L, 0, 0, 0, 2, 32, 3, 0, 4, HV_LDST_OFFSET, 2},
    {0xb9400483, "ldr w3, [x4, #4]", L, 0, 0, 0, 4, 32, 3, 0, 4, HV_LDST_OFFSET, 4},
    {0xf97ffc83, "ldr x3, [x4, #32760]", L, 0, 0, 0, 8, 64, 3, 0, 4, HV_LDST_OFFSET, 32760},
    {0x398004c5, "ldrsb x5, [x6, #1]", L, 0, 1, 0, 1, 64, 5, 0, 6, HV_LDST_OFFSET, 1},
    {0x39c004c5, "ldrsb w5, [x6, #1]", L, 0, 1, 0, 1, 32, 5, 0, 6, HV_LDST_OFFSET, 1},
    {0x798004c5, "ldrsh x5, [x6, #2]", L, 0, 1, 0, 2, 64, 5, 0, 6, HV_LDST_OFFSET, 2},
    {0x79c004c5, "ldrsh w5, [x6, #2]", L, 0, 1, 0, 2, 32, 5, 0, 6, HV_LDST_OFFSET, 2},
    {0xb98004c5, "ldrsw x5, [x6, #4]", L, 0, 1, 0, 4, 64, 5, 0, 6, HV_LDST_OFFSET, 4},
    {0xf8410d07, "ldr x7, [x8, #16]!", L, 0, 0, 0, 8, 64, 7, 0, 8, HV_LDST_PRE, 16},
    {0xf85f0507, "ldr x7, [x8], #-16", L, 0, 0, 0, 8, 64, 7, 0, 8, HV_LDST_POST, -16},
    {0xb81fcfe7, "str w7, [sp, #-4]!", S, 0, 0, 0, 4, 32, 7, 0, 31, HV_LDST_PRE, -4},
    {0x38001549, "strb w9, [x10], #1", S, 0, 0, 0, 1, 32, 9, 0, 10, HV_LDST_POST, 1},
    {0xb89f8d8b, "ldrsw x11, [x12, #-8]!", L, 0, 1, 0, 4, 64, 11, 0, 12, HV_LDST_PRE, -8},
    {0xf85ff1cd, "ldur x13, [x14, #-1]", L, 0, 0, 0, 8, 64, 13, 0, 14, HV_LDST_OFFSET, -1},
    {0xb80031cd, "stur w13, [x14, #3]", S, 0, 0, 0, 4, 32, 13, 0, 14, HV_LDST_OFFSET, 3},
    {0x38d0020f, "ldursb w15, [x16, #-256]", L, 0, 1, 0, 1, 32, 15, 0, 16, HV_LDST_OFFSET, -256},
    {0xf84ff20f, "ldur x15, [x16, #255]", L, 0, 0, 0, 8, 64, 15, 0, 16, HV_LDST_OFFSET, 255},
    {0xf8636841, "ldr x1, [x2, x3]", L, 0, 0, 1, 8, 64, 1, 0, 2, HV_LDST_OFFSET, 0},
    {0xa9000801, "stp x1, x2, [x0]", S, 1, 0, 0, 8, 64, 1, 2, 0, HV_LDST_OFFSET, 0},
    {0x293f0801, "stp w1, w2, [x0, #-8]", S, 1, 0, 0, 4, 32, 1, 2, 0, HV_LDST_OFFSET, -8},
    {0xa9c110a3, "ldp x3, x4, [x5, #16]!", L, 1, 0, 0, 8, 64, 3, 4, 5, HV_LDST_PRE, 16},
    {0x28c110a3, "ldp w3, w4, [x5], #8", L, 1, 0, 0, 4, 32, 3, 4, 5, HV_LDST_POST, 8},
    {0x697f1d06, "ldpsw x6, x7, [x8, #-8]", L, 1, 1, 0, 4, 64, 6, 7, 8, HV_LDST_OFFSET, -8},
    {0xa9bf7bfd, "stp x29, x30, [sp, #-16]!", S, 1, 0, 0, 8, 64, 29, 30, 31, HV_LDST_PRE, -16},
    {0xa8410861, "ldnp x1, x2, [x3, #16]", L, 1, 0, 0, 8, 64, 1, 2, 3, HV_LDST_OFFSET, 16},
    {0xa9407c61, "ldp x1, xzr, [x3]", L, 1, 0, 0, 8, 64, 1, 31, 3, HV_LDST_OFFSET, 0},
    {0xf900001f, "str xzr, [x0]", S, 0, 0, 0, 8, 64, 31, 0, 0, HV_LDST_OFFSET, 0},
};

Test(ldst_decode, every_listed_form)
{
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		const struct dcase *c = &cases[i];
		struct hv_ldst ls;
		cr_assert_eq(hv_ldst_decode(c->insn, &ls), HV_OK, "%s", c->text);
		cr_assert_eq(ls.is_load, c->load, "%s", c->text);
		cr_assert_eq(ls.is_pair, c->pair, "%s", c->text);
		cr_assert_eq(ls.sign_extend, c->sext, "%s", c->text);
		cr_assert_eq(ls.reg_offset, c->regoff, "%s", c->text);
		cr_assert_eq(ls.size, c->size, "%s", c->text);
		cr_assert_eq(ls.width, c->width, "%s", c->text);
		cr_assert_eq(ls.rt, c->rt, "%s", c->text);
		if (c->pair)
			cr_assert_eq(ls.rt2, c->rt2, "%s", c->text);
		cr_assert_eq(ls.rn, c->rn, "%s", c->text);
		cr_assert_eq(ls.mode, c->mode, "%s", c->text);
		cr_assert_eq(ls.imm, c->imm, "%s: %lld", c->text, (long long)ls.imm);
	}
}

struct rcase {
	uint32_t insn;
	const char *text;
	uint8_t size, rm, extend, shift;
	bool load, sext;
	uint8_t width;
};

Test(ldst_decode, register_offset_forms)
{
	static const struct rcase rc[] = {
	    {0xf8636841, "ldr x1, [x2, x3]", 8, 3, HV_LDST_EXT_LSL, 0, true, false, 64},
	    {0xf8637841, "ldr x1, [x2, x3, lsl #3]", 8, 3, HV_LDST_EXT_LSL, 3, true, false, 64},
	    {0xb8635841, "ldr w1, [x2, w3, uxtw #2]", 4, 3, HV_LDST_EXT_UXTW, 2, true, false, 32},
	    {0x7863c841, "ldrh w1, [x2, w3, sxtw]", 2, 3, HV_LDST_EXT_SXTW, 0, true, false, 32},
	    {0x3823e841, "strb w1, [x2, x3, sxtx]", 1, 3, HV_LDST_EXT_SXTX, 0, false, false, 32},
	    {0x38a3d841, "ldrsb x1, [x2, w3, sxtw #0]", 1, 3, HV_LDST_EXT_SXTW, 0, true, true, 64},
	    {0xf823d841, "str x1, [x2, w3, sxtw #3]", 8, 3, HV_LDST_EXT_SXTW, 3, false, false, 64},
	};
	for (size_t i = 0; i < HV_ARRAY_SIZE(rc); i++) {
		struct hv_ldst ls;
		cr_assert_eq(hv_ldst_decode(rc[i].insn, &ls), HV_OK, "%s", rc[i].text);
		cr_assert(ls.reg_offset, "%s", rc[i].text);
		cr_assert_eq(ls.size, rc[i].size, "%s", rc[i].text);
		cr_assert_eq(ls.rm, rc[i].rm, "%s", rc[i].text);
		cr_assert_eq(ls.extend, rc[i].extend, "%s", rc[i].text);
		cr_assert_eq(ls.shift, rc[i].shift, "%s", rc[i].text);
		cr_assert_eq(ls.is_load, rc[i].load, "%s", rc[i].text);
		cr_assert_eq(ls.sign_extend, rc[i].sext, "%s", rc[i].text);
		cr_assert_eq(ls.width, rc[i].width, "%s", rc[i].text);
		cr_assert_eq(ls.rn, 2, "%s", rc[i].text);
	}
}

Test(ldst_decode, refuses_other_instructions)
{
	static const uint32_t unsupported[] = {
	    0xf9800000, /* prfm pldl1keep, [x0] */
	    0xc85f7c01, /* ldxr x1, [x0] */
	    0xc8dffc01, /* ldar x1, [x0] */
	    0x3dc00000, /* ldr q0, [x0] */
	    0xf8400801, /* ldtr x1, [x0] */
	    0xf8210002, /* ldadd x1, x2, [x0] */
	    0x69000801, /* stgp x1, x2, [x0] */
	    0xd503201f, /* nop */
	    0xb9c00000, /* size 10 opc 11: unallocated */
	    0xf8632841, /* option 001: unallocated */
	    0xe9000801, /* pair opc 11 */
	    0x58000041, /* ldr x1, literal */
	};
	for (size_t i = 0; i < HV_ARRAY_SIZE(unsupported); i++) {
		struct hv_ldst ls;
		memset(&ls, 0xa5, sizeof(ls));
		cr_assert_eq(hv_ldst_decode(unsupported[i], &ls), HV_ERR_NOT_SUPPORTED, "%#x",
		             unsupported[i]);
		cr_assert_eq(((uint8_t *)&ls)[0], 0xa5); /* output untouched */
	}
}

Test(ldst_decode, refuses_unpredictable)
{
	struct hv_ldst ls;
	cr_assert_eq(hv_ldst_decode(0xf8408c21, &ls), HV_ERR_INVALID); /* ldr x1, [x1, #8]! */
	cr_assert_eq(hv_ldst_decode(0xa9400401, &ls), HV_ERR_INVALID); /* ldp x1, x1, [x0] */
	cr_assert_eq(hv_ldst_decode(0xf9400421, &ls), HV_OK);          /* ldr x1, [x1, #8] */
	/* writeback through SP with Rt = 31 (xzr) is fine */
	cr_assert_eq(hv_ldst_decode(0xb81fcfff, &ls), HV_OK); /* str wzr, [sp, #-4]! */
}

Test(ldst_decode, addresses_and_sp_selection)
{
	struct hv_vcpu_regs r;
	memset(&r, 0, sizeof(r));
	r.x[2] = 0x1000;
	r.x[3] = 0xfffffffffffffff0ull; /* -16, and w3 = 0xfffffff0 */
	r.sp_el0 = 0x5000;
	r.sp_el1 = 0x9000;
	r.pstate = HV_PSTATE_EL1H;
	struct hv_ldst ls;
	uint64_t va, nb;

	cr_assert_eq(hv_ldst_decode(0xb8635841, &ls), HV_OK); /* ldr w1, [x2, w3, uxtw #2] */
	hv_ldst_address(&ls, &r, &va, &nb);
	cr_assert_eq(va, 0x1000 + (0xfffffff0ull << 2));
	cr_assert_eq(nb, 0x1000);
	cr_assert_eq(hv_ldst_decode(0x7863c841, &ls), HV_OK); /* ldrh w1, [x2, w3, sxtw] */
	hv_ldst_address(&ls, &r, &va, &nb);
	cr_assert_eq(va, 0x1000 - 16);
	cr_assert_eq(hv_ldst_decode(0xf823d841, &ls), HV_OK); /* str x1, [x2, w3, sxtw #3] */
	hv_ldst_address(&ls, &r, &va, &nb);
	cr_assert_eq(va, 0x1000 - 128);

	cr_assert_eq(hv_ldst_decode(0xa9bf7bfd, &ls), HV_OK); /* stp x29, x30, [sp, #-16]! */
	hv_ldst_address(&ls, &r, &va, &nb);
	cr_assert_eq(va, 0x9000 - 16);
	cr_assert_eq(nb, 0x9000 - 16);
	r.pstate = HV_PSTATE_EL1T;
	hv_ldst_address(&ls, &r, &va, &nb);
	cr_assert_eq(va, 0x5000 - 16);
	r.pstate = HV_PSTATE_EL0T;
	hv_ldst_write_base(&r, 31, 0x7777);
	cr_assert_eq(r.sp_el0, 0x7777);
	cr_assert_eq(r.sp_el1, 0x9000);
	cr_assert_eq(hv_ldst_read_base(&r, 31), 0x7777);

	cr_assert_eq(hv_ldst_decode(0xf85f0507, &ls), HV_OK); /* ldr x7, [x8], #-16 */
	r.x[8] = 0x2000;
	hv_ldst_address(&ls, &r, &va, &nb);
	cr_assert_eq(va, 0x2000);
	cr_assert_eq(nb, 0x2000 - 16);
}
