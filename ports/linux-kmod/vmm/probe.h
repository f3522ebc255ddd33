/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm --protected: the VMM's own look at guest memory, for the
 * protected-VM contract guest (tests/guests/protected.c). The guest names a
 * guest-physical address through a small MMIO device (board.h
 * BOARD_PROBE_BASE) and reads back what the VMM, through its own mapping of
 * guest RAM, finds there: the first 8 bytes of that page, or PROBE_FAULT
 * when the read raised SIGBUS (the hypervisor took the page from the host).
 * After the VM is destroyed, every page probed and the image's entry page
 * must read as zeros.
 *
 *   +0x00  W64  the guest-physical address to read
 *   +0x08  R64  the VMM's read of it, or PROBE_FAULT
 *   +0x10  R64  accesses the device served before this one
 */
#ifndef VMM_PROBE_H
#define VMM_PROBE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "image.h"

#define PROBE_FAULT   UINT64_C(0xffffffffffffffff)
#define PROBE_MAX_IPA 16u

struct probe {
	const struct vmm_ram *ram;
	uint64_t ipa;  /* last address written */
	uint64_t seen; /* accesses served */
	uint64_t pages[PROBE_MAX_IPA + 1];
	unsigned int nr_pages;
};

/* Catch SIGBUS (once per process) and remember the entry page. */
void probe_init(struct probe *p, const struct vmm_ram *ram, uint64_t entry);
/* One access at `off` of the device; false if it has no such register. */
bool probe_access(struct probe *p, uint64_t off, bool is_write, unsigned int size, uint8_t data[8]);
/* One more page to check at power-off (--probe-page IPA); false if full. */
bool probe_add(struct probe *p, uint64_t ipa);
/* Before DESTROY_VM: every page probed is the VM's (the guest never shares
 * at power-off) and must fault; prints the outcome, returns how many did
 * not. */
unsigned int probe_check_taken(const struct probe *p, FILE *out);
/* After DESTROY_VM: print one line per page that is not zero (or faults)
 * and a summary to `out`; returns the number of such pages. */
unsigned int probe_check_zero(const struct probe *p, FILE *out);

#endif
