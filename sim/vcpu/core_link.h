/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The sim's calls into the core's interrupt modules (vGIC, vtimer), in one
 * place: before entry (timer -> vGIC -> list registers), after exit (list
 * registers -> vGIC) and for wake-ups of idle vCPUs.
 */
#ifndef HVSIM_CORE_LINK_H
#define HVSIM_CORE_LINK_H

#include "sim_internal.h"

hv_status_t sim_core_vm_init(struct sim *sim);
hv_status_t sim_core_vcpu_init(struct sim_vcpu *sv);
/* Drive the interrupt lines of the sim's "hardware" (the virtual timer). */
void sim_core_update_lines(struct sim_vcpu *sv);
void sim_core_before_entry(struct sim_vcpu *sv);
/* After sim_vcpu_enter: fold the list registers back into the vGIC. */
void sim_core_after_exit(struct sim_vcpu *sv);
/* An interrupt is pending for the vCPU (wakes it from WFI). */
bool sim_core_has_pending(struct sim_vcpu *sv);
/* Physical count at which the vCPU's virtual timer, or its EL1 physical
 * timer if earlier, fires; false if none. */
bool sim_core_timer_deadline(const struct sim_vcpu *sv, uint64_t *count);

/* Take a virtual IRQ now if the CPU interface signals one and PSTATE.I is
 * clear: the exception entry hardware performs (Arm ARM D1.10.4). */
bool sim_take_virtual_irq(struct sim_vcpu *sv);

#endif /* HVSIM_CORE_LINK_H */
