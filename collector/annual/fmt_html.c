/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report as one offline HTML file (docs/annual.md), written
 * only through the escaping writer (hostaudit/html.h), streamed: summary,
 * per rule, per host, exceptions, evidence. Print CSS: A4, each part on a
 * new page. The running header of the printed pages is the browser's
 * (Chromium prints the <title> and the page number on every page): a
 * fixed element of our own would be clipped or cover the text there. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "model.h"
#include "org_directives.h"


#define CSS \
	"body{font-family:'Noto Sans CJK JP','Noto Sans',sans-serif;font-size:10pt;" \
	"color:#111;margin:0 1.5em}" \
	"h1{font-size:17pt;margin:.2em 0}h2{font-size:13pt;border-bottom:2px solid #345;" \
	"margin:1em 0 .4em}h3{font-size:11pt;margin:.8em 0 .2em}" \
	"table{border-collapse:collapse;margin:.3em 0 .8em}" \
	"td,th{border:1px solid #999;padding:1px 5px;vertical-align:top}" \
	"th{background:#e8ecf0;text-align:left}td.n{text-align:right}" \
	".kv td:first-child{font-weight:bold;background:#f4f6f8}" \
	".fail{color:#a00}.stale{background:#fde8e8}.muted{color:#666}" \
	".c-rate{}.c-unknown{background:#fff4cc}.c-na{color:#666}" \
	".c-none{background:#eee;color:#666}" \
	".charts{display:flex;flex-wrap:wrap;gap:6px}.chart{border:1px solid #ccc;padding:2px}" \
	".host{break-inside:avoid;border-top:1px solid #999;margin-top:.5em}" \
	".host table{font-size:8.5pt}.ev{font-family:monospace;font-size:7.5pt}" \
	"header.run{color:#555;font-size:8pt;border-bottom:1px solid #aaa;margin-bottom:.5em}" \
	"@page{size:A4;margin:16mm 12mm 14mm 12mm}" \
	"@media print{body{margin:0}header.run{display:none}" \
	"section.part{break-before:page}section.first{break-before:auto}" \
	"tr,.chart{break-inside:avoid}thead{display:table-header-group}}"

static void td(FILE *f, const char *s)
{
	html_elem(f, "td", s, NULL);
}

static void tdn(FILE *f, long v)
{
	html_open(f, "td", "class", "n", NULL);
	html_textf(f, "%ld", v);
	html_close(f, "td");
}

static void th(FILE *f, const char *s)
{
	html_elem(f, "th", s, NULL);
}

static void kv(FILE *f, const char *k, const char *v)
{
	html_lit(f, "<tr>");
	td(f, k);
	td(f, v);
	html_lit(f, "</tr>\n");
}

static void pct(char *b, size_t n, double v)
{
	if (isnan(v))
		b[0] = '\0';
	else
		snprintf(b, n, "%.1f%%", v);
}

static void cell_td(FILE *f, const annual_model *m, const am_cell *c, bool reported)
{
	char b[64];
	static const char *const cls[] = {"c-none", "c-rate", "c-unknown", "c-na"};
	am_cell_text(m, c, reported, b, sizeof b);
	html_open(f, "td", "class", cls[am_cell_of(c, reported, NULL)], NULL);
	html_text(f, b);
	html_close(f, "td");
}

/* The year's monthly pass rate of one checklist as a small line chart;
 * months without a rate are gaps, and the table beside says why. */
