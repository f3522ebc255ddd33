/* SPDX-License-Identifier: Apache-2.0 */
/* gzvm-vmm's I/O thread (see io_thread.h). */
#include "io_thread.h"

#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

/* Moves what in_fd has (at most the FIFO's room) into the UART; false at
 * the end of the input or on an error. */
static bool console_input(struct io_thread *io)
{
	uint8_t buf[PL011_RX_FIFO];
	pthread_mutex_lock(io->uart_lock);
	unsigned int room = pl011_rx_space(io->uart);
	pthread_mutex_unlock(io->uart_lock);
	if (!room)
		return true;
	ssize_t n = read(io->in_fd, buf, room);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN;
	if (n == 0)
		return false;
	pthread_mutex_lock(io->uart_lock);
	for (ssize_t i = 0; i < n; i++)
		pl011_receive(io->uart, buf[i]); /* room only grew meanwhile */
	pthread_mutex_unlock(io->uart_lock);
	io->bytes_in += (unsigned long long)n;
	return true;
}

static void *io_main(void *arg)
{
	struct io_thread *io = arg;
	bool input = io->in_fd >= 0;
	for (;;) {
		struct pollfd fds[3] = {{.fd = io->stop_fd, .events = POLLIN},
		                        {.fd = io->disk ? io->disk->kick_fd : -1, .events = POLLIN},
		                        {.fd = -1, .events = POLLIN}};
		int timeout = -1;
		if (input) {
			pthread_mutex_lock(io->uart_lock);
			bool room = pl011_rx_space(io->uart) > 0;
			pthread_mutex_unlock(io->uart_lock);
			if (room)
				fds[2].fd = io->in_fd;
			else
				timeout = 10; /* the guest drains the FIFO: look again soon */
		}
		if (poll(fds, 3, timeout) < 0 && errno != EINTR)
			break;
		if (fds[0].revents)
			break;
		if (fds[1].revents & POLLIN)
			disk_serve(io->disk);
		if (fds[2].revents & (POLLIN | POLLHUP | POLLERR))
			input = console_input(io);
	}
	return NULL;
}

int io_thread_start(struct io_thread *io)
{
	io->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (io->stop_fd < 0)
		return -errno;
	int err = pthread_create(&io->tid, NULL, io_main, io);
	if (err) {
		close(io->stop_fd);
		io->stop_fd = -1;
		return -err;
	}
	return 0;
}

void io_thread_stop(struct io_thread *io)
{
	uint64_t one = 1;
	if (io->stop_fd < 0)
		return;
	if (write(io->stop_fd, &one, sizeof(one)) != sizeof(one))
		return; /* cannot happen for an eventfd below its maximum */
	pthread_join(io->tid, NULL);
	close(io->stop_fd);
	io->stop_fd = -1;
}
