/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's options from the hypervisor's command line (QEMU -append):
 *
 *   hvcore.guest=0x50000000 hvcore.mem=256 hvcore.vcpus=2
 *   hvcore.initrd=0x54000000 hvcore.initrd_size=1848320 [hvcore.host=1]
 *   [hvcore.exitprof=1] [hvcore.trace=1] [hvcore.cpus_may_starve=1]
 *   -- console=ttyAMA0
 *
 * Numbers are hexadecimal with 0x, else decimal. Host-supplied values are
 * checked before anything is mapped: a bad one stops the hypervisor with a
 * message instead of giving the guest someone else's memory. So does a
 * malformed one (hvcore.mem=64M, hvcore.vcpus=2x, hvcore.guest=), a key
 * given twice, and an unknown hvcore.* key: none is silently ignored.
 */
#include "guest_config.h"

#define DEFAULT_RAM_MIB 16u
#define DEFAULT_CMDLINE "console=ttyAMA0"

/* The hypervisor's part of args ends at a word "--". */
static bool is_separator(const char *p)
{
	return p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == 0);
}

static bool word_start(const char *args, const char *p)
{
	return p == args || p[-1] == ' ';
}

/* The number at p, up to the end of its word. */
static bool parse_number(const char *p, uint64_t *out)
{
	unsigned base = 10, digits = 0;
	if (p[0] == '0' && p[1] == 'x')
		base = 16, p += 2;
	uint64_t v = 0;
	for (; digits < 17; p++, digits++) {
		char c = *p;
		unsigned d = c >= '0' && c <= '9'   ? (unsigned)(c - '0')
		             : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
		                                    : 16u;
		if (d >= base)
			break;
		if (v > (UINT64_MAX - d) / base)
			return false; /* overflow */
		v = v * base + d;
	}
	if (!digits || (*p && *p != ' '))
		return false;
	*out = v;
	return true;
}

enum el2_arg el2_boot_arg_get(const char *args, const char *key, uint64_t *out)
{
	enum el2_arg found = EL2_ARG_ABSENT;
	for (const char *p = args; p && *p; p++) {
		if (!word_start(args, p))
			continue; /* keys start a word */
		if (is_separator(p))
			break; /* the guest's command line follows */
		size_t i = 0;
		while (key[i] && p[i] == key[i])
			i++;
		if (key[i])
			continue;
		if (found != EL2_ARG_ABSENT)
			return EL2_ARG_REPEATED;
		found = parse_number(p + i, out) ? EL2_ARG_OK : EL2_ARG_MALFORMED;
	}
	return found;
}

bool el2_boot_arg(const char *args, const char *key, uint64_t *out)
{
	uint64_t v;
	if (el2_boot_arg_get(args, key, &v) != EL2_ARG_OK)
		return false;
	*out = v;
	return true;
}

/* Options this file knows; any other hvcore.* word is a typo. */
static const char *const known_keys[] = {
    "hvcore.guest=",    "hvcore.mem=",         "hvcore.vcpus=",
    "hvcore.initrd=",   "hvcore.initrd_size=", "hvcore.host=",
    "hvcore.exitprof=", "hvcore.trace=",       "hvcore.cpus_may_starve=",
};

static bool has_prefix(const char *p, const char *prefix)
{
	while (*prefix && *p == *prefix)
		p++, prefix++;
	return *prefix == 0;
}

/* Whether args names the hypervisor at all (some hvcore.* word), and
 * whether every such word is a known option. */
static bool scan_keys(const char *args, bool *any)
{
	*any = false;
	for (const char *p = args; p && *p; p++) {
		if (!word_start(args, p))
			continue;
		if (is_separator(p))
			break;
		if (!has_prefix(p, "hvcore."))
			continue;
		*any = true;
		bool known = false;
		for (size_t k = 0; k < sizeof(known_keys) / sizeof(known_keys[0]); k++)
			known |= has_prefix(p, known_keys[k]);
		if (!known)
			return false;
	}
	return true;
}

/* One option: absent (keep the default), a number, or a refusal. */
static bool option(const char *args, const char *key, uint64_t *v, bool *present)
{
	enum el2_arg a = el2_boot_arg_get(args, key, v);
	*present = a == EL2_ARG_OK;
	return a == EL2_ARG_OK || a == EL2_ARG_ABSENT;
}

static bool overlaps(uint64_t a, uint64_t a_size, uint64_t b, uint64_t b_size)
{
	return a < b + b_size && b < a + a_size;
}

