/* SPDX-License-Identifier: Apache-2.0 */
/* End-to-end: hostaudit-collector org attest / org show over a real store.
 *   test_org_e2e COLLECTOR_BINARY WORK_DIR SOURCE_DIR
 * Reports go into the store with store_ingest() (the path the server
 * uses); the binary is run as an administrator would: answers through a
 * pipe, the placement as JSON and text, this year beside last year. */
#define _GNU_SOURCE
#include <fcntl.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "collector.h"
#include "e2e_common.h"
#include "testdb.h"

static char config[4200];
static char database[1024]; /* SQLite file or PostgreSQL URI (testdb.h) */

/* Runs the collector with stdin from input; returns the exit status and
 * its standard output (malloc'd). */
static int run(const char *const args[], const char *input, char **out)
{
	const char *argv[32] = {collector_bin, "-c", config};
	size_t n = 3;
	for (size_t i = 0; args[i] && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	char *buf = calloc(1, 1 << 18);
	assert_non_null(buf);
	const e2e_io io = {.input = input ? input : "", .capture = 1};
	int rc = e2e_run(argv, &io, buf, 1 << 18);
	*out = buf;
	return rc;
}

static void ingest_report(store *s, const char *host, int n, int64_t finished, double score)
{
	char token[65], err[300], id[37];
	int64_t host_id, org_id;
	char name[256];
	if (store_host_by_name(s, host, &host_id, &org_id, name, sizeof name) != 1)
		assert_int_equal(store_enroll(s, ORG_DEFAULT, host, token, err, sizeof err), 0);
	assert_int_equal(store_host_by_name(s, host, &host_id, &org_id, name, sizeof name), 1);
	snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", n);
	json_t *rep = json_pack("{s:s, s:[]}", "report_id", id, "exceptions");
	char body[200];
	snprintf(body, sizeof body, "{\"report_id\":\"%s\"}", id);
	ingest in = {
		.report_id = id,
		.host_id = host_id,
		.host_name = name,
		.claimed_host = host,
		.finished_at = finished,
		.received_at = finished,
		.score = score,
		.body = body,
		.body_len = strlen(body),
		.report = rep,
		.summary = "",
	};
	assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_NEW);
	json_decref(rep);
}

#define NOW 1795651200LL /* 2026-11-26 */
#define DAY 86400LL

static void setup_dir(const char *name)
{
	snprintf(dir, sizeof dir, "%s/%s", work, name);
	mkdir(work, 0700);
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	testdb_new(dir, "db", database, sizeof database);
	snprintf(config, sizeof config, "%s/collector.yaml", dir);
	char text[9000];
	snprintf(text, sizeof text, "database: %s\norganisation_dir: %s\n", database,
		 path("organisation"));
	write_file(config, text, 0600);
}

/* Every question answered "yes" but the signs of over-restriction. */
static char *all_answers(const char *who)
{
	char *buf = calloc(1, 8192);
	strcat(buf, who);
	strcat(buf, "\n株式会社テスト\n");
	/* 3 IT-use, 2 security: yes + empty note */
	for (int i = 0; i < 5; i++)
		strcat(buf, "y\n\n");
	for (int i = 0; i < 4; i++) /* restriction signs: no */
		strcat(buf, "n\n\n");
	for (int i = 0; i < 10; i++) /* directives: yes, no document, no note */
		strcat(buf, "y\n\n\n");
	for (int i = 0; i < 12; i++) /* org items */
		strcat(buf, "y\n\n");
	return buf;
}

