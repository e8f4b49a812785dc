/* SPDX-License-Identifier: Apache-2.0 */
/* hostaudit-collector org attest|show (collector/org.h,
 * docs/organisation.md):
 *
 *   org attest [--lang en|ja] [--now T] [--questions FILE]
 *       asks management the open questions (a terminal or a pipe), keeps
 *       the answers under organisation_dir, and places the company
 *   org show [--format text|json] [--lang en|ja] [--now T]
 *            [--questions FILE] [--window-days N]
 *       places the company from the answers and the fleet's compliance,
 *       keeps this year's placement, and shows it beside last year's
 *   org export
 *       prints the answers file, checked (for a policy signed offline:
 *       org export > DIR/organisation.yaml, docs/policy.md)
 *
 * Exit status: 0 done, 1 the store failed, 2 usage or a bad questionnaire
 * or answers file (file:line:column). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "org.h"
#include "i18n.h"
#include "util.h"

#define ORG_USAGE "org attest|show|export [--format text|json] [--lang en|ja] [--now T] " \
		  "[--questions FILE] [--window-days N]"

typedef struct org_opts {
	const char *sub, *format, *lang, *questions;
	int64_t now;
	long window_days;
} org_opts;

static int usage(void)
{
	fprintf(stderr, _("usage: hostaudit-collector [-c CONFIG] %s\n"), ORG_USAGE);
	return 2;
}

static int parse(int argc, char **argv, org_opts *o)
{
	memset(o, 0, sizeof *o);
	o->now = (int64_t)time(NULL);
	o->format = "text";
	o->lang = i18n_lang_from_env();
	o->window_days = 365;
	if (argc < 2 || (strcmp(argv[1], "attest") && strcmp(argv[1], "show") &&
			 strcmp(argv[1], "export")))
		return usage();
	o->sub = argv[1];
	for (int i = 2; i < argc; i++) {
		if (i + 1 >= argc)
			return usage();
		const char *k = argv[i], *v = argv[++i];
		long long t;
		char *end;
		if (!strcmp(k, "--format") && (!strcmp(v, "text") || !strcmp(v, "json")))
			o->format = v;
		else if (!strcmp(k, "--lang") && (!strcmp(v, "en") || !strcmp(v, "ja")))
			o->lang = v;
		else if (!strcmp(k, "--questions"))
			o->questions = v;
		else if (!strcmp(k, "--now") && parse_time_utc(v, &t) == 0)
			o->now = t;
		else if (!strcmp(k, "--window-days") && (o->window_days = strtol(v, &end, 10)) > 0 &&
			 o->window_days <= 3660 && !*end)
			continue;
		else
			return usage();
	}
	return 0;
}

int org_place_and_keep(const collector_config *c, store *s, const org_questionnaire *q,
		       const org_answers *a, int64_t now, long window_days, json_t **out,
		       char *err, size_t err_size)
{
	org_measured m;
	if (org_fleet_compliance(s, c->org_id, now, window_days, &m, err, err_size) != 0)
		return -1;
	json_t *p = org_place(q, a, &m, now);
	int year = (int)json_integer_value(json_object_get(p, "year"));
	if (org_store_save_placement(c, year, p, err, err_size) != 0) {
		json_decref(p);
		return -1;
	}
	*out = p;
	return 0;
}

int org_record(const collector_config *c, store *s, const org_questionnaire *q,
	       const org_answers *a, int64_t now, json_t **out, char *err, size_t err_size)
{
	char *yaml = org_answers_serialise(a, q);
	int rc = org_store_save_answers(c, yaml, err, err_size);
	free(yaml);
	return rc ? -1 : org_place_and_keep(c, s, q, a, now, 365, out, err, err_size);
}

/* The command's store, opened for one placement. */
static int place_and_keep(const collector_config *c, const org_opts *o,
			  const org_questionnaire *q, const org_answers *a, json_t **out)
{
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	if (!s) {
		fprintf(stderr, "hostaudit-collector: %s\n", err);
		return 1;
	}
	int rc = org_place_and_keep(c, s, q, a, o->now, o->window_days, out, err, sizeof err);
	store_close(s);
	if (rc != 0) {
		fprintf(stderr, _("hostaudit-collector: org: %s\n"), err);
		return 1;
	}
	return 0;
}

