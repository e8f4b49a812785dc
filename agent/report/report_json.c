/* SPDX-License-Identifier: Apache-2.0 */
/* Building the canonical JSON report (docs/report.md) from an audit. */
#include <stdlib.h>
#include <string.h>

#include "hostaudit/org.h"
#include "hostaudit/report.h"
#include "hostaudit/version.h"
#include "i18n.h"
#include "util.h"

static json_t *text_json(const text *t)
{
	return json_pack("{s:s, s:s}", "en", t->en ? t->en : "", "ja", t->ja ? t->ja : "");
}

/* Rule texts may name params in braces ("at least {password_min_length}
 * characters"): the report carries the text with the values in force. */
char *report_expand_params(const char *s, const pack *p, const char *lang)
{
	size_t cap = strlen(s) + 64, n = 0;
	char *out = xmalloc(cap);
	while (*s) {
		const char *close = *s == '{' ? strchr(s, '}') : NULL;
		param *pm = NULL;
		if (close) {
			char name[64];
			size_t len = (size_t)(close - s - 1);
			if (len < sizeof name) {
				memcpy(name, s + 1, len);
				name[len] = '\0';
				pm = pack_find_param((pack *)p, name);
			}
		}
		char val[256];
		const char *piece = s;
		size_t piece_len = 1;
		if (pm && pm->current.type == VAL_STRING && !*pm->current.s) {
			/* An empty param (contact_point) says so in the text's language. */
			snprintf(val, sizeof val, L_(lang, "not set (params: %s in the site config)"),
				 pm->name);
			piece = val;
			piece_len = strlen(val);
			s = close + 1;
		} else if (pm) {
			value_format(&pm->current, val, sizeof val);
			piece = val;
			piece_len = strlen(val);
			s = close + 1;
		} else {
			s++;
		}
		if (n + piece_len + 1 > cap) {
			cap = (n + piece_len + 1) * 2;
			out = xrealloc(out, cap);
		}
		memcpy(out + n, piece, piece_len);
		n += piece_len;
	}
	out[n] = '\0';
	return out;
}

static json_t *rule_text_json(const text *t, const pack *p)
{
	char *en = report_expand_params(t->en ? t->en : "", p, "en");
	char *ja = report_expand_params(t->ja ? t->ja : "", p, "ja");
	json_t *o = json_pack("{s:s, s:s}", "en", en, "ja", ja);
	free(en);
	free(ja);
	return o;
}

static bool has_parts(const fact_msg *m)
{
	for (size_t i = 0; m->parts && i < m->count; i++)
		if (m->parts[i])
			return true;
	return false;
}

/* {"id": format, "args": [...], "parts": [null or a message, ...]}:
 * "parts" only when an argument was a composed text (fact_text). */
static json_t *msg_json(const fact_msg *m)
{
	json_t *args = json_array();
	for (size_t i = 0; i < m->count; i++)
		json_array_append_new(args, json_string(m->args[i]));
	json_t *o = json_pack("{s:s, s:o}", "id", m->id, "args", args);
	if (has_parts(m)) {
		json_t *parts = json_array();
		for (size_t i = 0; i < m->count; i++)
			json_array_append_new(parts, m->parts[i] ? msg_json(m->parts[i]) : json_null());
		json_object_set_new(o, "parts", parts);
	}
	return o;
}

/* "evidence_msg" beside the English text, for a renderer to translate
 * (docs/report.md); only for a format with arguments, as a fixed text is
 * its own id, and not for a bare "%s" of plain text. */
static void add_msg(json_t *o, const char *key, const fact_msg *m)
{
	if (!m->id || !m->count || (!strcmp(m->id, "%s") && !has_parts(m)))
		return;
	json_object_set_new(o, key, msg_json(m));
}

static json_t *time_json(int64_t t)
{
	char buf[32];
	format_time_utc(t, buf, sizeof buf);
	return json_string(buf);
}

static json_t *value_json(const value *v)
{
	switch (v->type) {
	case VAL_BOOL: return json_boolean(v->b);
	case VAL_INT: return json_integer(v->i);
	case VAL_STRING: return json_string(v->s);
	case VAL_LIST: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->count; i++)
			json_array_append_new(a, value_json(&v->items[i]));
		return a;
	}
	}
	return json_null();
}

