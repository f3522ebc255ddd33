/* SPDX-License-Identifier: Apache-2.0 */
/* The hypercall server's runtime at EL2: RUN enters a server VM's vCPU on
 * the physical CPU whose host vCPU made the call. */
#ifndef EL2_ABI_RUNTIME_H
#define EL2_ABI_RUNTIME_H

#include <hv/abi_server.h>

extern const struct hv_abi_runtime_ops el2_abi_runtime;

/* After a server call that may have entered a guest: the host VM `host`'s
 * stage 2 is this CPU's again. */
void el2_abi_runtime_host_back(const struct hv_vm *host);

#endif
