/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A vCPU's EL1 state on this CPU. The vCPUs of the guest take turns on one
 * physical CPU, so everything a guest kernel keeps per CPU in EL1 registers
 * (TPIDR_EL1 holds Linux's per-CPU offset, TTBR0/1, CPACR, the FP/SIMD file,
 * the pointer authentication keys, ...) is swapped when the running vCPU
 * changes, and only then: QEMU flushes its TLB on some of these writes
 * (TCR_EL1, an SCTLR_EL1 change), so an exit and re-entry of the same vCPU
 * writes back only what the core changed (exception injection: ELR, SPSR,
 * ESR, FAR), found by comparing with what the CPU holds.
 *
 * Registers not listed are either trapped and emulated by the core (PMU,
 * ACTLR, LORegions, ID registers; debug, handed to the guest lazily by
 * debug_hw.c), hidden from the guest (SVE, SME,
 * MTE, AMU: their ID fields read as 0 and their instructions trap), or
 * handled elsewhere (timer: gic.c; GIC CPU interface: ICH_* in gic.c).
 */
#include "vcpu_state.h"

#include "debug_hw.h"
#include "exit_stats.h"
#include "gic.h"
#include "guest_config.h"
#include "host_abi.h"
#include "smp.h"
#include "sysreg.h"

/* Switched with the vCPU (Arm ARM D17.2: the EL1/EL0 registers a kernel
 * sets per CPU). */
#define SWITCHED_SYSREGS(X)                                                                        \
	X(cpacr_el1)                                                                               \
	X(tpidr_el0)                                                                               \
	X(tpidrro_el0)                                                                             \
	X(tpidr_el1)                                                                               \
	X(contextidr_el1)                                                                          \
	X(amair_el1)                                                                               \
	X(afsr0_el1)                                                                               \
	X(afsr1_el1)                                                                               \
	X(par_el1)                                                                                 \
	X(cntkctl_el1)                                                                             \
	X(csselr_el1)

/* APIAKeyLo/Hi, APIBKey, APDAKey, APDBKey, APGAKey _EL1 (Arm ARM D17.2.16..). */
#define PAUTH_KEYS(X)                                                                              \
	X(S3_0_C2_C1_0)                                                                            \
	X(S3_0_C2_C1_1)                                                                            \
	X(S3_0_C2_C1_2)                                                                            \
	X(S3_0_C2_C1_3)                                                                            \
	X(S3_0_C2_C2_0)                                                                            \
	X(S3_0_C2_C2_1)                                                                            \
	X(S3_0_C2_C2_2)                                                                            \
	X(S3_0_C2_C2_3)                                                                            \
	X(S3_0_C2_C3_0)                                                                            \
	X(S3_0_C2_C3_1)

/* The ctx.el1 registers the core may change (written on entry where they
 * differ from the CPU's): system register, ctx.el1 field. */
#define SYNCED_SYSREGS(X)                                                                          \
	X(elr_el1, elr_el1)                                                                        \
	X(spsr_el1, spsr_el1)                                                                      \
	X(esr_el1, esr_el1)                                                                        \
	X(far_el1, far_el1)                                                                        \
	X(vbar_el1, vbar_el1)                                                                      \
	X(sctlr_el1, sctlr_el1)                                                                    \
	X(tcr_el1, tcr_el1)                                                                        \
	X(ttbr0_el1, ttbr0_el1)                                                                    \
	X(ttbr1_el1, ttbr1_el1)                                                                    \
	X(mair_el1, mair_el1)                                                                      \
	X(vmpidr_el2, mpidr_el1)

/* HCR_EL2 for a guest (Arm ARM D13.2.48): stage 2 on (VM), EL1 is AArch64
 * (RW), physical FIQ/IRQ/SError to EL2 (FMO, IMO, AMO), TLB maintenance
 * and barriers broadcast inner shareable (FB, BSU = 1), traps of WFI (TWI),
 * ID registers (TID3), SMC (TSC), IMPLEMENTATION DEFINED registers (TIDCP),
 * ACTLR (TACR), set/way cache maintenance (TSW) and LORegions (TLOR); with
 * FEAT_PAuth the guest's key use is not trapped (APK, API): the keys are
 * switched with the vCPU (vcpu_state.c). */
