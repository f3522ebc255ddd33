/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode A's host at EL1 (host_direct.h). The EL2 controls follow the Linux
 * arm64 booting.rst requirements for a kernel entered at EL1 (Arm ARM D13.2
 * for each register): HCR_EL2 RW (AArch64 EL1), TSC (SMCs trap), API/APK
 * when pointer authentication exists (its keys are the host's), ATA with
 * MTE2; CNTHCTL_EL2 EL1PCTEN/EL1PCEN (the physical counter and timer are
 * the host's), CNTVOFF_EL2 0; CPTR_EL2 with TFP, TZ (SVE) and TSM (SME)
 * clear when those exist, ZCR_EL2/SMCR_EL2 at the largest vector length
 * (SMCR_EL2.FA64 with FEAT_SME_FA64); HCRX_EL2 0 with FEAT_HCX; MDCR_EL2
 * HPMN = every PMU counter, E2PB/E2TB 0b11 with SPE/TRBE; ICC_SRE_EL2
 * SRE|Enable (GICv3 system registers at EL1); VPIDR/VMPIDR the CPU's own.
 * Not done: the fine-grained trap registers (FEAT_FGT) keep the firmware's
 * values.
 */
#include "host_direct.h"

#include <hv/esr.h>
#include <hv/psci.h>
#include <hv/smccc.h>
#include <hv/vcpu.h>

#include "console.h"
#include "host_abi.h"
#include "host_calls.h"
#include "host_s2.h"
#include "smp.h"
#include "sysreg.h"
#include "vcpu_state.h"

#define HCR_TSC (1ull << 19)
#define HCR_APK (1ull << 40)
#define HCR_API (1ull << 41)
#define HCR_ATA (1ull << 56)

#define CNTHCTL_EL1PCTEN (1ull << 0)
#define CNTHCTL_EL1PCEN  (1ull << 1)

/* CPTR_EL2 (E2H = 0): RES1 bits 13, 9, 7:0; TZ bit 8 and TSM bit 12 are RES1
 * when SVE / SME are absent (then set); TFP bit 10 clear. */
#define CPTR_RES1 0x22ffull
#define CPTR_TZ   (1ull << 8)
#define CPTR_TSM  (1ull << 12)

#define ICC_SRE_SRE    (1ull << 0)
#define ICC_SRE_ENABLE (1ull << 3)

/* EL1h, D, A, I, F masked (SPSR_EL2, C5.2.19). */
#define SPSR_EL1H_MASKED 0x3c5ull

/* SCTLR_EL1 with the MMU and caches off: RES1 bits (hv/psci.h's reset). */
#define SCTLR_EL1_OFF 0x30d00800ull

struct hv_host_psci el2_mtk_host_psci;
static struct hv_vcpu_context host_ctx[8];
static uint64_t smc_other, host_aborts, host_retries;

static uint64_t field(uint64_t reg, unsigned lsb)
{
	return (reg >> lsb) & 0xf;
}

void el2_mtk_host_controls(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1), pfr1 = read_sysreg(id_aa64pfr1_el1);
	uint64_t isar1 = read_sysreg(id_aa64isar1_el1);
	bool sve = field(pfr0, 32), sme = field(pfr1, 24), mte2 = field(pfr1, 8) >= 2;
	/* APA [7:4], API [11:8], GPA [27:24], GPI [31:28]: any pointer auth. */
	bool pauth = field(isar1, 4) || field(isar1, 8) || field(isar1, 24) || field(isar1, 28);
	uint64_t hcr = HCR_RW | HCR_TSC | (pauth ? HCR_API | HCR_APK : 0) | (mte2 ? HCR_ATA : 0);
	write_sysreg(hcr_el2, hcr | el2_mtk_host_s2_load());
	write_sysreg(cnthctl_el2, CNTHCTL_EL1PCTEN | CNTHCTL_EL1PCEN);
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cptr_el2, CPTR_RES1 | (sve ? 0 : CPTR_TZ) | (sme ? 0 : CPTR_TSM));
	isb();
	if (sve) /* ZCR_EL2.LEN = 15: no limit below the hardware's */
		__asm__ volatile("msr S3_4_C1_C2_0, %0" ::"r"(0xfull));
	if (sme) { /* SMCR_EL2.LEN = 15; FA64 (bit 31) when ID_AA64SMFR0_EL1.FA64 */
		uint64_t smfr0;
		__asm__ volatile("mrs %0, S3_0_C0_C4_5" : "=r"(smfr0));
		uint64_t smcr = 0xfull | (smfr0 >> 63 ? 1ull << 31 : 0);
		__asm__ volatile("msr S3_4_C1_C2_6, %0" ::"r"(smcr));
	}
	if (field(read_sysreg(id_aa64mmfr1_el1), 40)) /* FEAT_HCX: HCRX_EL2 0, SMPME clear */
		__asm__ volatile("msr S3_4_C1_C2_2, xzr");
	/* MDCR_EL2: HPMN = every PMU counter; E2PB [13:12] and E2TB [25:24]
	 * 0b11 with SPE (ID_AA64DFR0_EL1.PMSVer) / TRBE (.TraceBuffer): the
	 * profiling and trace buffers are the host's. */
	uint64_t dfr0 = read_sysreg(id_aa64dfr0_el1);
	uint64_t mdcr = (read_sysreg(pmcr_el0) >> 11) & 0x1f;
	mdcr |= (field(dfr0, 32) ? 3ull << 12 : 0) | (field(dfr0, 44) ? 3ull << 24 : 0);
	write_sysreg(mdcr_el2, mdcr);
	write_sysreg(hstr_el2, 0);
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(vmpidr_el2, read_sysreg(mpidr_el1));
	__asm__ volatile(
	    "msr S3_4_C12_C9_5, %0" ::"r"(ICC_SRE_SRE | ICC_SRE_ENABLE)); /* ICC_SRE_EL2 */
	__asm__ volatile("msr S3_4_C12_C11_0, xzr"); /* ICH_HCR_EL2: no virtual interface */
	write_sysreg(sctlr_el1, SCTLR_EL1_OFF);
	isb();
}

