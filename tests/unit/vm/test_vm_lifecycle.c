/* SPDX-License-Identifier: Apache-2.0 */
/* VM create (VMIDs, IPA size), vCPU create, run state, bounded destroy, stats. */
#include "../mem/mem_fixture.h"

TestSuite(vm, .init = fx_setup, .fini = fx_teardown);

Test(vm, create_assigns_lowest_free_vmid_and_validates)
{
	cr_assert_eq(fx.vmid, 1);
	cr_assert_eq(fx.vm->ipa_bits, 40);
	cr_assert_eq(fx.vm->life.state, HV_VM_CREATED);
	cr_assert_eq(fx.vm->life.mem.block_size, HV_SZ_2M);
	uint16_t id = 0x5555;
	struct hv_vm_config bad[] = {
	    {.ipa_bits = 39},
	    {.ipa_bits = 48}, /* 48 > the hyp's 40 */
	    {.ipa_bits = 31},
	    {.max_vcpus = HV_MAX_VCPUS + 1},
	    {.block_size = 3 * 4096},
	    {.block_size = 2048},
	    {.block_size = 2 * HV_SZ_1G},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(hv_vm_create(fx.hyp, &bad[i], &id), HV_ERR_INVALID, "config %zu", i);
	cr_assert_eq(hv_vm_create(fx.hyp, NULL, &id), HV_ERR_INVALID);
	cr_assert_eq(hv_vm_create(fx.hyp, &bad[0], NULL), HV_ERR_INVALID);
	cr_assert_eq(id, 0x5555);
	struct hv_vm_config ok = {.ipa_bits = 36, .max_vcpus = 2, .block_size = 4096};
	cr_assert_eq(hv_vm_create(fx.hyp, &ok, &id), HV_OK);
	cr_assert_eq(id, 2);
	struct hv_vm *vm = hv_vm_find(fx.hyp, id);
	cr_assert_eq(vm->ipa_bits, 36);
	cr_assert_eq(vm->life.mem.block_size, 4096);
	cr_assert_null(hv_vm_find(fx.hyp, 0));
	cr_assert_null(hv_vm_find(fx.hyp, 3));
}

Test(vm, table_full_then_vmid_reused_after_destroy)
{
	struct hv_vm_config cfg = {0};
	uint16_t id;
	for (unsigned i = 1; i < HV_MAX_VMS; i++)
		cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	cr_assert_eq(id, HV_MAX_VMS);
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_ERR_NO_MEMORY);
	cr_assert_eq(hv_vm_destroy(fx.hyp, 5, 0), HV_OK);
	cr_assert_null(hv_vm_find(fx.hyp, 5));
	cr_assert_eq(hv_vm_destroy(fx.hyp, 5, 0), HV_ERR_NOT_FOUND);
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	cr_assert_eq(id, 5);
}

Test(vm, reserved_vmid_is_never_given)
{
	struct hv_vm_config cfg = {0};
	uint16_t id;
	cr_assert_eq(hv_hyp_reserve_vmid(fx.hyp, 2), HV_OK);
	cr_assert_eq(hv_hyp_reserve_vmid(fx.hyp, 2), HV_ERR_EXISTS);
	cr_assert_eq(hv_hyp_reserve_vmid(fx.hyp, 1), HV_ERR_EXISTS); /* fx's VM */
	cr_assert_eq(hv_hyp_reserve_vmid(fx.hyp, 0), HV_ERR_RANGE);
	cr_assert_eq(hv_hyp_reserve_vmid(fx.hyp, HV_VMID_MAX + 1), HV_ERR_RANGE);
	cr_assert_eq(hv_hyp_reserve_vmid(NULL, 3), HV_ERR_INVALID);
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	cr_assert_eq(id, 3);
	cr_assert_null(hv_vm_find(fx.hyp, 2));
	cr_assert_eq(hv_vm_destroy(fx.hyp, 2, 0), HV_ERR_NOT_FOUND);
	/* Still reserved after the VM beside it is gone. */
	cr_assert_eq(hv_vm_destroy(fx.hyp, 3, 0), HV_OK);
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	cr_assert_eq(id, 3);
}

