/* SPDX-License-Identifier: Apache-2.0 */
/* The collector's store: one interface, one file per backend, chosen by the
 * `database:` value (the Postfix dictionary pattern):
 *   /path/to/collector.db      store_sqlite.c   one box
 *   postgresql://user@host/db  store_pg.c       N collectors, one PostgreSQL
 * Callers (server.c, annual.c, inventory.c, main.c) only see this file.
 * Backends fill a store_ops table (store_backend.h); store.c dispatches. */
#ifndef HOSTAUDIT_COLLECTOR_STORE_H
#define HOSTAUDIT_COLLECTOR_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

typedef struct store store;

/* Organisations (tenants, principal.h): everything below belongs to one,
 * named by an org_id; ORG_DEFAULT (1) is the organisation of a
 * single-company install, which never names it. Readers filter on it;
 * only the provider-level functions (store_each_org...) see them all. */
#include "principal.h"

/* Opens the store `database` names (a path: SQLite, created 0600; a
 * postgresql:// URI: PostgreSQL) and brings its schema to the current
 * version (schema_version table; ordered migrations per backend). */
store *store_open(const char *database, char *err, size_t err_size);
void store_close(store *s);
/* "sqlite" or "postgresql". */
const char *store_kind(const store *s);
/* The schema version the store is at after store_open(). */
int store_schema_version(store *s);

/* A new random token for host of organisation org_id (enrolling it, or
 * replacing its token). token receives 64 hex characters + NUL. 0 or -1
 * with err. */
int store_enroll(store *s, int64_t org_id, const char *host, char token[65], char *err,
		 size_t err_size);
/* The host a token belongs to: 1 found (id, its organisation, name), 0
 * unknown, -1 error. The token alone decides the organisation. */
int store_auth(store *s, const char *token, int64_t *host_id, int64_t *org_id, char *name,
	       size_t name_size);
/* The same for POST /v1/enroll: only a host not enrolled yet, decided in
 * one statement (concurrent calls for one name, from any collector on the
 * database: exactly one wins). A host whose token was revoked may enroll.
 * 1 enrolled (token set), 0 already enrolled, -1 error with err. */
int store_enroll_new(store *s, int64_t org_id, const char *host, char token[65], char *err,
		     size_t err_size);
/* Counts one event for key (e.g. "enroll:192.0.2.7") in a fixed window of
 * window_s seconds starting at its first event, atomically: *count is the
 * events in the current window, this one included, *window_end when it
 * ends. In the database, so every collector on it counts together and a
 * restart forgets nothing. 0, or -1 on a database error. */
int store_rate_limit_hit(store *s, int64_t org_id, const char *key, int64_t now,
			 long window_s, long *count, int64_t *window_end);
/* Takes one event back (it turned out not to count). 0 or -1. */
int store_rate_limit_refund(store *s, int64_t org_id, const char *key);
/* The enrolled host of that name (any case), in any organisation: 1 found
 * in exactly one (id, its organisation, its stored name), 2 enrolled in
 * several (ambiguous: refuse), 0 none, -1 error. For client certificates,
 * whose names the collector's one client CA vouches for. */
int store_host_by_name(store *s, const char *host, int64_t *host_id, int64_t *org_id,
		       char *name, size_t name_size);
/* The host of that name (any case) in organisation org_id, enrolled or
 * revoked: 1 found (id, its stored name), 0 none, -1 error. */
int store_host_in_org(store *s, int64_t org_id, const char *host, int64_t *host_id, char *name,
		      size_t name_size);

/* ---- organisations: the provider level (tenant.c) ---- */
typedef struct store_org {
	int64_t id;
	const char *name;
	int64_t created_at;
	const char *secret_sha256; /* its enrollment secret's hash, NULL: none */
} store_org;
/* Letters, digits, '-', '.', '_'; 1..63 characters. */
bool store_org_name_ok(const char *name);
/* A new organisation: 1 added (*id), 0 that name exists, -1 error. */
int store_org_add(store *s, const char *name, const char *secret_sha256, int64_t *id,
		  char *err, size_t err_size);
