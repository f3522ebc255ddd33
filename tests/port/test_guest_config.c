/* SPDX-License-Identifier: Apache-2.0 */
/* The guest's options on the hypervisor's command line (ports/el2/
 * guest_config.c): host-supplied, so every value is checked. */
#include <criterion/criterion.h>
#include <string.h>

#include "../../ports/el2/guest_config.h"

static struct el2_board plat;
static struct el2_guest_config cfg;
static const char *why;
/* The hypervisor at 0x40200000 (1 MiB), the DTB at 0x48000000. */
static const struct el2_range reserved[] = {{0x40200000, 0x100000}, {0x48000000, 0x100000}};

static bool parse(const char *args)
{
	memset(&plat, 0, sizeof(plat));
	plat.ram_base = 0x40000000;
	plat.ram_size = 1ull << 30;
	plat.bootargs = args;
	memset(&cfg, 0xa5, sizeof(cfg));
	why = NULL;
	return el2_guest_config_parse(&plat, reserved, 2, &cfg, &why);
}

Test(guest_config, linux_guest_options)
{
	cr_assert(
	    parse("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.vcpus=2 "
	          "hvcore.initrd=0x54000000 hvcore.initrd_size=1848320 -- console=ttyAMA0 quiet"));
	cr_assert_null(why);
	cr_assert_eq(cfg.ram_pa, 0x50000000);
	cr_assert_eq(cfg.ram_size, 256ull << 20);
	cr_assert_eq(cfg.nr_vcpus, 2);
	cr_assert_eq(cfg.initrd_pa, 0x54000000);
	cr_assert_eq(cfg.initrd_size, 1848320);
	cr_assert_str_eq(cfg.cmdline, "console=ttyAMA0 quiet");
	cr_assert_not(cfg.host);
}

Test(guest_config, defaults)
{
	cr_assert(parse("hvcore.guest=0x50000000"));
	cr_assert_eq(cfg.ram_size, 16ull << 20);
	cr_assert_eq(cfg.nr_vcpus, 1);
	cr_assert_eq(cfg.initrd_size, 0);
	cr_assert_str_eq(cfg.cmdline, "console=ttyAMA0");
	cr_assert(parse("hvcore.guest=0x50000000 --"));
	cr_assert_str_eq(cfg.cmdline, "", "an empty command line after --");
}

Test(guest_config, no_guest)
{
	cr_assert_not(parse(NULL));
	cr_assert_not(parse(""));
	cr_assert_not(parse("console=ttyAMA0"));
	/* Keys after "--" belong to the guest, and keys start a word. */
	cr_assert_not(parse("-- hvcore.guest=0x50000000"));
	cr_assert_not(parse("xhvcore.guest=0x50000000"));
}

Test(guest_config, numbers_are_checked)
{
	uint64_t v;
	cr_assert(el2_boot_arg("a=0x10 b=42", "b=", &v));
	cr_assert_eq(v, 42);
	cr_assert(el2_boot_arg("a=0x10 b=42", "a=", &v));
	cr_assert_eq(v, 16);
	cr_assert_not(el2_boot_arg("a=", "a=", &v), "no digits");
	cr_assert_not(el2_boot_arg("a=0x", "a=", &v), "no hex digits");
	cr_assert_not(el2_boot_arg("a=12z", "a=", &v), "trailing junk");
	cr_assert_not(el2_boot_arg("a=0x10000000000000000", "a=", &v), "overflow");
	cr_assert_not(el2_boot_arg("a=99999999999999999999", "a=", &v), "overflow");
	cr_assert(el2_boot_arg("a=0xffffffffffffffff", "a=", &v));
	cr_assert_eq(v, UINT64_MAX);
}

static void refused(const char *args, const char *about)
{
	cr_assert_not(parse(args), "accepted: %s", args);
	cr_assert_not_null(why);
	cr_assert(strstr(why, about), "%s: reason '%s' should name %s", args, why, about);
}

Test(guest_config, hostile_values_refused)
{
	refused("hvcore.guest=0x50100000", "hvcore.guest");               /* not 2 MiB aligned */
	refused("hvcore.guest=0x30000000", "hvcore.guest");               /* below RAM */
	refused("hvcore.guest=0x7ff00000 hvcore.mem=16", "hvcore.guest"); /* ends past RAM */
	refused("hvcore.guest=0xfffffffffe000000 hvcore.mem=64", "hvcore.guest"); /* wraps */
	refused("hvcore.guest=0x40000000", "hvcore.guest");               /* the hypervisor */
	refused("hvcore.guest=0x46000000 hvcore.mem=64", "hvcore.guest"); /* covers the DTB */
	refused("hvcore.guest=0x50000000 hvcore.mem=0", "hvcore.mem");
	refused("hvcore.guest=0x50000000 hvcore.mem=3", "hvcore.mem");
	refused("hvcore.guest=0x50000000 hvcore.mem=2048", "hvcore.mem");
	refused("hvcore.guest=0x50000000 hvcore.vcpus=0", "hvcore.vcpus");
	refused("hvcore.guest=0x50000000 hvcore.vcpus=5", "hvcore.vcpus");
	refused("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.initrd=0x54000000", "initrd");
	refused("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.initrd=0x54000000 "
	        "hvcore.initrd_size=0",
	        "initrd");
	refused("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.initrd=0x4f000000 "
	        "hvcore.initrd_size=4096",
	        "initrd"); /* below guest RAM */
	refused("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.initrd=0x5ff00000 "
	        "hvcore.initrd_size=0x200000",
	        "initrd"); /* runs past guest RAM */
	refused("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.initrd=0x54000000 "
	        "hvcore.initrd_size=0xffffffffffffffff",
	        "initrd");
}

