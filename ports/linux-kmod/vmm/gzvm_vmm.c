/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm: a small VMM over /dev/gzvm. Creates a VM, gives it anonymous
 * RAM at 0x40000000, loads a guest image (ELF or raw) or a Linux kernel
 * (--kernel, with an initramfs), writes the device tree of the devices it
 * offers (core's generator, with the command line as /chosen/bootargs)
 * into the last 64 KiB of RAM, places the vGICv3, creates the vCPUs (one
 * thread each), starts vCPU 0 at the entry with x0 = the tree's IPA and
 * x1..x3 = 0 (the arm64 boot protocol, for every payload) and runs them,
 * serving MMIO exits (a PL011 UART; with --disk a virtio-blk disk, disk.h)
 * and answering guest hypercalls with NOT_SUPPORTED, until the guest powers
 * off. An I/O thread serves the disk's queue (IOEVENTFD) and, for a Linux
 * guest, feeds stdin to the UART, whose interrupt is an IRQFD. At the end
 * every thread is joined, the disk image flushed and the VM destroyed. With
 * --irqfd-doorbell it binds eventfds to SPIs (IRQFD) and signals one when
 * the guest writes its gsi to the doorbell (board.h). With --protected the
 * VM is a protected VM (ENABLE_CAP PROTECTED_VM) and the guest may probe
 * what the VMM can read of its memory (probe.h); at power-off every page
 * probed, the entry page and each --probe-page must fault (SIGBUS) and no
 * page the VMM can read may hold the guest's writes, then the VM is
 * destroyed and every page that faulted must read as zeros, every other
 * as the VMM wrote it. Only MediaTek's
 * GenieZone UAPI is used.
 *
 *   gzvm-vmm [OPTIONS] IMAGE [-- BOOTARGS...]
 *   gzvm-vmm [OPTIONS] --kernel Image [--initrd FILE] [-- BOOTARGS...]
 *   OPTIONS: [--dev PATH] [--mem SIZE] [--vcpus N] [--block KIB]
 *            [--disk IMG [--ro]] [--irqfd-doorbell] [--cmdline TEXT]
 *            [--protected [--probe-page IPA]...] [--move-vcpus]
 *
 * Exit status: 0 the guest powered off (PSCI SYSTEM_OFF), 1 it asked for a
 * reset or crashed, or SIGINT/SIGTERM stopped it, 64 bad usage, 65 not a
 * loadable image, 66 unreadable image or disk, 69 no /dev/gzvm (module not
 * loaded: it declines without hvcore's hypervisor) or the device refused a
 * VM, 70 an unexpected exit or error.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <hv/abi.h>
#include <hv/guest_dt.h>
#include <hv/platform.h>
#include <one_vma.h>

#include "board.h"
#include "disk.h"
#include "image.h"
#include "io_thread.h"
#include "pl011.h"
#include "probe.h"
#include "vcpu_mover.h"

enum {
	EXIT_OFF = 0,
	EXIT_RESET = 1,
	EXIT_USAGE = 64,
	EXIT_IMAGE = 65,
	EXIT_NOFILE = 66,
	EXIT_NODEV = 69,
	EXIT_INTERNAL = 70,
};

struct vmm {
	const char *dev;
	uint64_t mem_mib;
	unsigned int nr_vcpus;
	uint64_t block_kib; /* --block: block-based demand paging; 0: the driver's */
	bool doorbell;      /* --irqfd-doorbell */
	bool protected_vm;  /* --protected */
	bool move_vcpus;    /* --move-vcpus: vcpu_mover.h */
	uint64_t probe_pages[4];
	unsigned int nr_probe_pages; /* --probe-page */
	struct probe probe;
	int irqfd[BOARD_IRQFDS];
	const char *image;
	const char *kernel, *initrd; /* --kernel: a Linux guest */
	const char *cmdline;         /* --cmdline or -- BOOTARGS: /chosen/bootargs */
	const char *disk_path;
	bool disk_ro;
	int vm_fd;
	int vcpu_fd[HV_ABI_MAX_VCPUS];
	struct vmm_ram ram;
	struct pl011 uart;
	int uart_irq_fd; /* the UART's interrupt (IRQFD) */
	pthread_mutex_t mmio_lock;
	struct disk disk;
	struct io_thread io;
	/* Stopping: the first reason wins (status), shutdown_fd wakes main. */
	int shutdown_fd;
	atomic_int status;
	atomic_bool stopping;
	atomic_bool vcpu_done[HV_ABI_MAX_VCPUS];
	atomic_ullong mmio_exits; /* served here (not the ioeventfd's) */
};

static void usage(void)
{
	fprintf(stderr,
	        "usage: gzvm-vmm [OPTIONS] IMAGE [-- BOOTARGS...]\n"
	        "       gzvm-vmm [OPTIONS] --kernel Image [--initrd FILE] [-- BOOTARGS...]\n"
	        "OPTIONS: [--dev PATH] [--mem SIZE] [--vcpus N] [--block KIB]\n"
	        "         [--disk IMG [--ro]] [--irqfd-doorbell] [--cmdline TEXT]\n"
	        "         [--protected [--probe-page IPA]...] [--move-vcpus]\n"
	        "  IMAGE  AArch64 ELF executable (at its segments' addresses) or raw\n"
	        "           image (at the start of RAM, 0x40000000, entered there)\n"
	        "  --kernel  an arm64 Linux Image (at text_offset from 0x40000000);\n"
	        "           the console (PL011) reads stdin; --initrd  its initramfs\n"
	        "  Every guest starts with x0 = its device tree (the last 64 KiB of\n"
	        "  RAM, which the payload must leave free), x1..x3 = 0.\n"
	        "  -- BOOTARGS  the rest, joined by spaces: /chosen/bootargs\n"
	        "  --cmdline TEXT  the same, as one argument (not with --)\n"
	        "  --disk  a raw image as a virtio-blk disk (virtio-mmio, 0x0a000000);\n"
	        "           --ro  read-only\n"
	        "  --dev  the gzvm device (default /dev/gzvm)\n"
	        "  --mem  guest RAM: MiB, or with a suffix M or G (default 64)\n"
	        "  --vcpus  vCPUs (default 1, at most %u)\n"
	        "  --block  demand-page RAM in blocks of KIB KiB (power of two, 8..2048;\n"
	        "           default: the driver's, 2 MiB)\n"
	        "  --irqfd-doorbell  eventfds on gsi 8 and 9 (IRQFD), signalled by a\n"
	        "           32-bit write of the gsi to 0x0b000000\n"
	        "  --protected  a protected VM, with the memory probe at 0x0b001000;\n"
	        "           at power-off every page probed (and the entry page, and\n"
	        "           each --probe-page) must fault, and read zeros after DESTROY_VM,\n"
	        "           as must every page of RAM the VM had\n"
	        "  --move-vcpus  each vCPU thread moves to the next host CPU before\n"
	        "           every RUN; at the end it reports how many CPUs each used\n",
	        HV_ABI_MAX_VCPUS);
	exit(EXIT_USAGE);
}

/* "gzvm-vmm: MESSAGE" on stderr, after what the guest wrote. */
static void report(const char *fmt, va_list ap)
{
	fflush(stdout);
	fputs("gzvm-vmm: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
	exit(status);
}

static uint64_t parse_num(const char *s, uint64_t max)
{
	char *end;
	unsigned long long v;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *s == '\0' || *end != '\0' || v == 0 || v > max)
		usage();
	return v;
}

/* --mem: MiB, bare or with M, or GiB with G (hvsim's "32M" in a guest's
 * .args); at most 1 TiB. */
static uint64_t parse_mem_mib(const char *s)
{
	char num[24];
	size_t n = strlen(s);
	unsigned shift = 0;

	if (n == 0 || n >= sizeof(num))
		usage();
	memcpy(num, s, n + 1);
	if (num[n - 1] == 'M' || num[n - 1] == 'G') {
		shift = num[n - 1] == 'G' ? 10 : 0;
		num[n - 1] = '\0';
	}
	return parse_num(num, (UINT64_C(1) << 20) >> shift) << shift;
}

/* The words after "--", joined by spaces, at most 1023 bytes. */
static const char *join_bootargs(int argc, char **argv, int first)
{
	static char text[1024];
	size_t n = 0;

	for (int j = first; j < argc; j++) {
		size_t len = strlen(argv[j]);
		if (n + len + 2 > sizeof(text))
			usage();
		if (n)
			text[n++] = ' ';
		memcpy(text + n, argv[j], len + 1);
		n += len;
	}
	text[n] = '\0';
	return text;
}

static void parse_args(struct vmm *vmm, int argc, char **argv)
{
	vmm->dev = "/dev/gzvm";
	vmm->mem_mib = 64;
	vmm->nr_vcpus = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--")) {
			if (vmm->cmdline)
				usage();
			vmm->cmdline = join_bootargs(argc, argv, i + 1);
			break;
		} else if (!strcmp(argv[i], "--dev") && i + 1 < argc)
			vmm->dev = argv[++i];
		else if (!strcmp(argv[i], "--mem") && i + 1 < argc)
			vmm->mem_mib = parse_mem_mib(argv[++i]);
		else if (!strcmp(argv[i], "--vcpus") && i + 1 < argc)
			vmm->nr_vcpus = (unsigned int)parse_num(argv[++i], HV_ABI_MAX_VCPUS);
		else if (!strcmp(argv[i], "--block") && i + 1 < argc)
			vmm->block_kib = parse_num(argv[++i], 2048);
		else if (!strcmp(argv[i], "--irqfd-doorbell"))
			vmm->doorbell = true;
		else if (!strcmp(argv[i], "--protected"))
			vmm->protected_vm = true;
		else if (!strcmp(argv[i], "--move-vcpus"))
			vmm->move_vcpus = true;
		else if (!strcmp(argv[i], "--probe-page") && i + 1 < argc &&
		         vmm->nr_probe_pages < 4)
			vmm->probe_pages[vmm->nr_probe_pages++] = parse_num(argv[++i], UINT64_MAX);
		else if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
			vmm->kernel = argv[++i];
		else if (!strcmp(argv[i], "--initrd") && i + 1 < argc)
			vmm->initrd = argv[++i];
		else if (!strcmp(argv[i], "--cmdline") && i + 1 < argc && !vmm->cmdline)
			vmm->cmdline = argv[++i];
		else if (!strcmp(argv[i], "--disk") && i + 1 < argc && !vmm->disk_path)
			vmm->disk_path = argv[++i];
		else if (!strcmp(argv[i], "--ro"))
			vmm->disk_ro = true;
		else if (argv[i][0] == '-' || vmm->image)
			usage();
		else
			vmm->image = argv[i];
	}
	/* one of IMAGE and --kernel; --initrd only with --kernel */
	if (!vmm->image == !vmm->kernel || (!vmm->kernel && vmm->initrd) ||
	    (vmm->disk_ro && !vmm->disk_path) || (vmm->nr_probe_pages && !vmm->protected_vm) ||
	    (vmm->block_kib && (vmm->block_kib < 8 || (vmm->block_kib & (vmm->block_kib - 1)))))
		usage();
}

