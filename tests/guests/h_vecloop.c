/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest (2 vCPUs): vCPU 1 points VBAR_EL1 into the hole and runs
 * UDF. The UNDEF's vector cannot be fetched and every abort on it enters
 * the same vector again: hardware loops for ever. The hypervisor must stop
 * that vCPU with a report and let the VM go on: vCPU 0 sees it OFF
 * (AFFINITY_INFO) and powers off normally. With one vCPU (CPU_ON fails),
 * vCPU 0 does the same itself and the VM stops with the runtime's
 * guest-fault status (125 under hvsim and at EL2).
 */
#include "lib/guest.h"

extern char secondary_entry[];

static void __attribute__((noreturn)) vectors_in_the_hole(void)
{
	__asm__ volatile("msr vbar_el1, %0\n\t"
	                 "isb\n\t"
	                 "udf #0" ::"r"(GUEST_HOLE_BASE)
	                 : "memory");
	for (;;)
		;
}

void secondary_main(uint64_t cpu)
{
	(void)cpu;
	vectors_in_the_hole();
}

int main(void)
{
	/* Said before vCPU 1 starts: the hypervisor's report of its loop, on
	 * its console, can then never land inside this line. */
	puts_("cpu1: vectors in the hole\n");
	if (smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1) != 0) {
		puts_("alone: cpu0 takes them itself\n");
		vectors_in_the_hole();
	}
	/* vCPU 1 is OFF only after the report is out: this line comes after it */
	while (smccc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		;
	puts_("cpu1 stopped by the hypervisor, cpu0 goes on\n");
	return 0;
}
