/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: demand paging. Guest RAM beyond the image is not backed
 * until first touched; each first touch of a block is a stage-2 fault the
 * hypervisor resolves (core/mem) before the access completes. The guest
 * sees only memory: fresh blocks read as zero and keep what is written.
 * Touches blocks at 4, 8 and 12 MiB into RAM (inside the 16 MiB minimum).
 */
#include "lib/guest.h"

static const uint64_t offsets[] = {4ul << 20, 8ul << 20, (12ul << 20) + 0x1238};

int main(void)
{
	int bad = 0;
	for (unsigned i = 0; i < sizeof(offsets) / sizeof(offsets[0]); i++) {
		volatile uint64_t *p = (volatile uint64_t *)(GUEST_RAM_BASE + offsets[i]);
		uint64_t before = p[0];
		p[0] = 0x1111111111111111ull * (i + 1);
		p[511] = ~p[0];
		puts_("block ");
		put_hex(GUEST_RAM_BASE + offsets[i]);
		puts_(": first read ");
		put_hex(before);
		puts_(", wrote and read back ");
		put_hex(p[0]);
		putc_('\n');
		if (before != 0 || p[0] != 0x1111111111111111ull * (i + 1) || p[511] != ~p[0])
			bad++;
	}
	/* A load as the very first touch of a block. */
	volatile uint32_t *q = (volatile uint32_t *)(GUEST_RAM_BASE + (14ul << 20));
	print("untouched block reads ", *q);
	puts_(bad || *q ? "paging: FAILED\n" : "paging: ok\n");
	return bad || *q;
}
