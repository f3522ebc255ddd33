/* SPDX-License-Identifier: Apache-2.0 */
/* Geometry, VTCR_EL2/VTTBR_EL2 and descriptor encodings. */
#include "s2_fixture.h"

static struct test_pool pool;

static void setup(void)
{
	sim_arch_reset();
	cr_assert(test_pool_init(&pool, 256, POOL_PA_BASE));
}

static void teardown(void)
{
	test_pool_destroy(&pool);
}

TestSuite(s2_geometry, .init = setup, .fini = teardown);

Test(s2_geometry, every_ipa_size_follows_the_concatenation_rule)
{
	for (unsigned ipa = 32; ipa <= 48; ipa++) {
		unsigned sl, nr;
		cr_assert_eq(hv_s2_geometry(ipa, &sl, &nr), HV_OK);
		/* The levels below the root resolve 12 + 9 * (3 - sl) bits; the
		 * root the rest, at most 9 + 4 bits (16 concatenated tables),
		 * and never fewer levels than that allows. */
		unsigned below = 12 + 9 * (3 - sl);
		unsigned root_bits = ipa - below;
		cr_assert(root_bits >= 1 && root_bits <= 13, "ipa %u root bits %u", ipa, root_bits);
		cr_assert_eq(nr, root_bits > 9 ? 1u << (root_bits - 9) : 1u, "ipa %u", ipa);
		/* Starting one level lower would need more than 16 tables. */
		if (sl < 2)
			cr_assert_gt(ipa - (below - 9), 13u, "ipa %u could start lower", ipa);
	}
	unsigned sl, nr;
	cr_assert_eq(hv_s2_geometry(40, &sl, &nr), HV_OK);
	cr_assert_eq(sl, 1);
	cr_assert_eq(nr, 2);
	cr_assert_eq(hv_s2_geometry(48, &sl, &nr), HV_OK);
	cr_assert_eq(sl, 0);
	cr_assert_eq(nr, 1);
	cr_assert_eq(hv_s2_geometry(32, &sl, &nr), HV_OK);
	cr_assert_eq(sl, 2);
	cr_assert_eq(nr, 4);
	cr_assert_eq(hv_s2_geometry(31, &sl, &nr), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_geometry(49, &sl, &nr), HV_ERR_INVALID);
}

Test(s2_geometry, vtcr_matches_the_value_measured_on_qemu)
{
	struct hv_s2_pgt pgt;
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_OK);
	/* platform-facts: VTCR_EL2=0x80023558 (T0SZ=24, SL0=1, 4K, WBWA, IS, PS=2). */
	cr_assert_eq(hv_s2_vtcr(&pgt), 0x80023558ull);
	cr_assert_eq(pgt.nr_root_tables, 2);
	uint64_t root = hv_pa_addr(pgt.root_pa);
	cr_assert_eq(root % (2 * 4096), 0, "concatenated root must be 8 KiB aligned");
	cr_assert_eq(hv_s2_vttbr(&pgt), (1ull << 48) | root);
	destroy_all(&pgt, &pool);
}

Test(s2_geometry, vtcr_for_48_bit_and_16_bit_vmid)
{
	struct hv_s2_pgt pgt;
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 0x1234, 48, 48), HV_OK);
	uint64_t v = hv_s2_vtcr(&pgt);
	cr_assert_eq(v & 0x3f, 16);     /* T0SZ */
	cr_assert_eq((v >> 6) & 3, 2);  /* SL0: level 0 */
	cr_assert_eq((v >> 16) & 7, 5); /* PS: 48 bits */
	cr_assert_eq((v >> 19) & 1, 1); /* VS: 16-bit VMID */
	cr_assert_eq(hv_s2_vttbr(&pgt) >> 48, 0x1234);
	destroy_all(&pgt, &pool);
}

