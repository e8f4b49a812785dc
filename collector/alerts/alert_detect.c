/* SPDX-License-Identifier: Apache-2.0 */
/* Events from the store (alerts.h). Each has a key that names it once and
 * for all, so finding it again (the next scan, another collector on the
 * same PostgreSQL) stores nothing:
 *   rule_failed|HOST|RULE|REPORT_ID     a critical or high rule fails in a
 *        report and did not in the host's report before it (a host's first
 *        report has none before it: all its failures are new)
 *   host_stale|HOST|LAST_REPORT_ID      no report for stale_days ("never"
 *        for a host enrolled that long ago that never reported)
 *   exception_expiring|HOST|RULE|UNTIL  claimed lately, ends within
 *        exception_warn_days
 *   exception_expired|HOST|RULE|UNTIL   claimed by a report finished after
 *        it ended
 *   host_mismatch|HOST|CLAIMED          HOST's credential uploaded a report
 *        naming another host (once per pair)
 *   digest|RECEIVER|DAY                 a digest receiver's day
 * Outside the default organisation the key starts "org-<id>|" and the
 * detail has "organisation": its name; its receivers are its own (its
 * `organisation:` ones, else the collector-wide ones: alert_config.c). */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alerts.h"
#include "collector.h"
#include "principal.h"

/* The organisation's receivers that get kind one by one (digest
 * receivers get theirs in the day's digest). */
static size_t receivers_for(const alert_org *o, const char *kind, const char **out)
{
	int k = alert_kind_index(kind);
	size_t n = 0;
	for (size_t i = 0; k >= 0 && i < o->nrx; i++)
		if (o->rx[i]->kinds[k] && !o->rx[i]->digest)
			out[n++] = o->rx[i]->name;
	return n;
}

/* The key's prefix: "" for the default organisation (its keys as they
 * always were), else "org-<id>|". */
static void key_prefix(const alert_org *o, char out[32])
{
	if (o->id == ORG_DEFAULT)
		out[0] = '\0';
	else
		snprintf(out, 32, "org-%lld|", (long long)o->id);
}

/* detail as stored: with the organisation's name outside the default
 * one (stolen; NULL when out of memory). */
