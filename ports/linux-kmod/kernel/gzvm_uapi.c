// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * UAPI validation shared by the module and its host unit test (see
 * gzvm_uapi.h). Fields named reserved or pad must be zero; flags outside
 * the ones this driver implements are refused, never ignored.
 */
#include "gzvm_uapi.h"

int gzvm_errno(int64_t hv_ret)
{
	switch (hv_ret) {
	case HV_ABI_OK: return 0;
	case HV_ABI_ERR_NO_MEMORY: return -ENOMEM;
	case HV_ABI_ERR_INVALID_ARGS: return -EINVAL;
	case HV_ABI_ERR_NOT_SUPPORTED:
	case HV_ABI_ERR_NOT_IMPLEMENTED: return -EOPNOTSUPP;
	case HV_ABI_ERR_BUSY: return -EAGAIN;
	case HV_ABI_ERR_FAULT: return -EFAULT;
	default: return -EINVAL;
	}
}

static bool wraps(uint64_t base, uint64_t size)
{
	return size != 0 && base + size - 1 < base;
}

static bool page_aligned(uint64_t v)
{
	return (v & (GZVM_PAGE_SIZE - 1)) == 0;
}

static bool all_zero(const uint8_t *p, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

int gzvm_check_memory_region(const struct hv_gzvm_userspace_memory_region *r)
{
	if (r->slot >= HV_ABI_MAX_MEMSLOTS)
		return -EINVAL;
	/* GUEST_MEM is the only kind of slot (PROTECT_FW and STATIC_SWIOTLB
	 * belong to protected VMs, which this driver does not create). */
	if (r->flags != HV_GZVM_MEM_GUEST_MEM)
		return -EINVAL;
	if (!page_aligned(r->guest_phys_addr) || !page_aligned(r->memory_size) ||
	    !page_aligned(r->userspace_addr))
		return -EINVAL;
	if (r->memory_size == 0 || (r->memory_size >> GZVM_PAGE_SHIFT) > GZVM_SLOT_MAX_PAGES)
		return -EINVAL;
	if (wraps(r->guest_phys_addr, r->memory_size) || wraps(r->userspace_addr, r->memory_size))
		return -EINVAL;
	return 0;
}

bool gzvm_ranges_overlap(uint64_t a_gpa, uint64_t a_size, uint64_t b_gpa, uint64_t b_size)
{
	if (a_size == 0 || b_size == 0)
		return false;
	return a_gpa <= b_gpa + (b_size - 1) && b_gpa <= a_gpa + (a_size - 1);
}

int gzvm_decode_irq_line(const struct hv_gzvm_irq_level *in, struct gzvm_irq_line *out)
{
	uint32_t type = (in->irq >> HV_GZVM_IRQ_TYPE_SHIFT) & HV_GZVM_IRQ_TYPE_MASK;
	uint32_t vcpu = ((in->irq >> HV_GZVM_IRQ_VCPU2_SHIFT) & HV_GZVM_IRQ_VCPU2_MASK) << 8 |
	                ((in->irq >> HV_GZVM_IRQ_VCPU_SHIFT) & HV_GZVM_IRQ_VCPU_MASK);
	uint32_t num = in->irq & HV_GZVM_IRQ_NUM_MASK;

	/* MediaTek's numbering: an SPI counted from 0 (the hypervisor adds
	 * 32). A PPI cannot be named that way (the type is not passed on):
	 * refused here, where MediaTek's driver would raise SPI num + 32. */
	if (in->level > 1 || type != HV_GZVM_IRQ_TYPE_SPI || vcpu >= HV_ABI_MAX_VCPUS ||
	    num > HV_ABI_IRQ_NUM_MAX)
		return -EINVAL;
	out->num = num;
	out->vcpu = vcpu;
	out->level = in->level;
	return 0;
}

int gzvm_check_irqfd(const struct hv_gzvm_irqfd *in, uint32_t *num)
{
	if (in->flags & ~HV_GZVM_IRQFD_FLAG_DEASSIGN)
		return -EINVAL; /* RESAMPLE and the rest: not offered */
	if (in->resamplefd != 0 || !all_zero(in->pad, sizeof(in->pad)))
		return -EINVAL;
	if (in->gsi > HV_ABI_IRQ_NUM_MAX)
		return -EINVAL;
	*num = in->gsi;
	return 0;
}

int gzvm_check_ioeventfd(const struct hv_gzvm_ioeventfd *in)
{
	const uint32_t known = HV_GZVM_IOEVENTFD_FLAG_DATAMATCH | HV_GZVM_IOEVENTFD_FLAG_DEASSIGN;

	if (in->flags & ~known)
		return -EINVAL; /* PIO and the rest: no port I/O on Arm */
	if (!all_zero(in->pad, sizeof(in->pad)))
		return -EINVAL;
	if (in->len != 1 && in->len != 2 && in->len != 4 && in->len != 8)
		return -EINVAL;
	if (wraps(in->addr, in->len) || (in->addr & (in->len - 1)))
		return -EINVAL; /* naturally aligned, as a single access must be */
	if (in->flags & HV_GZVM_IOEVENTFD_FLAG_DATAMATCH) {
		if (in->len < 8 && (in->datamatch >> (8 * in->len)))
			return -EINVAL; /* could never match */
	} else if (in->datamatch != 0) {
		return -EINVAL; /* meaningless without DATAMATCH: reserved */
	}
	return 0;
}

bool gzvm_ioeventfd_matches(const struct hv_gzvm_ioeventfd *ev, uint64_t addr, uint64_t len,
                            const uint8_t data[8])
{
	if (ev->addr != addr || ev->len != len)
		return false;
	if (!(ev->flags & HV_GZVM_IOEVENTFD_FLAG_DATAMATCH))
		return true;
	uint64_t value = 0;
	for (uint64_t i = 0; i < len; i++)
		value |= (uint64_t)data[i] << (8 * i);
	return value == ev->datamatch;
}

bool gzvm_ioeventfd_same(const struct hv_gzvm_ioeventfd *a, const struct hv_gzvm_ioeventfd *b)
{
	const uint32_t dm = HV_GZVM_IOEVENTFD_FLAG_DATAMATCH;

	return a->addr == b->addr && a->len == b->len && (a->flags & dm) == (b->flags & dm) &&
	       a->datamatch == b->datamatch;
}

int gzvm_check_enable_cap(const struct hv_gzvm_enable_cap *in, uint32_t *block_pages)
{
	if (in->cap != HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING)
		return -EINVAL;
	for (unsigned int i = 1; i < 5; i++)
		if (in->args[i])
			return -EINVAL; /* args[1] (buffer PA) is the driver's */
	uint64_t size = in->args[0];
	if (size < 2 * GZVM_PAGE_SIZE || size > HV_ABI_BLOCK_BUF_PFNS * GZVM_PAGE_SIZE ||
	    (size & (size - 1)))
		return -EINVAL;
	*block_pages = (uint32_t)(size >> GZVM_PAGE_SHIFT);
	return 0;
}

int gzvm_check_protected_cap(const struct hv_gzvm_enable_cap *in)
{
	if (in->cap != HV_ABI_CAP_PROTECTED_VM || in->args[0] != HV_ABI_PVM_SET_PROTECTED_VM)
		return -EINVAL; /* no pvmfw: SET_PVMFW_GPA / GET_PVMFW_SIZE not passed on */
	for (unsigned int i = 1; i < 5; i++)
		if (in->args[i])
			return -EINVAL;
	return 0;
}

int gzvm_check_create_device(const struct hv_abi_create_device *in)
{
	if (in->dev_type != HV_ABI_DEV_VGIC_V3_DIST && in->dev_type != HV_ABI_DEV_VGIC_V3_REDIST)
		return -EINVAL;
	if (in->flags || in->attr_addr || in->attr_size)
		return -EINVAL; /* neither device takes flags or attributes */
	if (!page_aligned(in->dev_addr) || in->dev_reg_size == 0 ||
	    !page_aligned(in->dev_reg_size) || wraps(in->dev_addr, in->dev_reg_size))
		return -EINVAL;
	return 0;
}

int gzvm_check_dtb_config(const struct hv_gzvm_dtb_config *in)
{
	if (in->dtb_size == 0 || in->dtb_size > GZVM_DTB_MAX_SIZE || (in->dtb_addr & 7) ||
	    wraps(in->dtb_addr, in->dtb_size))
		return -EINVAL;
	return 0;
}

int gzvm_one_reg_size(uint64_t id)
{
	uint64_t size = id & ((uint64_t)HV_GZVM_REG_SIZE_MASK << HV_GZVM_REG_SIZE_SHIFT);

	if ((id & ((uint64_t)0xff << 56)) != HV_GZVM_REG_ARM64)
		return -EINVAL;
	if (size == HV_GZVM_REG_SIZE_U64)
		return 8;
	if (size == HV_GZVM_REG_SIZE_U32)
		return 4;
	return -EINVAL; /* 128-bit and wider registers do not fit one hypercall */
}

bool gzvm_fault_range(uint64_t gfn, uint64_t slot_gfn, uint64_t slot_pages, uint32_t block_pages,
                      uint64_t *first_gfn, uint32_t *nr)
{
	if (gfn < slot_gfn || gfn - slot_gfn >= slot_pages || block_pages == 0)
		return false;
	uint64_t start = gfn & ~((uint64_t)block_pages - 1);
	uint64_t end = start + block_pages; /* exclusive */
	uint64_t slot_end = slot_gfn + slot_pages;

	if (start < slot_gfn)
		start = slot_gfn;
	if (end > slot_end)
		end = slot_end;
	*first_gfn = start;
	*nr = (uint32_t)(end - start);
	return true;
}

bool gzvm_uid_is_ours(uint64_t w0, uint64_t w1, uint64_t w2, uint64_t w3)
{
	return w0 == HV_ABI_HYP_UID_W0 && w1 == HV_ABI_HYP_UID_W1 && w2 == HV_ABI_HYP_UID_W2 &&
	       w3 == HV_ABI_HYP_UID_W3;
}
