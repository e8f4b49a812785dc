/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report over a fixed seeded store (SQLite, and PostgreSQL in
 * the _pg run): host_rule_years kept at ingest equals a recomputation
 * from the stored summaries, and so does the backfill of migration 4;
 * golden files in English and Japanese (--now fixed), to a file and to
 * stdout; --department; the two handles of one snapshot; the evidence
 * list through its reader thread as read directly; the
 * xlsx is checked by openpyxl (check_xlsx.py, ctest collector_annual_xlsx).
 *   test_annual WORK_DIR SOURCE_DIR   (HOSTAUDIT_UPDATE_GOLDEN=1 rewrites
 *   the golden files) */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <openssl/evp.h>

#include "collector.h"
#include "model.h"
#include "testdb.h"

static const char *work, *source;
static char database[4200];

static const char *at(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static const char *at(const char *fmt, ...)
{
	static char buf[4][4200];
	static int k;
	char *b = buf[k++ % 4];
	int n = snprintf(b, 4200, "%s/", work);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(b + n, 4200 - (size_t)n, fmt, ap);
	va_end(ap);
	return b;
}

static char *slurp(const char *p)
{
	FILE *f = fopen(p, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	if (s)
		s[n] = '\0';
	fclose(f);
	return s;
}

/* ---- the seeded store ---- */

static const char *const rules[] = {
	"nisc-9:password.no-empty", "nisc-9:updates.security", "nisc-9:password.lockout",
	"ipa-5:updates.security-applied", "ipa-5:antivirus.active", "ipa-5:updates.automatic",
};
#define NRULES (sizeof rules / sizeof rules[0])

/* A deterministic state for host h, day d, rule r: mostly pass, some fail,
 * a few unknown, error, not applicable and disabled. */
static const char *state(int h, int d, size_t r)
{
	unsigned x = (unsigned)(h * 7919 + d * 104729 + (int)r * 1299709) % 23;
	return x < 15 ? "pass" : x < 19 ? "fail" : x == 19 ? "unknown" : x == 20 ? "error"
		       : x == 21 ? "not_applicable" : "disabled";
}

/* How a report arrives: alone; then once more (a retry: stored once,
 * counted once); or in one batch with a report that fails (PostgreSQL's
 * slow path, a SAVEPOINT per report); or refused (an error expected). */
typedef enum { ALONE, RETRIED, BESIDE_A_FAILURE, REFUSED } arrival;

static void ingest_one(store *s, int64_t hid, const char *host, int h, int d, int64_t t,
		       int seq, bool exception, arrival how)
{
	json_t *results = json_array();
	for (size_t r = 0; r < NRULES; r++) {
		if (h == 2 && r == 5)
			continue; /* a rule this host never runs */
		const char *colon = strchr(rules[r], ':');
		json_array_append_new(results,
				      json_pack("{s:s%,s:s,s:s}", "pack", rules[r],
						(size_t)(colon - rules[r]), "id", colon + 1, "status",
						state(h, d, r)));
	}
	json_t *exc = json_array();
	if (exception)
		json_array_append_new(exc, json_pack("{s:s,s:s,s:s,s:s}", "rule",
						     "nisc-9:updates.security", "reason",
						     "検査装置の制御 PC (vendor support)", "approved_by",
						     "Sato", "until", d < 100 ? "2026-03-31" : "2027-01-15"));
	char id[37];
	snprintf(id, sizeof id, "00000000-0000-4000-8000-%04x%08x", (unsigned)h, (unsigned)seq);
	json_t *rep = json_pack("{s:s,s:{s:s},s:o,s:o}", "report_id", id, "host", "hostname", host,
				"results", results, "exceptions", exc);
	char *body = json_dumps(rep, JSON_COMPACT | JSON_SORT_KEYS);
	ingest in = {.report_id = id, .host_id = hid, .host_name = host, .claimed_host = host,
		     .finished_at = t, .received_at = t + 60, .score = 80.0, .body = body,
		     .body_len = strlen(body), .report = rep};
	char err[300];
	if (how == BESIDE_A_FAILURE) {
		ingest bad = in;
		bad.report_id = "00000000-0000-4000-8000-ffffffffffff";
		bad.host_id = 999999; /* no such host */
		const ingest *batch[] = {&in, &bad};
		ingest_outcome out[2];
		store_ingest_batch(s, batch, out, 2);
		assert_int_equal(out[0].result, STORE_NEW);
		assert_int_equal(out[1].result, STORE_ERROR);
	} else if (how == REFUSED) { /* the aggregate's row not understood */
		assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_ERROR);
		if (!strstr(err, "host_rule_years") || !strstr(err, "days"))
			fail_msg("refused, but not for its days: %s", err);
	} else {
		assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_NEW);
	}
	if (how == RETRIED)
		assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_DUPLICATE);
	free(body);
	json_decref(rep);
}

