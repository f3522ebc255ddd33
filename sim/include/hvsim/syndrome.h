/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exit syndrome a real EL2 would see, synthesized for the software vCPU.
 * Unicorn reports only "this address, this size, read or write" (or "this
 * exception number"); these functions turn that plus the instruction word
 * into ESR_EL2, FAR_EL2 and HPFAR_EL2 exactly as the Arm ARM says hardware
 * reports them (D17.2.37 ESR_EL2, D17.2.40 FAR_EL2, D17.2.48 HPFAR_EL2).
 */
#ifndef HVSIM_SYNDROME_H
#define HVSIM_SYNDROME_H

#include <hv/arch.h>

/*
 * Stage-2 translation fault at `level` (0..3) on a data access by `insn` to
 * guest VA `va`, IPA `ipa`. ISV=1 with SAS/SSE/SRT/SF/AR for single
 * general-purpose register loads and stores without writeback (including
 * load-acquire/store-release); ISV=0 for pairs, writeback forms, exclusives,
 * atomics, SIMD&FP and anything else, as D17.2.37 "ISV" specifies.
 */
void sim_synth_dabt(uint32_t insn, uint64_t va, hv_ipa_t ipa, bool is_write, unsigned level,
                    struct hv_exit_syndrome *out);

/* Stage-2 translation fault at `level` on an instruction fetch from `va`. */
void sim_synth_iabt(uint64_t va, hv_ipa_t ipa, unsigned level, struct hv_exit_syndrome *out);

/* ESR_EL2 for HVC #imm / SMC #imm (EC 0x16/0x17, ISS imm16). */
uint64_t sim_esr_hvc(uint16_t imm);
uint64_t sim_esr_smc(uint16_t imm);

/* ESR_EL2 for a trapped WFI (EC 0x01, TI 0) or WFE (TI 1). */
uint64_t sim_esr_wfx(bool is_wfe);

/* ESR_EL2 for a trapped MSR/MRS (EC 0x18): fields of the instruction. */
uint64_t sim_esr_sysreg(unsigned op0, unsigned op1, unsigned crn, unsigned crm, unsigned op2,
                        unsigned rt, bool is_read);

/* ESR_EL2 with EC 0 (unknown reason, IL=1): an instruction to UNDEF. */
uint64_t sim_esr_unknown(void);

/* A64 instruction classifiers for the exceptions Unicorn reports as UNDEF. */
bool sim_insn_is_hvc(uint32_t insn, uint16_t *imm);
bool sim_insn_is_smc(uint32_t insn, uint16_t *imm);
bool sim_insn_is_wfi(uint32_t insn);
bool sim_insn_is_wfe(uint32_t insn);

#endif /* HVSIM_SYNDROME_H */
