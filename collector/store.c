/* The collector's SQLite store (collector.h).
 *
 * Durability: WAL with synchronous=FULL. In WAL mode, NORMAL syncs only at
 * checkpoints, so a power cut may lose the last commits — after the agent
 * was told "stored" and deleted its copy. FULL fsyncs the WAL on every
 * commit, which is what "durable before 2xx" means; the cost is one fsync
 * per report (see docs/performance.md). */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <sqlite3.h>

#include "collector.h"

struct store {
	sqlite3 *db;
	sqlite3_stmt *auth, *find, *insert, *body, *exc;
};

/* The reports table's columns, for its CREATE and for the migration. */
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

static const char schema_sql[] =
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
	"  imported_at INTEGER NOT NULL);"
	/* Throttles (store_rate_limit_hit): in the database, not in one
	 * process's memory, so every collector process sharing it counts
	 * together and a restart forgets nothing. */
	"CREATE TABLE IF NOT EXISTS rate_limits("
	"  key TEXT PRIMARY KEY,"
	"  window_start INTEGER NOT NULL,"
	"  count INTEGER NOT NULL);";

/* After the migration below (which rebuilds the reports table). */
static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS reports_time ON reports(finished_at);"
	/* the annual report: per host, in time order, no sort */
	"CREATE INDEX IF NOT EXISTS reports_host_time ON reports(host_id, finished_at);";

static int sqlerr(sqlite3 *db, const char *what, char *err, size_t err_size)
{
	snprintf(err, err_size, "database: %s: %s", what, db ? sqlite3_errmsg(db) : "no memory");
	return -1;
}

struct sqlite3 *store_db(store *s)
{
	return s->db;
}

/* Databases made before the bodies had their own table keep them in
 * reports.body: move them once. The reports table is rebuilt rather than
 * altered (DROP COLUMN would leave each small row alone on its old page).
 * One transaction; another process opening the database at the same time
 * waits, then finds nothing left to do. */
static int migrate_bodies(sqlite3 *db, char **msg)
{
	sqlite3_stmt *st;
	int old = 0;
	/* Outside a transaction, as SQLite requires: the rebuilt table keeps
	 * its id, so report_bodies' references stay right. */
	if (sqlite3_exec(db, "PRAGMA foreign_keys=OFF; BEGIN IMMEDIATE", NULL, NULL, msg) !=
	    SQLITE_OK)
		return -1;
	if (sqlite3_prepare_v2(db,
			       "SELECT count(*) FROM pragma_table_info('reports') WHERE name = 'body'",
			       -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			old = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	if (old &&
	    sqlite3_exec(db,
			 "CREATE TABLE reports_new" REPORTS_COLUMNS ";"
			 "INSERT INTO reports_new SELECT " REPORTS_COLUMN_NAMES " FROM reports"
			 " ORDER BY id;"
			 "INSERT INTO report_bodies(report, body) SELECT id, body FROM reports;"
			 "DROP TABLE reports;"
			 "ALTER TABLE reports_new RENAME TO reports;",
			 NULL, NULL, msg) != SQLITE_OK) {
		sqlite3_exec(db, "ROLLBACK; PRAGMA foreign_keys=ON", NULL, NULL, NULL);
		return -1;
	}
	return sqlite3_exec(db, "COMMIT; PRAGMA foreign_keys=ON", NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

store *store_open(const char *path, char *err, size_t err_size)
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
	store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, "out of memory");
		return NULL;
	}
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		sqlerr(s->db, path, err, err_size);
		store_close(s);
		return NULL;
	}
	sqlite3_busy_timeout(s->db, 10000);
	char *msg = NULL;
	if (sqlite3_exec(s->db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON;",
			 NULL, NULL, &msg) != SQLITE_OK ||
	    sqlite3_exec(s->db, schema_sql, NULL, NULL, &msg) != SQLITE_OK ||
	    migrate_bodies(s->db, &msg) != 0 ||
	    sqlite3_exec(s->db, index_sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, err_size, "database %s: %s", path, msg ? msg : "error");
		sqlite3_free(msg);
		store_close(s);
		return NULL;
	}
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, name FROM hosts WHERE token_sha256 = ?", -1,
			       &s->auth, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "SELECT host_id, body_sha256 FROM reports WHERE report_id = ?",
			       -1, &s->find, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "INSERT INTO reports(report_id, host_id, claimed_hostname,"
			       " hostname_mismatch, finished_at, received_at, score, body_sha256,"
			       " summary) VALUES(?,?,?,?,?,?,?,?,?)",
			       -1, &s->insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, "INSERT INTO report_bodies(report, body) VALUES(?,?)", -1,
			       &s->body, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db,
			       "INSERT INTO exceptions VALUES(?,?,?,?,?,?,?) ON CONFLICT DO "
			       "UPDATE SET first_seen = min(first_seen, excluded.first_seen),"
			       " last_seen = max(last_seen, excluded.last_seen)",
			       -1, &s->exc, NULL) != SQLITE_OK) {
		sqlerr(s->db, "prepare", err, err_size);
		store_close(s);
		return NULL;
	}
	return s;
}

