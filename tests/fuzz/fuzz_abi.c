/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Random hypercall sequences against the server: fuzz bytes pick a function
 * (mostly valid IDs) and arguments from values that matter (live VMIDs,
 * tuples, host buffer PAs, register ids, INTIDs, page counts) or raw bytes;
 * host buffers hold fuzz-written bytes (region and device descriptions, the
 * pfn page, answers in run areas). RUN enters vCPUs through a scripted
 * runtime whose exits (data and instruction aborts at RAM, device, vGIC and
 * hole addresses, HVCs with PSCI/SMCCC/relinquish IDs, WFI, trapped system
 * registers, raw syndromes, preemptions, failures) come from the input, so
 * the core's exit handling runs behind RUN. After every call:
 *   - an error return left the hypervisor state (owners, table pages, every
 *     VM and vCPU in use), the server and the run areas exactly as before;
 *   - every managed page has exactly one owner (the host, the hypervisor or
 *     a VM that exists) and each live VM owns exactly its pinned pages;
 *   - after a RUN, the run area's bytes past what its exit carries are zero
 *     (MediaTek's driver serves a page fault only with exception.reserved
 *     zero).
 *   - the host's stage 2 (as in an EL2 port's host mode) gives the host
 *     access to exactly the managed pages that are not a protected VM's
 *     private pages (the pages whose record changed; all of them at the
 *     end of an input), counted per 2 MiB range as core/mem counts them;
 *     a page a protected VM had that is the host's again is all zeros.
 * With bit 7 of byte 0 set, MediaTek's driver sequence runs first (PROBE,
 * CREATE_VM, ENABLE_CAP DEMAND_PAGING / BLOCK_BASED 2 MiB / IDLE, PURPOSE
 * before SET_MEMREGION of a 2-page buffer, the vGIC, two vCPUs), so the
 * records start from the state that driver leaves; with bit 6 too, that VM
 * is a protected VM (ENABLE_CAP PROTECTED_VM first). Guest HVCs include
 * MEM_SHARE / MEM_UNSHARE / relinquish / MMIO guard at RAM addresses.
 * At the end every VM is destroyed through DESTROY_VM: all pages and table
 * pages come back, and the host's stage 2 has its boot shape again (table
 * pages and leaves per level).
 *
 * Speed: the environment (host memory, table pool) is made once and reset
 * between inputs; the snapshot covers only the VM and vCPU slots in use.
 *
 * Input: byte 0 = number of records (<= 32), records of 16 bytes (selector,
 * 7 x 2 argument selectors, flags), one byte L, 8 * L bytes of runtime
 * script, then the contents of host pages 16 and 17.
 */
#include <hv/abi_server.h>
#include <hv/esr.h>
#include <hv/mem.h>
#include <hv/psci.h>
#include <hv/smccc.h>
#include <hvsim/arch_sim.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../unit/abi/abi_fixture.h"
#include "fuzz_harness.h"

#define CHECK(c)                                                                                   \
	do {                                                                                       \
		if (!(c))                                                                          \
			__builtin_trap();                                                          \
	} while (0)

#define REC_SIZE    16u
#define MAX_RECORDS 32u
#define SCRATCH_PGS 48u /* host pages 0..47: run areas and buffers, cleared per input */
#define RAM_IPA     0x40000000ull
#define BUF_PAGE    16u /* region / device description */
#define PFN_PAGE    17u /* MAP_GUEST_BLOCK frames */
#define FIRST_GUEST 64u /* host pages handed to guests: 64.. */
/* MediaTek's prologue: run areas 20..23, region buffer 24..25, vGIC page 26,
 * pfn page 27. */
#define MTK_REGION 24u
#define MTK_DEVICE 26u
#define MTK_PFNS   27u

static struct abi_env *env;
/* The host's stage 2 over the managed memory, from a pool of its own. */
static struct test_pool host_pool;
static struct hv_s2_pgt host_pgt;
static struct hv_host_s2 host_s2;
static uint16_t host_hidden[HOST_PAGES / 512];
static struct hv_s2_stats host_boot;
static bool trace; /* FUZZ_ABI_TRACE set: print every call (corpus work) */
static uint16_t vmids[4];
static unsigned nr_vmids;

