/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's device tree, generated with libfdt from what the hypervisor
 * emulates, not copied from the host's DTB. Bindings as in Linux's
 * Documentation/devicetree/bindings: arm/cpus.yaml and arm/psci.yaml,
 * interrupt-controller/arm,gic-v3.yaml (reg: GICD then the redistributor
 * region; 3-cell specifiers: type 0 SPI / 1 PPI, number, flags 4 = level
 * high), timer/arm,arch_timer.yaml (four PPIs in the order secure,
 * non-secure, virtual, hypervisor), serial/pl011.yaml with the AMBA
 * primecell clocks "uartclk" and "apb_pclk", chosen.yaml.
 */
#include "guest_dt.h"

#include <libfdt.h>

#define PHANDLE_GIC     1u
#define PHANDLE_CLK     2u
#define IRQ_TYPE_SPI    0u
#define IRQ_TYPE_PPI    1u
#define IRQ_LEVEL_HIGH  4u
#define UART_CLOCK_HZ   24000000u
#define FIRST_SPI_INTID 32u
#define FIRST_PPI_INTID 16u

/* A <u64 address, u64 size> pair with #address-cells = #size-cells = 2. */
static int prop_reg(void *fdt, uint64_t base, uint64_t size)
{
	fdt64_t reg[2] = {cpu_to_fdt64(base), cpu_to_fdt64(size)};
	return fdt_property(fdt, "reg", reg, sizeof(reg));
}

static int prop_strings(void *fdt, const char *name, const char *list, int len)
{
	return fdt_property(fdt, name, list, len); /* NUL-separated, NUL-terminated */
}

static void node_name(char *out, const char *prefix, uint64_t unit)
{
	size_t n = 0;
	while (prefix[n]) {
		out[n] = prefix[n];
		n++;
	}
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

#define TRY(x)                                                                                     \
	do {                                                                                       \
		int err_ = (x);                                                                    \
		if (err_ < 0)                                                                      \
			return err_;                                                               \
	} while (0)

static int add_cpus(void *fdt, const struct el2_guest_dt *p)
{
	TRY(fdt_begin_node(fdt, "cpus"));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 0));
	for (unsigned i = 0; i < p->nr_cpus; i++) {
		/* reg = MPIDR_EL1 affinity: Aff3 [39:32], Aff2..Aff0 [23:0]. */
		uint64_t aff = p->cpu_mpidr[i] & 0xff00ffffffull;
		char name[32];
		node_name(name, "cpu", aff);
		TRY(fdt_begin_node(fdt, name));
		TRY(fdt_property_string(fdt, "device_type", "cpu"));
		TRY(fdt_property_string(fdt, "compatible", "arm,armv8"));
		TRY(fdt_property_u64(fdt, "reg", aff));
		TRY(fdt_property_string(fdt, "enable-method", "psci"));
		TRY(fdt_end_node(fdt));
	}
	return fdt_end_node(fdt);
}

static int add_gic(void *fdt, const struct el2_guest_dt *p)
{
	char name[40];
	node_name(name, "interrupt-controller", p->gicd_ipa);
	TRY(fdt_begin_node(fdt, name));
	TRY(fdt_property_string(fdt, "compatible", "arm,gic-v3"));
	TRY(fdt_property_u32(fdt, "#interrupt-cells", 3));
	TRY(fdt_property(fdt, "interrupt-controller", NULL, 0));
	TRY(fdt_property_u32(fdt, "#redistributor-regions", 1));
	fdt64_t reg[4] = {cpu_to_fdt64(p->gicd_ipa), cpu_to_fdt64(p->gicd_size),
	                  cpu_to_fdt64(p->gicr_ipa), cpu_to_fdt64(p->gicr_size)};
	TRY(fdt_property(fdt, "reg", reg, sizeof(reg)));
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_GIC));
	return fdt_end_node(fdt);
}

static int add_timer(void *fdt, const struct el2_guest_dt *p)
{
	fdt32_t irqs[12];
	for (unsigned i = 0; i < 4; i++) {
		irqs[3 * i] = cpu_to_fdt32(IRQ_TYPE_PPI);
		irqs[3 * i + 1] = cpu_to_fdt32(p->timer_intid[i] - FIRST_PPI_INTID);
		irqs[3 * i + 2] = cpu_to_fdt32(IRQ_LEVEL_HIGH);
	}
	TRY(fdt_begin_node(fdt, "timer"));
	TRY(fdt_property_string(fdt, "compatible", "arm,armv8-timer"));
	TRY(fdt_property(fdt, "interrupts", irqs, sizeof(irqs)));
	return fdt_end_node(fdt);
}

