/* SPDX-License-Identifier: Apache-2.0 */
/* Placing the organisation (docs/organisation.md): the questionnaire's
 * categories are tried in order, and the first whose conditions hold is
 * the company's. Evaluation is three-valued: an answer that is missing,
 * stale or "unknown" cannot decide a condition, and a figure with open
 * questions is a range that decides only when the whole range lies on one
 * side of the border. An undecided category before the one that holds
 * makes the placement unknown, with the reason; never a guess. */
#include "hostaudit/org.h"

#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "util.h"

typedef enum { T_FALSE, T_TRUE, T_UNKNOWN } tri;

typedef struct fig_val {
	bool measured_known; /* ORG_FIG_MEASURED only */
	double low, high;
	int open;            /* questions without a current answer */
} fig_val;

typedef struct ctx {
	const org_questionnaire *q;
	const org_answers *a;
	const org_measured *m;
	int64_t now;
	fig_val *figs;
} ctx;

static const char *const langs[] = {"en", "ja"};

static json_t *bi(char *en, char *ja)
{
	json_t *o = json_pack("{s:s, s:s}", "en", en, "ja", ja);
	free(en);
	free(ja);
	return o;
}

static void fmt_num(double v, char *buf, size_t n)
{
	/* Figures are 0..100 or small counts: no libm needed. */
	long long tenths = (long long)(v * 10 + (v < 0 ? -0.5 : 0.5));
	if (tenths % 10 == 0)
		snprintf(buf, n, "%lld", tenths / 10);
	else
		snprintf(buf, n, "%.1f", (double)tenths / 10);
}

/* Management's answers read as said: はい / 一部 / いいえ rather than the
 * IPA sheet's 実施 / 一部実施 / 未実施, which fit a measure, not "do you
 * use IT?". */
static const char *answer_word(answer a, const char *lang)
{
	static const text words[] = {
		{"yes", "はい"}, {"partly", "一部"}, {"no", "いいえ"}, {"don't know", "わからない"}};
	return text_get(&words[a < ANSWER_COUNT ? a : ANSWER_UNKNOWN], lang);
}

static const org_answer *answer_of(const ctx *c, size_t qi)
{
	return org_answer_find(c->a, c->q->questions[qi].id);
}

/* ---- figures ---- */

static void compute_figures(ctx *c)
{
	c->figs = xcalloc(c->q->figure_count ? c->q->figure_count : 1, sizeof *c->figs);
	for (size_t i = 0; i < c->q->figure_count; i++) {
		const org_figure *f = &c->q->figures[i];
		fig_val *v = &c->figs[i];
		if (f->kind == ORG_FIG_MEASURED) {
			v->measured_known = c->m && c->m->known;
			v->low = v->measured_known ? c->m->low : 0;
			v->high = v->measured_known ? c->m->high : 100;
			continue;
		}
		double sum = 0;
		for (size_t k = 0; k < f->question_count; k++) {
			const org_answer *e = answer_of(c, f->questions[k]);
			if (org_answer_state_at(c->q, e, c->now) != ORG_ANS_CURRENT) {
				v->open++;
				continue;
			}
			if (f->kind == ORG_FIG_SHARE)
				sum += e->ans == ANSWER_YES ? 100 : e->ans == ANSWER_PARTLY ? 50 : 0;
			else
				sum += (f->answers >> e->ans) & 1u;
		}
		if (f->kind == ORG_FIG_SHARE) {
			v->low = sum / (double)f->question_count;
			v->high = (sum + 100.0 * v->open) / (double)f->question_count;
		} else {
			v->low = sum;
			v->high = sum + v->open;
		}
	}
}

static bool fig_exact(const org_figure *f, const fig_val *v)
{
	return f->kind == ORG_FIG_MEASURED ? v->measured_known && v->low == v->high
					   : v->open == 0;
}

static const char *fig_unit(const org_figure *f)
{
	return f->kind == ORG_FIG_COUNT ? "" : "%";
}

