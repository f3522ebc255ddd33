/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The calls around RUN, as the driver issues them: registers, vCPU destroy,
 * the vGIC's placement and lines, capabilities, memory-region purpose and
 * the DTB. Every refusal is checked to leave the VM and its vCPU untouched.
 */
#include <criterion/criterion.h>
#include <hv/inject.h>
#include <hv/vtimer.h>

#include "abi_driver.h"
#include "fake_runtime.h"

#define RAM      0x40000000ull
#define RUN_PAGE 4u
#define BUF      10u
#define PFN_BUF  11u

static struct abi_env *env;
static struct fake_rt *rt;
static uint16_t vmid;
static struct hv_vm *vm;
static struct hv_vm *vm_copy;
static struct hv_vcpu *vcpu_copy;

static void setup(void)
{
	env = malloc(sizeof(*env));
	rt = calloc(1, sizeof(*rt));
	vm_copy = malloc(sizeof(*vm_copy));
	vcpu_copy = malloc(sizeof(*vcpu_copy));
	cr_assert(env && rt && vm_copy && vcpu_copy && abi_env_init(env));
	hv_abi_server_set_runtime(&env->srv, &fake_ops, rt);
	cr_assert_eq(drv_probe(env), HV_ABI_OK);
	cr_assert_eq(drv_create_vm(env, &vmid), HV_ABI_OK);
	vm = hv_vm_find(&env->hyp, vmid);
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), env_pa(env, RUN_PAGE), 0, 0,
	                   0, NULL),
	             HV_ABI_OK);
}

static void teardown(void)
{
	abi_env_fini(env);
	free(env);
	free(rt);
	free(vm_copy);
	free(vcpu_copy);
}

TestSuite(abi_calls, .init = setup, .fini = teardown);

/* Keep a copy of the VM and vCPU 0; refused() checks a call left them. */
static void keep(void)
{
	memcpy(vm_copy, vm, sizeof(*vm));
	memcpy(vcpu_copy, vm->vcpus[0], sizeof(*vcpu_copy));
}

static void refused(int64_t ret, int64_t want, const char *what)
{
	cr_assert_eq(ret, want, "%s: %lld", what, (long long)ret);
	cr_assert(!memcmp(vm_copy, vm, sizeof(*vm)), "%s changed the VM", what);
	cr_assert(!memcmp(vcpu_copy, vm->vcpus[0], sizeof(*vcpu_copy)), "%s changed the vCPU",
	          what);
}

/* A second VM, made protected before it has memory. */
static uint16_t protected_vm(void)
{
	uint16_t pvm;
	cr_assert_eq(drv_create_vm(env, &pvm), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), pvm, HV_ABI_CAP_PROTECTED_VM,
	                   HV_ABI_PVM_SET_PROTECTED_VM, 0, 0, NULL),
	             HV_ABI_OK);
	return pvm;
}

Test(abi_calls, vcpus_start_at_el1h_with_interrupts_masked)
{
	int64_t r;
	cr_assert_eq(drv_get_reg(env, vmid, 0, HV_GZVM_REG_PSTATE, &r),
	             HV_PSTATE_DAIF | HV_PSTATE_EL1H);
	cr_assert_eq(r, HV_ABI_OK);
	cr_assert_eq(drv_get_reg(env, vmid, 0, HV_GZVM_REG_MPIDR_EL1, &r), HV_BIT(31));
	cr_assert_eq(drv_get_reg(env, vmid, 0, HV_GZVM_REG_SCTLR_EL1, &r) & 1, 0, "MMU off");
}

