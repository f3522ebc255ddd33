// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * Module entry and /dev/gzvm. The device exists only once discovery has
 * found hvcore's hypervisor (gzvm_hyp.c); otherwise init logs one line and
 * returns -ENODEV, so nothing stays loaded.
 *
 * /dev/gzvm ioctls:
 *   CREATE_VM        (_IO, arg: VM type, 0 only) -> VM fd
 *   CHECK_EXTENSION  (_IO, arg: capability by value) -> answer, 0 = no
 */
#include <linux/miscdevice.h>
#include <linux/module.h>

#include "gzvm.h"

static long check_extension(unsigned long cap)
{
	struct gzvm_hyp_res res;
	int ret;

	switch (cap) {
	case HV_ABI_CAP_VM_GPA_SIZE:
		/* The hypervisor's real IPA limit (global query, vmid 0). */
		ret =
		    gzvm_hypcall(HV_ABI_ENABLE_CAP, 0, HV_ABI_CAP_VM_GPA_SIZE, 0, 0, 0, 0, 0, &res);
		return ret ? ret : (long)res.a1;
	case HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING:
		/* The VM fd's ENABLE_CAP takes it: answer the largest block. */
		return HV_ABI_BLOCK_BUF_PFNS * GZVM_PAGE_SIZE;
	default: return 0;
	}
}

static long gzvm_dev_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case HV_GZVM_CREATE_VM: return gzvm_dev_create_vm(arg);
	case HV_GZVM_CHECK_EXTENSION: return check_extension(arg);
	default: return -ENOTTY;
	}
}

static const struct file_operations gzvm_dev_fops = {
    .owner = THIS_MODULE,
    .unlocked_ioctl = gzvm_dev_ioctl,
    .llseek = noop_llseek,
};

static struct miscdevice gzvm_dev = {
    .minor = MISC_DYNAMIC_MINOR,
    .name = GZVM_NAME,
    .fops = &gzvm_dev_fops,
    .mode = 0600,
};

static int __init gzvm_init(void)
{
	int ret = gzvm_discover();

	if (ret)
		return ret;
	ret = gzvm_eventfd_init();
	if (ret)
		return ret;
	ret = misc_register(&gzvm_dev);
	if (ret)
		gzvm_eventfd_exit();
	return ret;
}

static void __exit gzvm_exit(void)
{
	misc_deregister(&gzvm_dev);
	gzvm_eventfd_exit();
}

module_init(gzvm_init);
module_exit(gzvm_exit);

MODULE_DESCRIPTION("hvcore host driver: /dev/gzvm (GenieZone-compatible UAPI)");
/* GPL-2.0-only OR Apache-2.0: loaded under the GPL terms (SMCCC, eventfd,
 * locked-memory accounting and anon inodes are GPL-only exports). */
MODULE_LICENSE("GPL");
