/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RUN as the driver sees it, behind a scripted runtime: each entry returns
 * the exit syndrome hardware would report, the core handles it, and the
 * host reads the exit in its run area and answers there (MMIO data, abort,
 * hypercall results) or by another call (MAP_GUEST_BLOCK).
 */
#include <criterion/criterion.h>
#include <hv/inject.h>
#include <hv/psci.h>
#include <hv/smccc.h>

#include "abi_driver.h"
#include "fake_runtime.h"

#define RAM      0x40000000ull
#define RUN_PAGE 4u   /* run area: host pages 4 and 5 */
#define BUF      10u  /* buffers */
#define PFN_BUF  11u  /* MAP_GUEST_BLOCK frames */
#define GUEST    512u /* host pages 512.. back the guest */

static struct abi_env *env;
static struct fake_rt *rt;
static uint16_t vmid;
static struct hv_vcpu *vcpu;

static void setup(void)
{
	env = malloc(sizeof(*env));
	rt = calloc(1, sizeof(*rt));
	cr_assert(env && rt && abi_env_init(env));
	hv_abi_server_set_runtime(&env->srv, &fake_ops, rt);
	cr_assert_eq(drv_probe(env), HV_ABI_OK);
	cr_assert_eq(drv_create_vm(env, &vmid), HV_ABI_OK);
	cr_assert_eq(drv_memregion(env, vmid, BUF, 0, RAM, 256, -1), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 0), env_pa(env, RUN_PAGE), 0, 0,
	                   0, NULL),
	             HV_ABI_OK);
	vcpu = hv_vm_find(&env->hyp, vmid)->vcpus[0];
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_PC, RAM + 0x100), HV_ABI_OK);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_VBAR_EL1, RAM + 0x800), HV_ABI_OK);
}

static void teardown(void)
{
	abi_env_fini(env);
	free(env);
	free(rt);
}

TestSuite(abi_run, .init = setup, .fini = teardown);

static uint32_t run(uint16_t id)
{
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, id), 0, 0, 0, 0, out), HV_ABI_OK);
	return (uint32_t)out[1];
}

static struct hv_abi_vcpu_run *area(void)
{
	return drv_run_area(env, RUN_PAGE);
}

Test(abi_run, refused_without_runtime_vcpu_or_clean_arguments)
{
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 1), 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "no such vCPU");
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0) | (1ull << 40), 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "tuple with high bits");
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 1, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved argument");
	hv_abi_server_set_runtime(&env->srv, NULL, NULL);
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out),
	             HV_ABI_ERR_NOT_SUPPORTED);
	cr_assert_eq(rt->entries, 0);
}

Test(abi_run, mmio_load_answered_by_the_host)
{
	fake_dabt(rt, 0x09000018, 4, false, 5, false); /* ldr w5, [UART + FR] */
	cr_assert_eq(run(0), HV_ABI_EXIT_MMIO);
	cr_assert_eq(area()->exit_reason, HV_ABI_EXIT_MMIO);
	cr_assert_eq(area()->mmio.phys_addr, 0x09000018);
	cr_assert_eq(area()->mmio.size, 4);
	cr_assert_eq(area()->mmio.reg_nr, 5);
	cr_assert_eq(area()->mmio.is_write, 0);
	cr_assert_eq(vcpu->ctx.regs.pc, RAM + 0x100, "the load has not retired");
	uint64_t value = 0x11223344556677ull;
	memcpy(area()->mmio.data, &value, 8);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ, "answer taken, then preempted");
	int64_t r;
	cr_assert_eq(drv_get_reg(env, vmid, 0, HV_GZVM_REG_X(5), &r), 0x44556677, "low 4 bytes");
	cr_assert_eq(drv_get_reg(env, vmid, 0, HV_GZVM_REG_PC, &r), RAM + 0x104);
	/* The answer is taken once: a later RUN does not load it again. */
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_X(5), 7), HV_ABI_OK);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(vcpu->ctx.regs.x[5], 7);
}

