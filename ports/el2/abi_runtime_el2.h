/* SPDX-License-Identifier: Apache-2.0 */
/* The hypercall server's runtime at EL2: RUN enters a server VM's vCPU on
 * the physical CPU whose host vCPU made the call. */
#ifndef EL2_ABI_RUNTIME_H
#define EL2_ABI_RUNTIME_H

#include <hv/abi_server.h>
#include <hv/s2.h>

extern const struct hv_abi_runtime_ops el2_abi_runtime;

/* After a server call that may have entered a guest: the host's stage 2
 * `s2` is this CPU's again. */
void el2_abi_runtime_host_back(const struct hv_s2_pgt *s2);

/*
 * A server call begins (under the server lock). `waiters` counts the host
 * CPUs waiting for that lock: once the call has entered a guest, RUN's
 * next entry is not made while one waits (the entry ends as PREEMPTED, RUN
 * returns EXIT_IRQ and the host re-issues it), so a waiting CPU waits for
 * at most one guest entry and its exit's handling, not a whole RUN.
 */
void el2_abi_runtime_call_begin(const volatile uint32_t *waiters);
/* Entries given up for a waiting CPU so far. */
uint64_t el2_abi_runtime_yields(void);

#endif
