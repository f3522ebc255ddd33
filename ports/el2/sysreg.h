/* SPDX-License-Identifier: Apache-2.0 */
/* System register access at EL2 (the only place the port touches them). */
#ifndef EL2_SYSREG_H
#define EL2_SYSREG_H

#include <stdint.h>

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(v_));                                        \
		v_;                                                                                \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define isb()              __asm__ volatile("isb" ::: "memory")

/* HCR_EL2 (Arm ARM D13.2.48). */
#define HCR_VM (1ull << 0)
#define HCR_RW (1ull << 31)

#endif
