/* SPDX-License-Identifier: Apache-2.0 */
/* The terminal report: the score, then "Fix these first" (every failing
 * finding by severity and weight, with what was observed and the fix),
 * then what could not be checked, what passed, and the scores per
 * checklist item. A measure several packs check is one finding, listing
 * each checklist item it answers. Every line goes through text_wrap, so
 * the report fits the terminal in both languages. Reads only the JSON
 * report, like every renderer. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report.h"
#include "i18n.h"
#include "textwrap.h"
#include "util.h"

typedef struct style {
	const char *bold, *red, *green, *yellow, *dim, *reset;
} style;

static const style plain = {"", "", "", "", "", ""};
static const style ansi = {"\033[1m", "\033[31m", "\033[32m", "\033[33m", "\033[2m", "\033[0m"};

#define tr report_tr

typedef struct ctx {
	const json_t *report;
	const char *lang;
	const style *st;
	size_t width;
	FILE *out;
} ctx;

/* Continuation lines of a finding start here, under its title. */
enum { INDENT = 6 };

/* "label text", the label dimmed, wrapped under the text. */
static void labelled(const ctx *c, const char *label, const char *txt)
{
	fprintf(c->out, "%*s%s%s%s ", INDENT, "", c->st->dim, label, c->st->reset);
	text_wrap(c->out, txt, INDENT + utf8_display_width(label) + 1, INDENT + 2, c->width);
}

static char *fact_value(const json_t *f)
{
	/* Spaces after commas, so a long list can wrap between items. */
	char *v = json_dumps(json_object_get(f, "value"), JSON_ENCODE_ANY);
	if (v && strlen(v) > 300) {
		/* Cut at an item boundary, never inside a word. */
		char *cut = v + 300;
		while (cut > v && *cut != ' ')
			cut--;
		strcpy(cut > v ? cut : v + 300, " …");
	}
	return v ? v : xstrdup("?");
}

static const char *state_word(const char *state, const char *lang)
{
	return !strcmp(state, "unknown")	    ? L_(lang, "unknown")
	       : !strcmp(state, "not_applicable") ? L_(lang, "not applicable")
						  : L_(lang, "error");
}

/* What the result read: "observed: name = value (evidence)" for known
 * facts, and the reason once for those that are not ("why:"). */
static void print_facts(const ctx *c, const json_t *res)
{
	const json_t *facts = json_object_get(c->report, "facts");
	const char *status = json_string_value(json_object_get(res, "status"));
	bool open = !strcmp(status, "unknown") || !strcmp(status, "error");
	bool explained = false;
	size_t i;
	const json_t *name;
	json_array_foreach(json_object_get(res, "facts"), i, name)
	{
		const json_t *f = json_object_get(facts, json_string_value(name));
		if (!f)
			continue;
		const char *state = json_string_value(json_object_get(f, "state"));
		bool attested = json_is_true(json_object_get(f, "attested"));
		char *line;
		if (!strcmp(state, "known")) {
			char *v = fact_value(f), *ev = report_fact_text(f, "evidence", c->lang);
			char *by = attested ? xasprintf(" [%s]", L_(c->lang, "attested by a person"))
					    : xstrdup("");
			line = ev ? xasprintf("%s = %s (%s)%s", json_string_value(name), v, ev, by)
				  : xasprintf("%s = %s%s", json_string_value(name), v, by);
			free(v);
			free(ev);
			free(by);
			labelled(c, attested ? L_(c->lang, "attested:") : L_(c->lang, "observed:"),
				 line);
		} else {
			char *why = report_fact_text(f, "reason", c->lang);
			line = why ? xasprintf("%s: %s (%s)", json_string_value(name),
					       state_word(state, c->lang), why)
				   : xasprintf("%s: %s", json_string_value(name),
					       state_word(state, c->lang));
			free(why);
			labelled(c, open ? L_(c->lang, "why:") : L_(c->lang, "observed:"), line);
			explained = true;
		}
		free(line);
	}
	char *reason = explained ? NULL : report_result_reason(c->report, res, c->lang);
	if (reason)
		labelled(c, L_(c->lang, "why:"), reason);
	free(reason);
}

