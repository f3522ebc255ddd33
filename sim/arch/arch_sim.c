/* SPDX-License-Identifier: Apache-2.0 */
/* The seam (hv/arch.h) for the host: records instead of touching hardware. */
#include <hvsim/arch_sim.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static struct sim_op op_log[SIM_OP_LOG_CAPACITY];
static size_t op_total;
static size_t op_kind_total[SIM_OP_ISB + 1];
static uint64_t seq_next;
static bool recording = true;
static bool tlbi_range_supported = true;
static sim_op_hook_fn op_hook;
static void *op_hook_arg;

static uint64_t counter_value;
static uint64_t counter_freq = 62500000;

static sim_fetch_insn_fn fetch_fn;
static void *fetch_arg;

#define CONSOLE_CAPTURE_MAX (1u << 20)
static bool console_capturing;
static char console_buf[CONSOLE_CAPTURE_MAX];
static size_t console_len;

void sim_arch_reset(void)
{
	op_total = 0;
	memset(op_kind_total, 0, sizeof(op_kind_total));
	seq_next = 0;
	recording = true;
	tlbi_range_supported = true;
	counter_value = 0;
	counter_freq = 62500000;
	fetch_fn = NULL;
	fetch_arg = NULL;
	console_len = 0;
	op_hook = NULL;
	op_hook_arg = NULL;
}

void sim_arch_set_op_hook(sim_op_hook_fn fn, void *arg)
{
	op_hook = fn;
	op_hook_arg = arg;
}

void sim_arch_set_recording(bool on)
{
	recording = on;
}
void sim_arch_set_tlbi_range(bool supported)
{
	tlbi_range_supported = supported;
}

static void record(enum sim_op_kind kind, uint16_t vmid, unsigned level, uint64_t ipa,
                   uint64_t size)
{
	op_kind_total[kind]++;
	if (!recording)
		return;
	struct sim_op op = {kind, vmid, level, ipa, size, seq_next};
	if (op_total < SIM_OP_LOG_CAPACITY)
		op_log[op_total] = op;
	seq_next++;
	op_total++;
	if (op_hook)
		op_hook(&op, op_hook_arg);
}

size_t sim_op_count(void)
{
	return op_total;
}
size_t sim_op_count_kind(enum sim_op_kind kind)
{
	return op_kind_total[kind];
}
const struct sim_op *sim_op_at(size_t index)
{
	return index < op_total && index < SIM_OP_LOG_CAPACITY ? &op_log[index] : NULL;
}
uint64_t sim_mark(void)
{
	return seq_next++;
}

const char *sim_op_name(enum sim_op_kind kind)
{
	static const char *const names[] = {"TLBI_IPA",  "TLBI_IPA_RANGE", "TLBI_VMID",
	                                    "DSB_ISHST", "DSB_ISH",        "ISB"};
	return (unsigned)kind < sizeof(names) / sizeof(names[0]) ? names[kind] : "?";
}

void hv_arch_tlbi_ipa(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint)
{
	record(SIM_OP_TLBI_IPA, vmid, level_hint, hv_ipa_addr(ipa), HV_PAGE_SIZE);
}
void hv_arch_tlbi_ipa_sync(uint16_t vmid, hv_ipa_t ipa, unsigned level_hint)
{
	record(SIM_OP_DSB_ISHST, 0, 0, 0, 0);
	record(SIM_OP_TLBI_IPA, vmid, level_hint, hv_ipa_addr(ipa), HV_PAGE_SIZE);
	record(SIM_OP_DSB_ISH, 0, 0, 0, 0);
}
void hv_arch_tlbi_ipa_range(uint16_t vmid, hv_ipa_t base, uint64_t size)
{
	record(SIM_OP_TLBI_IPA_RANGE, vmid, HV_TLBI_LEVEL_ANY, hv_ipa_addr(base), size);
}
void hv_arch_tlbi_vmid(uint16_t vmid)
{
	record(SIM_OP_TLBI_VMID, vmid, 0, 0, 0);
}
bool hv_arch_has_tlbi_range(void)
{
	return tlbi_range_supported;
}
void hv_arch_dsb_ishst(void)
{
	record(SIM_OP_DSB_ISHST, 0, 0, 0, 0);
}
void hv_arch_dsb_ish(void)
{
	record(SIM_OP_DSB_ISH, 0, 0, 0, 0);
}
void hv_arch_isb(void)
{
	record(SIM_OP_ISB, 0, 0, 0, 0);
}

