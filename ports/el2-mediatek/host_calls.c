/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode A's host calls (host_calls.h). A RUN is the one call that changes
 * the CPU's EL1 state under the host: around it EL2 saves what entering a
 * guest vCPU overwrites (Arm ARM D13.2 for each EL2 register):
 *
 *   - the EL1 system registers, PAuth keys and FP/SIMD a vCPU load switches
 *     (el2_vcpu_state_host_save), MDSCR_EL1, the OS lock and, once a guest
 *     takes them, the debug comparators (el2_debug_host_enter);
 *   - its virtual timer (CNTV_CTL_EL0, CNTV_CVAL_EL0) and CNTVOFF_EL2; the
 *     timer's deadline, if armed and unmasked, is also the EL2 physical
 *     timer's, so the guest's entry ends when the host's timer is due
 *     (abi_runtime_el2.c bounds each entry by it) and the host, given its
 *     timer back, takes that interrupt itself;
 *   - HCR_EL2 (the host runs with IMO/FMO clear: its interrupts are its
 *     own; the guest with them set, so any physical interrupt ends the
 *     entry and stays pending for the host, which takes it when the RUN
 *     returns EXIT_IRQ), CPTR_EL2, MDCR_EL2 (HPMN and the profiling and
 *     trace buffer owners E2PB/E2TB kept for the guest), CNTHCTL_EL2;
 *     VTTBR_EL2/VTCR_EL2 come back from the host's stage 2 after every call
 *     (el2_abi_runtime_host_back);
 *   - ICC_PMR_EL1 (opened to every priority for the guest's entries);
 *   - the SGI/PPI active states the host left, the virtual timer PPI's in
 *     particular, and the EL2 timer PPI's enable (gic.c: el2_gic_host_out,
 *     el2_gic_host_back); the virtual CPU interface is off again after.
 *
 * Not switched: the SVE/SME state beyond FP/SIMD (the guest cannot use it:
 * CPTR_EL2 traps it; a Linux host calls RUN from a syscall, whose ABI has
 * dropped its SVE upper bits already, and never in streaming mode), the PMU
 * (the guest's accesses trap; the host's counters count what the guest
 * runs at EL1/EL0), the fine-grained traps (firmware's values).
 *
 * A refused RUN (bad VM or vCPU, no run area) is refused by the server
 * before any entry; the host's state is restored whichever way it ends.
 */
#include "host_calls.h"

#include <hv/abi.h>
#include <hv/esr.h>
#include <hv/host_smccc.h>
#include <hv/psci.h>
#include <hv/smccc.h>

#include "console.h"
#include "debug_hw.h"
#include "event_trace.h"
#include "gic.h"
#include "guest_config.h"
#include "host_abi.h"
#include "host_direct.h"
#include "host_s2.h"
#include "smp.h"
#include "sysreg.h"
#include "vcpu_state.h"

#define CNTV_CTL_ENABLE 1u
#define CNTV_CTL_IMASK  2u
/* MDCR_EL2 E2PB [13:12], E2TB [25:24]: the host's profiling and trace buffers. */
#define MDCR_HOST_OWNED (MDCR_HPMN_MASK | 3ull << 12 | 3ull << 24)

void el2_mtk_firmware_smc(uint64_t x[18]);

static struct el2_board board; /* for each CPU's redistributor */
static int32_t fw_smccc = HV_SMCCC_RET_NOT_SUPPORTED;
static bool server_on;
static uint64_t server_calls, runs, answered;
static uint64_t runs_on[EL2_MAX_CPUS]; /* RUNs each CPU made (its own counter) */
static uint32_t nr_cpus;
static uint64_t runs_irq; /* RUNs that gave the host back an interrupt pending */

/* Per CPU: the host's state while it is in a RUN (not on the EL2 stack). */
struct host_saved {
	struct el2_host_el1 el1;
	struct el2_gic_host gic;
	uint64_t hcr, cptr, mdcr, cnthctl, cntvoff, cntv_ctl, cntv_cval, pmr;
};
static struct host_saved saved[EL2_MAX_CPUS];

static void firmware_smccc_version(void)
{
	uint64_t x[18] = {HV_PSCI_FEATURES, HV_SMCCC_VERSION};
	el2_mtk_firmware_smc(x);
	if ((int64_t)x[0] != HV_PSCI_SUCCESS)
		return; /* QEMU's PSCI firmware: SMCCC 1.0, no SMCCC_VERSION */
	uint64_t y[18] = {HV_SMCCC_VERSION};
	el2_mtk_firmware_smc(y);
	fw_smccc = (int32_t)y[0];
}

hv_status_t el2_mtk_host_calls_init(const struct el2_dt_platform *dt, const void *fdt, uint64_t hyp,
                                    uint64_t hyp_size)
{
	firmware_smccc_version();
	nr_cpus = dt->nr_cpus < EL2_MAX_CPUS ? dt->nr_cpus : EL2_MAX_CPUS;
	struct hv_s2_pgt *s2 = el2_mtk_host_s2_pgt();
	if (!s2 || dt->nr_mem == 0)
		return HV_ERR_STATE;
	hv_status_t st = el2_fdt_scan(fdt, &board);
	if (st != HV_OK)
		return st;
	if (!el2_gic_cpu_attach(&board))
		return HV_ERR_NOT_FOUND;
	(void)el2_vcpu_state_init();
	el2_events_init(dt->nr_cpus, false);
	uint64_t base = (dt->mem[0].base + HV_SZ_2M - 1) & ~(HV_SZ_2M - 1);
	uint64_t end = (dt->mem[0].base + dt->mem[0].size) & ~(HV_SZ_2M - 1);
	if (end <= base)
		return HV_ERR_RANGE;
	if (end - base > EL2_GUEST_MAX_RAM)
		end = base + EL2_GUEST_MAX_RAM;
	st = el2_host_abi_setup(s2, s2->vmid, base, end - base);
	if (st == HV_OK)
		st = el2_host_abi_keep_out(hyp, hyp_size);
	for (uint32_t i = 0; i < dt->nr_nomap && st == HV_OK; i++)
		st = el2_host_abi_keep_out(dt->nomap[i].base, dt->nomap[i].size);
	server_on = st == HV_OK;
	return st;
}

void el2_mtk_host_calls_cpu(void)
{
	if (server_on && !el2_gic_cpu_attach(&board))
		server_on = false; /* no redistributor: RUN cannot bound an entry */
}

static void host_out(struct host_saved *s)
{
	s->hcr = read_sysreg(hcr_el2);
	s->cptr = read_sysreg(cptr_el2);
	s->mdcr = read_sysreg(mdcr_el2);
	s->cnthctl = read_sysreg(cnthctl_el2);
	s->cntvoff = read_sysreg(cntvoff_el2);
	s->cntv_ctl = read_sysreg(cntv_ctl_el0);
	s->cntv_cval = read_sysreg(cntv_cval_el0);
	el2_vcpu_state_host_save(&s->el1);
	el2_debug_host_enter();
	el2_gic_host_out(&s->gic);
	/* The host's timer, due at CVAL + CNTVOFF physical counts, ends the
	 * guest's entries from then on (abi_runtime_el2.c). */
	if ((s->cntv_ctl & (CNTV_CTL_ENABLE | CNTV_CTL_IMASK)) == CNTV_CTL_ENABLE) {
		write_sysreg(cnthp_cval_el2, s->cntv_cval + s->cntvoff);
		write_sysreg(cnthp_ctl_el2, 1ull);
	} else {
		write_sysreg(cnthp_ctl_el2, 0ull);
	}
	/* Every priority signals while the guest runs (the guest's own PMR is
	 * the virtual one, ICH_VMCR_EL2.VPMR): a host that masks by priority
	 * (arm64 pseudo-NMI) still gets its interrupts pending when RUN
	 * returns, and EL2's timer still ends the entry. */
	s->pmr = read_sysreg(S3_0_C4_C6_0); /* ICC_PMR_EL1 */
	write_sysreg(S3_0_C4_C6_0, 0xffull);
	el2_guest_controls_load(s->mdcr & MDCR_HOST_OWNED);
}

static void host_back(const struct host_saved *s)
{
	write_sysreg(cnthp_ctl_el2, 0ull);
	write_sysreg(cntv_ctl_el0, 0ull); /* no edge of the guest's timer in between */
	write_sysreg(cntvoff_el2, s->cntvoff);
	write_sysreg(cntv_cval_el0, s->cntv_cval);
	write_sysreg(cntv_ctl_el0, s->cntv_ctl);
	write_sysreg(cnthctl_el2, s->cnthctl);
	write_sysreg(cptr_el2, s->cptr);
	write_sysreg(mdcr_el2, s->mdcr);
	write_sysreg(hcr_el2, s->hcr);
	write_sysreg(S3_0_C4_C6_0, s->pmr);
	isb();
	el2_gic_host_back(&s->gic);
	el2_debug_host_exit();
	el2_vcpu_state_host_restore(&s->el1);
	isb();
}

static void server_call(uint32_t cpu, struct hv_vcpu_regs *r)
{
	__atomic_add_fetch(&server_calls, 1u, __ATOMIC_RELAXED);
	if ((uint32_t)r->x[0] != HV_ABI_FN(HV_ABI_RUN)) {
		el2_host_abi_call(r->x, (uint16_t)cpu);
		return;
	}
	__atomic_add_fetch(&runs, 1u, __ATOMIC_RELAXED);
	runs_on[cpu]++;
	struct host_saved *s = &saved[cpu];
	host_out(s);
	el2_host_abi_call(r->x, (uint16_t)cpu);
	host_back(s);
	/* ISR_EL1.I (Arm ARM D17.2.84): with the host's IMO clear again, a
	 * physical IRQ pending for it (one that ended the guest's entry, or
	 * came after): it takes it once its PSTATE.I allows. */
	if (read_sysreg(isr_el1) & (1u << 7))
		__atomic_add_fetch(&runs_irq, 1u, __ATOMIC_RELAXED);
}

void el2_mtk_host_call(uint32_t cpu, struct hv_vcpu_regs *r, uint64_t esr)
{
	const struct hv_host_call c = {.smc = hv_esr_ec(esr) == HV_EC_SMC64,
	                               .imm = (uint16_t)hv_hvc_imm(hv_esr_iss(esr)),
	                               .x = {r->x[0], r->x[1], r->x[2], r->x[3]}};
	uint64_t out[4];
	switch (hv_host_smccc_route(&c, fw_smccc, out)) {
	case HV_HOST_CALL_SERVER:
		if (server_on) {
			server_call(cpu, r);
			return;
		}
		r->x[0] = (uint64_t)(int64_t)HV_SMCCC_RET_NOT_SUPPORTED;
		return;
	case HV_HOST_CALL_ANSWER:
		for (unsigned i = 0; i < 4; i++)
			r->x[i] = out[i];
		__atomic_add_fetch(&answered, 1u, __ATOMIC_RELAXED);
		return;
	case HV_HOST_CALL_FIRMWARE: el2_mtk_host_smc(cpu, r); return;
	}
}

void el2_mtk_host_calls_report(void)
{
	el2_puts("el2-mediatek: host calls: server ");
	el2_put_hex(server_calls);
	el2_puts(" runs ");
	el2_put_hex(runs);
	el2_puts(" answered at EL2 ");
	el2_put_hex(answered);
	el2_puts(" RUNs back with an IRQ pending ");
	el2_put_hex(runs_irq);
	el2_puts(server_on ? "\n" : " (no server)\n");
	el2_puts("el2-mediatek: RUNs by host CPU:");
	for (unsigned c = 0; c < nr_cpus; c++) {
		el2_puts(" ");
		el2_put_hex(runs_on[c]);
	}
	el2_puts("\n");
	el2_host_abi_report();
}
