/* SPDX-License-Identifier: Apache-2.0 */
/* The site config: packs, param overrides, exceptions, and its errors. */
#include <stdio.h>
#include <string.h>

#include "hostaudit/audit.h"
#include "testutil.h"
#include "util.h"

static const char *config_with(const char *body)
{
	static char path[512];
	char yaml[4096];
	snprintf(yaml, sizeof yaml, "schema: hostaudit/config/v1\nrules: [%s/rules/nisc-9.yaml]\n%s",
		 HOSTAUDIT_SOURCE_DIR, body);
	snprintf(path, sizeof path, "%s", write_temp_file("hostaudit.yaml", yaml));
	return path;
}

static int load(const char *path, audit *a, diag *d)
{
	memset(a, 0, sizeof *a);
	a->h = fixture_host("password-compliant", TEST_NOW);
	audit_options o = {.config_path = path};
	return audit_load(a, &o, d);
}

static void overrides_and_exceptions(void **state)
{
	(void)state;
	audit a;
	diag d;
	const char *path = config_with("params: {password_min_length: 14}\n"
				       "disabled:\n"
				       "  - rule: password.lockout\n"
				       "    reason: kiosk PCs use smart cards\n"
				       "    approved_by: CISO Tanaka\n"
				       "    until: 2027-03-31\n"
				       "lang: ja\n");
	if (load(path, &a, &d))
		fail_msg("%s", d.msg);
	assert_string_equal(a.cfg.lang, "ja");
	param *pm = pack_find_param(a.packs[0], "password_min_length");
	assert_int_equal(pm->current.i, 14);
	assert_int_equal(pm->def.i, 10);
	assert_true(pm->overridden);
	audit_run(&a);
	const result *res;
	assert_non_null(audit_find_rule(&a, "password.lockout", &res));
	assert_int_equal(res->status, RES_DISABLED);
	assert_string_equal(res->reason, "kiosk PCs use smart cards");
	assert_non_null(audit_find_rule(&a, "nisc-9:password.min-length", &res));
	assert_int_equal(res->status, RES_PASS); /* 14 >= 14 */
	audit_free(&a);
}

static void expect_config_error(const char *body, const char *needle)
{
	audit a;
	diag d;
	if (load(config_with(body), &a, &d) == 0)
		fail_msg("loaded; expected '%s'", needle);
	if (!strstr(d.msg, needle) || !strstr(d.msg, "hostaudit.yaml:"))
		fail_msg("error '%s' lacks '%s'", d.msg, needle);
}

/* A leap day is a day; the parser takes digits only. */
static void calendar_dates(void **state)
{
	(void)state;
	long long t;
	assert_int_equal(parse_time_utc("2028-02-29", &t), 0);
	assert_int_equal(parse_time_utc("2000-02-29", &t), 0);
	assert_int_equal(t, 951782400LL);
	assert_int_equal(parse_time_utc("2027-12-31T23:59:60Z", &t), 0);
	assert_int_not_equal(parse_time_utc("2027-02-29", &t), 0);
	assert_int_not_equal(parse_time_utc("1900-02-29", &t), 0);
	assert_int_not_equal(parse_time_utc("2027-04-31", &t), 0);
	assert_int_not_equal(parse_time_utc("2027-01-01T-1:00:00Z", &t), 0);
	assert_int_not_equal(parse_time_utc("+027-01-01", &t), 0);
	assert_int_not_equal(parse_time_utc("2027-01-01T10:00:00+24:00", &t), 0);
	assert_int_not_equal(parse_time_utc("2027-01-01T10:00:00.Z", &t), 0);
}

static void config_errors(void **state)
{
	(void)state;
	expect_config_error("parms: {}\n", "3:1: unknown key 'parms' in the config (did you mean "
				       "'params'?)");
	expect_config_error("params: {password_min_lenght: 12}\n",
			    "3:10: param 'password_min_lenght' is not defined by any loaded rule "
			    "pack (did you mean 'password_min_length'?)");
	expect_config_error("params: {password_min_length: twelve}\n",
			    "param 'password_min_length' is a whole number in pack nisc-9");
	expect_config_error("disabled: [{rule: no.such.rule, reason: x}]\n",
			    "disabled rule 'no.such.rule' is not in any loaded pack");
	expect_config_error("disabled: [{rule: password.lockout}]\n", "needs 'rule' and 'reason'");
	expect_config_error("disabled: [{rule: password.lockout, reason: x, until: soon}]\n",
			    "until must be a date YYYY-MM-DD");
	expect_config_error("lang: fr\n", "lang must be 'en' or 'ja'");
	/* Days that do not exist: once accepted and shown as they were. */
	static const char *const impossible[] = {"2027-02-30", "2027-02-31", "2027-04-31",
						 "2027-02-29", "2027-13-01", "2027-00-10",
						 "2027-06-00", "2100-02-29"};
	for (size_t i = 0; i < sizeof impossible / sizeof *impossible; i++) {
		char body[128];
		snprintf(body, sizeof body,
			 "disabled: [{rule: password.lockout, reason: x, until: %s}]\n",
			 impossible[i]);
		expect_config_error(body, "3:55: until: there is no such day in the calendar");
	}
	expect_config_error("disabled: [{rule: password.lockout, reason: x, until: 2027- 2-28}]\n",
			    "3:55: until must be a date YYYY-MM-DD");
	audit a;
	diag d;
	assert_int_not_equal(load(write_temp_file("hostaudit.yaml", "rules: []\n"), &a, &d), 0);
	assert_non_null(strstr(d.msg, "no 'schema: hostaudit/config/v1'"));
	assert_int_not_equal(load("/nonexistent/hostaudit.yaml", &a, &d), 0);
	assert_non_null(strstr(d.msg, "cannot open"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(overrides_and_exceptions),
		cmocka_unit_test(config_errors),
		cmocka_unit_test(calendar_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
