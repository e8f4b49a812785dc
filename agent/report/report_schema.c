/* SPDX-License-Identifier: Apache-2.0 */
/* The report's schema as code (docs/report.md describes the same). The
 * agent checks what it writes; the collector checks what it receives. */
#include "hostaudit/compiler.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "hostaudit/report.h"
#include "util.h"

typedef struct checker {
	char *err;
	size_t size;
	int failed;
} checker;

static int fail(checker *c, const char *fmt, ...) HOSTAUDIT_PRINTF(2, 3);
static int fail(checker *c, const char *fmt, ...)
{
	if (!c->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(c->err, c->size, fmt, ap);
		va_end(ap);
	}
	c->failed = 1;
	return -1;
}

static const json_t *member(checker *c, const json_t *o, const char *path, const char *key,
			    int type)
{
	const json_t *v = json_object_get(o, key);
	if (!v) {
		fail(c, "%s%s%s: missing", path, *path ? "." : "", key);
		return NULL;
	}
	bool ok = type == JSON_TRUE ? json_is_boolean(v)
		  : type == JSON_REAL ? json_is_number(v)
				      : (int)json_typeof(v) == type;
	if (!ok) {
		fail(c, "%s%s%s: wrong type", path, *path ? "." : "", key);
		return NULL;
	}
	return v;
}

static bool one_of(const char *s, const char *const list[])
{
	for (size_t i = 0; list[i]; i++)
		if (!strcmp(s, list[i]))
			return true;
	return false;
}

static int want_enum(checker *c, const json_t *o, const char *path, const char *key,
		     const char *const list[])
{
	const json_t *v = member(c, o, path, key, JSON_STRING);
	if (v && !one_of(json_string_value(v), list))
		return fail(c, "%s.%s: '%s' is not allowed", path, key, json_string_value(v));
	return v ? 0 : -1;
}

static int want_time(checker *c, const json_t *o, const char *path, const char *key)
{
	const json_t *v = member(c, o, path, key, JSON_STRING);
	long long t;
	if (v && parse_time_utc(json_string_value(v), &t) != 0)
		return fail(c, "%s%s%s: not an RFC 3339 time", path, *path ? "." : "", key);
	return v ? 0 : -1;
}

static int want_text(checker *c, const json_t *o, const char *path, const char *key)
{
	const json_t *t = member(c, o, path, key, JSON_OBJECT);
	if (!t)
		return -1;
	char p[128];
	snprintf(p, sizeof p, "%s.%s", path, key);
	return member(c, t, p, "en", JSON_STRING) && member(c, t, p, "ja", JSON_STRING) ? 0 : -1;
}

bool report_id_valid(const char *s)
{
	if (strlen(s) != 36)
		return false;
	for (int i = 0; i < 36; i++) {
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (s[i] != '-')
				return false;
		} else if (!isxdigit((unsigned char)s[i]) || isupper((unsigned char)s[i])) {
			return false;
		}
	}
	return s[14] == '4' && strchr("89ab", s[19]) != NULL;
}

bool report_name_valid(const char *s, bool dots)
{
	if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '-' ||
		      *s == '_' || (dots && *s == '.')))
			return false;
	return true;
}

static bool is_sha256_hex(const char *s)
{
	if (strlen(s) != 64)
		return false;
	for (; *s; s++)
		if (!isxdigit((unsigned char)*s) || isupper((unsigned char)*s))
			return false;
	return true;
}

static const char *const fact_types[] = {"bool", "int", "string", "time", "list", NULL};
static const char *const fact_states[] = {"known", "unknown", "not_applicable", "error", NULL};
static const char *const statuses[] = {"pass", "fail", "unknown", "not_applicable",
				       "error", "disabled", NULL};
static const char *const severities[] = {"info", "low", "medium", "high", "critical", NULL};

/* Composed texts nest no deeper than this (a probe nests two). */
#define MSG_DEPTH_MAX 8

/* {"id": string, "args": [string], "parts"?: [null or a message]}, with
 * as many parts as arguments. */
