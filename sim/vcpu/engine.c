/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Unicorn side of the software vCPU: one engine per vCPU, guest RAM
 * mapped from the host buffer, the register file copied in before a run and
 * out after it, and the hooks that turn Unicorn's events into exits.
 *
 * Unicorn 2.0.1 facts this relies on (shared/reference/platform-facts.md,
 * checked on this machine): the guest runs at EL1 only; an exception is
 * reported through UC_HOOK_INTR and never delivered to VBAR_EL1; HVC is
 * UNDEF (intno 1) with PC at the HVC; WFI halts the engine with PC past
 * it; the PC after a stop is exact only when a UC_HOOK_MEM_READ/WRITE hook
 * exists (it makes the translator store the PC before every load/store),
 * so one is installed (it also finds alignment faults Unicorn misses).
 */
#include <hv/inject.h>
#include <hvsim/arch_sim.h>
#include <hv/idregs.h>
#include <hv/sysreg.h>
#include <string.h>
#include "sim_internal.h"
#include "sysreg_model.h"
#include "access_decode.h"

static int xreg(unsigned n);
static uint64_t cp_read(uc_engine *uc, unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                        unsigned op2);

/* Unicorn exception numbers (QEMU target/arm EXCP_*). */
#define UC_EXCP_UDEF 1
#define UC_EXCP_SWI  2
#define UC_EXCP_BKPT 7
#define UC_EXCP_HVC  11
#define UC_EXCP_SMC  13

/* Instructions per time slice when several vCPUs share the thread, and
 * when one vCPU has the thread (the slice then only bounds how long the
 * engine runs without the run loop looking at timers and limits). */
#define SIM_QUANTUM_SHARED 20000u
#define SIM_QUANTUM_ALONE  (1u << 24)
/* Instructions between looks at a virtual IRQ that PSTATE.I holds back. */
#define SIM_RECHECK_INSNS 64u

/*
 * Every load and store (the hook also makes Unicorn keep the PC exact).
 * A misaligned one that hardware refuses but Unicorn (QEMU 5) performs
 * (load-acquire/store-release, LDAPR, atomics; anything with SCTLR_EL1.A
 * set) becomes an alignment fault at it: the stop comes only at the next
 * block, so the rest is rolled back (rollback.c).
 */
static void mem_access(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                       void *arg)
{
	struct sim_vcpu *sv = arg;
	(void)value;
	bool is_write = type == UC_MEM_WRITE;
	if (!sv->rollback.active && size > 1 && (addr & ((uint64_t)size - 1u)) != 0) {
		uint64_t pc;
		uint32_t insn;
		struct sim_access acc;
		uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
		if (uc_mem_read(uc, pc, &insn, sizeof(insn)) != UC_ERR_OK ||
		    !sim_access_decode(insn, &acc))
			return;
		if (!acc.must_align && !(cp_read(uc, 3, 0, 1, 0, 0) & HV_BIT(1))) /* SCTLR_EL1.A */
			return;
		sim_rollback_begin(sv, pc);
		sv->ev.kind = SIM_EV_ALIGN;
		sv->ev.addr = addr;
		sv->ev.is_write = acc.is_write;
		uc_emu_stop(uc);
	}
	if (sv->rollback.active && is_write)
		sim_rollback_note_write(sv, addr, (unsigned)size);
}

static bool mem_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                         void *arg)
{
	struct sim_vcpu *sv = arg;
	(void)uc, (void)value;
	if (sv->rollback.active)
		return false; /* after the faulting DC ZVA: rolled back */
	bool fetch = type == UC_MEM_FETCH_UNMAPPED || type == UC_MEM_FETCH_PROT;
	sv->ev.kind = fetch ? SIM_EV_IABT : SIM_EV_DABT;
	sv->ev.addr = addr;
	sv->ev.size = (unsigned)size;
	sv->ev.is_write = type == UC_MEM_WRITE_UNMAPPED || type == UC_MEM_WRITE_PROT;
	/* Mapped, but not for this kind of access: a permission fault. */
	sv->ev.permission =
	    type == UC_MEM_WRITE_PROT || type == UC_MEM_READ_PROT || type == UC_MEM_FETCH_PROT;
	return false; /* stop: the exit path handles it */
}

static void intr(uc_engine *uc, uint32_t intno, void *arg)
{
	struct sim_vcpu *sv = arg;
	if (sv->rollback.active) { /* after the faulting DC ZVA: rolled back */
		uc_emu_stop(uc);
		return;
	}
	sv->ev.kind = SIM_EV_INTR;
	sv->ev.intno = intno;
	uc_emu_stop(uc);
}

