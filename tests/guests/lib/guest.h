/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The contract guests' tiny runtime: PL011 output, PSCI over HVC, system
 * register access, exception reporting. Memory map: tests/guests/README.md.
 */
#ifndef GUEST_H
#define GUEST_H

#include <stdbool.h>
#include <stdint.h>

#define GUEST_RAM_BASE  0x40000000ul
#define GUEST_UART_BASE 0x09000000ul
#define GUEST_GICD_BASE 0x08000000ul
#define GUEST_GICR_BASE 0x080a0000ul
#define GUEST_HOLE_BASE 0x0a000000ul /* no memory, no device */

/* Saved by the vector code (lib/vectors.S). */
struct frame {
	uint64_t x[31];
	uint64_t elr;
	uint64_t spsr;
	uint64_t pad;
};

/* Vector kinds 0..15: (group << 2) | type; types sync 0, irq 1, fiq 2, serror 3;
 * groups: current EL SP0 0, current EL SPx 1, lower A64 2, lower A32 3. */
#define VEC_TYPE(kind) ((kind)&3u)
#define VEC_SYNC       0u
#define VEC_IRQ        1u

/* Handlers a guest may provide (weak defaults print and power off). */
void on_sync(struct frame *f, uint64_t esr, uint64_t far);
void on_irq(struct frame *f);
int main(void);
void secondary_main(uint64_t cpu);

/* x0..x3 at vCPU 0's entry (the boot protocol: x0 = device tree IPA). */
extern uint64_t boot_regs[4];

/* Console: the PL011 at guest_uart_base (GUEST_UART_BASE unless a guest
 * found it elsewhere, before its first output). */
extern uintptr_t guest_uart_base;
void putc_(char c);
void puts_(const char *s); /* no newline added */
void put_hex(uint64_t v);  /* 0x-prefixed, no leading zeros */
void put_dec(int64_t v);
void print(const char *label, uint64_t hex); /* "label0x...\n" */
/* A data abort's syndrome fields: "ec=.. isv=.. cm=.. wnr=.. fsc=.." */
void put_abort_esr(uint64_t esr);

/* PSCI 1.1 over HVC (SMCCC 1.1, DEN0028): x0 = function, x1..x3 args. */
uint64_t smccc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3);
void psci_system_off_status(uint32_t status) __attribute__((noreturn));
void psci_cpu_off(void) __attribute__((noreturn));

#define PSCI_VERSION       0x84000000u
#define PSCI_CPU_OFF       0x84000002u
#define PSCI_CPU_ON_64     0xc4000003u
#define PSCI_AFFINITY_INFO 0x84000004u
#define PSCI_SYSTEM_OFF    0x84000008u
#define PSCI_FEATURES      0x8400000au

#define read_sysreg(r)                                                                             \
	({                                                                                         \
		uint64_t v__;                                                                      \
		__asm__ volatile("mrs %0, " #r : "=r"(v__));                                       \
		v__;                                                                               \
	})
#define write_sysreg(r, v) __asm__ volatile("msr " #r ", %0" ::"r"((uint64_t)(v)))
#define isb()              __asm__ volatile("isb" ::: "memory")
#define dsb_sy()           __asm__ volatile("dsb sy" ::: "memory")
#define wfi()              __asm__ volatile("wfi" ::: "memory")
/* In a loop that waits for another vCPU: the YIELD hint (Arm ARM C6.2.430),
 * as Linux's cpu_relax(). A CPU that only spins never lets QEMU's
 * deterministic mode (-icount: the CPUs take turns) run the other one. */
#define cpu_relax()   __asm__ volatile("yield" ::: "memory")
#define irq_enable()  __asm__ volatile("msr daifclr, #2" ::: "memory")
#define irq_disable() __asm__ volatile("msr daifset, #2" ::: "memory")

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}
static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

#endif /* GUEST_H */

/* GICv3 (IHI 0069): distributor and redistributor registers the guests use. */
#define GICD_CTLR         0x0000u
#define GICD_CTLR_ENGRP1  (1u << 1)
#define GICD_CTLR_ARE     (1u << 4)
#define GICR_FRAME_SIZE   0x20000ul /* RD_base + SGI_base, 64 KiB each */
#define GICR_WAKER        0x0014u
#define GICR_WAKER_SLEEP  (1u << 1)
#define GICR_WAKER_ASLEEP (1u << 2)
#define GICR_SGI_BASE     0x10000u
#define GICR_IGROUPR0     (GICR_SGI_BASE + 0x0080u)
#define GICR_ISENABLER0   (GICR_SGI_BASE + 0x0100u)
#define GICR_IPRIORITYR   (GICR_SGI_BASE + 0x0400u)

/* Bring up this vCPU's GIC CPU interface and redistributor: wake the
 * redistributor, group 1 for INTIDs 0..31, PMR open, group 1 enabled. */
void gic_cpu_init(uint64_t cpu);
/* Enable a private interrupt (SGI/PPI) on this vCPU at a priority. */
void gic_enable_private(uint64_t cpu, unsigned intid, uint8_t prio);
/* Distributor: affinity routing and group 1 on (once, by vCPU 0). */
void gic_dist_init(void);
uint32_t gic_ack(void);       /* ICC_IAR1_EL1 */
void gic_eoi(uint32_t intid); /* ICC_EOIR1_EL1 */
/* SGI `intid` (0..15) to the vCPUs in `targets` (bit n = Aff0 n, Aff1..3 = 0). */
void gic_send_sgi(unsigned intid, uint16_t targets);

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}
