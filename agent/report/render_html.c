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

#include "hostaudit/report.h"
#include "i18n.h"

#define esc report_xml_escape
#define tr report_tr

static const char css[] =
	"body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif;"
	"margin:2em auto;max-width:68em;padding:0 1em;color:#1a1a1a;line-height:1.5}"
	"h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #333}"
	"h3{margin:1.5em 0 .5em}"
	".meta{color:#555;font-size:.9em}.meta td{padding:0 1.5em 0 0}"
	".cards{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}"
	".card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:12em}"
	".card .big{font-size:2em;font-weight:bold}"
	"table.grid{border-collapse:collapse;width:100%;margin:.5em 0}"
	".grid th,.grid td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}"
	".grid th{background:#f0f0f0}.grid td.n{text-align:right;white-space:nowrap}"
	".badge{display:inline-block;padding:0 .5em;border-radius:3px;font-size:.85em;"
	"font-weight:bold;white-space:nowrap}"
	".pass{background:#d9f2dd;color:#135d1f}.fail{background:#fadadd;color:#8a1020}"
	".partial{background:#fdebd0;color:#7a4500}.unknown{background:#fff3c4;color:#6b5300}"
	".not_applicable,.disabled{background:#e8e8e8;color:#444}.error{background:#f3d4f7;color:#5d1a66}"
	".attested{background:#dde7fb;color:#1b3f8a}"
	".finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;"
	"padding:.5em 1em;margin:.6em 0;page-break-inside:avoid}"
	".finding.fail{border-left-color:#c62828;background:none;color:inherit}"
	".finding.partial{border-left-color:#ef8f00;background:none;color:inherit}"
	".finding.unknown{border-left-color:#d4a800;background:none;color:inherit}"
	".finding.pass{border-left-color:#2e7d32;background:none;color:inherit}"
	".finding.not_applicable,.finding.disabled{border-left-color:#999;background:none;color:inherit}"
	".finding.error{border-left-color:#8e24aa;background:none;color:inherit}"
	".finding .items{color:#444;font-size:.9em}"
	".finding h4{margin:.2em 0}.finding .id{color:#666;font-size:.85em;font-weight:normal}"
	".finding dl{margin:.3em 0}.finding dt{font-weight:bold;font-size:.9em;color:#444}"
	".finding dd{margin:0 0 .4em 1.5em;white-space:pre-wrap;overflow-wrap:anywhere}"
	".none{color:#888;font-size:.85em;font-style:italic}"
	"footer{margin-top:3em;color:#777;font-size:.8em}"
	"@media print{body{margin:0;max-width:none}.finding{break-inside:avoid}}";

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}

static void score_text(FILE *out, const json_t *t)
{
	const json_t *s = json_object_get(t, "score");
	if (json_is_number(s))
		fprintf(out, "%.1f", json_number_value(s));
	else
		fputs("–", out);
}

static void badge(FILE *out, const json_t *res, const char *lang)
{
	const char *status = str(res, "status");
	const char *cls = !strcmp(status, "fail") && json_is_true(json_object_get(res, "partial"))
				  ? "partial"
				  : status;
	fprintf(out, "<span class=\"badge %s\">", cls);
	esc(out, report_status_label(res, lang));
	fputs("</span>", out);
}

