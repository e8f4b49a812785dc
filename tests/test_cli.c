/* SPDX-License-Identifier: Apache-2.0 */
/* The hostaudit program end to end: an audit of this real machine, the
 * sub-commands, exit statuses, and bad input that must leave no report. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hostaudit/report.h"
#include "testutil.h"

#define RULES HOSTAUDIT_SOURCE_DIR "/rules"
/* For audits of the password fixtures, which know nothing of other measures. */
#define PASSWORD_RULES HOSTAUDIT_SOURCE_DIR "/tests/fixtures/rules/nisc-9-password.yaml"

static const char *empty_config(void)
{
	static char path[256];
	snprintf(path, sizeof path, "%s",
		 write_temp_file("hostaudit.yaml", "schema: hostaudit/config/v1\n"));
	return path;
}

static void audits_this_machine(void **state)
{
	(void)state;
	char *out, *err;
	const char *argv[] = {"run", "--config", empty_config(), "--rules", RULES, "--format",
			      "json", NULL};
	int rc = run_hostaudit(argv, &out, &err);
	if (rc != 0 && rc != 1 && rc != 3)
		fail_msg("exit %d: %s", rc, err);
	json_error_t jerr;
	json_t *rep = json_loads(out, 0, &jerr);
	if (!rep)
		fail_msg("not JSON: %s", jerr.text);
	char verr[256];
	if (report_validate(rep, verr, sizeof verr))
		fail_msg("%s", verr);
	/* The real host's identity and every fact: known, or with a reason. */
	const json_t *hi = json_object_get(rep, "host");
	assert_string_equal(json_string_value(json_object_get(hi, "os")), "linux");
	assert_true(json_string_length(json_object_get(hi, "hostname")) > 0);
	const char *name;
	json_t *f;
	json_object_foreach(json_object_get(rep, "facts"), name, f)
	{
		const char *st = json_string_value(json_object_get(f, "state"));
		if (!strcmp(st, "known"))
			assert_non_null(json_object_get(f, "evidence"));
		else
			assert_non_null(json_object_get(f, "reason"));
	}
	/* The exit status agrees with the results. */
	size_t i;
	json_t *res;
	int fails = 0, open = 0;
	json_array_foreach(json_object_get(rep, "results"), i, res)
	{
		const char *st = json_string_value(json_object_get(res, "status"));
		fails += !strcmp(st, "fail");
		open += !strcmp(st, "unknown") || !strcmp(st, "error");
	}
	assert_int_equal(rc, fails ? 1 : open ? 3 : 0);
	json_decref(rep);
	free(out);
	free(err);
}

static void text_report_and_exit_codes(void **state)
{
	(void)state;
	char *out;
	const char *weak[] = {"run", "-c", empty_config(), "-r", PASSWORD_RULES, "--root",
			      HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak", "--now",
			      "2026-11-26", NULL};
	assert_int_equal(run_hostaudit(weak, &out, NULL), 1);
	assert_non_null(strstr(out, "Fix these first"));
	assert_non_null(strstr(out, "No account can log in without a password"));
	assert_non_null(strstr(out, "guest"));
	assert_null(strstr(out, "\033[")); /* not a terminal: no colour */
	free(out);
	const char *good[] = {"run", "-c", empty_config(), "-r", PASSWORD_RULES, "--root",
			      HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-compliant",
			      "--lang", "ja", NULL};
	assert_int_equal(run_hostaudit(good, &out, NULL), 0);
	assert_non_null(strstr(out, "パスワードは10文字以上"));
	assert_non_null(strstr(out, "100.0"));
	free(out);
}

