/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hvsim speed, whole machine (Unicorn engine + core exit path):
 *   hvsim_mips              guest instructions per second (millions) on a
 *                           compute loop (4 instructions per iteration, no
 *                           memory access, no instruction counting hook)
 *   hvsim_mmio_exits_per_s  guest stores to a PL011 register, each a full
 *                           exit: stop, syndrome, core dispatch and MMIO bus,
 *                           PL011 model, resume
 * Median of ROUNDS runs, CPU time of this thread during sim_run (Unicorn
 * runs in the calling thread; CPU time is steadier on a shared machine).
 * Guest code is assembled below (A64 encodings, Arm ARM C6).
 */
#include <hv/exit.h>
#include <hvsim/arch_sim.h>
#include <hvsim/sim.h>
#include <stdlib.h>

#include "bench_util.h"

#define ROUNDS      5u
#define LOOP_ITERS  0x10000000u /* 268M iterations, ~1.07G instructions */
#define MMIO_STORES 0x30000u    /* 196608 exits */

/* MOVZ Xd, #imm, LSL #16 and MOVK Xd, #imm (C6.2.191/C6.2.190). */
static uint32_t movz_hi(unsigned rd, uint32_t imm)
{
	return 0xd2a00000u | (imm & 0xffffu) << 5 | rd;
}
static uint32_t movk_lo(unsigned rd, uint32_t imm)
{
	return 0xf2800000u | (imm & 0xffffu) << 5 | rd;
}

/* x0 = PSCI SYSTEM_OFF, x1 = 0, HVC #0, then spin. */
static size_t emit_off(uint32_t *p)
{
	p[0] = movz_hi(0, 0x8400);
	p[1] = movk_lo(0, 0x0008);
	p[2] = 0xd2800001u; /* mov x1, #0 */
	p[3] = 0xd4000002u; /* hvc #0 */
	p[4] = 0x14000000u; /* b . */
	return 5;
}

static size_t compute_loop(uint32_t *p, uint32_t iters)
{
	size_t n = 0;
	p[n++] = movz_hi(0, iters >> 16);
	p[n++] = movk_lo(0, iters & 0xffffu);
	p[n++] = 0x8b000021u; /* 1: add x1, x1, x0 */
	p[n++] = 0xca010042u; /* eor x2, x2, x1 */
	p[n++] = 0xf1000400u; /* subs x0, x0, #1 */
	p[n++] = 0x54ffffa1u; /* b.ne 1b */
	return n + emit_off(p + n);
}

static size_t mmio_loop(uint32_t *p, uint32_t stores)
{
	size_t n = 0;
	p[n++] = movz_hi(0, stores >> 16);
	p[n++] = movk_lo(0, stores & 0xffffu);
	p[n++] = movz_hi(2, (uint32_t)(SIM_UART_BASE >> 16));
	p[n++] = movk_lo(2, 0x24); /* UARTIBRD */
	p[n++] = 0xb9000040u;      /* 1: str w0, [x2] */
	p[n++] = 0xf1000400u;      /* subs x0, x0, #1 */
	p[n++] = 0x54ffffc1u;      /* b.ne 1b */
	return n + emit_off(p + n);
}

/* Run the program once; returns seconds, or a negative value on failure. */
static double run_once(const uint32_t *prog, size_t words, uint64_t *mmio_exits)
{
	struct sim_config cfg;
	struct sim *sim;
	struct sim_result res;
	sim_config_default(&cfg);
	cfg.ram_size = 2u << 20;
	if (sim_create(&cfg, &sim) != HV_OK)
		return -1;
	if (sim_load_raw(sim, prog, words * 4, SIM_RAM_BASE) != HV_OK) {
		sim_destroy(sim);
		return -1;
	}
	uint64_t t0 = bench_now_ns();
	sim_run(sim, &res);
	uint64_t t1 = bench_now_ns();
	if (mmio_exits)
		*mmio_exits = sim_stat_value(sim, HV_STAT_MMIO_KERNEL);
	if (getenv("HVSIM_BENCH_VERBOSE"))
		sim_print_stats(sim, stderr);
	sim_destroy(sim);
	if (res.stop != SIM_STOP_SHUTDOWN || res.exit_status != 0)
		return -1;
	return (double)(t1 - t0) / 1e9;
}

int main(void)
{
	uint32_t prog[64];
	double mips[ROUNDS], exits[ROUNDS];
	sim_console_capture(true);

	size_t n = compute_loop(prog, LOOP_ITERS);
	double insns = 4.0 * LOOP_ITERS + (double)n;
	for (unsigned r = 0; r < ROUNDS; r++) {
		double s = run_once(prog, n, NULL);
		if (s <= 0) {
			fprintf(stderr, "hvsim_bench: compute loop failed\n");
			return 1;
		}
		mips[r] = insns / s / 1e6;
	}
	n = mmio_loop(prog, MMIO_STORES);
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t count = 0;
		double s = run_once(prog, n, &count);
		if (s <= 0 || count < MMIO_STORES) {
			fprintf(stderr, "hvsim_bench: mmio loop failed (%llu exits)\n",
			        (unsigned long long)count);
			return 1;
		}
		exits[r] = (double)count / s;
	}
	bench_json_begin();
	bench_json_num("hvsim_mips", bench_median(mips, ROUNDS));
	bench_json_num("hvsim_mmio_exits_per_s", bench_median(exits, ROUNDS));
	bench_json_num("compute_loop_instructions", insns);
	bench_json_num("mmio_stores", MMIO_STORES);
	bench_json_end();
	return 0;
}