#define HCR_GUEST                                                                                  \
	(HCR_VM | (1ull << 3) | (1ull << 4) | (1ull << 5) | (1ull << 9) | (1ull << 10) |           \
	 (1ull << 13) | (1ull << 18) | (1ull << 19) | (1ull << 20) | (1ull << 21) | (1ull << 22) | \
	 HCR_RW | (1ull << 35))
#define HCR_PAUTH (1ull << 40 | 1ull << 41)
/* CPTR_EL2 (E2H = 0, Arm ARM D13.2.31): RES1 bits [13], [9], [7:0]; trap SVE
 * (TZ) and SME (TSM), hidden from the guest, and trace (TTA). FP/SIMD is not
 * trapped: vcpu_state.c switches it. */
#define CPTR_GUEST (0x22ffull | (1ull << 8) | (1ull << 12) | (1ull << 20))
/* MDCR_EL2 (D13.2.76): PMU (TPM, TPMCR: core/exit makes it RAZ/WI), the
 * debug ROM address (TDRA) and the OS lock (TDOSA) trap; the debug
 * registers (TDA) trap until debug_hw.c hands a vCPU its own (hv/debug.h).
 * TDE clear: the guest's debug exceptions go to its own EL1 vectors. HPMN
 * is kept. */
#define MDCR_GUEST_TRAPS ((1ull << 5) | (1ull << 6) | (1ull << 9) | (1ull << 10) | (1ull << 11))

/* CNTHCTL_EL2 (E2H = 0, Arm ARM D13.8.1): EL1PCTEN, the physical counter is
 * readable; EL1PCEN clear, the EL1 physical timer traps: core/vtimer
 * emulates it per vCPU (PPI 30), the EL2 timer ends an entry at its
 * deadline. */
#define CNTHCTL_GUEST 1ull

#define COUNT(r) +1
enum { NR_SWITCHED = 0 SWITCHED_SYSREGS(COUNT), NR_KEYS = 0 PAUTH_KEYS(COUNT) };

struct el2_vcpu_state {
	struct el2_fpsimd fp;
	uint64_t sys[NR_SWITCHED];
	uint64_t keys[NR_KEYS];
};

/* The port's VM's vCPUs by id, then (host mode) the hypercall server's by
 * their place in its hyp (slot_of). */
#define NR_STATES (EL2_GUEST_MAX_VCPUS + HV_MAX_VMS * HV_MAX_VCPUS)
static struct el2_vcpu_state states[NR_STATES];
/* What each physical CPU holds. A vCPU of the port's VM stays on its home
 * CPU (guest.c), so its switched state is only ever on that one; a server
 * vCPU's is saved after each entry (el2_vcpu_state_put). */
struct el2_cpu_held {
	const struct hv_vcpu *on_cpu; /* whose switched state the CPU holds */
	struct hv_el1_sysregs hw;     /* the CPU's values of the ctx.el1 registers */
	bool hw_known;
};
static struct el2_cpu_held held[EL2_MAX_CPUS];
static bool have_pauth;
static uint32_t reset_pending[NR_STATES]; /* el2_vcpu_state_reset, atomic */

static unsigned slot_of(const struct hv_vcpu *v)
{
	const struct hv_hyp *srv = el2_host_abi_hyp();
	if (srv && v->vm && v->vm->life.hyp == srv)
		return EL2_GUEST_MAX_VCPUS + (unsigned)(v - &srv->vcpus[0][0]);
	return v->id < EL2_GUEST_MAX_VCPUS ? v->id : NR_STATES;
}