static void output_file_is_private_and_whole(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/report.json", make_temp_dir());
	const char *argv[] = {"run", "-c", empty_config(), "-r", PASSWORD_RULES, "-f", "json", "-o", path,
			      "--root", HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-compliant",
			      NULL};
	assert_int_equal(run_hostaudit(argv, NULL, NULL), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	json_error_t jerr;
	json_t *rep = json_load_file(path, 0, &jerr);
	assert_non_null(rep);
	json_decref(rep);
}

static void bad_rules_exit_2_without_report(void **state)
{
	(void)state;
	char bad[256];
	snprintf(bad, sizeof bad, "%s", write_temp_file("bad.yaml", "schema: hostaudit/rules/v1\npack: x\n"
						      "title: {en: a, ja: b}\narticles: []\n"
						      "rules:\n  - id: r\n    severty: high\n"));
	char out_path[256];
	snprintf(out_path, sizeof out_path, "%s/report.json", make_temp_dir());
	char *out, *err;
	const char *argv[] = {"run", "-c", empty_config(), "-r", bad, "-o", out_path, NULL};
	assert_int_equal(run_hostaudit(argv, &out, &err), 2);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, "bad.yaml:7:5: unknown key 'severty' in a rule (did you mean "
				    "'severity'?)"));
	assert_int_equal(strchr(err, '\n') - err + 1, (long)strlen(err)); /* one line */
	assert_int_not_equal(access(out_path, F_OK), 0);
	free(out);
	free(err);
	const char *val[] = {"validate", bad, NULL};
	assert_int_equal(run_hostaudit(val, NULL, &err), 2);
	assert_non_null(strstr(err, "bad.yaml:7:5:"));
	free(err);
}

