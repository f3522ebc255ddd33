/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hypercall ABI between the host driver and the hypervisor, and the
 * host-visible UAPI layouts: the single source of truth for every number
 * (GenieZone-compatible: function IDs 0xFB001000 + n, return codes, exit
 * reasons 0x929200xx, capabilities, /dev/gzvm ioctls with magic 0x92).
 *
 * Usable from the freestanding core and from the Linux module: only
 * fixed-width types; the module includes <linux/types.h> first (under
 * __KERNEL__ this header includes nothing). Struct sizes and offsets are
 * pinned by static assertions below.
 */
#ifndef HV_ABI_H
#define HV_ABI_H

#ifndef __KERNEL__
#include <stdint.h>
#endif

/* Version of this ABI (PROBE answers it); bump MAJOR on incompatible change. */
#define HV_ABI_VERSION_MAJOR 1u
#define HV_ABI_VERSION_MINOR 0u
#define HV_ABI_VERSION_SUB   0u
/* Driver version the GenieZone host driver sends in PROBE (16.0.0). */
#define HV_ABI_DRIVER_MAJOR 16u

/* ---- Hypercalls: SMCCC fast call, SMC64, owner 59 (Trusted OS range),
 * function 0x1000 + n (SMCCC 1.2 register convention a0..a7 -> a0..a3). */
#define HV_ABI_FN_BASE 0xfb001000u
#define HV_ABI_FN(n)   (HV_ABI_FN_BASE + (uint32_t)(n))

enum hv_abi_fn {
	HV_ABI_CREATE_VM = 0,          /* vm_type -> a1 = vmid */
	HV_ABI_DESTROY_VM = 1,         /* vmid, batch pages; BUSY until done */
	HV_ABI_CREATE_VCPU = 2,        /* tuple, PA of the 2-page run area */
	HV_ABI_DESTROY_VCPU = 3,       /* tuple */
	HV_ABI_SET_MEMREGION = 4,      /* vmid, buffer size, PA of the region buffer */
	HV_ABI_RUN = 5,                /* tuple -> a1 = exit reason */
	HV_ABI_GET_ONE_REG = 8,        /* tuple, reg id -> a1 = value */
	HV_ABI_SET_ONE_REG = 9,        /* tuple, reg id, value */
	HV_ABI_IRQ_LINE = 10,          /* tuple, INTID, level */
	HV_ABI_CREATE_DEVICE = 11,     /* vmid, PA of a struct hv_abi_create_device page */
	HV_ABI_PROBE = 12,             /* driver major/minor/sub -> hyp version a1..a3 */
	HV_ABI_ENABLE_CAP = 13,        /* vmid (0: global), cap, args[0..4] */
	HV_ABI_INFORM_EXIT = 14,       /* vmid */
	HV_ABI_MEMREGION_PURPOSE = 15, /* vmid, gpa, size, flags */
	HV_ABI_SET_DTB_CONFIG = 16,    /* vmid, dtb gpa, dtb size */
	HV_ABI_MAP_GUEST = 17,         /* vmid, memslot, pfn, gfn, nr pages */
	HV_ABI_MAP_GUEST_BLOCK = 18,   /* vmid, memslot, gfn, nr; pfns in the block buffer */
	HV_ABI_GET_STATISTICS = 19,    /* vmid -> a1 hyp bytes, a2 shared bytes */
	HV_ABI_NR_FN = 20,
};

/* (VM, vCPU) tuple passed in one register. */
#define HV_ABI_TUPLE(vmid, vcpu) (((uint64_t)(vmid) << 16) | (uint64_t)(vcpu))
#define HV_ABI_TUPLE_VMID(t)     ((uint16_t)((t) >> 16))
#define HV_ABI_TUPLE_VCPU(t)     ((uint16_t)(t))
#define HV_ABI_INVALID_VMID      0xffffu
#define HV_ABI_MAX_VCPUS         8u
#define HV_ABI_MAX_MEMSLOTS      32u

/* Return codes in a0 (negative errno values, as GenieZone). */
#define HV_ABI_OK                  0
#define HV_ABI_ERR_NO_MEMORY       (-5)
#define HV_ABI_ERR_INVALID_ARGS    (-8)
#define HV_ABI_ERR_NOT_SUPPORTED   (-24)
#define HV_ABI_ERR_NOT_IMPLEMENTED (-27)
#define HV_ABI_ERR_BUSY            (-33)
#define HV_ABI_ERR_FAULT           (-40)

