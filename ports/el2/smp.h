/* SPDX-License-Identifier: Apache-2.0 */
/* Physical CPUs: secondaries brought up through the host's PSCI, per-CPU
 * identity, and kicks (a hypervisor-private physical SGI). */
#ifndef EL2_SMP_H
#define EL2_SMP_H

#include <hv/ticket_lock.h>

#include "board.h"
#include "sysreg.h"

/* The physical SGI one CPU sends another to make it look at its vCPUs. */
#define EL2_SGI_KICK 8u

/* What a secondary CPU runs once online; it never returns. */
typedef void (*el2_cpu_work_fn)(unsigned cpu);

/* Index of the calling CPU in the DTB's /cpus order (0: boot CPU): boot.S
 * writes it to TPIDR_EL2, which nothing else uses, so it is one register
 * read (the exit path asks it several times per exit). */
static inline unsigned el2_cpu_id(void)
{
	return (unsigned)read_sysreg(tpidr_el2);
}
unsigned el2_nr_cpus(void);

/*
 * Power on every secondary CPU the DTB lists (PSCI CPU_ON over the DTB's
 * conduit, entered at EL2 in boot.S), wait until each has its MMU, vectors
 * and GIC redistributor up, and leave it waiting for work. Returns how many
 * came online (secondaries only).
 */
unsigned el2_smp_start(const struct el2_board *board);

/* A PSCI call (DEN0022) to the firmware below EL2, over the board's
 * conduit (SMC or HVC); returns x0. */
int64_t el2_psci_call(const struct el2_board *board, uint64_t fn, uint64_t a1, uint64_t a2,
                      uint64_t a3);

/* Hand `fn` to every online secondary (each calls it once with its index). */
void el2_smp_dispatch(el2_cpu_work_fn fn);

/* Send the kick SGI to CPU `cpu`. */
void el2_kick_cpu(unsigned cpu);

bool el2_cpu_online(unsigned cpu);

/* Kicks this CPU has taken so far (the self-test counts them). */
uint32_t el2_kicks_taken(unsigned cpu);
/* Called by whoever acknowledges EL2_SGI_KICK on this CPU. */
void el2_kick_taken(void);

/* A spinlock for the few structures CPUs share (console, the VM): a fair
 * one (hv/ticket_lock.h: CPUs are served in arrival order, so the host's
 * other vCPU cannot starve while one RUN after another takes the lock).
 * Zero-initialized is unlocked. */
struct el2_lock {
	struct hv_ticket_lock t;
};
void el2_lock(struct el2_lock *l);
void el2_unlock(struct el2_lock *l);

#endif