static void subcommands(void **state)
{
	(void)state;
	char *out, *err;
	const char *list[] = {"list", "-c", empty_config(), "-r", RULES, NULL};
	assert_int_equal(run_hostaudit(list, &out, NULL), 0);
	assert_non_null(strstr(out, "nisc-9:password.no-empty"));
	assert_non_null(strstr(out, "critical"));
	free(out);
	const char *explain[] = {"explain", "-c", empty_config(), "-r", PASSWORD_RULES, "--root",
				 HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak",
				 "password.min-length", NULL};
	assert_int_equal(run_hostaudit(explain, &out, NULL), 0);
	assert_non_null(strstr(out, "password.min_length >= $password_min_length (= 10)"));
	assert_non_null(strstr(out, "observed: 8"));
	assert_non_null(strstr(out, "Result:\n  FAIL"));
	assert_non_null(strstr(out, "pwquality.conf"));
	free(out);
	/* A rule with partial credit says when it is partly met. */
	const char *partly[] = {"explain", "-c", empty_config(), "-r",
				HOSTAUDIT_SOURCE_DIR "/rules/ipa-25.yaml", "--root",
				HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/screenlock-gnome-userdb",
				"q14.screen-locks", NULL};
	run_hostaudit(partly, &out, NULL);
	const char *passes = strstr(out, "Passes when:");
	const char *part = strstr(out, "Partly met when:\n    screenlock.enabled = true");
	assert_non_null(passes);
	assert_non_null(part);
	assert_true(part > passes);
	free(out);
	/* password.min-length has no partial: no such section. */
	run_hostaudit(explain, &out, NULL);
	assert_null(strstr(out, "Partly met when:"));
	free(out);
	const char *unknown_rule[] = {"explain", "-c", empty_config(), "-r", RULES, "nope", NULL};
	assert_int_equal(run_hostaudit(unknown_rule, NULL, &err), 2);
	assert_non_null(strstr(err, "no rule 'nope'"));
	free(err);
	const char *facts[] = {"facts", "-c", empty_config(), NULL};
	assert_int_equal(run_hostaudit(facts, &out, NULL), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_non_null(json_object_get(j, "password.quality_enforced"));
	json_decref(j);
	free(out);
	const char *catalog[] = {"facts", "--catalog", NULL};
	assert_int_equal(run_hostaudit(catalog, &out, NULL), 0);
	assert_non_null(strstr(out, "\"meaning\""));
	free(out);
	char cfg[256];
	snprintf(cfg, sizeof cfg, "%s",
		 write_temp_file("hostaudit.yaml", "schema: hostaudit/config/v1\nrules: [" RULES
						   "]\nparams: {password_min_length: 12}\n"));
	const char *validate[] = {"validate", RULES "/nisc-9.yaml", cfg, NULL};
	assert_int_equal(run_hostaudit(validate, &out, &err), 0);
	assert_non_null(strstr(out, "ok (pack nisc-9"));
	assert_non_null(strstr(out, "ok (config, 3 rule packs)"));
	free(out);
	free(err);
}

/* Options after the operand count as much as before it (getopt alone
 * stops at the first operand); "--" still ends them. */
static void options_anywhere(void **state)
{
	(void)state;
	char *out, *err;
	const char *after[] = {"explain", "password.min-length", "-c", empty_config(), "-r",
			       PASSWORD_RULES, "--root",
			       HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak",
			       "--lang", "ja", NULL};
	assert_int_equal(run_hostaudit(after, &out, NULL), 0);
	assert_non_null(strstr(out, "なぜ重要か:"));
	assert_non_null(strstr(out, "合格の条件:"));
	assert_non_null(strstr(out, "結果:\n  不合格"));
	assert_null(strstr(out, "Why it matters"));
	/* the value in force, not the placeholder */
	assert_non_null(strstr(out, "パスワードは10文字以上"));
	assert_null(strstr(out, "{password_min_length}"));
	free(out);
	const char *dashes[] = {"explain", "-c", empty_config(), "-r", PASSWORD_RULES, "--",
				"--lang", NULL};
	assert_int_equal(run_hostaudit(dashes, NULL, &err), 2);
	assert_non_null(strstr(err, "no rule '--lang'"));
	free(err);
	/* list shows the site's value of a param in each title. */
	char cfg[256];
	snprintf(cfg, sizeof cfg, "%s",
		 write_temp_file("p12.yaml", "schema: hostaudit/config/v1\nrules: [" RULES
					     "]\nparams: {password_min_length: 12}\n"));
	const char *list[] = {"list", "--lang", "en", "-c", cfg, NULL};
	assert_int_equal(run_hostaudit(list, &out, NULL), 0);
	assert_non_null(strstr(out, "Passwords have at least 12 characters"));
	assert_null(strchr(out, '{'));
	free(out);
	const char *list_ja[] = {"list", "-c", cfg, "--lang", "ja", NULL};
	assert_int_equal(run_hostaudit(list_ja, &out, NULL), 0);
	assert_non_null(strstr(out, "パスワードは12文字以上"));
	free(out);
}

static void usage_errors_and_help(void **state)
{
	(void)state;
	char *out, *err;
	const char *help[] = {"--help", NULL};
	assert_int_equal(run_hostaudit(help, &out, NULL), 0);
	assert_non_null(strstr(out, "explain"));
	free(out);
	const char *version[] = {"run", "--version", NULL};
	assert_int_equal(run_hostaudit(version, &out, NULL), 0);
	assert_non_null(strstr(out, "hostaudit 0."));
	free(out);
	const char *cmd_help[] = {"explain", "--help", NULL};
	assert_int_equal(run_hostaudit(cmd_help, &out, NULL), 0);
	assert_non_null(strstr(out, "usage: hostaudit explain"));
	free(out);
	/* --help after --lang, or before it: the help is in that language */
	const char *help_ja[] = {"explain", "--help", "--lang", "ja", NULL};
	assert_int_equal(run_hostaudit(help_ja, &out, NULL), 0);
	assert_non_null(strstr(out, "使い方: hostaudit explain"));
	free(out);
	const char *top_help_ja[] = {"--help", "--lang", "ja", NULL};
	assert_int_equal(run_hostaudit(top_help_ja, &out, NULL), 0);
	assert_non_null(strstr(out, "コマンド:"));
	free(out);
	const char *bad_cmd[] = {"frobnicate", NULL};
	assert_int_equal(run_hostaudit(bad_cmd, NULL, &err), 2);
	assert_non_null(strstr(err, "unknown command 'frobnicate'"));
	free(err);
	const char *bad_opt[] = {"run", "--bogus", NULL};
	assert_int_equal(run_hostaudit(bad_opt, NULL, &err), 2);
	free(err);
	const char *bad_fmt[] = {"run", "--format", "xml", NULL};
	assert_int_equal(run_hostaudit(bad_fmt, NULL, &err), 2);
	assert_non_null(strstr(err, "--format"));
	free(err);
	const char *bad_now[] = {"run", "--now", "tomorrow", "-c", empty_config(), "-r", RULES,
				 NULL};
	assert_int_equal(run_hostaudit(bad_now, NULL, &err), 2);
	assert_non_null(strstr(err, "--now 'tomorrow'"));
	free(err);
	const char *bad_root[] = {"run", "--root", "/nonexistent", NULL};
	assert_int_equal(run_hostaudit(bad_root, NULL, &err), 2);
	free(err);
}

/* As root, a rule pack others can write is refused. */
static void refuses_writable_rules_as_root(void **state)
{
	(void)state;
	if (geteuid() != 0)
		skip();
	char dir[256];
	snprintf(dir, sizeof dir, "%s", make_temp_dir());
	char path[300];
	snprintf(path, sizeof path, "%s/nisc-9.yaml", dir);
	FILE *in = fopen(RULES "/nisc-9.yaml", "r"), *o = fopen(path, "w");
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		fwrite(buf, 1, n, o);
	fclose(in);
	fclose(o);
	chmod(path, 0666);
	char *err;
	const char *argv[] = {"run", "-c", empty_config(), "-r", path, NULL};
	assert_int_equal(run_hostaudit(argv, NULL, &err), 2);
	assert_non_null(strstr(err, "refusing a file writable by every user"));
	free(err);
}

/* Inputs that are not what they should be: exit 2, one line naming the
 * path and what is wrong with it, no report. */
static void expect_input_error(const char *const argv[], const char *needle1,
			       const char *needle2)
{
	char *out, *err;
	assert_int_equal(run_hostaudit(argv, &out, &err), 2);
	assert_string_equal(out, "");
	assert_non_null(strstr(err, needle1));
	assert_non_null(strstr(err, needle2));
	free(out);
	free(err);
}

static void unusable_inputs_exit_2_naming_the_path(void **state)
{
	(void)state;
	char dir[256], empty[300], cfg[300];
	snprintf(dir, sizeof dir, "%s", make_temp_dir());
	snprintf(empty, sizeof empty, "%s/no-packs", dir);
	assert_int_equal(mkdir(empty, 0700), 0);
	const char *cfg_is_dir[] = {"run", "-c", dir, "-r", RULES, NULL};
	expect_input_error(cfg_is_dir, dir, "is a directory, not a file");
	const char *no_packs[] = {"run", "-c", empty_config(), "-r", empty, NULL};
	expect_input_error(no_packs, empty, "no rule packs (*.yaml) in this directory");
	const char *no_rules[] = {"list", "-c", empty_config(), "-r", "/nonexistent/rules", NULL};
	expect_input_error(no_rules, "/nonexistent/rules", "no such rule pack file or directory");
	const char *pack_is_dir[] = {"validate", empty, NULL};
	expect_input_error(pack_is_dir, empty, "is a directory, not a file");
	/* the attestation file is a directory */
	char body[400];
	snprintf(body, sizeof body, "schema: hostaudit/config/v1\nattestations: %s\n", empty);
	snprintf(cfg, sizeof cfg, "%s", write_temp_file("attest-dir.yaml", body));
	const char *attest_is_dir[] = {"run", "-c", cfg, "-r", RULES, NULL};
	expect_input_error(attest_is_dir, empty, "is a directory, not a file");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(audits_this_machine),
		cmocka_unit_test(text_report_and_exit_codes),
		cmocka_unit_test(output_file_is_private_and_whole),
		cmocka_unit_test(bad_rules_exit_2_without_report),
		cmocka_unit_test(subcommands),
		cmocka_unit_test(options_anywhere),
		cmocka_unit_test(usage_errors_and_help),
		cmocka_unit_test(refuses_writable_rules_as_root),
		cmocka_unit_test(unusable_inputs_exit_2_naming_the_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
