/* SPDX-License-Identifier: Apache-2.0 */
/* MMIO data aborts with ISV=1, using the syndromes QEMU produced
 * (shared/reference/platform-facts.md). */
#include <criterion/criterion.h>
#include <hv/inject.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct fx_dev uart;
static struct hv_vcpu *v;

#define UART_IPA 0x09000000ull
#define UART_VA  0xffff000009000000ull

static void setup(void)
{
	fx_init(&fx);
	memset(&uart, 0, sizeof(uart));
	v = &fx.vcpus[0];
}
TestSuite(mmio_isv1, .init = setup);

Test(mmio_isv1, qemu_str_w1_to_device)
{
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	v->ctx.regs.x[1] = 0xaaaaaaaa00000041ull;
	fx_abort(v, 0x93810045, UART_IPA, UART_VA); /* str w1, [x0] */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(uart.writes, 1);
	cr_assert_eq(uart.size, 4);
	cr_assert_eq(uart.offset, 0);
	cr_assert_eq(uart.value, 0x41);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_RESUMED);
	cr_assert_eq(v->exit_state.stats[HV_STAT_MMIO_KERNEL], 1);
}

Test(mmio_isv1, qemu_strb_to_host)
{
	v->ctx.regs.x[1] = 0x1234;
	fx_abort(v, 0x93010045, UART_IPA + 0x18, UART_VA + 0x18); /* strb w1, [x0, #0x18] */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_MMIO);
	cr_assert_eq(hv_ipa_addr(v->host_exit.mmio.ipa), UART_IPA + 0x18);
	cr_assert_eq(v->host_exit.mmio.size, 1);
	cr_assert_eq(v->host_exit.mmio.data, 0x34);
	cr_assert_eq(v->host_exit.mmio.reg, 1);
	cr_assert(v->host_exit.mmio.is_write);
	cr_assert_eq(v->ctx.regs.pc, FX_PC); /* retires when the host is done */
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0), HV_ERR_STATE);
	cr_assert_eq(hv_vcpu_complete_mmio_write(v), HV_OK);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(hv_vcpu_complete_mmio_write(v), HV_ERR_STATE);
}

Test(mmio_isv1, qemu_ldr_w3_completed_by_host)
{
	v->ctx.regs.x[3] = ~0ull;
	fx_abort(v, 0x93830005, UART_IPA + 8, UART_VA + 8); /* ldr w3, [x2, #8] */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_not(v->host_exit.mmio.is_write);
	cr_assert_eq(v->host_exit.mmio.size, 4);
	cr_assert_eq(v->host_exit.mmio.reg, 3);
	cr_assert_eq(v->ctx.regs.x[3], ~0ull); /* untouched until completion */
	cr_assert_eq(hv_vcpu_complete_mmio_write(v), HV_ERR_STATE);
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0xffffffff80000001ull), HV_OK);
	cr_assert_eq(v->ctx.regs.x[3], 0x80000001ull); /* 32-bit load, zero-extended */
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0), HV_ERR_STATE);
}

Test(mmio_isv1, new_exit_abandons_pending_load)
{
	fx_abort(v, 0x93830005, UART_IPA + 8, UART_VA + 8);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	fx_trap(v, fx_esr(HV_EC_WFX, HV_WFX_TI_WFE));
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 5), HV_ERR_STATE);
	cr_assert_eq(v->ctx.regs.x[3], 0);
}

struct load_case {
	unsigned sas;
	bool sse, sf;
	uint64_t dev, expect;
};

Test(mmio_isv1, load_sizes_sign_extension_and_width)
{
	static const struct load_case cases[] = {
	    {0, false, false, 0xff, 0xff},                            /* ldrb w */
	    {0, true, false, 0x80, 0xffffff80},                       /* ldrsb w */
	    {0, true, true, 0x80, 0xffffffffffffff80},                /* ldrsb x */
	    {0, true, true, 0x7f, 0x7f},                              /* positive */
	    {1, false, false, 0x8001, 0x8001},                        /* ldrh w */
	    {1, true, false, 0x8001, 0xffff8001},                     /* ldrsh w */
	    {1, true, true, 0x8001, 0xffffffffffff8001},              /* ldrsh x */
	    {2, false, false, 0x80000000, 0x80000000},                /* ldr w */
	    {2, true, true, 0x80000000, 0xffffffff80000000},          /* ldrsw x */
	    {3, false, true, 0x8000000000000001, 0x8000000000000001}, /* ldr x */
	};
	struct fx_dev dev = {0};
	cr_assert_eq(fx_add_dev(&fx, &dev, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		const struct load_case *c = &cases[i];
		v->ctx.regs.pc = FX_PC;
		v->ctx.regs.x[7] = 0x5555555555555555ull;
		/* garbage above the access size must be ignored */
		dev.read_value = c->dev | (c->sas < 3 ? (0xabull << (8u << c->sas)) : 0);
		fx_abort(v, fx_dabt_isv(c->sas, c->sse, 7, c->sf, false), UART_IPA + 0x10,
		         UART_VA + 0x10);
		cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME, "case %zu", i);
		cr_assert_eq(dev.size, 1u << c->sas, "case %zu", i);
		cr_assert_eq(v->ctx.regs.x[7], c->expect, "case %zu: %llx", i,
		             (unsigned long long)v->ctx.regs.x[7]);
		cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	}
	cr_assert_eq(dev.reads, HV_ARRAY_SIZE(cases));
}