void sim_counter_set(uint64_t value)
{
	counter_value = value;
}
void sim_counter_advance(uint64_t ticks)
{
	counter_value += ticks;
}
void sim_counter_set_freq(uint64_t hz)
{
	counter_freq = hz;
}
uint64_t hv_arch_counter(void)
{
	return counter_value;
}
uint64_t hv_arch_counter_freq(void)
{
	return counter_freq;
}

void sim_set_fetch_insn(sim_fetch_insn_fn fn, void *arg)
{
	fetch_fn = fn;
	fetch_arg = arg;
}

hv_status_t hv_arch_guest_fetch_insn(const struct hv_vcpu_context *ctx, uint32_t *insn)
{
	if (!fetch_fn)
		return HV_ERR_FAULT;
	return fetch_fn(ctx, insn, fetch_arg);
}

void sim_console_capture(bool on)
{
	console_capturing = on;
	console_len = 0;
}

const char *sim_console_captured(size_t *len)
{
	if (len)
		*len = console_len;
	console_buf[console_len < CONSOLE_CAPTURE_MAX ? console_len : CONSOLE_CAPTURE_MAX - 1] = 0;
	return console_buf;
}

/*
 * Console output not captured goes to file descriptor 1 through a buffer
 * of our own, written out at each newline and when full: a partial line is
 * all a signal could find unwritten, and sim_console_flush writes that with
 * write(2) alone, so a signal handler may call it (hvsim does on SIGTERM,
 * SIGINT, SIGHUP: output of a killed run is not lost).
 */
static char out_buf[4096];
static volatile size_t out_len;

void sim_console_flush(void)
{
	size_t n = out_len, done = 0;
	while (done < n) {
		ssize_t w = write(1, out_buf + done, n - done);
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	out_len = 0;
}

void hv_arch_console_write(const char *buf, size_t len)
{
	if (!console_capturing) {
		for (size_t i = 0; i < len; i++) {
			out_buf[out_len] = buf[i];
			out_len = out_len + 1;
			if (buf[i] == '\n' || out_len == sizeof(out_buf))
				sim_console_flush();
		}
		return;
	}
	size_t room = CONSOLE_CAPTURE_MAX - 1 - console_len;
	size_t n = len < room ? len : room;
	memcpy(console_buf + console_len, buf, n);
	console_len += n;
}

/* The seam's atomics: the compiler's builtins, so host threads (the ticket
 * lock and scheduler tests, the TSan stress test) race for real. */
uint32_t hv_arch_atomic_fetch_add_u32(uint32_t *p, uint32_t v)
{
	return __atomic_fetch_add(p, v, __ATOMIC_SEQ_CST);
}

uint32_t hv_arch_atomic_fetch_or_u32(uint32_t *p, uint32_t v)
{
	return __atomic_fetch_or(p, v, __ATOMIC_SEQ_CST);
}

uint32_t hv_arch_atomic_load_acquire_u32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_ACQUIRE);
}

void hv_arch_atomic_store_release_u32(uint32_t *p, uint32_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELEASE);
}

/* A full barrier as a read-modify-write of one word every fence shares:
 * the RMWs are totally ordered, so of two CPUs that each store, fence and
 * load, one sees the other's store (ThreadSanitizer, which builds this for
 * tests/sched, does not model atomic_thread_fence). */
static uint32_t fence_word;
void hv_arch_atomic_fence(void)
{
	(void)__atomic_fetch_add(&fence_word, 0, __ATOMIC_SEQ_CST);
}

void hv_arch_cpu_relax(void)
{
	sched_yield(); /* host threads may outnumber the cores */
}
