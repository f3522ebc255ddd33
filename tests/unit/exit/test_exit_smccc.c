/* SPDX-License-Identifier: Apache-2.0 */
/* Guest SMCCC calls (DEN0028). */
#include <criterion/criterion.h>
#include <hv/smccc.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct hv_vcpu *v;

static void setup(void)
{
	fx_init(&fx);
	v = &fx.vcpus[0];
	for (unsigned i = 0; i < 31; i++)
		v->ctx.regs.x[i] = 0x1000 + i;
}
TestSuite(smccc, .init = setup);

static enum hv_exit_action hvc(uint64_t fid)
{
	v->ctx.regs.x[0] = fid;
	fx_trap(v, 0x5a000000);
	return hv_vcpu_handle_exit(v);
}

static void assert_untouched_from(unsigned first)
{
	for (unsigned i = first; i < 31; i++)
		cr_assert_eq(v->ctx.regs.x[i], 0x1000 + i, "x%u changed", i);
}

Test(smccc, version)
{
	cr_assert_eq(hvc(HV_SMCCC_VERSION), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0], 0x10001);
	assert_untouched_from(1);
	/* The ID is W0: upper bits of X0 are ignored. */
	cr_assert_eq(hvc(0xffffffff00000000ull | HV_SMCCC_VERSION), HV_ACTION_RESUME);
	cr_assert_eq(v->ctx.regs.x[0], 0x10001);
}

Test(smccc, arch_features)
{
	v->ctx.regs.x[1] = HV_SMCCC_ARCH_FEATURES;
	hvc(HV_SMCCC_ARCH_FEATURES);
	cr_assert_eq(v->ctx.regs.x[0], 0);
	v->ctx.regs.x[1] = HV_SMCCC_ARCH_WORKAROUND_1;
	hvc(HV_SMCCC_ARCH_FEATURES);
	cr_assert_eq(v->ctx.regs.x[0], (uint64_t)-1);
	v->ctx.regs.x[1] = 0x80001234;
	hvc(HV_SMCCC_ARCH_FEATURES);
	cr_assert_eq(v->ctx.regs.x[0], (uint64_t)-1);
	cr_assert_eq(v->ctx.regs.x[1], 0x80001234);
}

Test(smccc, hypervisor_uid_and_revision)
{
	hvc(HV_SMCCC_VENDOR_HYP_CALL_UID);
	/* GenieZone's guest UID 7e134ed0-3b82-488d-8cee-69c19211dbe7, bytes
	 * little-endian per word */
	static const uint8_t uuid[16] = {0x7e, 0x13, 0x4e, 0xd0, 0x3b, 0x82, 0x48, 0x8d,
	                                 0x8c, 0xee, 0x69, 0xc1, 0x92, 0x11, 0xdb, 0xe7};
	for (unsigned w = 0; w < 4; w++) {
		uint32_t expect = (uint32_t)uuid[4 * w] | (uint32_t)uuid[4 * w + 1] << 8 |
		                  (uint32_t)uuid[4 * w + 2] << 16 | (uint32_t)uuid[4 * w + 3] << 24;
		cr_assert_eq(v->ctx.regs.x[w], expect, "w%u", w);
	}
	assert_untouched_from(4);
	hvc(HV_SMCCC_VENDOR_HYP_REVISION);
	cr_assert_eq(v->ctx.regs.x[0], HV_SMCCC_HYP_REV_MAJOR);
	cr_assert_eq(v->ctx.regs.x[1], HV_SMCCC_HYP_REV_MINOR);
}

Test(smccc, host_vm_sees_this_projects_uid)
{
	cr_assert_not_null(v->vm);
	v->vm->uid_hvcore = true; /* an EL2 port's host VM (gzvm.ko looks for it) */
	hvc(HV_SMCCC_VENDOR_HYP_CALL_UID);
	cr_assert_eq(v->ctx.regs.x[0], HV_SMCCC_HYP_UID_W0);
	cr_assert_eq(v->ctx.regs.x[1], HV_SMCCC_HYP_UID_W1);
	cr_assert_eq(v->ctx.regs.x[2], HV_SMCCC_HYP_UID_W2);
	cr_assert_eq(v->ctx.regs.x[3], HV_SMCCC_HYP_UID_W3);
}

