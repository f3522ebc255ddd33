/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What mode A's host stage 2 maps (host_s2.h), as plain C over core/s2, so
 * a host test (tests/port/test_host_s2.c) checks the table it builds.
 */
#include "host_s2.h"

#define SPACE     (1ull << EL2_MTK_HOST_S2_BITS)
#define MAX_HOLES (1 + EL2_DT_MAX_NOMAP)

struct range {
	uint64_t base, end;
};

/* Insertion sort by base: a handful of entries. */
static void sort_by_base(struct range *r, unsigned n)
{
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && r[j].base < r[j - 1].base; j--) {
			struct range t = r[j];
			r[j] = r[j - 1];
			r[j - 1] = t;
		}
}

/* Map [base, end) minus the holes (sorted, disjoint) with type. */
static hv_status_t map_around(struct hv_s2_pgt *pgt, uint64_t base, uint64_t end,
                              const struct range *holes, unsigned n, enum hv_s2_memtype type)
{
	uint32_t prot = type == HV_S2_MEM_NORMAL_WB ? HV_S2_PROT_RWX : HV_S2_PROT_RW;
	for (unsigned i = 0; i <= n && base < end; i++) {
		uint64_t stop = i < n && holes[i].base < end ? holes[i].base : end;
		if (stop > base) {
			hv_status_t st =
			    hv_s2_map(pgt, hv_ipa(base), hv_pa(base), stop - base, prot, type, 0);
			if (st != HV_OK)
				return st;
		}
		if (i < n && holes[i].end > base)
			base = holes[i].end;
	}
	return HV_OK;
}

hv_status_t el2_mtk_host_s2_map(struct hv_s2_pgt *pgt, const struct el2_dt_platform *dt,
                                uint64_t hyp, uint64_t hyp_size)
{
	struct range holes[MAX_HOLES], ram[EL2_DT_MAX_MEM];
	unsigned n = 0, nr = 0;
	holes[n++] = (struct range){hyp & ~0xfffull, (hyp + hyp_size + 0xfff) & ~0xfffull};
	for (uint32_t i = 0; i < dt->nr_nomap && n < MAX_HOLES; i++)
		holes[n++] =
		    (struct range){dt->nomap[i].base & ~0xfffull,
		                   (dt->nomap[i].base + dt->nomap[i].size + 0xfff) & ~0xfffull};
	for (uint32_t i = 0; i < dt->nr_mem; i++) {
		if (dt->mem[i].base >= SPACE || dt->mem[i].size > SPACE - dt->mem[i].base)
			return HV_ERR_RANGE;
		ram[nr++] = (struct range){dt->mem[i].base, dt->mem[i].base + dt->mem[i].size};
	}
	sort_by_base(holes, n);
	sort_by_base(ram, nr);
	hv_status_t st = HV_OK;
	uint64_t at = 0;
	for (unsigned i = 0; i <= nr && st == HV_OK; i++) {
		uint64_t dev_end = i < nr ? ram[i].base : SPACE;
		if (dev_end > at)
			st = map_around(pgt, at, dev_end, holes, n, HV_S2_MEM_DEVICE_nGnRE);
		if (st == HV_OK && i < nr) {
			st =
			    map_around(pgt, ram[i].base, ram[i].end, holes, n, HV_S2_MEM_NORMAL_WB);
			at = ram[i].end;
		}
	}
	return st;
}