/* "72.5%", "40% to 80% (3 not answered)", "not measured". */
static char *fig_observed(const ctx *c, size_t fi, const char *lang)
{
	const org_figure *f = &c->q->figures[fi];
	const fig_val *v = &c->figs[fi];
	char lo[32], hi[32];
	fmt_num(v->low, lo, sizeof lo);
	fmt_num(v->high, hi, sizeof hi);
	if (f->kind == ORG_FIG_MEASURED && !v->measured_known)
		return xasprintf("%s", L_(lang, "not measured"));
	if (fig_exact(f, v))
		return xasprintf("%s%s", lo, fig_unit(f));
	if (f->kind == ORG_FIG_MEASURED)
		return xasprintf(L_(lang, "%s%s to %s%s (hosts without a report)"), lo, fig_unit(f),
				 hi, fig_unit(f));
	return xasprintf(L_(lang, "%s%s to %s%s (%d not answered)"), lo, fig_unit(f), hi,
			 fig_unit(f), v->open);
}

/* ---- conditions ---- */

static tri eval(const ctx *c, const org_cond *k)
{
	switch (k->kind) {
	case ORG_COND_ALWAYS: return T_TRUE;
	case ORG_COND_ANSWER: {
		const org_answer *e = answer_of(c, k->index);
		if (org_answer_state_at(c->q, e, c->now) != ORG_ANS_CURRENT)
			return T_UNKNOWN;
		return (k->answers >> e->ans) & 1u ? T_TRUE : T_FALSE;
	}
	case ORG_COND_AT_LEAST:
	case ORG_COND_BELOW: {
		const fig_val *v = &c->figs[k->index];
		bool at_least = k->kind == ORG_COND_AT_LEAST;
		if (c->q->figures[k->index].kind == ORG_FIG_MEASURED && !v->measured_known)
			return T_UNKNOWN;
		if (v->low >= k->threshold)
			return at_least ? T_TRUE : T_FALSE;
		if (v->high < k->threshold)
			return at_least ? T_FALSE : T_TRUE;
		return T_UNKNOWN;
	}
	case ORG_COND_ALL:
	case ORG_COND_ANY: {
		bool any = k->kind == ORG_COND_ANY, open = false;
		for (size_t i = 0; i < k->child_count; i++) {
			tri t = eval(c, &k->children[i]);
			if (t == (any ? T_TRUE : T_FALSE))
				return t;
			open |= t == T_UNKNOWN;
		}
		return open ? T_UNKNOWN : any ? T_FALSE : T_TRUE;
	}
	}
	return T_UNKNOWN;
}

static char *answers_words(unsigned set, const char *lang)
{
	char buf[128] = "";
	for (int a = 0; a < ANSWER_UNKNOWN; a++) {
		if (!((set >> a) & 1u))
			continue;
		if (buf[0])
			strncat(buf, L_(lang, " or "), sizeof buf - strlen(buf) - 1);
		strncat(buf, answer_word((answer)a, lang), sizeof buf - strlen(buf) - 1);
	}
	return xstrdup(buf);
}

static char *cond_text(const ctx *c, const org_cond *k, const char *lang)
{
	char num[32];
	switch (k->kind) {
	case ORG_COND_ALWAYS: return xstrdup(L_(lang, "always"));
	case ORG_COND_ANSWER: {
		char *w = answers_words(k->answers, lang);
		char *s = xasprintf(L_(lang, "“%s” is %s"),
				    text_get(&c->q->questions[k->index].label, lang), w);
		free(w);
		return s;
	}
	case ORG_COND_AT_LEAST:
	case ORG_COND_BELOW: {
		const org_figure *f = &c->q->figures[k->index];
		fmt_num(k->threshold, num, sizeof num);
		return xasprintf(k->kind == ORG_COND_AT_LEAST ? L_(lang, "%s at least %s%s")
							      : L_(lang, "%s below %s%s"),
				 text_get(&f->label, lang), num, fig_unit(f));
	}
	case ORG_COND_ALL:
	case ORG_COND_ANY: {
		size_t cap = 256, len = 0;
		char *out = xmalloc(cap);
		out[0] = '\0';
		for (size_t i = 0; i < k->child_count; i++) {
			char *part = cond_text(c, &k->children[i], lang);
			const char *sep = i ? L_(lang, "; ") : "";
			size_t need = len + strlen(sep) + strlen(part) + 1;
			if (need > cap) {
				cap = need * 2;
				out = xrealloc(out, cap);
			}
			strcat(out, sep);
			strcat(out, part);
			len = strlen(out);
			free(part);
		}
		char *s = xasprintf(k->kind == ORG_COND_ANY ? L_(lang, "any of (%s)")
							    : L_(lang, "all of (%s)"), out);
		free(out);
		return s;
	}
	}
	return xstrdup("?");
}

