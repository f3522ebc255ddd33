/* SPDX-License-Identifier: Apache-2.0 */
/* Per-VM lifecycle state, embedded in struct hv_vm (API: hv/vm_lifecycle.h). */
#ifndef HV_VM_STATE_H
#define HV_VM_STATE_H

#include <hv/mem.h>

struct hv_hyp;

enum hv_vm_run_state {
	HV_VM_FREE = 0, /* slot unused */
	HV_VM_CREATED,  /* vCPUs and memslots may be added */
	HV_VM_RUNNING,  /* a vCPU has run */
	HV_VM_DYING,    /* destroy in progress: every request but destroy is refused */
};

struct hv_vm_life {
	enum hv_vm_run_state state;
	uint32_t max_vcpus;
	struct hv_hyp *hyp;
	struct hv_vm_mem mem; /* core/mem: memslots, pin map, ownership link */
};

#endif /* HV_VM_STATE_H */
