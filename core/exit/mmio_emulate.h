/* SPDX-License-Identifier: Apache-2.0 */
/* MMIO emulation of a faulting load/store (core/exit internal). */
#ifndef HV_EXIT_MMIO_EMULATE_H
#define HV_EXIT_MMIO_EMULATE_H

#include "exit_internal.h"

/* What a load of `size` bytes puts in its register: `loaded` masked to the
 * size, sign-extended if asked, then to the register's `width` (32 or 64
 * bits; a write to Wt clears Xt[63:32]). */
uint64_t hv_mmio_load_value(uint64_t loaded, unsigned size, bool sign_extend, unsigned width);

/* ISV = 1: everything is in the syndrome. */
enum hv_exit_action hv_mmio_emulate_isv1(struct hv_vcpu *vcpu, uint64_t esr, hv_ipa_t ipa);
/* ISV = 0: decode the instruction at the guest's PC (hv/ldst.h). */
enum hv_exit_action hv_mmio_emulate_isv0(struct hv_vcpu *vcpu, uint64_t esr, hv_ipa_t ipa);

#endif /* HV_EXIT_MMIO_EMULATE_H */