Test(abi_run, mmio_store_carries_its_data)
{
	struct fake_stop *s = fake_dabt(rt, 0x09000000, 2, true, 3, false);
	s->reg[0] = 3;
	s->val[0] = 0xbeef1234;
	cr_assert_eq(run(0), HV_ABI_EXIT_MMIO);
	uint64_t data;
	memcpy(&data, area()->mmio.data, 8);
	cr_assert_eq(data, 0x1234, "only the bytes stored");
	cr_assert_eq(area()->mmio.is_write, 1);
	cr_assert_eq(area()->mmio.size, 2);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(vcpu->ctx.regs.pc, RAM + 0x104, "the store retired");
}

Test(abi_run, host_abort_gives_the_guest_an_external_abort)
{
	fake_dabt(rt, 0x0a000010, 4, false, 1, false);
	cr_assert_eq(run(0), HV_ABI_EXIT_MMIO);
	area()->mmio.host_abort = 2;
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "unknown answer");
	cr_assert_eq(rt->entries, 1, "refused: nothing entered");
	area()->mmio.host_abort = HV_ABI_MMIO_ABORT;
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	/* Synchronous external abort taken at EL1h: VBAR + 0x200, EC 0x25,
	 * DFSC 0x10, FAR = the address (Arm ARM D1.10.2, D17.2.40). */
	cr_assert_eq(vcpu->ctx.regs.pc, RAM + 0x800 + 0x200);
	cr_assert_eq(vcpu->ctx.el1.elr_el1, RAM + 0x100);
	cr_assert_eq(vcpu->ctx.el1.esr_el1 >> 26, HV_EC_DABT_CUR);
	cr_assert_eq(vcpu->ctx.el1.esr_el1 & 0x3f, HV_FSC_SEA);
	cr_assert_eq(vcpu->ctx.el1.far_el1, 0x0a000010);
}

static uint32_t ldp_w1_w2_x3 = 0x29400861; /* LDP w1, w2, [x3] */

static hv_status_t fetch_ldp(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	(void)ctx, (void)arg;
	*insn = ldp_w1_w2_x3;
	return HV_OK;
}

Test(abi_run, a_pair_needs_two_answers)
{
	sim_set_fetch_insn(fetch_ldp, NULL);
	struct fake_stop *s = fake_push(rt, HV_ABI_ENTRY_EXIT);
	/* ISV=0 data abort at the UART page (the instruction is decoded). */
	s->exit.esr_el2 = ((uint64_t)HV_EC_DABT_LOW << HV_ESR_EC_SHIFT) | HV_ESR_IL | 7;
	s->exit.far_el2 = 0x09000020;
	s->exit.hpfar_el2 = (0x09000020ull >> 12) << 4;
	s->reg[0] = 3;
	s->val[0] = 0x09000020;
	cr_assert_eq(run(0), HV_ABI_EXIT_MMIO);
	cr_assert_eq(area()->mmio.phys_addr, 0x09000020);
	area()->mmio.data[0] = 0x11;
	unsigned entries = rt->entries;
	cr_assert_eq(run(0), HV_ABI_EXIT_MMIO, "the second word, without entering");
	cr_assert_eq(rt->entries, entries);
	cr_assert_eq(area()->mmio.phys_addr, 0x09000024);
	area()->mmio.data[0] = 0x22;
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(vcpu->ctx.regs.x[1], 0x11);
	cr_assert_eq(vcpu->ctx.regs.x[2], 0x22);
	cr_assert_eq(vcpu->ctx.regs.pc, RAM + 0x104);
}