/* What was observed for a leaf condition: the answer with who and when,
 * or why there is none; the figure's value or range. */
static char *cond_observed(const ctx *c, const org_cond *k, const char *lang)
{
	if (k->kind == ORG_COND_AT_LEAST || k->kind == ORG_COND_BELOW)
		return fig_observed(c, k->index, lang);
	if (k->kind != ORG_COND_ANSWER)
		return xstrdup("");
	const org_answer *e = answer_of(c, k->index);
	switch (org_answer_state_at(c->q, e, c->now)) {
	case ORG_ANS_MISSING: return xstrdup(L_(lang, "not answered"));
	case ORG_ANS_STALE:
		return xasprintf(L_(lang, "stale: answered “%s” by %s on %s, more than %d days ago"),
				 answer_word(e->ans, lang), e->who, e->when, c->q->max_age_days);
	case ORG_ANS_UNKNOWN:
		return xasprintf(L_(lang, "%s answered “don't know” on %s"), e->who, e->when);
	case ORG_ANS_CURRENT: break;
	}
	return xasprintf(L_(lang, "answered “%s” by %s on %s"), answer_word(e->ans, lang), e->who,
			 e->when);
}

static json_t *tri_json(tri t)
{
	return t == T_UNKNOWN ? json_null() : json_boolean(t == T_TRUE);
}

static json_t *leaf_json(const ctx *c, const org_cond *k, tri t)
{
	json_t *o = json_pack("{s:o, s:o, s:o}", "condition",
			      bi(cond_text(c, k, "en"), cond_text(c, k, "ja")), "observed",
			      bi(cond_observed(c, k, "en"), cond_observed(c, k, "ja")), "holds",
			      tri_json(t));
	if (k->kind == ORG_COND_ANSWER)
		json_object_set_new(o, "question", json_string(c->q->questions[k->index].id));
	else if (k->kind == ORG_COND_AT_LEAST || k->kind == ORG_COND_BELOW)
		json_object_set_new(o, "figure", json_string(c->q->figures[k->index].id));
	return o;
}

/* The leaves that make k come out as t: for a list that holds, every
 * child that holds (for "all", every child); for one that fails or is
 * undecided, the children that fail or are undecided. */
static void explain(const ctx *c, const org_cond *k, tri t, json_t *out)
{
	if (k->kind == ORG_COND_ALWAYS)
		return;
	if (k->kind != ORG_COND_ALL && k->kind != ORG_COND_ANY) {
		json_array_append_new(out, leaf_json(c, k, t));
		return;
	}
	bool any = k->kind == ORG_COND_ANY;
	for (size_t i = 0; i < k->child_count; i++) {
		tri ct = eval(c, &k->children[i]);
		bool take = t == T_UNKNOWN ? ct == T_UNKNOWN
			    : any	   ? (t == T_TRUE ? ct == T_TRUE : true)
					   : (t == T_TRUE ? true : ct == T_FALSE);
		if (take)
			explain(c, &k->children[i], ct, out);
	}
}

/* Leaves of k that do not hold yet (false or undecided). */
static void unmet(const ctx *c, const org_cond *k, json_t *out)
{
	tri t = eval(c, k);
	if (t == T_TRUE || k->kind == ORG_COND_ALWAYS)
		return;
	if (k->kind == ORG_COND_ALL) {
		for (size_t i = 0; i < k->child_count; i++)
			unmet(c, &k->children[i], out);
		return;
	}
	json_array_append_new(out, k->kind == ORG_COND_ANY
					   ? json_pack("{s:o, s:o, s:o}", "condition",
						       bi(cond_text(c, k, "en"), cond_text(c, k, "ja")),
						       "observed", bi(xstrdup(""), xstrdup("")),
						       "holds", tri_json(t))
					   : leaf_json(c, k, t));
}

