// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * hv_storm.ko: a randomized hostile host for hvcore's hypercall server at
 * EL2 (tests/kmod/storm.sh). Raw hypercalls (SMCCC 1.1, hv/abi.h), no
 * gzvm.ko involved. At load:
 *
 * 1. The fixed exhaustion test: one VM kept alive, then `cycles` times
 *    CREATE_VM + DESTROY_VM (until done): every creation must succeed (a
 *    pool that loses freed 2-page stage-2 roots fails here after ~445).
 * 2. For each seed in `seeds`: one kthread per online CPU, bound to it, for
 *    `seconds`, each with its own PRNG and its own model of its VMs and of
 *    the pages it gave them. Valid sequences (CREATE_VM, SET_MEMREGION,
 *    CREATE_VCPU, MAP_GUEST, SET_ONE_REG, RUN of a scripted or a random
 *    guest with every exit answered, DESTROY_VM in random batches) mixed
 *    with hostile mutations (pages of the hypervisor, past the host's RAM,
 *    already given, misaligned run areas, reserved fields set, vCPUs and
 *    slots that do not exist, calls on VMIDs that may be the other
 *    thread's). Oracles after every call: a call that must be refused
 *    was refused; GET_STATISTICS' shared bytes equal the model's pages;
 *    RUN's a1 equals the run area's exit_reason and is a known reason; a
 *    MEM_RELINQUISH exit names a page this VM was given, at that IPA.
 *    Then every VM is destroyed (and its pages freed back to Linux).
 *
 * Last line: "hv_storm: PASS calls <n> ..." or "hv_storm: FAIL ...". The
 * caller also checks the hypervisor's power-off line (no VM, every page
 * the host's) and that reads of the hypervisor's memory still fault.
 *
 *   insmod hv_storm.ko ram_start=0x50000000 ram_size=0x10000000 \
 *          foreign=0x40000000 seeds=1,2 seconds=20 cycles=2000
 */
#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/gfp.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>

#include <hv/abi.h>

static unsigned long ram_start, ram_size, foreign;
static unsigned int seeds[8] = {1};
static int nr_seeds = 1;
static unsigned int seconds = 10, cycles = 2000;
module_param(ram_start, ulong, 0444);
module_param(ram_size, ulong, 0444);
module_param(foreign, ulong, 0444);
module_param_array(seeds, uint, &nr_seeds, 0444);
module_param(seconds, uint, 0444);
module_param(cycles, uint, 0444);

static atomic64_t nr_calls;
static atomic_t nr_failures;

#define GPA                0x40000000ull
#define SLOT_PAGES         64u /* slot 0: GPA .. GPA + 64 pages, demand paged */
#define FAULT_GPA          0x40010000ull
#define MMIO_GPA           0x09000000ull
#define VMS_EACH           2u
#define GIVEN_MAX          SLOT_PAGES
#define PSTATE_EL1H_MASKED 0x3c5ull /* EL1h, DAIF set */

static long call(u32 fn, u64 a1, u64 a2, u64 a3, u64 a4, u64 a5, struct arm_smccc_res *r)
{
	arm_smccc_1_1_invoke(HV_ABI_FN(fn), a1, a2, a3, a4, a5, 0, 0, r);
	atomic64_inc(&nr_calls);
	return (long)r->a0;
}

#define fail(fmt, ...)                                                                             \
	do {                                                                                       \
		if (atomic_inc_return(&nr_failures) <= 20)                                         \
			pr_info("hv_storm: FAIL " fmt "\n", ##__VA_ARGS__);                        \
	} while (0)

/* The scripted guest (aarch64, at GPA): an MMIO store and load, a store to
 * an unmapped page of the slot (a page fault the host answers), that page
 * relinquished (SMCCC MEM_RELINQUISH), PSCI SYSTEM_OFF, then a loop. */
static const u32 scripted_guest[] = {
    0xd2a12001, /* mov  x1, #0x9000000 */
    0xb9000022, /* str  w2, [x1] */
    0xb9400423, /* ldr  w3, [x1, #4] */
    0xd2a80024, /* mov  x4, #0x40010000 */
    0xf9000083, /* str  x3, [x4] */
    0xf9400485, /* ldr  x5, [x4, #8] */
    0xd2800120, /* mov  x0, #0x9 */
    0xf2b8c000, /* movk x0, #0xc600, lsl #16 */
    0xaa0403e1, /* mov  x1, x4 */
    0xd4000002, /* hvc  #0 */
    0xd2800100, /* mov  x0, #0x8 */
    0xf2b08000, /* movk x0, #0x8400, lsl #16 */
    0xd4000002, /* hvc  #0 */
    0x14000000, /* b    . */
};

struct vm_model {
	long vmid; /* 0: slot unused */
	bool has_vcpu;
	struct page *run_area; /* 2 pages */
	unsigned int nr_given;
	struct page *given[GIVEN_MAX]; /* index: gfn - GPA's gfn; NULL: not given */
	bool stopped;                  /* the guest powered off or RUN refused: not run again */
};

struct worker {
	unsigned int cpu;
	u64 rng;
	struct task_struct *task;
	struct vm_model vms[VMS_EACH];
	void *buf; /* a page for region buffers and device descriptions */
	unsigned long runs, exits, mapped, relinquished, destroyed, hostile;
	struct completion done;
};

static u64 next(struct worker *w)
{
	/* xorshift64* */
	w->rng ^= w->rng >> 12;
	w->rng ^= w->rng << 25;
	w->rng ^= w->rng >> 27;
	return w->rng * 0x2545f4914f6cdd1dull;
}

static unsigned int below(struct worker *w, unsigned int n)
{
	return (unsigned int)(next(w) % n);
}

static void expect_refused(struct worker *w, const char *what, long got)
{
	w->hostile++;
	if (got >= 0)
		fail("cpu %u: %s accepted (%ld)", w->cpu, what, got);
}

static void check_stats(struct worker *w, struct vm_model *m, const char *after)
{
	struct arm_smccc_res r;
	long ret = call(HV_ABI_GET_STATISTICS, m->vmid, 0, 0, 0, 0, &r);
	if (ret != HV_ABI_OK || r.a2 != (u64)m->nr_given * PAGE_SIZE)
		fail("cpu %u: GET_STATISTICS vm %ld after %s: %ld shared %lu, model %u pages",
		     w->cpu, m->vmid, after, ret, (unsigned long)r.a2, m->nr_given);
}

static bool map_page(struct worker *w, struct vm_model *m, unsigned int idx)
{
	struct arm_smccc_res r;
	struct page *p = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!p)
		return false;
	if (idx == 0)
		memcpy(page_address(p), scripted_guest, sizeof(scripted_guest));
	else if (idx == 1) /* a random guest's code */
		get_random_bytes(page_address(p), PAGE_SIZE);
	long ret =
	    call(HV_ABI_MAP_GUEST, m->vmid, 0, page_to_pfn(p), (GPA >> PAGE_SHIFT) + idx, 1, &r);
	if (ret != HV_ABI_OK) {
		fail("cpu %u: MAP_GUEST vm %ld gfn +%u: %ld", w->cpu, m->vmid, idx, ret);
		__free_page(p);
		return false;
	}
	m->given[idx] = p;
	m->nr_given++;
	w->mapped++;
	return true;
}

static void vm_create(struct worker *w, struct vm_model *m)
{
	struct arm_smccc_res r;
	struct hv_abi_mem_region *region = w->buf;
	long ret = call(HV_ABI_CREATE_VM, 0, 0, 0, 0, 0, &r);
	if (ret != HV_ABI_OK) {
		fail("cpu %u: CREATE_VM: %ld", w->cpu, ret);
		return;
	}
	memset(m, 0, sizeof(*m));
	m->vmid = (long)r.a1;
	*region = (struct hv_abi_mem_region){.slot = 0, .total_pages = SLOT_PAGES, .gpa = GPA};
	ret = call(HV_ABI_SET_MEMREGION, m->vmid, sizeof(*region), virt_to_phys(w->buf), 0, 0, &r);
	if (ret != HV_ABI_OK)
		fail("cpu %u: SET_MEMREGION vm %ld: %ld", w->cpu, m->vmid, ret);
	m->run_area = alloc_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!m->run_area)
		return;
	u64 t = HV_ABI_TUPLE(m->vmid, 0);
	ret = call(HV_ABI_CREATE_VCPU, t, page_to_phys(m->run_area), 0, 0, 0, &r);
	if (ret != HV_ABI_OK) {
		fail("cpu %u: CREATE_VCPU vm %ld: %ld", w->cpu, m->vmid, ret);
		return;
	}
	m->has_vcpu = true;
	/* The scripted guest or a random one (code page at GPA + 1 page). */
	bool random_guest = below(w, 2);
	if (!map_page(w, m, 0) || (random_guest && !map_page(w, m, 1)))
		return;
	u64 pc = GPA + (random_guest ? PAGE_SIZE : 0);
	if (call(HV_ABI_SET_ONE_REG, t, HV_GZVM_REG_PC, pc, 0, 0, &r) != HV_ABI_OK ||
	    call(HV_ABI_SET_ONE_REG, t, HV_GZVM_REG_PSTATE, PSTATE_EL1H_MASKED, 0, 0, &r) !=
	        HV_ABI_OK)
		fail("cpu %u: SET_ONE_REG vm %ld", w->cpu, m->vmid);
	check_stats(w, m, "create");
}

