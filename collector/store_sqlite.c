/* SPDX-License-Identifier: Apache-2.0 */
/* The store on SQLite (store.h): one box, one file.
 *
 * Durability: WAL with synchronous=FULL. In WAL mode, NORMAL syncs only at
 * checkpoints, so a power cut may lose the last commits — after the agent
 * was told "stored" and deleted its copy. FULL fsyncs the WAL on every
 * commit, which is what "durable before 2xx" means; group commit shares
 * that fsync between the reports waiting (see docs/performance.md). */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <sqlite3.h>

#include "store_backend.h"

typedef struct sqlite_store {
	store base;
	sqlite3 *db;
	sqlite3_stmt *auth, *find, *insert, *body, *exc;
	int version;
} sqlite_store;

#define DB(s) (((sqlite_store *)(s))->db)

/* ---- schema, and its migrations ---- */

/* The reports table's columns, for its CREATE and for the move of the
 * bodies out of it. */
#define REPORTS_COLUMNS \
	"(id INTEGER PRIMARY KEY,"      /* arrival order */ \
	"  report_id TEXT NOT NULL UNIQUE," \
	"  host_id INTEGER NOT NULL REFERENCES hosts(id)," \
	"  claimed_hostname TEXT," \
	"  hostname_mismatch INTEGER NOT NULL," \
	"  finished_at INTEGER NOT NULL," \
	"  received_at INTEGER NOT NULL," \
	"  score REAL," \
	"  body_sha256 TEXT NOT NULL," \
	"  summary TEXT NOT NULL)"      /* see results_summary() */
#define REPORTS_COLUMN_NAMES \
	"id, report_id, host_id, claimed_hostname, hostname_mismatch, finished_at," \
	" received_at, score, body_sha256, summary"

/* Version 1 is the schema of the collector before schema_version existed;
 * IF NOT EXISTS lets such a database pass through it unchanged. */
static const char v1_tables[] =
	"CREATE TABLE IF NOT EXISTS hosts("
	"  id INTEGER PRIMARY KEY,"
	"  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
	"  token_sha256 TEXT UNIQUE,"  /* only the hash of the token */
	"  enrolled_at INTEGER NOT NULL);"
	"CREATE TABLE IF NOT EXISTS reports" REPORTS_COLUMNS ";"
	/* The raw bodies apart: the annual report scans the small rows above
	 * without paging through the bodies' megabytes. */
	"CREATE TABLE IF NOT EXISTS report_bodies("
	"  report INTEGER PRIMARY KEY REFERENCES reports(id),"
	"  body BLOB NOT NULL);"
	"CREATE TABLE IF NOT EXISTS exceptions("
	"  host_id INTEGER NOT NULL REFERENCES hosts(id),"
	"  rule TEXT NOT NULL, reason TEXT NOT NULL,"
	"  approved_by TEXT NOT NULL, until TEXT NOT NULL,"
	"  first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL,"
	"  UNIQUE(host_id, rule, reason, approved_by, until));"
	"CREATE TABLE IF NOT EXISTS inventory("
	"  hostname TEXT PRIMARY KEY COLLATE NOCASE,"
	"  attributes TEXT NOT NULL,"   /* the other CSV columns, as JSON */
	"  imported_at INTEGER NOT NULL);";

static const char v1_indexes[] =
	"CREATE INDEX IF NOT EXISTS reports_time ON reports(finished_at);"
	/* the annual report: per host, in time order, no sort */
	"CREATE INDEX IF NOT EXISTS reports_host_time ON reports(host_id, finished_at);";

/* The oldest databases keep the bodies in reports.body: move them. The
 * reports table is rebuilt rather than altered (DROP COLUMN would leave
 * each small row alone on its old page); it keeps its ids, so
 * report_bodies' references stay right. */
