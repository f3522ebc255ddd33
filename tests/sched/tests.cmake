# core/sched, explored: every interleaving of the run/idle/wake protocol
# (test_sched_explore.c over sched_model.c), label unit.
# Its limit is for a hang, not a speed bound: 22 searches take about 21 s of
# CPU in dev, 38 s under ASan (49 s wall alone, more beside other tests).
hv_add_criterion_test(unit.sched_explore TIMEOUT 300
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/test_sched_explore.c ${CMAKE_CURRENT_LIST_DIR}/sched_model.c)
# The search's own code optimized in every build (Debug's -O0 doubled its
# time; core/sched is the library's as everywhere).
target_compile_options(unit.sched_explore PRIVATE -O2)

# The protocol on host threads under ThreadSanitizer (sched_stress.c): core/sched
# and the seam's host atomics built instrumented; a TSan report or a lost
# wake-up fails it. `run`: host mode, two drivers' RUN entries contending for
# the server lock beside the host's vCPUs (a RUN that never gives way fails).
include(CheckCCompilerFlag)
set(CMAKE_REQUIRED_LINK_OPTIONS -fsanitize=thread)
check_c_compiler_flag(-fsanitize=thread HV_HAVE_TSAN)
unset(CMAKE_REQUIRED_LINK_OPTIONS)
if(HV_HAVE_TSAN)
  add_executable(sched_stress_tsan ${CMAKE_CURRENT_LIST_DIR}/sched_stress.c
    ${PROJECT_SOURCE_DIR}/core/sched/sched.c ${PROJECT_SOURCE_DIR}/sim/arch/arch_sim.c)
  target_include_directories(sched_stress_tsan PRIVATE ${PROJECT_SOURCE_DIR}/core/include
    ${PROJECT_SOURCE_DIR}/sim/include)
  target_compile_options(sched_stress_tsan PRIVATE -fsanitize=thread -O1 -g)
  target_link_options(sched_stress_tsan PRIVATE -fsanitize=thread)
  target_link_libraries(sched_stress_tsan PRIVATE pthread)
  add_test(NAME unit.sched_stress_tsan COMMAND sched_stress_tsan)
  add_test(NAME unit.sched_stress_run_tsan COMMAND sched_stress_tsan run)
  set_tests_properties(unit.sched_stress_tsan unit.sched_stress_run_tsan PROPERTIES LABELS unit
    TIMEOUT 120 FAIL_REGULAR_EXPRESSION "WARNING: ThreadSanitizer;FAIL")
endif()
