/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/org: the organisation's self-assessment (docs/organisation.md). Who
 * may read the console sees the company's category, what decided it and
 * the next steps, beside last year's; an admin answers the questionnaire
 * here with the answer words of `org attest`, and the answers are kept and
 * the company placed by the same code (org_record(), per organisation). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "hostaudit/html.h"
#include "i18n.h"
#include "org.h"
#include "ui.h"
#include "util.h"

/* The longest name, note or title a form may give (one line of text). */
enum { FIELD_MAX = 300 };

/* The console's organisation's own directory, as tenant_scope() gives the
 * commands: c is the server's config with organisation_dir its own. */
static bool org_config(const ui_page *p, collector_config *c, char **own)
{
	*c = *p->env->cfg;
	c->org_id = p->org_id;
	*own = tenant_dir(p->env->cfg->organisation_dir, p->org_id);
	if (!*own)
		return false;
	if (p->org_id != ORG_DEFAULT && mkdir(p->env->cfg->organisation_dir, 0700) != 0 &&
	    errno != EEXIST)
		log_line("console: %s: %s", p->env->cfg->organisation_dir, strerror(errno));
	c->organisation_dir = *own;
	return true;
}

static const char *tr(const json_t *t, const char *lang)
{
	const char *s = json_string_value(json_object_get(t, lang));
	if (!s)
		s = json_string_value(json_object_get(t, "en"));
	return s ? s : "";
}

static const char *category_label(const json_t *p, const char *lang)
{
	const char *id = json_string_value(json_object_get(p, "category"));
	if (!id || !strcmp(id, "unknown"))
		return L_(lang, "unknown");
	return tr(json_object_get(p, "label"), lang);
}

/* A list of conditions with what was observed. */
static void leaves(ui_page *p, const json_t *arr, const char *id)
{
	FILE *o = p->out;
	html_open(o, "ul", "id", id, NULL);
	size_t i;
	const json_t *l;
	json_array_foreach(arr, i, l)
	{
		html_lit(o, "<li>");
		html_text(o, tr(json_object_get(l, "condition"), p->lang));
		const char *seen = tr(json_object_get(l, "observed"), p->lang);
		if (*seen) {
			html_lit(o, " <span class=\"note\">(");
			html_text(o, seen);
			html_lit(o, ")</span>");
		}
		html_lit(o, "</li>\n");
	}
	html_lit(o, "</ul>\n");
}

static void heading(ui_page *p, const char *title)
{
	html_elem(p->out, "h2", title, NULL);
}

static void next_steps(ui_page *p, const json_t *next)
{
	const json_t *label = json_object_get(next, "label");
	char *h = label ? xasprintf(L_(p->lang, "To move to %s:"), tr(label, p->lang))
			: xstrdup(L_(p->lang, "Next steps:"));
	heading(p, h);
	free(h);
	FILE *o = p->out;
	html_lit(o, "<ul id=\"next\">\n");
	size_t i;
	const json_t *l;
	json_array_foreach(json_object_get(next, "no_longer"), i, l)
	{
		html_lit(o, "<li>");
		html_textf(o, L_(p->lang, "no longer %s (now %s)"),
			   tr(json_object_get(l, "condition"), p->lang),
			   tr(json_object_get(l, "observed"), p->lang));
		html_lit(o, "</li>\n");
	}
	json_array_foreach(json_object_get(next, "needs"), i, l)
	{
		const char *seen = tr(json_object_get(l, "observed"), p->lang);
		html_lit(o, "<li>");
		if (*seen)
			html_textf(o, L_(p->lang, "needs %s (now %s)"),
				   tr(json_object_get(l, "condition"), p->lang), seen);
		else
			html_textf(o, L_(p->lang, "needs %s"),
				   tr(json_object_get(l, "condition"), p->lang));
		html_lit(o, "</li>\n");
	}
	html_lit(o, "</ul>\n");
	html_elem(o, "p", tr(json_object_get(next, "steps"), p->lang), NULL);
}