static void chart(FILE *f, const annual_model *m, int p)
{
	char b[64];
	html_open(f, "div", "class", "chart", NULL);
	html_open(f, "svg", "xmlns", "http://www.w3.org/2000/svg", "width", "230", "height", "120",
		  "viewbox", "0 0 230 120", "role", "img", "aria-label", am_pack_name(m, p), NULL);
	html_open(f, "text", "x", "4", "y", "11", "font-size", "10", "font-weight", "bold", NULL);
	html_text(f, am_pack_name(m, p));
	html_close(f, "text");
	for (int g = 0; g <= 100; g += 50) {
		char y[16], lbl[8];
		snprintf(y, sizeof y, "%d", 100 - g * 80 / 100);
		snprintf(lbl, sizeof lbl, "%d", g);
		html_open(f, "line", "x1", "26", "x2", "226", "y1", y, "y2", y, "stroke", "#ccc",
			  "stroke-width", "1", NULL);
		html_close(f, "line");
		html_open(f, "text", "x", "22", "y", y, "font-size", "8", "text-anchor", "end", NULL);
		html_text(f, lbl);
		html_close(f, "text");
	}
	char pts[12 * 24] = "";
	size_t len = 0;
	for (int i = 0; i <= 12; i++) {
		double r = 0;
		bool have = i < 12 && am_cell_of(&m->fleet[p][i], (m->fleet_reported >> i) & 1, &r) ==
					      CELL_RATE;
		if (have) {
			len += (size_t)snprintf(pts + len, sizeof pts - len, "%s%d,%.1f", len ? " " : "",
						34 + i * 17, 100 - r * 0.8);
			continue;
		}
		if (len) { /* the segment so far */
			html_open(f, "polyline", "points", pts, "fill", "none", "stroke", "#1f5f9f",
				  "stroke-width", "2", NULL);
			html_close(f, "polyline");
		}
		len = 0;
		pts[0] = '\0';
	}
	for (int i = 0; i < 12; i++) {
		double r = 0;
		char x[16], y[16], mo[8];
		snprintf(x, sizeof x, "%d", 34 + i * 17);
		snprintf(mo, sizeof mo, "%d", i + 1);
		if (am_cell_of(&m->fleet[p][i], (m->fleet_reported >> i) & 1, &r) == CELL_RATE) {
			snprintf(y, sizeof y, "%.1f", 100 - r * 0.8);
			html_open(f, "circle", "cx", x, "cy", y, "r", "2.5", "fill", "#1f5f9f", NULL);
			html_open(f, "title", NULL);
			am_cell_text(m, &m->fleet[p][i], true, b, sizeof b);
			html_textf(f, "%d/%d: %s", m->o->year, i + 1, b);
			html_close(f, "title");
			html_close(f, "circle");
		}
		html_open(f, "text", "x", x, "y", "114", "font-size", "8", "text-anchor", "middle",
			  NULL);
		html_text(f, mo);
		html_close(f, "text");
	}
	html_close(f, "svg");
	html_close(f, "div");
}

static void month_header(FILE *f, const annual_model *m, const char *first)
{
	html_lit(f, "<thead><tr>");
	th(f, first);
	for (int i = 1; i <= 12; i++) {
		char b[16];
		snprintf(b, sizeof b, "%02d", i);
		th(f, b);
	}
	th(f, L_(m->lang, "year"));
	html_lit(f, "</tr></thead>\n");
}

static void compliance(FILE *f, const annual_model *m)
{
	html_elem(f, "h2", L_(m->lang, "Fleet compliance"), NULL);
	html_elem(f, "p", L_(m->lang, "Pass rate: the share of passing results among the rules that passed "
			    "or failed, over every report's day in the month; unknown and not "
			    "applicable results are counted apart, never as passes."),
		  "class", "muted", NULL);
	html_lit(f, "<table>");
	month_header(f, m, L_(m->lang, "checklist"));
	for (size_t k = 0; k <= m->npacks; k++) {
		int p = k == m->npacks ? AM_ALL : (int)k;
		html_lit(f, "<tr>");
		td(f, am_pack_name(m, p));
		for (int i = 0; i < 12; i++)
			cell_td(f, m, &m->fleet[p][i], (m->fleet_reported >> i) & 1);
		char b[32];
		pct(b, sizeof b, am_overall(m, p));
		td(f, b[0] ? b : L_(m->lang, "no report"));
		html_lit(f, "</tr>\n");
	}
	html_lit(f, "</table>\n<div class=\"charts\">");
	for (size_t k = 0; k <= m->npacks; k++)
		chart(f, m, k == m->npacks ? AM_ALL : (int)k);
	html_lit(f, "</div>\n");
}

