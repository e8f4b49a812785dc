/* The terminal report: grouped by pack and article, failures first within
 * an article, each with what was observed and how to fix it. Reads only the
 * JSON report, like every renderer. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/report.h"
#include "i18n.h"
#include "util.h"

typedef struct style {
	const char *bold, *red, *green, *yellow, *dim, *reset;
} style;

static const style plain = {"", "", "", "", "", ""};
static const style ansi = {"\033[1m", "\033[31m", "\033[32m", "\033[33m", "\033[2m", "\033[0m"};

#define tr report_tr

/* Writes s and pads it with spaces to `width` terminal columns; longer
 * text is cut at a character boundary and ends in "…". Japanese takes two
 * columns a character, so printf's byte counts would not line up. */
static void put_cell(FILE *out, const char *s, size_t width)
{
	size_t w = utf8_display_width(s);
	if (w <= width) {
		fputs(s, out);
		for (; w < width; w++)
			fputc(' ', out);
		return;
	}
	size_t used = 0;
	const char *p = s;
	while (*p) {
		size_t n = 1;
		while ((p[n] & 0xC0) == 0x80)
			n++;
		char one[8] = {0};
		memcpy(one, p, n < sizeof one ? n : sizeof one - 1);
		size_t cw = utf8_display_width(one);
		if (used + cw + 1 > width)
			break;
		fwrite(p, 1, n, out);
		used += cw;
		p += n;
	}
	fputs("…", out); /* one column */
	for (used++; used < width; used++)
		fputc(' ', out);
}

static void status_label(const json_t *res, const char *status, const char *lang,
			 const style *st, FILE *out)
{
	const char *colour = !strcmp(status, "pass")	 ? st->green
			     : !strcmp(status, "fail")	 ? st->red
			     : !strcmp(status, "unknown") ? st->yellow
							  : st->dim;
	fprintf(out, "  %s", colour);
	put_cell(out, report_status_label(res, lang), 8);
	fprintf(out, "%s ", st->reset);
}

/* "name = value (evidence)" for each fact the rule read. */
static void print_observed(const json_t *report, const json_t *res, const char *lang,
			   const style *st, FILE *out)
{
	const json_t *facts = json_object_get(report, "facts");
	size_t i;
	const json_t *name;
	json_array_foreach(json_object_get(res, "facts"), i, name)
	{
		const json_t *f = json_object_get(facts, json_string_value(name));
		if (!f)
			continue;
		const char *state = json_string_value(json_object_get(f, "state"));
		fprintf(out, "           %s%s%s %s = ", st->dim,
			json_is_true(json_object_get(f, "attested")) ? L_(lang, "attested:")
								      : L_(lang, "observed:"),
			st->reset, json_string_value(name));
		if (!strcmp(state, "known")) {
			char *v = json_dumps(json_object_get(f, "value"), JSON_ENCODE_ANY | JSON_COMPACT);
			size_t len = strlen(v);
			if (len > 120)
				fprintf(out, "%.117s...", v);
			else
				fputs(v, out);
			free(v);
			const json_t *ev = json_object_get(f, "evidence");
			if (ev)
				fprintf(out, " %s(%s)%s", st->dim, json_string_value(ev), st->reset);
		} else {
			fprintf(out, "%s (%s)", state,
				json_string_value(json_object_get(f, "reason")));
		}
		if (json_is_true(json_object_get(f, "attested")))
			fprintf(out, " [%s]", L_(lang, "attested by a person"));
		fputc('\n', out);
	}
}

static void print_result(const json_t *report, const json_t *res, const render_options *o,
			 const style *st, FILE *out)
{
	const char *status = json_string_value(json_object_get(res, "status"));
	status_label(res, status, o->lang, st, out);
	fprintf(out, "%s%s%s  %s[%s, %s]%s\n", st->bold, tr(json_object_get(res, "title"), o->lang),
		st->reset, st->dim, json_string_value(json_object_get(res, "id")),
		json_string_value(json_object_get(res, "severity")), st->reset);
	if (!strcmp(status, "pass") || !strcmp(status, "not_applicable"))
		return;
	const json_t *reason = json_object_get(res, "reason");
	if (reason)
		fprintf(out, "           %s%s%s %s\n", st->dim, L_(o->lang, "why:"), st->reset,
			json_string_value(reason));
	if (!strcmp(status, "disabled"))
		return;
	print_observed(report, res, o->lang, st, out);
	if (!strcmp(status, "fail") || !strcmp(status, "unknown"))
		fprintf(out, "           %s%s%s %s\n", st->dim, L_(o->lang, "fix:"), st->reset,
			tr(json_object_get(res, "remediation"), o->lang));
}

