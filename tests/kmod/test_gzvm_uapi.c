/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The driver's UAPI validation (ports/linux-kmod/kernel/gzvm_uapi.c, the
 * same file the module compiles): what is accepted, and that every
 * malformed, reserved or unoffered field is refused.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "gzvm_uapi.h"

Test(gzvm_uapi, errno_of_every_abi_code)
{
	cr_assert_eq(gzvm_errno(HV_ABI_OK), 0);
	cr_assert_eq(gzvm_errno(HV_ABI_ERR_NO_MEMORY), -ENOMEM);
	cr_assert_eq(gzvm_errno(HV_ABI_ERR_INVALID_ARGS), -EINVAL);
	cr_assert_eq(gzvm_errno(HV_ABI_ERR_NOT_SUPPORTED), -EOPNOTSUPP);
	cr_assert_eq(gzvm_errno(HV_ABI_ERR_NOT_IMPLEMENTED), -EOPNOTSUPP);
	cr_assert_eq(gzvm_errno(HV_ABI_ERR_BUSY), -EAGAIN);
	cr_assert_eq(gzvm_errno(HV_ABI_ERR_FAULT), -EFAULT);
	cr_assert_eq(gzvm_errno(-1), -EINVAL, "SMCCC NOT_SUPPORTED from a stranger");
	cr_assert_eq(gzvm_errno(12345), -EINVAL);
}

static struct hv_gzvm_userspace_memory_region good_region(void)
{
	return (struct hv_gzvm_userspace_memory_region){
	    .slot = 3,
	    .flags = HV_GZVM_MEM_GUEST_MEM,
	    .guest_phys_addr = 0x40000000,
	    .memory_size = 64 << 20,
	    .userspace_addr = 0x7f0000000000,
	};
}

Test(gzvm_uapi, memory_region)
{
	struct hv_gzvm_userspace_memory_region r = good_region();
	cr_assert_eq(gzvm_check_memory_region(&r), 0);

	r = good_region();
	r.slot = HV_ABI_MAX_MEMSLOTS;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "slot out of range");
	r = good_region();
	r.flags = 0;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "no GUEST_MEM");
	r.flags = HV_GZVM_MEM_GUEST_MEM | HV_GZVM_MEM_PROTECT_FW;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "protected-VM flag");
	r.flags = HV_GZVM_MEM_GUEST_MEM | (1u << 31);
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "unknown flag");
	r = good_region();
	r.guest_phys_addr += 0x800;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "gpa alignment");
	r = good_region();
	r.userspace_addr += 8;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "hva alignment");
	r = good_region();
	r.memory_size = 0;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "empty");
	r.memory_size = 4097;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "size alignment");
	r.memory_size = (uint64_t)1 << 43; /* 2^31 pages */
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "too many pages");
	r = good_region();
	r.guest_phys_addr = UINT64_MAX & ~(uint64_t)0xfff;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "gpa wraps");
	r = good_region();
	r.userspace_addr = UINT64_MAX & ~(uint64_t)0xfff;
	cr_assert_eq(gzvm_check_memory_region(&r), -EINVAL, "hva wraps");
}

Test(gzvm_uapi, ranges_overlap)
{
	cr_assert(gzvm_ranges_overlap(0x1000, 0x2000, 0x2000, 0x1000));
	cr_assert(gzvm_ranges_overlap(0x2000, 0x1000, 0x1000, 0x2000));
	cr_assert(!gzvm_ranges_overlap(0x1000, 0x1000, 0x2000, 0x1000), "adjacent");
	cr_assert(!gzvm_ranges_overlap(0x1000, 0, 0x1000, 0x1000), "empty");
	cr_assert(gzvm_ranges_overlap(UINT64_MAX - 0xfff, 0x1000, UINT64_MAX, 1), "at the top");
}