/* ---- the scripted runtime ------------------------------------------------ */

static const uint8_t *script;
static size_t script_len, script_pos;
static uint32_t fetch_word;

static uint64_t pick_ipa(uint8_t sel, uint8_t v)
{
	switch (sel % 6) {
	case 0: return RAM_IPA + (uint64_t)v * HV_PAGE_SIZE;   /* RAM slot */
	case 1: return 0x09000000 + (v & 0x3fu) * 4u;          /* UART (host MMIO) */
	case 2: return 0x08000000 + (uint64_t)v * 0x100u;      /* GICD */
	case 3: return 0x080a0000 + (uint64_t)v * 0x400u;      /* GICR */
	case 4: return 0x0a000000 + v;                         /* hole */
	default: return (uint64_t)v << (20 + (sel >> 4) % 24); /* anywhere */
	}
}

static uint64_t pick_fid(uint8_t sel)
{
	static const uint64_t fids[] = {
	    HV_PSCI_VERSION,
	    HV_PSCI_CPU_ON_64,
	    HV_PSCI_CPU_OFF,
	    HV_PSCI_SYSTEM_OFF,
	    HV_PSCI_SYSTEM_RESET,
	    HV_PSCI_AFFINITY_INFO_64,
	    HV_PSCI_CPU_SUSPEND,
	    HV_SMCCC_HYP_MEM_RELINQUISH,
	    HV_SMCCC_HYP_PTP,
	    HV_SMCCC_HYP_FEATURES,
	    HV_SMCCC_VENDOR_HYP_CALL_UID,
	    HV_PSCI_SYSTEM_RESET2_64,
	    HV_SMCCC_HYP_MEM_SHARE,
	    HV_SMCCC_HYP_MEM_UNSHARE,
	    HV_SMCCC_HYP_MEM_SHARE,
	    HV_SMCCC_HYP_MEMINFO,
	    HV_SMCCC_HYP_MMIO_GUARD_ENROLL,
	    HV_SMCCC_HYP_MMIO_GUARD_MAP,
	    HV_SMCCC_HYP_MMIO_GUARD_UNMAP,
	};
	return sel < 3 * HV_ARRAY_SIZE(fids) ? fids[sel % HV_ARRAY_SIZE(fids)] : 0xc4000000u | sel;
}

