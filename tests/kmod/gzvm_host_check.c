/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-host-check: the /dev/gzvm UAPI against the real hypercall server,
 * run inside a Linux host under hvcore's EL2 port (tests/kmod/el2-host.sh).
 * Each step is an ioctl whose answer comes from the server at EL2 (or is
 * refused by it: the driver passes the call on and maps HV_ABI_ERR_* to
 * errno); an IRQFD signal reaches it as IRQ_LINE calls (el2-host.sh counts
 * them). Prints one line per check and, if all passed,
 * "gzvm-host-check: PASS <n> checks"; exit status 1 otherwise.
 *
 *   gzvm-host-check [DEVICE]     (default /dev/gzvm)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include <hv/abi.h>
#include <one_vma.h>

#define RAM_GPA  0x40000000ull
#define RAM_SIZE (2ull << 20)
#define RAM2_GPA 0x48000000ull
#define GICD_GPA 0x08000000ull
#define GICR_GPA 0x080a0000ull

static unsigned checks, failures;

/* An ioctl's result: >= 0, or -errno. */
static long io(int fd, unsigned long cmd, unsigned long arg)
{
	long r = ioctl(fd, cmd, arg);
	return r < 0 ? -errno : r;
}

static void expect(const char *what, long got, long want)
{
	checks++;
	if (got == want) {
		printf("ok   %s: %ld\n", what, got);
		return;
	}
	failures++;
	printf("FAIL %s: got %ld (%s), want %ld\n", what, got, got < 0 ? strerror((int)-got) : "",
	       want);
}

static void expect_fd(const char *what, long got)
{
	checks++;
	if (got >= 0) {
		printf("ok   %s: fd %ld\n", what, got);
		return;
	}
	failures++;
	printf("FAIL %s: %s\n", what, strerror((int)-got));
}

static long set_region(int vm, uint32_t slot, uint64_t gpa, uint64_t size, void *mem)
{
	struct hv_gzvm_userspace_memory_region r = {
	    .slot = slot,
	    .flags = HV_GZVM_MEM_GUEST_MEM,
	    .guest_phys_addr = gpa,
	    .memory_size = size,
	    .userspace_addr = (uint64_t)(uintptr_t)mem,
	};
	return io(vm, HV_GZVM_SET_USER_MEMORY_REGION, (unsigned long)&r);
}

static long create_device(int vm, uint32_t type, uint64_t addr, uint64_t size)
{
	struct hv_abi_create_device d = {.dev_type = type, .dev_addr = addr, .dev_reg_size = size};
	return io(vm, HV_GZVM_CREATE_DEVICE, (unsigned long)&d);
}

static long set_reg(int vcpu, uint64_t id, uint64_t value)
{
	struct hv_gzvm_one_reg r = {.id = id, .addr = (uint64_t)(uintptr_t)&value};
	return io(vcpu, HV_GZVM_SET_ONE_REG, (unsigned long)&r);
}

static long irq_line(int vm, uint32_t type, uint32_t vcpu, uint32_t num, uint32_t level)
{
	struct hv_gzvm_irq_level l = {.irq = HV_GZVM_IRQ(type, vcpu, num), .level = level};
	return io(vm, HV_GZVM_IRQ_LINE, (unsigned long)&l);
}

/* An eventfd bound to SPI 40 (gsi 8) and signalled once: the driver's
 * injection work raises it with one IRQ_LINE (never lowered, as MediaTek's
 * driver); DEASSIGN flushes it, so the server has seen that call when it
 * returns. */
static void irqfd_once(int vm)
{
	int efd = eventfd(0, EFD_CLOEXEC);
	struct hv_gzvm_irqfd irqfd = {.fd = (uint32_t)efd, .gsi = 8};
	uint64_t one = 1;
	expect_fd("eventfd", efd < 0 ? -errno : efd);
	if (efd < 0)
		return;
	expect("IRQFD assign gsi 8 (SPI 40)", io(vm, HV_GZVM_IRQFD, (unsigned long)&irqfd), 0);
	expect("eventfd signalled", write(efd, &one, sizeof(one)) == sizeof(one) ? 0 : -errno, 0);
	irqfd.flags = HV_GZVM_IRQFD_FLAG_DEASSIGN;
	expect("IRQFD deassign", io(vm, HV_GZVM_IRQFD, (unsigned long)&irqfd), 0);
	close(efd);
}

