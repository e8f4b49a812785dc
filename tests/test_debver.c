/* SPDX-License-Identifier: Apache-2.0 */
/* Debian version ordering against a table of the cases dpkg's own tests
 * and deb-version(7) are known for. Every row was checked against
 * `dpkg --compare-versions` when it was written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "debver.h"

static const struct {
	const char *a, *b;
	int want; /* sign of a - b */
} cases[] = {
	{"1.0", "1.0", 0},
	{"1.0", "1.0-0", 0},
	{"0:1.0", "1.0", 0},
	{"1:0.1", "9.9", 1},
	{"1.0~rc1", "1.0", -1},
	{"1.0~rc1~git1", "1.0~rc1", -1},
	{"1~~", "1~~a", -1},
	{"1~~a", "1~", -1},
	{"1~", "1", -1},
	{"1", "1a", -1},
	{"1.0", "1.0+b1", -1},
	{"1.0a", "1.0+", -1},
	{"1.0", "1.0.", -1},
	{"1.001", "1.1", 0},
	{"1.2.3", "1.10", -1},
	{"2.0-1", "2.0-1ubuntu1", -1},
	{"1.0-1", "1.0-2", -1},
	{"1.0-10", "1.0-9", 1},
	{"1-1-1", "1-1-2", -1},
	{"1-1-1", "1-1", 1},
	{"10:1", "9:2", 1},
	{"0:0", "0:00", 0},
	{"1.0-1~bpo12+1", "1.0-1", -1},
	{"1.0-1+deb12u1", "1.0-1", 1},
	{"1.0-1+deb12u1", "1.0-1.1", -1},
	{"2:1.0", "1:9.9", 1},
	{"1a", "1b", -1},
	{"1A", "1a", -1},
	{"1Z", "1a", -1},
	{"1.0-a", "1.0-A", 1},
	{"1.0+dfsg", "1.0~dfsg", 1},
	{"1.0+dfsg-1", "1.0-1", 1},
	{"3.0.16-1~deb12u1", "3.0.19-1~deb12u2", -1},
	{"252.36-1~deb12u1", "252.38-1~deb12u1", -1},
	{"1:9.2p1-2+deb12u6", "1:9.2p1-2+deb12u7", -1},
	{"0.16.1-2", "0.16.1-2+b1", -1},
	{"12.4+deb12u11", "12.4+deb12u15", -1},
	{"1.0.0", "1.0", 1},
	{"1.0", "1.0-0.1", -1},
	{"7.88.1-10+deb12u12", "7.88.1-10+deb12u14", -1},
};

static int sign(int x)
{
	return (x > 0) - (x < 0);
}

static void test_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		int got = sign(debver_cmp_str(cases[i].a, cases[i].b));
		int back = sign(debver_cmp_str(cases[i].b, cases[i].a));
		if (got != cases[i].want || back != -cases[i].want)
			fail_msg("%s vs %s: got %d (reverse %d), want %d", cases[i].a, cases[i].b,
				 got, back, cases[i].want);
	}
}

/* The list parser hands out versions in place, not NUL-terminated. */
static void test_counted(void **state)
{
	(void)state;
	const char *line = "1.0-1\nVersion: 9";
	assert_int_equal(debver_cmp(line, 5, "1.0-1", 5), 0);
	assert_true(debver_cmp(line, 3, "1.0-1", 5) < 0); /* "1.0" before "1.0-1" */
	assert_true(debver_cmp("1.0~", 3, "1.0", 3) == 0); /* the ~ lies past the count */
}

/* A NUL byte inside a counted version (an apt list is bytes, not C
 * strings) once made the comparison spin forever: it read as the end of
 * the string but the loop never stepped past it. The alarm turns a
 * regression into a failure instead of a hung suite. */
static void test_embedded_nul(void **state)
{
	(void)state;
	alarm(10);
	assert_true(debver_cmp("1.0\0a", 5, "1.0", 3) > 0);
	assert_true(debver_cmp("1.0", 3, "1.0\0a", 5) < 0);
	assert_int_equal(debver_cmp("1\0", 2, "1\0", 2), 0);
	assert_true(debver_cmp("1\0", 2, "1a", 2) > 0); /* NUL sorts as a non-letter */
	assert_true(debver_cmp("1-\0", 3, "1-", 2) > 0);
	alarm(0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_counted),
		cmocka_unit_test(test_embedded_nul),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
