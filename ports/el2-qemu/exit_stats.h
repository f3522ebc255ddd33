/* SPDX-License-Identifier: Apache-2.0 */
/* Counts of guest exits by reason, printed when the guest stops. */
#ifndef EL2_EXIT_STATS_H
#define EL2_EXIT_STATS_H

#include <hv/vcpu.h>

enum el2_exit_reason {
	EL2_EXIT_IRQ,        /* physical interrupt while the guest ran */
	EL2_EXIT_MMIO,       /* data/instruction abort emulated or injected */
	EL2_EXIT_PAGE_FAULT, /* abort that demand-paged guest RAM in */
	EL2_EXIT_SYSREG,     /* trapped MSR/MRS (SGIs, ID registers, ...) */
	EL2_EXIT_HVC,
	EL2_EXIT_SMC,
	EL2_EXIT_WFI,
	EL2_EXIT_WFE,
	EL2_EXIT_OTHER,
	EL2_EXIT_NR,
};

void el2_exit_stats_reset(void);
/* A synchronous exit of `v` that core/exit handled with action `act`. */
void el2_exit_stats_sync(const struct hv_vcpu *v);
void el2_exit_stats_count(enum el2_exit_reason reason);
/* A physical interrupt acknowledged at EL2 (EL2_INTID_SPURIOUS: none was). */
void el2_exit_stats_irq(uint32_t intid);
void el2_exit_stats_switch(void);
/* Where this CPU's time since the previous call went (counter ticks):
 * running the guest, at EL2 handling it, or idle in WFI. NONE starts. */
enum el2_time { EL2_TIME_NONE, EL2_TIME_GUEST, EL2_TIME_HYP, EL2_TIME_IDLE, EL2_TIME_NR };
void el2_exit_stats_time(enum el2_time spent);
/* "el2: exits total=N irq=N mmio=N ..." and the interrupt / switch counts. */
void el2_exit_stats_print(void);

#endif
