/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode A's host stage 2: the whole 40-bit physical space at IPA == PA
 * (RAM Normal write-back RWX, everything else Device-nGnRE RW), except
 * EL2's own memory and the firmware's no-map carveouts, which are never
 * mapped: a host access to them is a stage-2 fault taken to EL2. Built once
 * by the boot CPU with core/s2 from the pool; every CPU then loads it.
 */
#ifndef EL2_MTK_HOST_S2_H
#define EL2_MTK_HOST_S2_H

#include <hv/s2.h>
#include <hv/types.h>

#include "dt_discover.h"

#define EL2_MTK_HOST_S2_BITS 40

/* Build it: RAM from dt->mem, holes = EL2's [hyp, hyp+hyp_size) and
 * dt->nomap (page-rounded outward). HV_ERR_RANGE for RAM beyond 40 bits. */
hv_status_t el2_mtk_host_s2_build(const struct el2_dt_platform *dt, uint64_t hyp,
                                  uint64_t hyp_size);

/* The mapping itself into pgt (initialized, empty), host_s2_map.c: the
 * layout core/mem/host_layout.c computes (hv/host_layout.h: RAM Normal RWX
 * rounded in to pages, the rest of the 40-bit space Device RW, both minus
 * the holes rounded out); its statuses (HV_ERR_RANGE for RAM beyond 40
 * bits), then core/s2's (a failure may leave part mapped: the caller
 * throws the table away). */
hv_status_t el2_mtk_host_s2_map(struct hv_s2_pgt *pgt, const struct el2_dt_platform *dt,
                                uint64_t hyp, uint64_t hyp_size);

/* VTCR_EL2 and VTTBR_EL2 on this CPU, stage-2 TLB entries of its VMID
 * dropped; 0 if not built. Returns HCR_EL2.VM when it is to be set. */
uint64_t el2_mtk_host_s2_load(void);

/* The host's stage 2 (its VMID is pgt->vmid), NULL if not built. */
struct hv_s2_pgt *el2_mtk_host_s2_pgt(void);

/* The MMU's answer (AT S12E1R, stage 1 off): does the host's access to ipa
 * fault? Call with the host's controls loaded on this CPU. */
bool el2_mtk_host_s2_faults(uint64_t ipa, uint64_t *pa);

#endif
