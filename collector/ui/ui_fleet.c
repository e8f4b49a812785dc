/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/fleet: the morning's view. Hosts expected, reporting and stale; the
 * fleet's score over 90 days (inline SVG); the rules failing on the most
 * hosts; the worst hosts; exceptions expiring within 30 days or expired;
 * compliance per checklist article across the fleet; every host
 * with its inventory columns. Any inventory column filters it all
 * (?department=Sales). */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "ui.h"
#include "ui_data.h"

enum { TREND_DAYS = 90, TOP = 10, EXPIRING_DAYS = 30 };

static bool stale(const ui_page *p, const ui_host *h, int64_t now)
{
	return !h->finished || h->finished < now - p->env->cfg->stale_days * 86400;
}

static bool expected(const ui_host *h)
{
	return h->inv || h->enrolled;
}

static void card(FILE *o, const char *label, size_t n, const char *id)
{
	html_lit(o, "<div class=\"card\"><div>");
	html_text(o, label);
	html_lit(o, "</div>");
	char v[24];
	snprintf(v, sizeof v, "%zu", n);
	html_elem(o, "div", v, "class", "big", "id", id, NULL);
	html_lit(o, "</div>\n");
}

static void counts(ui_page *p, const ui_hosts *hs, int64_t now)
{
	size_t exp = 0, rep = 0;
	for (size_t i = 0; i < hs->n; i++)
		if (expected(&hs->h[i])) {
			exp++;
			rep += !stale(p, &hs->h[i], now);
		}
	html_lit(p->out, "<div class=\"cards\">\n");
	card(p->out, L_(p->lang, "Hosts expected"), exp, "expected");
	card(p->out, L_(p->lang, "Reporting"), rep, "reporting");
	card(p->out, L_(p->lang, "Stale"), exp - rep, "stale");
	html_lit(p->out, "</div>\n");
	char note[200];
	snprintf(note, sizeof note, L_(p->lang, "Stale: no report for over %ld days."),
		 p->env->cfg->stale_days);
	html_elem(p->out, "p", note, "class", "note", NULL);
}

/* The fleet's mean score at the end of each of the last 90 days: each
 * host's newest score by then. */
static void trend(ui_page *p, ui_hosts *hs, int64_t now)
{
	int64_t start = now - (int64_t)TREND_DAYS * 86400;
	ui_history hist;
	char **names;
	html_elem(p->out, "h2", L_(p->lang, "Fleet score, last 90 days"), NULL);
	if (ui_history_load(p->st, p->org_id, NULL, start, now + 1, &hist, &names) != 0) {
		html_elem(p->out, "p", L_(p->lang, "The history could not be read."), NULL);
		return;
	}
	double sum[TREND_DAYS] = {0}, v[TREND_DAYS];
	long n[TREND_DAYS] = {0};
	for (size_t k = 0; k < hist.n;) {
		size_t end = k; /* this host's rows: k..end-1, in time order */
		while (end < hist.n && !strcmp(names[end], names[k]))
			end++;
		if (ui_hosts_find(hs, names[k])) {
			size_t r = k;
			double last = NAN;
			for (int d = 0; d < TREND_DAYS; d++) {
				int64_t day_end = start + (int64_t)(d + 1) * 86400;
				while (r < end && hist.r[r].finished < day_end) {
					if (!isnan(hist.r[r].score))
						last = hist.r[r].score;
					r++;
				}
				if (!isnan(last)) {
					sum[d] += last;
					n[d]++;
				}
			}
		}
		k = end;
	}
	for (int d = 0; d < TREND_DAYS; d++)
		v[d] = n[d] ? sum[d] / (double)n[d] : NAN;
	char first[16], last[16];
	ui_date(start + 86400, first);
	ui_date(now, last);
	ui_chart(p->out, v, TREND_DAYS, first, last, L_(p->lang, "Fleet score, last 90 days"));
	ui_history_free(&hist, names);
}

typedef struct article_row {
	const char *pack;
	long long article;
	const json_t *pack_title, *title;
	long ok, failing;
} article_row;

