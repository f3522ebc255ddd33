/* SPDX-License-Identifier: Apache-2.0 */
/* A vCPU's EL1 and FP/SIMD state on this CPU (several vCPUs share it). */
#ifndef EL2_VCPU_STATE_H
#define EL2_VCPU_STATE_H

#include <hv/vcpu.h>

/* V0..V31 as 64 doublewords, then FPSR, FPCR (fpsimd.S offsets). */
struct el2_fpsimd {
	uint64_t v[64];
	uint64_t fpsr, fpcr;
} __attribute__((aligned(16)));

void el2_fpsimd_save(struct el2_fpsimd *fp);
void el2_fpsimd_load(const struct el2_fpsimd *fp);

/* A host that runs on the machine itself (el2-mediatek's mode A): what
 * loading a guest vCPU on its CPU overwrites of its EL1 state (the
 * switched and synced EL1 system registers below, PAuth keys, FP/SIMD),
 * saved before a RUN and put back after it. */
#define EL2_HOST_EL1_SYS    12
#define EL2_HOST_EL1_KEYS   10
#define EL2_HOST_EL1_SYNCED 12
struct el2_host_el1 {
	struct el2_fpsimd fp;
	uint64_t sys[EL2_HOST_EL1_SYS];
	uint64_t keys[EL2_HOST_EL1_KEYS];
	uint64_t synced[EL2_HOST_EL1_SYNCED];
};
void el2_vcpu_state_host_save(struct el2_host_el1 *s);
void el2_vcpu_state_host_restore(const struct el2_host_el1 *s);

/* Forget what the CPU holds (before the first vCPU runs). true if the CPU
 * has pointer authentication keys (FEAT_PAuth): they are then switched with
 * the vCPUs and the guest may use them (HCR_EL2.API/APK). */
bool el2_vcpu_state_init(void);

/* Before entering `v`: its EL1 system registers, FP/SIMD and PAuth keys
 * onto the CPU if another vCPU's are there; then the registers the core
 * may have changed (ctx.el1: injection) where they differ from the CPU's. */
void el2_vcpu_state_enter(struct hv_vcpu *v);

/* MDCR_EL2.HPMN [4:0] (Arm ARM D13.2.76): the counters EL1 may use. */
#define MDCR_HPMN_MASK 0x1full

/* The EL2 controls while a guest vCPU runs on this CPU (every runtime: the
 * port's own VM, the hypercall server's VMs): HCR_EL2 (stage 2, interrupts
 * to EL2, the traps; PAuth keys untrapped when el2_vcpu_state_init found
 * them), CPTR_EL2 (SVE, SME, trace trapped), MDCR_EL2 (PMU, debug ROM, OS
 * lock and debug registers trapped; `mdcr_keep` kept: HPMN, and what a host
 * on the machine owns), CNTHCTL_EL2 (the EL1 physical timer trapped). */
void el2_guest_controls_load(uint64_t mdcr_keep);

/* `v` was powered on (PSCI CPU_ON): its next entry, on its home CPU, starts
 * with the switched EL1 registers, FP/SIMD and keys zeroed (what it left
 * there before a CPU_OFF is gone). Any CPU may call this. */
void el2_vcpu_state_reset(const struct hv_vcpu *v);

/* After `v` exited: the EL1 registers the core reads into v->ctx.el1. */
void el2_vcpu_state_exit(struct hv_vcpu *v);

/* Save `v`'s switched state from this CPU now (it may next run on another
 * CPU: the hypercall server's vCPUs run wherever the host calls RUN). */
void el2_vcpu_state_put(const struct hv_vcpu *v);

/* Run the guest in `ctx` until it traps (world_switch.S): 0 synchronous
 * exception, 1 IRQ, otherwise FIQ or SError. */
uint64_t el2_guest_enter(struct hv_vcpu_context *ctx);
/* The same, stamping the exit profile's record if `prof` is not NULL. */
struct el2_prof_asm;
uint64_t el2_guest_enter_prof(struct hv_vcpu_context *ctx, struct el2_prof_asm *prof);

/* Everything of `v` onto this CPU before el2_guest_enter: its list
 * registers, its virtual timer (and the physical timer PPI active or not:
 * `vtimer_active`), then el2_vcpu_state_enter. */
void el2_vcpu_load(struct hv_vcpu *v, bool vtimer_active);

/* After el2_guest_enter: el2_vcpu_state_exit, the syndrome registers into
 * v->ctx.exit, the virtual timer and the list registers back. */
void el2_vcpu_save(struct hv_vcpu *v);

/* Right after a synchronous exit, before el2_vcpu_save: true if core/exit
 * answered it on its fast path (hv_exit_fast_call: an SMCCC query); the
 * vCPU's EL1, timer and GIC state never left the CPU, so it is re-entered
 * as it is, with no save, no lock, no vGIC sync/flush and no load. */
bool el2_vcpu_fast_exit(struct hv_vcpu *v);

#endif