static int check_msg_object(checker *c, const json_t *m, const char *p, int depth)
{
	if (!json_is_object(m))
		return fail(c, "%s: not an object", p);
	const json_t *args = member(c, m, p, "args", JSON_ARRAY);
	if (!member(c, m, p, "id", JSON_STRING) || !args)
		return -1;
	size_t i;
	const json_t *a;
	json_array_foreach(args, i, a) if (!json_is_string(a)) return fail(
		c, "%s.args[%zu]: not a string", p, i);
	const json_t *parts = json_object_get(m, "parts");
	if (!parts)
		return 0;
	if (!json_is_array(parts) || json_array_size(parts) != json_array_size(args))
		return fail(c, "%s.parts: not an array as long as args", p);
	if (depth >= MSG_DEPTH_MAX)
		return fail(c, "%s.parts: nested deeper than %d", p, MSG_DEPTH_MAX);
	json_array_foreach(parts, i, a) {
		char sub[400];
		snprintf(sub, sizeof sub, "%s.parts[%zu]", p, i);
		if (!json_is_null(a) && check_msg_object(c, a, sub, depth + 1))
			return -1;
	}
	return 0;
}

/* "evidence_msg" / "reason_msg": optional messages. */
static int check_msg(checker *c, const json_t *f, const char *path, const char *key)
{
	const json_t *m = json_object_get(f, key);
	if (!m)
		return 0;
	char p[300];
	snprintf(p, sizeof p, "%s.%s", path, key);
	return check_msg_object(c, m, p, 0);
}

static int check_fact(checker *c, const char *name, const json_t *f)
{
	char p[256];
	snprintf(p, sizeof p, "facts.%s", name);
	if (!json_is_object(f))
		return fail(c, "%s: not an object", p);
	if (check_msg(c, f, p, "evidence_msg") || check_msg(c, f, p, "reason_msg"))
		return -1;
	if (want_enum(c, f, p, "type", fact_types) || want_enum(c, f, p, "state", fact_states))
		return -1;
	const char *type = json_string_value(json_object_get(f, "type"));
	const char *state = json_string_value(json_object_get(f, "state"));
	const json_t *v = json_object_get(f, "value");
	if (strcmp(state, "known") != 0) {
		if (v)
			return fail(c, "%s: a value on a fact that is not known", p);
		return member(c, f, p, "reason", JSON_STRING) ? 0 : -1;
	}
	if (!v)
		return fail(c, "%s.value: missing", p);
	bool ok = !strcmp(type, "bool")	    ? json_is_boolean(v)
		  : !strcmp(type, "int")    ? json_is_integer(v)
		  : !strcmp(type, "string") ? json_is_string(v)
		  : !strcmp(type, "list")   ? json_is_array(v)
					    : json_is_string(v);
	if (!ok)
		return fail(c, "%s.value: not a %s", p, type);
	static const char *const sources[] = {"host", "organisation", NULL};
	if (json_object_get(f, "attested_for") && want_enum(c, f, p, "attested_for", sources))
		return -1;
	if (!strcmp(type, "time"))
		return want_time(c, f, p, "value");
	if (!strcmp(type, "list")) {
		size_t i;
		const json_t *item;
		json_array_foreach(v, i, item) if (!json_is_string(item)) return fail(
			c, "%s.value[%zu]: not a string", p, i);
	}
	return 0;
}

static int check_result(checker *c, size_t i, const json_t *r)
{
	char p[64];
	snprintf(p, sizeof p, "results[%zu]", i);
	if (!json_is_object(r))
		return fail(c, "%s: not an object", p);
	if (!member(c, r, p, "pack", JSON_STRING) || !member(c, r, p, "id", JSON_STRING) ||
	    !member(c, r, p, "article", JSON_INTEGER) || !member(c, r, p, "weight", JSON_INTEGER) ||
	    !member(c, r, p, "attested", JSON_TRUE) ||
	    want_enum(c, r, p, "severity", severities) || want_enum(c, r, p, "status", statuses) ||
	    want_text(c, r, p, "title") || want_text(c, r, p, "remediation"))
		return -1;
	if (!report_name_valid(json_string_value(json_object_get(r, "pack")), false))
		return fail(c, "%s.pack: not a pack id", p);
	if (!report_name_valid(json_string_value(json_object_get(r, "id")), true))
		return fail(c, "%s.id: not a rule id", p);
	if (json_integer_value(json_object_get(r, "weight")) < 0)
		return fail(c, "%s.weight: negative", p);
	const json_t *partial = json_object_get(r, "partial");
	if (partial && !(json_is_boolean(partial) &&
			 !strcmp(json_string_value(json_object_get(r, "status")), "fail")))
		return fail(c, "%s.partial: only a failed rule can be partly met", p);
	const json_t *facts = member(c, r, p, "facts", JSON_ARRAY);
	if (!facts)
		return -1;
	size_t k;
	const json_t *f;
	json_array_foreach(facts, k, f) if (!json_is_string(f)) return fail(
		c, "%s.facts[%zu]: not a string", p, k);
	return 0;
}

