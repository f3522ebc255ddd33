/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PSCI CPU_ON raced by three vCPUs on three threads for one target
 * (DEN0022D 5.6), 2000 rounds: from OFF exactly one SUCCESS and the others
 * ON_PENDING (the target is pending: nobody entered it); once the runtime
 * has entered it, every racer answers ALREADY_ON, never ON_PENDING. The
 * claim is held for a few instructions, so threads rarely meet inside it:
 * test_exit_psci.c holds it by hand to check the loser's answers exactly.
 */
#include <criterion/criterion.h>
#include <hv/psci.h>
#include <pthread.h>
#include "exit_fixture.h"

#define RACERS 3
#define ROUNDS 2000
#define TARGET 3u

static struct exit_fixture fx;
static pthread_barrier_t start, done;
static int64_t answers[RACERS];

static void *racer(void *arg)
{
	struct hv_vcpu *c = &fx.vcpus[(uintptr_t)arg];
	for (int r = 0; r < 2 * ROUNDS; r++) {
		pthread_barrier_wait(&start);
		c->ctx.regs.x[0] = HV_PSCI_CPU_ON_64;
		c->ctx.regs.x[1] = TARGET;
		c->ctx.regs.x[2] = 0x1000;
		c->ctx.regs.x[3] = 0;
		fx_trap(c, 0x5e000000);
		hv_vcpu_handle_exit(c);
		answers[(uintptr_t)arg] = (int64_t)c->ctx.regs.x[0];
		pthread_barrier_wait(&done);
	}
	return NULL;
}

Test(psci_race, losers_answer_from_the_target_state)
{
	fx_init(&fx);
	fx.vm.life.mem.slots[0] = (struct hv_memslot){.base = 0, .size = UINT64_C(1) << 30};
	fx.vm.life.mem.slots_used = 1u;
	for (unsigned i = 0; i < FX_NR_VCPUS; i++)
		fx.vcpus[i].ctx.el1.mpidr_el1 = HV_BIT(31) | i;
	struct hv_vcpu *t = &fx.vcpus[TARGET];
	pthread_barrier_init(&start, NULL, RACERS + 1);
	pthread_barrier_init(&done, NULL, RACERS + 1);
	pthread_t th[RACERS];
	for (uintptr_t i = 0; i < RACERS; i++)
		pthread_create(&th[i], NULL, racer, (void *)i);
	int bad_off = 0, bad_on = 0;
	for (int r = 0; r < ROUNDS; r++) {
		t->power = HV_VCPU_OFF; /* round from OFF */
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		int success = 0, pending = 0;
		for (int i = 0; i < RACERS; i++) {
			success += answers[i] == HV_PSCI_SUCCESS;
			pending += answers[i] == HV_PSCI_ON_PENDING;
		}
		bad_off += success != 1 || pending != RACERS - 1;
		hv_psci_vcpu_entering(t); /* round with the target on */
		pthread_barrier_wait(&start);
		pthread_barrier_wait(&done);
		for (int i = 0; i < RACERS; i++)
			bad_on += answers[i] != HV_PSCI_ALREADY_ON;
	}
	for (int i = 0; i < RACERS; i++)
		pthread_join(th[i], NULL);
	cr_assert_eq(bad_off, 0, "%d rounds from OFF without exactly one SUCCESS", bad_off);
	cr_assert_eq(bad_on, 0, "%d answers other than ALREADY_ON to a target that is on", bad_on);
	cr_assert_eq(t->exit_state.psci_busy, 0u, "every claim released");
}