/* SMC #0 to the firmware, x0-x17 in and back (firmware_smc.S). */
void el2_mtk_firmware_smc(uint64_t x[18]);

static bool is_system_off_or_reset(uint32_t fid)
{
	return fid == HV_PSCI_SYSTEM_OFF || fid == HV_PSCI_SYSTEM_RESET ||
	       (fid & ~HV_SMCCC_64) == HV_PSCI_SYSTEM_RESET2;
}

void el2_mtk_host_smc(uint32_t cpu, struct hv_vcpu_regs *r)
{
	uint64_t in[4] = {r->x[0], r->x[1], r->x[2], r->x[3]}, out[4], x[18];
	switch (hv_host_psci_call(&el2_mtk_host_psci, cpu, in, out)) {
	case HV_HOST_SMC_ANSWER:
		for (unsigned i = 0; i < 4; i++)
			r->x[i] = out[i];
		return;
	case HV_HOST_SMC_FORWARD:
		/* PSCI's arguments and results are x0-x3; x4-x17 stay the host's. */
		for (unsigned i = 0; i < 18; i++)
			x[i] = i < 4 ? out[i] : r->x[i];
		if (is_system_off_or_reset((uint32_t)out[0]))
			el2_mtk_host_report(); /* the last word before the firmware's */
		el2_mtk_firmware_smc(x);
		hv_host_psci_done(&el2_mtk_host_psci, cpu, in, x);
		for (unsigned i = 0; i < 4; i++)
			r->x[i] = x[i];
		return;
	case HV_HOST_SMC_NOT_PSCI:
		for (unsigned i = 0; i < 18; i++)
			x[i] = r->x[i];
		el2_mtk_firmware_smc(x);
		__atomic_add_fetch(&smc_other, 1u, __ATOMIC_RELAXED);
		for (unsigned i = 0; i < 18; i++)
			r->x[i] = x[i];
		return;
	}
}

/*
 * The host touched what its stage 2 leaves out (EL2's memory, a firmware
 * carveout): a synchronous external abort for it at EL1 (Arm ARM D1.10.2:
 * ESR_EL1 EC 0x24/0x25 data or 0x20/0x21 instruction abort from EL0/EL1,
 * DFSC/IFSC 0x10; the vector at VBAR_EL1 + 0x400 from EL0, + 0x200 from
 * EL1 on SP_EL1, + 0 on SP_EL0), as a bus error from that memory would be.
 */
/* Per CPU: the last retried fault's IPA, when it first faulted in this
 * run of faults and when it last did (a fault after a quiet 10 ms starts a
 * new run). */
#define RETRY_SECONDS 10
#define RETRY_QUIET   100 /* 1/100 s */
static struct {
	uint64_t ipa, since, last;
} retrying[8];