static int v1_move_bodies(sqlite3 *db, char **msg)
{
	sqlite3_stmt *st;
	int old = 0;
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM pragma_table_info('reports') WHERE name = 'body'",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			old = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (!old)
		return 0;
	return sqlite3_exec(db,
			    "CREATE TABLE reports_new" REPORTS_COLUMNS ";"
			    "INSERT INTO reports_new SELECT " REPORTS_COLUMN_NAMES " FROM reports"
			    " ORDER BY id;"
			    "INSERT INTO report_bodies(report, body) SELECT id, body FROM reports;"
			    "DROP TABLE reports;"
			    "ALTER TABLE reports_new RENAME TO reports;",
			    NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

static int v1(sqlite3 *db, char **msg)
{
	if (sqlite3_exec(db, v1_tables, NULL, NULL, msg) != SQLITE_OK ||
	    v1_move_bodies(db, msg) != 0)
		return -1;
	return sqlite3_exec(db, v1_indexes, NULL, NULL, msg) == SQLITE_OK ? 0 : -1;
}

/* Version 2: bodies may be stored compressed (body_codec.h); those
 * stored before stay as they are, encoding 0. */
static int v2(sqlite3 *db, char **msg)
{
	return sqlite3_exec(db,
			    "ALTER TABLE report_bodies ADD COLUMN encoding INTEGER NOT NULL"
			    " DEFAULT 0",
			    NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

/* Version 3: throttles (store_rate_limit_hit) in the database, not in one
 * process's memory. IF NOT EXISTS: databases of the collector that had
 * the table before schema_version counted it have it already. */
static int v3(sqlite3 *db, char **msg)
{
	return sqlite3_exec(db,
			    "CREATE TABLE IF NOT EXISTS rate_limits("
			    "  key TEXT PRIMARY KEY,"
			    "  window_start INTEGER NOT NULL,"
			    "  count INTEGER NOT NULL)",
			    NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

/* ui: the console's users and their sessions (collector/ui/). A session
 * row holds the SHA-256 of its id only; its expiry is the database's,
 * so every collector on it ends it at the same moment. */
static int v5_ui(sqlite3 *db, char **msg)
{
	return sqlite3_exec(db,
			    "CREATE TABLE users("
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  name TEXT NOT NULL COLLATE NOCASE,"
			    "  role TEXT NOT NULL,"
			    "  lang TEXT NOT NULL DEFAULT '',"
			    "  password_hash TEXT NOT NULL,"
			    "  created_at INTEGER NOT NULL,"
			    "  UNIQUE(org_id, name));"
			    "CREATE TABLE sessions("
			    "  id_sha256 TEXT PRIMARY KEY,"
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  user_name TEXT NOT NULL COLLATE NOCASE,"
			    "  csrf TEXT NOT NULL,"
			    "  created_at INTEGER NOT NULL,"
			    "  expires_at INTEGER NOT NULL);"
			    "CREATE INDEX sessions_expiry ON sessions(expires_at);",
			    NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

/* api: version 4: the digest of each report (report_digest(), made at
 * ingest; those stored before get theirs from store_backfill_digests()),
 * API tokens, retired hosts. */
static int v4_api(sqlite3 *db, char **msg)
{
	return sqlite3_exec(db,
			    "CREATE TABLE report_digests("
			    "  report INTEGER PRIMARY KEY REFERENCES reports(id),"
			    "  digest TEXT NOT NULL);"
			    "CREATE TABLE api_tokens("
			    "  id INTEGER PRIMARY KEY,"
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  name TEXT NOT NULL,"
			    "  role TEXT NOT NULL,"
			    "  token_sha256 TEXT NOT NULL UNIQUE,"
			    "  created_at INTEGER NOT NULL,"
			    "  UNIQUE(org_id, name));"
			    "CREATE TABLE retired_hosts("
			    "  name TEXT PRIMARY KEY COLLATE NOCASE,"
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  retired_at INTEGER NOT NULL)",
			    NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

/* In order; each runs once, in the transaction that records it. */
static int (*const migrations[])(sqlite3 *db, char **msg) = {
	v1,
	v2,
	v3,
	v4_api, /* api: digests, API tokens, retired hosts */
	v5_ui, /* ui: users and sessions */
};
#define SCHEMA_VERSION ((int)(sizeof migrations / sizeof migrations[0]))

/* One transaction (BEGIN IMMEDIATE: another process opening the database
 * at the same time waits, then finds nothing left to do). Foreign keys are
 * off during it, as SQLite requires for rebuilding a table, and this
 * pragma only works outside a transaction. */
static int migrate(sqlite_store *s, char **msg)
{
	sqlite3 *db = s->db;
	if (sqlite3_exec(db,
			 "PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE;"
			 "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL,"
			 " applied_at INTEGER NOT NULL)",
			 NULL, NULL, msg) != SQLITE_OK)
		return -1;
	sqlite3_stmt *st;
	int have = -1;
	if (sqlite3_prepare_v2(db, "SELECT coalesce(max(version), 0) FROM schema_version", -1,
			       &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			have = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	int rc = have < 0 ? -1 : 0;
	if (have > SCHEMA_VERSION) {
		*msg = sqlite3_mprintf("schema version %d is newer than this collector's %d; "
				       "upgrade hostaudit-collector", have, SCHEMA_VERSION);
		rc = -1;
	}
	for (int v = have + 1; rc == 0 && v <= SCHEMA_VERSION; v++) {
		char rec[128];
		snprintf(rec, sizeof rec,
			 "INSERT INTO schema_version VALUES(%d, strftime('%%s','now'))", v);
		if (migrations[v - 1](db, msg) != 0 ||
		    sqlite3_exec(db, rec, NULL, NULL, msg) != SQLITE_OK)
			rc = -1;
	}
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, msg) != SQLITE_OK)
		rc = -1;
	if (rc != 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_exec(db, "PRAGMA foreign_keys=ON", NULL, NULL, NULL);
	s->version = rc == 0 ? SCHEMA_VERSION : have;
	return rc;
}

static int sqlerr(sqlite3 *db, const char *what, char *err, size_t err_size)
{
	snprintf(err, err_size, "database: %s: %s", what, db ? sqlite3_errmsg(db) : "no memory");
	return -1;
}

static void sq_close(store *st)
{
	sqlite_store *s = (sqlite_store *)st;
	sqlite3_finalize(s->auth);
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->body);
	sqlite3_finalize(s->exc);
	sqlite3_close(s->db);
	free(s);
}

static int prepare_all(sqlite_store *s)
{
	return sqlite3_prepare_v2(s->db, "SELECT id, name FROM hosts WHERE token_sha256 = ?", -1,
				  &s->auth, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(s->db,
				  "SELECT host_id, body_sha256 FROM reports WHERE report_id = ?",
				  -1, &s->find, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(s->db,
				  "INSERT INTO reports(report_id, host_id, claimed_hostname,"
				  " hostname_mismatch, finished_at, received_at, score, body_sha256,"
				  " summary) VALUES(?,?,?,?,?,?,?,?,?)",
				  -1, &s->insert, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(s->db,
				  "INSERT INTO report_bodies(report, body, encoding) VALUES(?,?,?)",
				  -1, &s->body, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(s->db,
				  "INSERT INTO exceptions VALUES(?,?,?,?,?,?,?) ON CONFLICT DO "
				  "UPDATE SET first_seen = min(first_seen, excluded.first_seen),"
				  " last_seen = max(last_seen, excluded.last_seen)",
				  -1, &s->exc, NULL) != SQLITE_OK
		       ? -1
		       : 0;
}

static store *sq_open(const char *path, char *err, size_t err_size)
{
	/* Create it 0600 ourselves (SQLite would use the umask; its -wal and
	 * -shm copy the database's mode). Only when missing: closing any
	 * descriptor of an open database drops this process's POSIX locks on
	 * it, and another process may then delete the live WAL. */
	struct stat sb;
	if (stat(path, &sb) != 0) {
		int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			snprintf(err, err_size, "database %s: %s", path, strerror(errno));
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	sqlite_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlerr(s->db, path, err, err_size);
		sq_close(&s->base);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	char *msg = NULL;
	if (sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
			 &msg) != SQLITE_OK ||
	    migrate(s, &msg) != 0) {
		snprintf(err, err_size, "database %s: %s", path, msg ? msg : "error");
		sqlite3_free(msg);
		sq_close(&s->base);
		return NULL;
	}
	if (prepare_all(s) != 0) {
		sqlerr(s->db, "prepare", err, err_size);
		sq_close(&s->base);
		return NULL;
	}
	return &s->base;
}

static int sq_schema_version(store *s)
{
	return ((sqlite_store *)s)->version;
}

/* ---- hosts ---- */

static int sq_enroll(store *s, const char *host, const char *hash, int64_t when, char *err,
		     size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO hosts(name, token_sha256, enrolled_at) VALUES(?,?,?)"
			       " ON CONFLICT(name) DO UPDATE SET token_sha256 = excluded.token_sha256,"
			       " enrolled_at = excluded.enrolled_at",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "enroll", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)when);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "enroll", err, err_size);
	return 0;
}

static int sq_enroll_new(store *s, const char *host, const char *hash, int64_t when,
			 char *err, size_t err_size)
{
	/* One statement decides and stores: two enrollments of one name at
	 * once cannot both see "not enrolled" (the UNIQUE name does it). A
	 * row without a token (revoked) may take a new one. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO hosts(name, token_sha256, enrolled_at) VALUES(?,?,?)"
			       " ON CONFLICT(name) DO UPDATE SET token_sha256 = excluded.token_sha256,"
			       " enrolled_at = excluded.enrolled_at WHERE hosts.token_sha256 IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "enroll", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)when);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "enroll", err, err_size);
	return sqlite3_changes(DB(s)) == 1 ? 1 : 0;
}

static int sq_rate_limit_hit(store *s, const char *key, int64_t now, long window_s,
			     long *count, int64_t *window_end)
{
	/* One atomic statement: a new window starts once the old one is over. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO rate_limits(key, window_start, count) VALUES(?1, ?2, 1)"
			       " ON CONFLICT(key) DO UPDATE SET"
			       " count = CASE WHEN rate_limits.window_start + ?3 <= ?2 THEN 1"
			       "  ELSE rate_limits.count + 1 END,"
			       " window_start = CASE WHEN rate_limits.window_start + ?3 <= ?2 THEN ?2"
			       "  ELSE rate_limits.window_start END"
			       " RETURNING window_start, count",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, window_s);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*window_end = sqlite3_column_int64(st, 0) + window_s;
		*count = (long)sqlite3_column_int64(st, 1);
		rc = sqlite3_step(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return -1;
	/* A new window here: forget the windows that are over (best effort;
	 * the table stays as small as the addresses seen in one window). */
	if (*count == 1 && sqlite3_prepare_v2(DB(s),
					      "DELETE FROM rate_limits WHERE window_start + ? <= ?",
					      -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, window_s);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return 0;
}

static int sq_rate_limit_refund(store *s, const char *key)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "UPDATE rate_limits SET count = count - 1 WHERE key = ? AND count > 0",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int sq_host_by_name(store *s, const char *host, bool enrolled_only, int64_t *host_id,
			   char *name, size_t name_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       enrolled_only
				       ? "SELECT id, name FROM hosts WHERE name = ? AND token_sha256 IS "
					 "NOT NULL"
				       : "SELECT id, name FROM hosts WHERE name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*host_id = sqlite3_column_int64(st, 0);
		snprintf(name, name_size, "%s", (const char *)sqlite3_column_text(st, 1));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int sq_auth(store *st, const char *hash, int64_t *host_id, char *name, size_t name_size)
{
	sqlite_store *s = (sqlite_store *)st;
	sqlite3_reset(s->auth);
	sqlite3_bind_text(s->auth, 1, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s->auth);
	if (rc == SQLITE_ROW) {
		*host_id = sqlite3_column_int64(s->auth, 0);
		snprintf(name, name_size, "%s", (const char *)sqlite3_column_text(s->auth, 1));
	}
	sqlite3_reset(s->auth);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

/* ---- ingest ---- */

static int store_exceptions(sqlite_store *s, const ingest *in)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(in->report, "exceptions"), i, e) {
		if (!json_is_object(e))
			continue;
		sqlite3_reset(s->exc);
		sqlite3_bind_int64(s->exc, 1, in->host_id);
		sqlite3_bind_text(s->exc, 2, store_jstr(e, "rule"), -1, SQLITE_STATIC);
		sqlite3_bind_text(s->exc, 3, store_jstr(e, "reason"), -1, SQLITE_STATIC);
		sqlite3_bind_text(s->exc, 4, store_jstr(e, "approved_by"), -1, SQLITE_STATIC);
		sqlite3_bind_text(s->exc, 5, store_jstr(e, "until"), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->exc, 6, in->finished_at);
		sqlite3_bind_int64(s->exc, 7, in->finished_at);
		if (sqlite3_step(s->exc) != SQLITE_DONE)
			return -1;
	}
	sqlite3_reset(s->exc);
	return 0;
}

static int store_body(sqlite_store *s, sqlite3_int64 report, const ingest *in)
{
	const unsigned char *data;
	unsigned char *own;
	size_t len;
	int encoding;
	if (store_packed(in, &data, &len, &encoding, &own) != 0)
		return SQLITE_NOMEM;
	sqlite3_reset(s->body);
	sqlite3_bind_int64(s->body, 1, report);
	sqlite3_bind_blob(s->body, 2, data, (int)len, SQLITE_STATIC);
	sqlite3_bind_int(s->body, 3, encoding);
	int rc = sqlite3_step(s->body);
	sqlite3_reset(s->body);
	free(own);
	return rc;
}

/* api: the report's digest beside it (summaries at ingest). */
static int store_digest(sqlite_store *s, sqlite3_int64 report, const ingest *in)
{
	char *own = in->digest ? NULL : report_digest(in->report);
	const char *d = in->digest ? in->digest : own;
	sqlite3_stmt *st;
	if (!d)
		return SQLITE_NOMEM;
	int rc = sqlite3_prepare_v2(s->db, "INSERT INTO report_digests(report, digest) VALUES(?,?)",
				    -1, &st, NULL);
	if (rc == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, report);
		sqlite3_bind_text(st, 2, d, -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_finalize(st);
	}
	free(own);
	return rc;
}

/* Looks for the report_id inside the transaction. */
static store_result check_existing(sqlite_store *s, const ingest *in, const char *sha)
{
	sqlite3_reset(s->find);
	sqlite3_bind_text(s->find, 1, in->report_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s->find);
	store_result r = STORE_NEW;
	if (rc == SQLITE_ROW) {
		bool same = sqlite3_column_int64(s->find, 0) == in->host_id &&
			    strcmp((const char *)sqlite3_column_text(s->find, 1), sha) == 0;
		r = same ? STORE_DUPLICATE : STORE_CONFLICT;
	} else if (rc != SQLITE_DONE) {
		r = STORE_ERROR;
	}
	sqlite3_reset(s->find);
	return r;
}

static store_result insert_report(sqlite_store *s, const ingest *in, const char *sha,
				  const char *summary, char *err, size_t err_size)
{
	sqlite3_stmt *st = s->insert;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, in->report_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, in->host_id);
	sqlite3_bind_text(st, 3, in->claimed_host, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 4, !hostname_matches(in->claimed_host, in->host_name));
	sqlite3_bind_int64(st, 5, in->finished_at);
	sqlite3_bind_int64(st, 6, in->received_at);
	if (isnan(in->score))
		sqlite3_bind_null(st, 7);
	else
		sqlite3_bind_double(st, 7, in->score);
	sqlite3_bind_text(st, 8, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 9, summary, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_int64 row = sqlite3_last_insert_rowid(s->db);
	if (rc == SQLITE_DONE)
		rc = store_body(s, row, in);
	if (rc == SQLITE_DONE)
		rc = store_digest(s, row, in);
	if (rc != SQLITE_DONE || store_exceptions(s, in) != 0) {
		sqlerr(s->db, "insert", err, err_size);
		return STORE_ERROR;
	}
	return STORE_NEW;
}

/* Stores one report inside the open transaction; its SAVEPOINT makes it
 * atomic on its own: a failure rolls back this report and nothing else. */
static store_result ingest_one(sqlite_store *s, const ingest *in, char *err, size_t err_size)
{
	char shabuf[65];
	const char *sha = in->body_sha256;
	if (!sha) {
		sha256_hex(in->body, in->body_len, shabuf);
		sha = shabuf;
	}
	char *own_summary = in->summary ? NULL : results_summary(in->report);
	const char *summary = in->summary ? in->summary : own_summary;
	if (!summary) {
		snprintf(err, err_size, "out of memory");
		return STORE_ERROR;
	}
	if (sqlite3_exec(s->db, "SAVEPOINT report", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(s->db, "savepoint", err, err_size);
		free(own_summary);
		return STORE_ERROR;
	}
	store_result r = check_existing(s, in, sha);
	if (r == STORE_NEW)
		r = insert_report(s, in, sha, summary, err, err_size);
	else if (r == STORE_CONFLICT)
		snprintf(err, err_size,
			 "report_id %s is already stored with another body or from another host",
			 in->report_id);
	if (r != STORE_NEW)
		sqlite3_exec(s->db, "ROLLBACK TO report", NULL, NULL, NULL);
	sqlite3_exec(s->db, "RELEASE report", NULL, NULL, NULL);
	free(own_summary);
	return r;
}

static void sq_ingest_batch(store *st, const ingest *const *in, ingest_outcome *out, size_t n)
{
	sqlite_store *s = (sqlite_store *)st;
	for (size_t i = 0; i < n; i++) {
		out[i].result = STORE_ERROR;
		out[i].err[0] = '\0';
	}
	if (sqlite3_exec(s->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		for (size_t i = 0; i < n; i++)
			sqlerr(s->db, "begin", out[i].err, sizeof out[i].err);
		return;
	}
	for (size_t i = 0; i < n; i++)
		out[i].result = ingest_one(s, in[i], out[i].err, sizeof out[i].err);
	/* One COMMIT, one fsync of the WAL (synchronous=FULL) for all of them.
	 * If it fails, nothing of the batch is stored and nothing was answered:
	 * every report gets 503 and its agent sends it again. */
	if (sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK) {
		for (size_t i = 0; i < n; i++) {
			out[i].result = STORE_ERROR;
			sqlerr(s->db, "commit", out[i].err, sizeof out[i].err);
		}
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
	}
}

/* ---- inventory ---- */

static int sq_inventory_replace(store *s, const inventory_row *rows, size_t n, char *err,
				size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st = NULL;
	int rc = 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE; DELETE FROM inventory;", NULL, NULL, NULL) !=
		    SQLITE_OK ||
	    sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO inventory VALUES(?,?,strftime('%s','now'))",
			       -1, &st, NULL) != SQLITE_OK)
		rc = sqlerr(db, "inventory", err, err_size);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, rows[i].hostname, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i].attributes, -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_DONE)
			rc = sqlerr(db, "inventory", err, err_size);
	}
	sqlite3_finalize(st);
	if (rc == 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(db, "inventory", err, err_size);
	if (rc != 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

/* ---- reading ---- */

static int sq_read_begin(store *s, char *err, size_t err_size)
{
	return sqlite3_exec(DB(s), "BEGIN", NULL, NULL, NULL) == SQLITE_OK
		       ? 0
		       : sqlerr(DB(s), "begin", err, err_size);
}

static void sq_read_end(store *s)
{
	sqlite3_exec(DB(s), "COMMIT", NULL, NULL, NULL);
}

static const char *text(sqlite3_stmt *st, int col)
{
	return (const char *)sqlite3_column_text(st, col);
}

/* Runs st (bound), calling row() per row; -1 with err on an error. */
static int each_row(sqlite3 *db, sqlite3_stmt *st, int (*row)(sqlite3_stmt *, void *),
		    void *ctx, char *err, size_t err_size)
{
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW)
		stop = row(st, ctx);
	if (!stop && rc != SQLITE_DONE)
		stop = sqlerr(db, "read", err, err_size);
	sqlite3_finalize(st);
	return stop;
}

typedef struct cb_ctx {
	void *fn;
	void *ctx;
} cb_ctx;

static int host_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_host h = {.id = sqlite3_column_int64(st, 0), .name = text(st, 1),
			.token_sha256 = text(st, 2), .enrolled_at = sqlite3_column_int64(st, 3)};
	return ((int (*)(void *, const store_host *))c->fn)(c->ctx, &h);
}

static int sq_each_host(store *s, int (*cb)(void *, const store_host *), void *ctx, char *err,
			size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT id, name, token_sha256, enrolled_at FROM hosts ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "hosts", err, err_size);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, host_row, &c, err, err_size);
}

static int inventory_row_cb(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	return ((int (*)(void *, const char *, const char *))c->fn)(c->ctx, text(st, 0),
								  text(st, 1));
}

static int sq_each_inventory(store *s, int (*cb)(void *, const char *, const char *),
			     void *ctx, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), "SELECT hostname, attributes FROM inventory ORDER BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "inventory", err, err_size);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, inventory_row_cb, &c, err, err_size);
}

typedef struct report_ctx {
	cb_ctx c;
	int64_t host_id;
	const char *host_name;
} report_ctx;

static int report_row(sqlite3_stmt *st, void *x)
{
	report_ctx *rc = x;
	store_report r = {
		.host_id = rc->host_id, .host_name = rc->host_name,
		.finished_at = sqlite3_column_int64(st, 0),
		.score = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN
								   : sqlite3_column_double(st, 1),
		.summary = text(st, 2), .report_id = text(st, 3), .body_sha256 = text(st, 4),
		.received_at = sqlite3_column_int64(st, 5), .mismatch = sqlite3_column_int(st, 6),
		.claimed_host = text(st, 7),
	};
	return ((int (*)(void *, const store_report *))rc->c.fn)(rc->c.ctx, &r);
}

/* Host by host, each with the index (host_id, finished_at): in time order
 * without a sort. */
static int sq_each_report(store *s, int64_t from, int64_t to,
			  int (*cb)(void *, const store_report *), void *ctx, char *err,
			  size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *hs, *st;
	if (sqlite3_prepare_v2(db, "SELECT id, name FROM hosts ORDER BY id", -1, &hs, NULL) !=
	    SQLITE_OK)
		return sqlerr(db, "hosts", err, err_size);
	int stop = 0, hrc;
	while (!stop && (hrc = sqlite3_step(hs)) == SQLITE_ROW) {
		if (sqlite3_prepare_v2(db,
				       "SELECT finished_at, score, summary, report_id, body_sha256,"
				       " received_at, hostname_mismatch, claimed_hostname FROM reports"
				       " WHERE host_id = ? AND finished_at >= ? AND finished_at < ?"
				       " ORDER BY finished_at, id",
				       -1, &st, NULL) != SQLITE_OK) {
			stop = sqlerr(db, "reports", err, err_size);
			break;
		}
		report_ctx rc = {{(void *)cb, ctx}, sqlite3_column_int64(hs, 0), text(hs, 1)};
		sqlite3_bind_int64(st, 1, rc.host_id);
		sqlite3_bind_int64(st, 2, from);
		sqlite3_bind_int64(st, 3, to);
		stop = each_row(db, st, report_row, &rc, err, err_size);
	}
	if (!stop && hrc != SQLITE_DONE)
		stop = sqlerr(db, "hosts", err, err_size);
	sqlite3_finalize(hs);
	return stop;
}

static int exception_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_exception e = {
		.host_name = text(st, 0), .rule = text(st, 1), .reason = text(st, 2),
		.approved_by = text(st, 3), .until = text(st, 4),
		.first_seen = sqlite3_column_int64(st, 5), .last_seen = sqlite3_column_int64(st, 6),
	};
	return ((int (*)(void *, const store_exception *))c->fn)(c->ctx, &e);
}

static int sq_each_exception(store *s, int64_t from, int64_t to,
			     int (*cb)(void *, const store_exception *), void *ctx, char *err,
			     size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.name, e.rule, e.reason, e.approved_by, e.until,"
			       " e.first_seen, e.last_seen FROM exceptions e JOIN hosts h"
			       " ON h.id = e.host_id WHERE e.last_seen >= ? AND e.first_seen < ?"
			       " ORDER BY h.name, e.rule",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "exceptions", err, err_size);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, exception_row, &c, err, err_size);
}

static int sq_export(store *s, const char *report_id, unsigned char **data, size_t *len,
		     int *encoding, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT b.body, b.encoding FROM reports r LEFT JOIN report_bodies b"
			       " ON b.report = r.id WHERE r.report_id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "export", err, err_size);
	sqlite3_bind_text(st, 1, report_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_NULL) {
		found = 2; /* removed by retention */
	} else if (rc == SQLITE_ROW) {
		*len = (size_t)sqlite3_column_bytes(st, 0);
		*encoding = sqlite3_column_int(st, 1);
		*data = malloc(*len + 1);
		if (*data) {
			memcpy(*data, sqlite3_column_blob(st, 0), *len);
			found = 1;
		} else {
			snprintf(err, err_size, "out of memory");
			found = -1;
		}
	} else if (rc != SQLITE_DONE) {
		found = sqlerr(DB(s), "export", err, err_size);
	}
	sqlite3_finalize(st);
	return found;
}

static long sq_prune_bodies(store *s, int64_t before, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "DELETE FROM report_bodies WHERE report IN"
			       " (SELECT id FROM reports WHERE finished_at < ?)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "retention", err, err_size);
	sqlite3_bind_int64(st, 1, before);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "retention", err, err_size);
	return (long)sqlite3_changes(DB(s));
}

/* ---- the organisation's placement, policy groups and status ---- */

static int sq_fleet_scores(store *s, int64_t from, int64_t to, store_fleet *m, char *err,
			   size_t err_size)
{
	memset(m, 0, sizeof *m);
	sqlite3_stmt *st = NULL, *inv = NULL;
	static const char latest[] =
		"SELECT r.score FROM reports r"
		" WHERE r.finished_at >= ?1 AND r.finished_at <= ?2 AND r.id = ("
		"  SELECT r2.id FROM reports r2 WHERE r2.host_id = r.host_id"
		"   AND r2.finished_at >= ?1 AND r2.finished_at <= ?2"
		"  ORDER BY r2.finished_at DESC, r2.id DESC LIMIT 1)";
	static const char missing[] =
		"SELECT count(*) FROM inventory i WHERE NOT EXISTS ("
		" SELECT 1 FROM reports r JOIN hosts h ON h.id = r.host_id"
		" WHERE h.name = i.hostname COLLATE NOCASE AND r.finished_at >= ?1"
		" AND r.finished_at <= ?2 AND r.score IS NOT NULL)";
	int rc = -1, step;
	if (sqlite3_prepare_v2(DB(s), latest, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(DB(s), missing, -1, &inv, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_type(st, 0) == SQLITE_NULL) {
			m->unscored++;
			continue;
		}
		m->sum += sqlite3_column_double(st, 0);
		m->hosts++;
	}
	if (step != SQLITE_DONE)
		goto out;
	sqlite3_bind_int64(inv, 1, from);
	sqlite3_bind_int64(inv, 2, to);
	if (sqlite3_step(inv) != SQLITE_ROW)
		goto out;
	m->absent = (long)sqlite3_column_int64(inv, 0);
	rc = 0;
out:
	if (rc != 0)
		sqlerr(DB(s), "fleet", err, err_size);
	sqlite3_finalize(st);
	sqlite3_finalize(inv);
	return rc;
}

static int sq_inventory_attr(store *s, const char *host, const char *key, char *value,
			     size_t size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT json_extract(attributes, '$.' || ?2) FROM inventory"
			       " WHERE hostname = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	int found = 0;
	if (rc == SQLITE_ROW) {
		const char *g = text(st, 0);
		if (g && *g) {
			snprintf(value, size, "%s", g);
			found = 1;
		}
	} else if (rc != SQLITE_DONE) {
		found = -1;
	}
	sqlite3_finalize(st);
	return found;
}

static int sq_inventory_set_attr(store *s, const char *host, const char *key,
				 const char *value, int64_t when, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	const char *sql = *value
		? "INSERT INTO inventory(hostname, attributes, imported_at)"
		  " VALUES(?1, json_object(?2, ?3), ?4) ON CONFLICT(hostname) DO UPDATE"
		  " SET attributes = json_set(attributes, '$.' || ?2, ?3)"
		: "UPDATE inventory SET attributes = json_remove(attributes, '$.' || ?2)"
		  " WHERE hostname = ?1";
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "inventory", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	if (*value) {
		sqlite3_bind_text(st, 3, value, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, (sqlite3_int64)when);
	}
	int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : sqlerr(DB(s), "inventory", err, err_size);
	sqlite3_finalize(st);
	return rc;
}

static int latest_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	return ((int (*)(void *, const char *, const char *))c->fn)(c->ctx, text(st, 0),
								  text(st, 1));
}

static int sq_each_latest(store *s, int (*cb)(void *, const char *, const char *), void *ctx,
			  char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.name, r.report_id FROM hosts h LEFT JOIN reports r"
			       " ON r.id = (SELECT id FROM reports WHERE host_id = h.id"
			       " ORDER BY finished_at DESC, id DESC LIMIT 1) ORDER BY h.name",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "hosts", err, err_size);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, latest_row, &c, err, err_size);
}