static enum hv_abi_entry script_enter(void *arg, struct hv_vcpu *vcpu)
{
	(void)arg;
	if (script_pos + 8 > script_len)
		return HV_ABI_ENTRY_PREEMPTED;
	const uint8_t *b = script + script_pos;
	script_pos += 8;
	struct hv_exit_syndrome *x = &vcpu->ctx.exit;
	uint64_t ipa = pick_ipa(b[1], b[2]);
	uint64_t r = (uint64_t)b[3] | (uint64_t)b[4] << 8 | (uint64_t)b[5] << 16 |
	             (uint64_t)b[6] << 24 | (uint64_t)b[7] << 40;
	x->far_el2 = ipa;
	x->hpfar_el2 = (ipa >> 12) << 4;
	switch (b[0] % 16) {
	case 0 ... 6: /* data abort, ISV=1, any size/register/direction */
		x->esr_el2 = ((uint64_t)HV_EC_DABT_LOW << HV_ESR_EC_SHIFT) | HV_ESR_IL |
		             HV_DABT_ISV | ((uint64_t)(b[3] & 3) << HV_DABT_SAS_SHIFT) |
		             ((uint64_t)(b[4] & 31) << HV_DABT_SRT_SHIFT) |
		             ((b[5] & 1) ? HV_DABT_SF : 0) | ((b[5] & 2) ? HV_DABT_WNR : 0) |
		             ((b[5] & 4) ? HV_DABT_SSE : 0) | (HV_FSC_TRANS_L0 + (b[6] & 3));
		vcpu->ctx.regs.x[b[4] % 31] ^= r;
		break;
	case 7: /* data abort, ISV=0: the instruction is decoded */
		x->esr_el2 = ((uint64_t)HV_EC_DABT_LOW << HV_ESR_EC_SHIFT) | HV_ESR_IL |
		             ((b[5] & 2) ? HV_DABT_WNR : 0) | (HV_FSC_TRANS_L0 + 3);
		fetch_word = (uint32_t)r;
		break;
	case 8 ... 9: /* HVC #0 */
		x->esr_el2 = ((uint64_t)HV_EC_HVC64 << HV_ESR_EC_SHIFT) | HV_ESR_IL;
		vcpu->ctx.regs.x[0] = pick_fid(b[3]);
		vcpu->ctx.regs.x[1] = b[4] & 0x80 ? ipa : b[4] % 4;
		vcpu->ctx.regs.x[2] = RAM_IPA + b[5];
		vcpu->ctx.regs.x[3] = r;
		break;
	case 10: /* WFI / WFE */
		x->esr_el2 =
		    ((uint64_t)HV_EC_WFX << HV_ESR_EC_SHIFT) | HV_ESR_IL | (b[3] & HV_WFX_TI_MASK);
		break;
	case 11: /* MSR ICC_SGI1R_EL1 (b[1] odd) or MSR/MRS CNTV_CTL_EL0, Xt = b[2] % 31 */
		x->esr_el2 =
		    ((uint64_t)HV_EC_SYS64 << HV_ESR_EC_SHIFT) | HV_ESR_IL |
		    (b[1] & 1 ? ((3ull << 20) | (5ull << 17) | (12ull << 10) | (11ull << 1))
		              : ((3ull << 20) | (1ull << 17) | (3ull << 14) | (14ull << 10) |
		                 (3ull << 1) | ((b[1] >> 1) & 1))) |
		    ((uint64_t)(b[2] % 31) << 5);
		vcpu->ctx.regs.x[b[2] % 31] = r;
		break;
	case 12: /* instruction abort */
		x->esr_el2 = ((uint64_t)HV_EC_IABT_LOW << HV_ESR_EC_SHIFT) | HV_ESR_IL |
		             (HV_FSC_TRANS_L0 + (b[6] & 3));
		break;
	case 13: /* anything */ x->esr_el2 = r | ((uint64_t)b[2] << 26); break;
	case 14: return HV_ABI_ENTRY_PREEMPTED;
	default: return b[3] & 1 ? HV_ABI_ENTRY_RESUME : HV_ABI_ENTRY_FAILED;
	}
	return HV_ABI_ENTRY_EXIT;
}

static hv_status_t script_fetch(const struct hv_vcpu_context *ctx, uint32_t *insn, void *arg)
{
	(void)ctx, (void)arg;
	*insn = fetch_word;
	return HV_OK;
}

static const struct hv_abi_runtime_ops script_ops = {.enter = script_enter, .nr_lrs = 4};

/* ---- arguments ------------------------------------------------------------ */

static uint64_t pick_reg(uint8_t v)
{
	static const uint64_t ids[] = {
	    HV_GZVM_REG_PC,        HV_GZVM_REG_PSTATE,   HV_GZVM_REG_SP,
	    HV_GZVM_REG_SP_EL1,    HV_GZVM_REG_X(0),     HV_GZVM_REG_X(30),
	    HV_GZVM_REG_MPIDR_EL1, HV_GZVM_REG_VBAR_EL1, HV_GZVM_REG_CNTV_CTL_EL0,
	    HV_GZVM_REG_SPSR_EL1,  HV_GZVM_REG_X(31),    HV_GZVM_REG_SIZE_U32 | HV_GZVM_REG_ARM64,
	};
	return ids[v % HV_ARRAY_SIZE(ids)];
}

