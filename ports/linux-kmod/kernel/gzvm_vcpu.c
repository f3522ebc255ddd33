// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * vCPUs and the vCPU fd. ioctls:
 *   RUN          (_IO as MediaTek's number, yet the argument is a user
 *                pointer to struct hv_abi_vcpu_run) runs until an exit
 *                userspace must see; copied in (the answer to the previous
 *                exit: MMIO load data, hypercall results; immediate_exit)
 *                and out
 *   SET_ONE_REG  (_IOW {id, addr}) a 32- or 64-bit register, value at addr
 *   GET_ONE_REG  (_IOW {id, addr}) the register written to addr (an
 *                extension: MediaTek's driver answers -EOPNOTSUPP)
 *
 * Exits served in the kernel, RUN re-enters the guest:
 *   IRQ, GZ         the host had work; re-enter
 *   MMIO write      claimed by an ioeventfd: signal it
 *   EXCEPTION       PAGE_FAULT inside a memslot with every reserved word
 *                   zero (MediaTek's rule): pin and map (gzvm_mem.c)
 *   HYPERCALL       MEM_RELINQUISH: unpin the page, answer SUCCESS;
 *                   PTP: answer wall clock and counter sampled together
 *   IDLE            MediaTek's rule: only if hwstate.vtimer_migrate is set,
 *                   sleep this thread for (vtimer_delay * mult) >> shift ns
 *                   (the counter's clocksource factors) or until this vCPU
 *                   is woken (IRQ_LINE or IPI naming it) or a signal; with
 *                   migrate 0 re-enter at once
 *   IPI             wake the vCPUs named in hypercall.args[0]
 * Everything else returns to userspace. A pending signal ends RUN with
 * -EINTR after INFORM_EXIT.
 */
#include <linux/anon_inodes.h>
#include <linux/arm-smccc.h>
#include <linux/clocksource.h>
#include <linux/clocksource_ids.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/timekeeping.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <asm/arch_timer.h>

#include "gzvm.h"
#include "gzvm_trace.h"

/* ns = (ticks * mult) >> shift for the architected counter, as a
 * clocksource would convert it (computed once, gzvm_vcpu_clock_init). */
static u32 counter_mult, counter_shift;

void gzvm_vcpu_clock_init(void)
{
	/* mult fits 32 bits; a delay of at most HV_ABI_IDLE_MAX_DELAY ticks
	 * (the hypervisor's bound) cannot overflow the 64-bit product. */
	clocks_calc_mult_shift(&counter_mult, &counter_shift, arch_timer_get_cntfrq(), NSEC_PER_SEC,
	                       3600);
}

void gzvm_vcpu_kick(struct gzvm_vcpu *vcpu)
{
	atomic_set(&vcpu->wake, 1);
	wake_up_interruptible(&vcpu->wq);
}

static enum hrtimer_restart vtimer_expired(struct hrtimer *timer)
{
	gzvm_vcpu_kick(container_of(timer, struct gzvm_vcpu, timer));
	return HRTIMER_NORESTART;
}

static u64 tuple(const struct gzvm_vcpu *vcpu)
{
	return HV_ABI_TUPLE(vcpu->vm->vmid, vcpu->id);
}

/* IDLE exit, MediaTek's rule: block only with migrate set, for the delay
 * or until woken; only this vCPU's timer is armed. */
static int vcpu_idle(struct gzvm_vcpu *vcpu)
{
	u32 migrate = READ_ONCE(vcpu->hwstate->vtimer_migrate);
	u64 delay = READ_ONCE(vcpu->hwstate->vtimer_delay);
	int ret;

	if (!migrate)
		return 0; /* re-enter at once */
	if (delay > HV_ABI_IDLE_MAX_DELAY)
		delay = HV_ABI_IDLE_MAX_DELAY; /* a hypervisor past its bound */
	hrtimer_start(&vcpu->timer, ns_to_ktime((delay * counter_mult) >> counter_shift),
	              HRTIMER_MODE_REL);
	ret = wait_event_interruptible(vcpu->wq, atomic_xchg(&vcpu->wake, 0));
	hrtimer_cancel(&vcpu->timer);
	return ret ? -EINTR : 0;
}

/* MediaTek's driver serves a page fault only with these all zero. */
static bool reserved_zero(const struct hv_abi_vcpu_run *run)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(run->exception.reserved); i++)
		if (READ_ONCE(run->exception.reserved[i]))
			return false;
	return true;
}

/* Guest PTP call: wall clock and counter at one instant, into args[0..3]
 * (SMCCC NOT_SUPPORTED in args[0] for an unknown counter or when the
 * kernel's clock is not the architected counter). */
static void answer_ptp(struct gzvm_vcpu *vcpu)
{
	u64 *args = vcpu->run->hypercall.args;
	struct system_time_snapshot snap;
	u64 which = READ_ONCE(args[1]), cycles;

	memset(args, 0, 4 * sizeof(args[0]));
	args[0] = (u64)(s64)SMCCC_RET_NOT_SUPPORTED;
	ktime_get_snapshot(&snap);
	if (snap.cs_id != CSID_ARM_ARCH_COUNTER)
		return;
	if (which == HV_ABI_PTP_VIRT_COUNTER)
		cycles = snap.cycles - READ_ONCE(vcpu->hwstate->vtimer_offset);
	else if (which == HV_ABI_PTP_PHYS_COUNTER)
		cycles = snap.cycles;
	else
		return;
	args[0] = upper_32_bits(ktime_to_ns(snap.real));
	args[1] = lower_32_bits(ktime_to_ns(snap.real));
	args[2] = upper_32_bits(cycles);
	args[3] = lower_32_bits(cycles);
}

/* Run until an exit for userspace (0) or an error. */
static int run_loop(struct gzvm_vcpu *vcpu)
{
	struct hv_abi_vcpu_run *run = vcpu->run;
	struct gzvm_vm *vm = vcpu->vm;
	struct gzvm_hyp_res res;
	int ret;

	for (;;) {
		if (signal_pending(current)) {
			gzvm_hypcall(HV_ABI_INFORM_EXIT, vm->vmid, 0, 0, 0, 0, 0, 0, NULL);
			return -EINTR;
		}
		cond_resched();
		ret = gzvm_hypcall(HV_ABI_RUN, tuple(vcpu), 0, 0, 0, 0, 0, 0, &res);
		if (ret == -EAGAIN)
			continue;
		if (ret)
			return ret;
		trace_mtk_vcpu_exit((u32)res.a1);
		/* The reason in a1 is the one that counts; userspace reads it
		 * from the copy of the run page. */
		WRITE_ONCE(run->exit_reason, (u32)res.a1);
		switch ((u32)res.a1) {
		case HV_ABI_EXIT_IRQ:
		case HV_ABI_EXIT_GZ: continue;
		case HV_ABI_EXIT_MMIO:
			if (READ_ONCE(run->mmio.is_write) &&
			    gzvm_ioevent_write(vm, READ_ONCE(run->mmio.phys_addr),
			                       READ_ONCE(run->mmio.size), run->mmio.data))
				continue;
			break;
		case HV_ABI_EXIT_EXCEPTION:
			if (READ_ONCE(run->exception.exception) != HV_ABI_EXCEPTION_PAGE_FAULT ||
			    !reserved_zero(run))
				break;
			ret = gzvm_mem_handle_fault(vm, READ_ONCE(run->exception.fault_gpa));
			if (ret == -ENOENT)
				break; /* outside every memslot: userspace decides */
			if (ret)
				return ret;
			continue;
		case HV_ABI_EXIT_HYPERCALL:
			switch (READ_ONCE(run->hypercall.args[0])) {
			case HV_ABI_GUEST_MEM_RELINQUISH:
				gzvm_mem_relinquish(vm, READ_ONCE(run->hypercall.args[1]));
				memset(run->hypercall.args, 0, 4 * sizeof(run->hypercall.args[0]));
				continue;
			case HV_ABI_GUEST_PTP: answer_ptp(vcpu); continue;
			default: break;
			}
			break;
		case HV_ABI_EXIT_IDLE:
			vcpu_idle(vcpu); /* a signal: the check above ends RUN */
			continue;
		case HV_ABI_EXIT_IPI:
			gzvm_vm_wake_vcpus(vm, READ_ONCE(run->hypercall.args[0]));
			continue;
		default: break;
		}
		vcpu->last_exit = (u32)res.a1;
		return 0;
	}
}

/* Userspace's answer to the exit it saw goes to the shared page; nothing
 * else of its copy reaches the hypervisor. */
static void take_answer(struct gzvm_vcpu *vcpu, const struct hv_abi_vcpu_run *in)
{
	struct hv_abi_vcpu_run *run = vcpu->run;

	switch (vcpu->last_exit) {
	case HV_ABI_EXIT_MMIO:
		/* Nothing at that address: the guest takes an external abort
		 * (vcpu_run() refused any other non-zero value). */
		run->mmio.host_abort = in->mmio.host_abort;
		if (!run->mmio.is_write && !in->mmio.host_abort)
			memcpy(run->mmio.data, in->mmio.data, sizeof(run->mmio.data));
		break;
	case HV_ABI_EXIT_HYPERCALL:
		memcpy(run->hypercall.args, in->hypercall.args, 4 * sizeof(in->hypercall.args[0]));
		break;
	default: break;
	}
	vcpu->last_exit = 0;
}

static long vcpu_run(struct gzvm_vcpu *vcpu, struct hv_abi_vcpu_run __user *urun)
{
	struct hv_abi_vcpu_run *in;
	long ret;

	in = kmalloc(sizeof(*in), GFP_KERNEL);
	if (!in)
		return -ENOMEM;
	if (copy_from_user(in, urun, sizeof(*in))) {
		kfree(in);
		return -EFAULT;
	}
	if (in->padding1[0] || in->padding1[1] || in->padding1[2] || in->immediate_exit > 1 ||
	    (vcpu->last_exit == HV_ABI_EXIT_MMIO && in->mmio.host_abort > HV_ABI_MMIO_ABORT)) {
		kfree(in);
		return -EINVAL;
	}
	if (mutex_lock_killable(&vcpu->run_lock)) {
		kfree(in);
		return -EINTR;
	}
	mutex_lock(&vcpu->vm->lock);
	vcpu->vm->started = true;
	mutex_unlock(&vcpu->vm->lock);

	take_answer(vcpu, in);
	ret = in->immediate_exit ? -EINTR : run_loop(vcpu);
	memcpy(in, vcpu->run, sizeof(*in));
	/* Userspace hands this copy back: its reserved bytes must pass. */
	in->immediate_exit = 0;
	memset(in->padding1, 0, sizeof(in->padding1));
	if (copy_to_user(urun, in, sizeof(*in)))
		ret = -EFAULT;
	mutex_unlock(&vcpu->run_lock);
	kfree(in);
	return ret;
}

/* Copy in {id, addr}; returns the register's size (4 or 8) or an error. */
static int one_reg_arg(const struct hv_gzvm_one_reg __user *uarg, struct hv_gzvm_one_reg *reg)
{
	if (copy_from_user(reg, uarg, sizeof(*reg)))
		return -EFAULT;
	return gzvm_one_reg_size(reg->id);
}

/* GET/SET_ONE_REG hypercall, never during this vCPU's RUN. */
static long one_reg_call(struct gzvm_vcpu *vcpu, u32 fn, u64 id, u64 value,
                         struct gzvm_hyp_res *res)
{
	long ret;

	if (mutex_lock_killable(&vcpu->run_lock))
		return -EINTR;
	ret = gzvm_hypcall(fn, tuple(vcpu), id, value, 0, 0, 0, 0, res);
	mutex_unlock(&vcpu->run_lock);
	return ret;
}

static long set_one_reg(struct gzvm_vcpu *vcpu, const struct hv_gzvm_one_reg __user *uarg)
{
	struct hv_gzvm_one_reg reg;
	int size = one_reg_arg(uarg, &reg);
	u64 value;
	u32 v32;

	if (size < 0)
		return size;
	if (size == 8) {
		if (get_user(value, (u64 __user *)(uintptr_t)reg.addr))
			return -EFAULT;
	} else {
		if (get_user(v32, (u32 __user *)(uintptr_t)reg.addr))
			return -EFAULT;
		value = v32;
	}
	return one_reg_call(vcpu, HV_ABI_SET_ONE_REG, reg.id, value, NULL);
}

static long get_one_reg(struct gzvm_vcpu *vcpu, const struct hv_gzvm_one_reg __user *uarg)
{
	struct gzvm_hyp_res res;
	struct hv_gzvm_one_reg reg;
	int size = one_reg_arg(uarg, &reg);
	long ret;

	if (size < 0)
		return size;
	ret = one_reg_call(vcpu, HV_ABI_GET_ONE_REG, reg.id, 0, &res);
	if (ret)
		return ret;
	if (size == 8)
		return put_user(res.a1, (u64 __user *)(uintptr_t)reg.addr) ? -EFAULT : 0;
	return put_user((u32)res.a1, (u32 __user *)(uintptr_t)reg.addr) ? -EFAULT : 0;
}

static long gzvm_vcpu_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	struct gzvm_vcpu *vcpu = filp->private_data;

	if (vcpu->vm->mm != current->mm)
		return -EIO;
	switch (cmd) {
	case HV_GZVM_RUN: return vcpu_run(vcpu, (void __user *)arg);
	case HV_GZVM_SET_ONE_REG: return set_one_reg(vcpu, (void __user *)arg);
	case HV_GZVM_GET_ONE_REG: return get_one_reg(vcpu, (void __user *)arg);
	default: return -ENOTTY;
	}
}