Test(smccc, hyp_features_bitmap)
{
	hvc(HV_SMCCC_HYP_FEATURES);
	cr_assert(v->ctx.regs.x[0] & 1u);        /* the call itself */
	cr_assert(v->ctx.regs.x[0] & (1u << 1)); /* PTP via the host */
	/* MEMINFO, MEM_SHARE, MEM_UNSHARE, MMIO_GUARD info/enroll/map/unmap */
	for (unsigned f = 2; f <= 8; f++)
		cr_assert(v->ctx.regs.x[0] & (1u << f), "function %u", f);
	cr_assert_eq(v->ctx.regs.x[1] | v->ctx.regs.x[2] | v->ctx.regs.x[3], 0);
}

Test(smccc, unknown_ids_not_supported_without_side_effects)
{
	static const uint32_t ids[] = {
	    0x80000003, /* arch, unassigned */
	    HV_SMCCC_ARCH_WORKAROUND_1,
	    0x82000000, /* SiP */
	    0x83000010, /* OEM */
	    0x84000020, /* standard, beyond PSCI */
	    0x8400ff01, /* standard service UID: not offered */
	    0x85000001, /* standard hypervisor */
	    0x8600ff00, /* vendor-hyp call count (deprecated) */
	    0x86000002, /* vendor-hyp, unassigned */
	    0xbf00ff01, /* trusted OS */
	    0xfb001005, /* GenieZone host ABI from a guest */
	    0xfb001100, /* the trace extension (TRACE_CTL, TRACE_READ) from a guest */
	    0xfb001101,
	    0x04000000, /* yielding call */
	    0xc4000099,
	};
	for (size_t i = 0; i < HV_ARRAY_SIZE(ids); i++) {
		setup();
		uint64_t pc = v->ctx.regs.pc;
		cr_assert_eq(hvc(ids[i]), HV_ACTION_RESUME, "%#x", ids[i]);
		cr_assert_eq(v->ctx.regs.x[0], (uint64_t)-1, "%#x", ids[i]);
		assert_untouched_from(1);
		cr_assert_eq(v->ctx.regs.pc, pc);
		cr_assert_eq(v->exit_state.last_outcome, HV_OUTCOME_RESUMED);
	}
}

Test(smccc, ptp_goes_to_host_and_host_answers)
{
	v->ctx.regs.x[1] = 1;
	cr_assert_eq(hvc(HV_SMCCC_HYP_PTP), HV_ACTION_HOST);
	cr_assert_eq(v->host_exit.reason, HV_EXIT_HYPERCALL);
	cr_assert_eq(v->host_exit.hypercall.args[0], HV_SMCCC_HYP_PTP);
	cr_assert_eq(v->host_exit.hypercall.args[1], 1);
	cr_assert_eq(v->host_exit.hypercall.args[7], 0x1007);
	cr_assert_eq(v->ctx.regs.x[0], (uint64_t)-1); /* if the host never answers */
	const uint64_t ret[4] = {1, 2, 3, 4};
	cr_assert_eq(hv_vcpu_complete_hypercall(v, ret), HV_OK);
	cr_assert_eq(v->ctx.regs.x[0], 1);
	cr_assert_eq(v->ctx.regs.x[3], 4);
	assert_untouched_from(4);
	cr_assert_eq(hv_vcpu_complete_hypercall(v, ret), HV_ERR_STATE);
}

Test(smccc, mem_relinquish_on_vm_without_memory_management)
{
	/* core/mem is wired (tests/unit/mem covers the real path); this VM has
	 * no memory state, so the request is refused as an invalid parameter. */
	v->ctx.regs.x[1] = 0x40001000;
	hvc(HV_SMCCC_HYP_MEM_RELINQUISH);
	cr_assert_eq(v->ctx.regs.x[0], (uint64_t)(int64_t)HV_SMCCC_RET_INVALID_PARAM);
	cr_assert_eq(v->ctx.regs.x[1], 0x40001000);
}