Test(abi_run, page_faults_ask_for_a_page_or_a_block)
{
	fake_dabt(rt, RAM + 0x5008, 8, true, 2, true);
	cr_assert_eq(run(0), HV_ABI_EXIT_EXCEPTION);
	cr_assert_eq(area()->exception.exception, HV_ABI_EXCEPTION_PAGE_FAULT);
	cr_assert_eq(area()->exception.fault_gpa, RAM + 0x5000, "one page without block paging");
	for (unsigned i = 0; i < 30; i++) /* MediaTek's driver serves it only then */
		cr_assert_eq(area()->exception.reserved[i], 0, "reserved[%u]", i);
	cr_assert_eq(area()->exception.error_code, HV_ABI_PF_WRITE);

	/* Block paging: 64 KiB blocks, frames from the host's pfn page. */
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(MAP_GUEST_BLOCK), vmid, 0, RAM >> 12, 16, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "no pfn page given yet");
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, 0x10000,
	                   env_pa(env, PFN_BUF), 0, out),
	             HV_ABI_OK);
	fake_dabt(rt, RAM + 0x15008, 4, false, 2, false);
	cr_assert_eq(run(0), HV_ABI_EXIT_EXCEPTION);
	cr_assert_eq(area()->exception.fault_gpa, RAM + 0x10000, "the block around the fault");
	cr_assert_eq(area()->exception.reserved[0], 0, "the block size is not passed");
	cr_assert_eq(area()->exception.error_code, 0);
	uint64_t *pfns = env_page(env, PFN_BUF);
	for (unsigned i = 0; i < 16; i++) /* need not be contiguous */
		pfns[i] = env_pa(env, GUEST + 3 * i) >> 12;
	unsigned changes = rt->s2_changes;
	cr_assert_eq(hcall(env, FN(MAP_GUEST_BLOCK), vmid, 0, (RAM + 0x10000) >> 12, 16, 0, out),
	             HV_ABI_OK);
	cr_assert_eq(rt->s2_changes, changes + 1, "the runtime hears of it");
	cr_assert_eq(rt->s2_last_ipa, RAM + 0x10000);
	cr_assert_eq(rt->s2_last_size, 0x10000);
	hv_pa_t pa;
	cr_assert(hv_mem_is_pinned(vcpu->vm, hv_ipa(RAM + 0x15000), &pa));
	cr_assert_eq(hv_pa_addr(pa), env_pa(env, GUEST + 15));
	/* A racing vCPU's fault in the same block: MediaTek's driver sends the
	 * same frames again, which stay; other frames for present pages do not. */
	cr_assert_eq(hcall(env, FN(MAP_GUEST_BLOCK), vmid, 0, (RAM + 0x10000) >> 12, 16, 0, out),
	             HV_ABI_OK, "the same frames again (a racing vCPU)");
	cr_assert_eq(vcpu->vm->life.mem.nr_pinned, 16);
	pfns[7] = env_pa(env, GUEST + 60) >> 12;
	cr_assert_eq(hcall(env, FN(MAP_GUEST_BLOCK), vmid, 0, (RAM + 0x10000) >> 12, 16, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "another frame for a present page");
	pfns[7] = env_pa(env, GUEST + 21) >> 12;
	cr_assert_eq(hcall(env, FN(MAP_GUEST_BLOCK), vmid, 0, (RAM + 0x20000) >> 12, 513, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "more than a batch");
	/* The pfn page given to the VM can no longer be read as a host buffer. */
	cr_assert_eq(hcall(env, FN(MAP_GUEST), vmid, 0, env_pa(env, PFN_BUF) >> 12,
	                   (RAM + 0x40000) >> 12, 1, out),
	             HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(MAP_GUEST_BLOCK), vmid, 0, (RAM + 0x20000) >> 12, 1, 0, out),
	             HV_ABI_ERR_INVALID_ARGS);
}

Test(abi_run, psci_system_off_is_a_system_event)
{
	fake_hvc(rt, HV_PSCI_SYSTEM_OFF, 3);
	cr_assert_eq(run(0), HV_ABI_EXIT_SYSTEM_EVENT);
	cr_assert_eq(area()->system_event.type, HV_ABI_SYSTEM_EVENT_SHUTDOWN);
	int64_t r;
	cr_assert_eq(drv_get_reg(env, vmid, 0, HV_GZVM_REG_X(1), &r), 3,
	             "the contract guests' exit status, read by the host");
}

Test(abi_run, ptp_is_answered_by_the_host)
{
	fake_hvc(rt, HV_SMCCC_HYP_PTP, 0);
	cr_assert_eq(run(0), HV_ABI_EXIT_HYPERCALL);
	cr_assert_eq(area()->hypercall.args[0], HV_ABI_GUEST_PTP);
	for (unsigned i = 0; i < 4; i++)
		area()->hypercall.args[i] = 100 + i;
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	for (unsigned i = 0; i < 4; i++)
		cr_assert_eq(vcpu->ctx.regs.x[i], 100 + i);
}

