/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm's I/O thread: it waits (poll) for the disk's queue notification
 * eventfd and serves the queue, and feeds the console's input (a file
 * descriptor, the VMM's stdin) into the PL011's receive FIFO while the FIFO
 * has room, until the input ends. io_thread_stop ends and joins it.
 */
#ifndef VMM_IO_THREAD_H
#define VMM_IO_THREAD_H

#include <pthread.h>

#include "disk.h"
#include "pl011.h"

struct io_thread {
	struct disk *disk;          /* NULL: no disk */
	int in_fd;                  /* console input; -1: none */
	struct pl011 *uart;         /* receives in_fd's bytes */
	pthread_mutex_t *uart_lock; /* the lock vCPU threads take for the UART */
	int stop_fd;
	pthread_t tid;
	unsigned long long bytes_in; /* console bytes received */
};

/* 0 or -errno. */
int io_thread_start(struct io_thread *io);
void io_thread_stop(struct io_thread *io);

#endif /* VMM_IO_THREAD_H */
