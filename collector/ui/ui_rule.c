/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/rule?id=PACK:RULE: the rule's title, why it matters and how to fix
 * it (the rule pack's texts, carried by the reports, in the page's
 * language), and every host it fails on now, since when — both from the
 * fleet model (fleet.h), as the fleet page and GET /v1/rules/{rule} say
 * them: a stale host fails nothing now; since when is the first report of
 * the unbroken run of failures that ends in the host's newest report. */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fleet.h"
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

/* Whether the host of that name fails r now (r->hosts: their names). */
static bool fails_on(const fleet_rule *r, const char *name)
{
	for (long i = 0; i < r->hosts_failing; i++)
		if (!strcasecmp(r->hosts[i], name))
			return true;
	return false;
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

/* The result of rule_id in the newest report of a host that carries it
 * (the failing hosts' first): *report holds it (json_decref() it). */
static const json_t *rule_texts(ui_page *p, const fleet *f, const fleet_rule *r,
				const char *rule_id, json_t **report)
{
	*report = NULL;
	for (size_t pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < f->n_hosts; i++) {
			const fleet_host *h = &f->hosts[i];
			bool failing = r && fails_on(r, h->name);
			if (!h->report_id[0] || failing != (pass == 0))
				continue;
			char *body = NULL, err[300];
			size_t len = 0;
			if (store_export(p->st, p->org_id, h->report_id, &body, &len, err,
					 sizeof err) == 1)
				*report = json_loadb(body, len, 0, NULL);
			free(body);
			const json_t *res = result_of(*report, rule_id);
			if (res)
				return res;
			json_decref(*report);
			*report = NULL;
		}
	return NULL;
}

void ui_rule_get(ui_page *p)
{
	const char *rule_id = ui_arg(p, "id");
	if (!rule_id || !strchr(rule_id, ':')) {
		ui_refused(p, 404, L_(p->lang, "No such rule."));
		return;
	}
	fleet *f = ui_fleet_load(p, -1);
	if (!f)
		return;
	const fleet_rule *r = fleet_rule_find(f, rule_id);
	json_t *report;
	const json_t *res = rule_texts(p, f, r, rule_id, &report);
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
	for (long i = 0; r && i < r->hosts_failing; i++) {
		const fleet_host *h = fleet_host_find(f, r->hosts[i]);
		if (!h || !ui_filter_keeps(p, h->inventory, "id"))
			continue;
		int64_t since = 0;
		char day[16] = "", err[300];
		if (fleet_failing_since(p->st, p->org_id, h->name, r->pack, r->rule, &since, err,
					sizeof err) < 0)
			log_line("console: rule %s: %s", rule_id, err);
		if (since)
			ui_date(since, day);
		html_lit(p->out, "<tr><td>");
		ui_host_link(p->out, h->name);
		html_lit(p->out, "</td><td>");
		html_text(p->out, day);
		html_lit(p->out, "</td></tr>\n");
		shown++;
	}
	html_lit(p->out, "</table>\n");
	if (!shown)
		html_elem(p->out, "p", L_(p->lang, "It fails on no host now."), NULL);
	ui_end(p);
	json_decref(report);
	fleet_free(f);
}
