/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EL2_GUEST_H
#define EL2_GUEST_H

#include "fdt.h"

/* Run one guest whose image QEMU loaded at `image_pa` (its RAM is the
 * 16 MiB from there, at IPA 0x40000000) with `nr_vcpus` vCPUs (1..4)
 * time-sliced on this CPU. Returns the guest's exit status (w1 at PSCI
 * SYSTEM_OFF), or a value >= 256 on a hypervisor error. */
unsigned el2_run_guest(const struct el2_platform *plat, uint64_t image_pa, unsigned nr_vcpus);

#endif