bool el2_vcpu_state_init(void)
{
	/* ID_AA64ISAR1_EL1 APA [7:4], API [11:8], GPA [27:24], GPI [31:28];
	 * ID_AA64ISAR2_EL1 GPA3 [11:8], APA3 [15:12] (Arm ARM D17.2.62/63). */
	uint64_t isar1 = read_sysreg(S3_0_C0_C6_1), isar2 = read_sysreg(S3_0_C0_C6_2);
	have_pauth = (isar1 & 0xff000ff0ull) || (isar2 & 0xff00ull);
	hv_memset(states, 0, sizeof(states));
	hv_memset(held, 0, sizeof(held));
	hv_memset(reset_pending, 0, sizeof(reset_pending));
	return have_pauth;
}

static void switch_out(const struct hv_vcpu *v)
{
	struct el2_vcpu_state *s = &states[slot_of(v)];
	unsigned i = 0;
#define SAVE(r) s->sys[i++] = read_sysreg(r);
	SWITCHED_SYSREGS(SAVE)
	if (have_pauth) {
		i = 0;
#define SAVE_KEY(r) s->keys[i++] = read_sysreg(r);
		PAUTH_KEYS(SAVE_KEY)
	}
	el2_fpsimd_save(&s->fp);
}

static void switch_in(const struct hv_vcpu *v)
{
	const struct el2_vcpu_state *s = &states[slot_of(v)];
	unsigned i = 0;
#define LOAD(r) write_sysreg(r, s->sys[i++]);
	SWITCHED_SYSREGS(LOAD)
	if (have_pauth) {
		i = 0;
#define LOAD_KEY(r) write_sysreg(r, s->keys[i++]);
		PAUTH_KEYS(LOAD_KEY)
	}
	el2_fpsimd_load(&s->fp);
}

void el2_guest_controls_load(uint64_t mdcr_keep)
{
	write_sysreg(cnthctl_el2, CNTHCTL_GUEST);
	write_sysreg(cptr_el2, CPTR_GUEST);
	write_sysreg(mdcr_el2, mdcr_keep | MDCR_GUEST_TRAPS);
	write_sysreg(hcr_el2, HCR_GUEST | (have_pauth ? HCR_PAUTH : 0));
	isb();
}

void el2_vcpu_state_reset(const struct hv_vcpu *v)
{
	unsigned slot = slot_of(v);
	if (slot < NR_STATES)
		__atomic_store_n(&reset_pending[slot], 1u, __ATOMIC_RELEASE);
}

void el2_vcpu_state_enter(struct hv_vcpu *v)
{
	unsigned slot = slot_of(v);
	if (slot >= NR_STATES)
		return;
	struct el2_cpu_held *h = &held[el2_cpu_id()];
	if (__atomic_load_n(&reset_pending[slot], __ATOMIC_RELAXED) &&
	    __atomic_exchange_n(&reset_pending[slot], 0u, __ATOMIC_ACQUIRE)) {
		hv_memset(&states[slot], 0, sizeof(states[slot]));
		if (h->on_cpu == v)
			h->on_cpu = NULL; /* what the CPU holds of it is dropped */
	}
	if (h->on_cpu != v) {
		if (h->on_cpu)
			switch_out(h->on_cpu);
		switch_in(v);
		h->on_cpu = v;
	}
	const struct hv_el1_sysregs *c = &v->ctx.el1;
	/* Usually the core changed none of them: one test of all, no branch
	 * per register. */
#define DIFF(r, f) | (h->hw.f ^ c->f)
	if (h->hw_known && (0 SYNCED_SYSREGS(DIFF)) == 0)
		return;
#define SYNC(r, f)                                                                                 \
	if (!h->hw_known || h->hw.f != c->f) {                                                     \
		write_sysreg(r, c->f);                                                             \
		h->hw.f = c->f;                                                                    \
	}
	SYNCED_SYSREGS(SYNC)
	h->hw_known = true;
}

