/* SPDX-License-Identifier: Apache-2.0 */
/* The guest device tree (core/platform/guest_dt.c), read back with libfdt. */
#include <criterion/criterion.h>
#include <libfdt.h>
#include <stdio.h>
#include <string.h>

#include <hv/guest_dt.h>

static uint8_t blob[64 * 1024];

static struct hv_guest_dt platform(void)
{
	struct hv_guest_dt p = {
	    .ram_ipa = 0x40000000,
	    .ram_size = 256u << 20,
	    .nr_cpus = 2,
	    .cpu_mpidr = {0x80000000, 0x80000001},
	    .gicd_ipa = 0x08000000,
	    .gicd_size = 0x10000,
	    .gicr_ipa = 0x080a0000,
	    .gicr_size = 2 * 0x20000,
	    .uart_ipa = 0x09000000,
	    .uart_size = 0x1000,
	    .uart_intid = 33,
	    .timer_intid = {29, 30, 27, 26},
	    .bootargs = "console=ttyAMA0 rdinit=/init",
	    .initrd_start = 0x44000000,
	    .initrd_end = 0x441c3400,
	};
	return p;
}

static int node(const char *path)
{
	int off = fdt_path_offset(blob, path);
	cr_assert_geq(off, 0, "no node %s (%s)", path, fdt_strerror(off));
	return off;
}

static const fdt32_t *prop(int off, const char *name, int want_len)
{
	int len;
	const fdt32_t *p = fdt_getprop(blob, off, name, &len);
	cr_assert_not_null(p, "no property %s", name);
	if (want_len >= 0)
		cr_assert_eq(len, want_len, "%s: %d bytes", name, len);
	return p;
}

