/* SPDX-License-Identifier: Apache-2.0 */
/* MMIO data aborts with ISV=0: the instruction is fetched and emulated,
 * including base-register writeback. Encodings from GNU as (aarch64). */
#include <criterion/criterion.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct fx_dev dev;
static struct hv_vcpu *v;

#define DEV_IPA 0x0a000000ull
#define DEV_VA  0xffff00000a000000ull
/* Data abort, ISV = 0, translation fault level 2; WnR as given. */
#define ESR_ISV0(wnr) (0x92000006ull | ((wnr) ? HV_DABT_WNR : 0))

/* A load/store: `far` is the VA the guest computed (first faulting byte). */
static enum hv_exit_action run(uint32_t insn, bool wnr, uint64_t far)
{
	fx_set_insn(insn);
	fx_abort(v, ESR_ISV0(wnr), DEV_IPA + (far & 0xfff), far);
	return hv_vcpu_handle_exit(v);
}

static void setup(void)
{
	fx_init(&fx);
	memset(&dev, 0, sizeof(dev));
	v = &fx.vcpus[0];
}
TestSuite(mmio_isv0, .init = setup);

static void add_dev(void)
{
	cr_assert_eq(fx_add_dev(&fx, &dev, DEV_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
}

Test(mmio_isv0, stp_x_to_device)
{
	add_dev();
	v->ctx.regs.x[0] = DEV_VA + 0x40;
	v->ctx.regs.x[1] = 0x1111111111111111ull;
	v->ctx.regs.x[2] = 0x2222222222222222ull;
	cr_assert_eq(run(0xa9000801, true, DEV_VA + 0x40), HV_ACTION_RESUME); /* stp x1, x2, [x0] */
	cr_assert_eq(dev.writes, 2);
	cr_assert_eq(dev.offset, 0x48); /* the last of the two */
	cr_assert_eq(dev.value, 0x2222222222222222ull);
	cr_assert_eq(dev.size, 8);
	cr_assert_eq(v->ctx.regs.x[0], DEV_VA + 0x40);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->exit_state.stats[HV_STAT_MMIO_ISV0], 1);
	cr_assert_eq(v->exit_state.stats[HV_STAT_MMIO_KERNEL], 2);
}

Test(mmio_isv0, ldp_x_pre_index_writeback)
{
	add_dev();
	dev.read_value = 0xfedcba9876543210ull;
	v->ctx.regs.x[5] = DEV_VA;
	cr_assert_eq(run(0xa9c110a3, false, DEV_VA + 16),
	             HV_ACTION_RESUME); /* ldp x3,x4,[x5,#16]! */
	cr_assert_eq(dev.reads, 2);
	cr_assert_eq(dev.offset, 24);
	cr_assert_eq(v->ctx.regs.x[3], 0xfedcba9876543210ull);
	cr_assert_eq(v->ctx.regs.x[4], 0xfedcba9876543210ull);
	cr_assert_eq(v->ctx.regs.x[5], DEV_VA + 16);
}

Test(mmio_isv0, ldp_w_post_index_zero_extends)
{
	add_dev();
	dev.read_value = 0xffffffff80000000ull;
	v->ctx.regs.x[3] = ~0ull;
	v->ctx.regs.x[5] = DEV_VA + 0x100;
	cr_assert_eq(run(0x28c110a3, false, DEV_VA + 0x100),
	             HV_ACTION_RESUME); /* ldp w3,w4,[x5],#8 */
	cr_assert_eq(dev.size, 4);
	cr_assert_eq(v->ctx.regs.x[3], 0x80000000ull);
	cr_assert_eq(v->ctx.regs.x[4], 0x80000000ull);
	cr_assert_eq(v->ctx.regs.x[5], DEV_VA + 0x108);
}

Test(mmio_isv0, ldpsw_sign_extends)
{
	add_dev();
	dev.read_value = 0x80000001;
	v->ctx.regs.x[8] = DEV_VA + 0x18;
	cr_assert_eq(run(0x697f1d06, false, DEV_VA + 0x10),
	             HV_ACTION_RESUME); /* ldpsw x6,x7,[x8,#-8] */
	cr_assert_eq(v->ctx.regs.x[6], 0xffffffff80000001ull);
	cr_assert_eq(v->ctx.regs.x[7], 0xffffffff80000001ull);
	cr_assert_eq(dev.offset, 0x14);
	cr_assert_eq(v->ctx.regs.x[8], DEV_VA + 0x18);
}

struct single_case {
	uint32_t insn;
	const char *text;
	bool wnr;
	unsigned rt, rn;
	uint64_t base, far_off; /* base is an offset from DEV_VA */
	unsigned size;
	uint64_t dev_value, expect_rt, expect_rn, expect_written;
};

Test(mmio_isv0, single_register_forms)
{
	static const struct single_case c[] = {
	    {0x39001441, "strb w1, [x2, #5]", 1, 1, 2, 0x10, 0x15, 1, 0, 0x1234, 0x10, 0x34},
	    {0x79000c41, "strh w1, [x2, #6]", 1, 1, 2, 0x10, 0x16, 2, 0, 0x1234, 0x10, 0x1234},
	    {0x397ffc83, "ldrb w3, [x4, #4095]", 0, 3, 4, 0, 0xfff, 1, 0x1ff, 0xff, 0, 0},
	    {0x398004c5, "ldrsb x5, [x6, #1]", 0, 5, 6, 0x20, 0x21, 1, 0x80, ~0x7full, 0x20, 0},
	    {0x79c004c5, "ldrsh w5, [x6, #2]", 0, 5, 6, 0x20, 0x22, 2, 0x8000, 0xffff8000, 0x20, 0},
	    {0xb98004c5, "ldrsw x5, [x6, #4]", 0, 5, 6, 0x20, 0x24, 4, 0x80000000,
	     0xffffffff80000000ull, 0x20, 0},
	    {0xf8410d07, "ldr x7, [x8, #16]!", 0, 7, 8, 0x30, 0x40, 8, 0x55, 0x55, 0x40, 0},
	    {0xf85f0507, "ldr x7, [x8], #-16", 0, 7, 8, 0x30, 0x30, 8, 0x66, 0x66, 0x20, 0},
	    {0x38001549, "strb w9, [x10], #1", 1, 9, 10, 0x50, 0x50, 1, 0, 0x1234, 0x51, 0x34},
	    {0xb89f8d8b, "ldrsw x11, [x12, #-8]!", 0, 11, 12, 0x60, 0x58, 4, 0xfffffffe, ~1ull,
	     0x58, 0},
	    {0xf85ff1cd, "ldur x13, [x14, #-1]", 0, 13, 14, 0x71, 0x70, 8, 0x77, 0x77, 0x71, 0},
	    {0xb80031cd, "stur w13, [x14, #3]", 1, 13, 14, 0x71, 0x74, 4, 0, 0xabcdef0123ull, 0x71,
	     0xcdef0123},
	    {0x38d0020f, "ldursb w15, [x16, #-256]", 0, 15, 16, 0x180, 0x80, 1, 0xfe, 0xfffffffe,
	     0x180, 0},
	};
	for (size_t i = 0; i < HV_ARRAY_SIZE(c); i++) {
		setup();
		add_dev();
		dev.read_value = c[i].dev_value;
		v->ctx.regs.x[c[i].rn] = DEV_VA + c[i].base;
		if (c[i].wnr)
			v->ctx.regs.x[c[i].rt] = c[i].expect_rt;
		else
			v->ctx.regs.x[c[i].rt] = 0x5a5a5a5a5a5a5a5aull;
		cr_assert_eq(run(c[i].insn, c[i].wnr, DEV_VA + c[i].far_off), HV_ACTION_RESUME,
		             "%s", c[i].text);
		cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_RESUMED, "%s", c[i].text);
		cr_assert_eq(dev.offset, c[i].far_off, "%s", c[i].text);
		cr_assert_eq(dev.size, c[i].size, "%s", c[i].text);
		if (c[i].wnr)
			cr_assert_eq(dev.value, c[i].expect_written, "%s", c[i].text);
		else
			cr_assert_eq(v->ctx.regs.x[c[i].rt], c[i].expect_rt, "%s: %llx", c[i].text,
			             (unsigned long long)v->ctx.regs.x[c[i].rt]);
		cr_assert_eq(v->ctx.regs.x[c[i].rn], DEV_VA + c[i].expect_rn, "%s", c[i].text);
		cr_assert_eq(v->ctx.regs.pc, FX_PC + 4, "%s", c[i].text);
	}
}