/* MediaTek's CHECK_EXTENSION: a pointer to the u64 cap, answered in place. */
static void check_extension(int dev)
{
	uint64_t v = HV_ABI_CAP_VM_GPA_SIZE;
	expect("CHECK_EXTENSION VM_GPA_SIZE by pointer",
	       io(dev, HV_GZVM_CHECK_EXTENSION, (unsigned long)&v), 0);
	expect("... answers the server's IPA bits in place", v == 40 ? 0 : -EINVAL, 0);
	v = HV_ABI_CAP_PROTECTED_VM;
	expect("CHECK_EXTENSION PROTECTED_VM", io(dev, HV_GZVM_CHECK_EXTENSION, (unsigned long)&v),
	       0);
	expect("... answers 1 (SET_PROTECTED_VM passed on)", v == 1 ? 0 : -EINVAL, 0);
	v = HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING;
	expect("CHECK_EXTENSION BLOCK_BASED_DEMAND_PAGING: -EOPNOTSUPP, as MediaTek",
	       io(dev, HV_GZVM_CHECK_EXTENSION, (unsigned long)&v), -EOPNOTSUPP);
	expect("CHECK_EXTENSION NULL: -EINVAL", io(dev, HV_GZVM_CHECK_EXTENSION, 0), -EINVAL);
	expect("CHECK_EXTENSION bad pointer: -EFAULT", io(dev, HV_GZVM_CHECK_EXTENSION, 16),
	       -EFAULT);
}

/* MediaTek's memslot rule: exactly one VMA of exactly memory_size. */
static void one_vma_rule(int dev, uint8_t *two)
{
	int vm = (int)io(dev, HV_GZVM_CREATE_VM, HV_GZVM_VM_TYPE_DEFAULT);
	expect_fd("CREATE_VM (one-VMA rule)", vm);
	if (vm < 0)
		return;
	expect("SET_USER_MEMORY_REGION smaller than its VMA: refused",
	       set_region(vm, 0, RAM_GPA, RAM_SIZE, two), -EINVAL);
	expect("SET_USER_MEMORY_REGION not at its VMA's start: refused",
	       set_region(vm, 0, RAM_GPA, RAM_SIZE, two + RAM_SIZE), -EINVAL);
	expect("SET_USER_MEMORY_REGION over one whole VMA",
	       set_region(vm, 0, RAM_GPA, 2 * RAM_SIZE, two), 0);
	close(vm);
}