json_t *report_fact_json(const fact *f)
{
	json_t *o = json_pack("{s:s, s:s}", "type", fact_type_name(f->def->type), "state",
			      fact_state_name(f->state));
	if (f->state == FACT_KNOWN) {
		json_t *v = NULL;
		switch (f->def->type) {
		case FACT_BOOL: v = json_boolean(f->v.b); break;
		case FACT_INT: v = json_integer(f->v.i); break;
		case FACT_STRING: v = json_string(f->v.s); break;
		case FACT_TIME: v = time_json(f->v.i); break;
		case FACT_LIST:
			v = json_array();
			for (size_t i = 0; i < f->v.list.count; i++)
				json_array_append_new(v, json_string(f->v.list.items[i]));
			break;
		}
		json_object_set_new(o, "value", v);
	}
	if (f->def->unit)
		json_object_set_new(o, "unit", json_string(f->def->unit));
	if (f->reason)
		json_object_set_new(o, "reason", json_string(f->reason));
	else if (f->state == FACT_UNSET)
		json_object_set_new(o, "reason", json_string("not observed"));
	if (f->evidence)
		json_object_set_new(o, "evidence", json_string(f->evidence));
	add_msg(o, "reason_msg", &f->reason_msg);
	add_msg(o, "evidence_msg", &f->evidence_msg);
	if (f->attested)
		json_object_set_new(o, "attested", json_true());
	if (f->attested_for)
		json_object_set_new(o, "attested_for", json_string(f->attested_for));
	return o;
}

static const char *fact_string(const fact_set *fs, const char *name)
{
	const fact *f = fact_get(fs, name);
	return f && f->state == FACT_KNOWN && f->def->type == FACT_STRING ? f->v.s : "";
}

static json_t *host_json(const audit *a)
{
	const fact_set *fs = a->facts;
	return json_pack("{s:s, s:s, s:{s:s, s:s, s:s}, s:s}", "hostname",
			 fact_string(fs, "host.name"), "os", a->h.os, "os_release", "id",
			 fact_string(fs, "os.id"), "version_id", fact_string(fs, "os.version_id"),
			 "pretty_name", fact_string(fs, "os.pretty_name"), "machine_id",
			 fact_string(fs, "host.machine_id"));
}

static json_t *packs_json(const audit *a)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < a->pack_count; i++) {
		const pack *p = a->packs[i];
		json_t *params = json_object();
		for (size_t k = 0; k < p->param_count; k++)
			json_object_set_new(params, p->params[k].name,
					    json_pack("{s:o, s:o, s:b}", "value",
						      value_json(&p->params[k].current), "default",
						      value_json(&p->params[k].def), "overridden",
						      p->params[k].overridden));
		json_array_append_new(arr, json_pack("{s:s, s:s, s:s, s:o, s:o, s:s}", "id", p->id,
						     "path", p->path, "sha256", p->sha256, "title",
						     text_json(&p->title), "params", params,
						     "scoring", p->scoring == SCORING_IPA_SHEET
								? "ipa-sheet" : "weighted"));
		if (p->short_name.en)
			json_object_set_new(json_array_get(arr, json_array_size(arr) - 1), "short",
					    text_json(&p->short_name));
	}
	return arr;
}

static json_t *params_json(const audit *a)
{
	json_t *o = json_object();
	for (size_t i = 0; i < a->pack_count; i++)
		for (size_t k = 0; k < a->packs[i]->param_count; k++) {
			const param *pm = &a->packs[i]->params[k];
			if (!json_object_get(o, pm->name))
				json_object_set_new(o, pm->name, value_json(&pm->current));
		}
	return o;
}

static json_t *exception_json(const exception *e)
{
	json_t *o = json_pack("{s:s, s:s}", "rule", e->rule, "reason", e->reason);
	if (e->approved_by)
		json_object_set_new(o, "approved_by", json_string(e->approved_by));
	if (e->until)
		json_object_set_new(o, "until", json_string(e->until));
	return o;
}

