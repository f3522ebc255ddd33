# Host unit tests of ports/el2-qemu files that are plain C (no system
# registers): the guest device tree generator against the host's libfdt, and
# the parsing and checking of the guest's command-line options.
find_library(HV_HOST_LIBFDT fdt)
if(HV_HOST_LIBFDT)
  hv_add_criterion_test(unit.port_guest_dt
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_guest_dt.c ${PROJECT_SOURCE_DIR}/ports/el2-qemu/guest_dt.c
    LIBS ${HV_HOST_LIBFDT})
endif()
hv_add_criterion_test(unit.port_guest_config
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_guest_config.c
          ${PROJECT_SOURCE_DIR}/ports/el2-qemu/guest_config.c)