Test(abi_calls, every_register_id_round_trips)
{
	const uint64_t ids[] = {
	    HV_GZVM_REG_X(0),      HV_GZVM_REG_X(17),
	    HV_GZVM_REG_X(30),     HV_GZVM_REG_X(31) /* = SP in the KVM layout */,
	    HV_GZVM_REG_SP,        HV_GZVM_REG_PC,
	    HV_GZVM_REG_SP_EL1,    HV_GZVM_REG_ELR_EL1,
	    HV_GZVM_REG_SPSR_EL1,  HV_GZVM_REG_SCTLR_EL1,
	    HV_GZVM_REG_TTBR0_EL1, HV_GZVM_REG_TTBR1_EL1,
	    HV_GZVM_REG_TCR_EL1,   HV_GZVM_REG_ESR_EL1,
	    HV_GZVM_REG_FAR_EL1,   HV_GZVM_REG_MAIR_EL1,
	    HV_GZVM_REG_VBAR_EL1,  HV_GZVM_REG_CNTV_CVAL_EL0,
	};
	for (unsigned i = 0; i < HV_ARRAY_SIZE(ids); i++) {
		uint64_t v = 0x1234567890abcdefull ^ (i * 0x1111);
		int64_t r;
		cr_assert_eq(drv_set_reg(env, vmid, 0, ids[i], v), HV_ABI_OK, "id %u", i);
		cr_assert_eq(drv_get_reg(env, vmid, 0, ids[i], &r), v, "id %u", i);
	}
	struct hv_vcpu *v = vm->vcpus[0];
	cr_assert_eq(v->ctx.regs.x[17], 0x1234567890abcdefull ^ 0x1111, "x17 is the second id");
	cr_assert_eq(v->ctx.regs.sp_el0, 0x1234567890abcdefull ^ (4 * 0x1111), "SP: the 5th id");
	cr_assert_eq(v->ctx.el1.vbar_el1, 0x1234567890abcdefull ^ (16 * 0x1111));
}

Test(abi_calls, bad_register_writes_are_refused)
{
	keep();
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CORE_U64(74), 1), HV_ABI_ERR_INVALID_ARGS,
	        "spsr[abt] (a core register not kept)");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CORE_U64(63), 1), HV_ABI_ERR_INVALID_ARGS,
	        "the upper half of SP");
	refused(drv_set_reg(env, vmid, 0,
	                    HV_GZVM_REG_SIZE_U32 | HV_GZVM_REG_ARM64 | HV_GZVM_REG_CORE, 1),
	        HV_ABI_ERR_INVALID_ARGS, "x0 as a 32-bit id");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_SYS(3, 4, 1, 0, 0), 1),
	        HV_ABI_ERR_INVALID_ARGS, "SCTLR_EL2: not a guest register");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_MPIDR_EL1, 5), HV_ABI_ERR_INVALID_ARGS,
	        "MPIDR is read-only");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PSTATE, 0x9), HV_ABI_ERR_INVALID_ARGS,
	        "PSTATE EL2h");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PSTATE, 0x10), HV_ABI_ERR_INVALID_ARGS,
	        "PSTATE AArch32");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PSTATE, HV_PSTATE_EL1H | HV_BIT(21)),
	        HV_ABI_ERR_INVALID_ARGS, "PSTATE.SS");
	refused(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CNTV_CTL_EL0, 8), HV_ABI_ERR_INVALID_ARGS,
	        "CNTV_CTL reserved bit");
	refused(hcall(env, FN(SET_ONE_REG), HV_ABI_TUPLE(vmid, 0), HV_GZVM_REG_PC, 1, 1, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "reserved argument");
	refused(drv_set_reg(env, vmid, 3, HV_GZVM_REG_PC, 1), HV_ABI_ERR_INVALID_ARGS,
	        "no such vCPU");
	int64_t r;
	drv_get_reg(env, vmid, 0, HV_GZVM_REG_SYS(3, 0, 1, 0, 1), &r);
	cr_assert_eq(r, HV_ABI_ERR_INVALID_ARGS, "ACTLR_EL1 is not served");

	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PSTATE, 0xf00003c4), HV_ABI_OK,
	             "NZCV, DAIF, EL1t");
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CNTV_CTL_EL0, 7), HV_ABI_OK);
	cr_assert_eq(vm->vcpus[0]->ctx.timer.cntv_ctl_el0, 3, "ISTATUS is not the host's to set");
}

