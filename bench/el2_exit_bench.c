/* SPDX-License-Identifier: Apache-2.0 */
/*
 * el2_exit_bench: what a guest pays for a round trip through the EL2 port,
 * in instructions, deterministically. QEMU runs with -icount
 * shift=0,align=off: every instruction (guest or EL2) advances virtual time
 * by exactly 1 ns, independent of the host's load, so the guest's counter
 * (CNTVCT_EL0) measures instructions. The guest tests/guests/exitcost.c
 * times loops of round trips and prints ticks and counts; this program
 * turns them into instructions per round trip, its own loop subtracted.
 * Runs (each one QEMU boot of build/el2-qemu's image, -smp 1 unless said):
 *   1 vCPU              hvc, mmio_read/write, vgic_read, vtimer_irq,
 *                       s2_fault_block
 *   2 vCPUs, one CPU    sgi_same_cpu (half an SGI ping-pong: send, switch
 *                       to the other vCPU through its WFI exit, take it)
 *   2 vCPUs, -smp 2     sgi_other_cpu (the same ping-pong, each vCPU on its
 *                       own CPU: send, the kick of the other CPU out of its
 *                       WFI, the take; QEMU runs the CPUs in turn under
 *                       icount, so the figure includes its turn-taking)
 *   1 vCPU, profiled    hvcore.exitprof=1: the port reads the counter at
 *                       points of each exit (exit_stats.c) and prints the
 *                       average per exit class; the breakdown keys come
 *                       from it (the marks cost a few instructions each,
 *                       so these are from their own run)
 *   1 vCPU, traced      hvcore.trace=1: the event trace on (an entry and
 *                       an exit event per round trip); traced_* keys and
 *                       trace_cost_*: what recording adds per round trip
 *   host mode           host_mmio_round_trip_insns (and host_mmio_write,
 *                       host_hvc, host_vgic_read): see boot_host
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "bench_util.h"

#define MAX_FIGS 32
#define LINE_MAX 512

struct fig {
	char key[32];
	double ticks, count;
};

struct run {
	struct fig figs[MAX_FIGS];
	unsigned nr;
	double freq;
	char prof[16][LINE_MAX]; /* "el2: exitprof ..." lines */
	unsigned nr_prof;
};

static const struct fig *find(const struct run *r, const char *key)
{
	for (unsigned i = 0; i < r->nr; i++)
		if (!strcmp(r->figs[i].key, key))
			return &r->figs[i];
	return NULL;
}

/* The guest's lines (and the port's profile) from `p` into `out`; false if
 * the guest did not finish or reported an error. */
static bool parse(FILE *p, struct run *out)
{
	memset(out, 0, sizeof(*out));
	char line[LINE_MAX];
	bool done = false, failed = false;
	while (fgets(line, sizeof(line), p)) {
		line[strcspn(line, "\r\n")] = 0;
		char key[32];
		double a, b;
		if (!strncmp(line, "el2: exitprof ", 14) && out->nr_prof < 16) {
			snprintf(out->prof[out->nr_prof++], LINE_MAX, "%s", line + 14);
		} else if (sscanf(line, "exitcost freq %lf", &a) == 1) {
			out->freq = a;
		} else if (!strcmp(line, "exitcost done")) {
			done = true;
		} else if (!strncmp(line, "exitcost error", 14) ||
		           !strcmp(line, "exitcost failed")) {
			fprintf(stderr, "el2_exit_bench: guest: %s\n", line);
			failed = true;
		} else if (sscanf(line, "exitcost %31s %lf %lf", key, &a, &b) == 3 &&
		           out->nr < MAX_FIGS) {
			struct fig *f = &out->figs[out->nr++];
			snprintf(f->key, sizeof(f->key), "%s", key);
			f->ticks = a;
			f->count = b;
		}
	}
	return done && !failed && out->freq > 0;
}

/* One boot of the guest; false (with a message) if it failed. */
static bool boot(unsigned vcpus, unsigned cpus, const char *opts, struct run *out)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
	         "timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max "
	         "-smp %u -m 512M -icount shift=0,align=off -nic none -nographic -semihosting "
	         "-kernel %s/build/el2-qemu/ports/el2-qemu/hvcore-el2.bin "
	         "-device loader,file=%s/exitcost.bin,addr=0x50000000,force-raw=on "
	         "-append 'hvcore.guest=0x50000000 hvcore.vcpus=%u hvcore.mem=64 "
	         "hvcore.cpus_may_starve=1%s' 2>&1",
	         cpus, HV_SOURCE_DIR, HV_GUEST_DIR, vcpus, opts);
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
	bool ok = parse(p, out);
	int status = pclose(p);
	if (!ok || status != 0) {
		fprintf(stderr,
		        "el2_exit_bench: run with %u vCPU(s) on %u CPU(s)%s failed (status %d)\n",
		        vcpus, cpus, opts, status);
		return false;
	}
	return true;
}

