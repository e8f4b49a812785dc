/* SPDX-License-Identifier: Apache-2.0 */
/* The JSON report: built from a fixture audit, it matches its schema;
 * each kind of schema violation is caught and named. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report.h"
#include "testutil.h"

static json_t *fixture_report(const char *scenario)
{
	audit a;
	memset(&a, 0, sizeof a);
	a.h = fixture_host(scenario, TEST_NOW);
	/* The password rules alone: the password fixtures know nothing of the
	 * other measures, whose rules join rules/nisc-9.yaml over time. */
	const char *rules[] = {HOSTAUDIT_SOURCE_DIR "/tests/fixtures/rules/nisc-9-password.yaml"};
	const char *cfg = write_temp_file("hostaudit.yaml", "schema: hostaudit/config/v1\n");
	audit_options o = {.config_path = cfg, .rule_paths = rules, .rule_path_count = 1};
	diag d;
	if (audit_load(&a, &o, &d))
		fail_msg("%s", d.msg);
	audit_run(&a);
	json_t *rep = report_build(&a);
	audit_free(&a);
	return rep;
}

/* The remediation in the report is the audited system's, still {en, ja}. */
static const char *fix_for(const char *os, const char *rule_id, const char *lang)
{
	static char buf[2048];
	audit a;
	memset(&a, 0, sizeof a);
	a.h = fixture_host("password-weak", TEST_NOW);
	const char *rules[] = {HOSTAUDIT_SOURCE_DIR "/rules/nisc-9.yaml"};
	const char *cfg = write_temp_file("hostaudit.yaml", "schema: hostaudit/config/v1\n");
	audit_options o = {.config_path = cfg, .rule_paths = rules, .rule_path_count = 1};
	diag d;
	if (audit_load(&a, &o, &d))
		fail_msg("%s", d.msg);
	a.h.os = os;
	audit_run(&a);
	json_t *rep = report_build(&a);
	audit_free(&a);
	char err[256];
	if (report_validate(rep, err, sizeof err))
		fail_msg("%s", err);
	buf[0] = '\0';
	json_t *res;
	size_t i;
	json_array_foreach(json_object_get(rep, "results"), i, res)
		if (!strcmp(json_string_value(json_object_get(res, "id")), rule_id))
			snprintf(buf, sizeof buf, "%s",
				 json_string_value(json_object_get(
					 json_object_get(res, "remediation"), lang)));
	json_decref(rep);
	return buf;
}

static void remediation_follows_the_host_os(void **state)
{
	(void)state;
	assert_non_null(strstr(fix_for("linux", "password.min-length", "en"), "pwquality.conf"));
	assert_non_null(strstr(fix_for("windows", "password.min-length", "en"),
			       "secpol.msc › Account Policies"));
	/* params expanded in the Windows text too */
	assert_non_null(strstr(fix_for("windows", "password.min-length", "ja"),
			       "`net accounts /minpwlen:10`"));
	assert_non_null(strstr(fix_for("windows", "diskcrypt.root", "en"), "manage-bde"));
}

static void built_report_matches_schema(void **state)
{
	(void)state;
	json_t *rep = fixture_report("password-weak");
	char err[256];
	if (report_validate(rep, err, sizeof err))
		fail_msg("%s", err);
	assert_string_equal(json_string_value(json_object_get(rep, "schema")), REPORT_SCHEMA);
	const char *id = json_string_value(json_object_get(rep, "report_id"));
	assert_int_equal(strlen(id), 36);
	assert_int_equal(id[14], '4');
	assert_string_equal(json_string_value(json_object_get(rep, "now")), "2026-11-26T00:00:00Z");
	/* The weak host: empty password found, with its evidence. */
	const json_t *f = json_object_get(json_object_get(rep, "facts"), "password.empty_accounts");
	assert_string_equal(json_string_value(json_array_get(json_object_get(f, "value"), 0)),
			    "guest");
	assert_non_null(strstr(json_string_value(json_object_get(f, "evidence")), "/etc/shadow"));
	/* Beside the English text, the message id and its arguments, which
	 * make the same text again. */
	f = json_object_get(json_object_get(rep, "facts"), "password.min_length");
	const json_t *msg = json_object_get(f, "evidence_msg");
	assert_string_equal(json_string_value(json_object_get(msg, "id")),
			    "no password-quality module; pam_unix minlen from %s");
	char *again = report_fact_text(f, "evidence", "en");
	assert_string_equal(again, json_string_value(json_object_get(f, "evidence")));
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(msg, "args"), 0)),
			       "/etc/pam.d/common-password:1"));
	free(again);
	/* Titles carry the params in force. */
	size_t i;
	json_t *res;
	bool seen = false;
	json_array_foreach(json_object_get(rep, "results"), i, res)
	{
		if (strcmp(json_string_value(json_object_get(res, "id")), "password.min-length"))
			continue;
		seen = true;
		assert_string_equal(json_string_value(json_object_get(res, "status")), "fail");
		assert_string_equal(
			json_string_value(json_object_get(json_object_get(res, "title"), "en")),
			"Passwords have at least 10 characters");
	}
	assert_true(seen);
	/* Scores: weak host fails every password rule that applies. */
	const json_t *overall = json_object_get(json_object_get(rep, "scores"), "overall");
	assert_int_equal(json_integer_value(json_object_get(overall, "pass")), 0);
	assert_true(json_number_value(json_object_get(overall, "score")) == 0.0);
	json_decref(rep);
}

