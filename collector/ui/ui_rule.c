/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/rule_id?id=PACK:RULE: the rule_id's title, why it matters and how to fix
 * it (the rule_id pack_id's texts, carried by the reports, in the page's
 * language), and every host it fails on now, since when: the first report
 * of the unbroken run of failures that ends in the host's newest report. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "ui.h"
#include "ui_data.h"

/* The result of rule_id in report, or NULL. */
static const json_t *result_of(const json_t *report, const char *rule_id)
{
	size_t i;
	const json_t *r;
	json_array_foreach(json_object_get(report, "results"), i, r)
	{
		const char *pack_id = json_string_value(json_object_get(r, "pack"));
		const char *id = json_string_value(json_object_get(r, "id"));
		size_t n = pack_id ? strlen(pack_id) : 0;
		if (pack_id && id && !strncmp(rule_id, pack_id, n) && rule_id[n] == ':' && !strcmp(rule_id + n + 1, id))
			return r;
	}
	return NULL;
}

static void texts(ui_page *p, const json_t *res)
{
	FILE *o = p->out;
	html_lit(o, "<dl>\n");
	const struct {
		const char *label, *key;
	} rows[] = {
		{L_(p->lang, "Why it matters"), "rationale"},
		{L_(p->lang, "How to fix"), "remediation"},
	};
	for (size_t i = 0; i < 2; i++) {
		html_elem(o, "dt", rows[i].label, NULL);
		html_elem(o, "dd", report_tr(json_object_get(res, rows[i].key), p->lang), NULL);
	}
	html_elem(o, "dt", L_(p->lang, "Severity"), NULL);
	html_elem(o, "dd", report_severity_label(ui_jstr(res, "severity"), p->lang), NULL);
	html_lit(o, "</dl>\n");
}

void ui_rule_get(ui_page *p)
{
	const char *rule_id = ui_arg(p, "id");
	ui_hosts hs;
	if (!rule_id || !strchr(rule_id, ':')) {
		ui_refused(p, 404, L_(p->lang, "No such rule."));
		return;
	}
	if (ui_hosts_load(p, true, "id", &hs) != 0) {
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	const json_t *res = NULL;
	for (size_t i = 0; i < hs.n && !res; i++)
		res = result_of(hs.h[i].report, rule_id);
	ui_history hist;
	char **names = NULL;
	if (ui_history_load(p->st, p->org_id, NULL, 0, (int64_t)time(NULL) + 86400, &hist, &names) != 0) {
		ui_hosts_free(&hs);
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	/* per host: the start of its current run of failures (0: passing) */
	int64_t *since = calloc(hs.n ? hs.n : 1, sizeof *since);
	for (size_t k = 0; since && k < hist.n; k++) {
		ui_host *h = ui_hosts_find(&hs, names[k]);
		if (!h)
			continue;
		size_t i = (size_t)(h - hs.h);
		if (ui_summary_status(hist.r[k].summary, rule_id) != 'f')
			since[i] = 0;
		else if (!since[i])
			since[i] = hist.r[k].finished;
	}
	char title[600];
	snprintf(title, sizeof title, "%s: %s", L_(p->lang, "Rule"),
		 res ? report_tr(json_object_get(res, "title"), p->lang) : rule_id);
	ui_begin(p, title);
	html_lit(p->out, "<p class=\"note\">");
	html_text(p->out, rule_id);
	html_lit(p->out, "</p>\n");
	ui_filter_line(p, "id");
	if (res)
		texts(p, res);
	html_elem(p->out, "h2", L_(p->lang, "Hosts it fails on"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"failing\">\n<tr><th>");
	html_text(p->out, L_(p->lang, "Host"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Failing since"));
	html_lit(p->out, "</th></tr>\n");
	size_t shown = 0;
	for (size_t i = 0; since && i < hs.n; i++) {
		/* failing now: in its newest report */
		const json_t *r = result_of(hs.h[i].report, rule_id);
		if (!r || strcmp(ui_jstr(r, "status"), "fail"))
			continue;
		char day[16] = "";
		if (since[i])
			ui_date(since[i], day);
		html_lit(p->out, "<tr><td>");
		ui_host_link(p->out, hs.h[i].name);
		html_lit(p->out, "</td><td>");
		html_text(p->out, day);
		html_lit(p->out, "</td></tr>\n");
		shown++;
	}
	html_lit(p->out, "</table>\n");
	if (!shown)
		html_elem(p->out, "p", L_(p->lang, "It fails on no host now."), NULL);
	ui_end(p);
	free(since);
	ui_history_free(&hist, names);
	ui_hosts_free(&hs);
}