static void vm_destroy(struct worker *w, struct vm_model *m)
{
	struct arm_smccc_res r;
	long ret;
	unsigned int n = 0;
	if (!m->vmid)
		return;
	check_stats(w, m, "before destroy");
	do {
		u64 batch = below(w, 3) ? 0 : 1 + below(w, 512);
		ret = call(HV_ABI_DESTROY_VM, m->vmid, batch, 0, 0, 0, &r);
		cond_resched();
	} while (ret == HV_ABI_ERR_BUSY && ++n < 1000000);
	if (ret != HV_ABI_OK) {
		fail("cpu %u: DESTROY_VM vm %ld: %ld after %u calls", w->cpu, m->vmid, ret, n);
		m->vmid = 0; /* its pages stay out of Linux's hands */
		return;
	}
	/* (Whether the VMID is refused now cannot be checked here: the other
	 * thread may have been given it already; create_destroy_cycles does.) */
	for (unsigned int i = 0; i < GIVEN_MAX; i++)
		if (m->given[i])
			__free_page(m->given[i]);
	if (m->run_area)
		__free_pages(m->run_area, 1);
	memset(m, 0, sizeof(*m));
	w->destroyed++;
}

static bool known_exit(u64 reason)
{
	switch (reason) {
	case HV_ABI_EXIT_UNKNOWN:
	case HV_ABI_EXIT_MMIO:
	case HV_ABI_EXIT_HYPERCALL:
	case HV_ABI_EXIT_IRQ:
	case HV_ABI_EXIT_EXCEPTION:
	case HV_ABI_EXIT_DEBUG:
	case HV_ABI_EXIT_FAIL_ENTRY:
	case HV_ABI_EXIT_INTERNAL_ERROR:
	case HV_ABI_EXIT_SYSTEM_EVENT:
	case HV_ABI_EXIT_SHUTDOWN:
	case HV_ABI_EXIT_GZ:
	case HV_ABI_EXIT_IDLE:
	case HV_ABI_EXIT_IPI: return true;
	default: return false;
	}
}

