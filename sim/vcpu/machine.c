/* SPDX-License-Identifier: Apache-2.0 */
/* Building and tearing down a simulated machine: VM, vCPUs, RAM, devices. */
#include <hv/idregs.h>
#include <hv/inject.h>
#include <hv/psci.h>
#include <hvsim/arch_sim.h>
#include <stdlib.h>
#include <string.h>
#include "core_link.h"
#include "sim_internal.h"

void sim_config_default(struct sim_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ram_size = SIM_RAM_SIZE_DEF;
	cfg->nr_vcpus = 1;
}

/* Guest UART bytes go to the hypervisor console (stdout, or captured). */
static void uart_tx(void *arg, uint8_t byte)
{
	(void)arg;
	char c = (char)byte;
	hv_arch_console_write(&c, 1);
}

/* ISV=0 decode reads the faulting instruction. Contract guests run with
 * the MMU off (VA == IPA); the vCPU whose context it is holds the VM. */
static hv_status_t fetch_insn(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	struct sim *sim = arg;
	return sim_read_guest(sim, ctx->regs.pc, insn, sizeof(*insn));
}

/* The VM: RAM memslot, devices, vCPUs with their engines. */
static hv_status_t build(struct sim *sim)
{
	const struct hv_vm_config vcfg = {
	    .ipa_bits = hv_platform_virt.ipa_bits,
	    .max_vcpus = sim->cfg.nr_vcpus,
	    .block_size = HV_SZ_2M,
	    .set_cntvoff = true,
	    .cntvoff = 0,
	};
	hv_status_t st = sim_mem_init(sim);
	if (st == HV_OK)
		st = hv_vm_create(sim->hyp, &vcfg, &sim->vmid);
	if (st != HV_OK)
		return st;
	sim->vm = hv_vm_find(sim->hyp, sim->vmid);
	st = hv_mem_set_memslot(sim->vm, SIM_RAM_SLOT, hv_ipa(sim->ram_base), sim->ram_size, 0);
	hv_pl011_init(&sim->uart, uart_tx, NULL, sim);
	if (st == HV_OK)
		st = hv_pl011_attach(&sim->uart, &sim->vm->mmio, hv_ipa(SIM_UART_BASE));
	for (uint32_t i = 0; st == HV_OK && i < sim->cfg.nr_vcpus; i++) {
		struct sim_vcpu *sv = &sim->vcpus[i];
		sv->sim = sim;
		sv->state = SIM_VCPU_OFF;
		st = hv_vcpu_create(sim->vm, i, &sv->vcpu);
		if (st == HV_OK)
			st = sim_engine_create(sim, sv);
		if (st == HV_OK)
			st = sim_core_vcpu_init(sv);
	}
	if (st == HV_OK)
		st = sim_core_vm_init(sim);
	if (st == HV_OK) { /* ID registers through core/exit's policy, as at EL2 */
		uint64_t hw[HV_IDREG_NR];
		sim_engine_read_idregs(&sim->vcpus[0], hw);
		hv_idregs_init(&sim->vm->idregs, hw, sim->vm->ipa_bits);
	}
	return st;
}

hv_status_t sim_create(const struct sim_config *cfg, struct sim **out)
{
	if (!cfg || !out || cfg->nr_vcpus == 0 || cfg->nr_vcpus > SIM_MAX_VCPUS ||
	    cfg->nr_vcpus > HV_MAX_VCPUS || cfg->ram_size == 0 ||
	    !hv_is_aligned(cfg->ram_size, HV_SZ_2M) || cfg->ram_size > SIM_MAX_RAM)
		return HV_ERR_INVALID;
	struct sim *sim = calloc(1, sizeof(*sim));
	if (!sim)
		return HV_ERR_NO_MEMORY;
	sim->cfg = *cfg;
	sim->trace = cfg->trace ? cfg->trace : stderr;
	sim->ram_base = SIM_RAM_BASE;
	sim->ram_size = cfg->ram_size;
	sim->entry = SIM_RAM_BASE;
	/* Instructions are always counted (a per-block hook): they drive
	 * simulated time, slices and the instruction limit. */
	sim->counting = true;
	sim_set_fetch_insn(fetch_insn, sim);
	sim_counter_set(0);
	hv_status_t st = build(sim);
	if (st != HV_OK) {
		sim_destroy(sim);
		return st;
	}
	*out = sim;
	return HV_OK;
}