Test(mmio_isv0, register_offset)
{
	add_dev();
	dev.read_value = 0xabcd;
	v->ctx.regs.x[2] = DEV_VA + 0x100;
	v->ctx.regs.x[3] = 0xffffffff00000010ull; /* w3 = 0x10 */
	cr_assert_eq(run(0xb8635841, false, DEV_VA + 0x140),
	             HV_ACTION_RESUME); /* ldr w1,[x2,w3,uxtw #2] */
	cr_assert_eq(dev.offset, 0x140);
	cr_assert_eq(v->ctx.regs.x[1], 0xabcd);
	v->ctx.regs.x[3] = 0xfffffffffffffff8ull;
	v->ctx.regs.x[1] = 0x99;
	cr_assert_eq(run(0x3823e841, true, DEV_VA + 0xf8),
	             HV_ACTION_RESUME); /* strb w1,[x2,x3,sxtx] */
	cr_assert_eq(dev.offset, 0xf8);
	cr_assert_eq(dev.value, 0x99);
}

Test(mmio_isv0, stp_sp_pre_index_uses_el1_stack)
{
	add_dev();
	v->ctx.regs.sp_el1 = DEV_VA + 0x800;
	v->ctx.regs.sp_el0 = 0x1234;
	v->ctx.regs.x[29] = 29;
	v->ctx.regs.x[30] = 30;
	cr_assert_eq(run(0xa9bf7bfd, true, DEV_VA + 0x7f0),
	             HV_ACTION_RESUME); /* stp x29,x30,[sp,#-16]! */
	cr_assert_eq(v->ctx.regs.sp_el1, DEV_VA + 0x7f0);
	cr_assert_eq(v->ctx.regs.sp_el0, 0x1234);
	cr_assert_eq(dev.offset, 0x7f8);
	cr_assert_eq(dev.value, 30);
}

