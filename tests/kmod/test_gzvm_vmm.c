/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gzvm-vmm's pieces on the build machine: the guest image loader (ELF and
 * raw, hostile files refused without writing outside RAM), the boot layout
 * of any payload and of a Linux Image (the device tree's slot kept free),
 * the PL011 model (transmit, receive FIFO, interrupts) and the
 * protected-VM probe.
 */
#include <criterion/criterion.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "image.h"
#include "pl011.h"
#include "probe.h"
#include "vcpu_mover.h"

#define RAM_BASE 0x40000000ull
#define RAM_SIZE 0x10000ull

static uint8_t ram_buf[RAM_SIZE + 64]; /* 64 guard bytes after RAM */

static struct vmm_ram ram(void)
{
	memset(ram_buf, 0xee, sizeof(ram_buf));
	return (struct vmm_ram){.host = ram_buf, .base = RAM_BASE, .size = RAM_SIZE};
}

static bool guard_intact(void)
{
	for (size_t i = RAM_SIZE; i < sizeof(ram_buf); i++)
		if (ram_buf[i] != 0xee)
			return false;
	return true;
}

/* An ELF with one PT_LOAD of `filesz` bytes 0x5a at `paddr`, memsz bytes. */
struct elf_img {
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	uint8_t payload[256];
};

static struct elf_img elf(uint64_t paddr, uint64_t filesz, uint64_t memsz, uint64_t entry)
{
	struct elf_img e;
	memset(&e, 0, sizeof(e));
	memcpy(e.eh.e_ident, ELFMAG, SELFMAG);
	e.eh.e_ident[EI_CLASS] = ELFCLASS64;
	e.eh.e_ident[EI_DATA] = ELFDATA2LSB;
	e.eh.e_type = ET_EXEC;
	e.eh.e_machine = EM_AARCH64;
	e.eh.e_entry = entry;
	e.eh.e_phoff = offsetof(struct elf_img, ph);
	e.eh.e_phentsize = sizeof(Elf64_Phdr);
	e.eh.e_phnum = 1;
	e.ph.p_type = PT_LOAD;
	e.ph.p_offset = offsetof(struct elf_img, payload);
	e.ph.p_paddr = paddr;
	e.ph.p_filesz = filesz;
	e.ph.p_memsz = memsz;
	memset(e.payload, 0x5a, sizeof(e.payload));
	return e;
}

Test(gzvm_vmm, elf_segment_loaded_and_bss_zeroed)
{
	struct vmm_ram r = ram();
	struct elf_img e = elf(RAM_BASE + 0x1000, 16, 64, RAM_BASE + 0x1000);
	uint64_t entry = 0;
	char err[128] = "";

	cr_assert_eq(vmm_load_image(&r, (uint8_t *)&e, sizeof(e), &entry, err, sizeof(err)), 0,
	             "%s", err);
	cr_assert_eq(entry, RAM_BASE + 0x1000);
	cr_assert_eq(ram_buf[0x1000], 0x5a);
	cr_assert_eq(ram_buf[0x100f], 0x5a);
	cr_assert_eq(ram_buf[0x1010], 0, "bss zeroed");
	cr_assert_eq(ram_buf[0x103f], 0);
	cr_assert_eq(ram_buf[0x1040], 0xee, "nothing past memsz");
	cr_assert_eq(ram_buf[0x0fff], 0xee);
}

Test(gzvm_vmm, hostile_elves_refused)
{
	struct {
		const char *why;
		struct elf_img e;
		size_t len;
	} cases[] = {
	    {"segment beyond RAM", elf(RAM_BASE + RAM_SIZE - 8, 16, 16, RAM_BASE), 0},
	    {"segment below RAM", elf(RAM_BASE - 8, 16, 16, RAM_BASE), 0},
	    {"memsz wraps", elf(RAM_BASE, 16, UINT64_MAX, RAM_BASE), 0},
	    {"filesz beyond the file", elf(RAM_BASE, 4096, 4096, RAM_BASE), 0},
	    {"filesz > memsz", elf(RAM_BASE, 32, 16, RAM_BASE), 0},
	    {"entry outside RAM", elf(RAM_BASE, 16, 16, RAM_BASE + RAM_SIZE), 0},
	    {"entry misaligned", elf(RAM_BASE, 16, 16, RAM_BASE + 2), 0},
	    {"truncated header", elf(RAM_BASE, 16, 16, RAM_BASE), 40},
	};
	cases[3].e.ph.p_offset = offsetof(struct elf_img, payload);
	struct elf_img wrong_machine = elf(RAM_BASE, 16, 16, RAM_BASE);
	wrong_machine.eh.e_machine = EM_X86_64;
	struct elf_img phoff = elf(RAM_BASE, 16, 16, RAM_BASE);
	phoff.eh.e_phoff = UINT64_MAX - 8;
	struct elf_img phnum = elf(RAM_BASE, 16, 16, RAM_BASE);
	phnum.eh.e_phnum = 0xffff;
	struct elf_img noload = elf(RAM_BASE, 16, 16, RAM_BASE);
	noload.ph.p_type = PT_NOTE;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct vmm_ram r = ram();
		uint64_t entry = 7;
		char err[128] = "";
		size_t len = cases[i].len ? cases[i].len : sizeof(cases[i].e);
		cr_assert_eq(
		    vmm_load_image(&r, (uint8_t *)&cases[i].e, len, &entry, err, sizeof(err)), -1,
		    "%s accepted", cases[i].why);
		cr_assert_neq(err[0], '\0', "%s: no reason given", cases[i].why);
		cr_assert_eq(entry, 7, "%s: entry written", cases[i].why);
		cr_assert(guard_intact(), "%s: wrote past RAM", cases[i].why);
	}
	const struct elf_img *more[] = {&wrong_machine, &phoff, &phnum, &noload};
	for (size_t i = 0; i < 4; i++) {
		struct vmm_ram r = ram();
		uint64_t entry = 7;
		char err[128] = "";
		cr_assert_eq(vmm_load_image(&r, (const uint8_t *)more[i], sizeof(*more[i]), &entry,
		                            err, sizeof(err)),
		             -1, "case %zu accepted", i);
		cr_assert(guard_intact());
	}
}

