/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's self-assessment (docs/organisation.md): the placement
 * rule on a table of fixtures, one per category and at the borders between
 * them; stale, missing and "unknown" answers give unknown, never a guessed
 * category; every bad questionnaire or answers file stops with exit 2 and
 * file:line:column; the text in both languages matches the golden files;
 * `hostaudit org attest` works through a pipe, asking a bad answer again;
 * and `hostaudit run` with `organisation:` applies the organisation's
 * answers to the host's org items (the host's own answer wins) and shows
 * the category in the report. */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <jansson.h>

#include "testutil.h"

#include "hostaudit/org.h"
#include "hostaudit/report.h"
#include "util.h"

#define QUESTIONNAIRE HOSTAUDIT_SOURCE_DIR "/rules/org/organisation.yaml"
#define ANSWERS HOSTAUDIT_SOURCE_DIR "/tests/fixtures/org/answers.yaml"
#define DAY 86400LL

static org_questionnaire *load_questionnaire(void)
{
	diag d = {{0}};
	org_questionnaire *q = org_questions_load(QUESTIONNAIRE, NULL, &d);
	if (!q)
		fail_msg("%s", d.msg);
	return q;
}

/* ---- the questionnaire itself ---- */

static void questionnaire_is_complete(void **state)
{
	(void)state;
	org_questionnaire *q = load_questionnaire();
	assert_int_equal(q->category_count, 6);
	for (size_t i = 0; org_category_ids[i]; i++) {
		const org_category *c = org_category_find(q, org_category_ids[i]);
		assert_non_null(c);
		assert_true(c->measure_count > 0 && c->document_count > 0);
		assert_true(c->label.ja[0] && c->approach.en[0] && c->approach.ja[0]);
	}
	size_t directives = 0, items = 0;
	for (size_t i = 0; i < q->question_count; i++) {
		directives += q->questions[i].axis == ORG_AXIS_DIRECTIVE;
		items += q->questions[i].axis == ORG_AXIS_ORG_ITEM;
		assert_true(q->questions[i].text.en[0] && q->questions[i].text.ja[0]);
	}
	assert_int_equal(directives, 10);
	/* IPA self-check 19-25, the 9 articles 3/4/6/9, the 5 articles 5. */
	assert_int_equal(items, 12);
	assert_int_equal(q->max_age_days, 365);
	org_questions_free(q);
}

/* ---- the placement rule, table-driven ---- */

typedef struct answer_row {
	const char *question;
	answer ans;
	int days_ago; /* 0: today */
} answer_row;

/* A company whose every answer is known and that is "more active":
 * measures sufficient, IT not (fully) in the strategy. Each case changes
 * a few of these. */
static const answer_row base[] = {
	{"it_used", ANSWER_YES, 10},	     {"it_in_strategy", ANSWER_PARTLY, 10},
	{"data_used", ANSWER_YES, 10},	     {"security_needed", ANSWER_YES, 10},
	{"security_strength", ANSWER_YES, 10}, {"all_info_secret", ANSWER_NO, 10},
	{"it_kept_minimal", ANSWER_NO, 10},  {"rules_hinder_work", ANSWER_NO, 10},
	{"spend_unweighed", ANSWER_NO, 10},  {"directive_1", ANSWER_YES, 10},
	{"directive_2", ANSWER_YES, 10},     {"directive_3", ANSWER_YES, 10},
	{"directive_4", ANSWER_YES, 10},     {"directive_5", ANSWER_YES, 10},
	{"directive_6", ANSWER_YES, 10},     {"directive_7", ANSWER_YES, 10},
	{"directive_8", ANSWER_YES, 10},     {"directive_9", ANSWER_YES, 10},
	{"directive_10", ANSWER_YES, 10},    {"password_secrecy", ANSWER_YES, 10},
	{"attachment_caution", ANSWER_YES, 10}, {"trusted_shops", ANSWER_YES, 10},
	{"help_contact", ANSWER_YES, 10},    {"threat_info_shared", ANSWER_YES, 10},
	{"confidentiality", ANSWER_YES, 10}, {"security_training", ANSWER_YES, 10},
	{"personal_devices", ANSWER_YES, 10}, {"nda_clauses", ANSWER_YES, 10},
	{"external_services", ANSWER_YES, 10}, {"incident_response", ANSWER_YES, 10},
	{"security_rules", ANSWER_YES, 10},
};