/* The report carries the remediation (and rationale) for the audited
 * host's system; its shape stays {en, ja}. */
static json_t *result_json(const result *res, const char *os)
{
	const rule *r = res->r;
	json_t *facts = json_array();
	for (size_t i = 0; i < res->fact_count; i++)
		json_array_append_new(facts, json_string(res->facts[i]->name));
	/* A rule for another system has no text for this one (not applicable). */
	static const text none = {NULL, NULL};
	const text *fix = os_text_get(&r->remediation, os), *why;
	if (!fix)
		fix = &none;
	json_t *o = json_pack("{s:s, s:s, s:i, s:s, s:i, s:s, s:o, s:o, s:o, s:b}", "pack",
			      r->pack->id, "id", r->id, "article", r->article, "severity",
			      severity_name(r->sev), "weight", r->weight, "status",
			      result_status_name(res->status), "title",
			      rule_text_json(&r->title, r->pack), "remediation",
			      rule_text_json(fix, r->pack), "facts", facts, "attested",
			      res->attested);
	if ((why = os_text_get(&r->rationale, os)))
		json_object_set_new(o, "rationale", rule_text_json(why, r->pack));
	if (res->reason[0])
		json_object_set_new(o, "reason", json_string(res->reason));
	if (res->exception)
		json_object_set_new(o, "exception", exception_json(res->exception));
	if (res->partial)
		json_object_set_new(o, "partial", json_true());
	return o;
}

static json_t *tally_json(const tally *t)
{
	double s = tally_score(t);
	return json_pack("{s:o, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "score",
			 s < 0 ? json_null() : json_real((double)(long long)(s * 10 + 0.5) / 10),
			 "pass", t->pass, "fail", t->fail, "partial", t->partial, "unknown",
			 t->unknown, "not_applicable",
			 t->not_applicable, "error", t->error, "disabled", t->disabled,
			 "weight_pass", t->weight_pass, "weight_fail", t->weight_fail);
}

/* The sheet's total: points out of 4 per judged question, and the same
 * scaled to 100 (equal to the points when all 25 questions apply). */
static json_t *sheet_json(int points, int max, int unknown)
{
	json_t *score = max ? json_real((double)(long long)(1000.0 * points / max +
							       (points >= 0 ? 0.5 : -0.5)) / 10)
			    : json_null();
	return json_pack("{s:i, s:i, s:o, s:i}", "points", points, "max", max, "score", score,
			 "unknown", unknown);
}

static json_t *scores_json(const audit *a)
{
	tally overall = {0};
	json_t *packs = json_array();
	for (size_t i = 0; i < a->pack_count; i++) {
		const pack *p = a->packs[i];
		tally pt = {0};
		json_t *articles = json_array();
		int sheet_points = 0, sheet_max = 0, sheet_unknown = 0;
		for (size_t k = 0; k < p->article_count; k++) {
			tally at = {0};
			for (size_t j = 0; j < a->result_count; j++) {
				const result *res = &a->results[j];
				if (res->r->pack == p && res->r->article == p->articles[k].number)
					tally_add(&at, res);
			}
			json_t *o = tally_json(&at);
			json_object_set_new(o, "article", json_integer(p->articles[k].number));
			int points;
			if (p->scoring == SCORING_IPA_SHEET) {
				bool judged = tally_sheet_points(&at, &points);
				json_object_set_new(o, "sheet_points",
						    judged ? json_integer(points) : json_null());
				if (judged) {
					sheet_points += points;
					sheet_max += SHEET_POINTS_MAX;
					sheet_unknown += points < 0;
				}
			}
			json_object_set_new(o, "title", text_json(&p->articles[k].title));
			json_array_append_new(articles, o);
		}
		for (size_t j = 0; j < a->result_count; j++)
			if (a->results[j].r->pack == p) {
				tally_add(&pt, &a->results[j]);
				tally_add(&overall, &a->results[j]);
			}
		json_t *o = tally_json(&pt);
		json_object_set_new(o, "pack", json_string(p->id));
		json_object_set_new(o, "articles", articles);
		if (p->scoring == SCORING_IPA_SHEET)
			json_object_set_new(o, "sheet", sheet_json(sheet_points, sheet_max,
								   sheet_unknown));
		json_array_append_new(packs, o);
	}
	return json_pack("{s:o, s:o}", "overall", tally_json(&overall), "packs", packs);
}