/* ---- the console's people and sessions (ui branch) ---- */

static void user_row(sqlite3_stmt *st, store_user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->name, sizeof u->name, "%s", text(st, 0));
	snprintf(u->role, sizeof u->role, "%s", text(st, 1));
	snprintf(u->lang, sizeof u->lang, "%s", text(st, 2));
	snprintf(u->hash, sizeof u->hash, "%s", text(st, 3));
	u->created_at = sqlite3_column_int64(st, 4);
}

static int sq_user_add(store *s, int64_t org_id, const store_user *u, char *err,
		       size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO users(org_id, name, role, lang, password_hash, created_at)"
			       " VALUES(?,?,?,?,?,?) ON CONFLICT DO NOTHING",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "users", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_text(st, 2, u->name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, u->role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, u->lang, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 5, u->hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, u->created_at);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "users", err, err_size);
	return sqlite3_changes(DB(s)) == 1 ? 1 : 0;
}

/* Runs one statement of two text parameters after an org_id; the rows it
 * changed, or -1. */
static int sq_user_change(store *s, const char *sql, int64_t org_id, const char *a, const char *b,
		     char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "users", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
	if (b)
		sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "users", err, err_size);
	return sqlite3_changes(DB(s));
}

static int sq_user_set_hash(store *s, int64_t org_id, const char *name, const char *hash,
			    char *err, size_t err_size)
{
	int n = sq_user_change(s, "UPDATE users SET password_hash = ?3 WHERE org_id = ?1 AND name = ?2",
			  org_id, name, hash, err, err_size);
	if (n <= 0)
		return n;
	/* a new password ends the sessions the old one opened */
	return sq_user_change(s, "DELETE FROM sessions WHERE org_id = ?1 AND user_name = ?2", org_id,
			 name, NULL, err, err_size) < 0 ? -1 : 1;
}

