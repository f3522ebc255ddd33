/* SPDX-License-Identifier: Apache-2.0 */
/* Benchmark helpers: thread CPU time, medians, JSON output. */
#ifndef HV_BENCH_UTIL_H
#define HV_BENCH_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Quick mode: HV_BENCH_QUICK=1 in the environment. Each bench runs one
 * round of every figure with short batches, so a check can see that it runs
 * and prints every key with a finite value; its figures are not
 * measurements, and the JSON says so ("quick": 1).
 */
bool bench_quick(void);
/* `full` normally, 1 in quick mode. */
unsigned bench_rounds(unsigned full);
/* `full` normally, full / div (at least 1) in quick mode. */
unsigned bench_scaled(unsigned full, unsigned div);

uint64_t bench_now_ns(void);                   /* CLOCK_THREAD_CPUTIME_ID */
uint64_t bench_wall_ns(void);                  /* CLOCK_MONOTONIC */
double bench_median(double *values, size_t n); /* sorts values in place */

/* JSON object on stdout: bench_json_begin(); bench_json_num("k", v); ...; bench_json_end(); */
void bench_json_begin(void);
void bench_json_num(const char *key, double value);
void bench_json_str(const char *key, const char *value);
void bench_json_int(const char *key, uint64_t value);
void bench_json_raw(const char *key, const char *json); /* value already JSON */
void bench_json_end(void);
/* "<key>_vs_floor": value / floor, the figure against a floor measured in the
 * same run (ns keys: 1.0 = as cheap as the floor; rate keys: 1.0 = as fast). */
void bench_json_vs_floor(const char *key, double value, double floor);

/* Build the EL2 image (preset el2-qemu) before anything is timed; false,
 * with a message naming `who`, if the build fails. */
bool bench_build_el2(const char *who);

/* Keep the optimizer from dropping a computed value. */
void bench_sink(uint64_t value);

#endif /* HV_BENCH_UTIL_H */
