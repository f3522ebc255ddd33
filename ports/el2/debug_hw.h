/* SPDX-License-Identifier: Apache-2.0 */
/* The guest's self-hosted debug state (hv/debug.h) on this CPU, handed to
 * the guest lazily (hv/arch.h: struct hv_debug_regs). */
#ifndef EL2_DEBUG_HW_H
#define EL2_DEBUG_HW_H

#include <hv/debug.h>
#include <hv/vcpu.h>

/* Once per CPU before the first guest entry, with MDCR_EL2.TDA set (the
 * debug registers trap): the CPU's own OS lock clear, MDSCR_EL1 0. */
void el2_debug_cpu_init(void);

/* Before entering `v`, if the guest owns its debug registers
 * (hv_debug_guest_owns): its comparators and OS lock into the CPU (only
 * when the CPU holds another vCPU's or an older generation), its
 * MDSCR_EL1, and MDCR_EL2.TDA cleared. Otherwise nothing: between runs the
 * CPU traps them and has MDSCR_EL1 0 (el2_debug_save). */
void el2_debug_load_owned(struct hv_vcpu *v);
static inline void el2_debug_load(struct hv_vcpu *v)
{
	if (hv_debug_guest_owns(&v->ctx.debug))
		el2_debug_load_owned(v);
}

/* After an exit of `v` (before core handles it), if it ran owning them:
 * read back into v->ctx.debug (hv_debug_saved), MDSCR_EL1 cleared and TDA
 * set. Until core handles the exit v->ctx.debug is what el2_debug_load
 * saw (an owned register does not trap; a trapped access is handled after
 * this), so the same test says whether it ran owning them. */
void el2_debug_save_owned(struct hv_vcpu *v);
static inline void el2_debug_save(struct hv_vcpu *v)
{
	if (hv_debug_guest_owns(&v->ctx.debug))
		el2_debug_save_owned(v);
}

/* A host that runs on the machine (el2-mediatek) calls RUN on this CPU:
 * its MDSCR_EL1 and OS lock are kept and MDSCR_EL1 cleared for the guest;
 * its comparators are saved only if a guest's are loaded. After the RUN,
 * el2_debug_host_exit puts back what was saved. */
void el2_debug_host_enter(void);
void el2_debug_host_exit(void);

/* `v` may next run on another CPU (a hypercall server's vCPU): this CPU's
 * copy is no longer known to be its latest. */
void el2_debug_put(const struct hv_vcpu *v);

/* One line: how many runs had MDCR_EL2.TDA clear, how many of them first
 * loaded the comparators, how many exits read them back (all CPUs, since
 * boot). */
void el2_debug_report(void);

#endif