/* Three hosts over 2026 in arrival order (day by day), every 9th day,
 * one report of pc-03 arriving late, two reports on one day; pc-02
 * silent after August; an inventory host that never reports. */
static void seed(void)
{
	char err[600];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	const char *names[] = {"pc-01", "pc-02", "pc-03"};
	int64_t hid[3];
	for (int h = 0; h < 3; h++) {
		char token[65], stored[64];
		int64_t org;
		assert_int_equal(store_enroll(s, ORG_DEFAULT, names[h], token, err, sizeof err), 0);
		assert_int_equal(store_host_by_name(s, names[h], &hid[h], &org, stored, sizeof stored),
				 1);
	}
	int64_t y0;
	assert_true(rfc3339_parse("2026-01-02T09:00:00Z", &y0));
	int seq = 0;
	for (int d = 0; d < 360; d += 9) {
		for (int h = 0; h < 3; h++) {
			if (h == 1 && d > 230)
				continue;
			if (h == 2 && d == 45) /* comes in 20 days late */
				continue;
			ingest_one(s, hid[h], names[h], h, d, y0 + (int64_t)d * 86400 + h * 600, ++seq,
				   h == 0, d == 90 ? RETRIED : d == 180 ? BESIDE_A_FAILURE : ALONE);
		}
		if (d == 63) {
			ingest_one(s, hid[2], names[2], 2, 45, y0 + 45 * 86400 + 1200, ++seq, false,
				   ALONE);
			/* a second report the same day: the later one is the month's last */
			ingest_one(s, hid[0], names[0], 0, 64, y0 + 63 * 86400 + 7200, ++seq, true,
				   ALONE);
		}
	}
	/* last year: must not count */
	ingest_one(s, hid[0], names[0], 0, 1, y0 - 30 * 86400, ++seq, false, ALONE);
	inventory_row inv[] = {
		{"pc-01", "{\"department\":\"総務部\",\"owner\":\"佐藤\"}"},
		{"pc-02", "{\"department\":\"Sales\",\"owner\":\"=cmd|' /C calc'!A0\"}"},
		{"pc-04", "{\"department\":\"総務部\",\"owner\":\"鈴木\"}"},
	};
	assert_int_equal(store_inventory_replace(s, ORG_DEFAULT, inv, 3, err, sizeof err), 0);
	store_close(s);
}

static int setup(void **state)
{
	(void)state;
	testdb_new(work, "annual", database, sizeof database);
	if (!testdb_pg()) { /* a new store for each test */
		static const char *const ext[] = {"", "-wal", "-shm"};
		for (int i = 0; i < 3; i++) {
			char p[4300];
			snprintf(p, sizeof p, "%s%s", database, ext[i]);
			unlink(p);
		}
	}
	seed();
	return 0;
}

/* ---- host_rule_years equals a recomputation ---- */

typedef struct expect {
	int64_t host;
	int year;
	char rule[64];
	uint32_t m[4][12];
	int64_t last_at;
	char last;
	bool seen;
} expect;

typedef struct recompute {
	expect v[4096];
	size_t n;
} recompute;

static int on_report(void *x, const store_report *r)
{
	recompute *c = x;
	int day, month = store_month_of(r->finished_at, &day);
	int year = month / 100, mi = month % 100 - 1;
	for (const char *p = r->summary; *p;) {
		const char *eq = strchr(p, '='), *nl = strchr(p, '\n');
		char st = eq[1];
		size_t k = 0;
		while (k < c->n && !(c->v[k].host == r->host_id && c->v[k].year == year &&
				     strlen(c->v[k].rule) == (size_t)(eq - p) &&
				     !strncmp(c->v[k].rule, p, (size_t)(eq - p))))
			k++;
		if (k == c->n) {
			assert_true(c->n < 4096);
			memset(&c->v[k], 0, sizeof c->v[k]);
			c->v[k].host = r->host_id;
			c->v[k].year = year;
			snprintf(c->v[k].rule, sizeof c->v[k].rule, "%.*s", (int)(eq - p), p);
			c->n++;
		}
		int slot = st == 'p' ? 0 : st == 'f' ? 1 : strchr("ue", st) ? 2 : 3;
		c->v[k].m[slot][mi] |= 1u << (day - 1);
		/* in (finished_at, arrival) order: the last one seen is the latest */
		c->v[k].last = st;
		c->v[k].last_at = r->finished_at;
		p = nl + 1;
	}
	return 0;
}

