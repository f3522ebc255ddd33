/* SPDX-License-Identifier: Apache-2.0 */
/* An arm64 Linux Image as the guest: placement checks, the generated
 * device tree, the boot vCPU's entry state. */
#ifndef EL2_GUEST_LINUX_H
#define EL2_GUEST_LINUX_H

#include <hv/vcpu.h>

#include "guest_config.h"
#include "guest_dt.h"

/* True if guest RAM starts with an arm64 Image header (magic "ARM\x64"). */
bool el2_guest_is_linux(const struct el2_guest_config *gc);

/*
 * Boot the Image at the start of guest RAM (IPA dt->ram_ipa) per Linux's
 * Documentation/arm64/booting.rst: the device tree `dt` (with bootargs and
 * the initramfs from `gc` filled in here) is generated into the last 2 MiB
 * of guest RAM, and `boot` enters the Image with x0 = its IPA. HV_ERR_RANGE
 * when kernel, initramfs and device tree do not fit apart in guest RAM,
 * HV_ERR_INVALID for an Image this loader cannot place.
 */
hv_status_t el2_guest_linux_prepare(const struct el2_guest_config *gc, struct el2_guest_dt *dt,
                                    struct hv_vcpu *boot);

#endif
