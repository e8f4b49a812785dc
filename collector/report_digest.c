/* SPDX-License-Identifier: Apache-2.0 */
/* A report's digest (store.h): the few things every fleet view reads of a
 * report, made once when it is stored, so that the console, the read API
 * and /metrics never parse a body again. */
#define _GNU_SOURCE
#include <stdio.h>
#include <string.h>

#include "store_backend.h" /* store_jstr() */

/* The tally key of a status; NULL for a status the schema does not have. */
static const char *status_key(const char *st)
{
	static const char *const keys[] = {"pass", "fail", "unknown", "error",
					   "not_applicable", "disabled"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (strcmp(st, keys[i]) == 0)
			return keys[i];
	return NULL;
}

static json_t *tally_new(void)
{
	return json_pack("{s:i,s:i,s:i,s:i,s:i,s:i}", "pass", 0, "fail", 0, "unknown", 0,
			 "error", 0, "not_applicable", 0, "disabled", 0);
}

static void tally_add(json_t *t, const char *key)
{
	json_t *v = json_object_get(t, key);
	json_object_set_new(t, key, json_integer(json_integer_value(v) + 1));
}

static char *dump(json_t *d)
{
	char *s = d ? json_dumps(d, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(d);
	return s;
}

char *report_digest(const json_t *report)
{
	json_t *d = json_pack("{s:o,s:o,s:o,s:o}", "t", tally_new(), "articles", json_object(),
			      "failing", json_array(), "exceptions", json_array());
	if (!d)
		return NULL;
	json_t *t = json_object_get(d, "t"), *arts = json_object_get(d, "articles");
	json_t *failing = json_object_get(d, "failing");
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(report, "results"), i, r) {
		const char *st = json_string_value(json_object_get(r, "status"));
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *pack = json_string_value(json_object_get(r, "pack"));
		const char *key = st ? status_key(st) : NULL;
		if (!key || !id || !pack)
			continue;
		tally_add(t, key);
		json_t *art = json_object_get(r, "article");
		if (json_is_integer(art)) {
			char ak[96];
			snprintf(ak, sizeof ak, "%s:%lld", pack, (long long)json_integer_value(art));
			json_t *at = json_object_get(arts, ak);
			if (!at) {
				at = tally_new();
				json_object_set_new(arts, ak, at);
			}
			tally_add(at, key);
		}
		if (strcmp(key, "fail") == 0) {
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
			json_array_append_new(json_object_get(d, "exceptions"), json_string(rule));
	}
	return dump(d);
}

char *report_digest_from_summary(const char *summary)
{
	static const struct {
		char c;
		const char *key;
	} codes[] = {{'p', "pass"}, {'f', "fail"}, {'u', "unknown"},
		     {'e', "error"}, {'n', "not_applicable"}, {'d', "disabled"}};
	json_t *d = json_pack("{s:o,s:o,s:o,s:o,s:b}", "t", tally_new(), "articles",
			      json_object(), "failing", json_array(), "exceptions", json_array(),
			      "from_summary", 1);
	if (!d)
		return NULL;
	/* "pack:id=c\n" per result */
	for (const char *p = summary ? summary : ""; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		const char *eq = memchr(p, '=', n), *colon = memchr(p, ':', n);
		if (eq && colon && colon < eq && eq + 1 < p + n) {
			for (size_t k = 0; k < sizeof codes / sizeof codes[0]; k++) {
				if (codes[k].c != eq[1])
					continue;
				tally_add(json_object_get(d, "t"), codes[k].key);
				if (codes[k].c == 'f')
					json_array_append_new(
						json_object_get(d, "failing"),
						json_pack("{s:s#,s:s#,s:s,s:{s:s,s:s}}", "rule",
							  colon + 1, (int)(eq - colon - 1), "pack", p,
							  (int)(colon - p), "severity", "", "title",
							  "en", "", "ja", ""));
			}
		}
		p += n + (nl ? 1 : 0);
	}
	return dump(d);
}