/* The category, why, and what next: what `org show` says, as a page. */
static void placement(ui_page *p, const json_t *pl, const json_t *prev)
{
	FILE *o = p->out;
	int year = (int)json_integer_value(json_object_get(pl, "year"));
	const char *id = json_string_value(json_object_get(pl, "category"));
	html_lit(o, "<p id=\"category\" class=\"big\">");
	html_textf(o, L_(p->lang, "Category (%d): %s [%s]"), year, category_label(pl, p->lang),
		   id ? id : "unknown");
	html_lit(o, "</p>\n<p id=\"last-year\">");
	if (prev)
		html_textf(o, L_(p->lang, "Last year (%d): %s [%s]"), year - 1,
			   category_label(prev, p->lang),
			   json_string_value(json_object_get(prev, "category")));
	else
		html_textf(o, L_(p->lang, "Last year (%d): not assessed"), year - 1);
	html_lit(o, "</p>\n");
	if (!id || !strcmp(id, "unknown")) {
		html_lit(o, "<p id=\"why-unknown\">");
		html_text(o, tr(json_object_get(pl, "unknown_reason"), p->lang));
		html_lit(o, "</p>\n");
		heading(p, L_(p->lang, "Answer these to be placed:"));
		leaves(p, json_object_get(json_object_get(pl, "undecided"), "because"),
		       "undecided");
	} else {
		html_lit(o, "<table class=\"grid\"><tr><th>");
		html_text(o, L_(p->lang, "which companies"));
		html_lit(o, "</th><td>");
		html_text(o, tr(json_object_get(pl, "who"), p->lang));
		html_lit(o, "</td></tr><tr><th>");
		html_text(o, L_(p->lang, "basic approach"));
		html_lit(o, "</th><td id=\"approach\">");
		html_text(o, tr(json_object_get(pl, "approach"), p->lang));
		html_lit(o, "</td></tr></table>\n");
		heading(p, L_(p->lang, "Minimum measures:"));
		html_lit(o, "<ul id=\"measures\">\n");
		size_t i;
		const json_t *m;
		json_array_foreach(json_object_get(pl, "measures"), i, m)
			html_elem(o, "li", tr(m, p->lang), NULL);
		html_lit(o, "</ul>\n");
		heading(p, L_(p->lang, "Documents to use:"));
		html_lit(o, "<ul id=\"documents\">\n");
		json_array_foreach(json_object_get(pl, "documents"), i, m)
		{
			html_lit(o, "<li>");
			html_text(o, json_string_value(json_object_get(m, "title")));
			const char *url = json_string_value(json_object_get(m, "url"));
			if (url) {
				html_lit(o, " <span class=\"note\">");
				html_text(o, url);
				html_lit(o, "</span>");
			}
			html_lit(o, "</li>\n");
		}
		html_lit(o, "</ul>\n");
		heading(p, L_(p->lang, "Decided by:"));
		leaves(p, json_object_get(pl, "decided_by"), "decided-by");
	}
	const json_t *next = json_object_get(pl, "next");
	if (next)
		next_steps(p, next);
}

static const char *const words[] = {"yes", "partly", "no", "unknown"};

/* An answer word as org attest shows it. */
static const char *word_label(const char *word, const char *lang)
{
	return !strcmp(word, "unknown") ? L_(lang, "don't know") : L_(lang, word);
}

/* One question's row: its text, the answer kept, and for an admin the
 * form's fields (the answer words of org attest; a directive's document). */
