/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's PSCI calls forwarded to the firmware, with the calls that start
 * or resume a CPU rewritten to enter EL2 first (hv/host_psci.h).
 */
#include <hv/host_psci.h>
#include <hv/psci.h>
#include <hv/smccc.h>

/* DEN0022D 5.1 function IDs hv/psci.h (the guests' PSCI) does not name. */
#define PSCI_CPU_FREEZE                0x8400000bu
#define PSCI_CPU_DEFAULT_SUSPEND       0x8400000cu
#define PSCI_CPU_DEFAULT_SUSPEND_64    0xc400000cu
#define PSCI_NODE_HW_STATE             0x8400000du
#define PSCI_NODE_HW_STATE_64          0xc400000du
#define PSCI_SET_SUSPEND_MODE          0x8400000fu
#define PSCI_STAT_RESIDENCY            0x84000010u
#define PSCI_STAT_RESIDENCY_64         0xc4000010u
#define PSCI_STAT_COUNT                0x84000011u
#define PSCI_STAT_COUNT_64             0xc4000011u
#define PSCI_MEM_PROTECT               0x84000013u
#define PSCI_MEM_PROTECT_CHECK_RANGE   0x84000014u
#define PSCI_MEM_PROTECT_CHECK_RANGE64 0xc4000014u

/* PSCI owns function numbers 0x00-0x1f of the standard secure service
 * range, in its SMC32 and SMC64 forms (DEN0028 6.2). */
static bool is_psci(uint32_t fid)
{
	return (fid & ~(HV_SMCCC_64 | 0x1fu)) == 0x84000000u;
}

enum kind { REFUSE, FORWARD, CPU_ON, CPU_OFF, SUSPEND, DEFAULT_SUSPEND, FEATURES };

static enum kind kind_of(uint32_t fid)
{
	switch (fid) {
	case HV_PSCI_VERSION:
	case HV_PSCI_AFFINITY_INFO:
	case HV_PSCI_AFFINITY_INFO_64:
	case HV_PSCI_MIGRATE_INFO_TYPE:
	case HV_PSCI_MIGRATE_INFO_UP_CPU:
	case HV_PSCI_MIGRATE_INFO_UP_CPU_64:
	case HV_PSCI_SYSTEM_OFF:
	case HV_PSCI_SYSTEM_RESET:
	case HV_PSCI_SYSTEM_RESET2:
	case HV_PSCI_SYSTEM_RESET2_64:
	case PSCI_NODE_HW_STATE:
	case PSCI_NODE_HW_STATE_64:
	case PSCI_STAT_RESIDENCY:
	case PSCI_STAT_RESIDENCY_64:
	case PSCI_STAT_COUNT:
	case PSCI_STAT_COUNT_64: return FORWARD;
	case HV_PSCI_FEATURES: return FEATURES;
	case HV_PSCI_CPU_ON:
	case HV_PSCI_CPU_ON_64: return CPU_ON;
	case HV_PSCI_CPU_OFF: return CPU_OFF;
	case HV_PSCI_CPU_SUSPEND:
	case HV_PSCI_CPU_SUSPEND_64: return SUSPEND;
	case PSCI_CPU_DEFAULT_SUSPEND:
	case PSCI_CPU_DEFAULT_SUSPEND_64: return DEFAULT_SUSPEND;
	default:
		return REFUSE; /* MIGRATE, CPU_FREEZE, SET_SUSPEND_MODE,
	                         * SYSTEM_SUSPEND, MEM_PROTECT*, unknown */
	}
}

hv_status_t hv_host_psci_init(struct hv_host_psci *hp, uint64_t el2_entry, const uint64_t *mpidr,
                              uint32_t nr_cpus, uint32_t boot_cpu)
{
	if (nr_cpus > HV_HOST_PSCI_MAX_CPUS)
		return HV_ERR_RANGE;
	if (!nr_cpus || boot_cpu >= nr_cpus || (el2_entry & 3))
		return HV_ERR_INVALID;
	for (uint32_t i = 0; i < nr_cpus; i++)
		for (uint32_t j = 0; j < i; j++)
			if ((mpidr[i] & HV_MPIDR_AFF_MASK) == (mpidr[j] & HV_MPIDR_AFF_MASK))
				return HV_ERR_INVALID;
	hv_memset(hp, 0, sizeof(*hp));
	hp->el2_entry = el2_entry;
	hp->nr_cpus = nr_cpus;
	for (uint32_t i = 0; i < nr_cpus; i++) {
		hp->cpu[i].mpidr = mpidr[i] & HV_MPIDR_AFF_MASK;
		hp->cpu[i].state = i == boot_cpu ? HV_HOST_CPU_ON : HV_HOST_CPU_OFF;
	}
	return HV_OK;
}