/* Malformed options are refused, never read as absent (issue: hvcore.mem=64M
 * ran with 16 MiB, hvcore.vcpus=2x with 1, hvcore.guest= ran no guest). */
Test(guest_config, malformed_options_refused)
{
	refused("hvcore.guest=0x50000000 hvcore.mem=64M", "hvcore.mem");
	refused("hvcore.guest=0x50000000 hvcore.vcpus=2x", "hvcore.vcpus");
	refused("hvcore.guest=", "hvcore.guest");
	refused("hvcore.guest=0x", "hvcore.guest");
	refused("hvcore.mem=64", "hvcore.guest"); /* options but no guest */
	refused("hvcore.guest=0x50000000 hvcore.initrd=junk hvcore.initrd_size=1", "initrd");
	refused("hvcore.guest=0x50000000 hvcore.initrd_size=4096", "initrd"); /* size alone */
	refused("hvcore.guest=0x50000000 hvcore.host=yes", "hvcore.host");
	/* A key twice: refused, not "the first wins". */
	refused("hvcore.guest=0x50000000 hvcore.mem=64 hvcore.mem=32", "hvcore.mem");
	refused("hvcore.guest=0x50000000 hvcore.guest=0x60000000", "hvcore.guest");
	refused("hvcore.guest=0x50000000 hvcore.vcpus=1 hvcore.vcpus=1", "hvcore.vcpus");
	/* An unknown hvcore.* key is a typo, not something to skip. */
	refused("hvcore.guest=0x50000000 hvcore.vcpu=2", "unknown");
	refused("hvcore.guest=0x50000000 hvcore.memory=64", "unknown");
	/* After "--" everything belongs to the guest. */
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.mem=32 -- hvcore.mem=junk hvcore.x=1"));
	cr_assert_eq(cfg.ram_size, 32ull << 20);
	/* No hvcore.* option at all: no guest, and no complaint. */
	cr_assert_not(parse("console=ttyAMA0 -- hvcore.guest=0x50000000"));
	cr_assert_null(why);
}

Test(guest_config, boot_arg_results)
{
	uint64_t v = 0;
	cr_assert_eq(el2_boot_arg_get("a=1 b=2", "c=", &v), EL2_ARG_ABSENT);
	cr_assert_eq(el2_boot_arg_get("a=1 b=2", "b=", &v), EL2_ARG_OK);
	cr_assert_eq(v, 2);
	cr_assert_eq(el2_boot_arg_get("a=1 b=2z", "b=", &v), EL2_ARG_MALFORMED);
	cr_assert_eq(el2_boot_arg_get("a=1 a=1", "a=", &v), EL2_ARG_REPEATED);
	cr_assert_eq(el2_boot_arg_get("a=1 -- a=2", "a=", &v), EL2_ARG_OK);
}

Test(guest_config, host_mode)
{
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.mem=256 hvcore.host=1 -- hvcore.host=0"));
	cr_assert(cfg.host);
	cr_assert_str_eq(cfg.cmdline, "hvcore.host=0");
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.host=0"));
	cr_assert_not(cfg.host);
	refused("hvcore.guest=0x50000000 hvcore.host=2", "hvcore.host");
}

Test(guest_config, long_command_line_truncated)
{
	static char args[2048];
	strcpy(args, "hvcore.guest=0x50000000 -- ");
	size_t n = strlen(args);
	memset(args + n, 'x', sizeof(args) - n - 1);
	cr_assert(parse(args));
	cr_assert_eq(strlen(cfg.cmdline), EL2_GUEST_CMDLINE_SZ - 1);
}

Test(guest_config, exit_profile)
{
	cr_assert(parse("hvcore.guest=0x50000000"));
	cr_assert_not(cfg.exit_profile);
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.exitprof=1"));
	cr_assert(cfg.exit_profile);
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.exitprof=0"));
	cr_assert_not(cfg.exit_profile);
	refused("hvcore.guest=0x50000000 hvcore.exitprof=2", "hvcore.exitprof");
	refused("hvcore.guest=0x50000000 hvcore.exitprof=on", "hvcore.exitprof");
}

Test(guest_config, trace)
{
	cr_assert(parse("hvcore.guest=0x50000000"));
	cr_assert_not(cfg.trace);
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.trace=1"));
	cr_assert(cfg.trace);
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.trace=0"));
	cr_assert_not(cfg.trace);
	refused("hvcore.guest=0x50000000 hvcore.trace=2", "hvcore.trace");
	refused("hvcore.guest=0x50000000 hvcore.trace=1 hvcore.trace=1", "hvcore.trace");
}

Test(guest_config, cpus_may_starve)
{
	cr_assert(parse("hvcore.guest=0x50000000"));
	cr_assert_not(cfg.cpus_may_starve);
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.cpus_may_starve=1"));
	cr_assert(cfg.cpus_may_starve);
	cr_assert(parse("hvcore.guest=0x50000000 hvcore.cpus_may_starve=0"));
	cr_assert_not(cfg.cpus_may_starve);
	refused("hvcore.guest=0x50000000 hvcore.cpus_may_starve=2", "hvcore.cpus_may_starve");
	refused("hvcore.guest=0x50000000 hvcore.cpus_may_starve=1 hvcore.cpus_may_starve=1",
	        "hvcore.cpus_may_starve");
}
