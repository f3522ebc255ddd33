// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * Module entry and /dev/gzvm. As MediaTek's GenieZone driver, gzvm.ko is a
 * platform driver bound by the device-tree node
 *   hypervisor { compatible = "mediatek,geniezone"; };
 * and makes no hypercall before it binds. Its probe runs the discovery of
 * gzvm_hyp.c and registers /dev/gzvm. Without a bound device (no node, or
 * a node but no hvcore hypervisor) module init logs one line and returns
 * -ENODEV, so nothing stays loaded (an extension: MediaTek's module stays).
 *
 * /dev/gzvm ioctls (MediaTek's UAPI):
 *   CREATE_VM        (_IO, arg: VM type, 0 only) -> VM fd
 *   CHECK_EXTENSION  (_IO, arg: user pointer to a u64 capability; the answer
 *                    is written back there) -> 0, -EOPNOTSUPP unknown cap,
 *                    -EINVAL NULL, -EFAULT bad pointer
 */
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/platform_device.h>
#include <linux/uaccess.h>

#include "gzvm.h"
#include "gzvm_compat.h"

/* The answer to a capability, or -EOPNOTSUPP (MediaTek's set of caps). */
static long cap_answer(u64 cap, u64 *answer)
{
	struct gzvm_hyp_res res;
	int ret;

	switch (cap) {
	case HV_ABI_CAP_VM_GPA_SIZE:
		/* The hypervisor's real IPA limit (MediaTek answers the kernel's
		 * CONFIG_ARM64_PA_BITS): a global query, vmid 0. */
		ret =
		    gzvm_hypcall(HV_ABI_ENABLE_CAP, 0, HV_ABI_CAP_VM_GPA_SIZE, 0, 0, 0, 0, 0, &res);
		if (ret)
			return ret;
		*answer = res.a1;
		return 0;
	case HV_ABI_CAP_PROTECTED_VM:
		*answer = 1; /* as MediaTek's: ENABLE_CAP SET_PROTECTED_VM is passed on */
		return 0;
	default: return -EOPNOTSUPP; /* BLOCK_BASED_DEMAND_PAGING too, as MediaTek */
	}
}

static long check_extension(u64 __user *ucap)
{
	u64 cap, answer;
	long ret;

	if (!ucap)
		return -EINVAL;
	if (get_user(cap, ucap))
		return -EFAULT;
	ret = cap_answer(cap, &answer);
	if (ret)
		return ret;
	return put_user(answer, ucap) ? -EFAULT : 0;
}

static long gzvm_dev_ioctl(struct file *filp, unsigned int cmd, unsigned long arg)
{
	switch (cmd) {
	case HV_GZVM_CREATE_VM: return gzvm_dev_create_vm(arg);
	case HV_GZVM_CHECK_EXTENSION: return check_extension((u64 __user *)arg);
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

static bool gzvm_bound, gzvm_declined; /* probe registered /dev/gzvm / said why not */

static int gzvm_probe(struct platform_device *pdev)
{
	int ret = gzvm_discover();

	if (ret) {
		gzvm_declined = true;
		return ret;
	}
	ret = misc_register(&gzvm_dev);
	if (!ret) {
		gzvm_bound = true;
		gzvm_debugfs_init();
	}
	return ret;
}

static void gzvm_remove(struct platform_device *pdev)
{
	gzvm_debugfs_exit();
	misc_deregister(&gzvm_dev);
	gzvm_bound = false;
}
GZVM_PLATFORM_REMOVE(gzvm_remove)

static const struct of_device_id gzvm_of_match[] = {
    {.compatible = "mediatek,geniezone"},
    {},
};
MODULE_DEVICE_TABLE(of, gzvm_of_match);

static struct platform_driver gzvm_driver = {
    .probe = gzvm_probe,
    .remove = gzvm_remove_compat,
    .driver =
        {
            .name = GZVM_NAME,
            .of_match_table = gzvm_of_match,
        },
};

static int __init gzvm_init(void)
{
	int ret = gzvm_eventfd_init();

	if (ret)
		return ret;
	gzvm_vcpu_clock_init();
	ret = platform_driver_register(&gzvm_driver); /* binds synchronously */
	if (ret)
		goto out_eventfd;
	if (!gzvm_bound) {
		platform_driver_unregister(&gzvm_driver);
		ret = gzvm_declined ? -ENODEV
		                    : gzvm_decline("no mediatek,geniezone device-tree node");
		goto out_eventfd;
	}
	return 0;
out_eventfd:
	gzvm_eventfd_exit();
	return ret;
}

static void __exit gzvm_exit(void)
{
	platform_driver_unregister(&gzvm_driver);
	gzvm_eventfd_exit();
}

module_init(gzvm_init);
module_exit(gzvm_exit);

MODULE_DESCRIPTION("hvcore host driver: /dev/gzvm (GenieZone-compatible UAPI)");
/* GPL-2.0-only OR Apache-2.0: loaded under the GPL terms (SMCCC, eventfd,
 * locked-memory accounting and anon inodes are GPL-only exports). */
MODULE_LICENSE("GPL");
