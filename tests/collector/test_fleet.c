/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet model's figures (collector/fleet.h) from a small fleet with
 * known answers, on a real store (SQLite, or PostgreSQL under run_pg.sh):
 * who is expected, reporting, stale, retired; per-article compliance;
 * per-rule failing hosts; the worst hosts; expiring exceptions; the trend;
 * the digests of reports stored before digests existed (backfill); host
 * lifecycle (revoke, rename, retire) in the store. */
#define _GNU_SOURCE
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cmocka.h>

#include "collector.h"
#include "fleet.h"
#include "principal.h"
#include "testdb.h"

static const char *work;
static char dir[4096], database[4200];

#define NOW 1796040000LL /* 2026-12-01 12:00:00 UTC */
#define DAY 86400LL
#define HOUR 3600LL

/* A result: status p f u, rule id, article, severity. */
typedef struct res {
	const char *id;
	int article;
	const char *severity;
	char status; /* p f u */
} res;

static void ingest_report(store *s, const char *host, int n, int64_t finished, double score,
			  const res *r, size_t nr, const char *exceptions)
{
	char token[65], err[300], id[40];
	int64_t host_id, org_id;
	char name[256];
	if (store_host_by_name(s, host, &host_id, &org_id, name, sizeof name) != 1)
		assert_int_equal(store_enroll(s, ORG_DEFAULT, host, token, err, sizeof err), 0);
	assert_int_equal(store_host_by_name(s, host, &host_id, &org_id, name, sizeof name), 1);
	snprintf(id, sizeof id, "6f1c2e3a-0000-4000-8000-%012d", n);
	json_t *results = json_array();
	for (size_t i = 0; i < nr; i++) {
		const char *st = r[i].status == 'p' ? "pass" : r[i].status == 'f' ? "fail" : "unknown";
		char title_ja[64];
		snprintf(title_ja, sizeof title_ja, "規則 %s", r[i].id);
		json_array_append_new(results,
				      json_pack("{s:s,s:s,s:i,s:s,s:s,s:{s:s,s:s}}", "pack", "nisc-9",
						"id", r[i].id, "article", r[i].article, "severity",
						r[i].severity, "status", st, "title", "en", r[i].id,
						"ja", title_ja));
	}
	json_t *rep = json_pack("{s:s,s:{s:s},s:o,s:o}", "report_id", id, "host", "hostname",
				host, "results", results, "exceptions",
				json_loads(exceptions ? exceptions : "[]", 0, NULL));
	char *body = json_dumps(rep, JSON_COMPACT);
	ingest in = {.report_id = id, .host_id = host_id, .host_name = name,
		     .claimed_host = host, .finished_at = finished, .received_at = finished + 5,
		     .score = score, .body = body, .body_len = strlen(body), .report = rep};
	assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_NEW);
	free(body);
	json_decref(rep);
}

static void setup_dir(const char *name)
{
	snprintf(dir, sizeof dir, "%s/%s", work, name);
	mkdir(work, 0700);
	char cmd[8400];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	testdb_new(dir, "db", database, sizeof database);
}

static void day_string(int64_t t, char out[11])
{
	char b[21];
	rfc3339_format(t, b);
	memcpy(out, b, 10);
	out[10] = '\0';
}

/* The fleet of the figures below:
 *   pc-a  inventory + enrolled; latest 1 h ago: r1 pass, r2 fail, r3 unknown, 60
 *         (an older report 2 days ago failed r1: only the latest counts)
 *   pc-b  enrolled; 3 h ago: r1 fail, r2 fail, r3 pass, 20 (40 days ago it
 *         claimed r7, expired 50 days ago: not listed any more)
 *   pc-c  enrolled; 5 h ago: all pass, 100; claims exception r9 (10 days left)
 *   pc-old enrolled; 10 days ago (stale): r1 fail; claims r1, expired yesterday
 *   pc-d  enrolled and retired; 1 h ago: r1 fail (counted nowhere)
 *   pc-e  inventory only, never reported (stale)
 *   pc-f  enrolled; 2 h ago: r1 unknown, no score (neither failing nor
 *         compliant; last among the worst) */