static uint64_t pick(const uint8_t *b)
{
	uint8_t kind = b[0], v = b[1];
	uint16_t vmid = nr_vmids ? vmids[v % nr_vmids] : v;
	switch (kind % 14) {
	case 0: return vmid;
	case 1: return HV_ABI_TUPLE(vmid, v % 10);
	case 2: return host_pa(v % 40);                /* host page: run areas, buffers */
	case 3: return host_pa(BUF_PAGE);              /* the description buffer */
	case 4: return host_pa(FIRST_GUEST + v) >> 12; /* a pfn */
	case 5: return (RAM_IPA >> 12) + v;            /* a gfn */
	case 6: return v % 8;                          /* small count / slot / level */
	case 7: return (uint64_t)v << (kind >> 4);     /* sizes */
	case 8: return 0;
	case 9: return pick_reg(v);
	case 10: return v % 64;                         /* INTIDs: SGI, PPI, first SPIs */
	case 11: return RAM_IPA + (uint64_t)v * 0x1000; /* a gpa */
	case 12:                                        /* capabilities */
		return (uint64_t[]){HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
		                    HV_ABI_CAP_ENABLE_DEMAND_PAGING,
		                    HV_ABI_CAP_ENABLE_IDLE,
		                    HV_ABI_CAP_PROTECTED_VM,
		                    HV_ABI_CAP_QUERY_HYP_BATCH_PAGES,
		                    HV_ABI_CAP_VM_GPA_SIZE}[v % 6];
	default: return (uint64_t)v * 0x9e3779b97f4a7c15ull;
	}
}

/* ---- invariants and snapshots ------------------------------------------- */

HARNESS static void check_owners(void)
{
	/* VM slot of each VMID in use (live, or dying: it keeps its pages
	 * until destroy has given them back). */
	int8_t slot_of[HV_VMID_MAX + 1];
	memset(slot_of, -1, sizeof(slot_of));
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		if (env->hyp.vms[i].life.state != HV_VM_FREE)
			slot_of[env->hyp.vms[i].vmid & HV_VMID_MAX] = (int8_t)i;
	uint32_t per_vm[HV_MAX_VMS] = {0};
	for (uint32_t p = 0; p < env->pages; p++) {
		uint16_t owner = env->owners[p].owner;
		if (owner == HV_OWNER_HOST || owner == HV_OWNER_HYP)
			continue;
		CHECK(owner <= HV_VMID_MAX && slot_of[owner] >= 0);
		per_vm[slot_of[owner]]++;
	}
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		const struct hv_vm *vm = &env->hyp.vms[i];
		if (vm->life.state == HV_VM_CREATED || vm->life.state == HV_VM_RUNNING)
			CHECK(per_vm[i] == vm->life.mem.nr_pinned);
	}
}

static struct {
	struct hv_page_owner owners[HOST_PAGES];
	struct hv_s2_stats host_s2;
	uint8_t hyp_head[offsetof(struct hv_hyp, vms)];
	struct hv_vm vms[HV_MAX_VMS];
	struct hv_vcpu vcpus[HV_MAX_VMS][HV_MAX_VCPUS];
	uint8_t srv[offsetof(struct hv_abi_server, scratch_pfns)];
	uint8_t run_areas[HV_MAX_VMS * HV_MAX_VCPUS][2 * HV_PAGE_SIZE];
	const uint8_t *run_area_at[HV_MAX_VMS * HV_MAX_VCPUS];
	unsigned nr_run_areas;
	size_t live;
} snap;

static bool vm_in_use(const struct hv_vm *vm)
{
	return vm->life.state != HV_VM_FREE;
}