hv_status_t hv_host_psci_add_ram(struct hv_host_psci *hp, uint64_t base, uint64_t size)
{
	if (!size || base + size < base)
		return HV_ERR_INVALID;
	if (hp->nr_ram == HV_HOST_PSCI_MAX_RAM)
		return HV_ERR_RANGE;
	hp->ram[hp->nr_ram++] = (struct hv_host_ram){base, size};
	return HV_OK;
}

/* An entry point the host may be started at: word aligned, in its RAM. */
static bool entry_ok(const struct hv_host_psci *hp, uint64_t entry)
{
	if (entry & 3)
		return false;
	for (uint32_t i = 0; i < hp->nr_ram; i++)
		if (entry >= hp->ram[i].base && entry - hp->ram[i].base < hp->ram[i].size)
			return true;
	return false;
}

static uint32_t load_state(const struct hv_host_cpu *c)
{
	return __atomic_load_n(&c->state, __ATOMIC_ACQUIRE);
}

static bool move(struct hv_host_cpu *c, uint32_t from, uint32_t to)
{
	return __atomic_compare_exchange_n(&c->state, &from, to, false, __ATOMIC_ACQ_REL,
	                                   __ATOMIC_ACQUIRE);
}

static enum hv_host_smc_action answer(struct hv_host_psci *hp, uint64_t out[4], int64_t value)
{
	out[0] = (uint64_t)value;
	out[1] = out[2] = out[3] = 0;
	__atomic_add_fetch(&hp->refused, value < 0, __ATOMIC_RELAXED);
	return HV_HOST_SMC_ANSWER;
}

static enum hv_host_smc_action forward(struct hv_host_psci *hp, uint64_t out[4], uint64_t a0,
                                       uint64_t a1, uint64_t a2, uint64_t a3)
{
	out[0] = a0;
	out[1] = a1;
	out[2] = a2;
	out[3] = a3;
	__atomic_add_fetch(&hp->forwarded, 1u, __ATOMIC_RELAXED);
	return HV_HOST_SMC_FORWARD;
}

static enum hv_host_smc_action cpu_on(struct hv_host_psci *hp, uint64_t target, uint64_t entry,
                                      uint64_t context, uint64_t out[4])
{
	uint32_t i = 0;
	while (i < hp->nr_cpus && hp->cpu[i].mpidr != target)
		i++;
	if ((target & ~HV_MPIDR_AFF_MASK) || i == hp->nr_cpus)
		return answer(hp, out, HV_PSCI_INVALID_PARAMETERS);
	if (!entry_ok(hp, entry))
		return answer(hp, out, HV_PSCI_INVALID_ADDRESS);
	struct hv_host_cpu *c = &hp->cpu[i];
	if (!move(c, HV_HOST_CPU_OFF, HV_HOST_CPU_CLAIMED)) {
		uint32_t now = load_state(c);
		bool pending = now == HV_HOST_CPU_PENDING || now == HV_HOST_CPU_CLAIMED;
		return answer(hp, out, pending ? HV_PSCI_ON_PENDING : HV_PSCI_ALREADY_ON);
	}
	/* Ours until it arrives; published before the firmware starts it. */
	c->entry = entry;
	c->context = context;
	__atomic_store_n(&c->state, HV_HOST_CPU_PENDING, __ATOMIC_RELEASE);
	return forward(hp, out, HV_PSCI_CPU_ON_64, target, hp->el2_entry, i);
}

/* CPU_SUSPEND (power_state, entry, context) or CPU_DEFAULT_SUSPEND (entry,
 * context) on CPU cpu: it may come back at EL2's entry. */