Test(abi_calls, a_protected_vms_registers_are_its_own_once_it_ran)
{
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM,
	                   HV_ABI_PVM_SET_PROTECTED_VM, 0, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PC, RAM), HV_ABI_OK, "before it ran");
	fake_push(rt, HV_ABI_ENTRY_PREEMPTED);
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, NULL), HV_ABI_OK);
	int64_t r;
	drv_get_reg(env, vmid, 0, HV_GZVM_REG_PC, &r);
	cr_assert_eq(r, HV_ABI_ERR_NOT_SUPPORTED);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PC, RAM), HV_ABI_ERR_NOT_SUPPORTED);
	cr_assert_eq(drv_hwstate(env, RUN_PAGE)->lr[0], 0, "no LRs shown either");
}

Test(abi_calls, destroy_vcpu_retires_it)
{
	cr_assert_eq(hcall(env, FN(DESTROY_VCPU), HV_ABI_TUPLE(vmid, 0), 1, 0, 0, 0, NULL),
	             HV_ABI_ERR_INVALID_ARGS, "reserved argument");
	cr_assert_eq(hcall(env, FN(DESTROY_VCPU), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(rt->releases, 1);
	cr_assert_eq(rt->released, vm->vcpus[0], "the runtime drops its state");
	cr_assert_eq(hcall(env, FN(DESTROY_VCPU), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, NULL),
	             HV_ABI_ERR_INVALID_ARGS, "twice");
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, NULL),
	             HV_ABI_ERR_INVALID_ARGS);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PC, 0), HV_ABI_ERR_INVALID_ARGS);
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), env_pa(env, RUN_PAGE), 0, 0,
	                   0, NULL),
	             HV_ABI_ERR_INVALID_ARGS, "the id is not reused");
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 1), env_pa(env, RUN_PAGE), 0, 0,
	                   0, NULL),
	             HV_ABI_OK, "its run area is the host's again");
	int64_t ret;
	drv_destroy_vm(env, vmid, 0, &ret);
	cr_assert_eq(ret, HV_ABI_OK);
	cr_assert_eq(rt->releases, 2);
	cr_assert_null(rt->released, "the whole VM");
	cr_assert_eq(env->pool.live, 0);
}

