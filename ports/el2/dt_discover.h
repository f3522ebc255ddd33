/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What an EL2 port learns from the device tree the bootloader hands it
 * (QEMU's, U-Boot's, coreboot's): RAM, the carveouts EL2 must never map,
 * the GICv3, the timer PPIs, the console, PSCI and the CPUs. Shared by every
 * platform; a platform is data, not code in here.
 *
 * Bindings followed (Linux Documentation/devicetree/bindings, Devicetree
 * Specification v0.4): arm,gic-v3 (reg = GICD, then #redistributor-regions
 * GICR regions, then optional GICC/GICH/GICV; #interrupt-cells 3, or 4 with
 * the 4th cell a ppi-partitions phandle; interrupts = the maintenance PPI),
 * arm,armv8-timer (interrupts: secure, non-secure, virtual, hypervisor
 * physical timer; in the cells of its interrupt parent), arm,psci-1.0/0.2
 * (method smc|hvc), /cpus/cpu (reg = MPIDR affinity), /memory (device_type),
 * /reserved-memory children with no-map, /chosen stdout-path (path or alias,
 * ":options" dropped), reg addresses translated through every bus's ranges.
 */
#ifndef EL2_DT_DISCOVER_H
#define EL2_DT_DISCOVER_H

#include <hv/types.h>

#define EL2_DT_MAX_CPUS  16
#define EL2_DT_MAX_MEM   8
#define EL2_DT_MAX_NOMAP 16
#define EL2_DT_MAX_GICR  4

struct el2_dt_range {
	uint64_t base, size;
};

enum el2_dt_console_kind {
	EL2_DT_CONSOLE_NONE,  /* no stdout-path: the port stays silent or uses its own */
	EL2_DT_CONSOLE_PL011, /* arm,pl011 */
	EL2_DT_CONSOLE_8250, /* mediatek,mt6577-uart (32-bit, stride 4), ns16550(a), ns8250, snps,dw-apb-uart */
};

enum el2_dt_psci_conduit {
	EL2_DT_PSCI_NONE,
	EL2_DT_PSCI_SMC,
	EL2_DT_PSCI_HVC,
};

struct el2_dt_platform {
	/* /memory reg ranges, in order; none when the tree leaves memory to the
	 * bootloader (Chromebook DTBs: depthcharge adds it), the port decides */
	uint32_t nr_mem;
	struct el2_dt_range mem[EL2_DT_MAX_MEM];
	uint32_t nr_nomap;
	struct el2_dt_range nomap[EL2_DT_MAX_NOMAP]; /* /reserved-memory no-map regions */

	uint32_t gic_interrupt_cells; /* 3, or 4 (PPI partitions) */
	struct el2_dt_range gicd;
	uint32_t nr_gicr;
	struct el2_dt_range gicr[EL2_DT_MAX_GICR];
	uint32_t ppi_maintenance; /* INTID; 0 when the GIC node names none */

	uint32_t ppi_ptimer;    /* EL1 physical (non-secure) timer INTID */
	uint32_t ppi_vtimer;    /* virtual timer INTID */
	uint32_t ppi_hyp_timer; /* EL2 physical timer INTID */
	uint32_t timer_freq;    /* clock-frequency, or 0: the port reads CNTFRQ_EL0 */

	struct {
		enum el2_dt_console_kind kind;
		uint64_t base;
		uint32_t reg_shift; /* register n at base + (n << reg_shift) */
		uint32_t io_width;  /* bytes per access: 1 or 4 */
	} console;

	enum el2_dt_psci_conduit psci;
	uint32_t psci_version; /* major << 16 | minor, from the compatible */

	uint32_t nr_cpus;
	uint64_t cpu_mpidr[EL2_DT_MAX_CPUS];

	const char *bootargs; /* /chosen bootargs, or NULL */
	const char *why;      /* after a failure: one line saying what was wrong */
};

/*
 * Fills *out from the tree at fdt, which must lie within bufsize bytes
 * (the whole tree is checked with fdt_check_full first, so a hostile or
 * truncated blob is refused, never walked). Statuses: HV_ERR_INVALID for a
 * malformed tree or property, HV_ERR_NOT_SUPPORTED for a GICv2 (arm,gic-400
 * and kin), HV_ERR_NOT_FOUND when a GICv3, the timer or the CPUs are
 * missing, HV_ERR_RANGE when more than the limits above; out->why says
 * which. A console or PSCI node may be absent (kind NONE).
 */
hv_status_t el2_dt_discover(const void *fdt, size_t bufsize, struct el2_dt_platform *out);

/*
 * The console alone, as el2_dt_discover reads it (stdout-path, the same
 * checks of the whole tree first), into out->console (kind NONE: none
 * named): a port whose el2_dt_discover refused the tree can still say why.
 */
hv_status_t el2_dt_discover_console(const void *fdt, size_t bufsize, struct el2_dt_platform *out);

/*
 * Whether fdt is a version-17 tree within bufsize bytes whose every
 * structure tag, nesting and property name is in bounds (what discovery
 * checks first; libfdt's own fdt_check_full is not safe on hostile blobs).
 */
bool el2_dt_check(const void *fdt, size_t bufsize);

#endif
