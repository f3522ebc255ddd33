/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host mode: the hypercall server at EL2. The host VM's RAM is mapped into
 * its stage 2 at IPA == PA, so the physical addresses its driver passes
 * (virt_to_phys, page_to_pfn) are real ones; that RAM, and nothing else
 * (not EL2's image, pool or the DTB), is the server's managed memory, all
 * owned by the host at first. The server's VMs live in a hyp of their own
 * (core/vm), beside the port's hyp that holds the host VM; the host VM's
 * VMID is reserved there, so no two live stage-2 tables share a VMID.
 *
 * The host is untrusted: every buffer it names goes through the server's
 * ownership checks and then host_map, which takes the host's IPA -> PA
 * from the host VM's stage 2 (hv_s2_lookup) and refuses anything that is
 * not mapped there, not RW Normal memory, or not identity mapped.
 *
 * Protected VMs (ENABLE_CAP PROTECTED_VM SET_PROTECTED_VM): the server's
 * managed memory is attached to the host's stage 2 (hv_pgown_attach_host_s2,
 * hv/mem.h), so a page donated to a protected VM is not mapped there (an
 * invalid descriptor) until the VM shares it or it comes back zeroed. A host access to such a
 * page is a stage-2 fault here, answered by a synchronous external abort
 * injected into the host (el2_host_abi_denied_fault): Linux sends SIGBUS
 * to a user access.
 *
 * Invariants: the host's stage 2 maps all of the host's RAM at IPA == PA
 * and nothing else; only the server changes it (under its lock, as
 * host_map walks it): a 2 MiB block is split while a protected VM has a
 * page in it, only such pages are unmapped (their table stays), and the
 * block comes back when the last one returns, so at power-off its
 * shape is the one mapped before the host first ran (checked). The host VM
 * is not offered SMCCC MEM_RELINQUISH (it would unmap a host page and
 * queue it for a host that has no one to unpin it), and its stage 2 never
 * faults for RAM the host may access (a fault on a page just given back
 * finds it pinned and retries the access).
 *
 * RUN runs the guest here, on the CPU of the host vCPU that called it
 * (abi_runtime_el2.c). The server's calls are serialized by their own
 * lock, not the host VM's: a host vCPU's call waiting for it at EL2 makes
 * the RUN in progress give way after its current guest entry (at most
 * 1 ms of guest time, then that exit's handling); see README's lock order.
 */
#include "host_abi.h"

#include <hv/esr.h>
#include <hv/inject.h>
#include <hv/mem.h>
#include <hv/s2.h>

#include "abi_runtime_el2.h"
#include "console.h"
#include "event_trace.h"
#include "gic.h"
#include "idregs_hw.h"
#include "guest_config.h"
#include "pool.h"
#include "run_entry.h"
#include "smp.h"

static struct hv_hyp srv_hyp;
static struct hv_page_owner srv_owners[EL2_GUEST_MAX_RAM / HV_PAGE_SIZE];
static struct hv_abi_server srv;
static struct hv_vm *host_vm;      /* el2-qemu's host VM; NULL for a host on the machine */
static struct hv_s2_pgt *host_pgt; /* the host's stage 2; NULL: no server */
static uint16_t host_vmid;
static uint64_t host_pages;
/* The host's stage 2 as mapped before it first ran (host_map's walks rely
 * on it never changing; checked at power-off). */
static struct hv_s2_stats host_s2_at_boot;
/* Protected VMs' pages leave the host's stage 2 (core/mem/host_s2.c). */
static struct hv_host_s2 host_s2;
static uint16_t host_hidden[EL2_GUEST_MAX_RAM / HV_SZ_2M];
static uint64_t host_denied_faults;
static uint64_t calls, refused;
static uint64_t calls_of[HV_ABI_NR_FN]; /* by function number */
/* Serializes the server's calls (hv/abi_server.h); RUN holds it while the
 * guest runs. Taken without the host VM's lock. */
static struct el2_lock srv_lock;
/* Host CPUs waiting for srv_lock (RUN gives way after one entry), and the
 * longest wait seen, in counter ticks (a figure for the README). */
static volatile uint32_t srv_waiters;
static uint64_t srv_wait_max;
static uint64_t srv_hold_max; /* the longest call, in ticks, and its function */
static unsigned srv_hold_max_fn;

static void *host_map(void *arg, hv_pa_t pa, uint64_t size)
{
	(void)arg;
	uint64_t ipa = hv_pa_addr(pa);
	if (size == 0 || hv_range_wraps(ipa, size))
		return NULL;
	uint64_t end = ipa + size;
	for (uint64_t p = ipa & ~(HV_PAGE_SIZE - 1); p < end;) {
		struct hv_s2_leaf leaf;
		if (hv_s2_lookup(host_pgt, hv_ipa(p), &leaf) != HV_OK || hv_pa_addr(leaf.pa) != p ||
		    leaf.type != HV_S2_MEM_NORMAL_WB ||
		    (leaf.prot & HV_S2_PROT_RW) != HV_S2_PROT_RW)
			return NULL;
		uint64_t next = (p & ~(leaf.size - 1)) + leaf.size;
		if (next <= p)
			break; /* the top of the address space */
		p = next;
	}
	return (void *)(uintptr_t)ipa; /* EL2 maps RAM at VA == PA */
}

static void *page_va(void *arg, hv_pa_t pa)
{
	(void)arg;
	return (void *)(uintptr_t)hv_pa_addr(pa); /* EL2 maps RAM at VA == PA */
}

/* The runtime of RUN (abi_runtime_el2.c), with this CPU interface's LRs. */
static struct hv_abi_runtime_ops rt;

hv_status_t el2_host_abi_setup(struct hv_s2_pgt *s2, uint16_t vmid, uint64_t ram_pa,
                               uint64_t ram_size)
{
	if (!s2 || (ram_pa | ram_size) & (HV_SZ_2M - 1) || ram_size == 0 ||
	    ram_size > EL2_GUEST_MAX_RAM)
		return HV_ERR_INVALID;
	host_pages = ram_size / HV_PAGE_SIZE;
	hv_s2_get_stats(s2, &host_s2_at_boot);
	hv_status_t st =
	    hv_hyp_init(&srv_hyp, &el2_pool_ops, 40, hv_pa(ram_pa), host_pages, srv_owners);
	if (st == HV_OK)
		st = hv_hyp_reserve_vmid(&srv_hyp, vmid);
	if (st == HV_OK) {
		host_s2 = (struct hv_host_s2){
		    .s2 = s2, .prot = HV_S2_PROT_RWX, .page_va = page_va, .hidden = host_hidden};
		st = hv_pgown_attach_host_s2(&srv_hyp.own, &host_s2);
	}
	if (st == HV_OK)
		st = hv_abi_server_init(&srv, &srv_hyp, host_map, NULL);
	if (st != HV_OK)
		return st;
	host_pgt = s2;
	host_vmid = vmid;
	rt = el2_abi_runtime;
	rt.nr_lrs = (uint8_t)el2_gic_nr_lrs();
	rt.idle = NULL; /* el2_host_abi_init's host only: guest.c waits (RUN entries) */
	hv_abi_server_set_runtime(&srv, &rt, NULL);
	hv_abi_server_set_trace(&srv, el2_event_rings, el2_events_nr_rings());
	return HV_OK;
}

hv_status_t el2_host_abi_keep_out(uint64_t pa, uint64_t size)
{
	if (!host_pgt)
		return HV_ERR_STATE;
	uint64_t base = srv_hyp.own.base_pfn << HV_PAGE_SHIFT,
	         end = base + host_pages * HV_PAGE_SIZE;
	uint64_t lo = pa & ~(HV_SZ_2M - 1), hi = (pa + size + HV_SZ_2M - 1) & ~(HV_SZ_2M - 1);
	if (size == 0 || hv_range_wraps(pa, size) || hi < lo)
		return HV_ERR_INVALID;
	lo = lo < base ? base : lo;
	hi = hi > end ? end : hi;
	if (lo >= hi)
		return HV_OK; /* not managed memory */
	/* Pages already the hypervisor's (two ranges in one 2 MiB block):
	 * each page once. */
	for (uint64_t p = lo; p < hi; p += HV_PAGE_SIZE) {
		uint16_t owner, flags;
		if (hv_pgown_get(&srv_hyp.own, hv_pa(p), &owner, &flags) != HV_OK)
			return HV_ERR_RANGE;
		if (owner == HV_OWNER_HOST) {
			hv_status_t st = hv_pgown_donate_to_hyp(&srv_hyp.own, hv_pa(p), 1);
			if (st != HV_OK)
				return st;
		}
	}
	return HV_OK;
}

hv_status_t el2_host_abi_init(struct hv_vm *host, uint32_t slot, uint64_t ram_pa, uint64_t ram_size)
{
	if (!host || (ram_pa | ram_size) & (HV_SZ_2M - 1) || ram_size == 0 ||
	    ram_size > EL2_GUEST_MAX_RAM)
		return HV_ERR_INVALID;
	host->uid_hvcore = true; /* gzvm.ko looks for hvcore's UID */
	/* Its stage 2 keeps all its RAM: SMCCC MEM_RELINQUISH is not offered
	 * (HYP_FEATURES does not list it, the call answers NOT_SUPPORTED). */
	hv_mem_set_relinquish(host, false);
	/* The host's RAM, whole, before it runs: its stage 2 never faults for
	 * RAM and every page the driver names is there for host_map. */
	for (uint64_t off = 0; off < ram_size; off += HV_SZ_2M) {
		hv_status_t st = hv_mem_map_range(host, slot, hv_ipa(ram_pa + off),
		                                  (ram_pa + off) >> HV_PAGE_SHIFT,
		                                  (uint32_t)(HV_SZ_2M / HV_PAGE_SIZE));
		if (st != HV_OK)
			return st;
	}
	hv_status_t st = el2_host_abi_setup(&host->life.mem.s2, host->vmid, ram_pa, ram_size);
	if (st == HV_OK) {
		host_vm = host;
		/* A RUN's idle vCPU is waited for at EL2 (guest.c's RUN entry). */
		rt.idle = el2_abi_runtime.idle;
	}
	return st;
}

const struct hv_hyp *el2_host_abi_hyp(void)
{
	return host_pgt ? &srv_hyp : NULL;
}

/* A new server VM sees the CPU's ID registers through core/exit's policy
 * (hv_idregs_init), as the port's own VM does: without a table its trapped
 * ID register reads (HCR_EL2.TID3) would be UNDEF. */
static void init_idregs(struct hv_vm *vm)
{
	static uint64_t hw[HV_IDREG_NR];
	static bool have_hw;
	if (!vm)
		return;
	if (!have_hw) {
		el2_read_idregs(hw);
		have_hw = true;
	}
	hv_idregs_init(&vm->idregs, hw, vm->ipa_bits);
}

bool el2_host_abi_is_fn(uint32_t fid)
{
	return host_pgt &&
	       ((fid >= HV_ABI_FN_BASE && fid < HV_ABI_FN(HV_ABI_NR_FN)) ||
	        (fid >= HV_ABI_FN(HV_ABI_EXT_FIRST) && fid < HV_ABI_FN(HV_ABI_EXT_END)));
}

bool el2_host_abi_is_call(const struct hv_vcpu *v)
{
	if (!host_vm || v->vm != host_vm)
		return false;
	uint64_t esr = v->ctx.exit.esr_el2;
	unsigned ec = hv_esr_ec(esr);
	/* SMCCC: the function ID is W0, immediate 0 (DEN0028 2.5, 2.9). */
	return (ec == HV_EC_HVC64 || ec == HV_EC_SMC64) && hv_hvc_imm(hv_esr_iss(esr)) == 0 &&
	       el2_host_abi_is_fn((uint32_t)v->ctx.regs.x[0]);
}

void el2_host_abi_call(uint64_t x[8], uint16_t caller)
{
	uint64_t in[8], out[4];
	in[0] = (uint32_t)x[0];
	for (unsigned i = 1; i < 8; i++)
		in[i] = x[i];
	uint64_t t0 = hv_arch_counter();
	__atomic_add_fetch(&srv_waiters, 1u, __ATOMIC_RELEASE);
	/* After the waiter is visible: a RUN idling at EL2 on another CPU
	 * gives way once it sees it, or is kicked (hv/sched.h). */
	el2_run_entry_wake_server();
	el2_lock(&srv_lock);
	__atomic_sub_fetch(&srv_waiters, 1u, __ATOMIC_RELAXED);
	bool run = in[0] == HV_ABI_FN(HV_ABI_RUN);
	if (run)
		el2_run_entry_begin(caller, in[1]);
	uint64_t waited = hv_arch_counter() - t0;
	if (waited > srv_wait_max)
		srv_wait_max = waited;
	el2_abi_runtime_call_begin(&srv_waiters);
	hv_abi_server_call(&srv, in, out);
	if (in[0] == HV_ABI_FN(HV_ABI_CREATE_VM) && out[0] == HV_ABI_OK)
		init_idregs(hv_vm_find(&srv_hyp, (uint16_t)out[1]));
	el2_abi_runtime_host_back(host_pgt);
	if (run)
		el2_run_entry_end();
	calls++;
	if (in[0] < HV_ABI_FN(HV_ABI_NR_FN))
		calls_of[in[0] - HV_ABI_FN_BASE]++;
	el2_event(HV_TRACE_SERVER_CALL, host_vmid, caller, (uint32_t)(in[0] - HV_ABI_FN_BASE),
	          out[0]);
	if (in[0] == HV_ABI_FN(HV_ABI_IRQ_LINE) && out[0] == HV_ABI_OK && in[3])
		el2_event(HV_TRACE_INJECT, HV_ABI_TUPLE_VMID(in[1]), 0,
		          (uint32_t)(in[2] + HV_ABI_INTID_SPI_FIRST), 0);
	refused += (int64_t)out[0] < 0;
	uint64_t held = hv_arch_counter() - t0 - waited;
	if (held > srv_hold_max) {
		srv_hold_max = held;
		srv_hold_max_fn = (unsigned)(in[0] - HV_ABI_FN_BASE);
	}
	el2_unlock(&srv_lock);
	for (unsigned i = 0; i < 4; i++)
		x[i] = out[i];
}

void el2_host_abi_serve(struct hv_vcpu *v)
{
	el2_host_abi_call(v->ctx.regs.x, (uint16_t)v->id);
	if (hv_esr_ec(v->ctx.exit.esr_el2) == HV_EC_SMC64)
		v->ctx.regs.pc += 4; /* a trapped SMC returns to itself (HCR_EL2.TSC) */
}

bool el2_host_abi_host_may_access(uint64_t pa)
{
	uint16_t owner, flags;
	/* Read without the server's lock, as el2_host_abi_denied_fault. */
	if (!host_pgt || hv_pgown_get(&srv_hyp.own, hv_pa(pa), &owner, &flags) != HV_OK ||
	    owner == HV_OWNER_HYP)
		return false;
	return !hv_pgown_host_denied(&srv_hyp.own, hv_pa(pa));
}

bool el2_host_abi_denied_fault(struct hv_vcpu *v)
{
	if (!host_vm || v->vm != host_vm)
		return false;
	uint64_t esr = v->ctx.exit.esr_el2;
	unsigned ec = hv_esr_ec(esr), fsc = hv_esr_iss(esr) & HV_DABT_DFSC_MASK;
	if ((ec != HV_EC_DABT_LOW && ec != HV_EC_IABT_LOW) ||
	    !(hv_fsc_is_translation(fsc) || hv_fsc_is_permission(fsc)))
		return false;
	hv_ipa_t ipa = hv_fault_ipa(v->ctx.exit.hpfar_el2, v->ctx.exit.far_el2);
	/* Read without the server's lock: a page being given back may still
	 * read as denied (it was when the host touched it); a page just
	 * shared reads as allowed and the access is retried. */
	if (!hv_pgown_host_denied(&srv_hyp.own, hv_pa(hv_ipa_addr(ipa))))
		return false;
	__atomic_add_fetch(&host_denied_faults, 1u, __ATOMIC_RELAXED);
	if (ec == HV_EC_IABT_LOW)
		hv_inject_pabt(v, v->ctx.exit.far_el2);
	else
		hv_inject_dabt(v, v->ctx.exit.far_el2);
	return true;
}

static void put_dec(uint64_t v)
{
	char buf[21];
	unsigned n = sizeof(buf) - 1;
	buf[n] = 0;
	do {
		buf[--n] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	el2_puts(&buf[n]);
}

void el2_host_abi_report(void)
{
	if (!host_pgt)
		return;
	unsigned live = 0;
	for (unsigned i = 0; i < HV_MAX_VMS; i++)
		live += srv_hyp.vms[i].life.state != HV_VM_FREE;
	el2_puts("el2: abi server: calls ");
	el2_put_hex(calls);
	el2_puts(" refused ");
	el2_put_hex(refused);
	el2_puts(" vms ");
	el2_put_hex(live);
	el2_puts(" pages not the host's ");
	el2_put_hex(host_pages - hv_pgown_count(&srv_hyp.own, HV_OWNER_HOST));
	el2_puts("\n");
	static const struct {
		const char *name;
		unsigned fn;
	} shown[] = {
	    {"el2: abi server calls: create_vm ", HV_ABI_CREATE_VM},
	    {" destroy_vm ", HV_ABI_DESTROY_VM},
	    {" run ", HV_ABI_RUN},
	    {" map_guest ", HV_ABI_MAP_GUEST},
	    {" map_guest_block ", HV_ABI_MAP_GUEST_BLOCK},
	    {" irq_line ", HV_ABI_IRQ_LINE},
	};
	for (unsigned i = 0; i < sizeof(shown) / sizeof(shown[0]); i++) {
		el2_puts(shown[i].name);
		put_dec(calls_of[shown[i].fn]);
	}
	struct hv_s2_stats now;
	hv_s2_get_stats(host_pgt, &now);
	bool same = now.table_pages == host_s2_at_boot.table_pages;
	for (unsigned l = 0; l < HV_S2_LEVELS; l++)
		same = same && now.leaves[l] == host_s2_at_boot.leaves[l];
	el2_puts(same ? "\nel2: host stage 2: as mapped at boot" : "\nel2: host stage 2: CHANGED");
	el2_puts("\nel2: protected VMs: host faults on their pages ");
	put_dec(host_denied_faults);
	el2_puts("\nel2: abi server lock: longest wait (us) ");
	put_dec(srv_wait_max * 1000000u / hv_arch_counter_freq());
	el2_puts(" longest call (us) ");
	put_dec(srv_hold_max * 1000000u / hv_arch_counter_freq());
	el2_puts(" (function ");
	put_dec(srv_hold_max_fn);
	el2_puts(")");
	el2_puts(" RUN entries given up for a waiting CPU or a host wake-up ");
	put_dec(el2_abi_runtime_yields());
	el2_puts("\n");
}
