/* SPDX-License-Identifier: Apache-2.0 */
/* Per-CPU event rings at EL2 (event_trace.h). */
#include "event_trace.h"

#include <hv/esr.h>

#include "console.h"
#include "smp.h"
#include "sysreg.h"

struct hv_trace_ring el2_event_rings[EL2_MAX_CPUS];
static struct hv_trace_event slots[EL2_MAX_CPUS][1u << EL2_EVENT_ORDER];
static unsigned nr_rings;
static bool dump_at_off; /* hvcore.trace=1 */

void el2_events_init(unsigned nr_cpus, bool on)
{
	if (nr_cpus > EL2_MAX_CPUS)
		nr_cpus = EL2_MAX_CPUS;
	for (unsigned c = 0; c < EL2_MAX_CPUS; c++)
		hv_trace_ring_init(&el2_event_rings[c], slots[c], EL2_EVENT_ORDER, (uint16_t)c);
	nr_rings = nr_cpus ? nr_cpus : 1;
	dump_at_off = on;
	for (unsigned c = 0; c < nr_rings; c++)
		hv_trace_set_enabled(&el2_event_rings[c], on);
}

unsigned el2_events_nr_rings(void)
{
	return nr_rings;
}

void el2_event_record(enum hv_trace_type type, uint16_t vm, uint16_t vcpu, uint32_t arg0,
                      uint64_t arg1)
{
	unsigned cpu = el2_cpu_id();
	if (cpu < nr_rings) /* interrupts are masked at EL2: one writer per ring */
		hv_trace_write(&el2_event_rings[cpu], hv_arch_counter(), type, vm, vcpu, arg0,
		               arg1);
}

void el2_event_record_exit(const struct hv_vcpu *v, uint64_t kind)
{
	uint64_t esr = read_sysreg(esr_el2), where = v->ctx.regs.pc;
	uint32_t arg0 = (uint32_t)esr;
	if (kind != 0) {
		arg0 = HV_TRACE_EC_IRQ << 26;
	} else {
		unsigned ec = hv_esr_ec(esr);
		/* A stage-2 abort: the IPA (Arm ARM D17.2.54 HPFAR_EL2.FIPA is
		 * IPA[51:12] in bits [43:4]; FAR_EL2 gives the page offset). */
		if (ec == HV_EC_DABT_LOW || ec == HV_EC_IABT_LOW)
			where = ((read_sysreg(hpfar_el2) & 0x00000ffffffffff0ull) << 8) |
			        (read_sysreg(far_el2) & 0xfffu);
	}
	el2_event_record(HV_TRACE_EXIT, v->vm->vmid, (uint16_t)v->id, arg0, where);
}

void el2_events_dump(void)
{
	if (!dump_at_off)
		return;
	el2_puts("--- el2 trace begin ---\n# hvtrace freq=");
	el2_put_hex(hv_arch_counter_freq());
	el2_puts("\n");
	for (unsigned c = 0; c < nr_rings; c++) {
		uint64_t cursor = 0, lost = 0;
		struct hv_trace_event e;
		char line[HV_TRACE_LINE_MAX];
		while (hv_trace_read(&el2_event_rings[c], &cursor, &e, 1, &lost))
			if (hv_trace_format(&e, line, sizeof(line)))
				el2_puts(line);
		el2_puts("# cpu ");
		el2_put_hex(c);
		el2_puts(" lost ");
		el2_put_hex(lost);
		el2_puts("\n");
	}
	el2_puts("--- el2 trace end ---\n");
}
