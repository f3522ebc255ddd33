# Static checks run as CTest tests (label unit): core purity (and the checker
# on a fixture that violates it), core cross-compiles freestanding for AArch64,
# clang-format, cppcheck.
set(HV_SRC ${CMAKE_SOURCE_DIR})

add_test(NAME check.core_purity
         COMMAND ${HV_SRC}/scripts/check-core-purity.sh ${HV_SRC}/core)
add_test(NAME check.core_purity_catches_fixture
         COMMAND ${HV_SRC}/scripts/check-core-purity.sh ${HV_SRC}/tests/purity-fixture)
set_tests_properties(check.core_purity_catches_fixture PROPERTIES WILL_FAIL TRUE)
add_test(NAME check.core_cross_aarch64
         COMMAND ${HV_SRC}/scripts/check-core-cross.sh ${HV_SRC}/core)
add_test(NAME check.format COMMAND ${HV_SRC}/scripts/check-format.sh)
add_test(NAME check.cppcheck_core COMMAND ${HV_SRC}/scripts/check-cppcheck.sh ${HV_SRC}/core)
set_tests_properties(check.core_purity check.core_purity_catches_fixture
                     check.core_cross_aarch64 check.format check.cppcheck_core
                     PROPERTIES LABELS unit WORKING_DIRECTORY ${HV_SRC})

add_custom_target(format-check COMMAND ${HV_SRC}/scripts/check-format.sh
                  WORKING_DIRECTORY ${HV_SRC} USES_TERMINAL)
add_custom_target(format COMMAND ${HV_SRC}/scripts/check-format.sh --fix
                  WORKING_DIRECTORY ${HV_SRC} USES_TERMINAL)

find_program(GCOVR gcovr)
if(GCOVR)
  add_custom_target(coverage
    COMMAND ${CMAKE_COMMAND} -E make_directory ${HV_SRC}/coverage/html
    COMMAND ${GCOVR} --config ${HV_SRC}/coverage/gcovr.cfg --root ${HV_SRC}
            --object-directory ${CMAKE_BINARY_DIR}
            --html-details ${HV_SRC}/coverage/html/index.html
            --txt ${HV_SRC}/coverage/summary.txt
    WORKING_DIRECTORY ${CMAKE_BINARY_DIR}
    COMMENT "gcovr: coverage/html/index.html and coverage/summary.txt")
endif()
