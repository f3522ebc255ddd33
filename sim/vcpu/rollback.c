/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Undoing the rest of a translated block. When a hook finds that the
 * instruction about to run must fault but Unicorn cannot stop before it
 * (a helper-based access such as DC ZVA: Unicorn stops only at the next
 * block), the registers are kept here, the instruction is skipped, every
 * store up to the stop is logged with the bytes it overwrote, and at the
 * stop memory and registers are put back: the guest is exactly at the
 * faulting instruction, as hardware leaves it.
 */
#include <string.h>
#include "sim_internal.h"

static int xreg(unsigned n)
{
	return n < 29 ? UC_ARM64_REG_X0 + (int)n : n == 29 ? UC_ARM64_REG_X29 : UC_ARM64_REG_X30;
}

void sim_rollback_begin(struct sim_vcpu *sv, uint64_t pc)
{
	struct sim_rollback *rb = &sv->rollback;
	uc_engine *uc = sv->uc;
	rb->active = true;
	rb->pc = pc;
	rb->nr = 0;
	rb->overflow = false;
	for (unsigned i = 0; i < 31; i++)
		uc_reg_read(uc, xreg(i), &rb->x[i]);
	uc_reg_read(uc, UC_ARM64_REG_SP, &rb->sp);
	uc_reg_read(uc, UC_ARM64_REG_NZCV, &rb->nzcv);
	uc_reg_read(uc, UC_ARM64_REG_FPCR, &rb->fpcr);
	uc_reg_read(uc, UC_ARM64_REG_FPSR, &rb->fpsr);
	for (unsigned i = 0; i < 32; i++)
		uc_reg_read(uc, UC_ARM64_REG_Q0 + (int)i, rb->q[i]);
}

void sim_rollback_note_write(struct sim_vcpu *sv, uint64_t addr, unsigned size)
{
	struct sim_rollback *rb = &sv->rollback;
	if (rb->nr == SIM_ROLLBACK_WRITES || size > sizeof(rb->log[0].old)) {
		rb->overflow = true;
		return;
	}
	if (uc_mem_read(sv->uc, addr, rb->log[rb->nr].old, size) != UC_ERR_OK)
		return; /* not mapped: the store cannot happen */
	rb->log[rb->nr].addr = addr;
	rb->log[rb->nr].len = size;
	rb->nr++;
}

bool sim_rollback_apply(struct sim_vcpu *sv)
{
	struct sim_rollback *rb = &sv->rollback;
	uc_engine *uc = sv->uc;
	rb->active = false;
	for (unsigned i = rb->nr; i-- > 0;)
		uc_mem_write(uc, rb->log[i].addr, rb->log[i].old, rb->log[i].len);
	for (unsigned i = 0; i < 31; i++)
		uc_reg_write(uc, xreg(i), &rb->x[i]);
	uc_reg_write(uc, UC_ARM64_REG_SP, &rb->sp);
	uc_reg_write(uc, UC_ARM64_REG_NZCV, &rb->nzcv);
	uc_reg_write(uc, UC_ARM64_REG_FPCR, &rb->fpcr);
	uc_reg_write(uc, UC_ARM64_REG_FPSR, &rb->fpsr);
	for (unsigned i = 0; i < 32; i++)
		uc_reg_write(uc, UC_ARM64_REG_Q0 + (int)i, rb->q[i]);
	uc_reg_write(uc, UC_ARM64_REG_PC, &rb->pc);
	return !rb->overflow;
}
