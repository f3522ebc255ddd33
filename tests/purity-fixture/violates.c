/* A fixture that breaks every purity rule: the checker must reject it. */
#include <stdio.h>
#include <stdint.h>

#ifdef __aarch64__
#define HERE 1
#endif

void fixture_violation(void)
{
	__asm__ volatile("nop");
}