Test(gzvm_uapi, irq_line)
{
	struct gzvm_irq_line out;
	/* MediaTek's numbering: SPI number 10 is INTID 42 (the hypervisor adds 32). */
	struct hv_gzvm_irq_level in = {.irq = HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_SPI, 0, 10), .level = 1};

	cr_assert_eq(gzvm_decode_irq_line(&in, &out), 0);
	cr_assert_eq(out.num, 10);
	cr_assert_eq(out.vcpu, 0);
	cr_assert_eq(out.level, 1);
	in.irq = HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_SPI, 0, HV_ABI_IRQ_NUM_MAX);
	in.level = 0;
	cr_assert_eq(gzvm_decode_irq_line(&in, &out), 0);
	cr_assert_eq(out.num, 987, "INTID 1019, the last SPI");
	cr_assert_eq(out.level, 0);

	const uint32_t bad[] = {
	    HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_SPI, 0, 988),             /* INTID 1020 */
	    HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_PPI, 0, 27),              /* PPIs: not by number */
	    HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_SPI, 8, 10),              /* vCPU 8 */
	    HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_SPI, 0, 10) | (1u << 28), /* vcpu2: vCPU 256 */
	    HV_GZVM_IRQ(0, 0, 10),                                 /* type CPU */
	    HV_GZVM_IRQ(3, 0, 10),                                 /* unknown type */
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in.irq = bad[i];
		in.level = 1;
		cr_assert_eq(gzvm_decode_irq_line(&in, &out), -EINVAL, "irq %#x", bad[i]);
	}
	in.irq = HV_GZVM_IRQ(HV_GZVM_IRQ_TYPE_SPI, 0, 10);
	in.level = 2;
	cr_assert_eq(gzvm_decode_irq_line(&in, &out), -EINVAL, "level 2");
}

Test(gzvm_uapi, irqfd)
{
	struct hv_gzvm_irqfd in = {.fd = 5, .gsi = 10};
	uint32_t num = 0;

	cr_assert_eq(gzvm_check_irqfd(&in, &num), 0);
	cr_assert_eq(num, 10, "gsi is the SPI number the hypervisor adds 32 to");
	in.flags = HV_GZVM_IRQFD_FLAG_DEASSIGN;
	cr_assert_eq(gzvm_check_irqfd(&in, &num), 0);
	in.gsi = 987;
	cr_assert_eq(gzvm_check_irqfd(&in, &num), 0);
	cr_assert_eq(num, 987);

	num = 7;
	in.gsi = 988;
	cr_assert_eq(gzvm_check_irqfd(&in, &num), -EINVAL, "beyond SPI 1019");
	cr_assert_eq(num, 7, "nothing written on error");
	in.gsi = 10;
	in.flags = 1u << 1; /* RESAMPLE */
	cr_assert_eq(gzvm_check_irqfd(&in, &num), -EINVAL, "RESAMPLE not offered");
	in.flags = 0;
	in.resamplefd = 3;
	cr_assert_eq(gzvm_check_irqfd(&in, &num), -EINVAL, "resamplefd reserved");
	in.resamplefd = 0;
	in.pad[15] = 1;
	cr_assert_eq(gzvm_check_irqfd(&in, &num), -EINVAL, "pad reserved");
}

static struct hv_gzvm_ioeventfd good_ioevent(void)
{
	return (struct hv_gzvm_ioeventfd){.addr = 0x0a000050, .len = 4, .fd = 3};
}

