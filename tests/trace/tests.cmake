# The event ring (core/trace/ring.c) with a concurrent writer and reader:
# trace-threads with the preset's flags, and, where clang is found, a
# ThreadSanitizer build of the same program (no race may be reported).
add_executable(trace_threads ${CMAKE_CURRENT_LIST_DIR}/trace_threads.c)
target_link_libraries(trace_threads PRIVATE hvcore pthread)
add_test(NAME unit.trace_threads COMMAND trace_threads 200000 6)
set_tests_properties(unit.trace_threads PROPERTIES LABELS unit TIMEOUT 120
                     FAIL_REGULAR_EXPRESSION "${HV_TEST_FAIL_REGEX}")

hv_tsan_program(trace_tsan trace-threads-tsan ${CMAKE_CURRENT_LIST_DIR}/trace_threads.c
                ${PROJECT_SOURCE_DIR}/core/trace/ring.c ${PROJECT_SOURCE_DIR}/core/lib/util.c)
if(trace_tsan)
  add_test(NAME unit.trace_threads.tsan COMMAND ${trace_tsan} 50000 5)
  set_tests_properties(unit.trace_threads.tsan PROPERTIES LABELS unit TIMEOUT 120
                       ENVIRONMENT "${HV_TSAN_ENV}"
                       FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer")
endif()

# scripts/hvtrace (JSON timeline and summary) on a synthetic trace made by
# the real ring and formatter.
add_executable(trace_emit ${CMAKE_CURRENT_LIST_DIR}/trace_emit.c)
target_link_libraries(trace_emit PRIVATE hvcore)
add_test(NAME unit.hvtrace
  COMMAND ${CMAKE_CURRENT_LIST_DIR}/hvtrace-check.sh ${PROJECT_SOURCE_DIR}/scripts/hvtrace
          $<TARGET_FILE:trace_emit> ${CMAKE_CURRENT_BINARY_DIR}/hvtrace-work)
set_tests_properties(unit.hvtrace PROPERTIES LABELS unit TIMEOUT 60)
