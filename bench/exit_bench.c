/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit dispatch cost on the host (sim runtime), per exit:
 *   mmio_isv1_ns    ISV=1 store to a registered device whose callback does nothing
 *   mmio_isv0_ns    the same for an STP decoded from the instruction word
 *   psci_version_ns HVC PSCI_VERSION
 *   unknown_ec_ns   an unknown exception class injected as UNDEF
 *   floor_dispatch_ns the floor: the least any exit dispatcher does, one
 *                   indirect call through a 64-entry table indexed by
 *                   ESR_EL2.EC whose handler reads one ISS field (SRT) and
 *                   writes that register of the vCPU's register file; same
 *                   harness (the ISV=1 syndrome written before each call)
 *   <key>_vs_floor  each figure divided by floor_dispatch_ns
 * Each round times a batch of every case (so machine noise hits them
 * alike); figures are medians over the rounds, CPU time of this thread.
 */
#include <hv/esr.h>
#include <hv/exit.h>
#include <hv/inject.h>
#include <hv/psci.h>
#include <hv/vm.h>
#include <hvsim/arch_sim.h>
#include <string.h>

#include "bench_util.h"

#define BATCH   200000u
#define ROUNDS  15u
#define NBATCH  bench_scaled(BATCH, 100u)
#define NROUNDS bench_rounds(ROUNDS)
#define DEV_IPA 0x09000000ull
#define DEV_VA  0xffff000009000000ull
#define PC0     0xffff800010001000ull

static struct hv_vm vm;
static struct hv_vcpu vcpu;
static uint64_t writes;

static hv_status_t nop_write(struct hv_vcpu *v, void *opaque, uint64_t offset, unsigned size,
                             uint64_t value)
{
	(void)v;
	(void)opaque;
	(void)offset;
	(void)size;
	(void)value;
	return HV_OK;
}

static hv_status_t nop_read(struct hv_vcpu *v, void *opaque, uint64_t offset, unsigned size,
                            uint64_t *value)
{
	(void)v;
	(void)opaque;
	(void)offset;
	(void)size;
	*value = 0;
	return HV_OK;
}

static hv_status_t fetch_stp(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	(void)ctx;
	(void)arg;
	*insn = 0xa9000801; /* stp x1, x2, [x0] */
	return HV_OK;
}

static void add_region(uint64_t base, uint64_t size)
{
	struct hv_mmio_region r = {.base = hv_ipa(base),
	                           .size = size,
	                           .access_sizes = HV_MMIO_SIZES_ALL,
	                           .read = nop_read,
	                           .write = nop_write};
	hv_mmio_bus_register(&vm.mmio, &r);
}

static void setup(void)
{
	memset(&vm, 0, sizeof(vm));
	memset(&vcpu, 0, sizeof(vcpu));
	sim_arch_reset();
	sim_arch_set_recording(false);
	hv_mmio_bus_init(&vm.mmio);
	/* QEMU virt's layout: GICD, GICR, the UART, virtio-mmio. */
	add_region(0x08000000, 0x10000);
	add_region(0x080a0000, 0xf60000);
	add_region(0x0a000000, 0x4000);
	add_region(DEV_IPA, 0x1000);
	vm.nr_vcpus = 1;
	vm.vcpus[0] = &vcpu;
	vcpu.vm = &vm;
	vcpu.power = HV_VCPU_ON;
	vcpu.ctx.el1.vbar_el1 = 0xffff800010000000ull;
	vcpu.ctx.regs.pstate = HV_PSTATE_EL1H;
	vcpu.ctx.regs.pc = PC0;
}

static void prep_isv1(void)
{
	vcpu.ctx.exit.esr_el2 = 0x93810045; /* str w1, [x0] (QEMU) */
	vcpu.ctx.exit.far_el2 = DEV_VA + 0x10;
	vcpu.ctx.exit.hpfar_el2 = (DEV_IPA >> 12) << 4;
}

static void prep_isv0(void)
{
	vcpu.ctx.exit.esr_el2 = 0x92000046; /* ISV=0, WnR */
	vcpu.ctx.exit.far_el2 = DEV_VA + 0x20;
	vcpu.ctx.exit.hpfar_el2 = (DEV_IPA >> 12) << 4;
	vcpu.ctx.regs.x[0] = DEV_VA + 0x20;
}

