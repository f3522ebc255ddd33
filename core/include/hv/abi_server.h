/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall server: the host driver's SMCCC calls (hv/abi.h numbers)
 * turned into core operations on one struct hv_hyp. Every argument is
 * hostile: host buffers must lie in host-owned managed memory, counts and
 * sizes are bounded, reserved arguments must be zero; a refused call
 * returns a negative HV_ABI_ERR_* in out[0] and changes nothing.
 */
#ifndef HV_ABI_SERVER_H
#define HV_ABI_SERVER_H

#include <hv/abi.h>
#include <hv/vm_lifecycle.h>

/* Map host physical memory for the server to read (NULL if unmappable). */
typedef const void *(*hv_abi_host_map_fn)(void *arg, hv_pa_t pa, uint64_t size);

struct hv_abi_server {
	struct hv_hyp *hyp;
	hv_abi_host_map_fn host_map;
	void *host_arg;
	bool probed; /* PROBE succeeded: VM calls are served */
	hv_pa_t run_area[HV_MAX_VMS][HV_MAX_VCPUS];
};

hv_status_t hv_abi_server_init(struct hv_abi_server *srv, struct hv_hyp *hyp,
                               hv_abi_host_map_fn host_map, void *host_arg);

/* Serve one call: in[0] function ID, in[1..7] arguments; out[0] the
 * return code, out[1..3] results (zero unless the call defines them). */
void hv_abi_server_call(struct hv_abi_server *srv, const uint64_t in[8], uint64_t out[4]);

#endif /* HV_ABI_SERVER_H */
