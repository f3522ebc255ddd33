/* SPDX-License-Identifier: Apache-2.0 */
/*
 * MediaTek SoCs as a platform of the shared EL2 runtime (ports/el2/
 * platform.h), mode A: U-Boot (Genio) or coreboot/BL31 (MT8195/MT8188
 * Chromebooks) enters the arm64 Image at EL2 with x0 = the device tree,
 * which says the rest (RAM, carveouts, GICv3, PSCI over SMC, CPUs). The
 * console is the UART stdout-path names: MediaTek's 16550-style UART
 * (mediatek,mt6577-uart), or a PL011 when the same image runs on QEMU virt.
 * The boot contract (main.c) starts the host at EL1; there is no way out
 * but the host's own SYSTEM_OFF/RESET, so stop() says why and parks the
 * CPU (a board's watchdog or its user resets it).
 */
#include "console.h"
#include "platform.h"

static void __attribute__((noreturn)) mtk_stop(const struct el2_board *board, unsigned status)
{
	(void)board;
	el2_puts("el2-mediatek: stopped, status ");
	el2_put_hex(status);
	el2_puts("\n");
	for (;;)
		__asm__ volatile("wfe");
}

const struct el2_platform el2_this_platform = {
    .name = "el2-mediatek",
    .consoles = EL2_CONSOLE_MASK(EL2_DT_CONSOLE_8250) | EL2_CONSOLE_MASK(EL2_DT_CONSOLE_PL011),
    .stop = mtk_stop,
    .board_fixup = NULL, /* mode A reads the tree itself (main.c) */
};
