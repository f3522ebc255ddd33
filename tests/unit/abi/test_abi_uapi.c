/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hv/abi.h against MediaTek's GenieZone UAPI (include/uapi/linux/gzvm.h,
 * driver 16.0), written out here as plain numbers so that a change to the
 * header cannot move both sides: every ioctl number, the struct sizes and
 * offsets a VMM relies on, the capabilities, exit reasons and function IDs.
 */
#include <criterion/criterion.h>
#include <stddef.h>
#include <hv/abi.h>

struct num {
	const char *name;
	uint64_t ours, theirs;
};

#define N(ours, theirs)                                                                            \
	{                                                                                          \
#ours, (uint64_t)(ours), (uint64_t)(theirs)                                        \
	}

static void check(const struct num *t, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cr_expect_eq(t[i].ours, t[i].theirs, "%s: 0x%llx, MediaTek 0x%llx", t[i].name,
		             (unsigned long long)t[i].ours, (unsigned long long)t[i].theirs);
}

Test(abi_uapi, ioctl_numbers_are_mediateks)
{
	static const struct num t[] = {
	    N(HV_GZVM_CREATE_VM, 0x9201),       /* _IO(0x92, 0x01) */
	    N(HV_GZVM_CHECK_EXTENSION, 0x9203), /* _IO(0x92, 0x03), a pointer all the same */
	    N(HV_GZVM_CREATE_VCPU, 0x9241),     /* _IO(0x92, 0x41) */
	    N(HV_GZVM_SET_USER_MEMORY_REGION, 0x40209246),
	    N(HV_GZVM_IRQ_LINE, 0x40089261),
	    N(HV_GZVM_IRQFD, 0x40209276),
	    N(HV_GZVM_IOEVENTFD, 0x40409279),
	    N(HV_GZVM_ENABLE_CAP, 0x403092a3),
	    N(HV_GZVM_CREATE_DEVICE, 0xc03092e0), /* _IOWR(0x92, 0xe0, 48) */
	    N(HV_GZVM_SET_DTB_CONFIG, 0x401092ff),
	    N(HV_GZVM_RUN, 0x9280), /* _IO(0x92, 0x80), a pointer all the same */
	    N(HV_GZVM_GET_ONE_REG, 0x401092ab),
	    N(HV_GZVM_SET_ONE_REG, 0x401092ac),
	};
	check(t, sizeof(t) / sizeof(t[0]));
}