HARNESS static void take_snapshot(void)
{
	memcpy(snap.owners, env->owners, env->pages * sizeof(*env->owners));
	hv_s2_get_stats(&host_pgt, &snap.host_s2);
	memcpy(snap.hyp_head, &env->hyp, sizeof(snap.hyp_head));
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		const struct hv_vm *vm = &env->hyp.vms[i];
		snap.vms[i].life.state = vm->life.state;
		snap.vms[i].vmid = vm->vmid;
		if (!vm_in_use(vm))
			continue;
		memcpy(&snap.vms[i], vm, sizeof(*vm));
		for (unsigned j = 0; j < HV_MAX_VCPUS; j++)
			if (vm->vcpus[j])
				memcpy(&snap.vcpus[i][j], vm->vcpus[j], sizeof(struct hv_vcpu));
	}
	memcpy(snap.srv, &env->srv, sizeof(snap.srv));
	/* Host memory the server writes: the run areas it holds. */
	snap.nr_run_areas = 0;
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		for (unsigned j = 0; j < HV_MAX_VCPUS; j++) {
			uint64_t pa = hv_pa_addr(env->srv.vms[i].vcpu[j].run_area);
			const uint8_t *p =
			    pa ? env_host_map(env, hv_pa(pa), 2 * HV_PAGE_SIZE) : NULL;
			if (!p)
				continue;
			snap.run_area_at[snap.nr_run_areas] = p;
			memcpy(snap.run_areas[snap.nr_run_areas++], p, 2 * HV_PAGE_SIZE);
		}
	snap.live = env->pool.live;
}

HARNESS static void check_unchanged(void)
{
	CHECK(!memcmp(snap.owners, env->owners, env->pages * sizeof(*env->owners)));
	struct hv_s2_stats now;
	hv_s2_get_stats(&host_pgt, &now);
	CHECK(!memcmp(&now, &snap.host_s2, sizeof(now)));
	CHECK(!memcmp(snap.hyp_head, &env->hyp, sizeof(snap.hyp_head)));
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		const struct hv_vm *vm = &env->hyp.vms[i];
		CHECK(snap.vms[i].life.state == vm->life.state && snap.vms[i].vmid == vm->vmid);
		if (!vm_in_use(vm))
			continue;
		if (trace && memcmp(&snap.vms[i], vm, sizeof(*vm)))
			for (size_t k = 0; k < sizeof(*vm); k++)
				if (((const uint8_t *)&snap.vms[i])[k] != ((const uint8_t *)vm)[k])
					fprintf(stderr, "vm byte %zu differs\n", k);
		CHECK(!memcmp(&snap.vms[i], vm, sizeof(*vm)));
		for (unsigned j = 0; j < HV_MAX_VCPUS; j++)
			if (vm->vcpus[j])
				CHECK(!memcmp(&snap.vcpus[i][j], vm->vcpus[j],
				              sizeof(struct hv_vcpu)));
	}
	CHECK(!memcmp(snap.srv, &env->srv, sizeof(snap.srv)));
	for (unsigned k = 0; k < snap.nr_run_areas; k++)
		CHECK(!memcmp(snap.run_areas[k], snap.run_area_at[k], 2 * HV_PAGE_SIZE));
	CHECK(env->pool.live == snap.live);
	CHECK(test_pool_check(&env->pool)); /* the buddy allocator's invariants */
}

/* Is page p mapped in the host's stage 2? Only ever at IPA == PA with the
 * host's full access: never a valid descriptor without permission. */
HARNESS static bool host_mapped(uint32_t p)
{
	uint64_t pa = env->pa_base + (uint64_t)p * HV_PAGE_SIZE;
	struct hv_s2_leaf leaf = {0}; /* the lookup fills it */
	hv_status_t st = hv_s2_lookup(&host_pgt, hv_ipa(pa), &leaf);
	if (st == HV_ERR_NOT_FOUND)
		return false;
	CHECK(st == HV_OK && hv_pa_addr(leaf.pa) == pa && leaf.prot == HV_S2_PROT_RWX);
	return true;
}

/* The host's view of page p: mapped exactly when not hidden; a page a
 * protected VM had (before: its record before the call) that is the
 * host's now is zero. */
HARNESS static void check_host_page(uint32_t p, const struct hv_page_owner *before)
{
	static const uint8_t zero[HV_PAGE_SIZE];
	uint64_t pa = env->pa_base + (uint64_t)p * HV_PAGE_SIZE;
	CHECK(host_mapped(p) == !hv_pgown_host_denied(&env->hyp.own, hv_pa(pa)));
	if (before && (before->flags & HV_PAGE_DONATED) && env->owners[p].owner == HV_OWNER_HOST)
		CHECK(!memcmp(env_page(env, p), zero, HV_PAGE_SIZE));
}