static int on_year(void *x, const store_rule_year *y)
{
	recompute *c = x;
	for (size_t k = 0; k < c->n; k++) {
		expect *e = &c->v[k];
		if (e->host == y->host_id && e->year == y->year && !strcmp(e->rule, y->rule)) {
			assert_false(e->seen);
			e->seen = true;
			for (int mi = 0; mi < 12; mi++) {
				assert_int_equal(e->m[0][mi], y->pass_days[mi]);
				assert_int_equal(e->m[1][mi], y->fail_days[mi]);
				assert_int_equal(e->m[2][mi], y->unknown_days[mi]);
				assert_int_equal(e->m[3][mi], y->na_days[mi]);
			}
			assert_int_equal(e->last_at, y->last_at);
			assert_int_equal(e->last, y->last_state);
			return 0;
		}
	}
	fail_msg("host_rule_years has a row no report gives: %s %d", y->rule, y->year);
	return 1;
}

/* store_each_host_reports against the evidence list counted here. */
typedef struct host_reports {
	store_host_reports v[64];
	size_t n, seen;
} host_reports;

static int on_listed(void *x, const store_evidence *e)
{
	host_reports *c = x;
	size_t k = 0;
	while (k < c->n && c->v[k].host_id != e->host_id)
		k++;
	if (k == c->n) {
		assert_true(c->n < sizeof c->v / sizeof c->v[0]);
		c->v[c->n++] = (store_host_reports){.host_id = e->host_id, .first = e->finished_at};
	}
	c->v[k].reports++;
	c->v[k].last = e->finished_at; /* the list is in time order */
	c->v[k].months |= (uint16_t)(1u << (store_month_of(e->finished_at, NULL) % 100 - 1));
	return 0;
}

static int on_counted(void *x, const store_host_reports *r)
{
	host_reports *c = x;
	for (size_t k = 0; k < c->n; k++)
		if (c->v[k].host_id == r->host_id) {
			assert_int_equal(c->v[k].reports, r->reports);
			assert_int_equal(c->v[k].first, r->first);
			assert_int_equal(c->v[k].last, r->last);
			assert_int_equal(c->v[k].months, r->months);
			c->seen++;
			return 0;
		}
	fail_msg("a host counted that the list does not have: %lld", (long long)r->host_id);
	return 1;
}

static void check_host_reports(store *s)
{
	char err[600];
	int64_t from, to;
	assert_true(rfc3339_parse("2026-01-01T00:00:00Z", &from));
	assert_true(rfc3339_parse("2027-01-01T00:00:00Z", &to));
	host_reports *c = calloc(1, sizeof *c);
	assert_int_equal(store_each_evidence(s, 1, from, to, on_listed, c, err, sizeof err), 0);
	assert_true(c->n >= 3);
	bool several_months = false;
	for (size_t k = 0; k < c->n; k++)
		several_months |= __builtin_popcount(c->v[k].months) > 1;
	assert_true(several_months);
	assert_int_equal(store_each_host_reports(s, 1, 2026, on_counted, c, err, sizeof err), 0);
	assert_int_equal(c->seen, c->n);
	c->seen = 0;
	assert_int_equal(store_each_host_reports(s, 2, 2026, on_counted, c, err, sizeof err), 0);
	assert_int_equal(c->seen, 0); /* another organisation's: none */
	free(c);
}

static void check_aggregate(void)
{
	char err[600];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	static recompute c;
	c.n = 0;
	int64_t from, to;
	assert_true(rfc3339_parse("2025-01-01T00:00:00Z", &from));
	assert_true(rfc3339_parse("2027-01-01T00:00:00Z", &to));
	assert_int_equal(store_each_report(s, ORG_DEFAULT, from, to, on_report, &c, err, sizeof err), 0);
	assert_true(c.n >= 20);
	int years = 0, most_months = 0;
	for (int year = 2025; year <= 2026; year++)
		assert_int_equal(store_each_rule_year(s, 1, year, on_year, &c, err, sizeof err), 0);
	for (size_t k = 0; k < c.n; k++) {
		assert_true(c.v[k].seen);
		years |= 1 << (c.v[k].year - 2025);
		int months = 0;
		for (int mi = 0; mi < 12; mi++)
			months += (c.v[k].m[0][mi] | c.v[k].m[1][mi] | c.v[k].m[2][mi] |
				   c.v[k].m[3][mi]) != 0;
		most_months = months > most_months ? months : most_months;
	}
	/* the seeded reports span both years, and a rule's year several months */
	assert_int_equal(years, 3);
	assert_true(most_months >= 3);
	/* another organisation sees none of it */
	recompute *none = calloc(1, sizeof *none);
	for (int year = 2025; year <= 2026; year++)
		assert_int_equal(store_each_rule_year(s, 2, year, on_year, none, err, sizeof err),
				 0);
	free(none);
	check_host_reports(s);
	store_close(s);
}