static int open_device(const char *dev)
{
	int fd = open(dev, O_RDWR | O_CLOEXEC);

	if (fd < 0) {
		if (errno == ENOENT || errno == ENODEV || errno == ENXIO)
			die(EXIT_NODEV,
			    "%s: %s: the gzvm module is not loaded (it declines to load "
			    "without hvcore's hypervisor: see the kernel log)",
			    dev, strerror(errno));
		die(EXIT_NODEV, "%s: %s", dev, strerror(errno));
	}
	return fd;
}

/* A whole file, at most max bytes and not empty (*len its size). */
static uint8_t *read_whole(const char *path, uint64_t max, size_t *len)
{
	struct stat st;
	uint8_t *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		die(EXIT_NOFILE, "%s: %s", path, strerror(errno));
	if (st.st_size == 0 || (uint64_t)st.st_size > max)
		die(EXIT_IMAGE, "%s: %lld bytes: empty or larger than guest RAM", path,
		    (long long)st.st_size);
	buf = malloc((size_t)st.st_size);
	if (!buf || read(fd, buf, (size_t)st.st_size) != st.st_size)
		die(EXIT_NOFILE, "%s: cannot read", path);
	close(fd);
	*len = (size_t)st.st_size;
	return buf;
}

/* The board as a device tree (core's generator, hv/guest_dt.h): hvcore's
 * virtual platform (QEMU virt's map, board.h) with the vCPUs, PSCI over
 * HVC, the vGICv3, the timer's PPIs and the PL011, plus the disk's
 * virtio-mmio window; the command line and the initramfs in /chosen. */