static void prep_psci(void)
{
	vcpu.ctx.exit.esr_el2 = 0x5a000000; /* hvc #0 */
	vcpu.ctx.regs.x[0] = HV_PSCI_VERSION;
}

static void prep_unknown(void)
{
	vcpu.ctx.exit.esr_el2 = 0x02000000; /* EC 0 */
	vcpu.ctx.regs.pc = PC0;
	vcpu.ctx.regs.pstate = HV_PSTATE_EL1H;
}

/* The floor's handlers: read one syndrome field, write one register. */
typedef enum hv_exit_action (*floor_handler)(struct hv_vcpu_context *ctx, uint64_t esr);

static enum hv_exit_action floor_write_srt(struct hv_vcpu_context *ctx, uint64_t esr)
{
	unsigned srt = (unsigned)(esr >> 16) & 31u; /* ISS.SRT, Arm ARM D17.2.37 */
	if (srt < 31)
		ctx->regs.x[srt] = esr & 0xffffu;
	return HV_ACTION_RESUME;
}

static enum hv_exit_action floor_write_x0(struct hv_vcpu_context *ctx, uint64_t esr)
{
	ctx->regs.x[0] = esr & 0x1ffffffu; /* ISS */
	return HV_ACTION_RESUME;
}

static floor_handler floor_table[64]; /* filled at run time: not foldable */

static __attribute__((noinline)) enum hv_exit_action floor_dispatch(struct hv_vcpu *v)
{
	uint64_t esr = v->ctx.exit.esr_el2;
	return floor_table[(esr >> 26) & 63u](&v->ctx, esr);
}

typedef void (*prep_fn)(void);

/* One batch, ns per exit. The two loops are the same but for the call. */
static double batch_core(prep_fn prep)
{
	uint64_t t0 = bench_now_ns();
	for (unsigned i = 0; i < NBATCH; i++) {
		prep();
		writes += (uint64_t)hv_vcpu_handle_exit(&vcpu);
	}
	return (double)(bench_now_ns() - t0) / NBATCH;
}

static double batch_floor(prep_fn prep)
{
	uint64_t t0 = bench_now_ns();
	for (unsigned i = 0; i < NBATCH; i++) {
		prep();
		writes += (uint64_t)floor_dispatch(&vcpu);
	}
	return (double)(bench_now_ns() - t0) / NBATCH;
}

enum { ISV1, ISV0, PSCI, UNKNOWN, NR_CASES };

int main(void)
{
	static const prep_fn preps[NR_CASES] = {prep_isv1, prep_isv0, prep_psci, prep_unknown};
	static const char *const keys[NR_CASES] = {"mmio_isv1_ns", "mmio_isv0_ns",
	                                           "psci_version_ns", "unknown_ec_ns"};
	double samples[NR_CASES][ROUNDS], floor_v[ROUNDS], median[NR_CASES];

	setup();
	sim_set_fetch_insn(fetch_stp, NULL);
	for (unsigned ec = 0; ec < 64; ec++)
		floor_table[ec] = ec == HV_EC_DABT_LOW ? floor_write_srt : floor_write_x0;
	for (unsigned r = 0; r < NROUNDS; r++) {
		for (unsigned c = 0; c < NR_CASES; c++)
			samples[c][r] = batch_core(preps[c]);
		floor_v[r] = batch_floor(prep_isv1);
	}
	bench_sink(writes + vcpu.ctx.regs.pc);
	for (unsigned c = 0; c < NR_CASES; c++)
		median[c] = bench_median(samples[c], NROUNDS);
	double floor_ns = bench_median(floor_v, NROUNDS);

	bench_json_begin();
	bench_json_str("bench", "exit");
	for (unsigned c = 0; c < NR_CASES; c++) {
		bench_json_num(keys[c], median[c]);
		bench_json_vs_floor(keys[c], median[c], floor_ns);
	}
	bench_json_num("floor_dispatch_ns", floor_ns);
	bench_json_num("devices_on_bus", vm.mmio.nr);
	bench_json_end();
	return 0;
}