/* By name (any case): 1 found, 0 none, -1 error. */
int store_org_by_name(store *s, const char *name, int64_t *id);
/* The organisation whose enrollment secret hashes to secret_sha256: 1
 * found, 0 none, -1 error. NULL: whether any has a secret (1 or 0). */
int store_org_by_secret(store *s, const char *secret_sha256, int64_t *id);
/* Every organisation, in id order (callbacks as store_each_host()). */
int store_each_org(store *s, int (*cb)(void *ctx, const store_org *o), void *ctx, char *err,
		   size_t err_size);
/* Removes an organisation that holds nothing (no host, retired host,
 * inventory row, console user or API token): 1
 * removed, 0 none, 2 not empty, -1 error. ORG_DEFAULT is never removed. */
int store_org_remove(store *s, int64_t id, char *err, size_t err_size);

typedef enum {
	STORE_NEW,        /* stored: 201 */
	STORE_DUPLICATE,  /* the same report from the same host: 200 */
	STORE_CONFLICT,   /* same report_id, other body or other host: 409 */
	STORE_ERROR,      /* 503, try again */
} store_result;

typedef struct ingest {
	const char *report_id;
	int64_t host_id;
	const char *host_name;      /* from the token */
	const char *claimed_host;   /* host.hostname in the body */
	int64_t finished_at, received_at;
	double score;               /* NaN when null */
	const char *body;
	size_t body_len;
	const json_t *report;
	const char *body_sha256;    /* optional: computed when NULL */
	const char *summary;        /* optional: results_summary() when NULL */
	/* optional: the body already packed (body_pack(), in the worker that
	 * read it, so the writer thread only writes); packed when NULL */
	const unsigned char *packed;
	size_t packed_len;
	int encoding;
	/* optional: report_digest() when NULL (api: summaries at ingest) */
	const char *digest;
} ingest;

typedef struct ingest_outcome {
	store_result result;
	char err[300];              /* for STORE_CONFLICT and STORE_ERROR */
} ingest_outcome;

/* Group commit: one transaction, one COMMIT (one fsync) for n reports,
 * each stored inside its own SAVEPOINT (the report row, its result
 * summary, its body, its exceptions), so each is atomic on its own and a
 * failing one rolls back alone. out[i] is final only after the COMMIT: a
 * failed COMMIT turns every outcome into STORE_ERROR. Reports of several
 * collectors on one PostgreSQL meet at the unique report_id. */
void store_ingest_batch(store *s, const ingest *const *in, ingest_outcome *out, size_t n);
/* The same for one report. */
store_result store_ingest(store *s, const ingest *in, char *err, size_t err_size);

/* Inventory CSV: header with "hostname" and optional other columns
 * (owner, location, ...). Replaces the inventory. Returns rows or -1.
 * (inventory.c reads the CSV, store_inventory_replace() stores it.) */
long store_inventory_import(store *s, int64_t org_id, const char *csv_path, char *err,
			    size_t err_size);
typedef struct inventory_row {
	const char *hostname;
	const char *attributes;    /* the other columns, as a JSON object */
} inventory_row;
/* One transaction: the old inventory out, these rows in. 0 or -1. */
int store_inventory_replace(store *s, int64_t org_id, const inventory_row *rows, size_t n,
			    char *err, size_t err_size);

/* ---- reading, for the annual report, export and migrate: each of one
 * organisation ---- */

/* One consistent snapshot between begin and end (a read transaction). */
int store_read_begin(store *s, char *err, size_t err_size);
void store_read_end(store *s);
/* store_read_begin, and a second handle on the same store in a read
 * transaction of the same snapshot: two reads of one snapshot side by
 * side, each on its own thread (the annual report's). *twin is NULL when
 * there can be none (a store in memory); else store_read_end and
 * store_close it when done. */
int store_read_begin_twin(store *s, store **twin, char *err, size_t err_size);

typedef struct store_host {
	int64_t id;
	const char *name;
	const char *token_sha256;  /* NULL: not enrolled (no token) */
	int64_t enrolled_at;
} store_host;
/* Every host, in id order. The callbacks return 0 to go on, else stop
 * (that value is returned). -1 with err on a store error. */
