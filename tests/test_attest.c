/* SPDX-License-Identifier: Apache-2.0 */
/* Attestations: the questions agree with the catalogue, good answers
 * become attested facts, stale and "unknown" answers read as unknown, and
 * every bad input stops with file:line:column. `hostaudit attest` works
 * from a pipe and keeps the other answers. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testutil.h"

#include "hostaudit/attest.h"
#include "util.h"

#define QUESTIONS HOSTAUDIT_SOURCE_DIR "/rules/questions/attest.yaml"

static attest_settings *settings(const char *file)
{
	attest_settings *s = xcalloc(1, sizeof *s);
	s->max_age_days = 365;
	s->questions_file = xstrdup(QUESTIONS);
	s->file = file ? xstrdup(file) : NULL;
	return s;
}

static void questions_match_catalogue(void **state)
{
	(void)state;
	attest_settings *s = settings(NULL);
	diag d = {{0}};
	if (attest_load(s, TEST_NOW, &d))
		fail_msg("%s", d.msg);
	size_t attest_facts = 0;
	for (size_t i = 0; i < catalog_count(); i++) {
		const fact_def *f = catalog_at(i);
		if (strncmp(f->name, "attest.", 7))
			continue;
		attest_facts++;
		bool asked = false;
		for (size_t k = 0; k < s->question_count; k++)
			asked |= s->questions[k].fact == f;
		if (!asked)
			fail_msg("catalogue fact %s has no question", f->name);
	}
	assert_int_equal(attest_facts, s->question_count);
	for (size_t k = 0; k < s->question_count; k++) {
		assert_true(s->questions[k].text.ja[0] && s->questions[k].text.en[0]);
		assert_true(s->questions[k].source.ja[0] && s->questions[k].source.en[0]);
	}
	attest_settings_free(s);
}

static const fact *get(const fact_set *fs, const char *name)
{
	const fact *f = fact_get(fs, name);
	assert_non_null(f);
	return f;
}

static void answers_become_attested_facts(void **state)
{
	(void)state;
	attest_settings *s = settings(HOSTAUDIT_SOURCE_DIR "/tests/fixtures/attest/sample.yaml");
	diag d = {{0}};
	if (attest_load(s, TEST_NOW, &d))
		fail_msg("%s", d.msg);
	fact_set *fs = fact_set_new();
	attest_record(s, TEST_NOW, fs);
	const fact *f = get(fs, "attest.password_secrecy");
	assert_int_equal(f->state, FACT_KNOWN);
	assert_string_equal(f->v.s, "yes");
	assert_true(f->attested);
	assert_non_null(strstr(f->evidence, "<b>Sato</b> & Co on 2026-04-01"));
	assert_non_null(strstr(f->evidence, "sample.yaml:4"));
	f = get(fs, "attest.trusted_shops");
	assert_string_equal(f->v.s, "partly");
	/* Older than max_age_days: stale, unknown, with that reason. */
	f = get(fs, "attest.security_training");
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_non_null(strstr(f->reason, "stale"));
	assert_non_null(strstr(f->reason, "365 days"));
	assert_true(f->attested);
	/* "I don't know" is an answer, and reads as unknown. */
	f = get(fs, "attest.help_contact");
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_non_null(strstr(f->reason, "answered 'unknown'"));
	/* Not answered at all. */
	f = get(fs, "attest.nda_clauses");
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_non_null(strstr(f->reason, "not attested"));
	assert_false(f->attested);
	/* A shorter max age makes a recent answer stale too. */
	s->max_age_days = 30;
	fact_set_free(fs);
	fs = fact_set_new();
	attest_record(s, TEST_NOW, fs);
	assert_int_equal(get(fs, "attest.password_secrecy")->state, FACT_UNKNOWN);
	assert_int_equal(get(fs, "attest.threat_info_shared")->state, FACT_KNOWN);
	fact_set_free(fs);
	attest_settings_free(s);
}

/* Loads text as an attestation file and expects an error containing
 * each needle. */
static void expect_error(const char *yaml, const char *needle1, const char *needle2)
{
	const char *path = write_temp_file("attestations.yaml", yaml);
	attest_settings *s = settings(path);
	diag d = {{0}};
	if (attest_load(s, TEST_NOW, &d) == 0)
		fail_msg("accepted: %s", yaml);
	if (!strstr(d.msg, needle1) || (needle2 && !strstr(d.msg, needle2)))
		fail_msg("error '%s' lacks '%s' / '%s'", d.msg, needle1, needle2 ? needle2 : "");
	attest_settings_free(s);
}

#define HEAD "schema: hostaudit/attestations/v1\nattestations:\n"

