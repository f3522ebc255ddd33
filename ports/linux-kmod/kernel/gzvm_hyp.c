// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * Hypercalls and discovery. Every call is an SMCCC 1.1 fast SMC64 call
 * (function IDs HV_ABI_FN(n), hv/abi.h) issued through the conduit the
 * firmware described (PSCI "method" in the devicetree: HVC or SMC), with
 * arm_smccc_1_1_invoke.
 *
 * Discovery, in this order (what reviewers of GenieZone asked for):
 *   1. SMCCC_VERSION >= 1.1, as the kernel's SMCCC layer found it at boot
 *      (arm_smccc_1_1_get_conduit() is NONE below 1.1 or without firmware);
 *   2. the standard VENDOR_HYP_CALL_UID call answers this project's UID;
 *   3. PROBE with the driver version answers our ABI major version.
 * Then, as MediaTek's driver at probe, the two global batch sizes:
 * ENABLE_CAP(0, QUERY_HYP_BATCH_PAGES) (must divide 512, else 512) and
 * ENABLE_CAP(0, QUERY_DESTROY_BATCH_PAGES) (a power of two, else 128).
 * It runs at probe, once the mediatek,geniezone device-tree node bound the
 * driver (gzvm_main.c). If any step fails the probe fails and the module
 * declines to load: one log line, -ENODEV.
 */
#include <linux/arm-smccc.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/printk.h>

#include "gzvm.h"

#define CREATE_TRACE_POINTS
#include "gzvm_trace.h"

int gzvm_hypcall(u32 fn, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7,
                 struct gzvm_hyp_res *res)
{
	struct arm_smccc_res r;

	trace_mtk_hypcall_enter(HV_ABI_FN(fn));
	arm_smccc_1_1_invoke(HV_ABI_FN(fn), a1, a2, a3, a4, a5, a6, a7, &r);
	trace_mtk_hypcall_leave(HV_ABI_FN(fn), (s64)r.a0 == HV_ABI_ERR_NOT_SUPPORTED);
	if (res) {
		res->ret = (s64)r.a0;
		res->a1 = r.a1;
		res->a2 = r.a2;
		res->a3 = r.a3;
	}
	return gzvm_errno((s64)r.a0);
}

__printf(1, 2) int gzvm_decline(const char *fmt, ...)
{
	char why[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_info(GZVM_NAME ": no hvcore hypervisor (%s); /dev/gzvm not registered\n", why);
	return -ENODEV;
}

u32 gzvm_hyp_batch_pages = HV_ABI_BLOCK_BUF_PFNS;
u64 gzvm_destroy_batch_pages = GZVM_DESTROY_BATCH_DEFAULT;

/* A global capability query (vmid 0): its a1, or 0 if refused. */
static u64 query_global(u64 cap)
{
	struct gzvm_hyp_res res;

	return gzvm_hypcall(HV_ABI_ENABLE_CAP, 0, cap, 0, 0, 0, 0, 0, &res) ? 0 : res.a1;
}

static void query_batches(void)
{
	u64 hyp = query_global(HV_ABI_CAP_QUERY_HYP_BATCH_PAGES);
	u64 destroy = query_global(HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES);

	if (hyp && hyp <= HV_ABI_BLOCK_BUF_PFNS && HV_ABI_BLOCK_BUF_PFNS % hyp == 0)
		gzvm_hyp_batch_pages = (u32)hyp;
	if (destroy && !(destroy & (destroy - 1)))
		gzvm_destroy_batch_pages = destroy;
}

int gzvm_discover(void)
{
	struct arm_smccc_res r;
	struct gzvm_hyp_res probe;
	u32 smccc = arm_smccc_get_version();

	if (arm_smccc_1_1_get_conduit() == SMCCC_CONDUIT_NONE)
		return gzvm_decline("SMCCC_VERSION %u.%u: no SMCCC 1.1 conduit", smccc >> 16,
		                    smccc & 0xffff);

	arm_smccc_1_1_invoke(ARM_SMCCC_VENDOR_HYP_CALL_UID_FUNC_ID, &r);
	if (!gzvm_uid_is_ours(r.a0, r.a1, r.a2, r.a3))
		return gzvm_decline(
		    "vendor hypervisor UID words %08lx %08lx %08lx %08lx are not hvcore's", r.a0,
		    r.a1, r.a2, r.a3);

	gzvm_hypcall(HV_ABI_PROBE, HV_ABI_DRIVER_MAJOR, HV_ABI_DRIVER_MINOR, HV_ABI_DRIVER_SUB, 0,
	             0, 0, 0, &probe);
	if (probe.ret != HV_ABI_OK || probe.a1 != HV_ABI_VERSION_MAJOR)
		return gzvm_decline(
		    "PROBE of driver %u.%u.%u answered %lld, ABI major %llu, want %u",
		    HV_ABI_DRIVER_MAJOR, HV_ABI_DRIVER_MINOR, HV_ABI_DRIVER_SUB, probe.ret,
		    probe.a1, HV_ABI_VERSION_MAJOR);

	pr_info(GZVM_NAME ": hvcore hypervisor ABI %llu.%llu.%llu (SMCCC %u.%u)\n", probe.a1,
	        probe.a2, probe.a3, smccc >> 16, smccc & 0xffff);
	query_batches();
	return 0;
}
