/* SPDX-License-Identifier: Apache-2.0 */
/* /ui/fleet: the morning's view, from the fleet model (collector/fleet.h)
 * that the read API and /metrics use too, so they count alike. Hosts
 * expected, reporting and stale; the fleet's score over 90 days (inline
 * SVG); the rules failing on the most hosts; the worst hosts; exceptions
 * expiring within 30 days or expired; compliance per checklist article;
 * every host with its inventory columns. Any inventory column filters it
 * all (?department=Sales): the figures are then those of the hosts kept,
 * summed from the model's per-host figures by the model's own rules. */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fleet.h"
#include "hostaudit/html.h"
#include "hostaudit/report.h"
#include "i18n.h"
#include "ui.h"
#include "ui_data.h"

enum { TOP = 10 };

typedef struct view {
	ui_page *p;
	fleet *f;
	bool *keep;        /* per f->hosts: passes the filter */
	bool filtered;
	json_t *titles;    /* "pack:article" and "pack" -> {en, ja}, from reports */
} view;

/* A current host: expected and reporting within stale_days (fleet.c). */
static bool current(const view *v, size_t i)
{
	return v->keep[i] && v->f->hosts[i].expected && !v->f->hosts[i].stale;
}

static void card(FILE *o, const char *label, long n, const char *id)
{
	html_lit(o, "<div class=\"card\"><div>");
	html_text(o, label);
	html_lit(o, "</div>");
	char s[24];
	snprintf(s, sizeof s, "%ld", n);
	html_elem(o, "div", s, "class", "big", "id", id, NULL);
	html_lit(o, "</div>\n");
}

static void counts(view *v)
{
	long exp = 0, rep = 0;
	for (size_t i = 0; i < v->f->n_hosts; i++)
		if (v->keep[i] && v->f->hosts[i].expected) {
			exp++;
			rep += !v->f->hosts[i].stale;
		}
	FILE *o = v->p->out;
	html_lit(o, "<div class=\"cards\">\n");
	card(o, L_(v->p->lang, "Hosts expected"), exp, "expected");
	card(o, L_(v->p->lang, "Reporting"), rep, "reporting");
	card(o, L_(v->p->lang, "Stale"), exp - rep, "stale");
	html_lit(o, "</div>\n");
	char note[200];
	snprintf(note, sizeof note, L_(v->p->lang, "Stale: no report for over %ld days."),
		 v->f->stale_days);
	html_elem(o, "p", note, "class", "note", NULL);
}

/* Each day: the mean of the last score of that day of each host that
 * reported that day (fleet.h's trend); for a filter, of the hosts kept. */
static void trend(view *v)
{
	ui_page *p = v->p;
	size_t n = v->f->n_trend;
	html_elem(p->out, "h2", L_(p->lang, "Fleet score, last 90 days"), NULL);
	if (!n)
		return;
	double *vals = calloc(n, sizeof *vals);
	if (!vals)
		return;
	int64_t from = v->f->trend[0].day;
	for (size_t d = 0; d < n; d++)
		vals[d] = v->f->trend[d].mean_score;
	ui_history hist;
	char **names;
	if (v->filtered &&
	    ui_history_load(p->st, p->org_id, NULL, from, from + (int64_t)n * 86400, &hist, &names) == 0) {
		double *sum = calloc(n, sizeof *sum);
		long *cnt = calloc(n, sizeof *cnt);
		for (size_t k = 0; sum && cnt && k < hist.n; k++) {
			const fleet_host *h = fleet_host_find(v->f, names[k]);
			if (!h || !v->keep[h - v->f->hosts] || isnan(hist.r[k].score))
				continue;
			size_t d = (size_t)((hist.r[k].finished - from) / 86400);
			/* rows are host by host in time order: the last of a day wins */
			bool same = k + 1 < hist.n && !strcmp(names[k + 1], names[k]) &&
				    (size_t)((hist.r[k + 1].finished - from) / 86400) == d &&
				    !isnan(hist.r[k + 1].score);
			if (d < n && !same) {
				sum[d] += hist.r[k].score;
				cnt[d]++;
			}
		}
		for (size_t d = 0; sum && cnt && d < n; d++)
			vals[d] = cnt[d] ? sum[d] / (double)cnt[d] : NAN;
		free(sum);
		free(cnt);
		ui_history_free(&hist, names);
	}
	char first[16], last[16];
	ui_date(from, first);
	ui_date(v->f->trend[n - 1].day, last);
	ui_chart(p->out, vals, n, first, last, L_(p->lang, "Fleet score, last 90 days"));
	free(vals);
}