Test(abi_run, relinquished_pages_are_reported_once)
{
	cr_assert_eq(hcall(env, FN(MAP_GUEST), vmid, 0, env_pa(env, GUEST) >> 12,
	                   (RAM + 0x3000) >> 12, 1, NULL),
	             HV_ABI_OK);
	fake_hvc(rt, HV_SMCCC_HYP_MEM_RELINQUISH, RAM + 0x3000);
	cr_assert_eq(run(0), HV_ABI_EXIT_HYPERCALL);
	cr_assert_eq(area()->hypercall.args[0], HV_ABI_GUEST_MEM_RELINQUISH);
	cr_assert_eq(area()->hypercall.args[1], RAM + 0x3000);
	cr_assert_eq(area()->hypercall.args[2], env_pa(env, GUEST));
	cr_assert_eq(rt->s2_last_ipa, RAM + 0x3000, "the runtime drops the page");
	uint16_t owner, flags;
	cr_assert_eq(hv_pgown_get(&env->hyp.own, hv_pa(env_pa(env, GUEST)), &owner, &flags), HV_OK);
	cr_assert_eq(owner, HV_OWNER_HOST, "back to the host already");
	/* Nothing of the notice is taken as an answer. */
	area()->hypercall.args[0] = 99;
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(vcpu->ctx.regs.x[0], HV_SMCCC_RET_SUCCESS);
}

static void two_vcpus_with_vgic(void)
{
	cr_assert_eq(drv_vgic(env, vmid, BUF, 2), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(CREATE_VCPU), HV_ABI_TUPLE(vmid, 1), env_pa(env, RUN_PAGE + 2),
	                   0, 0, 0, NULL),
	             HV_ABI_OK);
}

/* A guest register write through the VM's bus, as the guest's GIC driver. */
static void gic_write(uint64_t ipa, uint64_t value)
{
	cr_assert_eq(hv_mmio_bus_access(&vcpu->vm->mmio, vcpu, hv_ipa(ipa), 4, true, &value),
	             HV_OK);
}

Test(abi_run, sgi_and_cpu_on_wake_only_their_targets)
{
	two_vcpus_with_vgic();
	/* GICD_CTLR ARE|EnableGrp1; vCPU 1's SGI 0 group 1 and enabled
	 * (GICR_IGROUPR0, GICR_ISENABLER0 in its SGI_base frame). */
	gic_write(0x08000000, 0x12);
	gic_write(0x080a0000 + 0x30080, 1);
	gic_write(0x080a0000 + 0x30100, 1);
	fake_sgi1r(rt, 4, 1ull << 1); /* SGI 0 to Aff0 1 */
	cr_assert_eq(run(0), HV_ABI_EXIT_IPI);
	cr_assert_eq(area()->hypercall.args[0], HV_ABI_VCPU_BIT(1));
	/* vCPU 1 is off: its RUN blocks (IDLE with idle exits) until CPU_ON. */
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, out),
	             HV_ABI_OK);
	unsigned entries = rt->entries;
	cr_assert_eq(run(1), HV_ABI_EXIT_IDLE);
	cr_assert_eq(rt->entries, entries, "an off vCPU is not entered");
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_X(2), RAM + 0x2000), HV_ABI_OK);
	fake_hvc(rt, HV_PSCI_CPU_ON_64, 1); /* x1 target MPIDR, x2 entry */
	cr_assert_eq(run(0), HV_ABI_EXIT_IPI);
	cr_assert_eq(area()->hypercall.args[0], HV_ABI_VCPU_BIT(1));
	fake_push(rt, HV_ABI_ENTRY_PREEMPTED);
	cr_assert_eq(run(1), HV_ABI_EXIT_IRQ);
	cr_assert_eq(rt->last->id, 1);
	cr_assert_eq(rt->last->ctx.regs.pc, RAM + 0x2000, "entered at the CPU_ON entry");
}

Test(abi_run, idle_exits_with_the_timer_hand_off)
{
	fake_wfi(rt);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ, "without ENABLE_IDLE: re-enter");
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, NULL),
	             HV_ABI_OK);
	sim_counter_set(5000);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CNTV_CVAL_EL0,
	                         5000 - vcpu->vm->vtimer.cntvoff + 1234),
	             HV_ABI_OK);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE),
	             HV_ABI_OK);
	fake_wfi(rt);
	cr_assert_eq(run(0), HV_ABI_EXIT_IDLE);
	struct hv_abi_vcpu_hwstate *hw = drv_hwstate(env, RUN_PAGE);
	cr_assert_eq(hw->vtimer_migrate, 1, "the host arms a timer for this vCPU");
	cr_assert_eq(hw->vtimer_delay, 1234);
	cr_assert_eq(hw->vtimer_offset, vcpu->vm->vtimer.cntvoff);
}

