/* SPDX-License-Identifier: Apache-2.0 */
/* The annual report as JSON (schema hostaudit/annual/v2, docs/annual.md),
 * streamed: each host, rule and evidence line is built, written and
 * freed on its own, so the document never sits in memory whole. */
#define _GNU_SOURCE
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "model.h"

#define FLAGS (JSON_ENCODE_ANY | JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(6))

/* "key": value, (value stolen) */
static void field(FILE *f, const char *key, json_t *v, bool last)
{
	fprintf(f, "\"%s\": ", key); /* keys are literals of this file */
	json_dumpf(v, f, FLAGS);
	json_decref(v);
	fputs(last ? "\n" : ",\n", f);
}

static json_t *cell(const am_cell *c, bool reported)
{
	double r = 0;
	switch (am_cell_of(c, reported, &r)) {
	case CELL_RATE:
		return json_pack("{s:s,s:f,s:I,s:I}", "state", "pass_rate", "pass_rate",
				 floor(r * 10) / 10, "pass", (json_int_t)c->pass, "fail",
				 (json_int_t)c->fail);
	case CELL_UNKNOWN: return json_pack("{s:s}", "state", "unknown");
	case CELL_NA: return json_pack("{s:s}", "state", "not_applicable");
	default: return json_pack("{s:s}", "state", "no_report");
	}
}

static json_t *months(const am_cell *c, uint16_t reported)
{
	json_t *a = json_array();
	for (int i = 0; i < 12; i++)
		json_array_append_new(a, cell(&c[i], (reported >> i) & 1));
	return a;
}

static json_t *checklists(const annual_model *m)
{
	json_t *a = json_array();
	for (size_t k = 0; k <= m->npacks; k++) {
		int p = k == m->npacks ? AM_ALL : (int)k;
		double y = am_overall(m, p);
		json_array_append_new(a, json_pack("{s:s,s:s,s:o,s:o}", "id",
						   p == AM_ALL ? "all" : m->packs[p], "name",
						   am_pack_name(m, p), "monthly",
						   months(m->fleet[p], m->fleet_reported), "year_pass_rate",
						   isnan(y) ? json_null() : json_real(floor(y * 10) / 10)));
	}
	return a;
}

static json_t *rule_json(const annual_model *m, const am_rule *r, bool full)
{
	json_t *o = json_pack("{s:s,s:s,s:s,s:I,s:I,s:I}", "rule", r->name, "checklist",
			      r->pack >= 0 ? m->packs[r->pack] : "", "title", am_rule_title(m, r),
			      "hosts_failing", (json_int_t)r->hosts_failing, "days_failing",
			      (json_int_t)r->fail_days, "failing_at_year_end",
			      (json_int_t)r->last[1]);
	if (!full)
		return o;
	if (r->meta) {
		json_object_set_new(o, "title_en", json_string(am_rule_title_in(r, "en")));
		json_object_set_new(o, "title_ja", json_string(am_rule_title_in(r, "ja")));
		json_object_set_new(o, "article", json_integer(r->meta->article));
		json_object_set_new(o, "severity", json_string(severity_name(r->meta->sev)));
		json_object_set_new(o, "rationale", json_string(am_rule_rationale(m, r)));
	}
	json_object_set_new(o, "hosts", json_integer(r->hosts_seen));
	json_object_set_new(o, "last_state",
			    json_pack("{s:I,s:I,s:I,s:I}", "pass", (json_int_t)r->last[0], "fail",
				      (json_int_t)r->last[1], "unknown", (json_int_t)r->last[2],
				      "not_applicable", (json_int_t)r->last[3]));
	json_t *top = json_array();
	static const char *const st[] = {"pass", "fail", "unknown", "error", "not_applicable",
					 "disabled"};
	for (int t = 0; t < r->ntop; t++) {
		const char *s = strchr("pfuend", r->top[t].last)
					? st[strchr("pfuend", r->top[t].last) - "pfuend"]
					: "";
		json_array_append_new(top, json_pack("{s:s,s:i,s:s}", "host",
						     m->hosts[r->top[t].host].name, "days_failing",
						     r->top[t].days, "last_state", s));
	}
	json_object_set_new(o, "most_days_failing", top);
	return o;
}

static json_t *host_json(const annual_model *m, const am_host *h)
{
	char d0[21] = "", d1[21] = "";
	if (h->first)
		rfc3339_format(h->first, d0);
	if (h->last)
		rfc3339_format(h->last, d1);
	json_t *inv = h->attributes ? json_loads(h->attributes, 0, NULL) : NULL;
	json_t *cl = json_object();
	for (size_t k = 0; k <= m->npacks; k++) {
		int p = k == m->npacks ? AM_ALL : (int)k;
		json_object_set_new(cl, p == AM_ALL ? "all" : m->packs[p],
				    months(h->cell[p], h->reported));
	}
	return json_pack("{s:s,s:b,s:b,s:I,s:s?,s:s?,s:b,s:i,s:i,s:o,s:o}", "hostname", h->name,
			 "in_inventory", h->in_inventory, "enrolled", h->enrolled, "reports",
			 (json_int_t)h->reports, "first_report", h->first ? d0 : NULL,
			 "last_report", h->last ? d1 : NULL, "stale", am_stale(m, h),
			 "rules_failing", h->rules_failing, "critical_high_failing",
			 h->severe_failing, "inventory", inv ? inv : json_null(), "monthly", cl);
}