static void build_dt(struct vmm *vmm, const struct boot_layout *l)
{
	struct hv_guest_dt dt;

	if (vmm->nr_vcpus > HV_GUEST_DT_MAX_CPUS)
		die(EXIT_USAGE, "the device tree describes at most %u vCPUs", HV_GUEST_DT_MAX_CPUS);
	hv_guest_dt_describe(&dt, &hv_platform_virt, vmm->ram.size, vmm->nr_vcpus);
	dt.bootargs = vmm->cmdline;
	dt.initrd_start = l->initrd_start;
	dt.initrd_end = l->initrd_end;
	if (vmm->disk_path) {
		dt.virtio_ipa = BOARD_VIRTIO_BASE;
		dt.virtio_size = VIRTIO_MMIO_SIZE;
		dt.virtio_intid = HV_ABI_INTID_SPI_FIRST + BOARD_VIRTIO_GSI;
		dt.nr_virtio = 1;
	}
	if (dt.ram_ipa != vmm->ram.base || dt.uart_ipa != BOARD_UART_BASE ||
	    dt.uart_intid != HV_ABI_INTID_SPI_FIRST + BOARD_UART_GSI ||
	    dt.gicd_ipa != BOARD_GICD_BASE || dt.gicr_ipa != BOARD_GICR_BASE)
		die(EXIT_INTERNAL, "board.h and hvcore's virtual platform disagree");
	if (hv_guest_dt_build(vmm->ram.host + (l->dt_gpa - vmm->ram.base), LINUX_DT_SLOT, &dt) !=
	    HV_OK)
		die(EXIT_INTERNAL, "cannot build the guest's device tree");
}

