/* SPDX-License-Identifier: Apache-2.0 */
/* GET /v1/hosts (every host known, by name, paginated), GET
 * /v1/hosts/{hostname} (its state and its latest report's results with
 * the evidence they read), GET /v1/hosts/{hostname}/reports (its reports'
 * summaries, newest first, paginated). */
#define _GNU_SOURCE
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api.h"
#include "fleet.h"

#define HOSTS_DEFAULT 100
#define HOSTS_MAX 1000
#define REPORTS_DEFAULT 50
#define REPORTS_MAX 500

int api_hosts(api_call *c)
{
	long limit;
	if (!api_limit(c, HOSTS_DEFAULT, HOSTS_MAX, &limit))
		return api_error(c, 400, "limit: a number from 1 to %d", HOSTS_MAX);
	int64_t from = 0, zero;
	const char *cursor = c->query(c->q, "cursor");
	if (cursor && (!api_cursor_read(cursor, &from, &zero) || from < 0 || zero != 0))
		return api_error(c, 400, "cursor: not one this collector gave");
	/* ?column=department&value=sales: the hosts whose inventory says so */
	const char *column = c->query(c->q, "column"), *value = c->query(c->q, "value");
	if (!column != !value)
		return api_error(c, 400, "column and value go together");
	fleet *f = api_fleet_model(c, -1);
	if (!f)
		return 0;
	json_t *items = json_array();
	size_t i, total = 0, next_i = f->n_hosts;
	for (i = 0; i < f->n_hosts; i++) {
		const fleet_host *h = &f->hosts[i];
		const char *v = column ? json_string_value(json_object_get(h->inventory, column))
				       : NULL;
		if (column && (!v || strcmp(v, value) != 0))
			continue;
		total++;
		if (i < (size_t)from)
			continue;
		if (json_array_size(items) == (size_t)limit) {
			if (next_i == f->n_hosts)
				next_i = i; /* the next page starts here */
			continue;
		}
		json_array_append_new(items, fleet_host_json(f, h));
	}
	json_t *body = json_pack("{s:o,s:I}", "hosts", items, "total", (json_int_t)total);
	i = next_i;
	if (i < f->n_hosts) {
		char next[64];
		api_cursor_make((int64_t)i, 0, next);
		json_object_set_new(body, "next_cursor", json_string(next));
	} else {
		json_object_set_new(body, "next_cursor", json_null());
	}
	api_json(c, 200, body);
	fleet_free(f);
	return 0;
}

/* The facts a result names, with their evidence, from the report. */
static json_t *evidence_of(const json_t *report, const json_t *result)
{
	json_t *out = json_object(), *facts = json_object_get(report, "facts");
	size_t i;
	json_t *name;
	json_array_foreach(json_object_get(result, "facts"), i, name) {
		const char *n = json_string_value(name);
		json_t *fact = n ? json_object_get(facts, n) : NULL;
		if (fact)
			json_object_set(out, n, fact);
	}
	return out;
}

int api_host(api_call *c)
{
	fleet *f = api_fleet_model(c, -1);
	if (!f)
		return 0;
	const fleet_host *h = fleet_host_find(f, c->arg);
	if (!h) {
		fleet_free(f);
		return api_error(c, 404, "no host %s", c->arg);
	}
	json_t *body = fleet_host_json(f, h);
	json_t *results = json_array();
	const char *body_state = "none";
	if (h->report_id[0]) {
		char *text = NULL, err[300];
		size_t len;
		int rc = store_export(c->s, c->who->org_id, h->report_id, &text, &len, err,
				      sizeof err);
		json_t *rep = rc == 1 ? json_loadb(text, len, 0, NULL) : NULL;
		free(text);
		if (rc < 0) {
			json_decref(body);
			json_decref(results);
			fleet_free(f);
			log_line("api: %s", err);
			return api_error(c, 503, "the store is busy or unreadable, try again");
		}
		body_state = rc == 2 ? "removed by retention" : rep ? "stored" : "unreadable";
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(rep, "results"), i, r) {
			json_t *o = json_deep_copy(r);
			json_object_set_new(o, "evidence", evidence_of(rep, r));
			json_array_append_new(results, o);
		}
		json_decref(rep);
	}
	json_object_set_new(body, "latest_results", results);
	json_object_set_new(body, "latest_body", json_string(body_state));
	api_json(c, 200, body);
	fleet_free(f);
	return 0;
}

typedef struct page {
	json_t *items;
	long limit;
	int64_t last_fin, last_row;
	bool more;
} page;

static int on_report(void *x, const store_report *r)
{
	page *p = x;
	if ((long)json_array_size(p->items) == p->limit) {
		p->more = true; /* the one asked for beyond the page */
		return 1;
	}
	char fin[21], rec[21];
	rfc3339_format(r->finished_at, fin);
	rfc3339_format(r->received_at, rec);
	json_t *d = r->digest ? json_loads(r->digest, 0, NULL) : NULL;
	json_t *failing = json_array();
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(d, "failing"), i, v)
		json_array_append(failing, json_object_get(v, "rule"));
	json_t *t = json_object_get(d, "t");
	json_array_append_new(
		p->items,
		json_pack("{s:s,s:s,s:s,s:o,s:O,s:o,s:s,s:b,s:s}", "report_id", r->report_id,
			  "finished_at", fin, "received_at", rec, "score",
			  isnan(r->score) ? json_null() : json_real(r->score), "results",
			  t ? t : json_null(), "failing", failing, "body_sha256", r->body_sha256,
			  "hostname_mismatch", r->mismatch, "claimed_hostname",
			  r->claimed_host ? r->claimed_host : ""));
	json_decref(d);
	p->last_fin = r->finished_at;
	p->last_row = r->row_id;
	return 0;
}

int api_host_reports(api_call *c)
{
	page p = {.last_fin = INT64_MAX, .last_row = INT64_MAX};
	if (!api_limit(c, REPORTS_DEFAULT, REPORTS_MAX, &p.limit))
		return api_error(c, 400, "limit: a number from 1 to %d", REPORTS_MAX);
	int64_t bf = INT64_MAX, br = INT64_MAX;
	const char *cursor = c->query(c->q, "cursor");
	if (cursor && !api_cursor_read(cursor, &bf, &br))
		return api_error(c, 400, "cursor: not one this collector gave");
	int64_t id;
	char name[256], err[300];
	int known = store_host_in_org(c->s, c->who->org_id, c->arg, &id, name, sizeof name);
	/* a revoked host keeps its history: any host row will do */
	if (known == 0) {
		fleet *f = api_fleet_model(c, -1);
		if (!f)
			return 0;
		known = fleet_host_find(f, c->arg) ? 1 : 0;
		fleet_free(f);
	}
	if (known < 0)
		return api_error(c, 503, "the store is busy, try again");
	if (known == 0)
		return api_error(c, 404, "no host %s", c->arg);
	p.items = json_array();
	int rc = store_each_host_report(c->s, c->who->org_id, c->arg, bf, br, p.limit + 1,
					on_report, &p, err, sizeof err);
	if (rc < 0) {
		json_decref(p.items);
		log_line("api: %s", err);
		return api_error(c, 503, "the store is busy or unreadable, try again");
	}
	json_t *body = json_pack("{s:s,s:o}", "hostname", c->arg, "reports", p.items);
	if (p.more) {
		char next[64];
		api_cursor_make(p.last_fin, p.last_row, next);
		json_object_set_new(body, "next_cursor", json_string(next));
	} else {
		json_object_set_new(body, "next_cursor", json_null());
	}
	return api_json(c, 200, body);
}