#define DROP ANSWER_COUNT /* in a case: remove the base answer */
#define MAX_CHANGES 16

typedef struct placement_case {
	const char *name;
	answer_row changes[MAX_CHANGES]; /* days_ago < 0: not answered at all */
	double compliance;		 /* < 0: not measured */
	const char *expect;		 /* a category id, or "unknown" */
	const char *reason_has;		 /* for unknown: part of the English reason */
} placement_case;

static void put(org_answers *a, const char *qid, answer ans, int days_ago)
{
	org_answer e = {
		.question = xstrdup(qid),
		.ans = ans,
		.who = xstrdup("Test (CEO)"),
		.when_epoch = TEST_NOW - days_ago * DAY,
	};
	char date[32];
	format_time_utc(e.when_epoch, date, sizeof date);
	date[10] = '\0';
	e.when = xstrdup(date);
	org_answer_put(a, &e);
}

static void drop(org_answers *a, const char *qid)
{
	for (size_t i = 0; i < a->entry_count; i++)
		if (!strcmp(a->entries[i].question, qid)) {
			org_answer_free(&a->entries[i]);
			a->entries[i] = a->entries[--a->entry_count];
			return;
		}
}

static const placement_case cases[] = {
	{"base: measures sufficient, IT not fully in the strategy", {{0}}, 85, "more-active",
	 NULL},
	{"no IT", {{"it_used", ANSWER_NO, 3}}, -1, "no-it", NULL},
	/* Decided by it_used alone: nothing else is needed. */
	{"no IT, nothing else answered",
	 {{"it_used", ANSWER_NO, 3}, {"security_needed", DROP, 0}, {"directive_1", DROP, 0}},
	 -1, "no-it", NULL},
	{"management does not see the need", {{"security_needed", ANSWER_NO, 1}}, 95,
	 "danger-unaware", NULL},
	{"no resources and org items below half",
	 {{"directive_3", ANSWER_NO, 1}, {"password_secrecy", ANSWER_NO, 1},
	  {"attachment_caution", ANSWER_NO, 1}, {"trusted_shops", ANSWER_NO, 1},
	  {"help_contact", ANSWER_NO, 1}, {"threat_info_shared", ANSWER_NO, 1},
	  {"confidentiality", ANSWER_NO, 1}, {"security_training", ANSWER_PARTLY, 1}},
	 95, "danger-unaware", NULL},
	/* 6 of 12 no, one partly: 45.8% < 50 above; here 6 no: exactly 50%. */
	{"border: no resources, org items exactly half done",
	 {{"directive_3", ANSWER_NO, 1}, {"password_secrecy", ANSWER_NO, 1},
	  {"attachment_caution", ANSWER_NO, 1}, {"trusted_shops", ANSWER_NO, 1},
	  {"help_contact", ANSWER_NO, 1}, {"threat_info_shared", ANSWER_NO, 1},
	  {"confidentiality", ANSWER_NO, 1}},
	 95, "danger-unprepared", NULL},
	{"compliance below 80", {{0}}, 79.9, "danger-unprepared", NULL},
	{"border: compliance exactly 80", {{0}}, 80, "more-active", NULL},
	/* 10 yes + 2 partly = 91.7%; 7 yes + 5 partly = 79.2% < 80. */
	{"org items below 80",
	 {{"password_secrecy", ANSWER_PARTLY, 1}, {"attachment_caution", ANSWER_PARTLY, 1},
	  {"trusted_shops", ANSWER_PARTLY, 1}, {"help_contact", ANSWER_PARTLY, 1},
	  {"threat_info_shared", ANSWER_PARTLY, 1}},
	 85, "danger-unprepared", NULL},
	{"directives below 60: 5 of 10 yes, 1 partly = 55%",
	 {{"directive_1", ANSWER_NO, 1}, {"directive_2", ANSWER_NO, 1},
	  {"directive_4", ANSWER_NO, 1}, {"directive_8", ANSWER_NO, 1},
	  {"directive_9", ANSWER_PARTLY, 1}},
	 85, "danger-unprepared", NULL},
	{"border: directives exactly 60: 6 of 10 yes",
	 {{"directive_1", ANSWER_NO, 1}, {"directive_2", ANSWER_NO, 1},
	  {"directive_4", ANSWER_NO, 1}, {"directive_8", ANSWER_NO, 1}},
	 85, "more-active", NULL},
	{"two signs of over-restriction",
	 {{"all_info_secret", ANSWER_YES, 1}, {"it_kept_minimal", ANSWER_YES, 1}}, 85,
	 "wasteful", NULL},
	{"border: one sign is not wasteful", {{"all_info_secret", ANSWER_YES, 1}}, 95,
	 "more-active", NULL},
	/* Gaps come first: never tell a company with gaps to spend less. */
	{"over-restricted but measures insufficient",
	 {{"all_info_secret", ANSWER_YES, 1}, {"rules_hinder_work", ANSWER_YES, 1}}, 60,
	 "danger-unprepared", NULL},
	{"ideal", {{"it_in_strategy", ANSWER_YES, 1}}, 92, "ideal", NULL},
	{"border: ideal but compliance 89.9", {{"it_in_strategy", ANSWER_YES, 1}}, 89.9,
	 "more-active", NULL},
	{"border: ideal but one restriction sign",
	 {{"it_in_strategy", ANSWER_YES, 1}, {"spend_unweighed", ANSWER_YES, 1}}, 92,
	 "more-active", NULL},
	{"border: ideal but directive 6 only partly",
	 {{"it_in_strategy", ANSWER_YES, 1}, {"directive_6", ANSWER_PARTLY, 1}}, 92,
	 "more-active", NULL},
	/* Unknown, never guessed. */
	{"missing: IT use not answered", {{"it_used", DROP, 0}}, 85, "unknown",
	 "Out of scope (no IT)"},
	{"stale: IT use answered 400 days ago", {{"it_used", ANSWER_YES, 400}}, 85, "unknown",
	 "stale: answered “yes” by Test (CEO) on 2025-10-22, more than 365 days ago"},
	{"border: 365 days ago is still current", {{"it_used", ANSWER_YES, 365}}, 85,
	 "more-active", NULL},
	{"answered don't know", {{"security_needed", ANSWER_UNKNOWN, 1}}, 85, "unknown",
	 "answered “don't know”"},
	{"compliance not measured", {{0}}, -1, "unknown", "not measured"},
	/* A range decides when it lies on one side of the border: 11 of 12
	 * yes with one open is 91.7% to 100%, above 80 either way. */
	{"one org item open still decides", {{"security_rules", DROP, 0}}, 85, "more-active",
	 NULL},
	/* 9 yes + 3 open: 75% to 100%, straddles 80. */
	{"three org items open straddle the border",
	 {{"security_rules", DROP, 0}, {"nda_clauses", DROP, 0}, {"external_services", DROP, 0}},
	 85, "unknown", "3 not answered"},
};