static void top_rules(FILE *f, const annual_model *m)
{
	size_t n = 0, *v = am_top_rules(m, &n);
	html_elem(f, "h2", L_(m->lang, "The ten rules failing on the most hosts"), NULL);
	if (!n) {
		html_elem(f, "p", L_(m->lang, "No rule failed on any host this year."), NULL);
	} else {
		html_lit(f, "<table><thead><tr>");
		th(f, L_(m->lang, "rule"));
		th(f, L_(m->lang, "checklist"));
		th(f, L_(m->lang, "hosts failing"));
		th(f, L_(m->lang, "days failing"));
		th(f, L_(m->lang, "failing at year end"));
		html_lit(f, "</tr></thead>\n");
		for (size_t k = 0; k < n; k++) {
			const am_rule *r = &m->rules[v[k]];
			html_lit(f, "<tr>");
			td(f, am_rule_title(m, r));
			td(f, am_pack_name(m, r->pack));
			tdn(f, r->hosts_failing);
			tdn(f, r->fail_days);
			tdn(f, r->last[1]);
			html_lit(f, "</tr>\n");
		}
		html_lit(f, "</table>\n");
	}
	free(v);
}

static void top_hosts(FILE *f, const annual_model *m)
{
	size_t n = 0, *v = am_top_hosts(m, &n);
	html_elem(f, "h2", L_(m->lang, "Hosts with the most critical and high failures"), NULL);
	if (!n) {
		html_elem(f, "p", L_(m->lang, "No host failed a rule at the end of the year."), NULL);
	} else {
		html_lit(f, "<table><thead><tr>");
		th(f, L_(m->lang, "host"));
		th(f, L_(m->lang, "critical/high failing"));
		th(f, L_(m->lang, "rules failing"));
		th(f, L_(m->lang, "last report"));
		html_lit(f, "</tr></thead>\n");
		for (size_t k = 0; k < n; k++) {
			const am_host *h = &m->hosts[v[k]];
			char d[11];
			am_date(h->last, d);
			html_lit(f, "<tr>");
			td(f, h->name);
			tdn(f, h->severe_failing);
			tdn(f, h->rules_failing);
			td(f, d[0] ? d : L_(m->lang, "no report"));
			html_lit(f, "</tr>\n");
		}
		html_lit(f, "</table>\n");
	}
	free(v);
}

typedef struct exc_out {
	FILE *f;
	annual_model *m;
	long count[4], shown;
	bool summary;   /* only the first rows, and only what needs attention */
} exc_out;

#define SUMMARY_EXCEPTIONS 12

static int exc_row(void *x, const store_exception *e, am_exc_state st)
{
	exc_out *o = x;
	annual_model *m = o->m;
	o->count[st]++;
	if (o->summary && (st == EXC_ENDED || o->shown >= SUMMARY_EXCEPTIONS))
		return 0;
	o->shown++;
	char fs[11], ls[11];
	am_date(e->first_seen, fs);
	am_date(e->last_seen, ls);
	html_open(o->f, "tr", "class", st == EXC_EXPIRED_CLAIMED ? "fail" : NULL, NULL);
	td(o->f, am_exception_state_name(m, st));
	td(o->f, e->host_name);
	td(o->f, e->rule);
	td(o->f, e->reason);
	td(o->f, e->approved_by);
	td(o->f, e->until[0] ? e->until : L_(m->lang, "no end date"));
	td(o->f, fs);
	td(o->f, ls);
	html_lit(o->f, "</tr>\n");
	return 0;
}