/* ---- the placement ---- */

static json_t *text_json(const text *t)
{
	return json_pack("{s:s, s:s}", "en", t->en, "ja", t->ja);
}

static json_t *category_json(const org_questionnaire *q, const org_category *cat)
{
	json_t *measures = json_array(), *docs = json_array();
	for (size_t i = 0; i < cat->measure_count; i++)
		json_array_append_new(measures, text_json(&cat->measures[i]));
	for (size_t i = 0; i < cat->document_count; i++) {
		const org_document *d = &q->docs[cat->documents[i]];
		json_t *o = json_pack("{s:s, s:s}", "id", d->id, "title", d->title);
		json_object_set_new(o, "url", d->url ? json_string(d->url) : json_null());
		json_array_append_new(docs, o);
	}
	return json_pack("{s:o, s:o, s:o, s:o, s:o}", "label", text_json(&cat->label), "who",
			 text_json(&cat->who), "approach", text_json(&cat->approach), "measures",
			 measures, "documents", docs);
}

static json_t *figures_json(const ctx *c)
{
	json_t *o = json_object();
	for (size_t i = 0; i < c->q->figure_count; i++) {
		const org_figure *f = &c->q->figures[i];
		const fig_val *v = &c->figs[i];
		bool known = f->kind != ORG_FIG_MEASURED || v->measured_known;
		json_t *fo = json_pack("{s:o, s:o, s:o, s:i}", "label", text_json(&f->label), "value",
				       known && fig_exact(f, v) ? json_real(v->low) : json_null(),
				       "observed", bi(fig_observed(c, i, "en"),
						      fig_observed(c, i, "ja")),
				       "open", v->open);
		if (known) {
			json_object_set_new(fo, "low", json_real(v->low));
			json_object_set_new(fo, "high", json_real(v->high));
		}
		if (f->kind == ORG_FIG_MEASURED && c->m && c->m->source[0])
			json_object_set_new(fo, "source", json_pack("{s:s, s:s}", "en", c->m->source,
								   "ja", c->m->source_ja[0]
									 ? c->m->source_ja
									 : c->m->source));
		json_object_set_new(o, f->id, fo);
	}
	return o;
}

/* Whether the document is still the one vouched for: "matches",
 * "differs", "unreadable" (not reachable from here), or "not-checked" (a
 * URL, no hash, or a central policy's answers, whose documents a policy
 * may not make the agent read). Read where the placement is made. */
static const char *evidence_check(const org_answers *a, const org_answer *e)
{
	if (!e->evidence.path || !e->evidence.sha256 || a->evidence_elsewhere)
		return "not-checked";
	char sha[65], why[200];
	if (org_file_sha256(e->evidence.path, sha, why, sizeof why) != 0)
		return "unreadable";
	return strcmp(sha, e->evidence.sha256) ? "differs" : "matches";
}

static json_t *answers_json(const ctx *c)
{
	static const char *const axes[] = {"it-use", "security", "restriction", "directive",
					   "org-item"};
	json_t *o = json_object();
	for (size_t i = 0; i < c->q->question_count; i++) {
		const org_question *oq = &c->q->questions[i];
		const org_answer *e = answer_of(c, i);
		org_answer_state st = org_answer_state_at(c->q, e, c->now);
		json_t *ao = json_pack("{s:s, s:s, s:o}", "axis", axes[oq->axis], "state",
				       org_answer_state_name(st), "label", text_json(&oq->label));
		if (e) {
			json_object_set_new(ao, "answer", json_string(answer_name(e->ans)));
			json_object_set_new(ao, "who", json_string(e->who));
			json_object_set_new(ao, "when", json_string(e->when));
			if (e->evidence.title) {
				json_t *ev = json_pack("{s:s}", "title", e->evidence.title);
				if (e->evidence.path)
					json_object_set_new(ev, "path", json_string(e->evidence.path));
				if (e->evidence.url)
					json_object_set_new(ev, "url", json_string(e->evidence.url));
				if (e->evidence.sha256)
					json_object_set_new(ev, "sha256",
							    json_string(e->evidence.sha256));
				json_object_set_new(ev, "check", json_string(evidence_check(c->a, e)));
				json_object_set_new(ao, "evidence", ev);
			}
		}
		json_object_set_new(o, oq->id, ao);
	}
	return o;
}

