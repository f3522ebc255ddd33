// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * Guest memory: memslots, demand paging, pinning with accounting.
 *
 * A memslot is declared to the hypervisor with SET_MEMREGION and no pages
 * (constituent_cnt 0). Only anonymous or shmem (tmpfs, memfd) memory is
 * accepted, at registration and again at every pin (the mapping may have
 * changed since). A stage-2 fault in a slot (EXIT_EXCEPTION, PAGE_FAULT)
 * is served here, in the RUN ioctl: the page, or after ENABLE_CAP
 * BLOCK_BASED_DEMAND_PAGING the block around it clamped to the slot, is
 * pinned (FOLL_LONGTERM), charged to the VM creator's locked_vm (RLIMIT_
 * MEMLOCK unless CAP_IPC_LOCK), recorded in vm->pinned and handed to the
 * hypervisor with MAP_GUEST or MAP_GUEST_BLOCK. A page is in vm->pinned
 * exactly while the hypervisor may map it; it is unpinned when the guest
 * relinquishes it or after DESTROY_VM.
 */
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "gzvm.h"
#include "gzvm_compat.h"

/* Anonymous or shmem memory, nothing with special PTEs or huge pages of
 * hugetlbfs (whose pages the hypervisor could not map page by page). */
static bool backing_ok(struct vm_area_struct *vma)
{
	if (vma->vm_flags & (VM_IO | VM_PFNMAP | VM_MIXEDMAP | VM_HUGETLB))
		return false;
	if (vma_is_anonymous(vma))
		return true;
	return vma->vm_file && file_inode(vma->vm_file)->i_sb->s_magic == TMPFS_MAGIC;
}

/* [start, start + size) is fully mapped by acceptable VMAs. mmap_lock held. */
static int check_backing(struct mm_struct *mm, u64 start, u64 size)
{
	u64 addr = start, end = start + size;

	while (addr < end) {
		struct vm_area_struct *vma = find_vma(mm, addr);

		if (!vma || vma->vm_start > addr)
			return -EFAULT;
		if (!backing_ok(vma))
			return -EINVAL;
		addr = vma->vm_end;
	}
	return 0;
}