static void placement_table(void **state)
{
	(void)state;
	org_questionnaire *q = load_questionnaire();
	for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
		const placement_case *pc = &cases[c];
		org_answers a = {0};
		for (size_t i = 0; i < sizeof base / sizeof base[0]; i++)
			put(&a, base[i].question, base[i].ans, base[i].days_ago);
		for (size_t i = 0; i < MAX_CHANGES && pc->changes[i].question; i++) {
			if (pc->changes[i].ans == DROP)
				drop(&a, pc->changes[i].question);
			else
				put(&a, pc->changes[i].question, pc->changes[i].ans,
				    pc->changes[i].days_ago);
		}
		org_measured m = {.known = pc->compliance >= 0, .low = pc->compliance,
				  .high = pc->compliance};
		json_t *p = org_place(q, &a, &m, TEST_NOW);
		const char *got = json_string_value(json_object_get(p, "category"));
		if (strcmp(got, pc->expect))
			fail_msg("%s: placed '%s', expected '%s'", pc->name, got, pc->expect);
		if (!strcmp(pc->expect, "unknown")) {
			const char *why = json_string_value(
				json_object_get(json_object_get(p, "unknown_reason"), "en"));
			assert_non_null(why);
			assert_non_null(json_string_value(
				json_object_get(json_object_get(p, "unknown_reason"), "ja")));
			if (!strstr(why, pc->reason_has))
				fail_msg("%s: reason '%s' lacks '%s'", pc->name, why, pc->reason_has);
			assert_null(json_object_get(p, "label"));
		} else {
			/* What decided it, its measures and documents are there. */
			assert_true(json_array_size(json_object_get(p, "measures")) > 0);
			assert_true(json_array_size(json_object_get(p, "documents")) > 0);
			assert_non_null(json_object_get(p, "next"));
		}
		json_decref(p);
		org_answers_free(&a);
	}
	org_questions_free(q);
}