Test(abi_run, idle_without_a_timer_still_blocks_with_a_bounded_delay)
{
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, NULL),
	             HV_ABI_OK);
	fake_wfi(rt); /* no guest timer armed */
	cr_assert_eq(run(0), HV_ABI_EXIT_IDLE);
	struct hv_abi_vcpu_hwstate *hw = drv_hwstate(env, RUN_PAGE);
	cr_assert_eq(hw->vtimer_migrate, 1, "MediaTek's driver blocks only with migrate set");
	cr_assert_eq(hw->vtimer_delay, HV_ABI_IDLE_MAX_DELAY);
	/* The driver's ns = (delay * mult) >> shift with any 32-bit mult. */
	cr_assert_geq(UINT64_MAX / UINT32_MAX, hw->vtimer_delay, "no 64-bit overflow");
	/* A far deadline is bounded the same way. */
	sim_counter_set(100);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CNTV_CVAL_EL0, UINT64_MAX / 2),
	             HV_ABI_OK);
	cr_assert_eq(drv_set_reg(env, vmid, 0, HV_GZVM_REG_CNTV_CTL_EL0, HV_CNTV_CTL_ENABLE),
	             HV_ABI_OK);
	fake_wfi(rt);
	cr_assert_eq(run(0), HV_ABI_EXIT_IDLE);
	cr_assert_eq(hw->vtimer_migrate, 1);
	cr_assert_eq(hw->vtimer_delay, HV_ABI_IDLE_MAX_DELAY);
}

/* An irqfd's raise, never lowered: one delivery per raise, no storm. */
static void raise_never_lowered(bool edge)
{
	two_vcpus_with_vgic();
	gic_write(0x08000000, 0x12);    /* GICD_CTLR ARE|EnableGrp1 */
	gic_write(0x08000084, 1u << 8); /* INTID 40 group 1 */
	if (edge)                       /* GICD_ICFGR2 Int_config[1] of INTID 40 */
		gic_write(0x08000c08, 2u << 16);
	gic_write(0x08000104, 1u << 8); /* enabled */
	rt->guest_completes_lrs = true;
	for (unsigned k = 0; k < 3; k++) {
		cr_assert_eq(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 8, 1, 0, 0, NULL),
		             HV_ABI_OK);
		cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
		cr_assert_eq(rt->lr0_at_entry & HV_ICH_LR_VINTID_MASK, 40, "raise %u delivered", k);
		cr_assert(rt->lr0_at_entry & HV_ICH_LR_PENDING);
		for (unsigned i = 0; i < 3; i++) {
			cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
			cr_assert_not(rt->lr0_at_entry & HV_ICH_LR_PENDING,
			              "taken once: not pending again (raise %u, entry %u)", k, i);
		}
	}
}

Test(abi_run, a_raise_never_lowered_is_one_delivery_for_a_level_spi)
{
	raise_never_lowered(false);
}

Test(abi_run, a_raise_never_lowered_is_one_delivery_for_an_edge_spi)
{
	raise_never_lowered(true);
}

Test(abi_run, immediate_exit_and_inform_exit_return_without_entering)
{
	uint64_t out[4];
	area()->immediate_exit = 2;
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "immediate_exit is 0 or 1");
	area()->immediate_exit = 0;
	area()->padding1[1] = 1;
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved bytes");
	area()->padding1[1] = 0;
	area()->immediate_exit = 1;
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(rt->entries, 0);
	area()->immediate_exit = 0;
	cr_assert_eq(hcall(env, FN(INFORM_EXIT), vmid, 0, 0, 0, 0, NULL), HV_ABI_OK);
	cr_assert_eq(hcall(env, FN(INFORM_EXIT), vmid, 1, 0, 0, 0, NULL), HV_ABI_ERR_INVALID_ARGS);
	cr_assert_eq(hcall(env, FN(INFORM_EXIT), 77, 0, 0, 0, 0, NULL), HV_ABI_ERR_INVALID_ARGS);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(rt->entries, 0);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ, "once: now it enters (and is preempted)");
	cr_assert_eq(rt->entries, 1);
}