/* ---- Exit reasons (vcpu_run.exit_reason). */
#define HV_ABI_EXIT_UNKNOWN        0x92920000u
#define HV_ABI_EXIT_MMIO           0x92920001u
#define HV_ABI_EXIT_HYPERCALL      0x92920002u
#define HV_ABI_EXIT_IRQ            0x92920003u
#define HV_ABI_EXIT_EXCEPTION      0x92920004u
#define HV_ABI_EXIT_DEBUG          0x92920005u
#define HV_ABI_EXIT_FAIL_ENTRY     0x92920006u
#define HV_ABI_EXIT_INTERNAL_ERROR 0x92920007u
#define HV_ABI_EXIT_SYSTEM_EVENT   0x92920008u
#define HV_ABI_EXIT_SHUTDOWN       0x92920009u
#define HV_ABI_EXIT_GZ             0x9292000au
#define HV_ABI_EXIT_IDLE           0x9292000bu
#define HV_ABI_EXIT_IPI            0x9292000du
/* exception.exception subtypes */
#define HV_ABI_EXCEPTION_UNKNOWN    0u
#define HV_ABI_EXCEPTION_PAGE_FAULT 1u
/* system_event.type */
#define HV_ABI_SYSTEM_EVENT_SHUTDOWN 1u
#define HV_ABI_SYSTEM_EVENT_RESET    2u
#define HV_ABI_SYSTEM_EVENT_CRASH    3u
#define HV_ABI_SYSTEM_EVENT_WAKEUP   4u
#define HV_ABI_SYSTEM_EVENT_SUSPEND  5u

/* ---- Capabilities (ENABLE_CAP / CHECK_EXTENSION). */
#define HV_ABI_CAP_VM_GPA_SIZE               0xa5u
#define HV_ABI_CAP_PROTECTED_VM              0xffbadab1u
#define HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING 0x9201u
#define HV_ABI_CAP_ENABLE_DEMAND_PAGING      0x9202u
#define HV_ABI_CAP_ENABLE_IDLE               0x9203u
#define HV_ABI_CAP_QUERY_HYP_BATCH_PAGES     0x9204u
#define HV_ABI_CAP_QUERY_DESTROY_BATCH_PAGES 0x9205u

/* ---- Guest-originated SMCCC calls the host may see (vendor hypervisor). */
#define HV_ABI_GUEST_PTP            0x86000001u
#define HV_ABI_GUEST_MEM_RELINQUISH 0xc6000009u

/* ---- Memory-region buffer of SET_MEMREGION (FF-A constituent layout). */
struct hv_abi_mem_region {
	uint32_t slot;
	uint32_t constituent_cnt;
	uint64_t total_pages;
	uint64_t gpa;
	/* followed by constituent_cnt struct hv_abi_mem_constituent */
};
struct hv_abi_mem_constituent {
	uint64_t address; /* host PA, page aligned */
	uint32_t pg_cnt;
	uint32_t reserved; /* must be 0 */
};

/* ---- CREATE_DEVICE page. */
#define HV_ABI_DEV_VGIC_V3_DIST   0u
#define HV_ABI_DEV_VGIC_V3_REDIST 1u
struct hv_abi_create_device {
	uint32_t dev_type;
	uint32_t id;
	uint64_t flags; /* must be 0 */
	uint64_t dev_addr;
	uint64_t dev_reg_size;
	uint64_t attr_addr;
	uint64_t attr_size;
};

/* ---- vcpu_run (run-area page 0, shared with the host). */
struct hv_abi_vcpu_run {
	uint32_t exit_reason;
	uint8_t immediate_exit;
	uint8_t padding1[3];
	union {
		struct {
			uint64_t phys_addr;
			uint8_t data[8];
			uint64_t size;
			uint32_t reg_nr;
			uint8_t is_write;
			/* host -> hypervisor, read at the next RUN: HV_ABI_MMIO_ABORT
			 * if nothing answers at that address (appended field). */
			uint8_t host_abort;
		} mmio;
		struct {
			uint64_t hardware_entry_failure_reason;
			uint32_t cpu;
		} fail_entry;
		struct {
			uint32_t exception;
			uint32_t error_code;
			uint64_t fault_gpa;
			uint64_t reserved[30];
		} exception;
		struct {
			uint64_t args[8];
		} hypercall;
		struct {
			uint32_t suberror;
			uint32_t ndata;
			uint64_t data[16];
		} internal;
		struct {
			uint32_t type;
			uint32_t ndata;
			uint64_t data[16];
		} system_event;
		uint8_t padding[256];
	};
};

/* Run-area page 1: hypervisor-private vCPU state the host reads. */
struct hv_abi_vcpu_hwstate {
	uint32_t nr_lrs;
	uint32_t reserved;
	uint64_t lr[16];
	uint64_t vtimer_offset;  /* host counter at VM start */
	uint64_t vtimer_delay;   /* ticks to the guest's next deadline */
	uint32_t vtimer_migrate; /* the host must arm a timer for this vCPU */
	uint32_t reserved2;
};