static int gzvm_vcpu_release(struct inode *inode, struct file *filp)
{
	struct gzvm_vcpu *vcpu = filp->private_data;

	gzvm_vm_put(vcpu->vm);
	return 0;
}

static const struct file_operations gzvm_vcpu_fops = {
    .owner = THIS_MODULE,
    .release = gzvm_vcpu_release,
    .unlocked_ioctl = gzvm_vcpu_ioctl,
    .llseek = noop_llseek,
};

/* After the hypervisor let go of the vCPU (DESTROY_VM done). */
void gzvm_vcpu_destroy(struct gzvm_vcpu *vcpu)
{
	hrtimer_cancel(&vcpu->timer);
	__free_pages(vcpu->run_pages, 1);
	kfree(vcpu);
}

int gzvm_vm_create_vcpu(struct gzvm_vm *vm, unsigned long id)
{
	struct gzvm_vcpu *vcpu;
	int ret, fd;

	if (id >= HV_ABI_MAX_VCPUS)
		return -EINVAL;
	mutex_lock(&vm->lock);
	if (vm->vcpus[id]) {
		ret = -EEXIST;
		goto out;
	}
	vcpu = kzalloc(sizeof(*vcpu), GFP_KERNEL_ACCOUNT);
	if (!vcpu) {
		ret = -ENOMEM;
		goto out;
	}
	vcpu->run_pages = alloc_pages(GFP_KERNEL_ACCOUNT | __GFP_ZERO, 1);
	if (!vcpu->run_pages) {
		kfree(vcpu);
		ret = -ENOMEM;
		goto out;
	}
	vcpu->vm = vm;
	vcpu->id = (u32)id;
	vcpu->run = page_address(vcpu->run_pages);
	vcpu->hwstate = page_address(vcpu->run_pages + 1);
	mutex_init(&vcpu->run_lock);
	init_waitqueue_head(&vcpu->wq);
	atomic_set(&vcpu->wake, 0);
	hrtimer_init(&vcpu->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcpu->timer.function = vtimer_expired;

	ret = gzvm_hypcall(HV_ABI_CREATE_VCPU, tuple(vcpu), page_to_phys(vcpu->run_pages), 0, 0, 0,
	                   0, 0, NULL);
	if (ret) {
		gzvm_vcpu_destroy(vcpu);
		goto out;
	}
	/* From here the hypervisor holds the run area: the vCPU lives as
	 * long as the VM, whatever happens to its fd. */
	smp_store_release(&vm->vcpus[id], vcpu);
	gzvm_vm_get(vm);
	fd = anon_inode_getfd("gzvm-vcpu", &gzvm_vcpu_fops, vcpu, O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		gzvm_vm_put(vm); /* not the last reference: the VM fd is open */
		ret = fd;
		goto out;
	}
	ret = fd;
out:
	mutex_unlock(&vm->lock);
	return ret;
}
