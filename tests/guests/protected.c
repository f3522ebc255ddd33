/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Contract guest for a protected VM (gzvm-vmm --protected, host mode): the
 * protected-guest calls and what the VMM can read of this VM's memory. The
 * VMM's probe (0x0B001000, ports/linux-kmod/vmm/probe.h) reads the page
 * the guest names through the VMM's own mapping of guest RAM and answers
 * its first 8 bytes, or all ones when that read raised SIGBUS.
 *   - vendor-hyp UID (GenieZone's) and HYP_MEMINFO;
 *   - a secret in private memory: the VMM's read faults;
 *   - MEM_SHARE of a page, a value written after: the VMM reads it; the
 *     page unshared again: the VMM's read faults;
 *   - refused calls: double share, unshare of a page not shared, bad IPAs;
 *   - MMIO guard: after ENROLL only guarded pages reach the VMM, an access
 *     to the probe once unguarded is an abort the VMM never sees.
 * After power-off the VMM destroys the VM and every page probed (and the
 * image's first) must read as zeros (gzvm-vmm checks, not this transcript).
 */
#include "lib/guest.h"

#define PROBE_IPA   0x0b001000ul
#define PROBE_DATA  0x0b001008ul
#define PROBE_COUNT 0x0b001010ul

#define VENDOR_HYP_UID    0x8600ff01u
#define HYP_MEMINFO       0xc6000002u
#define MEM_SHARE         0xc6000003u
#define MEM_UNSHARE       0xc6000004u
#define MMIO_GUARD_INFO   0xc6000005u
#define MMIO_GUARD_ENROLL 0xc6000006u
#define MMIO_GUARD_MAP    0xc6000007u
#define MMIO_GUARD_UNMAP  0xc6000008u

static volatile uint64_t secret[512] __attribute__((aligned(4096)));
static volatile uint64_t shared[512] __attribute__((aligned(4096)));
static volatile uint64_t never[512] __attribute__((aligned(4096)));
static volatile unsigned aborts;

void on_sync(struct frame *f, uint64_t esr, uint64_t far)
{
	puts_("  abort ");
	put_abort_esr(esr);
	print(" far=", far);
	aborts++;
	f->elr += 4;
}

static uint64_t vmm_reads(volatile void *p)
{
	*(volatile uint64_t *)PROBE_IPA = (uintptr_t)p;
	return *(volatile uint64_t *)PROBE_DATA;
}

static void call(const char *what, uint32_t fid, uint64_t a1)
{
	puts_(what);
	put_dec((int64_t)smccc(fid, a1, 0, 0));
	putc_('\n');
}

int main(void)
{
	print("vendor uid w0 ", smccc(VENDOR_HYP_UID, 0, 0, 0) & 0xffffffffu);
	print("meminfo ", smccc(HYP_MEMINFO, 0, 0, 0));
	secret[0] = 0x5ec2e7;
	never[0] = 0x7e7e;
	shared[0] = 1; /* mapped before it is shared */
	call("share ", MEM_SHARE, (uintptr_t)shared);
	shared[0] = 0xb0b0;
	print("vmm reads the shared page ", vmm_reads(shared));
	print("vmm reads the secret ", vmm_reads(secret));
	call("share again ", MEM_SHARE, (uintptr_t)shared);
	call("unshare ", MEM_UNSHARE, (uintptr_t)shared);
	print("vmm reads the unshared page ", vmm_reads(shared));
	call("unshare again ", MEM_UNSHARE, (uintptr_t)shared);
	call("unshare of a page never shared ", MEM_UNSHARE, (uintptr_t)never);
	call("share, misaligned ", MEM_SHARE, (uintptr_t)shared + 8);
	call("share of the hole ", MEM_SHARE, GUEST_HOLE_BASE);
	print("secret kept ", secret[0]);

	print("guard granule ", smccc(MMIO_GUARD_INFO, 0, 0, 0));
	call("guard the uart ", MMIO_GUARD_MAP, GUEST_UART_BASE);
	call("guard the probe ", MMIO_GUARD_MAP, PROBE_IPA);
	call("guard RAM ", MMIO_GUARD_MAP, (uintptr_t)never);
	call("enroll ", MMIO_GUARD_ENROLL, 0);
	uint64_t before = *(volatile uint64_t *)PROBE_COUNT;
	call("unguard the probe ", MMIO_GUARD_UNMAP, PROBE_IPA);
	uint64_t v = 0x99;
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(PROBE_COUNT) : "memory");
	print("value kept ", v);
	call("unguard it again ", MMIO_GUARD_UNMAP, PROBE_IPA);
	call("guard the probe ", MMIO_GUARD_MAP, PROBE_IPA);
	uint64_t after = *(volatile uint64_t *)PROBE_COUNT;
	print("probe accesses the vmm saw in between ", after - before - 1);
	print("aborts ", aborts);
	return aborts == 1 && after == before + 1 ? 0 : 1;
}
