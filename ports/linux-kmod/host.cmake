# The Linux host driver and its VMM, built from a host configure (included by
# the top-level CMakeLists.txt; tests in tests/kmod/tests.cmake).
#   gzvm-vmm        static AArch64 VMM: ${HV_KMOD_DIR}/gzvm-vmm (ALL)
#   gzvm_vmm_host   the same VMM for the build machine (error-path tests)
#   gzvm-module     gzvm.ko against Debian bookworm's current arm64 kernel
#                   headers (downloaded and cached by
#                   scripts/debian-arm64-fetch.sh): ${HV_KMOD_DIR}/module/gzvm.ko.
#                   In ALL with -DHV_KMOD=ON (the kmod preset); the kmod
#                   CTest label builds it in any preset.
option(HV_KMOD "Build gzvm.ko with the default target (needs the Debian archive or a cache)" OFF)
set(HV_KMOD_SRC ${CMAKE_CURRENT_LIST_DIR})
set(HV_KMOD_DIR ${CMAKE_BINARY_DIR}/kmod)

# The VMM writes a Linux guest's device tree with core's generator
# (hv/guest_dt.h) and hvcore's virtual platform (core/platform).
set(vmm_dir ${HV_KMOD_SRC}/vmm)
set(vmm_sources ${vmm_dir}/gzvm_vmm.c ${vmm_dir}/image.c ${vmm_dir}/pl011.c ${vmm_dir}/disk.c
    ${vmm_dir}/io_thread.c ${vmm_dir}/virtio/virtqueue.c
    ${vmm_dir}/virtio/virtio_mmio.c ${vmm_dir}/virtio/virtio_blk.c
    ${PROJECT_SOURCE_DIR}/core/platform/guest_dt.c ${PROJECT_SOURCE_DIR}/core/platform/fdt_writer.c
    ${PROJECT_SOURCE_DIR}/core/platform/virt.c ${PROJECT_SOURCE_DIR}/core/lib/util.c
    ${PROJECT_SOURCE_DIR}/hostlib/elf_image.c)
list(APPEND vmm_sources ${HV_KMOD_SRC}/vmm/probe.c)
list(APPEND vmm_sources ${HV_KMOD_SRC}/vmm/vcpu_mover.c)
file(GLOB vmm_headers CONFIGURE_DEPENDS ${vmm_dir}/*.h ${vmm_dir}/virtio/*.h)
file(GLOB vmm_core_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/core/include/hv/*.h
    ${PROJECT_SOURCE_DIR}/core/platform/*.h)
list(APPEND vmm_headers ${vmm_core_headers} ${PROJECT_SOURCE_DIR}/hostlib/elf_image.h
    ${PROJECT_SOURCE_DIR}/hostlib/one_vma.h
    ${PROJECT_SOURCE_DIR}/core/include/hv/abi.h)
list(APPEND vmm_headers ${HV_KMOD_SRC}/vmm/probe.h)

find_program(HV_KMOD_CC aarch64-linux-gnu-gcc)
if(HV_KMOD_CC)
  add_custom_command(
    OUTPUT ${HV_KMOD_DIR}/gzvm-vmm
    COMMAND ${CMAKE_COMMAND} -E make_directory ${HV_KMOD_DIR}
    COMMAND ${HV_KMOD_CC} -static -O2 -std=gnu11 -Wall -Wextra -Werror -Wshadow
            -Wmissing-prototypes -I${PROJECT_SOURCE_DIR}/core/include
            -I${PROJECT_SOURCE_DIR}/hostlib -pthread
            -o ${HV_KMOD_DIR}/gzvm-vmm ${vmm_sources}
    DEPENDS ${vmm_sources} ${vmm_headers}
    COMMENT "gzvm-vmm (static aarch64)"
    VERBATIM)
  add_custom_target(gzvm-vmm ALL DEPENDS ${HV_KMOD_DIR}/gzvm-vmm)
else()
  message(STATUS "aarch64-linux-gnu-gcc not found: gzvm-vmm and the kmod tests skipped")
endif()

add_executable(gzvm_vmm_host ${vmm_sources})
target_include_directories(gzvm_vmm_host PRIVATE ${PROJECT_SOURCE_DIR}/core/include
  ${PROJECT_SOURCE_DIR}/hostlib)
find_package(Threads REQUIRED)
target_link_libraries(gzvm_vmm_host PRIVATE Threads::Threads)

set(kmod_sources_glob ${HV_KMOD_SRC}/kernel/*.c ${HV_KMOD_SRC}/kernel/*.h ${HV_KMOD_SRC}/kernel/Kbuild)
file(GLOB kmod_sources CONFIGURE_DEPENDS ${kmod_sources_glob})
if(HV_KMOD)
  set(kmod_all ALL)
else()
  set(kmod_all "")
endif()
add_custom_target(gzvm-module ${kmod_all}
  COMMAND ${HV_KMOD_SRC}/build-module.sh ${PROJECT_SOURCE_DIR} ${HV_KMOD_DIR}/module
  DEPENDS ${kmod_sources} ${PROJECT_SOURCE_DIR}/core/include/hv/abi.h
  COMMENT "gzvm.ko against Debian's arm64 kernel headers"
  VERBATIM)
