/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runtime's bring-up on every platform: discover the board from the
 * DTB, check it against the platform's data (platform.h), print it, then prove
 * the seam against the real (emulated) MMU: build a guest stage-2 with
 * core/s2, program VTCR_EL2/VTTBR_EL2, and have the hardware walk it
 * (AT S12E1R, Arm ARM C5.5) for mapped and unmapped IPAs, through a
 * block split and an unmap (TLB maintenance from the core), then tear it
 * down and check the pool; then run the guest (or the host) the command
 * line names. The platform's stop() ends the image: status 0 when every
 * check passed and no guest was asked for.
 */
#include <hv/arch.h>
#include <hv/s2.h>

#include "console.h"
#include "event_trace.h"
#include "board.h"
#include "guest.h"
#include "host_abi.h"
#include "gic.h"
#include "mmu.h"
#include "platform.h"
#include "pool.h"
#include "smp.h"
#include "stop_status.h"
#include "sysreg.h"

void el2_main(uint64_t dtb);
extern char _start[], __image_end[];
void el2_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far);

static struct el2_board board;
static bool have_board;

void el2_stop(unsigned status)
{
	el2_this_platform.stop(have_board ? &board : NULL, status);
}

void el2_unexpected(uint64_t vector, uint64_t esr, uint64_t elr, uint64_t far)
{
	el2_report_unexpected("el2: unexpected exception, vector ", vector, esr, elr, far);
	el2_stop(EL2_STOP_EL2_FAULT);
}

static void fact(const char *name, uint64_t v)
{
	el2_puts(name);
	el2_put_hex(v);
	el2_puts("\n");
}

/* Stage 1+2 translation of `ipa` by the MMU (stage 1 is off: VA == IPA).
 * PAR_EL1 (D13.2.97): F bit 0; on success PA[47:12] in bits [47:12]. */
static uint64_t hw_translate(uint64_t ipa, bool *fault)
{
	__asm__ volatile("at s12e1r, %0" ::"r"(ipa));
	isb();
	uint64_t par = read_sysreg(par_el1);
	*fault = par & 1;
	return (par & 0x0000fffffffff000ull) | (ipa & 0xfff);
}

static int failures;

static void expect_pa(const char *what, uint64_t ipa, uint64_t want)
{
	bool fault;
	uint64_t pa = hw_translate(ipa, &fault);
	el2_puts(fault || pa != want ? "FAIL " : "ok   ");
	el2_puts(what);
	el2_puts(": IPA ");
	el2_put_hex(ipa);
	if (fault) {
		el2_puts(" faults\n");
	} else {
		el2_puts(" -> PA ");
		el2_put_hex(pa);
		el2_puts("\n");
	}
	failures += fault || pa != want;
}

static void expect_fault(const char *what, uint64_t ipa)
{
	bool fault;
	hw_translate(ipa, &fault);
	el2_puts(fault ? "ok   " : "FAIL ");
	el2_puts(what);
	el2_puts(": IPA ");
	el2_put_hex(ipa);
	el2_puts(fault ? " faults\n" : " translates\n");
	failures += !fault;
}

static void check(const char *what, hv_status_t st)
{
	if (st != HV_OK) {
		el2_puts("FAIL ");
		el2_puts(what);
		el2_puts(": ");
		el2_puts(hv_status_name(st));
		el2_puts("\n");
		failures++;
	}
}