/* The first line of a finding: "   1. Title". */
static void title_line(const ctx *c, const char *bullet, const char *colour,
		       const report_finding *fd)
{
	const json_t *lead = fd->lead;
	fprintf(c->out, "  %s%3s%s ", colour, bullet, c->st->reset);
	char *label = NULL;
	if (json_is_true(json_object_get(lead, "partial")))
		label = xasprintf("(%s) ", report_status_label(lead, c->lang));
	char *line = xasprintf("%s%s%s%s", label ? label : "", c->st->bold,
			       tr(json_object_get(lead, "title"), c->lang), c->st->reset);
	text_wrap(c->out, line, INDENT, INDENT, c->width);
	free(line);
	free(label);
}

/* "high · 9 articles 2 · 5 articles 3  [nisc-9:password.no-empty]": how
 * much it matters, the checklist items it answers, the rule to explain. */
static void items_line(const ctx *c, const report_finding *fd)
{
	char *items = report_finding_items(c->report, fd, c->lang);
	const json_t *lead = fd->lead;
	char *line = xasprintf("%s%s · %s  [%s:%s]%s", c->st->dim,
			       report_severity_label(json_string_value(json_object_get(lead, "severity")),
						     c->lang),
			       items, json_string_value(json_object_get(lead, "pack")),
			       json_string_value(json_object_get(lead, "id")), c->st->reset);
	fprintf(c->out, "%*s", INDENT, "");
	text_wrap(c->out, line, INDENT, INDENT, c->width);
	free(line);
	free(items);
}

static void heading(const ctx *c, const char *title, size_t n)
{
	char *h = xasprintf("%s%s (%zu)%s", c->st->bold, title, n, c->st->reset);
	fputc('\n', c->out);
	text_wrap(c->out, h, 0, 2, c->width);
	free(h);
}

static size_t count_status(const report_finding *f, size_t n, const char *status)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		k += !strcmp(json_string_value(json_object_get(f[i].lead, "status")), status);
	return k;
}

/* One section: every finding of one status, in the findings' order. */
static void section(const ctx *c, const report_finding *f, size_t n, const char *status,
		    const char *title, bool details)
{
	size_t total = count_status(f, n, status);
	if (!total)
		return;
	heading(c, title, total);
	const char *colour = !strcmp(status, "fail")	  ? c->st->red
			     : !strcmp(status, "pass")	  ? c->st->green
			     : !strcmp(status, "unknown") ? c->st->yellow
							  : c->st->dim;
	size_t number = 0;
	for (size_t i = 0; i < n; i++) {
		const json_t *lead = f[i].lead;
		if (strcmp(json_string_value(json_object_get(lead, "status")), status))
			continue;
		char bullet[16];
		if (!strcmp(status, "fail"))
			snprintf(bullet, sizeof bullet, "%zu.", ++number);
		else
			snprintf(bullet, sizeof bullet, "%s", !strcmp(status, "pass") ? "+" : "-");
		/* pass and n/a: the title and the items are enough */
		title_line(c, bullet, colour, &f[i]);
		items_line(c, &f[i]);
		if (!details)
			continue;
		if (!strcmp(status, "disabled")) {
			labelled(c, L_(c->lang, "why:"),
				 json_string_value(json_object_get(lead, "reason")));
			continue;
		}
		print_facts(c, lead);
		labelled(c, L_(c->lang, "fix:"), tr(json_object_get(lead, "remediation"), c->lang));
	}
}

static void score_text(const json_t *t, char *buf, size_t size)
{
	const json_t *s = json_object_get(t, "score");
	if (json_is_number(s))
		snprintf(buf, size, "%.1f", json_number_value(s));
	else
		snprintf(buf, size, "-");
}

static void put_right(FILE *out, const char *s, size_t width)
{
	for (size_t w = utf8_display_width(s); w < width; w++)
		fputc(' ', out);
	fputs(s, out);
}

