/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EL2_GUEST_H
#define EL2_GUEST_H

#include "board.h"
#include "guest_config.h"

/* Run the guest `gc` describes: its RAM (at IPA 0x40000000) is backed by
 * the host RAM at gc->ram_pa, where QEMU loaded its image; gc->nr_vcpus
 * vCPUs: vCPU i on physical CPU i mod n (n: online CPUs, at most the vCPU
 * count), several vCPUs of one CPU time-sliced. Call on the boot CPU. Returns the guest's exit status (w1
 * at PSCI SYSTEM_OFF), or an el2_stop_status (stop_status.h). */
unsigned el2_run_guest(const struct el2_board *board, const struct el2_guest_config *gc);

/* After the run: per physical CPU guest entries and kicks (several CPUs). */
void el2_guest_report(void);

#endif
