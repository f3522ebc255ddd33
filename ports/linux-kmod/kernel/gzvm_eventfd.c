// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * irqfd and ioeventfd.
 *
 * irqfd: an eventfd whose signal raises SPI number gsi (INTID gsi + 32) with
 * IRQ_LINE level 1 and never lowers it, as MediaTek's driver; the
 * hypervisor makes each raise one delivery (no RESAMPLE). The eventfd's wait-queue callback
 * runs with the eventfd's lock held and cannot sleep: it consumes the count
 * and queues the injection, which runs on the system workqueue and wakes
 * only the vCPUs IRQ_LINE names. Closing the eventfd (EPOLLHUP), DEASSIGN
 * and VM destruction deactivate an irqfd: it leaves vm->irqfds under
 * irqfd_lock and its shutdown (unhook, wait for a running injection, free)
 * runs on gzvm_irqfd_wq, which DEASSIGN and VM destruction flush.
 *
 * ioeventfd: an MMIO write exit to (addr, len[, datamatch]) signals the
 * eventfd in the kernel and RUN re-enters the guest without a return to
 * userspace.
 */
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "gzvm.h"
#include "gzvm_compat.h"

struct gzvm_irqfd {
	struct gzvm_vm *vm;
	struct eventfd_ctx *eventfd;
	u32 num; /* SPI number: INTID num + 32 */
	wait_queue_entry_t wait;
	poll_table pt;
	struct work_struct inject;
	struct work_struct shutdown;
	struct list_head link; /* on vm->irqfds while active */
};

struct gzvm_ioevent {
	struct list_head link;
	struct hv_gzvm_ioeventfd args;
	struct eventfd_ctx *eventfd;
};

static struct workqueue_struct *gzvm_irqfd_wq;

static void irqfd_inject(struct work_struct *work)
{
	struct gzvm_irqfd *irqfd = container_of(work, struct gzvm_irqfd, inject);

	gzvm_vm_irq_line(irqfd->vm, irqfd->num, 0, 1);
}

static void irqfd_shutdown(struct work_struct *work)
{
	struct gzvm_irqfd *irqfd = container_of(work, struct gzvm_irqfd, shutdown);
	u64 cnt;

	eventfd_ctx_remove_wait_queue(irqfd->eventfd, &irqfd->wait, &cnt);
	flush_work(&irqfd->inject);
	eventfd_ctx_put(irqfd->eventfd);
	kfree(irqfd);
}

/* vm->irqfd_lock held. */
static void irqfd_deactivate(struct gzvm_irqfd *irqfd)
{
	list_del_init(&irqfd->link);
	queue_work(gzvm_irqfd_wq, &irqfd->shutdown);
}

/* Called by the eventfd with its wait-queue lock held. */
static int irqfd_wakeup(wait_queue_entry_t *wait, unsigned int mode, int sync, void *key)
{
	struct gzvm_irqfd *irqfd = container_of(wait, struct gzvm_irqfd, wait);
	__poll_t flags = key_to_poll(key);
	unsigned long irqflags;
	u64 cnt;

	if (flags & EPOLLIN) {
		eventfd_ctx_do_read(irqfd->eventfd, &cnt);
		schedule_work(&irqfd->inject);
	}
	if (flags & EPOLLHUP) {
		spin_lock_irqsave(&irqfd->vm->irqfd_lock, irqflags);
		if (!list_empty(&irqfd->link))
			irqfd_deactivate(irqfd);
		spin_unlock_irqrestore(&irqfd->vm->irqfd_lock, irqflags);
	}
	return 0;
}

static void irqfd_queue_proc(struct file *file, wait_queue_head_t *wqh, poll_table *pt)
{
	struct gzvm_irqfd *irqfd = container_of(pt, struct gzvm_irqfd, pt);

	add_wait_queue(wqh, &irqfd->wait);
}

static int irqfd_assign(struct gzvm_vm *vm, int fd, u32 num)
{
	struct gzvm_irqfd *irqfd, *other;
	struct eventfd_ctx *eventfd;
	struct fd f;
	__poll_t events;
	int ret = 0;

	f = fdget(fd);
	if (!fd_file(f))
		return -EBADF;
	eventfd = eventfd_ctx_fileget(fd_file(f));
	if (IS_ERR(eventfd)) {
		ret = PTR_ERR(eventfd);
		goto out_fd;
	}
	irqfd = kzalloc(sizeof(*irqfd), GFP_KERNEL_ACCOUNT);
	if (!irqfd) {
		ret = -ENOMEM;
		goto out_ctx;
	}
	irqfd->vm = vm;
	irqfd->eventfd = eventfd;
	irqfd->num = num;
	INIT_LIST_HEAD(&irqfd->link);
	INIT_WORK(&irqfd->inject, irqfd_inject);
	INIT_WORK(&irqfd->shutdown, irqfd_shutdown);
	init_waitqueue_func_entry(&irqfd->wait, irqfd_wakeup);
	init_poll_funcptr(&irqfd->pt, irqfd_queue_proc);

	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry(other, &vm->irqfds, link)
	{
		if (other->eventfd == eventfd) {
			spin_unlock_irq(&vm->irqfd_lock);
			kfree(irqfd);
			ret = -EBUSY; /* one eventfd, one interrupt */
			goto out_ctx;
		}
	}
	list_add_tail(&irqfd->link, &vm->irqfds);
	spin_unlock_irq(&vm->irqfd_lock);

	/* Hook the wait queue; an eventfd signalled before now injects once. */
	events = vfs_poll(fd_file(f), &irqfd->pt);
	if (events & EPOLLIN)
		schedule_work(&irqfd->inject);
	fdput(f);
	return 0;

out_ctx:
	eventfd_ctx_put(eventfd);
out_fd:
	fdput(f);
	return ret;
}

