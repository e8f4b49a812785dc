/* SPDX-License-Identifier: Apache-2.0 */
/* The organisation's questionnaire (rules/org/organisation.yaml,
 * docs/organisation.md): questions, documents, figures and the placement
 * rule, checked when loaded so that every mistake names file:line:column
 * and the rule can be evaluated without further checks. */
#include "hostaudit/org.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hostaudit/platform.h"
#include "i18n.h"
#include "util.h"

#define ORG_QUESTIONS_RELPATH "/org/organisation.yaml"

const char *const org_category_ids[] = {"ideal", "more-active", "wasteful", "danger-unprepared",
					 "danger-unaware", "no-it", NULL};

static const char *const axis_names[] = {"it-use", "security", "restriction", "directive",
					  "org-item", NULL};

static bool readable(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

const char *org_questions_path(const char *path)
{
	if (path)
		return path;
	const char *env = getenv("HOSTAUDIT_ORG_QUESTIONS");
	if (env && *env)
		return env;
	static char installed[4200];
	snprintf(installed, sizeof installed, "%s%s", platform_default_path(PLATFORM_RULES_DIR),
		 ORG_QUESTIONS_RELPATH);
#ifdef HOSTAUDIT_SOURCE_RULES_DIR
	static const char source[] = HOSTAUDIT_SOURCE_RULES_DIR ORG_QUESTIONS_RELPATH;
	if (!readable(installed) && readable(source))
		return source;
#else
	(void)readable;
#endif
	return installed;
}

/* ---- small readers ---- */

static int want_text(yamlfile *yf, yaml_node_t *item, const char *key, text *out, diag *d)
{
	static const char *const langs[] = {"en", "ja", NULL};
	yaml_node_t *t = yaml_get(yf, item, key);
	if (!t)
		return yaml_error(yf, item, d, _("'%s' is needed, in English and Japanese"), key);
	if (yaml_want_map(yf, t, key, d) || yaml_check_keys(yf, t, langs, key, d))
		return -1;
	yaml_node_t *en = yaml_get(yf, t, "en"), *ja = yaml_get(yf, t, "ja");
	const char *s;
	if (!en || !ja)
		return yaml_error(yf, t, d, _("%s needs both 'en' and 'ja'"), key);
	if (yaml_want_string(yf, en, key, &s, d))
		return -1;
	if (!*s)
		return yaml_error(yf, en, d, _("'%s' must not be empty"), key);
	out->en = xstrdup(s);
	if (yaml_want_string(yf, ja, key, &s, d))
		return -1;
	if (!*s)
		return yaml_error(yf, ja, d, _("'%s' must not be empty"), key);
	out->ja = xstrdup(s);
	return 0;
}

static int want_id(yamlfile *yf, yaml_node_t *item, const char *what, const char *charset,
		   const char **out, diag *d)
{
	yaml_node_t *v = yaml_get(yf, item, "id");
	if (!v)
		return yaml_error(yf, item, d, _("%s needs an 'id'"), what);
	if (yaml_want_string(yf, v, "id", out, d))
		return -1;
	if (!**out || strspn(*out, charset) != strlen(*out))
		return yaml_error(yf, v, d, _("%s id '%s': use lower-case letters, digits and '%s'"),
				  what, *out, strchr(charset, '-') ? "-" : "_");
	return 0;
}

static int name_index(const char *const names[], const char *s)
{
	for (int i = 0; names[i]; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static void text_free(text *t)
{
	free(t->en);
	free(t->ja);
}

#define ID_CHARS "abcdefghijklmnopqrstuvwxyz0123456789_"
#define CAT_CHARS "abcdefghijklmnopqrstuvwxyz0123456789-"

/* ---- documents ---- */

static int parse_documents(yamlfile *yf, yaml_node_t *n, org_questionnaire *q, diag *d)
{
	static const char *const keys[] = {"id", "title", "url", NULL};
	if (yaml_want_seq(yf, n, "documents", d))
		return -1;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	q->docs = xcalloc(cap ? cap : 1, sizeof *q->docs);
	yaml_node_t *item, *v;
	YAML_SEQ_EACH(yf, n, item)
	{
		const char *s;
		if (yaml_want_map(yf, item, "a document", d) ||
		    yaml_check_keys(yf, item, keys, "a document", d) ||
		    want_id(yf, item, _("a document"), CAT_CHARS, &s, d))
			return -1;
		for (size_t i = 0; i < q->doc_count; i++)
			if (!strcmp(q->docs[i].id, s))
				return yaml_error(yf, yaml_get(yf, item, "id"), d,
						  _("document '%s' is declared twice (first at line %d)"),
						  s, q->docs[i].line);
		org_document *doc = &q->docs[q->doc_count++];
		doc->id = xstrdup(s);
		doc->line = (int)item->start_mark.line + 1;
		if (!(v = yaml_get(yf, item, "title")))
			return yaml_error(yf, item, d, _("a document needs a 'title'"));
		if (yaml_want_string(yf, v, "title", &s, d))
			return -1;
		doc->title = xstrdup(s);
		if ((v = yaml_get(yf, item, "url"))) {
			if (yaml_want_string(yf, v, "url", &s, d))
				return -1;
			if (strncmp(s, "https://", 8) || strlen(s) < 12)
				return yaml_error(yf, v, d, _("url must start with https://, not '%s'"), s);
			doc->url = xstrdup(s);
		}
	}
	return 0;
}

/* ---- questions ---- */

static org_question *new_question(org_questionnaire *q)
{
	q->questions = xrealloc(q->questions, (q->question_count + 1) * sizeof *q->questions);
	org_question *oq = &q->questions[q->question_count++];
	memset(oq, 0, sizeof *oq);
	return oq;
}

static int check_unique(yamlfile *yf, yaml_node_t *at, const org_questionnaire *q,
			const char *id, diag *d)
{
	for (size_t i = 0; i < q->question_count; i++)
		if (!strcmp(q->questions[i].id, id))
			return yaml_error(yf, at, d, _("question '%s' is declared twice (first at line "
					  "%d)"), id, q->questions[i].line);
	return 0;
}

static int parse_questions(yamlfile *yf, yaml_node_t *n, org_questionnaire *q, diag *d)
{
	static const char *const keys[] = {"id", "axis", "label", "text", "evidence", NULL};
	if (yaml_want_seq(yf, n, "questions", d))
		return -1;
	yaml_node_t *item, *v;
	YAML_SEQ_EACH(yf, n, item)
	{
		const char *s;
		if (yaml_want_map(yf, item, "a question", d) ||
		    yaml_check_keys(yf, item, keys, "a question", d) ||
		    want_id(yf, item, _("a question"), ID_CHARS, &s, d) ||
		    check_unique(yf, yaml_get(yf, item, "id"), q, s, d))
			return -1;
		org_question *oq = new_question(q);
		oq->id = xstrdup(s);
		oq->line = (int)item->start_mark.line + 1;
		if (!(v = yaml_get(yf, item, "axis")))
			return yaml_error(yf, item, d, _("a question needs an 'axis' (it-use, "
					  "security, restriction, directive)"));
		if (yaml_want_string(yf, v, "axis", &s, d))
			return -1;
		int axis = name_index(axis_names, s);
		if (axis < 0 || axis == ORG_AXIS_ORG_ITEM) {
			const char *hint = did_you_mean(s, axis_names);
			return yaml_error(yf, v, d, _("axis '%s' is not one of it-use, security, "
					  "restriction, directive%s%s%s"), s,
					  hint ? _(" (did you mean '") : "", hint ? hint : "",
					  hint ? _("'?)") : "");
		}
		oq->axis = (org_axis)axis;
		if ((v = yaml_get(yf, item, "evidence")) &&
		    yaml_want_bool(yf, v, "evidence", &oq->evidence, d))
			return -1;
		if (want_text(yf, item, "label", &oq->label, d) ||
		    want_text(yf, item, "text", &oq->text, d))
			return -1;
	}
	return 0;
}

/* org_items: ids of rules/questions/attest.yaml, their text taken from it. */
static int parse_org_items(yamlfile *yf, yaml_node_t *n, org_questionnaire *q,
			   const char *attest_questions, diag *d)
{
	if (yaml_want_seq(yf, n, "org_items", d))
		return -1;
	attest_settings *as = xcalloc(1, sizeof *as);
	as->questions_file = attest_questions ? xstrdup(attest_questions) : NULL;
	int rc = -1;
	diag ad = {{0}};
	if (attest_load_questions(as, &ad)) {
		yaml_error(yf, n, d, _("org_items: cannot read the attestation questions: %s"),
			   ad.msg);
		goto out;
	}
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		const char *s;
		if (yaml_want_string(yf, item, "an organisational item", &s, d))
			goto out;
		const question *aq = NULL;
		for (size_t i = 0; i < as->question_count; i++)
			if (!strcmp(as->questions[i].id, s))
				aq = &as->questions[i];
		if (!aq) {
			const char **ids = xcalloc(as->question_count + 1, sizeof *ids);
			for (size_t i = 0; i < as->question_count; i++)
				ids[i] = as->questions[i].id;
			const char *hint = did_you_mean(s, ids);
			if (hint)
				yaml_error(yf, item, d, _("org_items: '%s' is not a question of %s (did "
					   "you mean '%s'?)"), s, attest_questions_path(as), hint);
			else
				yaml_error(yf, item, d, _("org_items: '%s' is not a question of %s"), s,
					   attest_questions_path(as));
			free(ids);
			goto out;
		}
		if (check_unique(yf, item, q, s, d))
			goto out;
		org_question *oq = new_question(q);
		oq->id = xstrdup(s);
		oq->axis = ORG_AXIS_ORG_ITEM;
		oq->line = (int)item->start_mark.line + 1;
		oq->label.en = xstrdup(aq->source.en);
		oq->label.ja = xstrdup(aq->source.ja);
		oq->text.en = xstrdup(aq->text.en);
		oq->text.ja = xstrdup(aq->text.ja);
	}
	rc = 0;
out:
	attest_settings_free(as);
	return rc;
}

/* A list of question ids, or the word org_items. */
static int question_list(yamlfile *yf, yaml_node_t *n, const org_questionnaire *q,
			 const char *what, size_t **out, size_t *count, diag *d)
{
	const char *s = yaml_scalar(n);
	if (s && !strcmp(s, "org_items")) {
		for (size_t i = 0; i < q->question_count; i++)
			if (q->questions[i].axis == ORG_AXIS_ORG_ITEM) {
				*out = xrealloc(*out, (*count + 1) * sizeof **out);
				(*out)[(*count)++] = i;
			}
		if (!*count)
			return yaml_error(yf, n, d, _("%s: there are no org_items"), what);
		return 0;
	}
	if (yaml_want_seq(yf, n, what, d))
		return -1;
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		size_t idx;
		if (yaml_want_string(yf, item, what, &s, d))
			return -1;
		if (!org_question_find(q, s, &idx))
			return yaml_error(yf, item, d, _("%s: unknown question '%s'"), what, s);
		*out = xrealloc(*out, (*count + 1) * sizeof **out);
		(*out)[(*count)++] = idx;
	}
	if (!*count)
		return yaml_error(yf, n, d, _("%s: the list is empty"), what);
	return 0;
}

static int answer_set(yamlfile *yf, yaml_node_t *n, const char *what, unsigned *out, diag *d)
{
	static const char *const names[] = {"yes", "partly", "no", "unknown", NULL};
	if (yaml_want_seq(yf, n, what, d))
		return -1;
	*out = 0;
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		const char *s;
		if (yaml_want_string(yf, item, what, &s, d))
			return -1;
		int a = name_index(names, s);
		/* "unknown" is never a condition: it reads as undecided. */
		if (a < 0 || a == ANSWER_UNKNOWN)
			return yaml_error(yf, item, d, _("%s: '%s' is not one of yes, partly, no"),
					  what, s);
		*out |= 1u << a;
	}
	if (!*out)
		return yaml_error(yf, n, d, _("%s: the list is empty"), what);
	return 0;
}

