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
	uint8_t *host;         /* managed memory */
	uint64_t pa_base;      /* its physical address */
	uint32_t pages;
	struct hv_page_owner *owners;
	struct hv_hyp hyp;
	struct hv_abi_server srv;
};

static void *env_host_map(void *arg, hv_pa_t pa, uint64_t size)
{
	struct abi_env *e = arg;
	uint64_t a = hv_pa_addr(pa), end = e->pa_base + (uint64_t)e->pages * HV_PAGE_SIZE;
	if (a < e->pa_base || a > end || size > end - a)
		return NULL;
	return e->host + (a - e->pa_base);
}

/* Hypervisor and server over the same memory, as after boot (the pool and
 * the host memory are kept: a fuzzer reuses them between inputs). */
static inline bool abi_env_restart(struct abi_env *e)
{
	sim_arch_reset();
	return hv_hyp_init(&e->hyp, &e->pool.ops, 40, hv_pa(e->pa_base), e->pages, e->owners) ==
	           HV_OK &&
	       hv_abi_server_init(&e->srv, &e->hyp, env_host_map, e) == HV_OK;
}

/* `pages` of host memory aligned to `align`; identity: its physical
 * addresses are its host addresses (what the sim runtime needs), else they
 * start at HOST_PA_BASE. */
static inline bool abi_env_init_with(struct abi_env *e, uint32_t pages, size_t align, bool identity)
{
	memset(e, 0, sizeof(*e));
	if (!test_pool_init(&e->pool, 512, 0x80000000ull))
		return false;
	e->pages = pages;
	e->host = aligned_alloc(align, (size_t)pages * HV_PAGE_SIZE);
	e->owners = calloc(pages, sizeof(*e->owners));
	if (!e->host || !e->owners)
		return false;
	memset(e->host, 0, (size_t)pages * HV_PAGE_SIZE);
	e->pa_base = identity ? (uint64_t)(uintptr_t)e->host : HOST_PA_BASE;
	return abi_env_restart(e);
}

static inline bool abi_env_init(struct abi_env *e)
{
	return abi_env_init_with(e, HOST_PAGES, HV_PAGE_SIZE, false);
}

static inline void abi_env_fini(struct abi_env *e)
{
	free(e->host);
	free(e->owners);
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

/* Physical address and host pointer of host page `page`. */
static inline uint64_t env_pa(const struct abi_env *e, uint32_t page)
{
	return e->pa_base + (uint64_t)page * HV_PAGE_SIZE;
}
static inline void *env_page(const struct abi_env *e, uint32_t page)
{
	return e->host + (size_t)page * HV_PAGE_SIZE;
}

/* For the fixed-base environment (abi_env_init). */
static inline uint64_t host_pa(uint32_t page)
{
	return HOST_PA_BASE + (uint64_t)page * HV_PAGE_SIZE;
}

#endif
