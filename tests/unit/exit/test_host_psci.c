/* SPDX-License-Identifier: Apache-2.0 */
/*
 * core/exit/host_psci.c: the host's PSCI calls at EL2 (mode A): which go to
 * the firmware unchanged, which are answered here, how CPU_ON and the
 * suspends are rewritten to enter EL2 first, and the per-CPU states behind
 * the answers (DEN0022D), including racing CPU_ONs.
 */
#include <criterion/criterion.h>
#include <pthread.h>

#include <hv/host_psci.h>
#include <hv/psci.h>

#define EL2_ENTRY 0x7fe01000ull
#define RAM_BASE  0x40000000ull
#define RAM_SIZE  0x3fe00000ull /* up to the hypervisor's carveout */

static const uint64_t mpidrs[] = {0x80000000, 0x80000100, 0x80000200, 0x80000300};
static struct hv_host_psci hp;

static void setup(void)
{
	cr_assert_eq(hv_host_psci_init(&hp, EL2_ENTRY, mpidrs, 4, 0), HV_OK);
	cr_assert_eq(hv_host_psci_add_ram(&hp, RAM_BASE, RAM_SIZE), HV_OK);
}

static enum hv_host_smc_action call(uint32_t cpu, uint64_t x0, uint64_t x1, uint64_t x2,
                                    uint64_t x3, uint64_t out[4])
{
	const uint64_t in[4] = {x0, x1, x2, x3};
	return hv_host_psci_call(&hp, cpu, in, out);
}

static void expect_answer(uint32_t cpu, uint64_t x0, uint64_t x1, uint64_t x2, uint64_t x3,
                          int64_t want)
{
	uint64_t out[4];
	cr_expect_eq(call(cpu, x0, x1, x2, x3, out), HV_HOST_SMC_ANSWER, "fid %#llx",
	             (unsigned long long)x0);
	cr_expect_eq((int64_t)out[0], want, "fid %#llx: %lld", (unsigned long long)x0,
	             (long long)out[0]);
}

static uint32_t state(uint32_t cpu)
{
	return hp.cpu[cpu].state;
}

Test(host_psci, init_refuses_what_it_cannot_serve)
{
	const uint64_t dup[] = {0x100, 0x80000100};
	cr_expect_eq(hv_host_psci_init(&hp, EL2_ENTRY, mpidrs, 0, 0), HV_ERR_INVALID);
	cr_expect_eq(hv_host_psci_init(&hp, EL2_ENTRY, mpidrs, 4, 4), HV_ERR_INVALID);
	cr_expect_eq(hv_host_psci_init(&hp, EL2_ENTRY + 2, mpidrs, 4, 0), HV_ERR_INVALID);
	cr_expect_eq(hv_host_psci_init(&hp, EL2_ENTRY, dup, 2, 0), HV_ERR_INVALID, "same affinity");
	cr_expect_eq(hv_host_psci_init(&hp, EL2_ENTRY, mpidrs, HV_HOST_PSCI_MAX_CPUS + 1, 0),
	             HV_ERR_RANGE);
	cr_assert_eq(hv_host_psci_init(&hp, EL2_ENTRY, mpidrs, 4, 2), HV_OK);
	cr_expect_eq(state(2), HV_HOST_CPU_ON);
	cr_expect_eq(state(0), HV_HOST_CPU_OFF);
	cr_expect_eq(hv_host_psci_add_ram(&hp, RAM_BASE, 0), HV_ERR_INVALID);
	cr_expect_eq(hv_host_psci_add_ram(&hp, ~0ull - 0xfff, 0x2000), HV_ERR_INVALID);
	for (int i = 0; i < HV_HOST_PSCI_MAX_RAM; i++)
		cr_expect_eq(hv_host_psci_add_ram(&hp, RAM_BASE + (uint64_t)i * 0x1000, 0x1000),
		             HV_OK);
	cr_expect_eq(hv_host_psci_add_ram(&hp, 0x90000000, 0x1000), HV_ERR_RANGE);
}

