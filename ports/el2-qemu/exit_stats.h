/* SPDX-License-Identifier: Apache-2.0 */
/* Counts of guest exits, interrupts and time, printed when the guest stops. */
#ifndef EL2_EXIT_STATS_H
#define EL2_EXIT_STATS_H

#include <hv/vcpu.h>

void el2_exit_stats_reset(void);
/* A guest exit taken by this CPU: a physical interrupt (irq) or a
 * synchronous one (classified by core/exit in vcpu->exit_state.stats). */
void el2_exit_stats_exit(bool irq);
/* A physical interrupt acknowledged at EL2 (EL2_INTID_SPURIOUS: none was). */
void el2_exit_stats_irq(uint32_t intid);
/* An IRQ exit: `misr` is ICH_MISR_EL2 as saved; non-zero means the vGIC's
 * maintenance interrupt was asserted (it made or shared the exit). */
void el2_exit_stats_maintenance(uint32_t misr);
void el2_exit_stats_switch(void);
/* Where this CPU's time since the previous call went (counter ticks):
 * running the guest, at EL2 handling it, or idle in WFI. NONE starts. */
enum el2_time { EL2_TIME_NONE, EL2_TIME_GUEST, EL2_TIME_HYP, EL2_TIME_IDLE, EL2_TIME_NR };
void el2_exit_stats_time(enum el2_time spent);
/* "el2: exits total=N irq=N" then core/exit's classes summed over the
 * vCPUs (hv_exit_stat_key=N), and the interrupt / switch / time lines. */
void el2_exit_stats_print(struct hv_vcpu *const *vcpus, unsigned nr_vcpus);

#endif
