/* SPDX-License-Identifier: Apache-2.0 */
/*
 * finit-module PATH [PARAMS]: load a kernel module with exactly one finit_module(2)
 * call, as kmod's insmod does (busybox insmod retries a failed
 * finit_module with init_module, so a module's init would run twice).
 * Prints "finit-module: PATH: <error>" and exits with the errno on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc != 2 && argc != 3) {
		fprintf(stderr, "usage: finit-module PATH [PARAMS]\n");
		return 64;
	}
	int fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, argc == 3 ? argv[2] : "", 0) != 0) {
		int err = errno;
		fprintf(stderr, "finit-module: %s: %s\n", argv[1], strerror(err));
		return err;
	}
	return 0;
}