Test(gzvm_vmm, raw_image_at_ram_base)
{
	struct vmm_ram r = ram();
	uint8_t img[100];
	uint64_t entry = 0;
	char err[128] = "";

	memset(img, 0x33, sizeof(img));
	cr_assert_eq(vmm_load_image(&r, img, sizeof(img), &entry, err, sizeof(err)), 0);
	cr_assert_eq(entry, RAM_BASE);
	cr_assert_eq(ram_buf[0], 0x33);
	cr_assert_eq(ram_buf[99], 0x33);
	cr_assert_eq(ram_buf[100], 0xee);

	uint8_t *big = calloc(1, RAM_SIZE + 1);
	cr_assert_eq(vmm_load_image(&r, big, RAM_SIZE + 1, &entry, err, sizeof(err)), -1);
	cr_assert(guard_intact());
	cr_assert_eq(vmm_load_image(&r, big, 0, &entry, err, sizeof(err)), -1, "empty");
	free(big);
}

Test(gzvm_vmm, pl011_transmit_and_registers)
{
	char *text = NULL;
	size_t text_len = 0;
	FILE *out = open_memstream(&text, &text_len);
	struct pl011 uart;
	pl011_init(&uart, out);
	uint8_t data[8] = {'h'};

	cr_assert(pl011_access(&uart, PL011_DR, true, 4, data));
	data[0] = 'i';
	cr_assert(pl011_access(&uart, PL011_DR, true, 1, data));
	fflush(out);
	cr_assert_eq(text_len, 2);
	cr_assert_eq(memcmp(text, "hi", 2), 0);
	cr_assert_eq(uart.bytes_out, 2);

	memset(data, 0xff, sizeof(data));
	cr_assert(pl011_access(&uart, PL011_FR, false, 4, data));
	cr_assert_eq(data[0], PL011_FR_TXFE | PL011_FR_RXFE, "TX empty, never full");
	cr_assert_eq(data[1] | data[2] | data[3] | data[4], 0, "upper bytes cleared");
	cr_assert(pl011_access(&uart, 0xfe0, false, 4, data));
	cr_assert_eq(data[0], 0x11, "PeriphID0");
	cr_assert(pl011_access(&uart, 0xffc, false, 1, data));
	cr_assert_eq(data[0], 0xb1, "PCellID3");
	cr_assert(pl011_access(&uart, 0x030, false, 2, data));
	cr_assert_eq(data[0] | data[1], 0, "UARTCR reads 0");

	cr_assert(!pl011_access(&uart, PL011_DR, true, 8, data), "64-bit refused");
	cr_assert(!pl011_access(&uart, 0x2, false, 4, data), "misaligned refused");
	cr_assert(!pl011_access(&uart, 0x1000, false, 4, data), "outside the frame");
	cr_assert(pl011_access(&uart, 0x1, true, 1, data), "DR byte 1 ignored");
	fflush(out);
	cr_assert_eq(text_len, 2, "nothing sent by refused or ignored writes");
	fclose(out);
	free(text);
}