Test(abi_calls, vgic_placement_is_validated)
{
	struct hv_abi_create_device *d = env_page(env, BUF);
	cr_assert_eq(drv_memregion(env, vmid, BUF + 1, 0, 0x08100000, 16, -1), HV_ABI_OK);
	keep();
	refused(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_DIST, 0x08008000, 0x10000),
	        HV_ABI_ERR_INVALID_ARGS, "misaligned");
	refused(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_DIST, 0x08000000, 0x20000),
	        HV_ABI_ERR_INVALID_ARGS, "distributor size");
	refused(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_DIST, 0x08100000, 0x10000),
	        HV_ABI_ERR_INVALID_ARGS, "over a memslot");
	refused(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_DIST, 1ull << 40, 0x10000),
	        HV_ABI_ERR_INVALID_ARGS, "outside the 40-bit IPA space");
	refused(drv_device(env, vmid, BUF, 7, 0x08000000, 0x10000), HV_ABI_ERR_INVALID_ARGS,
	        "unknown device");
	refused(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_REDIST, 0x080a0000, 0x30000),
	        HV_ABI_ERR_INVALID_ARGS, "redistributors are 128 KiB each");
	refused(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_REDIST, 0x080a0000, 9 * 0x20000),
	        HV_ABI_ERR_INVALID_ARGS, "more than the VM's vCPUs");
	*d = (struct hv_abi_create_device){
	    .dev_type = HV_ABI_DEV_VGIC_V3_DIST, .dev_addr = 0x08000000, .dev_reg_size = 0x10000};
	d->attr_size = 8;
	refused(hcall(env, FN(CREATE_DEVICE), vmid, env_pa(env, BUF), 0, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "attributes");
	d->attr_size = 0;
	d->flags = 1;
	refused(hcall(env, FN(CREATE_DEVICE), vmid, env_pa(env, BUF), 0, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "flags");
	refused(hcall(env, FN(CREATE_DEVICE), vmid, 0x1000, 0, 0, 0, NULL), HV_ABI_ERR_INVALID_ARGS,
	        "page not host memory");

	cr_assert_eq(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_DIST, 0x08000000, 0x10000),
	             HV_ABI_OK);
	cr_assert_not(vm->vgic.initialized, "waits for the redistributors");
	cr_assert_eq(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_DIST, 0x09000000, 0x10000),
	             HV_ABI_ERR_INVALID_ARGS, "one distributor");
	cr_assert_eq(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_REDIST, 0x07ff0000, 0x40000),
	             HV_ABI_ERR_INVALID_ARGS, "overlaps the distributor");
	cr_assert_eq(drv_device(env, vmid, BUF, HV_ABI_DEV_VGIC_V3_REDIST, 0x080a0000, 0x40000),
	             HV_ABI_OK);
	cr_assert(vm->vgic.initialized);
	cr_assert(vm->vcpus[0]->vgic.initialized, "the existing vCPU joined");
	cr_assert_eq(drv_memregion(env, vmid, BUF + 1, 1, 0x080b0000, 16, -1),
	             HV_ABI_ERR_INVALID_ARGS, "a memslot over the redistributors");
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 2), env_pa(env, RUN_PAGE + 2),
	                   0, 0, 0, NULL),
	             HV_ABI_ERR_INVALID_ARGS, "no redistributor for vCPU 2");
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 1), env_pa(env, RUN_PAGE + 2),
	                   0, 0, 0, NULL),
	             HV_ABI_OK);
	cr_assert(vm->vcpus[1]->vgic.initialized);
}

Test(abi_calls, irq_line_is_checked)
{
	keep();
	refused(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 8, 1, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "no vGIC yet");
	cr_assert_eq(drv_vgic(env, vmid, BUF, 1), HV_ABI_OK);
	keep();
	refused(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 8, 2, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "level 2");
	refused(
	    hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), HV_ABI_IRQ_NUM_MAX + 1, 1, 0, 0, NULL),
	    HV_ABI_ERR_INVALID_ARGS, "number 988: INTID 1020, not an SPI");
	refused(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 0x10000, 1, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "beyond the irq word's 16-bit number");
	refused(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 8, 1, 1, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "unused argument");
	uint64_t out[4];
	/* MediaTek's a2: the number field; 987 is INTID 1019, the last SPI. */
	cr_assert_eq(
	    hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), HV_ABI_IRQ_NUM_MAX, 1, 0, 0, out),
	    HV_ABI_OK);
	cr_assert_eq(out[1], 0, "disabled in the distributor: nobody to wake");
	/* The irq word's vCPU field reaches a1 unchecked (type is not passed). */
	cr_assert_eq(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 3), 0, 1, 0, 0, out), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out), HV_ABI_OK,
	             "level 0: accepted, changes nothing");
}