static void aggregate_equals_recomputation(void **state)
{
	(void)state;
	check_aggregate();
	/* The backfill: a store as it was before the aggregates' migrations
	 * (the last three of migrations[] in both backends), opened again. */
	long at = testdb_int(database, "SELECT max(version) FROM schema_version", NULL);
	assert_int_equal(testdb_exec(database, "DROP TABLE host_months;"
					       "DROP TABLE host_rule_years;"
					       "DROP INDEX reports_evidence;"
					       "DELETE FROM schema_version WHERE version >= "
					       "(SELECT max(version) - 2 FROM schema_version)"),
			 0);
	check_aggregate();
	assert_int_equal(testdb_int(database, "SELECT max(version) FROM schema_version", NULL), at);
}

/* Rule names as an agent may send them (quotes, backslash, comma,
 * braces, spaces, "NULL"): each its own row of the year, named as sent,
 * its day's bit in its state's mask; on PostgreSQL they travel as array
 * literals. A year of its own (2024), apart from the seed's. */
static void odd_rule_names(void **state)
{
	(void)state;
	static const char *const ids[] = {"a\"b", "c\\d", "e,f", "{g}", " h ", "NULL"};
	char err[600], token[65], stored[64];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	int64_t hid, org, t;
	assert_int_equal(store_enroll(s, ORG_DEFAULT, "pc-odd", token, err, sizeof err), 0);
	assert_int_equal(store_host_by_name(s, "pc-odd", &hid, &org, stored, sizeof stored), 1);
	assert_true(rfc3339_parse("2024-03-05T10:00:00Z", &t));
	json_t *results = json_array();
	for (size_t i = 0; i < 6; i++)
		json_array_append_new(results, json_pack("{s:s,s:s,s:s}", "pack", "odd", "id",
							 ids[i], "status", i % 2 ? "fail" : "pass"));
	json_t *rep = json_pack("{s:s,s:{s:s},s:o,s:[]}", "report_id",
				"00000000-0000-4000-8000-0dd000000001", "host", "hostname", "pc-odd",
				"results", results, "exceptions");
	char *body = json_dumps(rep, JSON_COMPACT);
	ingest in = {.report_id = "00000000-0000-4000-8000-0dd000000001", .host_id = hid,
		     .host_name = "pc-odd", .claimed_host = "pc-odd", .finished_at = t,
		     .received_at = t + 60, .score = 50.0, .body = body, .body_len = strlen(body),
		     .report = rep};
	assert_int_equal(store_ingest(s, &in, err, sizeof err), STORE_NEW);
	recompute *c = calloc(1, sizeof *c);
	for (size_t i = 0; i < 6; i++) {
		expect *e = &c->v[c->n++];
		e->host = hid;
		e->year = 2024;
		snprintf(e->rule, sizeof e->rule, "odd:%s", ids[i]);
		e->m[i % 2][2] = 1u << 4; /* 5 March */
		e->last_at = t;
		e->last = i % 2 ? 'f' : 'p';
	}
	assert_int_equal(store_each_rule_year(s, ORG_DEFAULT, 2024, on_year, c, err, sizeof err),
			 0);
	for (size_t k = 0; k < c->n; k++)
		if (!c->v[k].seen)
			fail_msg("no row for rule \"%s\"", c->v[k].rule);
	free(c);
	free(body);
	json_decref(rep);
	store_close(s);
}

/* ---- golden files ---- */

