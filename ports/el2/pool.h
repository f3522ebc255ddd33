/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EL2_POOL_H
#define EL2_POOL_H

#include <hv/mm_ops.h>

/* Filled by el2_pool_init (once, on the boot CPU, before any allocation). */
extern struct hv_mm_ops el2_pool_ops;
hv_status_t el2_pool_init(void);
size_t el2_pool_live(void);
size_t el2_pool_free(void);
/* The allocator's invariants (hv_palloc_check) */
hv_status_t el2_pool_check(void);

#endif
