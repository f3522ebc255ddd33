/* SPDX-License-Identifier: Apache-2.0 */
/*
 * hv_s2_destroy: bounded, resumable teardown. Each step frees one table
 * that has no table below it (post-order), so a call does at most
 * `budget` frees and a bounded scan per free.
 */
#include "s2_internal.h"

/* Out of line so fuzz builds can leave this scan uninstrumented
 * (tests/fuzz/coverage-ignore.txt): one compare per entry, nothing to learn. */
static __attribute__((noinline)) unsigned first_table(const uint64_t *t, unsigned nr,
                                                      unsigned level)
{
	for (unsigned i = 0; i < nr; i++)
		if (s2_is_table(hv_s2_desc_clean(t[i]), level))
			return i;
	return nr;
}

hv_status_t hv_s2_destroy(struct hv_s2_pgt *pgt, uint64_t *budget)
{
	if (!pgt || !pgt->root || !budget || *budget == 0)
		return HV_ERR_INVALID;
	if (!pgt->destroy.started) {
		pgt->destroy.started = true;
		s2_cursor_reset(pgt);
		hv_arch_dsb_ishst();
		hv_arch_tlbi_vmid(pgt->vmid);
		hv_arch_dsb_ish();
	}
	const unsigned root_entries = (unsigned)pgt->nr_root_tables * HV_S2_ENTRIES;
	while (*budget > 0) {
		uint64_t *parent = NULL, *t = pgt->root;
		unsigned parent_idx = 0, nr = root_entries, level = pgt->start_level;
		for (;;) {
			unsigned i = first_table(t, nr, level);
			if (i == nr)
				break;
			parent = t;
			parent_idx = i;
			t = s2_table_va(pgt, hv_s2_desc_clean(t[i]));
			nr = HV_S2_ENTRIES;
			level++;
		}
		if (!parent) { /* only the root is left */
			for (unsigned i = 0; i < pgt->nr_root_tables; i++)
				pgt->mm->free_page(pgt->mm->pool,
				                   (uint8_t *)pgt->root + i * HV_PAGE_SIZE);
			pgt->root = NULL;
			hv_memset(&pgt->stats, 0, sizeof(pgt->stats));
			pgt->destroy.done = true;
			(*budget)--;
			return HV_OK;
		}
		s2_write(&parent[parent_idx], 0);
		pgt->mm->free_page(pgt->mm->pool, t);
		pgt->stats.table_pages--;
		(*budget)--;
	}
	return HV_BUSY;
}