/* With `organisation:` in the config: the company's category, placed from
 * the organisation's answers and this PC's score (docs/organisation.md). */
static json_t *organisation_json(const audit *a)
{
	org_measured m;
	org_measured_from_audit(a, &m);
	json_t *p = org_place(a->cfg.org->q, &a->cfg.org->answers, &m, a->h.now);
	json_t *o = json_pack("{s:O, s:s, s:s}", "category", json_object_get(p, "category"),
			      "answers_file", a->cfg.org->answers_file, "answers_from",
			      a->cfg.org->from_policy ? "policy" : "local");
	static const char *const keep[] = {"label", "unknown_reason", "decided_by", "approach",
					   NULL};
	for (size_t i = 0; keep[i]; i++)
		if (json_object_get(p, keep[i]))
			json_object_set(o, keep[i], json_object_get(p, keep[i]));
	json_decref(p);
	return o;
}

/* Which rules were in force (docs/policy.md): the central policy's
 * version and the digest of what the collector served, or the local
 * config's digest. */
static json_t *policy_json(const audit *a)
{
	const policy_provenance *pv = &a->policy;
	bool central = pv->source && strcmp(pv->source, "local") && pv->version > 0;
	json_t *p = json_object();
	json_object_set_new(p, "source", json_string(central ? pv->source : "local"));
	json_object_set_new(p, "version", central ? json_integer(pv->version) : json_null());
	json_object_set_new(p, "sha256", central ? json_string(pv->sha256)
					 : a->cfg.path ? json_string(a->cfg.sha256)
						       : json_null());
	if (central && pv->group[0]) {
		json_object_set_new(p, "group", json_string(pv->group));
		json_object_set_new(p, "group_version", json_integer(pv->group_version));
	}
	if (pv->refused[0])
		json_object_set_new(p, "refused", json_string(pv->refused));
	if (pv->note[0])
		json_object_set_new(p, "note", json_string(pv->note));
	return p;
}

json_t *report_build(const audit *a)
{
	json_t *facts = json_object();
	for (size_t i = 0; i < catalog_count(); i++) {
		const fact *f = fact_at(a->facts, i);
		json_object_set_new(facts, f->def->name, report_fact_json(f));
	}
	json_t *results = json_array();
	for (size_t i = 0; i < a->result_count; i++)
		json_array_append_new(results, result_json(&a->results[i], a->h.os));
	json_t *exceptions = json_array();
	for (size_t i = 0; i < a->cfg.exception_count; i++)
		json_array_append_new(exceptions, exception_json(&a->cfg.exceptions[i]));
	json_t *cfg = json_object();
	if (a->cfg.path) {
		json_object_set_new(cfg, "path", json_string(a->cfg.path));
		json_object_set_new(cfg, "sha256", json_string(a->cfg.sha256));
	}
	json_t *rep = json_pack(
		"{s:s, s:s, s:{s:s, s:s}, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o, s:o}",
		"schema", REPORT_SCHEMA, "report_id", a->report_id, "agent", "name", "hostaudit",
		"version", HOSTAUDIT_VERSION, "host", host_json(a), "now", time_json(a->h.now),
		"started_at", time_json(a->started_at), "finished_at", time_json(a->finished_at),
		"config", cfg, "packs", packs_json(a), "params", params_json(a), "exceptions",
		exceptions, "facts", facts, "results", results, "scores", scores_json(a));
	if (a->h.root && a->h.root[0])
		json_object_set_new(rep, "root", json_string(a->h.root));
	if (a->cfg.org && a->cfg.org->q)
		json_object_set_new(rep, "organisation", organisation_json(a));
	json_object_set_new(rep, "policy", policy_json(a));
	return rep;
}

char *report_dump(const json_t *report)
{
	return json_dumps(report, JSON_SORT_KEYS | JSON_INDENT(2) | JSON_REAL_PRECISION(6));
}
