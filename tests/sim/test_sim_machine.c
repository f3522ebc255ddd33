/* SPDX-License-Identifier: Apache-2.0 */
/* The whole software vCPU on hand-assembled programs (A64 encodings, Arm
 * ARM C6): calls through SMC, idle without a wake-up source, a guest that
 * cannot make progress, the instruction limit, demand paging. */
#include <criterion/criterion.h>
#include <hvsim/arch_sim.h>
#include <hvsim/sim.h>
#include <string.h>

static uint32_t movz_hi(unsigned rd, uint32_t imm)
{
	return 0xd2a00000u | (imm & 0xffffu) << 5 | rd;
}
static uint32_t movk_lo(unsigned rd, uint32_t imm)
{
	return 0xf2800000u | (imm & 0xffffu) << 5 | rd;
}
#define SMC0      0xd4000003u
#define HVC0      0xd4000002u
#define MOV_X1_X0 0xaa0003e1u
#define B_SELF    0x14000000u
#define WFI       0xd503207fu
#define UDF       0x00000000u

static struct sim_result run(const uint32_t *prog, size_t n, uint64_t max_insns, struct sim **keep)
{
	struct sim_config cfg;
	struct sim *sim;
	struct sim_result res;
	sim_config_default(&cfg);
	cfg.ram_size = 6u << 20; /* the block at 2 MiB is clear of the device tree at the end */
	cfg.max_insns = max_insns;
	sim_console_capture(true);
	cr_assert_eq(sim_create(&cfg, &sim), HV_OK);
	cr_assert_eq(sim_load_raw(sim, prog, n * 4, SIM_RAM_BASE), HV_OK);
	cr_assert_eq(sim_run(sim, &res), HV_OK);
	if (keep)
		*keep = sim;
	else
		sim_destroy(sim);
	return res;
}

Test(sim_machine, smc_reaches_psci)
{
	/* x0 = PSCI_VERSION; smc; x1 = x0; x0 = SYSTEM_OFF; smc. */
	const uint32_t prog[] = {movz_hi(0, 0x8400), SMC0, MOV_X1_X0, movz_hi(0, 0x8400),
	                         movk_lo(0, 8),      SMC0, B_SELF};
	struct sim_result r = run(prog, 7, 0, NULL);
	cr_assert_eq(r.stop, SIM_STOP_SHUTDOWN);
	cr_assert_eq(r.exit_status, 1); /* PSCI 1.1 = 0x10001: low byte */
}

Test(sim_machine, system_reset_status)
{
	const uint32_t prog[] = {movz_hi(0, 0x8400), movk_lo(0, 9), movk_lo(1, 42), HVC0, B_SELF};
	struct sim_result r = run(prog, 5, 0, NULL);
	cr_assert_eq(r.stop, SIM_STOP_RESET);
	cr_assert_eq(r.exit_status, 42);
}

Test(sim_machine, wfi_without_wakeup_is_a_deadlock)
{
	const uint32_t prog[] = {WFI, B_SELF};
	struct sim_result r = run(prog, 2, 0, NULL);
	cr_assert_eq(r.stop, SIM_STOP_DEADLOCK);
}

Test(sim_machine, undef_with_unmapped_vectors_is_a_guest_fault)
{
	/* VBAR_EL1 = 0: the injected UNDEF's vector is outside all memory. */
	const uint32_t prog[] = {UDF, B_SELF};
	struct sim_result r = run(prog, 2, 0, NULL);
	cr_assert_eq(r.stop, SIM_STOP_GUEST_FAULT, "stop %d: %s", r.stop, r.detail);
}

Test(sim_machine, instruction_limit_is_deterministic)
{
	const uint32_t prog[] = {B_SELF};
	struct sim_result a = run(prog, 1, 100000, NULL);
	struct sim_result b = run(prog, 1, 100000, NULL);
	cr_assert_eq(a.stop, SIM_STOP_INSN_LIMIT);
	cr_assert_geq(a.insns, 100000);
	cr_assert_lt(a.insns, 100100);
	cr_assert_eq(a.insns, b.insns);
}