static int exceptions(FILE *f, annual_model *m, store *s, bool summary, char *err,
		      size_t es)
{
	html_elem(f, "h2", L_(m->lang, "Approved exceptions"), NULL);
	html_lit(f, "<table><thead><tr>");
	th(f, L_(m->lang, "state"));
	th(f, L_(m->lang, "host"));
	th(f, L_(m->lang, "rule"));
	th(f, L_(m->lang, "reason"));
	th(f, L_(m->lang, "approved by"));
	th(f, L_(m->lang, "until"));
	th(f, L_(m->lang, "first seen"));
	th(f, L_(m->lang, "last seen"));
	html_lit(f, "</tr></thead>\n");
	exc_out o = {.f = f, .m = m, .summary = summary};
	if (am_each_exception(m, s, exc_row, &o, err, es) != 0)
		return -1;
	html_lit(f, "</table>\n");
	html_open(f, "p", NULL);
	html_textf(f, "%s %ld, %s %ld, %s %ld, %s %ld.", L_(m->lang, "active"), o.count[EXC_ACTIVE],
		   L_(m->lang, "expiring within 30 days"), o.count[EXC_EXPIRING],
		   L_(m->lang, "expired but still claimed"), o.count[EXC_EXPIRED_CLAIMED], L_(m->lang, "ended"),
		   o.count[EXC_ENDED]);
	if (summary && o.shown < o.count[0] + o.count[1] + o.count[2])
		html_textf(f, " %s", L_(m->lang, "All of them are listed in the exceptions part."));
	html_close(f, "p");
	return 0;
}

static void policies(FILE *f, const annual_model *m)
{
	html_elem(f, "h2", L_(m->lang, "Policy and rule-pack versions in force"), NULL);
	html_lit(f, "<table><thead><tr>");
	th(f, L_(m->lang, "what"));
	th(f, L_(m->lang, "version"));
	th(f, L_(m->lang, "since"));
	th(f, L_(m->lang, "SHA-256"));
	html_lit(f, "</tr></thead>\n");
	pstore_entry *e = NULL;
	size_t n = 0;
	char err[300];
	if (m->o->policy_dir && pstore_list(m->o->policy_dir, &e, &n, err, sizeof err) != 0)
		n = 0;
	char y1[32];
	snprintf(y1, sizeof y1, "%04d-01-01", m->o->year + 1);
	size_t shown = 0;
	for (size_t i = 0; i < n; i++) {
		/* in force in the year: published before its end, and not
		 * replaced (same group) before its start */
		if (strncmp(e[i].created, y1, 10) >= 0)
			continue;
		bool replaced = false;
		char y0[32];
		snprintf(y0, sizeof y0, "%04d-01-01", m->o->year);
		for (size_t j = i + 1; j < n && !replaced; j++)
			replaced = !strcmp(e[j].group, e[i].group) && strncmp(e[j].created, y0, 10) < 0;
		if (replaced)
			continue;
		char what[128], v[32];
		snprintf(what, sizeof what, "%s%s%s", L_(m->lang, "central policy"), e[i].group[0] ? ": " : "",
			 e[i].group);
		snprintf(v, sizeof v, "%lld", e[i].version);
		html_lit(f, "<tr>");
		td(f, what);
		td(f, v);
		td(f, e[i].created);
		html_open(f, "td", "class", "ev", NULL);
		html_text(f, e[i].sha256);
		html_close(f, "td");
		html_lit(f, "</tr>\n");
		shown++;
	}
	free(e);
	for (size_t i = 0; i < m->nloaded; i++) {
		html_lit(f, "<tr>");
		td(f, text_get(&m->loaded[i]->title, m->lang));
		td(f, m->loaded[i]->id);
		td(f, L_(m->lang, "read by this report"));
		html_open(f, "td", "class", "ev", NULL);
		html_text(f, m->loaded[i]->sha256);
		html_close(f, "td");
		html_lit(f, "</tr>\n");
	}
	html_lit(f, "</table>\n");
	if (!shown)
		html_elem(f, "p", L_(m->lang, "No central policy was published for this year: the hosts "
				    "audited with their local configuration."), NULL);
	html_elem(f, "p", L_(m->lang, "Which hosts ran which policy version, and when: "
			    "hostaudit-collector policy history --year YEAR."), "class", "muted",
		  NULL);
}

static const char *jtext(const annual_model *m, const json_t *v)
{
	if (json_is_string(v))
		return json_string_value(v);
	const char *t = json_string_value(json_object_get(v, m->lang));
	return t ? t : json_string_value(json_object_get(v, "en"));
}

