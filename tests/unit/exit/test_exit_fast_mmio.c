/* SPDX-License-Identifier: Apache-2.0 */
/* hv_exit_fast_mmio: an access to the vGIC or the PL011 made on the fast
 * path leaves the vCPU, the devices and the vGIC exactly as
 * hv_vcpu_handle_exit leaves them; every exit it does not take (another
 * kind of abort, another device, a memslot, something in flight in the
 * vGIC, the timer line high) is refused with nothing changed; an access
 * that makes an interrupt pending for the vCPU asks for the full entry. */
#include <criterion/criterion.h>
#include <hv/pl011.h>
#include <hv/vcpu.h>
#include <stdlib.h>
#include "exit_fixture.h"
#include "../vgic/vgic_fixture.h"

#define UART           UINT64_C(0x09000000)
#define PLAIN_DEV      UINT64_C(0x0a000000)
#define GICD_TYPER_OFF 0x4u
#define GICD_ISPENDR1  0x204u /* SPIs 32..63 */
#define SPI            40u
#define REG_FILL       UINT64_C(0x1111222233334444)

/* A VM with a vGIC (2 vCPUs, vCPU 0 running), a PL011 and a device
 * without HV_MMIO_F_FAST. */
struct fast_vm {
	struct vgic_fixture g;
	struct hv_pl011 uart;
	struct fx_dev plain;
	unsigned tx_bytes;
};

static void tx(void *arg, uint8_t byte)
{
	(void)byte;
	((struct fast_vm *)arg)->tx_bytes++;
}

static void uart_line(void *arg, bool level)
{
	(void)arg;
	(void)level;
}

static struct fast_vm *fast_vm_new(void)
{
	struct fast_vm *f = calloc(1, sizeof(*f));
	cr_assert_not_null(f);
	sim_arch_reset();
	cr_assert_eq(vf_init(&f->g, 2, 64, 4), HV_OK);
	hv_pl011_init(&f->uart, tx, uart_line, f);
	cr_assert_eq(hv_pl011_attach(&f->uart, &f->g.vm.mmio, hv_ipa(UART)), HV_OK);
	struct hv_mmio_region r = {
	    .base = hv_ipa(PLAIN_DEV),
	    .size = 0x1000,
	    .access_sizes = HV_MMIO_SIZES_ALL,
	    .read = fx_dev_read,
	    .write = fx_dev_write,
	    .opaque = &f->plain,
	};
	cr_assert_eq(hv_mmio_bus_register(&f->g.vm.mmio, &r), HV_OK);
	vf_enable_groups(&f->g);
	struct hv_vcpu *v = &f->g.vcpus[0];
	v->power = HV_VCPU_ON;
	v->ctx.regs.pc = FX_PC;
	for (unsigned i = 0; i < 31; i++)
		v->ctx.regs.x[i] = REG_FILL + i;
	hv_vgic_flush(v); /* entered: nothing in flight */
	return f;
}

/* The exit as the runtime sees it: ESR, FAR (page offset) and HPFAR. */
static void trap(struct hv_vcpu *v, uint64_t esr, uint64_t ipa)
{
	fx_abort(v, esr, ipa, UINT64_C(0xffff000000000000) | ipa);
}

static enum hv_exit_fast fast(struct hv_vcpu *v, uint64_t esr, uint64_t ipa)
{
	return hv_exit_fast_mmio(v, esr, UINT64_C(0xffff000000000000) | ipa, (ipa >> 12) << 4);
}

static void assert_same_vcpu(const struct hv_vcpu *a, const struct hv_vcpu *b, size_t i)
{
	cr_assert_eq(memcmp(&a->ctx.regs, &b->ctx.regs, sizeof(a->ctx.regs)), 0,
	             "case %zu: registers differ", i);
	cr_assert_eq(memcmp(&a->ctx.exit, &b->ctx.exit, sizeof(a->ctx.exit)), 0,
	             "case %zu: syndrome differs", i);
	cr_assert_eq(memcmp(a->exit_state.stats, b->exit_state.stats, sizeof(a->exit_state.stats)),
	             0, "case %zu: counters differ", i);
	cr_assert_eq(a->exit_state.last_outcome, b->exit_state.last_outcome, "case %zu", i);
	cr_assert_eq(a->exit_state.pending.active, b->exit_state.pending.active, "case %zu", i);
	cr_assert_eq(a->host_exit.reason, b->host_exit.reason, "case %zu", i);
}