Test(mmio_isv1, host_completed_load_sign_extends)
{
	fx_abort(v, fx_dabt_isv(1, true, 9, true, false), UART_IPA, UART_VA);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0x1238000), HV_OK);
	cr_assert_eq(v->ctx.regs.x[9], 0xffffffffffff8000ull);
}

Test(mmio_isv1, xzr_store_and_load)
{
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	fx_abort(v, fx_dabt_isv(3, false, 31, true, true), UART_IPA, UART_VA); /* str xzr */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(uart.value, 0);
	cr_assert_eq(uart.size, 8);
	uart.read_value = 0x99;
	uint64_t before[31];
	memcpy(before, v->ctx.regs.x, sizeof(before));
	fx_abort(v, fx_dabt_isv(2, false, 31, false, false), UART_IPA, UART_VA); /* ldr wzr */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(memcmp(before, v->ctx.regs.x, sizeof(before)), 0);
	cr_assert_eq(uart.reads, 1);
}

Test(mmio_isv1, acquire_release_emulated_like_plain)
{
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	v->ctx.regs.x[2] = 0x77;
	fx_abort(v, fx_dabt_isv(2, false, 2, false, true) | HV_DABT_AR, UART_IPA + 4, UART_VA + 4);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME); /* stlr w2 */
	cr_assert_eq(uart.value, 0x77);
	cr_assert_eq(uart.offset, 4);
	uart.read_value = 0x66;
	fx_abort(v, fx_dabt_isv(3, false, 4, true, false) | HV_DABT_AR, UART_IPA, UART_VA);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME); /* ldar x4 */
	cr_assert_eq(v->ctx.regs.x[4], 0x66);
}

Test(mmio_isv1, device_error_and_refused_size_inject_abort)
{
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZE_32BIT), HV_OK);
	fx_abort(v, 0x93010045, UART_IPA, UART_VA); /* strb: device takes words only */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(uart.writes, 0);
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x200);
	cr_assert_eq(v->ctx.el1.far_el1, UART_VA);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x96000050ull); /* EC 0x25, IL, WnR (a store), SEA */
	cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);

	fx_init(&fx);
	uart.ret = HV_ERR_RANGE;
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	fx_abort(v, 0x93830005, UART_IPA + 8, UART_VA + 8);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(v->ctx.regs.x[3], 0);
}

Test(mmio_isv1, device_may_defer_to_host)
{
	uart.ret = HV_ERR_NOT_FOUND;
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	fx_abort(v, 0x93810045, UART_IPA, UART_VA);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_MMIO);
	cr_assert_eq(uart.writes, 1);
}

Test(mmio_isv1, non_stage2_faults_inject_abort)
{
	/* Synchronous external abort, alignment fault: not ours to emulate. */
	static const unsigned fscs[] = {0x10, 0x21, 0x30, 0x00, 0x18};
	for (size_t i = 0; i < HV_ARRAY_SIZE(fscs); i++) {
		fx_init(&fx);
		fx_abort(v, (0x93810045 & ~0x3full) | fscs[i], UART_IPA, UART_VA);
		cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
		cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED, "fsc %x", fscs[i]);
	}
}

Test(mmio_isv1, access_flag_and_permission_faults_are_mmio)
{
	/* Levels 0..3 of translation, access flag and permission faults. */
	for (unsigned fsc = 0x04; fsc <= 0x0f; fsc++) {
		fx_init(&fx);
		fx_abort(v, (0x93810045 & ~0x3full) | fsc, UART_IPA, UART_VA);
		cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST, "fsc %x", fsc);
	}
}

