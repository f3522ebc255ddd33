/* SPDX-License-Identifier: Apache-2.0 */
/* The event-trace extension (TRACE_CTL, TRACE_READ): served only after
 * PROBE and only where the runtime has rings; hostile buffers, rings and
 * switches refused with nothing written; events come out whole, in order,
 * with the overwritten ones counted. */
#include <criterion/criterion.h>

#include "abi_fixture.h"

#define CPUS  2
#define ORDER 4 /* 16 events per ring */

static struct abi_env *env;
static struct hv_trace_event slots[CPUS][1u << ORDER];
static struct hv_trace_ring rings[CPUS];

static void setup(void)
{
	env = malloc(sizeof(*env));
	cr_assert(env && abi_env_init(env));
	for (uint16_t c = 0; c < CPUS; c++)
		cr_assert_eq(hv_trace_ring_init(&rings[c], slots[c], ORDER, c), HV_OK);
	hv_abi_server_set_trace(&env->srv, rings, CPUS);
}

static void teardown(void)
{
	abi_env_fini(env);
	free(env);
}

TestSuite(abi_trace, .init = setup, .fini = teardown);

static int64_t ctl(uint64_t on, uint64_t out[4])
{
	return hcall(env, HV_ABI_FN(HV_ABI_TRACE_CTL), on, 0, 0, 0, 0, out);
}

static int64_t read_ring(uint64_t cpu, uint64_t cursor, uint64_t pa, uint64_t bytes,
                         uint64_t out[4])
{
	return hcall(env, HV_ABI_FN(HV_ABI_TRACE_READ), cpu, cursor, pa, bytes, 0, out);
}

static void probe(void)
{
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_PROBE), 16, 0, 0, 0, 0, NULL), HV_ABI_OK);
}

Test(abi_trace, refused_before_probe_and_without_rings)
{
	uint64_t out[4];
	cr_assert_eq(ctl(1, out), HV_ABI_ERR_NOT_SUPPORTED, "extensions wait for PROBE too");
	cr_assert_not(rings[0].enabled);
	probe();
	hv_abi_server_set_trace(&env->srv, NULL, 0);
	cr_assert_eq(ctl(1, out), HV_ABI_ERR_NOT_SUPPORTED, "no rings: no trace");
	cr_assert_eq(read_ring(0, 0, host_pa(0), 32, out), HV_ABI_ERR_NOT_SUPPORTED);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_EXT_END), 0, 0, 0, 0, 0, out), -1,
	             "past the extensions: SMCCC NOT_SUPPORTED");
}

Test(abi_trace, ctl_switches_every_ring)
{
	uint64_t out[4];
	probe();
	cr_assert_eq(ctl(2, out), HV_ABI_ERR_INVALID_ARGS);
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_TRACE_CTL), 1, 1, 0, 0, 0, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved argument");
	cr_assert_not(rings[0].enabled || rings[1].enabled, "a refusal switches nothing");
	cr_assert_eq(ctl(1, out), HV_ABI_OK);
	cr_assert_eq(out[1], CPUS);
	cr_assert_eq(out[2], hv_arch_counter_freq());
	cr_assert(rings[0].enabled && rings[1].enabled);
	cr_assert_eq(ctl(0, out), HV_ABI_OK);
	cr_assert_not(rings[0].enabled || rings[1].enabled);
}