static void stage2_selftest(void)
{
	static struct hv_s2_pgt pgt;
	const uint64_t ipa = 0x40000000, pa = board.ram_base + board.ram_size - 16 * HV_SZ_2M;

	check("s2 init", hv_s2_init(&pgt, &el2_pool_ops, 1, 40, 40));
	check("s2 map 2M block", hv_s2_map(&pgt, hv_ipa(ipa), hv_pa(pa), HV_SZ_2M, HV_S2_PROT_RWX,
	                                   HV_S2_MEM_NORMAL_WB, 0));
	check("s2 map page", hv_s2_map(&pgt, hv_ipa(0x09000000), hv_pa(board.console.base),
	                               HV_PAGE_SIZE, HV_S2_PROT_RW, HV_S2_MEM_DEVICE_nGnRE, 0));
	el2_puts(hv_arch_has_tlbi_range() ? "tlbi range RIPAS2E1IS\n" : "tlbi range whole VMID\n");
	fact("vtcr_el2   ", hv_s2_vtcr(&pgt));
	fact("vttbr_el2  ", hv_s2_vttbr(&pgt));
	write_sysreg(sctlr_el1, 0x30d00800ull); /* RES1 bits, stage 1 off */
	write_sysreg(vtcr_el2, hv_s2_vtcr(&pgt));
	write_sysreg(vttbr_el2, hv_s2_vttbr(&pgt));
	write_sysreg(hcr_el2, HCR_VM | HCR_RW);
	isb();
	hv_arch_tlbi_vmid(1);
	hv_arch_dsb_ish();

	expect_pa("block", ipa + 0x12340, pa + 0x12340);
	expect_pa("device page", 0x09000010, board.console.base + 0x10);
	expect_fault("hole", ipa + HV_SZ_2M);
	/* Remap one page of the block elsewhere: split + break-before-make. */
	check("s2 replace page",
	      hv_s2_map(&pgt, hv_ipa(ipa + 0x5000), hv_pa(pa + HV_SZ_2M), HV_PAGE_SIZE,
	                HV_S2_PROT_RW, HV_S2_MEM_NORMAL_WB, HV_S2_MAP_REPLACE));
	expect_pa("split page", ipa + 0x5008, pa + HV_SZ_2M + 8);
	expect_pa("split neighbour", ipa + 0x6000, pa + 0x6000);
	check("s2 unmap page", hv_s2_unmap(&pgt, hv_ipa(ipa + 0x6000), HV_PAGE_SIZE));
	expect_fault("unmapped page", ipa + 0x6000);
	expect_pa("kept page", ipa + 0x7000, pa + 0x7000);
	/* 256 pages at once: one ranged invalidation (TLBI RIPAS2E1IS when
	 * FEAT_TLBIRANGE is there, else the whole VMID), not 256. */
	check("s2 unmap range", hv_s2_unmap(&pgt, hv_ipa(ipa + 0x10000), 256 * HV_PAGE_SIZE));
	expect_fault("unmapped range", ipa + 0x80000);
	expect_pa("after range", ipa + 0x110000, pa + 0x110000);

	write_sysreg(hcr_el2, HCR_RW);
	isb();
	hv_status_t st;
	do {
		uint64_t budget = 2;
		st = hv_s2_destroy(&pgt, &budget);
	} while (st == HV_BUSY);
	check("s2 destroy", st);
	if (el2_pool_live() != 0) {
		el2_puts("FAIL pool pages leaked\n");
		failures++;
	}
}

/* 40-bit stage 2s (2-page concatenated roots) made and destroyed more
 * times than the pool has pages: every freed root must be reused. */
static void root_reuse_selftest(void)
{
	static struct hv_s2_pgt pgt;
	unsigned cycles = 0;
	for (; cycles < 2000; cycles++) {
		if (hv_s2_init(&pgt, &el2_pool_ops, 1, 40, 40) != HV_OK)
			break;
		hv_status_t st;
		do {
			uint64_t budget = 64;
			st = hv_s2_destroy(&pgt, &budget);
		} while (st == HV_BUSY);
		if (st != HV_OK)
			break;
	}
	bool ok = cycles == 2000 && el2_pool_live() == 0 && el2_pool_check() == HV_OK;
	el2_puts(ok ? "ok   " : "FAIL ");
	el2_puts("2000 40-bit stage-2 roots made and destroyed, pool whole: cycles ");
	el2_put_hex(cycles);
	el2_puts("\n");
	failures += !ok;
}