/* The report of the seeded store; 0, or -1 with err. */
static int run_report(const char *format, const char *lang, const char *out,
		      const char *department, char *err, size_t err_size)
{
	store *s = store_open(database, err, err_size);
	assert_non_null(s);
	char rules_dir[4200];
	snprintf(rules_dir, sizeof rules_dir, "%s/tests/fixtures/annual/rules", source);
	json_t *org = json_pack("{s:s,s:{s:s,s:s},s:{s:s,s:s},s:s}", "category", "more-active",
				"label", "en", "More active", "ja", "より積極的", "approach", "en",
				"Keep it up and widen it.", "ja", "今の取り組みを続け、広げる。",
				"organisation", "株式会社テスト");
	/* the directives as a placement records them (org_place()'s answers),
	 * out of order: the report lists them by number */
	json_object_set_new(org, "answers", json_loads(
		"{\"directive_10\": {\"axis\": \"directive\", \"state\": \"missing\","
		" \"label\": {\"en\": \"Directive 10\", \"ja\": \"指示10\"}},"
		" \"directive_2\": {\"axis\": \"directive\", \"state\": \"stale\","
		" \"answer\": \"partly\", \"who\": \"Sato\", \"when\": \"2025-01-10\","
		" \"label\": {\"en\": \"Directive 2\", \"ja\": \"指示2\"}},"
		" \"directive_1\": {\"axis\": \"directive\", \"state\": \"current\","
		" \"answer\": \"yes\", \"who\": \"山田 太郎\", \"when\": \"2026-04-01\","
		" \"label\": {\"en\": \"Directive 1\", \"ja\": \"指示1\"},"
		" \"evidence\": {\"title\": \"情報セキュリティ基本方針\","
		" \"path\": \"/srv/docs/policy.pdf\", \"sha256\":"
		" \"3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7\","
		" \"check\": \"matches\"}},"
		" \"it_used\": {\"axis\": \"it-use\", \"state\": \"current\","
		" \"answer\": \"yes\", \"label\": {\"en\": \"IT\", \"ja\": \"IT\"}}}",
		0, NULL));
	json_t *prev = json_pack("{s:s,s:{s:s,s:s}}", "category", "danger-unprepared", "label",
				 "en", "Danger (unprepared)", "ja", "【危険】(理解しているが不十分)");
	annual_options o = {.year = 2026, .format = format, .out = out, .stale_days = 30,
			    .lang = lang, .department = department, .rules_dir = rules_dir,
			    .organisation_name = "株式会社テスト", .organisation = org,
			    .organisation_prev = prev, .org_id = 1};
	assert_true(rfc3339_parse("2026-12-20T00:00:00Z", &o.now));
	int rc = annual_report(s, &o, err, err_size);
	json_decref(org);
	json_decref(prev);
	store_close(s);
	return rc;
}

static void report(const char *format, const char *lang, const char *out,
		   const char *department)
{
	char err[600];
	if (run_report(format, lang, out, department, err, sizeof err) != 0)
		fail_msg("report %s %s: %s", format, lang, err);
}

static void golden(const char *produced, const char *name)
{
	char path[4200];
	snprintf(path, sizeof path, "%s/tests/collector/golden/annual/%s", source, name);
	char *got = slurp(produced);
	assert_non_null(got);
	if (getenv("HOSTAUDIT_UPDATE_GOLDEN") && !testdb_pg()) {
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(got, f);
		fclose(f);
	}
	char *want = slurp(path);
	if (!want)
		fail_msg("no golden file %s (HOSTAUDIT_UPDATE_GOLDEN=1 writes it)", path);
	if (strcmp(got, want) != 0)
		fail_msg("%s differs from %s", produced, path);
	free(got);
	free(want);
}

