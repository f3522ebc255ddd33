/* SPDX-License-Identifier: Apache-2.0 */
/* The guest the hypervisor runs, as QEMU's -append (the host DT's
 * /chosen/bootargs) describes it; validated against the platform. */
#ifndef EL2_GUEST_CONFIG_H
#define EL2_GUEST_CONFIG_H

#include "board.h"

#define EL2_GUEST_MAX_VCPUS  4u
#define EL2_GUEST_MAX_RAM    (1ull << 30)
#define EL2_GUEST_CMDLINE_SZ 512u

struct el2_guest_config {
	uint64_t ram_pa;      /* hvcore.guest=0x<pa>: backing of guest RAM, 2 MiB aligned */
	uint64_t ram_size;    /* hvcore.mem=<MiB>: guest RAM size (default 16 MiB) */
	unsigned nr_vcpus;    /* hvcore.vcpus=<n>: 1..EL2_GUEST_MAX_VCPUS (default 1) */
	uint64_t initrd_pa;   /* hvcore.initrd=0x<pa>: initramfs QEMU loaded (0: none) */
	uint64_t initrd_size; /* hvcore.initrd_size=<bytes> */
	/* hvcore.host=1: the guest is the host of the hypercall server
	 * (host_abi.h); its RAM is at IPA == PA. Default 0. */
	bool host;
	/* hvcore.exitprof=1: the exit profile (exit_stats.h). Default 0. */
	bool exit_profile;
	/* hvcore.trace=1: the event trace records from boot and is dumped on
	 * the console at power-off (event_trace.h). Default 0. */
	bool trace;
	/* hvcore.cpus_may_starve=1: the platform may run one CPU alone for as
	 * long as it neither halts nor yields (QEMU before 8.1 under -icount:
	 * README, core/sched); guest mode then gives a CPU running a lone vCPU
	 * a 10 ms tick whose end YIELDs. Default 0: no tick. */
	bool cpus_may_starve;
	/* Everything after " -- " in bootargs: the Linux guest's command line
	 * (default "console=ttyAMA0"). NUL-terminated copy. */
	char cmdline[EL2_GUEST_CMDLINE_SZ];
};

/* A number after `key` (a word of `args` before any "--"): hexadecimal with
 * 0x, else decimal, up to the end of the word. */
enum el2_arg {
	EL2_ARG_ABSENT = 0,
	EL2_ARG_OK,        /* *out set */
	EL2_ARG_MALFORMED, /* no digits, trailing junk, overflow */
	EL2_ARG_REPEATED,  /* the key appears twice */
};
enum el2_arg el2_boot_arg_get(const char *args, const char *key, uint64_t *out);
/* The same, true only for EL2_ARG_OK. */
bool el2_boot_arg(const char *args, const char *key, uint64_t *out);

/* Host memory the guest must not be given (the hypervisor image, the DTB). */
struct el2_range {
	uint64_t base, size;
};

/* Parse and check the guest's options from board->bootargs: guest RAM
 * inside host RAM and clear of each of reserved[0, nr_reserved); the
 * initramfs inside guest RAM. false with *why NULL if no hvcore.* option
 * is given (no guest to run); false with *why naming the option if one is
 * missing, unknown, repeated, malformed or out of range. */
bool el2_guest_config_parse(const struct el2_board *board, const struct el2_range *reserved,
                            unsigned nr_reserved, struct el2_guest_config *cfg, const char **why);

#endif
