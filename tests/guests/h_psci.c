/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest (2 vCPUs): PSCI CPU_ON with entries that are no guest
 * address (in the hole, past the end of RAM, at 0, in the PL011) answers
 * INVALID_ADDRESS and leaves the target off; CPU_ON of the caller itself
 * is ALREADY_ON; 20 CPU_ON/CPU_OFF cycles of vCPU 1 each run it once.
 */
#include "lib/guest.h"

#define PSCI_INVALID_ADDRESS (-9)

extern char secondary_entry[];
static volatile unsigned runs;

void secondary_main(uint64_t cpu)
{
	(void)cpu;
	runs++;
	dsb_sy();
}

static void cpu_on(const char *what, uint64_t entry)
{
	puts_(what);
	put_dec((int64_t)smccc(PSCI_CPU_ON_64, 1, entry, 1));
	puts_(", cpu1 affinity ");
	put_dec((int64_t)smccc(PSCI_AFFINITY_INFO, 1, 0, 0));
	putc_('\n');
}

int main(void)
{
	cpu_on("entry in the hole: ", GUEST_HOLE_BASE);
	cpu_on("entry past RAM: ", GUEST_RAM_BASE + (16ul << 20));
	cpu_on("entry 0: ", 0);
	cpu_on("entry in the pl011: ", GUEST_UART_BASE);
	cpu_on("entry at the top of the IPA space: ", ~0xffful);
	puts_("cpu_on self: ");
	put_dec((int64_t)smccc(PSCI_CPU_ON_64, 0, (uint64_t)secondary_entry, 0));
	putc_('\n');
	unsigned ok = 0;
	for (unsigned i = 0; i < 20; i++) {
		ok += smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1) == 0;
		while (smccc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
			;
	}
	print("cpu_on accepted ", ok);
	print("cpu1 runs ", runs);
	return ok == 20 && runs == 20 ? 0 : 1;
}