static enum hv_host_smc_action suspend(struct hv_host_psci *hp, uint32_t cpu, bool deflt,
                                       const uint64_t a[4], uint64_t out[4])
{
	uint64_t entry = deflt ? a[1] : a[2], context = deflt ? a[2] : a[3];
	if (!entry_ok(hp, entry))
		return answer(hp, out, HV_PSCI_INVALID_ADDRESS);
	struct hv_host_cpu *c = &hp->cpu[cpu];
	if (load_state(c) != HV_HOST_CPU_ON)
		return answer(hp, out, HV_PSCI_DENIED); /* not running the host: a port bug */
	/* Only this CPU writes its entry while it is ON; the exchange below
	 * (release) publishes it to its arrival at EL2 (acquire). */
	c->entry = entry;
	c->context = context;
	if (!move(c, HV_HOST_CPU_ON, HV_HOST_CPU_SUSPENDING))
		return answer(hp, out, HV_PSCI_DENIED);
	if (deflt)
		return forward(hp, out, PSCI_CPU_DEFAULT_SUSPEND_64, hp->el2_entry, cpu, 0);
	return forward(hp, out, HV_PSCI_CPU_SUSPEND_64, a[1], hp->el2_entry, cpu);
}

enum hv_host_smc_action hv_host_psci_call(struct hv_host_psci *hp, uint32_t cpu,
                                          const uint64_t in[4], uint64_t out[4])
{
	uint32_t fid = (uint32_t)in[0];
	if (!is_psci(fid))
		return HV_HOST_SMC_NOT_PSCI;
	if (cpu >= hp->nr_cpus)
		return answer(hp, out, HV_PSCI_INTERNAL_FAILURE);
	/* SMC32 functions take 32-bit arguments (DEN0028 2.6). */
	uint64_t a[4] = {fid, in[1], in[2], in[3]};
	if (!(fid & HV_SMCCC_64))
		for (unsigned n = 1; n < 4; n++)
			a[n] = (uint32_t)a[n];
	switch (kind_of(fid)) {
	case FORWARD: return forward(hp, out, a[0], a[1], a[2], a[3]);
	case FEATURES: {
		uint32_t q = (uint32_t)a[1];
		if (is_psci(q) && kind_of(q) == REFUSE)
			return answer(hp, out, HV_PSCI_NOT_SUPPORTED);
		return forward(hp, out, a[0], a[1], 0, 0);
	}
	case CPU_ON: return cpu_on(hp, a[1], a[2], a[3], out);
	case CPU_OFF:
		if (!move(&hp->cpu[cpu], HV_HOST_CPU_ON, HV_HOST_CPU_OFF))
			return answer(hp, out, HV_PSCI_DENIED);
		return forward(hp, out, HV_PSCI_CPU_OFF, 0, 0, 0);
	case SUSPEND: return suspend(hp, cpu, false, a, out);
	case DEFAULT_SUSPEND: return suspend(hp, cpu, true, a, out);
	case REFUSE: break;
	}
	return answer(hp, out, HV_PSCI_NOT_SUPPORTED);
}

void hv_host_psci_done(struct hv_host_psci *hp, uint32_t cpu, const uint64_t in[4],
                       const uint64_t res[4])
{
	uint32_t fid = (uint32_t)in[0];
	if (!is_psci(fid) || cpu >= hp->nr_cpus)
		return;
	switch (kind_of(fid)) {
	case CPU_ON: {
		uint64_t target = fid & HV_SMCCC_64 ? in[1] : (uint32_t)in[1];
		for (uint32_t i = 0; i < hp->nr_cpus; i++)
			if (hp->cpu[i].mpidr == target && (int64_t)res[0] != HV_PSCI_SUCCESS)
				move(&hp->cpu[i], HV_HOST_CPU_PENDING, HV_HOST_CPU_OFF);
		break;
	}
	case CPU_OFF: /* returned: refused, the CPU still runs the host */
		__atomic_store_n(&hp->cpu[cpu].state, HV_HOST_CPU_ON, __ATOMIC_RELEASE);
		break;
	case SUSPEND:
	case DEFAULT_SUSPEND: /* a standby, or a refusal: back where it was */
		move(&hp->cpu[cpu], HV_HOST_CPU_SUSPENDING, HV_HOST_CPU_ON);
		break;
	default: break;
	}
}

bool hv_host_psci_arrive(struct hv_host_psci *hp, uint64_t token, uint64_t mpidr, uint32_t *cpu,
                         uint64_t *entry, uint64_t *context)
{
	if (token >= hp->nr_cpus)
		return false;
	struct hv_host_cpu *c = &hp->cpu[token];
	if (c->mpidr != (mpidr & HV_MPIDR_AFF_MASK))
		return false;
	if (!move(c, HV_HOST_CPU_PENDING, HV_HOST_CPU_ON) &&
	    !move(c, HV_HOST_CPU_SUSPENDING, HV_HOST_CPU_ON))
		return false;
	*cpu = (uint32_t)token;
	*entry = c->entry;
	*context = c->context;
	return true;
}