static void articles(ui_page *p, const ui_hosts *hs)
{
	article_row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < hs->n; i++) {
		const json_t *rep = hs->h[i].report;
		size_t k;
		const json_t *pk;
		json_array_foreach(json_object_get(json_object_get(rep, "scores"), "packs"), k, pk)
		{
			const json_t *meta = json_array_get(json_object_get(rep, "packs"), k);
			const char *pack_id = ui_jstr(meta, "id");
			size_t a;
			const json_t *art;
			json_array_foreach(json_object_get(pk, "articles"), a, art)
			{
				long long no = json_integer_value(json_object_get(art, "article"));
				size_t r = 0;
				while (r < n && (strcmp(rows[r].pack, pack_id) || rows[r].article != no))
					r++;
				if (r == n) {
					if (n == cap) {
						cap = cap ? cap * 2 : 32;
						article_row *nr = realloc(rows, cap * sizeof *nr);
						if (!nr)
							goto out;
						rows = nr;
					}
					rows[n++] = (article_row){pack_id, no, json_object_get(meta, "title"),
								  json_object_get(art, "title"), 0, 0};
				}
				long long fail = json_integer_value(json_object_get(art, "fail"));
				long long pass = json_integer_value(json_object_get(art, "pass"));
				rows[r].failing += fail > 0;
				rows[r].ok += fail == 0 && pass > 0;
			}
		}
	}
	html_elem(p->out, "h2", L_(p->lang, "Compliance per checklist article"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"articles\">\n<tr><th>");
	html_text(p->out, L_(p->lang, "Checklist"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "No."));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Article"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Hosts compliant"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Hosts failing"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Compliant"));
	html_lit(p->out, "</th></tr>\n");
	for (size_t r = 0; r < n; r++) {
		html_lit(p->out, "<tr><td>");
		html_text(p->out, report_tr(rows[r].pack_title, p->lang));
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%lld", rows[r].article);
		html_lit(p->out, "</td><td>");
		html_text(p->out, report_tr(rows[r].title, p->lang));
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%ld", rows[r].ok);
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%ld", rows[r].failing);
		html_lit(p->out, "</td><td class=\"n\">");
		long judged = rows[r].ok + rows[r].failing;
		/* no judged host: say so, never 0 % or 100 % */
		if (judged)
			html_textf(p->out, "%.0f%%", 100.0 * (double)rows[r].ok / (double)judged);
		else
			html_text(p->out, L_(p->lang, "not judged"));
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
out:
	free(rows);
}

typedef struct rule_row {
	char id[300];
	const json_t *title;
	const char *severity;
	long hosts;
} rule_row;

static int by_hosts(const void *a, const void *b)
{
	const rule_row *x = a, *y = b;
	return x->hosts != y->hosts ? (x->hosts < y->hosts ? 1 : -1) : strcmp(x->id, y->id);
}