void store_close(store *s)
{
	if (!s)
		return;
	sqlite3_finalize(s->auth);
	sqlite3_finalize(s->find);
	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->body);
	sqlite3_finalize(s->exc);
	sqlite3_close(s->db);
	free(s);
}

void sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[32];
	unsigned int mdlen = 0;
	EVP_Digest(data, len, md, &mdlen, EVP_sha256(), NULL);
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static bool host_name_ok(const char *h)
{
	size_t n = strlen(h);
	if (n == 0 || n > 253)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)h[i]) && h[i] != '-' && h[i] != '.' && h[i] != '_')
			return false;
	return true;
}

/* A new random token for host and its hash; 0 or -1 with err. */
static int new_token(const char *host, char token[65], char hash[65], char *err,
		     size_t err_size)
{
	if (!host_name_ok(host)) {
		snprintf(err, err_size, "'%s' is not a host name (letters, digits, '-', '.', '_')",
			 host);
		return -1;
	}
	unsigned char raw[32];
	if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
		snprintf(err, err_size, "no randomness available");
		return -1;
	}
	for (int i = 0; i < 32; i++)
		snprintf(token + 2 * i, 3, "%02x", raw[i]);
	explicit_bzero(raw, sizeof raw);
	sha256_hex(token, 64, hash);
	return 0;
}

int store_enroll(store *s, const char *host, char token[65], char *err, size_t err_size)
{
	char hash[65];
	if (new_token(host, token, hash, err, err_size) != 0)
		return -1;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO hosts(name, token_sha256, enrolled_at) VALUES(?,?,?)"
			       " ON CONFLICT(name) DO UPDATE SET token_sha256 = excluded.token_sha256,"
			       " enrolled_at = excluded.enrolled_at",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(s->db, "enroll", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s->db, "enroll", err, err_size);
	return 0;
}