static int irqfd_deassign(struct gzvm_vm *vm, int fd, u32 num)
{
	struct gzvm_irqfd *irqfd, *tmp;
	struct eventfd_ctx *eventfd = eventfd_ctx_fdget(fd);
	int ret = -ENOENT;

	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);
	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(irqfd, tmp, &vm->irqfds, link)
	{
		if (irqfd->eventfd == eventfd && irqfd->num == num) {
			irqfd_deactivate(irqfd);
			ret = 0;
		}
	}
	spin_unlock_irq(&vm->irqfd_lock);
	eventfd_ctx_put(eventfd);
	/* Gone, with any injection in flight, when DEASSIGN returns. */
	flush_workqueue(gzvm_irqfd_wq);
	return ret;
}

int gzvm_irqfd(struct gzvm_vm *vm, const struct hv_gzvm_irqfd *args)
{
	u32 num;
	int ret = gzvm_check_irqfd(args, &num);

	if (ret)
		return ret;
	if (args->flags & HV_GZVM_IRQFD_FLAG_DEASSIGN)
		return irqfd_deassign(vm, (int)args->fd, num);
	return irqfd_assign(vm, (int)args->fd, num);
}

int gzvm_ioeventfd(struct gzvm_vm *vm, const struct hv_gzvm_ioeventfd *args)
{
	struct gzvm_ioevent *ev, *tmp, *found = NULL;
	struct eventfd_ctx *eventfd;
	int ret = gzvm_check_ioeventfd(args);

	if (ret)
		return ret;
	eventfd = eventfd_ctx_fdget(args->fd);
	if (IS_ERR(eventfd))
		return PTR_ERR(eventfd);

	mutex_lock(&vm->ioevent_lock);
	list_for_each_entry_safe(ev, tmp, &vm->ioevents, link)
	{
		if (gzvm_ioeventfd_same(&ev->args, args)) {
			found = ev;
			break;
		}
	}
	if (args->flags & HV_GZVM_IOEVENTFD_FLAG_DEASSIGN) {
		if (found && found->eventfd == eventfd) {
			list_del(&found->link);
			eventfd_ctx_put(found->eventfd);
			kfree(found);
		} else {
			ret = -ENOENT;
		}
		eventfd_ctx_put(eventfd);
	} else if (found) {
		ret = -EEXIST;
		eventfd_ctx_put(eventfd);
	} else {
		ev = kzalloc(sizeof(*ev), GFP_KERNEL_ACCOUNT);
		if (ev) {
			ev->args = *args;
			ev->eventfd = eventfd; /* the reference moves to ev */
			list_add_tail(&ev->link, &vm->ioevents);
		} else {
			ret = -ENOMEM;
			eventfd_ctx_put(eventfd);
		}
	}
	mutex_unlock(&vm->ioevent_lock);
	return ret;
}

bool gzvm_ioevent_write(struct gzvm_vm *vm, u64 addr, u64 len, const u8 data[8])
{
	struct gzvm_ioevent *ev;
	bool hit = false;

	mutex_lock(&vm->ioevent_lock);
	list_for_each_entry(ev, &vm->ioevents, link)
	{
		if (gzvm_ioeventfd_matches(&ev->args, addr, len, data)) {
			gzvm_eventfd_signal(ev->eventfd);
			hit = true;
			break;
		}
	}
	mutex_unlock(&vm->ioevent_lock);
	return hit;
}

void gzvm_eventfd_release(struct gzvm_vm *vm)
{
	struct gzvm_irqfd *irqfd, *itmp;
	struct gzvm_ioevent *ev, *etmp;

	spin_lock_irq(&vm->irqfd_lock);
	list_for_each_entry_safe(irqfd, itmp, &vm->irqfds, link) irqfd_deactivate(irqfd);
	spin_unlock_irq(&vm->irqfd_lock);
	flush_workqueue(gzvm_irqfd_wq);

	list_for_each_entry_safe(ev, etmp, &vm->ioevents, link)
	{
		list_del(&ev->link);
		eventfd_ctx_put(ev->eventfd);
		kfree(ev);
	}
}

int gzvm_eventfd_init(void)
{
	gzvm_irqfd_wq = alloc_workqueue("gzvm-irqfd-cleanup", 0, 0);
	return gzvm_irqfd_wq ? 0 : -ENOMEM;
}

void gzvm_eventfd_exit(void)
{
	destroy_workqueue(gzvm_irqfd_wq);
}