static void golden_en_ja(void **state)
{
	(void)state;
	static const char *const langs[] = {"en", "ja"};
	for (int l = 0; l < 2; l++) {
		const char *lang = langs[l];
		char out[4200], name[64];
		snprintf(out, sizeof out, "%s", at("annual-%s.html", lang));
		report("html", lang, out, NULL);
		snprintf(name, sizeof name, "annual-%s.html", lang);
		golden(out, name);
		snprintf(out, sizeof out, "%s", at("annual-%s.json", lang));
		report("json", lang, out, NULL);
		snprintf(name, sizeof name, "annual-%s.json", lang);
		golden(out, name);
		snprintf(out, sizeof out, "%s", at("csv-%s", lang));
		report("csv", lang, out, NULL);
		static const char *const files[] = {"summary", "rules", "host_rules", "hosts",
						    "exceptions", "evidence"};
		for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
			char p[4300];
			snprintf(p, sizeof p, "%s/%s.csv", out, files[i]);
			snprintf(name, sizeof name, "csv-%s-%s.csv", lang, files[i]);
			golden(p, name);
		}
		snprintf(out, sizeof out, "%s", at("annual-%s.xlsx", lang));
		report("xlsx", lang, out, NULL);
		struct stat sb;
		assert_int_equal(stat(out, &sb), 0);
		assert_int_equal(sb.st_mode & 0777, 0600);
	}
	/* What the goldens must show, said once more in words. */
	char *h = slurp(at("annual-ja.html"));
	assert_non_null(strstr(h, "2026年 情報セキュリティ年次監査報告書"));
	assert_non_null(strstr(h, "報告なし"));             /* pc-02 after August */
	assert_non_null(strstr(h, "期限切れなのに適用中")); /* the March exception */
	assert_non_null(strstr(h, "<svg"));
	/* this year's category beside last year's, the directives by number */
	assert_non_null(strstr(h, "【危険】(理解しているが不十分)"));
	char *d1 = strstr(h, "指示1<"), *d2 = strstr(h, "指示2<"), *d10 = strstr(h, "指示10<");
	assert_true(d1 && d2 && d10 && d1 < d2 && d2 < d10);
	assert_non_null(strstr(h, "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"));
	free(h);
	char *sc = slurp(at("csv-en/summary.csv"));
	assert_non_null(strstr(sc, "\"category last year\",\"danger-unprepared\""));
	assert_non_null(strstr(sc, "\"directive_1\",\"Directive 1\",\"yes\",\"current\""));
	assert_non_null(strstr(sc, "3a6eb0790f39ac87c94f3856b2dd2c5d110e6811602261a9a923d3bb23adc8b7"));
	free(sc);
	char *j = slurp(at("annual-en.json"));
	json_t *doc = json_loads(j, 0, NULL);
	assert_non_null(doc);
	json_t *cov = json_object_get(doc, "coverage");
	assert_int_equal(json_integer_value(json_object_get(cov, "expected")), 4);
	assert_int_equal(json_integer_value(json_object_get(cov, "reporting")), 3);
	/* every month cell says what it is */
	size_t i;
	json_t *hst;
	json_array_foreach(json_object_get(doc, "hosts"), i, hst) {
		const char *k;
		json_t *months;
		json_object_foreach(json_object_get(hst, "monthly"), k, months) {
			assert_int_equal(json_array_size(months), 12);
			size_t mi;
			json_t *c;
			json_array_foreach(months, mi, c)
				assert_non_null(json_string_value(json_object_get(c, "state")));
		}
	}
	json_decref(doc);
	free(j);
	/* a formula in an inventory cell stays text */
	char *csv = slurp(at("csv-en/hosts.csv"));
	assert_non_null(strstr(csv, "\"'=cmd|"));
	assert_int_equal((unsigned char)csv[0], 0xEF);
	free(csv);
}

static void department_only(void **state)
{
	(void)state;
	report("json", "en", at("dept.json"), "総務部");
	char *j = slurp(at("dept.json"));
	json_t *doc = json_loads(j, 0, NULL);
	assert_int_equal(json_array_size(json_object_get(doc, "hosts")), 2); /* pc-01, pc-04 */
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(doc, "evidence"), i, e)
		assert_string_equal(json_string_value(json_array_get(e, 1)), "pc-01");
	json_decref(doc);
	free(j);
}

/* The evidence list through the pipe (a reader thread, batches of 2,048
 * rows): the same rows in the same order as read directly, over many
 * batches; a stop asked for midway stops it there. */
typedef struct listed {
	EVP_MD_CTX *md;
	long n, stop_at;
} listed;

static int on_row(void *x, const store_evidence *e)
{
	listed *l = x;
	char line[600];
	int n = snprintf(line, sizeof line, "%s,%lld,%lld,%lld,%s\n", e->report_id,
			 (long long)e->host_id, (long long)e->finished_at, (long long)e->received_at,
			 e->body_sha256);
	EVP_DigestUpdate(l->md, line, (size_t)n);
	return ++l->n == l->stop_at;
}

static void list_evidence(store *s, bool piped, long stop_at, long *n, char hex[65])
{
	char err[600];
	int64_t from, to;
	assert_true(rfc3339_parse("2026-01-01T00:00:00Z", &from));
	assert_true(rfc3339_parse("2027-01-01T00:00:00Z", &to));
	listed l = {.md = EVP_MD_CTX_new(), .stop_at = stop_at};
	EVP_DigestInit_ex(l.md, EVP_sha256(), NULL);
	int rc = piped ? am_each_evidence_piped(s, 1, from, to, on_row, &l, err, sizeof err)
		       : store_each_evidence(s, 1, from, to, on_row, &l, err, sizeof err);
	assert_int_equal(rc, stop_at ? 1 : 0);
	unsigned char md[32];
	unsigned int len;
	EVP_DigestFinal_ex(l.md, md, &len);
	EVP_MD_CTX_free(l.md);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	*n = l.n;
}

