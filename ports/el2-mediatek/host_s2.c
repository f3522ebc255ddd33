/* SPDX-License-Identifier: Apache-2.0 */
/* Mode A's host stage 2 (host_s2.h), with core/s2 over the EL2 pool. */
#include "host_s2.h"

#include <hv/arch.h>
#include <hv/s2.h>

#include "pool.h"
#include "sysreg.h"

#define HOST_VMID 1

static struct hv_s2_pgt pgt;
static bool built;

hv_status_t el2_mtk_host_s2_build(const struct el2_dt_platform *dt, uint64_t hyp, uint64_t hyp_size)
{
	hv_status_t st =
	    hv_s2_init(&pgt, &el2_pool_ops, HOST_VMID, EL2_MTK_HOST_S2_BITS, EL2_MTK_HOST_S2_BITS);
	if (st == HV_OK)
		st = el2_mtk_host_s2_map(&pgt, dt, hyp, hyp_size);
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

struct hv_s2_pgt *el2_mtk_host_s2_pgt(void)
{
	return built ? &pgt : NULL;
}

bool el2_mtk_host_s2_faults(uint64_t ipa, uint64_t *pa)
{
	__asm__ volatile("at s12e1r, %0" ::"r"(ipa));
	isb();
	uint64_t par = read_sysreg(par_el1);
	*pa = (par & 0x0000fffffffff000ull) | (ipa & 0xfff);
	return par & 1;
}