static void nothing_answered_is_unknown(void **state)
{
	(void)state;
	org_questionnaire *q = load_questionnaire();
	org_answers a = {0};
	org_measured m = {.known = true, .low = 100, .high = 100};
	json_t *p = org_place(q, &a, &m, TEST_NOW);
	assert_string_equal(json_string_value(json_object_get(p, "category")), "unknown");
	assert_string_equal(json_string_value(json_object_get(json_object_get(
				    json_object_get(p, "answers"), "it_used"), "state")),
			    "missing");
	json_decref(p);
	org_questions_free(q);
}

/* The next step names the conditions that must stop holding. */
static void next_step_names_what_decided(void **state)
{
	(void)state;
	org_questionnaire *q = load_questionnaire();
	org_answers a = {0};
	diag d = {{0}};
	if (org_answers_load(&a, q, ANSWERS, TEST_NOW, &d))
		fail_msg("%s", d.msg);
	org_measured m = {.known = true, .low = 72.5, .high = 72.5};
	json_t *p = org_place(q, &a, &m, TEST_NOW);
	assert_string_equal(json_string_value(json_object_get(p, "category")), "danger-unprepared");
	json_t *next = json_object_get(p, "next");
	assert_string_equal(json_string_value(json_object_get(next, "category")), "more-active");
	json_t *nl = json_object_get(next, "no_longer");
	assert_int_equal(json_array_size(nl), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(nl, 0), "figure")),
			    "compliance");
	/* Stale answer (2025-06-01) reads as stale in the answers. */
	assert_string_equal(json_string_value(json_object_get(json_object_get(
				    json_object_get(p, "answers"), "incident_response"), "state")),
			    "stale");
	json_decref(p);
	org_answers_free(&a);
	org_questions_free(q);
}

