/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The EL2 image's stop status, given to the platform's stop() (platform.h;
 * on QEMU virt it becomes QEMU's exit status). 0 and a guest's own status
 * (w1 at PSCI SYSTEM_OFF, 0..255) pass through unchanged; the hypervisor's
 * own stops use the values hvsim uses for the same reasons (sysexits and
 * the 12x range, which no contract guest uses), so a failure of the
 * hypervisor never reads as a guest's success or as its small failure
 * codes. README "Exit statuses" lists both runtimes side by side.
 */
#ifndef EL2_STOP_STATUS_H
#define EL2_STOP_STATUS_H

enum el2_stop_status {
	EL2_STOP_USAGE = 64,        /* malformed or out-of-range hvcore.* argument */
	EL2_STOP_BAD_IMAGE = 65,    /* no guest image at hvcore.guest, or not one */
	EL2_STOP_INTERNAL = 70,     /* hypervisor error: selftest, memory supply, an
	                               exit it cannot handle */
	EL2_STOP_EL2_FAULT = 71,    /* an unexpected exception at EL2 */
	EL2_STOP_NO_PLATFORM = 78,  /* no usable device tree from the boot loader */
	EL2_STOP_GUEST_FAULT = 125, /* every vCPU off, one of them stopped in a
	                               fault loop (hv/fault_loop.h) */
	EL2_STOP_ALL_OFF = 126,     /* every vCPU off (CPU_OFF), no SYSTEM_OFF */
};

#endif /* EL2_STOP_STATUS_H */
