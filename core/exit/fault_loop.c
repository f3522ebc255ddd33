/* SPDX-License-Identifier: Apache-2.0 */
/* Fault-loop detection; see hv/fault_loop.h. The vector table is the 2 KiB
 * at VBAR_EL1[63:11] (Arm ARM D1.10.2). */
#include <hv/fault_loop.h>
#include <hv/vcpu.h>

#define VECTOR_TABLE_BYTES 0x800u

static bool in_vectors(const struct hv_vcpu *v, uint64_t pc)
{
	uint64_t base = v->ctx.el1.vbar_el1 & ~(uint64_t)(VECTOR_TABLE_BYTES - 1u);
	return pc - base < VECTOR_TABLE_BYTES;
}

bool hv_fault_loop_check(struct hv_fault_loop *fl, const struct hv_vcpu *v, uint64_t exit_pc)
{
	const struct hv_exit_syndrome *x = &v->ctx.exit;
	bool looping = in_vectors(v, exit_pc) && in_vectors(v, v->ctx.regs.pc) &&
	               fl->pc == exit_pc && fl->esr == x->esr_el2 && fl->far == x->far_el2;
	if (!looping) {
		fl->pc = exit_pc;
		fl->esr = x->esr_el2;
		fl->far = x->far_el2;
		fl->repeats = 0;
		return false;
	}
	if (fl->repeats < HV_FAULT_LOOP_LIMIT)
		fl->repeats++;
	return fl->repeats >= HV_FAULT_LOOP_LIMIT;
}
