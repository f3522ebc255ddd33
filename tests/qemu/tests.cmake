# QEMU system tests (label qemu): the EL2 image on QEMU's virt board.
add_test(NAME qemu.el2.selftest
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/qemu/el2_selftest.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(qemu.el2.selftest PROPERTIES LABELS qemu TIMEOUT 300 RUN_SERIAL TRUE)