Test(mmio_isv0, pair_through_host_retires_at_the_end)
{
	v->ctx.regs.x[0] = DEV_VA + 0x20;
	v->ctx.regs.x[1] = 0x11;
	v->ctx.regs.x[2] = 0x22;
	cr_assert_eq(run(0xa9000801, true, DEV_VA + 0x20), HV_ACTION_HOST); /* stp x1, x2, [x0] */
	cr_assert_eq(hv_ipa_addr(v->host_exit.mmio.ipa), DEV_IPA + 0x20);
	cr_assert_eq(v->host_exit.mmio.data, 0x11);
	cr_assert_eq(v->host_exit.mmio.size, 8);
	cr_assert_eq(hv_vcpu_complete_mmio_write(v), HV_BUSY);
	cr_assert_eq(hv_ipa_addr(v->host_exit.mmio.ipa), DEV_IPA + 0x28);
	cr_assert_eq(v->host_exit.mmio.data, 0x22);
	cr_assert_eq(v->host_exit.mmio.reg, 2);
	cr_assert_eq(v->ctx.regs.pc, FX_PC);
	cr_assert_eq(hv_vcpu_complete_mmio_write(v), HV_OK);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);

	/* ldp x3, x4, [x5, #16]!: nothing changes until both loads are in. */
	v->ctx.regs.pc = FX_PC;
	v->ctx.regs.x[5] = DEV_VA;
	cr_assert_eq(run(0xa9c110a3, false, DEV_VA + 16), HV_ACTION_HOST);
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0x333), HV_BUSY);
	cr_assert_eq(v->ctx.regs.x[3], 0);
	cr_assert_eq(v->ctx.regs.x[5], DEV_VA);
	cr_assert_eq(v->host_exit.mmio.reg, 4);
	cr_assert_eq(hv_vcpu_complete_mmio_write(v), HV_ERR_STATE);
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0x444), HV_OK);
	cr_assert_eq(v->ctx.regs.x[3], 0x333);
	cr_assert_eq(v->ctx.regs.x[4], 0x444);
	cr_assert_eq(v->ctx.regs.x[5], DEV_VA + 16);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
}

