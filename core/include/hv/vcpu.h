/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vCPU object. `ctx` (the seam's register file) comes first so a port's
 * vector code can save/restore it at offset 0 of the object.
 *
 * Composition point: each module that keeps per-vCPU state defines its own
 * struct in its own header and embeds it here (one include, one field).
 */
#ifndef HV_VCPU_H
#define HV_VCPU_H

#include <hv/arch.h>
#include <hv/exit.h>
#include <hv/vgic.h>
#include <hv/vtimer.h>

struct hv_vm;

/* PSCI power state of a vCPU (PSCI 1.1, DEN0022D 5.1.4 AFFINITY_INFO). */
enum hv_vcpu_power {
	HV_VCPU_OFF = 0,
	HV_VCPU_ON,
	HV_VCPU_ON_PENDING, /* CPU_ON accepted, not yet entered */
};

struct hv_vcpu {
	struct hv_vcpu_context ctx; /* must stay first */
	struct hv_vm *vm;
	uint32_t id; /* index in the VM, 0..nr_vcpus-1 */
	enum hv_vcpu_power power;
	struct hv_host_exit host_exit;   /* core/exit: why the last exit went to the host */
	struct hv_exit_state exit_state; /* core/exit: pending MMIO, statistics */
	struct hv_vgic_vcpu vgic;        /* core/vgic: private INTIDs, pending bitmaps, LRs */
	struct hv_vtimer vtimer;         /* core/vtimer: interrupt line level */
};

HV_STATIC_ASSERT(offsetof(struct hv_vcpu, ctx) == 0, "ctx must be first");

#endif /* HV_VCPU_H */
