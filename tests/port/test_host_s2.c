/* SPDX-License-Identifier: Apache-2.0 */
/*
 * el2-mediatek's host stage 2 (ports/el2-mediatek/host_s2_map.c) built by
 * core/s2 from a test pool and read back with hv_s2_lookup: the whole 40-bit
 * space at IPA == PA, RAM Normal RWX and the rest Device RW, except EL2's
 * memory and every no-map carveout (rounded out to pages), which are never
 * mapped, whatever their order, overlap or alignment.
 */
#include <criterion/criterion.h>

#include <hv/s2.h>

#include "../../ports/el2-mediatek/host_s2.h"
#include "test_pool.h"

#define HYP      0x40200000ull
#define HYP_SIZE 0x438000ull

static struct test_pool pool;
static struct hv_s2_pgt pgt;
static struct el2_dt_platform dt;

static void board(void)
{
	cr_assert(test_pool_init(&pool, 256, 0x7000000000ull));
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_OK);
	hv_memset(&dt, 0, sizeof(dt));
	dt.nr_mem = 1;
	dt.mem[0] = (struct el2_dt_range){0x40000000, 0x20000000};
	dt.nr_nomap = 2; /* out of order, as a tree may list them */
	dt.nomap[0] = (struct el2_dt_range){0x54600000, 0x200000};
	dt.nomap[1] = (struct el2_dt_range){0x43200000, 0xc00000};
}

static void done(void)
{
	hv_status_t st;
	do {
		uint64_t budget = 1u << 20;
		st = hv_s2_destroy(&pgt, &budget);
	} while (st == HV_BUSY);
	cr_expect_eq(st, HV_OK);
	cr_expect_eq(pool.live, 0, "table pages leaked");
	test_pool_destroy(&pool);
}

static void hole(uint64_t ipa)
{
	struct hv_s2_leaf leaf;
	cr_expect_eq(hv_s2_lookup_any_pool(&pgt, ipa, &leaf), HV_ERR_NOT_FOUND, "%#llx is mapped",
	             (unsigned long long)ipa);
}

static void mapped(uint64_t ipa, enum hv_s2_memtype type)
{
	struct hv_s2_leaf leaf;
	cr_assert_eq(hv_s2_lookup_any_pool(&pgt, ipa, &leaf), HV_OK, "%#llx not mapped",
	             (unsigned long long)ipa);
	cr_expect_eq(hv_pa_addr(leaf.pa), ipa, "%#llx not identity", (unsigned long long)ipa);
	cr_expect_eq(leaf.type, type, "%#llx type %d", (unsigned long long)ipa, leaf.type);
	cr_expect_eq(leaf.prot, type == HV_S2_MEM_NORMAL_WB ? HV_S2_PROT_RWX : HV_S2_PROT_RW,
	             "%#llx prot %u", (unsigned long long)ipa, leaf.prot);
}

Test(host_s2, el2_and_the_carveouts_are_left_out, .init = board, .fini = done)
{
	cr_assert_eq(el2_mtk_host_s2_map(&pgt, &dt, HYP, HYP_SIZE), HV_OK);
	const uint64_t holes[][2] = {
	    {HYP, HYP_SIZE}, {0x43200000, 0xc00000}, {0x54600000, 0x200000}};
	for (unsigned i = 0; i < 3; i++) {
		uint64_t b = holes[i][0], e = b + holes[i][1];
		hole(b);
		hole(b + 0x1000);
		hole(e - 8);
		mapped(b - 8, HV_S2_MEM_NORMAL_WB);
		mapped(e, HV_S2_MEM_NORMAL_WB);
	}
	for (uint64_t a = HYP; a < HYP + HYP_SIZE; a += 0x1000)
		hole(a);
	mapped(0x40000000, HV_S2_MEM_NORMAL_WB);
	mapped(0x5ffff000, HV_S2_MEM_NORMAL_WB);
	mapped(0x0, HV_S2_MEM_DEVICE_nGnRE);
	mapped(0x09000000, HV_S2_MEM_DEVICE_nGnRE); /* QEMU virt's PL011 */
	mapped(0x11001100, HV_S2_MEM_DEVICE_nGnRE); /* a MediaTek UART */
	mapped(0x3fffffff, HV_S2_MEM_DEVICE_nGnRE);
	mapped(0x60000000, HV_S2_MEM_DEVICE_nGnRE);
	mapped(0x8000000000ull, HV_S2_MEM_DEVICE_nGnRE); /* virt's high PCIe */
	mapped(0xfffffff000ull, HV_S2_MEM_DEVICE_nGnRE);
}

Test(host_s2, odd_carveouts_round_out_to_pages, .init = board, .fini = done)
{
	dt.nomap[0] = (struct el2_dt_range){0x45000100, 0x10};      /* inside one page */
	dt.nomap[1] = (struct el2_dt_range){0x46fff800, 0x1000};    /* straddles two */
	dt.nomap[2] = (struct el2_dt_range){0x43000000, 0x2000000}; /* overlaps the 1st */
	dt.nomap[3] = (struct el2_dt_range){0x5ff00000, 0x200000};  /* past RAM's end */
	dt.nr_nomap = 4;
	cr_assert_eq(el2_mtk_host_s2_map(&pgt, &dt, HYP, HYP_SIZE), HV_OK);
	hole(0x45000000);
	hole(0x46fff000);
	hole(0x47000000);
	mapped(0x47001000, HV_S2_MEM_NORMAL_WB);
	hole(0x43000000);
	hole(0x44fff000);
	mapped(0x42fff000, HV_S2_MEM_NORMAL_WB);
	hole(0x5ff00000);
	hole(0x60000000);
	hole(0x600ff000);
	mapped(0x60100000, HV_S2_MEM_DEVICE_nGnRE);
}

Test(host_s2, two_ram_banks_and_the_gap_between, .init = board, .fini = done)
{
	dt.nr_mem = 2;
	dt.mem[0] = (struct el2_dt_range){0x100000000ull, 0x40000000}; /* listed first */
	dt.mem[1] = (struct el2_dt_range){0x40000000, 0x20000000};
	cr_assert_eq(el2_mtk_host_s2_map(&pgt, &dt, HYP, HYP_SIZE), HV_OK);
	mapped(0x100000000ull, HV_S2_MEM_NORMAL_WB);
	mapped(0x13ffff000ull, HV_S2_MEM_NORMAL_WB);
	mapped(0x140000000ull, HV_S2_MEM_DEVICE_nGnRE);
	mapped(0x80000000, HV_S2_MEM_DEVICE_nGnRE);
	hole(HYP);
	hole(0x54600000);
}

Test(host_s2, ram_beyond_40_bits_or_a_dry_pool_is_an_error, .init = board, .fini = done)
{
	dt.mem[0] = (struct el2_dt_range){0xffc0000000ull, 0x80000000};
	cr_expect_eq(el2_mtk_host_s2_map(&pgt, &dt, HYP, HYP_SIZE), HV_ERR_RANGE);
	dt.mem[0] = (struct el2_dt_range){0x40000000, 0x20000000};
	test_pool_fail_after(&pool, 1, true);
	cr_expect_eq(el2_mtk_host_s2_map(&pgt, &dt, HYP, HYP_SIZE), HV_ERR_NO_MEMORY);
	test_pool_fail_after(&pool, -1, false);
}
