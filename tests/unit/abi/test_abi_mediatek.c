/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MediaTek's GenieZone driver 16.0, call for call, against the server:
 * its probe, CREATE_VM, SET_USER_MEMORY_REGION, page-fault, irqfd, idle
 * and destroy sequences replayed as hypercall scripts (function, arguments,
 * the answer it needs), with a scripted runtime for the guest. Every exit's
 * reserved words must be zero: the driver serves a page fault in the kernel
 * only then.
 */
#include <criterion/criterion.h>
#include <hv/vgic.h>
#include <hvsim/arch_sim.h>

#include "abi_driver.h"
#include "fake_runtime.h"

#define RAM       0x40000000ull
#define RAM_PAGES 512u /* one 2 MiB block */
#define RUN_PAGE  4u   /* vCPU 0's run area: pages 4, 5; vCPU 1's: 6, 7 */
#define REGION    10u  /* the driver's 2-page region buffer: pages 10, 11 */
#define DEVICE    12u
#define PFN_PAGE  13u
#define GUEST     512u /* host pages 512..1023 back the guest's block */

static struct abi_env *env;
static struct fake_rt *rt;
static uint16_t vmid;

static void setup(void)
{
	env = malloc(sizeof(*env));
	rt = calloc(1, sizeof(*rt));
	cr_assert(env && rt && abi_env_init(env));
	hv_abi_server_set_runtime(&env->srv, &fake_ops, rt);
}

static void teardown(void)
{
	abi_env_fini(env);
	free(env);
	free(rt);
}

TestSuite(abi_mediatek, .init = setup, .fini = teardown);

/* One step of a script: the call and the a0 the driver needs (out kept). */
struct step {
	uint32_t fn;
	uint64_t a1, a2, a3, a4, a5;
	int64_t want;
};

static uint64_t out[4];

static void play(const struct step *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t r = hcall(env, HV_ABI_FN(s[i].fn), s[i].a1, s[i].a2, s[i].a3, s[i].a4,
		                  s[i].a5, out);
		cr_assert_eq(r, s[i].want, "step %zu (fn %u): %lld", i, s[i].fn, (long long)r);
	}
}

static struct hv_abi_vcpu_run *area(unsigned vcpu)
{
	return drv_run_area(env, RUN_PAGE + 2 * vcpu);
}

/* The union bytes past what an exit carries are zero (reserved). */
static void assert_reserved_zero(unsigned vcpu)
{
	const struct hv_abi_vcpu_run *run = area(vcpu);
	size_t used;
	switch (run->exit_reason) {
	case HV_ABI_EXIT_MMIO: used = 38; break;
	case HV_ABI_EXIT_EXCEPTION: used = 24; break; /* reserved[] follow */
	case HV_ABI_EXIT_HYPERCALL:
	case HV_ABI_EXIT_IPI: used = 72; break;
	default: used = 8; break; /* IRQ, IDLE: nothing */
	}
	const uint8_t *b = (const uint8_t *)run;
	for (size_t i = used; i < sizeof(*run); i++)
		cr_assert_eq(b[i], 0, "exit 0x%x: reserved byte %zu", run->exit_reason, i);
	cr_assert(!run->padding1[0] && !run->padding1[1] && !run->padding1[2]);
}

static uint32_t run(unsigned vcpu)
{
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, vcpu), 0, 0, 0, 0, out), HV_ABI_OK);
	cr_assert_eq(out[1], area(vcpu)->exit_reason);
	assert_reserved_zero(vcpu);
	return (uint32_t)out[1];
}

/* Probe and CREATE_VM as the driver's module init and CREATE_VM ioctl. */
static void probe_and_create(void)
{
	const struct step probe[] = {
	    {HV_ABI_PROBE, 16, 0, 0, 0, 0, HV_ABI_OK},
	    {HV_ABI_ENABLE_CAP, 0, HV_ABI_CAP_QUERY_HYP_BATCH_PAGES, 0, 0, 0, HV_ABI_OK},
	};
	play(probe, 2);
	cr_assert_eq(512 % out[1], 0, "a batch dividing 512: %llu", (unsigned long long)out[1]);
	const struct step destroy_batch[] = {
	    {HV_ABI_ENABLE_CAP, 0, HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES, 0, 0, 0, HV_ABI_OK},
	};
	play(destroy_batch, 1);
	cr_assert(out[1] && !(out[1] & (out[1] - 1)), "a power of two");
	cr_assert_eq(drv_create_vm(env, &vmid), HV_ABI_OK);
	const struct step create[] = {
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_ENABLE_DEMAND_PAGING, 0, 0, 0, HV_ABI_OK},
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, HV_SZ_2M,
	     env_pa(env, PFN_PAGE), 0, HV_ABI_OK},
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, HV_ABI_OK},
	    /* A userspace ENABLE_CAP passed on, args[1] = 0. */
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, HV_SZ_2M, 0, 0,
	     HV_ABI_OK},
	};
	play(create, 4);
}

/* SET_USER_MEMORY_REGION: PURPOSE first, then the 2-page region buffer
 * (its constituent_cnt left as the zeroed page has it). */
