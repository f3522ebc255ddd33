/* SPDX-License-Identifier: Apache-2.0 */
/* hv_s2_lookup: every field of the result, for pages and blocks, in both
 * MemAttr forms; the attribute decode against the Arm ARM bit positions;
 * refused tables and arguments. */
#include "s2_fixture.h"

static struct test_pool pool;

static void setup(void)
{
	sim_arch_reset();
	cr_assert(test_pool_init(&pool, 512, POOL_PA_BASE));
}

static void teardown(void)
{
	test_pool_destroy(&pool);
}

TestSuite(s2_lookup, .init = setup, .fini = teardown);

#define RAM_PA 0x40000000ull

Test(s2_lookup, every_prot_and_type_reads_back_in_both_forms)
{
	for (int fwb = 0; fwb < 2; fwb++) {
		struct hv_s2_pgt pgt;
		cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_OK);
		cr_assert_eq(hv_s2_set_fwb(&pgt, fwb), HV_OK);
		unsigned mapped = 0;
		for (unsigned type = 0; type < HV_S2_MEM_NR; type++) {
			for (uint32_t prot = 0; prot <= HV_S2_PROT_RWX; prot++) {
				uint64_t n = type * 8 + prot;
				uint64_t ipa = n * 4096, pa = RAM_PA + n * 4096;
				hv_status_t ret = hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), 4096,
				                            prot, (enum hv_s2_memtype)type, 0);
				bool device = type == HV_S2_MEM_DEVICE_nGnRE ||
				              type == HV_S2_MEM_DEVICE_nGnRnE;
				if (device && (prot & HV_S2_PROT_X)) {
					cr_assert_eq(ret, HV_ERR_INVALID,
					             "executable device memory");
					continue;
				}
				cr_assert_eq(ret, HV_OK, "type %u prot %u", type, prot);
				mapped++;
				struct hv_s2_leaf l = {0};
				cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(ipa + 0x123), &l), HV_OK);
				cr_assert_eq(hv_pa_addr(l.pa), pa + 0x123);
				cr_assert_eq(l.prot, prot, "fwb %d type %u prot %u", fwb, type,
				             prot);
				cr_assert_eq(l.type, type, "fwb %d type %u prot %u", fwb, type,
				             prot);
				cr_assert_eq(l.level, 3);
				cr_assert_eq(l.size, 4096);
				cr_assert_eq(l.desc & 3, 3, "page descriptor");
				cr_assert_eq(l.desc & HV_GENMASK(47, 12), pa);
			}
		}
		cr_assert_eq(mapped, 2 * 8 + 2 * 4);
		destroy_all(&pgt, &pool);
	}
}

Test(s2_lookup, blocks_report_level_size_and_offset)
{
	struct hv_s2_pgt pgt;
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_OK);
	cr_assert_eq(
	    hv_s2_map(&pgt, hv_ipa(GIB), hv_pa(2 * GIB), GIB, HV_S2_PROT_R, HV_S2_MEM_NORMAL_NC, 0),
	    HV_OK);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(4 * MIB), hv_pa(RAM_PA + 8 * MIB), 2 * MIB,
	                       HV_S2_PROT_RWX, HV_S2_MEM_NORMAL_WB, 0),
	             HV_OK);

	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(GIB + 0x3456789), &l), HV_OK);
	cr_assert_eq(hv_pa_addr(l.pa), 2 * GIB + 0x3456789);
	cr_assert_eq(l.level, 1);
	cr_assert_eq(l.size, GIB);
	cr_assert_eq(l.prot, HV_S2_PROT_R);
	cr_assert_eq(l.type, HV_S2_MEM_NORMAL_NC);
	cr_assert_eq(l.desc & 3, 1, "block descriptor");

	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(6 * MIB - 1), &l), HV_OK);
	cr_assert_eq(hv_pa_addr(l.pa), RAM_PA + 10 * MIB - 1);
	cr_assert_eq(l.level, 2);
	cr_assert_eq(l.size, 2 * MIB);
	cr_assert_eq(l.prot, HV_S2_PROT_RWX);
	cr_assert_eq(l.type, HV_S2_MEM_NORMAL_WB);

	/* Beside the blocks: the level-2 hole and the unmapped level-1 entry. */
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(6 * MIB), &l), HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(3 * GIB), &l), HV_ERR_NOT_FOUND);
	destroy_all(&pgt, &pool);
}

/*
 * The decode, from descriptor bits placed where the Arm ARM puts them:
 * MemAttr[3:0] bits [5:2] (D8.6.5/D8.6.6), S2AP[1:0] bits [7:6] (D8.4.3:
 * bit 6 read, bit 7 write), XN[1:0] bits [54:53] (D8.4.2: executable at
 * EL1 and EL0 only for 0b00). Every MemAttr code the builder writes, in
 * either form, with every S2AP and XN value and junk in the other bits.
 */
Test(s2_lookup, attribute_decode_follows_the_descriptor_bits)
{
	static const struct {
		unsigned memattr;
		enum hv_s2_memtype type;
	} codes[] = {
	    {0x0, HV_S2_MEM_DEVICE_nGnRnE}, {0x1, HV_S2_MEM_DEVICE_nGnRE},
	    {0x5, HV_S2_MEM_NORMAL_NC},     {0xf, HV_S2_MEM_NORMAL_WB},
	    {0x6, HV_S2_MEM_NORMAL_WB}, /* FWB form */
	};
	const uint64_t junk = HV_GENMASK(58, 55) | HV_GENMASK(47, 12) | (1ull << 10) | (3ull << 8);
	for (size_t c = 0; c < sizeof(codes) / sizeof(codes[0]); c++) {
		for (uint64_t s2ap = 0; s2ap < 4; s2ap++) {
			for (uint64_t xn = 0; xn < 4; xn++) {
				uint64_t d = 3 | ((uint64_t)codes[c].memattr << 2) | (s2ap << 6) |
				             (xn << 53) | junk;
				uint32_t prot = ((s2ap & 1) ? HV_S2_PROT_R : 0) |
				                ((s2ap & 2) ? HV_S2_PROT_W : 0) |
				                (xn == 0 ? HV_S2_PROT_X : 0);
				const struct hv_s2_attr_decode *a =
				    &hv_s2_attr_decode[hv_s2_attr_index(d)];
				cr_assert_eq(a->prot, prot, "memattr %#x s2ap %lu xn %lu",
				             codes[c].memattr, (unsigned long)s2ap,
				             (unsigned long)xn);
				cr_assert_eq(a->type, codes[c].type, "memattr %#x",
				             codes[c].memattr);
			}
		}
	}
}

Test(s2_lookup, refuses_missing_tables_and_out_of_range_ipas)
{
	struct hv_s2_pgt pgt;
	struct hv_s2_leaf l = {.level = 77};
	memset(&pgt, 0, sizeof(pgt));
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0), &l), HV_ERR_INVALID, "never initialised");
	cr_assert_eq(hv_s2_lookup(NULL, hv_ipa(0), &l), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 36, 40), HV_OK);
	cr_assert_eq(
	    hv_s2_map(&pgt, hv_ipa(0), hv_pa(RAM_PA), 4096, HV_S2_PROT_RW, HV_S2_MEM_NORMAL_WB, 0),
	    HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0), NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(1ull << 36), &l), HV_ERR_RANGE);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(UINT64_MAX), &l), HV_ERR_RANGE);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa((1ull << 36) - 1), &l), HV_ERR_NOT_FOUND);
	cr_assert_eq(l.level, 77, "a failed lookup writes nothing");
	destroy_all(&pgt, &pool);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0), &l), HV_ERR_INVALID, "destroyed");
}
