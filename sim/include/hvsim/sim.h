/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hvsim: a whole guest machine on the x86 host. Guest code runs at EL1 in
 * Unicorn (one engine per vCPU, round robin in one thread, deterministic);
 * every exit a real EL2 would take is synthesized into the vCPU register
 * file and handed to the core's exit dispatch (core/exit), which emulates
 * MMIO on the VM's bus, answers PSCI/SMCCC and injects exceptions. hvsim
 * plays the host side of host exits (unclaimed MMIO, system events).
 *
 * Guest memory map: the virtual platform core describes (hv/platform.h),
 * shared with the EL2 port (tests/guests/README.md is the contract).
 */
#ifndef HVSIM_SIM_H
#define HVSIM_SIM_H

#include <hv/platform.h>
#include <hv/types.h>
#include <stdio.h>

#define SIM_RAM_BASE     (hv_platform_virt.ram_base)
#define SIM_RAM_SIZE_DEF (UINT64_C(128) << 20)
#define SIM_UART_BASE    (hv_platform_virt.uart_base)
#define SIM_GICD_BASE    (hv_platform_virt.gicd_base)
#define SIM_GICR_BASE    (hv_platform_virt.gicr_base)
#define SIM_MAX_VCPUS    8
/* Guest RAM the machine can be built with (larger ones fail in Unicorn's
 * memory map and the page-ownership arrays on this host). */
#define SIM_MAX_RAM (UINT64_C(16) << 30)

struct sim;

struct sim_config {
	uint64_t ram_size;    /* bytes, multiple of 2 MiB, default SIM_RAM_SIZE_DEF */
	uint32_t nr_vcpus;    /* 1..SIM_MAX_VCPUS; vCPU 0 starts, others are OFF */
	uint64_t max_insns;   /* stop after about this many instructions; 0 = none */
	bool trace_exits;     /* one line per exit on `trace` */
	const char *bootargs; /* the guest's /chosen/bootargs (NULL: empty) */
	FILE *trace;          /* NULL: stderr */
};

enum sim_stop {
	SIM_STOP_SHUTDOWN = 0, /* PSCI SYSTEM_OFF */
	SIM_STOP_RESET,        /* PSCI SYSTEM_RESET / RESET2 */
	SIM_STOP_INSN_LIMIT,   /* max_insns reached */
	SIM_STOP_ALL_OFF,      /* every vCPU called CPU_OFF */
	SIM_STOP_DEADLOCK,     /* every vCPU waits for an interrupt that cannot come */
	SIM_STOP_GUEST_FAULT,  /* the guest did something the sim cannot continue */
	SIM_STOP_INTERNAL,     /* the hypervisor reported an internal error */
};

struct sim_result {
	enum sim_stop stop;
	int exit_status; /* SHUTDOWN/RESET: w1 at the call, & 0xff */
	uint64_t insns;  /* instructions counted (when counting was on) */
	char detail[160];
};

/* Defaults for a config (1 vCPU, 128 MiB, no limit). */
void sim_config_default(struct sim_config *cfg);

hv_status_t sim_create(const struct sim_config *cfg, struct sim **out);
void sim_destroy(struct sim *sim);

/*
 * Load a guest: an ELF64 AArch64 executable (PT_LOAD segments at their
 * physical addresses, entry e_entry) or a raw image (at SIM_RAM_BASE, entry
 * there). On failure `err` holds a message. Either must leave the last
 * HV_GUEST_DT_SLOT bytes of RAM free: sim_run writes the guest's device
 * tree there (hv/guest_dt.h) and starts vCPU 0 with x0 = its IPA.
 */
hv_status_t sim_load_file(struct sim *sim, const char *path, char *err, size_t errlen);
hv_status_t sim_load_raw(struct sim *sim, const void *image, size_t len, uint64_t ipa);
void sim_set_entry(struct sim *sim, uint64_t pc);

/* Run until the guest powers off, a limit is hit, or a fault stops it. */
hv_status_t sim_run(struct sim *sim, struct sim_result *res);

/* Exit statistics, summed over vCPUs: name/count pairs by index. */
size_t sim_stat_count(void);
const char *sim_stat_name(size_t index);
uint64_t sim_stat_value(const struct sim *sim, size_t index);
void sim_print_stats(const struct sim *sim, FILE *out);

const char *sim_stop_name(enum sim_stop stop);

#endif /* HVSIM_SIM_H */
