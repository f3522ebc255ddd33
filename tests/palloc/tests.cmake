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

hv_tsan_program(tsan_bin palloc-threads-tsan ${CMAKE_CURRENT_LIST_DIR}/palloc_threads.c
                ${PROJECT_SOURCE_DIR}/core/mem/page_alloc.c ${PROJECT_SOURCE_DIR}/core/lib/util.c)
if(tsan_bin)
  add_test(NAME unit.palloc_threads.tsan COMMAND ${tsan_bin} 4 5000 2)
  set_tests_properties(unit.palloc_threads.tsan PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "${HV_TSAN_ENV}"
                       FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer")
  add_test(NAME unit.palloc_threads.tsan_no_lock COMMAND ${tsan_bin} --no-lock 4 5000 3)
  set_tests_properties(unit.palloc_threads.tsan_no_lock PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "${HV_TSAN_ENV}"
                       PASS_REGULAR_EXPRESSION "WARNING: ThreadSanitizer: data race")
endif()