static void org_attest_and_show(void **state)
{
	(void)state;
	setup_dir("org-attest-show");
	char err[600];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	/* host-a: an old bad report, then a good one (the latest counts). */
	ingest_report(s, "host-a", 1, NOW - 40 * DAY, 10);
	ingest_report(s, "host-a", 2, NOW - 2 * DAY, 95);
	ingest_report(s, "host-b", 3, NOW - 3 * DAY, 85);
	/* Older than the window: not counted. */
	ingest_report(s, "host-c", 4, NOW - 400 * DAY, 5);
	store_close(s);

	/* Nothing answered yet: nothing to export; unknown, with the reason. */
	char *out;
	const char *export[] = {"org", "export", NULL};
	assert_int_equal(run(export, NULL, &out), 2);
	assert_string_equal(out, "");
	free(out);
	const char *show_json[] = {"org", "show", "--format", "json", "--now", "2026-11-26",
				   NULL};
	assert_int_equal(run(show_json, NULL, &out), 0);
	json_error_t je;
	json_t *p = json_loads(out, 0, &je);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "category")), "unknown");
	assert_non_null(strstr(json_string_value(json_object_get(
				       json_object_get(p, "unknown_reason"), "en")),
			       "not answered"));
	json_t *comp = json_object_get(json_object_get(p, "figures"), "compliance");
	assert_true(fabs(json_real_value(json_object_get(comp, "value")) - 90.0) < 1e-9);
	json_decref(p);
	free(out);

	/* A bad answer is asked again; everything else "yes". */
	char *input = all_answers("山田 太郎 (社長)\n");
	/* the first answer: "たぶん" first, then y */
	char *fixed = calloc(1, 9000);
	const char *rest = strstr(input, "y\n\n");
	snprintf(fixed, 9000, "山田 太郎 (社長)\n株式会社テスト\nたぶん\n%s", rest);
	const char *attest[] = {"org", "attest", "--lang", "ja", "--now", "2026-11-26", NULL};
	assert_int_equal(run(attest, fixed, &out), 0);
	assert_non_null(strstr(out, "「たぶん」はこの質問への回答として使えません。"));
	assert_non_null(strstr(out, "31 件の回答を"));
	assert_non_null(strstr(out, "分類: 【理想的に】"));
	free(out);
	free(input);
	free(fixed);
	struct stat st;
	assert_int_equal(stat(path("organisation/answers.yaml"), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* org export: the answers file as kept, for a policy signed offline */
	assert_int_equal(run(export, NULL, &out), 0);
	FILE *kept = fopen(path("organisation/answers.yaml"), "r");
	assert_non_null(kept);
	char *file = calloc(1, 1 << 16);
	assert_true(fread(file, 1, (1 << 16) - 1, kept) > 0);
	fclose(kept);
	assert_string_equal(out, file);
	assert_non_null(strstr(out, "schema: hostaudit/org-answers/v1"));
	free(file);
	free(out);

	/* Fleet 90 (95 and 85), all yes, no sign: ideal. */
	assert_int_equal(run(show_json, NULL, &out), 0);
	p = json_loads(out, 0, &je);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(p, "category")), "ideal");
	assert_string_equal(json_string_value(json_object_get(p, "organisation")),
			    "株式会社テスト");
	assert_true(json_is_null(json_object_get(p, "last_year")));
	assert_true(json_array_size(json_object_get(p, "documents")) > 0);
	json_decref(p);
	free(out);
	assert_int_equal(stat(path("organisation/placement-2026.json"), &st), 0);
	/* The annual report carries the year's placement. */
	const char *annual[] = {"report", "--year", "2026", "--format", "json", "--now",
				"2026-11-26T00:00:00Z", NULL};
	assert_int_equal(run(annual, NULL, &out), 0);
	p = json_loads(out, 0, &je);
	assert_non_null(p);
	assert_string_equal(json_string_value(json_object_get(json_object_get(p, "organisation"),
								"category")),
			    "ideal");
	json_decref(p);
	free(out);

	/* An inventory host that never reported widens the range: 60 to 93.3,
	 * straddling 90, so "ideal" can no longer be told: unknown. */
	write_file(path("inventory.csv"), "hostname,owner\nhost-a,x\nhost-b,y\nhost-d,z\n", 0600);
	const char *import[] = {"inventory", "import", path("inventory.csv"), NULL};
	assert_int_equal(run(import, NULL, &out), 0);
	free(out);
	assert_int_equal(run(show_json, NULL, &out), 0);
	p = json_loads(out, 0, &je);
	assert_string_equal(json_string_value(json_object_get(p, "category")), "unknown");
	comp = json_object_get(json_object_get(p, "figures"), "compliance");
	assert_true(json_is_null(json_object_get(comp, "value")));
	assert_true(fabs(json_real_value(json_object_get(comp, "low")) - 60.0) < 1e-9);
	json_decref(p);
	free(out);

	/* Next year: last year's placement is shown beside this year's. */
	const char *next_year[] = {"org", "show", "--lang", "en", "--now", "2027-03-01", NULL};
	assert_int_equal(run(next_year, NULL, &out), 0);
	assert_non_null(strstr(out, "Category (2027): unknown [unknown]"));
	assert_non_null(strstr(out, "Last year (2026): unknown [unknown]"));
	assert_non_null(strstr(out, "      2026: 60% to 93.3% (hosts without a report)"));
	free(out);
	assert_int_equal(stat(path("organisation/placement-2027.json"), &st), 0);
}

static void bad_answers_file_exit_2(void **state)
{
	(void)state;
	setup_dir("org-bad-answers");
	mkdir(path("organisation"), 0700);
	write_file(path("organisation/answers.yaml"),
		   "schema: hostaudit/org-answers/v1\nanswers:\n  - question: it_usd\n"
		   "    answer: yes\n    who: a\n    when: 2026-01-01\n",
		   0600);
	char *out;
	const char *show[] = {"org", "show", "--now", "2026-11-26", NULL};
	assert_int_equal(run(show, NULL, &out), 2);
	free(out);
	/* Nothing stored: no placement kept. */
	struct stat st;
	assert_int_not_equal(stat(path("organisation/placement-2026.json"), &st), 0);
	const char *bad[] = {"org", "show", "--format", "csv", NULL};
	assert_int_equal(run(bad, NULL, &out), 2);
	free(out);
}

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: test_org_e2e COLLECTOR WORK_DIR SOURCE_DIR\n");
		return 2;
	}
	collector_bin = argv[1];
	work = argv[2];
	source_dir = argv[3];
	/* the collector's own questions off: the tests answer from files */
	setenv("HOSTAUDIT_ORG_QUESTIONS", "", 1);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(org_attest_and_show),
		cmocka_unit_test(bad_answers_file_exit_2),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
