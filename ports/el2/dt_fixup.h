/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The host's device tree told about the hypervisor under it, before the host
 * (Linux at EL1) reads it; GenieZone's bootloaders do the same on MediaTek
 * phones, so an unmodified gzvm driver finds it:
 *
 *   /reserved-memory/hvcore@<base> { reg = <base size>; no-map; };
 *       the hypervisor's own memory: the host neither maps nor allocates it
 *       (Devicetree reserved-memory binding). When /reserved-memory is
 *       absent it is made with the root's #address-cells/#size-cells and an
 *       empty ranges, the only shape Linux accepts (of_reserved_mem.c reads
 *       none of its children otherwise); a present one must have that shape.
 *   /hypervisor { compatible = "mediatek,geniezone"; };
 *       the node GenieZone's driver and ports/linux-kmod bind to (a platform
 *       driver: the node must be a child of the root). Kept when already
 *       there with that compatible.
 *
 * All-or-nothing: every check and the room needed are worked out before the
 * first byte is written, so a refused tree is left exactly as it was.
 */
#ifndef EL2_DT_FIXUP_H
#define EL2_DT_FIXUP_H

#include <hv/types.h>

struct el2_dt_fixup {
	uint64_t hyp_base, hyp_size; /* the hypervisor's memory, page aligned */
	size_t need;                 /* out: the fixed tree's total size, when known */
	const char *why;             /* out: after a failure, one line saying what */
};

/*
 * Fixes the tree at fdt (checked first with el2_dt_check), which may grow
 * up to bufsize bytes: its totalsize becomes fx->need, the larger of its
 * totalsize and the end of its strings block plus exactly what the new
 * nodes take. Statuses: HV_ERR_INVALID for a malformed tree or one older
 * than version 17, a /reserved-memory of another shape, or a range that is
 * empty, unaligned or wraps; HV_ERR_RANGE when the range does not fit the
 * root's cells; HV_ERR_EXISTS when it overlaps a /reserved-memory child or a
 * /memreserve/ entry, when the tree already has a hypervisor carveout, or
 * when /hypervisor is some other hypervisor's; HV_ERR_NOT_SUPPORTED for a
 * tree with its blocks out of dtc's order; HV_ERR_NO_MEMORY when bufsize <
 * fx->need.
 */
hv_status_t el2_dt_fixup_host(void *fdt, size_t bufsize, struct el2_dt_fixup *fx);

#endif