static store *make_fleet(void)
{
	char err[300];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	const res a_old[] = {{"r1", 1, "critical", 'f'}};
	const res a[] = {{"r1", 1, "critical", 'p'}, {"r2", 2, "high", 'f'}, {"r3", 2, "medium", 'u'}};
	const res b[] = {{"r1", 1, "critical", 'f'}, {"r2", 2, "high", 'f'}, {"r3", 2, "medium", 'p'}};
	const res c[] = {{"r1", 1, "critical", 'p'}, {"r2", 2, "high", 'p'}, {"r3", 2, "medium", 'p'}};
	const res f1[] = {{"r1", 1, "critical", 'f'}};
	char until_soon[11], until_past[11], until_far[11], exc[600];
	day_string(NOW + 10 * DAY, until_soon);
	day_string(NOW - DAY, until_past);
	day_string(NOW + 100 * DAY, until_far);
	ingest_report(s, "pc-a", 1, NOW - 2 * DAY, 40, a_old, 1, NULL);
	snprintf(exc, sizeof exc,
		 "[{\"rule\":\"r2\",\"reason\":\"far\",\"approved_by\":\"boss\",\"until\":\"%s\"}]",
		 until_far);
	ingest_report(s, "pc-a", 2, NOW - HOUR, 60, a, 3, exc);
	ingest_report(s, "pc-b", 3, NOW - 3 * HOUR, 20, b, 3, NULL);
	/* an exception that expired long ago, last claimed 40 days ago:
	 * history, not listed */
	char until_long_ago[11];
	day_string(NOW - 50 * DAY, until_long_ago);
	snprintf(exc, sizeof exc,
		 "[{\"rule\":\"r7\",\"reason\":\"old\",\"approved_by\":\"boss\",\"until\":\"%s\"}]",
		 until_long_ago);
	ingest_report(s, "pc-b", 7, NOW - 40 * DAY, 50, b, 3, exc);
	snprintf(exc, sizeof exc,
		 "[{\"rule\":\"r9\",\"reason\":\"soon\",\"approved_by\":\"boss\",\"until\":\"%s\"}]",
		 until_soon);
	ingest_report(s, "pc-c", 4, NOW - 5 * HOUR, 100, c, 3, exc);
	snprintf(exc, sizeof exc,
		 "[{\"rule\":\"r1\",\"reason\":\"past\",\"approved_by\":\"boss\",\"until\":\"%s\"}]",
		 until_past);
	ingest_report(s, "pc-old", 5, NOW - 10 * DAY, 10, f1, 1, exc);
	ingest_report(s, "pc-d", 6, NOW - HOUR, 0, f1, 1, NULL);
	const res f_unknown[] = {{"r1", 1, "critical", 'u'}};
	ingest_report(s, "pc-f", 8, NOW - 2 * HOUR, NAN, f_unknown, 1, NULL);
	const inventory_row inv[] = {
		{"pc-a", "{\"department\":\"sales\",\"owner\":\"alice\",\"location\":\"Osaka\"}"},
		{"pc-e", "{\"department\":\"ops\"}"},
		{"pc-d", "{}"},
	};
	assert_int_equal(store_inventory_replace(s, ORG_DEFAULT, inv, 3, err, sizeof err), 0);
	assert_int_equal(store_host_retire(s, ORG_DEFAULT, "PC-D", NOW - DAY, err, sizeof err), 1);
	return s;
}