static uint32_t rd(struct pl011 *uart, uint64_t offset, unsigned int size)
{
	uint8_t data[8];
	memset(data, 0xee, sizeof(data));
	cr_assert(pl011_access(uart, offset, false, size, data));
	uint32_t v = 0;
	for (unsigned int i = 0; i < size; i++)
		v |= (uint32_t)data[i] << (8 * i);
	return v;
}

static void wr(struct pl011 *uart, uint64_t offset, unsigned int size, uint32_t v)
{
	uint8_t data[8] = {0};
	for (unsigned int i = 0; i < size; i++)
		data[i] = (uint8_t)(v >> (8 * i));
	cr_assert(pl011_access(uart, offset, true, size, data));
}

Test(gzvm_vmm, pl011_read_write_registers)
{
	struct pl011 uart;
	pl011_init(&uart, stdout);
	cr_assert_eq(rd(&uart, PL011_IFLS, 4), 0x12, "IFLS reset: 1/2 levels");
	cr_assert_eq(rd(&uart, PL011_IBRD, 4), 0);
	wr(&uart, PL011_IBRD, 4, 0x1234beef);
	cr_assert_eq(rd(&uart, PL011_IBRD, 4), 0xbeef, "IBRD keeps 16 bits");
	wr(&uart, PL011_IBRD + 1, 1, 0x5a);
	cr_assert_eq(rd(&uart, PL011_IBRD, 2), 0x5aef, "byte 1 merged");
	cr_assert_eq(rd(&uart, PL011_IBRD + 1, 1), 0x5a);
	wr(&uart, PL011_FBRD, 4, 0xff);
	cr_assert_eq(rd(&uart, PL011_FBRD, 4), 0x3f, "FBRD keeps 6 bits");
	wr(&uart, PL011_LCR_H, 1, 0x80);
	cr_assert_eq(rd(&uart, PL011_LCR_H, 1), 0x80);
	wr(&uart, PL011_IMSC, 2, 0xffff);
	cr_assert_eq(rd(&uart, PL011_IMSC, 4), 0x7ff, "IMSC keeps 11 bits");
	uint8_t data[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	cr_assert(!pl011_access(&uart, PL011_IMSC, true, 8, data), "64-bit refused");
	cr_assert_eq(rd(&uart, PL011_IMSC, 4), 0x7ff, "refused write changed nothing");
	wr(&uart, 0x030, 4, 0x301);
	cr_assert_eq(rd(&uart, 0x030, 4), 0, "UARTCR still reads 0");
}

static unsigned int irqs_raised;

static void count_irq(void *arg)
{
	(void)arg;
	irqs_raised++;
}

Test(gzvm_vmm, pl011_receive_fifo_and_interrupts)
{
	struct pl011 uart;
	pl011_init(&uart, stdout);
	uart.irq = count_irq;
	irqs_raised = 0;
	cr_assert_eq(pl011_rx_space(&uart), PL011_RX_FIFO);
	cr_assert(pl011_receive(&uart, 'a'));
	cr_assert(pl011_receive(&uart, 'b'));
	cr_assert_eq(irqs_raised, 0, "masked: no interrupt");
	cr_assert_eq(rd(&uart, PL011_FR, 4) & PL011_FR_RXFE, 0, "FIFO not empty");
	cr_assert_eq(rd(&uart, PL011_RIS, 4), PL011_INT_RX | PL011_INT_RT);
	cr_assert_eq(rd(&uart, PL011_MIS, 4), 0);

	wr(&uart, PL011_IMSC, 4, PL011_INT_RX | PL011_INT_RT);
	cr_assert_eq(irqs_raised, 1, "unmasking a pending RX raises the line once");
	cr_assert(pl011_receive(&uart, 'c'));
	cr_assert_eq(irqs_raised, 1, "still asserted: no new edge");
	cr_assert_eq(rd(&uart, PL011_MIS, 4), PL011_INT_RX | PL011_INT_RT);
	cr_assert_eq(rd(&uart, PL011_DR, 4), 'a');
	cr_assert_eq(rd(&uart, PL011_DR, 1), 'b');
	cr_assert_eq(rd(&uart, PL011_DR + 1, 1), 0, "byte 1 of DR: takes nothing");
	cr_assert_eq(rd(&uart, PL011_DR, 4), 'c');
	cr_assert_eq(rd(&uart, PL011_FR, 4), PL011_FR_TXFE | PL011_FR_RXFE, "drained");
	cr_assert_eq(rd(&uart, PL011_MIS, 4), 0, "deasserted when drained");
	cr_assert_eq(rd(&uart, PL011_DR, 4), 0, "an empty FIFO reads 0");
	cr_assert(pl011_receive(&uart, 'd'));
	cr_assert_eq(irqs_raised, 2, "a byte after draining: a new edge");
	cr_assert_eq(rd(&uart, PL011_DR, 4), 'd');

	for (unsigned int i = 0; i < PL011_RX_FIFO; i++)
		cr_assert(pl011_receive(&uart, (uint8_t)i));
	cr_assert(!pl011_receive(&uart, 0xff), "full FIFO refuses");
	cr_assert_eq(pl011_rx_space(&uart), 0);
	cr_assert_neq(rd(&uart, PL011_FR, 4) & PL011_FR_RXFF, 0, "RXFF when full");
	for (unsigned int i = 0; i < PL011_RX_FIFO; i++)
		cr_assert_eq(rd(&uart, PL011_DR, 4), i & 0xff, "in order");
}

Test(gzvm_vmm, pl011_transmit_interrupt_until_cleared)
{
	FILE *out = fopen("/dev/null", "w");
	cr_assert_not_null(out);
	struct pl011 uart;
	pl011_init(&uart, out);
	uart.irq = count_irq;
	irqs_raised = 0;
	cr_assert_eq(rd(&uart, PL011_RIS, 4), 0, "reset: nothing pending");
	wr(&uart, PL011_DR, 4, 'x');
	cr_assert_eq(rd(&uart, PL011_RIS, 4), PL011_INT_TX);
	cr_assert_eq(irqs_raised, 0, "TX masked");
	wr(&uart, PL011_IMSC, 4, PL011_INT_TX);
	cr_assert_eq(irqs_raised, 1);
	wr(&uart, PL011_ICR, 4, PL011_INT_TX);
	cr_assert_eq(rd(&uart, PL011_MIS, 4), 0, "ICR clears TX");
	wr(&uart, PL011_DR, 4, 'y');
	cr_assert_eq(irqs_raised, 2, "the next write raises again");
	fclose(out);
}

/* A minimal arm64 Image: the header of booting.rst, then klen - 64 bytes. */
static uint8_t *linux_image(size_t klen, uint64_t text_offset, uint64_t image_size)
{
	uint8_t *k = calloc(1, klen);
	cr_assert_not_null(k);
	for (unsigned int i = 0; i < 8; i++) {
		k[8 + i] = (uint8_t)(text_offset >> (8 * i));
		k[16 + i] = (uint8_t)(image_size >> (8 * i));
	}
	memcpy(k + 56, "ARM\x64", 4);
	memset(k + 64, 0x5a, klen - 64);
	return k;
}

static uint8_t linux_ram[8u << 20];

Test(gzvm_vmm, linux_image_initramfs_and_device_tree_slot)
{
	struct vmm_ram r = {.host = linux_ram, .base = RAM_BASE, .size = sizeof(linux_ram)};
	struct boot_layout l;
	char err[200];
	uint8_t *k = linux_image(4096, 0, 8192);
	uint8_t initrd[5000];
	memset(linux_ram, 0xee, sizeof(linux_ram));
	memset(initrd, 0x77, sizeof(initrd));
	cr_assert_eq(linux_boot_load(&r, k, 4096, initrd, sizeof(initrd), &l, err, sizeof(err)), 0,
	             "%s", err);
	cr_assert_eq(l.entry, RAM_BASE);
	cr_assert_eq(l.dt_gpa, RAM_BASE + sizeof(linux_ram) - LINUX_DT_SLOT);
	cr_assert_eq(l.initrd_end - l.initrd_start, sizeof(initrd));
	cr_assert_eq(l.initrd_start % 4096, 0, "page aligned");
	cr_assert_leq(l.initrd_end, l.dt_gpa, "below the device tree");
	cr_assert_eq(memcmp(linux_ram + (l.initrd_start - RAM_BASE), initrd, sizeof(initrd)), 0);
	cr_assert_eq(linux_ram[100], 0x5a);
	cr_assert_eq(linux_ram[4096], 0, "bss cleared up to image_size");
	cr_assert_eq(linux_ram[8191], 0);
	cr_assert_eq(linux_ram[8192], 0xee, "nothing written past image_size");

	cr_assert_eq(linux_boot_load(&r, k, 4096, NULL, 0, &l, err, sizeof(err)), 0);
	cr_assert_eq(l.initrd_start, l.initrd_end, "no initramfs");
	free(k);
}

Test(gzvm_vmm, linux_hostile_images_refused)
{
	struct vmm_ram r = {.host = linux_ram, .base = RAM_BASE, .size = sizeof(linux_ram)};
	struct boot_layout l;
	char err[200];
	uint8_t *k = linux_image(4096, 0, 8192);
	memset(linux_ram, 0xee, sizeof(linux_ram));
	cr_assert_eq(linux_boot_load(&r, k, 63, NULL, 0, &l, err, sizeof(err)), -1, "short");
	k[56] = 'X';
	cr_assert_eq(linux_boot_load(&r, k, 4096, NULL, 0, &l, err, sizeof(err)), -1, "magic");
	free(k);
	k = linux_image(4096, 0, 0);
	cr_assert_eq(linux_boot_load(&r, k, 4096, NULL, 0, &l, err, sizeof(err)), -1,
	             "image_size 0 (pre-3.17)");
	free(k);
	k = linux_image(4096, 0, 8192);
	k[24] = 1;
	cr_assert_eq(linux_boot_load(&r, k, 4096, NULL, 0, &l, err, sizeof(err)), -1, "big-endian");
	free(k);
	k = linux_image(4096, 0, sizeof(linux_ram));
	cr_assert_eq(linux_boot_load(&r, k, 4096, NULL, 0, &l, err, sizeof(err)), -1,
	             "image over the device tree slot");
	free(k);
	k = linux_image(4096, UINT64_MAX & ~4095ull, 8192);
	cr_assert_eq(linux_boot_load(&r, k, 4096, NULL, 0, &l, err, sizeof(err)), -1,
	             "text_offset past RAM");
	free(k);
	k = linux_image(4096, 0, 8192);
	static uint8_t big[sizeof(linux_ram) - LINUX_DT_SLOT - 4096]; /* ends over the Image */
	cr_assert_eq(linux_boot_load(&r, k, 4096, big, sizeof(big), &l, err, sizeof(err)), -1,
	             "initramfs over the Image");
	free(k);
	for (size_t i = 0; i < sizeof(linux_ram); i++)
		cr_assert_eq(linux_ram[i], 0xee, "a refused load wrote nothing");
}

Test(gzvm_vmm, any_payload_below_the_device_tree_slot)
{
	struct vmm_ram r = {.host = linux_ram, .base = RAM_BASE, .size = sizeof(linux_ram)};
	struct boot_layout l = {.initrd_start = 1, .initrd_end = 2};
	char err[200] = "";
	static uint8_t raw[sizeof(linux_ram) - LINUX_DT_SLOT + 1];
	memset(raw, 0x44, sizeof(raw));
	memset(linux_ram, 0xee, sizeof(linux_ram));

	cr_assert_eq(payload_boot_load(&r, raw, sizeof(raw) - 1, &l, err, sizeof(err)), 0, "%s",
	             err);
	cr_assert_eq(l.entry, RAM_BASE, "a raw image runs from its first byte");
	cr_assert_eq(l.dt_gpa, RAM_BASE + sizeof(linux_ram) - LINUX_DT_SLOT);
	cr_assert_eq(l.initrd_start, l.initrd_end, "no initramfs");
	cr_assert_eq(linux_ram[l.dt_gpa - RAM_BASE - 1], 0x44);
	cr_assert_eq(linux_ram[l.dt_gpa - RAM_BASE], 0xee, "the slot untouched");

	memset(linux_ram, 0xee, sizeof(linux_ram));
	cr_assert_eq(payload_boot_load(&r, raw, sizeof(raw), &l, err, sizeof(err)), -1,
	             "a raw image into the slot");
	cr_assert(strstr(err, "device tree"), "%s", err);
	struct elf_img e = elf(l.dt_gpa - 8, 16, 16, RAM_BASE);
	cr_assert_eq(payload_boot_load(&r, (uint8_t *)&e, sizeof(e), &l, err, sizeof(err)), -1,
	             "an ELF segment into the slot");
	e = elf(l.dt_gpa - 16, 16, 16, l.dt_gpa);
	cr_assert_eq(payload_boot_load(&r, (uint8_t *)&e, sizeof(e), &l, err, sizeof(err)), -1,
	             "an ELF entry in the slot");
	for (size_t i = sizeof(linux_ram) - LINUX_DT_SLOT; i < sizeof(linux_ram); i++)
		cr_assert_eq(linux_ram[i], 0xee, "a refused load wrote into the slot");

	struct vmm_ram tiny = {.host = linux_ram, .base = RAM_BASE, .size = LINUX_DT_SLOT};
	cr_assert_eq(payload_boot_load(&tiny, raw, 4, &l, err, sizeof(err)), -1,
	             "RAM that holds only the tree");
}

/* The protected-VM probe (probe.h) on the build machine, where every read
 * of RAM succeeds: a page outside guest RAM never counts as "faulted" or
 * "zero" (its read fails without proving anything), a readable page before
 * DESTROY_VM is reported, a zero page after it is not, and the RAM scan
 * finds the one page changed since the VM was created. */
Test(gzvm_vmm, probe_pages_outside_ram_are_failures)
{
	struct vmm_ram r = ram();
	struct probe p;
	char out[2048] = {0};
	uint8_t data[8] = {0};
	uint64_t outside = RAM_BASE + RAM_SIZE, v;

	memset(ram_buf, 0, RAM_SIZE);
	cr_assert(probe_init(&p, &r, RAM_BASE + 8));
	ram_buf[5 * 4096 + 9] = 1; /* "the guest" changed a page the VMM reads */
	cr_assert(probe_add(&p, outside));
	cr_assert(probe_add(&p, RAM_BASE - 0x1000));
	cr_assert_not(probe_add(&p, RAM_BASE)); /* the entry page already */
	memcpy(data, &outside, 8);
	cr_assert(probe_access(&p, 0, true, 8, data));
	cr_assert(probe_access(&p, 8, false, 8, data));
	memcpy(&v, data, 8);
	cr_assert_eq(v, PROBE_FAULT);
	cr_assert_not(probe_access(&p, 8, false, 4, data)); /* 64-bit only */

	FILE *f = fmemopen(out, sizeof(out) - 1, "w");
	cr_assert_eq(probe_check_taken(&p, f), 4); /* RAM read, two outside, a change */
	cr_assert_eq(probe_check_zero(&p, f), 3);  /* two outside, the change */
	fclose(f);
	cr_assert(strstr(out, "page 0x40005000 READ, changed by the guest"), "%s", out);
	cr_assert(strstr(out, "guest RAM before DESTROY_VM: 0 pages faulted (SIGBUS), 16 readable, "
	                      "1 of them changed by the guest"),
	          "%s", out);
	cr_assert(strstr(out, "page 0x40005000 after DESTROY_VM: changed"), "%s", out);
	cr_assert(strstr(out, "guest RAM after DESTROY_VM: 0 of 0 pages the VM had zero, 15 of 16 "
	                      "others as the VMM wrote them"),
	          "%s", out);
	free(p.sums);
	free(p.had);
	cr_assert(strstr(out, "page 0x40000000 READ before DESTROY_VM"), "%s", out);
	cr_assert(strstr(out, "page 0x40010000 not guest RAM before DESTROY_VM"), "%s", out);
	cr_assert(strstr(out, "page 0x3ffff000 after DESTROY_VM: not guest RAM"), "%s", out);
	cr_assert(strstr(out, "1 of 3 pages zero after DESTROY_VM"), "%s", out);
}

/* --move-vcpus on the build machine: each step enters the next CPU the
 * thread may use, so C + 1 steps over C >= 2 allowed CPUs see all C and
 * move C times. */
Test(gzvm_vmm, vcpu_mover_visits_every_allowed_cpu_in_turn)
{
	struct vcpu_mover m;
	vcpu_mover_init(&m);
	cr_assert_eq(vcpu_mover_cpus(&m), 0);
	unsigned int allowed = (unsigned int)__builtin_popcountll(m.allowed);
	if (allowed < 2)
		cr_skip_test("needs 2 CPUs this thread may run on (%u)", allowed);
	for (unsigned int i = 0; i < allowed + 1; i++)
		vcpu_mover_step(&m);
	cr_expect_eq(vcpu_mover_cpus(&m), allowed);
	cr_expect_eq(m.moves, (unsigned long)allowed);
}
