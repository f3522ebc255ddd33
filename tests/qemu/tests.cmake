# QEMU system tests (label qemu): the EL2 image on QEMU's virt board.
add_test(NAME qemu.el2.selftest
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_selftest.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.selftest PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE)
add_test(NAME qemu.el2.smp
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_smp.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.smp PROPERTIES LABELS qemu TIMEOUT 60 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)

# The EL2 image's own stop statuses and reports (bad boot arguments, no
# image, fault loop, every vCPU off).
if(TARGET contract_guests)
  add_test(NAME qemu.el2.stops
    COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_stops.sh ${PROJECT_SOURCE_DIR} ${PROJECT_BINARY_DIR}/guests)
  set_tests_properties(qemu.el2.stops PROPERTIES LABELS qemu TIMEOUT 240 RUN_SERIAL TRUE
    DEPENDS qemu.el2.selftest)
endif()

# Contract guests at EL1 under the EL2 image (same binaries and transcripts
# as hvsim's sim.guest.* tests).
if(TARGET contract_guests)
  foreach(guest hello mmio abort exceptions paging timer psci sgi idregs
                h_zva h_ldtr h_align h_irqmask h_storm h_vecloop h_psci)
    add_test(NAME qemu.guest.${guest}
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_guest.sh ${PROJECT_SOURCE_DIR}
              ${PROJECT_BINARY_DIR}/guests/${guest}.bin ${guest})
    set_tests_properties(qemu.guest.${guest} PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE
      DEPENDS qemu.el2.selftest)
    # The same guest on two physical CPUs (-smp 2).
    add_test(NAME qemu.guest.${guest}.smp2
      COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_guest.sh ${PROJECT_SOURCE_DIR}
              ${PROJECT_BINARY_DIR}/guests/${guest}.bin ${guest} 2)
    set_tests_properties(qemu.guest.${guest}.smp2 PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE
      DEPENDS qemu.el2.selftest)
  endforeach()
endif()

# Debian's arm64 kernel + busybox initramfs under the hypervisor (2 vCPUs,
# generated device tree): marker from /init and a clean PSCI power-off.
add_test(NAME qemu.linux.boot
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/linux_boot.sh ${PROJECT_SOURCE_DIR} 150)
set_tests_properties(qemu.linux.boot PROPERTIES LABELS qemu TIMEOUT 240 RUN_SERIAL TRUE
  DEPENDS qemu.el2.selftest)