static char *unknown_reason(const ctx *c, const org_category *cat, json_t *undecided,
			    const char *lang)
{
	size_t n = json_array_size(undecided);
	json_t *first = json_array_get(undecided, 0);
	const char *what = json_string_value(json_object_get(json_object_get(first, "condition"),
							     lang));
	const char *seen = json_string_value(json_object_get(json_object_get(first, "observed"),
							     lang));
	(void)c;
	if (n > 1)
		return xasprintf(L_(lang, "cannot tell whether %s applies: %s (%s), and %zu more "
				 "open"), text_get(&cat->label, lang), what ? what : "",
				 seen ? seen : "", n - 1);
	return xasprintf(L_(lang, "cannot tell whether %s applies: %s (%s)"),
			 text_get(&cat->label, lang), what ? what : "", seen ? seen : "");
}

json_t *org_place(const org_questionnaire *q, const org_answers *a, const org_measured *m,
		  int64_t now)
{
	ctx c = {q, a, m, now, NULL};
	compute_figures(&c);
	char when[32];
	format_time_utc(now, when, sizeof when);
	json_t *out = json_pack("{s:s, s:s, s:i, s:{s:s, s:s}}", "schema", ORG_PLACEMENT_SCHEMA,
				"placed_at", when, "year", atoi(when), "questionnaire", "path",
				q->path, "sha256", q->sha256);
	if (a && a->file)
		json_object_set_new(out, "answers_file", json_string(a->file));
	if (a && a->organisation)
		json_object_set_new(out, "organisation", json_string(a->organisation));
	json_t *ruled_out = json_array();
	const org_category *placed = NULL;
	for (size_t i = 0; i < q->category_count && !placed; i++) {
		const org_category *cat = &q->categories[i];
		tri t = eval(&c, &cat->when);
		if (t == T_TRUE) {
			placed = cat;
			break;
		}
		json_t *why = json_array();
		explain(&c, &cat->when, t, why);
		if (t == T_FALSE) {
			json_array_append_new(ruled_out, json_pack("{s:s, s:o, s:o}", "category",
								   cat->id, "label",
								   text_json(&cat->label), "because",
								   why));
			continue;
		}
		/* Undecided: the rule cannot go past this category. */
		json_object_set_new(out, "category", json_string("unknown"));
		json_object_set_new(out, "unknown_reason",
				    bi(unknown_reason(&c, cat, why, "en"),
				       unknown_reason(&c, cat, why, "ja")));
		json_object_set_new(out, "undecided",
				    json_pack("{s:s, s:o, s:o}", "category", cat->id, "label",
					      text_json(&cat->label), "because", why));
		break;
	}
	json_object_set_new(out, "ruled_out", ruled_out);
	if (placed) {
		json_object_set_new(out, "category", json_string(placed->id));
		json_t *cj = category_json(q, placed);
		json_object_update(out, cj);
		json_decref(cj);
		json_t *by = json_array();
		explain(&c, &placed->when, T_TRUE, by);
		json_object_set_new(out, "decided_by", by);
		json_t *next = json_pack("{s:o}", "steps", text_json(&placed->next_steps));
		if (placed->next) {
			const org_category *target = org_category_find(q, placed->next);
			json_t *needs = json_array();
			unmet(&c, &target->when, needs);
			json_t *no_longer = json_array();
			explain(&c, &placed->when, T_TRUE, no_longer);
			json_object_set_new(next, "category", json_string(target->id));
			json_object_set_new(next, "label", text_json(&target->label));
			json_object_set_new(next, "needs", needs);
			json_object_set_new(next, "no_longer", no_longer);
		}
		json_object_set_new(out, "next", next);
	}
	json_object_set_new(out, "figures", figures_json(&c));
	json_object_set_new(out, "answers", answers_json(&c));
	free(c.figs);
	(void)langs;
	return out;
}
