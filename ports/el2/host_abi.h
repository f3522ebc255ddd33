/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host mode (hvcore.host=1): the Linux VM this port boots is the host of
 * hvcore's hypercall server (core/abi, hv/abi_server.h), as gzvm.ko expects
 * of a GenieZone-compatible hypervisor.
 */
#ifndef EL2_HOST_ABI_H
#define EL2_HOST_ABI_H

#include <hv/abi_server.h>

/* The host VM `host` (created in the port's own hyp, its RAM memslot
 * `slot` at IPA == PA [ram_pa, ram_pa + ram_size)) becomes the server's
 * host: its RAM is mapped whole, identity, and is the server's managed
 * memory, all the host's; the server's VMs never get the host VM's VMID. */
hv_status_t el2_host_abi_init(struct hv_vm *host, uint32_t slot, uint64_t ram_pa,
                              uint64_t ram_size);

/* Is this exit of `v` the host's HVC/SMC in the hypercall server's
 * function-ID range (hv/abi.h)? Then el2_host_abi_serve answers it (x0..x3)
 * instead of core/exit. */
bool el2_host_abi_is_call(const struct hv_vcpu *v);
/* Without the host VM's lock: RUN enters a guest on this CPU. */
void el2_host_abi_serve(struct hv_vcpu *v);

/* Is this exit of `v` the host's stage-2 fault on a protected VM's page?
 * Then a synchronous external abort has been injected into the host. */
bool el2_host_abi_denied_fault(struct hv_vcpu *v);

/* The server's hyp (its VMs and vCPUs), NULL unless in host mode. */
const struct hv_hyp *el2_host_abi_hyp(void);

/* The server's counters and what it still holds (after the host stopped). */
void el2_host_abi_report(void);

#endif