/* Answer one exit; false: stop running this VM. */
static bool answer(struct worker *w, struct vm_model *m, struct hv_abi_vcpu_run *run)
{
	switch (run->exit_reason) {
	case HV_ABI_EXIT_IRQ:
	case HV_ABI_EXIT_IPI: return true;
	case HV_ABI_EXIT_MMIO:
		if (!run->mmio.is_write)
			memcpy(run->mmio.data, &(u64){next(w)}, sizeof(run->mmio.data));
		run->mmio.host_abort = below(w, 8) == 0 ? HV_ABI_MMIO_ABORT : 0;
		return true;
	case HV_ABI_EXIT_EXCEPTION: {
		u64 gpa = run->exception.fault_gpa;
		if (run->exception.exception != HV_ABI_EXCEPTION_PAGE_FAULT || gpa < GPA ||
		    gpa >= GPA + SLOT_PAGES * PAGE_SIZE || gpa % PAGE_SIZE)
			return false;
		unsigned int idx = (unsigned int)((gpa - GPA) >> PAGE_SHIFT);
		if (m->given[idx]) {
			fail("cpu %u: vm %ld page fault at +%u, a page it has", w->cpu, m->vmid,
			     idx);
			return false;
		}
		return map_page(w, m, idx);
	}
	case HV_ABI_EXIT_HYPERCALL:
		if (run->hypercall.args[0] == HV_ABI_GUEST_MEM_RELINQUISH) {
			u64 ipa = run->hypercall.args[1], pa = run->hypercall.args[2];
			unsigned int idx = (unsigned int)((ipa - GPA) >> PAGE_SHIFT);
			if (ipa < GPA || idx >= SLOT_PAGES || !m->given[idx] ||
			    page_to_phys(m->given[idx]) != pa) {
				fail("cpu %u: vm %ld relinquished IPA %llx PA %llx: not a page it "
				     "had",
				     w->cpu, m->vmid, ipa, pa);
				return false;
			}
			__free_page(m->given[idx]); /* the host's again */
			m->given[idx] = NULL;
			m->nr_given--;
			w->relinquished++;
		}
		memset(run->hypercall.args, 0, sizeof(run->hypercall.args));
		return true;
	default: return false; /* power-off, idle, errors: done with it */
	}
}

