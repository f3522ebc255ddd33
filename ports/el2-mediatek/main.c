/* SPDX-License-Identifier: Apache-2.0 */
/*
 * el2-mediatek, mode A: an arm64 Image (boot.S: the Image header U-Boot's
 * booti and coreboot check) entered at EL2 with x0 = the device tree, as
 * U-Boot does on Genio boards and coreboot/BL31 on MT8195/MT8188
 * Chromebooks. It reads the board from the tree (ports/el2/dt_discover),
 * prints on the UART stdout-path names (MediaTek's 16550-style UART; a PL011
 * on QEMU virt), takes the counter frequency from CNTFRQ_EL0, reserves its
 * own memory in the tree and adds /hypervisor (ports/el2/dt_fixup), builds
 * the host's stage 2 without EL2 and the carveouts (host_s2.c), and
 * starts the host at EL1 on this CPU (host_direct.c): the arm64 Image whose
 * physical address /chosen/hvcore,host-image holds, x0 = the fixed tree.
 * Secondary CPUs stay off until the host's PSCI CPU_ON starts them, through
 * EL2 first (core/exit/host_psci.c, host_entry.S). A failed boot check
 * prints one FAIL line and parks this CPU.
 */
#include <libfdt.h>

#include <hv/host_psci.h>
#include <hv/psci.h>

#include "console.h"
#include "dt_discover.h"
#include "dt_fixup.h"
#include "host_calls.h"
#include "host_direct.h"
#include "host_s2.h"
#include "mmu.h"
#include "platform.h"
#include "pool.h"
#include "smp.h"
#include "stop_status.h"
#include "sysreg.h"

void el2_main(uint64_t dtb);
void el2_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);
void el2_mtk_cpu_arrived(uint64_t token);
void el2_mtk_cpu_entry(void);
extern char _start[], __image_end[];

/* The platform as data: what mode A needs from the board. */
static const struct {
	enum el2_dt_psci_conduit psci; /* MediaTek's TF-A: PSCI over SMC */
	const char *host_image;        /* /chosen property: the host Image's PA */
	uint32_t max_cpus;             /* stacks in el2_cpu_stacks (smp.c) */
} mtk = {EL2_DT_PSCI_SMC, "hvcore,host-image", EL2_MAX_CPUS};

static struct el2_dt_platform dt; /* boot only, one CPU: not on the EL2 stack */

static void __attribute__((noreturn)) park(void)
{
	for (;;)
		__asm__ volatile("wfe");
}

/* A failed boot check: one line, then the platform's stop (platform.c). */
static void __attribute__((noreturn)) fail(const char *what)
{
	el2_puts("FAIL el2-mediatek: ");
	el2_puts(what);
	el2_puts("\n");
	el2_this_platform.stop(NULL, EL2_STOP_NO_PLATFORM);
}

void el2_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	el2_report_unexpected("el2-mediatek: unexpected exception at EL2, vector ", vector, esr,
	                      elr, far);
	el2_this_platform.stop(NULL, EL2_STOP_EL2_FAULT);
}

static void fact(const char *name, uint64_t v)
{
	el2_puts(name);
	el2_put_hex(v);
	el2_puts("\n");
}

static void ok(const char *what)
{
	el2_puts("ok   ");
	el2_puts(what);
	el2_puts("\n");
}

static bool in_ram(uint64_t pa, uint64_t size)
{
	for (uint32_t i = 0; i < dt.nr_mem; i++)
		if (pa >= dt.mem[i].base && size <= dt.mem[i].size &&
		    pa - dt.mem[i].base <= dt.mem[i].size - size)
			return true;
	return false;
}

/* The host's arm64 Image: named by /chosen, in RAM, clear of EL2 and of
 * the carveouts, with the Image magic "ARM\x64" at 0x38 (booting.rst). */
static uint64_t host_image(const void *fdt, uint64_t hyp, uint64_t hyp_size)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	const fdt32_t *p = chosen < 0 ? NULL : fdt_getprop(fdt, chosen, mtk.host_image, &len);
	if (!p || (len != 4 && len != 8))
		fail("no /chosen/hvcore,host-image (the host Image's address, 1 or 2 cells)");
	uint64_t pa = len == 8 ? (uint64_t)fdt32_ld(p) << 32 | fdt32_ld(p + 1) : fdt32_ld(p);
	if ((pa & 0xfff) || !in_ram(pa, 0x40) || (pa < hyp + hyp_size && hyp < pa + 0x40))
		fail("hvcore,host-image is not page aligned in RAM clear of the hypervisor");
	for (uint32_t i = 0; i < dt.nr_nomap; i++) /* firmware's: not even read */
		if (pa < dt.nomap[i].base + dt.nomap[i].size && dt.nomap[i].base < pa + 0x40)
			fail("hvcore,host-image is inside a no-map carveout");
	const volatile uint8_t *magic = (const volatile uint8_t *)(uintptr_t)(pa + 0x38);
	if (magic[0] != 'A' || magic[1] != 'R' || magic[2] != 'M' || magic[3] != 0x64)
		fail("no arm64 Image at hvcore,host-image (magic ARM\\x64 at 0x38)");
	return pa;
}