int store_each_host(store *s, int64_t org_id, int (*cb)(void *ctx, const store_host *h),
		    void *ctx, char *err, size_t err_size);
int store_each_inventory(store *s, int64_t org_id,
			 int (*cb)(void *ctx, const char *hostname, const char *attributes),
			 void *ctx, char *err, size_t err_size);

typedef struct store_report {
	int64_t host_id;
	const char *host_name;
	const char *report_id;
	const char *claimed_host;
	bool mismatch;
	int64_t finished_at, received_at;
	double score;               /* NaN when null */
	const char *body_sha256;
	const char *summary;
	/* api: filled by store_each_latest_report() and store_each_host_report()
	 * only (0 and NULL elsewhere) */
	int64_t row_id;             /* arrival order */
	const char *digest;         /* report_digest(), NULL when none yet */
} store_report;
/* The reports with from <= finished_at < to, host by host (host id order),
 * each host's in time order. */
int store_each_report(store *s, int64_t org_id, int64_t from, int64_t to,
		      int (*cb)(void *ctx, const store_report *r), void *ctx, char *err,
		      size_t err_size);

typedef struct store_exception {
	const char *host_name;
	const char *rule, *reason, *approved_by, *until;
	int64_t first_seen, last_seen;
} store_exception;
/* The exceptions seen in [from, to), by host name and rule. */
int store_each_exception(store *s, int64_t org_id, int64_t from, int64_t to,
			 int (*cb)(void *ctx, const store_exception *e), void *ctx,
			 char *err, size_t err_size);

/* The stored bytes of a report of a host of org_id: 1 found (*body
 * malloc'd, the exact bytes received, whatever the stored encoding), 0 no
 * such report (in that organisation), 2 its body was removed by retention
 * (its row and SHA-256 remain), -1 error. */
int store_export(store *s, int64_t org_id, const char *report_id, char **body, size_t *len,
		 char *err, size_t err_size);

/* Copies everything of src into dst, organisation by organisation
 * (organisations with their secrets' hashes, hosts with their token
 * hashes, inventory, every report from its exact bytes), then reads each
 * report back from dst and checks its SHA-256. Safe to run again. 0 or -1. */
int store_copy(store *src, store *dst, long *hosts, long *reports, char *err,
	       size_t err_size);

/* The fleet for the organisation's placement (org_fleet.c): each host's
 * latest report with from <= finished_at <= to (by finished_at, then
 * arrival); inventory hosts with no scored report in it. */
typedef struct store_fleet {
	double sum;      /* of those latest reports' scores */
	long hosts;      /* latest reports with a score */
	long unscored;   /* latest reports without one */
	long absent;     /* inventory hosts without a scored report */
} store_fleet;
int store_fleet_scores(store *s, int64_t org_id, int64_t from, int64_t to, store_fleet *out,
		       char *err, size_t err_size);

/* One attribute (a column of the inventory CSV, e.g. "group") of an
 * inventory host (any case): 1 found and not empty (value filled), 0 none,
 * -1 error. */
int store_inventory_attr(store *s, int64_t org_id, const char *host, const char *key,
			 char *value, size_t size);
/* Sets it (value "" removes it); a host not in the inventory yet gets a
 * row of its own. 0 or -1 with err. */
int store_inventory_set_attr(store *s, int64_t org_id, const char *host, const char *key,
			     const char *value, char *err, size_t err_size);
/* Every host (by name) with its newest report's report_id (by finished_at,
 * then arrival), NULL when it has none. Callbacks as store_each_host(). */
int store_each_latest(store *s, int64_t org_id,
		      int (*cb)(void *ctx, const char *host, const char *report_id), void *ctx,
		      char *err, size_t err_size);

/* ---- the year at a glance (the annual report): a per host, year and rule
 * aggregate kept at ingest (table host_rule_years), so the annual report
 * reads one small row per host and rule instead of every report. ---- */

/* One host's year for one rule: per month (index 0 for January) on which
 * days (bit d-1 for day d, UTC) a report said pass, fail, unknown (unknown
 * or error) or not applicable (not_applicable or disabled), and the state
 * of the year's latest report (by finished_at, then arrival). */