static void copy_cmdline(const char *args, char *out)
{
	const char *p = args;
	const char *tail = NULL;
	for (; p && *p; p++) {
		if (word_start(args, p) && is_separator(p)) {
			tail = p[2] ? p + 3 : p + 2;
			break;
		}
	}
	if (!tail)
		tail = DEFAULT_CMDLINE;
	size_t n = 0;
	while (tail[n] && n + 1 < EL2_GUEST_CMDLINE_SZ) {
		out[n] = tail[n];
		n++;
	}
	out[n] = 0;
}

bool el2_guest_config_parse(const struct el2_board *board, const struct el2_range *reserved,
                            unsigned nr_reserved, struct el2_guest_config *cfg, const char **why)
{
	const char *args = board->bootargs;
	uint64_t v;
	bool any, present;
	*why = "unknown hvcore.* option (known: guest, mem, vcpus, initrd, initrd_size, host, "
	       "exitprof, trace, cpus_may_starve)";
	if (!scan_keys(args, &any))
		return false;
	*why = NULL;
	if (!any)
		return false; /* no guest: not an error */
	/* Each option at most once, its value a number (0x... or decimal). */
	*why = "hvcore.guest (required: host PA, a number, once)";
	if (!option(args, "hvcore.guest=", &v, &present) || !present)
		return false;
	cfg->ram_pa = v;
	cfg->ram_size = (uint64_t)DEFAULT_RAM_MIB << 20;
	*why = "hvcore.mem (MiB: 2..1024, a multiple of 2; a number, once)";
	if (!option(args, "hvcore.mem=", &v, &present))
		return false;
	if (present) {
		if (v < 2 || v > (EL2_GUEST_MAX_RAM >> 20) || (v & 1))
			return false;
		cfg->ram_size = v << 20;
	}
	*why = "hvcore.guest (2 MiB aligned, guest RAM inside host RAM, clear of the "
	       "hypervisor, the DTB and the no-map carveouts)";
	if ((cfg->ram_pa & (HV_SZ_2M - 1)) || cfg->ram_pa < board->ram_base ||
	    cfg->ram_pa - board->ram_base > board->ram_size ||
	    cfg->ram_size > board->ram_size - (cfg->ram_pa - board->ram_base))
		return false;
	for (unsigned i = 0; i < nr_reserved; i++)
		if (overlaps(cfg->ram_pa, cfg->ram_size, reserved[i].base, reserved[i].size))
			return false;
	cfg->nr_vcpus = 1;
	*why = "hvcore.vcpus (1..4; a number, once)";
	if (!option(args, "hvcore.vcpus=", &v, &present))
		return false;
	if (present) {
		if (v < 1 || v > EL2_GUEST_MAX_VCPUS)
			return false;
		cfg->nr_vcpus = (unsigned)v;
	}
	cfg->initrd_pa = cfg->initrd_size = 0;
	*why = "hvcore.initrd/hvcore.initrd_size (both, inside guest RAM; numbers, once)";
	uint64_t size;
	bool have_size;
	if (!option(args, "hvcore.initrd=", &v, &present) ||
	    !option(args, "hvcore.initrd_size=", &size, &have_size) || present != have_size)
		return false;
	if (present) {
		if (size == 0 || v < cfg->ram_pa || v - cfg->ram_pa > cfg->ram_size ||
		    size > cfg->ram_size - (v - cfg->ram_pa))
			return false;
		cfg->initrd_pa = v;
		cfg->initrd_size = size;
	}
	cfg->host = false;
	*why = "hvcore.host (0 or 1, once)";
	if (!option(args, "hvcore.host=", &v, &present))
		return false;
	if (present) {
		if (v > 1)
			return false;
		cfg->host = v == 1;
	}
	cfg->exit_profile = false;
	*why = "hvcore.exitprof (0 or 1, once)";
	if (!option(args, "hvcore.exitprof=", &v, &present) || (present && v > 1))
		return false;
	cfg->exit_profile = present && v == 1;
	*why = "hvcore.trace (0 or 1, once)";
	if (!option(args, "hvcore.trace=", &v, &present) || (present && v > 1))
		return false;
	cfg->trace = present && v == 1;
	*why = "hvcore.cpus_may_starve (0 or 1, once)";
	if (!option(args, "hvcore.cpus_may_starve=", &v, &present) || (present && v > 1))
		return false;
	cfg->cpus_may_starve = present && v == 1;
	copy_cmdline(args, cfg->cmdline);
	*why = NULL;
	return true;
}