static void load(struct vmm *vmm, struct boot_layout *l)
{
	char err[200];
	size_t len;
	uint8_t *img = read_whole(vmm->image, vmm->ram.size, &len);

	if (payload_boot_load(&vmm->ram, img, len, l, err, sizeof(err)))
		die(EXIT_IMAGE, "%s: %s", vmm->image, err);
	free(img);
	build_dt(vmm, l);
}

static void load_linux(struct vmm *vmm, struct boot_layout *l)
{
	char err[200];
	size_t klen, ilen = 0;
	uint8_t *kernel = read_whole(vmm->kernel, vmm->ram.size, &klen);
	uint8_t *initrd = vmm->initrd ? read_whole(vmm->initrd, vmm->ram.size, &ilen) : NULL;

	if (linux_boot_load(&vmm->ram, kernel, klen, initrd, ilen, l, err, sizeof(err)))
		die(EXIT_IMAGE, "%s: %s", vmm->kernel, err);
	free(kernel);
	free(initrd);
	build_dt(vmm, l);
}

static void create_vm(struct vmm *vmm, int dev_fd)
{
	/* MediaTek's CHECK_EXTENSION: the capability in, the answer out, through
	 * a pointer to a u64. */
	uint64_t ipa_bits = HV_ABI_CAP_VM_GPA_SIZE;
	uint64_t ram_end = vmm->ram.base + vmm->ram.size;

	if (ioctl(dev_fd, HV_GZVM_CHECK_EXTENSION, &ipa_bits) < 0)
		die(EXIT_NODEV, "%s: CHECK_EXTENSION(VM_GPA_SIZE): %s (not a gzvm device?)",
		    vmm->dev, strerror(errno));
	if (ipa_bits < 64 && ram_end > (UINT64_C(1) << ipa_bits))
		die(EXIT_USAGE, "guest RAM ends at %#llx, beyond the %llu-bit IPA space",
		    (unsigned long long)ram_end, (unsigned long long)ipa_bits);
	vmm->vm_fd = ioctl(dev_fd, HV_GZVM_CREATE_VM, (unsigned long)HV_GZVM_VM_TYPE_DEFAULT);
	if (vmm->vm_fd < 0)
		die(EXIT_NODEV, "%s: CREATE_VM: %s", vmm->dev, strerror(errno));

	struct hv_gzvm_userspace_memory_region region = {
	    .slot = 0,
	    .flags = HV_GZVM_MEM_GUEST_MEM,
	    .guest_phys_addr = vmm->ram.base,
	    .memory_size = vmm->ram.size,
	    .userspace_addr = (uint64_t)(uintptr_t)vmm->ram.host,
	};
	struct hv_gzvm_enable_cap pvm = {.cap = HV_ABI_CAP_PROTECTED_VM,
	                                 .args = {HV_ABI_PVM_SET_PROTECTED_VM}};
	if (vmm->protected_vm && ioctl(vmm->vm_fd, HV_GZVM_ENABLE_CAP, &pvm) < 0)
		die(EXIT_INTERNAL, "ENABLE_CAP(PROTECTED_VM): %s", strerror(errno));
	if (ioctl(vmm->vm_fd, HV_GZVM_SET_USER_MEMORY_REGION, &region) < 0)
		die(EXIT_INTERNAL, "SET_USER_MEMORY_REGION: %s", strerror(errno));
	if (vmm->block_kib) {
		struct hv_gzvm_enable_cap cap = {.cap = HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
		                                 .args = {vmm->block_kib << 10}};
		if (ioctl(vmm->vm_fd, HV_GZVM_ENABLE_CAP, &cap) < 0)
			die(EXIT_INTERNAL, "ENABLE_CAP(BLOCK_BASED_DEMAND_PAGING %llu KiB): %s",
			    (unsigned long long)vmm->block_kib, strerror(errno));
	}

	struct hv_abi_create_device gicd = {
	    .dev_type = HV_ABI_DEV_VGIC_V3_DIST,
	    .dev_addr = BOARD_GICD_BASE,
	    .dev_reg_size = BOARD_GICD_SIZE,
	};
	struct hv_abi_create_device gicr = {
	    .dev_type = HV_ABI_DEV_VGIC_V3_REDIST,
	    .dev_addr = BOARD_GICR_BASE,
	    .dev_reg_size = BOARD_GICR_PER_VCPU * vmm->nr_vcpus,
	};
	if (ioctl(vmm->vm_fd, HV_GZVM_CREATE_DEVICE, &gicd) < 0 ||
	    ioctl(vmm->vm_fd, HV_GZVM_CREATE_DEVICE, &gicr) < 0)
		die(EXIT_INTERNAL, "CREATE_DEVICE (vGICv3): %s", strerror(errno));
	for (unsigned int i = 0; vmm->doorbell && i < BOARD_IRQFDS; i++) {
		struct hv_gzvm_irqfd irqfd = {.gsi = BOARD_IRQFD_GSI0 + i};
		vmm->irqfd[i] = eventfd(0, EFD_CLOEXEC);
		irqfd.fd = (uint32_t)vmm->irqfd[i];
		if (vmm->irqfd[i] < 0 || ioctl(vmm->vm_fd, HV_GZVM_IRQFD, &irqfd) < 0)
			die(EXIT_INTERNAL, "IRQFD gsi %u: %s", irqfd.gsi, strerror(errno));
	}
	/* The UART's interrupt, as the device tree says, for every guest. */
	struct hv_gzvm_irqfd uart_irqfd = {.gsi = BOARD_UART_GSI};
	vmm->uart_irq_fd = eventfd(0, EFD_CLOEXEC);
	uart_irqfd.fd = (uint32_t)vmm->uart_irq_fd;
	if (vmm->uart_irq_fd < 0 || ioctl(vmm->vm_fd, HV_GZVM_IRQFD, &uart_irqfd) < 0)
		die(EXIT_INTERNAL, "IRQFD gsi %u (UART): %s", uart_irqfd.gsi, strerror(errno));
	if (vmm->disk_path) {
		int err = disk_bind(&vmm->disk, vmm->vm_fd);
		if (err)
			die(EXIT_INTERNAL, "disk: IOEVENTFD/IRQFD: %s", strerror(-err));
	}
}