static void vm_run(struct worker *w, struct vm_model *m)
{
	struct arm_smccc_res r;
	struct hv_abi_vcpu_run *run = page_address(m->run_area);
	for (unsigned int i = 0, n = 1 + below(w, 16); i < n && !m->stopped; i++) {
		long ret = call(HV_ABI_RUN, HV_ABI_TUPLE(m->vmid, 0), 0, 0, 0, 0, &r);
		w->runs++;
		if (ret != HV_ABI_OK) {
			fail("cpu %u: RUN vm %ld: %ld", w->cpu, m->vmid, ret);
			m->stopped = true;
			return;
		}
		if (r.a1 != run->exit_reason || !known_exit(r.a1)) {
			fail("cpu %u: RUN vm %ld: a1 %lx, run area %x", w->cpu, m->vmid,
			     (unsigned long)r.a1, run->exit_reason);
			m->stopped = true;
			return;
		}
		w->exits++;
		if (!answer(w, m, run))
			m->stopped = true;
		check_stats(w, m, "RUN");
		cond_resched();
	}
}

/* A hostile call on one of this thread's VMs, or on any VMID. */
static void hostile(struct worker *w, struct vm_model *m)
{
	struct arm_smccc_res r;
	u64 end = ram_start + ram_size;
	long vmid = m->vmid ? m->vmid : 2 + below(w, 8);
	long any = 2 + below(w, 8); /* maybe the other thread's */
	u64 gfn = (GPA >> PAGE_SHIFT) + 2 + below(w, SLOT_PAGES - 2);
	struct hv_abi_mem_region *region = w->buf;
	struct hv_abi_mem_constituent *c = (void *)(region + 1);
	struct hv_abi_create_device *dev = w->buf;
	unsigned int given_idx = 0;

	switch (below(w, 12)) {
	case 0:
		expect_refused(w, "MAP_GUEST of the hypervisor's page",
		               call(HV_ABI_MAP_GUEST, vmid, 0,
		                    (foreign >> PAGE_SHIFT) + below(w, 1024), gfn, 1, &r));
		break;
	case 1:
		expect_refused(w, "MAP_GUEST past the host's RAM",
		               call(HV_ABI_MAP_GUEST, any, 0, (end >> PAGE_SHIFT) + below(w, 4096),
		                    gfn, 1, &r));
		break;
	case 2: /* a page this VM already has */
		while (given_idx < GIVEN_MAX && (!m->given[given_idx]))
			given_idx++;
		if (given_idx == GIVEN_MAX)
			break;
		expect_refused(
		    w, "MAP_GUEST of a page given already",
		    call(HV_ABI_MAP_GUEST, vmid, 0, page_to_pfn(m->given[given_idx]), gfn, 1, &r));
		break;
	case 3:
		expect_refused(w, "CREATE_VCPU with a misaligned run area",
		               call(HV_ABI_CREATE_VCPU, HV_ABI_TUPLE(vmid, 1 + below(w, 7)),
		                    virt_to_phys(w->buf) + 8 * (1 + below(w, 511)), 0, 0, 0, &r));
		break;
	case 4:
		expect_refused(w, "CREATE_VCPU with the run area in the hypervisor",
		               call(HV_ABI_CREATE_VCPU, HV_ABI_TUPLE(any, 1 + below(w, 7)),
		                    foreign + PAGE_SIZE * below(w, 64), 0, 0, 0, &r));
		break;
	case 5:
		*region = (struct hv_abi_mem_region){.slot = 1 + below(w, 31),
		                                     .constituent_cnt = 1,
		                                     .total_pages = 1,
		                                     .gpa = GPA + 0x10000000};
		*c = (struct hv_abi_mem_constituent){.address = foreign + PAGE_SIZE * below(w, 64),
		                                     .pg_cnt = 1};
		expect_refused(w, "SET_MEMREGION with the hypervisor's page",
		               call(HV_ABI_SET_MEMREGION, vmid, sizeof(*region) + sizeof(*c),
		                    virt_to_phys(w->buf), 0, 0, &r));
		break;
	case 6:
		expect_refused(w, "SET_MEMREGION buffer in the hypervisor",
		               call(HV_ABI_SET_MEMREGION, any, sizeof(*region),
		                    foreign + PAGE_SIZE * below(w, 64), 0, 0, &r));
		break;
	case 7:
		*dev = (struct hv_abi_create_device){.dev_type = below(w, 2),
		                                     .flags = 1ull << below(w, 64),
		                                     .dev_addr = 0x08000000,
		                                     .dev_reg_size = 0x10000};
		expect_refused(w, "CREATE_DEVICE with reserved flags set",
		               call(HV_ABI_CREATE_DEVICE, vmid, virt_to_phys(w->buf), 0, 0, 0, &r));
		break;
	case 8:
		expect_refused(
		    w, "RUN of a vCPU that cannot exist",
		    call(HV_ABI_RUN, HV_ABI_TUPLE(any, 8 + below(w, 0xfff8)), 0, 0, 0, 0, &r));
		break;
	case 9:
		expect_refused(w, "MAP_GUEST into a slot that does not exist",
		               call(HV_ABI_MAP_GUEST, vmid, 1 + below(w, 31),
		                    (foreign >> PAGE_SHIFT), gfn, 1, &r));
		break;
	case 10:
		expect_refused(w, "DESTROY_VCPU of a vCPU that cannot exist",
		               call(HV_ABI_DESTROY_VCPU, HV_ABI_TUPLE(any, 8 + below(w, 100)), 0, 0,
		                    0, 0, &r));
		break;
	default:
		expect_refused(w, "DESTROY_VM of VMID 1 (the host's) or 0",
		               call(HV_ABI_DESTROY_VM, below(w, 2), 0, 0, 0, 0, &r));
		break;
	}
	if (m->vmid)
		check_stats(w, m, "a hostile call");
}

