/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A fair spin lock between physical CPUs: a ticket lock. A CPU takes the
 * next ticket (one atomic fetch-and-add) and waits until the lock serves
 * that ticket; unlock serves the next one. Waiters are served in the order
 * they arrived (FIFO): a CPU waits for at most the holders ahead of it, so
 * no CPU starves (a test-and-set lock lets one CPU win every round). The
 * atomics are the seam's (hv/arch.h: LSE or LL/SC at EL2).
 */
#ifndef HV_TICKET_LOCK_H
#define HV_TICKET_LOCK_H

#include <hv/types.h>

struct hv_ticket_lock {
	uint32_t next;    /* the ticket the next arrival takes */
	uint32_t serving; /* the ticket that holds the lock */
};

#define HV_TICKET_LOCK_INIT                                                                        \
	{                                                                                          \
		0, 0                                                                               \
	}

/* Take the lock; returns the ticket it was served under (tests check the
 * order). */
uint32_t hv_ticket_lock(struct hv_ticket_lock *l);
void hv_ticket_unlock(struct hv_ticket_lock *l);
/* CPUs holding or waiting for the lock (a snapshot). */
uint32_t hv_ticket_lock_queued(const struct hv_ticket_lock *l);

#endif
