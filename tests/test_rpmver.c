/* SPDX-License-Identifier: Apache-2.0 */
/* rpm version order (rpm's own tricky cases, from rpm's rpmvercmp tests)
 * and the rpm header reader of the dnf side. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"

#include "dnfcache.h"
#include "rpmver.h"

static void test_rpmvercmp(void **state)
{
	(void)state;
	static const struct {
		const char *a, *b;
		int want;
	} t[] = {
		{"1.0", "1.0", 0},
		{"1.0", "2.0", -1},
		{"2.0.1", "2.0", 1},
		{"2.0.1a", "2.0.1", 1},
		{"5.5p1", "5.5p2", -1},
		{"5.5p10", "5.5p1", 1},
		{"10xyz", "10.1xyz", -1},
		{"xyz10", "xyz10.1", -1},
		{"xyz.4", "8", -1},     /* letters sort before digits */
		{"8", "xyz.4", 1},
		{"5.5p1", "5.6p1", -1},
		{"6.0.rc1", "6.0", 1},  /* without '~', rc1 is newer */
		{"10b2", "10a1", 1},
		{"1.0aa", "1.0a", 1},
		{"10.0001", "10.1", 0}, /* leading zeros do not count */
		{"10.0001", "10.0039", -1},
		{"4.999.9", "5.0", -1},
		{"20101121", "20101122", -1},
		{"2_0", "2.0", 0},      /* separators are all equal */
		{"a+", "a_", 0},
		{"+a", "_a", 0},
		{"+", "_", 0},
		{"1.0~rc1", "1.0~rc1", 0},
		{"1.0~rc1", "1.0", -1}, /* '~' before the end */
		{"1.0~rc1", "1.0~rc2", -1},
		{"1.0~rc1~git123", "1.0~rc1", -1},
		{"1.0^", "1.0", 1},     /* '^' after the end ... */
		{"1.0^git1", "1.0", 1},
		{"1.0^git1", "1.0^git2", -1},
		{"1.0^git1", "1.01", -1}, /* ... but before anything else */
		{"1.0^20160101", "1.0.1", -1},
		{"1.0^20160101^git1", "1.0^20160101", 1},
		{"1.0~rc1^git1", "1.0~rc1", 1},
		{"1.0^git1~pre", "1.0^git1", -1},
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++) {
		int c = rpmvercmp(t[i].a, t[i].b), r = rpmvercmp(t[i].b, t[i].a);
		if (c != t[i].want || r != -t[i].want)
			fail_msg("rpmvercmp(%s, %s) = %d (reverse %d), want %d", t[i].a, t[i].b, c, r,
				 t[i].want);
	}
	rpm_evr a = {1, "1.0", "1"}, b = {0, "2.0", "1"}, c = {1, "1.0", "1.el9_2"},
		d = {1, "1.0", "1.el9"};
	assert_true(rpm_evr_cmp(&a, &b) > 0); /* epoch first */
	assert_true(rpm_evr_cmp(&c, &d) > 0); /* then release */
	assert_int_equal(rpm_evr_cmp(&a, &a), 0);
}

static size_t put32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24), p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8), p[3] = (unsigned char)v;
	return 4;
}

static void test_header(void **state)
{
	(void)state;
	/* name, epoch (int32), version, release, arch */
	static const char strs[] = "openssl\0\0\0\0\0003.0.7\00027.el9\0x86_64";
	unsigned char blob[256] = {0};
	const uint32_t e[5][4] = {{1000, 6, 0, 1}, {1003, 4, 8, 1}, {1001, 6, 12, 1},
				  {1002, 6, 18, 1}, {1022, 6, 25, 1}};
	size_t dl = sizeof strs, o = 0;
	o += put32(blob + o, 5);
	o += put32(blob + o, (uint32_t)dl);
	for (size_t i = 0; i < 5; i++)
		for (size_t k = 0; k < 4; k++)
			o += put32(blob + o, e[i][k]);
	memcpy(blob + o, strs, dl);
	put32(blob + o + 8, 1); /* epoch 1 */
	rpm_pkg p = {0};
	assert_int_equal(rpm_header_parse(blob, o + dl, &p), 0);
	assert_string_equal(p.name, "openssl");
	assert_string_equal(p.ver, "3.0.7");
	assert_string_equal(p.rel, "27.el9");
	assert_string_equal(p.arch, "x86_64");
	assert_int_equal(p.epoch, 1);
	free(p.name), free(p.ver), free(p.rel), free(p.arch);
	rpm_pkg q = {0};
	assert_int_equal(rpm_header_parse(blob, o + dl - 8, &q), -EBADMSG); /* truncated */
	free(q.name), free(q.ver), free(q.rel), free(q.arch);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rpmvercmp),
		cmocka_unit_test(test_header),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
