/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The software vCPU as the runtime of the hypercall server (core/abi): the
 * server's RUN enters vCPUs through it, one Unicorn engine per vCPU, created
 * at its first entry. The server does the core's side of every entry (timer,
 * list registers, exit dispatch); this does what hardware does (run the
 * guest, take virtual IRQs, report the exit syndrome).
 *
 * Guest memory is what each VM's stage 2 maps out of the host memory
 * [host, host + host_size), whose physical addresses are its host addresses
 * (as everywhere in the sim). The guest's RAM must lie in IPA
 * [ram_ipa, ram_ipa + host_size); other IPAs are never memory (MMIO).
 */
#ifndef HVSIM_ABI_RUNTIME_H
#define HVSIM_ABI_RUNTIME_H

#include <hv/abi_server.h>

struct sim_abi_runtime;

hv_status_t sim_abi_runtime_create(uint8_t *host, uint64_t host_size, uint64_t ram_ipa,
                                   struct sim_abi_runtime **out);
void sim_abi_runtime_destroy(struct sim_abi_runtime *rt);

/* The ops to give hv_abi_server_set_runtime() with the runtime as arg. */
const struct hv_abi_runtime_ops *sim_abi_runtime_ops(void);

/* Guest instructions executed so far, all VMs. */
uint64_t sim_abi_runtime_insns(const struct sim_abi_runtime *rt);
/* Why the last entry failed (FAIL_ENTRY), "" if none did. */
const char *sim_abi_runtime_error(const struct sim_abi_runtime *rt);

#endif /* HVSIM_ABI_RUNTIME_H */