/* ---- figures ---- */

static int parse_figures(yamlfile *yf, yaml_node_t *n, org_questionnaire *q, diag *d)
{
	static const char *const keys[] = {"id", "label", "measured", "share_of", "count_of",
					   "answers", NULL};
	if (yaml_want_seq(yf, n, "figures", d))
		return -1;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	q->figures = xcalloc(cap ? cap : 1, sizeof *q->figures);
	yaml_node_t *item, *v;
	YAML_SEQ_EACH(yf, n, item)
	{
		const char *s;
		if (yaml_want_map(yf, item, "a figure", d) ||
		    yaml_check_keys(yf, item, keys, "a figure", d) ||
		    want_id(yf, item, _("a figure"), ID_CHARS, &s, d))
			return -1;
		for (size_t i = 0; i < q->figure_count; i++)
			if (!strcmp(q->figures[i].id, s))
				return yaml_error(yf, yaml_get(yf, item, "id"), d,
						  _("figure '%s' is declared twice (first at line %d)"),
						  s, q->figures[i].line);
		org_figure *f = &q->figures[q->figure_count++];
		f->id = xstrdup(s);
		f->line = (int)item->start_mark.line + 1;
		if (want_text(yf, item, "label", &f->label, d))
			return -1;
		yaml_node_t *m = yaml_get(yf, item, "measured"), *sh = yaml_get(yf, item, "share_of"),
			    *co = yaml_get(yf, item, "count_of");
		if ((m != NULL) + (sh != NULL) + (co != NULL) != 1)
			return yaml_error(yf, item, d, _("a figure is one of 'measured', 'share_of' "
					  "or 'count_of'"));
		v = yaml_get(yf, item, "answers");
		if (v && !co)
			return yaml_error(yf, v, d, _("'answers' goes with 'count_of'"));
		if (m) {
			if (yaml_want_string(yf, m, "measured", &s, d))
				return -1;
			if (strcmp(s, "compliance"))
				return yaml_error(yf, m, d, _("measured: '%s' is not measured (only "
						  "'compliance' is)"), s);
			f->kind = ORG_FIG_MEASURED;
		} else if (sh) {
			f->kind = ORG_FIG_SHARE;
			if (question_list(yf, sh, q, "share_of", &f->questions, &f->question_count, d))
				return -1;
		} else {
			f->kind = ORG_FIG_COUNT;
			if (question_list(yf, co, q, "count_of", &f->questions, &f->question_count, d))
				return -1;
			if (!v)
				return yaml_error(yf, item, d, _("count_of needs 'answers' (which "
						  "answers to count)"));
			if (answer_set(yf, v, "answers", &f->answers, d))
				return -1;
		}
	}
	return 0;
}