/* ---- UAPI: /dev/gzvm ioctls (asm-generic _IOC layout: dir[31:30],
 * size[29:16], type[15:8], nr[7:0]; dir 1 write, 2 read). */
#define HV_GZVM_IOC_MAGIC 0x92u
#define HV_IOC_NONE       0u
#define HV_IOC_WRITE      1u
#define HV_IOC_READ       2u
#define HV_IOC(dir, nr, size)                                                                      \
	(((uint32_t)(dir) << 30) | ((uint32_t)(size) << 16) | (HV_GZVM_IOC_MAGIC << 8) |           \
	 (uint32_t)(nr))

struct hv_gzvm_userspace_memory_region {
	uint32_t slot;
	uint32_t flags; /* HV_GZVM_MEM_* */
	uint64_t guest_phys_addr;
	uint64_t memory_size;
	uint64_t userspace_addr;
};
#define HV_GZVM_MEM_GUEST_MEM      1u
#define HV_GZVM_MEM_PROTECT_FW     2u
#define HV_GZVM_MEM_STATIC_SWIOTLB 4u

struct hv_gzvm_irq_level {
	uint32_t
	    irq; /* [31:28] vcpu2, [27:24] type (0 CPU, 1 SPI, 2 PPI), [23:16] vcpu, [15:0] nr */
	uint32_t level;
};
#define HV_GZVM_IRQ_TYPE_SHIFT 24
#define HV_GZVM_IRQ_TYPE_SPI   1u
#define HV_GZVM_IRQ_TYPE_PPI   2u

struct hv_gzvm_irqfd {
	uint32_t fd;
	uint32_t gsi;
	uint32_t flags; /* bit 0 DEASSIGN, bit 1 RESAMPLE */
	uint32_t resamplefd;
	uint8_t pad[16];
};
struct hv_gzvm_ioeventfd {
	uint64_t datamatch;
	uint64_t addr;
	uint32_t len;
	int32_t fd;
	uint32_t flags; /* bit 0 DATAMATCH, bit 1 PIO, bit 2 DEASSIGN */
	uint8_t pad[36];
};
struct hv_gzvm_enable_cap {
	uint64_t cap;
	uint64_t args[5];
};
struct hv_gzvm_dtb_config {
	uint64_t dtb_addr;
	uint64_t dtb_size;
};
struct hv_gzvm_one_reg {
	uint64_t id;
	uint64_t addr;
};

#define HV_GZVM_CREATE_VM       HV_IOC(HV_IOC_NONE, 0x01, 0)
#define HV_GZVM_CHECK_EXTENSION HV_IOC(HV_IOC_NONE, 0x03, 0)
#define HV_GZVM_CREATE_VCPU     HV_IOC(HV_IOC_NONE, 0x41, 0)
#define HV_GZVM_SET_USER_MEMORY_REGION                                                             \
	HV_IOC(HV_IOC_WRITE, 0x46, sizeof(struct hv_gzvm_userspace_memory_region))
#define HV_GZVM_IRQ_LINE   HV_IOC(HV_IOC_WRITE, 0x61, sizeof(struct hv_gzvm_irq_level))
#define HV_GZVM_IRQFD      HV_IOC(HV_IOC_WRITE, 0x76, sizeof(struct hv_gzvm_irqfd))
#define HV_GZVM_IOEVENTFD  HV_IOC(HV_IOC_WRITE, 0x79, sizeof(struct hv_gzvm_ioeventfd))
#define HV_GZVM_ENABLE_CAP HV_IOC(HV_IOC_WRITE, 0xa3, sizeof(struct hv_gzvm_enable_cap))
/* _IOWR although nothing is written back (MediaTek's number). */
#define HV_GZVM_CREATE_DEVICE                                                                      \
	HV_IOC(HV_IOC_READ | HV_IOC_WRITE, 0xe0, sizeof(struct hv_abi_create_device))
#define HV_GZVM_SET_DTB_CONFIG HV_IOC(HV_IOC_WRITE, 0xff, sizeof(struct hv_gzvm_dtb_config))
/* _IO, yet the argument is a user pointer to struct hv_abi_vcpu_run,
 * copied in and out by the driver (MediaTek's number, kept as it is). */
#define HV_GZVM_RUN         HV_IOC(HV_IOC_NONE, 0x80, 0)
#define HV_GZVM_GET_ONE_REG HV_IOC(HV_IOC_WRITE, 0xab, sizeof(struct hv_gzvm_one_reg))
#define HV_GZVM_SET_ONE_REG HV_IOC(HV_IOC_WRITE, 0xac, sizeof(struct hv_gzvm_one_reg))