Test(vm, vcpu_create)
{
	struct hv_vcpu *v = NULL;
	cr_assert_eq(hv_vcpu_create(fx.vm, 0, &v), HV_ERR_EXISTS);
	cr_assert_eq(hv_vcpu_create(fx.vm, HV_MAX_VCPUS, &v), HV_ERR_RANGE);
	cr_assert_null(v);
	cr_assert_eq(hv_vcpu_create(fx.vm, 5, &v), HV_OK);
	cr_assert_eq(v->id, 5);
	cr_assert_eq(v->vm, fx.vm);
	cr_assert_eq(v->power, HV_VCPU_OFF);
	cr_assert_eq(fx.vcpu->power, HV_VCPU_ON);
	cr_assert_eq(v->ctx.el1.mpidr_el1, 0x80000005u);
	cr_assert_eq(v->ctx.timer.cntvoff_el2, fx.vm->vtimer.cntvoff);
	cr_assert_eq(fx.vm->nr_vcpus, 6);
	cr_assert_eq(fx.vm->vcpus[5], v);
	cr_assert_null(fx.vm->vcpus[3]);
	for (uint32_t i = 1; i < HV_MAX_VCPUS; i++)
		if (i != 5)
			cr_assert_eq(hv_vcpu_create(fx.vm, i, NULL), HV_OK);
	cr_assert_eq(fx.vm->nr_vcpus, HV_MAX_VCPUS);
	/* A VM limited to 2 vCPUs. */
	struct hv_vm_config cfg = {.max_vcpus = 2};
	uint16_t id;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	struct hv_vm *vm2 = hv_vm_find(fx.hyp, id);
	cr_assert_eq(hv_vcpu_create(vm2, 2, NULL), HV_ERR_RANGE);
	cr_assert_eq(hv_vcpu_create(vm2, 1, &v), HV_OK);
	cr_assert_neq(v, fx.vm->vcpus[1]); /* separate storage per VM */
	cr_assert_eq(hv_vcpu_create(NULL, 0, NULL), HV_ERR_INVALID);
}

Test(vm, cntvoff_configured_or_taken_at_creation)
{
	sim_counter_set(123456);
	struct hv_vm_config cfg = {0};
	uint16_t a, b;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &a), HV_OK);
	cfg.set_cntvoff = true;
	cfg.cntvoff = 1000;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &b), HV_OK);
	cr_assert_eq(hv_vm_find(fx.hyp, a)->vtimer.cntvoff, 123456);
	struct hv_vcpu *v;
	cr_assert_eq(hv_vcpu_create(hv_vm_find(fx.hyp, b), 0, &v), HV_OK);
	cr_assert_eq(hv_vtimer_count(v), 122456);
}

Test(vm, run_state_and_dying_vm_refuses_everything)
{
	cr_assert_eq(hv_vm_mark_running(fx.vm), HV_OK);
	cr_assert_eq(fx.vm->life.state, HV_VM_RUNNING);
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M * 4, 0), HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA), GUEST_PFN, 512), HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + HV_SZ_2M), GUEST_PFN + 512, 512),
	             HV_OK);
	sim_arch_reset();
	struct hv_vm *vm = fx.vm;
	cr_assert_eq(hv_vm_destroy(fx.hyp, fx.vmid, 100), HV_BUSY);
	/* The first round made it dying and invalidated its VMID. */
	cr_assert_eq(sim_op_count_kind(SIM_OP_TLBI_VMID), 1);
	cr_assert_eq(vm->life.state, HV_VM_DYING);
	cr_assert_null(hv_vm_find(fx.hyp, fx.vmid));
	cr_assert_eq(hv_mem_set_memslot(vm, 1, hv_ipa(0), 4096, 0), HV_ERR_STATE);
	cr_assert_eq(hv_mem_map_range(vm, 0, hv_ipa(RAM_IPA + 2 * HV_SZ_2M), GUEST_PFN + 2000, 1),
	             HV_ERR_STATE);
	cr_assert_eq(hv_mem_handle_stage2_fault(fx.vcpu, hv_ipa(RAM_IPA + 3 * HV_SZ_2M), false),
	             HV_ERR_STATE);
	cr_assert_eq(hv_mem_relinquish(fx.vcpu, hv_ipa(RAM_IPA)), HV_ERR_STATE);
	cr_assert_eq(hv_vcpu_create(vm, 3, NULL), HV_ERR_STATE);
	cr_assert_eq(hv_vm_mark_running(vm), HV_ERR_STATE);
	check_invariant();
}