/*
 * Host mode: the EL2 image boots Debian's kernel as the host
 * (tests/kmod/el2-host.sh, under icount), whose gzvm-vmm runs the same
 * guest through gzvm.ko and the hypercall server's RUN. The PL011 is then
 * the VMM's: an MMIO round trip is the exit to the host, the driver, the
 * VMM's read or write and the next RUN. Needs what the dev preset's kmod
 * label builds (build/dev/kmod); without it, or in quick mode, false with
 * `why` set, and the keys are null.
 */
static bool boot_host(struct run *out, const char **why)
{
	const char *k = HV_SOURCE_DIR "/build/dev/kmod";
	char path[1024];
	static const char *const need[] = {"module/gzvm.ko", "module/kabi", "finit-module",
	                                   "gzvm-host-check", "gzvm-vmm"};
	if (bench_quick()) {
		*why = "quick mode";
		return false;
	}
	for (size_t i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", k, need[i]);
		if (access(path, R_OK) != 0) {
			fprintf(stderr,
			        "el2_exit_bench: no %s: host mode not measured (the dev preset's "
			        "ctest -L kmod builds it)\n",
			        path);
			*why = "no build/dev/kmod";
			return false;
		}
	}
	char log[] = "/tmp/el2_exit_bench_host_XXXXXX";
	int fd = mkstemp(log);
	if (fd < 0)
		return false;
	close(fd);
	char cmd[4096];
	snprintf(
	    cmd, sizeof(cmd),
	    "HV_QEMU_ICOUNT=1 HV_QEMU_TIMEOUT=600 HV_KEEP_LOG=%s HV_EXPECT_MARKER='exitcost done' "
	    "HV_EXPECT_POWER_DOWN=0 %s/tests/kmod/el2-host.sh %s %s/module %s/finit-module "
	    "%s/gzvm-host-check %s/gzvm-vmm %s exitcost '' 1 >/dev/null 2>&1",
	    log, HV_SOURCE_DIR, HV_SOURCE_DIR, k, k, k, k, HV_GUEST_DIR);
	int status = system(cmd);
	FILE *p = fopen(log, "r");
	bool ok = p && parse(p, out);
	if (p)
		fclose(p);
	unlink(log);
	if (status != 0 || !ok) {
		fprintf(stderr, "el2_exit_bench: host-mode run failed (status %d)\n", status);
		*why = "host-mode run failed";
		return false;
	}
	return true;
}

/* Instructions per round trip of `key`, less the same loop around one
 * plain instruction (`base`, or nothing); NAN if either is missing. */
static double insns(const struct run *r, const char *key, const char *base)
{
	const struct fig *f = find(r, key), *b = base ? find(r, base) : NULL;
	if (!f || f->count <= 0 || (base && (!b || b->count <= 0)))
		return NAN;
	double ns_per_tick = 1e9 / r->freq;
	double v = f->ticks * ns_per_tick / f->count;
	if (b)
		v -= b->ticks * ns_per_tick / b->count;
	return v;
}

/* Classes and segments whose keys are always there (null when the profiled
 * run had no such exit: with the fast paths a PL011 or GIC access seldom
 * takes the full exit). */
static const char *const fixed_classes[] = {"hvc",      "pl011_read", "pl011_write",
                                            "gic_read", "irq",        "mmio_fast"};
static const char *const fixed_segments[] = {"switch_out", "lock",      "sync", "dispatch",
                                             "flush",      "switch_in", "el2"};

static bool profiled(const struct run *r, const char *cls)
{
	size_t n = strlen(cls);
	for (unsigned i = 0; i < r->nr_prof; i++)
		if (!strncmp(r->prof[i], cls, n) && r->prof[i][n] == ' ')
			return true;
	return false;
}

/* "el2: exitprof <class> n=N <segment>=TICKS ...": average instructions per
 * exit of each segment, as "<class>_<segment>_insns" keys. */