static int by_rule(const void *a, const void *b)
{
	const json_t *x = *(const json_t *const *)a, *y = *(const json_t *const *)b;
	int d = strcmp(json_string_value(json_object_get(x, "pack")),
		       json_string_value(json_object_get(y, "pack")));
	return d ? d : strcmp(json_string_value(json_object_get(x, "id")),
			      json_string_value(json_object_get(y, "id")));
}

/* A rule once per report: the collector's year and the console count each
 * (pack, id) once, and two verdicts on one rule would leave to the store
 * which one holds. Sorted, so a long hostile list costs n log n. */
static int check_rules_once(checker *c, const json_t *results)
{
	size_t n = json_array_size(results);
	if (n < 2)
		return 0;
	const json_t **v = malloc(n * sizeof *v);
	if (!v)
		return fail(c, "results: out of memory");
	for (size_t i = 0; i < n; i++)
		v[i] = json_array_get(results, i);
	qsort(v, n, sizeof *v, by_rule);
	int rc = 0;
	for (size_t i = 1; i < n && rc == 0; i++)
		if (by_rule(&v[i - 1], &v[i]) == 0)
			rc = fail(c, "results: rule %s:%s twice",
				  json_string_value(json_object_get(v[i], "pack")),
				  json_string_value(json_object_get(v[i], "id")));
	free(v);
	return rc;
}

static int check_tally(checker *c, const json_t *t, const char *p)
{
	static const char *const counts[] = {"pass", "fail", "unknown", "not_applicable",
					     "error", "disabled", NULL};
	if (!json_is_object(t))
		return fail(c, "%s: not an object", p);
	const json_t *s = json_object_get(t, "score");
	if (!s || !(json_is_null(s) || json_is_number(s)))
		return fail(c, "%s.score: missing or not a number", p);
	if (json_is_number(s) && (json_number_value(s) < 0 || json_number_value(s) > 100))
		return fail(c, "%s.score: outside 0..100", p);
	for (size_t i = 0; counts[i]; i++) {
		const json_t *v = member(c, t, p, counts[i], JSON_INTEGER);
		if (!v)
			return -1;
		if (json_integer_value(v) < 0)
			return fail(c, "%s.%s: negative", p, counts[i]);
	}
	return 0;
}

/* scores.packs[i].sheet, for packs scored like IPA's self-check sheet. */
static int check_sheet(checker *c, const json_t *sheet, const char *p)
{
	if (!json_is_object(sheet))
		return fail(c, "%s.sheet: not an object", p);
	char sp[96];
	snprintf(sp, sizeof sp, "%s.sheet", p);
	const json_t *points = member(c, sheet, sp, "points", JSON_INTEGER);
	const json_t *max = member(c, sheet, sp, "max", JSON_INTEGER);
	if (!points || !max || !member(c, sheet, sp, "unknown", JSON_INTEGER))
		return -1;
	json_int_t m = json_integer_value(max), pt = json_integer_value(points);
	if (m < 0 || m % 4 || pt > m || pt < -m / 4)
		return fail(c, "%s: points %lld do not fit max %lld", sp, (long long)pt,
			    (long long)m);
	const json_t *s = json_object_get(sheet, "score");
	if (!s || !(json_is_null(s) || json_is_number(s)))
		return fail(c, "%s.score: missing or not a number", sp);
	if (json_is_number(s) && (json_number_value(s) < -25 || json_number_value(s) > 100))
		return fail(c, "%s.score: outside -25..100", sp);
	return 0;
}