Test(vm, destroy_is_bounded_and_returns_everything)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(RAM_IPA), HV_SZ_2M * 8, 0), HV_OK);
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 1, hv_ipa(0x7f00000000ull), HV_SZ_2M, 0), HV_OK);
	for (unsigned b = 0; b < 6; b++)
		cr_assert_eq(hv_mem_map_range(fx.vm, 0, hv_ipa(RAM_IPA + b * HV_SZ_2M),
		                              GUEST_PFN + b * 512, 512),
		             HV_OK);
	cr_assert_eq(hv_mem_map_range(fx.vm, 1, hv_ipa(0x7f00001000ull), GUEST_PFN + 4000, 10),
	             HV_OK);
	struct hv_vm_stats st;
	cr_assert_eq(hv_vm_get_stats(fx.vm, &st), HV_OK);
	cr_assert_eq(st.pinned_bytes, (6 * 512 + 10) * 4096ull);
	cr_assert_eq(st.shared_bytes, st.pinned_bytes);
	cr_assert_geq(st.hyp_bytes, sizeof(struct hv_vm) + sizeof(struct hv_vcpu) +
	                                fx.vm->life.mem.pin_table_pages * 4096);
	cr_assert_gt(fx.vm->life.mem.pin_table_pages, 6);
	cr_assert_eq(hv_pgown_count(&fx.hyp->own, fx.vmid), 6 * 512 + 10);
	/* Batch of 64 units: at least (3082 pages + tables) / 64 rounds. */
	unsigned rounds = 0;
	hv_status_t rc;
	uint64_t prev_owned = UINT64_MAX;
	while ((rc = hv_vm_destroy(fx.hyp, fx.vmid, 64)) == HV_BUSY) {
		uint64_t owned = hv_pgown_count(&fx.hyp->own, fx.vmid);
		cr_assert_geq(prev_owned == UINT64_MAX ? owned + 64 : prev_owned, owned);
		cr_assert_geq(owned + 64, prev_owned == UINT64_MAX ? 3082 : prev_owned);
		prev_owned = owned;
		rounds++;
		cr_assert_lt(rounds, 1000);
	}
	cr_assert_eq(rc, HV_OK);
	cr_assert_geq(rounds, 3082 / 64);
	cr_assert_eq(hv_pgown_count(&fx.hyp->own, HV_OWNER_HOST), MANAGED_PGS);
	cr_assert_eq(fx.pool.live, 0);
	cr_assert_null(hv_vm_find(fx.hyp, fx.vmid));
	cr_assert_null(fx.hyp->vms[0].vcpus[0]);
	/* VMID 1 is free again. */
	struct hv_vm_config cfg = {0};
	uint16_t id;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	cr_assert_eq(id, 1);
}

Test(vm, stats_refusals)
{
	struct hv_vm_stats st;
	cr_assert_eq(hv_vm_get_stats(NULL, &st), HV_ERR_INVALID);
	cr_assert_eq(hv_vm_get_stats(fx.vm, NULL), HV_ERR_INVALID);
	cr_assert_eq(hv_vm_get_stats(fx.vm, &st), HV_OK);
	cr_assert_eq(st.nr_vcpus, 1);
	cr_assert_eq(st.shared_bytes, 0);
	cr_assert_eq(st.state, HV_VM_CREATED);
}

Test(vm, hyp_init_refusals)
{
	struct hv_hyp *h = calloc(1, sizeof(*h));
	struct hv_page_owner o[4];
	cr_assert_eq(hv_hyp_init(h, NULL, 40, hv_pa(0), 4, o), HV_ERR_INVALID);
	cr_assert_eq(hv_hyp_init(h, &fx.pool.ops, 41, hv_pa(0), 4, o), HV_ERR_INVALID);
	cr_assert_eq(hv_hyp_init(h, &fx.pool.ops, 40, hv_pa(1), 4, o), HV_ERR_INVALID);
	cr_assert_eq(hv_hyp_init(h, &fx.pool.ops, 40, hv_pa(0), 0, o), HV_ERR_INVALID);
	cr_assert_eq(h->mm, NULL);
	free(h);
}