Test(abi_calls, capabilities_are_checked)
{
	keep();
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, 3 * 4096,
	              env_pa(env, PFN_BUF), 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "block size not a power of two");
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, HV_SZ_2M,
	              env_pa(env, PFN_BUF) + 8, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "pfn page misaligned");
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, HV_SZ_2M,
	              0x5000, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "pfn page not host memory");
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_ENABLE_IDLE, 1, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "unused argument");
	refused(hcall(env, FN(ENABLE_CAP), 99, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "no such VM");
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM, HV_ABI_PVM_SET_PVMFW_GPA,
	              RAM, 0, NULL),
	        HV_ABI_ERR_NOT_SUPPORTED, "no pvmfw");
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM, 9, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "unknown protected-VM operation");
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM,
	                   HV_ABI_PVM_GET_PVMFW_SIZE, 0, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(out[1], 0);
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                   HV_SZ_2M, env_pa(env, PFN_BUF), 0, out),
	             HV_ABI_OK);
	cr_assert_eq(vm->life.mem.block_size, HV_SZ_2M);

	/* Protected: only before memory is given. */
	cr_assert_eq(drv_memregion(env, vmid, BUF, 0, RAM, 16, -1), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM,
	                   HV_ABI_PVM_SET_PROTECTED_VM, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "memslots exist");
	uint16_t pvm = protected_vm();
	cr_assert_eq(drv_memregion(env, pvm, BUF, 0, RAM, 8, 300), HV_ABI_OK);
	uint16_t owner, flags;
	cr_assert_eq(hv_pgown_get(&env->hyp.own, hv_pa(env_pa(env, 300)), &owner, &flags), HV_OK);
	cr_assert_eq(owner, pvm);
	cr_assert_eq(flags & HV_PAGE_SHARED, 0, "a protected VM's page is not shared");
	cr_assert_eq(hcall(env, FN(GET_STATISTICS), pvm, 0, 0, 0, 0, out), HV_ABI_OK);
	cr_assert_eq(out[2], 0, "no shared bytes");
}

Test(abi_calls, memregion_purpose_sets_the_sharing_of_a_protected_vms_slot)
{
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM,
	                   HV_ABI_PVM_SET_PROTECTED_VM, 0, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(drv_memregion(env, vmid, BUF, 2, RAM, 16, -1), HV_ABI_OK);
	cr_assert(vm->life.mem.slots[2].flags & HV_MEMSLOT_PRIVATE);
	keep();
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 8 * 4096, HV_GZVM_MEM_STATIC_SWIOTLB,
	              0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "not the whole slot");
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 16 * 4096, 8, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "unknown flag");
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 16 * 4096, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "no purpose");
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 16 * 4096,
	              HV_GZVM_MEM_STATIC_SWIOTLB | HV_GZVM_MEM_PROTECT_FW, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "shared and protected");
	cr_assert_eq(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 16 * 4096,
	                   HV_GZVM_MEM_STATIC_SWIOTLB, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(vm->life.mem.slots[2].flags & HV_MEMSLOT_PRIVATE, 0, "a shared bounce buffer");
	cr_assert_eq(vm->life.mem.slots[2].base, RAM);
	cr_assert_eq(hcall(env, FN(MAP_GUEST), vmid, 2, env_pa(env, 300) >> 12, RAM >> 12, 1, NULL),
	             HV_ABI_OK);
	keep();
	refused(
	    hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 16 * 4096, HV_GZVM_MEM_GUEST_MEM, 0, NULL),
	    HV_ABI_ERR_INVALID_ARGS, "pages given already");
}

