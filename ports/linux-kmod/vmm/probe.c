/* SPDX-License-Identifier: Apache-2.0 */
/* gzvm-vmm --protected: the guest-memory probe (probe.h). */
#include "probe.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <ucontext.h>

#define PAGE 4096u

/* A probe load faults with SIGBUS when the hypervisor took the page from
 * the host: the handler marks it and resumes after the load (one LDR),
 * which keeps the value it had (PROBE_FAULT). Any other SIGBUS kills. */
static __thread volatile sig_atomic_t probing, faulted;

static void on_sigbus(int sig, siginfo_t *si, void *ctx)
{
	(void)si;
	if (!probing) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	faulted = 1;
#ifdef __aarch64__
	((ucontext_t *)ctx)->uc_mcontext.pc += 4;
#else
	(void)ctx; /* the build machine's VMM never runs a protected VM */
#endif
}

/* The 8 bytes at p, or false if reading them raised SIGBUS. */
static bool load64(const volatile uint64_t *p, uint64_t *out)
{
	uint64_t v = PROBE_FAULT;

	faulted = 0;
	probing = 1;
#ifdef __aarch64__
	__asm__ volatile("ldr %0, [%1]" : "+r"(v) : "r"(p) : "memory");
#else
	v = *p;
#endif
	probing = 0;
	*out = v;
	return !faulted;
}

static bool in_ram(const struct vmm_ram *ram, uint64_t ipa, size_t len)
{
	return ipa >= ram->base && ipa - ram->base <= ram->size &&
	       ram->size - (ipa - ram->base) >= len;
}

/* Copy len (a multiple of 8) bytes of guest RAM at ipa (8-byte aligned)
 * into out; false if a read raised SIGBUS or ipa is not guest RAM. */
static bool read_guest(const struct vmm_ram *ram, uint64_t ipa, uint64_t *out, size_t len)
{
	if (!in_ram(ram, ipa, len))
		return false;
	const volatile uint64_t *src = (const volatile uint64_t *)(ram->host + (ipa - ram->base));
	for (size_t i = 0; i < len / 8; i++)
		if (!load64(&src[i], &out[i]))
			return false;
	return true;
}

/* FNV-1a over the page's 64-bit words (a page the VMM can read). */
static uint64_t page_sum(const uint64_t *w)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325);
	for (unsigned int i = 0; i < PAGE / 8; i++)
		h = (h ^ w[i]) * UINT64_C(0x100000001b3);
	return h;
}

static const uint64_t *ram_page(const struct probe *p, uint64_t i)
{
	return (const uint64_t *)(p->ram->host + i * PAGE);
}

bool probe_init(struct probe *p, const struct vmm_ram *ram, uint64_t entry)
{
	struct sigaction sa;

	memset(p, 0, sizeof(*p));
	p->ram = ram;
	p->pages[p->nr_pages++] = entry & ~(uint64_t)(PAGE - 1);
	p->nr_ram_pages = ram->size / PAGE;
	p->sums = malloc(p->nr_ram_pages * sizeof(*p->sums));
	p->had = calloc(p->nr_ram_pages, 1);
	if (!p->sums || !p->had)
		return false;
	for (uint64_t i = 0; i < p->nr_ram_pages; i++)
		p->sums[i] = page_sum(ram_page(p, i));
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = on_sigbus;
	sa.sa_flags = SA_SIGINFO;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGBUS, &sa, NULL);
	return true;
}

static void remember(struct probe *p, uint64_t ipa)
{
	uint64_t page = ipa & ~(uint64_t)(PAGE - 1);

	for (unsigned int i = 0; i < p->nr_pages; i++)
		if (p->pages[i] == page)
			return;
	if (p->nr_pages <= PROBE_MAX_IPA)
		p->pages[p->nr_pages++] = page;
}

bool probe_access(struct probe *p, uint64_t off, bool is_write, unsigned int size, uint8_t data[8])
{
	uint64_t v = 0;

	if (size != 8 || is_write != (off == 0) || off > 0x10 || (off & 7))
		return false;
	if (is_write) {
		memcpy(&p->ipa, data, 8);
		remember(p, p->ipa);
	} else if (off == 8) {
		if (!read_guest(p->ram, p->ipa & ~(uint64_t)7, &v, sizeof(v)))
			v = PROBE_FAULT;
	} else {
		v = p->seen;
	}
	if (!is_write)
		memcpy(data, &v, 8);
	p->seen++;
	return true;
}

