/* SPDX-License-Identifier: Apache-2.0 */
/* Mode A's host stage 2 (host_s2.h), with core/s2 over the EL2 pool. */
#include "host_s2.h"

#include <hv/arch.h>
#include <hv/s2.h>

#include "pool.h"
#include "sysreg.h"

#define HOST_VMID 1
#define SPACE     (1ull << EL2_MTK_HOST_S2_BITS)
#define MAX_HOLES (1 + EL2_DT_MAX_NOMAP)

static struct hv_s2_pgt pgt;
static bool built;

struct range {
	uint64_t base, end;
};

/* Map [base, end) minus the holes (sorted, disjoint) with type. */
static hv_status_t map_around(uint64_t base, uint64_t end, const struct range *holes, unsigned n,
                              enum hv_s2_memtype type)
{
	uint32_t prot = type == HV_S2_MEM_NORMAL_WB ? HV_S2_PROT_RWX : HV_S2_PROT_RW;
	for (unsigned i = 0; i <= n && base < end; i++) {
		uint64_t stop = i < n && holes[i].base < end ? holes[i].base : end;
		if (stop > base) {
			hv_status_t st =
			    hv_s2_map(&pgt, hv_ipa(base), hv_pa(base), stop - base, prot, type, 0);
			if (st != HV_OK)
				return st;
		}
		if (i < n && holes[i].end > base)
			base = holes[i].end;
	}
	return HV_OK;
}

hv_status_t el2_mtk_host_s2_build(const struct el2_dt_platform *dt, uint64_t hyp, uint64_t hyp_size)
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
	/* Sorted by base (insertion sort: a handful of entries). */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && holes[j].base < holes[j - 1].base; j--) {
			struct range t = holes[j];
			holes[j] = holes[j - 1];
			holes[j - 1] = t;
		}
	for (unsigned i = 1; i < nr; i++)
		for (unsigned j = i; j > 0 && ram[j].base < ram[j - 1].base; j--) {
			struct range t = ram[j];
			ram[j] = ram[j - 1];
			ram[j - 1] = t;
		}
	hv_status_t st =
	    hv_s2_init(&pgt, &el2_pool_ops, HOST_VMID, EL2_MTK_HOST_S2_BITS, EL2_MTK_HOST_S2_BITS);
	uint64_t at = 0;
	for (unsigned i = 0; i <= nr && st == HV_OK; i++) {
		uint64_t dev_end = i < nr ? ram[i].base : SPACE;
		if (dev_end > at)
			st = map_around(at, dev_end, holes, n, HV_S2_MEM_DEVICE_nGnRE);
		if (st == HV_OK && i < nr) {
			st = map_around(ram[i].base, ram[i].end, holes, n, HV_S2_MEM_NORMAL_WB);
			at = ram[i].end;
		}
	}
	built = st == HV_OK;
	return st;
}

uint64_t el2_mtk_host_s2_load(void)
{
	if (!built)
		return 0;
	write_sysreg(vtcr_el2, hv_s2_vtcr(&pgt));
	write_sysreg(vttbr_el2, hv_s2_vttbr(&pgt));
	isb();
	__asm__ volatile("tlbi vmalls12e1\n\tdsb nsh\n\tisb" ::: "memory");
	return HCR_VM;
}

bool el2_mtk_host_s2_faults(uint64_t ipa, uint64_t *pa)
{
	__asm__ volatile("at s12e1r, %0" ::"r"(ipa));
	isb();
	uint64_t par = read_sysreg(par_el1);
	*pa = (par & 0x0000fffffffff000ull) | (ipa & 0xfff);
	return par & 1;
}
