/* SPDX-License-Identifier: Apache-2.0 */
/* Contract guest: UART output and a clean PSCI SYSTEM_OFF. */
#include "lib/guest.h"

int main(void)
{
	puts_("hello from the guest\n");
	print("psci version ", smccc(PSCI_VERSION, 0, 0, 0));
	puts_("bye\n");
	return 0;
}
