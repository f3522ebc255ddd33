/* SPDX-License-Identifier: Apache-2.0 */
#include <criterion/criterion.h>
#include <hv/types.h>

Test(types, address_wrappers_round_trip)
{
	hv_ipa_t ipa = hv_ipa(0x8000001000ull);
	hv_pa_t pa = hv_pa(0x40000000ull);
	cr_assert_eq(hv_ipa_addr(hv_ipa_add(ipa, 0x1000)), 0x8000002000ull);
	cr_assert_eq(hv_pa_addr(hv_pa_add(pa, 0x234)), 0x40000234ull);
	int x;
	cr_assert_eq(hv_va_ptr(hv_va(&x)), &x);
}

Test(types, genmask_and_field)
{
	cr_assert_eq(HV_GENMASK(63, 0), ~0ull);
	cr_assert_eq(HV_GENMASK(31, 26), 0xfc000000ull);
	cr_assert_eq(HV_GENMASK(0, 0), 1ull);
	/* ESR_EL2.EC of a data abort from a lower EL (Arm ARM D17.2.37). */
	cr_assert_eq(HV_FIELD(0x93810045u, 31, 26), 0x24);
	cr_assert_eq(HV_FIELD(0x93810045u, 5, 0), 0x05);
}

Test(types, range_wrap)
{
	cr_assert_not(hv_range_wraps(0, 0));
	cr_assert_not(hv_range_wraps(~0ull, 1));
	cr_assert(hv_range_wraps(~0ull, 2));
	cr_assert(hv_range_wraps(0x1000, ~0ull));
	cr_assert_not(hv_range_wraps(0, ~0ull));
}

Test(types, alignment)
{
	cr_assert(hv_is_aligned(0x200000, HV_SZ_2M));
	cr_assert_not(hv_is_aligned(0x201000, HV_SZ_2M));
}

Test(types, status_names_are_distinct)
{
	const char *seen[HV_ERR_FAULT + 1];
	for (int s = HV_OK; s <= HV_ERR_FAULT; s++) {
		seen[s] = hv_status_name((hv_status_t)s);
		cr_assert_str_neq(seen[s], "UNKNOWN");
		for (int t = 0; t < s; t++)
			cr_assert_str_neq(seen[s], seen[t]);
	}
	cr_assert_str_eq(hv_status_name((hv_status_t)999), "UNKNOWN");
}

Test(types, freestanding_memset_memcpy)
{
	uint8_t a[37], b[37];
	hv_memset(a, 0xa5, sizeof(a));
	for (size_t i = 0; i < sizeof(a); i++)
		cr_assert_eq(a[i], 0xa5);
	for (size_t i = 0; i < sizeof(b); i++)
		b[i] = (uint8_t)i;
	hv_memcpy(a + 1, b, 10);
	cr_assert_eq(a[0], 0xa5);
	cr_assert_eq(a[1], 0);
	cr_assert_eq(a[10], 9);
	cr_assert_eq(a[11], 0xa5);
}
