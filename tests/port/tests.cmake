# Host unit tests of ports/el2 files that are plain C (no system
# registers): the parsing and checking of the guest's command-line options;
# and core's guest device tree generator read back with the host's libfdt.
find_library(HV_HOST_LIBFDT fdt)
if(HV_HOST_LIBFDT)
  hv_add_criterion_test(unit.port_guest_dt
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_guest_dt.c LIBS ${HV_HOST_LIBFDT})
endif()
hv_add_criterion_test(unit.port_guest_config
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_guest_config.c
          ${PROJECT_SOURCE_DIR}/ports/el2/guest_config.c)

# ports/el2's device-tree discovery over real trees: Debian's MediaTek DTBs
# (scripts/debian-arm64-fetch.sh dtbs-mediatek) and QEMU virt's own DTB,
# both provided by the fixture, against tests/port/mediatek/expected.txt.
if(HV_HOST_LIBFDT)
  set(dt_work ${CMAKE_CURRENT_BINARY_DIR}/dt-discover)
  add_test(NAME unit.port_dt_fetch
    COMMAND ${CMAKE_CURRENT_LIST_DIR}/mediatek/fetch-dtbs.sh ${PROJECT_SOURCE_DIR} ${dt_work})
  set_tests_properties(unit.port_dt_fetch PROPERTIES LABELS unit TIMEOUT 600
                       FIXTURES_SETUP port_dtbs)
  hv_add_criterion_test(unit.port_dt_discover
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dt_discover.c ${PROJECT_SOURCE_DIR}/ports/el2/dt_discover.c
    LIBS ${HV_HOST_LIBFDT})
  target_compile_definitions(unit.port_dt_discover PRIVATE HV_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  file(MAKE_DIRECTORY ${dt_work})
  set_tests_properties(unit.port_dt_discover PROPERTIES WORKING_DIRECTORY ${dt_work}
                       FIXTURES_REQUIRED port_dtbs)
endif()

# The shared EL2 console UARTs (8250 as MediaTek's, PL011) against a register model.
hv_add_criterion_test(unit.port_uart
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_uart.c ${PROJECT_SOURCE_DIR}/ports/el2/uart.c
          ${PROJECT_SOURCE_DIR}/ports/el2/uart_8250.c ${PROJECT_SOURCE_DIR}/ports/el2/uart_pl011.c)

# ports/el2-mediatek's phone boot contract: partition header and boot tags (golden bytes).
hv_add_criterion_test(unit.port_mtk_boot
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_mtk_boot.c ${PROJECT_SOURCE_DIR}/ports/el2-mediatek/boot_tags.c
          ${PROJECT_SOURCE_DIR}/ports/el2-mediatek/part_header.c)

# ports/el2's host device-tree fixup (the hypervisor's /reserved-memory
# carveout and /hypervisor node) over the same real trees and hostile ones.
if(HV_HOST_LIBFDT)
  hv_add_criterion_test(unit.port_dt_fixup
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_dt_fixup.c ${PROJECT_SOURCE_DIR}/ports/el2/dt_fixup.c
            ${PROJECT_SOURCE_DIR}/ports/el2/dt_discover.c
    LIBS ${HV_HOST_LIBFDT})
  target_compile_definitions(unit.port_dt_fixup PRIVATE HV_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set_tests_properties(unit.port_dt_fixup PROPERTIES WORKING_DIRECTORY ${dt_work}
                       FIXTURES_REQUIRED port_dtbs)
endif()

# el2-mediatek's host stage 2: what it maps and what it leaves out (core/s2, test pool).
hv_add_criterion_test(unit.port_host_s2
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_host_s2.c ${PROJECT_SOURCE_DIR}/ports/el2-mediatek/host_s2_map.c
  LIBS hvcore hvsim_arch)
target_include_directories(unit.port_host_s2 PRIVATE ${PROJECT_SOURCE_DIR}/ports/el2)

# ports/el2's redistributor lookup over every region, against a register model.
hv_add_criterion_test(unit.port_gicr_find
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_gicr_find.c ${PROJECT_SOURCE_DIR}/ports/el2/gicr_find.c)

# ports/el2-mediatek/tools/mtk_gz_wrap (the el2-mediatek preset builds it
# with the host's compiler to wrap its image), built here on the host and
# run by its test: header read back, payload byte-exact, refusals leave no file.
add_executable(mtk_gz_wrap ${PROJECT_SOURCE_DIR}/ports/el2-mediatek/tools/mtk_gz_wrap.c
  ${PROJECT_SOURCE_DIR}/ports/el2-mediatek/part_header.c)
target_link_libraries(mtk_gz_wrap PRIVATE hvcore)
target_include_directories(mtk_gz_wrap PRIVATE ${PROJECT_SOURCE_DIR}/ports/el2-mediatek)
hv_add_criterion_test(unit.port_mtk_gz_wrap
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_mtk_gz_wrap.c ${PROJECT_SOURCE_DIR}/ports/el2-mediatek/part_header.c)
target_compile_definitions(unit.port_mtk_gz_wrap PRIVATE MTK_GZ_WRAP="$<TARGET_FILE:mtk_gz_wrap>")
add_dependencies(unit.port_mtk_gz_wrap mtk_gz_wrap)
