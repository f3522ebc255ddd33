/* SPDX-License-Identifier: Apache-2.0 */
/* The virtual platform (hv/platform.h). Addresses and INTIDs as on QEMU's
 * virt board: PL011 at 0x09000000 on SPI 1 (INTID 33), GICv3 distributor
 * at 0x08000000 and redistributors at 0x080A0000, timer PPIs 29/30/27/26. */
#include <hv/platform.h>
#include <hv/vgic.h>

const struct hv_platform hv_platform_virt = {
    .ram_base = 0x40000000u,
    .uart_base = 0x09000000u,
    .uart_intid = 33u,
    .gicd_base = 0x08000000u,
    .gicr_base = 0x080a0000u,
    .nr_spis = 32u,
    .timer_intid = {29u, 30u, HV_VGIC_VTIMER_INTID, 26u},
    .hole_base = 0x0a000000u,
    .hole_size = 0x01000000u,
    .ipa_bits = 40u,
    .psci = HV_PSCI_CONDUIT_HVC,
};