static int sq_user_get(store *s, int64_t org_id, const char *name, store_user *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT name, role, lang, password_hash, created_at FROM users"
			       " WHERE org_id = ? AND name = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		user_row(st, out);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int each_user_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_user u;
	user_row(st, &u);
	return ((int (*)(void *, const store_user *))c->fn)(c->ctx, &u);
}

static int sq_each_user(store *s, int64_t org_id, int (*cb)(void *, const store_user *),
			void *ctx, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT name, role, lang, password_hash, created_at FROM users"
			       " WHERE org_id = ? ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "users", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, each_user_row, &c, err, err_size);
}

static int sq_user_remove(store *s, int64_t org_id, const char *name, char *err,
			  size_t err_size)
{
	if (sq_user_change(s, "DELETE FROM sessions WHERE org_id = ?1 AND user_name = ?2", org_id,
		      name, NULL, err, err_size) < 0)
		return -1;
	return sq_user_change(s, "DELETE FROM users WHERE org_id = ?1 AND name = ?2", org_id, name,
			 NULL, err, err_size);
}

static int sq_session_add(store *s, int64_t org_id, const char *id_sha256, const char *user,
			  const char *csrf, int64_t now, int64_t expires_at, char *err,
			  size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), "DELETE FROM sessions WHERE expires_at <= ?", -1, &st,
			       NULL) != SQLITE_OK)
		return sqlerr(DB(s), "sessions", err, err_size);
	sqlite3_bind_int64(st, 1, now);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "sessions", err, err_size);
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO sessions(id_sha256, org_id, user_name, csrf, created_at,"
			       " expires_at) VALUES(?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "sessions", err, err_size);
	sqlite3_bind_text(st, 1, id_sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_text(st, 3, user, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, csrf, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, now);
	sqlite3_bind_int64(st, 6, expires_at);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : sqlerr(DB(s), "sessions", err, err_size);
}

static int sq_session_get(store *s, int64_t org_id, const char *id_sha256, int64_t now,
			  store_session *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT s.expires_at, u.name, u.role, u.lang, s.csrf FROM sessions s"
			       " JOIN users u ON u.org_id = s.org_id AND u.name = s.user_name"
			       " WHERE s.id_sha256 = ? AND s.org_id = ? AND s.expires_at > ?",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, id_sha256, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, org_id);
	sqlite3_bind_int64(st, 3, now);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		out->expires_at = sqlite3_column_int64(st, 0);
		snprintf(out->user, sizeof out->user, "%s", text(st, 1));
		snprintf(out->role, sizeof out->role, "%s", text(st, 2));
		snprintf(out->lang, sizeof out->lang, "%s", text(st, 3));
		snprintf(out->csrf, sizeof out->csrf, "%s", text(st, 4));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int sq_session_end(store *s, int64_t org_id, const char *id_sha256)
{
	char err[200];
	return sq_user_change(s, "DELETE FROM sessions WHERE org_id = ?1 AND id_sha256 = ?2", org_id,
			 id_sha256, NULL, err, sizeof err) < 0 ? -1 : 0;
}


static void sq_bench_unsafe(store *s)
{
	sqlite3_exec(DB(s), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
}

/* ---- api: the fleet model, API tokens, host lifecycle, metrics ---- */

#define REPORT_COLS \
	"r.finished_at, r.score, r.summary, r.report_id, r.body_sha256, r.received_at," \
	" r.hostname_mismatch, r.claimed_hostname, r.id, d.digest, r.host_id, h.name"

static int report_full_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_report r = {
		.finished_at = sqlite3_column_int64(st, 0),
		.score = sqlite3_column_type(st, 1) == SQLITE_NULL ? NAN
								   : sqlite3_column_double(st, 1),
		.summary = text(st, 2), .report_id = text(st, 3), .body_sha256 = text(st, 4),
		.received_at = sqlite3_column_int64(st, 5), .mismatch = sqlite3_column_int(st, 6),
		.claimed_host = text(st, 7), .row_id = sqlite3_column_int64(st, 8),
		.digest = text(st, 9), .host_id = sqlite3_column_int64(st, 10),
		.host_name = text(st, 11),
	};
	return ((int (*)(void *, const store_report *))c->fn)(c->ctx, &r);
}

/* Hosts and reports have no organisation on this branch: every one is
 * ORG_DEFAULT's (tenants' hosts.org_id scopes them). */
static int sq_each_latest_report(store *s, int64_t org_id,
				 int (*cb)(void *, const store_report *), void *ctx, char *err,
				 size_t err_size)
{
	(void)org_id;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT " REPORT_COLS " FROM hosts h JOIN reports r"
			       " ON r.id = (SELECT id FROM reports WHERE host_id = h.id"
			       " ORDER BY finished_at DESC, id DESC LIMIT 1)"
			       " LEFT JOIN report_digests d ON d.report = r.id ORDER BY h.id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "latest reports", err, err_size);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, report_full_row, &c, err, err_size);
}

static int sq_each_host_report(store *s, int64_t org_id, const char *host, int64_t bf,
			       int64_t br, long limit, int (*cb)(void *, const store_report *),
			       void *ctx, char *err, size_t err_size)
{
	(void)org_id;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT " REPORT_COLS " FROM hosts h JOIN reports r ON r.host_id = h.id"
			       " LEFT JOIN report_digests d ON d.report = r.id WHERE h.name = ?1"
			       " AND (r.finished_at < ?2 OR (r.finished_at = ?2 AND r.id < ?3))"
			       " ORDER BY r.finished_at DESC, r.id DESC LIMIT ?4",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "host reports", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, bf);
	sqlite3_bind_int64(st, 3, br);
	sqlite3_bind_int64(st, 4, limit);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, report_full_row, &c, err, err_size);
}