static void question_row(ui_page *p, const org_question *oq, const json_t *kept)
{
	FILE *o = p->out;
	html_open(o, "tr", "id", oq->id, NULL);
	html_lit(o, "<td><strong>");
	html_text(o, text_get(&oq->label, p->lang));
	html_lit(o, "</strong><br><span class=\"note\">");
	html_text(o, text_get(&oq->text, p->lang));
	html_lit(o, "</span></td><td>");
	const char *ans = json_string_value(json_object_get(kept, "answer"));
	const char *state = json_string_value(json_object_get(kept, "state"));
	if (ans) {
		html_text(o, word_label(ans, p->lang));
		html_lit(o, "<br><span class=\"note\">");
		html_text(o, json_string_value(json_object_get(kept, "who")));
		html_lit(o, ", ");
		html_text(o, json_string_value(json_object_get(kept, "when")));
		if (state && !strcmp(state, "stale")) {
			html_lit(o, "</span> <span class=\"bad\">");
			html_text(o, L_(p->lang, "stale: reads as unknown"));
		}
		html_lit(o, "</span>");
		const json_t *ev = json_object_get(kept, "evidence");
		if (ev) {
			html_lit(o, "<br><span class=\"note\">");
			html_text(o, json_string_value(json_object_get(ev, "title")));
			const char *sha = json_string_value(json_object_get(ev, "sha256"));
			if (sha) {
				html_lit(o, " SHA-256 ");
				html_text(o, sha);
			}
			html_lit(o, "</span>");
		}
	} else {
		html_text(o, L_(p->lang, "not answered"));
	}
	html_lit(o, "</td>");
	if (p->role >= ROLE_ADMIN) {
		char name[160];
		snprintf(name, sizeof name, "a_%s", oq->id);
		html_lit(o, "<td>");
		html_open(o, "select", "name", name, NULL);
		html_open(o, "option", "value", "", NULL);
		html_text(o, L_(p->lang, "(unchanged)"));
		html_close(o, "option");
		for (size_t k = 0; k < sizeof words / sizeof words[0]; k++) {
			html_open(o, "option", "value", words[k], NULL);
			html_text(o, word_label(words[k], p->lang));
			html_close(o, "option");
		}
		html_lit(o, "</select>");
		if (oq->evidence) {
			html_lit(o, "<br><label>");
			html_text(o, L_(p->lang, "Document title"));
			html_lit(o, " ");
			snprintf(name, sizeof name, "t_%s", oq->id);
			html_open(o, "input", "name", name, "size", "24", NULL);
			html_lit(o, "</label><br><label>");
			html_text(o, L_(p->lang, "Its URL"));
			html_lit(o, " ");
			snprintf(name, sizeof name, "u_%s", oq->id);
			html_open(o, "input", "name", name, "size", "24", NULL);
			html_lit(o, "</label>");
		}
		html_lit(o, "</td>");
	}
	html_lit(o, "</tr>\n");
}

static void questionnaire(ui_page *p, const org_questionnaire *q, const json_t *pl,
			  const org_answers *a)
{
	FILE *o = p->out;
	heading(p, L_(p->lang, "The questionnaire"));
	bool admin = p->role >= ROLE_ADMIN;
	if (admin) {
		html_lit(o, "<form method=\"post\" action=\"/ui/org\" id=\"answer\">\n");
		ui_csrf_field(p);
		html_lit(o, "<p><label>");
		html_text(o, L_(p->lang, "Who vouches for the answers"));
		html_lit(o, " ");
		html_open(o, "input", "name", "who", "size", "30", "value", p->sess.user, NULL);
		html_lit(o, "</label><label>");
		html_text(o, L_(p->lang, "Organisation"));
		html_lit(o, " ");
		html_open(o, "input", "name", "organisation", "size", "30", "value",
			  a->organisation ? a->organisation : "", NULL);
		html_lit(o, "</label></p>\n<p class=\"note\">");
		html_text(o, L_(p->lang, "Answer only what changed: a question left unchanged "
					 "keeps its answer. Each answer is dated today; a directive "
					 "keeps its document unless you give another."));
		html_lit(o, "</p>\n");
	}
	html_lit(o, "<table class=\"grid\" id=\"questions\"><tr><th>");
	html_text(o, L_(p->lang, "question"));
	html_lit(o, "</th><th>");
	html_text(o, L_(p->lang, "answer kept"));
	html_lit(o, "</th>");
	if (admin) {
		html_lit(o, "<th>");
		html_text(o, L_(p->lang, "new answer"));
		html_lit(o, "</th>");
	}
	html_lit(o, "</tr>\n");
	const json_t *kept = json_object_get(pl, "answers");
	for (size_t i = 0; i < q->question_count; i++)
		question_row(p, &q->questions[i], json_object_get(kept, q->questions[i].id));
	html_lit(o, "</table>\n");
	if (admin) {
		html_open(o, "button", "type", "submit", NULL);
		html_text(o, L_(p->lang, "Record the answers"));
		html_lit(o, "</button></form>\n");
	}
}

