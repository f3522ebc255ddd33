/* SPDX-License-Identifier: Apache-2.0 */
/* Fixture for core/mem and core/vm tests: a hypervisor instance managing
 * 16 MiB of "guest RAM" frames at GUEST_PA, table pages from a test pool. */
#ifndef MEM_FIXTURE_H
#define MEM_FIXTURE_H

#include <criterion/criterion.h>
#include <hv/mem.h>
#include <hv/vm_lifecycle.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>
#include "test_pool.h"

#define GUEST_PA    UINT64_C(0x80000000)
#define GUEST_PFN   (GUEST_PA >> 12)
#define MANAGED_PGS 4096u /* 16 MiB */
#define POOL_PAGES  256u
#define POOL_PA     UINT64_C(0x10000000)
#define RAM_IPA     UINT64_C(0x40000000)

struct mem_fx {
	struct hv_hyp *hyp;
	struct hv_page_owner *owners;
	struct test_pool pool;
	struct hv_vm *vm;
	struct hv_vcpu *vcpu;
	uint16_t vmid;
};

static struct mem_fx fx;

static inline void fx_setup(void)
{
	memset(&fx, 0, sizeof(fx));
	sim_arch_reset();
	fx.hyp = calloc(1, sizeof(*fx.hyp));
	fx.owners = calloc(MANAGED_PGS, sizeof(*fx.owners));
	cr_assert(fx.hyp && fx.owners);
	cr_assert(test_pool_init(&fx.pool, POOL_PAGES, POOL_PA));
	cr_assert_eq(hv_hyp_init(fx.hyp, &fx.pool.ops, 40, hv_pa(GUEST_PA), MANAGED_PGS, fx.owners),
	             HV_OK);
	struct hv_vm_config cfg = {.ipa_bits = 40};
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &fx.vmid), HV_OK);
	fx.vm = hv_vm_find(fx.hyp, fx.vmid);
	cr_assert_not_null(fx.vm);
	cr_assert_eq(hv_vcpu_create(fx.vm, 0, &fx.vcpu), HV_OK);
}

static inline void fx_teardown(void)
{
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		if (fx.hyp->vms[i].life.state != HV_VM_FREE)
			while (hv_vm_destroy(fx.hyp, fx.hyp->vms[i].vmid, 0) == HV_BUSY)
				;
	cr_assert_eq(fx.pool.live, 0, "table pages leaked: %zu", fx.pool.live);
	test_pool_destroy(&fx.pool);
	free(fx.owners);
	free(fx.hyp);
}

static inline uint16_t owner_of(uint64_t pfn)
{
	uint16_t owner = 0xbeef, flags;
	cr_assert_eq(hv_pgown_get(&fx.hyp->own, hv_pa(pfn << 12), &owner, &flags), HV_OK);
	return owner;
}

static inline uint16_t flags_of(uint64_t pfn)
{
	uint16_t owner, flags = 0xbeef;
	cr_assert_eq(hv_pgown_get(&fx.hyp->own, hv_pa(pfn << 12), &owner, &flags), HV_OK);
	return flags;
}

/* Every page owned by a VM is pinned by exactly that VM at some IPA, and
 * the counts agree: the ownership invariant. */
static inline void check_invariant(void)
{
	uint64_t owned_total = 0;
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		const struct hv_vm *vm = &fx.hyp->vms[i];
		if (vm->life.state == HV_VM_FREE)
			continue;
		uint64_t owned = hv_pgown_count(&fx.hyp->own, vm->vmid);
		cr_assert_eq(owned, vm->life.mem.nr_pinned, "vm %u owns %llu pins %llu", vm->vmid,
		             (unsigned long long)owned, (unsigned long long)vm->life.mem.nr_pinned);
		owned_total += owned;
	}
	uint64_t host = hv_pgown_count(&fx.hyp->own, HV_OWNER_HOST);
	uint64_t hyp = hv_pgown_count(&fx.hyp->own, HV_OWNER_HYP);
	cr_assert_eq(host + hyp + owned_total, MANAGED_PGS);
}

#endif /* MEM_FIXTURE_H */