static int undigested_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	return ((int (*)(void *, const char *, const char *))c->fn)(c->ctx, text(st, 0),
								  text(st, 1));
}

static int sq_each_undigested(store *s, long limit,
			      int (*cb)(void *, const char *, const char *), void *ctx,
			      char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT r.report_id, r.summary FROM reports r WHERE NOT EXISTS"
			       " (SELECT 1 FROM report_digests d WHERE d.report = r.id)"
			       " ORDER BY r.id LIMIT ?",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "digests", err, err_size);
	sqlite3_bind_int64(st, 1, limit);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, undigested_row, &c, err, err_size);
}

/* Runs one statement with text parameters (NULL: none); the rows it
 * changed, or -1 with err. */
static int sq_change(store *s, const char *what, const char *sql, const char *const *v, int n,
		     char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), what, err, err_size);
	for (int i = 0; i < n; i++)
		sqlite3_bind_text(st, i + 1, v[i], -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), what, err, err_size);
	return sqlite3_changes(DB(s));
}

static int sq_set_digest(store *s, const char *report_id, const char *digest, char *err,
			 size_t err_size)
{
	const char *v[] = {report_id, digest};
	return sq_change(s, "digest",
			 "INSERT INTO report_digests(report, digest) SELECT id, ?2 FROM reports"
			 " WHERE report_id = ?1 ON CONFLICT DO NOTHING",
			 v, 2, err, err_size) < 0
		       ? -1
		       : 0;
}