/* One VM's life: every call the server serves without running a vCPU. */
static void one_vm(int dev, void *ram, void *ram2, bool with_irqfd)
{
	int vm = (int)io(dev, HV_GZVM_CREATE_VM, HV_GZVM_VM_TYPE_DEFAULT);
	expect_fd("CREATE_VM", vm);
	if (vm < 0)
		return;
	expect("IRQ_LINE before the vGIC exists: server refuses (-EFAULT, as MediaTek)",
	       irq_line(vm, 1, 0, 8, 1), -EFAULT);
	expect("SET_USER_MEMORY_REGION slot 0, 2 MiB", set_region(vm, 0, RAM_GPA, RAM_SIZE, ram),
	       0);
	expect("SET_USER_MEMORY_REGION slot 1, 2 MiB", set_region(vm, 1, RAM2_GPA, RAM_SIZE, ram2),
	       0);
	struct hv_gzvm_enable_cap cap = {.cap = HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                                 .args = {RAM_SIZE}};
	expect("ENABLE_CAP BLOCK_BASED_DEMAND_PAGING 2 MiB",
	       io(vm, HV_GZVM_ENABLE_CAP, (unsigned long)&cap), 0);
	expect("CREATE_DEVICE vGIC distributor inside RAM: server refuses",
	       create_device(vm, HV_ABI_DEV_VGIC_V3_DIST, RAM_GPA, HV_ABI_VGIC_DIST_SIZE), -EINVAL);
	expect("CREATE_DEVICE vGIC distributor",
	       create_device(vm, HV_ABI_DEV_VGIC_V3_DIST, GICD_GPA, HV_ABI_VGIC_DIST_SIZE), 0);
	expect(
	    "CREATE_DEVICE second distributor: server refuses",
	    create_device(vm, HV_ABI_DEV_VGIC_V3_DIST, GICD_GPA + 0x20000, HV_ABI_VGIC_DIST_SIZE),
	    -EINVAL);
	expect("CREATE_DEVICE redistributors over the distributor: server refuses",
	       create_device(vm, HV_ABI_DEV_VGIC_V3_REDIST, GICD_GPA, HV_ABI_VGIC_REDIST_SIZE),
	       -EINVAL);
	expect("CREATE_DEVICE redistributors for 1 vCPU",
	       create_device(vm, HV_ABI_DEV_VGIC_V3_REDIST, GICR_GPA, HV_ABI_VGIC_REDIST_SIZE), 0);
	int vcpu = (int)io(vm, HV_GZVM_CREATE_VCPU, 0);
	expect_fd("CREATE_VCPU 0", vcpu);
	expect("CREATE_VCPU 1 without a redistributor: server refuses",
	       io(vm, HV_GZVM_CREATE_VCPU, 1), -EINVAL);
	if (vcpu >= 0) {
		expect("SET_ONE_REG PC", set_reg(vcpu, HV_GZVM_REG_PC, RAM_GPA), 0);
		expect("SET_ONE_REG X0", set_reg(vcpu, HV_GZVM_REG_X(0), 0x1234), 0);
		uint64_t x0 = 0;
		struct hv_gzvm_one_reg g = {.id = HV_GZVM_REG_X(0), .addr = (uintptr_t)&x0};
		expect("GET_ONE_REG X0 (an extension; MediaTek: -EOPNOTSUPP)",
		       io(vcpu, HV_GZVM_GET_ONE_REG, (unsigned long)&g), 0);
		expect("... reads back what was set", x0 == 0x1234 ? 0 : -EINVAL, 0);
		expect("SET_ONE_REG MPIDR_EL1 (read-only): server refuses",
		       set_reg(vcpu, HV_GZVM_REG_MPIDR_EL1, 5), -EINVAL);
		expect("SET_ONE_REG PSTATE EL2h: server refuses",
		       set_reg(vcpu, HV_GZVM_REG_PSTATE, 0x3c9), -EINVAL);
	}
	expect("IRQ_LINE SPI number 8 (INTID 40) high", irq_line(vm, 1, 0, 8, 1), 0);
	expect("IRQ_LINE SPI number 8 low", irq_line(vm, 1, 0, 8, 0), 0);
	expect("IRQ_LINE SPI number 987 (INTID 1019, the last)", irq_line(vm, 1, 0, 987, 1), 0);
	expect("IRQ_LINE PPI: no number names one (driver refuses)", irq_line(vm, 2, 0, 20, 1),
	       -EINVAL);
	expect("IRQ_LINE SPI number 988: driver refuses", irq_line(vm, 1, 0, 988, 1), -EINVAL);
	if (with_irqfd)
		irqfd_once(vm);
	struct hv_gzvm_dtb_config dtb = {.dtb_addr = RAM_GPA + RAM_SIZE - 0x10000,
	                                 .dtb_size = 0x10000};
	expect("SET_DTB_CONFIG inside slot 0", io(vm, HV_GZVM_SET_DTB_CONFIG, (unsigned long)&dtb),
	       0);
	if (vcpu >= 0)
		close(vcpu);
	close(vm); /* the last reference: DESTROY_VCPU, DESTROY_VM (batches while BUSY) */
}

int main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/dev/gzvm";
	int dev = open(path, O_RDWR | O_CLOEXEC);
	if (dev < 0) {
		printf("FAIL open %s: %s\n", path, strerror(errno));
		return 1;
	}
	check_extension(dev);
	expect("CREATE_VM type 1: refused", io(dev, HV_GZVM_CREATE_VM, 1), -EINVAL);
	void *ram = one_vma_map(RAM_SIZE), *ram2 = one_vma_map(RAM_SIZE);
	void *two = one_vma_map(2 * RAM_SIZE);
	if (ram == MAP_FAILED || ram2 == MAP_FAILED || two == MAP_FAILED) {
		printf("FAIL mmap: %s\n", strerror(errno));
		return 1;
	}
	one_vma_rule(dev, two);
	/* Twice: the second VM reuses what the first one's destruction gave back. */
	one_vm(dev, ram, ram2, true);
	one_vm(dev, ram, ram2, false);
	/* Several VMs alive at once, then all destroyed. */
	int vms[4];
	for (unsigned i = 0; i < 4; i++) {
		vms[i] = (int)io(dev, HV_GZVM_CREATE_VM, HV_GZVM_VM_TYPE_DEFAULT);
		expect_fd("CREATE_VM (4 alive at once)", vms[i]);
	}
	for (unsigned i = 0; i < 4; i++)
		if (vms[i] >= 0)
			close(vms[i]);
	close(dev);
	if (failures) {
		printf("gzvm-host-check: FAIL %u of %u checks\n", failures, checks);
		return 1;
	}
	printf("gzvm-host-check: PASS %u checks\n", checks);
	return 0;
}