static void placement_row(FILE *f, const annual_model *m, const char *year, const json_t *p)
{
	html_lit(f, "<tr>");
	td(f, year);
	if (!p) {
		td(f, L_(m->lang, "not assessed"));
		td(f, "");
	} else {
		const char *cat = json_string_value(json_object_get(p, "category"));
		const char *label = jtext(m, json_object_get(p, "label"));
		char b[300];
		snprintf(b, sizeof b, "%s%s%s%s", label ? label : "", label ? " (" : "",
			 cat ? cat : "unknown", label ? ")" : "");
		td(f, b);
		const char *why = jtext(m, json_object_get(p, "approach"));
		if (!why)
			why = jtext(m, json_object_get(p, "unknown_reason"));
		td(f, why ? why : "");
	}
	html_lit(f, "</tr>\n");
}

/* METI's ten directives as this year's placement recorded them, each
 * document with its SHA-256 (org_directives.h). */
static void directives(FILE *f, const annual_model *m)
{
	am_directive d[AM_DIRECTIVES_MAX];
	size_t n = am_directives(m->o->organisation, d, AM_DIRECTIVES_MAX);
	if (!n)
		return;
	html_elem(f, "h3", L_(m->lang, "METI's ten directives"), NULL);
	html_lit(f, "<table><thead><tr>");
	th(f, L_(m->lang, "directive"));
	th(f, L_(m->lang, "answer"));
	th(f, L_(m->lang, "who, when"));
	th(f, L_(m->lang, "evidence document"));
	th(f, L_(m->lang, "SHA-256"));
	html_lit(f, "</tr></thead>\n");
	for (size_t i = 0; i < n; i++) {
		html_lit(f, "<tr>");
		td(f, jtext(m, d[i].label));
		char b[200];
		bool stale = d[i].state && !strcmp(d[i].state, "stale");
		snprintf(b, sizeof b, "%s%s", d[i].answer ? L_(m->lang, d[i].answer)
							  : L_(m->lang, "not answered"),
			 stale ? L_(m->lang, " (stale: reads as unknown)") : "");
		td(f, b);
		snprintf(b, sizeof b, "%s%s%s", d[i].who ? d[i].who : "", d[i].who ? ", " : "",
			 d[i].when ? d[i].when : "");
		td(f, b);
		html_lit(f, "<td>");
		html_text(f, d[i].doc_title);
		if (d[i].doc_where) {
			html_lit(f, "<br>");
			html_text(f, d[i].doc_where);
		}
		html_lit(f, "</td>");
		html_open(f, "td", "class", "ev", NULL);
		html_text(f, d[i].doc_sha256);
		if (d[i].doc_check) {
			html_lit(f, "<br>");
			html_text(f, am_directive_check(d[i].doc_check, m->lang));
		}
		html_close(f, "td");
		html_lit(f, "</tr>\n");
	}
	html_lit(f, "</table>\n");
}

static void self_assessment(FILE *f, const annual_model *m)
{
	html_elem(f, "h2", L_(m->lang, "The organisation's self-assessment"), NULL);
	html_lit(f, "<table><thead><tr>");
	th(f, L_(m->lang, "year"));
	th(f, L_(m->lang, "category"));
	th(f, L_(m->lang, "basic approach"));
	html_lit(f, "</tr></thead>\n");
	char y[16];
	snprintf(y, sizeof y, "%d", m->o->year);
	placement_row(f, m, y, m->o->organisation);
	snprintf(y, sizeof y, "%d", m->o->year - 1);
	placement_row(f, m, y, m->o->organisation_prev);
	html_lit(f, "</table>\n");
	if (!m->o->organisation)
		html_elem(f, "p", L_(m->lang, "Answer it with hostaudit-collector org attest; "
				    "hostaudit-collector org show places the company."),
			  "class", "muted", NULL);
	directives(f, m);
}

