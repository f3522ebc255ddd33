// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * debugfs, as MediaTek's GenieZone driver lays it out, plus the EL2 trace:
 *   gzvm/<pid>-<vmid>/protected_hyp_mem     GET_STATISTICS a1: bytes the
 *                                           hypervisor holds for the VM
 *   gzvm/<pid>-<vmid>/protected_shared_mem  GET_STATISTICS a2: bytes shared
 *                                           (both "%llu\n", as GenieZone's;
 *                                           theirs pads the read to 20
 *                                           bytes with NULs, ours does not)
 *   gzvm/<pid>-<vmid>/pinned_pages          pages pinned for the guest now
 *   gzvm/<pid>-<vmid>/demand_paging         "faults F pages P relinquished R":
 *                                           faults served in the kernel,
 *                                           pages they mapped, pages the
 *                                           guest gave back (extension)
 *   gzvm/el2_trace_enable                   write 1 / 0: the hypervisor's
 *                                           event trace on / off (TRACE_CTL)
 *   gzvm/el2_trace                          the hypervisor's per-CPU event
 *                                           rings, read at open (TRACE_READ),
 *                                           in scripts/hvtrace's format
 * A VM's directory goes before the VM is destroyed; debugfs_remove waits
 * for readers in progress, so a reader never names a destroyed VM.
 */
#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/arch_timer.h>

#include "gzvm.h"

static struct dentry *gzvm_debugfs_root;

/* ---- Per VM. */

static ssize_t read_text(char __user *buf, size_t len, loff_t *pos, const char *text)
{
	return simple_read_from_buffer(buf, len, pos, text, strlen(text));
}

static ssize_t vm_stat_read(struct file *f, char __user *buf, size_t len, loff_t *pos, bool shared)
{
	struct gzvm_vm *vm = f->private_data;
	struct gzvm_hyp_res res;
	char text[24];
	int ret = gzvm_hypcall(HV_ABI_GET_STATISTICS, vm->vmid, 0, 0, 0, 0, 0, 0, &res);

	if (ret)
		return ret;
	snprintf(text, sizeof(text), "%llu\n", shared ? res.a2 : res.a1);
	return read_text(buf, len, pos, text);
}

static ssize_t hyp_mem_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return vm_stat_read(f, buf, len, pos, false);
}

static ssize_t shared_mem_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return vm_stat_read(f, buf, len, pos, true);
}

static ssize_t pinned_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	struct gzvm_vm *vm = f->private_data;
	char text[24];

	mutex_lock(&vm->mem_lock);
	snprintf(text, sizeof(text), "%lu\n", vm->nr_pinned);
	mutex_unlock(&vm->mem_lock);
	return read_text(buf, len, pos, text);
}

static ssize_t paging_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	struct gzvm_vm *vm = f->private_data;
	char text[96];

	mutex_lock(&vm->mem_lock);
	snprintf(text, sizeof(text), "faults %llu pages %llu relinquished %llu\n",
	         vm->paging.faults, vm->paging.pages, vm->paging.relinquished);
	mutex_unlock(&vm->mem_lock);
	return read_text(buf, len, pos, text);
}

#define GZVM_RO_FOPS(name, fn)                                                                     \
	static const struct file_operations name = {                                               \
	    .owner = THIS_MODULE,                                                                  \
	    .open = simple_open,                                                                   \
	    .read = fn,                                                                            \
	    .llseek = default_llseek,                                                              \
	}
GZVM_RO_FOPS(hyp_mem_fops, hyp_mem_read);
GZVM_RO_FOPS(shared_mem_fops, shared_mem_read);
GZVM_RO_FOPS(pinned_fops, pinned_read);
GZVM_RO_FOPS(paging_fops, paging_read);

void gzvm_debugfs_vm_add(struct gzvm_vm *vm)
{
	char name[32];

	if (IS_ERR_OR_NULL(gzvm_debugfs_root))
		return;
	snprintf(name, sizeof(name), "%d-%u", task_pid_nr(current), vm->vmid);
	vm->debugfs = debugfs_create_dir(name, gzvm_debugfs_root);
	if (IS_ERR(vm->debugfs))
		return;
	debugfs_create_file("protected_hyp_mem", 0444, vm->debugfs, vm, &hyp_mem_fops);
	debugfs_create_file("protected_shared_mem", 0444, vm->debugfs, vm, &shared_mem_fops);
	debugfs_create_file("pinned_pages", 0444, vm->debugfs, vm, &pinned_fops);
	debugfs_create_file("demand_paging", 0444, vm->debugfs, vm, &paging_fops);
}

void gzvm_debugfs_vm_remove(struct gzvm_vm *vm)
{
	if (!IS_ERR_OR_NULL(vm->debugfs))
		debugfs_remove_recursive(vm->debugfs);
	vm->debugfs = NULL;
}

/* ---- The EL2 event trace (hv/abi.h TRACE_CTL, TRACE_READ). */

#define TRACE_CHUNK_ORDER 2 /* 16 KiB = HV_ABI_TRACE_READ_MAX per call */
#define TRACE_MAX_RINGS   64u
#define TRACE_RING_MAX    (1u << 18) /* events taken from one ring per open, at most */
#define TRACE_LINE_MAX    96u

static DEFINE_MUTEX(trace_lock); /* trace_on */
static bool trace_on;

static const char *const trace_type_names[] = {"?",    "exit", "enter", "inject",
                                               "idle", "wake", "kick",  "call"};

struct trace_text {
	char *buf;
	size_t len, cap;
};

