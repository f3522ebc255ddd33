/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's PSCI calls at EL2, for a host that runs on the physical CPUs
 * itself (mode A on MediaTek: Linux at EL1 over EL2, its SMCs trapped by
 * HCR_EL2.TSC), as GenieZone's "host PSCI support" does: the calls go on to
 * the firmware (TF-A), except that a CPU the host powers on or that resumes
 * from a power-down must enter EL2 first. So CPU_ON, CPU_SUSPEND and
 * CPU_DEFAULT_SUSPEND go out with EL2's entry point and the CPU's index as
 * context ID; the host's own entry point and context ID are kept per CPU,
 * and EL2, once the CPU has arrived (hv_host_psci_arrive), drops into the
 * host there with x0 = that context ID. Secondary CPUs stay off until the
 * host asks for them.
 *
 * Per CPU (DEN0022D 5.1.4-5.1.6 give the answers the host sees):
 *
 *   OFF --CPU_ON claims it--> CLAIMED --entry kept--> PENDING --arrived at EL2--> ON
 *   PENDING --firmware refused the CPU_ON--> OFF
 *   ON --CPU_OFF--> OFF (back to ON if the firmware refuses)
 *   ON --CPU_SUSPEND / CPU_DEFAULT_SUSPEND--> SUSPENDING
 *   SUSPENDING --the call returned, or the CPU arrived at EL2--> ON
 *
 * Of racing CPU_ONs for one CPU, one claims it (an atomic exchange); the
 * others answer ON_PENDING or ALREADY_ON without a firmware call. The
 * claimer publishes the entry and context ID with a release store of
 * PENDING, which the arriving CPU's acquire exchange to ON reads.
 *
 * Forwarded unchanged: VERSION, FEATURES (but NOT_SUPPORTED for a function
 * refused here), AFFINITY_INFO, MIGRATE_INFO_TYPE, MIGRATE_INFO_UP_CPU,
 * SYSTEM_OFF, SYSTEM_RESET, SYSTEM_RESET2, NODE_HW_STATE, STAT_RESIDENCY,
 * STAT_COUNT. Refused (NOT_SUPPORTED, no firmware call): MIGRATE (it moves
 * the trusted OS), CPU_FREEZE, SET_SUSPEND_MODE, SYSTEM_SUSPEND (EL2 keeps
 * no state across a system suspend yet), MEM_PROTECT and
 * MEM_PROTECT_CHECK_RANGE (firmware memory protection is EL2's business),
 * and every other function ID in the PSCI ranges. Other SMCs are not PSCI:
 * the port decides.
 */
#ifndef HV_HOST_PSCI_H
#define HV_HOST_PSCI_H

#include <hv/types.h>

#define HV_HOST_PSCI_MAX_CPUS 16
#define HV_HOST_PSCI_MAX_RAM  8

enum hv_host_cpu_state {
	HV_HOST_CPU_OFF,
	HV_HOST_CPU_PENDING,    /* CPU_ON forwarded, not yet arrived at EL2 */
	HV_HOST_CPU_ON,         /* running the host */
	HV_HOST_CPU_SUSPENDING, /* in a forwarded CPU_SUSPEND / CPU_DEFAULT_SUSPEND */
	HV_HOST_CPU_CLAIMED,    /* a CPU_ON is writing the entry, before PENDING */
};

struct hv_host_cpu {
	uint64_t mpidr;          /* affinity fields */
	uint32_t state;          /* enum hv_host_cpu_state, changed atomically */
	uint64_t entry, context; /* the host's, for its next arrival at EL2 */
};

struct hv_host_psci {
	uint64_t el2_entry; /* PA at which firmware starts or resumes a CPU for EL2 */
	uint32_t nr_cpus;
	struct hv_host_cpu cpu[HV_HOST_PSCI_MAX_CPUS];
	uint32_t nr_ram;
	struct hv_host_ram {
		uint64_t base, size;
	} ram[HV_HOST_PSCI_MAX_RAM]; /* where the host may be entered */
	uint64_t forwarded, refused; /* calls, for the port's report */
};

/* What the port does with the host's SMC. */
enum hv_host_smc_action {
	HV_HOST_SMC_NOT_PSCI, /* not a PSCI function ID: the port's decision */
	HV_HOST_SMC_ANSWER,   /* answered here: out[0..3] go back to the host */
	HV_HOST_SMC_FORWARD,  /* out[0..3] go to the firmware, then hv_host_psci_done */
};

/* mpidr[i]: CPU i's MPIDR (affinity fields kept); boot_cpu starts ON.
 * HV_ERR_INVALID for no CPUs, duplicates, a boot_cpu out of range or an
 * unaligned el2_entry; HV_ERR_RANGE for more than HV_HOST_PSCI_MAX_CPUS. */
hv_status_t hv_host_psci_init(struct hv_host_psci *hp, uint64_t el2_entry, const uint64_t *mpidr,
                              uint32_t nr_cpus, uint32_t boot_cpu);

/* Host RAM a CPU may be entered in (the hypervisor's memory left out).
 * HV_ERR_INVALID for an empty or wrapping range, HV_ERR_RANGE when full. */
hv_status_t hv_host_psci_add_ram(struct hv_host_psci *hp, uint64_t base, uint64_t size);

/*
 * The host's SMC on CPU cpu (its x0..x3 in in[]): what to do, with out[]
 * filled for ANSWER and FORWARD. SMC32 function IDs take 32-bit arguments
 * (DEN0028 2.6); the rewritten calls go to firmware as their SMC64 forms.
 */
enum hv_host_smc_action hv_host_psci_call(struct hv_host_psci *hp, uint32_t cpu,
                                          const uint64_t in[4], uint64_t out[4]);

/* A FORWARDed call came back from the firmware on CPU cpu with res[0..3]:
 * the state it leaves; res[] is then what the host gets. */
void hv_host_psci_done(struct hv_host_psci *hp, uint32_t cpu, const uint64_t in[4],
                       const uint64_t res[4]);

/*
 * A CPU entered EL2 at el2_entry with x0 = token and its MPIDR: true, with
 * its index and the host's entry point and context ID, when it is the CPU
 * that token names and the host is waiting for it (a CPU_ON or a suspend);
 * false for any other arrival (the CPU must not enter the host).
 */
bool hv_host_psci_arrive(struct hv_host_psci *hp, uint64_t token, uint64_t mpidr, uint32_t *cpu,
                         uint64_t *entry, uint64_t *context);

#endif