/* The UART's interrupt: its irqfd raises SPI BOARD_UART_GSI once. */
static void uart_irq(void *arg)
{
	struct vmm *vmm = arg;
	uint64_t one = 1;
	if (write(vmm->uart_irq_fd, &one, sizeof(one)) != sizeof(one))
		fprintf(stderr, "gzvm-vmm: UART interrupt lost: %s\n", strerror(errno));
}

/* A doorbell write: signal the eventfd of the gsi written (a 32-bit store). */
static bool ring(struct vmm *vmm, const struct hv_abi_vcpu_run *run)
{
	uint32_t gsi = (uint32_t)run->mmio.data[0] | (uint32_t)run->mmio.data[1] << 8 |
	               (uint32_t)run->mmio.data[2] << 16 | (uint32_t)run->mmio.data[3] << 24;
	uint64_t one = 1;

	if (!run->mmio.is_write || run->mmio.size != 4 || gsi < BOARD_IRQFD_GSI0 ||
	    gsi - BOARD_IRQFD_GSI0 >= BOARD_IRQFDS)
		return false;
	return write(vmm->irqfd[gsi - BOARD_IRQFD_GSI0], &one, sizeof(one)) == sizeof(one);
}

static void create_vcpus(struct vmm *vmm, uint64_t entry, uint64_t dt_gpa)
{
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		vmm->vcpu_fd[i] = ioctl(vmm->vm_fd, HV_GZVM_CREATE_VCPU, (unsigned long)i);
		if (vmm->vcpu_fd[i] < 0)
			die(EXIT_INTERNAL, "CREATE_VCPU %u: %s", i, strerror(errno));
	}
	struct hv_gzvm_one_reg pc = {.id = HV_GZVM_REG_PC, .addr = (uint64_t)(uintptr_t)&entry};
	if (ioctl(vmm->vcpu_fd[0], HV_GZVM_SET_ONE_REG, &pc) < 0)
		die(EXIT_INTERNAL, "SET_ONE_REG(PC): %s", strerror(errno));
	/* Every payload: x0 = its device tree, x1..x3 = 0 as they are at reset
	 * (booting.rst "Call the kernel image"). */
	struct hv_gzvm_one_reg r0 = {.id = HV_GZVM_REG_X(0), .addr = (uint64_t)(uintptr_t)&dt_gpa};
	if (ioctl(vmm->vcpu_fd[0], HV_GZVM_SET_ONE_REG, &r0) < 0)
		die(EXIT_INTERNAL, "SET_ONE_REG(X0): %s", strerror(errno));
}