Test(s2_geometry, init_refuses_bad_geometry_and_missing_ops)
{
	struct hv_s2_pgt pgt;
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 31, 40), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 49, 48), HV_ERR_INVALID);
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 44, 40), HV_ERR_INVALID); /* IPA > PA */
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 41), HV_ERR_INVALID); /* no PS */
	cr_assert_eq(hv_s2_init(NULL, &pool.ops, 1, 40, 40), HV_ERR_INVALID);
	struct hv_mm_ops no_contig = pool.ops;
	no_contig.zalloc_pages_contig = NULL;
	cr_assert_eq(hv_s2_init(&pgt, &no_contig, 1, 40, 40), HV_ERR_NOT_SUPPORTED);
	cr_assert_eq(hv_s2_init(&pgt, &no_contig, 1, 39, 40), HV_OK); /* one root table */
	destroy_all(&pgt, &pool);
	test_pool_fail_after(&pool, 0, false);
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_ERR_NO_MEMORY);
	cr_assert_eq(pool.live, 0);
}

Test(s2_geometry, descriptor_fields)
{
	struct hv_s2_pgt pgt;
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_OK);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0x1000), hv_pa(0x40001000), 4096, HV_S2_PROT_RW,
	                       HV_S2_MEM_NORMAL_WB, 0),
	             HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0x1000), &l), HV_OK);
	/* Page: valid|page, MemAttr=0xF, S2AP=RW, SH=IS, AF, XN (D8.3, D8.4, D8.6). */
	cr_assert_eq(l.desc, 0x3ull | (0xfull << 2) | (3ull << 6) | (3ull << 8) | (1ull << 10) |
	                         (1ull << 54) | 0x40001000ull);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0x9000000), hv_pa(0x9000000), 4096, HV_S2_PROT_RW,
	                       HV_S2_MEM_DEVICE_nGnRE, 0),
	             HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0x9000000), &l), HV_OK);
	cr_assert_eq((l.desc >> 2) & 0xf, 0x1, "Device-nGnRE");
	cr_assert_eq((l.desc >> 8) & 3, 0);
	cr_assert_eq(l.type, HV_S2_MEM_DEVICE_nGnRE);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0x200000), hv_pa(0x40200000), 2 * MIB, HV_S2_PROT_RWX,
	                       HV_S2_MEM_NORMAL_NC, 0),
	             HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0x3ff000), &l), HV_OK);
	cr_assert_eq(l.level, 2);
	cr_assert_eq(l.desc & 3, 1, "block descriptor");
	cr_assert_eq((l.desc >> 2) & 0xf, 0x5, "Normal NC");
	cr_assert_eq(l.desc & (3ull << 53), 0, "executable");
	cr_assert_eq(l.prot, HV_S2_PROT_RWX);
	cr_assert_eq(hv_pa_addr(l.pa), 0x403ff000);
	destroy_all(&pgt, &pool);
}

Test(s2_geometry, fwb_form)
{
	struct hv_s2_pgt pgt;
	struct hv_s2_leaf l;
	cr_assert_eq(hv_s2_init(&pgt, &pool.ops, 1, 40, 40), HV_OK);
	cr_assert_eq(hv_s2_set_fwb(&pgt, true), HV_OK);
	cr_assert_eq(hv_s2_map(&pgt, hv_ipa(0), hv_pa(0x40000000), 4096, HV_S2_PROT_R,
	                       HV_S2_MEM_NORMAL_WB, 0),
	             HV_OK);
	cr_assert_eq(hv_s2_lookup(&pgt, hv_ipa(0), &l), HV_OK);
	cr_assert_eq((l.desc >> 2) & 0xf, 0x6, "FWB Normal Write-Back");
	cr_assert_eq(l.type, HV_S2_MEM_NORMAL_WB);
	cr_assert_eq(l.prot, HV_S2_PROT_R);
	cr_assert_eq(hv_s2_set_fwb(&pgt, false), HV_ERR_STATE, "only while empty");
	destroy_all(&pgt, &pool);
}