static void evidence_summary(FILE *f, annual_model *m, int *rc)
{
	html_elem(f, "h2", L_(m->lang, "Evidence"), NULL);
	html_lit(f, "<table class=\"kv\">");
	char n[32];
	snprintf(n, sizeof n, "%ld", m->evidence);
	kv(f, L_(m->lang, "reports stored"), n);
	html_lit(f, "<tr>");
	td(f, L_(m->lang, "SHA-256 of the evidence list"));
	html_open(f, "td", "class", "ev", NULL);
	if (am_ledger_mark(m, f, 0) != 0)
		*rc = -1;
	html_text(f, m->ledger); /* hex, or the placeholder filled in later */
	html_close(f, "td");
	html_lit(f, "</tr><tr>");
	td(f, L_(m->lang, "hash chain head at year end (sequence, SHA-256)"));
	html_open(f, "td", "class", "ev", NULL);
	html_text(f, m->chain_text);
	html_close(f, "td");
	html_lit(f, "</tr></table>\n");
	html_elem(f, "p", L_(m->lang, "The list has one line \"report_id,hostname,finished_at,sha256\" "
			    "per report, each ending in a newline, host by host in time order. "
			    "Check one report: hostaudit-collector export REPORT_ID | sha256sum "
			    "gives its SHA-256 in the list."), NULL);
}

static void summary(FILE *f, annual_model *m, store *s, char *err, size_t es, int *rc)
{
	html_lit(f, "<section class=\"part first\" id=\"summary\">\n");
	char title[200];
	snprintf(title, sizeof title, L_(m->lang, "Annual security audit report %d"), m->o->year);
	html_elem(f, "h1", title, NULL);
	html_lit(f, "<table class=\"kv\">");
	char b[256], d0[11], d1[11], now[11];
	kv(f, L_(m->lang, "organisation"), m->o->organisation_name ? m->o->organisation_name
							: L_(m->lang, "(not named: --organisation)"));
	if (m->o->department)
		kv(f, L_(m->lang, "department"), m->o->department);
	am_date(m->from, d0);
	am_date(m->to - 1, d1);
	snprintf(b, sizeof b, "%s – %s", d0, d1);
	kv(f, L_(m->lang, "period"), b);
	am_date(m->o->now, now);
	kv(f, L_(m->lang, "written"), now);
	html_lit(f, "</table>\n");
	html_elem(f, "h2", L_(m->lang, "Coverage"), NULL);
	html_lit(f, "<table class=\"kv\">");
	snprintf(b, sizeof b, "%ld", m->expected);
	kv(f, L_(m->lang, "expected hosts (inventory and enrolled)"), b);
	snprintf(b, sizeof b, "%ld (%.0f%%)", m->reporting,
		 m->expected ? 100.0 * m->reporting / m->expected : 0.0);
	kv(f, L_(m->lang, "reporting this year"), b);
	snprintf(b, sizeof b, "%ld", m->expected - m->reporting);
	kv(f, L_(m->lang, "never reported this year"), b);
	snprintf(b, sizeof b, L_(m->lang, "%ld (no report for more than %ld days)"), m->stale,
		 m->o->stale_days);
	kv(f, L_(m->lang, "stale"), b);
	html_lit(f, "</table>\n");
	compliance(f, m);
	top_rules(f, m);
	top_hosts(f, m);
	if (exceptions(f, m, s, true, err, es) != 0)
		*rc = -1;
	policies(f, m);
	self_assessment(f, m);
	evidence_summary(f, m, rc);
	html_lit(f, "</section>\n");
}

