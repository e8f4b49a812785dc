/* SPDX-License-Identifier: Apache-2.0 */
/* The Windows platform layer, run under wine in CI (test-wine.sh) and on
 * real Windows: CNG hashing and randomness, the atomic write, reading it
 * back through the host context, running a program, and the root-only
 * check of the agent's inputs (platform_read_input, strict) made on the
 * open file and the directories above it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include <aclapi.h>
#include <sddl.h>

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

/* Gives path this DACL (SDDL); false unless Everyone's ACE then has
 * `everyone_mask` (wine keeps no ACL on a file system without extended
 * attributes: it shows one made from the Unix mode instead). */
static bool set_dacl(const char *path, const wchar_t *sddl, DWORD everyone_mask)
{
	PSECURITY_DESCRIPTOR sd = NULL;
	if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl, SDDL_REVISION_1, &sd, NULL))
		return false;
	BOOL present = FALSE, defaulted = FALSE;
	PACL dacl = NULL;
	GetSecurityDescriptorDacl(sd, &present, &dacl, &defaulted);
	DWORD rc = SetNamedSecurityInfoA((char *)path, SE_FILE_OBJECT,
					 DACL_SECURITY_INFORMATION |
						 PROTECTED_DACL_SECURITY_INFORMATION,
					 NULL, NULL, dacl, NULL);
	LocalFree(sd);
	if (rc != ERROR_SUCCESS)
		return false;
	/* read back: is Everyone's ACE there? */
	PACL got = NULL;
	PSECURITY_DESCRIPTOR gsd = NULL;
	if (GetNamedSecurityInfoA(path, SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, NULL, NULL,
				  &got, NULL, &gsd) != ERROR_SUCCESS)
		return false;
	bool everyone = false;
	for (DWORD i = 0; got && i < got->AceCount; i++) {
		ACCESS_ALLOWED_ACE *a;
		wchar_t *sid = NULL;
		if (GetAce(got, i, (void **)&a) && ConvertSidToStringSidW((PSID)&a->SidStart, &sid)) {
			everyone |= !wcscmp(sid, L"S-1-1-0") && a->Mask == everyone_mask;
			LocalFree(sid);
		}
	}
	LocalFree(gsd);
	return everyone;
}

static void read_input_checks_the_open_file(void **state)
{
	(void)state;
	char tmp[MAX_PATH], dir[MAX_PATH + 64], path[MAX_PATH + 96];
	GetTempPathA(sizeof tmp, tmp);
	snprintf(dir, sizeof dir, "%shostaudit-input-%lu", tmp, (unsigned long)GetCurrentProcessId());
	CreateDirectoryA(dir, NULL);
	snprintf(path, sizeof path, "%s\\pack.yaml", dir);
	const char *text = "schema: hostaudit/rules/v1\n";
	assert_int_equal(platform_write_file_atomic(path, text, strlen(text)), 0);

	char *data = NULL, why[512];
	size_t len = 0;
	int err = 0;
	platform_input_status st =
		platform_read_input(path, 4096, true, &data, &len, &err, why, sizeof why);
	print_message("strict read of %s: %d %s\n", path, st, why);
	assert_true(st == PLATFORM_INPUT_OK || st == PLATFORM_INPUT_UNSAFE);
	if (st == PLATFORM_INPUT_OK) {
		assert_string_equal(data, text);
		free(data);
	}
	/* Not strict: read whatever the ACLs. */
	data = NULL;
	assert_int_equal(platform_read_input(path, 4096, false, &data, &len, &err, why, sizeof why),
			 PLATFORM_INPUT_OK);
	assert_string_equal(data, text);
	free(data);

	/* A directory in which Everyone may delete (so replace) a child. */
	if (set_dacl(dir, L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;;0x100040;;;WD)", 0x100040)) {
		data = NULL;
		st = platform_read_input(path, 4096, true, &data, &len, &err, why, sizeof why);
		print_message("with Everyone's FILE_DELETE_CHILD on the directory: %d %s\n", st, why);
		assert_int_equal(st, PLATFORM_INPUT_UNSAFE);
		assert_null(data);
		assert_non_null(strstr(why, "S-1-1-0"));
	} else {
		print_message("no ACL kept on %s (wine): test-wine.sh checks the refusal on a "
			      "directory whose Unix mode lets everyone write\n",
			      dir);
	}
	/* A file Everyone may write. */
	set_dacl(dir, L"D:P(A;OICI;FA;;;SY)(A;OICI;FA;;;BA)(A;OICI;FA;;;OW)", 0);
	if (set_dacl(path, L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;0x120116;;;WD)", 0x120116)) {
		data = NULL;
		st = platform_read_input(path, 4096, true, &data, &len, &err, why, sizeof why);
		print_message("with Everyone's write on the file: %d %s\n", st, why);
		assert_int_equal(st, PLATFORM_INPUT_UNSAFE);
		assert_null(data);
	}
	set_dacl(path, L"D:P(A;;FA;;;SY)(A;;FA;;;BA)(A;;FA;;;OW)", 0);
	DeleteFileA(path);
	RemoveDirectoryA(dir);
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
		cmocka_unit_test(read_input_checks_the_open_file),
		cmocka_unit_test(run_program),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