/* ---- Layout pins (C11 _Static_assert works in both builds). */
#define HV_ABI_ASSERT(c, m) _Static_assert(c, m)
HV_ABI_ASSERT(sizeof(struct hv_abi_mem_region) == 24, "mem_region header");
HV_ABI_ASSERT(sizeof(struct hv_abi_mem_constituent) == 16, "constituent");
HV_ABI_ASSERT(sizeof(struct hv_abi_create_device) == 48, "create_device");
HV_ABI_ASSERT(sizeof(struct hv_abi_vcpu_run) == 264, "vcpu_run: 8 + 256");
HV_ABI_ASSERT(__builtin_offsetof(struct hv_abi_vcpu_run, mmio.data) == 16, "mmio.data");
HV_ABI_ASSERT(__builtin_offsetof(struct hv_abi_vcpu_run, mmio.reg_nr) == 32, "mmio.reg_nr");
HV_ABI_ASSERT(__builtin_offsetof(struct hv_abi_vcpu_run, system_event.data) == 16, "sysevt");
HV_ABI_ASSERT(sizeof(struct hv_abi_vcpu_hwstate) == 160, "hwstate");
HV_ABI_ASSERT(sizeof(struct hv_gzvm_userspace_memory_region) == 32, "memory_region");
HV_ABI_ASSERT(sizeof(struct hv_gzvm_irqfd) == 32, "irqfd");
HV_ABI_ASSERT(sizeof(struct hv_gzvm_ioeventfd) == 64, "ioeventfd");
HV_ABI_ASSERT(sizeof(struct hv_gzvm_enable_cap) == 48, "enable_cap");
HV_ABI_ASSERT(HV_GZVM_SET_USER_MEMORY_REGION == 0x40209246u, "ioctl encoding");
HV_ABI_ASSERT(HV_GZVM_ENABLE_CAP == 0x403092a3u, "ioctl encoding");

/* ---- Appended for the host driver (ports/linux-kmod) and its VMM. ---- */

/*
 * This project's hypervisor UID, 10efb112-0f94-4e07-b9a4-abc63a105391,
 * answered by the standard VENDOR_HYP_CALL_UID call (SMCCC, DEN0028 6.2.2:
 * 0x8600FF01) in w0..w3, each word four UUID bytes in little-endian order.
 * Discovery: SMCCC_VERSION >= 1.1, this UID, then PROBE. hv/smccc.h uses
 * these words.
 */
#define HV_ABI_HYP_UID_W0 0x12b1ef10u
#define HV_ABI_HYP_UID_W1 0x074e940fu
#define HV_ABI_HYP_UID_W2 0xc6aba4b9u
#define HV_ABI_HYP_UID_W3 0x9153103au
/* PROBE arguments the driver sends: driver version 16.0.0. */
#define HV_ABI_DRIVER_MINOR 0u
#define HV_ABI_DRIVER_SUB   0u

/*
 * Targeted wake-ups. IRQ_LINE answers a1 = bitmap of the VM's vCPUs the
 * call made runnable (bit n = vCPU n, HV_ABI_VCPU_BIT); the host wakes only
 * those of them blocked after an IDLE exit. An EXIT_IPI carries the bitmap
 * of the target vCPUs in run.hypercall.args[0]. An IDLE exit's timer
 * (hwstate.vtimer_migrate/vtimer_delay) wakes only the vCPU that exited.
 */
#define HV_ABI_VCPU_BIT(n) ((uint64_t)1 << (n))

/*
 * Demand paging. An EXIT_EXCEPTION with exception == PAGE_FAULT names
 * fault_gpa; the host pins the page (or the block around it, clamped to
 * the memslot, after ENABLE_CAP BLOCK_BASED_DEMAND_PAGING: args[0] block
 * bytes, args[1] PA of a page of HV_ABI_BLOCK_BUF_PFNS u64 pfns) and answers
 * with MAP_GUEST or MAP_GUEST_BLOCK. SET_MEMREGION with constituent_cnt 0
 * declares a demand-paged slot (no pages given up front).
 * EXIT_HYPERCALL with args[0] == HV_ABI_GUEST_MEM_RELINQUISH: the hypervisor
 * has already unmapped the page at IPA args[1]; the host unpins it.
 */
#define HV_ABI_BLOCK_BUF_PFNS 512u

/* /dev/gzvm CREATE_VM argument: the only VM type. */
#define HV_GZVM_VM_TYPE_DEFAULT 0u