/* The questionnaire and the organisation's answers as of now; false with
 * the page answered (a bad file is named with file:line:column). */
static bool load(ui_page *p, const collector_config *c, int64_t now, org_questionnaire **q,
		 org_answers *a)
{
	diag d = {{0}};
	if (!(*q = org_questions_load(NULL, NULL, &d))) {
		log_line("console: org: %s", d.msg);
		ui_refused(p, 500, d.msg);
		return false;
	}
	if (org_answers_load(a, *q, org_store_answers_path(c), now, &d) != 0) {
		log_line("console: org: %s", d.msg);
		ui_refused(p, 500, d.msg);
		org_questions_free(*q);
		return false;
	}
	return true;
}

/* The organisation's config, questionnaire and answers, or the page
 * refused (and nothing left to free). */
static bool open_org(ui_page *p, collector_config *c, char **own, int64_t now,
		     org_questionnaire **q, org_answers *a)
{
	if (!org_config(p, c, own)) {
		ui_refused(p, 500, "out of memory");
		return false;
	}
	if (!load(p, c, now, q, a)) {
		free(*own);
		return false;
	}
	return true;
}

void ui_org_get(ui_page *p)
{
	collector_config c;
	char *own;
	int64_t now = (int64_t)time(NULL);
	org_questionnaire *q;
	org_answers a;
	if (!open_org(p, &c, &own, now, &q, &a))
		return;
	org_measured m;
	char err[600];
	if (org_fleet_compliance(p->st, p->org_id, now, 365, &m, err, sizeof err) != 0) {
		log_line("console: org: %s", err);
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
	} else {
		json_t *pl = org_place(q, &a, &m, now);
		json_t *prev = org_store_load_placement(
			&c, (int)json_integer_value(json_object_get(pl, "year")) - 1);
		ui_begin(p, L_(p->lang, "The organisation's self-assessment"));
		const char *recorded = ui_arg(p, "recorded");
		if (recorded && *recorded) {
			html_lit(p->out, "<p class=\"ok\" id=\"recorded\">");
			html_textf(p->out, L_(p->lang, "Recorded %ld answer(s)."),
				   strtol(recorded, NULL, 10));
			html_lit(p->out, "</p>\n");
		}
		if (a.organisation)
			html_elem(p->out, "p", a.organisation, "id", "organisation", NULL);
		placement(p, pl, prev);
		questionnaire(p, q, pl, &a);
		ui_end(p);
		json_decref(prev);
		json_decref(pl);
	}
	org_answers_free(&a);
	org_questions_free(q);
	free(own);
}

/* A form's line of text: at most FIELD_MAX bytes of UTF-8, no control
 * characters (it goes into a YAML file the agents read). */
