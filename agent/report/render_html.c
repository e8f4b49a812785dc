/* SPDX-License-Identifier: Apache-2.0 */
/* The report as one self-contained HTML file for people and auditors:
 * score, "Fix these first" (the failures by severity), the other findings
 * -- each measure once, with every checklist item it answers -- with what
 * was observed (or attested) and how to fix it, then a table per pack and
 * article. No scripts, no external
 * resources: it opens offline, prints, and can be mailed. Every text from
 * the report is escaped. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"

#define esc html_text
#define tr report_tr


static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void score_text(FILE *out, const json_t *t)
{
	const json_t *s = json_object_get(t, "score");
	if (json_is_number(s))
		html_textf(out, "%.1f", json_number_value(s));
	else
		html_lit(out, "–");
}

static void badge(FILE *out, const json_t *res, const char *lang)
{
	const char *status = str(res, "status");
	const char *cls = !strcmp(status, "fail") && json_is_true(json_object_get(res, "partial"))
				  ? "partial"
				  : status;
	html_lit(out, "<span class=\"badge ");
	esc(out, cls);
	html_lit(out, "\">");
	esc(out, report_status_label(res, lang));
	html_lit(out, "</span>");
}

/* The document's head, up to <body>. */
static void head(const json_t *report, const char *lang, FILE *out)
{
	const json_t *hostinfo = json_object_get(report, "host");
	html_lit(out, "<!DOCTYPE html>\n<html lang=\"");
	esc(out, lang);
	html_lit(out, "\">\n<head>\n<meta charset=\"utf-8\">\n");
	html_lit(out, "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n<title>");
	esc(out, L_(lang, "hostaudit report"));
	html_lit(out, ": ");
	esc(out, str(hostinfo, "hostname"));
	html_lit(out, "</title>\n<style>" REPORT_HTML_CSS "</style>\n</head>\n<body>\n");
}

/* The heading and the report's facts. */
static void header(const json_t *report, const char *lang, FILE *out)
{
	const json_t *hostinfo = json_object_get(report, "host");
	html_lit(out, "<h1>");
	esc(out, L_(lang, "Security audit report"));
	html_lit(out, ": ");
	esc(out, str(hostinfo, "hostname"));
	html_lit(out, "</h1>\n<table class=\"meta\">\n");
	const char *rows[][2] = {
		{L_(lang, "Host"), str(hostinfo, "hostname")},
		{L_(lang, "Operating system"),
		 str(json_object_get(hostinfo, "os_release"), "pretty_name")},
		{L_(lang, "Audited at"), str(report, "finished_at")},
		{L_(lang, "Judged as of"), str(report, "now")},
		{L_(lang, "Report ID"), str(report, "report_id")},
		{L_(lang, "Agent"), str(json_object_get(report, "agent"), "version")},
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		html_lit(out, "<tr><td>");
		esc(out, rows[i][0]);
		html_lit(out, "</td><td>");
		esc(out, rows[i][1]);
		html_lit(out, "</td></tr>\n");
	}
	/* With `organisation:` in the config (docs/organisation.md). */
	const json_t *org = json_object_get(report, "organisation");
	if (org) {
		const char *cat = str(org, "category");
		bool unknown = !strcmp(cat, "unknown");
		const json_t *t = json_object_get(org, unknown ? "unknown_reason" : "label");
		html_lit(out, "<tr><td>");
		esc(out, L_(lang, "Organisation's category"));
		html_lit(out, "</td><td>");
		if (unknown) {
			esc(out, L_(lang, "unknown"));
			html_lit(out, ": ");
		}
		esc(out, str(t, lang));
		html_lit(out, "</td></tr>\n");
	}
	html_lit(out, "</table>\n");
}

static void counts_line(FILE *out, const json_t *t, const char *lang)
{
	char buf[256];
	snprintf(buf, sizeof buf,
		 L_(lang, "pass %lld, fail %lld, unknown %lld, n/a %lld, error %lld, disabled %lld"),
		 json_integer_value(json_object_get(t, "pass")),
		 json_integer_value(json_object_get(t, "fail")),
		 json_integer_value(json_object_get(t, "unknown")),
		 json_integer_value(json_object_get(t, "not_applicable")),
		 json_integer_value(json_object_get(t, "error")),
		 json_integer_value(json_object_get(t, "disabled")));
	esc(out, buf);
}

