/* SPDX-License-Identifier: Apache-2.0 */
/*
 * VM and vCPU lifecycle: the hypervisor instance (struct hv_hyp) holds the
 * page-ownership tracker, the VMID allocator and the storage of every VM and
 * vCPU; the hypercall server (core/abi) and the runtimes call these.
 *
 *   hv_hyp_init -> hv_vm_create -> hv_vcpu_create / hv_mem_set_memslot
 *   -> (runs, faults, hv_mem_map_pages) -> hv_vm_destroy (BUSY ... OK)
 *
 * VMIDs are 1..HV_VMID_MAX (8-bit VMIDs, 0 is the host's); a VMID is only
 * reused after its VM is fully destroyed and its TLB entries invalidated.
 * Every call validates its arguments; a refused call changes nothing.
 */
#ifndef HV_VM_LIFECYCLE_H
#define HV_VM_LIFECYCLE_H

#include <hv/vm.h>

#define HV_MAX_VMS  16
#define HV_VMID_MAX 255u

/* Destroy batch when the host passes 0 (GenieZone's default, in pages). */
#define HV_VM_DESTROY_BATCH_DEFAULT 128u
/* Larger batches are clamped to this: one call's latency stays bounded. */
#define HV_VM_DESTROY_BATCH_MAX 65536u

struct hv_hyp {
	const struct hv_mm_ops *mm; /* pages for VM tables */
	struct hv_pgown own;        /* ownership of all managed memory */
	unsigned max_ipa_bits;      /* largest IPA size a VM may ask for */
	uint64_t vmid_used[(HV_VMID_MAX + 1) / 64];
	struct hv_vm vms[HV_MAX_VMS];
	struct hv_vcpu vcpus[HV_MAX_VMS][HV_MAX_VCPUS];
};

/*
 * Initialise `hyp` (it need not be zeroed; earlier contents are dropped).
 * Managed memory is [mem_base, mem_base + nr_pages * 4 KiB), tracked in
 * owner_storage (nr_pages entries), all owned by the host at first.
 * max_ipa_bits (32, 36, 40, 42, 44 or 48): the largest IPA size a VM may
 * ask for. Stage 2 is built with a 48-bit output size (VTCR_EL2.PS; a
 * larger PS than implemented behaves as the implemented size, and only
 * frames of the managed range are ever mapped). HV_ERR_INVALID for bad
 * arguments.
 */
hv_status_t hv_hyp_init(struct hv_hyp *hyp, const struct hv_mm_ops *mm, unsigned max_ipa_bits,
                        hv_pa_t mem_base, uint64_t nr_pages, struct hv_page_owner *owner_storage);

/*
 * Keep `vmid` (1..HV_VMID_MAX) from ever being given to a VM of this hyp:
 * the port runs a VM with that VMID outside it (an EL2 port's host VM),
 * and two live stage-2 tables must never share a VMID's TLB entries.
 * HV_ERR_RANGE for 0 or beyond HV_VMID_MAX, HV_ERR_EXISTS if it is in use.
 */
hv_status_t hv_hyp_reserve_vmid(struct hv_hyp *hyp, uint16_t vmid);

struct hv_vm_config {
	uint32_t ipa_bits;   /* 32, 36, 40, 42, 44 or 48, <= hyp max; 0: 40 (or max) */
	uint32_t max_vcpus;  /* 1..HV_MAX_VCPUS; 0: HV_MAX_VCPUS */
	uint64_t block_size; /* demand-paging block; 0: 2 MiB */
	bool set_cntvoff;    /* false: CNTVOFF = physical count at creation */
	uint64_t cntvoff;
};

/* Create a VM: lowest free VMID into *vmid. HV_ERR_NO_MEMORY when all VM
 * slots or VMIDs are in use; HV_ERR_INVALID for a bad config. */
hv_status_t hv_vm_create(struct hv_hyp *hyp, const struct hv_vm_config *cfg, uint16_t *vmid);

/* The live VM with this VMID (not one being destroyed), or NULL. */
struct hv_vm *hv_vm_find(struct hv_hyp *hyp, uint16_t vmid);

/*
 * Create vCPU `id` (< the VM's max_vcpus): zeroed, timer reset, MPIDR Aff0
 * = id; vCPU 0 starts powered on, others off (PSCI CPU_ON). HV_ERR_EXISTS
 * if it exists, HV_ERR_RANGE for a bad id, HV_ERR_STATE if the VM is dying.
 */
hv_status_t hv_vcpu_create(struct hv_vm *vm, uint32_t id, struct hv_vcpu **out);

/* Mark the VM running (first vCPU entry). HV_ERR_STATE if dying. */
hv_status_t hv_vm_mark_running(struct hv_vm *vm);

/*
 * Destroy: does at most `batch_pages` units of work per call (0: the
 * default; at most HV_VM_DESTROY_BATCH_MAX) and returns HV_BUSY until done;
 * the host re-issues the call.
 * The first call makes the VM dying (no more runs, faults, maps). HV_OK:
 * everything is returned, the VMID is free. HV_ERR_NOT_FOUND: no such VM.
 */
hv_status_t hv_vm_destroy(struct hv_hyp *hyp, uint16_t vmid, uint64_t batch_pages);

struct hv_vm_stats {
	uint64_t hyp_bytes;    /* hypervisor memory of the VM: objects and tables */
	uint64_t shared_bytes; /* guest pages shared with the host */
	uint64_t pinned_bytes; /* guest pages mapped (the host must keep them pinned) */
	uint32_t nr_vcpus;
	enum hv_vm_run_state state;
};
hv_status_t hv_vm_get_stats(const struct hv_vm *vm, struct hv_vm_stats *out);

#endif /* HV_VM_LIFECYCLE_H */