/* MediaTek's driver: MEMREGION_PURPOSE(flags 1) BEFORE SET_MEMREGION. */
Test(abi_calls, memregion_purpose_before_its_slot_as_mediateks_driver)
{
	cr_assert_eq(
	    hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM, 16 * 4096, HV_GZVM_MEM_GUEST_MEM, 0, NULL),
	    HV_ABI_OK, "remembered for the slot to come");
	cr_assert_eq(drv_memregion(env, vmid, BUF, 0, RAM, 16, -1), HV_ABI_OK);
	cr_assert_eq(vm->life.mem.slots[0].size, 16 * 4096);
	cr_assert_eq(vm->life.mem.slots[0].flags & HV_MEMSLOT_PRIVATE, 0, "not a protected VM");
	keep();
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM + 8 * 4096, 16 * 4096,
	              HV_GZVM_MEM_GUEST_MEM, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "half over an existing slot");
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM + 0x100000 + 8, 4096,
	              HV_GZVM_MEM_GUEST_MEM, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "misaligned");
	refused(hcall(env, FN(MEMREGION_PURPOSE), vmid, RAM + 0x100000, 0, HV_GZVM_MEM_GUEST_MEM, 0,
	              NULL),
	        HV_ABI_ERR_INVALID_ARGS, "empty");
	/* A protected VM: the purpose given ahead decides the slot's sharing. */
	uint16_t pvm = protected_vm();
	cr_assert_eq(hcall(env, FN(MEMREGION_PURPOSE), pvm, RAM, 16 * 4096,
	                   HV_GZVM_MEM_STATIC_SWIOTLB, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(drv_memregion(env, pvm, BUF, 1, RAM, 16, -1), HV_ABI_OK);
	struct hv_vm *p = hv_vm_find(&env->hyp, pvm);
	cr_assert_eq(p->life.mem.slots[1].flags & HV_MEMSLOT_PRIVATE, 0, "a shared bounce buffer");
	cr_assert_eq(drv_memregion(env, pvm, BUF, 2, RAM + 0x100000, 16, -1), HV_ABI_OK);
	cr_assert(p->life.mem.slots[2].flags & HV_MEMSLOT_PRIVATE, "no purpose for this one");
}

/* MediaTek's driver enables block paging itself at CREATE_VM and passes a
 * userspace ENABLE_CAP on with args[1] = 0: the first pfn page stays. */
Test(abi_calls, a_second_block_paging_enable_without_a_page_keeps_the_first)
{
	keep();
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, HV_SZ_2M, 0,
	              0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "no page given yet");
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                   HV_SZ_2M, env_pa(env, PFN_BUF), 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, 0x10000,
	                   0, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(hv_pa_addr(env->srv.vms[vm - env->hyp.vms].block_buf), env_pa(env, PFN_BUF));
	cr_assert_eq(vm->life.mem.block_size, 0x10000, "the new block size holds");
	keep();
	refused(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, 3 * 4096, 0,
	              0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "bad size, page kept or not");
}

Test(abi_calls, dtb_config_sets_the_boot_vcpus_x0)
{
	keep();
	refused(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM, 0x1000, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "no memslot there");
	cr_assert_eq(drv_memregion(env, vmid, BUF, 0, RAM, 256, -1), HV_ABI_OK);
	keep();
	refused(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM + 0xff000, 0x2000, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "runs past the memslot");
	refused(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM + 4, 0x100, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "misaligned");
	refused(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM, 0, 0, 0, NULL), HV_ABI_ERR_INVALID_ARGS,
	        "empty");
	refused(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM, HV_ABI_DTB_MAX_SIZE + 8, 0, 0, NULL),
	        HV_ABI_ERR_INVALID_ARGS, "too large");
	cr_assert_eq(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM + 0x8000, 0x1000, 0, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(vm->vcpus[0]->ctx.regs.x[0], RAM + 0x8000);
	fake_push(rt, HV_ABI_ENTRY_PREEMPTED);
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, NULL), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(SET_DTB_CONFIG), vmid, RAM, 0x1000, 0, 0, NULL),
	             HV_ABI_ERR_INVALID_ARGS, "the VM has run");
}

Test(abi_calls, a_vcpu_created_after_the_dtb_config_gets_it)
{
	uint16_t vm2;
	cr_assert_eq(drv_create_vm(env, &vm2), HV_ABI_OK);
	cr_assert_eq(drv_memregion(env, vm2, BUF, 0, RAM, 16, -1), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(SET_DTB_CONFIG), vm2, RAM + 0x1000, 0x100, 0, 0, NULL),
	             HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vm2, 0), env_pa(env, RUN_PAGE + 2), 0,
	                   0, 0, NULL),
	             HV_ABI_OK);
	int64_t r;
	cr_assert_eq(drv_get_reg(env, vm2, 0, HV_GZVM_REG_X(0), &r), RAM + 0x1000);
}
