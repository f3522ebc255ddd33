/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The GICv3 virtual CPU interface, as hardware implements it over the list
 * registers (GIC architecture spec IHI 0069, 11.1 "Virtual CPU interface",
 * 12.4 ICH_* registers, 12.3 ICV_* registers). The core's vGIC fills the LR
 * shadow in struct hv_gic_cpuif before entry; the guest's ICC_* accesses at
 * EL1 (which hardware serves as ICV_* without trapping) are served here on
 * that shadow, and the read-only status (MISR, EISR, ELRSR) is computed for
 * the vGIC's sync after exit.
 *
 * The sim implements 4 list registers and 5 priority bits (32 levels), as
 * QEMU's -cpu max reports (ICH_VTR_EL2 = 0x90b80003).
 */
#ifndef HVSIM_GIC_CPUIF_H
#define HVSIM_GIC_CPUIF_H

#include <hv/arch.h>

#define SIM_GIC_NR_LRS   4u
#define SIM_GIC_PRI_BITS 5u

/* ICH_LR<n>_EL2 fields (12.4.6). */
#define SIM_LR_VINTID_MASK  0xffffffffull
#define SIM_LR_PINTID_SHIFT 32
#define SIM_LR_EOI          (1ull << 41) /* HW == 0: maintenance on EOI */
#define SIM_LR_PRIO_SHIFT   48
#define SIM_LR_GROUP1       (1ull << 60)
#define SIM_LR_HW           (1ull << 61)
#define SIM_LR_STATE_SHIFT  62
#define SIM_LR_PENDING      (1ull << 62)
#define SIM_LR_ACTIVE       (1ull << 63)

/* ICH_HCR_EL2 (12.4.5) and ICH_VMCR_EL2 (12.4.9) fields used here. */
#define SIM_HCR_EN             (1u << 0)
#define SIM_HCR_UIE            (1u << 1)
#define SIM_HCR_LRENPIE        (1u << 2)
#define SIM_HCR_NPIE           (1u << 3)
#define SIM_HCR_EOICOUNT_SHIFT 27
#define SIM_VMCR_VENG0         (1u << 0)
#define SIM_VMCR_VENG1         (1u << 1)
#define SIM_VMCR_VCBPR         (1u << 4)
#define SIM_VMCR_VEOIM         (1u << 9)
#define SIM_VMCR_VBPR1_SHIFT   18
#define SIM_VMCR_VBPR0_SHIFT   21
#define SIM_VMCR_VPMR_SHIFT    24

/* ICH_MISR_EL2 bits (12.4.8). */
#define SIM_MISR_EOI   (1u << 0)
#define SIM_MISR_U     (1u << 1)
#define SIM_MISR_LRENP (1u << 2)
#define SIM_MISR_NP    (1u << 3)

#define SIM_GIC_SPURIOUS 1023u

enum sim_gic_access {
	SIM_GIC_NOT_MINE = 0, /* not a CPU interface register this model serves */
	SIM_GIC_DONE,         /* served from/into the LR shadow */
	SIM_GIC_DONE_RESYNC,  /* served; LR state changed in a way the vGIC
	                         should see before the guest goes on (EOI) */
	SIM_GIC_TRAP,         /* traps to EL2 (SGI generation) */
};

/* A guest ICC_* access (`id` from hv/sysreg.h). Needs ICH_HCR_EL2.En. */
enum sim_gic_access sim_gic_sysreg(struct hv_gic_cpuif *gic, uint32_t id, bool is_read,
                                   uint64_t *value);

/* True if the interface signals a virtual IRQ to the PE now (a pending LR
 * of an enabled group, above the priority mask and the running priority). */
bool sim_gic_irq_signalled(const struct hv_gic_cpuif *gic);

/* Recompute the read-only MISR/EISR/ELRSR after the guest ran. */
void sim_gic_update_status(struct hv_gic_cpuif *gic);

/* Reset state of the interface for a new vCPU. */
void sim_gic_reset(struct hv_gic_cpuif *gic);

#endif /* HVSIM_GIC_CPUIF_H */
