/* SPDX-License-Identifier: Apache-2.0 */
/* The canonical JSON report (docs/report.md) and its renderers. Every
 * renderer and the upload read the same JSON document. */
#ifndef HOSTAUDIT_REPORT_H
#define HOSTAUDIT_REPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>

#include "hostaudit/audit.h"
#include "hostaudit/report_schema.h"

/* Builds the report of a finished audit. */
json_t *report_build(const audit *a);

/* A rule text in lang with each "{param}" replaced by the param's value in
 * force; an empty string param reads "not set (...)" (caller frees). */
char *report_expand_params(const char *s, const pack *p, const char *lang);

/* The fact object used in reports and by `hostaudit facts`. */
json_t *report_fact_json(const fact *f);

/* Renderers. lang is "en" or "ja". */
typedef struct render_options {
	const char *lang;
	bool colour;
	size_t width; /* text: columns to wrap to; 0 = 80 */
} render_options;

int render_text(const json_t *report, FILE *out, const render_options *o);
/* Reports people read besides the terminal (docs/report-formats.md). Each
 * reads only the JSON report. */
int render_json(const json_t *report, FILE *out, const render_options *o);
int render_csv(const json_t *report, FILE *out, const render_options *o);
int render_html(const json_t *report, FILE *out, const render_options *o);
int render_junit(const json_t *report, FILE *out, const render_options *o);
/* The HTML report's stylesheet, a literal (html_lit()), for the console's
 * host page too. */
#define REPORT_HTML_CSS \
	"body{font-family:'Noto Sans CJK JP','Hiragino Sans','Yu Gothic','Meiryo',sans-serif;" \
	"margin:2em auto;max-width:68em;padding:0 1em;color:#1a1a1a;line-height:1.5}" \
	"h1{font-size:1.5em;margin-bottom:.2em}h2{margin-top:2em;border-bottom:2px solid #333}" \
	"h3{margin:1.5em 0 .5em}" \
	".meta{color:#555;font-size:.9em}.meta td{padding:0 1.5em 0 0}" \
	".cards{display:flex;flex-wrap:wrap;gap:1em;margin:1em 0}" \
	".card{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;min-width:12em}" \
	".card .big{font-size:2em;font-weight:bold}" \
	"table.grid{border-collapse:collapse;width:100%;margin:.5em 0}" \
	".grid th,.grid td{border:1px solid #ccc;padding:.3em .5em;text-align:left;vertical-align:top}" \
	".grid th{background:#f0f0f0}.grid td.n{text-align:right;white-space:nowrap}" \
	".badge{display:inline-block;padding:0 .5em;border-radius:3px;font-size:.85em;" \
	"font-weight:bold;white-space:nowrap}" \
	".pass{background:#d9f2dd;color:#135d1f}.fail{background:#fadadd;color:#8a1020}" \
	".partial{background:#fdebd0;color:#7a4500}.unknown{background:#fff3c4;color:#6b5300}" \
	".not_applicable,.disabled{background:#e8e8e8;color:#444}.error{background:#f3d4f7;color:#5d1a66}" \
	".attested{background:#dde7fb;color:#1b3f8a}" \
	".finding{border:1px solid #ddd;border-left:6px solid #999;border-radius:4px;" \
	"padding:.5em 1em;margin:.6em 0;page-break-inside:avoid}" \
	".finding.fail{border-left-color:#c62828;background:none;color:inherit}" \
	".finding.partial{border-left-color:#ef8f00;background:none;color:inherit}" \
	".finding.unknown{border-left-color:#d4a800;background:none;color:inherit}" \
	".finding.pass{border-left-color:#2e7d32;background:none;color:inherit}" \
	".finding.not_applicable,.finding.disabled{border-left-color:#999;background:none;color:inherit}" \
	".finding.error{border-left-color:#8e24aa;background:none;color:inherit}" \
	".finding .items{color:#444;font-size:.9em}" \
	".finding h4{margin:.2em 0}.finding .id{color:#666;font-size:.85em;font-weight:normal}" \
	".finding dl{margin:.3em 0}.finding dt{font-weight:bold;font-size:.9em;color:#444}" \
	".finding dd{margin:0 0 .4em 1.5em;white-space:pre-wrap;overflow-wrap:anywhere}" \
	".none{color:#888;font-size:.85em;font-style:italic}" \
	"footer{margin-top:3em;color:#777;font-size:.8em}" \
	"@media print{body{margin:0;max-width:none}.finding{break-inside:avoid}}"
/* The report's content, everything between <body> and </body> (headings,
 * scores, findings, tables), in lang ("en" or "ja"): the agent's HTML
 * report and the console's host page show the same. 0, -1 on a write
 * error. */
int render_html_body(const json_t *report, FILE *out, const char *lang);

typedef int (*render_fn)(const json_t *report, FILE *out, const render_options *o);
#define RENDER_FORMATS "text, json, csv, html, junit"
/* The renderer for a --format name, or NULL. */
render_fn render_find(const char *format);
/* Renders into memory, so a file gets the whole report or nothing.
 * Returns a malloc'd buffer (length in *len), or NULL. */
char *render_to_string(render_fn fn, const json_t *report, const render_options *o,
		       size_t *len);
/* A {en, ja} text of the report in lang, falling back to English. */
const char *report_tr(const json_t *text, const char *lang);
/* What a result read, one line per fact: "name = value (evidence)" or
 * "name: unknown (reason)" (caller frees). */
char *report_observed(const json_t *report, const json_t *result, const char *lang);
/* The label of a result's status in lang ("PASS", "一部実施"...). */
const char *report_status_label(const json_t *result, const char *lang);
/* A fact's evidence or reason (key "evidence" or "reason") in lang: its
 * message id translated with the arguments put back ("evidence_msg",
 * docs/report.md), else the English text as recorded. Caller frees; NULL
 * when the fact has none. */
char *report_fact_text(const json_t *f, const char *key, const char *lang);

/* A result's reason in lang (the fact's translated reason when the
 * evaluator quoted it), or NULL when it has none. Caller frees. */
char *report_result_reason(const json_t *report, const json_t *result, const char *lang);

/* One finding: the results of different packs that read the same facts
 * and reached the same verdict (docs/report-formats.md), shown once. */
typedef struct report_finding {
	const json_t *lead;     /* the result whose title and fix are shown */
	const json_t **results; /* every result of the finding, in report order */
	size_t count;
	size_t first; /* index in results of its first result */
} report_finding;
/* The report's findings, failures first, then by severity and weight
 * (highest first), then in report order. Free with report_findings_free. */
report_finding *report_findings(const json_t *report, size_t *count);
void report_findings_free(report_finding *f, size_t count);
/* The checklist items a finding answers: "9か条 1 · 5か条 1 · 自社診断 1"
 * (each pack's short name, else its id). Caller frees. */
char *report_finding_items(const json_t *report, const report_finding *f, const char *lang);
/* Rank of a status for ordering: fail, error, unknown, disabled, pass,
 * not_applicable. */
int report_status_rank(const char *status);
int report_severity_rank(const char *severity);
/* "critical" ... "info" in lang. */
const char *report_severity_label(const char *severity, const char *lang);

/* Writes s escaped for XML text and attributes; characters XML 1.0 cannot
 * carry (most C0 controls) become U+FFFD. */
void report_xml_escape(FILE *out, const char *s);

/* Serialises a JSON value the one canonical way (sorted keys, UTF-8). */
char *report_dump(const json_t *report);

#endif