typedef struct store_rule_year {
	int64_t host_id;
	int year;
	const char *rule;          /* "pack:id" */
	uint32_t pass_days[12], fail_days[12], unknown_days[12], na_days[12];
	int64_t last_at;
	char last_state;           /* p f u n e d */
} store_rule_year;
/* The rows of organisation org_id for the year, in (host id, rule) order:
 * the table's own key order. */
int store_each_rule_year(store *s, int64_t org_id, int year,
			 int (*cb)(void *ctx, const store_rule_year *y), void *ctx, char *err,
			 size_t err_size);
/* YYYYMM of t (UTC) and its day of the month (1..31). */
int store_month_of(int64_t t, int *day);

/* The evidence list: every report of organisation org_id with from <=
 * finished_at < to, host by host (host id order), each host's by
 * (finished_at, received_at, report_id), from a covering index. The
 * host by its id only: the reader has the hosts already (store_each_host),
 * and a name per row was a text more per report to send and copy. */
typedef struct store_evidence {
	int64_t host_id;
	const char *report_id, *body_sha256;
	int64_t finished_at, received_at;
} store_evidence;
int store_each_evidence(store *s, int64_t org_id, int64_t from, int64_t to,
			int (*cb)(void *ctx, const store_evidence *e), void *ctx, char *err,
			size_t err_size);

/* The same reports of year (UTC) counted per host, host by host (host id
 * order): how many, the first and the last finished_at, and in which
 * months (bit m-1 for month m). From host_months, the aggregate kept at
 * ingest (a row per host and month): the annual report's coverage before
 * its evidence list is read, without reading the reports. */
typedef struct store_host_month {
	int64_t host_id;
	int month;             /* YYYYMM, UTC */
	long reports;
	int64_t first, last;   /* finished_at */
} store_host_month;
typedef struct store_host_reports {
	int64_t host_id;
	long reports;
	int64_t first, last;
	uint16_t months;
} store_host_reports;
int store_each_host_reports(store *s, int64_t org_id, int year,
			    int (*cb)(void *ctx, const store_host_reports *r), void *ctx,
			    char *err, size_t err_size);

/* Retention (provider level, every organisation): removes the bodies of
 * reports finished before `before`; their rows (summary, SHA-256, times) stay for the annual report and its
 * evidence list. Returns bodies removed, or -1. */
long store_prune_bodies(store *s, int64_t before, char *err, size_t err_size);

/* ---- alerts (collector/alerts/): an outbox in the database ----
 * Every function takes the organisation (principal.h) and touches only
 * its rows; the cursor, events, deliveries and attempts are shared by
 * every collector on the database. */

/* A report that arrived after the cursor, with its host's report before
 * it (by finished_at, then arrival): prev_summary NULL for the first. */
typedef struct store_alert_report {
	int64_t id;                 /* arrival order: the cursor's unit */
	const char *host_name, *report_id, *claimed_host;
	bool mismatch;
	int64_t finished_at;
	const char *summary, *prev_summary;
} store_alert_report;
/* The reports after the cursor in arrival order (at most limit), each to
 * cb (0 goes on). *last gets the id of the last one given (unchanged when
 * none). A new organisation's cursor starts at the newest report: alerts
 * begin with the reports that arrive after they were set up. 0 or -1. */
int store_alert_new_reports(store *s, int64_t org_id, long limit,
			    int (*cb)(void *ctx, const store_alert_report *r), void *ctx,
			    int64_t *last, char *err, size_t err_size);
/* Moves the cursor forward to `to` (never back). 0 or -1. */
int store_alert_cursor_advance(store *s, int64_t org_id, int64_t to, char *err,
			       size_t err_size);

/* An enrolled host (token not revoked) whose newest report finished before
 * `before` (or that never reported and enrolled before it). */
typedef struct store_alert_silent {
	const char *host_name;
	const char *last_report_id;  /* NULL: never reported */
	int64_t last_finished_at;    /* 0 when never */
	int64_t enrolled_at;
} store_alert_silent;
int store_alert_each_silent(store *s, int64_t org_id, int64_t before,
			    int (*cb)(void *ctx, const store_alert_silent *h), void *ctx,
			    char *err, size_t err_size);