Test(sim_machine, first_touch_pages_in_a_block)
{
	/* str x0, [x2] with x2 = RAM + 2 MiB (not part of the image), then
	 * ldr x1, [x2]; SYSTEM_OFF with that value. */
	const uint32_t prog[] = {movz_hi(2, 0x4020),
	                         movk_lo(0, 0x5a),
	                         0xf9000040u /* str x0,[x2] */,
	                         0xf9400041u /* ldr x1,[x2] */,
	                         movz_hi(0, 0x8400),
	                         movk_lo(0, 8),
	                         HVC0,
	                         B_SELF};
	struct sim *sim;
	struct sim_result r = run(prog, 8, 0, &sim);
	cr_assert_eq(r.stop, SIM_STOP_SHUTDOWN);
	cr_assert_eq(r.exit_status, 0x5a);
	uint64_t faults = 0, pages = 0;
	for (size_t i = 0; i < sim_stat_count(); i++) {
		if (!strcmp(sim_stat_name(i), "stage-2 fault (paging)"))
			faults = sim_stat_value(sim, i);
		if (!strcmp(sim_stat_name(i), "pages given on demand"))
			pages = sim_stat_value(sim, i);
	}
	sim_destroy(sim);
	cr_assert_eq(faults, 1);
	cr_assert_eq(pages, 512);
}

Test(sim_machine, exception_from_el0_stops_cleanly)
{
	/* EL1: VBAR_EL1 = RAM + 0x800, ERET to EL0 at RAM + 0x900, where HVC
	 * is UNDEFINED and must be taken to EL1 at VBAR + 0x400. Unicorn 2.0.1
	 * cannot enter EL1 from EL0 (README), so hvsim must stop with a guest
	 * fault instead of running the handler at the wrong level. */
	static uint32_t prog[1024];
	const uint32_t el1[] = {movz_hi(0, 0x4000),
	                        0x91200000u /* add x0, x0, #0x800 */,
	                        0xd518c000u /* msr vbar_el1, x0 */,
	                        0x91040001u /* add x1, x0, #0x100 */,
	                        0xd5184021u /* msr elr_el1, x1 */,
	                        0xd518401fu /* msr spsr_el1, xzr */,
	                        0xd69f03e0u /* eret */};
	const uint32_t handler[] = {0xd5385201u /* mrs x1, esr_el1 */,
	                            0xd35afc21u /* lsr x1, x1, #26 */,
	                            movz_hi(0, 0x8400),
	                            movk_lo(0, 8),
	                            HVC0,
	                            B_SELF};
	memcpy(prog, el1, sizeof(el1));
	prog[0x900 / 4] = HVC0;
	prog[0x904 / 4] = B_SELF;
	memcpy(&prog[0xc00 / 4], handler, sizeof(handler));
	struct sim_result r = run(prog, 1024, 1000000, NULL);
	cr_assert_eq(r.stop, SIM_STOP_GUEST_FAULT, "stop %d: %s", r.stop, r.detail);
	cr_assert(strstr(r.detail, "EL0") != NULL, "%s", r.detail);
}

/* Hostile guest: random instruction words (some MMIO, some calls, some
 * system registers) must end in some stop reason, never hurt the host. */
Test(sim_machine, random_programs_never_crash_the_host, .timeout = 120)
{
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	static uint32_t prog[256];
	for (unsigned round = 0; round < 150; round++) {
		for (unsigned i = 0; i < 256; i++) {
			seed ^= seed << 13;
			seed ^= seed >> 7;
			seed ^= seed << 17;
			prog[i] = (uint32_t)seed;
		}
		/* Point x0-x3 at RAM, the UART and the GIC now and then, so
		 * loads and stores reach devices and holes. */
		prog[0] = movz_hi(0, 0x0900);
		prog[1] = movz_hi(1, 0x4000);
		prog[2] = movz_hi(2, 0x0800);
		prog[3] = movz_hi(3, 0x0a00);
		/* Vectors inside the random code: exceptions land in it too. */
		prog[4] = movz_hi(4, 0x4000);
		prog[5] = 0xd518c004u; /* msr vbar_el1, x4 */
		struct sim_result r = run(prog, 256, 20000, NULL);
		cr_assert(r.stop <= SIM_STOP_INTERNAL, "round %u: stop %d", round, r.stop);
	}
}
