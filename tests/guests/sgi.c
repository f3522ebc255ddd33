/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest (2 vCPUs): software-generated interrupts between vCPUs.
 * vCPU 0 starts vCPU 1 (PSCI CPU_ON); vCPU 1 enables SGI 1 and waits in
 * WFI; vCPU 0 sends SGI 1 to vCPU 1, which answers with SGI 2 to vCPU 0.
 * Each side records what its handler saw; vCPU 0 prints everything, so the
 * transcript does not depend on scheduling.
 */
#include "lib/guest.h"

extern char secondary_entry[];
static volatile uint32_t seen[2][4];
static volatile unsigned count[2];
static volatile unsigned ready;

static uint64_t my_cpu(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

void on_irq(struct frame *f)
{
	(void)f;
	uint64_t cpu = my_cpu();
	uint32_t intid = gic_ack();
	if (count[cpu] < 4)
		seen[cpu][count[cpu]] = intid;
	count[cpu]++;
	gic_eoi(intid);
	if (cpu == 1 && intid == 1 && count[1] == 1)
		gic_send_sgi(2, 1u << 0); /* answer vCPU 0, once */
}

void secondary_main(uint64_t cpu)
{
	gic_cpu_init(cpu);
	gic_enable_private(cpu, 1, 0x80);
	irq_enable();
	ready = 1;
	dsb_sy();
	while (count[1] < 1)
		wfi();
	while (ready != 2) /* stay on until vCPU 0 has seen the answer */
		wfi();
}

int main(void)
{
	gic_dist_init();
	gic_cpu_init(0);
	gic_enable_private(0, 2, 0x80);
	irq_enable();
	print("cpu_on cpu1 ", smccc(PSCI_CPU_ON_64, 1, (uint64_t)secondary_entry, 1));
	while (!ready)
		cpu_relax();
	puts_("cpu1 ready, sending SGI 1\n");
	gic_send_sgi(1, 1u << 1);
	while (count[0] < 1)
		wfi();
	print("cpu1 took intid ", seen[1][0]);
	print("cpu0 took intid ", seen[0][0]);
	ready = 2;
	dsb_sy();
	gic_send_sgi(1, 1u << 1); /* wake vCPU 1 so it can power off */
	while (smccc(PSCI_AFFINITY_INFO, 1, 0, 0) != 1)
		cpu_relax();
	print("cpu1 interrupts ", count[1]);
	print("cpu0 interrupts ", count[0]);
	return seen[1][0] == 1 && seen[0][0] == 2 ? 0 : 1;
}