/* An MMIO exit: the UART or the disk's window (its QueueNotify writes of
 * queue 0 go to the I/O thread without an exit); anything else has no device behind it and the
 * guest takes an external abort (mmio.host_abort), as on an empty bus. */
static void serve_mmio(struct vmm *vmm, struct hv_abi_vcpu_run *run)
{
	uint64_t addr = run->mmio.phys_addr, size = run->mmio.size;
	bool ok = false;

	run->mmio.host_abort = 0;
	atomic_fetch_add(&vmm->mmio_exits, 1);

	if (vmm->doorbell && addr >= BOARD_DOORBELL_BASE &&
	    addr - BOARD_DOORBELL_BASE < BOARD_DOORBELL_SIZE)
		ok = ring(vmm, run);
	else if (vmm->protected_vm && addr >= BOARD_PROBE_BASE &&
	         addr - BOARD_PROBE_BASE < BOARD_PROBE_SIZE) {
		pthread_mutex_lock(&vmm->mmio_lock);
		ok = probe_access(&vmm->probe, addr - BOARD_PROBE_BASE, run->mmio.is_write,
		                  (unsigned int)size, run->mmio.data);
		pthread_mutex_unlock(&vmm->mmio_lock);
	} else if (addr >= BOARD_UART_BASE && addr - BOARD_UART_BASE < BOARD_UART_SIZE &&
	           size <= 8) {
		pthread_mutex_lock(&vmm->mmio_lock);
		ok = pl011_access(&vmm->uart, addr - BOARD_UART_BASE, run->mmio.is_write,
		                  (unsigned int)size, run->mmio.data);
		pthread_mutex_unlock(&vmm->mmio_lock);
	} else if (vmm->disk_path && addr >= BOARD_VIRTIO_BASE &&
	           addr - BOARD_VIRTIO_BASE < VIRTIO_MMIO_SIZE) {
		ok = disk_mmio(&vmm->disk, addr - BOARD_VIRTIO_BASE, run->mmio.is_write,
		               (unsigned)size, run->mmio.data);
	}
	if (!ok)
		run->mmio.host_abort = HV_ABI_MMIO_ABORT;
}

struct vcpu_thread {
	struct vmm *vmm;
	unsigned int id;
	struct vcpu_mover mover; /* --move-vcpus */
};

/* Ends the VM: the first caller's status is the exit status; main wakes,
 * stops the vCPU threads and the I/O thread and cleans up. */
static void stop_vm(struct vmm *vmm, int status)
{
	bool first = false;
	uint64_t one = 1;
	if (atomic_compare_exchange_strong(&vmm->stopping, &first, true)) {
		atomic_store(&vmm->status, status);
		if (write(vmm->shutdown_fd, &one, sizeof(one)) != sizeof(one))
			_exit(EXIT_INTERNAL);
	}
}

static int signal_shutdown_fd = -1;

/* SIGINT, SIGTERM: a clean stop (write(2) is async-signal-safe). */
static void on_stop_signal(int sig)
{
	uint64_t code = (uint64_t)sig << 8;
	(void)!write(signal_shutdown_fd, &code, sizeof(code));
}

/* SIGUSR1 only ends a vCPU thread's RUN (-EINTR). */
static void on_kick(int sig)
{
	(void)sig;
}