static char *detail_text(const alert_org *o, json_t *detail)
{
	if (detail && o->id != ORG_DEFAULT)
		json_object_set_new(detail, "organisation", json_string(o->name));
	char *dj = detail ? json_dumps(detail, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	json_decref(detail);
	return dj;
}

/* Stores one event (detail: stolen). 0 or -1 with err. */
static int add_event(store *s, const alert_org *o, const char *kind, const char *host,
		     const char *rule, const char *key_tail, json_t *detail, int64_t now,
		     char *err, size_t err_size)
{
	char *key = NULL, *dj = detail_text(o, detail), pre[32];
	key_prefix(o, pre);
	if (!dj || asprintf(&key, "%s%s|%s|%s%s%s", pre, kind, host, rule, *rule ? "|" : "",
			    key_tail) < 0) {
		free(dj);
		snprintf(err, err_size, "out of memory");
		return -1;
	}
	const char **rx = calloc(o->nrx + 1, sizeof *rx);
	store_alert_event e = {.key = key, .kind = kind, .host = host, .rule = rule,
			       .detail = dj, .created_at = now};
	int rc = rx ? store_alert_event_add(s, o->id, &e, rx, receivers_for(o, kind, rx), err,
					    err_size)
		    : -1;
	if (rc == 1)
		log_line("alerts: event %s", key);
	free(rx);
	free(key);
	free(dj);
	return rc < 0 ? -1 : 0;
}

/* The state letter of rule in a summary ("pack:id=c\n" lines), or 0. */
static char state_of(const char *summary, const char *rule)
{
	size_t len = strlen(rule);
	for (const char *p = summary; p && *p;) {
		if (!strncmp(p, rule, len) && p[len] == '=')
			return p[len + 1];
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return 0;
}

static const char *state_word(char c)
{
	switch (c) {
	case 'p': return "pass";
	case 'u': return "unknown";
	case 'n': return "not_applicable";
	case 'e': return "error";
	case 'd': return "disabled";
	case 'f': return "fail";
	default: return "absent"; /* the report before did not have the rule */
	}
}

/* The result of rule ("pack:id") in a report's results, or NULL. */
static json_t *result_of(json_t *report, const char *rule)
{
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(report, "results"), i, r) {
		const char *pack = json_string_value(json_object_get(r, "pack"));
		const char *id = json_string_value(json_object_get(r, "id"));
		size_t pl = pack ? strlen(pack) : 0;
		if (pack && id && !strncmp(rule, pack, pl) && rule[pl] == ':' &&
		    !strcmp(rule + pl + 1, id))
			return r;
	}
	return NULL;
}

typedef struct new_report {
	char *host, *report_id, *claimed, *summary, *prev;
	bool mismatch;
	int64_t finished_at;
} new_report;

typedef struct scan {
	new_report *r;
	size_t n, cap;
} scan;

static char *dup0(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int collect(void *ctx, const store_alert_report *a)
{
	scan *sc = ctx;
	if (sc->n == sc->cap) {
		size_t cap = sc->cap ? 2 * sc->cap : 64;
		new_report *n = realloc(sc->r, cap * sizeof *n);
		if (!n)
			return -1;
		sc->r = n;
		sc->cap = cap;
	}
	sc->r[sc->n++] = (new_report){dup0(a->host_name), dup0(a->report_id), dup0(a->claimed_host),
				      dup0(a->summary), dup0(a->prev_summary), a->mismatch,
				      a->finished_at};
	return 0;
}

/* The newly failing critical and high rules of one report. */
static int failures(store *s, const alert_org *o, const new_report *r, int64_t now,
		    char *err, size_t err_size)
{
	json_t *report = NULL;
	int rc = 0;
	for (const char *p = r->summary; rc == 0 && p && *p;) {
		const char *eq = strchr(p, '='), *nl = strchr(p, '\n');
		if (!eq || (nl && nl < eq))
			break;
		char rule[300];
		snprintf(rule, sizeof rule, "%.*s", (int)(eq - p), p);
		char before = r->prev ? state_of(r->prev, rule) : 0;
		p = nl ? nl + 1 : NULL;
		if (eq[1] != 'f' || before == 'f')
			continue;
		/* the severity is in the report itself (the summary has none) */
		if (!report) {
			char *body = NULL;
			size_t len = 0;
			int found = store_export(s, o->id, r->report_id, &body, &len, err, err_size);
			if (found == 1)
				report = json_loadb(body, len, 0, NULL);
			free(body);
			if (found < 0)
				return -1;
			if (!report) {
				log_line("alerts: report %s: body unreadable or removed; its "
					 "failures are not judged", r->report_id);
				return 0;
			}
		}
		json_t *res = result_of(report, rule);
		const char *sev = json_string_value(json_object_get(res, "severity"));
		if (!sev || (strcmp(sev, "critical") && strcmp(sev, "high")))
			continue;
		char fin[21];
		rfc3339_format(r->finished_at, fin);
		json_t *title = json_object_get(res, "title");
		json_t *d = json_pack("{s:s, s:s, s:s, s:s, s:O}", "severity", sev, "report_id",
				      r->report_id, "finished_at", fin, "before",
				      r->prev ? state_word(before) : "none",
				      "title", title ? title : json_null());
		rc = add_event(s, o, ALERT_RULE_FAILED, r->host, rule, r->report_id, d, now, err,
			       err_size);
	}
	json_decref(report);
	return rc;
}

static int mismatch(store *s, const alert_org *o, const new_report *r, int64_t now,
		    char *err, size_t err_size)
{
	char claimed[300];
	snprintf(claimed, sizeof claimed, "%s", r->claimed ? r->claimed : "");
	for (char *p = claimed; *p; p++)
		*p = (char)(*p >= 'A' && *p <= 'Z' ? *p - 'A' + 'a' : *p);
	json_t *d = json_pack("{s:s, s:s}", "claimed_host", r->claimed ? r->claimed : "",
			      "report_id", r->report_id);
	return add_event(s, o, ALERT_HOST_MISMATCH, r->host, "", claimed, d, now, err, err_size);
}

int alert_scan_reports(store *s, const alert_org *o, int64_t now, char *err, size_t err_size)
{
	enum { BATCH = 200 };
	for (;;) {
		scan sc = {0};
		int64_t last = -1;
		int rc = store_alert_new_reports(s, o->id, BATCH, collect, &sc, &last, err,
						 err_size);
		for (size_t i = 0; rc == 0 && i < sc.n; i++) {
			rc = failures(s, o, &sc.r[i], now, err, err_size);
			if (rc == 0 && sc.r[i].mismatch)
				rc = mismatch(s, o, &sc.r[i], now, err, err_size);
		}
		/* the events are stored: now the cursor (a crash in between
		 * finds them again, and stores nothing twice) */
		if (rc == 0 && last >= 0)
			rc = store_alert_cursor_advance(s, o->id, last, err, err_size);
		size_t n = sc.n;
		for (size_t i = 0; i < sc.n; i++) {
			new_report *r = &sc.r[i];
			free(r->host);
			free(r->report_id);
			free(r->claimed);
			free(r->summary);
			free(r->prev);
		}
		free(sc.r);
		if (rc != 0)
			return -1;
		if (n < BATCH)
			return 0;
	}
}

/* ---- periodic: silent hosts, exceptions, digests ---- */

typedef struct periodic {
	store *s;
	const alert_org *o;
	const alert_config *c;
	int64_t now;
	char *err;
	size_t err_size;
	/* copied out of the callbacks, stored after them */
	json_t *pending; /* [[kind, host, rule, tail, detail], ...] */
} periodic;

static void later(periodic *p, const char *kind, const char *host, const char *rule,
		  const char *tail, json_t *detail)
{
	json_array_append_new(p->pending,
			      json_pack("[s, s, s, s, o]", kind, host, rule, tail, detail));
}

static int silent(void *ctx, const store_alert_silent *h)
{
	periodic *p = ctx;
	char last[21] = "", enrolled[21];
	if (h->last_finished_at)
		rfc3339_format(h->last_finished_at, last);
	rfc3339_format(h->enrolled_at, enrolled);
	later(p, ALERT_HOST_STALE, h->host_name, "",
	      h->last_report_id ? h->last_report_id : "never",
	      json_pack("{s:s, s:I, s:s, s:I}", "last_report_at", last, "last_finished_at",
			(json_int_t)h->last_finished_at, "enrolled", enrolled, "stale_days",
			(json_int_t)p->c->stale_days));
	return 0;
}

/* When an exception's `until` is over: the end of that day for a date. */
static bool until_end(const char *until, int64_t *end)
{
	if (strlen(until) == 10) {
		char t[32];
		snprintf(t, sizeof t, "%sT00:00:00Z", until);
		if (!rfc3339_parse(t, end))
			return false;
		*end += 86400;
		return true;
	}
	return rfc3339_parse(until, end);
}

static int exception(void *ctx, const store_exception *e)
{
	periodic *p = ctx;
	int64_t end;
	if (!e->until || !*e->until || !until_end(e->until, &end))
		return 0; /* no end: nothing runs out */
	char seen[21];
	rfc3339_format(e->last_seen, seen);
	const char *kind = NULL;
	if (end <= p->now && e->last_seen >= end)
		kind = ALERT_EXC_EXPIRED;
	else if (end > p->now && end - p->now <= p->c->exception_warn_days * 86400)
		kind = ALERT_EXC_EXPIRING;
	if (kind)
		later(p, kind, e->host_name, e->rule, e->until,
		      json_pack("{s:s, s:s, s:s, s:s}", "until", e->until, "reason",
				e->reason ? e->reason : "", "approved_by",
				e->approved_by ? e->approved_by : "", "last_seen", seen));
	return 0;
}

typedef struct day_events {
	const alert_receiver *r;
	json_t *events;
} day_events;

static int day_event(void *ctx, const store_alert_event *e)
{
	day_events *de = ctx;
	int k = alert_kind_index(e->kind);
	if (k < 0 || !de->r->kinds[k])
		return 0;
	json_t *d = json_loads(e->detail, 0, NULL);
	json_array_append_new(de->events,
			      json_pack("{s:s, s:s, s:s, s:s, s:o}", "kind", e->kind, "host",
					e->host, "rule", e->rule, "key", e->key, "detail",
					d ? d : json_object()));
	return 0;
}

/* Yesterday's (UTC) events for each digest receiver, as one event. */
static int digests(periodic *p)
{
	int64_t today = p->now - p->now % 86400, day = today - 86400;
	char dname[21];
	rfc3339_format(day, dname);
	dname[10] = '\0';
	char pre[32];
	key_prefix(p->o, pre);
	for (size_t i = 0; i < p->o->nrx; i++) {
		const alert_receiver *r = p->o->rx[i];
		if (!r->digest)
			continue;
		day_events de = {r, json_array()};
		int rc = store_alert_each_event(p->s, p->o->id, day, today, day_event, &de, p->err,
						p->err_size);
		if (rc == 0 && json_array_size(de.events) > 0) {
			json_t *d = json_pack("{s:s, s:o}", "day", dname, "events", de.events);
			char *dj = detail_text(p->o, d), *key = NULL;
			if (!dj || asprintf(&key, "%s%s|%s|%s", pre, ALERT_DIGEST, r->name, dname) < 0)
				key = NULL;
			const char *rx[] = {r->name};
			store_alert_event e = {.key = key, .kind = ALERT_DIGEST, .host = "",
					       .rule = "", .detail = dj, .created_at = p->now};
			rc = key ? store_alert_event_add(p->s, p->o->id, &e, rx, 1, p->err,
							 p->err_size)
				 : -1;
			if (rc == 1)
				log_line("alerts: event %s", key);
			rc = rc < 0 ? -1 : 0;
			free(key);
			free(dj);
		} else {
			json_decref(de.events);
		}
		if (rc != 0)
			return -1;
	}
	return 0;
}

int alert_check_periodic(store *s, const alert_org *o, const alert_config *c, int64_t now,
			 char *err, size_t err_size)
{
	periodic p = {s, o, c, now, err, err_size, json_array()};
	int rc = store_alert_each_silent(s, o->id, now - c->stale_days * 86400, silent, &p, err,
					 err_size);
	/* exceptions claimed lately: within the stale window */
	if (rc == 0)
		rc = store_each_exception(s, o->id, now - c->stale_days * 86400, now + 1, exception, &p,
					  err, err_size);
	size_t i;
	json_t *ev;
	json_array_foreach(p.pending, i, ev) {
		if (rc != 0)
			break;
		json_t *d = json_array_get(ev, 4);
		json_incref(d);
		rc = add_event(s, o, json_string_value(json_array_get(ev, 0)),
			       json_string_value(json_array_get(ev, 1)),
			       json_string_value(json_array_get(ev, 2)),
			       json_string_value(json_array_get(ev, 3)), d, now, err, err_size);
	}
	json_decref(p.pending);
	if (rc == 0)
		rc = digests(&p);
	return rc < 0 ? -1 : rc;
}
