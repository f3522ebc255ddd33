/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Exit dispatch cost on the host (sim runtime), per exit:
 *   mmio_isv1_ns    ISV=1 store to a registered device whose callback does nothing
 *   mmio_isv0_ns    the same for an STP decoded from the instruction word
 *   psci_version_ns HVC PSCI_VERSION
 *   unknown_ec_ns   an unknown exception class injected as UNDEF
 * Median of repeated batches, CPU time of this thread.
 */
#include <hv/exit.h>
#include <hv/inject.h>
#include <hv/psci.h>
#include <hv/vm.h>
#include <hvsim/arch_sim.h>
#include <string.h>

#include "bench_util.h"

#define BATCH   200000u
#define ROUNDS  15u
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

typedef void (*prep_fn)(void);

static double measure(prep_fn prep)
{
	double samples[ROUNDS];
	for (unsigned r = 0; r < ROUNDS; r++) {
		uint64_t t0 = bench_now_ns();
		for (unsigned i = 0; i < BATCH; i++) {
			prep();
			writes += (uint64_t)hv_vcpu_handle_exit(&vcpu);
		}
		samples[r] = (double)(bench_now_ns() - t0) / BATCH;
	}
	bench_sink(writes + vcpu.ctx.regs.pc);
	return bench_median(samples, ROUNDS);
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

int main(void)
{
	setup();
	double isv1 = measure(prep_isv1);
	sim_set_fetch_insn(fetch_stp, NULL);
	double isv0 = measure(prep_isv0);
	double psci = measure(prep_psci);
	double unknown = measure(prep_unknown);

	bench_json_begin();
	bench_json_str("bench", "exit");
	bench_json_num("mmio_isv1_ns", isv1);
	bench_json_num("mmio_isv0_ns", isv0);
	bench_json_num("psci_version_ns", psci);
	bench_json_num("unknown_ec_ns", unknown);
	bench_json_num("devices_on_bus", vm.mmio.nr);
	bench_json_end();
	return 0;
}
