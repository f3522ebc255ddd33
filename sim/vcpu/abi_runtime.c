/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The software vCPU under the hypercall server (hvsim/abi_runtime.h). Each
 * VM the server runs gets a struct sim of its own whose RAM window is the
 * host memory and whose VM and hypervisor are the server's; its engines
 * appear at each vCPU's first entry. Memory follows the VM's stage 2: the
 * server reports every change (s2_changed), and a new engine starts with
 * what the others map.
 */
#include <hvsim/abi_runtime.h>
#include <hvsim/arch_sim.h>
#include <hv/esr.h>
#include <hv/idregs.h>
#include <hv/inject.h>
#include <stdlib.h>
#include <string.h>
#include "sim_internal.h"
#include "sysreg_model.h"

struct sim_abi_runtime {
	uint8_t *host;
	uint64_t host_size, ram_ipa;
	struct {
		const struct hv_vm *vm;
		struct sim *sim;
	} vms[HV_MAX_VMS];
	uint64_t insns_gone; /* instructions of VMs already released */
	char error[160];
};

static struct sim *sim_of(struct sim_abi_runtime *rt, const struct hv_vm *vm)
{
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		if (rt->vms[i].sim && rt->vms[i].vm == vm)
			return rt->vms[i].sim;
	return NULL;
}

static void sim_free(struct sim_abi_runtime *rt, unsigned i)
{
	struct sim *sim = rt->vms[i].sim;
	if (!sim)
		return;
	for (uint32_t k = 0; k < SIM_MAX_VCPUS; k++)
		sim_engine_destroy(&sim->vcpus[k]);
	rt->insns_gone += sim->insns;
	free(sim->uc_mapped);
	free(sim->uc_host);
	free(sim);
	rt->vms[i].sim = NULL;
	rt->vms[i].vm = NULL;
}

/* A machine around the server's VM: RAM window = the host memory. */
static struct sim *sim_attach(struct sim_abi_runtime *rt, struct hv_vm *vm)
{
	unsigned i = 0;
	while (i < HV_MAX_VMS && rt->vms[i].sim)
		i++;
	if (i == HV_MAX_VMS)
		return NULL;
	struct sim *sim = calloc(1, sizeof(*sim));
	uint64_t pages = rt->host_size / HV_PAGE_SIZE;
	if (!sim)
		return NULL;
	sim_config_default(&sim->cfg);
	sim->cfg.nr_vcpus = SIM_MAX_VCPUS; /* every engine follows the memory map */
	sim->trace = stderr;
	sim->hyp = vm->life.hyp;
	sim->vm = vm;
	sim->vmid = vm->vmid;
	sim->ram = rt->host;
	sim->ram_base = rt->ram_ipa;
	sim->ram_size = rt->host_size;
	sim->counting = true;
	sim->uc_mapped = calloc(pages, 1);
	sim->uc_host = calloc(pages, sizeof(*sim->uc_host));
	rt->vms[i].sim = sim;
	rt->vms[i].vm = vm;
	if (!sim->uc_mapped || !sim->uc_host) {
		sim_free(rt, i);
		return NULL;
	}
	sim_mem_sync(sim, sim->ram_base, sim->ram_size); /* what is mapped already */
	return sim;
}

static enum hv_abi_entry fail(struct sim_abi_runtime *rt, const char *why)
{
	snprintf(rt->error, sizeof(rt->error), "%s", why);
	return HV_ABI_ENTRY_FAILED;
}

