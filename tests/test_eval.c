/* SPDX-License-Identifier: Apache-2.0 */
/* The evaluator: every operator, unknown and n.a. propagation,
 * applicability, params and the score arithmetic. */
#include <stdio.h>
#include <string.h>

#include "hostaudit/eval.h"
#include "testutil.h"

static fact_set *facts;

/* Loads a one-rule pack whose check is `check` (and optional extra rule
 * keys), evaluates it over `facts` and returns the status. */
static result_status eval_with(const char *check, const char *extra, const char *os,
			       char *reason)
{
	char yaml[4096];
	snprintf(yaml, sizeof yaml,
		 "schema: hostaudit/rules/v1\npack: t\ntitle: {en: T, ja: T}\n"
		 "articles: [{number: 1, title: {en: A, ja: A}}]\n"
		 "params: {min: 10, off: 0, name: debian, allowed: [debian, ubuntu]}\n"
		 "rules:\n  - id: r\n    article: 1\n    severity: low\n"
		 "    title: {en: T, ja: T}\n    remediation: {en: R, ja: R}\n"
		 "    check: %s\n%s",
		 check, extra ? extra : "");
	diag d;
	pack *p = pack_load(write_temp_file("p.yaml", yaml), false, &d);
	if (!p)
		fail_msg("%s", d.msg);
	result res;
	rule_eval(&p->rules[0], facts, os ? os : "linux", TEST_NOW, NULL, &res);
	if (reason)
		snprintf(reason, 256, "%s", res.reason);
	pack_free(p);
	return res.status;
}

static result_status eval(const char *check)
{
	return eval_with(check, NULL, NULL, NULL);
}

static int setup(void **state)
{
	(void)state;
	facts = fact_set_new();
	fact_set_int(facts, "password.min_length", 12, "test");
	fact_set_bool(facts, "password.quality_enforced", true, "test");
	fact_set_string(facts, "os.id", "debian", "test");
	fact_list l = {0};
	fact_list_push(&l, "guest");
	fact_list_push(&l, "tmp-user");
	fact_set_list(facts, "password.empty_accounts", &l, "test");
	fact_set_unknown(facts, "password.max_age_days", "needs root to read /etc/shadow");
	fact_set_not_applicable(facts, "password.lockout.deny", "no lockout module");
	fact_set_error(facts, "password.min_classes", "probe failed");
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	fact_set_free(facts);
	return 0;
}

static void integer_operators(void **state)
{
	(void)state;
	assert_int_equal(eval("{fact: password.min_length, eq: 12}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, eq: 11}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.min_length, ne: 11}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, lt: 12}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.min_length, lt: 13}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, le: 12}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, le: 11}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.min_length, gt: 12}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.min_length, gt: 11}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, ge: 12}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, ge: 13}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.min_length, in: [8, 12]}"), RES_PASS);
	assert_int_equal(eval("{fact: password.min_length, in: [8, 10]}"), RES_FAIL);
}

static void bool_string_list_operators(void **state)
{
	(void)state;
	assert_int_equal(eval("{fact: password.quality_enforced, eq: true}"), RES_PASS);
	assert_int_equal(eval("{fact: password.quality_enforced, eq: false}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.quality_enforced, ne: false}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, eq: debian}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, ne: debian}"), RES_FAIL);
	assert_int_equal(eval("{fact: os.id, in: [ubuntu, debian]}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, in: [ubuntu, rhel]}"), RES_FAIL);
	assert_int_equal(eval("{fact: os.id, matches: 'deb*'}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, matches: 'd?b[h-j]an'}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, matches: 'ubu*'}"), RES_FAIL);
	assert_int_equal(eval("{fact: os.id, matches: '*ian'}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, matches: '[!d]*'}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.empty_accounts, contains: guest}"), RES_PASS);
	assert_int_equal(eval("{fact: password.empty_accounts, contains: root}"), RES_FAIL);
	assert_int_equal(eval("{count_of: password.empty_accounts, eq: 2}"), RES_PASS);
	assert_int_equal(eval("{count_of: password.empty_accounts, eq: 0}"), RES_FAIL);
}

static void exists_reads_the_state(void **state)
{
	(void)state;
	assert_int_equal(eval("{fact: password.min_length, exists: true}"), RES_PASS);
	assert_int_equal(eval("{fact: password.max_age_days, exists: true}"), RES_FAIL);
	assert_int_equal(eval("{fact: password.max_age_days, exists: false}"), RES_PASS);
}

