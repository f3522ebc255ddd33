# The Linux host driver (ports/linux-kmod): label kmod builds gzvm.ko against
# Debian's arm64 kernel headers and boots Debian's arm64 kernel under QEMU
# with it (no hypervisor below: the module must decline); label unit checks
# the driver's UAPI validation and the VMM's pieces on the build machine.
set(kmod_src ${PROJECT_SOURCE_DIR}/ports/linux-kmod)
set(kmod_out ${CMAKE_BINARY_DIR}/kmod)

# Shared with the module: the UAPI checks, as plain C.
hv_add_criterion_test(unit.gzvm_uapi
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gzvm_uapi.c ${kmod_src}/kernel/gzvm_uapi.c)
target_include_directories(unit.gzvm_uapi PRIVATE ${kmod_src}/kernel)

# The VMM's image loader, boot layout, PL011 model and probe.
hv_add_criterion_test(unit.gzvm_vmm
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gzvm_vmm.c ${kmod_src}/vmm/image.c ${kmod_src}/vmm/pl011.c
          ${kmod_src}/vmm/probe.c ${kmod_src}/vmm/vcpu_mover.c
          ${PROJECT_SOURCE_DIR}/hostlib/elf_image.c)
target_include_directories(unit.gzvm_vmm PRIVATE ${kmod_src}/vmm ${PROJECT_SOURCE_DIR}/hostlib)

# The VMM's virtio devices (virtio-mmio transport, virtio-blk) against a
# scripted driver and hostile queues.
hv_add_criterion_test(unit.vmm_virtio
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_vmm_virtio.c ${kmod_src}/vmm/virtio/virtqueue.c
          ${kmod_src}/vmm/virtio/virtio_mmio.c ${kmod_src}/vmm/virtio/virtio_blk.c)
target_include_directories(unit.vmm_virtio PRIVATE ${kmod_src}/vmm)

# The VMM's error paths on the build machine (gzvm_vmm_host: ports/linux-kmod/host.cmake).
add_test(NAME unit.gzvm_vmm_errors
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/vmm-errors.sh $<TARGET_FILE:gzvm_vmm_host>)
set_tests_properties(unit.gzvm_vmm_errors PROPERTIES LABELS unit TIMEOUT 60
                     FAIL_REGULAR_EXPRESSION "${HV_TEST_FAIL_REGEX}")

if(NOT HV_GUEST_CC OR NOT TARGET contract_guests)
  message(STATUS "no aarch64 cross compiler: kmod tests skipped")
  return()
endif()

# One finit_module(2) per load, as kmod's insmod (busybox insmod retries).
add_custom_command(
  OUTPUT ${kmod_out}/finit-module
  COMMAND ${CMAKE_COMMAND} -E make_directory ${kmod_out}
  COMMAND ${HV_GUEST_CC} -static -O2 -Wall -Wextra -Werror -o ${kmod_out}/finit-module
          ${CMAKE_CURRENT_LIST_DIR}/finit_module.c
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/finit_module.c
  COMMENT "finit-module (static aarch64, kmod tests)"
  VERBATIM)
add_custom_target(kmod_finit_module ALL DEPENDS ${kmod_out}/finit-module)

# kmod.NAME: build-module.sh builds a module into kmod/OUT, the fixture
# FIXTURE of the tests that load it. KERNEL picks Debian's kernel
# (HV_DEBIAN_KERNEL; default bookworm's), SRC and MODULE a Kbuild directory
# and module other than gzvm.ko.
function(hv_kmod_build name out fixture)
  cmake_parse_arguments(B "" "KERNEL;SRC;MODULE" "" ${ARGN})
  add_test(NAME kmod.${name}
    COMMAND ${kmod_src}/build-module.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/${out} ${B_SRC} ${B_MODULE})
  set_tests_properties(kmod.${name} PROPERTIES LABELS kmod TIMEOUT 600 FIXTURES_SETUP ${fixture})
  if(B_KERNEL)
    set_tests_properties(kmod.${name} PROPERTIES ENVIRONMENT HV_DEBIAN_KERNEL=${B_KERNEL})
  endif()
endfunction()

