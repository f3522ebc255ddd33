/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random hypercall sequences against the server: fuzz bytes pick a function
 * (mostly valid IDs) and arguments from values that matter (live VMIDs,
 * tuples, host buffer PAs, page counts) or raw bytes. Host buffers hold
 * fuzz-written region descriptors. After every call:
 *   - an error return left the hypervisor state (every VM, vCPU, owner
 *     entry, table page count) and the server exactly as before;
 *   - every managed page has exactly one owner: the host, the hypervisor or
 *     a live VM.
 * Input: records of 1 (selector) + 7 x 2 (argument selectors) bytes, then
 * the rest fills host memory page 16 (region buffers).
 */
#include <hv/abi_server.h>
#include <hv/mem.h>
#include <hv/smccc.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/abi/abi_fixture.h"

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

static struct abi_env *env, *snap;
static uint16_t vmids[4];
static unsigned nr_vmids;

static uint64_t pick(const uint8_t *b)
{
	uint8_t kind = b[0], v = b[1];
	uint16_t vmid = nr_vmids ? vmids[v % nr_vmids] : v;
	switch (kind % 10) {
	case 0: return vmid;
	case 1: return HV_ABI_TUPLE(vmid, v % 10);
	case 2: return host_pa(v % 40);            /* host page */
	case 3: return host_pa(16);                /* the region buffer */
	case 4: return (host_pa(64 + v) >> 12);    /* a pfn */
	case 5: return (0x40000000u >> 12) + v;    /* a gfn */
	case 6: return v % 8;                      /* small count / slot */
	case 7: return (uint64_t)v << (kind >> 4); /* sizes */
	case 8: return 0;
	default: return (uint64_t)v * 0x9e3779b97f4a7c15ull;
	}
}

static void check_owners(void)
{
	for (uint32_t p = 0; p < HOST_PAGES; p++) {
		uint16_t owner, flags;
		CHECK(hv_pgown_get(&env->hyp.own, hv_pa(host_pa(p)), &owner, &flags) == HV_OK);
		if (owner == HV_OWNER_HOST || owner == HV_OWNER_HYP)
			continue;
		/* A VM's page: that VM exists (live, or dying: it keeps its
		 * pages until destroy has given them back). */
		bool found = false;
		for (unsigned i = 0; i < HV_MAX_VMS && !found; i++)
			found = env->hyp.vms[i].vmid == owner;
		CHECK(found);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!env) {
		env = malloc(sizeof(*env));
		snap = malloc(sizeof(*snap));
		CHECK(env && snap);
	}
	CHECK(abi_env_init(env));
	nr_vmids = 0;
	size_t nrec = size / 15 < 24 ? size / 15 : 24;
	const uint8_t *tail = data + nrec * 15;
	size_t tail_len = size - nrec * 15;
	if (tail_len > HV_PAGE_SIZE)
		tail_len = HV_PAGE_SIZE;
	memcpy(env->host + 16 * HV_PAGE_SIZE, tail, tail_len);

	for (size_t r = 0; r < nrec; r++) {
		const uint8_t *rec = data + r * 15;
		uint64_t in[8], out[4];
		uint8_t sel = rec[0];
		in[0] = sel < 240 ? HV_ABI_FN(sel % HV_ABI_NR_FN)
		                  : (sel & 1 ? HV_SMCCC_VERSION : 0xfb000fffu + sel);
		if (sel % 7 == 0 && sel < 240)
			in[0] = HV_ABI_FN(HV_ABI_PROBE);
		for (unsigned i = 1; i < 8; i++)
			in[i] = i < 6 ? pick(rec + 1 + 2 * (i - 1))
			              : (rec[11 + i - 6] & 0x80 ? rec[13] : 0);
		if (in[0] == HV_ABI_FN(HV_ABI_PROBE) && (rec[14] & 1))
			in[1] = 16;

		/* Snapshot everything an error must leave alone. */
		memcpy(snap->owners, env->owners, sizeof(env->owners));
		memcpy(&snap->hyp, &env->hyp, sizeof(env->hyp));
		memcpy(&snap->srv, &env->srv, sizeof(env->srv));
		size_t live = env->pool.live;

		hv_abi_server_call(&env->srv, in, out);
		int64_t ret = (int64_t)out[0];
		if (ret < 0 && ret != HV_ABI_ERR_BUSY) {
			CHECK(!memcmp(snap->owners, env->owners, sizeof(env->owners)));
			CHECK(!memcmp(&snap->hyp, &env->hyp, sizeof(env->hyp)));
			CHECK(!memcmp(&snap->srv, &env->srv, sizeof(env->srv)));
			CHECK(env->pool.live == live);
			CHECK(out[1] == 0 && out[2] == 0 && out[3] == 0);
		}
		if (in[0] == HV_ABI_FN(HV_ABI_CREATE_VM) && ret == 0 && nr_vmids < 4)
			vmids[nr_vmids++] = (uint16_t)out[1];
		check_owners();
	}
	/* Destroy every VM the host created: all table pages must come back. */
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		if (!env->hyp.vms[i].vmid)
			continue;
		hv_status_t st;
		int guard = 0;
		do {
			st = hv_vm_destroy(&env->hyp, env->hyp.vms[i].vmid, 0);
		} while (st == HV_BUSY && ++guard < 1000000);
	}
	CHECK(env->pool.live == 0);
	abi_env_fini(env);
	return 0;
}
