/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode A's host: Linux (or any arm64 kernel) at EL1 on the physical CPUs
 * themselves, EL2 underneath. Its SMCs trap to EL2 (HCR_EL2.TSC): PSCI goes
 * through core/exit/host_psci.c (CPU_ON and the suspends enter EL2 first,
 * at el2_mtk_cpu_entry), everything else to the firmware unchanged (x0-x17
 * both ways, SMCCC 1.2). Its HVCs and its SMCs for the hypercall server or
 * EL2 itself are host_calls.h's (the route is core's, hv/host_smccc.h).
 * Interrupts, timers and the GIC are the host's (no IMO/FMO routing). Its
 * stage 2 (host_s2.h) leaves out EL2 and the firmware's carveouts; an
 * access there (or to a protected VM's page) comes back to it as a
 * synchronous external abort; a fault on RAM it may access (a block the
 * hypercall server is splitting or merging) is retried.
 */
#ifndef EL2_MTK_HOST_DIRECT_H
#define EL2_MTK_HOST_DIRECT_H

#include <hv/host_psci.h>
#include <hv/vcpu.h>

/* The host's PSCI state, shared by every CPU. */
extern struct hv_host_psci el2_mtk_host_psci;

/* The EL2 controls for the host on this CPU (its stage 2 if built). */
void el2_mtk_host_controls(void);

/* Enter the host at EL1h on this CPU (index cpu) at entry with x0, MMU off,
 * interrupts masked (Linux's booting.rst), and serve its traps for ever. */
void el2_mtk_host_run(uint32_t cpu, uint64_t entry, uint64_t x0) __attribute__((noreturn));

/* The host's SMC for the firmware on CPU cpu (x0..x17 in r): PSCI through
 * core/exit/host_psci.c, anything else unchanged. */
void el2_mtk_host_smc(uint32_t cpu, struct hv_vcpu_regs *r);

/* Forwarded, rewritten and answered host SMCs so far (for the log). */
void el2_mtk_host_report(void);

#endif
