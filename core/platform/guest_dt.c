/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's device tree (hv/guest_dt.h), generated from what the
 * hypervisor emulates. Bindings as in Linux's
 * Documentation/devicetree/bindings: arm/cpus.yaml and arm/psci.yaml,
 * interrupt-controller/arm,gic-v3.yaml (reg: GICD then the redistributor
 * region; 3-cell specifiers: type 0 SPI / 1 PPI, number, flags 4 = level
 * high), timer/arm,arch_timer.yaml (four PPIs in the order secure,
 * non-secure, virtual, hypervisor), serial/pl011.yaml with the AMBA
 * primecell clocks "uartclk" and "apb_pclk", chosen.yaml, virtio/mmio.yaml
 * (flags 1 = rising edge, as QEMU's virt board gives its transports).
 */
#include <hv/guest_dt.h>
#include <hv/pl011.h>
#include <hv/vgic.h>

#include "fdt_writer.h"

#define PHANDLE_GIC     1u
#define PHANDLE_CLK     2u
#define IRQ_TYPE_SPI    0u
#define IRQ_TYPE_PPI    1u
#define IRQ_LEVEL_HIGH  4u
#define IRQ_EDGE_RISING 1u
#define UART_CLOCK_HZ   24000000u
#define FIRST_SPI_INTID 32u
#define FIRST_PPI_INTID 16u

void hv_guest_dt_describe(struct hv_guest_dt *dt, const struct hv_platform *plat, uint64_t ram_size,
                          unsigned nr_cpus)
{
	hv_memset(dt, 0, sizeof(*dt));
	dt->ram_ipa = plat->ram_base;
	dt->ram_size = ram_size;
	dt->nr_cpus = nr_cpus;
	for (unsigned i = 0; i < nr_cpus && i < HV_GUEST_DT_MAX_CPUS; i++)
		dt->cpu_mpidr[i] = i; /* Aff0 = vCPU index (tests/guests/README.md) */
	dt->gicd_ipa = plat->gicd_base;
	dt->gicd_size = HV_VGIC_DIST_SIZE;
	dt->gicr_ipa = plat->gicr_base;
	dt->gicr_size = (uint64_t)nr_cpus * HV_VGIC_REDIST_SIZE;
	dt->uart_ipa = plat->uart_base;
	dt->uart_size = HV_PL011_SIZE;
	dt->uart_intid = plat->uart_intid;
	for (unsigned i = 0; i < 4; i++)
		dt->timer_intid[i] = plat->timer_intid[i];
	dt->psci_smc = plat->psci == HV_PSCI_CONDUIT_SMC;
}

/* A <u64 address, u64 size> pair with #address-cells = #size-cells = 2. */
static void prop_reg(struct fdt_writer *w, uint64_t base, uint64_t size)
{
	uint8_t reg[16];
	fdt_put_be64(reg, base);
	fdt_put_be64(reg + 8, size);
	fdt_prop(w, "reg", reg, sizeof(reg));
}

/* "prefix@<unit in lower-case hex>" into out: prefix is one of this
 * file's node names (at most 20 characters), out has 40 bytes. */
static void node_name(char *out, const char *prefix, uint64_t unit)
{
	size_t n = 0;
	for (; prefix[n]; n++)
		out[n] = prefix[n];
	out[n++] = '@';
	char digits[17];
	int d = 0;
	do {
		unsigned nib = (unsigned)(unit & 15u);
		digits[d++] = (char)(nib < 10 ? '0' + nib : 'a' + nib - 10);
		unit >>= 4;
	} while (unit);
	while (d)
		out[n++] = digits[--d];
	out[n] = 0;
}

/* A 3-cell interrupt specifier (arm,gic-v3.yaml). */
static void put_irq_flags(uint8_t *cells, uint32_t type, uint32_t number, uint32_t flags)
{
	fdt_put_be32(cells, type);
	fdt_put_be32(cells + 4, number);
	fdt_put_be32(cells + 8, flags);
}

static void put_irq(uint8_t *cells, uint32_t type, uint32_t number)
{
	put_irq_flags(cells, type, number, IRQ_LEVEL_HIGH);
}

static void add_cpus(struct fdt_writer *w, const struct hv_guest_dt *p)
{
	fdt_begin_node(w, "cpus");
	fdt_prop_u32(w, "#address-cells", 2);
	fdt_prop_u32(w, "#size-cells", 0);
	for (unsigned i = 0; i < p->nr_cpus; i++) {
		/* reg = MPIDR_EL1 affinity: Aff3 [39:32], Aff2..Aff0 [23:0]. */
		uint64_t aff = p->cpu_mpidr[i] & 0xff00ffffffull;
		char name[40];
		node_name(name, "cpu", aff);
		fdt_begin_node(w, name);
		fdt_prop_string(w, "device_type", "cpu");
		fdt_prop_string(w, "compatible", "arm,armv8");
		fdt_prop_u64(w, "reg", aff);
		fdt_prop_string(w, "enable-method", "psci");
		fdt_end_node(w);
	}
	fdt_end_node(w);
}

static void add_gic(struct fdt_writer *w, const struct hv_guest_dt *p)
{
	char name[40];
	node_name(name, "interrupt-controller", p->gicd_ipa);
	fdt_begin_node(w, name);
	fdt_prop_string(w, "compatible", "arm,gic-v3");
	fdt_prop_u32(w, "#interrupt-cells", 3);
	fdt_prop(w, "interrupt-controller", NULL, 0);
	fdt_prop_u32(w, "#redistributor-regions", 1);
	uint8_t reg[32];
	fdt_put_be64(reg, p->gicd_ipa);
	fdt_put_be64(reg + 8, p->gicd_size);
	fdt_put_be64(reg + 16, p->gicr_ipa);
	fdt_put_be64(reg + 24, p->gicr_size);
	fdt_prop(w, "reg", reg, sizeof(reg));
	fdt_prop_u32(w, "phandle", PHANDLE_GIC);
	fdt_end_node(w);
}

static void add_timer(struct fdt_writer *w, const struct hv_guest_dt *p)
{
	uint8_t irqs[4 * 12];
	for (unsigned i = 0; i < 4; i++)
		put_irq(irqs + 12 * i, IRQ_TYPE_PPI, p->timer_intid[i] - FIRST_PPI_INTID);
	fdt_begin_node(w, "timer");
	fdt_prop_string(w, "compatible", "arm,armv8-timer");
	fdt_prop(w, "interrupts", irqs, sizeof(irqs));
	fdt_end_node(w);
}

static void add_uart(struct fdt_writer *w, const struct hv_guest_dt *p, const char *name)
{
	fdt_begin_node(w, "apb-pclk");
	fdt_prop_string(w, "compatible", "fixed-clock");
	fdt_prop_u32(w, "#clock-cells", 0);
	fdt_prop_u32(w, "clock-frequency", UART_CLOCK_HZ);
	fdt_prop_string(w, "clock-output-names", "clk24mhz");
	fdt_prop_u32(w, "phandle", PHANDLE_CLK);
	fdt_end_node(w);

	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	uint8_t irq[12], clocks[8];
	put_irq(irq, IRQ_TYPE_SPI, p->uart_intid - FIRST_SPI_INTID);
	fdt_put_be32(clocks, PHANDLE_CLK);
	fdt_put_be32(clocks + 4, PHANDLE_CLK);
	fdt_begin_node(w, name);
	fdt_prop(w, "compatible", compat, sizeof(compat)); /* NUL-separated list */
	prop_reg(w, p->uart_ipa, p->uart_size);
	fdt_prop(w, "interrupts", irq, sizeof(irq));
	fdt_prop(w, "clocks", clocks, sizeof(clocks));
	fdt_prop(w, "clock-names", clock_names, sizeof(clock_names));
	fdt_end_node(w);
}

static void add_virtio(struct fdt_writer *w, const struct hv_guest_dt *p)
{
	for (unsigned i = 0; i < p->nr_virtio; i++) {
		uint64_t base = p->virtio_ipa + i * p->virtio_size;
		uint8_t irq[12];
		put_irq_flags(irq, IRQ_TYPE_SPI, p->virtio_intid + i - FIRST_SPI_INTID,
		              IRQ_EDGE_RISING);
		char name[40];
		node_name(name, "virtio_mmio", base);
		fdt_begin_node(w, name);
		fdt_prop_string(w, "compatible", "virtio,mmio");
		prop_reg(w, base, p->virtio_size);
		fdt_prop(w, "interrupts", irq, sizeof(irq));
		fdt_prop(w, "dma-coherent", NULL, 0);
		fdt_end_node(w);
	}
}

static void add_chosen(struct fdt_writer *w, const struct hv_guest_dt *p, const char *uart)
{
	char path[48] = "/";
	for (size_t i = 0; uart[i] && i + 2 < sizeof(path); i++)
		path[i + 1] = uart[i], path[i + 2] = 0;
	fdt_begin_node(w, "chosen");
	fdt_prop_string(w, "bootargs", p->bootargs ? p->bootargs : "");
	fdt_prop_string(w, "stdout-path", path);
	if (p->initrd_end > p->initrd_start) {
		fdt_prop_u64(w, "linux,initrd-start", p->initrd_start);
		fdt_prop_u64(w, "linux,initrd-end", p->initrd_end);
	}
	fdt_end_node(w);
}

hv_status_t hv_guest_dt_build(void *buf, size_t size, const struct hv_guest_dt *p)
{
	if (!buf || !p || !p->nr_cpus || p->nr_cpus > HV_GUEST_DT_MAX_CPUS ||
	    p->uart_intid < FIRST_SPI_INTID || p->initrd_end < p->initrd_start ||
	    (p->nr_virtio && (p->virtio_intid < FIRST_SPI_INTID || !p->virtio_size)))
		return HV_ERR_INVALID;
	for (unsigned i = 0; i < 4; i++)
		if (p->timer_intid[i] < FIRST_PPI_INTID || p->timer_intid[i] >= FIRST_SPI_INTID)
			return HV_ERR_INVALID;
	struct fdt_writer w;
	fdt_writer_init(&w, buf, size);
	fdt_begin_node(&w, "");
	fdt_prop_u32(&w, "#address-cells", 2);
	fdt_prop_u32(&w, "#size-cells", 2);
	fdt_prop_string(&w, "compatible", "hvcore,virt");
	fdt_prop_string(&w, "model", "hvcore virtual platform");
	fdt_prop_u32(&w, "interrupt-parent", PHANDLE_GIC);

	char uart[40], mem[40];
	node_name(uart, "pl011", p->uart_ipa);
	add_chosen(&w, p, uart);
	node_name(mem, "memory", p->ram_ipa);
	fdt_begin_node(&w, mem);
	fdt_prop_string(&w, "device_type", "memory");
	prop_reg(&w, p->ram_ipa, p->ram_size);
	fdt_end_node(&w);

	add_cpus(&w, p);
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	fdt_begin_node(&w, "psci");
	fdt_prop(&w, "compatible", psci_compat, sizeof(psci_compat));
	fdt_prop_string(&w, "method", p->psci_smc ? "smc" : "hvc");
	fdt_end_node(&w);
	add_gic(&w, p);
	add_timer(&w, p);
	add_uart(&w, p, uart);
	add_virtio(&w, p);
	if (p->geniezone) {
		/* MediaTek's driver matches this compatible string only. */
		fdt_begin_node(&w, "hypervisor");
		fdt_prop_string(&w, "compatible", "mediatek,geniezone");
		fdt_end_node(&w);
	}
	fdt_end_node(&w);
	return fdt_writer_finish(&w);
}
