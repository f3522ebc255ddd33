/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Counter ticks to nanoseconds with a precomputed multiplier and shift.
 * The multiplier is found once per frequency by a shift-and-subtract
 * division (no libgcc 128-bit division helper in a freestanding core); the
 * conversion itself is one 64x64->128 multiply and a shift.
 */
#include <hv/vtimer.h>

#define NS_PER_S    UINT64_C(1000000000)
#define MAX_FREQ_HZ (UINT64_C(1) << 40)
#define MAX_SHIFT   63u

typedef unsigned __int128 u128;

/* ceil(num / den) for den != 0, by binary long division. */
static u128 div_ceil_u128(u128 num, uint64_t den)
{
	u128 quot = 0;
	u128 rem = 0;
	for (int bit = 127; bit >= 0; bit--) {
		rem = (rem << 1) | ((num >> bit) & 1);
		if (rem >= den) {
			rem -= den;
			quot |= (u128)1 << bit;
		}
	}
	return rem != 0 ? quot + 1 : quot;
}

hv_status_t hv_tick_conv_init(struct hv_tick_conv *conv, uint64_t freq_hz)
{
	if (!conv || freq_hz == 0 || freq_hz > MAX_FREQ_HZ)
		return HV_ERR_INVALID;
	/* The largest shift whose multiplier still fits 64 bits. */
	unsigned shift = MAX_SHIFT;
	u128 mult = div_ceil_u128((u128)NS_PER_S << shift, freq_hz);
	while (mult >> 64) {
		shift--;
		mult = div_ceil_u128((u128)NS_PER_S << shift, freq_hz);
	}
	conv->freq = freq_hz;
	conv->mult = (uint64_t)mult;
	conv->shift = shift;
	return HV_OK;
}

uint64_t hv_ticks_to_ns(const struct hv_tick_conv *conv, uint64_t ticks)
{
	u128 ns = ((u128)ticks * conv->mult) >> conv->shift;
	return (ns >> 64) ? UINT64_MAX : (uint64_t)ns;
}
