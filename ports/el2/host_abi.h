/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host of hvcore's hypercall server (core/abi, hv/abi_server.h), as
 * gzvm.ko expects of a GenieZone-compatible hypervisor: el2-qemu's host
 * mode (hvcore.host=1: the Linux VM this port boots), or a host that runs
 * on the machine under a stage 2 of its own (el2-mediatek's mode A).
 */
#ifndef EL2_HOST_ABI_H
#define EL2_HOST_ABI_H

#include <hv/abi_server.h>
#include <hv/s2.h>

/* The server for a host whose stage 2 is `s2` (VMID `vmid`; it maps the
 * host's RAM at IPA == PA, RWX Normal memory) over managed memory
 * [ram_pa, ram_pa + ram_size) (2 MiB aligned, at most EL2_GUEST_MAX_RAM),
 * all the host's at first. */
hv_status_t el2_host_abi_setup(struct hv_s2_pgt *s2, uint16_t vmid, uint64_t ram_pa,
                               uint64_t ram_size);

/* After el2_host_abi_setup: the managed pages of every 2 MiB block that
 * meets [pa, pa + size) (EL2's own memory, a firmware carveout) become the
 * hypervisor's, so the server never gives them to a VM nor takes them as
 * a host buffer, and no host page shares a 2 MiB block with them (a
 * protected VM's page coming back makes its block whole again). Outside
 * managed memory: nothing to do. */
hv_status_t el2_host_abi_keep_out(uint64_t pa, uint64_t size);

/* A host on the machine took a stage-2 fault at pa: true if pa is managed
 * memory the host may access (not the hypervisor's, not a protected VM's
 * unshared page), so the fault can only be a mapping the server is
 * changing right now (break-before-make of a 2 MiB block split for a
 * protected VM's page, on another CPU): the access is to be retried. */
bool el2_host_abi_host_may_access(uint64_t pa);

/* Is fid one of the server's function IDs (hv/abi.h), with a server set up? */
bool el2_host_abi_is_fn(uint32_t fid);

/* One call of the host on this CPU: x[0] the function ID, x[1..7] its
 * arguments; x[0..3] the answer. `caller` names the host CPU or vCPU in
 * the event trace. RUN enters a guest on this CPU: the caller has the
 * guest's EL2 controls loaded (HCR_EL2, CPTR_EL2, MDCR_EL2, CNTHCTL_EL2)
 * and restores the host's after. */
void el2_host_abi_call(uint64_t x[8], uint16_t caller);

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