static enum hv_abi_entry enter(void *arg, struct hv_vcpu *vcpu)
{
	struct sim_abi_runtime *rt = arg;
	struct sim *sim = sim_of(rt, vcpu->vm);
	if (!sim && !(sim = sim_attach(rt, vcpu->vm)))
		return fail(rt, "no memory for the machine");
	if (vcpu->id >= SIM_MAX_VCPUS)
		return fail(rt, "vCPU id beyond the sim's engines");
	struct sim_vcpu *sv = &sim->vcpus[vcpu->id];
	if (sv->vcpu != vcpu) { /* first entry: an engine with the memory map */
		sim_engine_destroy(sv);
		memset(sv, 0, sizeof(*sv));
		sv->vcpu = vcpu;
		sv->sim = sim;
		if (sim_engine_create(sim, sv) != HV_OK)
			return fail(rt, "engine creation failed");
		sim_mem_map_engine(sim, sv);
		sim_engine_load_all(sv);
		if (!vcpu->vm->idregs.valid) { /* as the EL2 server does at CREATE_VM */
			uint64_t hw[HV_IDREG_NR];
			sim_engine_read_idregs(sv, hw);
			hv_idregs_init(&vcpu->vm->idregs, hw, vcpu->vm->ipa_bits);
		}
		sv->mode_at_stop = vcpu->ctx.regs.pstate & HV_PSTATE_MODE_MASK;
	}
	if (!sim_vcpu_mode_ok(sv))
		return fail(rt, "exception from EL0 (the engine cannot enter EL1 from EL0)");
	switch (sim_vcpu_enter(sv)) {
	case SIM_ENTRY_EXIT: {
		unsigned ec = hv_esr_ec(vcpu->ctx.exit.esr_el2);
		if (ec == HV_EC_DABT_LOW || ec == HV_EC_IABT_LOW)
			sim_mem_sync(sim, sv->ev.addr, HV_PAGE_SIZE);
		return HV_ABI_ENTRY_EXIT;
	}
	case SIM_ENTRY_CONTINUE: return HV_ABI_ENTRY_RESUME;
	case SIM_ENTRY_YIELD: return HV_ABI_ENTRY_PREEMPTED;
	default: return fail(rt, sim->result.detail);
	}
}

static void s2_changed(void *arg, struct hv_vm *vm, hv_ipa_t ipa, uint64_t size)
{
	struct sim *sim = sim_of(arg, vm);
	if (sim)
		sim_mem_sync(sim, hv_ipa_addr(ipa), size);
}

static void release(void *arg, struct hv_vm *vm, struct hv_vcpu *vcpu)
{
	struct sim_abi_runtime *rt = arg;
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		if (!rt->vms[i].sim || rt->vms[i].vm != vm)
			continue;
		if (!vcpu) {
			sim_free(rt, i);
		} else if (vcpu->id < SIM_MAX_VCPUS &&
		           rt->vms[i].sim->vcpus[vcpu->id].vcpu == vcpu) {
			struct sim_vcpu *sv = &rt->vms[i].sim->vcpus[vcpu->id];
			sim_engine_destroy(sv);
			memset(sv, 0, sizeof(*sv));
		}
	}
}

static const struct hv_abi_runtime_ops ops = {
    .enter = enter,
    .s2_changed = s2_changed,
    .release = release,
    .nr_lrs = 4, /* the sim's CPU interface (hvsim/gic_cpuif.h) */
};

const struct hv_abi_runtime_ops *sim_abi_runtime_ops(void)
{
	return &ops;
}

/* ISV=0 decode reads the instruction at the PC (MMU off: VA == IPA). The
 * context is the first member of its vCPU, which names the VM. */
static hv_status_t fetch_insn(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	const struct hv_vcpu *vcpu = (const struct hv_vcpu *)ctx;
	struct sim *sim = sim_of(arg, vcpu->vm);
	return sim ? sim_read_guest(sim, ctx->regs.pc, insn, sizeof(*insn)) : HV_ERR_FAULT;
}

hv_status_t sim_abi_runtime_create(uint8_t *host, uint64_t host_size, uint64_t ram_ipa,
                                   struct sim_abi_runtime **out)
{
	if (!host || !out || !host_size || !hv_is_aligned((uintptr_t)host, HV_PAGE_SIZE) ||
	    !hv_is_aligned(host_size, HV_PAGE_SIZE) || !hv_is_aligned(ram_ipa, HV_PAGE_SIZE))
		return HV_ERR_INVALID;
	struct sim_abi_runtime *rt = calloc(1, sizeof(*rt));
	if (!rt)
		return HV_ERR_NO_MEMORY;
	rt->host = host;
	rt->host_size = host_size;
	rt->ram_ipa = ram_ipa;
	sim_set_fetch_insn(fetch_insn, rt);
	*out = rt;
	return HV_OK;
}

void sim_abi_runtime_destroy(struct sim_abi_runtime *rt)
{
	if (!rt)
		return;
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		sim_free(rt, i);
	sim_set_fetch_insn(NULL, NULL);
	free(rt);
}

uint64_t sim_abi_runtime_insns(const struct sim_abi_runtime *rt)
{
	uint64_t n = rt->insns_gone;
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		if (rt->vms[i].sim)
			n += rt->vms[i].sim->insns;
	return n;
}

const char *sim_abi_runtime_error(const struct sim_abi_runtime *rt)
{
	return rt->error;
}