/* Called before each translated block runs: counts its instructions and
 * ends the slice once the previous blocks used it up (so every run makes
 * progress: its first block always executes). While an interrupt waits for
 * PSTATE.I, it also stops the engine every SIM_RECHECK_INSNS instructions,
 * so an unmask (MSR DAIFClr, ERET) takes it at once, as on hardware. */
static void block(uc_engine *uc, uint64_t addr, uint32_t size, void *arg)
{
	struct sim_vcpu *sv = arg;
	(void)addr;
	if (sv->quantum_left == 0 || (sv->recheck && sv->recheck_left == 0)) {
		if (sv->ev.kind == SIM_EV_NONE)
			sv->ev.kind = sv->quantum_left == 0 ? SIM_EV_QUANTUM : SIM_EV_RECHECK;
		uc_emu_stop(uc);
		return;
	}
	uint64_t n = size / 4u;
	sv->sim->insns += n;
	sim_counter_advance(n); /* simulated time: one tick per instruction */
	sv->quantum_left = sv->quantum_left > n ? sv->quantum_left - n : 0;
	sv->recheck_left = sv->recheck_left > n ? sv->recheck_left - n : 0;
}

/* MRS/MSR hook. Unicorn (2.0.1) does not advance the PC when a hook
 * returns 1, so a handled access moves the PC itself. */
/*
 * At EL0 the sim serves only the timer registers CNTKCTL_EL1 opens to EL0
 * (EL0VCTEN [1]: CNTVCT and CNTFRQ; EL0VTEN [9]: CNTV_*; Arm ARM D17.8.3);
 * the GIC CPU interface and everything else are left to Unicorn, which
 * makes them UNDEF as at EL0 on hardware.
 */
static bool el0_may_access(uc_engine *uc, uint32_t id)
{
	uint32_t pstate = 0;
	uc_reg_read(uc, UC_ARM64_REG_PSTATE, &pstate);
	if ((pstate & HV_PSTATE_MODE_MASK) != HV_PSTATE_EL0T)
		return true;
	uc_arm64_cp_reg cp = {.crn = 14, .crm = 1, .op0 = 3, .op1 = 0, .op2 = 0};
	if (uc_reg_read(uc, UC_ARM64_REG_CP_REG, &cp) != UC_ERR_OK)
		return false;
	switch (id) {
	case HV_SYSREG_CNTVCT_EL0:
	case HV_SYSREG_CNTFRQ_EL0: return (cp.val & HV_BIT(1)) != 0;
	case HV_SYSREG_CNTV_CTL_EL0:
	case HV_SYSREG_CNTV_CVAL_EL0:
	case HV_SYSREG_CNTV_TVAL_EL0: return (cp.val & HV_BIT(9)) != 0;
	default: return false;
	}
}

static uint32_t sysreg_hook(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *arg,
                            bool is_read)
{
	struct sim_vcpu *sv = arg;
	uint64_t pc;
	uint32_t insn;
	(void)reg;
	if (sv->rollback.active)
		return 1; /* after the faulting DC ZVA: no effect, rolled back */
	uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	if (uc_mem_read(uc, pc, &insn, sizeof(insn)) != UC_ERR_OK)
		return 0;
	unsigned rt = insn & 0x1fu;
	uint32_t id = HV_SYSREG(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2);
	uint64_t value = 0;
	if (!is_read && rt != 31)
		uc_reg_read(uc, UC_ARM64_REG_X0 + (rt < 29 ? rt : 0), &value);
	if (!is_read && rt == 29)
		uc_reg_read(uc, UC_ARM64_REG_X29, &value);
	if (!is_read && rt == 30)
		uc_reg_read(uc, UC_ARM64_REG_X30, &value);

	if (!el0_may_access(uc, id))
		return 0; /* Unicorn applies the EL0 checks (and UNDEFs) itself */
	enum sim_sysreg_result res = sim_sysreg_access(sv, id, is_read, &value);
	switch (res) {
	case SIM_SYSREG_NATIVE: return 0; /* Unicorn's own register */
	case SIM_SYSREG_TRAP:
		sv->ev.kind = SIM_EV_SYSREG;
		sv->ev.esr =
		    sim_sysreg_esr(cp->op0, cp->op1, cp->crn, cp->crm, cp->op2, rt, is_read);
		/* An MRS of a register QEMU treats as constant (the ID space)
		 * does not end its block: what runs after it up to the stop is
		 * rolled back, so the core sees the guest at the MRS. */
		sim_rollback_begin(sv, pc);
		uc_emu_stop(uc);
		return 1;
	default: break;
	}
	if (is_read && rt != 31) {
		int r = rt < 29    ? UC_ARM64_REG_X0 + (int)rt
		        : rt == 29 ? UC_ARM64_REG_X29
		                   : UC_ARM64_REG_X30;
		uc_reg_write(uc, r, &value);
	}
	pc += 4;
	uc_reg_write(uc, UC_ARM64_REG_PC, &pc);
	return 1;
}