static void print_score(const json_t *t, FILE *out)
{
	const json_t *s = json_object_get(t, "score");
	if (json_is_number(s))
		fprintf(out, "%5.1f", json_number_value(s));
	else
		fputs("    -", out);
}

static void print_counts(const json_t *t, const char *lang, FILE *out)
{
	fprintf(out, L_(lang, "pass %lld, fail %lld, unknown %lld, n/a %lld, error %lld, "
			"disabled %lld"),
		json_integer_value(json_object_get(t, "pass")),
		json_integer_value(json_object_get(t, "fail")),
		json_integer_value(json_object_get(t, "unknown")),
		json_integer_value(json_object_get(t, "not_applicable")),
		json_integer_value(json_object_get(t, "error")),
		json_integer_value(json_object_get(t, "disabled")));
}

/* IPA's sheet score of a pack scored that way. */
static void print_sheet(const json_t *pk, const char *lang, FILE *out)
{
	const json_t *sheet = json_object_get(pk, "sheet");
	if (!sheet)
		return;
	fprintf(out, L_(lang, "  IPA sheet: %lld points of %lld (%lld answered \"don't know\")\n"),
		json_integer_value(json_object_get(sheet, "points")),
		json_integer_value(json_object_get(sheet, "max")),
		json_integer_value(json_object_get(sheet, "unknown")));
}

/* One line per pack and article with rules: a table whose columns line up
 * in both languages. */
static void print_summary(const json_t *report, const render_options *o, const style *st,
			  FILE *out)
{
	enum { W_PACK = 7, W_ART = 4, W_TITLE = 44, W_NUM = 6 };
	fprintf(out, "\n%s", st->bold);
	put_cell(out, L_(o->lang, "Pack"), W_PACK);
	fputc(' ', out);
	put_cell(out, L_(o->lang, "No."), W_ART);
	fputc(' ', out);
	put_cell(out, L_(o->lang, "Article"), W_TITLE);
	fputc(' ', out);
	put_cell(out, L_(o->lang, "Score"), W_NUM);
	fputc(' ', out);
	put_cell(out, L_(o->lang, "Pass"), W_NUM);
	fputc(' ', out);
	put_cell(out, L_(o->lang, "Fail"), W_NUM);
	fprintf(out, " %s%s\n", L_(o->lang, "Unknown"), st->reset);
	size_t i, k;
	const json_t *pk, *art;
	json_array_foreach(json_object_get(json_object_get(report, "scores"), "packs"), i, pk)
	{
		json_array_foreach(json_object_get(pk, "articles"), k, art)
		{
			long long pass = json_integer_value(json_object_get(art, "pass"));
			long long fail = json_integer_value(json_object_get(art, "fail"));
			long long unknown = json_integer_value(json_object_get(art, "unknown")) +
					    json_integer_value(json_object_get(art, "error"));
			if (pass + fail + unknown == 0)
				continue;
			char num[32], score[32], cp[32], cf[32], cu[32];
			snprintf(num, sizeof num, "%lld",
				 (long long)json_integer_value(json_object_get(art, "article")));
			const json_t *sc = json_object_get(art, "score");
			if (json_is_number(sc))
				snprintf(score, sizeof score, "%.1f", json_number_value(sc));
			else
				snprintf(score, sizeof score, "-");
			snprintf(cp, sizeof cp, "%lld", pass);
			snprintf(cf, sizeof cf, "%lld", fail);
			snprintf(cu, sizeof cu, "%lld", unknown);
			put_cell(out, json_string_value(json_object_get(pk, "pack")), W_PACK);
			fputc(' ', out);
			put_cell(out, num, W_ART);
			fputc(' ', out);
			put_cell(out, tr(json_object_get(art, "title"), o->lang), W_TITLE);
			fputc(' ', out);
			put_cell(out, score, W_NUM);
			fputc(' ', out);
			put_cell(out, cp, W_NUM);
			fputc(' ', out);
			put_cell(out, cf, W_NUM);
			fprintf(out, " %s\n", cu);
		}
	}
}

/* Failures first, then unknown, errors, disabled, passes, n/a. */
static int status_rank(const char *s)
{
	static const char *const order[] = {"fail", "error", "unknown", "disabled", "pass",
					    "not_applicable"};
	for (int i = 0; i < 6; i++)
		if (!strcmp(s, order[i]))
			return i;
	return 6;
}

