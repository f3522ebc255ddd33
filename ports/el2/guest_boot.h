/* SPDX-License-Identifier: Apache-2.0 */
/* Starting any payload with the arm64 boot protocol: placement checks, the
 * generated device tree (hv/guest_dt.h), the boot vCPU's entry state. */
#ifndef EL2_GUEST_BOOT_H
#define EL2_GUEST_BOOT_H

#include <hv/guest_dt.h>
#include <hv/vcpu.h>

#include "guest_config.h"

/*
 * Boot the payload at the start of guest RAM (IPA dt->ram_ipa, 2 MiB
 * aligned) per Linux's Documentation/arm64/booting.rst, whatever it is: the
 * device tree `dt` (with bootargs and the initramfs from `gc` filled in
 * here) is generated into the last 64 KiB of guest RAM and `boot` enters the
 * payload with x0 = its IPA, x1..x3 = 0, MMU off, DAIF masked. A payload
 * with an arm64 Image header (magic "ARM\x64") is entered at its
 * text_offset and checked against the initramfs and the tree; any other is
 * entered at its first byte. HV_ERR_RANGE when kernel, initramfs and device
 * tree do not fit apart in guest RAM, HV_ERR_INVALID for an Image this
 * loader cannot place.
 */
hv_status_t el2_guest_boot_prepare(const struct el2_guest_config *gc, struct hv_guest_dt *dt,
                                   struct hv_vcpu *boot);

#endif
