/* SPDX-License-Identifier: Apache-2.0 */
#ifndef EL2_IDREGS_HW_H
#define EL2_IDREGS_HW_H

#include <hv/idregs.h>

/* hw[HV_IDREG_INDEX(crm, op2)] = the CPU's ID register (CRm, op2). */
void el2_read_idregs(uint64_t hw[HV_IDREG_NR]);

#endif
