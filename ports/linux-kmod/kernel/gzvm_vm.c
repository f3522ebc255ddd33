// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * VM objects and the VM fd. ioctls (all from the process that created the
 * VM; another mm gets -EIO):
 *   CREATE_VCPU             (_IO, arg: vCPU id < HV_ABI_MAX_VCPUS) -> vCPU fd
 *   SET_USER_MEMORY_REGION  (_IOW) anonymous or shmem memory, demand paged
 *   IRQ_LINE                (_IOW) an SPI by number (the hypervisor adds
 *                           32); wakes only the vCPUs the hypervisor names
 *                           (an extension: a1 of IRQ_LINE); refused by the
 *                           hypervisor: -EFAULT, as MediaTek's driver
 *   IRQFD, IOEVENTFD        (_IOW) see gzvm_eventfd.c
 *   ENABLE_CAP              (_IOW) BLOCK_BASED_DEMAND_PAGING, passed on
 *                           with args[1] = 0 (the driver's pfn page stays);
 *                           PROTECTED_VM SET_PROTECTED_VM, passed on
 *   CREATE_DEVICE           (_IOWR) vGICv3 distributor / redistributors
 *   SET_DTB_CONFIG          (_IOW) guest-physical DTB inside a memslot
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "gzvm.h"

static const struct file_operations gzvm_vm_fops;

void gzvm_vm_get(struct gzvm_vm *vm)
{
	kref_get(&vm->ref);
}

/* DESTROY_VM in bounded batches, re-issued while the hypervisor is BUSY. */
static int destroy_in_hyp(struct gzvm_vm *vm)
{
	u64 batch = gzvm_destroy_batch_pages;
	int ret;

	for (;;) {
		ret = gzvm_hypcall(HV_ABI_DESTROY_VM, vm->vmid, batch, 0, 0, 0, 0, 0, NULL);
		if (ret != -EAGAIN)
			return ret;
		cond_resched();
	}
}

static void gzvm_vm_free(struct kref *ref)
{
	struct gzvm_vm *vm = container_of(ref, struct gzvm_vm, ref);
	int ret;

	gzvm_debugfs_vm_remove(vm); /* waits for its readers */
	gzvm_eventfd_release(vm);
	for (unsigned int i = 0; i < HV_ABI_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			gzvm_hypcall(HV_ABI_DESTROY_VCPU, HV_ABI_TUPLE(vm->vmid, i), 0, 0, 0, 0, 0,
			             0, NULL);
	ret = destroy_in_hyp(vm);
	if (ret) {
		/* The hypervisor may still map our pages: keep them pinned and
		 * the run areas allocated rather than hand them back. */
		pr_err(GZVM_NAME ": DESTROY_VM %u failed (%d): guest memory stays pinned\n",
		       vm->vmid, ret);
		mmdrop(vm->mm);
		return;
	}
	for (unsigned int i = 0; i < HV_ABI_MAX_VCPUS; i++)
		if (vm->vcpus[i])
			gzvm_vcpu_destroy(vm->vcpus[i]);
	gzvm_mem_release(vm);
	mmdrop(vm->mm);
	kfree(vm);
}

void gzvm_vm_put(struct gzvm_vm *vm)
{
	kref_put(&vm->ref, gzvm_vm_free);
}

long gzvm_dev_create_vm(unsigned long vm_type)
{
	struct gzvm_hyp_res res;
	struct gzvm_vm *vm;
	int ret, fd;

	if (vm_type != HV_GZVM_VM_TYPE_DEFAULT)
		return -EINVAL;
	vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);
	if (!vm)
		return -ENOMEM;
	ret = gzvm_hypcall(HV_ABI_CREATE_VM, vm_type, 0, 0, 0, 0, 0, 0, &res);
	if (ret)
		goto out_free;
	if (res.a1 >= HV_ABI_INVALID_VMID) {
		ret = -EINVAL; /* a hypervisor bug: nothing we could destroy */
		goto out_free;
	}
	vm->vmid = (u16)res.a1;
	kref_init(&vm->ref);
	mutex_init(&vm->lock);
	mutex_init(&vm->mem_lock);
	mutex_init(&vm->ioevent_lock);
	spin_lock_init(&vm->irqfd_lock);
	INIT_LIST_HEAD(&vm->ioevents);
	INIT_LIST_HEAD(&vm->irqfds);
	xa_init(&vm->pinned);
	vm->block_pages = 1;
	vm->mm = current->mm;
	mmgrab(vm->mm);

	/* MediaTek's sequence: demand paging, then block-based demand paging
	 * (2 MiB blocks, the driver's pfn page), then idle exits. Memory comes
	 * on demand (pinned at the first fault); the hypervisor must agree. A
	 * hypervisor without idle exits idles by itself. */
	ret = gzvm_hypcall(HV_ABI_ENABLE_CAP, vm->vmid, HV_ABI_CAP_ENABLE_DEMAND_PAGING, 0, 0, 0, 0,
	                   0, NULL);
	if (!ret)
		ret = gzvm_mem_enable_block_paging(vm, HV_ABI_BLOCK_BUF_PFNS);
	if (!ret) {
		ret = gzvm_hypcall(HV_ABI_ENABLE_CAP, vm->vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0, 0,
		                   0, NULL);
		if (ret == -EOPNOTSUPP)
			ret = 0;
	}
	vm->hyp_batch_pages = gzvm_hyp_batch_pages;
	if (ret)
		goto out_put;

	gzvm_debugfs_vm_add(vm);
	fd = anon_inode_getfd("gzvm-vm", &gzvm_vm_fops, vm, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		ret = fd;
		goto out_put;
	}
	return fd;

out_put:
	gzvm_vm_put(vm);
	return ret;
out_free:
	kfree(vm);
	return ret;
}

void gzvm_vm_wake_vcpus(struct gzvm_vm *vm, u64 mask)
{
	for (unsigned int i = 0; i < HV_ABI_MAX_VCPUS; i++) {
		struct gzvm_vcpu *vcpu;

		if (!(mask & HV_ABI_VCPU_BIT(i)))
			continue;
		vcpu = smp_load_acquire(&vm->vcpus[i]);
		if (vcpu)
			gzvm_vcpu_kick(vcpu);
	}
}

int gzvm_vm_irq_line(struct gzvm_vm *vm, u32 num, u32 vcpu, u32 level)
{
	struct gzvm_hyp_res res;
	int ret = gzvm_hypcall(HV_ABI_IRQ_LINE, HV_ABI_TUPLE(vm->vmid, vcpu), num, level, 0, 0, 0,
	                       0, &res);

	if (ret)
		return -EFAULT; /* MediaTek's driver: any refusal */
	gzvm_vm_wake_vcpus(vm, res.a1);
	return 0;
}

static int irq_line(struct gzvm_vm *vm, const struct hv_gzvm_irq_level *args)
{
	struct gzvm_irq_line line;
	int ret = gzvm_decode_irq_line(args, &line);

	return ret ? ret : gzvm_vm_irq_line(vm, line.num, line.vcpu, line.level);
}

/* A protected VM: the hypervisor refuses it once a memslot exists. */
static int set_protected(struct gzvm_vm *vm)
{
	int ret;

	mutex_lock(&vm->lock);
	ret = gzvm_hypcall(HV_ABI_ENABLE_CAP, vm->vmid, HV_ABI_CAP_PROTECTED_VM,
	                   HV_ABI_PVM_SET_PROTECTED_VM, 0, 0, 0, 0, NULL);
	mutex_unlock(&vm->lock);
	return ret;
}

static int enable_cap(struct gzvm_vm *vm, const struct hv_gzvm_enable_cap *args)
{
	u32 block_pages;
	int ret;

	if (args->cap == HV_ABI_CAP_PROTECTED_VM)
		return gzvm_check_protected_cap(args) ?: set_protected(vm);
	ret = gzvm_check_enable_cap(args, &block_pages);

	return ret ? ret : gzvm_mem_set_block_pages(vm, block_pages);
}

static int create_device(struct gzvm_vm *vm, const struct hv_abi_create_device *args)
{
	unsigned long page;
	int ret = gzvm_check_create_device(args);

	if (ret)
		return ret;
	/* The hypervisor reads the description from a page of ours. */
	page = get_zeroed_page(GFP_KERNEL);
	if (!page)
		return -ENOMEM;
	memcpy((void *)page, args, sizeof(*args));
	ret = gzvm_hypcall(HV_ABI_CREATE_DEVICE, vm->vmid, virt_to_phys((void *)page), 0, 0, 0, 0,
	                   0, NULL);
	free_page(page);
	return ret;
}

static int set_dtb_config(struct gzvm_vm *vm, const struct hv_gzvm_dtb_config *args)
{
	int ret = gzvm_check_dtb_config(args);

	if (ret)
		return ret;
	if (!gzvm_mem_range_in_slots(vm, args->dtb_addr, args->dtb_size))
		return -EINVAL;
	return gzvm_hypcall(HV_ABI_SET_DTB_CONFIG, vm->vmid, args->dtb_addr, args->dtb_size, 0, 0,
	                    0, 0, NULL);
}

/* Copy the ioctl's argument struct in, run `call` on it. */
#define WITH_ARG(type, call)                                                                       \
	({                                                                                         \
		type a;                                                                            \
		copy_from_user(&a, argp, sizeof(a)) ? -EFAULT : (call)(vm, &a);                    \
	})

static long gzvm_vm_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct gzvm_vm *vm = filp->private_data;
	void __user *argp = (void __user *)arg;

	if (vm->mm != current->mm)
		return -EIO;
	switch (cmd) {
	case HV_GZVM_CREATE_VCPU: return gzvm_vm_create_vcpu(vm, arg);
	case HV_GZVM_SET_USER_MEMORY_REGION:
		return WITH_ARG(struct hv_gzvm_userspace_memory_region, gzvm_mem_set_region);
	case HV_GZVM_IRQ_LINE: return WITH_ARG(struct hv_gzvm_irq_level, irq_line);
	case HV_GZVM_IRQFD: return WITH_ARG(struct hv_gzvm_irqfd, gzvm_irqfd);
	case HV_GZVM_IOEVENTFD: return WITH_ARG(struct hv_gzvm_ioeventfd, gzvm_ioeventfd);
	case HV_GZVM_ENABLE_CAP: return WITH_ARG(struct hv_gzvm_enable_cap, enable_cap);
	case HV_GZVM_CREATE_DEVICE: return WITH_ARG(struct hv_abi_create_device, create_device);
	case HV_GZVM_SET_DTB_CONFIG: return WITH_ARG(struct hv_gzvm_dtb_config, set_dtb_config);
	default: return -ENOTTY;
	}
}

static int gzvm_vm_release(struct inode *inode, struct file *filp)
{
	gzvm_vm_put(filp->private_data);
	return 0;
}

static const struct file_operations gzvm_vm_fops = {
    .owner = THIS_MODULE,
    .release = gzvm_vm_release,
    .unlocked_ioctl = gzvm_vm_ioctl,
    .llseek = noop_llseek,
};
