/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The VM object. Composition point: each module that keeps per-VM state
 * defines its own struct in its own header and embeds it here.
 */
#ifndef HV_VM_H
#define HV_VM_H

#include <hv/idregs.h>
#include <hv/mm_ops.h>
#include <hv/mmio.h>
#include <hv/vcpu.h>
#include <hv/vgic.h>
#include <hv/vm_state.h>

#define HV_MAX_VCPUS 8

struct hv_vm {
	uint16_t vmid;
	uint8_t ipa_bits;
	uint32_t nr_vcpus;
	struct hv_vcpu *vcpus[HV_MAX_VCPUS];
	const struct hv_mm_ops *mm; /* pages for this VM's tables and objects */
	struct hv_mmio_bus mmio;    /* core/exit: emulated device ranges */
	struct hv_vgic vgic;        /* core/vgic: distributor state, SPIs */
	struct hv_vtimer_vm vtimer; /* core/vtimer: CNTVOFF, counter frequency */
	struct hv_idregs idregs;    /* core/exit: what trapped ID register reads return */
	/* VENDOR_HYP_CALL_UID answers this project's UID, not GenieZone's
	 * guest UID: an EL2 port's host VM, whose driver looks for hvcore. */
	bool uid_hvcore;
	struct hv_vm_life life; /* core/vm + core/mem: run state, memslots, pins */
};

#endif /* HV_VM_H */
