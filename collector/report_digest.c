/* SPDX-License-Identifier: Apache-2.0 */
/* A report's digest (store.h): the few things every fleet view reads of a
 * report, made once when it is stored, so that the console, the read API
 * and /metrics never parse a body again. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "store_backend.h" /* store_jstr() */

/* The statuses the schema has: a tally's counts, their keys and the
 * codes of a stored summary ("pack:id=c"). */
enum { ST_PASS, ST_FAIL, ST_UNKNOWN, ST_ERROR, ST_NOT_APPLICABLE, ST_DISABLED, N_STATUS };
static const char *const status_keys[N_STATUS] = {
	[ST_PASS] = "pass", [ST_FAIL] = "fail",
	[ST_UNKNOWN] = "unknown", [ST_ERROR] = "error",
	[ST_NOT_APPLICABLE] = "not_applicable", [ST_DISABLED] = "disabled"};
static const char status_codes[N_STATUS] = {
	[ST_PASS] = 'p', [ST_FAIL] = 'f', [ST_UNKNOWN] = 'u',
	[ST_ERROR] = 'e', [ST_NOT_APPLICABLE] = 'n', [ST_DISABLED] = 'd'};

/* A tally counts in C and becomes JSON once: an increment made in jansson
 * allocated a number each time, for every result of every report. */
typedef struct tally {
	json_int_t n[N_STATUS];
} tally;

/* The index of a status in a tally; -1 for one the schema does not have. */
static int status_index(const char *st)
{
	for (int i = 0; i < (int)N_STATUS; i++)
		if (strcmp(st, status_keys[i]) == 0)
			return i;
	return -1;
}

static json_t *tally_json(const tally *t)
{
	json_t *o = json_object();
	for (size_t i = 0; i < N_STATUS; i++)
		json_object_set_new(o, status_keys[i], json_integer(t->n[i]));
	return o;
}

/* The tallies of the articles: "pack:number" -> its index in v (the index
 * a hash, so a report of many articles is not quadratic). */
typedef struct article_tallies {
	json_t *index;
	tally *v;
	size_t n, cap;
} article_tallies;

static tally *article_tally(article_tallies *a, const char *key)
{
	json_t *ix = json_object_get(a->index, key);
	if (ix)
		return &a->v[json_integer_value(ix)];
	if (a->n == a->cap) {
		size_t cap = a->cap ? 2 * a->cap : 16;
		tally *v = realloc(a->v, cap * sizeof *v);
		if (!v)
			return NULL;
		a->v = v;
		a->cap = cap;
	}
	memset(&a->v[a->n], 0, sizeof a->v[a->n]);
	json_object_set_new(a->index, key, json_integer((json_int_t)a->n));
	return &a->v[a->n++];
}

static json_t *articles_json(const article_tallies *a)
{
	json_t *o = json_object();
	const char *key;
	json_t *ix;
	json_object_foreach(a->index, key, ix)
		json_object_set_new(o, key, tally_json(&a->v[json_integer_value(ix)]));
	return o;
}

static char *dump(json_t *d)
{
	char *s = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	return s;
}

char *report_digest(const json_t *report)
{
	tally t = {{0}};
	article_tallies arts = {.index = json_object()};
	json_t *failing = json_array(), *exceptions = json_array();
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(report, "results"), i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *pack = json_string_value(json_object_get(r, "pack"));
		int k = st ? status_index(st) : -1;
		if (k < 0 || !id || !pack)
			continue;
		t.n[k]++;
		json_t *art = json_object_get(r, "article");
		if (json_is_integer(art)) {
			char ak[96];
			snprintf(ak, sizeof ak, "%s:%lld", pack, (long long)json_integer_value(art));
			tally *at = article_tally(&arts, ak);
			if (at)
				at->n[k]++;
		}
		if (k == ST_FAIL) {
			json_t *title = json_object_get(r, "title");
			json_array_append_new(
				failing,
				json_pack("{s:s,s:s,s:s,s:{s:s,s:s}}", "rule", id, "pack", pack,
					  "severity", store_jstr(r, "severity"), "title", "en",
					  store_jstr(title, "en"), "ja", store_jstr(title, "ja")));
		}
	}
	json_t *e;
	json_array_foreach(json_object_get(report, "exceptions"), i, e) {
		const char *rule = json_string_value(json_object_get(e, "rule"));
		if (rule)
			json_array_append_new(exceptions, json_string(rule));
	}
	json_t *d = json_pack("{s:o,s:o,s:o,s:o}", "t", tally_json(&t), "articles",
			      articles_json(&arts), "failing", failing, "exceptions", exceptions);
	json_decref(arts.index);
	free(arts.v);
	return dump(d);
}

char *report_digest_from_summary(const char *summary)
{
	tally t = {{0}};
	json_t *failing = json_array();
	/* "pack:id=c\n" per result */
	for (const char *p = summary ? summary : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', n), *colon = memchr(p, ':', n);
		const char *c = eq && colon && colon < eq && eq + 1 < p + n ?
					memchr(status_codes, eq[1], sizeof status_codes) : NULL;
		if (c) {
			t.n[c - status_codes]++;
			if (c - status_codes == ST_FAIL)
				json_array_append_new(
					failing,
					json_pack("{s:s#,s:s#,s:s,s:{s:s,s:s}}", "rule", colon + 1,
						  (int)(eq - colon - 1), "pack", p, (int)(colon - p),
						  "severity", "", "title", "en", "", "ja", ""));
		}
		p += n + (nl ? 1 : 0);
	}
	return dump(json_pack("{s:o,s:o,s:o,s:o,s:b}", "t", tally_json(&t), "articles",
			      json_object(), "failing", failing, "exceptions", json_array(),
			      "from_summary", 1));
}
