/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm: a small VMM over /dev/gzvm. Creates a VM, gives it anonymous
 * RAM at 0x40000000, loads a guest image (ELF or raw), places the vGICv3,
 * creates the vCPUs (one thread each), points vCPU 0 at the entry and runs
 * them, serving MMIO exits (a PL011 UART) and answering guest hypercalls
 * with NOT_SUPPORTED, until the guest powers off. With --irqfd-doorbell it
 * binds eventfds to SPIs (IRQFD) and signals one when the guest writes its
 * gsi to the doorbell (board.h). With --protected the VM is a protected VM
 * (ENABLE_CAP PROTECTED_VM) and the guest may probe what the VMM can read of
 * its memory (probe.h); at power-off every page probed, the entry page and
 * each --probe-page must fault (SIGBUS), then the VM is destroyed and they
 * must read as zeros. Only MediaTek's GenieZone UAPI is used.
 *
 *   gzvm-vmm [--dev PATH] [--mem MIB] [--vcpus N] [--block KIB]
 *            [--irqfd-doorbell] [--protected [--probe-page IPA]...] IMAGE
 *
 * Exit status: 0 the guest powered off (PSCI SYSTEM_OFF), 1 it asked for a
 * reset or crashed, 64 bad usage, 65 not a loadable image, 66 unreadable
 * image, 69 no /dev/gzvm (module not loaded: it declines without hvcore's
 * hypervisor) or the device refused a VM, 70 an unexpected exit or error.
 */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hv/abi.h>
#include <one_vma.h>

#include "board.h"
#include "image.h"
#include "pl011.h"
#include "probe.h"

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
	uint64_t probe_pages[4];
	unsigned int nr_probe_pages; /* --probe-page */
	struct probe probe;
	int irqfd[BOARD_IRQFDS];
	const char *image;
	int vm_fd;
	int vcpu_fd[HV_ABI_MAX_VCPUS];
	struct vmm_ram ram;
	struct pl011 uart;
	pthread_mutex_t mmio_lock;
};

static void usage(void)
{
	fprintf(stderr,
	        "usage: gzvm-vmm [--dev PATH] [--mem MIB] [--vcpus N] [--block KIB]\n"
	        "                [--irqfd-doorbell] [--protected [--probe-page IPA]...] IMAGE\n"
	        "  IMAGE  AArch64 ELF executable or raw image (loaded at 0x40000000)\n"
	        "  --dev  the gzvm device (default /dev/gzvm)\n"
	        "  --mem  guest RAM in MiB (default 64)\n"
	        "  --vcpus  vCPUs (default 1, at most %u)\n"
	        "  --block  demand-page RAM in blocks of KIB KiB (power of two, 8..2048;\n"
	        "           default: the driver's, 2 MiB)\n"
	        "  --irqfd-doorbell  eventfds on gsi 8 and 9 (IRQFD), signalled by a\n"
	        "           32-bit write of the gsi to 0x0b000000\n"
	        "  --protected  a protected VM, with the memory probe at 0x0b001000;\n"
	        "           at power-off every page probed (and the entry page, and\n"
	        "           each --probe-page) must fault, and read zeros after DESTROY_VM\n",
	        HV_ABI_MAX_VCPUS);
	exit(EXIT_USAGE);
}