int gzvm_mem_set_region(struct gzvm_vm *vm, const struct hv_gzvm_userspace_memory_region *r)
{
	struct hv_abi_mem_region *region;
	struct gzvm_memslot *slot;
	int ret = gzvm_check_memory_region(r);

	if (ret)
		return ret;
	mutex_lock(&vm->lock);
	slot = &vm->slots[r->slot];
	if (slot->used) {
		ret = -EEXIST; /* slots are neither moved nor deleted */
		goto out;
	}
	for (unsigned int i = 0; i < HV_ABI_MAX_MEMSLOTS; i++) {
		const struct gzvm_memslot *s = &vm->slots[i];

		if (s->used && gzvm_ranges_overlap(s->base_gfn << GZVM_PAGE_SHIFT,
		                                   s->npages << GZVM_PAGE_SHIFT, r->guest_phys_addr,
		                                   r->memory_size)) {
			ret = -EEXIST;
			goto out;
		}
	}
	mmap_read_lock(vm->mm);
	ret = check_backing(vm->mm, r->userspace_addr, r->memory_size);
	mmap_read_unlock(vm->mm);
	if (ret)
		goto out;

	/* The hypervisor reads the region header from our memory. */
	region = kzalloc(sizeof(*region), GFP_KERNEL);
	if (!region) {
		ret = -ENOMEM;
		goto out;
	}
	region->slot = r->slot;
	region->constituent_cnt = 0;
	region->total_pages = r->memory_size >> GZVM_PAGE_SHIFT;
	region->gpa = r->guest_phys_addr;
	ret = gzvm_hypcall(HV_ABI_SET_MEMREGION, vm->vmid, sizeof(*region), virt_to_phys(region), 0,
	                   0, 0, 0, NULL);
	kfree(region);
	if (ret)
		goto out;
	mutex_lock(&vm->mem_lock);
	slot->base_gfn = r->guest_phys_addr >> GZVM_PAGE_SHIFT;
	slot->npages = r->memory_size >> GZVM_PAGE_SHIFT;
	slot->userspace_addr = r->userspace_addr;
	slot->used = true;
	mutex_unlock(&vm->mem_lock);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

int gzvm_mem_enable_block_paging(struct gzvm_vm *vm, u32 block_pages)
{
	u64 *buf;
	int ret;

	mutex_lock(&vm->lock);
	buf = vm->block_buf;
	if (vm->started) {
		ret = -EBUSY; /* the paging granule is fixed once a vCPU ran */
		goto out;
	}
	if (!buf) {
		buf = (u64 *)get_zeroed_page(GFP_KERNEL);
		if (!buf) {
			ret = -ENOMEM;
			goto out;
		}
	}
	ret = gzvm_hypcall(HV_ABI_ENABLE_CAP, vm->vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                   (u64)block_pages << GZVM_PAGE_SHIFT, virt_to_phys(buf), 0, 0, 0, NULL);
	if (ret) {
		if (buf != vm->block_buf)
			free_page((unsigned long)buf);
		goto out;
	}
	mutex_lock(&vm->mem_lock);
	vm->block_buf = buf;
	vm->block_pages = block_pages;
	mutex_unlock(&vm->mem_lock);
out:
	mutex_unlock(&vm->lock);
	return ret;
}

static const struct gzvm_memslot *slot_of(const struct gzvm_vm *vm, u64 gfn, u32 *id)
{
	for (u32 i = 0; i < HV_ABI_MAX_MEMSLOTS; i++) {
		const struct gzvm_memslot *s = &vm->slots[i];

		if (s->used && gfn >= s->base_gfn && gfn - s->base_gfn < s->npages) {
			*id = i;
			return s;
		}
	}
	return NULL;
}

bool gzvm_mem_range_in_slots(struct gzvm_vm *vm, u64 gpa, u64 size)
{
	u64 gfn = gpa >> GZVM_PAGE_SHIFT, last = (gpa + size - 1) >> GZVM_PAGE_SHIFT;
	bool ok = true;
	u32 id;

	mutex_lock(&vm->mem_lock);
	while (ok && gfn <= last) {
		const struct gzvm_memslot *s = slot_of(vm, gfn, &id);

		ok = s != NULL;
		if (ok)
			gfn = s->base_gfn + s->npages;
	}
	mutex_unlock(&vm->mem_lock);
	return ok;
}

/* Pin nr pages at hva for writing, after checking their backing. */
static int pin_range(struct gzvm_vm *vm, u64 hva, u32 nr, struct page **pages)
{
	long done = 0, got;
	int ret;

	mmap_read_lock(vm->mm);
	ret = check_backing(vm->mm, hva, (u64)nr << GZVM_PAGE_SHIFT);
	while (!ret && done < nr) {
		got = gzvm_pin_user_pages(hva + ((u64)done << GZVM_PAGE_SHIFT), nr - done,
		                          FOLL_WRITE | FOLL_LONGTERM, pages + done);
		if (got <= 0)
			ret = got ? (int)got : -EFAULT;
		else
			done += got;
	}
	mmap_read_unlock(vm->mm);
	if (ret)
		unpin_user_pages(pages, done);
	return ret;
}

/* Give the hypervisor gfn .. gfn + nr - 1 (pages[]): one page with
 * MAP_GUEST, more through the block buffer in batches. A failed batch
 * leaves the earlier ones mapped: returns how many pages are mapped. */
static u32 map_in_hyp(struct gzvm_vm *vm, u32 slot, u64 gfn, u32 nr, struct page **pages, int *err)
{
	u32 done = 0;

	*err = 0;
	if (nr == 1) {
		*err = gzvm_hypcall(HV_ABI_MAP_GUEST, vm->vmid, slot, page_to_pfn(pages[0]), gfn, 1,
		                    0, 0, NULL);
		return *err ? 0 : 1;
	}
	while (done < nr) {
		u32 n = min(nr - done, vm->hyp_batch_pages);

		for (u32 i = 0; i < n; i++)
			WRITE_ONCE(vm->block_buf[i], page_to_pfn(pages[done + i]));
		*err = gzvm_hypcall(HV_ABI_MAP_GUEST_BLOCK, vm->vmid, slot, gfn + done, n, 0, 0, 0,
		                    NULL);
		if (*err)
			break;
		done += n;
	}
	return done;
}

static void drop_pins(struct gzvm_vm *vm, u64 gfn, u32 nr, struct page **pages)
{
	for (u32 i = 0; i < nr; i++)
		xa_erase(&vm->pinned, gfn + i);
	unpin_user_pages(pages, nr);
	account_locked_vm(vm->mm, nr, false);
}

int gzvm_mem_handle_fault(struct gzvm_vm *vm, u64 gpa)
{
	u64 gfn = gpa >> GZVM_PAGE_SHIFT, first, hva;
	const struct gzvm_memslot *slot;
	struct page **pages;
	u32 id, nr, mapped, i;
	int ret, err;

	mutex_lock(&vm->mem_lock);
	slot = slot_of(vm, gfn, &id);
	if (!slot) {
		ret = -ENOENT; /* not RAM: the exit goes to userspace */
		goto out;
	}
	if (xa_load(&vm->pinned, gfn)) {
		ret = 0; /* another vCPU brought it in meanwhile */
		goto out;
	}
	gzvm_fault_range(gfn, slot->base_gfn, slot->npages, vm->block_pages, &first, &nr);
	for (i = 0; i < nr && nr > 1; i++) {
		if (xa_load(&vm->pinned, first + i)) {
			first = gfn; /* part of the block is mapped: this page only */
			nr = 1;
		}
	}
	pages = kmalloc_array(nr, sizeof(*pages), GFP_KERNEL);
	if (!pages) {
		ret = -ENOMEM;
		goto out;
	}
	ret = account_locked_vm(vm->mm, nr, true);
	if (ret)
		goto out_free;
	hva = slot->userspace_addr + ((first - slot->base_gfn) << GZVM_PAGE_SHIFT);
	ret = pin_range(vm, hva, nr, pages);
	if (ret)
		goto out_unaccount;
	for (i = 0; i < nr; i++) {
		ret = xa_insert(&vm->pinned, first + i, pages[i], GFP_KERNEL);
		if (ret) {
			drop_pins(vm, first, i, pages);
			unpin_user_pages(pages + i, nr - i);
			account_locked_vm(vm->mm, nr - i, false);
			goto out_free;
		}
	}
	mapped = map_in_hyp(vm, id, first, nr, pages, &err);
	vm->nr_pinned += mapped;
	if (mapped < nr)
		drop_pins(vm, first + mapped, nr - mapped, pages + mapped);
	ret = err;
	goto out_free;

out_unaccount:
	account_locked_vm(vm->mm, nr, false);
out_free:
	kfree(pages);
out:
	mutex_unlock(&vm->mem_lock);
	return ret;
}

int gzvm_mem_relinquish(struct gzvm_vm *vm, u64 gpa)
{
	struct page *page;

	mutex_lock(&vm->mem_lock);
	page = xa_erase(&vm->pinned, gpa >> GZVM_PAGE_SHIFT);
	if (page) {
		unpin_user_pages_dirty_lock(&page, 1, true);
		account_locked_vm(vm->mm, 1, false);
		vm->nr_pinned--;
	}
	mutex_unlock(&vm->mem_lock);
	return 0;
}

/* After DESTROY_VM: nothing maps the pages any more. */
void gzvm_mem_release(struct gzvm_vm *vm)
{
	struct page *page;
	unsigned long gfn;

	xa_for_each(&vm->pinned, gfn, page) unpin_user_pages_dirty_lock(&page, 1, true);
	xa_destroy(&vm->pinned);
	if (vm->nr_pinned)
		account_locked_vm(vm->mm, vm->nr_pinned, false);
	vm->nr_pinned = 0;
	if (vm->block_buf)
		free_page((unsigned long)vm->block_buf);
	vm->block_buf = NULL;
}
