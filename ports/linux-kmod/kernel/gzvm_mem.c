// SPDX-License-Identifier: GPL-2.0-only OR Apache-2.0
/*
 * Guest memory: memslots, demand paging, pinning with accounting.
 *
 * A memslot is declared to the hypervisor as MediaTek's driver does it: the
 * slot must be exactly one VMA of exactly memory_size, then
 * MEMREGION_PURPOSE(gpa, size, GUEST_MEM) and SET_MEMREGION with a 2-page
 * region buffer and no pages (constituent_cnt 0); a refusal of either is
 * -EFAULT. Only anonymous or shmem (tmpfs, memfd) memory is accepted, at
 * registration and again at every pin (the mapping may have changed
 * since). A stage-2 fault in a slot (EXIT_EXCEPTION, PAGE_FAULT, every
 * reserved word zero) is served here, in the RUN ioctl: the block around
 * the fault (vm->block_pages, 512 from CREATE_VM as MediaTek's driver)
 * clamped to the slot, or the page alone when part of the block is mapped
 * already, is pinned (FOLL_LONGTERM), charged to the VM creator's
 * locked_vm (RLIMIT_MEMLOCK unless CAP_IPC_LOCK), recorded in vm->pinned
 * and handed to the hypervisor with MAP_GUEST_BLOCK. A page is in vm->pinned
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

/* MediaTek's rule for a memslot: exactly one VMA, of exactly its size. */
static int check_one_vma(struct mm_struct *mm, u64 start, u64 size)
{
	struct vm_area_struct *vma = find_vma(mm, start);

	if (!vma || vma->vm_start != start || vma->vm_end - vma->vm_start != size)
		return -EINVAL;
	return backing_ok(vma) ? 0 : -EINVAL;
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
	ret = check_one_vma(vm->mm, r->userspace_addr, r->memory_size);
	mmap_read_unlock(vm->mm);
	if (ret)
		goto out;

	/* MediaTek's order: the purpose first, then the region from a 2-page
	 * buffer of ours (header, no constituents: demand paged). */
	ret = gzvm_hypcall(HV_ABI_MEMREGION_PURPOSE, vm->vmid, r->guest_phys_addr, r->memory_size,
	                   HV_GZVM_MEM_GUEST_MEM, 0, 0, 0, NULL);
	if (ret) {
		ret = -EFAULT;
		goto out;
	}
	region = (struct hv_abi_mem_region *)__get_free_pages(GFP_KERNEL | __GFP_ZERO, 1);
	if (!region) {
		ret = -ENOMEM;
		goto out;
	}
	region->slot = r->slot;
	region->constituent_cnt = 0;
	region->total_pages = r->memory_size >> GZVM_PAGE_SHIFT;
	region->gpa = r->guest_phys_addr;
	ret = gzvm_hypcall(HV_ABI_SET_MEMREGION, vm->vmid, 2 * GZVM_PAGE_SIZE, virt_to_phys(region),
	                   0, 0, 0, 0, NULL);
	free_pages((unsigned long)region, 1);
	if (ret) {
		ret = -EFAULT;
		goto out;
	}
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

/* A userspace ENABLE_CAP BLOCK_BASED_DEMAND_PAGING, passed on with
 * args[1] = 0 as MediaTek's driver: the hypervisor keeps the pfn page given
 * at CREATE_VM; faults are served in blocks of block_pages from now on. */
int gzvm_mem_set_block_pages(struct gzvm_vm *vm, u32 block_pages)
{
	int ret;

	mutex_lock(&vm->lock);
	if (vm->started) {
		ret = -EBUSY; /* the paging granule is fixed once a vCPU ran */
		goto out;
	}
	ret = gzvm_hypcall(HV_ABI_ENABLE_CAP, vm->vmid, HV_ABI_CAP_BLOCK_BASED_DEMAND_PAGING,
	                   (u64)block_pages << GZVM_PAGE_SHIFT, 0, 0, 0, 0, NULL);
	if (!ret) {
		mutex_lock(&vm->mem_lock);
		vm->block_pages = block_pages;
		mutex_unlock(&vm->mem_lock);
	}
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

/* Give the hypervisor gfn .. gfn + nr - 1 (pages[]) through the pfn page
 * in batches, with MAP_GUEST_BLOCK only, as MediaTek's driver. A failed
 * batch leaves the earlier ones mapped: returns how many pages are mapped. */
static u32 map_in_hyp(struct gzvm_vm *vm, u32 slot, u64 gfn, u32 nr, struct page **pages, int *err)
{
	u32 done = 0;

	*err = 0;
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
	vm->paging.faults += mapped != 0;
	vm->paging.pages += mapped;
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
		vm->paging.relinquished++;
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