static bool one_line(const char *s)
{
	size_t n = strlen(s);
	if (n > FIELD_MAX || !utf8_valid(s, n, NULL))
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* The answers the form changes, put into a; their count, or -1 with the
 * page answered (nothing is kept then). *renamed: the organisation's name
 * changed. */
static int take_answers(ui_page *p, const org_questionnaire *q, org_answers *a, int64_t now,
			bool *renamed)
{
	const char *who = ui_form(p, "who"), *org = ui_form(p, "organisation");
	char today[16];
	ui_date(now, today);
	long long epoch = 0;
	parse_time_utc(today, &epoch);
	int n = 0;
	for (size_t i = 0; i < q->question_count; i++) {
		const org_question *oq = &q->questions[i];
		char name[160];
		snprintf(name, sizeof name, "a_%s", oq->id);
		const char *word = ui_form(p, name);
		snprintf(name, sizeof name, "t_%s", oq->id);
		const char *title = oq->evidence ? ui_form(p, name) : "";
		snprintf(name, sizeof name, "u_%s", oq->id);
		const char *url = oq->evidence ? ui_form(p, name) : "";
		if (!*word && !*title && !*url)
			continue;
		int ans = *word ? answer_parse_word(word) : -1;
		if (ans < 0) {
			ui_refused(p, 400, L_(p->lang, "Each answer is yes, partly, no or unknown; "
						       "nothing was recorded."));
			return -1;
		}
		if (!one_line(title) || !one_line(url) || (!*title != !*url) ||
		    (*url && strncmp(url, "https://", 8) && strncmp(url, "http://", 7))) {
			ui_refused(p, 400, L_(p->lang, "A document needs both its title and its URL "
						       "(http:// or https://); nothing was "
						       "recorded."));
			return -1;
		}
		org_answer e = {.question = xstrdup(oq->id), .ans = (answer)ans,
				.who = xstrdup(who), .when = xstrdup(today), .when_epoch = epoch};
		const org_answer *was = org_answer_find(a, oq->id);
		if (*title) {
			e.evidence.title = xstrdup(title);
			e.evidence.url = xstrdup(url);
		} else if (was && was->evidence.title) {
			/* a new answer keeps the document vouched for before */
			const org_evidence *k = &was->evidence;
			e.evidence.title = xstrdup(k->title);
			e.evidence.path = k->path ? xstrdup(k->path) : NULL;
			e.evidence.url = k->url ? xstrdup(k->url) : NULL;
			e.evidence.sha256 = k->sha256 ? xstrdup(k->sha256) : NULL;
		}
		org_answer_put(a, &e);
		n++;
	}
	if (n && (!*who || !one_line(who))) {
		ui_refused(p, 400, L_(p->lang, "An answer needs the name of who vouches for it; "
					       "nothing was recorded."));
		return -1;
	}
	if (!one_line(org)) {
		ui_refused(p, 400, L_(p->lang, "That is not an organisation's name; nothing was "
					       "recorded."));
		return -1;
	}
	*renamed = *org && (!a->organisation || strcmp(a->organisation, org));
	if (*renamed) {
		free(a->organisation);
		a->organisation = xstrdup(org);
	}
	return n;
}

void ui_org_post(ui_page *p)
{
	collector_config c;
	char *own;
	int64_t now = (int64_t)time(NULL);
	org_questionnaire *q;
	org_answers a;
	if (!open_org(p, &c, &own, now, &q, &a))
		return;
	bool renamed = false;
	int n = take_answers(p, q, &a, now, &renamed);
	char err[700];
	json_t *pl = NULL;
	if ((n > 0 || renamed) && org_record(&c, p->st, q, &a, now, &pl, err, sizeof err) != 0) {
		log_line("console: org: %s", err);
		ui_refused(p, 503, L_(p->lang, "The answers could not be kept; try again."));
	} else if (n >= 0) {
		if (n > 0)
			log_line("console: %s recorded %d organisation answer(s)", p->sess.user, n);
		char loc[64];
		snprintf(loc, sizeof loc, "/ui/org?recorded=%d", n);
		ui_redirect(p, loc);
	}
	json_decref(pl);
	org_answers_free(&a);
	org_questions_free(q);
	free(own);
}
