/* SPDX-License-Identifier: Apache-2.0 */
/* The Windows platform layer, run under wine in CI (test-wine.sh) and on
 * real Windows: CNG hashing and randomness, the atomic write, reading it
 * back through the host context, and running a program. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include "hostaudit/host.h"
#include "hostaudit/platform.h"

static void sha256_vector(void **state)
{
	(void)state;
	static const unsigned char want[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad};
	unsigned char got[32];
	assert_int_equal(platform_sha256("abc", 3, got), 0);
	assert_memory_equal(got, want, 32);
}

static void random_bytes(void **state)
{
	(void)state;
	unsigned char a[32] = {0}, b[32] = {0};
	assert_int_equal(platform_random_bytes(a, sizeof a), 0);
	assert_int_equal(platform_random_bytes(b, sizeof b), 0);
	assert_memory_not_equal(a, b, sizeof a);
}

static void atomic_write_and_read(void **state)
{
	(void)state;
	char dir[MAX_PATH], path[MAX_PATH + 64];
	GetTempPathA(sizeof dir, dir);
	snprintf(path, sizeof path, "%shostaudit-test-%lu.json", dir, (unsigned long)GetCurrentProcessId());
	const char *text = "{\"日本語\": \"テスト\"}\n";
	assert_int_equal(platform_write_file_atomic(path, text, strlen(text)), 0);
	/* Over an existing file too. */
	assert_int_equal(platform_write_file_atomic(path, text, strlen(text)), 0);
	host h;
	host_init_live(&h);
	char *data = NULL;
	size_t len = 0;
	assert_int_equal(host_read_file(&h, path, 4096, &data, &len), 0);
	assert_int_equal(len, strlen(text));
	assert_string_equal(data, text);
	free(data);
	host_stat st;
	assert_int_equal(host_stat_path(&h, path, &st), 0);
	assert_true(st.is_reg);
	assert_int_equal(st.size, strlen(text));
	char why[256] = "";
	int w = platform_file_writable_by_others(path, why, sizeof why);
	print_message("writable_by_others(%s) = %d %s\n", path, w, why);
	assert_true(w == 0 || w == 1); /* wine's ACLs are partial: no crash, an answer */
	assert_true(DeleteFileA(path));
	assert_int_not_equal(host_read_file(&h, path, 4096, &data, &len), 0);
}

static void run_program(void **state)
{
	(void)state;
	host h;
	host_init_live(&h);
	char sys[MAX_PATH], exe[MAX_PATH + 16];
	GetSystemDirectoryA(sys, sizeof sys);
	snprintf(exe, sizeof exe, "%s\\cmd.exe", sys);
	const char *argv[] = {exe, "/c", "echo", "hello", NULL};
	char *out = NULL;
	size_t len = 0;
	int status = -2;
	assert_int_equal(host_run(&h, argv, 20000, 1024, &out, &len, &status), 0);
	assert_int_equal(status, 0);
	assert_non_null(strstr(out, "hello"));
	free(out);
	/* Relative paths are refused: no search through PATH. */
	const char *rel[] = {"cmd.exe", "/c", "echo", NULL};
	assert_int_not_equal(host_run(&h, rel, 1000, 64, NULL, NULL, &status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sha256_vector),
		cmocka_unit_test(random_bytes),
		cmocka_unit_test(atomic_write_and_read),
		cmocka_unit_test(run_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
