/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a platform gives the shared EL2 runtime (ports/el2): one constant,
 * el2_this_platform, defined in the platform's folder (ports/<platform>/
 * platform.c) and linked into its image with hv_el2_image() (ports/el2/
 * CMakeLists.txt). Everything else about the board comes from the device
 * tree the bootloader hands over (board.h: RAM, GICv3, timer PPIs, console,
 * PSCI, CPUs); the runtime never names a platform.
 *
 * A new SoC provides:
 *   - name           printed first on the console ("hvcore <name>: ...")
 *   - consoles       the console kinds (dt_discover.h) its image accepts on
 *                    /chosen/stdout-path; another kind stops the boot
 *   - stop()         how the image ends: its boot contract's way out
 *                    (QEMU: PSCI SYSTEM_OFF, or a semihosting exit code)
 *   - board_fixup()  optional: corrects what its device trees get wrong or
 *                    leave to the bootloader, after discovery
 * plus, in its folder, its CMakeLists.txt (add_subdirectory(ports/el2) and
 * hv_el2_image(SOURCES platform.c ...)) and a preset in CMakePresets.json.
 */
#ifndef EL2_PLATFORM_H
#define EL2_PLATFORM_H

#include <hv/types.h>

#include "board.h"

#define EL2_CONSOLE_MASK(kind) (1u << (kind))

struct el2_platform {
	const char *name;
	uint32_t consoles; /* EL2_CONSOLE_MASK(EL2_DT_CONSOLE_...) bits */
	/* Ends the run with status (stop_status.h, or a guest's own); board is
	 * NULL when discovery failed. Never returns. */
	void (*stop)(const struct el2_board *board, unsigned status) __attribute__((noreturn));
	/* NULL, or fixes *board after discovery; false refuses the board. */
	bool (*board_fixup)(struct el2_board *board);
};

extern const struct el2_platform el2_this_platform;

/* The runtime's way out (main.c): el2_this_platform.stop with the board. */
void el2_stop(unsigned status) __attribute__((noreturn));

#endif