static void die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void die(int status, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("gzvm-vmm: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
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

static void parse_args(struct vmm *vmm, int argc, char **argv)
{
	vmm->dev = "/dev/gzvm";
	vmm->mem_mib = 64;
	vmm->nr_vcpus = 1;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--dev") && i + 1 < argc)
			vmm->dev = argv[++i];
		else if (!strcmp(argv[i], "--mem") && i + 1 < argc)
			vmm->mem_mib = parse_num(argv[++i], 1u << 20);
		else if (!strcmp(argv[i], "--vcpus") && i + 1 < argc)
			vmm->nr_vcpus = (unsigned int)parse_num(argv[++i], HV_ABI_MAX_VCPUS);
		else if (!strcmp(argv[i], "--block") && i + 1 < argc)
			vmm->block_kib = parse_num(argv[++i], 2048);
		else if (!strcmp(argv[i], "--irqfd-doorbell"))
			vmm->doorbell = true;
		else if (!strcmp(argv[i], "--protected"))
			vmm->protected_vm = true;
		else if (!strcmp(argv[i], "--probe-page") && i + 1 < argc &&
		         vmm->nr_probe_pages < 4)
			vmm->probe_pages[vmm->nr_probe_pages++] = parse_num(argv[++i], UINT64_MAX);
		else if (argv[i][0] == '-' || vmm->image)
			usage();
		else
			vmm->image = argv[i];
	}
	if (!vmm->image || (vmm->nr_probe_pages && !vmm->protected_vm) ||
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

static void load(struct vmm *vmm, uint64_t *entry)
{
	char err[200];
	struct stat st;
	uint8_t *img;
	int fd = open(vmm->image, O_RDONLY | O_CLOEXEC);

	if (fd < 0 || fstat(fd, &st) < 0)
		die(EXIT_NOFILE, "%s: %s", vmm->image, strerror(errno));
	if (st.st_size == 0 || (uint64_t)st.st_size > vmm->ram.size)
		die(EXIT_IMAGE, "%s: %lld bytes: empty or larger than guest RAM", vmm->image,
		    (long long)st.st_size);
	img = malloc((size_t)st.st_size);
	if (!img || read(fd, img, (size_t)st.st_size) != st.st_size)
		die(EXIT_NOFILE, "%s: cannot read", vmm->image);
	close(fd);
	if (vmm_load_image(&vmm->ram, img, (size_t)st.st_size, entry, err, sizeof(err)))
		die(EXIT_IMAGE, "%s: %s", vmm->image, err);
	free(img);
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

static void create_vcpus(struct vmm *vmm, uint64_t entry)
{
	for (unsigned int i = 0; i < vmm->nr_vcpus; i++) {
		vmm->vcpu_fd[i] = ioctl(vmm->vm_fd, HV_GZVM_CREATE_VCPU, (unsigned long)i);
		if (vmm->vcpu_fd[i] < 0)
			die(EXIT_INTERNAL, "CREATE_VCPU %u: %s", i, strerror(errno));
	}
	struct hv_gzvm_one_reg pc = {.id = HV_GZVM_REG_PC, .addr = (uint64_t)(uintptr_t)&entry};
	if (ioctl(vmm->vcpu_fd[0], HV_GZVM_SET_ONE_REG, &pc) < 0)
		die(EXIT_INTERNAL, "SET_ONE_REG(PC): %s", strerror(errno));
}

/* An MMIO exit: the UART; anything else has no device behind it and the
 * guest takes an external abort (mmio.host_abort), as on an empty bus. */
static void serve_mmio(struct vmm *vmm, struct hv_abi_vcpu_run *run)
{
	uint64_t addr = run->mmio.phys_addr, size = run->mmio.size;
	bool ok = false;

	run->mmio.host_abort = 0;

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
	}
	if (!ok)
		run->mmio.host_abort = HV_ABI_MMIO_ABORT;
}

/* --protected at power-off: the pages probed are not the host's to read;
 * destroy the VM (the last reference goes with the fds: DESTROY_VM, pages
 * unpinned), then they read as zeros. */
static int destroy_and_check(struct vmm *vmm)
{
	unsigned int bad = probe_check_taken(&vmm->probe, stderr);

	for (unsigned int i = 0; i < vmm->nr_vcpus; i++)
		close(vmm->vcpu_fd[i]);
	close(vmm->vm_fd);
	bad += probe_check_zero(&vmm->probe, stderr);
	return bad ? EXIT_INTERNAL : EXIT_OFF;
}

struct vcpu_thread {
	struct vmm *vmm;
	unsigned int id;
};

static void *vcpu_main(void *arg)
{
	struct vcpu_thread *t = arg;
	struct vmm *vmm = t->vmm;
	struct hv_abi_vcpu_run run;

	memset(&run, 0, sizeof(run));
	for (;;) {
		if (ioctl(vmm->vcpu_fd[t->id], HV_GZVM_RUN, &run) < 0) {
			if (errno == EINTR)
				continue;
			die(EXIT_INTERNAL, "vCPU %u: RUN: %s", t->id, strerror(errno));
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
				fprintf(stderr, "gzvm-vmm: guest powered off\n");
				exit(vmm->protected_vm ? destroy_and_check(vmm) : EXIT_OFF);
			}
			die(EXIT_RESET, "vCPU %u: guest system event %u", t->id,
			    run.system_event.type);
			break;
		case HV_ABI_EXIT_SHUTDOWN: die(EXIT_RESET, "vCPU %u: VM shut down", t->id); break;
		default: die(EXIT_INTERNAL, "vCPU %u: unexpected exit %#x", t->id, run.exit_reason);
		}
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct vmm vmm = {0};
	struct vcpu_thread threads[HV_ABI_MAX_VCPUS];
	pthread_t tids[HV_ABI_MAX_VCPUS];
	uint64_t entry;
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
	load(&vmm, &entry);
	if (vmm.protected_vm) {
		probe_init(&vmm.probe, &vmm.ram, entry);
		for (unsigned int i = 0; i < vmm.nr_probe_pages; i++)
			probe_add(&vmm.probe, vmm.probe_pages[i]);
	}
	create_vm(&vmm, dev_fd);
	create_vcpus(&vmm, entry);

	for (unsigned int i = 0; i < vmm.nr_vcpus; i++) {
		threads[i] = (struct vcpu_thread){.vmm = &vmm, .id = i};
		if (pthread_create(&tids[i], NULL, vcpu_main, &threads[i]))
			die(EXIT_INTERNAL, "cannot start vCPU thread %u", i);
	}
	for (unsigned int i = 0; i < vmm.nr_vcpus; i++)
		pthread_join(tids[i], NULL);
	return EXIT_INTERNAL; /* the threads exit the process */
}
