/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's answers file (docs/organisation.md): who answered
 * what when, with an optional evidence document, checked against the
 * questionnaire; written whole, in questionnaire order. */
#include "hostaudit/org.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "i18n.h"
#include "sbuf.h"
#include "util.h"

static const char *const answer_words[] = {"yes", "partly", "no", "unknown", NULL};

void org_answer_free(org_answer *e)
{
	free(e->question);
	free(e->who);
	free(e->when);
	free(e->note);
	free(e->evidence.title);
	free(e->evidence.path);
	free(e->evidence.url);
	free(e->evidence.sha256);
	memset(e, 0, sizeof *e);
}

void org_answers_free(org_answers *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->entry_count; i++)
		org_answer_free(&a->entries[i]);
	free(a->entries);
	free(a->file);
	free(a->organisation);
	memset(a, 0, sizeof *a);
}

const org_answer *org_answer_find(const org_answers *a, const char *question_id)
{
	for (size_t i = 0; a && i < a->entry_count; i++)
		if (!strcmp(a->entries[i].question, question_id))
			return &a->entries[i];
	return NULL;
}

void org_answer_put(org_answers *a, org_answer *e)
{
	for (size_t i = 0; i < a->entry_count; i++)
		if (!strcmp(a->entries[i].question, e->question)) {
			org_answer_free(&a->entries[i]);
			a->entries[i] = *e;
			return;
		}
	a->entries = xrealloc(a->entries, (a->entry_count + 1) * sizeof *a->entries);
	a->entries[a->entry_count++] = *e;
}

org_answer_state org_answer_state_at(const org_questionnaire *q, const org_answer *e,
				     int64_t now)
{
	if (!e)
		return ORG_ANS_MISSING;
	if ((now - e->when_epoch) / 86400 > q->max_age_days)
		return ORG_ANS_STALE;
	return e->ans == ANSWER_UNKNOWN ? ORG_ANS_UNKNOWN : ORG_ANS_CURRENT;
}