void el2_vcpu_state_exit(struct hv_vcpu *v)
{
	struct hv_el1_sysregs *c = &v->ctx.el1;
	struct el2_cpu_held *h = &held[el2_cpu_id()];
#define READ(r, f) h->hw.f = c->f = read_sysreg(r);
	READ(elr_el1, elr_el1)
	READ(spsr_el1, spsr_el1)
	READ(esr_el1, esr_el1)
	READ(far_el1, far_el1)
	READ(vbar_el1, vbar_el1)
	READ(sctlr_el1, sctlr_el1)
	READ(tcr_el1, tcr_el1)
	READ(ttbr0_el1, ttbr0_el1)
	READ(ttbr1_el1, ttbr1_el1)
	READ(mair_el1, mair_el1)
}

HV_STATIC_ASSERT(NR_SWITCHED <= EL2_HOST_EL1_SYS, "struct el2_host_el1 sys[]");
HV_STATIC_ASSERT(NR_KEYS <= EL2_HOST_EL1_KEYS, "struct el2_host_el1 keys[]");
#define COUNT2(r, f) +1
HV_STATIC_ASSERT(0 SYNCED_SYSREGS(COUNT2) <= EL2_HOST_EL1_SYNCED, "struct el2_host_el1 synced[]");

void el2_vcpu_state_host_save(struct el2_host_el1 *s)
{
	unsigned i = 0;
	SWITCHED_SYSREGS(SAVE)
	if (have_pauth) {
		i = 0;
		PAUTH_KEYS(SAVE_KEY)
	}
	i = 0;
#define SAVE_SYNCED(r, f) s->synced[i++] = read_sysreg(r);
	SYNCED_SYSREGS(SAVE_SYNCED)
	el2_fpsimd_save(&s->fp);
	/* The host changes all of them as it runs: the CPU holds no vCPU's. */
	struct el2_cpu_held *h = &held[el2_cpu_id()];
	h->on_cpu = NULL;
	h->hw_known = false;
}

void el2_vcpu_state_host_restore(const struct el2_host_el1 *s)
{
	unsigned i = 0;
	SWITCHED_SYSREGS(LOAD)
	if (have_pauth) {
		i = 0;
		PAUTH_KEYS(LOAD_KEY)
	}
	i = 0;
#define LOAD_SYNCED(r, f) write_sysreg(r, s->synced[i++]);
	SYNCED_SYSREGS(LOAD_SYNCED)
	el2_fpsimd_load(&s->fp);
	struct el2_cpu_held *h = &held[el2_cpu_id()];
	h->on_cpu = NULL;
	h->hw_known = false;
}

void el2_vcpu_state_put(const struct hv_vcpu *v)
{
	el2_debug_put(v);
	struct el2_cpu_held *h = &held[el2_cpu_id()];
	if (h->on_cpu == v) {
		switch_out(v);
		h->on_cpu = NULL;
	}
}

void el2_vcpu_load(struct hv_vcpu *v, bool vtimer_active)
{
	el2_exit_prof_mark(EL2_PROF_FLUSHED);
	el2_gic_load(&v->ctx.gic);
	/* The physical PPI active before the timer is loaded, inactive after,
	 * so no other vCPU's timer state signals it in between. */
	if (vtimer_active)
		el2_gic_ppi_set_active(EL2_PPI_VTIMER, true);
	el2_timer_load(&v->ctx.timer);
	if (!vtimer_active)
		el2_gic_ppi_set_active(EL2_PPI_VTIMER, false);
	el2_debug_load(v);
	el2_vcpu_state_enter(v);
}

bool el2_vcpu_fast_exit(struct hv_vcpu *v)
{
	if (!hv_exit_fast_call(v, read_sysreg(esr_el2)))
		return false;
	el2_exit_prof_mark_fast(EL2_FAST_HVC);
	return true;
}

void el2_vcpu_save(struct hv_vcpu *v)
{
	el2_debug_save(v);
	el2_vcpu_state_exit(v);
	v->ctx.exit.esr_el2 = read_sysreg(esr_el2);
	v->ctx.exit.far_el2 = read_sysreg(far_el2);
	v->ctx.exit.hpfar_el2 = read_sysreg(hpfar_el2);
	el2_timer_save(&v->ctx.timer);
	el2_gic_save(&v->ctx.gic);
	if (el2_exit_prof_on)
		el2_exit_prof_saved(v);
}
