/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a vCPU's debug registers (Arm ARM D17.3: DBGBVR/BCR/WVR/WCR<n>,
 * MDSCR_EL1). Every guest access to them traps (MDCR_EL2.TDA, TDOSA) and
 * core/exit keeps the values, so nothing is saved on exit: the CPU holds a
 * copy, reloaded when another vCPU's state or a newer generation is needed.
 * A vCPU that uses none (the common case) costs one check per entry, and
 * the CPU's comparators are cleared once when it follows one that did.
 * MDCR_EL2.TDE stays 0: the guest's debug exceptions go to its own vectors.
 */
#include "debug_hw.h"

#include <hv/debug.h>

#include "smp.h"
#include "sysreg.h"

struct debug_held {
	const struct hv_vcpu *owner; /* whose state the CPU's comparators hold */
	uint32_t gen;
	bool active;
};
static struct debug_held held[EL2_MAX_CPUS];

/* Comparator n's pair: the register names carry n, hence a case each. */
#define CASE_BP(n)                                                                                 \
	case n:                                                                                    \
		write_sysreg(dbgbvr##n##_el1, d->bvr[n]);                                          \
		write_sysreg(dbgbcr##n##_el1, d->bcr[n]);                                          \
		break;
#define CASE_WP(n)                                                                                 \
	case n:                                                                                    \
		write_sysreg(dbgwvr##n##_el1, d->wvr[n]);                                          \
		write_sysreg(dbgwcr##n##_el1, d->wcr[n]);                                          \
		break;
#define SIXTEEN(X)                                                                                 \
	X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15)

static void put_bp(const struct hv_debug_regs *d, unsigned n)
{
	switch (n) {
		SIXTEEN(CASE_BP)
	}
}

static void put_wp(const struct hv_debug_regs *d, unsigned n)
{
	switch (n) {
		SIXTEEN(CASE_WP)
	}
}

static void put_all(const struct hv_vcpu *v, const struct hv_debug_regs *d)
{
	for (unsigned n = 0; n < hv_debug_nr_brps(v); n++)
		put_bp(d, n);
	for (unsigned n = 0; n < hv_debug_nr_wrps(v); n++)
		put_wp(d, n);
	write_sysreg(mdscr_el1, d->mdscr);
}

void el2_debug_cpu_init(void)
{
	write_sysreg(oslar_el1, 0ull); /* D17.3.25: unlock; the guest's lock is core's */
	write_sysreg(mdscr_el1, 0ull);
	isb();
	held[el2_cpu_id()] = (struct debug_held){0};
}

void el2_debug_load(const struct hv_vcpu *v)
{
	struct debug_held *h = &held[el2_cpu_id()];
	if (!hv_debug_active(v)) {
		if (h->active) {
			static const struct hv_debug_regs none;
			put_all(v, &none);
			h->active = false;
			h->owner = NULL;
		}
		return;
	}
	if (h->active && h->owner == v && h->gen == v->ctx.debug.gen)
		return;
	put_all(v, &v->ctx.debug);
	h->active = true;
	h->owner = v;
	h->gen = v->ctx.debug.gen;
}