static int attest(const collector_config *c, const org_opts *o, const org_questionnaire *q,
		  org_answers *a)
{
	int n = org_ask(q, a, stdin, stdout, o->lang, o->now);
	if (n < 0) {
		fprintf(stderr, "hostaudit-collector: %s\n",
			L_(o->lang, "no name given: an answer needs someone who vouches for it"));
		return 2;
	}
	if (n == 0) {
		printf("%s", L_(o->lang, "\nNothing answered; the file is unchanged.\n"));
		return 0;
	}
	char err[600];
	store *s = store_open(c->database, err, sizeof err);
	json_t *p = NULL;
	if (!s || org_record(c, s, q, a, o->now, &p, err, sizeof err) != 0) {
		fprintf(stderr, _("hostaudit-collector: org: %s\n"), err);
		store_close(s);
		return 1;
	}
	store_close(s);
	printf(L_(o->lang, "\nRecorded %d answer(s) in %s.\n"), n, org_store_answers_path(c));
	const char *cat = json_string_value(json_object_get(p, "category"));
	printf(L_(o->lang, "Category: %s (details: hostaudit-collector org show)\n"),
	       strcmp(cat, "unknown") ? json_string_value(json_object_get(
					       json_object_get(p, "label"), o->lang))
				      : L_(o->lang, "unknown"));
	json_decref(p);
	return 0;
}

static int show(const collector_config *c, const org_opts *o, const org_questionnaire *q,
		const org_answers *a)
{
	json_t *p = NULL;
	int rc = place_and_keep(c, o, q, a, &p);
	if (rc)
		return rc;
	int year = (int)json_integer_value(json_object_get(p, "year"));
	json_t *prev = org_store_load_placement(c, year - 1);
	if (!strcmp(o->format, "json")) {
		json_t *out = json_deep_copy(p);
		json_object_set(out, "last_year", prev ? prev : json_null());
		char *js = json_dumps(out, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6));
		printf("%s\n", js);
		free(js);
		json_decref(out);
	} else {
		org_render_text(stdout, p, prev, o->lang);
	}
	json_decref(prev);
	json_decref(p);
	return 0;
}

/* The answers as the agent reads them: checked on the way out, so a
 * bundle signed offline carries a file the agents will take. */
static int export(const org_opts *o, const org_questionnaire *q, const org_answers *a)
{
	if (a->file_missing) {
		fprintf(stderr, "hostaudit-collector: %s: %s\n", a->file,
			L_(o->lang, "no answers yet: hostaudit-collector org attest"));
		return 2;
	}
	char *yaml = org_answers_serialise(a, q);
	fputs(yaml, stdout);
	free(yaml);
	return fflush(stdout) == 0 ? 0 : 1;
}

int org_command(const collector_config *c, int argc, char **argv)
{
	org_opts o;
	if (parse(argc, argv, &o))
		return 2;
	i18n_set_lang(o.lang);
	diag d = {{0}};
	org_questionnaire *q = org_questions_load(o.questions, NULL, &d);
	if (!q) {
		fprintf(stderr, "%s\n", d.msg);
		return 2;
	}
	org_answers a;
	int rc;
	if (org_answers_load(&a, q, org_store_answers_path(c), o.now, &d) != 0) {
		fprintf(stderr, "%s\n", d.msg);
		rc = 2;
	} else {
		rc = !strcmp(o.sub, "attest")	? attest(c, &o, q, &a)
		     : !strcmp(o.sub, "export") ? export(&o, q, &a)
						: show(c, &o, q, &a);
	}
	org_answers_free(&a);
	org_questions_free(q);
	return rc;
}