int store_enroll_new(store *s, const char *host, char token[65], char *err, size_t err_size)
{
	char hash[65];
	if (new_token(host, token, hash, err, err_size) != 0)
		return -1;
	/* One statement decides and stores: two enrollments of one name at
	 * once cannot both see "not enrolled" (the UNIQUE name does it). A
	 * row without a token (revoked) may take a new one. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "INSERT INTO hosts(name, token_sha256, enrolled_at) VALUES(?,?,?)"
			       " ON CONFLICT(name) DO UPDATE SET token_sha256 = excluded.token_sha256,"
			       " enrolled_at = excluded.enrolled_at WHERE hosts.token_sha256 IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(s->db, "enroll", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return sqlerr(s->db, "enroll", err, err_size);
	if (sqlite3_changes(s->db) == 1)
		return 1;
	explicit_bzero(token, 65);
	return 0;
}

int store_rate_limit_hit(store *s, const char *key, int64_t now, long window_s,
			 long *count, int64_t *window_end)
{
	/* One atomic statement (SQLite 3.35+ and PostgreSQL both have
	 * RETURNING): a new window starts once the old one is over. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
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
	if (*count == 1 && sqlite3_prepare_v2(s->db,
					      "DELETE FROM rate_limits WHERE window_start + ? <= ?",
					      -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, window_s);
		sqlite3_bind_int64(st, 2, now);
		sqlite3_step(st);
		sqlite3_finalize(st);
	}
	return 0;
}

int store_rate_limit_refund(store *s, const char *key)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "UPDATE rate_limits SET count = count - 1 WHERE key = ? AND count > 0",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int store_host_by_name(store *s, const char *host, int64_t *host_id, char *name,
		       size_t name_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(s->db,
			       "SELECT id, name FROM hosts WHERE name = ? AND token_sha256 IS NOT NULL",
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

int store_auth(store *s, const char *token, int64_t *host_id, char *name, size_t name_size)
{
	char hash[65];
	sha256_hex(token, strlen(token), hash);
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

char *results_summary(const json_t *report)
{
	size_t cap = 256, len = 0, i;
	char *out = malloc(cap);
	json_t *r;
	if (!out)
		return NULL;
	out[0] = '\0';
	json_array_foreach(json_object_get(report, "results"), i, r) {
		const char *pack = json_string_value(json_object_get(r, "pack"));
		const char *id = json_string_value(json_object_get(r, "id"));
		const char *st = json_string_value(json_object_get(r, "status"));
		if (!pack || !id || !st)
			continue;
		char c = !strcmp(st, "not_applicable") ? 'n' : !strcmp(st, "disabled") ? 'd' : st[0];
		size_t need = strlen(pack) + strlen(id) + 5;
		if (len + need + 1 > cap) {
			while (len + need + 1 > cap)
				cap *= 2;
			char *n = realloc(out, cap);
			if (!n) {
				free(out);
				return NULL;
			}
			out = n;
		}
		len += (size_t)snprintf(out + len, cap - len, "%s:%s=%c\n", pack, id, c);
	}
	return out;
}

static const char *jstr(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static int store_exceptions(store *s, const ingest *in)
{
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(in->report, "exceptions"), i, e) {
		if (!json_is_object(e))
			continue;
		sqlite3_reset(s->exc);
		sqlite3_bind_int64(s->exc, 1, in->host_id);
		sqlite3_bind_text(s->exc, 2, jstr(e, "rule"), -1, SQLITE_STATIC);
		sqlite3_bind_text(s->exc, 3, jstr(e, "reason"), -1, SQLITE_STATIC);
		sqlite3_bind_text(s->exc, 4, jstr(e, "approved_by"), -1, SQLITE_STATIC);
		sqlite3_bind_text(s->exc, 5, jstr(e, "until"), -1, SQLITE_STATIC);
		sqlite3_bind_int64(s->exc, 6, in->finished_at);
		sqlite3_bind_int64(s->exc, 7, in->finished_at);
		if (sqlite3_step(s->exc) != SQLITE_DONE)
			return -1;
	}
	sqlite3_reset(s->exc);
	return 0;
}

static int store_body(store *s, sqlite3_int64 report, const ingest *in)
{
	sqlite3_reset(s->body);
	sqlite3_bind_int64(s->body, 1, report);
	sqlite3_bind_blob(s->body, 2, in->body, (int)in->body_len, SQLITE_STATIC);
	int rc = sqlite3_step(s->body);
	sqlite3_reset(s->body);
	return rc;
}

/* Looks for the report_id inside the transaction. */
static store_result check_existing(store *s, const ingest *in, const char *sha, bool *exists)
{
	*exists = false;
	sqlite3_reset(s->find);
	sqlite3_bind_text(s->find, 1, in->report_id, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s->find);
	store_result r = STORE_NEW;
	if (rc == SQLITE_ROW) {
		*exists = true;
		bool same = sqlite3_column_int64(s->find, 0) == in->host_id &&
			    strcmp((const char *)sqlite3_column_text(s->find, 1), sha) == 0;
		r = same ? STORE_DUPLICATE : STORE_CONFLICT;
	} else if (rc != SQLITE_DONE) {
		r = STORE_ERROR;
	}
	sqlite3_reset(s->find);
	return r;
}

/* Stores one report inside the open transaction; its SAVEPOINT makes it
 * atomic on its own: a failure rolls back this report and nothing else. */
static store_result ingest_one(store *s, const ingest *in, char *err, size_t err_size)
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
	bool exists;
	store_result r = check_existing(s, in, sha, &exists);
	if (r == STORE_NEW) {
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
		if (rc == SQLITE_DONE)
			rc = store_body(s, sqlite3_last_insert_rowid(s->db), in);
		if (rc != SQLITE_DONE || store_exceptions(s, in) != 0) {
			sqlerr(s->db, "insert", err, err_size);
			r = STORE_ERROR;
		}
	} else if (r == STORE_CONFLICT) {
		snprintf(err, err_size,
			 "report_id %s is already stored with another body or from another host",
			 in->report_id);
	}
	if (r != STORE_NEW)
		sqlite3_exec(s->db, "ROLLBACK TO report", NULL, NULL, NULL);
	sqlite3_exec(s->db, "RELEASE report", NULL, NULL, NULL);
	free(own_summary);
	return r;
}

void store_ingest_batch(store *s, const ingest *const *in, ingest_outcome *out, size_t n)
{
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

store_result store_ingest(store *s, const ingest *in, char *err, size_t err_size)
{
	ingest_outcome out;
	store_ingest_batch(s, &in, &out, 1);
	snprintf(err, err_size, "%s", out.err);
	return out.result;
}