bool probe_add(struct probe *p, uint64_t ipa)
{
	unsigned int n = p->nr_pages;

	remember(p, ipa);
	return p->nr_pages > n;
}

unsigned int probe_check_taken(const struct probe *p, FILE *out)
{
	unsigned int bad = 0;

	for (unsigned int i = 0; i < p->nr_pages; i++) {
		uint64_t v;
		/* outside RAM a read "fails" too, but proves nothing */
		bool outside = !in_ram(p->ram, p->pages[i], PAGE);
		if (outside || read_guest(p->ram, p->pages[i], &v, sizeof(v))) {
			fprintf(out, "gzvm-vmm: protected: page %#llx %s before DESTROY_VM\n",
			        (unsigned long long)p->pages[i],
			        outside ? "not guest RAM" : "READ");
			bad++;
		}
	}
	fprintf(out, "gzvm-vmm: protected: %u of %u pages faulted (SIGBUS) before DESTROY_VM\n",
	        p->nr_pages - bad, p->nr_pages);

	/* The whole of RAM: a page that faults is the VM's; one that reads
	 * must be as the VMM wrote it. */
	uint64_t taken = 0, changed = 0;
	for (uint64_t i = 0; i < p->nr_ram_pages; i++) {
		uint64_t v;
		p->had[i] = !load64(ram_page(p, i), &v);
		if (p->had[i])
			taken++;
		else if (page_sum(ram_page(p, i)) != p->sums[i] && changed++ < 4)
			fprintf(out, "gzvm-vmm: protected: page %#llx READ, changed by the guest\n",
			        (unsigned long long)(p->ram->base + i * PAGE));
	}
	fprintf(out,
	        "gzvm-vmm: protected: guest RAM before DESTROY_VM: %llu pages faulted (SIGBUS), "
	        "%llu readable, %llu of them changed by the guest\n",
	        (unsigned long long)taken, (unsigned long long)(p->nr_ram_pages - taken),
	        (unsigned long long)changed);
	return bad + (unsigned int)changed;
}

static bool page_zero(const uint64_t *w)
{
	for (unsigned int i = 0; i < PAGE / 8; i++)
		if (w[i])
			return false;
	return true;
}

unsigned int probe_check_zero(const struct probe *p, FILE *out)
{
	static uint64_t page[PAGE / 8], zero[PAGE / 8];
	unsigned int bad = 0;

	for (unsigned int i = 0; i < p->nr_pages; i++) {
		bool outside = !in_ram(p->ram, p->pages[i], PAGE);
		bool read = !outside && read_guest(p->ram, p->pages[i], page, PAGE);
		if (!read || memcmp(page, zero, PAGE)) {
			fprintf(out, "gzvm-vmm: protected: page %#llx after DESTROY_VM: %s\n",
			        (unsigned long long)p->pages[i],
			        outside ? "not guest RAM"
			        : read  ? "not zero"
			                : "SIGBUS");
			bad++;
		}
	}
	fprintf(out, "gzvm-vmm: protected: %u of %u pages zero after DESTROY_VM\n",
	        p->nr_pages - bad, p->nr_pages);

	/* The whole of RAM: the VM's pages zero, the others as they were. */
	uint64_t had = 0, had_zero = 0, kept = 0;
	for (uint64_t i = 0; i < p->nr_ram_pages; i++) {
		uint64_t v;
		bool ok = load64(ram_page(p, i), &v);
		had += p->had[i];
		if (ok && p->had[i])
			ok = page_zero(ram_page(p, i));
		else if (ok)
			ok = page_sum(ram_page(p, i)) == p->sums[i];
		had_zero += ok && p->had[i];
		kept += ok && !p->had[i];
		if (!ok && i - had_zero - kept < 4)
			fprintf(out, "gzvm-vmm: protected: page %#llx after DESTROY_VM: %s\n",
			        (unsigned long long)(p->ram->base + i * PAGE),
			        p->had[i] ? "the VM's, not zero" : "changed");
	}
	fprintf(out,
	        "gzvm-vmm: protected: guest RAM after DESTROY_VM: %llu of %llu pages the VM had "
	        "zero, %llu of %llu others as the VMM wrote them\n",
	        (unsigned long long)had_zero, (unsigned long long)had, (unsigned long long)kept,
	        (unsigned long long)(p->nr_ram_pages - had));
	return bad + (unsigned int)(p->nr_ram_pages - had_zero - kept);
}