hv_kmod_build(module.build module kmod_module)

add_test(NAME kmod.boot.decline
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/boot-decline.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
          ${kmod_out}/gzvm-vmm ${kmod_out}/finit-module ${HV_GUEST_DIR}/hello.bin)
set_tests_properties(kmod.boot.decline PROPERTIES LABELS kmod TIMEOUT 300
                     FIXTURES_REQUIRED kmod_module)

# gzvm-host-check: the UAPI against the real hypercall server (static aarch64,
# run inside the Linux host by el2-host.sh).
add_custom_command(
  OUTPUT ${kmod_out}/gzvm-host-check
  COMMAND ${CMAKE_COMMAND} -E make_directory ${kmod_out}
  COMMAND ${HV_GUEST_CC} -static -O2 -std=gnu11 -Wall -Wextra -Werror
          -I${PROJECT_SOURCE_DIR}/core/include -I${PROJECT_SOURCE_DIR}/hostlib
          -o ${kmod_out}/gzvm-host-check ${CMAKE_CURRENT_LIST_DIR}/gzvm_host_check.c
  DEPENDS ${CMAKE_CURRENT_LIST_DIR}/gzvm_host_check.c ${PROJECT_SOURCE_DIR}/core/include/hv/abi.h
          ${PROJECT_SOURCE_DIR}/hostlib/one_vma.h
  COMMENT "gzvm-host-check (static aarch64, kmod tests)"
  VERBATIM)
add_custom_target(kmod_host_check ALL DEPENDS ${kmod_out}/gzvm-host-check)

# hv_hostile.ko: raw hostile hypercalls from the host (tests/kmod/hostile).
hv_kmod_build(hostile.build hostile kmod_hostile SRC tests/kmod/hostile MODULE hv_hostile)

# Debian's kernel as the host under the EL2 port (hvcore.host=1): gzvm.ko
# binds to the hypercall server at EL2 and the UAPI runs against it.
add_test(NAME kmod.el2.host
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/el2-host.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
          ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check)
set_tests_properties(kmod.el2.host PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                     FIXTURES_REQUIRED "kmod_module;kmod_hostile"
                     ENVIRONMENT HV_HOSTILE_KO=${kmod_out}/hostile/hv_hostile.ko)

# el2-mediatek (mode A): the same Linux host loads gzvm.ko, which must bind
# through the /hypervisor node EL2 inserted and find the hypercall server
# at EL2; gzvm-host-check runs the UAPI against it (tests/qemu/el2_mtk_host.sh).
add_test(NAME kmod.el2mtk.gzvm_node
  COMMAND ${PROJECT_SOURCE_DIR}/tests/qemu/el2_mtk_host.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
          ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check)
set_tests_properties(kmod.el2mtk.gzvm_node PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                     FIXTURES_REQUIRED "kmod_module;kmod_hostile"
                     ENVIRONMENT HV_HOSTILE_KO=${kmod_out}/hostile/hv_hostile.ko)
# el2-mediatek (mode A), RUN: gzvm-vmm in that host runs contract guests,
# their vCPUs entered on the host's own CPUs (sgi on 2 vCPUs); each
# transcript must equal the guest's .expected, as kmod.host.* on el2-qemu.
if(TARGET contract_guests)
  add_test(NAME kmod.el2mtk.guests
    COMMAND ${PROJECT_SOURCE_DIR}/tests/qemu/el2_mtk_host.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
            ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check ${kmod_out}/gzvm-vmm
            ${HV_GUEST_DIR} hello mmio timer sgi)
  set_tests_properties(kmod.el2mtk.guests PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                       FIXTURES_REQUIRED kmod_module)
endif()