Test(mmio_isv0, second_access_failing_changes_no_register)
{
	dev.ret = HV_OK;
	/* Device covers only the first doubleword of the pair. */
	cr_assert_eq(fx_add_dev(&fx, &dev, DEV_IPA, 0x8, HV_MMIO_SIZES_ALL), HV_OK);
	struct fx_dev bad = {.ret = HV_ERR_DENIED};
	cr_assert_eq(fx_add_dev(&fx, &bad, DEV_IPA + 8, 0x8, HV_MMIO_SIZES_ALL), HV_OK);
	dev.read_value = 7;
	v->ctx.regs.x[5] = DEV_VA - 16;
	cr_assert_eq(run(0xa9c110a3, false, DEV_VA), HV_ACTION_RESUME); /* ldp x3,x4,[x5,#16]! */
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(v->ctx.regs.x[3], 0);
	cr_assert_eq(v->ctx.regs.x[5], DEV_VA - 16);
	cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);
	cr_assert_eq(v->ctx.el1.far_el1, DEV_VA);
}

static void assert_refused(const char *what)
{
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED, "%s", what);
	/* EC 0x25, IL, SEA; WnR as the refused access (a store: 1). */
	cr_assert_eq(v->ctx.el1.esr_el1, 0x96000010ull | (v->ctx.exit.esr_el2 & HV_BIT(6)), "%s",
	             what);
	cr_assert_eq(v->ctx.el1.elr_el1, FX_PC, "%s", what);
	cr_assert_eq(dev.reads + dev.writes, 0, "%s", what);
}

Test(mmio_isv0, refusals_inject_external_abort)
{
	add_dev();
	v->ctx.regs.x[0] = DEV_VA;
	run(0xc85f7c01, false, DEV_VA); /* ldxr */
	assert_refused("ldxr");

	setup();
	add_dev();
	v->ctx.regs.x[0] = DEV_VA;
	run(0x3dc00000, false, DEV_VA); /* ldr q0 */
	assert_refused("ldr q0");

	setup();
	add_dev();
	sim_set_fetch_insn(NULL, NULL);
	fx_abort(v, ESR_ISV0(false), DEV_IPA, DEV_VA);
	hv_vcpu_handle_exit(v);
	assert_refused("fetch fails");

	setup();
	add_dev();
	v->ctx.regs.x[0] = DEV_VA;
	fx_set_insn(0xa9000801);
	fx_abort(v, ESR_ISV0(true) | HV_DABT_FNV, DEV_IPA, DEV_VA);
	hv_vcpu_handle_exit(v);
	assert_refused("FnV");

	setup();
	add_dev();
	v->ctx.regs.x[0] = DEV_VA + 0xff8; /* stp x1, x2 crosses into the next page */
	run(0xa9000801, true, DEV_VA + 0xff8);
	assert_refused("page crossing");

	setup();
	add_dev();
	v->ctx.regs.x[0] = DEV_VA + 0x2000; /* decoded VA is not the faulting page */
	run(0xa9000801, true, DEV_VA);
	assert_refused("other page");

	setup();
	add_dev();
	v->ctx.regs.pstate = HV_PSTATE_NRW;
	run(0xe5801000, true, DEV_VA);                   /* A32 str r1, [r0] */
	cr_assert_eq(v->ctx.el1.esr_el1, 0x92000050ull); /* EC 0x24, IL, WnR: a store */
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x600);

	setup();
	add_dev();
	v->ctx.regs.x[1] = DEV_VA;
	run(0xf8408c21, false, DEV_VA + 8); /* ldr x1, [x1, #8]! : UNPREDICTABLE */
	assert_refused("writeback to Rt");
}

Test(mmio_isv0, ldp_into_xzr_and_str_xzr)
{
	add_dev();
	dev.read_value = 0x42;
	v->ctx.regs.x[3] = DEV_VA;
	cr_assert_eq(run(0xa9407c61, false, DEV_VA), HV_ACTION_RESUME); /* ldp x1, xzr, [x3] */
	cr_assert_eq(v->ctx.regs.x[1], 0x42);
	cr_assert_eq(dev.reads, 2);
	v->ctx.regs.x[0] = DEV_VA + 8;
	cr_assert_eq(run(0xf900001f, true, DEV_VA + 8), HV_ACTION_RESUME); /* str xzr, [x0] */
	cr_assert_eq(dev.value, 0);
}