static void evidence_piped(void **state)
{
	(void)state;
	assert_int_equal(
		testdb_exec(database,
			    "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n"
			    " WHERE i < 9000) INSERT INTO reports(report_id, host_id,"
			    " claimed_hostname, hostname_mismatch, finished_at, received_at, score,"
			    " body_sha256, summary) SELECT 'bulk-' || i, r.host_id,"
			    " r.claimed_hostname, 0, r.finished_at + i, r.received_at + i, r.score,"
			    " r.body_sha256, r.summary FROM n,"
			    " (SELECT * FROM reports ORDER BY id LIMIT 1) r"),
		0);
	char err[600], direct[65], piped[65];
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	long nd = 0, np = 0;
	list_evidence(s, false, 0, &nd, direct);
	list_evidence(s, true, 0, &np, piped);
	assert_true(nd > 9000);
	assert_int_equal(np, nd);
	assert_string_equal(piped, direct);
	list_evidence(s, true, 5000, &np, piped); /* in the third batch */
	assert_int_equal(np, 5000);
	list_evidence(s, true, 2048, &np, piped); /* the first batch's last row */
	assert_int_equal(np, 2048);
	store_close(s);
}

static int count_host(void *x, const store_host *h)
{
	(void)h;
	++*(long *)x;
	return 0;
}

static long hosts_seen(store *s)
{
	char err[600];
	long n = 0;
	assert_int_equal(store_each_host(s, 1, count_host, &n, err, sizeof err), 0);
	return n;
}

/* The report's two handles read one snapshot: a commit made after they
 * began is seen by neither, and by both once they end. */
static void twin_one_snapshot(void **state)
{
	(void)state;
	char err[600];
	store *s = store_open(database, err, sizeof err), *twin = NULL;
	assert_non_null(s);
	long before = hosts_seen(s);
	assert_int_equal(store_read_begin_twin(s, &twin, err, sizeof err), 0);
	assert_non_null(twin);
	assert_int_equal(testdb_exec(database, "INSERT INTO hosts(name, org_id, enrolled_at)"
					       " VALUES('pc-late', 1, 0)"),
			 0);
	assert_int_equal(hosts_seen(s), before);
	assert_int_equal(hosts_seen(twin), before);
	store_read_end(twin);
	store_close(twin);
	store_read_end(s);
	assert_int_equal(hosts_seen(s), before + 1);
	store_close(s);
}

/* No --out: the report goes to stdout through a spool (the summary's
 * SHA-256 of the evidence list is filled in before it is copied out), the
 * same bytes as a file; to a file and to a pipe. */
static void to_stdout(void **state)
{
	(void)state;
	static const char *const formats[] = {"html", "json"};
	for (int k = 0; k < 2; k++) {
		char name[64];
		snprintf(name, sizeof name, "annual-en.%s", formats[k]);
		fflush(stdout);
		int saved = dup(1), fd = open(at("stdout.%s", formats[k]),
					      O_WRONLY | O_CREAT | O_TRUNC, 0600);
		assert_true(saved >= 0 && fd >= 0);
		dup2(fd, 1);
		close(fd);
		report(formats[k], "en", NULL, NULL);
		fflush(stdout);
		dup2(saved, 1);
		golden(at("stdout.%s", formats[k]), name);
		/* a pipe, large enough for the whole report: read after */
		int p[2];
		assert_int_equal(pipe(p), 0);
		assert_true(fcntl(p[1], F_SETPIPE_SZ, 1 << 20) >= 1 << 20);
		dup2(p[1], 1);
		close(p[1]);
		report(formats[k], "en", NULL, NULL);
		fflush(stdout);
		dup2(saved, 1);
		close(saved);
		FILE *piped = fdopen(p[0], "r"), *copy = fopen(at("piped.%s", formats[k]), "w");
		assert_true(piped && copy);
		char buf[65536];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, piped)) > 0)
			fwrite(buf, 1, n, copy);
		fclose(piped);
		fclose(copy);
		golden(at("piped.%s", formats[k]), name);
	}
}

/* html and json count the reports (host_months) before they list them:
 * a count that is not the list's (a store edited by hand, an aggregate
 * gone wrong) is an error, and no report is left, not even in part. */