static void memory_region(void)
{
	uint8_t *buf = env_page(env, REGION);
	memset(buf, 0, 2 * HV_PAGE_SIZE);
	struct hv_abi_mem_region hdr = {.slot = 0, .total_pages = RAM_PAGES, .gpa = RAM};
	memcpy(buf, &hdr, sizeof(hdr));
	const struct step region[] = {
	    {HV_ABI_MEMREGION_PURPOSE, vmid, RAM, RAM_PAGES * HV_PAGE_SIZE, HV_GZVM_MEM_GUEST_MEM,
	     0, HV_ABI_OK},
	    {HV_ABI_SET_MEMREGION, vmid, 2 * HV_PAGE_SIZE, env_pa(env, REGION), 0, 0, HV_ABI_OK},
	};
	play(region, 2);
}

static void vgic_and_vcpus(unsigned nr)
{
	cr_assert_eq(drv_vgic(env, vmid, DEVICE, nr), HV_ABI_OK);
	for (unsigned i = 0; i < nr; i++)
		cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, i),
		                   env_pa(env, RUN_PAGE + 2 * i), 0, 0, 0, NULL),
		             HV_ABI_OK);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PC, RAM), HV_ABI_OK);
}

/* The driver's fault handler: the 512-page block around the gfn, clamped
 * to the memslot, every pfn in the pfn page, one MAP_GUEST_BLOCK. */
static void serve_fault(unsigned vcpu)
{
	const struct hv_abi_vcpu_run *r = area(vcpu);
	cr_assert_eq(r->exception.exception, HV_ABI_EXCEPTION_PAGE_FAULT);
	uint64_t gfn = r->exception.fault_gpa >> HV_PAGE_SHIFT;
	uint64_t first = gfn & ~511ull, slot = RAM >> HV_PAGE_SHIFT;
	first = first < slot ? slot : first;
	uint64_t nr = slot + RAM_PAGES - first < 512 ? slot + RAM_PAGES - first : 512;
	uint64_t *pfns = env_page(env, PFN_PAGE);
	for (uint64_t i = 0; i < nr; i++)
		pfns[i] = env_pa(env, GUEST + (uint32_t)(first - slot + i)) >> HV_PAGE_SHIFT;
	const struct step map[] = {{HV_ABI_MAP_GUEST_BLOCK, vmid, 0, first, nr, 0, HV_ABI_OK}};
	play(map, 1);
}

/* DESTROY_VM(vmid, 128) re-issued while BUSY (more than one call when a
 * 512-page block is mapped). */
static void destroy(bool paged)
{
	int64_t r;
	int calls = drv_destroy_vm(env, vmid, 128, &r);
	if (paged)
		cr_assert_gt(calls, 1, "BUSY, re-issued");
	cr_assert_eq(r, HV_ABI_OK);
	cr_assert_eq(env->pool.live, 0);
	for (uint32_t p = 0; p < env->pages; p++)
		cr_assert_eq(env->owners[p].owner, HV_OWNER_HOST, "page %u", p);
}

Test(abi_mediatek, create_region_fault_idle_destroy)
{
	probe_and_create();
	memory_region();
	vgic_and_vcpus(1);
	fake_dabt(rt, RAM + 0x123456, 8, false, 1, true);
	cr_assert_eq(run(0), HV_ABI_EXIT_EXCEPTION);
	serve_fault(0);
	/* WFI with no guest timer: IDLE; the driver blocks (migrate set) for
	 * a delay its (delay * mult) >> shift takes without overflow. */
	fake_wfi(rt);
	cr_assert_eq(run(0), HV_ABI_EXIT_IDLE);
	const struct hv_abi_vcpu_hwstate *hw = drv_hwstate(env, RUN_PAGE);
	cr_assert_neq(hw->vtimer_migrate, 0);
	cr_assert_leq(hw->vtimer_delay, HV_ABI_IDLE_MAX_DELAY);
	destroy(true);
}

Test(abi_mediatek, irqfd_raises_are_never_lowered)
{
	probe_and_create();
	memory_region();
	vgic_and_vcpus(2);
	/* The guest's GIC set-up: ARE|EnableGrp1, INTID 40 group 1, enabled. */
	struct hv_vm *vm = hv_vm_find(&env->hyp, vmid);
	struct hv_vcpu *v0 = vm->vcpus[0];
	const uint64_t regs[][2] = {
	    {0x08000000, 0x12}, {0x08000084, 1u << 8}, {0x08000104, 1u << 8}};
	for (unsigned i = 0; i < 3; i++) {
		uint64_t val = regs[i][1];
		cr_assert_eq(hv_mmio_bus_access(&vm->mmio, v0, hv_ipa(regs[i][0]), 4, true, &val),
		             HV_OK);
	}
	rt->guest_completes_lrs = true;
	for (unsigned k = 0; k < 4; k++) {
		/* irqfd: IRQ_LINE(vmid << 16 | 0, gsi 8, level 1), nothing else. */
		const struct step raise[] = {
		    {HV_ABI_IRQ_LINE, HV_ABI_TUPLE(vmid, 0), 8, 1, 0, 0, HV_ABI_OK}};
		play(raise, 1);
		cr_assert_eq(out[1], HV_ABI_VCPU_BIT(0), "routed to vCPU 0: wake it");
		cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
		cr_assert_eq(rt->lr0_at_entry & HV_ICH_LR_VINTID_MASK, 40, "signal %u delivered",
		             k);
		cr_assert(rt->lr0_at_entry & HV_ICH_LR_PENDING);
		cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
		cr_assert_not(rt->lr0_at_entry & HV_ICH_LR_PENDING, "no storm after signal %u", k);
	}
	destroy(false);
}