static void header(const json_t *report, const char *lang, FILE *out)
{
	const json_t *hostinfo = json_object_get(report, "host");
	fprintf(out, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n",
		!strcmp(lang, "ja") ? "ja" : "en");
	fputs("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n<title>", out);
	esc(out, L_(lang, "hostaudit report"));
	fputs(": ", out);
	esc(out, str(hostinfo, "hostname"));
	fprintf(out, "</title>\n<style>%s</style>\n</head>\n<body>\n<h1>", css);
	esc(out, L_(lang, "Security audit report"));
	fputs(": ", out);
	esc(out, str(hostinfo, "hostname"));
	fputs("</h1>\n<table class=\"meta\">\n", out);
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
		fputs("<tr><td>", out);
		esc(out, rows[i][0]);
		fputs("</td><td>", out);
		esc(out, rows[i][1]);
		fputs("</td></tr>\n", out);
	}
	/* With `organisation:` in the config (docs/organisation.md). */
	const json_t *org = json_object_get(report, "organisation");
	if (org) {
		const char *cat = str(org, "category");
		bool unknown = !strcmp(cat, "unknown");
		const json_t *t = json_object_get(org, unknown ? "unknown_reason" : "label");
		fputs("<tr><td>", out);
		esc(out, L_(lang, "Organisation's category"));
		fputs("</td><td>", out);
		if (unknown) {
			esc(out, L_(lang, "unknown"));
			fputs(": ", out);
		}
		esc(out, str(t, lang));
		fputs("</td></tr>\n", out);
	}
	fputs("</table>\n", out);
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
	fputs("<div class=\"cards\">\n<div class=\"card\"><div>", out);
	esc(out, L_(lang, "Overall score"));
	fputs("</div><div class=\"big\">", out);
	score_text(out, json_object_get(scores, "overall"));
	fputs(" / 100</div><div class=\"meta\">", out);
	counts_line(out, json_object_get(scores, "overall"), lang);
	fputs("</div></div>\n", out);
	size_t i;
	const json_t *pk;
	json_array_foreach(json_object_get(scores, "packs"), i, pk)
	{
		fputs("<div class=\"card\"><div>", out);
		esc(out, tr(json_object_get(json_array_get(packs, i), "title"), lang));
		fputs("</div><div class=\"big\">", out);
		score_text(out, pk);
		fputs(" / 100</div>", out);
		const json_t *sheet = json_object_get(pk, "sheet");
		if (sheet) {
			char buf[256];
			snprintf(buf, sizeof buf, L_(lang, "IPA sheet: %lld points of %lld"),
				 json_integer_value(json_object_get(sheet, "points")),
				 json_integer_value(json_object_get(sheet, "max")));
			fputs("<div>", out);
			esc(out, buf);
			fputs("</div>", out);
		}
		fputs("</div>\n", out);
	}
	fputs("</div>\n", out);
}

