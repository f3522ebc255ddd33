/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Linux boot time under the hypervisor against the same boot on bare QEMU.
 * Debian's arm64 kernel and the busybox initramfs (scripts/linux-guest.sh)
 * boot (a) directly on QEMU at EL1 (-smp 2) and (b) under the hypervisor at
 * EL2 with 2 vCPUs, alternately, ROUNDS times each; the time of a run is the
 * wall time from starting it to the initramfs' marker line on the console.
 *   direct_s  median of (a), seconds
 *   hyp_s     median of (b), seconds
 *   ratio     hyp_s / direct_s (target <= 1.25)
 *   direct_cpu_s, hyp_cpu_s, cpu_ratio  the same for the CPU time (user +
 *             system, all QEMU threads) of whole runs, power-off included: less
 *             disturbed than wall time when the machine is shared
 *   exits     the hypervisor's exit counts by reason in the median run of (b)
 *   interrupts  physical interrupts taken at EL2 and vCPU switches, same run
 *   direct_insn_s, hyp_insn_s, insn_ratio  the deterministic measure: one
 *             more boot of each under QEMU's -icount shift=0,align=off (one
 *             instruction = 1 ns of virtual time), 1 vCPU on 1 CPU: the
 *             kernel's own timestamp of "Run /init as init process" (virtual
 *             seconds since its clock started, so instructions / 1e9), and
 *             their ratio
 *   insn_exits  the hypervisor's exit counts in that run
 *   <the same>_2vcpus  the same with 2 vCPUs on 2 CPUs (-smp 2; QEMU runs
 *             the CPUs in turns under icount, one virtual clock)
 * Both runs use -cpu max,pauth-impdef=on and the same command line
 * (console=ttyAMA0: the whole boot log goes through the UART, for (b) the
 * emulated PL011). Kernel and initramfs are resolved once before timing.
 * Wall time: QEMU is multi-threaded and the boot is what is measured; run on
 * a quiet machine.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include "bench_util.h"

#define ROUNDS     3
#define MARKER     "HVCORE-LINUX-INIT-OK"
#define LINE_MAX_  4096
#define COUNTS_MAX 512

struct run {
	double seconds;
	double cpu_seconds;          /* user + system time of the whole run (QEMU, all threads) */
	double init_virt_s;          /* kernel timestamp of "Run /init" (0: none seen) */
	char exits[COUNTS_MAX];      /* "total=N irq=N ..." */
	char interrupts[COUNTS_MAX]; /* "vtimer=N ..." */
};

static void copy_after(char *dst, const char *line, const char *prefix)
{
	size_t n = strlen(prefix);
	if (strncmp(line, prefix, n) != 0)
		return;
	size_t len = strcspn(line + n, "\r\n");
	if (len >= COUNTS_MAX)
		len = COUNTS_MAX - 1;
	memcpy(dst, line + n, len);
	dst[len] = 0;
}

/* One boot by `cmd`; false (with a message) if it failed or printed no
 * marker. */
static bool boot_cmd(const char *cmd, bool direct, struct run *out)
{
	memset(out, 0, sizeof(*out));
	struct rusage before, after;
	getrusage(RUSAGE_CHILDREN, &before);
	uint64_t start = bench_wall_ns();
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	char line[LINE_MAX_];
	bool marker = false;
	while (fgets(line, sizeof(line), p)) {
		if (!marker && strncmp(line, MARKER, strlen(MARKER)) == 0) {
			out->seconds = (double)(bench_wall_ns() - start) / 1e9;
			marker = true;
		}
		const char *run_init = strstr(line, "] Run /init as init process");
		if (run_init && line[0] == '[')
			out->init_virt_s = strtod(line + 1, NULL);
		copy_after(out->exits, line, "el2: exits ");
		copy_after(out->interrupts, line, "el2: interrupts at EL2 ");
	}
	int status = pclose(p);
	getrusage(RUSAGE_CHILDREN, &after);
	out->cpu_seconds = (double)(after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
	                   (double)(after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
	                   (double)(after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1e6 +
	                   (double)(after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1e6;
	if (!marker || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "linux_boot_bench: %s boot failed (marker %s, status %d)\n",
		        direct ? "direct" : "hypervisor", marker ? "seen" : "missing", status);
		return false;
	}
	return true;
}

/* One boot with the default vCPUs (2). */
static bool boot(bool direct, struct run *out)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "bash %s/scripts/linux-guest.sh %s 2>&1", HV_SOURCE_DIR,
	         direct ? "--direct" : "");
	return boot_cmd(cmd, direct, out);
}

/* One boot with `vcpus` vCPUs on as many CPUs under icount (linux-guest.sh's
 * HV_QEMU_ICOUNT, HV_QEMU_CPUS). */
static bool boot_icount(bool direct, unsigned vcpus, struct run *out)
{
	char cmd[1024], cpus[8];
	snprintf(cpus, sizeof(cpus), "%u", vcpus);
	setenv("HV_QEMU_ICOUNT", "1", 1);
	setenv("HV_QEMU_CPUS", cpus, 1);
	snprintf(cmd, sizeof(cmd), "bash %s/scripts/linux-guest.sh %s --vcpus %u 2>&1",
	         HV_SOURCE_DIR, direct ? "--direct" : "", vcpus);
	bool ok = boot_cmd(cmd, direct, out);
	unsetenv("HV_QEMU_ICOUNT");
	unsetenv("HV_QEMU_CPUS");
	if (ok && (out->init_virt_s <= 0)) {
		fprintf(stderr, "linux_boot_bench: icount boot (%u vCPUs) printed no Run /init\n",
		        vcpus);
		return false;
	}
	return ok;
}

/* Kernel Image and initramfs paths, once, into the environment the runs
 * inherit (resolving the kernel ABI asks apt-cache: seconds, not timed). */
static bool resolve_inputs(void)
{
	char cmd[1024], line[LINE_MAX_];
	snprintf(cmd, sizeof(cmd),
	         "bash %s/scripts/debian-arm64-fetch.sh kernel && echo HV_INITRAMFS=$(bash "
	         "%s/scripts/linux-initramfs.sh %s/build/linux-guest/initramfs.cpio)",
	         HV_SOURCE_DIR, HV_SOURCE_DIR, HV_SOURCE_DIR);
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\r\n")] = 0;
		char *eq = strchr(line, '=');
		if (!eq)
			continue;
		*eq = 0;
		if (!strcmp(line, "HV_KERNEL_IMAGE") || !strcmp(line, "HV_INITRAMFS") ||
		    !strcmp(line, "HV_KABI"))
			setenv(line, eq + 1, 1);
	}
	if (pclose(p) != 0 || !getenv("HV_KERNEL_IMAGE") || !getenv("HV_INITRAMFS")) {
		fprintf(stderr, "linux_boot_bench: cannot get the kernel or build the initramfs\n");
		return false;
	}
	return true;
}

