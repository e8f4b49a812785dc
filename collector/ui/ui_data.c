/* SPDX-License-Identifier: Apache-2.0 */
/* The console's reads of the store (ui_data.h). */
#define _GNU_SOURCE
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostaudit/html.h"
#include "i18n.h"
#include "ui_data.h"

typedef struct loader {
	ui_hosts *hs;
	size_t cap;
} loader;

static ui_host *add(loader *l, const char *name)
{
	ui_host *h = ui_hosts_find(l->hs, name);
	if (h)
		return h;
	if (l->hs->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		ui_host *n = realloc(l->hs->h, cap * sizeof *n);
		if (!n)
			return NULL;
		l->hs->h = n;
		l->cap = cap;
	}
	h = &l->hs->h[l->hs->n++];
	memset(h, 0, sizeof *h);
	snprintf(h->name, sizeof h->name, "%s", name);
	h->score = NAN;
	return h;
}

ui_host *ui_hosts_find(ui_hosts *hs, const char *name)
{
	for (size_t i = 0; i < hs->n; i++)
		if (!strcasecmp(hs->h[i].name, name))
			return &hs->h[i];
	return NULL;
}

static int on_host(void *ctx, const store_host *sh)
{
	ui_host *h = add(ctx, sh->name);
	if (!h)
		return 1;
	h->enrolled = sh->token_sha256 != NULL;
	return 0;
}

static int on_inventory(void *ctx, const char *hostname, const char *attributes)
{
	ui_host *h = add(ctx, hostname);
	if (!h)
		return 1;
	h->inv = json_loads(attributes ? attributes : "{}", 0, NULL);
	return 0;
}

static int on_latest(void *ctx, const char *host, const char *report_id)
{
	ui_host *h = ui_hosts_find(((loader *)ctx)->hs, host);
	if (h && report_id)
		snprintf(h->report_id, sizeof h->report_id, "%s", report_id);
	return 0;
}

typedef struct filter_ctx {
	const ui_host *h;
	const json_t *inv;      /* when h is NULL and this set: these columns */
	const char *skip;
	bool keep, any;
} filter_ctx;

static enum MHD_Result filter_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				  const char *value)
{
	filter_ctx *f = cls;
	(void)kind;
	if (!value || !*value || (f->skip && !strcmp(key, f->skip)))
		return MHD_YES;
	f->any = true;
	const json_t *inv = f->h ? f->h->inv : f->inv;
	const char *have = json_string_value(json_object_get(inv, key));
	if ((f->h || f->inv) && (!have || strcasecmp(have, value)))
		f->keep = false;
	return MHD_YES;
}

bool ui_filter_keeps(ui_page *p, const json_t *inventory, const char *skip)
{
	/* an empty object: a host outside the inventory has no column */
	json_t *none = inventory ? NULL : json_object();
	filter_ctx f = {NULL, inventory ? inventory : none, skip, true, false};
	MHD_get_connection_values(p->conn, MHD_GET_ARGUMENT_KIND, filter_arg, &f);
	json_decref(none);
	return f.keep;
}

static int by_name(const void *a, const void *b)
{
	return strcasecmp(((const ui_host *)a)->name, ((const ui_host *)b)->name);
}

static void load_report(store *s, int64_t org_id, ui_host *h)
{
	char *body = NULL, err[300];
	size_t len = 0;
	if (store_export(s, org_id, h->report_id, &body, &len, err, sizeof err) != 1)
		return;
	h->report = json_loadb(body, len, 0, NULL);
	free(body);
	const char *fin = json_string_value(json_object_get(h->report, "finished_at"));
	if (fin)
		rfc3339_parse(fin, &h->finished);
	const json_t *sc = json_object_get(json_object_get(json_object_get(h->report, "scores"),
							   "overall"), "score");
	if (json_is_number(sc))
		h->score = json_number_value(sc);
}

int ui_hosts_load(ui_page *p, bool with_reports, const char *skip, ui_hosts *out)
{
	memset(out, 0, sizeof *out);
	loader l = {out, 0};
	char err[300];
	if (store_each_host(p->st, p->org_id, on_host, &l, err, sizeof err) != 0 ||
	    store_each_inventory(p->st, p->org_id, on_inventory, &l, err, sizeof err) != 0 ||
	    store_each_latest(p->st, p->org_id, on_latest, &l, err, sizeof err) != 0) {
		log_line("console: %s", err);
		ui_hosts_free(out);
		return -1;
	}
	size_t kept = 0;
	for (size_t i = 0; i < out->n; i++) {
		filter_ctx f = {&out->h[i], NULL, skip, true, false};
		MHD_get_connection_values(p->conn, MHD_GET_ARGUMENT_KIND, filter_arg, &f);
		if (f.keep)
			out->h[kept++] = out->h[i];
		else
			json_decref(out->h[i].inv);
	}
	out->n = kept;
	qsort(out->h, out->n, sizeof *out->h, by_name);
	for (size_t i = 0; with_reports && i < out->n; i++)
		if (out->h[i].report_id[0])
			load_report(p->st, p->org_id, &out->h[i]);
	return 0;
}