Test(gzvm_uapi, ioeventfd_checks)
{
	struct hv_gzvm_ioeventfd in = good_ioevent();
	cr_assert_eq(gzvm_check_ioeventfd(&in), 0);
	in.flags = HV_GZVM_IOEVENTFD_FLAG_DATAMATCH;
	in.datamatch = 0xffffffff;
	cr_assert_eq(gzvm_check_ioeventfd(&in), 0);
	in.flags |= HV_GZVM_IOEVENTFD_FLAG_DEASSIGN;
	cr_assert_eq(gzvm_check_ioeventfd(&in), 0);

	in = good_ioevent();
	in.flags = 1u << 1; /* PIO */
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "PIO");
	in = good_ioevent();
	in.flags = 1u << 3;
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "unknown flag");
	in = good_ioevent();
	in.datamatch = 1;
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "datamatch without DATAMATCH");
	in = good_ioevent();
	in.flags = HV_GZVM_IOEVENTFD_FLAG_DATAMATCH;
	in.datamatch = 0x100000000ull;
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "datamatch wider than len");
	in = good_ioevent();
	in.pad[35] = 1;
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "pad");
	const uint32_t lens[] = {0, 3, 5, 16};
	for (unsigned i = 0; i < 4; i++) {
		in = good_ioevent();
		in.len = lens[i];
		cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "len %u", lens[i]);
	}
	in = good_ioevent();
	in.addr += 2;
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "misaligned");
	in = good_ioevent();
	in.len = 8;
	in.addr = UINT64_MAX - 7;
	cr_assert_eq(gzvm_check_ioeventfd(&in), 0, "the last 8 bytes");
	in.len = 4;
	in.addr = UINT64_MAX - 1;
	cr_assert_eq(gzvm_check_ioeventfd(&in), -EINVAL, "wraps");
}

Test(gzvm_uapi, ioeventfd_matching)
{
	struct hv_gzvm_ioeventfd ev = good_ioevent();
	uint8_t data[8] = {0x78, 0x56, 0x34, 0x12, 0xaa, 0xbb, 0xcc, 0xdd};

	cr_assert(gzvm_ioeventfd_matches(&ev, 0x0a000050, 4, data), "any value");
	cr_assert(!gzvm_ioeventfd_matches(&ev, 0x0a000054, 4, data), "other address");
	cr_assert(!gzvm_ioeventfd_matches(&ev, 0x0a000050, 2, data), "other length");
	ev.flags = HV_GZVM_IOEVENTFD_FLAG_DATAMATCH;
	ev.datamatch = 0x12345678;
	cr_assert(gzvm_ioeventfd_matches(&ev, 0x0a000050, 4, data), "little-endian value");
	ev.datamatch = 0x12345679;
	cr_assert(!gzvm_ioeventfd_matches(&ev, 0x0a000050, 4, data));
	ev.len = 8;
	ev.datamatch = 0xddccbbaa12345678ull;
	cr_assert(gzvm_ioeventfd_matches(&ev, 0x0a000050, 8, data));

	struct hv_gzvm_ioeventfd a = good_ioevent(), b = good_ioevent();
	b.fd = 9;
	b.flags = HV_GZVM_IOEVENTFD_FLAG_DEASSIGN;
	cr_assert(gzvm_ioeventfd_same(&a, &b), "fd and DEASSIGN do not matter");
	b.flags |= HV_GZVM_IOEVENTFD_FLAG_DATAMATCH;
	cr_assert(!gzvm_ioeventfd_same(&a, &b), "DATAMATCH does");
	b = good_ioevent();
	b.len = 2;
	cr_assert(!gzvm_ioeventfd_same(&a, &b));
}