# RUN at EL2: gzvm-vmm inside that host runs contract guests through the
# driver and the server (abi_runtime_el2.c); the transcript must equal the
# guest's .expected, as sim.abi_guests on the sim runtime.
if(TARGET contract_guests)
  # kmod.host.NAME: gzvm-vmm in the host runs GUEST through the driver and
  # the server's RUN at EL2 (el2-host.sh: VMM_ARGS, COPIES VMMs at once,
  # ENV for the script). An optional KERNEL (bookworm-backports, trixie)
  # boots that Debian kernel as the host, with its module-KERNEL build.
  function(hv_kmod_host_test name guest vmm_args copies env)
    set(module module)
    set(fixture kmod_module)
    if(ARGC GREATER 5)
      set(module module-${ARGV5})
      set(fixture kmod_module_${ARGV5})
    endif()
    add_test(NAME kmod.host.${name}
      COMMAND ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/el2-host.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/${module}
              ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check ${kmod_out}/gzvm-vmm
              ${HV_GUEST_DIR} ${guest} "${vmm_args}" ${copies})
    set_tests_properties(kmod.host.${name} PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                         FIXTURES_REQUIRED ${fixture} ENVIRONMENT "${env}")
  endfunction()
  foreach(guest hello mmio abort exceptions paging timer psci sgi idregs)
    hv_kmod_host_test(${guest} ${guest} "" 1 "")
  endforeach()
  # The arm64 boot protocol for a raw payload: x0 = the VMM's device tree,
  # the text after "--" in dtboot.args as /chosen/bootargs, the UART, GIC
  # and PSCI found from it. The server's vGIC has 988 SPIs (ITLinesNumber
  # 31) where hvsim's and the EL2 port's have 32, hence its own transcript.
  hv_kmod_host_test(dtboot dtboot "" 1
    "HV_EXPECTED=${PROJECT_SOURCE_DIR}/tests/guests/dtboot.vmm.expected")
  # Self-hosted debug and the EL1 physical timer of a server's vCPUs: with
  # --move-vcpus each VMM vCPU thread moves to the other host CPU before
  # every RUN, so a vCPU's debug registers and timer must follow it across
  # the physical CPUs (the VMM reports where each vCPU was entered).
  set(moved "HV_EXPECT_VMM=every vCPU entered on at least 2 host CPUs")
  hv_kmod_host_test(debug debug "--move-vcpus" 1
    "HV_EXPECTED=${PROJECT_SOURCE_DIR}/tests/guests/debug.el2.expected;${moved}")
  hv_kmod_host_test(ptimer ptimer "--move-vcpus" 1 "${moved}")
  # Block-based demand paging: 2 MiB blocks through the driver's pfn buffer
  # and the server's MAP_GUEST_BLOCK.
  hv_kmod_host_test(paging.block paging "--block 2048" 1 "")
  # Three VMMs at once, each running sgi on 2 vCPUs: 3 VMs and 6 guest
  # vCPUs on the host's 2 vCPUs, RUN calls from both physical CPUs.
  hv_kmod_host_test(sgi.x3 sgi "" 3 "")
  # psci (2 vCPUs, one powered off and idle with no timer armed) three times
  # at once: the IDLE exits must block the vCPU threads (MediaTek's rule:
  # only with vtimer_migrate set), no soft lockup of the host's 2 vCPUs.
  hv_kmod_host_test(psci.x3 psci "" 3 "")
  # SPIs raised by eventfds (IRQFD, never lowered) reach the guest: exactly
  # N taken for N signals, level- and edge-configured (gzvm-vmm's doorbell;
  # hvsim has none, so the transcript is not NAME.expected); one IRQ_LINE
  # raise per signal (5 + 5) and nothing else.
  hv_kmod_host_test(irqfd irqfd "--irqfd-doorbell" 1
    "HV_EXPECTED=${PROJECT_SOURCE_DIR}/tests/guests/irqfd.vmm.expected;HV_EXPECT_IRQ_LINES=10")
  # A protected VM: the VMM reads the page the guest shared, gets SIGBUS on
  # its secret and on the page unshared again (the EL2 port injects an
  # external abort into the host), and after DESTROY_VM reads zeros from
  # every page it probed; the host's stage 2 ends as it was at boot.
  hv_kmod_host_test(protected protected "--protected" 1
    "HV_EXPECTED=${PROJECT_SOURCE_DIR}/tests/guests/protected.vmm.expected;HV_EXPECT_VMM=protected: 3 of 3 pages zero after DESTROY_VM;HV_EXPECT_HOST_FAULTS=1")
  # One physical CPU: the host's 2 vCPUs share it in EL2-timer slices, and
  # RUN's entry bound must fit under a slice's deadline.
  hv_kmod_host_test(sgi.smp1 sgi "" 2 HV_EL2_SMP=1)
  # GenieZone's debugfs statistics and tracepoints, the EL2 trace through
  # debugfs, rmmod refused while a VM is open and accepted after
  # (observe.sh, around the mmio guest's run).
  add_test(NAME kmod.host.observe
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/observe.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
            ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check ${kmod_out}/gzvm-vmm ${HV_GUEST_DIR})
  set_tests_properties(kmod.host.observe PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                       FIXTURES_REQUIRED kmod_module)
  # Debian's kernel as a guest of the server, inside the host, booted twice
  # by gzvm-vmm --kernel with its root on a virtio-blk disk, and a console
  # exchange (nested-linux.sh).
  add_test(NAME kmod.host.linux
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/nested-linux.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
            ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check ${kmod_out}/gzvm-vmm
            ${HV_GUEST_CC})
  set_tests_properties(kmod.host.linux PROPERTIES LABELS kmod TIMEOUT 480 RUN_SERIAL TRUE
                       FIXTURES_REQUIRED kmod_module)
  # The same kernel as a protected VM, one boot from its initramfs alone
  # (1 vCPU): the Image and initramfs written before donation boot, the
  # VMM's reads of the guest's kernel code and data while it runs raise
  # SIGBUS, and after DESTROY_VM the pages read as zeros
  # (nested-protected.sh).
  add_test(NAME kmod.host.linux.protected
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/nested-protected.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
            ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check ${kmod_out}/gzvm-vmm)
  set_tests_properties(kmod.host.linux.protected PROPERTIES LABELS kmod TIMEOUT 360 RUN_SERIAL TRUE
                       FIXTURES_REQUIRED kmod_module)
