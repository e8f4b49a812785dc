/* SPDX-License-Identifier: Apache-2.0 */
/* The fleet model: what the console's fleet page, the read API (/v1/...),
 * /metrics and the annual report say about the organisation's hosts, made
 * once here from the store so no two views count differently.
 *
 * Every figure comes from the per-report digests computed at ingest
 * (store.h, report_digest()): no view parses a report body. A host that
 * is stale or never reported is not counted as compliant anywhere: its
 * rules are neither passing nor failing, and it is listed as stale.
 *
 *   fleet *f = fleet_load(s, ORG_DEFAULT, &(fleet_options){0}, err, sizeof err);
 *   for (size_t i = 0; i < f->n_hosts; i++) ... f->hosts[i] ...
 *   fleet_free(f);
 *
 * The model is a snapshot, built in one read transaction. */
#ifndef HOSTAUDIT_COLLECTOR_FLEET_H
#define HOSTAUDIT_COLLECTOR_FLEET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "store.h"

#define FLEET_STALE_DAYS 7     /* collector.yaml stale_days default */
#define FLEET_EXPIRY_DAYS 30   /* exceptions expiring within this: listed */
#define FLEET_TREND_DAYS 90
#define FLEET_WORST 10

typedef struct fleet_options {
	int64_t now;          /* 0: the clock */
	long stale_days;      /* 0: FLEET_STALE_DAYS */
	long expiry_days;     /* 0: FLEET_EXPIRY_DAYS */
	long trend_days;      /* 0: FLEET_TREND_DAYS; <0: no trend */
	size_t worst;         /* 0: FLEET_WORST */
} fleet_options;

/* Result tallies, of one article of one host or of the whole fleet. */
typedef struct fleet_tally {
	long pass, fail, unknown, error, not_applicable, disabled;
} fleet_tally;

/* One checklist article: pack "ipa-25" article 1 is "ipa-25:1". */
typedef struct fleet_article {
	char key[80];         /* "<pack>:<article>" */
	char pack[64];
	int article;
	fleet_tally t;        /* host-level: over the current hosts' latest reports */
	long hosts_failing;   /* current hosts with >= 1 failing rule in it */
	long hosts_compliant; /* current hosts with every decided rule passing and
			       * nothing unknown or in error */
	double compliance;    /* pass / (pass + fail + unknown + error), 0..100;
			       * NaN when nothing was decided */
} fleet_article;

/* A failing rule of a host's latest report. */
typedef struct fleet_failure {
	char rule[128];       /* the rule id, e.g. "q01.updates.security-applied" */
	char pack[64];
	char severity[16];    /* critical, high, medium, low, info, or "" */
} fleet_failure;

typedef struct fleet_host {
	char name[256];
	int64_t host_id;      /* 0: in the inventory only, never enrolled */
	bool in_inventory;
	bool enrolled;        /* holds a live token */
	bool retired;         /* hosts retire: history kept, not expected */
	int64_t retired_at;
	bool expected;        /* (in the inventory or ever enrolled) and not
			       * retired: a revoked host is still expected */
	json_t *inventory;    /* every inventory column but hostname (object; owned) */
	/* the latest report (by finished_at, then arrival); report_id "" none */
	char report_id[40];
	int64_t last_finished, last_received;
	double score;         /* NaN: none, or the report had none */
	bool stale;           /* expected and no report within stale_days */
	bool mismatch;        /* the latest report named another host */
	fleet_tally t;        /* of its latest report */
	fleet_failure *failing;
	size_t n_failing;
	fleet_article *articles;   /* of its latest report (articles[].hosts_* unused) */
	size_t n_articles;
} fleet_host;

/* A rule failing on at least one current host. */
typedef struct fleet_rule {
	char rule[128];
	char pack[64];
	char severity[16];
	char title_en[512], title_ja[512];  /* from the newest report carrying it */
	long hosts_failing;
	char **hosts;          /* their names (n = hosts_failing), by name */
} fleet_rule;

typedef struct fleet_exception {
	char host[256];
	char rule[128], reason[512], approved_by[256], until[40];
	int64_t until_t;       /* the end of its until day (UTC); 0 unreadable */
	long days_left;        /* < 0: expired */
	bool expired;
	bool claimed;          /* still claimed in the host's latest report */
	int64_t last_seen;
} fleet_exception;

/* One day (UTC) of the trend. */
typedef struct fleet_day {
	int64_t day;           /* 00:00 UTC of it */
	long hosts_reporting;  /* hosts with a report finished that day */
	double mean_score;     /* of each of those hosts' last scored report that
				* day; NaN when none had a score */
} fleet_day;

typedef struct fleet {
	int64_t org_id;
	int64_t now;
	long stale_days;
	/* counts over current (expected) hosts */
	long expected, reporting, stale, never_reported, retired;
	double mean_score;     /* of the reporting hosts' latest scores; NaN none */
	fleet_tally t;
	fleet_host *hosts;     /* every host known (expected or not), by name */
	size_t n_hosts;
	fleet_article *articles;  /* by key, pack then article number */
	size_t n_articles;
	fleet_rule *rules;     /* most failing hosts first, then severity, then id */
	size_t n_rules;
	size_t *worst;         /* indexes into hosts: reporting hosts, lowest
				* score first (most failures, then name) */
	size_t n_worst;
	fleet_exception *exceptions;  /* expiring within expiry_days, or expired
				       * and still claimed or seen within the
				       * last expiry_days; soonest first */
	size_t n_exceptions;
	fleet_day *trend;      /* oldest first, trend_days entries */
	size_t n_trend;
} fleet;

/* Builds the model of organisation org_id. NULL with err on a store error. */
fleet *fleet_load(store *s, int64_t org_id, const fleet_options *o, char *err,
		  size_t err_size);
void fleet_free(fleet *f);

/* Lookups in a loaded model (NULL: none). Host names match in any case. */
const fleet_host *fleet_host_find(const fleet *f, const char *name);
/* rule: its id, or "<pack>:<id>" where two packs share an id. */
const fleet_rule *fleet_rule_find(const fleet *f, const char *rule);

/* Since when host fails rule (pack, id) without a break: the finished_at
 * of the oldest report of the unbroken run of failing reports ending with
 * its latest one (walked newest first, from the digests). 1 found (*since
 * set), 0 its latest report does not fail it, -1 error with err. */
int fleet_failing_since(store *s, int64_t org_id, const char *host, const char *pack,
			const char *rule, int64_t *since, char *err, size_t err_size);

/* A severity's rank for sorting: critical 4, high 3, medium 2, low 1, else 0. */
int fleet_severity_rank(const char *severity);

/* qsort_r's order of indexes into model (a fleet *)'s hosts, worst first:
 * lowest score (unscored last), then most failing rules, then by name. */
int fleet_by_worst(const void *a, const void *b, void *model);

/* JSON forms, shared by the read API and anything exporting the model
 * (new references). */
json_t *fleet_json(const fleet *f);               /* counts, articles, rules, ... */
json_t *fleet_host_json(const fleet *f, const fleet_host *h);
json_t *fleet_rule_json(const fleet_rule *r);

#endif