static size_t max_size(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* Per pack: its score, and a row per checklist item with rules. The
 * numbers come first so the item's title can wrap in what is left. */
static void pack_scores(const ctx *c, const json_t *pk, const json_t *meta)
{
	char score[32];
	score_text(pk, score, sizeof score);
	char *h = xasprintf("%s%s: %s%s  %s", c->st->bold,
			    json_string_value(json_object_get(pk, "pack")),
			    tr(json_object_get(meta, "title"), c->lang), c->st->reset, score);
	fputc('\n', c->out);
	text_wrap(c->out, h, 0, 2, c->width);
	free(h);
	const json_t *sheet = json_object_get(pk, "sheet");
	if (sheet) {
		char *s = xasprintf(L_(c->lang, "IPA sheet: %lld points of %lld (%lld answered "
						"\"don't know\")"),
				    json_integer_value(json_object_get(sheet, "points")),
				    json_integer_value(json_object_get(sheet, "max")),
				    json_integer_value(json_object_get(sheet, "unknown")));
		fputs("  ", c->out);
		text_wrap(c->out, s, 2, 4, c->width);
		free(s);
	}
	const char *cols[] = {L_(c->lang, "No."), L_(c->lang, "Score"), L_(c->lang, "Pass"),
			      L_(c->lang, "Fail"), L_(c->lang, "Unknown")};
	size_t w[5], at = 2;
	for (size_t i = 0; i < 5; i++) {
		w[i] = max_size(utf8_display_width(cols[i]), i == 1 ? 5 : 3);
		at += w[i] + 2;
	}
	fprintf(c->out, "  %s", c->st->bold);
	for (size_t i = 0; i < 5; i++) {
		put_right(c->out, cols[i], w[i]);
		fputs("  ", c->out);
	}
	fprintf(c->out, "%s%s\n", sheet ? L_(c->lang, "Question") : L_(c->lang, "Article"),
		c->st->reset);
	size_t k;
	const json_t *art;
	json_array_foreach(json_object_get(pk, "articles"), k, art)
	{
		long long pass = json_integer_value(json_object_get(art, "pass"));
		long long fail = json_integer_value(json_object_get(art, "fail"));
		long long unknown = json_integer_value(json_object_get(art, "unknown")) +
				    json_integer_value(json_object_get(art, "error"));
		if (pass + fail + unknown == 0)
			continue;
		char cell[5][32];
		snprintf(cell[0], sizeof cell[0], "%lld",
			 (long long)json_integer_value(json_object_get(art, "article")));
		score_text(art, cell[1], sizeof cell[1]);
		snprintf(cell[2], sizeof cell[2], "%lld", pass);
		snprintf(cell[3], sizeof cell[3], "%lld", fail);
		snprintf(cell[4], sizeof cell[4], "%lld", unknown);
		fputs("  ", c->out);
		for (size_t i = 0; i < 5; i++) {
			put_right(c->out, cell[i], w[i]);
			fputs("  ", c->out);
		}
		text_wrap(c->out, tr(json_object_get(art, "title"), c->lang), at, at, c->width);
	}
}

static void print_counts(const ctx *c, const json_t *overall)
{
	char score[32];
	score_text(overall, score, sizeof score);
	char *counts = xasprintf(L_(c->lang, "pass %lld, fail %lld, unknown %lld, n/a %lld, "
					     "error %lld, disabled %lld"),
				 json_integer_value(json_object_get(overall, "pass")),
				 json_integer_value(json_object_get(overall, "fail")),
				 json_integer_value(json_object_get(overall, "unknown")),
				 json_integer_value(json_object_get(overall, "not_applicable")),
				 json_integer_value(json_object_get(overall, "error")),
				 json_integer_value(json_object_get(overall, "disabled")));
	char *line = xasprintf("%s%s %s / 100%s  (%s)", c->st->bold, L_(c->lang, "Score"), score,
			       c->st->reset, counts);
	text_wrap(c->out, line, 0, 2, c->width);
	free(line);
	free(counts);
}

static void print_header(const ctx *c)
{
	const json_t *hostinfo = json_object_get(c->report, "host");
	const char *name = json_string_value(json_object_get(hostinfo, "hostname"));
	const char *os = json_string_value(
		json_object_get(json_object_get(hostinfo, "os_release"), "pretty_name"));
	const json_t *root = json_object_get(c->report, "root");
	char *where = root ? xasprintf(L_(c->lang, " at %s"), json_string_value(root)) : xstrdup("");
	char *osp = os && *os ? xasprintf(" (%s)", os) : xstrdup("");
	char *line = xasprintf(
		"%shostaudit %s%s  %s%s%s  %s", c->st->bold,
		json_string_value(json_object_get(json_object_get(c->report, "agent"), "version")),
		c->st->reset, name && *name ? name : L_(c->lang, "(host name unknown)"), osp, where,
		json_string_value(json_object_get(c->report, "finished_at")));
	text_wrap(c->out, line, 0, 2, c->width);
	free(line);
	free(osp);
	free(where);
}

static void print_exceptions(const ctx *c)
{
	const json_t *exceptions = json_object_get(c->report, "exceptions");
	if (!json_array_size(exceptions))
		return;
	heading(c, L_(c->lang, "Exceptions approved by the site"), json_array_size(exceptions));
	size_t i;
	const json_t *e;
	json_array_foreach(exceptions, i, e)
	{
		const json_t *by = json_object_get(e, "approved_by");
		const json_t *until = json_object_get(e, "until");
		char *b = by ? xasprintf(L_(c->lang, " (approved by %s)"), json_string_value(by))
			     : xstrdup("");
		char *u = until ? xasprintf(L_(c->lang, " (until %s)"), json_string_value(until))
				: xstrdup("");
		char *line = xasprintf("%s: %s%s%s", json_string_value(json_object_get(e, "rule")),
				       json_string_value(json_object_get(e, "reason")), b, u);
		fputs("  ", c->out);
		text_wrap(c->out, line, 2, 4, c->width);
		free(line);
		free(b);
		free(u);
	}
}

int render_text(const json_t *report, FILE *out, const render_options *o)
{
	ctx c = {report, o->lang ? o->lang : "en", o->colour ? &ansi : &plain,
		 o->width ? o->width : 80, out};
	const json_t *scores = json_object_get(report, "scores");
	print_header(&c);
	print_counts(&c, json_object_get(scores, "overall"));
	/* With `organisation:` in the config (docs/organisation.md). */
	const json_t *org = json_object_get(report, "organisation");
	if (org) {
		const char *cat = json_string_value(json_object_get(org, "category"));
		bool unknown = !cat || !strcmp(cat, "unknown");
		char *line = xasprintf(
			L_(c.lang, "Organisation's category: %s%s%s (hostaudit org show)\n"),
			unknown ? L_(c.lang, "unknown") : tr(json_object_get(org, "label"), c.lang),
			unknown ? ": " : "",
			unknown ? tr(json_object_get(org, "unknown_reason"), c.lang) : "");
		line[strcspn(line, "\n")] = '\0';
		text_wrap(out, line, 0, 2, c.width);
		free(line);
	}
	size_t n;
	report_finding *f = report_findings(report, &n);
	if (!count_status(f, n, "fail")) {
		fputc('\n', out);
		text_wrap(out, L_(c.lang, "Nothing to fix: no rule failed."), 0, 2, c.width);
	}
	section(&c, f, n, "fail", L_(c.lang, "Fix these first"), true);
	section(&c, f, n, "error", L_(c.lang, "Could not be checked: errors"), true);
	section(&c, f, n, "unknown", L_(c.lang, "Could not be checked"), true);
	section(&c, f, n, "disabled", L_(c.lang, "Turned off by the site"), true);
	section(&c, f, n, "pass", L_(c.lang, "Passed"), false);
	section(&c, f, n, "not_applicable", L_(c.lang, "Not applicable to this host"), false);
	report_findings_free(f, n);

	fputc('\n', out);
	char *h = xasprintf("%s%s%s", c.st->bold, L_(c.lang, "Scores by checklist"), c.st->reset);
	text_wrap(out, h, 0, 2, c.width);
	free(h);
	const json_t *packs = json_object_get(report, "packs");
	size_t i;
	const json_t *pk;
	json_array_foreach(json_object_get(scores, "packs"), i, pk)
		pack_scores(&c, pk, json_array_get(packs, i));
	print_exceptions(&c);
	fputc('\n', out);
	char *id = xasprintf(L_(c.lang, "Report %s"),
			     json_string_value(json_object_get(report, "report_id")));
	text_wrap(out, id, 0, 2, c.width);
	free(id);
	return ferror(out) ? -1 : 0;
}
