/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EL2_POOL_H
#define EL2_POOL_H

#include <hv/mm_ops.h>

extern const struct hv_mm_ops el2_pool_ops;
size_t el2_pool_live(void);

#endif
