/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A vCPU's debug registers on this CPU (Arm ARM D17.3: DBGBVR/BCR/WVR/WCR<n>,
 * MDSCR_EL1, OSLAR_EL1), handed to the guest lazily as
 * KVM does. MDCR_EL2.TDA traps them while the guest does not own them
 * (hv_debug_guest_owns: it wrote one since its last exit, or its debug
 * exceptions are enabled); core/exit answers from v->ctx.debug. Owned,
 * they are loaded into the CPU (the comparators only when it held another
 * vCPU's or an older generation), TDA is cleared for the run, and its exit
 * reads them back, sets TDA and clears MDSCR_EL1 again: between runs the
 * CPU is always trapped and raises no debug exception, so a vCPU that does
 * not own them costs one inline test at entry and one at exit. The OS
 * lock registers always trap (TDOSA): the guest's lock is core's, written
 * to OSLAR_EL1 with the rest. MDCR_EL2.TDE stays 0: the guest's debug
 * exceptions go to its own vectors.
 */
#include "debug_hw.h"

#include <hv/debug.h>

#include "console.h"
#include "smp.h"
#include "sysreg.h"

#define MDCR_TDA (1ull << 9) /* MDCR_EL2.TDA (D13.2.76) */

struct debug_held {
	const struct hv_vcpu *owner;      /* whose registers the CPU holds, or NULL */
	uint32_t gen;                     /* of owner->ctx.debug when loaded */
	bool untrapped;                   /* MDCR_EL2.TDA clear */
	uint64_t handovers, loads, saves; /* el2_debug_report */
	/* A host on the machine (el2_debug_host_enter): its comparators are
	 * in the CPU until a guest's are loaded (host_live), then in host. */
	bool host_live, host_saved;
	uint64_t host_mdscr, host_oslk;
	struct hv_debug_regs host;
};
static struct debug_held held[EL2_MAX_CPUS];

/* Comparator n's pair: the register names carry n, hence a case each. */
#define CASE_PUT_BP(n)                                                                             \
	case n:                                                                                    \
		write_sysreg(dbgbvr##n##_el1, d->bvr[n]);                                          \
		write_sysreg(dbgbcr##n##_el1, d->bcr[n]);                                          \
		break;
#define CASE_GET_BP(n)                                                                             \
	case n:                                                                                    \
		d->bvr[n] = read_sysreg(dbgbvr##n##_el1);                                          \
		d->bcr[n] = read_sysreg(dbgbcr##n##_el1);                                          \
		break;
#define CASE_PUT_WP(n)                                                                             \
	case n:                                                                                    \
		write_sysreg(dbgwvr##n##_el1, d->wvr[n]);                                          \
		write_sysreg(dbgwcr##n##_el1, d->wcr[n]);                                          \
		break;
#define CASE_GET_WP(n)                                                                             \
	case n:                                                                                    \
		d->wvr[n] = read_sysreg(dbgwvr##n##_el1);                                          \
		d->wcr[n] = read_sysreg(dbgwcr##n##_el1);                                          \
		break;
#define SIXTEEN(X)                                                                                 \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static void put_bp(const struct hv_debug_regs *d, unsigned n)
{
	switch (n) {
		SIXTEEN(CASE_PUT_BP)
	}
}

static void put_wp(const struct hv_debug_regs *d, unsigned n)
{
	switch (n) {
		SIXTEEN(CASE_PUT_WP)
	}
}

static void get_bp(struct hv_debug_regs *d, unsigned n)
{
	switch (n) {
		SIXTEEN(CASE_GET_BP)
	}
}

static void get_wp(struct hv_debug_regs *d, unsigned n)
{
	switch (n) {
		SIXTEEN(CASE_GET_WP)
	}
}

/* Everything but MDSCR_EL1, which el2_debug_load_owned writes each time. */
static void put_all(const struct hv_vcpu *v, const struct hv_debug_regs *d)
{
	for (unsigned n = 0; n < hv_debug_nr_brps(v); n++)
		put_bp(d, n);
	for (unsigned n = 0; n < hv_debug_nr_wrps(v); n++)
		put_wp(d, n);
	write_sysreg(oslar_el1, (uint64_t)d->os_lock);
}

static void get_all(const struct hv_vcpu *v, struct hv_debug_regs *d)
{
	for (unsigned n = 0; n < hv_debug_nr_brps(v); n++)
		get_bp(d, n);
	for (unsigned n = 0; n < hv_debug_nr_wrps(v); n++)
		get_wp(d, n);
	d->mdscr = read_sysreg(mdscr_el1);
}

void el2_debug_cpu_init(void)
{
	write_sysreg(oslar_el1, 0ull); /* D17.3.25: unlock; the guest's lock is core's */
	write_sysreg(mdscr_el1, 0ull);
	isb();
	held[el2_cpu_id()].owner = NULL;
}

/* ID_AA64DFR0_EL1 BRPs [15:12], WRPs [23:20]: the CPU's comparators - 1. */
static unsigned cpu_brps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 12) & 0xf) + 1;
}

static unsigned cpu_wrps(void)
{
	return (unsigned)((read_sysreg(id_aa64dfr0_el1) >> 20) & 0xf) + 1;
}

void el2_debug_host_enter(void)
{
	struct debug_held *h = &held[el2_cpu_id()];
	h->owner = NULL; /* the host may have changed every comparator */
	h->host_mdscr = read_sysreg(mdscr_el1);
	h->host_oslk = (read_sysreg(oslsr_el1) >> 1) & 1; /* OSLSR_EL1.OSLK (D17.3.27) */
	h->host_live = true;
	h->host_saved = false;
	/* No debug exception from the host's comparators in a guest. */
	write_sysreg(mdscr_el1, 0ull);
	isb();
}

void el2_debug_host_exit(void)
{
	struct debug_held *h = &held[el2_cpu_id()];
	if (h->host_saved) {
		for (unsigned n = 0; n < cpu_brps(); n++)
			put_bp(&h->host, n);
		for (unsigned n = 0; n < cpu_wrps(); n++)
			put_wp(&h->host, n);
		write_sysreg(oslar_el1, h->host_oslk);
		h->owner = NULL;
	}
	write_sysreg(mdscr_el1, h->host_mdscr);
	isb();
	h->host_live = h->host_saved = false;
}

void el2_debug_load_owned(struct hv_vcpu *v)
{
	struct debug_held *h = &held[el2_cpu_id()];
	if (h->host_live) { /* the host's comparators first */
		for (unsigned n = 0; n < cpu_brps(); n++)
			get_bp(&h->host, n);
		for (unsigned n = 0; n < cpu_wrps(); n++)
			get_wp(&h->host, n);
		h->host_live = false;
		h->host_saved = true;
	}
	if (h->owner != v || h->gen != v->ctx.debug.gen) {
		put_all(v, &v->ctx.debug);
		h->loads++;
		h->owner = v;
		h->gen = v->ctx.debug.gen;
	}
	write_sysreg(mdscr_el1, v->ctx.debug.mdscr);
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) & ~MDCR_TDA);
	h->handovers++;
}

void el2_debug_save_owned(struct hv_vcpu *v)
{
	struct debug_held *h = &held[el2_cpu_id()];
	get_all(v, &v->ctx.debug);
	h->saves++;
	/* Trapped again, and no debug exception from what the comparators
	 * keep, whoever runs next (el2_debug_load costs it nothing). */
	write_sysreg(mdscr_el1, 0ull);
	write_sysreg(mdcr_el2, read_sysreg(mdcr_el2) | MDCR_TDA);
	hv_debug_saved(&v->ctx.debug);
}

void el2_debug_put(const struct hv_vcpu *v)
{
	struct debug_held *h = &held[el2_cpu_id()];
	if (h->owner == v)
		h->owner = NULL;
}

void el2_debug_report(void)
{
	uint64_t handovers = 0, loads = 0, saves = 0;
	for (unsigned cpu = 0; cpu < EL2_MAX_CPUS; cpu++) {
		handovers += held[cpu].handovers;
		loads += held[cpu].loads;
		saves += held[cpu].saves;
	}
	el2_puts("el2: debug registers handed to a guest ");
	el2_put_hex(handovers);
	el2_puts(" times, loaded ");
	el2_put_hex(loads);
	el2_puts(", saved ");
	el2_put_hex(saves);
	el2_puts("\n");
}
