/* SPDX-License-Identifier: Apache-2.0 */
/* The port tests' file reader: the whole file, NUL-ended, or the test fails. */
#ifndef TESTS_PORT_READ_FILE_H
#define TESTS_PORT_READ_FILE_H

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>

static inline char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	cr_assert_not_null(f, "cannot open %s", path);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

#endif