/* ---- the most failing rules ---- */

typedef struct rule_row {
	const fleet_failure *fl;
	long hosts;
} rule_row;

static int by_hosts(const void *a, const void *b)
{
	const rule_row *x = a, *y = b;
	if (x->hosts != y->hosts)
		return x->hosts > y->hosts ? -1 : 1;
	int s = fleet_severity_rank(y->fl->severity) - fleet_severity_rank(x->fl->severity);
	return s ? s : strcmp(x->fl->rule, y->fl->rule);
}

static void failing_rules(view *v)
{
	ui_page *p = v->p;
	rule_row *rows = NULL;
	size_t n = 0, cap = 0;
	for (size_t i = 0; i < v->f->n_hosts; i++) {
		const fleet_host *h = &v->f->hosts[i];
		for (size_t k = 0; current(v, i) && k < h->n_failing; k++) {
			const fleet_failure *fl = &h->failing[k];
			size_t x = 0;
			while (x < n && (strcmp(rows[x].fl->rule, fl->rule) ||
					 strcmp(rows[x].fl->pack, fl->pack)))
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
				rows[n++] = (rule_row){fl, 0};
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
		char id[200], q[700], href[800];
		snprintf(id, sizeof id, "%s:%s", rows[x].fl->pack, rows[x].fl->rule);
		const fleet_rule *r = fleet_rule_find(v->f, id);
		if (!r)
			r = fleet_rule_find(v->f, rows[x].fl->rule);
		const char *title = !r ? id
				    : !strcmp(p->lang, "ja") && r->title_ja[0] ? r->title_ja
				    : r->title_en[0] ? r->title_en
						     : id;
		ui_url_escape(id, q, sizeof q);
		snprintf(href, sizeof href, "/ui/rule?id=%s", q);
		html_lit(p->out, "<tr><td>");
		html_elem(p->out, "a", title, "href", href, NULL);
		html_lit(p->out, "</td><td>");
		html_text(p->out, report_severity_label(rows[x].fl->severity, p->lang));
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%ld", rows[x].hosts);
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
	if (!n)
		html_elem(p->out, "p", L_(p->lang, "No rule fails on any host."), NULL);
	free(rows);
}

/* ---- the worst hosts: fleet_by_worst (lowest score, most failures) ---- */

static void score_cell(FILE *o, double s)
{
	if (isnan(s))
		html_lit(o, "–");
	else
		html_textf(o, "%.1f", s);
}

static void worst(view *v)
{
	ui_page *p = v->p;
	size_t *w = calloc(v->f->n_hosts + 1, sizeof *w), n = 0;
	for (size_t i = 0; w && i < v->f->n_hosts; i++)
		if (current(v, i))
			w[n++] = i;
	if (n)
		qsort_r(w, n, sizeof *w, fleet_by_worst, v->f);
	html_elem(p->out, "h2", L_(p->lang, "Worst hosts"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"worst\">\n<tr><th>");
	html_text(p->out, L_(p->lang, "Host"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Score"));
	html_lit(p->out, "</th><th>");
	html_text(p->out, L_(p->lang, "Failing rules"));
	html_lit(p->out, "</th></tr>\n");
	for (size_t i = 0; i < n && i < TOP; i++) {
		const fleet_host *h = &v->f->hosts[w[i]];
		html_lit(p->out, "<tr><td>");
		ui_host_link(p->out, h->name);
		html_lit(p->out, "</td><td class=\"n\">");
		score_cell(p->out, h->score);
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%zu", h->n_failing);
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
	free(w);
}

static void exceptions(view *v)
{
	ui_page *p = v->p;
	FILE *o = p->out;
	html_elem(o, "h2", L_(p->lang, "Exceptions expiring within 30 days or expired"), NULL);
	html_lit(o, "<table class=\"grid\" id=\"exceptions\">\n<tr><th>");
	const char *cols[] = {L_(p->lang, "Host"), L_(p->lang, "Rule"), L_(p->lang, "Until"),
			      L_(p->lang, "State"), L_(p->lang, "Approved by"),
			      L_(p->lang, "Reason")};
	for (size_t i = 0; i < 6; i++) {
		if (i)
			html_lit(o, "</th><th>");
		html_text(o, cols[i]);
	}
	html_lit(o, "</th></tr>\n");
	size_t shown = 0;
	for (size_t i = 0; i < v->f->n_exceptions; i++) {
		const fleet_exception *e = &v->f->exceptions[i];
		const fleet_host *h = fleet_host_find(v->f, e->host);
		if (h && !v->keep[h - v->f->hosts])
			continue;
		html_lit(o, "<tr><td>");
		ui_host_link(o, e->host);
		html_lit(o, "</td><td>");
		html_text(o, e->rule);
		html_lit(o, "</td><td>");
		html_text(o, e->until);
		if (e->expired) {
			html_lit(o, "</td><td class=\"bad\">");
			html_text(o, e->claimed ? L_(p->lang, "expired, still claimed")
						: L_(p->lang, "expired"));
		} else {
			html_lit(o, "</td><td>");
			char left[100];
			snprintf(left, sizeof left, L_(p->lang, "expires in %ld days"), e->days_left);
			html_text(o, left);
		}
		html_lit(o, "</td><td>");
		html_text(o, e->approved_by);
		html_lit(o, "</td><td>");
		html_text(o, e->reason);
		html_lit(o, "</td></tr>\n");
		shown++;
	}
	html_lit(o, "</table>\n");
	if (!shown)
		html_elem(o, "p", L_(p->lang, "None."), NULL);
}

/* ---- per checklist article ---- */

/* The titles of packs and articles, from the newest reports (the model
 * keeps numbers only): "pack" and "pack:article" -> {en, ja}. */
static void load_titles(view *v)
{
	v->titles = json_object();
	for (size_t i = 0; i < v->f->n_hosts && v->titles; i++) {
		const fleet_host *h = &v->f->hosts[i];
		bool missing = false;
		for (size_t k = 0; k < h->n_articles && !missing; k++)
			missing = !json_object_get(v->titles, h->articles[k].key);
		if (!missing || !h->report_id[0])
			continue;
		char *body = NULL, err[300];
		size_t len = 0;
		if (store_export(v->p->st, v->p->org_id, h->report_id, &body, &len, err, sizeof err) != 1)
			continue;
		json_t *rep = json_loadb(body, len, 0, NULL);
		free(body);
		size_t a;
		const json_t *pk;
		json_array_foreach(json_object_get(json_object_get(rep, "scores"), "packs"), a, pk)
		{
			const json_t *meta = json_array_get(json_object_get(rep, "packs"), a);
			const char *pack_id = ui_jstr(meta, "id");
			json_object_set(v->titles, pack_id, json_object_get(meta, "title"));
			size_t k;
			const json_t *art;
			json_array_foreach(json_object_get(pk, "articles"), k, art)
			{
				char key[100];
				snprintf(key, sizeof key, "%s:%lld", pack_id,
					 json_integer_value(json_object_get(art, "article")));
				json_object_set(v->titles, key, json_object_get(art, "title"));
			}
		}
		json_decref(rep);
	}
}

static void articles(view *v)
{
	ui_page *p = v->p;
	/* the model's articles when unfiltered; else summed the same way */
	fleet_article *rows = NULL;
	size_t n = 0;
	if (!v->filtered) {
		rows = v->f->articles;
		n = v->f->n_articles;
	} else {
		rows = calloc(v->f->n_articles + 1, sizeof *rows);
		for (size_t i = 0; rows && i < v->f->n_hosts; i++) {
			const fleet_host *h = &v->f->hosts[i];
			for (size_t k = 0; current(v, i) && k < h->n_articles; k++) {
				size_t r = 0;
				while (r < n && strcmp(rows[r].key, h->articles[k].key))
					r++;
				if (r == n) {
					if (n == v->f->n_articles)
						continue; /* not in the model: cannot be */
					rows[n] = h->articles[k];
					memset(&rows[n].t, 0, sizeof rows[n].t);
					rows[n].hosts_failing = rows[n].hosts_compliant = 0;
					n++;
				}
				const fleet_tally *t = &h->articles[k].t;
				fleet_tally *s = &rows[r].t;
				s->pass += t->pass;
				s->fail += t->fail;
				s->unknown += t->unknown;
				s->error += t->error;
				s->not_applicable += t->not_applicable;
				s->disabled += t->disabled;
				if (t->fail)
					rows[r].hosts_failing++;
				else if (!t->unknown && !t->error && t->pass)
					rows[r].hosts_compliant++;
			}
		}
		for (size_t r = 0; r < n; r++) {
			long decided = rows[r].t.pass + rows[r].t.fail + rows[r].t.unknown +
				       rows[r].t.error;
			rows[r].compliance = decided ? 100.0 * (double)rows[r].t.pass / (double)decided
						     : NAN;
		}
	}
	load_titles(v);
	html_elem(p->out, "h2", L_(p->lang, "Compliance per checklist article"), NULL);
	html_lit(p->out, "<table class=\"grid\" id=\"articles\">\n<tr><th>");
	const char *cols[] = {L_(p->lang, "Checklist"), L_(p->lang, "No."),
			      L_(p->lang, "Article"), L_(p->lang, "Hosts compliant"),
			      L_(p->lang, "Hosts failing"), L_(p->lang, "Rules passing")};
	for (size_t i = 0; i < 6; i++) {
		if (i)
			html_lit(p->out, "</th><th>");
		html_text(p->out, cols[i]);
	}
	html_lit(p->out, "</th></tr>\n");
	for (size_t r = 0; r < n; r++) {
		html_lit(p->out, "<tr><td>");
		const char *pt = report_tr(json_object_get(v->titles, rows[r].pack), p->lang);
		html_text(p->out, pt && *pt ? pt : rows[r].pack);
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%d", rows[r].article);
		html_lit(p->out, "</td><td>");
		html_text(p->out, report_tr(json_object_get(v->titles, rows[r].key), p->lang));
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%ld", rows[r].hosts_compliant);
		html_lit(p->out, "</td><td class=\"n\">");
		html_textf(p->out, "%ld", rows[r].hosts_failing);
		html_lit(p->out, "</td><td class=\"n\">");
		/* nothing decided: say so, never 0 % or 100 % */
		if (isnan(rows[r].compliance))
			html_text(p->out, L_(p->lang, "not judged"));
		else
			html_textf(p->out, "%.0f%%", rows[r].compliance);
		html_lit(p->out, "</td></tr>\n");
	}
	html_lit(p->out, "</table>\n");
	html_elem(p->out, "p",
		  L_(p->lang, "Rules passing: of the rules decided (unknown counts against)."),
		  "class", "note", NULL);
	if (v->filtered)
		free(rows);
}

/* Every host, with the inventory's columns (each value a filter link). */
static void hosts(view *v)
{
	ui_page *p = v->p;
	const char *cols[32];
	size_t nc = 0;
	for (size_t i = 0; i < v->f->n_hosts; i++) {
		const char *key;
		json_t *val;
		json_object_foreach(v->f->hosts[i].inventory, key, val)
		{
			size_t c = 0;
			while (c < nc && strcmp(cols[c], key))
				c++;
			if (c == nc && nc < 32)
				cols[nc++] = key;
		}
	}
	html_elem(p->out, "h2", L_(p->lang, "Hosts"), NULL);
	/* the filter: one box per inventory column; GET, it changes nothing */
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
	for (size_t i = 0; i < v->f->n_hosts; i++) {
		const fleet_host *h = &v->f->hosts[i];
		if (!v->keep[i])
			continue;
		html_lit(p->out, "<tr><td>");
		ui_host_link(p->out, h->name);
		for (size_t c = 0; c < nc; c++) {
			html_lit(p->out, "</td><td>");
			const char *val = json_string_value(json_object_get(h->inventory, cols[c]));
			if (val && *val) {
				char qk[200], qv[600], href[900];
				ui_url_escape(cols[c], qk, sizeof qk);
				ui_url_escape(val, qv, sizeof qv);
				snprintf(href, sizeof href, "/ui/fleet?%s=%s", qk, qv);
				html_elem(p->out, "a", val, "href", href, NULL);
			}
		}
		html_lit(p->out, "</td><td>");
		char day[16] = "";
		if (h->last_finished)
			ui_date(h->last_finished, day);
		html_text(p->out, day);
		if (h->expected && h->stale) {
			html_lit(p->out, " <span class=\"bad\">");
			html_text(p->out, L_(p->lang, "stale"));
			html_lit(p->out, "</span>");
		} else if (h->retired) {
			html_lit(p->out, " <span class=\"note\">");
			html_text(p->out, L_(p->lang, "retired"));
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
	fleet *f = ui_fleet_load(p, 0);
	if (!f)
		return;
	view v = {.p = p, .f = f, .keep = calloc(f->n_hosts + 1, sizeof(bool))};
	for (size_t i = 0; v.keep && i < f->n_hosts; i++) {
		v.keep[i] = ui_filter_keeps(p, f->hosts[i].inventory, NULL);
		v.filtered |= !v.keep[i];
	}
	ui_begin(p, L_(p->lang, "Fleet overview"));
	v.filtered |= ui_filter_line(p, NULL);
	if (v.keep) {
		counts(&v);
		trend(&v);
		failing_rules(&v);
		worst(&v);
		exceptions(&v);
		articles(&v);
		hosts(&v);
	}
	ui_end(p);
	json_decref(v.titles);
	free(v.keep);
	fleet_free(f);
}