/* After a call: the pages whose record changed (all of them with before
 * NULL) look right from the host, no protected VM's private page is mapped
 * in the host's stage 2 (changed or not), and the hidden counts per 2 MiB
 * range are the pages hidden there. */
HARNESS static void check_host_view(const struct hv_page_owner *before)
{
	uint16_t hidden[HOST_PAGES / 512] = {0};
	for (uint32_t p = 0; p < env->pages; p++) {
		const struct hv_page_owner *o = &env->owners[p];
		bool denied = (o->flags & HV_PAGE_DONATED) && !(o->flags & HV_PAGE_SHARED);
		hidden[p / 512] += denied;
		if (!before)
			check_host_page(p, NULL);
		else if (before[p].owner != o->owner || before[p].flags != o->flags)
			check_host_page(p, &before[p]);
		else if (denied)
			CHECK(!host_mapped(p));
	}
	CHECK(!memcmp(hidden, host_hidden, sizeof(hidden)));
}

/* Bytes of the run union an exit carries; the rest must be zero. */
HARNESS static void check_exit_reserved(uint64_t tuple)
{
	struct hv_vm *vm = hv_vm_find(&env->hyp, HV_ABI_TUPLE_VMID(tuple));
	if (!vm)
		return;
	uint64_t pa = hv_pa_addr(env->srv.vms[vm - env->hyp.vms].vcpu[(uint16_t)tuple].run_area);
	const struct hv_abi_vcpu_run *run = env_host_map(env, hv_pa(pa), sizeof(*run));
	CHECK(run);
	size_t used = 8;
	switch (run->exit_reason) {
	case HV_ABI_EXIT_MMIO: used = 38; break;
	case HV_ABI_EXIT_EXCEPTION: used = 24; break;
	case HV_ABI_EXIT_FAIL_ENTRY: used = 20; break;
	case HV_ABI_EXIT_HYPERCALL:
	case HV_ABI_EXIT_IPI: used = 72; break;
	case HV_ABI_EXIT_SYSTEM_EVENT: used = 16 + 8 * (size_t)run->system_event.ndata; break;
	case HV_ABI_EXIT_INTERNAL_ERROR: used = 16 + 8 * (size_t)run->internal.ndata; break;
	default: break;
	}
	CHECK(used <= sizeof(*run));
	for (size_t i = used; i < sizeof(*run); i++)
		CHECK(((const uint8_t *)run)[i] == 0);
}

/* MediaTek's driver 16.0: probe, CREATE_VM ioctl, SET_USER_MEMORY_REGION,
 * vGIC and vCPUs, with the answers it needs. */