Test(abi_uapi, struct_sizes_and_offsets_are_mediateks)
{
	static const struct num t[] = {
	    N(sizeof(struct hv_gzvm_userspace_memory_region), 32),
	    N(offsetof(struct hv_gzvm_userspace_memory_region, guest_phys_addr), 8),
	    N(offsetof(struct hv_gzvm_userspace_memory_region, memory_size), 16),
	    N(offsetof(struct hv_gzvm_userspace_memory_region, userspace_addr), 24),
	    N(sizeof(struct hv_gzvm_irq_level), 8),
	    N(sizeof(struct hv_gzvm_irqfd), 32),
	    N(offsetof(struct hv_gzvm_irqfd, flags), 8),
	    N(offsetof(struct hv_gzvm_irqfd, pad), 16),
	    N(sizeof(struct hv_gzvm_ioeventfd), 64),
	    N(offsetof(struct hv_gzvm_ioeventfd, len), 16),
	    N(offsetof(struct hv_gzvm_ioeventfd, fd), 20),
	    N(offsetof(struct hv_gzvm_ioeventfd, flags), 24),
	    N(sizeof(struct hv_gzvm_enable_cap), 48),
	    N(offsetof(struct hv_gzvm_enable_cap, args), 8),
	    N(sizeof(struct hv_abi_create_device), 48),
	    N(offsetof(struct hv_abi_create_device, dev_addr), 16),
	    N(offsetof(struct hv_abi_create_device, attr_size), 40),
	    N(sizeof(struct hv_gzvm_dtb_config), 16),
	    N(sizeof(struct hv_gzvm_one_reg), 16),
	    N(sizeof(struct hv_abi_vcpu_run), 264),
	    N(offsetof(struct hv_abi_vcpu_run, immediate_exit), 4),
	    N(offsetof(struct hv_abi_vcpu_run, mmio.phys_addr), 8),
	    N(offsetof(struct hv_abi_vcpu_run, mmio.data), 16),
	    N(offsetof(struct hv_abi_vcpu_run, mmio.size), 24),
	    N(offsetof(struct hv_abi_vcpu_run, mmio.reg_nr), 32),
	    N(offsetof(struct hv_abi_vcpu_run, mmio.is_write), 36),
	    N(offsetof(struct hv_abi_vcpu_run, fail_entry.cpu), 16),
	    N(offsetof(struct hv_abi_vcpu_run, exception.error_code), 12),
	    N(offsetof(struct hv_abi_vcpu_run, exception.fault_gpa), 16),
	    N(offsetof(struct hv_abi_vcpu_run, exception.reserved), 24),
	    N(sizeof(((struct hv_abi_vcpu_run *)0)->exception.reserved), 30 * 8),
	    N(offsetof(struct hv_abi_vcpu_run, hypercall.args), 8),
	    N(offsetof(struct hv_abi_vcpu_run, internal.data), 16),
	    N(offsetof(struct hv_abi_vcpu_run, system_event.ndata), 12),
	    N(offsetof(struct hv_abi_vcpu_run, system_event.data), 16),
	    N(sizeof(struct hv_abi_mem_region), 24),
	    N(sizeof(struct hv_abi_mem_constituent), 16),
	    N(offsetof(struct hv_abi_vcpu_hwstate, lr), 8),
	    N(offsetof(struct hv_abi_vcpu_hwstate, vtimer_offset), 136),
	    N(offsetof(struct hv_abi_vcpu_hwstate, vtimer_delay), 144),
	    N(offsetof(struct hv_abi_vcpu_hwstate, vtimer_migrate), 152),
	};
	check(t, sizeof(t) / sizeof(t[0]));
}

Test(abi_uapi, capabilities_exit_reasons_and_flags_are_mediateks)
{
	static const struct num t[] = {
	    N(HV_ABI_CAP_VM_GPA_SIZE, 0xa5),
	    N(HV_ABI_CAP_PROTECTED_VM, 0xffbadab1),
	    N(HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, 0x9201),
	    N(HV_ABI_CAP_ENABLE_DEMAND_PAGING, 0x9202),
	    N(HV_ABI_CAP_ENABLE_IDLE, 0x9203),
	    N(HV_ABI_CAP_QUERY_HYP_BATCH_PAGES, 0x9204),
	    N(HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES, 0x9205),
	    N(HV_ABI_EXIT_UNKNOWN, 0x92920000),
	    N(HV_ABI_EXIT_MMIO, 0x92920001),
	    N(HV_ABI_EXIT_HYPERCALL, 0x92920002),
	    N(HV_ABI_EXIT_IRQ, 0x92920003),
	    N(HV_ABI_EXIT_EXCEPTION, 0x92920004),
	    N(HV_ABI_EXIT_DEBUG, 0x92920005),
	    N(HV_ABI_EXIT_FAIL_ENTRY, 0x92920006),
	    N(HV_ABI_EXIT_INTERNAL_ERROR, 0x92920007),
	    N(HV_ABI_EXIT_SYSTEM_EVENT, 0x92920008),
	    N(HV_ABI_EXIT_SHUTDOWN, 0x92920009),
	    N(HV_ABI_EXIT_GZ, 0x9292000a),
	    N(HV_ABI_EXIT_IDLE, 0x9292000b),
	    N(HV_ABI_EXIT_IPI, 0x9292000d),
	    N(HV_ABI_EXCEPTION_PAGE_FAULT, 1),
	    N(HV_ABI_SYSTEM_EVENT_SHUTDOWN, 1),
	    N(HV_ABI_SYSTEM_EVENT_RESET, 2),
	    N(HV_GZVM_MEM_GUEST_MEM, 1),
	    N(HV_GZVM_MEM_PROTECT_FW, 2),
	    N(HV_GZVM_MEM_STATIC_SWIOTLB, 4),
	    N(HV_GZVM_IRQ_TYPE_SHIFT, 24),
	    N(HV_GZVM_IRQ_TYPE_SPI, 1),
	    N(HV_GZVM_IRQ_TYPE_PPI, 2),
	    N(HV_GZVM_IRQ_VCPU_SHIFT, 16),
	    N(HV_GZVM_IRQ_VCPU2_SHIFT, 28),
	    N(HV_GZVM_IRQ_NUM_MASK, 0xffff),
	    N(HV_GZVM_IRQFD_FLAG_DEASSIGN, 1),
	    N(HV_GZVM_IOEVENTFD_FLAG_DATAMATCH, 1),
	    N(HV_GZVM_IOEVENTFD_FLAG_DEASSIGN, 4),
	    N(HV_ABI_DEV_VGIC_V3_DIST, 0),
	    N(HV_ABI_DEV_VGIC_V3_REDIST, 1),
	};
	check(t, sizeof(t) / sizeof(t[0]));
}

