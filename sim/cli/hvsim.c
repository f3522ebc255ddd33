/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hvsim: run an AArch64 guest on the x86 host against the hypervisor core.
 *
 *   hvsim run GUEST [--mem SIZE] [--vcpus N] [--trace exits] [--max-insns N]
 *             [-- BOOTARGS...]
 *
 * The guest's UART output goes to stdout; exit statistics and errors to
 * stderr. Exit status: the guest's (w1 at PSCI SYSTEM_OFF/SYSTEM_RESET), or
 * one of the HVSIM_EXIT_* codes below.
 */
#include <errno.h>
#include <hvsim/arch_sim.h>
#include <hvsim/sim.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>

enum {
	HVSIM_EXIT_USAGE = 64,       /* bad command line (sysexits EX_USAGE) */
	HVSIM_EXIT_BAD_IMAGE = 65,   /* not a loadable guest (EX_DATAERR) */
	HVSIM_EXIT_NO_INPUT = 66,    /* guest file unreadable (EX_NOINPUT) */
	HVSIM_EXIT_SOFTWARE = 70,    /* hypervisor internal error (EX_SOFTWARE) */
	HVSIM_EXIT_INSN_LIMIT = 124, /* --max-insns reached */
	HVSIM_EXIT_GUEST_FAULT = 125,
	HVSIM_EXIT_ALL_OFF = 126, /* every vCPU off, or all wait forever */
};

static void usage(FILE *out)
{
	fprintf(out,
	        "usage: hvsim run GUEST [--mem SIZE] [--vcpus N] [--trace exits] "
	        "[--max-insns N] [-- BOOTARGS...]\n"
	        "  GUEST        AArch64 ELF executable or raw image (loaded at 0x40000000);\n"
	        "               it starts with x0 = its device tree (the last 64 KiB of RAM)\n"
	        "  --mem SIZE   guest RAM, e.g. 64M, 1G (multiple of 2M up to 16G; default 128M)\n"
	        "  --vcpus N    vCPUs, 1..%d (vCPU 0 starts; PSCI CPU_ON starts others)\n"
	        "  --trace exits  print every exit on stderr\n"
	        "  --max-insns N  stop after about N guest instructions (exit %d)\n"
	        "  -- BOOTARGS  the rest, joined by spaces: the tree's /chosen/bootargs\n",
	        SIM_MAX_VCPUS, HVSIM_EXIT_INSN_LIMIT);
}

static bool parse_u64(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || *end)
		return false;
	*out = v;
	return true;
}

static bool parse_size(const char *s, uint64_t *out)
{
	if (!s || !*s || *s == '-')
		return false;
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 0);
	if (errno || end == s)
		return false;
	unsigned shift = 0;
	if (*end) {
		switch (*end) {
		case 'k':
		case 'K': shift = 10; break;
		case 'm':
		case 'M': shift = 20; break;
		case 'g':
		case 'G': shift = 30; break;
		default: return false;
		}
		if (end[1] && !((end[1] == 'B' || end[1] == 'b') && !end[2]) &&
		    !((end[1] == 'i') && (end[2] == 'B') && !end[3]))
			return false;
	}
	if (shift && v > (UINT64_MAX >> shift))
		return false;
	*out = (uint64_t)v << shift;
	return true;
}

static int bad(const char *fmt, const char *arg)
{
	fprintf(stderr, "hvsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\n");
	usage(stderr);
	return HVSIM_EXIT_USAGE;
}

/* Killed: the guest's output so far still reaches stdout, then the signal
 * takes its default action (the exit status says which signal). */
static void on_fatal_signal(int sig)
{
	sim_console_flush();
	signal(sig, SIG_DFL);
	raise(sig);
}

