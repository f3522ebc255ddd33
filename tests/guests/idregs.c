/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: ID registers read at EL1 (trapped by a hypervisor that
 * sets HCR_EL2.TID3) come back without an exception and say what every
 * runtime offers: AArch64 at EL0 and EL1 (ID_AA64PFR0_EL1.EL0/EL1, bits
 * [3:0]/[7:4], >= 1), no SVE (PFR0.SVE [35:32] = 0; SVE is hidden from
 * guests), 4 KiB granules (ID_AA64MMFR0_EL1.TGran4 [31:28] not 0xf). Arm ARM
 * D19.2.64, D19.2.70.
 */
#include "lib/guest.h"

static volatile unsigned taken;

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	(void)far;
	puts_("unexpected sync ec=");
	put_hex(esr >> 26);
	putc_('\n');
	taken++;
	f->elr += 4; /* skip the read */
}

static void field(const char *what, uint64_t v, bool ok)
{
	puts_(what);
	puts_(ok ? " ok" : " FAIL ");
	if (!ok)
		put_hex(v);
	putc_('\n');
}

int main(void)
{
	uint64_t pfr0 = read_sysreg(id_aa64pfr0_el1);
	uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);
	unsigned el0 = pfr0 & 0xf, el1 = (pfr0 >> 4) & 0xf;
	unsigned sve = (pfr0 >> 32) & 0xf, tgran4 = (mmfr0 >> 28) & 0xf;
	field("id_aa64pfr0_el1.el0 aarch64", el0, el0 >= 1);
	field("id_aa64pfr0_el1.el1 aarch64", el1, el1 >= 1);
	field("id_aa64pfr0_el1.sve hidden", sve, sve == 0);
	field("id_aa64mmfr0_el1.tgran4 4k", tgran4, tgran4 != 0xf);
	print("exceptions taken ", taken);
	bool pass = taken == 0 && el0 >= 1 && el1 >= 1 && sve == 0 && tgran4 != 0xf;
	return pass ? 0 : 1;
}