Test(host_psci, informational_and_system_calls_go_to_firmware_unchanged, .init = setup)
{
	static const uint32_t fids[] = {HV_PSCI_VERSION,
	                                HV_PSCI_AFFINITY_INFO,
	                                HV_PSCI_AFFINITY_INFO_64,
	                                HV_PSCI_MIGRATE_INFO_TYPE,
	                                HV_PSCI_MIGRATE_INFO_UP_CPU,
	                                HV_PSCI_MIGRATE_INFO_UP_CPU_64,
	                                HV_PSCI_SYSTEM_OFF,
	                                HV_PSCI_SYSTEM_RESET,
	                                HV_PSCI_SYSTEM_RESET2,
	                                HV_PSCI_SYSTEM_RESET2_64,
	                                0x8400000d,
	                                0xc400000d,
	                                0x84000010,
	                                0xc4000010,
	                                0x84000011,
	                                0xc4000011};
	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		uint64_t out[4];
		uint64_t hi = 0xabcd000000000000ull;
		cr_expect_eq(call(1, hi | fids[i], hi | 0x100, hi | 2, hi | 3, out),
		             HV_HOST_SMC_FORWARD, "%#x", fids[i]);
		bool smc64 = fids[i] & 0x40000000u;
		cr_expect_eq(out[0], fids[i]);
		cr_expect_eq(out[1], smc64 ? (hi | 0x100) : 0x100, "%#x: SMC32 args are 32-bit",
		             fids[i]);
		cr_expect_eq(out[2], smc64 ? (hi | 2) : 2);
		cr_expect_eq(out[3], smc64 ? (hi | 3) : 3);
	}
	cr_expect_eq(hp.forwarded, sizeof(fids) / sizeof(fids[0]));
	for (uint32_t c = 0; c < 4; c++)
		cr_expect_eq(state(c), c == 0 ? HV_HOST_CPU_ON : HV_HOST_CPU_OFF);
}

Test(host_psci, calls_that_would_bypass_el2_are_refused_here, .init = setup)
{
	static const uint32_t fids[] = {HV_PSCI_MIGRATE,
	                                HV_PSCI_MIGRATE_64,
	                                0x8400000b /* CPU_FREEZE */,
	                                0x8400000f /* SET_SUSPEND_MODE */,
	                                HV_PSCI_SYSTEM_SUSPEND,
	                                HV_PSCI_SYSTEM_SUSPEND_64,
	                                0x84000013 /* MEM_PROTECT */,
	                                0x84000014,
	                                0xc4000014,
	                                0x84000015,
	                                0x8400001f,
	                                0xc4000000,
	                                0xc4000002,
	                                0xc400001f};
	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++)
		expect_answer(0, fids[i], RAM_BASE, RAM_BASE, 0, HV_PSCI_NOT_SUPPORTED);
	cr_expect_eq(hp.forwarded, 0);
	cr_expect_eq(hp.refused, sizeof(fids) / sizeof(fids[0]));
}

Test(host_psci, other_smcs_are_not_its_business, .init = setup)
{
	static const uint64_t fids[] = {0x80000000 /* SMCCC_VERSION */,
	                                0xc2000831 /* MTK SiP */,
	                                0x84000020,
	                                0xc4000020,
	                                0xbf000000,
	                                0x04000003,
	                                0x100000000ull /* not W0 */};
	for (unsigned i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		uint64_t out[4] = {7, 7, 7, 7};
		cr_expect_eq(call(0, fids[i], 0, 0, 0, out), HV_HOST_SMC_NOT_PSCI, "%#llx",
		             (unsigned long long)fids[i]);
		cr_expect_eq(out[0], 7);
	}
}

Test(host_psci, features_hides_what_is_refused, .init = setup)
{
	uint64_t out[4];
	cr_expect_eq(call(0, HV_PSCI_FEATURES, HV_PSCI_CPU_ON_64, 0, 0, out), HV_HOST_SMC_FORWARD);
	cr_expect_eq(out[0], HV_PSCI_FEATURES);
	cr_expect_eq(out[1], HV_PSCI_CPU_ON_64);
	cr_expect_eq(call(0, HV_PSCI_FEATURES, 0x80000000, 0, 0, out), HV_HOST_SMC_FORWARD,
	             "SMCCC_VERSION is the firmware's to describe");
	expect_answer(0, HV_PSCI_FEATURES, HV_PSCI_SYSTEM_SUSPEND, 0, 0, HV_PSCI_NOT_SUPPORTED);
	expect_answer(0, HV_PSCI_FEATURES, HV_PSCI_MIGRATE, 0, 0, HV_PSCI_NOT_SUPPORTED);
	expect_answer(0, HV_PSCI_FEATURES, 0x8400001e, 0, 0, HV_PSCI_NOT_SUPPORTED);
}

