/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Hostile guest: alignment faults are the guest's own (stage 1, taken to
 * EL1, never to the hypervisor): a misaligned exclusive load and store on
 * RAM, a misaligned load-acquire, then ordinary misaligned loads and
 * stores with SCTLR_EL1.A = 1. Each arrives at the guest's vector with
 * ELR at the access and FAR the address, changing neither the register
 * nor memory; the VM goes on. A store-exclusive with no monitor open
 * fails (status 1) before any alignment check, as QEMU does at EL2.
 */
#include "lib/guest.h"

static volatile uint64_t at_insn;
static volatile unsigned taken;
static uint8_t buf[64] __attribute__((aligned(64)));

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("  fault ");
	put_abort_esr(esr);
	puts_(" far=buf+");
	put_hex(far - (uint64_t)buf);
	puts_(f->elr == at_insn ? " elr at the access\n" : " elr elsewhere\n");
	taken++;
	f->elr = at_insn + 4;
}

#define AT(insn, ...) __asm__ volatile("adr x9, 1f\n\tstr x9, [%[slot]]\n\t1: " insn : __VA_ARGS__)

int main(void)
{
	uint64_t v = 0x5a, st = 7;
	uint64_t p = (uint64_t)buf + 3;
	puts_("ldxr misaligned\n");
	AT("ldxr %[v], [%[p]]", [v] "+r"(v) : [p] "r"(p), [slot] "r"(&at_insn) : "x9", "memory");
	puts_("stxr misaligned, no exclusive monitor open\n");
	AT("stxr %w[st], %[v], [%[p]]", [st] "+r"(st)
	   : [v] "r"(v), [p] "r"(p + 2), [slot] "r"(&at_insn)
	   : "x9", "memory");
	print("  status ", st);
	puts_("ldar misaligned\n");
	AT("ldar %w[v], [%[p]]", [v] "+r"(v)
	   : [p] "r"(p + 4), [slot] "r"(&at_insn)
	   : "x9", "memory");
	puts_("sctlr_el1.a = 1\n");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) | (1u << 1));
	isb();
	puts_("ldr misaligned\n");
	AT("ldr %[v], [%[p]]", [v] "+r"(v) : [p] "r"(p + 8), [slot] "r"(&at_insn) : "x9", "memory");
	puts_("strh misaligned\n");
	AT("strh %w[v], [%[p]]",
	   : [v] "r"(v), [p] "r"(p + 16), [slot] "r"(&at_insn)
	   : "x9", "memory");
	print("value kept ", v);
	puts_("ldrb any address\n");
	AT("ldrb %w[v], [%[p]]", [v] "+r"(v)
	   : [p] "r"(p + 20), [slot] "r"(&at_insn)
	   : "x9", "memory");
	write_sysreg(sctlr_el1, read_sysreg(sctlr_el1) & ~(1ul << 1));
	isb();
	unsigned changed = 0;
	for (unsigned i = 0; i < sizeof(buf); i++)
		changed += buf[i] != 0;
	print("bytes the faulting stores changed ", changed);
	print("faults ", taken);
	return taken == 4 && changed == 0 ? 0 : 1;
}
