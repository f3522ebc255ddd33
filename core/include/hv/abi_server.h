/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall server: the host driver's SMCCC calls (hv/abi.h numbers)
 * turned into core operations on one struct hv_hyp. Every argument is
 * hostile: host buffers must lie in host-owned managed memory (checked again
 * at every use), counts and sizes are bounded, reserved arguments and fields
 * must be zero; a refused call returns a negative HV_ABI_ERR_* in out[0] and
 * changes nothing (server, hypervisor, or host memory).
 *
 * RUN needs a runtime (struct hv_abi_runtime_ops): the world switch of an
 * EL2 port, or the software vCPU of the sim. The server does the core's
 * side of an entry (timer line, LR flush and sync, exit dispatch, the
 * host's answers) and the runtime only runs the guest until it traps.
 *
 * Concurrency: calls are serialized by the caller (one call at a time per
 * server); the vGIC is set up without lock hooks accordingly.
 */
#ifndef HV_ABI_SERVER_H
#define HV_ABI_SERVER_H

#include <hv/abi.h>
#include <hv/trace.h>
#include <hv/vm_lifecycle.h>

/* Map host physical memory [pa, pa + size) for the server to read and write
 * (NULL if it cannot be mapped). Ownership is checked by the server. */
typedef void *(*hv_abi_host_map_fn)(void *arg, hv_pa_t pa, uint64_t size);

/* What one entry of a vCPU ended with (the runtime's answer). */
enum hv_abi_entry {
	HV_ABI_ENTRY_EXIT = 0,  /* the guest trapped: vcpu->ctx.exit holds the syndrome */
	HV_ABI_ENTRY_RESUME,    /* the runtime handled the stop itself: enter again */
	HV_ABI_ENTRY_PREEMPTED, /* a host interrupt or the end of a time slice */
	HV_ABI_ENTRY_FAILED,    /* the vCPU cannot be run (RUN reports FAIL_ENTRY) */
};

struct hv_abi_runtime_ops {
	/* Enter the vCPU once: load vcpu->ctx (the LR shadow is flushed), run
	 * the guest until it traps or is preempted, save vcpu->ctx (with the
	 * ICH status registers for the vGIC's sync). */
	enum hv_abi_entry (*enter)(void *arg, struct hv_vcpu *vcpu);
	/* The VM's stage 2 changed over [ipa, ipa + size): a runtime caching
	 * guest mappings follows. Optional. */
	void (*s2_changed)(void *arg, struct hv_vm *vm, hv_ipa_t ipa, uint64_t size);
	/* The vCPU idles (WFI, nothing pending) and the host has heard of
	 * everything its exit made runnable: wait for it here, true when it
	 * has something to do (RUN enters it again), false when the CPU is
	 * wanted back first (RUN reports the idle exit). Optional: without
	 * it RUN reports the idle exit at once. */
	bool (*idle)(void *arg, struct hv_vcpu *vcpu);
	/* The vCPU (vcpu NULL: every vCPU of vm) will not run again. Optional. */
	void (*release)(void *arg, struct hv_vm *vm, struct hv_vcpu *vcpu);
	/* List registers of the CPU interface (ICH_VTR_EL2.ListRegs + 1); 0: 4. */
	uint8_t nr_lrs;
};

/* Per-vCPU server state. */
struct hv_abi_vcpu_slot {
	hv_pa_t run_area;  /* 2 host pages; 0 when none */
	uint32_t reported; /* exit reason the last RUN reported and not yet answered, 0: none */
	bool retired;      /* DESTROY_VCPU done */
	bool kicked;       /* INFORM_EXIT: the next RUN returns at once */
};

/* Per-VM server state (index = the VM's slot in hyp->vms). */
struct hv_abi_vm_slot {
	hv_pa_t block_buf; /* BLOCK_BASED_DEMAND_PAGING pfn page; 0: none */
	uint64_t dist, redist, redist_size;
	bool has_dist, has_redist;
	bool idle;         /* ENABLE_IDLE */
	bool protected_vm; /* PROTECTED_VM / SET_PROTECTED_VM */
	bool has_dtb;
	uint64_t dtb_gpa;
	/* MEMREGION_PURPOSE of a range no memslot has yet (MediaTek's order:
	 * before SET_MEMREGION), applied by the SET_MEMREGION of that range. */
	bool has_purpose;
	uint64_t purpose_gpa, purpose_size, purpose_flags;
	uint8_t wake; /* vCPUs the vGIC or PSCI made runnable, not yet reported */
	struct hv_abi_vcpu_slot vcpu[HV_MAX_VCPUS];
};

struct hv_abi_server {
	struct hv_hyp *hyp;
	hv_abi_host_map_fn host_map;
	void *host_arg;
	const struct hv_abi_runtime_ops *rt;
	void *rt_arg;
	bool probed; /* PROBE succeeded: VM calls are served */
	/* The runtime's event rings (TRACE_CTL/TRACE_READ), one per physical
	 * CPU; none: those calls are NOT_SUPPORTED. */
	struct hv_trace_ring *trace;
	uint32_t nr_trace;
	struct hv_abi_vm_slot vms[HV_MAX_VMS];
	/* Scratch (not state): the frames SET_MEMREGION gives at once. */
	uint64_t scratch_pfns[HV_ABI_BLOCK_BUF_PFNS];
};

hv_status_t hv_abi_server_init(struct hv_abi_server *srv, struct hv_hyp *hyp,
                               hv_abi_host_map_fn host_map, void *host_arg);

/* Give the server a runtime (RUN is NOT_SUPPORTED without one). */
void hv_abi_server_set_runtime(struct hv_abi_server *srv, const struct hv_abi_runtime_ops *ops,
                               void *arg);

/* Give the server the runtime's event rings (hv/trace.h), one per
 * physical CPU, for the host's TRACE_CTL and TRACE_READ (hv/abi.h). */
void hv_abi_server_set_trace(struct hv_abi_server *srv, struct hv_trace_ring *rings, uint32_t nr);

/* Serve one call: in[0] function ID, in[1..7] arguments; out[0] the
 * return code, out[1..3] results (zero unless the call defines them). */
void hv_abi_server_call(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);

#endif /* HV_ABI_SERVER_H */