/* RAM the host may access faults only while the hypercall server splits
 * or merges its 2 MiB block on another CPU (break-before-make, a protected
 * VM's page): the access is retried, and aborted only if the same IPA
 * keeps faulting for RETRY_SECONDS (a mapping that does not come back;
 * not a count of retries: a loaded machine may stall the other CPU). */
static bool host_retry(uint32_t cpu, uint64_t esr)
{
	uint64_t ipa = hv_ipa_addr(hv_fault_ipa(read_sysreg(hpfar_el2), read_sysreg(far_el2)));
	if (!hv_fsc_is_translation(hv_esr_iss(esr) & HV_DABT_DFSC_MASK) ||
	    !el2_host_abi_host_may_access(ipa))
		return false;
	uint64_t now = read_sysreg(cntpct_el0), hz = read_sysreg(cntfrq_el0);
	if (retrying[cpu].ipa != ipa || now - retrying[cpu].last > hz / RETRY_QUIET)
		retrying[cpu].ipa = ipa, retrying[cpu].since = now;
	retrying[cpu].last = now;
	if (now - retrying[cpu].since > RETRY_SECONDS * hz)
		return false;
	__atomic_add_fetch(&host_retries, 1u, __ATOMIC_RELAXED);
	return true;
}

static void host_abort(struct hv_vcpu_regs *r, uint64_t esr)
{
	bool from_el0 = ((r->pstate >> 2) & 3) == 0, inst = hv_esr_ec(esr) == HV_EC_IABT_LOW;
	uint64_t ec = (inst ? 0x20u : 0x24u) + (from_el0 ? 0 : 1);
	uint64_t iss = 0x10 | (inst ? 0 : esr & (1ull << 6)); /* SEA, WnR kept */
	write_sysreg(esr_el1, ec << 26 | (esr & (1ull << 25)) | iss);
	write_sysreg(far_el1, read_sysreg(far_el2));
	write_sysreg(elr_el1, r->pc);
	write_sysreg(spsr_el1, r->pstate);
	uint64_t off = from_el0 ? 0x400 : ((r->pstate & 1) ? 0x200 : 0);
	r->pc = read_sysreg(vbar_el1) + off;
	r->pstate = SPSR_EL1H_MASKED;
	__atomic_add_fetch(&host_aborts, 1u, __ATOMIC_RELAXED);
}

static void __attribute__((noreturn)) stop(const char *why, uint64_t esr, uint64_t pc)
{
	el2_puts("el2-mediatek: host: ");
	el2_puts(why);
	el2_puts(" esr ");
	el2_put_hex(esr);
	el2_puts(" pc ");
	el2_put_hex(pc);
	el2_puts("\n");
	for (;;)
		__asm__ volatile("wfe");
}

void el2_mtk_host_run(uint32_t cpu, uint64_t entry, uint64_t x0)
{
	el2_mtk_host_calls_cpu();
	el2_mtk_host_controls();
	struct hv_vcpu_context *ctx = &host_ctx[cpu];
	hv_memset(&ctx->regs, 0, sizeof(ctx->regs));
	ctx->regs.x[0] = x0;
	ctx->regs.pc = entry;
	ctx->regs.pstate = SPSR_EL1H_MASKED;
	for (;;) {
		uint64_t kind = el2_guest_enter(ctx);
		uint64_t esr = read_sysreg(esr_el2);
		if (kind != 0)
			stop("interrupt or SError taken to EL2", esr, ctx->regs.pc);
		switch (hv_esr_ec(esr)) {
		case HV_EC_SMC64:
			el2_mtk_host_call(cpu, &ctx->regs, esr);
			ctx->regs.pc += 4; /* a trapped SMC returns to itself */
			break;
		case HV_EC_HVC64: el2_mtk_host_call(cpu, &ctx->regs, esr); break;
		case HV_EC_DABT_LOW:
		case HV_EC_IABT_LOW:
			if (!host_retry(cpu, esr))
				host_abort(&ctx->regs, esr);
			break;
		default: stop("unexpected trap", esr, ctx->regs.pc);
		}
	}
}

void el2_mtk_host_report(void)
{
	el2_puts("el2-mediatek: host PSCI forwarded ");
	el2_put_hex(el2_mtk_host_psci.forwarded);
	el2_puts(" refused ");
	el2_put_hex(el2_mtk_host_psci.refused);
	el2_puts(" other SMCs ");
	el2_put_hex(smc_other);
	el2_puts(" aborts for stage-2 holes ");
	el2_put_hex(host_aborts);
	el2_puts(" retried ");
	el2_put_hex(host_retries);
	el2_puts("\n");
	el2_mtk_host_calls_report();
}