static uint32_t mrs_hook(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *arg)
{
	return sysreg_hook(uc, reg, cp, arg, true);
}

static uint32_t msr_hook(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *arg)
{
	return sysreg_hook(uc, reg, cp, arg, false);
}

/*
 * SYS instructions. DC ZVA (SYS #3, C7, C4, #1, Xt) writes a whole block
 * in a helper: when it faults, Unicorn goes on to the end of the
 * translated block before it stops, so neither the PC nor the registers
 * would be those of the DC ZVA. Its target is checked here, before it
 * runs: a block the engine does not map writable (MMIO, the hole, past
 * RAM, not yet paged in) is a data abort for the exit path at the DC ZVA,
 * FAR = Xt as hardware reports it; what runs after it up to the stop is
 * rolled back (rollback.c). The guest runs with its MMU off (VA = IPA);
 * otherwise Unicorn does it itself.
 */
static uint32_t sys_hook(uc_engine *uc, uc_arm64_reg reg, const uc_arm64_cp_reg *cp, void *arg)
{
	struct sim_vcpu *sv = arg;
	(void)reg;
	if (sv->rollback.active)
		return 1; /* after the faulting DC ZVA: no effect, rolled back */
	if (!(cp->op0 == 1 && cp->op1 == 3 && cp->crn == 7 && cp->crm == 4 && cp->op2 == 1))
		return 0;
	if (cp_read(uc, 3, 0, 1, 0, 0) & HV_BIT(0)) /* SCTLR_EL1.M */
		return 0;
	uint64_t pc, xt = 0;
	uint32_t insn;
	uc_reg_read(uc, UC_ARM64_REG_PC, &pc);
	if (uc_mem_read(uc, pc, &insn, sizeof(insn)) != UC_ERR_OK)
		return 0;
	unsigned rt = insn & 0x1fu;
	if (rt != 31)
		uc_reg_read(uc, xreg(rt), &xt);
	uint64_t bytes = sim_engine_dc_zva_bytes(sv);
	uint64_t first = xt & ~(bytes - 1u);
	if (sim_mem_engine_writable(sv->sim, first, bytes))
		return 0;
	sv->ev.kind = SIM_EV_DABT;
	sv->ev.addr = xt;
	sv->ev.size = (unsigned)bytes;
	sv->ev.is_write = true;
	sv->ev.permission = sim_mem_engine_mapped(sv->sim, first, bytes);
	sim_rollback_begin(sv, pc);
	uc_emu_stop(uc);
	return 1; /* skipped */
}

hv_status_t sim_engine_create(struct sim *sim, struct sim_vcpu *sv)
{
	uc_engine *uc;
	uc_hook h;
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &uc) != UC_ERR_OK)
		return HV_ERR_NO_MEMORY;
	uc_ctl_set_cpu_model(uc, SIM_CPU_MODEL);
	sv->uc = uc;
	bool ok = uc_hook_add(uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE, (void *)mem_access, sv,
	                      1, 0) == UC_ERR_OK &&
	          uc_hook_add(uc, &h, UC_HOOK_MEM_UNMAPPED | UC_HOOK_MEM_PROT, (void *)mem_unmapped,
	                      sv, 1, 0) == UC_ERR_OK &&
	          uc_hook_add(uc, &h, UC_HOOK_INTR, (void *)intr, sv, 1, 0) == UC_ERR_OK &&
	          uc_hook_add(uc, &h, UC_HOOK_INSN, (void *)mrs_hook, sv, 1, 0, UC_ARM64_INS_MRS) ==
	              UC_ERR_OK &&
	          uc_hook_add(uc, &h, UC_HOOK_INSN, (void *)msr_hook, sv, 1, 0, UC_ARM64_INS_MSR) ==
	              UC_ERR_OK &&
	          uc_hook_add(uc, &h, UC_HOOK_INSN, (void *)sys_hook, sv, 1, 0, UC_ARM64_INS_SYS) ==
	              UC_ERR_OK;
	if (ok && sim->counting)
		ok = uc_hook_add(uc, &h, UC_HOOK_BLOCK, (void *)block, sv, 1, 0) == UC_ERR_OK;
	if (!ok) {
		uc_close(uc);
		sv->uc = NULL;
		return HV_ERR_NO_MEMORY;
	}
	return HV_OK;
}

