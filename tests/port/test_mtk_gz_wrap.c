/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ports/el2-mediatek/tools/mtk_gz_wrap, run as the el2-mediatek build runs
 * it: OUTPUT is the 512-byte MediaTek partition header (read back with
 * mtk_part_header_read, fixed bytes checked) followed by INPUT byte for
 * byte; every refusal exits non-zero and leaves no OUTPUT (nor its
 * temporary file).
 */
#include <criterion/criterion.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../ports/el2-mediatek/part_header.h"

static char dir[] = "/tmp/hv-mtk-gz-XXXXXX";
static char in_path[64], out_path[64], part_path[72];

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	snprintf(in_path, sizeof(in_path), "%s/in.bin", dir);
	snprintf(out_path, sizeof(out_path), "%s/out.img", dir);
	snprintf(part_path, sizeof(part_path), "%s.part", out_path);
}

static void teardown(void)
{
	unlink(in_path);
	unlink(out_path);
	unlink(part_path);
	rmdir(dir);
}

static void write_file(const char *path, const uint8_t *data, size_t len)
{
	FILE *f = fopen(path, "wb");
	cr_assert_not_null(f);
	cr_assert_eq(fwrite(data, 1, len, f), len);
	cr_assert_eq(fclose(f), 0);
}

/* The tool's exit status (its stderr, one line on a refusal, discarded). */
static int run(const char *const args[])
{
	const char *argv[8] = {MTK_GZ_WRAP};
	for (int i = 0; args[i]; i++)
		argv[i + 1] = args[i];
	pid_t pid = fork();
	cr_assert_neq(pid, -1);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2);
		execv(MTK_GZ_WRAP, (char *const *)argv);
		_exit(127);
	}
	int status;
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_assert(WIFEXITED(status), "the tool did not exit");
	return WEXITSTATUS(status);
}

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

TestSuite(mtk_gz_wrap, .init = setup, .fini = teardown);

Test(mtk_gz_wrap, header_then_payload)
{
	uint8_t payload[1000];
	for (size_t i = 0; i < sizeof(payload); i++)
		payload[i] = (uint8_t)(i * 7 + 3);
	write_file(in_path, payload, sizeof(payload));
	cr_assert_eq(run((const char *[]){in_path, out_path, "gz", "0x1b8000000", "4096", NULL}),
	             0);

	FILE *f = fopen(out_path, "rb");
	cr_assert_not_null(f);
	uint8_t got[MTK_PART_HEADER_SIZE + sizeof(payload) + 1];
	size_t n = fread(got, 1, sizeof(got), f);
	fclose(f);
	cr_assert_eq(n, MTK_PART_HEADER_SIZE + sizeof(payload), "output is %zu bytes", n);

	struct mtk_part_image img;
	char name[MTK_PART_NAME_LEN];
	cr_assert_eq(mtk_part_header_read(got, &img, name), HV_OK);
	cr_expect_str_eq(name, "gz");
	cr_expect_eq(img.size, sizeof(payload));
	cr_expect_eq(img.load_addr, 0x1b8000000ull);
	cr_expect_eq(img.align, 4096);
	cr_expect(img.last);
	/* Fixed bytes: magic, dsize 1000 (0x3e8), maddr low word, maddr_extend 1. */
	static const uint8_t head[8] = {0x88, 0x16, 0x88, 0x58, 0xe8, 0x03, 0, 0};
	cr_expect_arr_eq(got, head, sizeof(head));
	static const uint8_t maddr[4] = {0x00, 0x00, 0x00, 0xb8}, maddr_ext[4] = {1, 0, 0, 0};
	cr_expect_arr_eq(got + 0x28, maddr, 4);
	cr_expect_arr_eq(got + 0x4c, maddr_ext, 4);
	cr_expect_arr_eq(got + MTK_PART_HEADER_SIZE, payload, sizeof(payload));
	cr_expect(!exists(part_path), "the temporary file is left");
}

Test(mtk_gz_wrap, default_alignment_16)
{
	const uint8_t one = 0x5a;
	write_file(in_path, &one, 1);
	cr_assert_eq(run((const char *[]){in_path, out_path, "gz", "1075838976", NULL}), 0);
	FILE *f = fopen(out_path, "rb");
	cr_assert_not_null(f);
	uint8_t got[MTK_PART_HEADER_SIZE + 2];
	size_t n = fread(got, 1, sizeof(got), f);
	fclose(f);
	cr_assert_eq(n, MTK_PART_HEADER_SIZE + 1);
	struct mtk_part_image img;
	char name[MTK_PART_NAME_LEN];
	cr_assert_eq(mtk_part_header_read(got, &img, name), HV_OK);
	cr_expect_eq(img.load_addr, 0x40200000u);
	cr_expect_eq(img.align, 16);
	cr_expect_eq(got[MTK_PART_HEADER_SIZE], 0x5a);
}

/* Each refusal: non-zero exit, no output, no temporary file. */
static void refused(const char *const args[], const char *why)
{
	cr_expect_neq(run(args), 0, "%s: accepted", why);
	cr_expect(!exists(out_path), "%s: an output file was written", why);
	cr_expect(!exists(part_path), "%s: a temporary file was left", why);
}

Test(mtk_gz_wrap, refusals_write_nothing)
{
	const uint8_t data[4] = {1, 2, 3, 4};
	char missing[80];
	snprintf(missing, sizeof(missing), "%s/missing.bin", dir);
	refused((const char *[]){missing, out_path, "gz", "0x40200000", NULL}, "missing input");
	write_file(in_path, data, 0);
	refused((const char *[]){in_path, out_path, "gz", "0x40200000", NULL}, "empty input");
	write_file(in_path, data, sizeof(data));
	refused((const char *[]){in_path, out_path, "0123456789012345678901234567890x",
	                         "0x40200000", NULL},
	        "32-character name");
	refused((const char *[]){in_path, out_path, "", "0x40200000", NULL}, "empty name");
	refused((const char *[]){in_path, out_path, "gz", "0x4020zz", NULL}, "bad load address");
	refused((const char *[]){in_path, out_path, "gz", "-1", NULL}, "negative load address");
	refused((const char *[]){in_path, out_path, "gz", "", NULL}, "empty load address");
	refused((const char *[]){in_path, out_path, "gz", " 0x40200000", NULL}, "leading blank");
	refused((const char *[]){in_path, out_path, "gz", "0x", NULL}, "0x alone");
	refused((const char *[]){in_path, out_path, "gz", "0x1ffffffffffffffff", NULL},
	        "load address over 64 bits");
	refused((const char *[]){in_path, out_path, "gz", "0x40200000", "24", NULL},
	        "alignment 24");
	refused((const char *[]){in_path, out_path, "gz", "0x40200000", "0", NULL}, "alignment 0");
	refused((const char *[]){in_path, out_path, "gz", "0x40200000", "0x100000000", NULL},
	        "alignment over 32 bits");
	refused((const char *[]){in_path, out_path, "gz", NULL}, "no load address");
	char no_dir[96];
	snprintf(no_dir, sizeof(no_dir), "%s/no/such/out.img", dir);
	cr_expect_neq(run((const char *[]){in_path, no_dir, "gz", "0x40200000", NULL}), 0,
	              "unwritable output: accepted");
	/* A 31-character name is the longest taken. */
	cr_expect_eq(run((const char *[]){in_path, out_path, "0123456789012345678901234567890",
	                                  "0x40200000", NULL}),
	             0);
}