static uint64_t u64_at(const fdt32_t *p)
{
	return (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
}

static void check_cells(const fdt32_t *p, const uint32_t *want, int n)
{
	for (int i = 0; i < n; i++)
		cr_assert_eq(fdt32_to_cpu(p[i]), want[i], "cell %d", i);
}

Test(guest_dt, describes_the_virtual_platform)
{
	struct hv_guest_dt p = platform();
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_OK);
	cr_assert_eq(fdt_check_header(blob), 0);
	cr_assert_leq(fdt_totalsize(blob), sizeof(blob));
	int root = node("/");
	cr_assert_eq(fdt32_to_cpu(*prop(root, "#address-cells", 4)), 2);
	cr_assert_eq(fdt32_to_cpu(*prop(root, "#size-cells", 4)), 2);

	const fdt32_t *mem = prop(node("/memory@40000000"), "reg", 16);
	cr_assert_eq(u64_at(mem), 0x40000000);
	cr_assert_eq(u64_at(mem + 2), 256u << 20);

	int cpus = node("/cpus"), n = 0, cpu;
	fdt_for_each_subnode(cpu, blob, cpus)
	{
		cr_assert_str_eq((const char *)prop(cpu, "enable-method", -1), "psci");
		cr_assert_str_eq((const char *)prop(cpu, "device_type", -1), "cpu");
		cr_assert_eq(u64_at(prop(cpu, "reg", 8)), (uint64_t)n, "reg is the MPIDR affinity");
		n++;
	}
	cr_assert_eq(n, 2);
	cr_assert_geq(fdt_path_offset(blob, "/cpus/cpu@1"), 0);

	int psci = fdt_node_offset_by_compatible(blob, -1, "arm,psci-0.2");
	cr_assert_geq(psci, 0);
	cr_assert_eq(fdt_node_check_compatible(blob, psci, "arm,psci-1.0"), 0);
	cr_assert_str_eq((const char *)prop(psci, "method", -1), "hvc");

	int gic = fdt_node_offset_by_compatible(blob, -1, "arm,gic-v3");
	cr_assert_geq(gic, 0);
	const fdt32_t *greg = prop(gic, "reg", 32);
	cr_assert_eq(u64_at(greg), 0x08000000);
	cr_assert_eq(u64_at(greg + 2), 0x10000);
	cr_assert_eq(u64_at(greg + 4), 0x080a0000);
	cr_assert_eq(u64_at(greg + 6), 0x40000);
	prop(gic, "interrupt-controller", 0);
	cr_assert_eq(fdt32_to_cpu(*prop(gic, "#interrupt-cells", 4)), 3);
	uint32_t gic_phandle = fdt_get_phandle(blob, gic);
	cr_assert_neq(gic_phandle, 0);
	cr_assert_eq(fdt32_to_cpu(*prop(root, "interrupt-parent", 4)), gic_phandle);

	int timer = fdt_node_offset_by_compatible(blob, -1, "arm,armv8-timer");
	static const uint32_t timer_irqs[] = {1, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4};
	check_cells(prop(timer, "interrupts", sizeof(timer_irqs)), timer_irqs, 12);

	int uart = node("/pl011@9000000");
	cr_assert_eq(fdt_node_check_compatible(blob, uart, "arm,primecell"), 0);
	const fdt32_t *ureg = prop(uart, "reg", 16);
	cr_assert_eq(u64_at(ureg), 0x09000000);
	static const uint32_t uart_irq[] = {0, 1, 4};
	check_cells(prop(uart, "interrupts", 12), uart_irq, 3);
	const fdt32_t *clocks = prop(uart, "clocks", 8);
	int clk = fdt_node_offset_by_phandle(blob, fdt32_to_cpu(clocks[0]));
	cr_assert_geq(clk, 0, "uartclk names a node");
	cr_assert_eq(fdt_node_check_compatible(blob, clk, "fixed-clock"), 0);
	cr_assert_eq(fdt32_to_cpu(*prop(clk, "clock-frequency", 4)), 24000000);
	cr_assert_eq(fdt_stringlist_search(blob, uart, "clock-names", "apb_pclk"), 1);

	int chosen = node("/chosen");
	cr_assert_str_eq((const char *)prop(chosen, "bootargs", -1),
	                 "console=ttyAMA0 rdinit=/init");
	const char *stdout_path = (const char *)prop(chosen, "stdout-path", -1);
	cr_assert_eq(fdt_path_offset(blob, stdout_path), uart, "stdout-path is the PL011");
	cr_assert_eq(u64_at(prop(chosen, "linux,initrd-start", 8)), 0x44000000);
	cr_assert_eq(u64_at(prop(chosen, "linux,initrd-end", 8)), 0x441c3400);
}

Test(guest_dt, cpus_follow_mpidr_and_count)
{
	struct hv_guest_dt p = platform();
	p.nr_cpus = 3;
	p.cpu_mpidr[0] = 0x80000100;
	p.cpu_mpidr[1] = 0x80000101;
	p.cpu_mpidr[2] = 0x0000000180000000ull; /* Aff3 = 1 */
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_OK);
	cr_assert_eq(u64_at(prop(node("/cpus/cpu@100"), "reg", 8)), 0x100);
	cr_assert_eq(u64_at(prop(node("/cpus/cpu@101"), "reg", 8)), 0x101);
	cr_assert_eq(u64_at(prop(node("/cpus/cpu@100000000"), "reg", 8)), 0x100000000ull);
}

Test(guest_dt, no_initramfs_no_initrd_properties_and_smc_conduit)
{
	struct hv_guest_dt p = platform();
	p.initrd_start = p.initrd_end = 0;
	p.psci_smc = true;
	p.bootargs = NULL;
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_OK);
	int chosen = node("/chosen");
	cr_assert_null(fdt_getprop(blob, chosen, "linux,initrd-start", NULL));
	cr_assert_null(fdt_getprop(blob, chosen, "linux,initrd-end", NULL));
	cr_assert_str_eq((const char *)prop(chosen, "bootargs", -1), "");
	int psci = fdt_node_offset_by_compatible(blob, -1, "arm,psci-0.2");
	cr_assert_str_eq((const char *)prop(psci, "method", -1), "smc");
}

