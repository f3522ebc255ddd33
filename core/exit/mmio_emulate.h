/* SPDX-License-Identifier: Apache-2.0 */
/* MMIO emulation of a faulting load/store (core/exit internal). */
#ifndef HV_EXIT_MMIO_EMULATE_H
#define HV_EXIT_MMIO_EMULATE_H

#include "exit_internal.h"

/* ISV = 1: everything is in the syndrome. */
enum hv_exit_action hv_mmio_emulate_isv1(struct hv_vcpu *vcpu, uint64_t esr, hv_ipa_t ipa);
/* ISV = 0: decode the instruction at the guest's PC (hv/ldst.h). */
enum hv_exit_action hv_mmio_emulate_isv0(struct hv_vcpu *vcpu, uint64_t esr, hv_ipa_t ipa);

#endif /* HV_EXIT_MMIO_EMULATE_H */