static void check_figures(const fleet *f)
{
	assert_int_equal(f->expected, 6);
	assert_int_equal(f->reporting, 4);
	assert_int_equal(f->stale, 2);
	assert_int_equal(f->never_reported, 1);
	assert_int_equal(f->retired, 1);
	assert_true(fabs(f->mean_score - 60.0) < 1e-9);
	assert_int_equal(f->t.pass, 5);
	assert_int_equal(f->t.fail, 3);
	assert_int_equal(f->t.unknown, 2);
	/* articles: nisc-9:1 (r1) pass 2 fail 1; nisc-9:2 (r2, r3) pass 3
	 * fail 2 unknown 1 */
	assert_int_equal(f->n_articles, 2);
	assert_string_equal(f->articles[0].key, "nisc-9:1");
	assert_int_equal(f->articles[0].t.pass, 2);
	assert_int_equal(f->articles[0].t.fail, 1);
	assert_int_equal(f->articles[0].t.unknown, 1);
	assert_int_equal(f->articles[0].hosts_failing, 1);
	assert_int_equal(f->articles[0].hosts_compliant, 2);
	assert_true(fabs(f->articles[0].compliance - 50.0) < 1e-9);
	assert_string_equal(f->articles[1].key, "nisc-9:2");
	assert_int_equal(f->articles[1].t.pass, 3);
	assert_int_equal(f->articles[1].t.fail, 2);
	assert_int_equal(f->articles[1].t.unknown, 1);
	assert_int_equal(f->articles[1].hosts_failing, 2);
	assert_int_equal(f->articles[1].hosts_compliant, 1);
	assert_true(fabs(f->articles[1].compliance - 50.0) < 1e-9);
	/* rules: r2 on pc-a and pc-b, r1 on pc-b only */
	assert_int_equal(f->n_rules, 2);
	assert_string_equal(f->rules[0].rule, "r2");
	assert_int_equal(f->rules[0].hosts_failing, 2);
	assert_string_equal(f->rules[0].hosts[0], "pc-a");
	assert_string_equal(f->rules[0].hosts[1], "pc-b");
	assert_string_equal(f->rules[0].severity, "high");
	assert_string_equal(f->rules[0].title_ja, "規則 r2");
	assert_string_equal(f->rules[1].rule, "r1");
	assert_int_equal(f->rules[1].hosts_failing, 1);
	assert_string_equal(f->rules[1].hosts[0], "pc-b");
	/* worst: pc-b (20), pc-a (60), pc-c (100), pc-f (no score) */
	assert_int_equal(f->n_worst, 4);
	assert_string_equal(f->hosts[f->worst[3]].name, "pc-f");
	assert_true(isnan(fleet_host_find(f, "pc-f")->score));
	assert_string_equal(f->hosts[f->worst[0]].name, "pc-b");
	assert_string_equal(f->hosts[f->worst[1]].name, "pc-a");
	assert_string_equal(f->hosts[f->worst[2]].name, "pc-c");
	/* hosts by name, with their inventory columns */
	const fleet_host *a = fleet_host_find(f, "PC-A");
	assert_non_null(a);
	assert_string_equal(json_string_value(json_object_get(a->inventory, "location")), "Osaka");
	assert_int_equal(a->n_failing, 1);
	assert_string_equal(a->failing[0].rule, "r2");
	assert_false(a->stale);
	assert_true(fleet_host_find(f, "pc-old")->stale);
	assert_true(fleet_host_find(f, "pc-e")->stale);
	assert_false(fleet_host_find(f, "pc-e")->enrolled);
	assert_true(fleet_host_find(f, "pc-d")->retired);
	assert_false(fleet_host_find(f, "pc-d")->expected);
	assert_false(fleet_host_find(f, "pc-d")->enrolled); /* retiring revoked it */
	/* exceptions: pc-old's expired (still claimed), then pc-c's in 10 days */
	assert_int_equal(f->n_exceptions, 2);
	assert_string_equal(f->exceptions[0].host, "pc-old");
	assert_true(f->exceptions[0].expired);
	assert_true(f->exceptions[0].claimed);
	assert_string_equal(f->exceptions[1].host, "pc-c");
	assert_false(f->exceptions[1].expired);
	assert_true(f->exceptions[1].claimed);
	assert_int_equal(f->exceptions[1].days_left, 10);
	/* trend over 3 days: today a, b, c, d (the retired host reported
	 * then) and pc-f (no score); the day before yesterday pc-a alone, at 40 */
	assert_int_equal(f->n_trend, 3);
	assert_int_equal(f->trend[2].day, NOW - 12 * HOUR);
	assert_int_equal(f->trend[2].hosts_reporting, 5);
	assert_true(fabs(f->trend[2].mean_score - 45.0) < 1e-9);
	assert_int_equal(f->trend[1].hosts_reporting, 0);
	assert_true(isnan(f->trend[1].mean_score));
	assert_int_equal(f->trend[0].hosts_reporting, 1);
	assert_true(fabs(f->trend[0].mean_score - 40.0) < 1e-9);
}

