/* SPDX-License-Identifier: Apache-2.0 */
/* A hypervisor instance with host memory in a simulated physical range,
 * driven through the hypercall server as the host driver would. */
#ifndef HV_TEST_ABI_FIXTURE_H
#define HV_TEST_ABI_FIXTURE_H

#include <hv/abi_server.h>
#include <hv/mem.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>

#include "test_pool.h"

#define HOST_PA_BASE 0x100000000ull
#define HOST_PAGES   1024u /* 4 MiB of managed memory, all host-owned at first */

struct abi_env {
	struct test_pool pool; /* hypervisor table pages */
	uint8_t *host;         /* managed memory, "physical" at HOST_PA_BASE */
	struct hv_page_owner owners[HOST_PAGES];
	struct hv_hyp hyp;
	struct hv_abi_server srv;
};

static const void *env_host_map(void *arg, hv_pa_t pa, uint64_t size)
{
	struct abi_env *e = arg;
	uint64_t a = hv_pa_addr(pa), end = HOST_PA_BASE + (uint64_t)HOST_PAGES * HV_PAGE_SIZE;
	if (a < HOST_PA_BASE || size > end - a || a > end)
		return NULL;
	return e->host + (a - HOST_PA_BASE);
}

static inline bool abi_env_init(struct abi_env *e)
{
	memset(e, 0, sizeof(*e));
	sim_arch_reset();
	if (!test_pool_init(&e->pool, 512, 0x80000000ull))
		return false;
	e->host = aligned_alloc(HV_PAGE_SIZE, (size_t)HOST_PAGES * HV_PAGE_SIZE);
	if (!e->host)
		return false;
	memset(e->host, 0, (size_t)HOST_PAGES * HV_PAGE_SIZE);
	return hv_hyp_init(&e->hyp, &e->pool.ops, 40, hv_pa(HOST_PA_BASE), HOST_PAGES, e->owners) ==
	           HV_OK &&
	       hv_abi_server_init(&e->srv, &e->hyp, env_host_map, e) == HV_OK;
}

static inline void abi_env_fini(struct abi_env *e)
{
	free(e->host);
	test_pool_destroy(&e->pool);
}

static inline int64_t hcall(struct abi_env *e, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
                            uint64_t a4, uint64_t a5, uint64_t out[4])
{
	uint64_t in[8] = {fid, a1, a2, a3, a4, a5, 0, 0};
	uint64_t tmp[4];
	hv_abi_server_call(&e->srv, in, out ? out : tmp);
	return (int64_t)(out ? out[0] : tmp[0]);
}

static inline uint64_t host_pa(uint32_t page)
{
	return HOST_PA_BASE + (uint64_t)page * HV_PAGE_SIZE;
}

#endif