static void cards(const json_t *report, const char *lang, FILE *out)
{
	const json_t *scores = json_object_get(report, "scores");
	const json_t *packs = json_object_get(report, "packs");
	html_lit(out, "<div class=\"cards\">\n<div class=\"card\"><div>");
	esc(out, L_(lang, "Overall score"));
	html_lit(out, "</div><div class=\"big\">");
	score_text(out, json_object_get(scores, "overall"));
	html_lit(out, " / 100</div><div class=\"meta\">");
	counts_line(out, json_object_get(scores, "overall"), lang);
	html_lit(out, "</div></div>\n");
	size_t i;
	const json_t *pk;
	json_array_foreach(json_object_get(scores, "packs"), i, pk)
	{
		html_lit(out, "<div class=\"card\"><div>");
		esc(out, tr(json_object_get(json_array_get(packs, i), "title"), lang));
		html_lit(out, "</div><div class=\"big\">");
		score_text(out, pk);
		html_lit(out, " / 100</div>");
		const json_t *sheet = json_object_get(pk, "sheet");
		if (sheet) {
			char buf[256];
			snprintf(buf, sizeof buf, L_(lang, "IPA sheet: %lld points of %lld"),
				 json_integer_value(json_object_get(sheet, "points")),
				 json_integer_value(json_object_get(sheet, "max")));
			html_lit(out, "<div>");
			esc(out, buf);
			html_lit(out, "</div>");
		}
		html_lit(out, "</div>\n");
	}
	html_lit(out, "</div>\n");
}

static void article_table(const json_t *pk, const char *lang, FILE *out)
{
	bool sheet = json_object_get(pk, "sheet") != NULL;
	html_lit(out, "<table class=\"grid\">\n<tr>");
	const char *cols[] = {L_(lang, "No."), sheet ? L_(lang, "Question") : L_(lang, "Article"),
			      L_(lang, "Score"),
			      L_(lang, "Pass"), L_(lang, "Fail"), L_(lang, "Unknown"),
			      L_(lang, "N/A")};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		html_lit(out, "<th>");
		esc(out, cols[i]);
		html_lit(out, "</th>");
	}
	if (sheet) {
		html_lit(out, "<th>");
		esc(out, L_(lang, "Sheet points"));
		html_lit(out, "</th>");
	}
	html_lit(out, "</tr>\n");
	size_t k;
	const json_t *art;
	json_array_foreach(json_object_get(pk, "articles"), k, art)
	{
		html_lit(out, "<tr><td class=\"n\">");
		html_textf(out, "%lld", json_integer_value(json_object_get(art, "article")));
		html_lit(out, "</td><td>");
		esc(out, tr(json_object_get(art, "title"), lang));
		long long rules = 0;
		static const char *const counted[] = {"pass", "fail", "unknown", "error",
						      "not_applicable", "disabled"};
		for (size_t c = 0; c < 6; c++)
			rules += json_integer_value(json_object_get(art, counted[c]));
		html_lit(out, "</td><td class=\"n\">");
		if (rules == 0) {
			/* Say so, rather than a row of zeros an auditor could misread. */
			html_lit(out, "<span class=\"none\">");
			esc(out, L_(lang, "no rule yet"));
			html_lit(out, "</span>");
		} else {
			score_text(out, art);
		}
		const long long cells[] = {
			json_integer_value(json_object_get(art, "pass")),
			json_integer_value(json_object_get(art, "fail")),
			json_integer_value(json_object_get(art, "unknown")) +
				json_integer_value(json_object_get(art, "error")),
			json_integer_value(json_object_get(art, "not_applicable")) +
				json_integer_value(json_object_get(art, "disabled")),
		};
		for (size_t c = 0; c < 4; c++) {
			html_lit(out, "</td><td class=\"n\">");
			html_textf(out, "%lld", cells[c]);
		}
		html_lit(out, "</td>");
		if (sheet) {
			const json_t *sp = json_object_get(art, "sheet_points");
			if (json_is_integer(sp)) {
				html_lit(out, "<td class=\"n\">");
				html_textf(out, "%lld", json_integer_value(sp));
				html_lit(out, "</td>");
			} else {
				html_lit(out, "<td class=\"n\">–</td>");
			}
		}
		html_lit(out, "</tr>\n");
	}
	html_lit(out, "</table>\n");
}

static void dl_item(FILE *out, const char *term, const char *body)
{
	if (!body || !*body)
		return;
	html_lit(out, "<dt>");
	esc(out, term);
	html_lit(out, "</dt><dd>");
	esc(out, body);
	html_lit(out, "</dd>\n");
}