static void bad_inputs_name_file_line_column(void **state)
{
	(void)state;
	expect_error(HEAD "  - {question: security_trainin, answer: yes, who: A, when: 2026-01-01}\n",
		     "attestations.yaml:3:16: unknown question 'security_trainin'",
		     "did you mean 'security_training'");
	expect_error(HEAD "  - question: security_training\n    answer: yes\n    when: 2026-01-01\n",
		     "attestations.yaml:3:5:", "needs 'who'");
	expect_error(HEAD "  - question: security_training\n    answer: yes\n    who: A\n",
		     "attestations.yaml:3:5:", "needs 'when'");
	expect_error(HEAD "  - {question: office_entry, answer: yes, who: A, when: 2026-12-24}\n",
		     "attestations.yaml:3:57: when 2026-12-24 is in the future", NULL);
	expect_error(HEAD "  - {question: office_entry, answer: yess, who: A, when: 2026-01-01}\n",
		     "attestations.yaml:3:38: answer 'yess' is not one of yes, partly, no, unknown",
		     "did you mean 'yes'");
	expect_error(HEAD "  - {question: office_entry, answer: maybe, who: A, when: 2026-01-01}\n",
		     "answer 'maybe'", NULL);
	expect_error(HEAD "  - {question: office_entry, answer: yes, who: A, when: 2026-02-30}\n",
		     "attestations.yaml:3:57: when: there is no such day in the calendar", NULL);
	expect_error(HEAD "  - {question: office_entry, answer: yes, who: A, when: 2026-04-31}\n",
		     "attestations.yaml:3:57: when: there is no such day in the calendar", NULL);
	expect_error(HEAD "  - {question: office_entry, answer: yes, who: A, when: 26/01/01}\n",
		     "when must be a date YYYY-MM-DD", NULL);
	expect_error(HEAD "  - {question: office_entry, answer: yes, who: '', when: 2026-01-01}\n",
		     "'who' must not be empty", NULL);
	expect_error(HEAD "  - {question: office_entry, answer: yes, who: A, when: 2026-01-01}\n"
			  "  - {question: office_entry, answer: no, who: B, when: 2026-02-01}\n",
		     "attestations.yaml:4:16: question 'office_entry' is answered twice (first at "
		     "line 3)", NULL);
	expect_error(HEAD "  - {question: office_entry, anser: yes, who: A, when: 2026-01-01}\n",
		     "unknown key 'anser'", "did you mean 'answer'");
	expect_error("schema: hostaudit/attestations/v9\n",
		     "1:9: the schema is not 'hostaudit/attestations/v1'", NULL);
}

static const char *site_config(const char *attest_path)
{
	static char cfg[512];
	char *cfg_text = xasprintf("schema: hostaudit/config/v1\nattestations:\n  file: %s\n  "
			       "questions: " QUESTIONS "\n", attest_path);
	snprintf(cfg, sizeof cfg, "%s", write_temp_file("hostaudit.yaml", cfg_text));
	free(cfg_text);
	return cfg;
}

static void bad_file_stops_the_run_with_exit_2(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s",
		 write_temp_file("a.yaml", HEAD "  - {question: nope, answer: yes, who: A, when: "
						"2026-01-01}\n"));
	const char *argv[] = {"run", "-c", site_config(path), "-r", HOSTAUDIT_SOURCE_DIR "/rules",
			      "--now", "2026-11-26", NULL};
	char *err = NULL;
	assert_int_equal(run_hostaudit(argv, NULL, &err), 2);
	assert_non_null(strstr(err, "a.yaml:3:16: unknown question 'nope'"));
	free(err);
	const char *validate[] = {"validate", path, NULL};
	assert_int_equal(run_hostaudit(validate, NULL, &err), 2);
	assert_non_null(strstr(err, "a.yaml:3:16: unknown question 'nope'"));
	free(err);
	char *out = NULL;
	const char *good[] = {"validate", HOSTAUDIT_SOURCE_DIR "/tests/fixtures/attest/sample.yaml",
			      NULL};
	assert_int_equal(run_hostaudit(good, &out, NULL), 0);
	assert_non_null(strstr(out, "ok (attestations, 6 answers)"));
	free(out);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char *buf = xcalloc(1, 65536);
	size_t n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void attest_command_from_a_pipe(void **state)
{
	(void)state;
	char path[256];
	snprintf(path, sizeof path, "%s/attestations.yaml", make_temp_dir());
	FILE *f = fopen(path, "w");
	fputs(HEAD "  - {question: nda_clauses, answer: yes, who: Legal, when: 2026-03-01, note: "
		   "\"standard contract\"}\n", f);
	fclose(f);
	const char *argv[] = {"attest", "-c", site_config(path), "--now", "2026-11-26",
			      "--lang", "ja", NULL};
	/* Name; Q1 yes with a note; Q2 skipped; Q3 "partly" in Japanese after
	 * a wrong answer; then the input ends. */
	char *out = NULL;
	assert_int_equal(run_hostaudit_input(argv, "山田 太郎 (情報システム)\ny\n\"ポスター\" 掲示\n\n"
					      "かも\n一部\n\n", &out, NULL), 0);
	assert_non_null(strstr(out, "誰にもログインIDとパスワードを教えない"));
	assert_non_null(strstr(out, "回答: y = 実施"));
	assert_non_null(strstr(out, "「かも」はこの質問への回答として使えません"));
	assert_non_null(strstr(out, "2 件の回答を"));
	free(out);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	char *written = slurp(path);
	assert_non_null(strstr(written, "question: password_secrecy\n    answer: yes\n    who: \"山田 "
				     "太郎 (情報システム)\"\n    when: 2026-11-26\n    note: "
				     "\"\\\"ポスター\\\" 掲示\""));
	assert_non_null(strstr(written, "question: trusted_shops\n    answer: partly"));
	assert_null(strstr(written, "attachment_caution"));
	/* The other answer is kept. */
	assert_non_null(strstr(written, "question: nda_clauses\n    answer: yes\n    who: \"Legal\""));
	free(written);
	/* What was written reads back, and is no longer asked. */
	attest_settings *s = settings(path);
	diag d = {{0}};
	if (attest_load(s, TEST_NOW, &d))
		fail_msg("%s", d.msg);
	assert_int_equal(s->entry_count, 3);
	attest_settings_free(s);
	assert_int_equal(run_hostaudit_input(argv, "", &out, NULL), 2); /* no name: nothing recorded */
	free(out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(questions_match_catalogue),
		cmocka_unit_test(answers_become_attested_facts),
		cmocka_unit_test(bad_inputs_name_file_line_column),
		cmocka_unit_test(bad_file_stops_the_run_with_exit_2),
		cmocka_unit_test(attest_command_from_a_pipe),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