static int figure_index(const org_questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->figure_count; i++)
		if (!strcmp(q->figures[i].id, id))
			return (int)i;
	return -1;
}

/* ---- conditions ---- */

static void cond_free(org_cond *c)
{
	for (size_t i = 0; i < c->child_count; i++)
		cond_free(&c->children[i]);
	free(c->children);
}

static int parse_cond(yamlfile *yf, yaml_node_t *n, const org_questionnaire *q, org_cond *c,
		      int depth, diag *d);

static int parse_cond_list(yamlfile *yf, yaml_node_t *n, const org_questionnaire *q,
			   org_cond *c, org_cond_kind kind, int depth, diag *d)
{
	if (yaml_want_seq(yf, n, kind == ORG_COND_ANY ? "any" : "all", d))
		return -1;
	c->kind = kind;
	size_t cap = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (!cap)
		return yaml_error(yf, n, d, _("a list of conditions must not be empty"));
	c->children = xcalloc(cap, sizeof *c->children);
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		if (parse_cond(yf, item, q, &c->children[c->child_count++], depth + 1, d))
			return -1;
	}
	return 0;
}

static int parse_cond(yamlfile *yf, yaml_node_t *n, const org_questionnaire *q, org_cond *c,
		      int depth, diag *d)
{
	static const char *const keys[] = {"answer", "in", "figure", "at_least", "below", "any",
					   "all", NULL};
	memset(c, 0, sizeof *c);
	c->line = (int)n->start_mark.line + 1;
	c->column = (int)n->start_mark.column + 1;
	if (depth > 8)
		return yaml_error(yf, n, d, _("conditions nest too deep (at most 8)"));
	if (yaml_want_map(yf, n, "a condition", d) ||
	    yaml_check_keys(yf, n, keys, "a condition", d))
		return -1;
	yaml_node_t *ans = yaml_get(yf, n, "answer"), *fig = yaml_get(yf, n, "figure"),
		    *any = yaml_get(yf, n, "any"), *all = yaml_get(yf, n, "all"),
		    *in = yaml_get(yf, n, "in"), *lo = yaml_get(yf, n, "at_least"),
		    *hi = yaml_get(yf, n, "below");
	if ((ans != NULL) + (fig != NULL) + (any != NULL) + (all != NULL) != 1)
		return yaml_error(yf, n, d, _("a condition is one of {answer, in}, {figure, "
				  "at_least | below}, {any: [...]} or {all: [...]}"));
	if (any || all) {
		if (in || lo || hi)
			return yaml_error(yf, n, d, _("'any' and 'all' take only a list"));
		return parse_cond_list(yf, any ? any : all, q, c, any ? ORG_COND_ANY : ORG_COND_ALL,
				       depth, d);
	}
	const char *s;
	if (ans) {
		if (lo || hi)
			return yaml_error(yf, lo ? lo : hi, d, _("at_least and below go with 'figure'"));
		if (yaml_want_string(yf, ans, "answer", &s, d))
			return -1;
		if (!org_question_find(q, s, &c->index)) {
			const char **ids = xcalloc(q->question_count + 1, sizeof *ids);
			for (size_t i = 0; i < q->question_count; i++)
				ids[i] = q->questions[i].id;
			const char *hint = did_you_mean(s, ids);
			int rc = hint ? yaml_error(yf, ans, d, _("unknown question '%s' (did you "
						   "mean '%s'?)"), s, hint)
				      : yaml_error(yf, ans, d, _("unknown question '%s'"), s);
			free(ids);
			return rc;
		}
		if (!in)
			return yaml_error(yf, n, d, _("an answer condition needs 'in' (the answers "
					  "that satisfy it)"));
		c->kind = ORG_COND_ANSWER;
		return answer_set(yf, in, "in", &c->answers, d);
	}
	if (in)
		return yaml_error(yf, in, d, _("'in' goes with 'answer'"));
	if (yaml_want_string(yf, fig, "figure", &s, d))
		return -1;
	int fi = figure_index(q, s);
	if (fi < 0)
		return yaml_error(yf, fig, d, _("unknown figure '%s' (declare it under "
				  "'figures')"), s);
	c->index = (size_t)fi;
	if ((lo != NULL) == (hi != NULL))
		return yaml_error(yf, n, d, _("a figure condition needs one of 'at_least' or "
				  "'below'"));
	int64_t v;
	if (yaml_want_int(yf, lo ? lo : hi, lo ? "at_least" : "below", &v, d))
		return -1;
	if (v < 0 || v > 100)
		return yaml_error(yf, lo ? lo : hi, d, _("a border must be 0 to 100, not %lld"),
				  (long long)v);
	c->kind = lo ? ORG_COND_AT_LEAST : ORG_COND_BELOW;
	c->threshold = (double)v;
	return 0;
}