Test(guest_dt, refuses_what_it_cannot_describe)
{
	struct hv_guest_dt p = platform();
	cr_assert_eq(hv_guest_dt_build(blob, 256, &p), HV_ERR_NO_MEMORY, "too small a buffer");
	p.nr_cpus = 0;
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
	p.nr_cpus = HV_GUEST_DT_MAX_CPUS + 1;
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
	p = platform();
	p.uart_intid = 27; /* not an SPI */
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
	p = platform();
	p.timer_intid[2] = 40; /* not a PPI */
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
	p = platform();
	p.initrd_end = p.initrd_start - 1;
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
	cr_assert_eq(hv_guest_dt_build(NULL, sizeof(blob), &p), HV_ERR_INVALID);
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), NULL), HV_ERR_INVALID);
}

Test(guest_dt, the_platform_description_and_a_valid_header)
{
	struct hv_guest_dt p;
	hv_guest_dt_describe(&p, &hv_platform_virt, 16u << 20, 2);
	p.bootargs = "hello from the host";
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_OK);
	cr_assert_eq(fdt_check_header(blob), 0);
	cr_assert_eq(fdt_version(blob), 17);
	cr_assert_leq(fdt_totalsize(blob), HV_GUEST_DT_MAX);
	cr_assert_str_eq((const char *)prop(node("/chosen"), "bootargs", -1),
	                 "hello from the host");
	const fdt32_t *reg = prop(node("/memory@40000000"), "reg", 16);
	cr_assert_eq(u64_at(reg), 0x40000000);
	cr_assert_eq(u64_at(reg + 2), 16u << 20);
	cr_assert_eq(u64_at(prop(node("/cpus/cpu@1"), "reg", 8)), 1);
	cr_assert_eq(u64_at(prop(node("/interrupt-controller@8000000"), "reg", 32) + 6),
	             2 * 0x20000);
	cr_assert_eq(hv_guest_dt_ipa(0x40000000, 16u << 20), 0x40ff0000);
}

Test(guest_dt, a_failed_build_leaves_no_tree)
{
	struct hv_guest_dt p = platform();
	memset(blob, 0xaa, sizeof(blob));
	cr_assert_eq(hv_guest_dt_build(blob, 600, &p), HV_ERR_NO_MEMORY);
	cr_assert_neq(fdt_check_header(blob), 0, "no magic after a failed build");
}

Test(guest_dt, virtio_mmio_transports_with_edge_spis)
{
	struct hv_guest_dt p = platform();
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_OK);
	cr_assert_lt(fdt_node_offset_by_compatible(blob, -1, "virtio,mmio"), 0, "none by default");

	p.virtio_ipa = 0x0a000000;
	p.virtio_size = 0x200;
	p.virtio_intid = 48;
	p.nr_virtio = 2;
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_OK);
	for (unsigned i = 0; i < 2; i++) {
		char path[40];
		snprintf(path, sizeof(path), "/virtio_mmio@%x", 0x0a000000 + 0x200 * i);
		int v = node(path);
		cr_assert_eq(fdt_node_check_compatible(blob, v, "virtio,mmio"), 0);
		const fdt32_t *reg = prop(v, "reg", 16);
		cr_assert_eq(u64_at(reg), 0x0a000000 + 0x200 * i);
		cr_assert_eq(u64_at(reg + 2), 0x200);
		const uint32_t irq[] = {0, 16 + i, 1}; /* SPI, rising edge */
		check_cells(prop(v, "interrupts", 12), irq, 3);
		prop(v, "dma-coherent", 0);
	}
	p.virtio_intid = 20; /* not an SPI */
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
	p.virtio_intid = 48;
	p.virtio_size = 0;
	cr_assert_eq(hv_guest_dt_build(blob, sizeof(blob), &p), HV_ERR_INVALID);
}