/* ---- golden text, both languages ---- */

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = xcalloc(1, 1 << 17);
	size_t n = fread(buf, 1, (1 << 17) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void golden(const char *lang)
{
	org_questionnaire *q = load_questionnaire();
	org_answers a = {0};
	diag d = {{0}};
	if (org_answers_load(&a, q, ANSWERS, TEST_NOW, &d))
		fail_msg("%s", d.msg);
	org_measured m = {.known = true, .low = 72.5, .high = 72.5};
	snprintf(m.source, sizeof m.source, "the fleet: mean of 3 hosts' latest scores");
	snprintf(m.source_ja, sizeof m.source_ja, "組織全体: 3 台の最新スコアの平均");
	json_t *p = org_place(q, &a, &m, TEST_NOW);
	/* Last year: the same company, placed unknown. */
	org_answers none = {0};
	json_t *prev = org_place(q, &none, NULL, TEST_NOW - 365 * DAY);
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	org_render_text(mem, p, prev, lang);
	fclose(mem);
	char path[512];
	snprintf(path, sizeof path, HOSTAUDIT_SOURCE_DIR "/tests/golden/org.%s.txt", lang);
	if (getenv("HOSTAUDIT_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "w");
		assert_non_null(f);
		fwrite(buf, 1, len, f);
		fclose(f);
	}
	char *want = slurp(path);
	assert_non_null(want);
	assert_string_equal(buf, want);
	/* Every line fits 80 columns. */
	for (char *line = strtok(buf, "\n"); line; line = strtok(NULL, "\n"))
		if (utf8_display_width(line) > 80)
			fail_msg("wider than 80 columns: %s", line);
	free(want);
	free(buf);
	json_decref(p);
	json_decref(prev);
	org_answers_free(&a);
	org_questions_free(q);
}

static void golden_en(void **state)
{
	(void)state;
	golden("en");
}

static void golden_ja(void **state)
{
	(void)state;
	golden("ja");
}

/* ---- bad input: exit 2 and file:line:column ---- */

typedef struct bad_case {
	const char *what;
	const char *yaml;
	const char *message; /* after "PATH:" */
} bad_case;

#define QHEAD "schema: hostaudit/org-questions/v1\n"

static const bad_case bad_questionnaires[] = {
	{"wrong schema", "schema: hostaudit/org-questions/v9\n",
	 "1:9: schema 'hostaudit/org-questions/v9' is not supported (this version reads "
	 "'hostaudit/org-questions/v1')"},
	{"unknown top-level key", QHEAD "question: []\n",
	 "2:1: unknown key 'question' in the questionnaire (did you mean 'questions'?)"},
	{"no categories", QHEAD "documents: []\nquestions: []\nfigures: []\n",
	 "1:1: no 'categories'"},
	{"question without Japanese",
	 QHEAD "documents: []\nfigures: []\ncategories: []\nquestions:\n"
	       "  - id: q1\n    axis: it-use\n    label: {en: a}\n    text: {en: a, ja: b}\n",
	 "8:12: label needs both 'en' and 'ja'"},
	{"bad axis",
	 QHEAD "documents: []\nfigures: []\ncategories: []\nquestions:\n"
	       "  - id: q1\n    axis: it_use\n",
	 "7:11: axis 'it_use' is not one of it-use, security, restriction, directive (did "
	 "you mean 'it-use'?)"},
	{"figure over an unknown question",
	 QHEAD "documents: []\ncategories: []\nquestions: []\nfigures:\n"
	       "  - id: f\n    label: {en: a, ja: b}\n    share_of: [nope]\n",
	 "8:16: share_of: unknown question 'nope'"},
	{"category not one of the six",
	 QHEAD "documents: []\nquestions: []\nfigures: []\ncategories:\n  - id: ok\n",
	 "6:9: category 'ok' is not one of the six (ideal, more-active, wasteful, "
	 "danger-unprepared, danger-unaware, no-it)"},
	{"org item not an attestation question",
	 QHEAD "documents: []\nquestions: []\nfigures: []\ncategories: []\n"
	       "org_items: [security_trainin]\n",
	 "6:13: org_items: 'security_trainin' is not a question of " HOSTAUDIT_SOURCE_DIR
	 "/rules/questions/attest.yaml (did you mean 'security_training'?)"},
	{"a border above 100",
	 QHEAD "documents: []\nquestions: []\nfigures:\n  - id: f\n    label: {en: a, ja: b}\n"
	       "    measured: compliance\ncategories:\n  - id: no-it\n"
	       "    label: {en: a, ja: b}\n    who: {en: a, ja: b}\n"
	       "    approach: {en: a, ja: b}\n    next_steps: {en: a, ja: b}\n"
	       "    measures: [{en: a, ja: b}]\n    when: [{figure: f, at_least: 101}]\n",
	 "15:34: a border must be 0 to 100, not 101"},
};

static const bad_case bad_answers[] = {
	{"wrong schema", "schema: hostaudit/org-answers/v2\n",
	 "1:9: schema 'hostaudit/org-answers/v2' is not supported (this version reads "
	 "'hostaudit/org-answers/v1')"},
	{"unknown question",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: directive_11\n"
	 "    answer: yes\n    who: a\n    when: 2026-01-01\n",
	 "3:15: unknown question 'directive_11' (did you mean 'directive_1'?)"},
	{"bad answer word",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: it_used\n"
	 "    answer: yess\n    who: a\n    when: 2026-01-01\n",
	 "4:13: answer 'yess' is not one of yes, partly, no, unknown (did you mean 'yes'?)"},
	{"no who",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: it_used\n"
	 "    answer: yes\n    when: 2026-01-01\n",
	 "3:5: an answer needs 'who' (question, answer, who, when)"},
	{"date in the future",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: it_used\n"
	 "    answer: yes\n    who: a\n    when: 2099-01-01\n",
	 "6:11: when 2099-01-01 is in the future: an answer is dated the day it was given"},
	{"not a date",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: it_used\n"
	 "    answer: yes\n    who: a\n    when: 1 April\n",
	 "6:11: when must be a date YYYY-MM-DD, not '1 April'"},
	{"answered twice",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: it_used\n"
	 "    answer: yes\n    who: a\n    when: 2026-01-01\n  - question: it_used\n"
	 "    answer: no\n    who: a\n    when: 2026-01-01\n",
	 "7:15: question 'it_used' is answered twice (first at line 3)"},
	{"evidence path without its hash",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: directive_1\n"
	 "    answer: yes\n    who: a\n    when: 2026-01-01\n    evidence:\n"
	 "      title: Policy\n      path: /srv/policy.pdf\n",
	 "8:7: evidence with a 'path' needs its 'sha256'"},
	{"evidence hash not hex",
	 "schema: hostaudit/org-answers/v1\nanswers:\n  - question: directive_1\n"
	 "    answer: yes\n    who: a\n    when: 2026-01-01\n    evidence:\n"
	 "      title: Policy\n      url: https://example.invalid/p\n      sha256: XYZ\n",
	 "10:15: sha256 must be 64 lower-case hex digits"},
};

static void check_bad(const bad_case *cases_, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++) {
		const char *path = write_temp_file(name, cases_[i].yaml);
		const char *argv[] = {"validate", path, NULL};
		char *out = NULL, *err = NULL;
		int rc = run_hostaudit(argv, &out, &err);
		char want[1200];
		snprintf(want, sizeof want, "%s:%s\n", path, cases_[i].message);
		if (rc != 2 || strcmp(err, want))
			fail_msg("%s: exit %d, stderr '%s', wanted '%s'", cases_[i].what, rc, err,
				 want);
		free(out);
		free(err);
	}
}

static void bad_questionnaire_catalogue(void **state)
{
	(void)state;
	check_bad(bad_questionnaires, sizeof bad_questionnaires / sizeof bad_questionnaires[0],
		  "organisation.yaml");
}

static void bad_answers_catalogue(void **state)
{
	(void)state;
	check_bad(bad_answers, sizeof bad_answers / sizeof bad_answers[0], "answers.yaml");
}

/* ---- hostaudit org attest through a pipe ---- */

static void org_attest_from_a_pipe(void **state)
{
	(void)state;
	char answers[300];
	snprintf(answers, sizeof answers, "%s/answers.yaml", make_temp_dir());
	/* name, organisation, it_used: はい + note, it_in_strategy: "たぶん"
	 * (asked again) then 一部 + note, data_used skipped, security_needed
	 * n + note, then the input ends. */
	const char *argv[] = {"org", "attest", "--now", "2026-11-26", "--lang", "ja", answers,
			      NULL};
	char *out = NULL;
	assert_int_equal(run_hostaudit_input(argv, "山田 太郎 (社長)\n株式会社テスト\nはい\n\n"
					      "たぶん\n一部\n中期計画に記載\n\nn\n\n", &out, NULL), 0);
	assert_non_null(strstr(out, "「たぶん」はこの質問への回答として使えません。"));
	assert_non_null(strstr(out, "3 件の回答を"));
	char *file = slurp(answers);
	assert_non_null(file);
	assert_non_null(strstr(file, "organisation: \"株式会社テスト\""));
	assert_non_null(strstr(file, "  - question: it_used\n    answer: yes\n"
				     "    who: \"山田 太郎 (社長)\"\n    when: 2026-11-26\n"));
	assert_non_null(strstr(file, "  - question: it_in_strategy\n    answer: partly\n"));
	assert_non_null(strstr(file, "    note: \"中期計画に記載\"\n"));
	assert_null(strstr(file, "data_used"));
	assert_non_null(strstr(file, "  - question: security_needed\n    answer: no\n"));
	struct stat st;
	assert_int_equal(stat(answers, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	free(file);
	free(out);
	/* The file it wrote reads back, and a second run keeps the answers
	 * and asks only the open questions (31 - 3). */
	const char *show[] = {"org", "attest", "--now", "2026-11-26", answers, NULL};
	assert_int_equal(run_hostaudit_input(show, "", &out, NULL), 2); /* no name: nothing recorded */
	assert_non_null(strstr(out, "28 question(s) need an answer."));
	free(out);
	file = slurp(answers);
	assert_non_null(strstr(file, "security_needed"));
	free(file);
}

/* directive_1's evidence check in `hostaudit org show -f json`. */
static const char *evidence_check_of(const char *answers)
{
	static char check[32];
	const char *argv[] = {"org", "show", "--now", "2026-11-26", "-r",
			      HOSTAUDIT_SOURCE_DIR "/rules", "--root",
			      HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak", "-f", "json",
			      answers, NULL};
	char *out = NULL;
	assert_int_equal(run_hostaudit(argv, &out, NULL), 0);
	json_error_t je;
	json_t *p = json_loads(out, 0, &je);
	assert_non_null(p);
	const char *c = json_string_value(json_object_get(
		json_object_get(json_object_get(json_object_get(p, "answers"), "directive_1"),
				"evidence"),
		"check"));
	snprintf(check, sizeof check, "%s", c ? c : "(none)");
	json_decref(p);
	free(out);
	return check;
}

static void org_attest_evidence_is_hashed(void **state)
{
	(void)state;
	char dir[300], answers[400], doc[400];
	snprintf(dir, sizeof dir, "%s", make_temp_dir());
	snprintf(answers, sizeof answers, "%s/answers.yaml", dir);
	snprintf(doc, sizeof doc, "%s/policy.txt", dir);
	FILE *f = fopen(doc, "w");
	assert_non_null(f);
	fputs("policy\n", f);
	fclose(f);
	/* Seed every question but directive_1 with a current answer, so the
	 * run asks only that one. */
	org_questionnaire *q = load_questionnaire();
	org_answers a = {0};
	for (size_t i = 0; i < q->question_count; i++)
		if (strcmp(q->questions[i].id, "directive_1"))
			put(&a, q->questions[i].id, ANSWER_YES, 1);
	a.organisation = xstrdup("X");
	char *yaml = org_answers_serialise(&a, q);
	f = fopen(answers, "w");
	fputs(yaml, f);
	fclose(f);
	free(yaml);
	org_answers_free(&a);
	org_questions_free(q);
	char input[1000];
	/* A path that does not exist is asked again. */
	snprintf(input, sizeof input, "Sato (CISO)\ny\n/nonexistent/policy\n%s\nBasic policy\n\n",
		 doc);
	const char *argv[] = {"org", "attest", "--now", "2026-11-26", answers, NULL};
	char *out = NULL;
	assert_int_equal(run_hostaudit_input(argv, input, &out, NULL), 0);
	assert_non_null(strstr(out, "cannot read /nonexistent/policy"));
	char *file = slurp(answers);
	/* sha256("policy\n") */
	assert_non_null(strstr(file, "      title: \"Basic policy\"\n"));
	assert_non_null(strstr(file, "      sha256: "
				     "c82fc52c78bf8154d4dd7d8766c422ab151052d72098d72ded237aafcd78e4e0\n"));
	free(file);
	free(out);
	/* org show checks the document is still the one vouched for. */
	assert_string_equal(evidence_check_of(answers), "matches");
	f = fopen(doc, "a");
	fputs("amended\n", f);
	fclose(f);
	assert_string_equal(evidence_check_of(answers), "differs");
	unlink(doc);
	assert_string_equal(evidence_check_of(answers), "unreadable");
}

/* ---- hostaudit run with organisation: ---- */

static void run_applies_org_items(void **state)
{
	(void)state;
	char cfg[600];
	snprintf(cfg, sizeof cfg,
		 "schema: hostaudit/config/v1\nattestations:\n  file: %s/tests/fixtures/attest/"
		 "sample.yaml\norganisation:\n  answers_file: %s\n",
		 HOSTAUDIT_SOURCE_DIR, ANSWERS);
	const char *path = write_temp_file("site.yaml", cfg);
	const char *argv[] = {"run", "-c", path, "-r", HOSTAUDIT_SOURCE_DIR "/rules", "--root",
			      HOSTAUDIT_SOURCE_DIR "/tests/fixtures/roots/password-weak", "--now",
			      "2026-11-26", "-f", "json", NULL};
	char *out = NULL, *err = NULL;
	int rc = run_hostaudit(argv, &out, &err);
	if (rc != 1 && rc != 3 && rc != 0)
		fail_msg("exit %d: %s", rc, err);
	json_error_t je;
	json_t *rep = json_loads(out, 0, &je);
	assert_non_null(rep);
	char why[300];
	assert_int_equal(report_validate(rep, why, sizeof why), 0);
	json_t *facts = json_object_get(rep, "facts");
	/* The host's own answer (sample.yaml: yes) wins over the organisation's. */
	json_t *f = json_object_get(facts, "attest.password_secrecy");
	assert_string_equal(json_string_value(json_object_get(f, "attested_for")), "host");
	/* The host has none for security_training: the organisation's applies. */
	f = json_object_get(facts, "attest.security_training");
	assert_string_equal(json_string_value(json_object_get(f, "state")), "known");
	assert_string_equal(json_string_value(json_object_get(f, "value")), "yes");
	assert_string_equal(json_string_value(json_object_get(f, "attested_for")),
			    "organisation");
	assert_non_null(strstr(json_string_value(json_object_get(f, "evidence")),
			       "attested for the organisation by 佐藤 花子"));
	/* A stale organisation answer does not apply. */
	f = json_object_get(facts, "attest.incident_response");
	assert_null(json_object_get(f, "attested_for"));
	/* A non-org item is untouched. */
	assert_null(json_object_get(json_object_get(facts, "attest.office_locked"),
				    "attested_for"));
	json_t *org = json_object_get(rep, "organisation");
	assert_non_null(org);
	assert_string_equal(json_string_value(json_object_get(org, "category")),
			    "danger-unprepared");
	assert_string_equal(json_string_value(json_object_get(org, "answers_file")), ANSWERS);
	json_decref(rep);
	free(out);
	free(err);
	/* The text and HTML reports name it too. */
	argv[10] = "text";
	setenv("COLUMNS", "1000", 1); /* the category on one line, to search */
	run_hostaudit(argv, &out, NULL);
	unsetenv("COLUMNS");
	assert_non_null(strstr(out, "Organisation's category: Danger (aware, measures not "
				    "sufficient) (hostaudit org show)\n"));
	free(out);
	argv[10] = "html";
	run_hostaudit(argv, &out, NULL);
	assert_non_null(strstr(out, "<tr><td>Organisation&#39;s category</td><td>Danger (aware, "
				    "measures not sufficient)</td></tr>"));
	free(out);
}

static void report_schema_checks_organisation(void **state)
{
	(void)state;
	char *body = slurp(HOSTAUDIT_SOURCE_DIR "/tests/fixtures/reports/sample.json");
	assert_non_null(body);
	json_error_t je;
	json_t *rep = json_loads(body, 0, &je);
	assert_non_null(rep);
	char why[300] = "";
	assert_int_equal(report_validate(rep, why, sizeof why), 0);
	json_object_set_new(rep, "organisation",
			    json_pack("{s:s, s:s}", "category", "guessed", "answers_file", "a"));
	assert_int_not_equal(report_validate(rep, why, sizeof why), 0);
	assert_string_equal(why, "organisation.category: 'guessed' is not allowed");
	json_object_set_new(rep, "organisation",
			    json_pack("{s:s, s:s}", "category", "unknown", "answers_file", "a"));
	assert_int_not_equal(report_validate(rep, why, sizeof why), 0);
	assert_string_equal(why, "organisation.unknown_reason: missing");
	json_object_set_new(json_object_get(rep, "organisation"), "unknown_reason",
			    json_pack("{s:s, s:s}", "en", "x", "ja", "y"));
	assert_int_equal(report_validate(rep, why, sizeof why), 0);
	json_decref(rep);
	free(body);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(questionnaire_is_complete),
		cmocka_unit_test(placement_table),
		cmocka_unit_test(nothing_answered_is_unknown),
		cmocka_unit_test(next_step_names_what_decided),
		cmocka_unit_test(golden_en),
		cmocka_unit_test(golden_ja),
		cmocka_unit_test(bad_questionnaire_catalogue),
		cmocka_unit_test(bad_answers_catalogue),
		cmocka_unit_test(org_attest_from_a_pipe),
		cmocka_unit_test(org_attest_evidence_is_hashed),
		cmocka_unit_test(run_applies_org_items),
		cmocka_unit_test(report_schema_checks_organisation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
