/* SPDX-License-Identifier: Apache-2.0 */
/*
 * QEMU's virt board (-M virt,virtualization=on,gic-version=3) as a platform
 * of the shared EL2 runtime (ports/el2/platform.h). QEMU loads the image
 * with -kernel as an arm64 Image and enters it at EL2 with x0 = its DTB
 * (ports/el2/boot.S); the tree says the rest: RAM, the GICv3, the timer
 * PPIs, PSCI over HVC or SMC, the CPUs and the PL011 on stdout-path.
 *
 * Its boot contract's way out: a run that passed powers the machine off
 * through PSCI SYSTEM_OFF (QEMU exits 0); any other status leaves through
 * semihosting SYS_EXIT (QEMU runs with -semihosting), so QEMU's own exit
 * status is the image's stop status (ports/el2/stop_status.h).
 */
#include "platform.h"
#include "smp.h"

#define PSCI_SYSTEM_OFF 0x84000008u /* DEN0022 */

/* Semihosting SYS_EXIT (0x18) with ADP_Stopped_ApplicationExit (0x20026)
 * and the status as the exit code (Arm semihosting v2, AArch64: HLT #0xF000). */
static void __attribute__((noreturn)) semihost_exit(uint64_t code)
{
	static uint64_t block[2];
	block[0] = 0x20026;
	block[1] = code;
	register uint64_t x0 __asm__("x0") = 0x18;
	register uint64_t x1 __asm__("x1") = (uint64_t)(uintptr_t)block;
	__asm__ volatile("hlt #0xf000" ::"r"(x0), "r"(x1) : "memory");
	for (;;)
		__asm__ volatile("wfe");
}

static void __attribute__((noreturn)) qemu_virt_stop(const struct el2_board *board, unsigned status)
{
	if (status == 0 && board && board->have_psci)
		(void)el2_psci_call(board, PSCI_SYSTEM_OFF, 0, 0, 0);
	semihost_exit(status);
}

const struct el2_platform el2_this_platform = {
    .name = "el2-qemu",
    .consoles = EL2_CONSOLE_MASK(EL2_DT_CONSOLE_PL011),
    .stop = qemu_virt_stop,
    .board_fixup = NULL, /* QEMU's tree says all the runtime needs */
};
