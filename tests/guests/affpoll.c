/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest (2 vCPUs): a vCPU that waits for another to power off by
 * polling PSCI AFFINITY_INFO in a bare HVC loop (no YIELD, no WFE between
 * calls: a legal guest). vCPU 1 starts (CPU_ON), says it is ready and
 * sleeps in WFI; vCPU 0 tells it to stop, wakes it with SGI 1 and polls
 * until AFFINITY_INFO reads OFF, giving up after one second of its virtual
 * counter. With each vCPU on its own physical CPU, the wake-up and vCPU 1's
 * CPU_OFF happen on the other CPU while vCPU 0 spins: on QEMU before 8.1
 * under -icount that CPU never ran again unless the hypervisor yielded on
 * the poll (README, core/sched: qemu.guest.affpoll.smp2.icount).
 */
#include "lib/guest.h"

extern char secondary_entry[];
static volatile unsigned state; /* 1: vCPU 1 ready, 2: vCPU 1 must stop */

void on_irq(struct frame *f)
{
	(void)f;
	gic_eoi(gic_ack());
}

void secondary_main(uint64_t cpu)
{
	gic_cpu_init(cpu);
	gic_enable_private(cpu, 1, 0x80);
	irq_enable();
	state = 1;
	dsb_sy();
	while (state != 2)
		wfi();
}

int main(void)
{
	gic_dist_init();
	gic_cpu_init(0);
	print("cpu_on cpu1 ", smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1));
	while (state != 1)
		cpu_relax();
	puts_("cpu1 ready, asleep\n");
	state = 2;
	dsb_sy();
	gic_send_sgi(1, 1u << 1);
	uint64_t freq = read_sysreg(cntfrq_el0), t0 = read_sysreg(cntvct_el0);
	uint64_t aff;
	while ((aff = smccc(PSCI_AFFINITY_INFO, 1, 0, 0)) != 1 &&
	       read_sysreg(cntvct_el0) - t0 < freq)
		;
	print("cpu1 affinity info ", aff);
	return aff == 1 ? 0 : 1;
}