static int check_scores(checker *c, const json_t *rep)
{
	const json_t *s = member(c, rep, "", "scores", JSON_OBJECT);
	if (!s || check_tally(c, json_object_get(s, "overall"), "scores.overall"))
		return -1;
	const json_t *packs = member(c, s, "scores", "packs", JSON_ARRAY);
	if (!packs)
		return -1;
	size_t i;
	const json_t *pk;
	json_array_foreach(packs, i, pk)
	{
		char p[64];
		snprintf(p, sizeof p, "scores.packs[%zu]", i);
		if (check_tally(c, pk, p) || !member(c, pk, p, "pack", JSON_STRING) ||
		    !member(c, pk, p, "articles", JSON_ARRAY))
			return -1;
		const json_t *sheet = json_object_get(pk, "sheet");
		if (sheet && check_sheet(c, sheet, p))
			return -1;
		size_t k;
		const json_t *a;
		json_array_foreach(json_object_get(pk, "articles"), k, a)
		{
			char ap[96];
			snprintf(ap, sizeof ap, "%s.articles[%zu]", p, k);
			if (check_tally(c, a, ap) || !member(c, a, ap, "article", JSON_INTEGER))
				return -1;
			const json_t *sp = json_object_get(a, "sheet_points");
			if (sp && !json_is_null(sp) &&
			    (!json_is_integer(sp) || json_integer_value(sp) < -1 ||
			     json_integer_value(sp) > 4 || json_integer_value(sp) == 1 ||
			     json_integer_value(sp) == 3))
				return fail(c, "%s.sheet_points: not one of 4, 2, 0, -1, null", ap);
		}
	}
	return 0;
}

static int check_packs(checker *c, const json_t *rep)
{
	const json_t *packs = member(c, rep, "", "packs", JSON_ARRAY);
	if (!packs)
		return -1;
	size_t i;
	const json_t *pk;
	json_array_foreach(packs, i, pk)
	{
		char p[64];
		snprintf(p, sizeof p, "packs[%zu]", i);
		if (!json_is_object(pk))
			return fail(c, "%s: not an object", p);
		const json_t *sha = member(c, pk, p, "sha256", JSON_STRING);
		if (!member(c, pk, p, "id", JSON_STRING) || !member(c, pk, p, "path", JSON_STRING) ||
		    !sha || want_text(c, pk, p, "title"))
			return -1;
		if (!is_sha256_hex(json_string_value(sha)))
			return fail(c, "%s.sha256: not a SHA-256 in hex", p);
		static const char *const scorings[] = {"weighted", "ipa-sheet", NULL};
		if (json_object_get(pk, "scoring") && want_enum(c, pk, p, "scoring", scorings))
			return -1;
		if (json_object_get(pk, "short") && want_text(c, pk, p, "short"))
			return -1;
	}
	return 0;
}

/* The optional `organisation`: the company's category (docs/report.md). */
static int check_organisation(checker *c, const json_t *rep)
{
	const json_t *o = json_object_get(rep, "organisation");
	if (!o)
		return 0;
	if (!json_is_object(o))
		return fail(c, "organisation: not an object");
	static const char *const categories[] = {"ideal", "more-active", "wasteful",
						 "danger-unprepared", "danger-unaware", "no-it",
						 "unknown", NULL};
	static const char *const from[] = {"policy", "local", NULL};
	if (want_enum(c, o, "organisation", "category", categories) ||
	    !member(c, o, "organisation", "answers_file", JSON_STRING) ||
	    (json_object_get(o, "answers_from") &&
	     want_enum(c, o, "organisation", "answers_from", from)))
		return -1;
	bool unknown = !strcmp(json_string_value(json_object_get(o, "category")), "unknown");
	return want_text(c, o, "organisation", unknown ? "unknown_reason" : "label");
}