typedef struct store_alert_event {
	int64_t id;
	const char *key;            /* unique: kind|host|rule|report ... */
	const char *kind, *host, *rule;
	const char *detail;         /* JSON object (alert_text.c reads it) */
	int64_t created_at;
} store_alert_event;
/* Stores the event and, in the same transaction, one pending delivery
 * per receiver named. 1 stored, 0 its key is stored already (by this or
 * another collector: nothing is added), -1 error. */
int store_alert_event_add(store *s, int64_t org_id, const store_alert_event *e,
			  const char *const *receivers, size_t n, char *err, size_t err_size);
/* The events created in [from, to), oldest first. */
int store_alert_each_event(store *s, int64_t org_id, int64_t from, int64_t to,
			   int (*cb)(void *ctx, const store_alert_event *e), void *ctx,
			   char *err, size_t err_size);

typedef struct store_alert_delivery {
	int64_t id;
	char *receiver;
	char *state;                /* pending, sent, failed */
	long attempts;
	int64_t next_at, delivered_at;
	char *last_error;           /* NULL: none */
	store_alert_event ev;       /* its strings are owned here too */
} store_alert_delivery;
void store_alert_delivery_free(store_alert_delivery *d);
/* Leases one due delivery (pending, next_at <= now, no live lease) to
 * owner until now + lease_s, atomically: two collectors never hold one
 * delivery at once. 1 leased (d filled; free it), 0 none due, -1. */
int store_alert_claim(store *s, int64_t org_id, const char *owner, int64_t now, long lease_s,
		      store_alert_delivery *d, char *err, size_t err_size);
/* Records one attempt of a leased delivery and ends the lease: ok marks
 * it sent at now; otherwise it waits until next_at, or has failed for
 * good when next_at is 0. 1 recorded, 0 owner's lease was lost (nothing
 * changed), -1 error. */
int store_alert_attempt(store *s, int64_t org_id, int64_t delivery_id, const char *owner,
			int64_t now, bool ok, const char *detail, int64_t next_at, char *err,
			size_t err_size);
/* The deliveries of the events created at or after since, oldest first
 * (for `alerts list`): who was told what, when, after how many tries. */
int store_alert_each_delivery(store *s, int64_t org_id, int64_t since,
			      int (*cb)(void *ctx, const store_alert_delivery *d), void *ctx,
			      char *err, size_t err_size);

/* ---- evidence: the reports' hash chain (docs/collector.md "Evidence") ----
 * Each stored report is a link of its organisation's chain, in the order
 * the reports were stored: link n's chain_sha256 = SHA-256 of the text
 * of link n-1's chain hash followed by the report's SHA-256 (128 hex
 * characters, lower case); link 0 (genesis) is 64 zeros. Ingest appends
 * under the organisation's head row (one linear chain whatever the
 * writers); chain_verify.c checks it. */
typedef struct store_link {
	int64_t seq;
	const char *report_id;      /* NULL: the link's report row is gone */
	const char *body_sha256;    /* the row's */
	const char *chain_sha256;
	int64_t chained_at;         /* never decreases along the chain */
	/* the body as received (body_len bytes), when asked for and stored;
	 * NULL with body_removed (retention) or body_error (undecodable) */
	const char *body;
	size_t body_len;
	bool body_removed;
	const char *body_error;
	/* the backend's view: the stored bytes and their encoding */
	const unsigned char *packed;
	size_t packed_len;
	int encoding;
} store_link;
/* org_id's links in sequence order, with their bodies when bodies is
 * true. Callbacks as store_each_host(). */
int store_each_link(store *s, int64_t org_id, bool bodies,
		    int (*cb)(void *ctx, const store_link *l), void *ctx, char *err,
		    size_t err_size);
/* The chain's head as it was at `at` (epoch): the last link chained before
 * then (the annual report prints it at year end). 1 found (seq, sha
 * filled), 0 no link before then (seq 0, the genesis hash), -1 error. */
