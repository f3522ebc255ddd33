/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest: the arm64 boot protocol for a payload without an Image
 * header (run as the raw .bin). Everything it uses comes from the device
 * tree at x0 (Devicetree Specification v0.4, chapter 5): the UART it
 * prints on (compatible "arm,pl011"), the GIC it reads (GICD_TYPER, the
 * last redistributor's GICR_TYPER.Last), PSCI's conduit (it starts the
 * second CPU node's vCPU and powers off through it), the memory node and
 * /chosen/bootargs. Nothing is printed before the UART is found; a missing
 * tree powers off (over the contract's HVC) with status 2.
 */
#include <stddef.h>

#include "lib/guest.h"

#define FDT_MAGIC      0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE   2u
#define FDT_PROP       3u
#define FDT_NOP        4u
#define FDT_END        9u
#define MAX_WALK       4096 /* tokens: a bound on a hostile tree */

#define GICD_TYPER      0x0004u
#define GICR_TYPER      0x0008u
#define GICR_TYPER_LAST (1u << 4)

extern char secondary_entry[];

static const uint8_t *dt;
static uint32_t struct_off, struct_size, strings_off;

/* Device-tree cells are big-endian; the tree is 4-byte aligned in RAM and
 * read with aligned 32-bit loads (MMU off: Device memory, no unaligned). */
static uint32_t be32(uint32_t off)
{
	return __builtin_bswap32(*(const volatile uint32_t *)(dt + off));
}

static uint64_t be64(uint32_t off)
{
	return (uint64_t)be32(off) << 32 | be32(off + 4);
}

static bool str_eq(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return *a == *b;
}

static bool starts_with(const char *s, const char *prefix)
{
	while (*prefix && *s == *prefix)
		s++, prefix++;
	return !*prefix;
}

static uint32_t str_len(const char *s)
{
	uint32_t n = 0;
	while (s[n])
		n++;
	return n;
}

/* Offset of the token after a BEGIN_NODE's name, or a PROP's value. */
static uint32_t skip_name(uint32_t off)
{
	return (off + 4 + str_len((const char *)dt + off + 4) + 1 + 3) & ~3u;
}

static uint32_t skip_prop(uint32_t off)
{
	return (off + 12 + be32(off + 4) + 3) & ~3u;
}

/* Does a string list (NUL-separated) of len bytes hold s? */
static bool list_has(const char *list, uint32_t len, const char *s)
{
	for (uint32_t at = 0; at < len; at += str_len(list + at) + 1)
		if (str_eq(list + at, s))
			return true;
	return false;
}

/* The property `name` of the node at `node` (its BEGIN_NODE), not of its
 * children: the value's offset and *len, or 0. */
static uint32_t prop(uint32_t node, const char *name, uint32_t *len)
{
	uint32_t off = skip_name(node);
	for (int n = 0; n < MAX_WALK && off < struct_off + struct_size; n++) {
		uint32_t tok = be32(off);
		if (tok == FDT_NOP) {
			off += 4;
			continue;
		}
		if (tok != FDT_PROP)
			return 0;
		if (str_eq((const char *)dt + strings_off + be32(off + 8), name)) {
			*len = be32(off + 4);
			return off + 12;
		}
		off = skip_prop(off);
	}
	return 0;
}

/* The first node whose compatible list holds `compat` (or, with compat
 * NULL, the first node whose name is `name` or starts with "name@"),
 * skipping `skip` matches: its BEGIN_NODE offset, or 0. */
static uint32_t find(const char *compat, const char *name, int skip)
{
	uint32_t off = struct_off;
	for (int n = 0; n < MAX_WALK && off < struct_off + struct_size; n++) {
		uint32_t tok = be32(off), len;
		if (tok == FDT_BEGIN_NODE) {
			const char *nm = (const char *)dt + off + 4;
			uint32_t v, k = name ? str_len(name) : 0;
			bool hit = compat ? (v = prop(off, "compatible", &len)) &&
			                        list_has((const char *)dt + v, len, compat)
			                  : k && starts_with(nm, name) && (!nm[k] || nm[k] == '@');
			if (hit && skip-- == 0)
				return off;
			off = skip_name(off);
		} else if (tok == FDT_PROP) {
			off = skip_prop(off);
		} else if (tok == FDT_END_NODE || tok == FDT_NOP) {
			off += 4;
		} else {
			return 0;
		}
	}
	return 0;
}

static uint64_t reg(uint32_t node, unsigned index, uint32_t *len)
{
	uint32_t v = prop(node, "reg", len);
	return v && *len >= 16 * (index + 1) ? be64(v + 16 * index) : 0;
}

static uint64_t (*psci_call)(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);

static uint64_t via_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid, x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2, x3 __asm__("x3") = a3;
	__asm__ volatile("smc #0" : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)::"memory");
	return x0;
}

static volatile uint64_t started;

void secondary_main(uint64_t cpu)
{
	started = cpu + 1;
}

static void power_off(uint32_t status)
{
	psci_call(PSCI_SYSTEM_OFF, status, 0, 0);
	for (;;)
		wfi();
}

static bool find_uart(void)
{
	uint32_t node = find("arm,pl011", NULL, 0), len;
	uint64_t base = node ? reg(node, 0, &len) : 0;
	if (!base)
		return false;
	guest_uart_base = base;
	puts_("uart: arm,pl011 at ");
	put_hex(base);
	uint32_t irq = prop(node, "interrupts", &len);
	if (irq && len == 12) {
		puts_(be32(irq) == 0 ? ", SPI " : ", PPI ");
		put_dec(be32(irq + 4));
	}
	putc_('\n');
	return true;
}

static bool show_gic(unsigned nr_cpus)
{
	uint32_t node = find("arm,gic-v3", NULL, 0), len;
	uint64_t gicd = node ? reg(node, 0, &len) : 0, gicr = node ? reg(node, 1, &len) : 0;
	uint64_t gicr_size = node && len >= 32 ? be64(prop(node, "reg", &len) + 24) : 0;
	if (!gicd || !gicr || !nr_cpus)
		return false;
	puts_("gic: arm,gic-v3 GICD ");
	put_hex(gicd);
	puts_(", GICR ");
	put_hex(gicr);
	puts_(" + ");
	put_hex(gicr_size);
	puts_("; GICD_TYPER.ITLinesNumber ");
	put_dec(mmio_read32(gicd + GICD_TYPER) & 31u);
	uint64_t last = gicr + gicr_size - GICR_FRAME_SIZE;
	puts_(", last GICR_TYPER.Last ");
	put_dec(!!(mmio_read32(last + GICR_TYPER) & GICR_TYPER_LAST));
	putc_('\n');
	return true;
}

static bool show_psci(void)
{
	uint32_t node = find("arm,psci-0.2", NULL, 0), len;
	uint32_t m = node ? prop(node, "method", &len) : 0;
	if (!m)
		return false;
	const char *method = (const char *)dt + m;
	if (str_eq(method, "smc"))
		psci_call = via_smc;
	else if (!str_eq(method, "hvc"))
		return false;
	puts_("psci: method ");
	puts_(method);
	print(", version ", psci_call(PSCI_VERSION, 0, 0, 0));
	return true;
}

/* /cpus: count the cpu nodes and start the last one through PSCI. */
static unsigned show_cpus(uint64_t *last_mpidr)
{
	unsigned n = 0;
	uint32_t node, len;
	puts_("cpus:");
	while ((node = find(NULL, "cpu", (int)n)) != 0) {
		uint32_t r = prop(node, "reg", &len);
		if (!r || len != 8)
			break;
		*last_mpidr = be64(r);
		putc_(' ');
		put_hex(*last_mpidr);
		n++;
	}
	putc_('\n');
	return n;
}

int main(void)
{
	psci_call = smccc; /* until the tree names the conduit */
	dt = (const uint8_t *)boot_regs[0];
	if (!dt || ((uintptr_t)dt & 7u) || be32(0) != FDT_MAGIC || be32(20) != 17)
		power_off(2);
	struct_off = be32(8);
	strings_off = be32(12);
	struct_size = be32(36);
	if (!find_uart())
		power_off(3);
	print("dtboot: x0 = device tree at ", (uint64_t)dt);
	print("x1 | x2 | x3 = ", boot_regs[1] | boot_regs[2] | boot_regs[3]);
	uint32_t len, chosen = find(NULL, "chosen", 0);
	uint32_t args = chosen ? prop(chosen, "bootargs", &len) : 0;
	puts_("bootargs: ");
	puts_(args ? (const char *)dt + args : "(none)");
	putc_('\n');
	uint32_t mem = find(NULL, "memory", 0);
	uint64_t ram = mem ? reg(mem, 0, &len) : 0,
	         ram_size = mem ? be64(prop(mem, "reg", &len) + 8) : 0;
	puts_("memory: ");
	put_hex(ram);
	puts_(" + ");
	put_hex(ram_size);
	putc_('\n');
	uint64_t last = 0;
	unsigned cpus = show_cpus(&last);
	int bad = !mem || (uint64_t)dt < ram || (uint64_t)dt >= ram + ram_size;
	bad |= !show_gic(cpus);
	bad |= !show_psci();
	bad |= boot_regs[1] | boot_regs[2] | boot_regs[3] ? 1 : 0;
	if (cpus > 1) {
		int64_t rc =
		    (int64_t)psci_call(PSCI_CPU_ON_64, last, (uint64_t)secondary_entry, cpus - 1);
		for (unsigned i = 0; rc == 0 && !started && i < 100000000u; i++)
			cpu_relax();
		puts_("cpu ");
		put_hex(last);
		puts_(started == cpus ? " started through PSCI\n" : " did not start\n");
		bad |= started != cpus;
		for (unsigned i = 0;
		     psci_call(PSCI_AFFINITY_INFO, last, 0, 0) != 1 && i < 100000000u; i++)
			cpu_relax();
	}
	puts_(bad ? "dtboot: FAILED\n" : "dtboot: ok\n");
	power_off((uint32_t)bad);
	return bad;
}