Test(abi_run, entries_per_call_are_bounded)
{
	for (unsigned i = 0; i < FAKE_MAX_STOPS; i++)
		fake_hvc(rt, HV_PSCI_VERSION, 0); /* handled in the hypervisor: resume */
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(rt->entries, HV_ABI_RUN_MAX_ENTRIES);
	cr_assert_eq(vcpu->ctx.regs.x[0], HV_PSCI_VERSION_1_1);
}

Test(abi_run, a_failed_entry_is_reported)
{
	fake_push(rt, HV_ABI_ENTRY_FAILED);
	cr_assert_eq(run(0), HV_ABI_EXIT_FAIL_ENTRY);
	cr_assert_eq(area()->fail_entry.cpu, 0);
}

Test(abi_run, a_run_area_given_away_is_a_fault)
{
	cr_assert_eq(
	    hcall(env, FN(MAP_GUEST), vmid, 0, env_pa(env, RUN_PAGE + 1) >> 12, RAM >> 12, 1, NULL),
	    HV_ABI_OK);
	uint64_t out[4];
	cr_assert_eq(hcall(env, FN(RUN), HV_ABI_TUPLE(vmid, 0), 0, 0, 0, 0, out), HV_ABI_ERR_FAULT);
	cr_assert_eq(rt->entries, 0);
}

Test(abi_run, the_lr_shadow_is_flushed_before_entry_and_reported)
{
	two_vcpus_with_vgic();
	/* The guest's distributor set-up, as its GIC driver would do it:
	 * GICD_CTLR.ARE|EnableGrp1, INTID 40 group 1 and enabled. */
	gic_write(0x08000000, 0x12);
	gic_write(0x08000084, 1u << 8);
	gic_write(0x08000104, 1u << 8);
	uint64_t out[4];
	/* MediaTek's numbering: SPI number 8, the hypervisor adds 32. */
	cr_assert_eq(hcall(env, FN(IRQ_LINE), HV_ABI_TUPLE(vmid, 0), 8, 1, 0, 0, out), HV_ABI_OK);
	cr_assert_eq(out[1], HV_ABI_VCPU_BIT(0), "routed to vCPU 0 (affinity 0): wake it");
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ);
	cr_assert_eq(rt->lr0_at_entry & HV_ICH_LR_VINTID_MASK, 40, "in a list register at entry");
	cr_assert(rt->lr0_at_entry & HV_ICH_LR_PENDING);
	struct hv_abi_vcpu_hwstate *hw = drv_hwstate(env, RUN_PAGE);
	cr_assert_eq(hw->nr_lrs, 4);
	cr_assert_eq(hw->lr[0] & HV_ICH_LR_VINTID_MASK, 40, "the host sees the LRs");
}

/* A runtime that waits for an idle vCPU itself (hv_abi_runtime_ops.idle,
 * the EL2 port's RUN entries): what it answers decides. */
static unsigned idle_calls;
static bool idle_answer;

static bool waiting_idle(void *arg, struct hv_vcpu *v)
{
	(void)arg;
	(void)v;
	idle_calls++;
	return idle_answer;
}

Test(abi_run, a_runtime_that_waits_for_an_idle_vcpu)
{
	static struct hv_abi_runtime_ops ops;
	ops = fake_ops;
	ops.idle = waiting_idle;
	hv_abi_server_set_runtime(&env->srv, &ops, rt);
	cr_assert_eq(hcall(env, FN(ENABLE_CAP), vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, NULL),
	             HV_ABI_OK);
	idle_calls = 0;
	idle_answer = true; /* woken at EL2: entered again, no idle exit */
	fake_wfi(rt);
	cr_assert_eq(run(0), HV_ABI_EXIT_IRQ, "the empty script preempts the next entry");
	cr_assert_eq(idle_calls, 1);
	cr_assert_eq(rt->entries, 2, "the WFI's entry and the one after the wait");
	idle_answer = false; /* the CPU is wanted back: the idle exit */
	fake_wfi(rt);
	cr_assert_eq(run(0), HV_ABI_EXIT_IDLE);
	cr_assert_eq(idle_calls, 2);
	cr_assert_eq(rt->entries, 3);
}
