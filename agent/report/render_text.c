/* The terminal report: grouped by pack and article, failures first within
 * an article, each with what was observed and how to fix it. Reads only the
 * JSON report, like every renderer. */
#include <string.h>

#include "hostaudit/report.h"
#include "util.h"

typedef struct style {
	const char *bold, *red, *green, *yellow, *dim, *reset;
} style;

static const style plain = {"", "", "", "", "", ""};
static const style ansi = {"\033[1m", "\033[31m", "\033[32m", "\033[33m", "\033[2m", "\033[0m"};

static const char *tr(const json_t *t, const char *lang)
{
	const json_t *v = json_object_get(t, lang);
	if (!v || !json_string_length(v))
		v = json_object_get(t, "en");
	return v ? json_string_value(v) : "";
}

static void status_label(const char *status, const style *st, FILE *out)
{
	const char *colour = !strcmp(status, "pass")	 ? st->green
			     : !strcmp(status, "fail")	 ? st->red
			     : !strcmp(status, "unknown") ? st->yellow
							  : st->dim;
	const char *label = !strcmp(status, "not_applicable") ? "N/A" : status;
	char up[16];
	size_t i = 0;
	for (; label[i] && i < sizeof up - 1; i++)
		up[i] = (char)(label[i] >= 'a' && label[i] <= 'z' ? label[i] - 32 : label[i]);
	up[i] = '\0';
	fprintf(out, "  %s%-8s%s ", colour, up, st->reset);
}

/* "name = value (evidence)" for each fact the rule read. */
static void print_observed(const json_t *report, const json_t *res, const style *st, FILE *out)
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
		fprintf(out, "           %sobserved:%s %s = ", st->dim, st->reset,
			json_string_value(name));
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
			fputs(" [attested by a person]", out);
		fputc('\n', out);
	}
}

static void print_result(const json_t *report, const json_t *res, const render_options *o,
			 const style *st, FILE *out)
{
	const char *status = json_string_value(json_object_get(res, "status"));
	status_label(status, st, out);
	fprintf(out, "%s%s%s  %s[%s, %s]%s\n", st->bold, tr(json_object_get(res, "title"), o->lang),
		st->reset, st->dim, json_string_value(json_object_get(res, "id")),
		json_string_value(json_object_get(res, "severity")), st->reset);
	if (!strcmp(status, "pass") || !strcmp(status, "not_applicable"))
		return;
	const json_t *reason = json_object_get(res, "reason");
	if (reason)
		fprintf(out, "           %swhy:%s %s\n", st->dim, st->reset, json_string_value(reason));
	if (!strcmp(status, "disabled"))
		return;
	print_observed(report, res, st, out);
	if (!strcmp(status, "fail") || !strcmp(status, "unknown"))
		fprintf(out, "           %sfix:%s %s\n", st->dim, st->reset,
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

static void print_counts(const json_t *t, FILE *out)
{
	fprintf(out, "pass %lld, fail %lld, unknown %lld, n/a %lld, error %lld, disabled %lld",
		json_integer_value(json_object_get(t, "pass")),
		json_integer_value(json_object_get(t, "fail")),
		json_integer_value(json_object_get(t, "unknown")),
		json_integer_value(json_object_get(t, "not_applicable")),
		json_integer_value(json_object_get(t, "error")),
		json_integer_value(json_object_get(t, "disabled")));
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

static void print_article(const json_t *report, const char *pack_id, const json_t *art,
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
	fprintf(out, "\n %sArticle %lld: %s%s  ", st->bold, (long long)number,
		tr(json_object_get(art, "title"), o->lang), st->reset);
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
		st->reset, name && *name ? name : "(host name unknown)");
	if (os && *os)
		fprintf(out, " (%s)", os);
	if (root)
		fprintf(out, " at %s", json_string_value(root));
	fprintf(out, "  %s\n", json_string_value(json_object_get(report, "finished_at")));
	fprintf(out, "%sScore ", st->bold);
	print_score(overall, out);
	fprintf(out, " / 100%s  (", st->reset);
	print_counts(overall, out);
	fputs(")\n", out);

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
		size_t k;
		const json_t *art;
		json_array_foreach(json_object_get(pk, "articles"), k, art)
			print_article(report, id, art, o, st, out);
	}
	const json_t *exceptions = json_object_get(report, "exceptions");
	if (json_array_size(exceptions)) {
		fprintf(out, "\n%sExceptions approved by the site%s\n", st->bold, st->reset);
		const json_t *e;
		json_array_foreach(exceptions, i, e)
		{
			const json_t *by = json_object_get(e, "approved_by");
			const json_t *until = json_object_get(e, "until");
			fprintf(out, "  %s: %s", json_string_value(json_object_get(e, "rule")),
				json_string_value(json_object_get(e, "reason")));
			if (by)
				fprintf(out, " (approved by %s)", json_string_value(by));
			if (until)
				fprintf(out, " (until %s)", json_string_value(until));
			fputc('\n', out);
		}
	}
	fprintf(out, "\nReport %s\n", json_string_value(json_object_get(report, "report_id")));
	return ferror(out) ? -1 : 0;
}
