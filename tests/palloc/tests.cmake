# The EL2 page allocator (core/mem/page_alloc.c) under thread contention:
# palloc-threads with the preset's flags (ASan/UBSan in dev), and, where
# clang is found, a ThreadSanitizer build of the same program: with the
# lock it must pass with no race reported; without it (--no-lock) TSan
# must report the data race (the check that the TSan run can fail).
add_executable(palloc_threads ${CMAKE_CURRENT_LIST_DIR}/palloc_threads.c)
target_link_libraries(palloc_threads PRIVATE hvcore pthread)
add_test(NAME unit.palloc_threads COMMAND palloc_threads 4 20000 1)
set_tests_properties(unit.palloc_threads PROPERTIES LABELS unit TIMEOUT 120
                     FAIL_REGULAR_EXPRESSION "${HV_TEST_FAIL_REGEX}")

find_program(HV_CLANG clang)
if(HV_CLANG)
  set(tsan_bin ${CMAKE_CURRENT_BINARY_DIR}/palloc-threads-tsan)
  add_custom_command(
    OUTPUT ${tsan_bin}
    COMMAND ${HV_CLANG} -fsanitize=thread -O1 -g -std=gnu11 -Wall -Wextra -Werror
            -I${PROJECT_SOURCE_DIR}/core/include -o ${tsan_bin}
            ${CMAKE_CURRENT_LIST_DIR}/palloc_threads.c ${PROJECT_SOURCE_DIR}/core/mem/page_alloc.c
            ${PROJECT_SOURCE_DIR}/core/lib/util.c -lpthread
    DEPENDS ${CMAKE_CURRENT_LIST_DIR}/palloc_threads.c ${PROJECT_SOURCE_DIR}/core/mem/page_alloc.c
            ${PROJECT_SOURCE_DIR}/core/lib/util.c ${PROJECT_SOURCE_DIR}/core/include/hv/page_alloc.h
    COMMENT "palloc-threads (ThreadSanitizer)"
    VERBATIM)
  add_custom_target(palloc_threads_tsan ALL DEPENDS ${tsan_bin})
  add_test(NAME unit.palloc_threads.tsan COMMAND ${tsan_bin} 4 5000 2)
  set_tests_properties(unit.palloc_threads.tsan PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1 exitcode=66"
                       FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer")
  add_test(NAME unit.palloc_threads.tsan_no_lock COMMAND ${tsan_bin} --no-lock 4 5000 3)
  set_tests_properties(unit.palloc_threads.tsan_no_lock PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "TSAN_OPTIONS=halt_on_error=1 exitcode=66"
                       PASS_REGULAR_EXPRESSION "WARNING: ThreadSanitizer: data race")
endif()
