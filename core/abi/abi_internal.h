/* SPDX-License-Identifier: Apache-2.0 */
/* Shared between the files of the hypercall server (core/abi) only. */
#ifndef HV_ABI_INTERNAL_H
#define HV_ABI_INTERNAL_H

#include <hv/abi_server.h>
#include <hv/mem.h>

/* A call handler: in[] as received, out[1..3] results; returns out[0]. */
typedef int64_t (*abi_handler_fn)(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);

/* Core status -> ABI return code. */
int64_t abi_code(hv_status_t st);

/* in[from..7] are all zero (reserved arguments). */
bool abi_args_zero(const uint64_t in[8], unsigned from);

/* Every page of [pa, pa + size) is managed memory the host owns and the
 * host mapping gives access to it; returns the mapping or NULL. */
void *abi_host_buffer(const struct hv_abi_server *srv, uint64_t pa, uint64_t size);

/* The live VM with this id (a full register: ids above 16 bits refused). */
struct hv_vm *abi_vm(const struct hv_abi_server *srv, uint64_t vmid);
struct hv_abi_vm_slot *abi_vm_slot(struct hv_abi_server *srv, const struct hv_vm *vm);

/* The live, not retired vCPU named by a tuple register (upper 32 bits
 * zero); NULL otherwise. */
struct hv_vcpu *abi_vcpu(struct hv_abi_server *srv, uint64_t tuple);

/* Index of the memslot [ipa, ipa + size) lies in entirely, or -1. */
int abi_slot_containing(const struct hv_vm *vm, uint64_t ipa, uint64_t size);

/* [a, a + as) and [b, b + bs) overlap (neither wraps). */
static inline bool abi_overlap(uint64_t a, uint64_t as, uint64_t b, uint64_t bs)
{
	return a < b + bs && b < a + as;
}

/* [ipa, ipa + size) overlaps a vGIC frame placed by CREATE_DEVICE. */
bool abi_overlaps_devices(const struct hv_abi_vm_slot *vs, uint64_t ipa, uint64_t size);

/* Tell the runtime the stage 2 changed. */
void abi_s2_changed(struct hv_abi_server *srv, struct hv_vm *vm, uint64_t ipa, uint64_t size);

/* vGIC set-up for a vCPU created after the vGIC exists (core/abi/device.c). */
hv_status_t abi_vgic_vcpu_check(const struct hv_vm *vm, uint32_t id);
void abi_vgic_vcpu_init(struct hv_abi_server *srv, struct hv_vcpu *vcpu);

/* Handlers, by file. */
int64_t abi_create_vm(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_destroy_vm(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_create_vcpu(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_destroy_vcpu(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_get_statistics(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_inform_exit(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_set_memregion(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_map_guest(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_map_guest_block(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_memregion_purpose(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_set_dtb_config(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_enable_cap(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_create_device(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_irq_line(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_get_one_reg(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_set_one_reg(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
int64_t abi_run(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);
/* The extensions (HV_ABI_EXT_FIRST..): n is the function number. */
int64_t abi_trace_call(struct hv_abi_server *srv, unsigned n, const uint64_t in[8],
                       uint64_t out[4]);

#endif /* HV_ABI_INTERNAL_H */