void sim_engine_read_idregs(struct sim_vcpu *sv, uint64_t hw[HV_IDREG_NR])
{
	for (unsigned crm = 1; crm <= 7; crm++)
		for (unsigned op2 = 0; op2 < 8; op2++)
			hw[HV_IDREG_INDEX(crm, op2)] = cp_read(sv->uc, 3, 0, 0, crm, op2);
}

void sim_engine_destroy(struct sim_vcpu *sv)
{
	if (sv->uc)
		uc_close(sv->uc);
	sv->uc = NULL;
}

/* ---- register file <-> engine ------------------------------------------ */

#define PSTATE_SP HV_BIT(0) /* SPSel: 1 = SP_ELx */

static int xreg(unsigned n)
{
	return n < 29 ? UC_ARM64_REG_X0 + (int)n : n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

static uint64_t cp_read(uc_engine *uc, unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                        unsigned op2)
{
	uc_arm64_cp_reg cp = {.crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2};
	if (uc_reg_read(uc, UC_ARM64_REG_CP_REG, &cp) != UC_ERR_OK)
		return 0;
	return cp.val;
}

static void cp_write(uc_engine *uc, unsigned op0, unsigned op1, unsigned crn, unsigned crm,
                     unsigned op2, uint64_t v)
{
	uc_arm64_cp_reg cp = {.crn = crn, .crm = crm, .op0 = op0, .op1 = op1, .op2 = op2, .val = v};
	uc_reg_write(uc, UC_ARM64_REG_CP_REG, &cp);
}

/* SPSR_EL1 (3,0,4,0,0), SCTLR_EL1 (3,0,1,0,0), TCR_EL1 (3,0,2,0,2). */
static void read_el1(uc_engine *uc, struct hv_el1_sysregs *el1)
{
	uc_reg_read(uc, UC_ARM64_REG_ELR_EL1, &el1->elr_el1);
	uc_reg_read(uc, UC_ARM64_REG_ESR_EL1, &el1->esr_el1);
	uc_reg_read(uc, UC_ARM64_REG_FAR_EL1, &el1->far_el1);
	uc_reg_read(uc, UC_ARM64_REG_VBAR_EL1, &el1->vbar_el1);
	uc_reg_read(uc, UC_ARM64_REG_TTBR0_EL1, &el1->ttbr0_el1);
	uc_reg_read(uc, UC_ARM64_REG_TTBR1_EL1, &el1->ttbr1_el1);
	uc_reg_read(uc, UC_ARM64_REG_MAIR_EL1, &el1->mair_el1);
	el1->spsr_el1 = cp_read(uc, 3, 0, 4, 0, 0);
	el1->sctlr_el1 = cp_read(uc, 3, 0, 1, 0, 0);
	el1->tcr_el1 = cp_read(uc, 3, 0, 2, 0, 2);
}

static void write_el1(uc_engine *uc, const struct hv_el1_sysregs *el1,
                      const struct hv_el1_sysregs *old)
{
#define CHANGED(f) (!old || el1->f != old->f)
	if (CHANGED(elr_el1))
		uc_reg_write(uc, UC_ARM64_REG_ELR_EL1, &el1->elr_el1);
	if (CHANGED(esr_el1))
		uc_reg_write(uc, UC_ARM64_REG_ESR_EL1, &el1->esr_el1);
	if (CHANGED(far_el1))
		uc_reg_write(uc, UC_ARM64_REG_FAR_EL1, &el1->far_el1);
	if (CHANGED(vbar_el1))
		uc_reg_write(uc, UC_ARM64_REG_VBAR_EL1, &el1->vbar_el1);
	if (CHANGED(ttbr0_el1))
		uc_reg_write(uc, UC_ARM64_REG_TTBR0_EL1, &el1->ttbr0_el1);
	if (CHANGED(ttbr1_el1))
		uc_reg_write(uc, UC_ARM64_REG_TTBR1_EL1, &el1->ttbr1_el1);
	if (CHANGED(mair_el1))
		uc_reg_write(uc, UC_ARM64_REG_MAIR_EL1, &el1->mair_el1);
	if (CHANGED(spsr_el1))
		cp_write(uc, 3, 0, 4, 0, 0, el1->spsr_el1);
	if (CHANGED(sctlr_el1))
		cp_write(uc, 3, 0, 1, 0, 0, el1->sctlr_el1);
	if (CHANGED(tcr_el1))
		cp_write(uc, 3, 0, 2, 0, 2, el1->tcr_el1);
#undef CHANGED
}

void sim_engine_save(struct sim_vcpu *sv)
{
	uc_engine *uc = sv->uc;
	struct hv_vcpu_regs *r = &sv->vcpu->ctx.regs;
	int ids[31];
	void *ptrs[31];
	for (unsigned i = 0; i < 31; i++) {
		ids[i] = xreg(i);
		ptrs[i] = &r->x[i];
	}
	uc_reg_read_batch(uc, ids, ptrs, 31);
	uint32_t pstate = 0;
	uint64_t sp, sp_el0, sp_el1;
	uc_reg_read(uc, UC_ARM64_REG_PC, &r->pc);
	uc_reg_read(uc, UC_ARM64_REG_PSTATE, &pstate);
	uc_reg_read(uc, UC_ARM64_REG_SP, &sp);
	uc_reg_read(uc, UC_ARM64_REG_SP_EL0, &sp_el0);
	uc_reg_read(uc, UC_ARM64_REG_SP_EL1, &sp_el1);
	r->pstate = pstate;
	/* The live SP is the selected one; the bank of the other is current. */
	r->sp_el0 = (pstate & PSTATE_SP) ? sp_el0 : sp;
	r->sp_el1 = (pstate & PSTATE_SP) ? sp : sp_el1;
	uint64_t mpidr = sv->vcpu->ctx.el1.mpidr_el1;
	read_el1(uc, &sv->vcpu->ctx.el1);
	sv->vcpu->ctx.el1.mpidr_el1 = mpidr; /* virtual: owned by the sim */
	sv->el1_loaded = sv->vcpu->ctx.el1;
}

static void load_regs(struct sim_vcpu *sv, bool all_el1)
{
	uc_engine *uc = sv->uc;
	struct hv_vcpu_regs *r = &sv->vcpu->ctx.regs;
	int ids[31];
	void *ptrs[31];
	for (unsigned i = 0; i < 31; i++) {
		ids[i] = xreg(i);
		ptrs[i] = &r->x[i];
	}
	uc_reg_write_batch(uc, ids, ptrs, 31);
	uint32_t pstate = (uint32_t)r->pstate;
	uc_reg_write(uc, UC_ARM64_REG_PSTATE, &pstate);
	uc_reg_write(uc, UC_ARM64_REG_SP_EL0, &r->sp_el0);
	uc_reg_write(uc, UC_ARM64_REG_SP_EL1, &r->sp_el1);
	uint64_t sp = (pstate & PSTATE_SP) ? r->sp_el1 : r->sp_el0;
	uc_reg_write(uc, UC_ARM64_REG_SP, &sp);
	write_el1(uc, &sv->vcpu->ctx.el1, all_el1 ? NULL : &sv->el1_loaded);
	sv->el1_loaded = sv->vcpu->ctx.el1;
}

void sim_engine_load(struct sim_vcpu *sv)
{
	load_regs(sv, false);
}

void sim_engine_load_all(struct sim_vcpu *sv)
{
	load_regs(sv, true);
}

uint64_t sim_engine_dc_zva_bytes(struct sim_vcpu *sv)
{
	/* DCZID_EL0 (3,3,0,0,7): BS [3:0] = log2 of the block in words. */
	return UINT64_C(4) << (cp_read(sv->uc, 3, 3, 0, 0, 7) & 0xfu);
}

void sim_engine_slice_begin(struct sim_vcpu *sv)
{
	struct sim *sim = sv->sim;
	sv->quantum_left = sim->cfg.nr_vcpus > 1 ? SIM_QUANTUM_SHARED : SIM_QUANTUM_ALONE;
	if (sim->cfg.max_insns && sim->cfg.max_insns > sim->insns &&
	    sv->quantum_left > sim->cfg.max_insns - sim->insns)
		sv->quantum_left = sim->cfg.max_insns - sim->insns;
}

uc_err sim_engine_run(struct sim_vcpu *sv, bool irq_waits)
{
	sv->ev.kind = SIM_EV_NONE;
	sv->recheck = irq_waits;
	sv->recheck_left = SIM_RECHECK_INSNS;
	sv->sim->counters[SIM_CNT_ENGINE_RUNS]++;
	uc_err err = uc_emu_start(sv->uc, sv->vcpu->ctx.regs.pc, UINT64_MAX, 0, 0);
	if (sv->rollback.active && !sim_rollback_apply(sv))
		return UC_ERR_EXCEPTION; /* cannot undo: the run stops */
	return err;
}