/* `policy` (docs/policy.md): optional, since older agents do not send it. */
static int check_policy(checker *c, const json_t *rep)
{
	const json_t *p = json_object_get(rep, "policy");
	if (!p)
		return 0;
	if (!json_is_object(p))
		return fail(c, "policy: wrong type");
	static const char *const sources[] = {"collector", "last-good", "local", NULL};
	if (want_enum(c, p, "policy", "source", sources))
		return -1;
	const json_t *v = json_object_get(p, "version"), *h = json_object_get(p, "sha256");
	bool local = !strcmp(json_string_value(json_object_get(p, "source")), "local");
	if (local ? !(json_is_null(v) || !v) : !(json_is_integer(v) && json_integer_value(v) > 0))
		return fail(c, "policy.version: %s", local ? "must be null with source local"
							 : "must be a version from 1");
	if (h && !json_is_null(h) && (!json_is_string(h) || strlen(json_string_value(h)) != 64))
		return fail(c, "policy.sha256: not a SHA-256 in hex");
	static const char *const texts[] = {"group", "refused", "note", NULL};
	for (size_t i = 0; texts[i]; i++) {
		const json_t *t = json_object_get(p, texts[i]);
		if (t && !json_is_string(t))
			return fail(c, "policy.%s: wrong type", texts[i]);
	}
	return 0;
}

int report_validate(const json_t *rep, char *err, size_t err_size)
{
	checker c = {err, err_size, 0};
	if (!json_is_object(rep))
		return fail(&c, "the report is not a JSON object");
	const json_t *v = member(&c, rep, "", "schema", JSON_STRING);
	if (!v)
		return -1;
	if (strcmp(json_string_value(v), REPORT_SCHEMA))
		return fail(&c, "schema: '%s' is not '%s'", json_string_value(v), REPORT_SCHEMA);
	v = member(&c, rep, "", "report_id", JSON_STRING);
	if (!v)
		return -1;
	if (!report_id_valid(json_string_value(v)))
		return fail(&c, "report_id: not a UUIDv4");
	const json_t *agent = member(&c, rep, "", "agent", JSON_OBJECT);
	const json_t *hostinfo = member(&c, rep, "", "host", JSON_OBJECT);
	if (!agent || !hostinfo || !member(&c, agent, "agent", "name", JSON_STRING) ||
	    !member(&c, agent, "agent", "version", JSON_STRING) ||
	    !member(&c, hostinfo, "host", "hostname", JSON_STRING) ||
	    !member(&c, hostinfo, "host", "os_release", JSON_OBJECT) ||
	    !member(&c, hostinfo, "host", "machine_id", JSON_STRING))
		return -1;
	static const char *const oses[] = {"linux", "windows", NULL};
	if (want_enum(&c, hostinfo, "host", "os", oses) || want_time(&c, rep, "", "now") ||
	    want_time(&c, rep, "", "started_at") || want_time(&c, rep, "", "finished_at"))
		return -1;
	if (check_packs(&c, rep) || !member(&c, rep, "", "params", JSON_OBJECT) ||
	    check_policy(&c, rep))
		return -1;
	const json_t *ex = member(&c, rep, "", "exceptions", JSON_ARRAY);
	if (!ex)
		return -1;
	size_t i;
	const json_t *item;
	json_array_foreach(ex, i, item)
	{
		char p[64];
		snprintf(p, sizeof p, "exceptions[%zu]", i);
		if (!json_is_object(item) || !member(&c, item, p, "rule", JSON_STRING) ||
		    !member(&c, item, p, "reason", JSON_STRING))
			return fail(&c, "%s: needs rule and reason", p);
	}
	const json_t *facts = member(&c, rep, "", "facts", JSON_OBJECT);
	if (!facts)
		return -1;
	const char *name;
	json_object_foreach((json_t *)facts, name, item) if (check_fact(&c, name, item)) return -1;
	const json_t *results = member(&c, rep, "", "results", JSON_ARRAY);
	if (!results)
		return -1;
	json_array_foreach(results, i, item) if (check_result(&c, i, item)) return -1;
	if (check_rules_once(&c, results) || check_organisation(&c, rep))
		return -1;
	return check_scores(&c, rep);
}
