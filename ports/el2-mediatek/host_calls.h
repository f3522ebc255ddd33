/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode A's host calls at EL2 (GenieZone's model: Linux on the machine at
 * EL1, its driver's calls served at EL2). Who answers is core's
 * (hv/host_smccc.h): the hypercall server (ports/el2/host_abi.c over the
 * host's own stage 2, host_s2.h), EL2 itself (SMCCC_VERSION, hvcore's
 * vendor hypervisor UID), or the firmware (host_direct.c's SMC path, PSCI
 * through hv/host_psci.h). RUN enters a server VM's vCPU on the calling
 * CPU through the shared runtime's state switch (abi_runtime_el2.c,
 * vcpu_state.c, gic.c) and gives the host back its own state after it.
 */
#ifndef EL2_MTK_HOST_CALLS_H
#define EL2_MTK_HOST_CALLS_H

#include <hv/vcpu.h>

#include "board.h"
#include "dt_discover.h"

/* Boot CPU, after the host's stage 2 is built: the server over the first
 * RAM bank (at most EL2_GUEST_MAX_RAM of it, 2 MiB aligned), EL2's memory
 * [hyp, hyp + hyp_size) and every no-map carveout kept out of it; the
 * firmware's SMCCC version asked (PSCI_FEATURES first, DEN0022D 5.1.15).
 * HV_OK, or why not (the host then runs without a server: its calls are
 * refused as before). */
hv_status_t el2_mtk_host_calls_init(const struct el2_dt_platform *dt, const void *fdt, uint64_t hyp,
                                    uint64_t hyp_size);

/* Each CPU before it first enters the host: its redistributor for RUN. */
void el2_mtk_host_calls_cpu(void);

/* The host's HVC or SMC on CPU cpu (ESR_EL2 esr), answered in r->x[0..3]
 * (an SMC's PC is moved past it by the caller). */
void el2_mtk_host_call(uint32_t cpu, struct hv_vcpu_regs *r, uint64_t esr);

/* One line: server calls, RUNs and guest entries, SMCs routed. */
void el2_mtk_host_calls_report(void);

#endif
