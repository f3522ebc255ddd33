/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading a payload: QEMU's generic loader puts it at the start of the
 * guest's RAM and an initramfs where hvcore.initrd says (both inside guest
 * RAM, see guest_config.c); for a Linux Image the hypervisor checks that
 * they and the device tree it writes into the last 64 KiB do not overlap.
 * Every payload then starts on vCPU 0 with x0 = the device tree, x1..x3 =
 * 0, MMU off, interrupts masked (booting.rst "Call the kernel image").
 */
#include "guest_boot.h"

#include <hv/inject.h>
#include <hv/psci.h>

#include "console.h"
#include "mmu.h"

/* arm64 Image header (booting.rst): offsets in bytes. */
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE        16
#define IMAGE_FLAGS       24
#define IMAGE_MAGIC       56
#define IMAGE_MAGIC_VALUE 0x644d5241u /* "ARM\x64" little-endian */
#define IMAGE_FLAG_BE     1u

static uint64_t ld64(uint64_t pa)
{
	return *(const volatile uint64_t *)(uintptr_t)pa;
}

static bool is_linux(const struct el2_guest_config *gc)
{
	return *(const volatile uint32_t *)(uintptr_t)(gc->ram_pa + IMAGE_MAGIC) ==
	       IMAGE_MAGIC_VALUE;
}

static bool apart(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a + a_size <= b || b + b_size <= a;
}

static void say(const char *what, uint64_t v)
{
	el2_puts(what);
	el2_put_hex(v);
}

/* An arm64 Image: where it runs (*entry_off) and how large it says it is. */
static hv_status_t place_image(const struct el2_guest_config *gc, uint64_t dt_off,
                               uint64_t *entry_off)
{
	uint64_t text_offset = ld64(gc->ram_pa + IMAGE_TEXT_OFFSET);
	uint64_t image_size = ld64(gc->ram_pa + IMAGE_SIZE);
	uint64_t flags = ld64(gc->ram_pa + IMAGE_FLAGS);
	/* The Image runs where the loader put it: at a 2 MiB aligned base
	 * with text_offset 0 (Linux >= 3.17 with a non-zero image_size). */
	if (text_offset != 0 || image_size == 0 || (flags & IMAGE_FLAG_BE))
		return HV_ERR_INVALID;
	if (image_size > dt_off)
		return HV_ERR_RANGE;
	uint64_t initrd_off = gc->initrd_pa - gc->ram_pa;
	if (gc->initrd_size && !apart(0, image_size, initrd_off, gc->initrd_size))
		return HV_ERR_RANGE;
	say("el2: Linux Image, image_size ", image_size);
	*entry_off = text_offset;
	return HV_OK;
}

hv_status_t el2_guest_boot_prepare(const struct el2_guest_config *gc, struct hv_guest_dt *dt,
                                   struct hv_vcpu *boot)
{
	if (gc->ram_size < HV_GUEST_DT_SLOT)
		return HV_ERR_RANGE;
	uint64_t dt_off = gc->ram_size - HV_GUEST_DT_SLOT;
	uint64_t initrd_off = gc->initrd_pa - gc->ram_pa;
	if (gc->initrd_size && !apart(dt_off, HV_GUEST_DT_SLOT, initrd_off, gc->initrd_size))
		return HV_ERR_RANGE;
	bool image = is_linux(gc);
	uint64_t entry_off = 0;
	hv_status_t st = image ? place_image(gc, dt_off, &entry_off) : HV_OK;
	if (st != HV_OK)
		return st;

	dt->ram_size = gc->ram_size;
	dt->bootargs = gc->cmdline;
	dt->geniezone = gc->host; /* the host of the hypercall server */
	dt->initrd_start = dt->initrd_end = 0;
	if (gc->initrd_size) {
		dt->initrd_start = dt->ram_ipa + initrd_off;
		dt->initrd_end = dt->initrd_start + gc->initrd_size;
	}
	void *blob = (void *)(uintptr_t)(gc->ram_pa + dt_off);
	if ((st = hv_guest_dt_build(blob, HV_GUEST_DT_MAX, dt)) != HV_OK)
		return st;
	/* The guest reads it with its MMU (and caches) off. */
	el2_dcache_clean(blob, HV_GUEST_DT_MAX);

	hv_memset(&boot->ctx.regs, 0, sizeof(boot->ctx.regs));
	boot->ctx.regs.pc = dt->ram_ipa + entry_off;
	boot->ctx.regs.x[0] = dt->ram_ipa + dt_off;
	boot->ctx.regs.pstate = HV_PSTATE_DAIF | HV_PSTATE_EL1H;
	boot->ctx.el1.sctlr_el1 = HV_SCTLR_EL1_RESET;
	if (!image)
		return HV_OK;
	if (gc->initrd_size) {
		say("; initramfs at IPA ", dt->initrd_start);
		say(", ", gc->initrd_size);
		el2_puts(" bytes");
	}
	say("; device tree at IPA ", dt->ram_ipa + dt_off);
	el2_puts("\n");
	return HV_OK;
}