static uint32_t boot_cpu_index(void)
{
	uint64_t self = read_sysreg(mpidr_el1) & HV_MPIDR_AFF_MASK;
	for (uint32_t i = 0; i < dt.nr_cpus; i++)
		if ((dt.cpu_mpidr[i] & HV_MPIDR_AFF_MASK) == self)
			return i;
	fail("this CPU's MPIDR is not in /cpus");
}

/* The host may be entered anywhere in its RAM but the hypervisor's. */
static void host_ram(uint64_t hyp, uint64_t hyp_size)
{
	for (uint32_t i = 0; i < dt.nr_mem; i++) {
		uint64_t b = dt.mem[i].base, e = b + dt.mem[i].size;
		if (hyp + hyp_size <= b || hyp >= e) {
			hv_host_psci_add_ram(&el2_mtk_host_psci, b, e - b);
			continue;
		}
		if (hyp > b)
			hv_host_psci_add_ram(&el2_mtk_host_psci, b, hyp - b);
		if (hyp + hyp_size < e)
			hv_host_psci_add_ram(&el2_mtk_host_psci, hyp + hyp_size,
			                     e - hyp - hyp_size);
	}
}

static void expect_s2(const char *what, uint64_t ipa, bool fault)
{
	uint64_t pa;
	bool faults = el2_mtk_host_s2_faults(ipa, &pa);
	if (faults != fault || (!fault && pa != ipa)) {
		el2_puts("FAIL host stage 2: ");
		el2_puts(what);
		fact(faults ? " faults at " : " translates at ", ipa);
		park();
	}
	el2_puts("ok   host stage 2: ");
	el2_puts(what);
	fact(fault ? " faults at " : " is itself at ", ipa);
}

/* The host's stage 2, and the MMU's word (AT S12E1R) that EL2 and every
 * carveout are out of it while RAM, the tree and the console are in. */
static void host_stage2(uint64_t dtb, uint64_t host, uint64_t hyp)
{
	if (el2_pool_init() != HV_OK)
		fail("EL2 page pool");
	hv_status_t st = el2_mtk_host_s2_build(&dt, hyp, (uint64_t)(__image_end - _start));
	if (st != HV_OK) {
		el2_puts(hv_status_name(st));
		fail(" <- the host's stage 2");
	}
	el2_mtk_host_controls();
	expect_s2("EL2's image", hyp, true);
	expect_s2("EL2's last page", (uint64_t)(uintptr_t)__image_end - 8, true);
	for (uint32_t i = 0; i < dt.nr_nomap; i++) {
		expect_s2("no-map carveout", dt.nomap[i].base, true);
		expect_s2("no-map carveout's end", dt.nomap[i].base + dt.nomap[i].size - 8, true);
	}
	expect_s2("the host's Image", host, false);
	expect_s2("the device tree", dtb, false);
	expect_s2("the console", dt.console.base, false);
	expect_s2("the GIC distributor", dt.gicd.base, false);
}

static void print_board(uint64_t dtb)
{
	fact("dtb        ", dtb);
	for (uint32_t i = 0; i < dt.nr_mem; i++) {
		fact("ram        ", dt.mem[i].base);
		fact("  size     ", dt.mem[i].size);
	}
	for (uint32_t i = 0; i < dt.nr_nomap; i++) {
		fact("no-map     ", dt.nomap[i].base);
		fact("  size     ", dt.nomap[i].size);
	}
	el2_puts(dt.console.kind == EL2_DT_CONSOLE_8250 ? "console    8250 " : "console    pl011 ");
	el2_put_hex(dt.console.base);
	el2_puts(" stride ");
	el2_put_hex(1ull << dt.console.reg_shift);
	el2_puts("\n");
	fact("gicd       ", dt.gicd.base);
	for (uint32_t i = 0; i < dt.nr_gicr && i < EL2_DT_MAX_GICR; i++) {
		fact("gicr       ", dt.gicr[i].base);
		fact("  size     ", dt.gicr[i].size);
	}
	fact("gic cells  ", dt.gic_interrupt_cells);
	fact("cpus       ", dt.nr_cpus);
	fact("counter Hz ", read_sysreg(cntfrq_el0));
	if (dt.timer_freq && dt.timer_freq != read_sysreg(cntfrq_el0))
		fact("note: the tree's timer clock-frequency differs: ", dt.timer_freq);
}

/* The UART the tree names, if this platform drives that kind: mapped
 * (Device, also when it shares a gigabyte with RAM), set up, and the first
 * line printed. */