Test(host_psci, cpu_on_enters_el2_first_then_the_host_where_it_asked, .init = setup)
{
	uint64_t out[4];
	cr_assert_eq(call(0, HV_PSCI_CPU_ON_64, 0x100, 0x40280000, 0x1234abcd5678ull, out),
	             HV_HOST_SMC_FORWARD);
	cr_expect_eq(out[0], HV_PSCI_CPU_ON_64);
	cr_expect_eq(out[1], 0x100);
	cr_expect_eq(out[2], EL2_ENTRY, "the firmware starts the CPU at EL2's entry");
	cr_expect_eq(out[3], 1, "with its index as context ID");
	cr_expect_eq(state(1), HV_HOST_CPU_PENDING);
	/* Asked again before it arrived: ON_PENDING, no second firmware call. */
	expect_answer(2, HV_PSCI_CPU_ON_64, 0x100, 0x40280000, 0, HV_PSCI_ON_PENDING);
	const uint64_t in[4] = {HV_PSCI_CPU_ON_64, 0x100, 0x40280000, 0x1234abcd5678ull};
	const uint64_t ok[4] = {HV_PSCI_SUCCESS, 0, 0, 0};
	hv_host_psci_done(&hp, 0, in, ok);
	cr_expect_eq(state(1), HV_HOST_CPU_PENDING);
	uint32_t cpu;
	uint64_t entry, context;
	cr_expect_not(hv_host_psci_arrive(&hp, 1, 0x80000200, &cpu, &entry, &context),
	              "another CPU with CPU 1's token");
	cr_assert(hv_host_psci_arrive(&hp, 1, 0x81000100, &cpu, &entry, &context),
	          "MT and other non-affinity bits ignored");
	cr_expect_eq(cpu, 1);
	cr_expect_eq(entry, 0x40280000);
	cr_expect_eq(context, 0x1234abcd5678ull);
	cr_expect_eq(state(1), HV_HOST_CPU_ON);
	cr_expect_not(hv_host_psci_arrive(&hp, 1, 0x80000100, &cpu, &entry, &context),
	              "a second arrival has nothing to enter");
	cr_expect_not(hv_host_psci_arrive(&hp, 4, 0x80000100, &cpu, &entry, &context));
	cr_expect_not(hv_host_psci_arrive(&hp, 2, 0x80000200, &cpu, &entry, &context),
	              "no CPU_ON for CPU 2");
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x100, 0x40280000, 0, HV_PSCI_ALREADY_ON);
	expect_answer(1, HV_PSCI_CPU_ON_64, 0x000, 0x40280000, 0, HV_PSCI_ALREADY_ON);
}

Test(host_psci, smc32_cpu_on_takes_32_bit_arguments, .init = setup)
{
	uint64_t out[4];
	cr_assert_eq(call(0, 0xffffffff00000000ull | HV_PSCI_CPU_ON, 0xdead000000000200ull,
	                  0x5555555540280000ull, 0x77777777aabbccddull, out),
	             HV_HOST_SMC_FORWARD);
	cr_expect_eq(out[0], HV_PSCI_CPU_ON_64, "EL2's entry may be above 4 GiB: the SMC64 form");
	cr_expect_eq(out[1], 0x200);
	uint32_t cpu;
	uint64_t entry, context;
	cr_assert(hv_host_psci_arrive(&hp, out[3], 0x80000200, &cpu, &entry, &context));
	cr_expect_eq(entry, 0x40280000);
	cr_expect_eq(context, 0xaabbccdd);
}

