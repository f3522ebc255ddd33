/* SPDX-License-Identifier: Apache-2.0 */
/* ticks -> ns with mult/shift: exact to 1 ns over 30 s at the platform
 * frequencies the issue names, monotonic, saturating. */
#include <criterion/criterion.h>
#include <hv/vtimer.h>

typedef unsigned __int128 u128;

static const uint64_t freqs[] = {13000000, 19200000, 24000000, 62500000, 1000000000};

static uint64_t exact_ns(uint64_t ticks, uint64_t freq)
{
	return (uint64_t)(((u128)ticks * 1000000000u) / freq);
}

/* xorshift64 for reproducible sample points */
static uint64_t next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

Test(vtimer_conv, exact_to_one_ns_over_30s)
{
	for (size_t f = 0; f < sizeof(freqs) / sizeof(freqs[0]); f++) {
		struct hv_tick_conv c;
		cr_assert_eq(hv_tick_conv_init(&c, freqs[f]), HV_OK);
		uint64_t range = freqs[f] * 30;
		uint64_t seed = 0x9e3779b97f4a7c15ull + f;
		for (unsigned i = 0; i < 200000; i++) {
			uint64_t t;
			if (i < 1000)
				t = i; /* small values */
			else if (i < 2000)
				t = range - (i - 1000); /* the top of the range */
			else
				t = next_rand(&seed) % (range + 1);
			uint64_t want = exact_ns(t, freqs[f]);
			uint64_t got = hv_ticks_to_ns(&c, t);
			cr_assert(got >= want && got - want <= 1,
			          "freq %llu ticks %llu: got %llu want %llu",
			          (unsigned long long)freqs[f], (unsigned long long)t,
			          (unsigned long long)got, (unsigned long long)want);
		}
		/* One second's worth of ticks is one second. */
		cr_assert_eq(hv_ticks_to_ns(&c, freqs[f]), 1000000000ull);
	}
}

Test(vtimer_conv, exact_for_every_tick_in_first_ms)
{
	for (size_t f = 0; f < sizeof(freqs) / sizeof(freqs[0]) - 1; f++) {
		struct hv_tick_conv c;
		cr_assert_eq(hv_tick_conv_init(&c, freqs[f]), HV_OK);
		for (uint64_t t = 0; t < freqs[f] / 1000; t++) {
			uint64_t d = hv_ticks_to_ns(&c, t) - exact_ns(t, freqs[f]);
			cr_assert(d <= 1);
		}
	}
}

Test(vtimer_conv, one_ghz_is_identity_and_large_values_saturate)
{
	struct hv_tick_conv c;
	cr_assert_eq(hv_tick_conv_init(&c, 1000000000), HV_OK);
	cr_assert_eq(hv_ticks_to_ns(&c, 123456789012ull), 123456789012ull);
	cr_assert_eq(hv_ticks_to_ns(&c, UINT64_MAX), UINT64_MAX);
	cr_assert_eq(hv_tick_conv_init(&c, 13000000), HV_OK);
	cr_assert_eq(hv_ticks_to_ns(&c, UINT64_MAX), UINT64_MAX); /* 1.4e21 ns: saturated */
	/* Monotonic across the whole range. */
	uint64_t prev = 0;
	for (uint64_t t = 1; t < (1ull << 62); t = t * 3 + 1) {
		uint64_t ns = hv_ticks_to_ns(&c, t);
		cr_assert_geq(ns, prev);
		prev = ns;
	}
}

Test(vtimer_conv, refuses_bad_frequency_without_change)
{
	struct hv_tick_conv c = {.freq = 7, .mult = 8, .shift = 9};
	cr_assert_eq(hv_tick_conv_init(&c, 0), HV_ERR_INVALID);
	cr_assert_eq(hv_tick_conv_init(&c, (1ull << 40) + 1), HV_ERR_INVALID);
	cr_assert_eq(hv_tick_conv_init(NULL, 1000), HV_ERR_INVALID);
	cr_assert_eq(c.freq, 7);
	cr_assert_eq(c.mult, 8);
	cr_assert_eq(c.shift, 9);
	cr_assert_eq(hv_tick_conv_init(&c, 1), HV_OK);
	cr_assert_eq(hv_ticks_to_ns(&c, 5), 5000000000ull);
}