Test(abi_uapi, hypercalls_and_return_codes_are_mediateks)
{
	static const struct num t[] = {
	    N(HV_ABI_FN(HV_ABI_CREATE_VM), 0xfb001000),
	    N(HV_ABI_FN(HV_ABI_DESTROY_VM), 0xfb001001),
	    N(HV_ABI_FN(HV_ABI_CREATE_VCPU), 0xfb001002),
	    N(HV_ABI_FN(HV_ABI_SET_MEMREGION), 0xfb001004),
	    N(HV_ABI_FN(HV_ABI_RUN), 0xfb001005),
	    N(HV_ABI_FN(HV_ABI_SET_ONE_REG), 0xfb001009),
	    N(HV_ABI_FN(HV_ABI_IRQ_LINE), 0xfb00100a),
	    N(HV_ABI_FN(HV_ABI_CREATE_DEVICE), 0xfb00100b),
	    N(HV_ABI_FN(HV_ABI_PROBE), 0xfb00100c),
	    N(HV_ABI_FN(HV_ABI_ENABLE_CAP), 0xfb00100d),
	    N(HV_ABI_FN(HV_ABI_INFORM_EXIT), 0xfb00100e),
	    N(HV_ABI_FN(HV_ABI_MEMREGION_PURPOSE), 0xfb00100f),
	    N(HV_ABI_FN(HV_ABI_SET_DTB_CONFIG), 0xfb001010),
	    N(HV_ABI_FN(HV_ABI_MAP_GUEST), 0xfb001011),
	    N(HV_ABI_FN(HV_ABI_MAP_GUEST_BLOCK), 0xfb001012),
	    N(HV_ABI_FN(HV_ABI_GET_STATISTICS), 0xfb001013),
	    N(HV_ABI_DRIVER_MAJOR, 16),
	    N(HV_ABI_BLOCK_BUF_PFNS, 512),
	    N(HV_ABI_TUPLE(3, 1), 0x30001),
	    N(HV_ABI_ERR_NO_MEMORY, -5),
	    N(HV_ABI_ERR_INVALID_ARGS, -8),
	    N(HV_ABI_ERR_NOT_SUPPORTED, -24),
	    N(HV_ABI_ERR_NOT_IMPLEMENTED, -27),
	    N(HV_ABI_ERR_BUSY, -33),
	    N(HV_ABI_ERR_FAULT, -40),
	    /* IRQ_LINE: the hypervisor adds 32 to the number; the last SPI. */
	    N(HV_ABI_IRQ_NUM_MAX + 32, 1019),
	};
	check(t, sizeof(t) / sizeof(t[0]));
}
