/* SPDX-License-Identifier: Apache-2.0 */
/* The physical GICv3 at EL2 and the hand-off of the vGIC's list-register
 * shadow and the virtual timer between a vCPU context and the CPU. */
#ifndef EL2_GIC_H
#define EL2_GIC_H

#include <hv/arch.h>

#include "board.h"

/* The PPIs the hypervisor takes, from the DTB (QEMU virt: 25, 26, 27). */
struct el2_ppis {
	uint32_t maintenance, hyp_timer, vtimer;
};
extern struct el2_ppis el2_ppi;
#define EL2_PPI_MAINTENANCE (el2_ppi.maintenance)
#define EL2_PPI_HYP_TIMER   (el2_ppi.hyp_timer)
#define EL2_PPI_VTIMER      (el2_ppi.vtimer)
#define EL2_INTID_SPURIOUS  1023u

/* Boot CPU: the distributor, then this CPU's interface (false as
 * el2_gic_cpu_init's). */
bool el2_gic_init(const struct el2_board *board);
/* Any CPU: its redistributor (found by MPIDR) and ICC_* registers; false if
 * no redistributor has this CPU's affinity. */
bool el2_gic_cpu_init(const struct el2_board *board);
/* The RD_base cpu found (el2_gic_cpu_init, el2_gic_cpu_attach), or 0. */
uintptr_t el2_gic_redistributor(unsigned cpu);
/* A host on the machine owns the GIC (el2-mediatek): this CPU's
 * redistributor and the number of list registers, nothing configured;
 * false if no redistributor has this CPU's affinity. */
bool el2_gic_cpu_attach(const struct el2_board *board);
/* Around a RUN of such a host on this CPU: out reads what the host left
 * (the SGI/PPI active states, its virtual timer) and enables EL2's timer
 * PPI if the host had it disabled; back gives the virtual timer's PPI the
 * host's active state again, restores that enable and turns the virtual
 * interface off. */
struct el2_gic_host {
	uint32_t private_active;
	bool hyp_timer_enabled;
};
void el2_gic_host_out(struct el2_gic_host *s);
void el2_gic_host_back(const struct el2_gic_host *s);

/* A physical SGI to the CPU with this MPIDR. */
void el2_gic_send_sgi(uint64_t mpidr, uint32_t intid);
unsigned el2_gic_nr_lrs(void);
/* Acknowledge the highest pending physical interrupt (spurious: 1023); it
 * is then active. */
uint32_t el2_gic_ack(void);
/* Done with an acknowledged interrupt: priority drop and deactivation. */
void el2_gic_eoi(uint32_t intid);
/* Priority drop only (EOImode 1): the interrupt stays active, for a
 * guest's hardware-mapped virtual interrupt to deactivate. */
void el2_gic_priority_drop(uint32_t intid);
/* Give one of this CPU's PPIs the active state `active` (written only if
 * it differs from what the CPU holds). */
void el2_gic_ppi_set_active(uint32_t intid, bool active);
/* Context -> CPU before entry, CPU -> context after exit. */
void el2_gic_load(const struct hv_gic_cpuif *gic);
void el2_gic_save(struct hv_gic_cpuif *gic);
void el2_timer_load(const struct hv_vtimer_regs *t);
void el2_timer_save(struct hv_vtimer_regs *t);

#endif