Test(mmio_isv1, cache_maintenance_on_device_is_skipped)
{
	/* dc civac: ISV=0, CM=1, WnR=1 */
	fx_abort(v, fx_esr(HV_EC_DABT_LOW, HV_DABT_CM | HV_DABT_WNR | 0x05), UART_IPA, UART_VA);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_RESUMED);
}

Test(mmio_isv1, stage1_walk_into_hole_injects)
{
	fx_abort(v, fx_esr(HV_EC_DABT_LOW, HV_DABT_S1PTW | 0x06), 0x50000000, UART_VA);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_INJECTED);
	cr_assert_eq(v->ctx.el1.far_el1, UART_VA);
}

Test(mmio_isv1, no_vm_means_host)
{
	v->vm = NULL;
	fx_abort(v, 0x93810045, UART_IPA, UART_VA);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_eq(hv_ipa_addr(v->host_exit.mmio.ipa), UART_IPA);
}

Test(mmio_isv1, from_el0_injects_lower_el_abort)
{
	v->ctx.regs.pstate = HV_PSTATE_EL0T;
	fx_abort(v, 0x92000010, UART_IPA, 0x400000); /* external abort from EL0 */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, FX_VBAR + 0x400);
	cr_assert_eq(v->ctx.el1.esr_el1, 0x92000010ull); /* EC 0x24 */
	cr_assert_eq(v->ctx.el1.spsr_el1, HV_PSTATE_EL0T);
}

/*
 * Software step across an instruction the hypervisor completes (Arm ARM
 * D2.12): the trap left PSTATE.SS = 1 (active-not-pending); after the
 * emulation the PC is past the instruction and SS = 0, so the guest takes
 * its step exception at the next instruction (not a second step of the
 * same one, nor a lost one). An instruction not completed keeps SS.
 */

Test(mmio_isv1, step_emulated_mmio_store_completes_the_step)
{
	v->ctx.regs.pstate |= HV_PSTATE_SS; /* the guest single-steps */
	cr_assert_eq(fx_add_dev(&fx, &uart, UART_IPA, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	fx_abort(v, 0x93810045, UART_IPA, UART_VA); /* str w1, [x0] */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(uart.writes, 1);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->ctx.regs.pstate & HV_PSTATE_SS, 0, "step exception pending on return");
}

Test(mmio_isv1, step_mmio_completed_by_the_host_completes_the_step_then)
{
	v->ctx.regs.pstate |= HV_PSTATE_SS;                 /* the guest single-steps */
	fx_abort(v, 0x93830005, UART_IPA + 8, UART_VA + 8); /* ldr w3, [x2, #8] */
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_HOST);
	cr_assert_neq(v->ctx.regs.pstate & HV_PSTATE_SS, 0, "not completed yet");
	cr_assert_eq(hv_vcpu_complete_mmio_read(v, 0x55), HV_OK);
	cr_assert_eq(v->ctx.regs.x[3], 0x55);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->ctx.regs.pstate & HV_PSTATE_SS, 0);
}

Test(mmio_isv1, step_trapped_system_register_completes_the_step)
{
	v->ctx.regs.pstate |= HV_PSTATE_SS; /* the guest single-steps */
	/* MRS X4, CNTVCT_EL0: EC 0x18, Op0 3 Op2 2 Op1 3 CRn 14 Rt 4 CRm 0, read. */
	uint64_t iss = (3ull << 20) | (2ull << 17) | (3ull << 14) | (14ull << 10) | (4ull << 5) | 1;
	fx_trap(v, (0x18ull << 26) | (1ull << 25) | iss);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);
	cr_assert_eq(v->ctx.regs.pstate & HV_PSTATE_SS, 0);
}

Test(mmio_isv1, step_an_instruction_made_undef_is_not_completed)
{
	v->ctx.regs.pstate |= HV_PSTATE_SS; /* the guest single-steps */
	/* MRS X4, an unallocated register (Op0 3 Op1 7 CRn 15 CRm 15 Op2 7): UNDEF,
	 * taken at the instruction: SS as the hardware left it in SPSR_EL1. */
	uint64_t iss = (3ull << 20) | (7ull << 17) | (7ull << 14) | (15ull << 10) | (4ull << 5) |
	               (15ull << 1) | 1;
	fx_trap(v, (0x18ull << 26) | (1ull << 25) | iss);
	cr_assert_eq(hv_vcpu_handle_exit(v), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.el1.elr_el1, FX_PC);
	cr_assert_neq(v->ctx.el1.spsr_el1 & HV_PSTATE_SS, 0);
}
