/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Mode A's host stage 2 (host_s2.h) written into a core/s2 table: which
 * ranges the host gets, and as what, is core's policy (hv/host_layout.h:
 * RAM minus EL2 and the carveouts, devices, rounding, precedence); this
 * file only hands it the board's ranges and maps its answer. Plain C, so a
 * host test (tests/port/test_host_s2.c) checks the table it builds.
 */
#include "host_s2.h"

#include <hv/host_layout.h>

/* Every range edge may start an output range (hv/host_layout.h). */
#define MAX_MAPS (2 * (EL2_DT_MAX_MEM + EL2_DT_MAX_NOMAP + 2) + 1)

hv_status_t el2_mtk_host_s2_map(struct hv_s2_pgt *pgt, const struct el2_dt_platform *dt,
                                uint64_t hyp, uint64_t hyp_size)
{
	static struct hv_range ram[EL2_DT_MAX_MEM], nomap[EL2_DT_MAX_NOMAP];
	static struct hv_host_map maps[MAX_MAPS]; /* boot only, one CPU */
	uint32_t nr_ram = dt->nr_mem < EL2_DT_MAX_MEM ? dt->nr_mem : EL2_DT_MAX_MEM;
	uint32_t nr_nomap = dt->nr_nomap < EL2_DT_MAX_NOMAP ? dt->nr_nomap : EL2_DT_MAX_NOMAP;
	for (uint32_t i = 0; i < nr_ram; i++)
		ram[i] = (struct hv_range){dt->mem[i].base, dt->mem[i].size};
	for (uint32_t i = 0; i < nr_nomap; i++)
		nomap[i] = (struct hv_range){dt->nomap[i].base, dt->nomap[i].size};
	const struct hv_range own = {hyp, hyp_size};
	/* No list of the SoC's devices yet: all that is not RAM is Device. */
	const struct hv_range devices = {0, 1ull << EL2_MTK_HOST_S2_BITS};
	const struct hv_host_layout_in in = {
	    .space = 1ull << EL2_MTK_HOST_S2_BITS,
	    .ram = ram,
	    .nr_ram = nr_ram,
	    .nomap = nomap,
	    .nr_nomap = nr_nomap,
	    .own = &own,
	    .nr_own = 1,
	    .devices = &devices,
	    .nr_devices = 1,
	};
	uint32_t n;
	hv_status_t st = hv_host_layout(&in, maps, MAX_MAPS, &n);
	for (uint32_t i = 0; st == HV_OK && i < n; i++)
		st = hv_s2_map(pgt, hv_ipa(maps[i].base), hv_pa(maps[i].base), maps[i].size,
		               maps[i].prot, maps[i].type, 0);
	return st;
}