static void rules_part(FILE *f, const annual_model *m)
{
	html_lit(f, "<section class=\"part\" id=\"rules\">\n");
	html_elem(f, "h2", L_(m->lang, "Per rule"), NULL);
	size_t n = 0, *v = am_rules_ordered(m, &n);
	for (size_t k = 0; v && k < n; k++) {
		const am_rule *r = &m->rules[v[k]];
		html_open(f, "div", "class", "host", NULL);
		html_elem(f, "h3", am_rule_title(m, r), NULL);
		html_lit(f, "<table class=\"kv\">");
		if (r->meta) {
			kv(f, !strcmp(m->lang, "ja") ? "English" : "日本語",
			   am_rule_title_in(r, !strcmp(m->lang, "ja") ? "en" : "ja"));
		}
		kv(f, L_(m->lang, "rule"), r->name);
		char b[256];
		if (r->meta)
			snprintf(b, sizeof b, L_(m->lang, "%s, article %d; severity %s"), am_pack_name(m, r->pack),
				 r->meta->article, report_severity_label(severity_name(r->meta->sev), m->lang));
		else
			snprintf(b, sizeof b, "%s (%s)", am_pack_name(m, r->pack),
				 L_(m->lang, "not in the rule packs read"));
		kv(f, L_(m->lang, "checklist"), b);
		if (r->meta)
			kv(f, L_(m->lang, "rationale"), am_rule_rationale(m, r));
		snprintf(b, sizeof b, L_(m->lang, "%ld of %ld hosts, %ld days in all"), r->hosts_failing,
			 r->hosts_seen, r->fail_days);
		kv(f, L_(m->lang, "failing"), b);
		snprintf(b, sizeof b, "%s %ld, %s %ld, %s %ld, %s %ld", L_(m->lang, "pass"), r->last[0],
			 L_(m->lang, "fail"), r->last[1], L_(m->lang, "unknown"), r->last[2], L_(m->lang, "not applicable"),
			 r->last[3]);
		kv(f, L_(m->lang, "last state (hosts)"), b);
		html_lit(f, "</table>\n");
		if (r->ntop) {
			html_lit(f, "<table><thead><tr>");
			th(f, L_(m->lang, "host"));
			th(f, L_(m->lang, "days failing"));
			th(f, L_(m->lang, "last state"));
			html_lit(f, "</tr></thead>\n");
			for (int t = 0; t < r->ntop; t++) {
				html_lit(f, "<tr>");
				td(f, m->hosts[r->top[t].host].name);
				tdn(f, r->top[t].days);
				td(f, am_state_name(m, r->top[t].last));
				html_lit(f, "</tr>\n");
			}
			html_lit(f, "</table>\n");
			if (r->hosts_failing > r->ntop)
				html_elem(f, "p", L_(m->lang, "The hosts failing on the most days; every host "
						    "is in the CSV, JSON and Excel forms."),
					  "class", "muted", NULL);
		}
		html_close(f, "div");
	}
	free(v);
	html_lit(f, "</section>\n");
}

static void hosts_part(FILE *f, const annual_model *m)
{
	html_lit(f, "<section class=\"part\" id=\"hosts\">\n");
	html_elem(f, "h2", L_(m->lang, "Per host"), NULL);
	for (size_t i = 0; i < m->nhosts; i++) {
		const am_host *h = &m->hosts[i];
		bool st = am_stale(m, h);
		html_open(f, "div", "class", st ? "host stale" : "host", NULL);
		html_elem(f, "h3", h->name, NULL);
		html_open(f, "p", NULL);
		char d0[11], d1[11];
		am_date(h->first, d0);
		am_date(h->last, d1);
		html_textf(f, "%s: %s · %s: %s · %s: %ld", L_(m->lang, "in inventory"),
			   h->in_inventory ? L_(m->lang, "yes") : L_(m->lang, "no"), L_(m->lang, "enrolled"),
			   h->enrolled ? L_(m->lang, "yes") : L_(m->lang, "no"), L_(m->lang, "reports"), h->reports);
		if (h->reports)
			html_textf(f, " (%s – %s)", d0, d1);
		html_textf(f, " · %s: %d (%s %d)", L_(m->lang, "rules failing"), h->rules_failing,
			   L_(m->lang, "critical/high"), h->severe_failing);
		if (st)
			html_textf(f, " · %s", L_(m->lang, "stale"));
		html_close(f, "p");
		if (m->ncolumns) {
			html_lit(f, "<table><tr>");
			for (size_t c = 0; c < m->ncolumns; c++)
				th(f, m->columns[c]);
			html_lit(f, "</tr><tr>");
			for (size_t c = 0; c < m->ncolumns; c++) {
				char *v = am_attr(h, m->columns[c]);
				td(f, v ? v : "");
				free(v);
			}
			html_lit(f, "</tr></table>\n");
		}
		html_lit(f, "<table>");
		month_header(f, m, L_(m->lang, "checklist"));
		for (size_t k = 0; k <= m->npacks; k++) {
			int p = k == m->npacks ? AM_ALL : (int)k;
			am_cell y = {0};
			html_lit(f, "<tr>");
			td(f, am_pack_name(m, p));
			for (int mo = 0; mo < 12; mo++) {
				const am_cell *c = &h->cell[p][mo];
				cell_td(f, m, c, (h->reported >> mo) & 1);
				y.pass += c->pass;
				y.fail += c->fail;
				y.unknown |= c->unknown;
				y.na |= c->na;
			}
			cell_td(f, m, &y, h->reported != 0);
			html_lit(f, "</tr>\n");
		}
		html_lit(f, "</table>\n");
		html_close(f, "div");
	}
	html_lit(f, "</section>\n");
}

