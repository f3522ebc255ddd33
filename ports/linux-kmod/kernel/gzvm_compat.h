/* SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0 */
/*
 * The kernel interfaces the driver uses that changed between the kernels it
 * is built for (Debian bookworm's 6.1, bookworm-backports' and trixie's
 * 6.12): every version check of the driver lives here, nowhere else.
 */
#ifndef GZVM_COMPAT_H
#define GZVM_COMPAT_H

#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/version.h>

/* 6.5 dropped pin_user_pages()'s vmas argument. */
static inline long gzvm_pin_user_pages(unsigned long start, unsigned long nr_pages,
                                       unsigned int gup_flags, struct page **pages)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return pin_user_pages(start, nr_pages, gup_flags, pages);
#else
	return pin_user_pages(start, nr_pages, gup_flags, pages, NULL);
#endif
}

/* 6.8 dropped eventfd_signal()'s count: every signal adds one. */
static inline void gzvm_eventfd_signal(struct eventfd_ctx *ctx)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 8, 0)
	eventfd_signal(ctx);
#else
	eventfd_signal(ctx, 1);
#endif
}

/* 6.11 made platform_driver.remove return void (6.1 has only the int one). */
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 11, 0)
#define GZVM_PLATFORM_REMOVE(fn)                                                                   \
	static void fn##_compat(struct platform_device *pdev)                                      \
	{                                                                                          \
		fn(pdev);                                                                          \
	}
#else
#define GZVM_PLATFORM_REMOVE(fn)                                                                   \
	static int fn##_compat(struct platform_device *pdev)                                       \
	{                                                                                          \
		fn(pdev);                                                                          \
		return 0;                                                                          \
	}
#endif

/* 6.11 added fd_file() (6.12 made struct fd opaque); before, .file. */
#ifndef fd_file
#define fd_file(f) ((f).file)
#endif

#endif /* GZVM_COMPAT_H */
