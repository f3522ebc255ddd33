/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * hvcore's host driver: /dev/gzvm with the GenieZone-compatible UAPI over
 * the hypercall ABI of core/include/hv/abi.h (the only copy of its numbers).
 *
 * Objects and lifetimes:
 *   struct gzvm_vm    one per CREATE_VM; refcounted: its anon fd holds one
 *                     reference, every vCPU fd another. The last put destroys
 *                     the VM in the hypervisor, then unpins its memory.
 *   struct gzvm_vcpu  one per CREATE_VCPU, owned by its VM (freed with it);
 *                     its 2-page run area is shared with the hypervisor.
 * Locks (outer to inner): vcpu->run_lock, vm->lock (memslots, vCPU table,
 * paging mode), vm->mem_lock (pinned pages, block buffer), vm->ioevent_lock,
 * vm->irqfd_lock (spinlock, taken from eventfd wake-ups).
 */
#ifndef GZVM_H
#define GZVM_H

#include <linux/hrtimer.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/mm_types.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/xarray.h>

#include "gzvm_uapi.h"

#define GZVM_NAME "gzvm"

struct gzvm_memslot {
	bool used;
	u64 base_gfn;
	u64 npages;
	u64 userspace_addr;
};

struct gzvm_vcpu {
	struct gzvm_vm *vm;
	u32 id;
	struct mutex run_lock;  /* one RUN at a time */
	struct page *run_pages; /* order 1: vcpu_run page, hwstate page */
	struct hv_abi_vcpu_run *run;
	struct hv_abi_vcpu_hwstate *hwstate;
	u32 last_exit; /* exit handed to userspace (its answer is copied in) */
	/* Idle: the thread sleeps on wq until `wake` is set for this vCPU. */
	wait_queue_head_t wq;
	atomic_t wake;
	struct hrtimer timer; /* the guest's virtual timer deadline while idle */
};

struct gzvm_vm {
	struct kref ref;
	u16 vmid;
	struct mm_struct *mm; /* creator's mm (mmgrab): pins and accounting */
	struct mutex lock;
	struct gzvm_memslot slots[HV_ABI_MAX_MEMSLOTS];
	struct gzvm_vcpu *vcpus[HV_ABI_MAX_VCPUS];
	bool started; /* a vCPU ran: paging mode fixed */

	struct mutex mem_lock;
	struct xarray pinned; /* gfn -> struct page *, every page the guest may map */
	unsigned long nr_pinned;
	u32 block_pages;     /* demand-paging granule in pages (1 = MAP_GUEST) */
	u64 *block_buf;      /* HV_ABI_BLOCK_BUF_PFNS pfns for MAP_GUEST_BLOCK */
	u32 hyp_batch_pages; /* pfns per MAP_GUEST_BLOCK call */
	struct {             /* under mem_lock; debugfs demand_paging */
		u64 faults;  /* page faults served by pinning and mapping */
		u64 pages;   /* pages those faults mapped */
		u64 relinquished;
	} paging;
	struct dentry *debugfs; /* gzvm/<pid>-<vmid> */

	struct mutex ioevent_lock;
	struct list_head ioevents;
	spinlock_t irqfd_lock;
	struct list_head irqfds;
};

/* gzvm_hyp.c: hypercalls (SMCCC 1.1 fast SMC64 through the firmware conduit). */
struct gzvm_hyp_res {
	s64 ret; /* a0 as a signed ABI code */
	u64 a1, a2, a3;
};
int gzvm_hypcall(u32 fn, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, u64 a6, u64 a7,
                 struct gzvm_hyp_res *res);
int gzvm_discover(void);
/* The hypervisor's batch sizes, queried once at probe (as MediaTek's
 * driver): pfns per MAP_GUEST_BLOCK, pages per DESTROY_VM call. */
#define GZVM_DESTROY_BATCH_DEFAULT 128u /* GenieZone's default */
extern u32 gzvm_hyp_batch_pages;
extern u64 gzvm_destroy_batch_pages;
/* One "no hvcore hypervisor (why); /dev/gzvm not registered" line; -ENODEV. */
__printf(1, 2) int gzvm_decline(const char *fmt, ...);

/* gzvm_vm.c */
long gzvm_dev_create_vm(unsigned long vm_type);
void gzvm_vm_get(struct gzvm_vm *vm);
void gzvm_vm_put(struct gzvm_vm *vm);
int gzvm_vm_irq_line(struct gzvm_vm *vm, u32 num, u32 vcpu, u32 level);
void gzvm_vm_wake_vcpus(struct gzvm_vm *vm, u64 mask);

/* gzvm_mem.c */
int gzvm_mem_set_region(struct gzvm_vm *vm, const struct hv_gzvm_userspace_memory_region *r);
int gzvm_mem_enable_block_paging(struct gzvm_vm *vm, u32 block_pages);
int gzvm_mem_set_block_pages(struct gzvm_vm *vm, u32 block_pages);
int gzvm_mem_handle_fault(struct gzvm_vm *vm, u64 gpa);
int gzvm_mem_relinquish(struct gzvm_vm *vm, u64 gpa);
bool gzvm_mem_range_in_slots(struct gzvm_vm *vm, u64 gpa, u64 size);
void gzvm_mem_release(struct gzvm_vm *vm);

/* gzvm_vcpu.c */
int gzvm_vm_create_vcpu(struct gzvm_vm *vm, unsigned long id);
void gzvm_vcpu_destroy(struct gzvm_vcpu *vcpu);
void gzvm_vcpu_kick(struct gzvm_vcpu *vcpu);
void gzvm_vcpu_clock_init(void);

/* gzvm_debugfs.c: GenieZone's per-VM statistics files and the EL2 trace. */
void gzvm_debugfs_init(void);
void gzvm_debugfs_exit(void);
void gzvm_debugfs_vm_add(struct gzvm_vm *vm);
void gzvm_debugfs_vm_remove(struct gzvm_vm *vm);

/* gzvm_eventfd.c */
int gzvm_irqfd(struct gzvm_vm *vm, const struct hv_gzvm_irqfd *args);
int gzvm_ioeventfd(struct gzvm_vm *vm, const struct hv_gzvm_ioeventfd *args);
bool gzvm_ioevent_write(struct gzvm_vm *vm, u64 addr, u64 len, const u8 data[8]);
void gzvm_eventfd_release(struct gzvm_vm *vm);
int gzvm_eventfd_init(void);
void gzvm_eventfd_exit(void);

#endif /* GZVM_H */