/* "a=1 b=2" -> {"a": 1, "b": 2} */
static void counts_json(const char *kv, char *json, size_t size)
{
	size_t n = (size_t)snprintf(json, size, "{");
	char buf[COUNTS_MAX];
	snprintf(buf, sizeof(buf), "%s", kv);
	bool first = true;
	for (char *tok = strtok(buf, " "); tok && n < size; tok = strtok(NULL, " ")) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = 0;
		n += (size_t)snprintf(json + n, size - n, "%s\"%s\": %s", first ? "" : ", ", tok,
		                      eq + 1);
		first = false;
	}
	if (n < size)
		snprintf(json + n, size - n, "}");
}

/* The icount figures of one vCPU count, keys ending in `suffix`. */
static void icount_json(const struct run *di, const struct run *hi, unsigned vcpus,
                        const char *suffix)
{
	char key[64], exits[1024];
#define KEY(name) (snprintf(key, sizeof(key), "%s%s", name, suffix), key)
	bench_json_num(KEY("direct_insn_s"), di->init_virt_s);
	bench_json_num(KEY("hyp_insn_s"), hi->init_virt_s);
	bench_json_num(KEY("insn_ratio"), hi->init_virt_s / di->init_virt_s);
	bench_json_int(KEY("direct_insns"), (uint64_t)(di->init_virt_s * 1e9 + 0.5));
	bench_json_int(KEY("hyp_insns"), (uint64_t)(hi->init_virt_s * 1e9 + 0.5));
	bench_json_int(KEY("insn_vcpus"), vcpus);
	counts_json(hi->exits, exits, sizeof(exits));
	bench_json_raw(KEY("insn_exits"), exits);
#undef KEY
}

int main(void)
{
	/* Build the EL2 image and fetch kernel/busybox before timing anything. */
	if (!bench_build_el2("linux_boot_bench") || !resolve_inputs())
		return 1;
	const unsigned rounds = bench_rounds(ROUNDS);
	static struct run direct[ROUNDS], hyp[ROUNDS];
	double d[ROUNDS], h[ROUNDS], dc[ROUNDS], hc[ROUNDS];
	for (unsigned i = 0; i < rounds; i++) {
		if (!boot(true, &direct[i]) || !boot(false, &hyp[i]))
			return 1;
		d[i] = direct[i].seconds;
		h[i] = hyp[i].seconds;
		dc[i] = direct[i].cpu_seconds;
		hc[i] = hyp[i].cpu_seconds;
	}
	double direct_s = bench_median(d, rounds), hyp_s = bench_median(h, rounds);
	const struct run *median = &hyp[0];
	for (unsigned i = 0; i < rounds; i++)
		if (hyp[i].seconds == hyp_s)
			median = &hyp[i];
	char exits[1024], irqs[1024];
	counts_json(median->exits, exits, sizeof(exits));
	counts_json(median->interrupts, irqs, sizeof(irqs));
	bench_json_begin();
	bench_json_num("direct_s", direct_s);
	bench_json_num("hyp_s", hyp_s);
	bench_json_num("ratio", hyp_s / direct_s);
	double direct_cpu = bench_median(dc, rounds), hyp_cpu = bench_median(hc, rounds);
	bench_json_num("direct_cpu_s", direct_cpu);
	bench_json_num("hyp_cpu_s", hyp_cpu);
	bench_json_num("cpu_ratio", hyp_cpu / direct_cpu);
	bench_json_int("rounds", rounds);
	bench_json_raw("exits", exits);
	bench_json_raw("interrupts", irqs);
	/* The deterministic measure, once each (icount: no variance). */
	struct run di, hi, di2, hi2;
	if (!boot_icount(true, 1, &di) || !boot_icount(false, 1, &hi) ||
	    !boot_icount(true, 2, &di2) || !boot_icount(false, 2, &hi2))
		return 1;
	icount_json(&di, &hi, 1, "");
	icount_json(&di2, &hi2, 2, "_2vcpus");
	bench_json_end();
	return 0;
}