/* RAM outside every carveout (mapped by EL2 when the DTB names it RAM). */
static bool ram_clear(uint64_t pa)
{
	if (pa < board.ram_base || pa - board.ram_base >= board.ram_size)
		return false;
	for (unsigned i = 0; i < board.nr_nomap; i++)
		if (pa >= board.nomap[i].base && pa - board.nomap[i].base < board.nomap[i].size)
			return false;
	return true;
}

/* Each /reserved-memory no-map carveout: its first and last byte not in
 * EL2's map, the RAM pages just outside it in (when they are RAM). */
static void carveout_selftest(void)
{
	for (unsigned i = 0; i < board.nr_nomap; i++) {
		uint64_t base = board.nomap[i].base, end = base + board.nomap[i].size;
		bool ok = !el2_mmu_maps(base) && !el2_mmu_maps(end - 1);
		if (ram_clear(base - 1))
			ok = ok && el2_mmu_maps(base - 1);
		if (ram_clear(end))
			ok = ok && el2_mmu_maps(end);
		el2_puts(ok ? "ok   carveout " : "FAIL carveout ");
		el2_put_hex(base);
		el2_puts(" size ");
		el2_put_hex(board.nomap[i].size);
		el2_puts(ok ? ": not mapped at EL2, the RAM either side mapped\n"
		            : ": EL2's map is wrong around it\n");
		failures += !ok;
	}
}

/* Secondary CPUs: each must come up at EL2 through the host's PSCI and take
 * a kick SGI from the boot CPU (checked only when the DTB lists several). */
static void smp_selftest(void)
{
	if (!el2_gic_init(&board)) {
		el2_puts("FAIL cpu 0: no redistributor in the tree's regions has its affinity\n");
		failures++;
		return;
	}
	unsigned up = el2_smp_start(&board);
	for (unsigned cpu = 0; cpu < el2_nr_cpus(); cpu++) /* found by GICR_TYPER.Affinity */
		if (el2_cpu_online(cpu)) {
			el2_puts("ok   cpu ");
			el2_put_hex(cpu);
			fact(": redistributor ", el2_gic_redistributor(cpu));
		}
	if (board.nr_cpus < 2)
		return;
	fact("cpus up    ", 1 + up);
	for (unsigned cpu = 1; cpu < el2_nr_cpus(); cpu++) {
		bool online = el2_cpu_online(cpu);
		el2_puts(online ? "ok   cpu " : "FAIL cpu ");
		el2_put_hex(cpu);
		el2_puts(online ? ": online at EL2\n" : ": did not come online\n");
		failures += !online;
		if (!online)
			continue;
		uint32_t before = el2_kicks_taken(cpu);
		el2_kick_cpu(cpu);
		/* Bounded by the counter (1 s); YIELD lets QEMU's deterministic
		 * mode (-icount: one CPU at a time) run the other CPU at all. */
		uint64_t start = hv_arch_counter(), limit = hv_arch_counter_freq();
		while (el2_kicks_taken(cpu) == before && hv_arch_counter() - start < limit)
			__asm__ volatile("yield");
		bool taken = el2_kicks_taken(cpu) != before;
		el2_puts(taken ? "ok   cpu " : "FAIL cpu ");
		el2_put_hex(cpu);
		el2_puts(taken ? ": took the kick SGI from cpu 0\n" : ": kick SGI not taken\n");
		failures += !taken;
	}
}

/* What QEMU's loader left at the guest's address: nothing (RAM reads
 * zero), or an ELF file given where a raw image belongs. NULL if it may be
 * a guest. */
static const char *not_a_guest(uint64_t pa)
{
	const volatile uint8_t *p = (const volatile uint8_t *)(uintptr_t)pa;
	if (p[0] == 0x7f && p[1] == 'E' && p[2] == 'L' && p[3] == 'F')
		return "an ELF file (give the raw image: objcopy -O binary)";
	uint8_t any = 0;
	for (unsigned i = 0; i < 256; i++)
		any |= p[i];
	return any ? NULL : "nothing (its first 256 bytes are zero): no image loaded there";
}

