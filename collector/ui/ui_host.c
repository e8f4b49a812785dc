/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/host?name=HOST: its inventory columns, its score over time (SVG),
 * its history, and its newest report rendered as the agent's HTML report
 * renders it (render_html_body()); the host as the fleet model (fleet.h)
 * has it, so a stale one is said to be stale here as on the fleet page.
 * An admin also revokes its token and sets its inventory fields here. */
#define _GNU_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "ui.h"
#include "ui_data.h"

static void inventory(ui_page *p, const fleet_host *h)
{
	FILE *o = p->out;
	html_elem(o, "h2", L_(p->lang, "Inventory"), NULL);
	html_lit(o, "<table class=\"grid\" id=\"inventory\">\n");
	const char *key;
	json_t *v;
	size_t n = 0;
	json_object_foreach(h->inventory, key, v)
	{
		html_lit(o, "<tr><th>");
		html_text(o, key);
		html_lit(o, "</th><td>");
		char q[600], qk[200], href[900];
		ui_url_escape(json_string_value(v), q, sizeof q);
		ui_url_escape(key, qk, sizeof qk);
		snprintf(href, sizeof href, "/ui/fleet?%s=%s", qk, q);
		html_elem(o, "a", json_string_value(v), "href", href, NULL);
		html_lit(o, "</td></tr>\n");
		n++;
	}
	if (!n) {
		html_lit(o, "<tr><td>");
		html_text(o, L_(p->lang, "Not in the inventory."));
		html_lit(o, "</td></tr>\n");
	}
	html_lit(o, "</table>\n");
	if (p->role < ROLE_ADMIN)
		return;
	html_lit(o, "<form method=\"post\" action=\"/ui/host/inventory\" id=\"set-field\">");
	ui_csrf_field(p);
	html_open(o, "input", "type", "hidden", "name", "host", "value", h->name, NULL);
	html_lit(o, "<label>");
	html_text(o, L_(p->lang, "Column"));
	html_lit(o, " <input name=\"key\" size=\"12\"></label><label>");
	html_text(o, L_(p->lang, "Value"));
	html_lit(o, " <input name=\"value\" size=\"20\"></label>");
	html_open(o, "button", "type", "submit", NULL);
	html_text(o, L_(p->lang, "Set"));
	html_lit(o, "</button></form>\n");
}

static void admin(ui_page *p, const fleet_host *h)
{
	FILE *o = p->out;
	html_lit(o, "<p>");
	html_text(o, h->enrolled ? L_(p->lang, "Enrolled: it can upload reports.")
				 : L_(p->lang, "Not enrolled, or its token was revoked."));
	html_lit(o, "</p>\n");
	if (p->role < ROLE_ADMIN || !h->enrolled)
		return;
	html_lit(o, "<form method=\"post\" action=\"/ui/host/revoke\" id=\"revoke\">");
	ui_csrf_field(p);
	html_open(o, "input", "type", "hidden", "name", "host", "value", h->name, NULL);
	html_open(o, "button", "type", "submit", NULL);
	html_text(o, L_(p->lang, "Revoke its token"));
	html_lit(o, "</button> <span class=\"note\">");
	html_text(o, L_(p->lang, "Its next upload is refused; its history stays."));
	html_lit(o, "</span></form>\n");
}

static void history(ui_page *p, const fleet_host *h)
{
	FILE *o = p->out;
	ui_history hist;
	if (ui_history_load(p->st, p->org_id, h->name, 0, (int64_t)time(NULL) + 86400, &hist, NULL) != 0) {
		html_elem(o, "p", L_(p->lang, "The history could not be read."), NULL);
		return;
	}
	html_elem(o, "h2", L_(p->lang, "Score over time"), NULL);
	double *v = calloc(hist.n ? hist.n : 1, sizeof *v);
	for (size_t i = 0; v && i < hist.n; i++)
		v[i] = hist.r[i].score;
	char first[16] = "", last[16] = "";
	if (hist.n) {
		ui_date(hist.r[0].finished, first);
		ui_date(hist.r[hist.n - 1].finished, last);
	}
	if (v)
		ui_chart(o, v, hist.n, first, last, L_(p->lang, "Score over time"));
	free(v);
	html_elem(o, "h2", L_(p->lang, "History"), NULL);
	html_lit(o, "<table class=\"grid\" id=\"history\">\n<tr><th>");
	html_text(o, L_(p->lang, "Audited at"));
	html_lit(o, "</th><th>");
	html_text(o, L_(p->lang, "Score"));
	html_lit(o, "</th><th>");
	html_text(o, L_(p->lang, "Failing rules"));
	html_lit(o, "</th><th>");
	html_text(o, L_(p->lang, "Report ID"));
	html_lit(o, "</th></tr>\n");
	for (size_t k = hist.n; k-- > 0 && hist.n - k <= 100;) {
		const ui_report_row *r = &hist.r[k];
		char when[21];
		rfc3339_format(r->finished, when);
		long fails = 0;
		for (const char *s = r->summary; (s = strstr(s, "=f")); s += 2)
			fails++;
		html_lit(o, "<tr><td>");
		html_text(o, when);
		html_lit(o, "</td><td class=\"n\">");
		if (isnan(r->score))
			html_lit(o, "–");
		else
			html_textf(o, "%.1f", r->score);
		html_lit(o, "</td><td class=\"n\">");
		html_textf(o, "%ld", fails);
		html_lit(o, "</td><td>");
		html_text(o, r->report_id);
		html_lit(o, "</td></tr>\n");
	}
	html_lit(o, "</table>\n");
	ui_history_free(&hist, NULL);
}