static bool console_up(const struct el2_dt_platform *p)
{
	if (!(el2_this_platform.consoles & EL2_CONSOLE_MASK(p->console.kind)))
		return false;
	struct el2_uart uart;
	el2_uart_from_dt(&uart, p);
	if (!el2_mmu_map_device(uart.base, 8u << uart.reg_shift)) /* 8 registers */
		return false;
	el2_console_init(&uart);
	el2_puts("hvcore ");
	el2_puts(el2_this_platform.name);
	el2_puts(read_sysreg(currentel) == 8 ? ": running at EL2\n" : ": not at EL2\n");
	return true;
}

/* Discovery refused the tree: say why on its console, if it names one. */
static void __attribute__((noreturn)) refused(const void *fdt, size_t size)
{
	static struct el2_dt_platform con;
	const char *why = dt.why ? dt.why : "refused";
	if (el2_dt_discover_console(fdt, size, &con) != HV_OK || !console_up(&con))
		park(); /* no console to say why */
	el2_puts("el2-mediatek: the device tree: ");
	el2_puts(why);
	el2_puts("\n");
	fail("no board this image can run on");
}

void el2_main(uint64_t dtb)
{
	void *fdt = (void *)(uintptr_t)dtb;
	size_t size = fdt && fdt_magic(fdt) == FDT_MAGIC ? fdt_totalsize(fdt) : 0;
	el2_mmu_enable(dtb, size);
	if (el2_dt_discover(fdt, size, &dt) != HV_OK)
		refused(fdt, size);
	for (uint32_t i = 0; i < dt.nr_mem; i++)
		(void)el2_mmu_map_ram(dt.mem[i].base, dt.mem[i].size, dt.nomap, dt.nr_nomap);
	if (!console_up(&dt))
		park(); /* no console to say why */
	print_board(dtb);
	if (dt.psci != mtk.psci)
		fail("PSCI is not over SMC (MediaTek's TF-A conduit; the host's SMCs are trapped)");
	if (!read_sysreg(cntfrq_el0))
		fail("CNTFRQ_EL0 is 0 (the firmware must program the counter frequency)");
	uint32_t boot = boot_cpu_index();
	write_sysreg(tpidr_el2, boot); /* el2_cpu_id */
	uint64_t hyp = (uint64_t)(uintptr_t)_start, hyp_size = (uint64_t)(__image_end - _start);
	uint64_t host = host_image(fdt, hyp, hyp_size);
	fact("host image ", host);
	ok("host Image found");

	struct el2_dt_fixup fx = {.hyp_base = hyp, .hyp_size = hyp_size};
	if (el2_dt_fixup_host(fdt, size, &fx) != HV_OK) {
		el2_puts("el2-mediatek: device tree fixup: ");
		el2_puts(fx.why);
		el2_puts("\n");
		fail("the host's device tree cannot be fixed");
	}
	fact("reserved   ", hyp);
	fact("  size     ", hyp_size);
	ok("host device tree: /reserved-memory no-map over EL2, /hypervisor mediatek,geniezone");

	host_stage2(dtb, host, hyp);

	uint32_t n = dt.nr_cpus < mtk.max_cpus ? dt.nr_cpus : mtk.max_cpus;
	if (hv_host_psci_init(&el2_mtk_host_psci, (uint64_t)(uintptr_t)el2_mtk_cpu_entry,
	                      dt.cpu_mpidr, n, boot) != HV_OK)
		fail("host PSCI state");
	host_ram(hyp, hyp_size);
	ok("host PSCI forwarding: secondary CPUs off until the host's CPU_ON");
	hv_status_t st = el2_mtk_host_calls_init(&dt, fdt, hyp, hyp_size);
	if (st != HV_OK) {
		el2_puts(hv_status_name(st));
		fail(" <- the hypercall server for the host");
	}
	ok("hypercall server: the host's GenieZone calls are answered at EL2");
	/* What a CPU the firmware starts reads with its MMU still off. */
	el2_mmu_clean_for_secondaries();
	el2_puts("el2-mediatek: boot checks passed; the host starts at EL1\n");
	el2_mtk_host_run(boot, host, dtb);
}

/* A CPU the firmware started or resumed at el2_mtk_cpu_entry for the host. */
void el2_mtk_cpu_arrived(uint64_t token)
{
	el2_mmu_enable_secondary();
	uint32_t cpu;
	uint64_t entry, context;
	if (!hv_host_psci_arrive(&el2_mtk_host_psci, token, read_sysreg(mpidr_el1), &cpu, &entry,
	                         &context)) {
		el2_puts("el2-mediatek: a CPU arrived that the host did not ask for; parked\n");
		park();
	}
	el2_puts("el2-mediatek: cpu ");
	el2_put_hex(cpu);
	el2_puts(" entered EL2 for the host, on to its entry ");
	el2_put_hex(entry);
	el2_puts("\n");
	el2_mtk_host_run(cpu, entry, context);
}
