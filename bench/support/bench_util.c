/* SPDX-License-Identifier: Apache-2.0 */
#include "bench_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

bool bench_quick(void)
{
	const char *q = getenv("HV_BENCH_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}
unsigned bench_rounds(unsigned full)
{
	return bench_quick() ? 1u : full;
}
unsigned bench_scaled(unsigned full, unsigned div)
{
	if (!bench_quick())
		return full;
	return full / div ? full / div : 1u;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t bench_now_ns(void)
{
	return clock_ns(CLOCK_THREAD_CPUTIME_ID);
}
uint64_t bench_wall_ns(void)
{
	return clock_ns(CLOCK_MONOTONIC);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

double bench_median(double *values, size_t n)
{
	if (n == 0)
		return 0;
	qsort(values, n, sizeof(*values), cmp_double);
	return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
}

static int json_fields;
void bench_json_begin(void)
{
	json_fields = 0;
	printf("{");
}
void bench_json_num(const char *key, double value)
{
	printf("%s\n  \"%s\": %.3f", json_fields++ ? "," : "", key, value);
}
void bench_json_str(const char *key, const char *value)
{
	printf("%s\n  \"%s\": \"%s\"", json_fields++ ? "," : "", key, value);
}
void bench_json_int(const char *key, uint64_t value)
{
	printf("%s\n  \"%s\": %llu", json_fields++ ? "," : "", key, (unsigned long long)value);
}
void bench_json_raw(const char *key, const char *json)
{
	printf("%s\n  \"%s\": %s", json_fields++ ? "," : "", key, json);
}
void bench_json_vs_floor(const char *key, double value, double floor)
{
	char name[128];
	snprintf(name, sizeof(name), "%s_vs_floor", key);
	bench_json_num(name, floor > 0 ? value / floor : 0);
}
void bench_json_end(void)
{
	if (bench_quick())
		bench_json_int("quick", 1);
	printf("\n}\n");
}

bool bench_build_el2(const char *who)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd),
	         "cd %s && cmake --preset el2-qemu >/dev/null && cmake --build --preset el2-qemu "
	         "-j2 >/dev/null",
	         HV_SOURCE_DIR);
	if (system(cmd) != 0) {
		fprintf(stderr, "%s: el2-qemu build failed\n", who);
		return false;
	}
	return true;
}

static volatile uint64_t bench_sink_value;
void bench_sink(uint64_t value)
{
	bench_sink_value += value;
}
