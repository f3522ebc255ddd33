/* SPDX-License-Identifier: Apache-2.0 */
/* Shared set-up for the stage-2 unit tests: a failing-on-demand pool and a
 * table snapshot (every leaf, in order) to prove "nothing changed". */
#ifndef HV_TEST_S2_FIXTURE_H
#define HV_TEST_S2_FIXTURE_H

#include <criterion/criterion.h>
#include <hv/s2.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>

#include "test_pool.h"

#define GIB          (1ull << 30)
#define MIB          (1ull << 20)
#define KIB          (1ull << 10)
#define NORMAL_RW    HV_S2_PROT_RW
#define POOL_PA_BASE 0x80000000ull

struct snapshot {
	size_t nr;
	struct snap_leaf {
		uint64_t ipa;
		unsigned level;
		uint64_t desc;
	} leaf[4096];
	struct hv_s2_stats stats;
};

static hv_status_t snap_leaf(void *arg, hv_ipa_t ipa, unsigned level, uint64_t desc)
{
	struct snapshot *s = arg;
	if (s->nr < 4096)
		s->leaf[s->nr] = (struct snap_leaf){hv_ipa_addr(ipa), level, desc};
	s->nr++;
	return HV_OK;
}

static inline void take_snapshot(const struct hv_s2_pgt *pgt, struct snapshot *s)
{
	memset(s, 0, sizeof(*s));
	struct hv_s2_visitor v = {.leaf = snap_leaf, .arg = s};
	cr_assert_eq(hv_s2_walk(pgt, hv_ipa(0), 1ull << pgt->ipa_bits, &v), HV_OK);
	hv_s2_get_stats(pgt, &s->stats);
}

static inline bool snapshots_equal(const struct snapshot *a, const struct snapshot *b)
{
	return a->nr == b->nr && !memcmp(a->leaf, b->leaf, sizeof(a->leaf)) &&
	       !memcmp(&a->stats, &b->stats, sizeof(a->stats));
}

static inline uint64_t s2_pa_of(const struct hv_s2_pgt *pgt, uint64_t ipa)
{
	struct hv_s2_leaf l;
	if (hv_s2_lookup(pgt, hv_ipa(ipa), &l) != HV_OK)
		return UINT64_MAX;
	return hv_pa_addr(l.pa);
}

/* Tear down completely, then no page may stay allocated. */
static inline void destroy_all(struct hv_s2_pgt *pgt, struct test_pool *pool)
{
	hv_status_t ret;
	do {
		uint64_t budget = 64;
		ret = hv_s2_destroy(pgt, &budget);
	} while (ret == HV_BUSY);
	cr_assert_eq(ret, HV_OK);
	cr_assert_eq(pool->live, 0, "pages leaked: %zu", pool->live);
	cr_assert_eq(pool->double_frees + pool->bad_frees, 0);
}

#endif
