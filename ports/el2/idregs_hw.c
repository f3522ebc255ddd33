/* SPDX-License-Identifier: Apache-2.0 */
/* The CPU's ID space (op0 3, op1 0, CRn 0, CRm 1..7), read at EL2 for
 * core/exit's hv_idregs_init (unallocated encodings read as zero). */
#include "idregs_hw.h"

#include "sysreg.h"

#define READ1(crm, op2) hw[HV_IDREG_INDEX(crm, op2)] = read_sysreg(S3_0_C0_C##crm##_##op2);
#define READ_ROW(crm)                                                                              \
	READ1(crm, 0)                                                                              \
	READ1(crm, 1)                                                                              \
	READ1(crm, 2)                                                                              \
	READ1(crm, 3)                                                                              \
	READ1(crm, 4)                                                                              \
	READ1(crm, 5)                                                                              \
	READ1(crm, 6)                                                                              \
	READ1(crm, 7)

void el2_read_idregs(uint64_t hw[HV_IDREG_NR])
{
	READ_ROW(1)
	READ_ROW(2)
	READ_ROW(3)
	READ_ROW(4)
	READ_ROW(5)
	READ_ROW(6)
	READ_ROW(7)
}
