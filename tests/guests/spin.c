/* SPDX-License-Identifier: Apache-2.0 */
/* A guest that never stops (no transcript): for hvsim's --max-insns and
 * for speed measurements. A compute loop with no memory access. */
#include "lib/guest.h"

int main(void)
{
	uint64_t a = 0, b = 1;
	/* A line, then a partial one (hvsim's test of output when killed). */
	puts_("spinning\npartial");
	for (;;) {
		a += b;
		b ^= a << 1;
		__asm__ volatile("" : "+r"(a), "+r"(b));
	}
}