Test(host_psci, firmware_refusing_cpu_on_leaves_the_cpu_off, .init = setup)
{
	uint64_t out[4];
	cr_assert_eq(call(0, HV_PSCI_CPU_ON_64, 0x300, 0x40280000, 0, out), HV_HOST_SMC_FORWARD);
	const uint64_t in[4] = {HV_PSCI_CPU_ON_64, 0x300, 0x40280000, 0};
	const uint64_t busy[4] = {(uint64_t)HV_PSCI_ALREADY_ON, 0, 0, 0};
	hv_host_psci_done(&hp, 0, in, busy);
	cr_expect_eq(state(3), HV_HOST_CPU_OFF);
	uint32_t cpu;
	uint64_t entry, context;
	cr_expect_not(hv_host_psci_arrive(&hp, 3, 0x80000300, &cpu, &entry, &context));
	cr_expect_eq(call(0, HV_PSCI_CPU_ON_64, 0x300, 0x40280000, 0, out), HV_HOST_SMC_FORWARD,
	             "tried again");
}

Test(host_psci, cpu_on_with_bad_arguments_changes_nothing, .init = setup)
{
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x400, RAM_BASE, 0, HV_PSCI_INVALID_PARAMETERS);
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x80000100, RAM_BASE, 0, HV_PSCI_INVALID_PARAMETERS);
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x10000000100ull, RAM_BASE, 0,
	              HV_PSCI_INVALID_PARAMETERS); /* bits outside the affinity fields */
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x100, RAM_BASE + RAM_SIZE, 0,
	              HV_PSCI_INVALID_ADDRESS); /* the hypervisor's own memory */
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x100, RAM_BASE - 4, 0, HV_PSCI_INVALID_ADDRESS);
	expect_answer(0, HV_PSCI_CPU_ON_64, 0x100, RAM_BASE + 2, 0, HV_PSCI_INVALID_ADDRESS);
	expect_answer(7, HV_PSCI_CPU_ON_64, 0x100, RAM_BASE, 0, HV_PSCI_INTERNAL_FAILURE);
	for (uint32_t c = 1; c < 4; c++)
		cr_expect_eq(state(c), HV_HOST_CPU_OFF);
	cr_expect_eq(hp.forwarded, 0);
}

Test(host_psci, cpu_off_goes_to_firmware_and_comes_back_only_when_refused, .init = setup)
{
	uint64_t out[4];
	expect_answer(1, HV_PSCI_CPU_OFF, 0, 0, 0, HV_PSCI_DENIED); /* CPU 1 is not the host's */
	cr_expect_eq(call(0, HV_PSCI_CPU_OFF, 0, 0, 0, out), HV_HOST_SMC_FORWARD);
	cr_expect_eq(out[0], HV_PSCI_CPU_OFF);
	cr_expect_eq(state(0), HV_HOST_CPU_OFF);
	const uint64_t in[4] = {HV_PSCI_CPU_OFF, 0, 0, 0};
	const uint64_t denied[4] = {(uint64_t)HV_PSCI_DENIED, 0, 0, 0};
	hv_host_psci_done(&hp, 0, in, denied);
	cr_expect_eq(state(0), HV_HOST_CPU_ON);
}

Test(host_psci, a_cpu_off_then_on_again_enters_el2_again, .init = setup)
{
	uint64_t out[4];
	cr_assert_eq(call(0, HV_PSCI_CPU_ON_64, 0x100, 0x40280000, 1, out), HV_HOST_SMC_FORWARD);
	uint32_t cpu;
	uint64_t entry, context;
	cr_assert(hv_host_psci_arrive(&hp, 1, 0x80000100, &cpu, &entry, &context));
	cr_assert_eq(call(1, HV_PSCI_CPU_OFF, 0, 0, 0, out), HV_HOST_SMC_FORWARD);
	cr_assert_eq(call(0, HV_PSCI_CPU_ON_64, 0x100, 0x40300000, 2, out), HV_HOST_SMC_FORWARD);
	cr_assert(hv_host_psci_arrive(&hp, 1, 0x80000100, &cpu, &entry, &context));
	cr_expect_eq(entry, 0x40300000);
	cr_expect_eq(context, 2);
}