int main(int argc, char **argv)
{
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	if (argc < 3 || strcmp(argv[1], "run") != 0)
		return bad("%s", argc < 2 ? "missing command" : "expected: run GUEST");
	struct sim_config cfg;
	sim_config_default(&cfg);
	const char *guest = NULL;
	static char bootargs[1024];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "--")) {
			size_t n = 0;
			for (int j = i + 1; j < argc; j++) {
				size_t len = strlen(argv[j]);
				if (n + len + 2 > sizeof(bootargs))
					return bad("bootargs longer than %s bytes", "1022");
				if (n)
					bootargs[n++] = ' ';
				memcpy(bootargs + n, argv[j], len + 1);
				n += len;
			}
			cfg.bootargs = bootargs;
			break;
		}
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--mem")) {
			if (!parse_size(val, &cfg.ram_size) || cfg.ram_size == 0 ||
			    cfg.ram_size % (UINT64_C(2) << 20) || cfg.ram_size > SIM_MAX_RAM)
				return bad(
				    "--mem needs a size, a multiple of 2M up to 16G (got '%s')",
				    val ? val : "");
			i++;
		} else if (!strcmp(a, "--vcpus")) {
			uint64_t n;
			if (!parse_u64(val, &n) || n < 1 || n > SIM_MAX_VCPUS)
				return bad("--vcpus needs 1..8 (got '%s')", val ? val : "");
			cfg.nr_vcpus = (uint32_t)n;
			i++;
		} else if (!strcmp(a, "--max-insns")) {
			if (!parse_u64(val, &cfg.max_insns) || cfg.max_insns == 0)
				return bad("--max-insns needs a positive count (got '%s')",
				           val ? val : "");
			i++;
		} else if (!strcmp(a, "--trace")) {
			if (!val || strcmp(val, "exits") != 0)
				return bad("--trace takes 'exits' (got '%s')", val ? val : "");
			cfg.trace_exits = true;
			i++;
		} else if (a[0] == '-' && a[1]) {
			return bad("unknown option %s", a);
		} else if (!guest) {
			guest = a;
		} else {
			return bad("more than one guest given (%s)", a);
		}
	}
	if (!guest)
		return bad("%s", "missing GUEST");

	struct sim *sim;
	if (sim_create(&cfg, &sim) != HV_OK) {
		fprintf(stderr, "hvsim: cannot create the machine (%llu bytes of RAM, %u vCPUs)\n",
		        (unsigned long long)cfg.ram_size, cfg.nr_vcpus);
		return HVSIM_EXIT_SOFTWARE;
	}
	char err[256] = "";
	hv_status_t st = sim_load_file(sim, guest, err, sizeof(err));
	if (st != HV_OK) {
		fprintf(stderr, "hvsim: %s\n", err);
		sim_destroy(sim);
		return st == HV_ERR_NOT_FOUND ? HVSIM_EXIT_NO_INPUT : HVSIM_EXIT_BAD_IMAGE;
	}
	struct sim_result res;
	signal(SIGTERM, on_fatal_signal);
	signal(SIGINT, on_fatal_signal);
	signal(SIGHUP, on_fatal_signal);
	sim_run(sim, &res);
	sim_console_flush();
	sim_print_stats(sim, stderr);
	int rc;
	switch (res.stop) {
	case SIM_STOP_SHUTDOWN:
	case SIM_STOP_RESET: rc = res.exit_status; break;
	case SIM_STOP_INSN_LIMIT: rc = HVSIM_EXIT_INSN_LIMIT; break;
	case SIM_STOP_GUEST_FAULT: rc = HVSIM_EXIT_GUEST_FAULT; break;
	case SIM_STOP_ALL_OFF:
	case SIM_STOP_DEADLOCK: rc = HVSIM_EXIT_ALL_OFF; break;
	default: rc = HVSIM_EXIT_SOFTWARE; break;
	}
	fprintf(stderr, "hvsim: %s (%s), exit status %d\n", sim_stop_name(res.stop), res.detail,
	        rc);
	sim_destroy(sim);
	return rc;
}