/*
 * IRQ_LINE irq word fields, as MediaTek's UAPI: the number counts SPIs from
 * 0 (the VMM's device interrupt numbers); the hypercall passes only that
 * number and the hypervisor adds 32 (GICv3 spec 2.2: SPI INTIDs 32..1019,
 * so numbers 0..HV_ABI_IRQ_NUM_MAX). Type and vCPU are not passed on.
 */
#define HV_GZVM_IRQ_VCPU2_SHIFT 28
#define HV_GZVM_IRQ_VCPU2_MASK  0xfu
#define HV_GZVM_IRQ_TYPE_MASK   0xfu
#define HV_GZVM_IRQ_VCPU_SHIFT  16
#define HV_GZVM_IRQ_VCPU_MASK   0xffu
#define HV_GZVM_IRQ_NUM_MASK    0xffffu
#define HV_GZVM_IRQ(type, vcpu, num)                                                               \
	(((uint32_t)(type) << HV_GZVM_IRQ_TYPE_SHIFT) |                                            \
	 ((uint32_t)(vcpu) << HV_GZVM_IRQ_VCPU_SHIFT) | (uint32_t)(num))
#define HV_ABI_INTID_PPI_FIRST 16u
#define HV_ABI_INTID_SPI_FIRST 32u
#define HV_ABI_INTID_SPI_LAST  1019u
#define HV_ABI_IRQ_NUM_MAX     (HV_ABI_INTID_SPI_LAST - HV_ABI_INTID_SPI_FIRST) /* 987 */

/* IRQFD: gsi is the SPI number (INTID = gsi + 32); only DEASSIGN is a flag.
 * A signal raises the line once (IRQ_LINE level 1) and never lowers it. */
#define HV_GZVM_IRQFD_FLAG_DEASSIGN (1u << 0)
/* IOEVENTFD: len 1, 2, 4 or 8 bytes of MMIO; flags DATAMATCH and DEASSIGN. */
#define HV_GZVM_IOEVENTFD_FLAG_DATAMATCH (1u << 0)
#define HV_GZVM_IOEVENTFD_FLAG_DEASSIGN  (1u << 2)

/* CHECK_EXTENSION (_IO, as MediaTek's): the argument is a user pointer to
 * a u64 holding the capability; the answer is written back through it and
 * the ioctl returns 0, -EOPNOTSUPP for a capability the driver does not
 * answer, -EINVAL for a NULL pointer, -EFAULT for a bad one. */

/*
 * SET_ONE_REG ids: the KVM arm64 register-id layout. [63:56] arch (0x60),
 * [55:52] log2 of the size in bytes, [31:16] group (0x10 core registers),
 * [15:0] index of the 32-bit word in struct user_pt_regs {x[31], sp, pc,
 * pstate}. The value is read from the u64 at one_reg.addr.
 */
#define HV_GZVM_REG_ARM64      ((uint64_t)0x60 << 56)
#define HV_GZVM_REG_SIZE_SHIFT 52
#define HV_GZVM_REG_SIZE_MASK  0xfu
#define HV_GZVM_REG_SIZE_U32   ((uint64_t)2 << HV_GZVM_REG_SIZE_SHIFT)
#define HV_GZVM_REG_SIZE_U64   ((uint64_t)3 << HV_GZVM_REG_SIZE_SHIFT)
#define HV_GZVM_REG_CORE       ((uint64_t)0x10 << 16)
#define HV_GZVM_REG_CORE_U64(word)                                                                 \
	(HV_GZVM_REG_ARM64 | HV_GZVM_REG_SIZE_U64 | HV_GZVM_REG_CORE | (uint64_t)(word))
#define HV_GZVM_REG_X(n)   HV_GZVM_REG_CORE_U64(2 * (n))
#define HV_GZVM_REG_SP     HV_GZVM_REG_CORE_U64(62)
#define HV_GZVM_REG_PC     HV_GZVM_REG_CORE_U64(64)
#define HV_GZVM_REG_PSTATE HV_GZVM_REG_CORE_U64(66)

/*
 * Guest PTP call (HV_ABI_GUEST_PTP in hypercall.args[0], the counter in
 * args[1]): answered by the host driver in args[0..3] = wall-clock ns
 * [63:32], [31:0], then the chosen counter [63:32], [31:0] sampled at the
 * same instant (virtual: host counter - hwstate.vtimer_offset).
 */
#define HV_ABI_PTP_VIRT_COUNTER 0u
#define HV_ABI_PTP_PHYS_COUNTER 1u