static void host_rule(void *x, const am_host *h, const am_rule *r, int days, char last)
{
	void **c = x;
	FILE *f = c[0];
	bool *first = c[1];
	char st[2] = {last, 0};
	fputs(*first ? "\n" : ",\n", f);
	*first = false;
	/* as json_dumpf would write it, keys sorted: each line of millions
	 * without building an object */
	fputs("{\"days_failing\":", f);
	fprintf(f, "%d,\"host\":", days);
	am_json_str(f, h->name);
	fputs(",\"last_state\":", f);
	am_json_str(f, st);
	fputs(",\"rule\":", f);
	am_json_str(f, r->name);
	fputc('}', f);
}

static int exc(void *x, const store_exception *e, am_exc_state s)
{
	void **c = x;
	FILE *f = c[0];
	bool *first = c[1];
	static const char *const names[] = {"active", "expiring", "expired_but_claimed", "ended"};
	char fs[21], ls[21];
	rfc3339_format(e->first_seen, fs);
	rfc3339_format(e->last_seen, ls);
	fputs(*first ? "\n" : ",\n", f);
	*first = false;
	json_t *o = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "state", names[s], "hostname",
			      e->host_name, "rule", e->rule, "reason", e->reason, "approved_by",
			      e->approved_by, "until", e->until, "first_seen", fs, "last_seen", ls);
	json_dumpf(o, f, FLAGS);
	json_decref(o);
	return 0;
}

/* 1 for the bytes written as they are: all but " \\ and controls
 * (UTF-8 passes through, as am_json_str writes it). */
static const bool json_plain[256] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x00 */
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, /* 0x10 */
	1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x20 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x30 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x40 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, /* 0x50 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x60 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x70 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x80 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0x90 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xA0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xB0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xC0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xD0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xE0 */
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, /* 0xF0 */
};

/* s as a JSON string into p, as am_json_str writes it (room for 6 *
 * strlen + 2). */
static char *json_put(char *p, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	*p++ = '"';
	const unsigned char *q = (const unsigned char *)s;
	for (;;) {
		/* a run that needs no escape in one copy (the whole of a
		 * report id, a time, a digest: millions of them), one load
		 * per byte */
		const unsigned char *run = q;
		while (json_plain[*q])
			q++;
		memcpy(p, run, (size_t)(q - run));
		p += q - run;
		if (!*q)
			break;
		if (*q == '"' || *q == '\\') {
			*p++ = '\\';
			*p++ = (char)*q;
		} else {
			memcpy(p, "\\u00", 4);
			p[4] = hex[*q >> 4];
			p[5] = hex[*q & 15];
			p += 6;
		}
		q++;
	}
	*p++ = '"';
	return p;
}

/* One line of the evidence list (an array of five strings), written at
 * its place (am_evidence_write): built in one buffer, written at once
 * (millions of lines). */
int annual_json_evidence_row(am_spool *sp, const am_host *h, const store_evidence *e)
{
	FILE *f = sp->f;
	char ft[21], rt[21], line[2048];
	am_time(e->finished_at, ft);
	am_time(e->received_at, rt);
	const char *v[] = {e->report_id, h->name, ft, rt, e->body_sha256};
	size_t need = 8;
	for (int i = 0; i < 5; i++)
		need += 6 * strlen(v[i]) + 3;
	char *p = line;
	if (!sp->first)
		*p++ = ',';
	*p++ = '\n';
	*p++ = '[';
	sp->first = false;
	if (need > sizeof line) { /* a long name: piece by piece */
		fwrite(line, 1, (size_t)(p - line), f);
		for (int i = 0; i < 5; i++) {
			am_json_str(f, v[i]);
			fputc(i < 4 ? ',' : ']', f);
		}
		return ferror(f) ? 1 : 0;
	}
	for (int i = 0; i < 5; i++) {
		p = json_put(p, v[i]);
		*p++ = i < 4 ? ',' : ']';
	}
	fwrite(line, 1, (size_t)(p - line), f);
	return ferror(f) ? 1 : 0;
}