static void compliant_scores_full(void **state)
{
	(void)state;
	json_t *rep = fixture_report("password-compliant");
	const json_t *overall = json_object_get(json_object_get(rep, "scores"), "overall");
	assert_int_equal(json_integer_value(json_object_get(overall, "fail")), 0);
	assert_true(json_number_value(json_object_get(overall, "score")) == 100.0);
	json_decref(rep);
}

/* Breaks one member of a valid report and expects the validator to name
 * it. */
static void expect_invalid(const char *path_json, json_t *replacement, const char *needle)
{
	json_t *rep = fixture_report("password-compliant");
	json_t *obj = rep;
	char buf[256];
	snprintf(buf, sizeof buf, "%s", path_json);
	char *save = NULL, *tok = strtok_r(buf, "/", &save), *next;
	while ((next = strtok_r(NULL, "/", &save))) {
		obj = json_is_array(obj) ? json_array_get(obj, (size_t)atoi(tok))
					 : json_object_get(obj, tok);
		tok = next;
	}
	if (replacement)
		json_object_set_new(obj, tok, replacement);
	else
		json_object_del(obj, tok);
	char err[256] = "";
	if (report_validate(rep, err, sizeof err) == 0)
		fail_msg("accepted a report with %s broken", path_json);
	if (!strstr(err, needle))
		fail_msg("error '%s' lacks '%s'", err, needle);
	json_decref(rep);
}

static void violations_are_named(void **state)
{
	(void)state;
	expect_invalid("schema", json_string("hostaudit/report/v0"), "schema");
	expect_invalid("report_id", json_string("not-a-uuid"), "report_id: not a UUIDv4");
	expect_invalid("report_id", NULL, "report_id: missing");
	expect_invalid("finished_at", json_string("yesterday"), "finished_at: not an RFC 3339");
	expect_invalid("host/os", json_string("plan9"), "host.os: 'plan9' is not allowed");
	expect_invalid("results/0/status", json_string("maybe"), "results[0].status");
	expect_invalid("results/0/weight", json_integer(-1), "results[0].weight: negative");
	expect_invalid("results/0/title", json_string("x"), "results[0].title: wrong type");
	expect_invalid("facts/password.min_length/value", json_string("12"),
		       "facts.password.min_length.value: not a int");
	expect_invalid("facts/password.min_length/state", json_string("maybe"), "state");
	expect_invalid("scores/overall/score", json_real(140.0), "outside 0..100");
	expect_invalid("packs/0/sha256", json_string("abc"), "packs[0].sha256");
	expect_invalid("facts/password.min_length/evidence_msg", json_string("x"),
		       "facts.password.min_length.evidence_msg: not an object");
	expect_invalid("facts/password.min_length/evidence_msg", json_pack("{s:s, s:[i]}", "id",
		       "%d", "args", 1), "evidence_msg.args[0]: not a string");
	expect_invalid("packs/0/short", json_string("9"), "packs[0].short: wrong type");
	/* the collector's summaries are "pack:id=state" lines */
	expect_invalid("results/0/id", json_string("a=f"), "results[0].id: not a rule id");
	expect_invalid("results/0/id", json_string("a\nb"), "results[0].id: not a rule id");
	expect_invalid("results/0/id", json_string(""), "results[0].id: not a rule id");
	expect_invalid("results/0/id", json_string("Upper"), "results[0].id: not a rule id");
	expect_invalid("results/0/pack", json_string("nisc:9"), "results[0].pack: not a pack id");
	expect_invalid("results/0/pack", json_string("nisc.9"), "results[0].pack: not a pack id");
	char err[64];
	json_t *arr = json_array();
	assert_int_not_equal(report_validate(arr, err, sizeof err), 0);
	json_decref(arr);
}

/* Two verdicts on one rule: which would the collector keep? Refused,
 * wherever in the list the second one is. */
static void a_rule_once(void **state)
{
	(void)state;
	json_t *rep = fixture_report("password-compliant");
	json_t *results = json_object_get(rep, "results");
	size_t n = json_array_size(results);
	assert_true(n >= 2);
	char err[256] = "";
	assert_int_equal(report_validate(rep, err, sizeof err), 0);
	json_t *again = json_deep_copy(json_array_get(results, 0));
	json_object_set_new(again, "status", json_string("pass"));
	json_array_append_new(results, again);
	assert_int_not_equal(report_validate(rep, err, sizeof err), 0);
	char want[160];
	snprintf(want, sizeof want, "results: rule %s:%s twice",
		 json_string_value(json_object_get(again, "pack")),
		 json_string_value(json_object_get(again, "id")));
	assert_string_equal(err, want);
	/* the same id in another pack is another rule */
	json_object_set_new(again, "pack", json_string("another-pack"));
	assert_int_equal(report_validate(rep, err, sizeof err), 0);
	json_decref(rep);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(built_report_matches_schema),
		cmocka_unit_test(remediation_follows_the_host_os),
		cmocka_unit_test(compliant_scores_full),
		cmocka_unit_test(violations_are_named),
		cmocka_unit_test(a_rule_once),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
