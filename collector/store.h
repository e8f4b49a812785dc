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

/* Opens the store `database` names (a path: SQLite, created 0600; a
 * postgresql:// URI: PostgreSQL) and brings its schema to the current
 * version (schema_version table; ordered migrations per backend). */
store *store_open(const char *database, char *err, size_t err_size);
void store_close(store *s);
/* "sqlite" or "postgresql". */
const char *store_kind(const store *s);
/* The schema version the store is at after store_open(). */
int store_schema_version(store *s);

/* A new random token for host (enrolling it, or replacing its token).
 * token receives 64 hex characters + NUL. 0 or -1 with err. */
int store_enroll(store *s, const char *host, char token[65], char *err, size_t err_size);
/* The host a token belongs to: 1 found (id, name), 0 unknown, -1 error. */
int store_auth(store *s, const char *token, int64_t *host_id, char *name, size_t name_size);
/* The same for POST /v1/enroll: only a host not enrolled yet, decided in
 * one statement (concurrent calls for one name, from any collector on the
 * database: exactly one wins). A host whose token was revoked may enroll.
 * 1 enrolled (token set), 0 already enrolled, -1 error with err. */
int store_enroll_new(store *s, const char *host, char token[65], char *err, size_t err_size);
/* Counts one event for key (e.g. "enroll:192.0.2.7") in a fixed window of
 * window_s seconds starting at its first event, atomically: *count is the
 * events in the current window, this one included, *window_end when it
 * ends. In the database, so every collector on it counts together and a
 * restart forgets nothing. 0, or -1 on a database error. */
int store_rate_limit_hit(store *s, const char *key, int64_t now, long window_s,
			 long *count, int64_t *window_end);
/* Takes one event back (it turned out not to count). 0 or -1. */
int store_rate_limit_refund(store *s, const char *key);
/* The enrolled host of that name (any case): 1 found (id, its stored name),
 * 0 none, -1 error. For client certificates. */
int store_host_by_name(store *s, const char *host, int64_t *host_id, char *name,
		       size_t name_size);

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
long store_inventory_import(store *s, const char *csv_path, char *err, size_t err_size);
typedef struct inventory_row {
	const char *hostname;
	const char *attributes;    /* the other columns, as a JSON object */
} inventory_row;
/* One transaction: the old inventory out, these rows in. 0 or -1. */
int store_inventory_replace(store *s, const inventory_row *rows, size_t n, char *err,
			    size_t err_size);

/* ---- reading, for the annual report, export and migrate ---- */

/* One consistent snapshot between begin and end (a read transaction). */
int store_read_begin(store *s, char *err, size_t err_size);
void store_read_end(store *s);

typedef struct store_host {
	int64_t id;
	const char *name;
	const char *token_sha256;  /* NULL: not enrolled (no token) */
	int64_t enrolled_at;
} store_host;
/* Every host, in id order. The callbacks return 0 to go on, else stop
 * (that value is returned). -1 with err on a store error. */
int store_each_host(store *s, int (*cb)(void *ctx, const store_host *h), void *ctx,
		    char *err, size_t err_size);
int store_each_inventory(store *s, int (*cb)(void *ctx, const char *hostname,
					     const char *attributes),
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
int store_each_report(store *s, int64_t from, int64_t to,
		      int (*cb)(void *ctx, const store_report *r), void *ctx, char *err,
		      size_t err_size);

typedef struct store_exception {
	const char *host_name;
	const char *rule, *reason, *approved_by, *until;
	int64_t first_seen, last_seen;
} store_exception;
/* The exceptions seen in [from, to), by host name and rule. */
int store_each_exception(store *s, int64_t from, int64_t to,
			 int (*cb)(void *ctx, const store_exception *e), void *ctx,
			 char *err, size_t err_size);

/* The stored bytes of a report: 1 found (*body malloc'd, the exact bytes
 * received, whatever the stored encoding), 0 no such report, 2 its body
 * was removed by retention (its row and SHA-256 remain), -1 error. */
int store_export(store *s, const char *report_id, char **body, size_t *len, char *err,
		 size_t err_size);

/* Copies everything of src into dst (hosts with their token hashes,
 * inventory, every report from its exact bytes), then reads each report
 * back from dst and checks its SHA-256. Safe to run again. 0 or -1. */
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
int store_fleet_scores(store *s, int64_t from, int64_t to, store_fleet *out, char *err,
		       size_t err_size);

/* One attribute (a column of the inventory CSV, e.g. "group") of an
 * inventory host (any case): 1 found and not empty (value filled), 0 none,
 * -1 error. */
int store_inventory_attr(store *s, const char *host, const char *key, char *value,
			 size_t size);
/* Sets it (value "" removes it); a host not in the inventory yet gets a
 * row of its own. 0 or -1 with err. */
int store_inventory_set_attr(store *s, const char *host, const char *key, const char *value,
			     char *err, size_t err_size);
/* Every host (by name) with its newest report's report_id (by finished_at,
 * then arrival), NULL when it has none. Callbacks as store_each_host(). */
int store_each_latest(store *s, int (*cb)(void *ctx, const char *host, const char *report_id),
		      void *ctx, char *err, size_t err_size);

/* Retention: removes the bodies of reports finished before `before`;
 * their rows (summary, SHA-256, times) stay for the annual report and its
 * evidence list. Returns bodies removed, or -1. */
long store_prune_bodies(store *s, int64_t before, char *err, size_t err_size);

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
int store_token_create(store *s, int64_t org_id, const char *name, const char *role,
		       char token[STORE_API_TOKEN_SIZE], char *err, size_t err_size);
/* The token's organisation, role and name: 1 found, 0 unknown, -1 error. */
int store_token_auth(store *s, const char *token, int64_t *org_id, char *role,
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
void sha256_hex(const void *data, size_t len, char out[65]);
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
