/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The guest's options from the hypervisor's command line (QEMU -append):
 *
 *   hvcore.guest=0x50000000 hvcore.mem=256 hvcore.vcpus=2
 *   hvcore.initrd=0x54000000 hvcore.initrd_size=1848320 [hvcore.host=1]
 *   -- console=ttyAMA0
 *
 * Numbers are hexadecimal with 0x, else decimal. Host-supplied values are
 * checked before anything is mapped: a bad one stops the hypervisor with a
 * message instead of giving the guest someone else's memory.
 */
#include "guest_config.h"

#define DEFAULT_RAM_MIB 16u
#define DEFAULT_CMDLINE "console=ttyAMA0"

bool el2_boot_arg(const char *args, const char *key, uint64_t *out)
{
	for (const char *p = args; p && *p; p++) {
		if (p != args && p[-1] != ' ')
			continue; /* keys start a word */
		if (p[0] == '-' && p[1] == '-' && (p[2] == ' ' || p[2] == 0))
			return false; /* the guest's command line follows */
		size_t i = 0;
		while (key[i] && p[i] == key[i])
			i++;
		if (key[i])
			continue;
		p += i;
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
	return false;
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
		if (p[0] == '-' && p[1] == '-' && (p == args || p[-1] == ' ') &&
		    (p[2] == ' ' || p[2] == 0)) {
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

bool el2_guest_config_parse(const struct el2_platform *plat, const struct el2_range *reserved,
                            unsigned nr_reserved, struct el2_guest_config *cfg, const char **why)
{
	const char *args = plat->bootargs;
	uint64_t v;
	*why = "hvcore.guest";
	if (!el2_boot_arg(args, "hvcore.guest=", &v))
		return false;
	cfg->ram_pa = v;
	cfg->ram_size = (uint64_t)DEFAULT_RAM_MIB << 20;
	if (el2_boot_arg(args, "hvcore.mem=", &v)) {
		*why = "hvcore.mem (MiB: 2..1024, a multiple of 2)";
		if (v < 2 || v > (EL2_GUEST_MAX_RAM >> 20) || (v & 1))
			return false;
		cfg->ram_size = v << 20;
	}
	*why = "hvcore.guest (2 MiB aligned, guest RAM inside host RAM, clear of the "
	       "hypervisor and the DTB)";
	if ((cfg->ram_pa & (HV_SZ_2M - 1)) || cfg->ram_pa < plat->ram_base ||
	    cfg->ram_pa - plat->ram_base > plat->ram_size ||
	    cfg->ram_size > plat->ram_size - (cfg->ram_pa - plat->ram_base))
		return false;
	for (unsigned i = 0; i < nr_reserved; i++)
		if (overlaps(cfg->ram_pa, cfg->ram_size, reserved[i].base, reserved[i].size))
			return false;
	cfg->nr_vcpus = 1;
	if (el2_boot_arg(args, "hvcore.vcpus=", &v)) {
		*why = "hvcore.vcpus (1..4)";
		if (v < 1 || v > EL2_GUEST_MAX_VCPUS)
			return false;
		cfg->nr_vcpus = (unsigned)v;
	}
	cfg->initrd_pa = cfg->initrd_size = 0;
	if (el2_boot_arg(args, "hvcore.initrd=", &v)) {
		*why = "hvcore.initrd/hvcore.initrd_size (inside guest RAM)";
		uint64_t size;
		if (!el2_boot_arg(args, "hvcore.initrd_size=", &size) || size == 0 ||
		    v < cfg->ram_pa || v - cfg->ram_pa > cfg->ram_size ||
		    size > cfg->ram_size - (v - cfg->ram_pa))
			return false;
		cfg->initrd_pa = v;
		cfg->initrd_size = size;
	}
	cfg->host = false;
	if (el2_boot_arg(args, "hvcore.host=", &v)) {
		*why = "hvcore.host (0 or 1)";
		if (v > 1)
			return false;
		cfg->host = v == 1;
	}
	copy_cmdline(args, cfg->cmdline);
	*why = NULL;
	return true;
}