/* ---- categories ---- */

static int parse_category(yamlfile *yf, yaml_node_t *item, org_questionnaire *q, diag *d)
{
	static const char *const keys[] = {"id", "label", "who", "approach", "measures",
					   "documents", "when", "next", "next_steps", NULL};
	const char *s;
	if (yaml_want_map(yf, item, "a category", d) ||
	    yaml_check_keys(yf, item, keys, "a category", d) ||
	    want_id(yf, item, _("a category"), CAT_CHARS, &s, d))
		return -1;
	yaml_node_t *idn = yaml_get(yf, item, "id"), *v;
	if (name_index(org_category_ids, s) < 0) {
		const char *hint = did_you_mean(s, org_category_ids);
		return yaml_error(yf, idn, d, _("category '%s' is not one of the six (ideal, "
				  "more-active, wasteful, danger-unprepared, danger-unaware, "
				  "no-it)%s%s%s"), s, hint ? _(" (did you mean '") : "",
				  hint ? hint : "", hint ? _("'?)") : "");
	}
	if (org_category_find(q, s))
		return yaml_error(yf, idn, d, _("category '%s' is declared twice (first at line "
				  "%d)"), s, org_category_find(q, s)->line);
	org_category *c = &q->categories[q->category_count++];
	c->id = xstrdup(s);
	c->line = (int)item->start_mark.line + 1;
	c->when.kind = ORG_COND_ALWAYS;
	if (want_text(yf, item, "label", &c->label, d) || want_text(yf, item, "who", &c->who, d) ||
	    want_text(yf, item, "approach", &c->approach, d) ||
	    want_text(yf, item, "next_steps", &c->next_steps, d))
		return -1;
	if (!(v = yaml_get(yf, item, "measures")))
		return yaml_error(yf, item, d, _("a category needs its minimum 'measures'"));
	if (yaml_want_seq(yf, v, "measures", d))
		return -1;
	size_t cap = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
	if (!cap)
		return yaml_error(yf, v, d, _("measures: the list is empty"));
	c->measures = xcalloc(cap, sizeof *c->measures);
	yaml_node_t *m;
	YAML_SEQ_EACH(yf, v, m)
	{
		static const char *const langs[] = {"en", "ja", NULL};
		if (yaml_want_map(yf, m, "a measure", d) ||
		    yaml_check_keys(yf, m, langs, "a measure", d))
			return -1;
		yaml_node_t *en = yaml_get(yf, m, "en"), *ja = yaml_get(yf, m, "ja");
		if (!en || !ja)
			return yaml_error(yf, m, d, _("%s needs both 'en' and 'ja'"), "a measure");
		const char *e, *j;
		if (yaml_want_string(yf, en, "en", &e, d) || yaml_want_string(yf, ja, "ja", &j, d))
			return -1;
		text *t = &c->measures[c->measure_count++];
		t->en = xstrdup(e);
		t->ja = xstrdup(j);
	}
	if ((v = yaml_get(yf, item, "documents"))) {
		if (yaml_want_seq(yf, v, "documents", d))
			return -1;
		cap = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
		c->documents = xcalloc(cap ? cap : 1, sizeof *c->documents);
		YAML_SEQ_EACH(yf, v, m)
		{
			if (yaml_want_string(yf, m, "a document", &s, d))
				return -1;
			size_t k = 0;
			while (k < q->doc_count && strcmp(q->docs[k].id, s))
				k++;
			if (k == q->doc_count)
				return yaml_error(yf, m, d, _("unknown document '%s' (declare it under "
						  "'documents')"), s);
			c->documents[c->document_count++] = k;
		}
	}
	if (!(v = yaml_get(yf, item, "when")))
		return yaml_error(yf, item, d, _("a category needs 'when' (a list of conditions, "
				  "or 'always')"));
	if ((s = yaml_scalar(v)) && !strcmp(s, "always")) {
		c->when.kind = ORG_COND_ALWAYS;
	} else if (parse_cond_list(yf, v, q, &c->when, ORG_COND_ALL, 0, d)) {
		return -1;
	}
	if ((v = yaml_get(yf, item, "next"))) {
		if (yaml_want_string(yf, v, "next", &s, d))
			return -1;
		if (name_index(org_category_ids, s) < 0 || !strcmp(s, c->id))
			return yaml_error(yf, v, d, _("next: '%s' is not another of the six "
					  "categories"), s);
		c->next = xstrdup(s);
	}
	return 0;
}