static void finding(const json_t *report, const report_finding *fd, const char *lang, FILE *out)
{
	const json_t *res = fd->lead;
	const char *status = str(res, "status");
	bool partial = json_is_true(json_object_get(res, "partial"));
	html_lit(out, "<div class=\"finding ");
	esc(out, partial ? "partial" : status);
	html_lit(out, "\">\n<h4>");
	badge(out, res, lang);
	if (json_is_true(json_object_get(res, "attested"))) {
		html_lit(out, " <span class=\"badge attested\">");
		esc(out, L_(lang, "attested by a person"));
		html_lit(out, "</span>");
	}
	html_lit(out, " ");
	esc(out, tr(json_object_get(res, "title"), lang));
	html_lit(out, " <span class=\"id\">");
	esc(out, str(res, "pack"));
	html_lit(out, ":");
	esc(out, str(res, "id"));
	html_lit(out, " · ");
	esc(out, report_severity_label(str(res, "severity"), lang));
	html_lit(out, "</span></h4>\n<div class=\"items\">");
	/* every checklist item this finding answers */
	char *items = report_finding_items(report, fd, lang);
	esc(out, items);
	free(items);
	html_lit(out, "</div>\n<dl>\n");
	dl_item(out, L_(lang, "Why it matters"), tr(json_object_get(res, "rationale"), lang));
	char *reason = report_result_reason(report, res, lang);
	dl_item(out, L_(lang, "Reason"), reason);
	free(reason);
	char *observed = report_observed(report, res, lang);
	dl_item(out, json_is_true(json_object_get(res, "attested")) ? L_(lang, "Attested")
								    : L_(lang, "Observed"),
		observed);
	free(observed);
	if (strcmp(status, "pass") && strcmp(status, "not_applicable") && strcmp(status, "disabled"))
		dl_item(out, L_(lang, "How to fix"), tr(json_object_get(res, "remediation"), lang));
	const json_t *ex = json_object_get(res, "exception");
	if (ex)
		dl_item(out, L_(lang, "Exception approved by the site"), str(ex, "reason"));
	html_lit(out, "</dl>\n</div>\n");
}

static void pack_section(const json_t *pk, const json_t *meta, const char *lang, FILE *out)
{
	html_lit(out, "<h3>");
	esc(out, tr(json_object_get(meta, "title"), lang));
	html_lit(out, "</h3>\n");
	article_table(pk, lang, out);
}

/* The findings of one status, under a heading; none, no heading. */
static void section(const json_t *report, const report_finding *f, size_t n,
		    const char *status, const char *title, const char *lang, FILE *out)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += !strcmp(str(f[i].lead, "status"), status);
	if (!total)
		return;
	html_lit(out, "<h2>");
	esc(out, title);
	html_textf(out, " (%zu)", total);
	html_lit(out, "</h2>\n");
	for (size_t i = 0; i < n; i++)
		if (!strcmp(str(f[i].lead, "status"), status))
			finding(report, &f[i], lang, out);
}

int render_html_body(const json_t *report, FILE *out, const char *lang)
{
	lang = lang && !strcmp(lang, "ja") ? "ja" : "en";
	header(report, lang, out);
	cards(report, lang, out);
	/* Each finding once, the failures first (as in the terminal report). */
	size_t n;
	report_finding *f = report_findings(report, &n);
	section(report, f, n, "fail", L_(lang, "Fix these first"), lang, out);
	section(report, f, n, "error", L_(lang, "Could not be checked: errors"), lang, out);
	section(report, f, n, "unknown", L_(lang, "Could not be checked"), lang, out);
	section(report, f, n, "disabled", L_(lang, "Turned off by the site"), lang, out);
	section(report, f, n, "pass", L_(lang, "Passed"), lang, out);
	section(report, f, n, "not_applicable", L_(lang, "Not applicable to this host"), lang, out);
	report_findings_free(f, n);
	html_lit(out, "<h2>");
	esc(out, L_(lang, "Scores by checklist"));
	html_lit(out, "</h2>\n");
	const json_t *packs = json_object_get(report, "packs");
	size_t i;
	const json_t *pk;
	json_array_foreach(json_object_get(json_object_get(report, "scores"), "packs"), i, pk)
		pack_section(pk, json_array_get(packs, i), lang, out);
	const json_t *exceptions = json_object_get(report, "exceptions");
	if (json_array_size(exceptions)) {
		html_lit(out, "<h2>");
		esc(out, L_(lang, "Exceptions approved by the site"));
		html_lit(out, "</h2>\n<table class=\"grid\">\n");
		const json_t *e;
		json_array_foreach(exceptions, i, e)
		{
			html_lit(out, "<tr><td>");
			esc(out, str(e, "rule"));
			html_lit(out, "</td><td>");
			esc(out, str(e, "reason"));
			html_lit(out, "</td><td>");
			esc(out, str(e, "approved_by"));
			html_lit(out, "</td><td>");
			esc(out, str(e, "until"));
			html_lit(out, "</td></tr>\n");
		}
		html_lit(out, "</table>\n");
	}
	html_lit(out, "<footer>");
	esc(out, L_(lang, "Results marked \"attested by a person\" rest on answers a person gave "
			  "(who and when are shown), not on what a program observed."));
	html_lit(out, "<br>hostaudit ");
	esc(out, str(json_object_get(report, "agent"), "version"));
	html_lit(out, " · ");
	esc(out, str(report, "schema"));
	html_lit(out, "</footer>\n");
	return ferror(out) ? -1 : 0;
}

int render_html(const json_t *report, FILE *out, const render_options *o)
{
	const char *lang = o->lang && !strcmp(o->lang, "ja") ? "ja" : "en";
	head(report, lang, out);
	render_html_body(report, out, lang);
	html_lit(out, "</body>\n</html>\n");
	return ferror(out) ? -1 : 0;
}