/* MediaTek's include/uapi/linux/gzvm.h, number for number. */
HV_ABI_ASSERT(HV_GZVM_RUN == 0x9280u, "RUN: _IO(0x92, 0x80), a pointer all the same");
HV_ABI_ASSERT(HV_GZVM_CREATE_DEVICE == 0xc03092e0u, "CREATE_DEVICE: _IOWR(0x92, 0xe0, 48)");
HV_ABI_ASSERT(HV_GZVM_GET_ONE_REG == 0x401092abu, "GET_ONE_REG: _IOW(0x92, 0xab, 16)");
HV_ABI_ASSERT(HV_GZVM_SET_ONE_REG == 0x401092acu, "SET_ONE_REG: _IOW(0x92, 0xac, 16)");
HV_ABI_ASSERT(HV_GZVM_CHECK_EXTENSION == 0x9203u, "CHECK_EXTENSION: _IO(0x92, 0x03)");
HV_ABI_ASSERT(HV_GZVM_CREATE_VM == 0x9201u && HV_GZVM_CREATE_VCPU == 0x9241u, "_IO numbers");
HV_ABI_ASSERT(HV_GZVM_REG_PC == 0x6030000000100040ull, "KVM core register id of PC");

/* ---- Appended for the hypercall server (core/abi): how each call is served. */

/*
 * RUN: a1 tuple -> a1 exit reason (also in vcpu_run.exit_reason). Before
 * entering, RUN takes the host's answer to the exit it reported last:
 *   MMIO read      mmio.data (little endian, low `size` bytes) is the value
 *   MMIO write     nothing (the store is done)
 *   MMIO, either   mmio.host_abort = HV_ABI_MMIO_ABORT: nothing answers at
 *                  that address; the guest takes a synchronous external abort
 *   HYPERCALL      hypercall.args[0..3] become the guest's x0..x3
 * immediate_exit 1: take the answer, then return EXIT_IRQ without
 * entering (values above 1 and a non-zero padding1 are refused). A call enters the guest at most HV_ABI_RUN_MAX_ENTRIES times,
 * then returns EXIT_IRQ (re-enter): bounded work. After an exit that made
 * other vCPUs runnable (SGI, PSCI CPU_ON) RUN returns EXIT_IPI with their
 * bitmap in hypercall.args[0]. Every return refreshes run-area page 1
 * (hwstate: LRs, except for a protected VM, and the timer hand-off).
 * EXCEPTION/PAGE_FAULT: fault_gpa is a page of the block to make present
 * (the page itself when part of its block is already mapped), error_code
 * the access (HV_ABI_PF_*, an extension a GenieZone driver ignores). All
 * exception.reserved words are zero: MediaTek's driver serves the fault in
 * the kernel only then, and computes the block itself (the gfn aligned
 * down to HV_ABI_BLOCK_BUF_PFNS pages, clamped to the memslot). The
 * reserved words, padding and unused union bytes of every exit are zero.
 * IDLE: hwstate.vtimer_migrate is 1 and vtimer_delay the ticks to the
 * guest's timer deadline, at most HV_ABI_IDLE_MAX_DELAY (also when no
 * timer is armed), so that a driver's 64-bit (delay * mult) >> shift with a
 * 32-bit clocksource mult cannot overflow. HYPERCALL with args[0] == MEM_RELINQUISH carries
 * the host PA of the page in args[2]. FAIL_ENTRY: the runtime could not
 * run the vCPU (fail_entry.cpu = the vCPU id).
 */
#define HV_ABI_MMIO_ABORT      1u
#define HV_ABI_RUN_MAX_ENTRIES 64u
#define HV_ABI_PF_WRITE        1u
#define HV_ABI_PF_EXEC         2u
#define HV_ABI_IDLE_MAX_DELAY  0xffffffffull

/* More GET/SET_ONE_REG ids (same KVM layout): the rest of struct kvm_regs
 * that the hypervisor keeps (sp_el1, elr_el1, spsr[EL1]) and system
 * registers by their architectural encoding, op0 [15:14] op1 [13:11]
 * CRn [10:7] CRm [6:3] op2 [2:0] in group 0x13 (KVM's TIMER_CVAL/TIMER_CNT
 * ids are swapped; here CNTV_CVAL_EL0 is (3,3,14,3,2) as in the Arm ARM).
 * All are u64; unknown ids are refused. PSTATE accepts AArch64 EL0t, EL1t
 * or EL1h with NZCV and DAIF only; MPIDR_EL1 is read-only. */
#define HV_GZVM_REG_SP_EL1   HV_GZVM_REG_CORE_U64(68)
#define HV_GZVM_REG_ELR_EL1  HV_GZVM_REG_CORE_U64(70)
#define HV_GZVM_REG_SPSR_EL1 HV_GZVM_REG_CORE_U64(72)
#define HV_GZVM_REG_SYSREG   ((uint64_t)0x13 << 16)
#define HV_GZVM_REG_SYS(op0, op1, crn, crm, op2)                                                   \
	(HV_GZVM_REG_ARM64 | HV_GZVM_REG_SIZE_U64 | HV_GZVM_REG_SYSREG |                           \
	 (uint64_t)(((op0) << 14) | ((op1) << 11) | ((crn) << 7) | ((crm) << 3) | (op2)))