int store_chain_head(store *s, int64_t org_id, int64_t at, int64_t *seq, char sha[65],
		     char *err, size_t err_size);
/* The head row ingest moves: 1 (seq, sha), 0 no chain yet, -1 error. */
int store_chain_tip(store *s, int64_t org_id, int64_t *seq, char sha[65], char *err,
		    size_t err_size);
/* Reports of org_id that are in no link: their number, and the first one's
 * report_id (first, when any). 0 or -1. */
int store_chain_unlinked(store *s, int64_t org_id, long *count, char first[64], char *err,
			 size_t err_size);

/* Bench data only: commits stop waiting for the disk on this connection. */
void store_bench_unsafe(store *s);

/* ---- the console's people and sessions (ui branch, collector/ui/) ----
 * Rows of the store, not of one process: several collectors on one
 * PostgreSQL share who may log in and who is logged in. org_id scopes
 * both (principal.h; ORG_DEFAULT on a one-company install). */
typedef struct store_user {
	char name[128];
	char role[16];      /* "admin" or "auditor" */
	char lang[8];       /* "en", "ja", or "" for the browser's choice */
	char hash[256];     /* the argon2id encoded string (salt inside) */
	int64_t created_at;
} store_user;
/* Adds u: 1 added, 0 the name is taken, -1 error with err. */
int store_user_add(store *s, int64_t org_id, const store_user *u, char *err, size_t err_size);
/* A new password hash for name; its sessions end. 1 done, 0 no such user,
 * -1 error. */
int store_user_set_hash(store *s, int64_t org_id, const char *name, const char *hash,
			char *err, size_t err_size);
/* 1 found (out filled), 0 none, -1 error. */
int store_user_get(store *s, int64_t org_id, const char *name, store_user *out);
/* Every user of the organisation, by name; callbacks as store_each_host(). */
int store_each_user(store *s, int64_t org_id, int (*cb)(void *ctx, const store_user *u),
		    void *ctx, char *err, size_t err_size);
/* Removes name and its sessions: 1 removed, 0 none, -1 error. */
int store_user_remove(store *s, int64_t org_id, const char *name, char *err,
		      size_t err_size);

typedef struct store_session {
	int64_t expires_at;
	char user[128];
	char role[16];      /* the user's role now, not at login */
	char lang[8];
	char csrf[65];      /* the forms' token of this session */
} store_session;
/* Stores a session under the SHA-256 of its id (the id itself only ever
 * is in the browser's cookie); sessions past their expiry are removed on
 * the way. 0 or -1 with err. */
int store_session_add(store *s, int64_t org_id, const char *id_sha256, const char *user,
		      const char *csrf, int64_t now, int64_t expires_at, char *err,
		      size_t err_size);
/* The live session (expires_at > now) of a user that still exists:
 * 1 (out filled), 0 none, -1 error. */
int store_session_get(store *s, int64_t org_id, const char *id_sha256, int64_t now,
		      store_session *out);
/* Logout: 0 or -1. */
int store_session_end(store *s, int64_t org_id, const char *id_sha256);
/* tenants: the organisation a session belongs to, from its (unguessable)
 * id's hash alone, before anything of the organisation is read: 1 found,
 * 0 none, -1 error. The console then reads the session in it. */
int store_session_org(store *s, const char *id_sha256, int64_t *org_id);

/* ---- api: the fleet model's reads, API tokens, host lifecycle, metrics
 * (fleet.h, collector/api/). org_id: the organisation (principal.h);
 * this branch's own tables are filtered on it. ---- */

/* Each host's newest report (by finished_at, then arrival), with its
 * digest, host id order. Callbacks as store_each_host(). */
int store_each_latest_report(store *s, int64_t org_id,
			     int (*cb)(void *ctx, const store_report *r), void *ctx, char *err,
			     size_t err_size);
/* The reports of host (any case), newest first, those strictly before
 * (before_finished, before_row) in (finished_at, arrival) order, at most
 * limit of them (INT64_MAX, INT64_MAX: from the newest). */
