/* SPDX-License-Identifier: Apache-2.0 */
/* Marks a fuzz harness's own bookkeeping (reference models, oracles,
 * snapshots): not the code under test, so it gets no coverage feedback.
 * Its loops over every page or every interrupt, instrumented, used to cost
 * most of an execution. Core functions that serve only as oracles are left
 * out the same way by tests/fuzz/coverage-ignore.txt. */
#ifndef HV_TESTS_FUZZ_HARNESS_H
#define HV_TESTS_FUZZ_HARNESS_H

#if defined(__clang__) && __clang_major__ >= 13
#define HARNESS __attribute__((no_sanitize("coverage")))
#else
#define HARNESS
#endif

#endif