Test(host_psci, suspends_resume_through_el2, .init = setup)
{
	uint64_t out[4];
	cr_assert_eq(call(0, HV_PSCI_CPU_SUSPEND_64, 0x40000001, 0x40290000, 0x99, out),
	             HV_HOST_SMC_FORWARD);
	cr_expect_eq(out[0], HV_PSCI_CPU_SUSPEND_64);
	cr_expect_eq(out[1], 0x40000001, "power_state unchanged");
	cr_expect_eq(out[2], EL2_ENTRY);
	cr_expect_eq(out[3], 0);
	cr_expect_eq(state(0), HV_HOST_CPU_SUSPENDING);
	expect_answer(1, HV_PSCI_CPU_ON_64, 0x000, 0x40280000, 0, HV_PSCI_ALREADY_ON);
	uint32_t cpu;
	uint64_t entry, context;
	cr_assert(hv_host_psci_arrive(&hp, 0, 0x80000000, &cpu, &entry, &context),
	          "power-down resume");
	cr_expect_eq(entry, 0x40290000);
	cr_expect_eq(context, 0x99);
	cr_expect_eq(state(0), HV_HOST_CPU_ON);

	/* A standby: the call returns, the CPU goes on running the host. */
	cr_assert_eq(call(0, HV_PSCI_CPU_SUSPEND, 0x1, 0x40290000, 0, out), HV_HOST_SMC_FORWARD);
	const uint64_t in[4] = {HV_PSCI_CPU_SUSPEND, 0x1, 0x40290000, 0};
	const uint64_t ok[4] = {0, 0, 0, 0};
	hv_host_psci_done(&hp, 0, in, ok);
	cr_expect_eq(state(0), HV_HOST_CPU_ON);
	cr_expect_not(hv_host_psci_arrive(&hp, 0, 0x80000000, &cpu, &entry, &context));

	cr_assert_eq(call(0, 0xc400000c, 0x40298000, 0x77, 0, out), HV_HOST_SMC_FORWARD);
	cr_expect_eq(out[0], 0xc400000c);
	cr_expect_eq(out[1], EL2_ENTRY, "CPU_DEFAULT_SUSPEND: entry is its first argument");
	cr_expect_eq(out[2], 0);
	cr_assert(hv_host_psci_arrive(&hp, 0, 0x80000000, &cpu, &entry, &context));
	cr_expect_eq(entry, 0x40298000);
	cr_expect_eq(context, 0x77);
	expect_answer(0, HV_PSCI_CPU_SUSPEND_64, 0x40000001, RAM_BASE + RAM_SIZE, 0,
	              HV_PSCI_INVALID_ADDRESS);
	cr_expect_eq(state(0), HV_HOST_CPU_ON);
	expect_answer(2, HV_PSCI_CPU_SUSPEND_64, 0, 0x40290000, 0, HV_PSCI_DENIED);
}

/* Racing CPU_ONs for one CPU from every other CPU: exactly one goes to the
 * firmware; the others answer ON_PENDING (it is pending throughout). */
#define RACERS 3
static pthread_barrier_t go;
static int forwards[RACERS], pendings[RACERS];

static void *racer(void *arg)
{
	uint32_t self = (uint32_t)(uintptr_t)arg;
	pthread_barrier_wait(&go);
	uint64_t out[4];
	enum hv_host_smc_action a = call(self, HV_PSCI_CPU_ON_64, 0x300, 0x40280000, self, out);
	forwards[self] += a == HV_HOST_SMC_FORWARD;
	pendings[self] += a == HV_HOST_SMC_ANSWER && (int64_t)out[0] == HV_PSCI_ON_PENDING;
	return NULL;
}

Test(host_psci, racing_cpu_ons_one_wins)
{
	for (int round = 0; round < 200; round++) {
		setup();
		pthread_barrier_init(&go, NULL, RACERS);
		pthread_t t[RACERS];
		for (uintptr_t i = 0; i < RACERS; i++) {
			forwards[i] = pendings[i] = 0;
			hp.cpu[i].state = HV_HOST_CPU_ON;
			pthread_create(&t[i], NULL, racer, (void *)i);
		}
		for (int i = 0; i < RACERS; i++)
			pthread_join(t[i], NULL);
		pthread_barrier_destroy(&go);
		int f = 0, p = 0, winner = -1;
		for (int i = 0; i < RACERS; i++) {
			f += forwards[i];
			p += pendings[i];
			if (forwards[i])
				winner = i;
		}
		cr_assert_eq(f, 1, "round %d", round);
		cr_assert_eq(p, RACERS - 1, "round %d", round);
		uint32_t cpu;
		uint64_t entry, context;
		cr_assert(hv_host_psci_arrive(&hp, 3, 0x80000300, &cpu, &entry, &context));
		cr_assert_eq(context, (uint64_t)winner, "the winner's context ID");
	}
}
