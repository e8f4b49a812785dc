/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests of the collector's small pure functions: strict RFC 3339,
 * the log's escaping, and the one host-name comparison. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "collector.h"

static void test_rfc3339_valid(void **state)
{
	(void)state;
	const struct {
		const char *text;
		int64_t epoch;
	} ok[] = {
		{"1970-01-01T00:00:00Z", 0},
		{"2026-11-26T06:00:00Z", 1795672800},
		{"2026-11-26t06:00:00z", 1795672800},          /* lower case, as RFC 3339 allows */
		{"2026-11-26T15:00:00+09:00", 1795672800},     /* Tokyo */
		{"2026-11-26T01:30:00-04:30", 1795672800},
		{"2026-11-26T06:00:00.123456789Z", 1795672800}, /* fraction ignored */
		{"2026-11-26T06:00:00-00:00", 1795672800},     /* unknown offset */
		{"2024-02-29T00:00:00Z", 1709164800},          /* leap year */
		{"2000-02-29T00:00:00Z", 951782400},           /* divisible by 400 */
		{"2016-12-31T23:59:60Z", 1483228800},          /* leap second */
		{"0000-01-01T00:00:00Z", -62167219200},
		{"9999-12-31T23:59:59Z", 253402300799},
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int64_t t = -1;
		if (!rfc3339_parse(ok[i].text, &t) || t != ok[i].epoch)
			fail_msg("'%s': expected %lld, got %lld", ok[i].text, (long long)ok[i].epoch,
				 (long long)t);
	}
}

static void test_rfc3339_strict(void **state)
{
	(void)state;
	const char *bad[] = {
		"2026-01-01T-1:-1:-1Z", /* the forged one: signs where digits go */
		"2026-01-01T+1:+1:+1Z",
		"2026-01-01T 1: 1: 1Z",
		"2026-1-01T00:00:00Z",
		"26-01-01T00:00:00Z",
		"+2026-01-01T00:00:00Z",
		"2026-00-01T00:00:00Z",
		"2026-13-01T00:00:00Z",
		"2026-01-00T00:00:00Z",
		"2026-01-32T00:00:00Z",
		"2026-02-29T00:00:00Z", /* not a leap year */
		"1900-02-29T00:00:00Z", /* divisible by 100 */
		"2026-04-31T00:00:00Z",
		"2026-01-01T24:00:00Z",
		"2026-01-01T00:60:00Z",
		"2026-01-01T00:00:61Z",
		"2026-01-01T12:00:60Z", /* a leap second only at 23:59 */
		"2026-01-01T00:00:00",  /* no offset */
		"2026-01-01 00:00:00Z", /* space for T */
		"2026-01-01T00:00:00.Z", /* a dot without digits */
		"2026-01-01T00:00:00.1234567890Z", /* over 9 digits */
		"2026-01-01T00:00:00+24:00",
		"2026-01-01T00:00:00+09:60",
		"2026-01-01T00:00:00+0900",
		"2026-01-01T00:00:00+9:00",
		"2026-01-01T00:00:00+09:0",
		"2026-01-01T00:00:00+09:00x",
		"2026-01-01T00:00:00Zx",
		"2026-01-01T00:00:00+",
		"2026-01-01",
		"",
		"2026-01-01T00:00:00\xef\xbc\xba", /* a full-width Z */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int64_t t = 42;
		if (rfc3339_parse(bad[i], &t))
			fail_msg("'%s' accepted as %lld", bad[i], (long long)t);
		assert_int_equal(t, 42); /* nothing written */
	}
}

static void test_log_escape(void **state)
{
	(void)state;
	const struct {
		const char *in, *out;
	} cases[] = {
		{"plain text", "plain text"},
		{"/v1/x\nFAKE line", "/v1/x\\x0aFAKE line"},
		{"a\r\nb\x1b[31mc\x7f\t", "a\\x0d\\x0ab\\x1b[31mc\\x7f\\x09"},
		{"back\\x0aslash", "back\\\\x0aslash"}, /* cannot pose as an escape */
		{"ホスト pc-01", "ホスト pc-01"},        /* UTF-8 kept */
		{"bad \xff\xfe utf-8", "bad \\xff\\xfe utf-8"},
		{"overlong \xc0\xaf", "overlong \\xc0\\xaf"},
		{"surrogate \xed\xa0\x80", "surrogate \\xed\\xa0\\x80"},
		{"cut \xe3\x83", "cut \\xe3\\x83"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char out[200];
		size_t n = log_escape(cases[i].in, out, sizeof out);
		assert_string_equal(out, cases[i].out);
		assert_int_equal(n, strlen(cases[i].out));
	}
	/* truncation keeps whole escapes and characters */
	char small[8];
	log_escape("ab\ncd", small, sizeof small);
	assert_string_equal(small, "ab\\x0ac");
	log_escape("a\n", small, 5);
	assert_string_equal(small, "a");
	log_escape("ホスト", small, 7);
	assert_string_equal(small, "ホス");
}

static void test_log_budget(void **state)
{
	(void)state;
	log_budget b = LOG_BUDGET("test lines", 3, 3600);
	for (int i = 0; i < 3; i++)
		assert_true(log_budget_take(&b));
	for (int i = 0; i < 5; i++)
		assert_false(log_budget_take(&b));
	assert_int_equal(b.dropped, 5);
	b.period -= 3600; /* the next period: the count is logged, lines flow again */
	assert_true(log_budget_take(&b));
	assert_int_equal(b.dropped, 0);
}

static void test_hostname_matches(void **state)
{
	(void)state;
	const struct {
		const char *claimed, *enrolled;
		bool match;
	} cases[] = {
		{"pc-01", "pc-01", true},
		{"PC-01", "pc-01", true},
		{"pc-01.", "pc-01", true},
		{"pc-01.corp.example", "pc-01", true},
		{"pc-01", "pc-01.corp.example", true},
		{"PC-01.CORP.EXAMPLE.", "pc-01.corp.example", true},
		{"pc-010", "pc-01", false},           /* the old prefix compare */
		{"pc-01", "pc-010", false},
		{"pc-0", "pc-01.corp.example", false},
		{"pc-01.other.example", "pc-01.corp.example", false}, /* the old label compare */
		{"pc-02", "pc-01", false},
		{"pc-01x.corp.example", "pc-01", false},
		{"", "pc-01", false},
		{".", "pc-01", false},
		{NULL, "pc-01", false},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		if (hostname_matches(cases[i].claimed, cases[i].enrolled) != cases[i].match)
			fail_msg("'%s' vs '%s': expected %s", cases[i].claimed ? cases[i].claimed : "(null)",
				 cases[i].enrolled, cases[i].match ? "a match" : "no match");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rfc3339_valid),
		cmocka_unit_test(test_rfc3339_strict),
		cmocka_unit_test(test_log_escape),
		cmocka_unit_test(test_log_budget),
		cmocka_unit_test(test_hostname_matches),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