void ui_hosts_free(ui_hosts *hs)
{
	for (size_t i = 0; i < hs->n; i++) {
		json_decref(hs->h[i].inv);
		json_decref(hs->h[i].report);
	}
	free(hs->h);
	memset(hs, 0, sizeof *hs);
}

static enum MHD_Result chip(void *cls, enum MHD_ValueKind kind, const char *key,
			    const char *value)
{
	filter_ctx *f = cls;
	ui_page *p = (ui_page *)(uintptr_t)f->h; /* the page, in this walk */
	(void)kind;
	if (!value || !*value || (f->skip && !strcmp(key, f->skip)))
		return MHD_YES;
	f->any = true;
	html_lit(p->out, " <span class=\"badge\">");
	html_text(p->out, key);
	html_lit(p->out, " = ");
	html_text(p->out, value);
	html_lit(p->out, "</span>");
	return MHD_YES;
}

bool ui_filter_line(ui_page *p, const char *skip)
{
	filter_ctx f = {NULL, NULL, skip, true, false};
	MHD_get_connection_values(p->conn, MHD_GET_ARGUMENT_KIND, filter_arg, &f);
	if (!f.any)
		return false;
	html_lit(p->out, "<p class=\"note\" id=\"filter\">");
	html_text(p->out, L_(p->lang, "Only the hosts with"));
	filter_ctx c = {(const ui_host *)(uintptr_t)p, NULL, skip, true, false};
	MHD_get_connection_values(p->conn, MHD_GET_ARGUMENT_KIND, chip, &c);
	html_lit(p->out, " · <a href=\"/ui/fleet\">");
	html_text(p->out, L_(p->lang, "all hosts"));
	html_lit(p->out, "</a></p>\n");
	return true;
}

/* ---- histories ---- */

typedef struct hist_ctx {
	const char *host;
	ui_history *h;
	size_t cap;
	char ***names;
} hist_ctx;

static int on_report(void *ctx, const store_report *r)
{
	hist_ctx *c = ctx;
	if (c->host && strcasecmp(c->host, r->host_name))
		return 0;
	if (c->h->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		ui_report_row *n = realloc(c->h->r, cap * sizeof *n);
		if (!n)
			return 1;
		c->h->r = n;
		if (c->names) {
			char **nn = realloc(*c->names, cap * sizeof *nn);
			if (!nn)
				return 1;
			*c->names = nn;
		}
		c->cap = cap;
	}
	ui_report_row *row = &c->h->r[c->h->n];
	snprintf(row->report_id, sizeof row->report_id, "%s", r->report_id);
	row->finished = r->finished_at;
	row->score = r->score;
	row->summary = strdup(r->summary ? r->summary : "");
	if (c->names)
		(*c->names)[c->h->n] = strdup(r->host_name);
	c->h->n++;
	return 0;
}

int ui_history_load(store *s, int64_t org_id, const char *host, int64_t from, int64_t to,
		    ui_history *out, char ***names)
{
	memset(out, 0, sizeof *out);
	if (names)
		*names = NULL;
	hist_ctx c = {host, out, 0, names};
	char err[300];
	int rc = store_each_report(s, org_id, from, to, on_report, &c, err, sizeof err);
	if (rc < 0)
		log_line("console: %s", err);
	return rc == 0 ? 0 : -1;
}

void ui_history_free(ui_history *h, char **names)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->r[i].summary);
		if (names)
			free(names[i]);
	}
	free(h->r);
	free(names);
	memset(h, 0, sizeof *h);
}

char ui_summary_status(const char *summary, const char *rule)
{
	size_t n = strlen(rule);
	for (const char *l = summary; l && *l;) {
		if (!strncmp(l, rule, n) && l[n] == '=')
			return l[n + 1];
		l = strchr(l, '\n');
		l = l ? l + 1 : NULL;
	}
	return 0;
}

const char *ui_jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}