endif()

# Debian's 6.12 kernels (issue: the kernels users run): the driver builds
# against bookworm-backports' and trixie's arm64 headers (vermagic checked by
# build-module.sh), and trixie's kernel boots as the host under the EL2 port:
# the UAPI check with the hostile module, and two contract guests through
# gzvm-vmm. scripts/debian-arm64-fetch.sh reads those suites through a
# private apt configuration in its cache.
foreach(kernel bookworm-backports trixie)
  hv_kmod_build(module.build.${kernel} module-${kernel} kmod_module_${kernel} KERNEL ${kernel})
endforeach()
hv_kmod_build(hostile.build.trixie hostile-trixie kmod_hostile_trixie KERNEL trixie
              SRC tests/kmod/hostile MODULE hv_hostile)
add_test(NAME kmod.el2.host.trixie
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/el2-host.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module-trixie
          ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check)
set_tests_properties(kmod.el2.host.trixie PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                     FIXTURES_REQUIRED "kmod_module_trixie;kmod_hostile_trixie"
                     ENVIRONMENT HV_HOSTILE_KO=${kmod_out}/hostile-trixie/hv_hostile.ko)
if(TARGET contract_guests)
  foreach(guest psci sgi)
    hv_kmod_host_test(${guest}.trixie ${guest} "" 1 "" trixie)
  endforeach()
endif()

# hv_storm.ko (tests/kmod/storm): a randomized hostile host on every host
# CPU, after 2000 create/destroy cycles with one VM alive; fixed seeds,
# bounded time (scripts/soak-host-storm.sh runs it longer).
hv_kmod_build(storm.build storm kmod_storm SRC tests/kmod/storm MODULE hv_storm)
add_test(NAME kmod.el2.storm
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/el2-host.sh ${PROJECT_SOURCE_DIR} ${kmod_out}/module
          ${kmod_out}/finit-module ${kmod_out}/gzvm-host-check)
set_tests_properties(kmod.el2.storm PROPERTIES LABELS kmod TIMEOUT 300 RUN_SERIAL TRUE
                     FIXTURES_REQUIRED "kmod_module;kmod_storm"
                     ENVIRONMENT "HV_STORM_KO=${kmod_out}/storm/hv_storm.ko;HV_STORM_ARGS=seeds=1,2 seconds=15 cycles=2000")