void el2_main(uint64_t dtb)
{
	const void *fdt = (const void *)(uintptr_t)dtb;
	el2_mmu_enable(dtb, el2_fdt_size(fdt));
	const struct el2_platform *platform = &el2_this_platform;
	hv_status_t found = el2_fdt_scan(fdt, &board);
	if (found == HV_OK && platform->board_fixup && !platform->board_fixup(&board))
		found = HV_ERR_NOT_SUPPORTED;
	if (found != HV_OK || !(platform->consoles & EL2_CONSOLE_MASK(board.console.kind)))
		el2_stop(EL2_STOP_NO_PLATFORM); /* no console to say why */
	have_board = true;
	bool ram_mapped =
	    el2_mmu_map_ram(board.ram_base, board.ram_size, board.nomap, board.nr_nomap);
	el2_console_init(&board.console);
	char el[] = ": running at EL?\n";
	el[15] = (char)('0' + ((read_sysreg(currentel) >> 2) & 3));
	el2_puts("hvcore ");
	el2_puts(platform->name);
	el2_puts(el);
	fact("dtb        ", dtb);
	fact("ram base   ", board.ram_base);
	fact("ram size   ", board.ram_size);
	fact("uart       ", board.console.base);
	fact("gicd       ", board.gicd_base);
	for (uint32_t i = 0; i < board.nr_gicr; i++)
		fact("gicr       ", board.gicr[i].base);
	fact("cpus       ", board.nr_cpus);
	fact("ppi maint  ", board.ppi_maintenance);
	fact("ppi hyptmr ", board.ppi_hyp_timer);
	fact("ppi vtimer ", board.ppi_vtimer);
	el2_puts(board.psci_smc ? "psci       smc\n" : "psci       hvc\n");
	if (!ram_mapped) {
		el2_puts("FAIL EL2 map: out of translation tables\n");
		failures++;
	}
	check("pool init", el2_pool_init());
	stage2_selftest();
	root_reuse_selftest();
	carveout_selftest();
	smp_selftest();
	el2_puts(failures ? "el2 selftest: FAILED\n" : "el2 selftest: all checks passed\n");
	static struct el2_guest_config guest;
	const char *why = NULL;
	static struct el2_range reserved[2 + EL2_DT_MAX_NOMAP];
	reserved[0] = (struct el2_range){(uint64_t)(uintptr_t)_start,
	                                 (uint64_t)(uintptr_t)(__image_end - _start)};
	reserved[1] = (struct el2_range){dtb, el2_fdt_size(fdt)};
	unsigned nr_reserved = 2;
	for (unsigned i = 0; i < board.nr_nomap; i++)
		reserved[nr_reserved++] =
		    (struct el2_range){board.nomap[i].base, board.nomap[i].size};
	if (failures || !el2_guest_config_parse(&board, reserved, nr_reserved, &guest, &why)) {
		if (!failures && !why)
			el2_stop(0); /* no guest: the selftest was the job */
		if (!failures) {
			el2_puts("el2: bad guest option: ");
			el2_puts(why);
			el2_puts("\n");
		}
		el2_stop(failures ? EL2_STOP_INTERNAL : EL2_STOP_USAGE);
	}
	const char *bad = not_a_guest(guest.ram_pa);
	el2_puts("el2: guest image at ");
	el2_put_hex(guest.ram_pa);
	if (bad) {
		el2_puts(" is ");
		el2_puts(bad);
		el2_puts("\n");
		el2_stop(EL2_STOP_BAD_IMAGE);
	}
	el2_puts("\n--- guest ---\n");
	unsigned status = el2_run_guest(&board, &guest);
	el2_puts("--- guest exit status ");
	el2_put_hex(status);
	el2_puts(" ---\n");
	el2_guest_report();
	el2_host_abi_report();
	el2_events_dump();
	el2_puts("el2: pool: live ");
	el2_put_hex(el2_pool_live());
	el2_puts(" free ");
	el2_put_hex(el2_pool_free());
	el2_puts(el2_pool_check() == HV_OK ? " invariants ok\n" : " invariants BROKEN\n");
	el2_stop(status);
}
