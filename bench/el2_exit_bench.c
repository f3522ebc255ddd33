/* SPDX-License-Identifier: Apache-2.0 */
/*
 * el2_exit_bench: what a guest pays for a round trip through the EL2 port,
 * in instructions, deterministically. QEMU runs with -icount
 * shift=0,align=off: every instruction (guest or EL2) advances virtual time
 * by exactly 1 ns, independent of the host's load, so the guest's counter
 * (CNTVCT_EL0) measures instructions. The guest tests/guests/exitcost.c
 * times loops of round trips and prints ticks and counts; this program
 * turns them into instructions per round trip, its own loop subtracted.
 * Runs (each one QEMU boot of build/el2-qemu's image, -smp 1):
 *   1 vCPU              hvc, mmio_read/write, vgic_read, vtimer_irq,
 *                       s2_fault_block
 *   2 vCPUs, one CPU    sgi_same_cpu (half an SGI ping-pong: send, switch
 *                       to the other vCPU through its WFI exit, take it)
 *   1 vCPU, profiled    hvcore.exitprof=1: the port reads the counter at
 *                       points of each exit (exit_stats.c) and prints the
 *                       average per exit class; the breakdown keys come
 *                       from it (the marks cost a few instructions each,
 *                       so these are from their own run)
 *   1 vCPU, traced      hvcore.trace=1: the event trace on (an entry and
 *                       an exit event per round trip); traced_* keys and
 *                       trace_cost_*: what recording adds per round trip
 * Keys needing -smp 2 (not bootable under icount yet) or host mode are
 * null: sgi_other_cpu_insns, host_mmio_round_trip_insns.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

/* One boot of the guest; false (with a message) if it failed. */
static bool boot(unsigned vcpus, const char *opts, struct run *out)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
	         "timeout 120 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max "
	         "-smp 1 -m 512M -icount shift=0,align=off -nic none -nographic -semihosting "
	         "-kernel %s/build/el2-qemu/ports/el2-qemu/hvcore-el2.bin "
	         "-device loader,file=%s/exitcost.bin,addr=0x50000000,force-raw=on "
	         "-append 'hvcore.guest=0x50000000 hvcore.vcpus=%u hvcore.mem=64%s' 2>&1",
	         HV_SOURCE_DIR, HV_GUEST_DIR, vcpus, opts);
	memset(out, 0, sizeof(*out));
	FILE *p = popen(cmd, "r");
	if (!p)
		return false;
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
	int status = pclose(p);
	if (!done || failed || status != 0 || out->freq <= 0) {
		fprintf(stderr, "el2_exit_bench: run with %u vCPU(s)%s failed (status %d)\n", vcpus,
		        opts, status);
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

/* "el2: exitprof <class> n=N <segment>=TICKS ...": average instructions per
 * exit of each segment, as "<class>_<segment>_insns" keys. */
static void emit_profile(const struct run *r)
{
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
	static struct run one, two, prof, traced;
	if (!boot(1, "", &one) || !boot(2, "", &two) || !boot(1, " hvcore.exitprof=1", &prof) ||
	    !boot(1, " hvcore.trace=1", &traced))
		return 1;
	double sgi_rt = insns(&two, "sgi_rt", NULL);

	bench_json_begin();
	bench_json_str("bench", "el2_exit");
	num_or_null("hvc_insns", insns(&one, "hvc", "hvc_empty"));
	num_or_null("mmio_read_insns", insns(&one, "mmio_read", "load_empty"));
	num_or_null("mmio_write_insns", insns(&one, "mmio_write", "empty"));
	num_or_null("vgic_read_insns", insns(&one, "vgic_read", "load_empty"));
	num_or_null("sgi_same_cpu_insns", sgi_rt / 2);
	bench_json_raw("sgi_other_cpu_insns", "null"); /* needs -smp 2 under icount */
	num_or_null("vtimer_irq_insns", insns(&one, "vtimer_irq", NULL));
	num_or_null("s2_fault_block_insns", insns(&one, "s2_fault", "s2_fault_empty"));
	bench_json_raw("host_mmio_round_trip_insns", "null"); /* needs host mode */
	num_or_null("sgi_round_trip_same_cpu_insns", sgi_rt);
	num_or_null("guest_loop_insns", insns(&one, "empty", NULL));
	num_or_null("counter_freq_hz", one.freq);
	emit_profile(&prof);
	double hvc = insns(&one, "hvc", "hvc_empty"), mmio = insns(&one, "mmio_read", "load_empty");
	double t_hvc = insns(&traced, "hvc", "hvc_empty");
	double t_mmio = insns(&traced, "mmio_read", "load_empty");
	num_or_null("traced_hvc_insns", t_hvc);
	num_or_null("traced_mmio_read_insns", t_mmio);
	num_or_null("trace_cost_hvc_insns", t_hvc - hvc);
	num_or_null("trace_cost_mmio_read_insns", t_mmio - mmio);
	bench_json_str("unmeasured", "sgi_other_cpu_insns host_mmio_round_trip_insns");
	bench_json_end();
	return 0;
}
