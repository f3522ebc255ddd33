/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EL2_RUN_ENTRY_H
#define EL2_RUN_ENTRY_H

#include <hv/vcpu.h>

/* Host mode: core/sched's RUN entry of this CPU (guest.c, hv/sched.h). A
 * RUN of the server's vCPU `tuple` made by host vCPU `caller` begins, ends
 * (under the server lock). guest.c defines them when it runs the host;
 * an image without it (el2-mediatek's host calls the server directly)
 * links abi_runtime_el2.c's weak ones, which do nothing: there RUN
 * reports an idle vCPU at once. */
void el2_run_entry_begin(unsigned caller, uint64_t tuple);
void el2_run_entry_end(void);
/* Before each of the RUN's guest entries (then the caller looks at the
 * server's waiters), after each exit. */
void el2_run_entry_guest(void);
void el2_run_entry_el2(void);
/* After el2_run_entry_guest: is the CPU wanted back before the next entry
 * (a vCPU of this CPU made runnable since its last flush, a server call
 * waiting in `waiters`, the guest stopping)? */
bool el2_run_entry_wanted(const volatile uint32_t *waiters);
/* The RUN's vCPU `guest` idles: wait at EL2 until it has something to do
 * (true: enter it again) or the CPU is wanted back (false: an idle exit):
 * an interrupt for a host vCPU of this CPU, a server call waiting
 * (`waiters`), the guest stopping. */
bool el2_run_entry_idle(struct hv_vcpu *guest, const volatile uint32_t *waiters);
/* A CPU about to wait for the server: kick the CPU serving a RUN, if it
 * must (hv_sched_wake_run). */
void el2_run_entry_wake_server(void);

#endif