static void article_table(const json_t *pk, const char *lang, FILE *out)
{
	bool sheet = json_object_get(pk, "sheet") != NULL;
	fputs("<table class=\"grid\">\n<tr>", out);
	const char *cols[] = {L_(lang, "No."), sheet ? L_(lang, "Question") : L_(lang, "Article"),
			      L_(lang, "Score"),
			      L_(lang, "Pass"), L_(lang, "Fail"), L_(lang, "Unknown"),
			      L_(lang, "N/A")};
	for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
		fputs("<th>", out);
		esc(out, cols[i]);
		fputs("</th>", out);
	}
	if (sheet) {
		fputs("<th>", out);
		esc(out, L_(lang, "Sheet points"));
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
	size_t k;
	const json_t *art;
	json_array_foreach(json_object_get(pk, "articles"), k, art)
	{
		fprintf(out, "<tr><td class=\"n\">%lld</td><td>",
			json_integer_value(json_object_get(art, "article")));
		esc(out, tr(json_object_get(art, "title"), lang));
		long long rules = 0;
		static const char *const counted[] = {"pass", "fail", "unknown", "error",
						      "not_applicable", "disabled"};
		for (size_t c = 0; c < 6; c++)
			rules += json_integer_value(json_object_get(art, counted[c]));
		fputs("</td><td class=\"n\">", out);
		if (rules == 0) {
			/* Say so, rather than a row of zeros an auditor could misread. */
			fputs("<span class=\"none\">", out);
			esc(out, L_(lang, "no rule yet"));
			fputs("</span>", out);
		} else {
			score_text(out, art);
		}
		fprintf(out, "</td><td class=\"n\">%lld</td><td class=\"n\">%lld</td>"
			"<td class=\"n\">%lld</td><td class=\"n\">%lld</td>",
			json_integer_value(json_object_get(art, "pass")),
			json_integer_value(json_object_get(art, "fail")),
			json_integer_value(json_object_get(art, "unknown")) +
				json_integer_value(json_object_get(art, "error")),
			json_integer_value(json_object_get(art, "not_applicable")) +
				json_integer_value(json_object_get(art, "disabled")));
		if (sheet) {
			const json_t *sp = json_object_get(art, "sheet_points");
			if (json_is_integer(sp))
				fprintf(out, "<td class=\"n\">%lld</td>", json_integer_value(sp));
			else
				fputs("<td class=\"n\">–</td>", out);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static void dl_item(FILE *out, const char *term, const char *body)
{
	if (!body || !*body)
		return;
	fputs("<dt>", out);
	esc(out, term);
	fputs("</dt><dd>", out);
	esc(out, body);
	fputs("</dd>\n", out);
}

static void finding(const json_t *report, const report_finding *fd, const char *lang, FILE *out)
{
	const json_t *res = fd->lead;
	const char *status = str(res, "status");
	bool partial = json_is_true(json_object_get(res, "partial"));
	fprintf(out, "<div class=\"finding %s\">\n<h4>", partial ? "partial" : status);
	badge(out, res, lang);
	if (json_is_true(json_object_get(res, "attested"))) {
		fputs(" <span class=\"badge attested\">", out);
		esc(out, L_(lang, "attested by a person"));
		fputs("</span>", out);
	}
	fputs(" ", out);
	esc(out, tr(json_object_get(res, "title"), lang));
	fputs(" <span class=\"id\">", out);
	esc(out, str(res, "pack"));
	fputs(":", out);
	esc(out, str(res, "id"));
	fputs(" · ", out);
	esc(out, report_severity_label(str(res, "severity"), lang));
	fputs("</span></h4>\n<div class=\"items\">", out);
	/* every checklist item this finding answers */
	char *items = report_finding_items(report, fd, lang);
	esc(out, items);
	free(items);
	fputs("</div>\n<dl>\n", out);
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
	fputs("</dl>\n</div>\n", out);
}

static void pack_section(const json_t *pk, const json_t *meta, const char *lang, FILE *out)
{
	fputs("<h3>", out);
	esc(out, tr(json_object_get(meta, "title"), lang));
	fputs("</h3>\n", out);
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
	fputs("<h2>", out);
	esc(out, title);
	fprintf(out, " (%zu)</h2>\n", total);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(str(f[i].lead, "status"), status))
			finding(report, &f[i], lang, out);
}

int render_html(const json_t *report, FILE *out, const render_options *o)
{
	const char *lang = o->lang && !strcmp(o->lang, "ja") ? "ja" : "en";
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
	fputs("<h2>", out);
	esc(out, L_(lang, "Scores by checklist"));
	fputs("</h2>\n", out);
	const json_t *packs = json_object_get(report, "packs");
	size_t i;
	const json_t *pk;
	json_array_foreach(json_object_get(json_object_get(report, "scores"), "packs"), i, pk)
		pack_section(pk, json_array_get(packs, i), lang, out);
	const json_t *exceptions = json_object_get(report, "exceptions");
	if (json_array_size(exceptions)) {
		fputs("<h2>", out);
		esc(out, L_(lang, "Exceptions approved by the site"));
		fputs("</h2>\n<table class=\"grid\">\n", out);
		const json_t *e;
		json_array_foreach(exceptions, i, e)
		{
			fputs("<tr><td>", out);
			esc(out, str(e, "rule"));
			fputs("</td><td>", out);
			esc(out, str(e, "reason"));
			fputs("</td><td>", out);
			esc(out, str(e, "approved_by"));
			fputs("</td><td>", out);
			esc(out, str(e, "until"));
			fputs("</td></tr>\n", out);
		}
		fputs("</table>\n", out);
	}
	fputs("<footer>", out);
	esc(out, L_(lang, "Results marked \"attested by a person\" rest on answers a person gave "
			  "(who and when are shown), not on what a program observed."));
	fputs("<br>hostaudit ", out);
	esc(out, str(json_object_get(report, "agent"), "version"));
	fputs(" · ", out);
	esc(out, str(report, "schema"));
	fputs("</footer>\n</body>\n</html>\n", out);
	return ferror(out) ? -1 : 0;
}