static void print_article(const json_t *report, const char *pack_id, bool sheet, const json_t *art,
			  const render_options *o, const style *st, FILE *out)
{
	json_int_t number = json_integer_value(json_object_get(art, "article"));
	static const char *const counts[] = {"pass", "fail", "unknown", "not_applicable",
					     "error", "disabled"};
	json_int_t rules = 0;
	for (size_t i = 0; i < 6; i++)
		rules += json_integer_value(json_object_get(art, counts[i]));
	if (rules == 0)
		return; /* no rule of this pack covers the article */
	fprintf(out, "\n %s", st->bold);
	fprintf(out, sheet ? L_(o->lang, "Question %lld: %s") : L_(o->lang, "Article %lld: %s"),
		(long long)number, tr(json_object_get(art, "title"), o->lang));
	fprintf(out, "%s  ", st->reset);
	print_score(art, out);
	fputc('\n', out);
	const json_t *results = json_object_get(report, "results");
	for (int rank = 0; rank <= 6; rank++) {
		size_t i;
		const json_t *res;
		json_array_foreach(results, i, res)
		{
			if (strcmp(json_string_value(json_object_get(res, "pack")), pack_id) ||
			    json_integer_value(json_object_get(res, "article")) != number ||
			    status_rank(json_string_value(json_object_get(res, "status"))) != rank)
				continue;
			print_result(report, res, o, st, out);
		}
	}
}

int render_text(const json_t *report, FILE *out, const render_options *o)
{
	const style *st = o->colour ? &ansi : &plain;
	const json_t *hostinfo = json_object_get(report, "host");
	const json_t *scores = json_object_get(report, "scores");
	const json_t *overall = json_object_get(scores, "overall");
	const char *name = json_string_value(json_object_get(hostinfo, "hostname"));
	const char *os = json_string_value(
		json_object_get(json_object_get(hostinfo, "os_release"), "pretty_name"));
	const json_t *root = json_object_get(report, "root");
	fprintf(out, "%shostaudit %s%s  %s", st->bold,
		json_string_value(json_object_get(json_object_get(report, "agent"), "version")),
		st->reset, name && *name ? name : L_(o->lang, "(host name unknown)"));
	if (os && *os)
		fprintf(out, " (%s)", os);
	if (root)
		fprintf(out, L_(o->lang, " at %s"), json_string_value(root));
	fprintf(out, "  %s\n", json_string_value(json_object_get(report, "finished_at")));
	fprintf(out, "%s%s ", st->bold, L_(o->lang, "Score"));
	print_score(overall, out);
	fprintf(out, " / 100%s  (", st->reset);
	print_counts(overall, o->lang, out);
	fputs(")\n", out);
	/* With `organisation:` in the config (docs/organisation.md). */
	const json_t *org = json_object_get(report, "organisation");
	if (org) {
		const char *cat = json_string_value(json_object_get(org, "category"));
		bool unknown = !cat || !strcmp(cat, "unknown");
		fprintf(out, L_(o->lang, "Organisation's category: %s%s%s (hostaudit org show)\n"),
			unknown ? L_(o->lang, "unknown") : tr(json_object_get(org, "label"), o->lang),
			unknown ? ": " : "",
			unknown ? tr(json_object_get(org, "unknown_reason"), o->lang) : "");
	}
	print_summary(report, o, st, out);

	const json_t *packs = json_object_get(report, "packs");
	size_t i;
	const json_t *pk;
	json_array_foreach(json_object_get(scores, "packs"), i, pk)
	{
		const char *id = json_string_value(json_object_get(pk, "pack"));
		const json_t *meta = json_array_get(packs, i);
		fprintf(out, "\n%s== %s: %s ==%s  ", st->bold, id,
			tr(json_object_get(meta, "title"), o->lang), st->reset);
		print_score(pk, out);
		fputc('\n', out);
		print_sheet(pk, o->lang, out);
		size_t k;
		const json_t *art;
		json_array_foreach(json_object_get(pk, "articles"), k, art)
			print_article(report, id, json_object_get(pk, "sheet") != NULL, art, o, st,
				      out);
	}
	const json_t *exceptions = json_object_get(report, "exceptions");
	if (json_array_size(exceptions)) {
		fprintf(out, "\n%s%s%s\n", st->bold, L_(o->lang, "Exceptions approved by the site"),
			st->reset);
		const json_t *e;
		json_array_foreach(exceptions, i, e)
		{
			const json_t *by = json_object_get(e, "approved_by");
			const json_t *until = json_object_get(e, "until");
			fprintf(out, "  %s: %s", json_string_value(json_object_get(e, "rule")),
				json_string_value(json_object_get(e, "reason")));
			if (by)
				fprintf(out, L_(o->lang, " (approved by %s)"), json_string_value(by));
			if (until)
				fprintf(out, L_(o->lang, " (until %s)"), json_string_value(until));
			fputc('\n', out);
		}
	}
	fprintf(out, L_(o->lang, "\nReport %s\n"),
		json_string_value(json_object_get(report, "report_id")));
	return ferror(out) ? -1 : 0;
}