static int storm_thread(void *arg)
{
	struct worker *w = arg;
	unsigned long end = jiffies + seconds * HZ;
	while (time_before(jiffies, end)) {
		struct vm_model *m = &w->vms[below(w, VMS_EACH)];
		unsigned int op = below(w, 16);
		if (!m->vmid)
			vm_create(w, m);
		else if (op < 6 && m->has_vcpu)
			vm_run(w, m);
		else if (op < 8 && m->nr_given < GIVEN_MAX - 8) {
			unsigned int idx = 2 + below(w, SLOT_PAGES - 2);
			if (!m->given[idx] && (FAULT_GPA - GPA) >> PAGE_SHIFT != idx)
				map_page(w, m, idx);
			check_stats(w, m, "MAP_GUEST");
		} else if (op < 15)
			hostile(w, m);
		else
			vm_destroy(w, m);
		cond_resched();
	}
	for (unsigned int i = 0; i < VMS_EACH; i++)
		vm_destroy(w, &w->vms[i]);
	complete(&w->done);
	return 0;
}

static void create_destroy_cycles(void)
{
	struct arm_smccc_res r;
	long keep, ret;
	unsigned int done = 0;
	if (call(HV_ABI_CREATE_VM, 0, 0, 0, 0, 0, &r) != HV_ABI_OK) {
		fail("create/destroy: CREATE_VM of the VM kept alive");
		return;
	}
	keep = (long)r.a1;
	for (; done < cycles; done++) {
		ret = call(HV_ABI_CREATE_VM, 0, 0, 0, 0, 0, &r);
		if (ret != HV_ABI_OK) {
			fail("create/destroy: CREATE_VM at cycle %u: %ld", done, ret);
			break;
		}
		long vmid = (long)r.a1;
		do
			ret = call(HV_ABI_DESTROY_VM, vmid, 0, 0, 0, 0, &r);
		while (ret == HV_ABI_ERR_BUSY);
		if (ret != HV_ABI_OK) {
			fail("create/destroy: DESTROY_VM at cycle %u: %ld", done, ret);
			break;
		}
		if (call(HV_ABI_GET_STATISTICS, vmid, 0, 0, 0, 0, &r) >= 0) {
			fail("create/destroy: GET_STATISTICS of destroyed VM %ld accepted", vmid);
			break;
		}
		cond_resched();
	}
	do
		ret = call(HV_ABI_DESTROY_VM, keep, 0, 0, 0, 0, &r);
	while (ret == HV_ABI_ERR_BUSY);
	if (ret != HV_ABI_OK)
		fail("create/destroy: DESTROY_VM of the VM kept alive: %ld", ret);
	pr_info("hv_storm: create/destroy: %u of %u cycles with one VM alive\n", done, cycles);
}