Test(gzvm_uapi, enable_cap)
{
	struct hv_gzvm_enable_cap in = {.cap = HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                                .args = {2 << 20}};
	uint32_t pages = 0;

	cr_assert_eq(gzvm_check_enable_cap(&in, &pages), 0);
	cr_assert_eq(pages, 512);
	in.args[0] = 64 << 10;
	cr_assert_eq(gzvm_check_enable_cap(&in, &pages), 0);
	cr_assert_eq(pages, 16);

	const uint64_t sizes[] = {0, 4096, 3 << 20, 4 << 20, 96 << 10};
	for (unsigned i = 0; i < 5; i++) {
		in.args[0] = sizes[i];
		cr_assert_eq(gzvm_check_enable_cap(&in, &pages), -EINVAL, "block %#llx",
		             (unsigned long long)sizes[i]);
	}
	in.args[0] = 2 << 20;
	in.args[1] = 0x1000; /* the buffer PA is the driver's business */
	cr_assert_eq(gzvm_check_enable_cap(&in, &pages), -EINVAL);
	in.args[1] = 0;
	in.args[4] = 1;
	cr_assert_eq(gzvm_check_enable_cap(&in, &pages), -EINVAL);

	const uint64_t caps[] = {HV_ABI_CAP_PROTECTED_VM, HV_ABI_CAP_ENABLE_DEMAND_PAGING,
	                         HV_ABI_CAP_ENABLE_IDLE, HV_ABI_CAP_VM_GPA_SIZE, 0};
	for (unsigned i = 0; i < 5; i++) {
		struct hv_gzvm_enable_cap c = {.cap = caps[i]};
		cr_assert_eq(gzvm_check_enable_cap(&c, &pages), -EINVAL, "cap %#llx",
		             (unsigned long long)caps[i]);
	}
}

Test(gzvm_uapi, protected_cap)
{
	struct hv_gzvm_enable_cap in = {.cap = HV_ABI_CAP_PROTECTED_VM,
	                                .args = {HV_ABI_PVM_SET_PROTECTED_VM}};
	cr_assert_eq(gzvm_check_protected_cap(&in), 0);
	in.args[3] = 1;
	cr_assert_eq(gzvm_check_protected_cap(&in), -EINVAL);
	in.args[3] = 0;
	in.args[0] = HV_ABI_PVM_SET_PVMFW_GPA;
	cr_assert_eq(gzvm_check_protected_cap(&in), -EINVAL);
	in.args[0] = HV_ABI_PVM_GET_PVMFW_SIZE;
	cr_assert_eq(gzvm_check_protected_cap(&in), -EINVAL);
	struct hv_gzvm_enable_cap block = {.cap = HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                                   .args = {HV_ABI_PVM_SET_PROTECTED_VM}};
	cr_assert_eq(gzvm_check_protected_cap(&block), -EINVAL);
}

Test(gzvm_uapi, create_device)
{
	struct hv_abi_create_device d = {
	    .dev_type = HV_ABI_DEV_VGIC_V3_DIST, .dev_addr = 0x08000000, .dev_reg_size = 0x10000};
	cr_assert_eq(gzvm_check_create_device(&d), 0);
	d.dev_type = HV_ABI_DEV_VGIC_V3_REDIST;
	cr_assert_eq(gzvm_check_create_device(&d), 0);

	struct hv_abi_create_device bad;
	bad = d, bad.dev_type = 2;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "type");
	bad = d, bad.flags = 1;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "flags");
	bad = d, bad.attr_addr = 0x1000;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "attr_addr");
	bad = d, bad.attr_size = 8;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "attr_size");
	bad = d, bad.dev_addr += 0x10;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "alignment");
	bad = d, bad.dev_reg_size = 0;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "empty");
	bad = d, bad.dev_addr = UINT64_MAX & ~(uint64_t)0xfff;
	cr_assert_eq(gzvm_check_create_device(&bad), -EINVAL, "wraps");
}

Test(gzvm_uapi, dtb_config)
{
	struct hv_gzvm_dtb_config c = {.dtb_addr = 0x48000000, .dtb_size = 0x2000};
	cr_assert_eq(gzvm_check_dtb_config(&c), 0);
	c.dtb_size = 2 << 20;
	cr_assert_eq(gzvm_check_dtb_config(&c), 0);
	c.dtb_size = (2 << 20) + 1;
	cr_assert_eq(gzvm_check_dtb_config(&c), -EINVAL, "larger than 2 MiB");
	c.dtb_size = 0;
	cr_assert_eq(gzvm_check_dtb_config(&c), -EINVAL, "empty");
	c.dtb_size = 0x100;
	c.dtb_addr = 0x48000004;
	cr_assert_eq(gzvm_check_dtb_config(&c), -EINVAL, "not 8-byte aligned");
	c.dtb_addr = UINT64_MAX - 7;
	cr_assert_eq(gzvm_check_dtb_config(&c), -EINVAL, "wraps");
}