static json_t *policies(const annual_model *m)
{
	json_t *a = json_array();
	pstore_entry *e = NULL;
	size_t n = 0;
	char err[300];
	if (m->o->policy_dir && pstore_list(m->o->policy_dir, &e, &n, err, sizeof err) == 0) {
		for (size_t i = 0; i < n; i++)
			json_array_append_new(a, json_pack("{s:s,s:I,s:s,s:s,s:s}", "kind", "policy",
							   "version", (json_int_t)e[i].version,
							   "group", e[i].group, "created",
							   e[i].created, "sha256", e[i].sha256));
		free(e);
	}
	for (size_t i = 0; i < m->nloaded; i++)
		json_array_append_new(a, json_pack("{s:s,s:s,s:s}", "kind", "rule_pack", "id",
						   m->loaded[i]->id, "sha256", m->loaded[i]->sha256));
	return a;
}

/* The list's SHA-256 is still a placeholder here: its place in the
 * dumped object marked, to be filled in once the list is written. */
static int evidence_summary(annual_model *m, FILE *f)
{
	json_t *o = json_pack("{s:I,s:s,s:s,s:{s:I,s:s}}", "reports", (json_int_t)m->evidence,
			      "ledger_sha256", m->ledger, "check",
			      "hostaudit-collector export REPORT_ID | sha256sum",
			      "chain_head_at_year_end", "seq", (json_int_t)m->chain_seq,
			      "sha256", m->chain_head);
	char *dump = o ? json_dumps(o, FLAGS) : NULL;
	json_decref(o);
	const char *key = "\"ledger_sha256\":\"", *at = dump ? strstr(dump, key) : NULL;
	int rc = at ? 0 : -1;
	fputs("\"evidence_summary\": ", f);
	if (at && am_ledger_mark(m, f, (size_t)(at - dump) + strlen(key)) != 0)
		rc = -1;
	if (dump)
		fputs(dump, f);
	fputs(",\n", f);
	free(dump);
	return rc;
}

int annual_write_json(annual_model *m, store *s, FILE *f, char *err, size_t es)
{
	fputs("{\n", f);
	field(f, "schema", json_string("hostaudit/annual/v2"), false);
	field(f, "year", json_integer(m->o->year), false);
	field(f, "lang", json_string(m->lang), false);
	field(f, "organisation_name",
	      m->o->organisation_name ? json_string(m->o->organisation_name) : json_null(), false);
	field(f, "department", m->o->department ? json_string(m->o->department) : json_null(),
	      false);
	field(f, "coverage",
	      json_pack("{s:I,s:I,s:I,s:I}", "expected", (json_int_t)m->expected, "reporting",
			(json_int_t)m->reporting, "stale", (json_int_t)m->stale, "stale_days",
			(json_int_t)m->o->stale_days),
	      false);
	field(f, "checklists", checklists(m), false);
	size_t n = 0, *v = am_top_rules(m, &n);
	json_t *a = json_array();
	for (size_t k = 0; v && k < n; k++)
		json_array_append_new(a, rule_json(m, &m->rules[v[k]], false));
	free(v);
	field(f, "top_failing_rules", a, false);
	v = am_top_hosts(m, &n);
	a = json_array();
	for (size_t k = 0; v && k < n; k++)
		json_array_append_new(a, json_pack("{s:s,s:i,s:i}", "hostname",
						   m->hosts[v[k]].name, "critical_high_failing",
						   m->hosts[v[k]].severe_failing, "rules_failing",
						   m->hosts[v[k]].rules_failing));
	free(v);
	field(f, "top_failing_hosts", a, false);
	field(f, "policies", policies(m), false);
	/* The organisation's category that year and the year before
	 * (docs/organisation.md). */
	field(f, "organisation",
	      m->o->organisation ? json_deep_copy(m->o->organisation) : json_null(), false);
	field(f, "organisation_last_year",
	      m->o->organisation_prev ? json_deep_copy(m->o->organisation_prev) : json_null(),
	      false);
	if (evidence_summary(m, f) != 0)
		return -1;
	fputs("\"rules\": [", f);
	v = am_rules_ordered(m, &n);
	for (size_t k = 0; v && k < n; k++) {
		fputs(k ? ",\n" : "\n", f);
		json_t *o = rule_json(m, &m->rules[v[k]], true);
		json_dumpf(o, f, FLAGS);
		json_decref(o);
	}
	free(v);
	fputs("],\n\"hosts\": [", f);
	for (size_t i = 0; i < m->nhosts; i++) {
		fputs(i ? ",\n" : "\n", f);
		json_t *o = host_json(m, &m->hosts[i]);
		json_dumpf(o, f, FLAGS);
		json_decref(o);
	}
	fputs("],\n\"host_rules\": [", f);
	bool first = true;
	void *c[2] = {f, &first};
	am_each_host_rule(m, host_rule, c);
	fputs("],\n\"exceptions\": [", f);
	first = true;
	if (am_each_exception(m, s, exc, c, err, es) != 0)
		return -1;
	fputs("],\n\"evidence\": [", f);
	if (am_evidence_write(m, s, f, err, es) != 0)
		return -1;
	fputs("]\n}\n", f);
	return ferror(f) ? -1 : 0;
}