/* One row of the evidence list, written at its place
 * (am_evidence_write): literals and the escaping writer, no printf
 * (millions of rows). */
int annual_html_evidence_row(am_spool *sp, const am_host *h, const store_evidence *e)
{
	FILE *f = sp->f;
	char t[21];
	am_time(e->finished_at, t);
	html_lit(f, "<tr><td>");
	html_text(f, e->report_id);
	html_lit(f, "</td><td>");
	html_text(f, h->name);
	html_lit(f, "</td><td>");
	html_text(f, t);
	html_lit(f, "</td><td>");
	html_text(f, e->body_sha256);
	html_lit(f, "</td></tr>\n");
	return ferror(f) ? 1 : 0;
}

int annual_write_html(annual_model *m, store *s, FILE *f, char *err, size_t es)
{
	int rc = 0;
	char title[200], running[600];
	snprintf(title, sizeof title, L_(m->lang, "Annual security audit report %d"), m->o->year);
	snprintf(running, sizeof running, "%s%s%s%s%s", title,
		 m->o->organisation_name ? " · " : "",
		 m->o->organisation_name ? m->o->organisation_name : "",
		 m->o->department ? " · " : "", m->o->department ? m->o->department : "");
	html_lit(f, "<!DOCTYPE html>\n");
	html_open(f, "html", "lang", m->lang, NULL);
	html_lit(f, "<head><meta charset=\"utf-8\">");
	html_elem(f, "title", running, NULL);
	html_open(f, "style", NULL);
	html_lit(f, CSS);
	html_close(f, "style");
	html_lit(f, "</head>\n<body>\n");
	html_open(f, "header", "class", "run", NULL);
	html_textf(f, "hostaudit · %s · %s%s%s", title,
		   m->o->organisation_name ? m->o->organisation_name : "",
		   m->o->department ? " · " : "", m->o->department ? m->o->department : "");
	html_close(f, "header");
	summary(f, m, s, err, es, &rc);
	rules_part(f, m);
	hosts_part(f, m);
	html_lit(f, "<section class=\"part\" id=\"exceptions\">\n");
	if (rc == 0 && exceptions(f, m, s, false, err, es) != 0)
		rc = -1;
	html_lit(f, "</section>\n<section class=\"part\" id=\"evidence\">\n");
	evidence_summary(f, m, &rc);
	html_lit(f, "<table class=\"ev\"><thead><tr>");
	th(f, L_(m->lang, "report id"));
	th(f, L_(m->lang, "host"));
	th(f, L_(m->lang, "finished at"));
	th(f, L_(m->lang, "SHA-256"));
	html_lit(f, "</tr></thead>\n");
	if (rc == 0 && am_evidence_write(m, s, f, err, es) != 0)
		rc = -1;
	html_lit(f, "</table>\n</section>\n</body></html>\n");
	return rc;
}