Test(exit_fast_mmio, accesses_made_as_the_full_exit_makes_them)
{
	/* Address, then SAS, SSE, SRT, SF, WnR of the syndrome. */
	static const struct {
		uint64_t ipa;
		unsigned sas;
		bool sse;
		unsigned srt;
		bool sf, wnr;
	} cases[] = {
	    {UART + HV_PL011_IBRD, 2, false, 3, false, true},                  /* STR W3 */
	    {VF_DIST + GICD_TYPER_OFF, 2, false, 5, false, false},             /* LDR W5 */
	    {VF_REDIST + 0x8, 3, false, 7, true, false},                       /* GICR_TYPER */
	    {VF_REDIST + HV_VGIC_REDIST_SIZE + 0x8, 2, false, 8, true, false}, /* vCPU 1's */
	    {UART + HV_PL011_FR, 1, true, 9, true, false},      /* LDRSH X9: sign-extended */
	    {UART + HV_PL011_IBRD, 2, false, 31, false, false}, /* LDR WZR: value dropped */
	    {UART + HV_PL011_DR, 0, false, 10, false, true},    /* STRB W10: one byte sent */
	    {VF_DIST + 0x400 + SPI, 0, false, 11, false, true}, /* STRB W11: a priority */
	};
	struct fast_vm *a = fast_vm_new(), *b = fast_vm_new();
	struct hv_vcpu *slow = &a->g.vcpus[0], *quick = &b->g.vcpus[0];
	for (size_t i = 0; i < HV_ARRAY_SIZE(cases); i++) {
		uint64_t esr = fx_dabt_isv(cases[i].sas, cases[i].sse, cases[i].srt, cases[i].sf,
		                           cases[i].wnr);
		if (cases[i].srt < 31) /* 31 is XZR/WZR: no register to preset */
			slow->ctx.regs.x[cases[i].srt] = quick->ctx.regs.x[cases[i].srt] =
			    UINT64_C(0xffffffff80008001) + i;
		slow->ctx.regs.pstate |= HV_PSTATE_SS; /* a guest single-stepping */
		quick->ctx.regs.pstate |= HV_PSTATE_SS;
		trap(slow, esr, cases[i].ipa);
		cr_assert_eq(hv_vcpu_handle_exit(slow), HV_ACTION_RESUME, "case %zu", i);
		cr_assert_eq(fast(quick, esr, cases[i].ipa), HV_FAST_RESUME, "case %zu", i);
		assert_same_vcpu(slow, quick, i);
		cr_assert(!(quick->ctx.regs.pstate & HV_PSTATE_SS), "case %zu: step not completed",
		          i);
		cr_assert_eq(memcmp(&a->uart, &b->uart, offsetof(struct hv_pl011, tx)), 0,
		             "case %zu: PL011 differs", i);
		cr_assert_eq(a->uart.tx_bytes, b->uart.tx_bytes, "case %zu", i);
		cr_assert_eq(
		    memcmp(a->g.vm.vgic.spis, b->g.vm.vgic.spis, sizeof(a->g.vm.vgic.spis)), 0,
		    "case %zu: vGIC differs", i);
	}
	cr_assert_eq(quick->ctx.regs.pc, FX_PC + 4 * HV_ARRAY_SIZE(cases));
	cr_assert_eq(a->tx_bytes, 1);
	cr_assert_eq(b->tx_bytes, 1);
	cr_assert_eq(vf_read(&b->g, VF_DIST + 0x400 + SPI, 1), 0x08, "STRB W11 (low byte 0x08)");
	cr_assert_eq(quick->ctx.regs.x[9], (uint64_t)(int64_t)(int16_t)0x0090, "FR: TXFE");
	cr_assert_eq(quick->ctx.regs.x[7] & 0xffffffffu, slow->ctx.regs.x[7] & 0xffffffffu);
	cr_assert_eq(quick->exit_state.stats[HV_STAT_MMIO_KERNEL], HV_ARRAY_SIZE(cases));
	free(a);
	free(b);
}