#define HV_GZVM_REG_MPIDR_EL1     HV_GZVM_REG_SYS(3, 0, 0, 0, 5)
#define HV_GZVM_REG_SCTLR_EL1     HV_GZVM_REG_SYS(3, 0, 1, 0, 0)
#define HV_GZVM_REG_TTBR0_EL1     HV_GZVM_REG_SYS(3, 0, 2, 0, 0)
#define HV_GZVM_REG_TTBR1_EL1     HV_GZVM_REG_SYS(3, 0, 2, 0, 1)
#define HV_GZVM_REG_TCR_EL1       HV_GZVM_REG_SYS(3, 0, 2, 0, 2)
#define HV_GZVM_REG_ESR_EL1       HV_GZVM_REG_SYS(3, 0, 5, 2, 0)
#define HV_GZVM_REG_FAR_EL1       HV_GZVM_REG_SYS(3, 0, 6, 0, 0)
#define HV_GZVM_REG_MAIR_EL1      HV_GZVM_REG_SYS(3, 0, 10, 2, 0)
#define HV_GZVM_REG_VBAR_EL1      HV_GZVM_REG_SYS(3, 0, 12, 0, 0)
#define HV_GZVM_REG_CNTV_CTL_EL0  HV_GZVM_REG_SYS(3, 3, 14, 3, 1)
#define HV_GZVM_REG_CNTV_CVAL_EL0 HV_GZVM_REG_SYS(3, 3, 14, 3, 2)

/*
 * IRQ_LINE: a1 tuple (vmid << 16 | vcpu; the vCPU is not used), a2 the SPI
 * number 0..HV_ABI_IRQ_NUM_MAX (INTID a2 + 32; numbers above, and so PPIs,
 * are refused), a3 level 0/1. Level 1 makes the SPI pending once, as a
 * write to GICD_ISPENDR, whether it is configured edge or level: the host
 * never lowers an irqfd's line, and one raise is one delivery (raises
 * before the guest takes it merge, as GIC pending state does). Level 0
 * changes nothing. -> a1 = HV_ABI_VCPU_BIT of the vCPU to wake, or 0 (an
 * extension; a GenieZone driver ignores a1). Needs the vGIC
 * (CREATE_DEVICE).
 *
 * CREATE_DEVICE: id, flags, attr_addr, attr_size must be 0. The distributor
 * is one 64 KiB frame; the redistributor region holds one 128 KiB
 * redistributor per vCPU the VM may have (dev_reg_size = n * 128 KiB: vCPU
 * ids 0..n-1). Both 64 KiB aligned, inside the VM's IPA space, overlapping
 * no memslot and not each other; the vGIC exists once both are placed and
 * later memslots may not overlap them.
 */
#define HV_ABI_VGIC_DIST_SIZE   0x10000u
#define HV_ABI_VGIC_REDIST_SIZE 0x20000u
#define HV_ABI_VGIC_ALIGN       0x10000u

/*
 * ENABLE_CAP (a1 vmid, a2 cap, a3..a7 args[0..4]; unused args must be 0):
 * BLOCK_BASED_DEMAND_PAGING  args[0] block bytes (power of two, 4 KiB..1 GiB;
 *     without this cap a fault asks for one page), args[1] the pfn page.
 *     args[1] = 0 once a pfn page was given keeps that page and changes
 *     only the block size (MediaTek's driver enables the cap itself at
 *     CREATE_VM and passes a userspace ENABLE_CAP on with args[1] = 0).
 * ENABLE_IDLE  WFI with nothing pending (and a powered-off vCPU) makes RUN
 *     return EXIT_IDLE with the timer hand-off in hwstate; without it RUN
 *     returns EXIT_IRQ (re-enter) there.
 * PROTECTED_VM  args[0] one of HV_ABI_PVM_*. SET_PROTECTED_VM only before
 *     the VM has memslots or has run: its pages are not shared with the host
 *     and its registers are not readable once it has run. There is no pvmfw:
 *     GET_PVMFW_SIZE answers 0, SET_PVMFW_GPA is NOT_SUPPORTED.
 *
 * SET_MEMREGION with constituents maps them at once (at most
 * HV_ABI_BLOCK_BUF_PFNS pages in all, all or nothing); a larger slot is
 * declared with constituent_cnt 0 and filled by MAP_GUEST/MAP_GUEST_BLOCK.
 * MAP_GUEST_BLOCK: a1 vmid, a2 memslot, a3 gfn, a4 nr (1..512) -> pfns are
 *     read once from the BLOCK_BASED_DEMAND_PAGING page (must still be the
 *     host's).
 * MEMREGION_PURPOSE: a1 vmid, a2 gpa, a3 size (exactly one memslot), a4
 *     flags (HV_GZVM_MEM_*, at least one). For a protected VM GUEST_MEM and
 *     PROTECT_FW slots are private, STATIC_SWIOTLB ones shared; a change
 *     needs the slot empty. MediaTek's driver calls it BEFORE SET_MEMREGION:
 *     for a range no memslot touches yet the purpose is remembered (one per
 *     VM, the latest) and applied by the SET_MEMREGION of exactly that range.
 * SET_DTB_CONFIG: a1 vmid, a2 gpa (8-byte aligned), a3 size
 *     (1..HV_ABI_DTB_MAX_SIZE) inside one memslot, before the VM first runs:
 *     vCPU 0 gets x0 = gpa (arm64 Linux boot protocol), now or when created.
 * INFORM_EXIT: a1 vmid; the host's run loops of this VM are leaving (a
 *     signal): the next RUN of each of its vCPUs takes its answer and
 *     returns EXIT_IRQ without entering the guest.
 * DESTROY_VCPU: a1 tuple; the vCPU never runs again and its run area goes
 *     back to the host; the id is not reused before DESTROY_VM.
 */
