/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest (2 vCPUs): PSCI 1.1 over HVC. VERSION, FEATURES,
 * AFFINITY_INFO, CPU_ON of vCPU 1 (which reports in and calls CPU_OFF),
 * CPU_ON errors, and SYSTEM_OFF. vCPU 1 only writes a flag; vCPU 0 does all
 * printing, so the transcript does not depend on scheduling.
 */
#include "lib/guest.h"

extern char secondary_entry[];
static volatile uint64_t secondary_seen, release;

void secondary_main(uint64_t cpu)
{
	secondary_seen = 0x100 | (read_sysreg(mpidr_el1) & 0xff) << 4 | cpu;
	dsb_sy();
	while (!release)
		cpu_relax();
	/* returning calls CPU_OFF (lib/start.S) */
}

static void show(const char *what, uint64_t v)
{
	puts_(what);
	put_dec((int64_t)v);
	putc_('\n');
}

#define PSCI_UNKNOWN_FN 0x8400ff00u

int main(void)
{
	uint64_t entry = (uint64_t)secondary_entry;
	print("version ", smccc(PSCI_VERSION, 0, 0, 0));
	show("features CPU_ON: ", smccc(PSCI_FEATURES, PSCI_CPU_ON_64, 0, 0));
	show("features AFFINITY_INFO: ", smccc(PSCI_FEATURES, PSCI_AFFINITY_INFO, 0, 0));
	show("features SYSTEM_OFF: ", smccc(PSCI_FEATURES, PSCI_SYSTEM_OFF, 0, 0));
	show("features unknown: ", smccc(PSCI_FEATURES, PSCI_UNKNOWN_FN, 0, 0));
	show("unknown function: ", smccc(PSCI_UNKNOWN_FN, 0, 0, 0));
	show("affinity cpu0: ", smccc(PSCI_AFFINITY_INFO, 0, 0, 0));
	show("affinity cpu1: ", smccc(PSCI_AFFINITY_INFO, 1, 0, 0));
	show("affinity cpu9: ", smccc(PSCI_AFFINITY_INFO, 9, 0, 0));
	show("cpu_on cpu9: ", smccc(PSCI_CPU_ON_64, 9, entry, 9));
	show("cpu_on cpu1 misaligned: ", smccc(PSCI_CPU_ON_64, 1, entry + 2, 1));
	show("cpu_on cpu1: ", smccc(PSCI_CPU_ON_64, 1, entry, 1));
	while (!secondary_seen)
		cpu_relax();
	print("cpu1 reported ", secondary_seen);
	show("affinity cpu1: ", smccc(PSCI_AFFINITY_INFO, 1, 0, 0));
	show("cpu_on cpu1 again: ", smccc(PSCI_CPU_ON_64, 1, entry, 1));
	release = 1;
	dsb_sy();
	while (smccc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		cpu_relax();
	puts_("cpu1 off\n");
	puts_("system off\n");
	return 0;
}