Test(vm, destroy_with_huge_batch_is_accepted)
{
	cr_assert_eq(hv_mem_set_memslot(fx.vm, 0, hv_ipa(0), HV_SZ_2M * 8, 0), HV_OK);
	for (unsigned b = 0; b < 8; b++)
		cr_assert_eq(
		    hv_mem_map_range(fx.vm, 0, hv_ipa(b * HV_SZ_2M), GUEST_PFN + b * 512, 512),
		    HV_OK);
	uint16_t id2;
	struct hv_vm_config cfg = {0};
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id2), HV_OK);
	struct hv_vm *vm2 = hv_vm_find(fx.hyp, id2);
	cr_assert_eq(hv_mem_set_memslot(vm2, 0, hv_ipa(0), HV_SZ_2M * 32, 0), HV_OK);
	/* A batch of UINT64_MAX is taken as the maximum (65536 units), which
	 * covers these 4096 pages and their tables in one call. */
	cr_assert_eq(hv_vm_destroy(fx.hyp, fx.vmid, UINT64_MAX), HV_OK);
	cr_assert_eq(hv_pgown_count(&fx.hyp->own, HV_OWNER_HOST), MANAGED_PGS);
	cr_assert_eq(hv_vm_destroy(fx.hyp, id2, 1), HV_OK); /* nothing mapped: done at once */
}

Test(vm, block_size_modes)
{
	/* Single-page mode. */
	struct hv_vm_config cfg = {.block_size = 4096};
	uint16_t id;
	struct hv_vcpu *v;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	struct hv_vm *vm = hv_vm_find(fx.hyp, id);
	cr_assert_eq(hv_vcpu_create(vm, 0, &v), HV_OK);
	cr_assert_eq(hv_mem_set_memslot(vm, 0, hv_ipa(RAM_IPA), HV_SZ_1G, 0), HV_OK);
	cr_assert_eq(hv_mem_handle_stage2_fault(v, hv_ipa(RAM_IPA + 0x12345), false), HV_BUSY);
	cr_assert_eq(hv_ipa_addr(v->host_exit.page_fault.ipa), RAM_IPA + 0x12000);
	cr_assert_eq(v->host_exit.page_fault.size, 4096);
	/* 1 GiB blocks, clamped to a slot that starts mid-block. */
	cfg.block_size = HV_SZ_1G;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	vm = hv_vm_find(fx.hyp, id);
	cr_assert_eq(hv_vcpu_create(vm, 0, &v), HV_OK);
	cr_assert_eq(hv_mem_set_memslot(vm, 0, hv_ipa(RAM_IPA + HV_SZ_2M), HV_SZ_2M * 3, 0), HV_OK);
	cr_assert_eq(hv_mem_handle_stage2_fault(v, hv_ipa(RAM_IPA + HV_SZ_2M * 2), false), HV_BUSY);
	cr_assert_eq(hv_ipa_addr(v->host_exit.page_fault.ipa), RAM_IPA + HV_SZ_2M);
	cr_assert_eq(v->host_exit.page_fault.size, HV_SZ_2M * 3);
}

Test(vm, create_without_table_memory_consumes_nothing)
{
	size_t live = fx.pool.live;
	test_pool_fail_after(&fx.pool, 0, true);
	struct hv_vm_config cfg = {0};
	uint16_t id = 0x77;
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_ERR_NO_MEMORY);
	test_pool_fail_after(&fx.pool, -1, false);
	cr_assert_eq(id, 0x77);
	cr_assert_eq(fx.pool.live, live);
	cr_assert_null(hv_vm_find(fx.hyp, 2));
	cr_assert_eq(hv_vm_create(fx.hyp, &cfg, &id), HV_OK);
	cr_assert_eq(id, 2); /* the VMID was not consumed */
}