Test(exit_fast_mmio, everything_else_refused_untouched)
{
	struct fast_vm *f = fast_vm_new();
	struct hv_vcpu *v = &f->g.vcpus[0];
	uint64_t load = fx_dabt_isv(2, false, 1, false, false);
	uint32_t load_iss = (uint32_t)(load & 0x1ffffffu);
	static const struct {
		uint32_t set, clear;
		uint64_t ipa;
	} refused[] = {
	    {0, 1u << 24, UART},          /* ISV = 0: decoded from memory */
	    {1u << 7, 0, UART},           /* stage-1 walk */
	    {1u << 8, 0, UART},           /* cache maintenance */
	    {0x0d, 0x3f, UART},           /* permission fault, not translation */
	    {0, 0, PLAIN_DEV},            /* device without HV_MMIO_F_FAST */
	    {0, 0, UINT64_C(0x0b000000)}, /* no device: the host's */
	    {0, 0, UART + 2},             /* unaligned word */
	    {3u << 22, 0, UART},          /* 64 bits: the PL011 refuses them */
	};
	struct fast_vm *before = malloc(sizeof(*before));
	cr_assert_not_null(before);
	for (size_t i = 0; i < HV_ARRAY_SIZE(refused); i++) {
		uint64_t esr =
		    fx_esr(HV_EC_DABT_LOW, (load_iss & ~refused[i].clear) | refused[i].set);
		memcpy(before, f, sizeof(*f));
		cr_assert_eq(fast(v, esr, refused[i].ipa), HV_FAST_NONE, "case %zu", i);
		cr_assert_eq(memcmp(before, f, sizeof(*f)), 0, "case %zu changed something", i);
	}
	cr_assert_eq(f->plain.reads, 0);
	/* Not a data abort. */
	memcpy(before, f, sizeof(*f));
	cr_assert_eq(fast(v, fx_esr(HV_EC_HVC64, 0), UART), HV_FAST_NONE);
	cr_assert_eq(memcmp(before, f, sizeof(*f)), 0);

	/* A memslot over the device: demand paging comes first. */
	f->g.vm.life.mem.slots[1] = (struct hv_memslot){.base = UART, .size = 0x1000};
	f->g.vm.life.mem.slots_used = 1u << 1;
	memcpy(before, f, sizeof(*f));
	cr_assert_eq(fast(v, load, UART + HV_PL011_IBRD), HV_FAST_NONE);
	cr_assert_eq(memcmp(before, f, sizeof(*f)), 0);
	f->g.vm.life.mem.slots[1] = (struct hv_memslot){0};
	f->g.vm.life.mem.slots_used = 0;

	/* A vCPU not running. */
	v->power = HV_VCPU_ON_PENDING;
	memcpy(before, f, sizeof(*f));
	cr_assert_eq(fast(v, load, UART + HV_PL011_IBRD), HV_FAST_NONE);
	cr_assert_eq(memcmp(before, f, sizeof(*f)), 0);
	v->power = HV_VCPU_ON;

	/* The timer line high: the model may be stale. */
	v->vtimer.line = true;
	memcpy(before, f, sizeof(*f));
	cr_assert_eq(fast(v, load, UART + HV_PL011_IBRD), HV_FAST_NONE);
	cr_assert_eq(memcmp(before, f, sizeof(*f)), 0);
	v->vtimer.line = false;

	/* An interrupt in a list register: the model needs a sync. */
	vf_setup_irq(&f->g, 0, SPI, 0x80, true);
	hv_vgic_sync(v);
	(void)hv_vgic_pend_spi(&f->g.vm, SPI);
	hv_vgic_flush(v);
	cr_assert_eq(vf_lr_state(v, SPI), 1, "pending in an LR");
	memcpy(before, f, sizeof(*f));
	cr_assert_eq(fast(v, load, UART + HV_PL011_IBRD), HV_FAST_NONE);
	cr_assert_eq(memcmp(before, f, sizeof(*f)), 0);
	free(before);
	free(f);
}

Test(exit_fast_mmio, pending_for_this_vcpu_asks_for_the_full_entry)
{
	struct fast_vm *f = fast_vm_new();
	struct hv_vcpu *v = &f->g.vcpus[0];
	uint64_t str = fx_dabt_isv(2, false, 4, false, true);
	hv_vgic_sync(v);
	vf_setup_irq(&f->g, 0, SPI, 0x80, true);     /* routed to vCPU 0 */
	vf_setup_irq(&f->g, 1, SPI + 1, 0x80, true); /* routed to vCPU 1 */
	hv_vgic_flush(v);
	cr_assert(hv_vgic_vcpu_quiet(v));

	/* Pending for vCPU 1 only: this vCPU resumes, vCPU 1 is kicked. */
	v->ctx.regs.x[4] = 1u << (SPI + 1 - 32);
	cr_assert_eq(fast(v, str, VF_DIST + GICD_ISPENDR1), HV_FAST_RESUME);
	cr_assert_eq(f->g.kicks[1], 1);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 4);

	/* Pending for this vCPU: done once, then the flush puts it in an LR. */
	v->ctx.regs.x[4] = 1u << (SPI - 32);
	cr_assert_eq(fast(v, str, VF_DIST + GICD_ISPENDR1), HV_FAST_FLUSH);
	cr_assert_eq(v->ctx.regs.pc, FX_PC + 8);
	cr_assert(!hv_vgic_vcpu_quiet(v));
	hv_vgic_sync(v);
	hv_vgic_flush(v);
	cr_assert_eq(vf_lr_state(v, SPI), 1);
	free(f);
}