static void mediatek_prologue(bool protected_vm)
{
	uint64_t out[4];
	struct hv_abi_mem_region hdr = {.slot = 0, .total_pages = 256, .gpa = RAM_IPA};
	uint8_t *region = env->host + (size_t)MTK_REGION * HV_PAGE_SIZE;
	memset(region, 0, 2 * HV_PAGE_SIZE);
	memcpy(region, &hdr, sizeof(hdr));
	CHECK(hcall(env, HV_ABI_FN(HV_ABI_PROBE), 16, 0, 0, 0, 0, out) == HV_ABI_OK);
	CHECK(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VM), 0, 0, 0, 0, 0, out) == HV_ABI_OK);
	uint16_t vmid = (uint16_t)out[1];
	vmids[nr_vmids++] = vmid;
	if (protected_vm)
		CHECK(hcall(env, HV_ABI_FN(HV_ABI_ENABLE_CAP), vmid, HV_ABI_CAP_PROTECTED_VM,
		            HV_ABI_PVM_SET_PROTECTED_VM, 0, 0, out) == HV_ABI_OK);
	const uint64_t calls[][6] = {
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_ENABLE_DEMAND_PAGING, 0, 0, 0},
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING, HV_SZ_2M,
	     host_pa(MTK_PFNS), 0},
	    {HV_ABI_ENABLE_CAP, vmid, HV_ABI_CAP_ENABLE_IDLE, 0, 0, 0},
	    {HV_ABI_MEMREGION_PURPOSE, vmid, RAM_IPA, 256 * HV_PAGE_SIZE, HV_GZVM_MEM_GUEST_MEM, 0},
	    {HV_ABI_SET_MEMREGION, vmid, 2 * HV_PAGE_SIZE, host_pa(MTK_REGION), 0, 0},
	};
	for (unsigned i = 0; i < HV_ARRAY_SIZE(calls); i++)
		CHECK(hcall(env, HV_ABI_FN(calls[i][0]), calls[i][1], calls[i][2], calls[i][3],
		            calls[i][4], calls[i][5], out) == HV_ABI_OK);
	struct hv_abi_create_device d[2] = {
	    {.dev_type = HV_ABI_DEV_VGIC_V3_DIST,
	     .dev_addr = 0x08000000,
	     .dev_reg_size = HV_ABI_VGIC_DIST_SIZE},
	    {.dev_type = HV_ABI_DEV_VGIC_V3_REDIST,
	     .dev_addr = 0x080a0000,
	     .dev_reg_size = 2 * HV_ABI_VGIC_REDIST_SIZE},
	};
	for (unsigned i = 0; i < 2; i++) {
		memcpy(env->host + (size_t)MTK_DEVICE * HV_PAGE_SIZE, &d[i], sizeof(d[i]));
		CHECK(hcall(env, HV_ABI_FN(HV_ABI_CREATE_DEVICE), vmid, host_pa(MTK_DEVICE), 0, 0,
		            0, out) == HV_ABI_OK);
	}
	for (unsigned i = 0; i < 2; i++) /* run areas: pages 20..23 */
		CHECK(hcall(env, HV_ABI_FN(HV_ABI_CREATE_VCPU), HV_ABI_TUPLE(vmid, i),
		            host_pa(20 + 2 * i), 0, 0, 0, out) == HV_ABI_OK);
}

/* ---- one input ------------------------------------------------------------ */

static void *env_page_va(void *arg, hv_pa_t pa)
{
	(void)arg;
	return env_host_map(env, pa, HV_PAGE_SIZE);
}

static void setup_once(void)
{
	env = malloc(sizeof(*env));
	CHECK(env && abi_env_init(env));
	CHECK(test_pool_init(&host_pool, 64, 0xc0000000ull));
	CHECK(hv_s2_init(&host_pgt, &host_pool.ops, 250, 40, 40) == HV_OK);
	CHECK(hv_s2_map(&host_pgt, hv_ipa(env->pa_base), hv_pa(env->pa_base),
	                (uint64_t)env->pages * HV_PAGE_SIZE, HV_S2_PROT_RWX, HV_S2_MEM_NORMAL_WB,
	                0) == HV_OK);
	hv_s2_get_stats(&host_pgt, &host_boot);
	host_s2 = (struct hv_host_s2){
	    .s2 = &host_pgt, .prot = HV_S2_PROT_RWX, .page_va = env_page_va, .hidden = host_hidden};
	trace = getenv("FUZZ_ABI_TRACE") != NULL;
}