static int parse_categories(yamlfile *yf, yaml_node_t *n, org_questionnaire *q, diag *d)
{
	if (yaml_want_seq(yf, n, "categories", d))
		return -1;
	q->categories = xcalloc(6, sizeof *q->categories);
	yaml_node_t *item;
	YAML_SEQ_EACH(yf, n, item)
	{
		if (q->category_count == 6)
			return yaml_error(yf, item, d, _("there are six categories, not more"));
		if (parse_category(yf, item, q, d))
			return -1;
	}
	for (size_t i = 0; org_category_ids[i]; i++)
		if (!org_category_find(q, org_category_ids[i]))
			return yaml_error(yf, n, d, _("category '%s' is missing: the rule must "
					  "place every company in one of the six"),
					  org_category_ids[i]);
	/* The last category catches what the others leave, so no company
	 * falls through; `always` anywhere else would hide those after it. */
	for (size_t i = 0; i < q->category_count; i++) {
		bool last = i + 1 == q->category_count;
		if ((q->categories[i].when.kind == ORG_COND_ALWAYS) != last)
			return yaml_error(yf, n, d, last ? _("the last category ('%s') must have "
							   "'when: always'")
							 : _("only the last category may have 'when: "
							   "always' ('%s' is not last)"),
					  q->categories[i].id);
	}
	for (size_t i = 0; i < q->category_count; i++)
		if (q->categories[i].next && !org_category_find(q, q->categories[i].next))
			return yaml_error(yf, n, d, _("next: unknown category '%s'"),
					  q->categories[i].next);
	return 0;
}

