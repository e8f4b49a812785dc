/* SPDX-License-Identifier: Apache-2.0 */
/* The console's reads of the store (ui_data.h). */
#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "hostaudit/html.h"
#include "i18n.h"
#include "ui_data.h"

typedef struct filter_ctx {
	ui_page *p;             /* chip(): the page written to */
	const json_t *inv;      /* filter_arg(): these columns; NULL: none judged */
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
	const char *have = json_string_value(json_object_get(f->inv, key));
	if (f->inv && (!have || strcasecmp(have, value)))
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

fleet *ui_fleet_load(ui_page *p, long trend_days)
{
	char err[300];
	fleet_options o = {.stale_days = p->env->cfg->stale_days, .trend_days = trend_days};
	fleet *f = fleet_load(p->st, p->org_id, &o, err, sizeof err);
	if (!f) {
		log_line("console: %s", err);
		ui_refused(p, 503, L_(p->lang, "The database is busy; try again."));
	}
	return f;
}

static enum MHD_Result chip(void *cls, enum MHD_ValueKind kind, const char *key,
			    const char *value)
{
	filter_ctx *f = cls;
	ui_page *p = f->p;
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
	filter_ctx c = {p, NULL, skip, true, false};
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

const char *ui_jstr(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s ? s : "";
}