int store_each_host_report(store *s, int64_t org_id, const char *host,
			   int64_t before_finished, int64_t before_row, long limit,
			   int (*cb)(void *ctx, const store_report *r), void *ctx, char *err,
			   size_t err_size);
/* Computes the digest of every report stored without one (stored before
 * digests existed): from its body, or from its summary when retention
 * removed the body. Returns how many, or -1. Safe to run again and from
 * several collectors at once. */
long store_backfill_digests(store *s, char *err, size_t err_size);

/* Host lifecycle (`hosts revoke|rename|retire`). 1 done, 0 no such host,
 * -1 error with err. Revoking removes the token at once (the next upload
 * gets 401); the host may enroll again. Renaming keeps the host's id, so
 * its reports and exceptions stay its history; its inventory row and
 * retirement follow the name. Retiring a host (enrolled or only in the
 * inventory) keeps its history and takes it out of "expected"; it also
 * revokes its token. */
int store_host_revoke(store *s, int64_t org_id, const char *host, char *err, size_t err_size);
int store_host_rename(store *s, int64_t org_id, const char *from, const char *to, char *err,
		      size_t err_size);
int store_host_retire(store *s, int64_t org_id, const char *host, int64_t when, char *err,
		      size_t err_size);
int store_each_retired(store *s, int64_t org_id,
		       int (*cb)(void *ctx, const char *host, int64_t retired_at), void *ctx,
		       char *err, size_t err_size);

/* API tokens (`token create|list|revoke`): only their hash is stored.
 * role: "auditor" or "metrics". token receives "hat_" + 64 hex + NUL.
 * 0, or -1 with err (a name already used included). */
#define STORE_API_TOKEN_SIZE 69
int store_token_create(store *s, int64_t org_id, const char *name, const char *role_name,
		       char token[STORE_API_TOKEN_SIZE], char *err, size_t err_size);
/* The token's organisation, role and name: 1 found, 0 unknown, -1 error. */
int store_token_auth(store *s, const char *token, int64_t *org_id, char *role_name,
		     size_t role_size, char *name, size_t name_size);
typedef struct store_token {
	int64_t org_id;
	const char *name, *role;
	int64_t created_at;
	const char *token_sha256;  /* for store_copy() */
} store_token;
int store_each_token(store *s, int64_t org_id, int (*cb)(void *ctx, const store_token *t),
		     void *ctx, char *err, size_t err_size);
/* 1 revoked (removed), 0 none of that name, -1 error. */
int store_token_revoke(store *s, int64_t org_id, const char *name, char *err,
		       size_t err_size);

/* /metrics: the reports stored, by every collector on the database.
 * 0 or -1. */
int store_report_count(store *s, int64_t org_id, int64_t *n, char *err, size_t err_size);

/* ---- helpers shared by the backends and their callers ---- */
/* n bytes as 2n lower-case hex digits and a NUL. */
void hex_lower(const unsigned char *in, size_t n, char *out);
void sha256_hex(const void *data, size_t len, char out[65]);
/* 64 hex zeros: the chain hash of link 0 (genesis). */
#define CHAIN_GENESIS "0000000000000000000000000000000000000000000000000000000000000000"
/* out = hex(SHA-256(prev || report_sha)), over the two texts. 0 or -1. */
int chain_link_hash(const char *prev, const char *report_sha, char out[65]);
/* Compact per-report result summary stored with each report:
 * "pack:id=<c>\n" per result, c one of p f u n e d. */
char *results_summary(const json_t *report);
/* api: what the fleet views read of a report, computed once at ingest
 * (report_digest.c), JSON text (malloc'd):
 *   {"t":{"pass":n,"fail":n,"unknown":n,"error":n,"not_applicable":n,
 *         "disabled":n},
 *    "articles":{"<pack>:<article>":{<the same counts>}, ...},
 *    "failing":[{"rule":id,"pack":p,"severity":s,"title":{"en","ja"}}, ...],
 *    "exceptions":[rule id, ...]}
 * report_digest_from_summary() makes what can be made of a summary alone
 * (no articles, no severities) for a report whose body is gone. */
char *report_digest(const json_t *report);
char *report_digest_from_summary(const char *summary);

#endif
