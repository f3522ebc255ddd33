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

/* An exit of `v`: if it is the host's HVC/SMC in the hypercall server's
 * function-ID range (hv/abi.h), serve it (x0..x3 get the answer) and return
 * true; otherwise false (core/exit handles the exit). */
bool el2_host_abi_handle(struct hv_vcpu *v);

/* The server's counters and what it still holds (after the host stopped). */
void el2_host_abi_report(void);

#endif