static void vcpu_fail(struct vmm *vmm, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void vcpu_fail(struct vmm *vmm, int status, const char *fmt, ...)
{
	va_list ap;
	if (atomic_load(&vmm->stopping))
		return;
	va_start(ap, fmt);
	report(fmt, ap);
	va_end(ap);
	stop_vm(vmm, status);
}

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;
	struct vmm *vmm = t->vmm;
	struct hv_abi_vcpu_run run;

	memset(&run, 0, sizeof(run));
	vcpu_mover_init(&t->mover);
	while (!atomic_load(&vmm->stopping)) {
		if (vmm->move_vcpus)
			vcpu_mover_step(&t->mover);
		if (ioctl(vmm->vcpu_fd[t->id], HV_GZVM_RUN, &run) < 0) {
			if (errno == EINTR)
				continue;
			vcpu_fail(vmm, EXIT_INTERNAL, "vCPU %u: RUN: %s", t->id, strerror(errno));
			break;
		}
		switch (run.exit_reason) {
		case HV_ABI_EXIT_MMIO: serve_mmio(vmm, &run); break;
		case HV_ABI_EXIT_HYPERCALL:
			/* A guest SMCCC call for the VMM: none is offered (SMCCC
			 * NOT_SUPPORTED in x0, DEN0028 7.1; x1..x3 zero). */
			memset(run.hypercall.args, 0, 4 * sizeof(run.hypercall.args[0]));
			run.hypercall.args[0] = (uint64_t)(int64_t)-1;
			break;
		case HV_ABI_EXIT_SYSTEM_EVENT:
			fflush(stdout);
			if (run.system_event.type == HV_ABI_SYSTEM_EVENT_SHUTDOWN) {
				if (!atomic_load(&vmm->stopping))
					fprintf(stderr, "gzvm-vmm: guest powered off\n");
				stop_vm(vmm, EXIT_OFF);
			} else {
				vcpu_fail(vmm, EXIT_RESET, "vCPU %u: guest system event %u", t->id,
				          run.system_event.type);
			}
			break;
		case HV_ABI_EXIT_SHUTDOWN:
			vcpu_fail(vmm, EXIT_RESET, "vCPU %u: VM shut down", t->id);
			break;
		default:
			vcpu_fail(vmm, EXIT_INTERNAL, "vCPU %u: unexpected exit %#x", t->id,
			          run.exit_reason);
		}
	}
	atomic_store(&vmm->vcpu_done[t->id], true);
	return NULL;
}

/* --move-vcpus: where each vCPU's RUNs were entered, and the fewest host
 * CPUs any vCPU used (a test expects every vCPU on every host CPU). */
static void report_moves(const struct vcpu_thread *threads, unsigned int nr)
{
	unsigned int fewest = ~0u;
	for (unsigned int i = 0; i < nr; i++) {
		unsigned int cpus = vcpu_mover_cpus(&threads[i].mover);
		fprintf(stderr, "gzvm-vmm: vCPU %u entered on %u host CPUs, moved %lu times\n", i,
		        cpus, threads[i].mover.moves);
		fewest = cpus < fewest ? cpus : fewest;
	}
	fprintf(stderr, "gzvm-vmm: every vCPU entered on at least %u host CPUs\n", fewest);
}

/* Raw console input for a person (no line editing or echo in the host's
 * terminal: the guest echoes); restored at exit. */
static struct termios saved_tty;
static bool tty_raw;

static void restore_tty(void)
{
	if (tty_raw)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved_tty);
}

static void console_raw(void)
{
	struct termios raw;
	if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_tty) != 0)
		return;
	raw = saved_tty;
	raw.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
	raw.c_iflag &= ~(tcflag_t)ICRNL;
	tty_raw = tcsetattr(STDIN_FILENO, TCSANOW, &raw) == 0;
	atexit(restore_tty);
}

static void install_signals(struct vmm *vmm)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_kick; /* no SA_RESTART: RUN must end */
	sigaction(SIGUSR1, &sa, NULL);
	signal_shutdown_fd = vmm->shutdown_fd;
	sa.sa_handler = on_stop_signal;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* Until every vCPU thread has left RUN: signal the ones still in it (a
 * signal sent just before a thread enters RUN is sent again). */
static void join_vcpus(struct vmm *vmm, const pthread_t *tids)
{
	const struct timespec tick = {.tv_nsec = 5 * 1000 * 1000};
	for (;;) {
		bool all = true;
		for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
			if (!atomic_load(&vmm->vcpu_done[i])) {
				pthread_kill(tids[i], SIGUSR1);
				all = false;
			}
		if (all)
			break;
		nanosleep(&tick, NULL);
	}
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		pthread_join(tids[i], NULL);
}

