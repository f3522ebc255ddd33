/* SPDX-License-Identifier: Apache-2.0 */
#include <criterion/criterion.h>
#include "exit_fixture.h"

static struct exit_fixture fx;
static struct fx_dev devs[HV_MMIO_MAX_DEVICES + 1];

static void setup(void)
{
	fx_init(&fx);
	memset(devs, 0, sizeof(devs));
}
TestSuite(mmio_bus, .init = setup);

Test(mmio_bus, register_keeps_sorted_and_finds)
{
	cr_assert_eq(fx_add_dev(&fx, &devs[0], 0x9000000, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0x8000000, 0x10000, HV_MMIO_SIZE_32BIT), HV_OK);
	cr_assert_eq(fx_add_dev(&fx, &devs[2], 0x80a0000, 0x20000, HV_MMIO_SIZE_32BIT), HV_OK);
	cr_assert_eq(fx.vm.mmio.nr, 3);
	cr_assert_eq(hv_ipa_addr(fx.vm.mmio.regions[0].base), 0x8000000);
	cr_assert_eq(hv_ipa_addr(fx.vm.mmio.regions[1].base), 0x80a0000);
	cr_assert_eq(hv_ipa_addr(fx.vm.mmio.regions[2].base), 0x9000000);
	const struct hv_mmio_region *r = hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(0x80bfffc), 4);
	cr_assert_not_null(r);
	cr_assert_eq(r->opaque, &devs[2]);
	cr_assert_null(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(0x80bfffe), 4)); /* straddles the end */
	cr_assert_null(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(0x80c0000), 1));
	cr_assert_null(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(0x7ffffff), 1));
	cr_assert_eq(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(0x9000fff), 1)->opaque, &devs[0]);
}

Test(mmio_bus, rejects_overlap_and_invalid)
{
	cr_assert_eq(fx_add_dev(&fx, &devs[0], 0x10000, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0x10fff, 0x10, HV_MMIO_SIZES_ALL), HV_ERR_EXISTS);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0xf001, 0x1000, HV_MMIO_SIZES_ALL), HV_ERR_EXISTS);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0x0, 0x20000, HV_MMIO_SIZES_ALL), HV_ERR_EXISTS);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0x11000, 0, HV_MMIO_SIZES_ALL), HV_ERR_INVALID);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0x11000, 0x10, 0), HV_ERR_INVALID);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0x11000, 0x10, 0x10), HV_ERR_INVALID);
	cr_assert_eq(fx_add_dev(&fx, &devs[1], ~0ull - 0xf, 0x20, 1), HV_ERR_INVALID);
	struct hv_mmio_region nocb = {.base = hv_ipa(0x20000), .size = 4, .access_sizes = 4};
	cr_assert_eq(hv_mmio_bus_register(&fx.vm.mmio, &nocb), HV_ERR_INVALID);
	nocb.read = fx_dev_read;
	nocb.flags = 0x80;
	cr_assert_eq(hv_mmio_bus_register(&fx.vm.mmio, &nocb), HV_ERR_INVALID);
	cr_assert_eq(fx.vm.mmio.nr, 1);
	/* Adjacent on both sides is fine; a region may end at 2^64. */
	cr_assert_eq(fx_add_dev(&fx, &devs[1], 0xf000, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	cr_assert_eq(fx_add_dev(&fx, &devs[2], 0x11000, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	cr_assert_eq(fx_add_dev(&fx, &devs[3], ~0ull - 0xfff, 0x1000, HV_MMIO_SIZES_ALL), HV_OK);
	cr_assert_eq(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(~0ull - 7), 8)->opaque, &devs[3]);
	cr_assert_null(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(~0ull - 3), 8)); /* wraps */
}

Test(mmio_bus, table_full_and_unregister)
{
	for (unsigned i = 0; i < HV_MMIO_MAX_DEVICES; i++)
		cr_assert_eq(fx_add_dev(&fx, &devs[i], 0x100000 - i * 0x1000, 0x1000, 4), HV_OK);
	cr_assert_eq(fx_add_dev(&fx, &devs[HV_MMIO_MAX_DEVICES], 0x200000, 0x1000, 4),
	             HV_ERR_NO_MEMORY);
	cr_assert_eq(hv_mmio_bus_unregister(&fx.vm.mmio, hv_ipa(0x100800)), HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_mmio_bus_unregister(&fx.vm.mmio, hv_ipa(0x100000)), HV_OK);
	cr_assert_eq(fx.vm.mmio.nr, HV_MMIO_MAX_DEVICES - 1);
	cr_assert_null(hv_mmio_bus_find(&fx.vm.mmio, hv_ipa(0x100000), 4));
	cr_assert_eq(fx_add_dev(&fx, &devs[HV_MMIO_MAX_DEVICES], 0x200000, 0x1000, 4), HV_OK);
	for (unsigned i = 1; i < fx.vm.mmio.nr; i++)
		cr_assert_lt(hv_ipa_addr(fx.vm.mmio.regions[i - 1].base),
		             hv_ipa_addr(fx.vm.mmio.regions[i].base));
}

Test(mmio_bus, access_sizes_alignment_and_masking)
{
	struct hv_vcpu *v = &fx.vcpus[0];
	cr_assert_eq(
	    fx_add_dev(&fx, &devs[0], 0x8000000, 0x10000, HV_MMIO_SIZE_32BIT | HV_MMIO_SIZE_64BIT),
	    HV_OK);
	uint64_t val = 0x1122334455667788ull;
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000104), 4, true, &val), HV_OK);
	cr_assert_eq(devs[0].value, 0x55667788ull);
	cr_assert_eq(devs[0].offset, 0x104);
	cr_assert_eq(devs[0].vcpu, v);
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000104), 1, true, &val),
	             HV_ERR_INVALID);
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000102), 4, true, &val),
	             HV_ERR_INVALID);
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000100), 3, true, &val),
	             HV_ERR_INVALID);
	cr_assert_eq(devs[0].writes, 1);
	devs[0].read_value = 0xdeadbeefcafef00dull;
	val = 0;
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000008), 4, false, &val), HV_OK);
	cr_assert_eq(val, 0xcafef00dull); /* a device's stray high bits are dropped */
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000008), 8, false, &val), HV_OK);
	cr_assert_eq(val, 0xdeadbeefcafef00dull);
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x9000000), 4, false, &val),
	             HV_ERR_NOT_FOUND);
	devs[0].ret = HV_ERR_RANGE;
	val = 7;
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x8000008), 4, false, &val),
	             HV_ERR_RANGE);
	cr_assert_eq(val, 7); /* a failed read leaves the output alone */
}

Test(mmio_bus, unaligned_flag_and_missing_direction)
{
	struct hv_vcpu *v = &fx.vcpus[0];
	struct hv_mmio_region r = {.base = hv_ipa(0x1000),
	                           .size = 0x100,
	                           .access_sizes = HV_MMIO_SIZES_ALL,
	                           .flags = HV_MMIO_F_UNALIGNED_OK,
	                           .read = fx_dev_read,
	                           .opaque = &devs[0]};
	cr_assert_eq(hv_mmio_bus_register(&fx.vm.mmio, &r), HV_OK);
	uint64_t val = 0;
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x1003), 4, false, &val), HV_OK);
	cr_assert_eq(devs[0].offset, 3);
	cr_assert_eq(hv_mmio_bus_access(&fx.vm.mmio, v, hv_ipa(0x1004), 4, true, &val),
	             HV_ERR_INVALID);
}
