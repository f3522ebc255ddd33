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
 *
 * Floors, bare Unicorn in the same rounds (same CPU model, the same program
 * at SIM_RAM_BASE in a host buffer mapped with uc_mem_map_ptr, the same
 * clock around the uc_emu_start calls only, medians of the same ROUNDS):
 *   floor_unicorn_mips      the compute loop with no hooks but one on
 *                           exceptions (which stops the run at the final HVC)
 *                           and no exits; counted as the same instructions
 *   floor_unicorn_exits_per_s the MMIO loop with the UART unmapped: each
 *                           store stops the engine (UC_HOOK_MEM_WRITE_UNMAPPED
 *                           hook returning false, address and value in hand;
 *                           plus the empty UC_HOOK_MEM_READ/WRITE hook that
 *                           makes the PC exact), the host resumes at PC + 4;
 *                           no syndrome, no core, no device model
 *   <key>_vs_floor          hvsim figure / floor figure; these are rates, so
 *                           1.0 = as fast as bare Unicorn, lower = slower
 */
#include <hv/exit.h>
#include <hvsim/arch_sim.h>
#include <hvsim/sim.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "bench_util.h"

#define ROUNDS      5u
#define LOOP_ITERS  0x8000000u /* 134M iterations, ~537M instructions */
#define MMIO_STORES 0x30000u   /* 196608 exits */

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

/* ---- the floor: bare Unicorn ------------------------------------------ */

struct floor_engine {
	uc_engine *uc;
	void *ram;
	uint64_t stores; /* stores that stopped the engine */
	bool ended;      /* the program reached its HVC */
};

static void floor_sync_pc(uc_engine *uc, uc_mem_type type, uint64_t addr, int size, int64_t value,
                          void *arg)
{
	(void)uc, (void)type, (void)addr, (void)size, (void)value, (void)arg;
}

static bool floor_store_exit(uc_engine *uc, uc_mem_type type, uint64_t addr, int size,
                             int64_t value, void *arg)
{
	struct floor_engine *fe = arg;
	(void)uc, (void)type, (void)size;
	fe->stores++;
	bench_sink(addr + (uint64_t)value);
	return false; /* stop the engine: the host takes it from here */
}

static void floor_exception(uc_engine *uc, uint32_t intno, void *arg)
{
	struct floor_engine *fe = arg;
	(void)intno;
	fe->ended = true;
	uc_emu_stop(uc);
}

static bool floor_open(struct floor_engine *fe, const uint32_t *prog, size_t words, bool mmio)
{
	memset(fe, 0, sizeof(*fe));
	fe->ram = aligned_alloc(HV_SZ_2M, HV_SZ_2M);
	if (!fe->ram)
		return false;
	memset(fe->ram, 0, HV_SZ_2M);
	memcpy(fe->ram, prog, words * 4);
	uc_hook h;
	if (uc_open(UC_ARCH_ARM64, UC_MODE_ARM, &fe->uc) != UC_ERR_OK) {
		free(fe->ram);
		return false;
	}
	uc_ctl_set_cpu_model(fe->uc, UC_CPU_ARM64_A72);
	bool ok =
	    uc_mem_map_ptr(fe->uc, SIM_RAM_BASE, HV_SZ_2M, UC_PROT_ALL, fe->ram) == UC_ERR_OK &&
	    uc_hook_add(fe->uc, &h, UC_HOOK_INTR, (void *)floor_exception, fe, 1, 0) == UC_ERR_OK;
	if (ok && mmio)
		ok = uc_hook_add(fe->uc, &h, UC_HOOK_MEM_READ | UC_HOOK_MEM_WRITE,
		                 (void *)floor_sync_pc, fe, 1, 0) == UC_ERR_OK &&
		     uc_hook_add(fe->uc, &h, UC_HOOK_MEM_WRITE_UNMAPPED, (void *)floor_store_exit,
		                 fe, 1, 0) == UC_ERR_OK;
	if (!ok) {
		uc_close(fe->uc);
		free(fe->ram);
	}
	return ok;
}

