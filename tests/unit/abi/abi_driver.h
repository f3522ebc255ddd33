/* SPDX-License-Identifier: Apache-2.0 */
/* The host driver's side of the hypercalls, for tests: each helper writes
 * the host buffer a call reads and issues the call. */
#ifndef HV_TEST_ABI_DRIVER_H
#define HV_TEST_ABI_DRIVER_H

#include "abi_fixture.h"

#define FN(n) HV_ABI_FN(HV_ABI_##n)

static inline int64_t drv_probe(struct abi_env *e)
{
	uint64_t out[4];
	return hcall(e, FN(PROBE), HV_ABI_DRIVER_MAJOR, 0, 0, 0, 0, out);
}

static inline int64_t drv_create_vm(struct abi_env *e, uint16_t *vmid)
{
	uint64_t out[4];
	int64_t r = hcall(e, FN(CREATE_VM), 0, 0, 0, 0, 0, out);
	*vmid = (uint16_t)out[1];
	return r;
}

/* SET_MEMREGION of `pages` pages at gpa; with first_host_page >= 0 they are
 * given at once from host pages first_host_page.. (two constituents),
 * else the slot is demand-paged. The buffer is host page buf_page. */
static inline int64_t drv_memregion(struct abi_env *e, uint16_t vmid, uint32_t buf_page,
                                    uint32_t slot, uint64_t gpa, uint32_t pages,
                                    long first_host_page)
{
	struct hv_abi_mem_region hdr = {slot, first_host_page >= 0 ? 2u : 0u, pages, gpa};
	uint32_t first = (uint32_t)(first_host_page >= 0 ? first_host_page : 0);
	struct hv_abi_mem_constituent c[2] = {
	    {env_pa(e, first), pages / 2, 0},
	    {env_pa(e, first + pages / 2), pages - pages / 2, 0},
	};
	uint8_t *buf = env_page(e, buf_page);
	memcpy(buf, &hdr, sizeof(hdr));
	memcpy(buf + sizeof(hdr), c, sizeof(c));
	uint64_t size = sizeof(hdr) + (first_host_page >= 0 ? sizeof(c) : 0);
	return hcall(e, FN(SET_MEMREGION), vmid, size, env_pa(e, buf_page), 0, 0, NULL);
}

/* CREATE_DEVICE with the description in host page buf_page. */
static inline int64_t drv_device(struct abi_env *e, uint16_t vmid, uint32_t buf_page, uint32_t type,
                                 uint64_t addr, uint64_t size)
{
	struct hv_abi_create_device d = {.dev_type = type, .dev_addr = addr, .dev_reg_size = size};
	memcpy(env_page(e, buf_page), &d, sizeof(d));
	return hcall(e, FN(CREATE_DEVICE), vmid, env_pa(e, buf_page), 0, 0, 0, NULL);
}

/* The contract guests' vGIC: GICD 0x08000000, GICR 0x080A0000. */
static inline int64_t drv_vgic(struct abi_env *e, uint16_t vmid, uint32_t buf_page,
                               uint32_t nr_vcpus)
{
	int64_t r = drv_device(e, vmid, buf_page, HV_ABI_DEV_VGIC_V3_DIST, 0x08000000,
	                       HV_ABI_VGIC_DIST_SIZE);
	if (r != HV_ABI_OK)
		return r;
	return drv_device(e, vmid, buf_page, HV_ABI_DEV_VGIC_V3_REDIST, 0x080a0000,
	                  (uint64_t)nr_vcpus * HV_ABI_VGIC_REDIST_SIZE);
}

static inline int64_t drv_set_reg(struct abi_env *e, uint16_t vmid, uint16_t vcpu, uint64_t id,
                                  uint64_t value)
{
	return hcall(e, FN(SET_ONE_REG), HV_ABI_TUPLE(vmid, vcpu), id, value, 0, 0, NULL);
}

static inline uint64_t drv_get_reg(struct abi_env *e, uint16_t vmid, uint16_t vcpu, uint64_t id,
                                   int64_t *ret)
{
	uint64_t out[4];
	*ret = hcall(e, FN(GET_ONE_REG), HV_ABI_TUPLE(vmid, vcpu), id, 0, 0, 0, out);
	return out[1];
}

static inline struct hv_abi_vcpu_run *drv_run_area(struct abi_env *e, uint32_t page)
{
	return env_page(e, page);
}

static inline struct hv_abi_vcpu_hwstate *drv_hwstate(struct abi_env *e, uint32_t page)
{
	return env_page(e, page + 1);
}

/* Destroy in bounded batches as the driver does; returns the calls made. */
static inline int drv_destroy_vm(struct abi_env *e, uint16_t vmid, uint64_t batch, int64_t *ret)
{
	int calls = 0;
	do {
		*ret = hcall(e, FN(DESTROY_VM), vmid, batch, 0, 0, 0, NULL);
		calls++;
	} while (*ret == HV_ABI_ERR_BUSY && calls < 1000000);
	return calls;
}

#endif
