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

set(vmm_sources ${HV_KMOD_SRC}/vmm/gzvm_vmm.c ${HV_KMOD_SRC}/vmm/image.c ${HV_KMOD_SRC}/vmm/pl011.c
    ${PROJECT_SOURCE_DIR}/hostlib/elf_image.c)
list(APPEND vmm_sources ${HV_KMOD_SRC}/vmm/probe.c)
set(vmm_headers ${HV_KMOD_SRC}/vmm/board.h ${HV_KMOD_SRC}/vmm/image.h ${HV_KMOD_SRC}/vmm/pl011.h
    ${PROJECT_SOURCE_DIR}/hostlib/elf_image.h
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