void sim_destroy(struct sim *sim)
{
	if (!sim)
		return;
	for (uint32_t i = 0; i < SIM_MAX_VCPUS; i++)
		sim_engine_destroy(&sim->vcpus[i]);
	sim_mem_destroy(sim);
	sim_set_fetch_insn(NULL, NULL);
	free(sim);
}

const char *sim_stop_name(enum sim_stop stop)
{
	static const char *const names[] = {
	    [SIM_STOP_SHUTDOWN] = "shutdown",       [SIM_STOP_RESET] = "reset",
	    [SIM_STOP_INSN_LIMIT] = "insn-limit",   [SIM_STOP_ALL_OFF] = "all-vcpus-off",
	    [SIM_STOP_DEADLOCK] = "deadlock",       [SIM_STOP_GUEST_FAULT] = "guest-fault",
	    [SIM_STOP_INTERNAL] = "internal-error",
	};
	return (unsigned)stop < HV_ARRAY_SIZE(names) && names[stop] ? names[stop] : "?";
}

/* Statistics: the core's per-vCPU exit classes, then the sim's own. */
static const char *const hv_stat_names[HV_STAT_NR] = {
    [HV_STAT_MMIO_KERNEL] = "mmio (device model)",
    [HV_STAT_MMIO_HOST] = "mmio (to host)",
    [HV_STAT_MMIO_ISV0] = "mmio decoded (ISV=0)",
    [HV_STAT_STAGE2] = "stage-2 fault (paging)",
    [HV_STAT_SMCCC] = "hvc/smc (SMCCC)",
    [HV_STAT_WFI] = "wfi",
    [HV_STAT_WFE] = "wfe",
    [HV_STAT_SYSREG] = "sysreg trap",
    [HV_STAT_INJECTED] = "exception injected",
    [HV_STAT_TO_HOST] = "exit to host",
};
static const char *const sim_counter_names[SIM_CNT_NR] = {
    [SIM_CNT_ENGINE_RUNS] = "engine entries",
    [SIM_CNT_IRQ_ENTRIES] = "virtual irq taken",
    [SIM_CNT_HOST_MMIO_ABORT] = "unbacked access aborted",
    [SIM_CNT_PAGES_SUPPLIED] = "pages given on demand",
};

size_t sim_stat_count(void)
{
	return HV_STAT_NR + SIM_CNT_NR;
}

const char *sim_stat_name(size_t index)
{
	if (index < HV_STAT_NR)
		return hv_stat_names[index];
	if (index < HV_STAT_NR + SIM_CNT_NR)
		return sim_counter_names[index - HV_STAT_NR];
	return "?";
}

uint64_t sim_stat_value(const struct sim *sim, size_t index)
{
	uint64_t sum = 0;
	if (index < HV_STAT_NR) {
		for (uint32_t i = 0; i < sim->cfg.nr_vcpus; i++)
			sum += sim->vcpus[i].vcpu->exit_state.stats[index];
		return sum;
	}
	if (index < HV_STAT_NR + SIM_CNT_NR)
		return sim->counters[index - HV_STAT_NR];
	return 0;
}

void sim_print_stats(const struct sim *sim, FILE *out)
{
	fprintf(out, "hvsim: exits by reason\n");
	for (size_t i = 0; i < sim_stat_count(); i++) {
		uint64_t v = sim_stat_value(sim, i);
		if (v)
			fprintf(out, "  %-26s %llu\n", sim_stat_name(i), (unsigned long long)v);
	}
	if (sim->counting)
		fprintf(out, "  %-26s %llu\n", "instructions (counted)",
		        (unsigned long long)sim->insns);
}