static void fleet_figures(void **state)
{
	(void)state;
	setup_dir("fleet-figures");
	store *s = make_fleet();
	char err[300];
	fleet_options o = {.now = NOW, .trend_days = 3};
	fleet *f = fleet_load(s, ORG_DEFAULT, &o, err, sizeof err);
	if (!f)
		fail_msg("%s", err);
	check_figures(f);
	/* since when: pc-a fails r2 since its latest report (the one before
	 * passed it); pc-b fails r1 since 40 days ago, every report since */
	int64_t since = 0;
	assert_int_equal(fleet_failing_since(s, ORG_DEFAULT, "pc-a", "nisc-9", "r2", &since, err,
					     sizeof err),
			 1);
	assert_int_equal(since, NOW - HOUR);
	assert_int_equal(fleet_failing_since(s, ORG_DEFAULT, "pc-b", "nisc-9", "r1", &since, err,
					     sizeof err),
			 1);
	assert_int_equal(since, NOW - 40 * DAY);
	assert_int_equal(fleet_failing_since(s, ORG_DEFAULT, "pc-c", "nisc-9", "r1", &since, err,
					     sizeof err),
			 0);
	assert_int_equal(fleet_failing_since(s, ORG_DEFAULT, "pc-b", "other", "r1", &since, err,
					     sizeof err),
			 0);
	/* the JSON form says the same */
	json_t *j = fleet_json(f);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "hosts"), "stale")),
			 2);
	assert_int_equal(json_array_size(json_object_get(j, "rules")), 2);
	json_decref(j);
	fleet_free(f);
	/* a longer stale_days: pc-old reports again within it */
	o.stale_days = 11;
	f = fleet_load(s, ORG_DEFAULT, &o, err, sizeof err);
	assert_non_null(f);
	assert_int_equal(f->reporting, 5);
	assert_int_equal(f->stale, 1);
	assert_int_equal(fleet_rule_find(f, "r1")->hosts_failing, 2);
	fleet_free(f);
	store_close(s);
}

/* Reports stored before digests existed (their digests deleted here, as
 * a database of the previous schema has none): the model computes them
 * from the bodies, once, and says the same; a body removed by retention
 * gives what its summary holds. */
static void fleet_backfill(void **state)
{
	(void)state;
	setup_dir("fleet-backfill");
	store *s = make_fleet();
	char err[300];
	assert_int_equal(testdb_exec(database, "DELETE FROM report_digests"), 0);
	assert_int_equal(store_prune_bodies(s, NOW - 5 * DAY, err, sizeof err), 2);
	fleet_options o = {.now = NOW, .trend_days = 3};
	fleet *f = fleet_load(s, ORG_DEFAULT, &o, err, sizeof err);
	if (!f)
		fail_msg("%s", err);
	check_figures(f);
	fleet_free(f);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM report_digests", NULL), 8);
	assert_int_equal(testdb_int(database,
				    "SELECT count(*) FROM report_digests WHERE digest LIKE"
				    " '%from_summary%'", NULL),
			 2);
	assert_int_equal(store_backfill_digests(s, err, sizeof err), 0);
	store_close(s);
}

static int count_report(void *x, const store_report *r)
{
	(void)r;
	(*(int *)x)++;
	return 0;
}

typedef struct last_seen_report {
	int n;
	int64_t finished, row;
} last_seen_report;

static int last_report(void *x, const store_report *r)
{
	last_seen_report *l = x;
	l->n++;
	l->finished = r->finished_at;
	l->row = r->row_id;
	assert_non_null(r->digest);
	return 0;
}

/* Rename keeps the history; revoke kills the token at once. */
static void host_lifecycle_store(void **state)
{
	(void)state;
	setup_dir("fleet-lifecycle");
	store *s = make_fleet();
	char err[300], token[65], name[256];
	int64_t id, org;
	assert_int_equal(store_enroll(s, ORG_DEFAULT, "pc-b", token, err, sizeof err), 0);
	assert_int_equal(store_auth(s, token, &id, &org, name, sizeof name), 1);
	assert_int_equal(store_host_rename(s, ORG_DEFAULT, "pc-b", "pc-b2", err, sizeof err), 1);
	assert_int_equal(store_auth(s, token, &id, &org, name, sizeof name), 1);
	assert_string_equal(name, "pc-b2");
	int n = 0;
	assert_int_equal(store_each_host_report(s, ORG_DEFAULT, "pc-b2", INT64_MAX, INT64_MAX, 10,
						count_report, &n, err, sizeof err),
			 0);
	assert_int_equal(n, 2);
	/* the newest first, one page of one, then the rest */
	last_seen_report l = {0};
	assert_int_equal(store_each_host_report(s, ORG_DEFAULT, "pc-b2", INT64_MAX, INT64_MAX, 1,
						last_report, &l, err, sizeof err),
			 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.finished, NOW - 3 * HOUR);
	int64_t f0 = l.finished, r0 = l.row;
	l.n = 0;
	assert_int_equal(store_each_host_report(s, ORG_DEFAULT, "pc-b2", f0, r0, 5, last_report,
						&l, err, sizeof err),
			 0);
	assert_int_equal(l.n, 1);
	assert_int_equal(l.finished, NOW - 40 * DAY);
	assert_int_equal(store_host_rename(s, ORG_DEFAULT, "pc-b2", "pc-a", err, sizeof err), -1);
	assert_int_equal(store_host_rename(s, ORG_DEFAULT, "nope", "x", err, sizeof err), 0);
	assert_int_equal(store_host_revoke(s, ORG_DEFAULT, "pc-b2", err, sizeof err), 1);
	assert_int_equal(store_auth(s, token, &id, &org, name, sizeof name), 0);
	assert_int_equal(store_host_revoke(s, ORG_DEFAULT, "nope", err, sizeof err), 0);
	/* the inventory row follows a rename */
	assert_int_equal(store_host_rename(s, ORG_DEFAULT, "pc-a", "pc-a2", err, sizeof err), 1);
	fleet *f = fleet_load(s, ORG_DEFAULT, &(fleet_options){.now = NOW}, err, sizeof err);
	assert_non_null(f);
	assert_null(fleet_host_find(f, "pc-a"));
	const fleet_host *h = fleet_host_find(f, "pc-a2");
	assert_non_null(h);
	assert_true(h->in_inventory);
	assert_string_equal(h->report_id, "6f1c2e3a-0000-4000-8000-000000000002");
	assert_int_equal(f->expected, 6);
	fleet_free(f);
	store_close(s);
}

