/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest (2 vCPUs): a fault storm on one vCPU must not starve the
 * other. vCPU 1 points VBAR_EL1 at a vector whose every block is a store
 * to the hole (each one aborts back into the same vector, 64 bytes
 * further on: no block ever completes without an exit). vCPU 0 meanwhile
 * computes and powers the VM off. On a runtime that refills a vCPU's time
 * slice after each exit, vCPU 0 never runs again.
 */
#include "lib/guest.h"

extern char secondary_entry[];
extern char storm_vectors[];
static volatile unsigned storming;

__asm__(".section .text\n"
        ".balign 2048\n"
        "storm_vectors:\n"
        ".rept 16\n"
        ".balign 0x80\n"
        "add x10, x10, #64\n"
        "str xzr, [x10]\n"
        ".endr\n");

void secondary_main(uint64_t cpu)
{
	(void)cpu;
	storming = 1;
	dsb_sy();
	__asm__ volatile("msr vbar_el1, %0\n\t"
	                 "isb\n\t"
	                 "mov x10, %1\n\t"
	                 "str xzr, [x10]\n\t"
	                 "1: b 1b" ::"r"(storm_vectors),
	                 "r"(GUEST_HOLE_BASE)
	                 : "x10", "memory");
}

int main(void)
{
	print("cpu_on cpu1 ", smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1));
	/* YIELD: QEMU before 8.1 under -icount never runs vCPU 1's CPU again
	 * while this one only spins (README, core/sched). */
	while (!storming)
		cpu_relax();
	puts_("cpu1 storms; cpu0 computes\n");
	uint64_t h = 1469598103934665603ul;
	for (unsigned i = 0; i < 20000; i++)
		h = (h ^ i) * 1099511628211ul;
	print("checksum ", h);
	print("cpu1 affinity info (0 = on) ", smccc(PSCI_AFFINITY_INFO, 1, 0, 0));
	return 0;
}