Test(abi_trace, read_refuses_hostile_buffers)
{
	uint64_t out[4];
	probe();
	struct hv_abi_trace_event *buf = env_page(env, 3);
	memset(buf, 0xa5, HV_PAGE_SIZE);
	hv_trace_set_enabled(&rings[0], true);
	hv_trace(&rings[0], 5, HV_TRACE_EXIT, 1, 0, 0x92000046u, 0x9000000);
	const struct {
		uint64_t cpu, pa, bytes;
	} bad[] = {
	    {CPUS, host_pa(3), 32},                      /* no such ring */
	    {0, host_pa(3) + 8, 32},                     /* misaligned */
	    {0, host_pa(3), 0},                          /* empty */
	    {0, host_pa(3), 48},                         /* not whole events */
	    {0, host_pa(3), HV_ABI_TRACE_READ_MAX + 32}, /* too long */
	    {0, HOST_PA_BASE - HV_PAGE_SIZE, 32},        /* not managed memory */
	    {0, host_pa(HOST_PAGES) - 32, 64},           /* runs past it */
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_assert_eq(read_ring(bad[i].cpu, 0, bad[i].pa, bad[i].bytes, out),
		             HV_ABI_ERR_INVALID_ARGS, "case %zu", i);
		cr_assert_eq(out[1] | out[2] | out[3], 0, "case %zu: no results", i);
	}
	cr_assert_eq(hcall(env, HV_ABI_FN(HV_ABI_TRACE_READ), 0, 0, host_pa(3), 32, 1, out),
	             HV_ABI_ERR_INVALID_ARGS, "reserved argument");
	for (size_t i = 0; i < HV_PAGE_SIZE; i++)
		cr_assert_eq(((uint8_t *)buf)[i], 0xa5, "a refused read wrote byte %zu", i);
}

Test(abi_trace, read_returns_events_in_order_and_counts_lost)
{
	uint64_t out[4];
	probe();
	cr_assert_eq(ctl(1, out), HV_ABI_OK);
	/* 20 events into a ring of 16: the first 4 are overwritten. */
	for (uint32_t i = 0; i < 20; i++)
		hv_trace(&rings[1], 100 + i, HV_TRACE_EXIT, 3, 1, 0x92000000u | i, 0x9000000 + i);
	struct hv_abi_trace_event *buf = env_page(env, 7);
	/* 10 at a time: the first read names the 4 lost ones. */
	cr_assert_eq(read_ring(1, 0, host_pa(7), 10 * 32, out), HV_ABI_OK);
	cr_assert_eq(out[1], 10);
	cr_assert_eq(out[2], 14, "cursor past what was read");
	cr_assert_eq(out[3], 4, "overwritten before the read");
	for (uint32_t i = 0; i < 10; i++) {
		cr_assert_eq(buf[i].ts, 104 + i);
		cr_assert_eq(buf[i].type, HV_TRACE_EXIT);
		cr_assert_eq(buf[i].cpu, 1);
		cr_assert_eq(buf[i].vm, 3);
		cr_assert_eq(buf[i].vcpu, 1);
		cr_assert_eq(buf[i].arg0, 0x92000000u | (4 + i));
		cr_assert_eq(buf[i].arg1, 0x9000000 + 4 + i);
		cr_assert_eq(buf[i].reserved, 0, "the slot's sequence is not passed on");
	}
	cr_assert_eq(read_ring(1, out[2], host_pa(7), HV_PAGE_SIZE, out), HV_ABI_OK);
	cr_assert_eq(out[1], 6);
	cr_assert_eq(out[2], 20);
	cr_assert_eq(out[3], 0);
	cr_assert_eq(buf[5].ts, 119);
	cr_assert_eq(read_ring(1, 20, host_pa(7), 32, out), HV_ABI_OK);
	cr_assert_eq(out[1], 0, "nothing new");
	cr_assert_eq(read_ring(0, 0, host_pa(7), 32, out), HV_ABI_OK);
	cr_assert_eq(out[1], 0, "the other CPU's ring is empty");
	/* Stopped: nothing more is recorded. */
	cr_assert_eq(ctl(0, out), HV_ABI_OK);
	hv_trace(&rings[1], 500, HV_TRACE_ENTER, 3, 1, 0, 0);
	cr_assert_eq(read_ring(1, 20, host_pa(7), 32, out), HV_ABI_OK);
	cr_assert_eq(out[1], 0);
}
