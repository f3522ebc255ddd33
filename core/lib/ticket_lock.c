/* SPDX-License-Identifier: Apache-2.0 */
/* Ticket lock (hv/ticket_lock.h). The tickets wrap modulo 2^32: only their
 * difference matters, and fewer than 2^32 CPUs wait at once. */
#include <hv/arch.h>
#include <hv/ticket_lock.h>

uint32_t hv_ticket_lock(struct hv_ticket_lock *l)
{
	uint32_t ticket = hv_arch_atomic_fetch_add_u32(&l->next, 1);
	while (hv_arch_atomic_load_acquire_u32(&l->serving) != ticket)
		hv_arch_cpu_relax();
	return ticket;
}

void hv_ticket_unlock(struct hv_ticket_lock *l)
{
	/* Only the holder writes `serving`: its own value plus one. */
	uint32_t mine = hv_arch_atomic_load_acquire_u32(&l->serving);
	hv_arch_atomic_store_release_u32(&l->serving, mine + 1);
}

uint32_t hv_ticket_lock_queued(const struct hv_ticket_lock *l)
{
	return hv_arch_atomic_load_acquire_u32(&l->next) -
	       hv_arch_atomic_load_acquire_u32(&l->serving);
}