static int count_token(void *x, const store_token *t)
{
	(void)t;
	(*(int *)x)++;
	return 0;
}

static void api_tokens_store(void **state)
{
	(void)state;
	setup_dir("fleet-tokens");
	char err[300], token[STORE_API_TOKEN_SIZE], trole[16], name[80];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	assert_int_equal(store_token_create(s, ORG_DEFAULT, "grafana", "metrics", token, err,
					    sizeof err),
			 0);
	assert_int_equal(strlen(token), 68);
	assert_int_equal(store_token_create(s, ORG_DEFAULT, "grafana", "auditor", token, err,
					    sizeof err),
			 -1);
	assert_int_equal(store_token_create(s, ORG_DEFAULT, "x", "admin", token, err, sizeof err),
			 -1);
	assert_int_equal(store_token_create(s, ORG_DEFAULT, "bi", "auditor", token, err,
					    sizeof err),
			 0);
	int64_t org = 0;
	assert_int_equal(store_token_auth(s, token, &org, trole, sizeof trole, name, sizeof name),
			 1);
	assert_int_equal(org, ORG_DEFAULT);
	assert_string_equal(trole, "auditor");
	assert_string_equal(name, "bi");
	/* only the hash is stored */
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM api_tokens WHERE"
					      " token_sha256 = $1", token), 0);
	int n = 0;
	assert_int_equal(store_each_token(s, ORG_DEFAULT, count_token, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	n = 0;
	assert_int_equal(store_each_token(s, 2, count_token, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_token_revoke(s, 2, "bi", err, sizeof err), 0);
	assert_int_equal(store_token_revoke(s, ORG_DEFAULT, "bi", err, sizeof err), 1);
	assert_int_equal(store_token_auth(s, token, &org, trole, sizeof trole, name, sizeof name),
			 0);
	store_close(s);
}

/* migrate --to carries the API tokens and the retirements too; again,
 * it changes nothing. */
static void copy_keeps_api_state(void **state)
{
	(void)state;
	setup_dir("fleet-copy");
	store *s = make_fleet();
	char err[300], token[STORE_API_TOKEN_SIZE], trole[16], name[80], db2[4200];
	assert_int_equal(store_token_create(s, ORG_DEFAULT, "bi", "auditor", token, err,
					    sizeof err),
			 0);
	testdb_new(dir, "db2", db2, sizeof db2);
	store *d = store_open(db2, err, sizeof err);
	assert_non_null(d);
	long hosts, reports;
	for (int i = 0; i < 2; i++)
		if (store_copy(s, d, &hosts, &reports, err, sizeof err) != 0)
			fail_msg("copy %d: %s", i, err);
	int64_t org;
	assert_int_equal(store_token_auth(d, token, &org, trole, sizeof trole, name, sizeof name),
			 1);
	fleet *f = fleet_load(d, ORG_DEFAULT, &(fleet_options){.now = NOW, .trend_days = 3}, err,
			      sizeof err);
	if (!f)
		fail_msg("%s", err);
	check_figures(f);
	fleet_free(f);
	store_close(d);
	store_close(s);
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: test_fleet WORK_DIR\n");
		return 2;
	}
	work = argv[1];
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(fleet_figures),
		cmocka_unit_test(fleet_backfill),
		cmocka_unit_test(host_lifecycle_store),
		cmocka_unit_test(api_tokens_store),
		cmocka_unit_test(copy_keeps_api_state),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