#define HV_ABI_PVM_SET_PVMFW_GPA    0u
#define HV_ABI_PVM_GET_PVMFW_SIZE   1u
#define HV_ABI_PVM_SET_PROTECTED_VM 2u
#define HV_ABI_DTB_MAX_SIZE         0x200000u

HV_ABI_ASSERT(__builtin_offsetof(struct hv_abi_vcpu_run, mmio.host_abort) == 37, "host_abort");
HV_ABI_ASSERT(__builtin_offsetof(struct hv_abi_vcpu_run, exception.reserved) == 24, "reserved");
HV_ABI_ASSERT(HV_GZVM_REG_SCTLR_EL1 == 0x603000000013c080ull, "KVM sysreg id layout");

/*
 * hvcore extension: the hypervisor's event trace (hv/trace.h: one ring per
 * physical CPU), for the host driver. Function numbers from
 * HV_ABI_EXT_FIRST on, clear of GenieZone's 0..19; served only to the host
 * after PROBE (a guest's HVC with these IDs is answered NOT_SUPPORTED by
 * core/exit, as any host ID), NOT_SUPPORTED where the runtime
 * keeps no trace (the sim).
 *   TRACE_CTL   a1 = 1 record, 0 stop (on every CPU at once); other values
 *               refused -> a1 rings (physical CPUs), a2 counter frequency (Hz)
 *   TRACE_READ  a1 ring, a2 cursor (the next event number the host wants; 0
 *               the first), a3 PA of a host buffer (32-byte aligned, host
 *               memory), a4 its bytes (a multiple of 32, at most
 *               HV_ABI_TRACE_READ_MAX) -> a1 events written there (struct
 *               hv_abi_trace_event, oldest first), a2 the next cursor, a3
 *               events lost (overwritten before they could be read)
 * Reading does not consume: every reader keeps its own cursor.
 */
#define HV_ABI_EXT_FIRST      0x100u
#define HV_ABI_TRACE_CTL      0x100u
#define HV_ABI_TRACE_READ     0x101u
#define HV_ABI_EXT_END        0x102u
#define HV_ABI_TRACE_READ_MAX 0x4000u

/* hv/trace.h's struct hv_trace_event as the host sees it. type: 1 exit
 * (arg0 ESR_EL2, EC 0x3f: a physical interrupt; arg1 the IPA of a stage-2
 * abort, else the guest's PC), 2 enter, 3 inject (arg0 INTID), 4 idle,
 * 5 wake, 6 kick (arg0 the target CPU), 7 server call (arg0 function
 * number, arg1 its result). ts: the writing CPU's counter (CNTPCT). */
struct hv_abi_trace_event {
	uint64_t ts;
	uint16_t type;
	uint16_t cpu;
	uint16_t vm;
	uint16_t vcpu;
	uint32_t arg0;
	uint32_t reserved; /* 0 */
	uint64_t arg1;
};
HV_ABI_ASSERT(sizeof(struct hv_abi_trace_event) == 32, "trace event: 32 bytes");
HV_ABI_ASSERT(__builtin_offsetof(struct hv_abi_trace_event, arg1) == 24, "trace event arg1");
#define HV_ABI_TRACE_EXIT_IRQ_EC 0x3fu

#endif /* HV_ABI_H */
