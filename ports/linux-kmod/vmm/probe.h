/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm --protected: the VMM's own look at guest memory, for the
 * protected-VM contract guest (tests/guests/protected.c). The guest names a
 * guest-physical address through a small MMIO device (board.h
 * BOARD_PROBE_BASE) and reads back what the VMM, through its own mapping of
 * guest RAM, finds there: the first 8 bytes of that page, or PROBE_FAULT
 * when the read raised SIGBUS (the hypervisor took the page from the host).
 * After the VM is destroyed, every page probed and the image's entry page
 * must read as zeros. The whole of guest RAM is checked too: each page's
 * checksum is taken when the VM is created; before DESTROY_VM a page the
 * VMM can read must be as it wrote it (the guest's writes are hidden: a
 * page the guest left shared at power-off counts as a failure), a page it
 * cannot read is one the VM had, and after DESTROY_VM each of those must
 * be zero and every other one still as the VMM wrote it.
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
	uint64_t nr_ram_pages;
	uint64_t *sums; /* per RAM page: its checksum when the VM was created */
	uint8_t *had;   /* per RAM page: 1 if it faulted before DESTROY_VM */
	uint64_t ipa;   /* last address written */
	uint64_t seen;  /* accesses served */
	uint64_t pages[PROBE_MAX_IPA + 1];
	unsigned int nr_pages;
};

/* Catch SIGBUS (once per process), remember the entry page and take the
 * checksum of every RAM page; false if out of memory. */
bool probe_init(struct probe *p, const struct vmm_ram *ram, uint64_t entry);
/* One access at `off` of the device; false if it has no such register. */
bool probe_access(struct probe *p, uint64_t off, bool is_write, unsigned int size, uint8_t data[8]);
/* One more page to check at power-off (--probe-page IPA); false if full. */
bool probe_add(struct probe *p, uint64_t ipa);
/* Before DESTROY_VM: every page probed is the VM's (the guest never shares
 * at power-off) and must fault, and no page the VMM can read was changed;
 * prints the outcome, returns how many pages failed. */
unsigned int probe_check_taken(const struct probe *p, FILE *out);
/* After DESTROY_VM: print one line per probed page that is not zero (or
 * faults) and a summary to `out`, then the same for every page the VM had
 * (and that no other page changed); returns the number of failed pages. */
unsigned int probe_check_zero(const struct probe *p, FILE *out);

#endif