Test(gzvm_uapi, one_reg_size)
{
	cr_assert_eq(gzvm_one_reg_size(HV_GZVM_REG_PC), 8);
	cr_assert_eq(gzvm_one_reg_size(HV_GZVM_REG_X(30)), 8);
	cr_assert_eq(gzvm_one_reg_size(HV_GZVM_REG_ARM64 | HV_GZVM_REG_SIZE_U32 | 0x1234), 4);
	cr_assert_eq(gzvm_one_reg_size(HV_GZVM_REG_ARM64 | ((uint64_t)4 << 52)), -EINVAL, "U128");
	cr_assert_eq(gzvm_one_reg_size(HV_GZVM_REG_ARM64 | ((uint64_t)1 << 52)), -EINVAL, "U16");
	cr_assert_eq(gzvm_one_reg_size(HV_GZVM_REG_SIZE_U64 | 0x40), -EINVAL, "no arch");
	cr_assert_eq(gzvm_one_reg_size(0x4030000000100040ull), -EINVAL, "another arch");
}

Test(gzvm_uapi, fault_range)
{
	uint64_t first = 0;
	uint32_t nr = 0;

	/* Slot of 4 MiB + 16 KiB at gfn 0x40000 (IPA 0x40000000). */
	const uint64_t base = 0x40000, pages = 1024 + 4;
	cr_assert(gzvm_fault_range(0x40123, base, pages, 1, &first, &nr));
	cr_assert_eq(first, 0x40123);
	cr_assert_eq(nr, 1, "page by page");
	cr_assert(gzvm_fault_range(0x40123, base, pages, 512, &first, &nr));
	cr_assert_eq(first, 0x40000);
	cr_assert_eq(nr, 512, "whole 2 MiB block");
	cr_assert(gzvm_fault_range(0x40401, base, pages, 512, &first, &nr));
	cr_assert_eq(first, 0x40400);
	cr_assert_eq(nr, 4, "clamped to the slot's end");

	/* A slot that starts inside a block. */
	cr_assert(gzvm_fault_range(0x40210, 0x40200, 0x400, 512, &first, &nr));
	cr_assert_eq(first, 0x40200);
	cr_assert_eq(nr, 0x200 - 0);
	cr_assert(gzvm_fault_range(0x40210, 0x40208, 0x10, 512, &first, &nr));
	cr_assert_eq(first, 0x40208, "clamped to the slot's start");
	cr_assert_eq(nr, 0x10);

	first = 7;
	cr_assert(!gzvm_fault_range(0x3ffff, base, pages, 512, &first, &nr), "below");
	cr_assert(!gzvm_fault_range(base + pages, base, pages, 512, &first, &nr), "above");
	cr_assert_eq(first, 7, "nothing written outside the slot");
}

Test(gzvm_uapi, uid)
{
	cr_assert(gzvm_uid_is_ours(HV_ABI_HYP_UID_W0, HV_ABI_HYP_UID_W1, HV_ABI_HYP_UID_W2,
	                           HV_ABI_HYP_UID_W3));
	cr_assert(!gzvm_uid_is_ours(HV_ABI_HYP_UID_W0, HV_ABI_HYP_UID_W1, HV_ABI_HYP_UID_W2, 0));
	cr_assert(!gzvm_uid_is_ours(UINT64_MAX, 0, 0, 0), "SMCCC NOT_SUPPORTED");
	/* KVM's UID (28b46fb6-2ec5-11e9-a9ca-4b564d003a74) is not ours. */
	cr_assert(!gzvm_uid_is_ours(0xb66fb428, 0xe911c52e, 0x564bcaa9, 0x743a004d));
}