int main(int argc, char **argv)
{
	struct vmm vmm = {0};
	struct vcpu_thread threads[HV_ABI_MAX_VCPUS];
	pthread_t tids[HV_ABI_MAX_VCPUS];
	struct boot_layout layout = {0};
	uint64_t entry, reason;
	int dev_fd;

	parse_args(&vmm, argc, argv);
	/* The device first: without it nothing else matters. */
	dev_fd = open_device(vmm.dev);

	vmm.ram.base = BOARD_RAM_BASE;
	vmm.ram.size = vmm.mem_mib << 20;
	vmm.ram.host = one_vma_map(vmm.ram.size); /* one VMA: MediaTek's rule */
	if (vmm.ram.host == MAP_FAILED)
		die(EXIT_INTERNAL, "%llu MiB of guest RAM: %s", (unsigned long long)vmm.mem_mib,
		    strerror(errno));
	pl011_init(&vmm.uart, stdout);
	pthread_mutex_init(&vmm.mmio_lock, NULL);
	vmm.shutdown_fd = eventfd(0, EFD_CLOEXEC);
	if (vmm.shutdown_fd < 0)
		die(EXIT_INTERNAL, "eventfd: %s", strerror(errno));
	if (vmm.disk_path) {
		struct guest_mem mem = {
		    .host = vmm.ram.host, .gpa_base = vmm.ram.base, .size = vmm.ram.size};
		int err = disk_open(&vmm.disk, vmm.disk_path, vmm.disk_ro, &mem, BOARD_VIRTIO_BASE,
		                    BOARD_VIRTIO_GSI);
		if (err)
			die(EXIT_NOFILE, "%s: %s", vmm.disk_path,
			    err == -EINVAL ? "not a regular file of whole 512-byte sectors"
			                   : strerror(-err));
	}
	if (vmm.kernel)
		load_linux(&vmm, &layout);
	else
		load(&vmm, &layout);
	entry = layout.entry;
	if (vmm.protected_vm) {
		if (!probe_init(&vmm.probe, &vmm.ram, entry))
			die(EXIT_INTERNAL, "--protected: no memory for the RAM checksums");
		for (unsigned int i = 0; i < vmm.nr_probe_pages; i++)
			probe_add(&vmm.probe, vmm.probe_pages[i]);
	}
	create_vm(&vmm, dev_fd);
	create_vcpus(&vmm, entry, layout.dt_gpa);
	vmm.uart.irq = uart_irq;
	vmm.uart.irq_arg = &vmm;
	if (vmm.kernel)
		console_raw();

	install_signals(&vmm);
	vmm.io = (struct io_thread){.disk = vmm.disk_path ? &vmm.disk : NULL,
	                            .in_fd = vmm.kernel ? STDIN_FILENO : -1,
	                            .uart = &vmm.uart,
	                            .uart_lock = &vmm.mmio_lock};
	if (io_thread_start(&vmm.io))
		die(EXIT_INTERNAL, "cannot start the I/O thread");
	for (unsigned int i = 0; i < vmm.nr_vcpus; i++) {
		threads[i] = (struct vcpu_thread){.vmm = &vmm, .id = i};
		if (pthread_create(&tids[i], NULL, vcpu_main, &threads[i]))
			die(EXIT_INTERNAL, "cannot start vCPU thread %u", i);
	}

	/* Until a vCPU thread or a signal stops the VM. */
	while (read(vmm.shutdown_fd, &reason, sizeof(reason)) != sizeof(reason))
		if (errno != EINTR)
			die(EXIT_INTERNAL, "shutdown eventfd: %s", strerror(errno));
	if (!atomic_load(&vmm.stopping)) {
		fprintf(stderr, "gzvm-vmm: stopped by signal %u\n", (unsigned)(reason >> 8));
		stop_vm(&vmm, EXIT_RESET);
	}
	join_vcpus(&vmm, tids);
	io_thread_stop(&vmm.io);
	if (vmm.move_vcpus)
		report_moves(threads, vmm.nr_vcpus);
	fflush(stdout);
	int status = atomic_load(&vmm.status);
	if (vmm.disk_path) {
		fprintf(stderr,
		        "gzvm-vmm: disk: %llu requests (%llu failed), %llu notifications, "
		        "%llu interrupts; %llu MMIO exits to the VMM\n",
		        (unsigned long long)vmm.disk.blk.requests,
		        (unsigned long long)vmm.disk.blk.errors, (unsigned long long)vmm.disk.kicks,
		        (unsigned long long)vmm.disk.irqs, atomic_load(&vmm.mmio_exits));
		int err = disk_close(&vmm.disk);
		if (err) {
			fprintf(stderr, "gzvm-vmm: %s: flush: %s\n", vmm.disk_path, strerror(-err));
			status = EXIT_INTERNAL;
		}
	}
	/* --protected: the pages probed are not the host's to read until the
	 * VM is gone; closing the last fds of the VM destroys it (DESTROY_VM,
	 * pages unpinned), then they read as zeros. */
	unsigned int bad = 0;
	if (vmm.protected_vm && status == EXIT_OFF)
		bad = probe_check_taken(&vmm.probe, stderr);
	for (unsigned int i = 0; i < vmm.nr_vcpus; i++)
		close(vmm.vcpu_fd[i]);
	close(vmm.vm_fd);
	if (vmm.protected_vm && status == EXIT_OFF)
		bad += probe_check_zero(&vmm.probe, stderr);
	if (bad)
		status = EXIT_INTERNAL;
	close(dev_fd);
	return status;
}