static void floor_close(struct floor_engine *fe)
{
	uc_close(fe->uc);
	free(fe->ram);
}

/* Run the program from SIM_RAM_BASE to its HVC (Unicorn reports it as an
 * exception), resuming after every stopped store. uc_emu_start gets no
 * `until` address: Unicorn 2.0.1 flushes its translations for one (~9 us
 * per start here). Seconds, or negative on failure. */
static double floor_run(const uint32_t *prog, size_t words, bool mmio, uint64_t *stores)
{
	struct floor_engine fe;
	if (!floor_open(&fe, prog, words, mmio))
		return -1;
	uint64_t pc = SIM_RAM_BASE;
	bool ok = true;
	uint64_t t0 = bench_now_ns();
	while (!fe.ended) {
		uc_err e = uc_emu_start(fe.uc, pc, UINT64_MAX, 0, 0);
		if (fe.ended)
			break;
		if (e != UC_ERR_WRITE_UNMAPPED) {
			ok = false;
			break;
		}
		uc_reg_read(fe.uc, UC_ARM64_REG_PC, &pc);
		pc += 4;
	}
	uint64_t t1 = bench_now_ns();
	uint32_t insn = 0;
	uc_reg_read(fe.uc, UC_ARM64_REG_PC, &pc);
	uc_mem_read(fe.uc, pc, &insn, sizeof(insn));
	*stores = fe.stores;
	floor_close(&fe);
	if (!ok || insn != 0xd4000002u) /* stopped at emit_off's HVC */
		return -1;
	return (double)(t1 - t0) / 1e9;
}

int main(void)
{
	uint32_t prog[64], mmio_prog[64];
	double mips[ROUNDS], exits[ROUNDS], floor_mips[ROUNDS], floor_exits[ROUNDS];
	sim_console_capture(true);
	const unsigned loop_iters = bench_scaled(LOOP_ITERS, 128u);
	const unsigned mmio_stores = bench_scaled(MMIO_STORES, 128u);
	const unsigned rounds = bench_rounds(ROUNDS);

	size_t n = compute_loop(prog, loop_iters);
	size_t n_mmio = mmio_loop(mmio_prog, mmio_stores);
	double insns = 4.0 * loop_iters + (double)n;
	for (unsigned r = 0; r < rounds; r++) {
		uint64_t count = 0;
		double s = run_once(prog, n, NULL);
		double fs = floor_run(prog, n, false, &count);
		if (s <= 0 || fs <= 0) {
			fprintf(stderr, "hvsim_bench: compute loop failed\n");
			return 1;
		}
		mips[r] = insns / s / 1e6;
		floor_mips[r] = insns / fs / 1e6;

		s = run_once(mmio_prog, n_mmio, &count);
		if (s <= 0 || count < mmio_stores) {
			fprintf(stderr, "hvsim_bench: mmio loop failed (%llu exits)\n",
			        (unsigned long long)count);
			return 1;
		}
		exits[r] = (double)count / s;
		fs = floor_run(mmio_prog, n_mmio, true, &count);
		if (fs <= 0 || count != mmio_stores) {
			fprintf(stderr, "hvsim_bench: bare Unicorn mmio loop failed (%llu stops)\n",
			        (unsigned long long)count);
			return 1;
		}
		floor_exits[r] = (double)count / fs;
	}
	double m = bench_median(mips, rounds), e = bench_median(exits, rounds);
	double fm = bench_median(floor_mips, rounds), fe = bench_median(floor_exits, rounds);
	bench_json_begin();
	bench_json_num("hvsim_mips", m);
	bench_json_vs_floor("hvsim_mips", m, fm);
	bench_json_num("hvsim_mmio_exits_per_s", e);
	bench_json_vs_floor("hvsim_mmio_exits_per_s", e, fe);
	bench_json_num("floor_unicorn_mips", fm);
	bench_json_num("floor_unicorn_exits_per_s", fe);
	bench_json_num("compute_loop_instructions", insns);
	bench_json_num("mmio_stores", mmio_stores);
	bench_json_end();
	return 0;
}
