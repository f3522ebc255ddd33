/* SPDX-License-Identifier: Apache-2.0 */
/* The page-ownership tracker on its own. */
#include <criterion/criterion.h>
#include <hv/mem.h>
#include <string.h>

#define BASE UINT64_C(0x40000000)
#define NR   64u

static struct hv_page_owner pages[NR];
static struct hv_pgown own;

static void setup(void)
{
	memset(pages, 0xab, sizeof(pages));
	cr_assert_eq(hv_pgown_init(&own, hv_pa(BASE), NR, pages), HV_OK);
}

TestSuite(pgown, .init = setup);

Test(pgown, starts_all_host_owned)
{
	cr_assert_eq(hv_pgown_count(&own, HV_OWNER_HOST), NR);
	uint16_t o, f;
	cr_assert_eq(hv_pgown_get(&own, hv_pa(BASE + 5 * 4096 + 17), &o, &f), HV_OK);
	cr_assert_eq(o, HV_OWNER_HOST);
	cr_assert_eq(f, 0);
	cr_assert_eq(hv_pgown_get(&own, hv_pa(BASE - 1), &o, &f), HV_ERR_RANGE);
	cr_assert_eq(hv_pgown_get(&own, hv_pa(BASE + NR * 4096), &o, &f), HV_ERR_RANGE);
	cr_assert_eq(hv_pgown_get(&own, hv_pa(BASE), NULL, &f), HV_ERR_INVALID);
}

Test(pgown, init_refusals_change_nothing)
{
	struct hv_pgown other = {.base_pfn = 7, .nr_pages = 8, .pages = NULL};
	cr_assert_eq(hv_pgown_init(&other, hv_pa(BASE + 1), NR, pages), HV_ERR_INVALID);
	cr_assert_eq(hv_pgown_init(&other, hv_pa(BASE), 0, pages), HV_ERR_INVALID);
	cr_assert_eq(hv_pgown_init(&other, hv_pa(BASE), NR, NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_pgown_init(&other, hv_pa(0xfffffffffffff000ull), 2, pages), HV_ERR_INVALID);
	cr_assert_eq(hv_pgown_init(&other, hv_pa(0), UINT64_MAX, pages), HV_ERR_INVALID);
	cr_assert_eq(other.base_pfn, 7);
	cr_assert_eq(other.nr_pages, 8);
}

Test(pgown, donate_and_reclaim_all_or_nothing)
{
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE + 4 * 4096), 4), HV_OK);
	cr_assert_eq(hv_pgown_count(&own, HV_OWNER_HYP), 4);
	/* Overlapping donation: refused, nothing changes. */
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE), 6), HV_ERR_DENIED);
	cr_assert_eq(hv_pgown_count(&own, HV_OWNER_HYP), 4);
	/* Reclaim more than was donated: refused. */
	cr_assert_eq(hv_pgown_reclaim_from_hyp(&own, hv_pa(BASE + 4 * 4096), 5), HV_ERR_DENIED);
	cr_assert_eq(hv_pgown_count(&own, HV_OWNER_HYP), 4);
	/* Ranges past the end, misaligned, empty. */
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE + (NR - 1) * 4096), 2), HV_ERR_RANGE);
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE - 4096), 2), HV_ERR_RANGE);
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE + 8), 1), HV_ERR_INVALID);
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE), 0), HV_ERR_INVALID);
	cr_assert_eq(hv_pgown_donate_to_hyp(&own, hv_pa(BASE), UINT64_MAX), HV_ERR_RANGE);
	cr_assert_eq(hv_pgown_reclaim_from_hyp(&own, hv_pa(BASE + 4 * 4096), 4), HV_OK);
	cr_assert_eq(hv_pgown_count(&own, HV_OWNER_HOST), NR);
}