static void issue(const uint8_t *rec)
{
	uint64_t in[8], out[4];
	uint8_t sel = rec[0];
	if (sel >= 224 && sel < 240) {
		/* The host writes its own memory: run-area answers, buffers. */
		uint8_t *page = env->host + (size_t)(rec[1] % 40) * HV_PAGE_SIZE;
		memcpy(page + ((size_t)rec[2] * 8) % HV_PAGE_SIZE, rec + 3, 8);
		return;
	}
	in[0] = sel < 224 ? HV_ABI_FN(sel % HV_ABI_NR_FN)
	                  : (sel & 1 ? HV_SMCCC_VERSION : 0xfb000fffu + sel);
	if (sel % 9 == 0 && sel < 224)
		in[0] = HV_ABI_FN(HV_ABI_PROBE);
	for (unsigned i = 1; i < 8; i++)
		in[i] =
		    i < 6 ? pick(rec + 1 + 2 * (i - 1)) : (rec[11 + i - 6] & 0x80 ? rec[13] : 0);
	if (in[0] == HV_ABI_FN(HV_ABI_PROBE) && (rec[15] & 1))
		in[1] = HV_ABI_DRIVER_MAJOR;

	take_snapshot();
	hv_abi_server_call(&env->srv, in, out);
	int64_t ret = (int64_t)out[0];
	if (trace)
		fprintf(stderr, "fn %2lld (%llx %llx %llx %llx %llx) -> %lld %llx\n",
		        (long long)(in[0] - HV_ABI_FN_BASE), (unsigned long long)in[1],
		        (unsigned long long)in[2], (unsigned long long)in[3],
		        (unsigned long long)in[4], (unsigned long long)in[5], (long long)ret,
		        (unsigned long long)out[1]);
	if (ret < 0 && ret != HV_ABI_ERR_BUSY) {
		check_unchanged();
		CHECK(out[1] == 0 && out[2] == 0 && out[3] == 0);
	}
	if (in[0] == HV_ABI_FN(HV_ABI_RUN) && ret == 0)
		check_exit_reserved(in[1]);
	if (in[0] == HV_ABI_FN(HV_ABI_CREATE_VM) && ret == 0 && nr_vmids < 4)
		vmids[nr_vmids++] = (uint16_t)out[1];
	check_owners();
	check_host_view(snap.owners);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!env)
		setup_once();
	CHECK(abi_env_restart(env));
	CHECK(hv_pgown_attach_host_s2(&env->hyp.own, &host_s2) == HV_OK);
	hv_abi_server_set_runtime(&env->srv, &script_ops, NULL);
	sim_set_fetch_insn(script_fetch, NULL);
	memset(env->host, 0, SCRATCH_PGS * HV_PAGE_SIZE);
	nr_vmids = 0;

	size_t nrec = size ? data[0] % (MAX_RECORDS + 1) : 0;
	if (1 + nrec * REC_SIZE > size)
		nrec = size > 1 ? (size - 1) / REC_SIZE : 0;
	size_t pos = 1 + nrec * REC_SIZE;
	script_len = pos < size ? (size_t)data[pos] * 8 : 0;
	pos = pos + 1 < size ? pos + 1 : size;
	if (script_len > size - pos)
		script_len = size - pos;
	script = data + pos;
	script_pos = 0;
	pos += script_len;
	size_t tail = size - pos < 2 * HV_PAGE_SIZE ? size - pos : 2 * HV_PAGE_SIZE;
	memcpy(env->host + BUF_PAGE * HV_PAGE_SIZE, data + pos, tail);

	if (size && (data[0] & 0x80))
		mediatek_prologue((data[0] & 0x40) != 0);
	for (size_t r = 0; r < nrec; r++)
		issue(data + 1 + r * REC_SIZE);

	/* Destroy every VM through the server: all pages must come back. */
	for (unsigned i = 0; i < HV_MAX_VMS; i++) {
		uint16_t vmid = env->hyp.vms[i].vmid;
		if (env->hyp.vms[i].life.state == HV_VM_FREE)
			continue;
		uint64_t in[8] = {HV_ABI_FN(HV_ABI_DESTROY_VM), vmid, 0}, out[4];
		int guard = 0;
		take_snapshot();
		env->srv.probed = true;
		do
			hv_abi_server_call(&env->srv, in, out);
		while ((int64_t)out[0] == HV_ABI_ERR_BUSY && ++guard < 100000);
		CHECK(out[0] == HV_ABI_OK);
		check_host_view(snap.owners);
	}
	CHECK(env->pool.live == 0 && test_pool_check(&env->pool));
	for (uint32_t p = 0; p < env->pages; p++)
		CHECK(env->owners[p].owner == HV_OWNER_HOST);
	check_host_view(NULL);
	struct hv_s2_stats now;
	hv_s2_get_stats(&host_pgt, &now);
	CHECK(!memcmp(&now, &host_boot, sizeof(now)));
	return 0;
}