/* ---- the file ---- */

const org_question *org_question_find(const org_questionnaire *q, const char *id, size_t *index)
{
	for (size_t i = 0; i < q->question_count; i++)
		if (!strcmp(q->questions[i].id, id)) {
			if (index)
				*index = i;
			return &q->questions[i];
		}
	return NULL;
}

const org_category *org_category_find(const org_questionnaire *q, const char *id)
{
	for (size_t i = 0; i < q->category_count; i++)
		if (!strcmp(q->categories[i].id, id))
			return &q->categories[i];
	return NULL;
}

static int parse_root(yamlfile *yf, org_questionnaire *q, const char *attest_questions, diag *d)
{
	static const char *const keys[] = {"schema", "max_age_days", "documents", "questions",
					   "org_items", "figures", "categories", NULL};
	yaml_node_t *root = yamlfile_root(yf), *v;
	const char *s;
	if (yaml_want_map(yf, root, "the questionnaire", d) ||
	    yaml_check_keys(yf, root, keys, "the questionnaire", d))
		return -1;
	if (!(v = yaml_get(yf, root, "schema")))
		return yaml_error(yf, root, d, _("no 'schema: %s'"), ORG_QUESTIONS_SCHEMA);
	if (yaml_want_string(yf, v, "schema", &s, d))
		return -1;
	if (strcmp(s, ORG_QUESTIONS_SCHEMA))
		return yaml_error(yf, v, d, _("schema '%s' is not supported (this version reads "
				  "'%s')"), s, ORG_QUESTIONS_SCHEMA);
	q->max_age_days = ATTEST_DEFAULT_MAX_AGE_DAYS;
	if ((v = yaml_get(yf, root, "max_age_days"))) {
		int64_t days;
		if (yaml_want_int(yf, v, "max_age_days", &days, d))
			return -1;
		if (days < 1 || days > 3660)
			return yaml_error(yf, v, d, _("max_age_days must be 1 to 3660, not %lld"),
					  (long long)days);
		q->max_age_days = (int)days;
	}
	static const char *const required[] = {"documents", "questions", "figures", "categories",
					       NULL};
	for (size_t i = 0; required[i]; i++)
		if (!yaml_get(yf, root, required[i]))
			return yaml_error(yf, root, d, _("no '%s'"), required[i]);
	if (parse_documents(yf, yaml_get(yf, root, "documents"), q, d) ||
	    parse_questions(yf, yaml_get(yf, root, "questions"), q, d))
		return -1;
	if ((v = yaml_get(yf, root, "org_items")) &&
	    parse_org_items(yf, v, q, attest_questions, d))
		return -1;
	if (parse_figures(yf, yaml_get(yf, root, "figures"), q, d))
		return -1;
	return parse_categories(yf, yaml_get(yf, root, "categories"), q, d);
}