static void storm(unsigned int seed)
{
	unsigned int nr = num_online_cpus(), cpu, i = 0;
	struct worker *ws = kcalloc(nr, sizeof(*ws), GFP_KERNEL);
	unsigned long runs = 0, exits = 0, mapped = 0, relinq = 0, destroyed = 0, hostile_calls = 0;
	s64 calls0 = atomic64_read(&nr_calls);
	if (!ws) {
		fail("storm: no memory");
		return;
	}
	for_each_online_cpu(cpu)
	{
		struct worker *w = &ws[i];
		if (i == nr)
			break;
		w->cpu = cpu;
		w->rng = ((u64)seed << 32 | (cpu + 1)) * 0x9e3779b97f4a7c15ull | 1;
		w->buf = (void *)get_zeroed_page(GFP_KERNEL);
		init_completion(&w->done);
		w->task = w->buf ? kthread_create(storm_thread, w, "hv_storm/%u", cpu) : NULL;
		if (IS_ERR_OR_NULL(w->task)) {
			fail("storm: kthread on cpu %u", cpu);
			w->task = NULL;
			i++;
			continue;
		}
		kthread_bind(w->task, cpu);
		wake_up_process(w->task);
		i++;
	}
	for (i = 0; i < nr; i++) {
		struct worker *w = &ws[i];
		if (w->task)
			wait_for_completion(&w->done);
		runs += w->runs;
		exits += w->exits;
		mapped += w->mapped;
		relinq += w->relinquished;
		destroyed += w->destroyed;
		hostile_calls += w->hostile;
		free_page((unsigned long)w->buf);
	}
	kfree(ws);
	pr_info(
	    "hv_storm: seed %u: %u threads, %u s: calls %lld runs %lu exits %lu pages mapped %lu "
	    "relinquished %lu vms destroyed %lu hostile calls %lu\n",
	    seed, nr, seconds, atomic64_read(&nr_calls) - calls0, runs, exits, mapped, relinq,
	    destroyed, hostile_calls);
}

static int __init hv_storm_init(void)
{
	struct arm_smccc_res r;
	if (!ram_size || !foreign) {
		pr_info("hv_storm: FAIL set-up (ram_start/ram_size/foreign missing)\n");
		return 0;
	}
	if (call(HV_ABI_PROBE, HV_ABI_DRIVER_MAJOR, 0, 0, 0, 0, &r) != HV_ABI_OK)
		fail("PROBE");
	create_destroy_cycles();
	for (int i = 0; i < nr_seeds; i++)
		storm(seeds[i]);
	if (atomic_read(&nr_failures))
		pr_info("hv_storm: FAIL %d failures, calls %lld\n", atomic_read(&nr_failures),
		        atomic64_read(&nr_calls));
	else
		pr_info("hv_storm: PASS calls %lld seeds %d seconds %u each\n",
		        atomic64_read(&nr_calls), nr_seeds, seconds);
	return 0;
}

static void __exit hv_storm_exit(void) {}

module_init(hv_storm_init);
module_exit(hv_storm_exit);
MODULE_DESCRIPTION("hvcore test: a randomized hostile host");
MODULE_LICENSE("GPL");