/* 1 when host is enrolled or in the inventory (any case), 0 not, -1. */
static int sq_known(store *s, const char *host)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT 1 FROM hosts WHERE name = ?1 UNION ALL"
			       " SELECT 1 FROM inventory WHERE hostname = ?1",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int sq_host_revoke(store *s, int64_t org_id, const char *host, char *err,
			  size_t err_size)
{
	(void)org_id;
	int k = sq_known(s, host);
	if (k <= 0)
		return k < 0 ? sqlerr(DB(s), "revoke", err, err_size) : 0;
	const char *v[] = {host};
	return sq_change(s, "revoke", "UPDATE hosts SET token_sha256 = NULL WHERE name = ?", v, 1,
			 err, err_size) < 0
		       ? -1
		       : 1;
}

/* One transaction: the host's row, its inventory row and its retirement
 * take the new name together. */
static int sq_host_rename(store *s, int64_t org_id, const char *from, const char *to,
			  char *err, size_t err_size)
{
	(void)org_id;
	int k = sq_known(s, from);
	if (k <= 0)
		return k < 0 ? sqlerr(DB(s), "rename", err, err_size) : 0;
	if (strcasecmp(from, to) != 0) {
		int t = sq_known(s, to);
		if (t != 0) {
			if (t > 0)
				snprintf(err, err_size, "host %s exists already", to);
			return t < 0 ? sqlerr(DB(s), "rename", err, err_size) : -1;
		}
	}
	const char *v[] = {from, to};
	if (sqlite3_exec(DB(s), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "rename", err, err_size);
	int rc = sq_change(s, "rename", "UPDATE hosts SET name = ?2 WHERE name = ?1", v, 2, err,
			   err_size) < 0 ||
		 sq_change(s, "rename", "UPDATE inventory SET hostname = ?2 WHERE hostname = ?1", v,
			   2, err, err_size) < 0 ||
		 sq_change(s, "rename", "UPDATE retired_hosts SET name = ?2 WHERE name = ?1", v, 2,
			   err, err_size) < 0
		 ? -1
		 : 1;
	if (rc == 1 && sqlite3_exec(DB(s), "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(DB(s), "rename", err, err_size);
	if (rc != 1)
		sqlite3_exec(DB(s), "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int sq_host_retire(store *s, int64_t org_id, const char *host, int64_t when,
			  char *err, size_t err_size)
{
	int k = sq_known(s, host);
	if (k <= 0)
		return k < 0 ? sqlerr(DB(s), "retire", err, err_size) : 0;
	char o[24], w[24];
	snprintf(o, sizeof o, "%lld", (long long)org_id);
	snprintf(w, sizeof w, "%lld", (long long)when);
	const char *v[] = {host, o, w};
	if (sqlite3_exec(DB(s), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "retire", err, err_size);
	int rc = sq_change(s, "retire",
			   "INSERT INTO retired_hosts(name, org_id, retired_at) VALUES(?1, ?2, ?3)"
			   " ON CONFLICT(name) DO NOTHING",
			   v, 3, err, err_size) < 0 ||
		 sq_change(s, "retire", "UPDATE hosts SET token_sha256 = NULL WHERE name = ?1", v, 1,
			   err, err_size) < 0
		 ? -1
		 : 1;
	if (rc == 1 && sqlite3_exec(DB(s), "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(DB(s), "retire", err, err_size);
	if (rc != 1)
		sqlite3_exec(DB(s), "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int retired_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	return ((int (*)(void *, const char *, int64_t))c->fn)(c->ctx, text(st, 0),
							       sqlite3_column_int64(st, 1));
}

static int sq_each_retired(store *s, int64_t org_id, int (*cb)(void *, const char *, int64_t),
			   void *ctx, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT name, retired_at FROM retired_hosts WHERE org_id = ?"
			       " ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "retired", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, retired_row, &c, err, err_size);
}

static int sq_token_add(store *s, int64_t org_id, const char *name, const char *role,
			const char *hash, int64_t when, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO api_tokens(org_id, name, role, token_sha256, created_at)"
			       " VALUES(?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "token", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, role, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, when);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, err_size, "a token named %s exists already", name);
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : sqlerr(DB(s), "token", err, err_size);
}

static int sq_token_auth(store *s, const char *hash, int64_t *org_id, char *role,
			 size_t role_size, char *name, size_t name_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT org_id, role, name FROM api_tokens WHERE token_sha256 = ?", -1,
			       &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*org_id = sqlite3_column_int64(st, 0);
		snprintf(role, role_size, "%s", text(st, 1));
		snprintf(name, name_size, "%s", text(st, 2));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int token_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_token t = {.org_id = sqlite3_column_int64(st, 0), .name = text(st, 1),
			 .role = text(st, 2), .created_at = sqlite3_column_int64(st, 3),
			 .token_sha256 = text(st, 4)};
	return ((int (*)(void *, const store_token *))c->fn)(c->ctx, &t);
}

static int sq_each_token(store *s, int64_t org_id, int (*cb)(void *, const store_token *),
			 void *ctx, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT org_id, name, role, created_at, token_sha256 FROM api_tokens"
			       " WHERE org_id = ? ORDER BY name",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "tokens", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, token_row, &c, err, err_size);
}

static int sq_token_revoke(store *s, int64_t org_id, const char *name, char *err,
			   size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%lld", (long long)org_id);
	const char *v[] = {o, name};
	int n = sq_change(s, "token", "DELETE FROM api_tokens WHERE org_id = ?1 AND name = ?2", v,
			  2, err, err_size);
	return n < 0 ? -1 : n > 0;
}

static int sq_report_count(store *s, int64_t org_id, int64_t *n, char *err, size_t err_size)
{
	(void)org_id;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), "SELECT count(*) FROM reports", -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "reports", err, err_size);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : sqlerr(DB(s), "reports", err, err_size);
}

const store_ops store_sqlite_ops = {
	.kind = "sqlite",
	.open = sq_open,
	.close = sq_close,
	.schema_version = sq_schema_version,
	.enroll = sq_enroll,
	.enroll_new = sq_enroll_new,
	.rate_limit_hit = sq_rate_limit_hit,
	.rate_limit_refund = sq_rate_limit_refund,
	.auth = sq_auth,
	.host_by_name = sq_host_by_name,
	.ingest_batch = sq_ingest_batch,
	.inventory_replace = sq_inventory_replace,
	.read_begin = sq_read_begin,
	.read_end = sq_read_end,
	.each_host = sq_each_host,
	.each_inventory = sq_each_inventory,
	.each_report = sq_each_report,
	.each_exception = sq_each_exception,
	.export_body = sq_export,
	.fleet_scores = sq_fleet_scores,
	.inventory_attr = sq_inventory_attr,
	.inventory_set_attr = sq_inventory_set_attr,
	.each_latest = sq_each_latest,
	.prune_bodies = sq_prune_bodies,
	.bench_unsafe = sq_bench_unsafe,
	.user_add = sq_user_add,
	.user_set_hash = sq_user_set_hash,
	.user_get = sq_user_get,
	.each_user = sq_each_user,
	.user_remove = sq_user_remove,
	.session_add = sq_session_add,
	.session_get = sq_session_get,
	.session_end = sq_session_end,
	.each_latest_report = sq_each_latest_report,
	.each_host_report = sq_each_host_report,
	.each_undigested = sq_each_undigested,
	.set_digest = sq_set_digest,
	.host_revoke = sq_host_revoke,
	.host_rename = sq_host_rename,
	.host_retire = sq_host_retire,
	.each_retired = sq_each_retired,
	.token_add = sq_token_add,
	.token_auth = sq_token_auth,
	.each_token = sq_each_token,
	.token_revoke = sq_token_revoke,
	.report_count = sq_report_count,
};