static void counted_not_listed(void **state)
{
	(void)state;
	assert_int_equal(testdb_exec(database, "UPDATE host_months SET reports = reports + 1"
					       " WHERE month = 202603"),
			 0);
	/* html and json read the list at its place, xlsx beside its sheets */
	static const char *const formats[] = {"html", "json", "xlsx"};
	for (int k = 0; k < 3; k++) {
		char err[600] = "";
		const char *out = at("miscounted.%s", formats[k]);
		assert_int_equal(run_report(formats[k], "en", out, NULL, err, sizeof err), -1);
		/* 107 listed, 110 counted (three hosts' March one more), in
		 * whichever language the test runs */
		if (!strstr(err, "107") || !strstr(err, "110"))
			fail_msg("%s: %s", formats[k], err);
		assert_int_equal(access(out, F_OK), -1);
		DIR *d = opendir(work);
		assert_non_null(d);
		for (struct dirent *e; (e = readdir(d));)
			if (strncmp(e->d_name, "miscounted.", 11) == 0)
				fail_msg("left behind: %s", e->d_name);
		closedir(d);
	}
}

/* A host_rule_years row whose days are not 192 bytes: PostgreSQL's
 * bit(1536) refuses it; SQLite's BLOB holds it, and then the report and
 * the ingest that would add to it fail, naming the table, storing and
 * leaving nothing. */
static void days_not_understood(void **state)
{
	(void)state;
	if (testdb_pg()) {
		assert_int_equal(testdb_exec(database, "UPDATE host_rule_years SET days = B'0'"), -1);
		return;
	}
	assert_int_equal(testdb_exec(database, "UPDATE host_rule_years SET days = x'00'"), 0);
	char err[600] = "";
	const char *out = at("bad-days.html");
	assert_int_equal(run_report("html", "en", out, NULL, err, sizeof err), -1);
	/* "days not understood", in whichever language the test runs */
	if (!strstr(err, "host_rule_years") || !strstr(err, "days"))
		fail_msg("html: %s", err);
	assert_int_equal(access(out, F_OK), -1);
	DIR *d = opendir(work);
	assert_non_null(d);
	for (struct dirent *e; (e = readdir(d));)
		if (strncmp(e->d_name, "bad-days.", 9) == 0)
			fail_msg("left behind: %s", e->d_name);
	closedir(d);
	long before = testdb_int(database, "SELECT count(*) FROM reports", NULL);
	store *s = store_open(database, err, sizeof err);
	assert_non_null(s);
	int64_t hid, org;
	char name[64];
	assert_int_equal(store_host_by_name(s, "pc-01", &hid, &org, name, sizeof name), 1);
	int64_t t;
	assert_true(rfc3339_parse("2026-12-10T09:00:00Z", &t));
	ingest_one(s, hid, "pc-01", 0, 342, t, 9999, false, REFUSED);
	store_close(s);
	assert_int_equal(testdb_int(database, "SELECT count(*) FROM reports", NULL), before);
}

/* The places the list's SHA-256 is filled in: AM_LEDGER_MARKS at most,
 * in a seekable file; none to remember when the list was read before. */
static void ledger_marks(void **state)
{
	(void)state;
	annual_model m = {.deferred = true};
	FILE *f = tmpfile();
	assert_non_null(f);
	for (int i = 0; i < AM_LEDGER_MARKS; i++) {
		assert_true(fputs("sha: ", f) >= 0);
		assert_int_equal(am_ledger_mark(&m, f, 1), 0);
		assert_int_equal(m.ledger_at[i], (off_t)(5 * (i + 1) + 1));
	}
	assert_int_equal(am_ledger_mark(&m, f, 0), -1); /* one too many */
	assert_int_equal(m.nledger_at, AM_LEDGER_MARKS);
	fclose(f);
	int p[2];
	assert_int_equal(pipe(p), 0);
	FILE *piped = fdopen(p[1], "w");
	assert_non_null(piped);
	annual_model fresh = {.deferred = true};
	assert_int_equal(am_ledger_mark(&fresh, piped, 0), -1); /* not seekable */
	annual_model read = {.deferred = false};
	assert_int_equal(am_ledger_mark(&read, piped, 0), 0);
	assert_int_equal(read.nledger_at, 0);
	fclose(piped);
	close(p[0]);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: test_annual WORK_DIR SOURCE_DIR\n");
		return 2;
	}
	work = argv[1];
	source = argv[2];
	mkdir(work, 0700);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(aggregate_equals_recomputation, setup),
		cmocka_unit_test_setup(golden_en_ja, setup),
		cmocka_unit_test_setup(department_only, setup),
		cmocka_unit_test_setup(to_stdout, setup),
		cmocka_unit_test_setup(twin_one_snapshot, setup),
		cmocka_unit_test_setup(evidence_piped, setup),
		cmocka_unit_test_setup(counted_not_listed, setup),
		cmocka_unit_test(ledger_marks),
		cmocka_unit_test_setup(days_not_understood, setup),
		cmocka_unit_test_setup(odd_rule_names, setup),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