static void failing_rules(ui_page *p, const ui_hosts *hs)
{
	rule_row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < hs->n; i++) {
		size_t k;
		const json_t *r;
		json_array_foreach(json_object_get(hs->h[i].report, "results"), k, r)
		{
			if (strcmp(ui_jstr(r, "status"), "fail"))
				continue;
			char id[300];
			snprintf(id, sizeof id, "%s:%s", ui_jstr(r, "pack"), ui_jstr(r, "id"));
			size_t x = 0;
			while (x < n && strcmp(rows[x].id, id))
				x++;
			if (x == n) {
				if (n == cap) {
					cap = cap ? cap * 2 : 32;
					rule_row *nr = realloc(rows, cap * sizeof *nr);
					if (!nr) {
						free(rows);
						return;
					}
					rows = nr;
				}
				rows[n] = (rule_row){.title = json_object_get(r, "title"),
						     .severity = ui_jstr(r, "severity")};
				snprintf(rows[n].id, sizeof rows[n].id, "%s", id);
				n++;
			}
			rows[x].hosts++;
		}
	}
	if (n)
		qsort(rows, n, sizeof *rows, by_hosts);
	html_elem(p->out, "h2", L_(p->lang, "Rules failing on the most hosts"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"top-rules\">\n<tr><th>");
	html_text(p->out, L_(p->lang, "Rule"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Severity"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Hosts failing"));
	html_lit(p->out, "</th></tr>\n");
	for (size_t x = 0; x < n && x < TOP; x++) {
		char q[700], href[800];
		ui_url_escape(rows[x].id, q, sizeof q);
		snprintf(href, sizeof href, "/ui/rule?id=%s", q);
		html_lit(p->out, "<tr><td>");
		html_elem(p->out, "a", report_tr(rows[x].title, p->lang), "href", href, NULL);
		html_lit(p->out, "</td><td>");
		html_text(p->out, report_severity_label(rows[x].severity, p->lang));
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%ld", rows[x].hosts);
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
	if (!n)
		html_elem(p->out, "p", L_(p->lang, "No rule fails on any host."), NULL);
	free(rows);
}

static int by_score(const void *a, const void *b)
{
	const ui_host *x = *(const ui_host *const *)a, *y = *(const ui_host *const *)b;
	return x->score != y->score ? (x->score < y->score ? -1 : 1) : strcasecmp(x->name, y->name);
}

static void score_cell(FILE *o, double s)
{
	if (isnan(s))
		html_lit(o, "–");
	else
		html_textf(o, "%.1f", s);
}

static void worst(ui_page *p, const ui_hosts *hs)
{
	const ui_host **w = calloc(hs->n ? hs->n : 1, sizeof *w);
	size_t n = 0;
	for (size_t i = 0; w && i < hs->n; i++)
		if (!isnan(hs->h[i].score))
			w[n++] = &hs->h[i];
	if (n)
		qsort(w, n, sizeof *w, by_score);
	html_elem(p->out, "h2", L_(p->lang, "Worst hosts"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"worst\">\n<tr><th>");
	html_text(p->out, L_(p->lang, "Host"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Score"));
	html_lit(p->out, "</th></tr>\n");
	for (size_t i = 0; i < n && i < TOP; i++) {
		html_lit(p->out, "<tr><td>");
		ui_host_link(p->out, w[i]->name);
		html_lit(p->out, "</td><td class=\"n\">");
		score_cell(p->out, w[i]->score);
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
	free(w);
}

typedef struct exc_ctx {
	ui_page *p;
	ui_hosts *hs;
	char today[16], soon[16];
	size_t shown;
} exc_ctx;

static int on_exception(void *ctx, const store_exception *e)
{
	exc_ctx *c = ctx;
	FILE *o = c->p->out;
	if (!ui_hosts_find(c->hs, e->host_name) || strncmp(e->until, c->soon, 10) > 0)
		return 0;
	bool expired = strncmp(e->until, c->today, 10) < 0;
	html_lit(o, "<tr><td>");
	ui_host_link(o, e->host_name);
	html_lit(o, "</td><td>");
	html_text(o, e->rule);
	html_lit(o, "</td><td>");
	html_text(o, e->until);
	if (expired)
		html_lit(o, "</td><td class=\"bad\">");
	else
		html_lit(o, "</td><td>");
	html_text(o, expired ? L_(c->p->lang, "expired") : L_(c->p->lang, "expires soon"));
	html_lit(o, "</td><td>");
	html_text(o, e->approved_by);
	html_lit(o, "</td><td>");
	html_text(o, e->reason);
	html_lit(o, "</td></tr>\n");
	c->shown++;
	return 0;
}

static void exceptions(ui_page *p, ui_hosts *hs, int64_t now)
{
	exc_ctx c = {.p = p, .hs = hs};
	ui_date(now, c.today);
	ui_date(now + (int64_t)EXPIRING_DAYS * 86400, c.soon);
	html_elem(p->out, "h2", L_(p->lang, "Exceptions expiring within 30 days or expired"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"exceptions\">\n<tr><th>");
	const char *cols[] = {L_(p->lang, "Host"), L_(p->lang, "Rule"), L_(p->lang, "Until"),
			      L_(p->lang, "State"), L_(p->lang, "Approved by"),
			      L_(p->lang, "Reason")};
	for (size_t i = 0; i < 6; i++) {
		if (i)
			html_lit(p->out, "</th><th>");
		html_text(p->out, cols[i]);
	}
	html_lit(p->out, "</th></tr>\n");
	char err[300];
	/* those claimed by a report of the last stale window */
	if (store_each_exception(p->st, p->org_id, now - p->env->cfg->stale_days * 86400, now + 86400,
				 on_exception, &c, err, sizeof err) < 0)
		log_line("console: %s", err);
	html_lit(p->out, "</table>\n");
	if (!c.shown)
		html_elem(p->out, "p", L_(p->lang, "None."), NULL);
}

/* Every host, with the inventory's columns (each value a filter link). */
static void hosts(ui_page *p, const ui_hosts *hs, int64_t now)
{
	const char *cols[32];
	size_t nc = 0;
	for (size_t i = 0; i < hs->n; i++) {
		const char *key;
		json_t *v;
		json_object_foreach(hs->h[i].inv, key, v)
		{
			size_t c = 0;
			while (c < nc && strcmp(cols[c], key))
				c++;
			if (c == nc && nc < 32)
				cols[nc++] = key;
		}
	}
	html_elem(p->out, "h2", L_(p->lang, "Hosts"), NULL);
	/* the filter: one box per inventory column; GET, changes nothing */
	if (nc) {
		html_lit(p->out, "<form method=\"get\" action=\"/ui/fleet\" id=\"filter-form\">");
		for (size_t c = 0; c < nc; c++) {
			html_lit(p->out, "<label>");
			html_text(p->out, cols[c]);
			html_lit(p->out, " ");
			html_open(p->out, "input", "name", cols[c], "size", "10", "value",
				  ui_arg(p, cols[c]), NULL);
			html_lit(p->out, "</label>");
		}
		html_open(p->out, "button", "type", "submit", NULL);
		html_text(p->out, L_(p->lang, "Filter"));
		html_lit(p->out, "</button></form>\n");
	}
	html_lit(p->out, "<table class=\"grid\" id=\"hosts\">\n<tr><th>");
	html_text(p->out, L_(p->lang, "Host"));
	for (size_t c = 0; c < nc; c++) {
		html_lit(p->out, "</th><th>");
		html_text(p->out, cols[c]);
	}
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Last report"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Score"));
	html_lit(p->out, "</th></tr>\n");
	for (size_t i = 0; i < hs->n; i++) {
		const ui_host *h = &hs->h[i];
		html_lit(p->out, "<tr><td>");
		ui_host_link(p->out, h->name);
		for (size_t c = 0; c < nc; c++) {
			html_lit(p->out, "</td><td>");
			const char *v = json_string_value(json_object_get(h->inv, cols[c]));
			if (v && *v) {
				char qk[200], qv[600], href[900];
				ui_url_escape(cols[c], qk, sizeof qk);
				ui_url_escape(v, qv, sizeof qv);
				snprintf(href, sizeof href, "/ui/fleet?%s=%s", qk, qv);
				html_elem(p->out, "a", v, "href", href, NULL);
			}
		}
		html_lit(p->out, "</td><td>");
		char day[16] = "";
		if (h->finished)
			ui_date(h->finished, day);
		html_text(p->out, day);
		if (expected(h) && stale(p, h, now)) {
			html_lit(p->out, " <span class=\"bad\">");
			html_text(p->out, L_(p->lang, "stale"));
			html_lit(p->out, "</span>");
		}
		html_lit(p->out, "</td><td class=\"n\">");
		score_cell(p->out, h->score);
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
}

void ui_fleet_get(ui_page *p)
{
	ui_hosts hs;
	if (ui_hosts_load(p, true, NULL, &hs) != 0) {
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
		return;
	}
	int64_t now = (int64_t)time(NULL);
	ui_begin(p, L_(p->lang, "Fleet overview"));
	ui_filter_line(p, NULL);
	counts(p, &hs, now);
	trend(p, &hs, now);
	failing_rules(p, &hs);
	worst(p, &hs);
	exceptions(p, &hs, now);
	articles(p, &hs);
	hosts(p, &hs, now);
	ui_end(p);
	ui_hosts_free(&hs);
}