org_questionnaire *org_questions_load(const char *path, const char *attest_questions, diag *d)
{
	yamlfile yf;
	path = org_questions_path(path);
	if (yamlfile_load(&yf, path, false, d))
		return NULL;
	org_questionnaire *q = xcalloc(1, sizeof *q);
	q->path = xstrdup(path);
	for (int i = 0; i < 32; i++)
		snprintf(q->sha256 + 2 * i, 3, "%02x", yf.sha256[i]);
	int rc = parse_root(&yf, q, attest_questions, d);
	yamlfile_free(&yf);
	if (rc) {
		org_questions_free(q);
		return NULL;
	}
	return q;
}

void org_questions_free(org_questionnaire *q)
{
	if (!q)
		return;
	for (size_t i = 0; i < q->question_count; i++) {
		free(q->questions[i].id);
		text_free(&q->questions[i].label);
		text_free(&q->questions[i].text);
	}
	free(q->questions);
	for (size_t i = 0; i < q->doc_count; i++) {
		free(q->docs[i].id);
		free(q->docs[i].title);
		free(q->docs[i].url);
	}
	free(q->docs);
	for (size_t i = 0; i < q->figure_count; i++) {
		free(q->figures[i].id);
		text_free(&q->figures[i].label);
		free(q->figures[i].questions);
	}
	free(q->figures);
	for (size_t i = 0; i < q->category_count; i++) {
		org_category *c = &q->categories[i];
		free(c->id);
		text_free(&c->label);
		text_free(&c->who);
		text_free(&c->approach);
		text_free(&c->next_steps);
		for (size_t k = 0; k < c->measure_count; k++)
			text_free(&c->measures[k]);
		free(c->measures);
		free(c->documents);
		cond_free(&c->when);
		free(c->next);
	}
	free(q->categories);
	free(q->path);
	free(q);
}