static void emit_profile(const struct run *r)
{
	for (size_t c = 0; c < sizeof(fixed_classes) / sizeof(fixed_classes[0]); c++) {
		if (profiled(r, fixed_classes[c]))
			continue;
		for (size_t s = 0; s < sizeof(fixed_segments) / sizeof(fixed_segments[0]); s++) {
			char key[96];
			snprintf(key, sizeof(key), "%s_%s_insns", fixed_classes[c],
			         fixed_segments[s]);
			bench_json_raw(key, "null");
		}
	}
	double ns_per_tick = 1e9 / r->freq;
	for (unsigned i = 0; i < r->nr_prof; i++) {
		char buf[LINE_MAX], cls[32];
		snprintf(buf, sizeof(buf), "%s", r->prof[i]);
		char *save = NULL, *tok = strtok_r(buf, " ", &save);
		if (!tok)
			continue;
		snprintf(cls, sizeof(cls), "%s", tok);
		double n = 0;
		double total = 0;
		while ((tok = strtok_r(NULL, " ", &save))) {
			char *eq = strchr(tok, '=');
			if (!eq)
				continue;
			*eq = 0;
			double v = strtod(eq + 1, NULL);
			char key[96];
			if (!strcmp(tok, "n")) {
				n = v;
				snprintf(key, sizeof(key), "exits_%s", cls);
				bench_json_num(key, n);
				continue;
			}
			if (n <= 0)
				continue;
			snprintf(key, sizeof(key), "%s_%s_insns", cls, tok);
			bench_json_num(key, v * ns_per_tick / n);
			if (strcmp(tok, "guest"))
				total += v * ns_per_tick / n;
		}
		if (n > 0) {
			char key[96];
			snprintf(key, sizeof(key), "%s_el2_insns", cls);
			bench_json_num(key, total);
		}
	}
}

static void num_or_null(const char *key, double v)
{
	if (isfinite(v))
		bench_json_num(key, v);
	else
		bench_json_raw(key, "null");
}

int main(void)
{
	if (!bench_build_el2("el2_exit_bench"))
		return 1;
	static struct run one, two, smp, prof, traced, host;
	if (!boot(1, 1, "", &one) || !boot(2, 1, "", &two) || !boot(2, 2, "", &smp) ||
	    !boot(1, 1, " hvcore.exitprof=1", &prof) || !boot(1, 1, " hvcore.trace=1", &traced))
		return 1;
	const char *host_why = NULL;
	if (!boot_host(&host, &host_why))
		memset(&host, 0, sizeof(host)); /* every host key null */
	double sgi_rt = insns(&two, "sgi_rt", NULL), sgi_rt_smp = insns(&smp, "sgi_rt", NULL);

	bench_json_begin();
	bench_json_str("bench", "el2_exit");
	num_or_null("hvc_insns", insns(&one, "hvc", "hvc_empty"));
	num_or_null("mmio_read_insns", insns(&one, "mmio_read", "load_empty"));
	num_or_null("mmio_write_insns", insns(&one, "mmio_write", "empty"));
	num_or_null("vgic_read_insns", insns(&one, "vgic_read", "load_empty"));
	num_or_null("sgi_same_cpu_insns", sgi_rt / 2);
	num_or_null("sgi_other_cpu_insns", sgi_rt_smp / 2);
	num_or_null("vtimer_irq_insns", insns(&one, "vtimer_irq", NULL));
	num_or_null("s2_fault_block_insns", insns(&one, "s2_fault", "s2_fault_empty"));
	num_or_null("host_mmio_round_trip_insns", insns(&host, "mmio_read", "load_empty"));
	num_or_null("sgi_round_trip_same_cpu_insns", sgi_rt);
	num_or_null("sgi_round_trip_other_cpu_insns", sgi_rt_smp);
	num_or_null("guest_loop_insns", insns(&one, "empty", NULL));
	num_or_null("counter_freq_hz", one.freq);
	num_or_null("host_mmio_write_insns", insns(&host, "mmio_write", "empty"));
	num_or_null("host_hvc_insns", insns(&host, "hvc", "hvc_empty"));
	num_or_null("host_vgic_read_insns", insns(&host, "vgic_read", "load_empty"));
	emit_profile(&prof);
	double hvc = insns(&one, "hvc", "hvc_empty"), mmio = insns(&one, "mmio_read", "load_empty");
	double t_hvc = insns(&traced, "hvc", "hvc_empty");
	double t_mmio = insns(&traced, "mmio_read", "load_empty");
	num_or_null("traced_hvc_insns", t_hvc);
	num_or_null("traced_mmio_read_insns", t_mmio);
	num_or_null("trace_cost_hvc_insns", t_hvc - hvc);
	num_or_null("trace_cost_mmio_read_insns", t_mmio - mmio);
	if (host_why)
		bench_json_str("unmeasured", host_why);
	bench_json_end();
	return 0;
}
