/* SPDX-License-Identifier: Apache-2.0 */
/* The guest's self-hosted debug state (hv/debug.h) on this CPU. */
#ifndef EL2_DEBUG_HW_H
#define EL2_DEBUG_HW_H

#include <hv/vcpu.h>

/* Once per CPU before the first guest entry: the CPU's own OS lock clear
 * (the guest's is emulated), no comparator enabled, MDSCR_EL1 0. */
void el2_debug_cpu_init(void);

/* Before entering `v`: its breakpoints, watchpoints and MDSCR_EL1 into the
 * CPU while the guest uses them (hv_debug_active), reloaded only when the
 * vCPU or its state changed; the CPU's cleared when `v` uses none. */
void el2_debug_load(const struct hv_vcpu *v);

#endif