static int add_uart(void *fdt, const struct el2_guest_dt *p, const char *name)
{
	TRY(fdt_begin_node(fdt, "apb-pclk"));
	TRY(fdt_property_string(fdt, "compatible", "fixed-clock"));
	TRY(fdt_property_u32(fdt, "#clock-cells", 0));
	TRY(fdt_property_u32(fdt, "clock-frequency", UART_CLOCK_HZ));
	TRY(fdt_property_string(fdt, "clock-output-names", "clk24mhz"));
	TRY(fdt_property_u32(fdt, "phandle", PHANDLE_CLK));
	TRY(fdt_end_node(fdt));

	static const char compat[] = "arm,pl011\0arm,primecell";
	static const char clock_names[] = "uartclk\0apb_pclk";
	fdt32_t irq[3] = {cpu_to_fdt32(IRQ_TYPE_SPI), cpu_to_fdt32(p->uart_intid - FIRST_SPI_INTID),
	                  cpu_to_fdt32(IRQ_LEVEL_HIGH)};
	fdt32_t clocks[2] = {cpu_to_fdt32(PHANDLE_CLK), cpu_to_fdt32(PHANDLE_CLK)};
	TRY(fdt_begin_node(fdt, name));
	TRY(prop_strings(fdt, "compatible", compat, sizeof(compat)));
	TRY(prop_reg(fdt, p->uart_ipa, p->uart_size));
	TRY(fdt_property(fdt, "interrupts", irq, sizeof(irq)));
	TRY(fdt_property(fdt, "clocks", clocks, sizeof(clocks)));
	TRY(prop_strings(fdt, "clock-names", clock_names, sizeof(clock_names)));
	return fdt_end_node(fdt);
}

static int build(void *fdt, size_t size, const struct el2_guest_dt *p)
{
	TRY(fdt_create(fdt, (int)size));
	TRY(fdt_finish_reservemap(fdt));
	TRY(fdt_begin_node(fdt, ""));
	TRY(fdt_property_u32(fdt, "#address-cells", 2));
	TRY(fdt_property_u32(fdt, "#size-cells", 2));
	TRY(fdt_property_string(fdt, "compatible", "hvcore,virt"));
	TRY(fdt_property_string(fdt, "model", "hvcore virtual platform"));
	TRY(fdt_property_u32(fdt, "interrupt-parent", PHANDLE_GIC));

	char uart[32], path[40] = "/";
	node_name(uart, "pl011", p->uart_ipa);
	for (size_t i = 0; uart[i]; i++)
		path[i + 1] = uart[i], path[i + 2] = 0;
	TRY(fdt_begin_node(fdt, "chosen"));
	TRY(fdt_property_string(fdt, "bootargs", p->bootargs ? p->bootargs : ""));
	TRY(fdt_property_string(fdt, "stdout-path", path));
	if (p->initrd_end > p->initrd_start) {
		TRY(fdt_property_u64(fdt, "linux,initrd-start", p->initrd_start));
		TRY(fdt_property_u64(fdt, "linux,initrd-end", p->initrd_end));
	}
	TRY(fdt_end_node(fdt));

	char mem[32];
	node_name(mem, "memory", p->ram_ipa);
	TRY(fdt_begin_node(fdt, mem));
	TRY(fdt_property_string(fdt, "device_type", "memory"));
	TRY(prop_reg(fdt, p->ram_ipa, p->ram_size));
	TRY(fdt_end_node(fdt));

	TRY(add_cpus(fdt, p));
	static const char psci_compat[] = "arm,psci-1.0\0arm,psci-0.2";
	TRY(fdt_begin_node(fdt, "psci"));
	TRY(prop_strings(fdt, "compatible", psci_compat, sizeof(psci_compat)));
	TRY(fdt_property_string(fdt, "method", p->psci_smc ? "smc" : "hvc"));
	TRY(fdt_end_node(fdt));
	TRY(add_gic(fdt, p));
	TRY(add_timer(fdt, p));
	TRY(add_uart(fdt, p, uart));
	if (p->geniezone) {
		/* MediaTek's driver matches this compatible string only. */
		TRY(fdt_begin_node(fdt, "hypervisor"));
		TRY(fdt_property_string(fdt, "compatible", "mediatek,geniezone"));
		TRY(fdt_end_node(fdt));
	}
	TRY(fdt_end_node(fdt));
	return fdt_finish(fdt);
}

hv_status_t el2_guest_dt_build(void *buf, size_t size, const struct el2_guest_dt *p)
{
	if (!buf || !p || size > INT32_MAX || !p->nr_cpus || p->nr_cpus > EL2_GUEST_DT_MAX_CPUS ||
	    p->uart_intid < FIRST_SPI_INTID || p->initrd_end < p->initrd_start)
		return HV_ERR_INVALID;
	for (unsigned i = 0; i < 4; i++)
		if (p->timer_intid[i] < FIRST_PPI_INTID || p->timer_intid[i] >= FIRST_SPI_INTID)
			return HV_ERR_INVALID;
	int err = build(buf, size, p);
	if (err == -FDT_ERR_NOSPACE)
		return HV_ERR_NO_MEMORY;
	return err < 0 ? HV_ERR_INVALID : HV_OK;
}