static void unknown_is_never_pass_or_fail(void **state)
{
	(void)state;
	char why[256];
	assert_int_equal(eval_with("{fact: password.max_age_days, le: 90}", NULL, NULL, why),
			 RES_UNKNOWN);
	assert_string_equal(why, "password.max_age_days: needs root to read /etc/shadow");
	assert_int_equal(eval("{not: {fact: password.max_age_days, le: 90}}"), RES_UNKNOWN);
	/* all: a failing part decides; otherwise unknown stays unknown. */
	assert_int_equal(eval("{all: [{fact: password.max_age_days, le: 90}, "
			      "{fact: password.min_length, ge: 20}]}"),
			 RES_FAIL);
	assert_int_equal(eval("{all: [{fact: password.max_age_days, le: 90}, "
			      "{fact: password.min_length, ge: 10}]}"),
			 RES_UNKNOWN);
	/* any: a passing part decides. */
	assert_int_equal(eval("{any: [{fact: password.max_age_days, le: 90}, "
			      "{fact: password.min_length, ge: 10}]}"),
			 RES_PASS);
	assert_int_equal(eval("{any: [{fact: password.max_age_days, le: 90}, "
			      "{fact: password.min_length, ge: 20}]}"),
			 RES_UNKNOWN);
	assert_int_equal(eval("{none: [{fact: password.max_age_days, le: 90}, "
			      "{fact: password.min_length, ge: 10}]}"),
			 RES_FAIL);
	assert_int_equal(eval("{none: [{fact: password.max_age_days, le: 90}, "
			      "{fact: password.min_length, ge: 20}]}"),
			 RES_UNKNOWN);
	assert_int_equal(eval("{none: [{fact: password.min_length, ge: 20}]}"), RES_PASS);
	/* A fact no probe recorded reads as unknown too. */
	fact_set *empty = fact_set_new();
	fact_set *saved = facts;
	facts = empty;
	assert_int_equal(eval("{fact: password.min_length, ge: 1}"), RES_UNKNOWN);
	facts = saved;
	fact_set_free(empty);
}

static void error_and_not_applicable(void **state)
{
	(void)state;
	assert_int_equal(eval("{fact: password.min_classes, ge: 3}"), RES_ERROR);
	assert_int_equal(eval("{all: [{fact: password.min_classes, ge: 3}, "
			      "{fact: password.max_age_days, le: 1}]}"),
			 RES_ERROR);
	assert_int_equal(eval("{fact: password.lockout.deny, le: 5}"), RES_NOT_APPLICABLE);
	assert_int_equal(eval("{all: [{fact: password.lockout.deny, le: 5}]}"),
			 RES_NOT_APPLICABLE);
	assert_int_equal(eval("{all: [{fact: password.lockout.deny, le: 5}, "
			      "{fact: password.min_length, ge: 10}]}"),
			 RES_PASS);
}

static void params_and_applicability(void **state)
{
	(void)state;
	assert_int_equal(eval("{fact: password.min_length, ge: $min}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, eq: $name}"), RES_PASS);
	assert_int_equal(eval("{fact: os.id, in: $allowed}"), RES_PASS);
	assert_int_equal(eval("{param: min, eq: 10}"), RES_PASS);
	char why[256];
	assert_int_equal(eval_with("{fact: password.min_length, ge: 99}",
				   "    when: {param: off, gt: 0}\n", NULL, why),
			 RES_NOT_APPLICABLE);
	assert_non_null(strstr(why, "'when'"));
	assert_int_equal(eval_with("{fact: password.min_length, ge: 99}",
				   "    when: {param: min, gt: 0}\n", NULL, NULL),
			 RES_FAIL);
	assert_int_equal(eval_with("{fact: password.min_length, ge: 1}",
				   "    when: {fact: password.max_age_days, gt: 0}\n", NULL, NULL),
			 RES_UNKNOWN);
	assert_int_equal(eval_with("{fact: password.min_length, ge: 99}", "    os: [windows]\n",
				   "linux", why),
			 RES_NOT_APPLICABLE);
	assert_string_equal(why, "applies to windows, this host runs linux");
	assert_int_equal(eval_with("{fact: password.min_length, ge: 99}", "    os: [linux]\n",
				   "linux", NULL),
			 RES_FAIL);
}

static result fake(result_status st, int weight, rule *r)
{
	r->weight = weight;
	result res = {.r = r, .status = st};
	return res;
}

static void score_arithmetic(void **state)
{
	(void)state;
	rule r1 = {0}, r2 = {0}, r3 = {0}, r4 = {0}, r5 = {0};
	tally t = {0};
	assert_true(tally_score(&t) < 0); /* nothing scored: no score, not 100 */
	result a = fake(RES_PASS, 3, &r1), b = fake(RES_FAIL, 1, &r2),
	       c = fake(RES_UNKNOWN, 5, &r3), d = fake(RES_NOT_APPLICABLE, 5, &r4),
	       e = fake(RES_DISABLED, 5, &r5);
	tally_add(&t, &a);
	tally_add(&t, &b);
	tally_add(&t, &c);
	tally_add(&t, &d);
	tally_add(&t, &e);
	assert_int_equal(t.pass, 1);
	assert_int_equal(t.fail, 1);
	assert_int_equal(t.unknown, 1);
	assert_int_equal(t.not_applicable, 1);
	assert_int_equal(t.disabled, 1);
	/* 100 * 3 / (3 + 1): unknown, n.a. and disabled are not folded in. */
	assert_float_equal(tally_score(&t), 75.0, 1e-9);
	tally zero = {0};
	result z = fake(RES_PASS, 0, &r1);
	tally_add(&zero, &z);
	assert_true(tally_score(&zero) < 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(integer_operators),
		cmocka_unit_test(bool_string_list_operators),
		cmocka_unit_test(exists_reads_the_state),
		cmocka_unit_test(unknown_is_never_pass_or_fail),
		cmocka_unit_test(error_and_not_applicable),
		cmocka_unit_test(params_and_applicability),
		cmocka_unit_test(score_arithmetic),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