/* Room for one more line; false if the text cannot grow. */
static bool text_reserve(struct trace_text *t)
{
	char *bigger;

	if (t->cap - t->len >= TRACE_LINE_MAX)
		return true;
	bigger = vmalloc(t->cap * 2);
	if (!bigger)
		return false;
	memcpy(bigger, t->buf, t->len);
	vfree(t->buf);
	t->buf = bigger;
	t->cap *= 2;
	return true;
}

__printf(2, 3) static bool text_add(struct trace_text *t, const char *fmt, ...)
{
	va_list ap;

	if (!text_reserve(t))
		return false;
	va_start(ap, fmt);
	t->len += vscnprintf(t->buf + t->len, t->cap - t->len, fmt, ap);
	va_end(ap);
	return true;
}

/* Every event of ring `ring` from its oldest on: false when the
 * hypervisor has no such ring (the end of the rings). */
static bool trace_ring_text(u32 ring, struct hv_abi_trace_event *chunk, struct trace_text *t)
{
	u64 cursor = 0, lost = 0, taken = 0;
	const u32 max = HV_ABI_TRACE_READ_MAX / sizeof(*chunk);

	for (;;) {
		struct gzvm_hyp_res res;

		if (gzvm_hypcall(HV_ABI_TRACE_READ, ring, cursor, virt_to_phys(chunk),
		                 HV_ABI_TRACE_READ_MAX, 0, 0, 0, &res))
			return false;
		lost += res.a3;
		cursor = res.a2;
		for (u64 i = 0; i < res.a1 && i < max; i++) {
			const struct hv_abi_trace_event *e = &chunk[i];
			const char *name = e->type < ARRAY_SIZE(trace_type_names)
			                       ? trace_type_names[e->type]
			                       : "?";

			if (!text_add(t, "%x %llx %s %x %x %x %llx\n", e->cpu, e->ts, name, e->vm,
			              e->vcpu, e->arg0, e->arg1))
				break;
		}
		taken += res.a1;
		/* Caught up (the writer may go on for ever: stop there). */
		if (res.a1 < max || taken >= TRACE_RING_MAX)
			break;
		cond_resched();
	}
	text_add(t, "# cpu %u lost %llu\n", ring, lost);
	return true;
}

static int trace_open(struct inode *inode, struct file *f)
{
	struct trace_text *t = kzalloc(sizeof(*t), GFP_KERNEL);
	struct page *chunk = alloc_pages(GFP_KERNEL, TRACE_CHUNK_ORDER);

	if (!t || !chunk)
		goto nomem;
	t->cap = 64 * 1024;
	t->buf = vmalloc(t->cap);
	if (!t->buf)
		goto nomem;
	text_add(t, "# hvtrace freq=%u\n", arch_timer_get_cntfrq());
	for (u32 ring = 0; ring < TRACE_MAX_RINGS; ring++)
		if (!trace_ring_text(ring, page_address(chunk), t))
			break;
	__free_pages(chunk, TRACE_CHUNK_ORDER);
	f->private_data = t;
	return 0;
nomem:
	if (chunk)
		__free_pages(chunk, TRACE_CHUNK_ORDER);
	kfree(t);
	return -ENOMEM;
}

static ssize_t trace_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	struct trace_text *t = f->private_data;

	return simple_read_from_buffer(buf, len, pos, t->buf, t->len);
}

static int trace_release(struct inode *inode, struct file *f)
{
	struct trace_text *t = f->private_data;

	vfree(t->buf);
	kfree(t);
	return 0;
}

static const struct file_operations trace_fops = {
    .owner = THIS_MODULE,
    .open = trace_open,
    .read = trace_read,
    .release = trace_release,
    .llseek = default_llseek,
};

static ssize_t trace_enable_read(struct file *f, char __user *buf, size_t len, loff_t *pos)
{
	return read_text(buf, len, pos, READ_ONCE(trace_on) ? "1\n" : "0\n");
}

static ssize_t trace_enable_write(struct file *f, const char __user *buf, size_t len, loff_t *pos)
{
	bool on;
	int ret = kstrtobool_from_user(buf, len, &on);

	if (ret)
		return ret;
	mutex_lock(&trace_lock);
	ret = gzvm_hypcall(HV_ABI_TRACE_CTL, on, 0, 0, 0, 0, 0, 0, NULL);
	if (!ret)
		WRITE_ONCE(trace_on, on);
	mutex_unlock(&trace_lock);
	return ret ? ret : (ssize_t)len;
}

static const struct file_operations trace_enable_fops = {
    .owner = THIS_MODULE,
    .open = simple_open,
    .read = trace_enable_read,
    .write = trace_enable_write,
    .llseek = default_llseek,
};

void gzvm_debugfs_init(void)
{
	gzvm_debugfs_root = debugfs_create_dir(GZVM_NAME, NULL);
	if (IS_ERR(gzvm_debugfs_root))
		return;
	debugfs_create_file("el2_trace", 0400, gzvm_debugfs_root, NULL, &trace_fops);
	debugfs_create_file("el2_trace_enable", 0600, gzvm_debugfs_root, NULL, &trace_enable_fops);
}

void gzvm_debugfs_exit(void)
{
	debugfs_remove_recursive(gzvm_debugfs_root);
	gzvm_debugfs_root = NULL;
	if (trace_on)
		gzvm_hypcall(HV_ABI_TRACE_CTL, 0, 0, 0, 0, 0, 0, 0, NULL);
	trace_on = false;
}