void ui_host_get(ui_page *p)
{
	const char *name = ui_arg(p, "name");
	if (!name) {
		ui_refused(p, 404, L_(p->lang, "No such host."));
		return;
	}
	fleet *f = ui_fleet_load(p, -1);
	if (!f)
		return;
	/* the filter is not for this page: any host of that name */
	const fleet_host *h = fleet_host_find(f, name);
	if (!h) {
		fleet_free(f);
		ui_refused(p, 404, L_(p->lang, "No such host."));
		return;
	}
	json_t *report = NULL;
	if (h->report_id[0]) {
		char *body = NULL, err[300];
		size_t len = 0;
		if (store_export(p->st, p->org_id, h->report_id, &body, &len, err, sizeof err) == 1)
			report = json_loadb(body, len, 0, NULL);
		free(body);
	}
	char title[400];
	snprintf(title, sizeof title, "%s: %s", L_(p->lang, "Host"), h->name);
	ui_begin(p, title);
	admin(p, h);
	if (h->stale) {
		char note[400];
		snprintf(note, sizeof note,
			 L_(p->lang, "Stale: no report for over %ld days; its rules count as "
				     "neither passing nor failing now."),
			 f->stale_days);
		html_elem(p->out, "p", note, "class", "note", "id", "stale", NULL);
	}
	inventory(p, h);
	history(p, h);
	html_elem(p->out, "h2", L_(p->lang, "Latest report"), NULL);
	if (report) {
		html_lit(p->out, "<section class=\"report\" id=\"report\">\n");
		render_html_body(report, p->out, p->lang);
		html_lit(p->out, "</section>\n");
	} else {
		html_elem(p->out, "p",
			  h->report_id[0] ? L_(p->lang, "Its body was removed by retention.")
					  : L_(p->lang, "No report yet."),
			  NULL);
	}
	ui_end(p);
	json_decref(report);
	fleet_free(f);
}

static void back_to_host(ui_page *p, const char *hostname)
{
	char q[800], to[900];
	ui_url_escape(hostname, q, sizeof q);
	snprintf(to, sizeof to, "/ui/host?name=%s", q);
	ui_redirect(p, to);
}

void ui_host_revoke_post(ui_page *p)
{
	const char *hostname = ui_form(p, "host");
	char err[300];
	int rc = store_host_revoke(p->st, p->org_id, hostname, err, sizeof err);
	if (rc < 0) {
		log_line("console: revoke %s: %s", hostname, err);
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	if (rc == 0) {
		ui_refused(p, 404, L_(p->lang, "No such host, or it has no token."));
		return;
	}
	log_line("console: %s revoked the token of %s", p->sess.user, hostname);
	back_to_host(p, hostname);
}

/* Letters, digits, '-', '.', '_'; 1..253 of them (store.c's rule). */
static bool host_name_ok(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 253)
		return false;
	for (; *h; h++)
		if (!isalnum((unsigned char)*h) && !strchr("-._", *h))
			return false;
	return true;
}

/* An inventory column: 1 to 64 of a-z, 0-9, '_', '-'; not the hostname name. */
static bool column_ok(const char *k)
{
	size_t n = strlen(k);
	if (n == 0 || n > 64 || !strcmp(k, "hostname"))
		return false;
	for (; *k; k++)
		if (!islower((unsigned char)*k) && !isdigit((unsigned char)*k) && !strchr("_-", *k))
			return false;
	return true;
}

void ui_host_inventory_post(ui_page *p)
{
	const char *hostname = ui_form(p, "host"), *key = ui_form(p, "key");
	const char *val = ui_form(p, "value");
	if (!host_name_ok(hostname) || !column_ok(key) || strlen(val) > 200) {
		ui_refused(p, 400, L_(p->lang, "A column is 1 to 64 of a-z, 0-9, '_' and '-' (not "
					       "hostname); a value at most 200 bytes."));
		return;
	}
	char err[300];
	if (store_inventory_set_attr(p->st, p->org_id, hostname, key, val, err, sizeof err) != 0) {
		log_line("console: inventory %s: %s", hostname, err);
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	log_line("console: %s set %s of %s", p->sess.user, key, hostname);
	back_to_host(p, hostname);
}