const char *org_answer_state_name(org_answer_state s)
{
	static const char *const names[] = {"current", "unknown", "stale", "missing"};
	return names[s];
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

/* ---- reading ---- */

static int want_field(yamlfile *yf, yaml_node_t *item, const char *key, const char **out,
		      diag *d)
{
	yaml_node_t *v = yaml_get(yf, item, key);
	if (!v)
		return yaml_error(yf, item, d, _("an answer needs '%s' (question, answer, who, "
				  "when)"), key);
	if (yaml_want_string(yf, v, key, out, d))
		return -1;
	if (!**out)
		return yaml_error(yf, v, d, _("'%s' must not be empty"), key);
	return 0;
}

static int parse_evidence(yamlfile *yf, yaml_node_t *n, org_evidence *ev, diag *d)
{
	static const char *const keys[] = {"title", "path", "url", "sha256", NULL};
	if (yaml_want_map(yf, n, "evidence", d) || yaml_check_keys(yf, n, keys, "evidence", d))
		return -1;
	yaml_node_t *t = yaml_get(yf, n, "title"), *p = yaml_get(yf, n, "path"),
		    *u = yaml_get(yf, n, "url"), *h = yaml_get(yf, n, "sha256");
	const char *s;
	if (!t)
		return yaml_error(yf, n, d, _("evidence needs a 'title' (what the document is)"));
	if ((p != NULL) == (u != NULL))
		return yaml_error(yf, n, d, _("evidence needs one of 'path' or 'url'"));
	if (yaml_want_string(yf, t, "title", &s, d))
		return -1;
	if (!*s)
		return yaml_error(yf, t, d, _("'%s' must not be empty"), "title");
	ev->title = xstrdup(s);
	if (p) {
		if (yaml_want_string(yf, p, "path", &s, d))
			return -1;
		if (!*s)
			return yaml_error(yf, p, d, _("'%s' must not be empty"), "path");
		ev->path = xstrdup(s);
		/* A file's content is what was vouched for: its hash is required. */
		if (!h)
			return yaml_error(yf, n, d, _("evidence with a 'path' needs its 'sha256'"));
	} else {
		if (yaml_want_string(yf, u, "url", &s, d))
			return -1;
		if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
			return yaml_error(yf, u, d, _("url must start with https:// or http://, not "
					  "'%s'"), s);
		ev->url = xstrdup(s);
	}
	if (h) {
		if (yaml_want_string(yf, h, "sha256", &s, d))
			return -1;
		if (!is_sha256_hex(s))
			return yaml_error(yf, h, d, _("sha256 must be 64 lower-case hex digits"));
		ev->sha256 = xstrdup(s);
	}
	return 0;
}

static int parse_entry(yamlfile *yf, yaml_node_t *item, org_answers *a,
		       const org_questionnaire *q, int64_t now, diag *d)
{
	static const char *const keys[] = {"question", "answer", "who", "when", "note", "evidence",
					   NULL};
	if (yaml_want_map(yf, item, "an answer", d) ||
	    yaml_check_keys(yf, item, keys, "an answer", d))
		return -1;
	const char *qid, *ans, *who, *when;
	if (want_field(yf, item, "question", &qid, d))
		return -1;
	yaml_node_t *v = yaml_get(yf, item, "question");
	if (!org_question_find(q, qid, NULL)) {
		const char **ids = xcalloc(q->question_count + 1, sizeof *ids);
		for (size_t i = 0; i < q->question_count; i++)
			ids[i] = q->questions[i].id;
		const char *hint = did_you_mean(qid, ids);
		int rc = hint ? yaml_error(yf, v, d, _("unknown question '%s' (did you mean '%s'?)"),
					   qid, hint)
			      : yaml_error(yf, v, d, _("unknown question '%s' (see %s)"), qid,
					   q->path);
		free(ids);
		return rc;
	}
	const org_answer *dup = org_answer_find(a, qid);
	if (dup)
		return yaml_error(yf, v, d, _("question '%s' is answered twice (first at line %d)"),
				  qid, dup->line);
	if (want_field(yf, item, "answer", &ans, d))
		return -1;
	v = yaml_get(yf, item, "answer");
	int k = -1;
	for (int i = 0; answer_words[i]; i++)
		if (!strcmp(ans, answer_words[i]))
			k = i;
	if (k < 0) {
		const char *hint = did_you_mean(ans, answer_words);
		return yaml_error(yf, v, d, _("answer '%s' is not one of yes, partly, no, unknown%s%s%s"),
				  ans, hint ? _(" (did you mean '") : "", hint ? hint : "",
				  hint ? _("'?)") : "");
	}
	if (want_field(yf, item, "who", &who, d) || want_field(yf, item, "when", &when, d))
		return -1;
	v = yaml_get(yf, item, "when");
	long long epoch;
	if (strlen(when) != 10 || parse_time_utc(when, &epoch) != 0)
		return yaml_error(yf, v, d, _("when must be a date YYYY-MM-DD, not '%s'"), when);
	if (epoch > now)
		return yaml_error(yf, v, d, _("when %s is in the future: an answer is dated the day "
				  "it was given"), when);
	org_answer e = {
		.ans = (answer)k,
		.when_epoch = epoch,
		.line = (int)item->start_mark.line + 1,
		.column = (int)item->start_mark.column + 1,
	};
	const char *note = NULL;
	if ((v = yaml_get(yf, item, "note")) && yaml_want_string(yf, v, "note", &note, d))
		return -1;
	if ((v = yaml_get(yf, item, "evidence")) && parse_evidence(yf, v, &e.evidence, d)) {
		org_answer_free(&e);
		return -1;
	}
	e.question = xstrdup(qid);
	e.who = xstrdup(who);
	e.when = xstrdup(when);
	e.note = note && *note ? xstrdup(note) : NULL;
	a->entries = xrealloc(a->entries, (a->entry_count + 1) * sizeof *a->entries);
	a->entries[a->entry_count++] = e;
	return 0;
}

int org_answers_load(org_answers *a, const org_questionnaire *q, const char *path,
		     int64_t now, diag *d)
{
	static const char *const keys[] = {"schema", "organisation", "answers", NULL};
	memset(a, 0, sizeof *a);
	a->file = xstrdup(path);
	struct stat st;
	if (stat(path, &st) != 0 && errno == ENOENT) {
		a->file_missing = true;
		return 0;
	}
	yamlfile yf;
	/* The answers steer the placement and the hosts' org items: refuse a
	 * file others could edit, as for the attestation file. */
	if (yamlfile_load(&yf, path, true, d))
		return -1;
	int rc = -1;
	yaml_node_t *root = yamlfile_root(&yf), *v;
	const char *s;
	if (root->type == YAML_SCALAR_NODE && !*yaml_scalar(root)) {
		rc = 0;
		goto out;
	}
	if (yaml_want_map(&yf, root, "the answers file", d) ||
	    yaml_check_keys(&yf, root, keys, "the answers file", d))
		goto out;
	if (!(v = yaml_get(&yf, root, "schema"))) {
		yaml_error(&yf, root, d, _("no 'schema: %s'"), ORG_ANSWERS_SCHEMA);
		goto out;
	}
	if (yaml_want_string(&yf, v, "schema", &s, d))
		goto out;
	if (strcmp(s, ORG_ANSWERS_SCHEMA)) {
		yaml_error(&yf, v, d, _("schema '%s' is not supported (this version reads '%s')"), s,
			   ORG_ANSWERS_SCHEMA);
		goto out;
	}
	if ((v = yaml_get(&yf, root, "organisation"))) {
		if (yaml_want_string(&yf, v, "organisation", &s, d))
			goto out;
		a->organisation = *s ? xstrdup(s) : NULL;
	}
	if ((v = yaml_get(&yf, root, "answers")) &&
	    !(v->type == YAML_SCALAR_NODE && !*yaml_scalar(v))) {
		if (yaml_want_seq(&yf, v, "answers", d))
			goto out;
		yaml_node_t *item;
		YAML_SEQ_EACH(&yf, v, item)
		{
			if (parse_entry(&yf, item, a, q, now, d))
				goto out;
		}
	}
	rc = 0;
out:
	yamlfile_free(&yf);
	if (rc) {
		char *file = a->file;
		a->file = NULL;
		org_answers_free(a);
		a->file = file;
	}
	return rc;
}

/* ---- writing ---- */

static void put_entry(sbuf *b, const org_answer *e)
{
	sb_str(b, "  - question: ");
	sb_str(b, e->question);
	sb_str(b, "\n    answer: ");
	sb_str(b, answer_name(e->ans));
	sb_str(b, "\n    who: ");
	sb_quoted(b, e->who);
	sb_str(b, "\n    when: ");
	sb_str(b, e->when);
	if (e->note) {
		sb_str(b, "\n    note: ");
		sb_quoted(b, e->note);
	}
	if (e->evidence.title) {
		sb_str(b, "\n    evidence:\n      title: ");
		sb_quoted(b, e->evidence.title);
		sb_str(b, e->evidence.path ? "\n      path: " : "\n      url: ");
		sb_quoted(b, e->evidence.path ? e->evidence.path : e->evidence.url);
		if (e->evidence.sha256) {
			sb_str(b, "\n      sha256: ");
			sb_str(b, e->evidence.sha256);
		}
	}
	sb_str(b, "\n");
}

char *org_answers_serialise(const org_answers *a, const org_questionnaire *q)
{
	sbuf b = {0};
	sb_str(&b, "# The organisation's answers (hostaudit org attest; docs/organisation.md).\n"
		   "# An answer older than the questionnaire's max_age_days reads as unknown.\n"
		   "schema: " ORG_ANSWERS_SCHEMA "\n");
	if (a->organisation) {
		sb_str(&b, "organisation: ");
		sb_quoted(&b, a->organisation);
		sb_str(&b, "\n");
	}
	sb_str(&b, "answers:\n");
	if (!a->entry_count)
		sb_str(&b, "  []\n");
	for (size_t k = 0; k < q->question_count; k++)
		for (size_t i = 0; i < a->entry_count; i++)
			if (!strcmp(a->entries[i].question, q->questions[k].id))
				put_entry(&b, &a->entries[i]);
	return b.p;
}
