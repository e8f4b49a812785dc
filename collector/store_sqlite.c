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

#include "principal.h"
#include "store_backend.h"
#include "i18n.h"

/* The chain's statements, prepared once per connection (ingest) or per
 * migration. */
typedef struct chain_stmts {
	sqlite3_stmt *head, *link, *move;
} chain_stmts;

typedef struct sqlite_store {
	store base;
	sqlite3 *db;
	sqlite3_stmt *auth, *find, *insert, *body, *exc, *year, *host_month;
	chain_stmts chain; /* evidence */
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

/* The rows of a query's first column, each run as a statement (the
 * indexes of a table, recreated after its rebuild). */
static char **column_texts(sqlite3 *db, const char *sql, const char *param, size_t *n)
{
	sqlite3_stmt *st;
	char **v = NULL;
	*n = 0;
	if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
		return NULL;
	sqlite3_bind_text(st, 1, param, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW) {
		char **nv = realloc(v, (*n + 1) * sizeof *v);
		if (!nv)
			break;
		v = nv;
		v[(*n)++] = strdup((const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	return v;
}

static void texts_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Gives table an org_id column (existing rows: ORG_DEFAULT; has_org: it
 * has one already) and moves its
 * uniqueness from column `unique_col` (as written in its CREATE) to
 * `plain_col` plus the table constraint `org_unique`. SQLite cannot drop
 * a column's UNIQUE, so the table is rebuilt from its own stored CREATE
 * text: columns other branches' migrations added stay, with their
 * indexes. Foreign keys are off in migrate(). */
static int org_rebuild(sqlite3 *db, const char *table, bool has_org, const char *unique_col,
		       const char *plain_col, const char *org_unique, char **msg)
{
	char *sql = sqlite3_mprintf("ALTER TABLE %s ADD COLUMN org_id INTEGER NOT NULL"
				    " DEFAULT 1 REFERENCES organisations(id)", table);
	int rc = has_org || sqlite3_exec(db, sql, NULL, NULL, msg) == SQLITE_OK ? 0 : -1;
	sqlite3_free(sql);
	if (rc)
		return -1;
	size_t n = 0, ni = 0, nc = 0;
	char **create = column_texts(db, "SELECT sql FROM sqlite_master WHERE type = 'table'"
				     " AND name = ?1", table, &n);
	char **idx = column_texts(db, "SELECT sql FROM sqlite_master WHERE type = 'index'"
				  " AND tbl_name = ?1 AND sql IS NOT NULL", table, &ni);
	char **cols = column_texts(db, "SELECT name FROM pragma_table_info(?1)", table, &nc);
	const char *at = n == 1 && create[0] ? strstr(create[0], unique_col) : NULL;
	const char *paren = n == 1 && create[0] ? strchr(create[0], '(') : NULL;
	const char *end = n == 1 && create[0] ? strrchr(create[0], ')') : NULL;
	if (!at || !paren || !end || at < paren || at > end || nc == 0) {
		*msg = sqlite3_mprintf(_("%s: its schema has no \"%s\" (organisations)"), table,
				       unique_col);
		rc = -1;
	}
	char *cl = NULL;
	for (size_t i = 0; rc == 0 && i < nc; i++) {
		char *ncl = sqlite3_mprintf("%s%s\"%w\"", cl ? cl : "", cl ? ", " : "", cols[i]);
		sqlite3_free(cl);
		cl = ncl;
	}
	if (rc == 0) {
		/* CREATE TABLE <table>_org(... plain_col ..., org_unique) */
		sql = sqlite3_mprintf("CREATE TABLE %s_org%.*s%s%.*s, %s);"
				      "INSERT INTO %s_org(%s) SELECT %s FROM %s;"
				      "DROP TABLE %s; ALTER TABLE %s_org RENAME TO %s;",
				      table, (int)(at - paren), paren, plain_col,
				      (int)(end - (at + strlen(unique_col))), at + strlen(unique_col),
				      org_unique, table, cl, cl, table, table, table, table);
		rc = sqlite3_exec(db, sql, NULL, NULL, msg) == SQLITE_OK ? 0 : -1;
		sqlite3_free(sql);
	}
	for (size_t i = 0; rc == 0 && i < ni; i++)
		if (sqlite3_exec(db, idx[i], NULL, NULL, msg) != SQLITE_OK)
			rc = -1;
	sqlite3_free(cl);
	texts_free(create, n);
	texts_free(idx, ni);
	texts_free(cols, nc);
	return rc;
}

/* tenants: organisations (principal.h). Every host, inventory row and
 * throttle belongs to one; what was there before belongs to the default
 * organisation, id 1, that a single-company install has and never names.
 * Host names are unique per organisation. Reports and exceptions belong
 * through their host. AUTOINCREMENT: a removed organisation's id (and its
 * policy and answer directories, tenant.c) is never given to another. */
static int v6_tenants(sqlite3 *db, char **msg)
{
	if (sqlite3_exec(db,
			 "CREATE TABLE organisations("
			 "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
			 "  name TEXT NOT NULL UNIQUE COLLATE NOCASE,"
			 "  created_at INTEGER NOT NULL,"
			 "  enroll_secret_sha256 TEXT UNIQUE);" /* only the secret's hash */
			 "INSERT INTO organisations(id, name, created_at)"
			 " VALUES(1, 'default', strftime('%s','now'));",
			 NULL, NULL, msg) != SQLITE_OK)
		return -1;
	/* retired_hosts (api) has its org_id: its names become unique per
	 * organisation too */
	if (org_rebuild(db, "hosts", false, "name TEXT NOT NULL UNIQUE COLLATE NOCASE",
			"name TEXT NOT NULL COLLATE NOCASE", "UNIQUE(org_id, name)", msg) != 0 ||
	    org_rebuild(db, "inventory", false, "hostname TEXT PRIMARY KEY COLLATE NOCASE",
			"hostname TEXT NOT NULL COLLATE NOCASE", "UNIQUE(org_id, hostname)",
			msg) != 0 ||
	    org_rebuild(db, "retired_hosts", true, "name TEXT PRIMARY KEY COLLATE NOCASE",
			"name TEXT NOT NULL COLLATE NOCASE", "UNIQUE(org_id, name)", msg) != 0)
		return -1;
	return org_rebuild(db, "rate_limits", false, "key TEXT PRIMARY KEY", "key TEXT NOT NULL",
			   "PRIMARY KEY(org_id, key)", msg);
}

/* alerts: the alerts' outbox (collector/alerts/): the cursor
 * over reports, events with a unique key, their deliveries with a lease,
 * and every attempt. */
static int v_alerts(sqlite3 *db, char **msg)
{
	return sqlite3_exec(db,
			    "CREATE TABLE alert_cursor("
			    "  org_id INTEGER NOT NULL DEFAULT 1 PRIMARY KEY,"
			    "  last_report INTEGER NOT NULL);"
			    "CREATE TABLE alert_events("
			    "  id INTEGER PRIMARY KEY,"
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  event_key TEXT NOT NULL,"
			    "  kind TEXT NOT NULL, host TEXT NOT NULL, rule TEXT NOT NULL,"
			    "  detail TEXT NOT NULL,"
			    "  created_at INTEGER NOT NULL,"
			    "  UNIQUE(org_id, event_key));"
			    "CREATE INDEX alert_events_time ON alert_events(org_id, created_at);"
			    "CREATE TABLE alert_deliveries("
			    "  id INTEGER PRIMARY KEY,"
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  event INTEGER NOT NULL REFERENCES alert_events(id),"
			    "  receiver TEXT NOT NULL,"
			    "  state TEXT NOT NULL,"  /* pending, sent, failed */
			    "  attempts INTEGER NOT NULL DEFAULT 0,"
			    "  next_at INTEGER NOT NULL,"
			    "  lease_owner TEXT,"
			    "  lease_until INTEGER NOT NULL DEFAULT 0,"
			    "  delivered_at INTEGER,"
			    "  last_error TEXT,"
			    "  UNIQUE(event, receiver));"
			    "CREATE INDEX alert_deliveries_due ON alert_deliveries(org_id, state, next_at);"
			    "CREATE TABLE alert_attempts("
			    "  id INTEGER PRIMARY KEY,"
			    "  org_id INTEGER NOT NULL DEFAULT 1,"
			    "  delivery INTEGER NOT NULL REFERENCES alert_deliveries(id),"
			    "  at INTEGER NOT NULL,"
			    "  owner TEXT NOT NULL,"
			    "  ok INTEGER NOT NULL,"
			    "  detail TEXT NOT NULL)",
			    NULL, NULL, msg) == SQLITE_OK
		       ? 0
		       : -1;
}

/* The organisation of a host (its chain): -1 on an error. */
static int64_t host_org(sqlite3 *db, int64_t host_id)
{
	sqlite3_stmt *st;
	int64_t org = -1;
	if (sqlite3_prepare_v2(db, "SELECT org_id FROM hosts WHERE id = ?", -1, &st, NULL) !=
	    SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, host_id);
	if (sqlite3_step(st) == SQLITE_ROW)
		org = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return org;
}

static int chain_prepare(sqlite3 *db, chain_stmts *c)
{
	return sqlite3_prepare_v2(db, "SELECT seq, chain_sha256, chained_at FROM chain_heads"
				      " WHERE org_id = ?", -1, &c->head, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(db, "INSERT INTO report_chain(report, org_id, seq,"
				      " chain_sha256, chained_at) VALUES(?,?,?,?,?)", -1, &c->link,
				  NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(db, "INSERT INTO chain_heads VALUES(?1,?2,?3,?4) ON CONFLICT"
				      " (org_id) DO UPDATE SET seq = ?2, chain_sha256 = ?3,"
				      " chained_at = ?4", -1, &c->move, NULL) != SQLITE_OK
		       ? -1
		       : 0;
}

static void chain_finalize(chain_stmts *c)
{
	sqlite3_finalize(c->head);
	sqlite3_finalize(c->link);
	sqlite3_finalize(c->move);
	memset(c, 0, sizeof *c);
}

/* Appends report (its row id, SHA-256, arrival time) to org's chain: the
 * head read, the link written, the head moved, inside the caller's
 * transaction. SQLite has one writer at a time (BEGIN IMMEDIATE), so two
 * processes on the file cannot fork the chain. 0 or -1. */
static int chain_append(chain_stmts *c, int64_t org, sqlite3_int64 report, const char *sha,
			int64_t received_at)
{
	if (org < 0)
		return -1;
	sqlite3_reset(c->head);
	sqlite3_reset(c->link);
	sqlite3_reset(c->move);
	sqlite3_bind_int64(c->head, 1, org);
	int64_t seq = 0, at = 0;
	char prev[65] = CHAIN_GENESIS, next[65];
	int step = sqlite3_step(c->head);
	if (step == SQLITE_ROW) {
		seq = sqlite3_column_int64(c->head, 0);
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(c->head, 1));
		at = sqlite3_column_int64(c->head, 2);
	}
	sqlite3_reset(c->head);
	if ((step != SQLITE_ROW && step != SQLITE_DONE) || chain_link_hash(prev, sha, next) != 0)
		return -1;
	seq++;
	if (received_at > at)
		at = received_at;
	sqlite3_bind_int64(c->link, 1, report);
	sqlite3_bind_int64(c->link, 2, org);
	sqlite3_bind_int64(c->link, 3, seq);
	sqlite3_bind_text(c->link, 4, next, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c->link, 5, at);
	sqlite3_bind_int64(c->move, 1, org);
	sqlite3_bind_int64(c->move, 2, seq);
	sqlite3_bind_text(c->move, 3, next, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c->move, 4, at);
	int rc = sqlite3_step(c->link) == SQLITE_DONE && sqlite3_step(c->move) == SQLITE_DONE
			 ? 0
			 : -1;
	sqlite3_reset(c->link);
	sqlite3_reset(c->move);
	return rc;
}

/* evidence: the reports' hash chain (docs/collector.md "Evidence"). One
 * link per report, apart from the reports table (its scans stay small);
 * the head of each organisation's chain in a row of its own, the one
 * every writer goes through. The reports there already are chained now,
 * in arrival order (id), from the genesis link (sequence 0, 64 zeros). */
static int v_chain(sqlite3 *db, char **msg)
{
	if (sqlite3_exec(db,
			 "CREATE TABLE chain_heads("
			 "  org_id INTEGER PRIMARY KEY NOT NULL DEFAULT 1,"
			 "  seq INTEGER NOT NULL,"
			 "  chain_sha256 TEXT NOT NULL,"
			 "  chained_at INTEGER NOT NULL);"
			 "CREATE TABLE report_chain("
			 "  report INTEGER PRIMARY KEY REFERENCES reports(id),"
			 "  org_id INTEGER NOT NULL DEFAULT 1,"
			 "  seq INTEGER NOT NULL,"
			 "  chain_sha256 TEXT NOT NULL,"
			 "  chained_at INTEGER NOT NULL,"  /* never decreases along the chain */
			 "  UNIQUE(org_id, seq));"
			 "CREATE INDEX report_chain_time ON report_chain(org_id, chained_at, seq);"
			 "INSERT INTO chain_heads VALUES(1, 0, '" CHAIN_GENESIS "', 0);",
			 NULL, NULL, msg) != SQLITE_OK)
		return -1;
	sqlite3_stmt *st = NULL;
	chain_stmts c = {0};
	int rc = chain_prepare(db, &c) == 0 &&
				 sqlite3_prepare_v2(db, "SELECT r.id, r.body_sha256, r.received_at,"
							" h.org_id FROM reports r JOIN hosts h"
							" ON h.id = r.host_id ORDER BY r.id",
						    -1, &st, NULL) ==
					 SQLITE_OK
			 ? 0
			 : -1;
	while (rc == 0 && sqlite3_step(st) == SQLITE_ROW)
		if (chain_append(&c, sqlite3_column_int64(st, 3), sqlite3_column_int64(st, 0),
				 (const char *)sqlite3_column_text(st, 1),
				 sqlite3_column_int64(st, 2)) != 0)
			rc = -1;
	sqlite3_finalize(st);
	chain_finalize(&c);
	if (rc != 0)
		*msg = sqlite3_mprintf(_("chaining the stored reports: %s"), sqlite3_errmsg(db));
	return rc;
}

/* annual: one report's results added to its host's month (the
 * host_month_rules aggregate, v_months's, until v_rule_years made it a row
 * per year): per rule the day's bit in the mask of its state, and the
 * month's latest state. up is MONTH_UPSERT, prepared. */
#define MONTH_UPSERT \
	"INSERT INTO host_month_rules(host_id, month, rule, pass_days, fail_days," \
	" unknown_days, na_days, last_at, last_state) VALUES(?,?,?,?,?,?,?,?,?)" \
	" ON CONFLICT(host_id, month, rule) DO UPDATE SET" \
	" pass_days = pass_days | excluded.pass_days," \
	" fail_days = fail_days | excluded.fail_days," \
	" unknown_days = unknown_days | excluded.unknown_days," \
	" na_days = na_days | excluded.na_days," \
	" last_state = CASE WHEN excluded.last_at >= last_at THEN excluded.last_state" \
	"  ELSE last_state END," \
	" last_at = max(last_at, excluded.last_at)"

static int add_months(sqlite3_stmt *up, int64_t host_id, int64_t finished_at,
		      const char *summary)
{
	int day, month = store_month_of(finished_at, &day);
	int64_t bit = (int64_t)1 << (day - 1);
	const char *rule;
	int n;
	char st;
	for (const char *p = summary; store_summary_next(&p, &rule, &n, &st);) {
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, host_id);
		sqlite3_bind_int(up, 2, month);
		sqlite3_bind_text(up, 3, rule, n, SQLITE_STATIC);
		sqlite3_bind_int64(up, 4, st == 'p' ? bit : 0);
		sqlite3_bind_int64(up, 5, st == 'f' ? bit : 0);
		sqlite3_bind_int64(up, 6, st == 'u' || st == 'e' ? bit : 0);
		sqlite3_bind_int64(up, 7, st == 'n' || st == 'd' ? bit : 0);
		sqlite3_bind_int64(up, 8, finished_at);
		sqlite3_bind_text(up, 9, &st, 1, SQLITE_STATIC);
		if (sqlite3_step(up) != SQLITE_DONE)
			return -1;
	}
	sqlite3_reset(up);
	return 0;
}

/* annual: one report's results added to its host's year (the
 * host_rule_years aggregate): per rule the day's bit (STORE_YEAR_BIT) in
 * its days, and the year's latest state. up is YEAR_UPSERT, prepared. */
#define YEAR_UPSERT \
	"INSERT INTO host_rule_years(host_id, year, rule, days, last_at, last_state)" \
	" VALUES(?,?,?,?,?,?) ON CONFLICT(host_id, year, rule) DO UPDATE SET" \
	" days = days_or(days, excluded.days)," \
	" last_state = CASE WHEN excluded.last_at >= last_at THEN excluded.last_state" \
	"  ELSE last_state END," \
	" last_at = max(last_at, excluded.last_at)"

static int add_years(sqlite3_stmt *up, int64_t host_id, int64_t finished_at,
		     const char *summary)
{
	const char *rule;
	int n, year, month;
	char st;
	for (const char *p = summary; store_summary_next(&p, &rule, &n, &st);) {
		unsigned char days[STORE_YEAR_DAYS] = {0};
		int bit = store_year_bit(finished_at, st, &year, &month);
		if (bit >= 0)
			days[bit / 8] = (unsigned char)(0x80 >> bit % 8);
		sqlite3_reset(up);
		sqlite3_bind_int64(up, 1, host_id);
		sqlite3_bind_int(up, 2, year);
		sqlite3_bind_text(up, 3, rule, n, SQLITE_STATIC);
		sqlite3_bind_blob(up, 4, days, sizeof days, SQLITE_STATIC);
		sqlite3_bind_int64(up, 5, finished_at);
		sqlite3_bind_text(up, 6, &st, 1, SQLITE_STATIC);
		if (sqlite3_step(up) != SQLITE_DONE)
			return -1;
	}
	sqlite3_reset(up);
	return 0;
}

/* days_or(a, b): the bytes of two days blobs or'ed, for YEAR_UPSERT */
static void days_or(sqlite3_context *cx, int argc, sqlite3_value **argv)
{
	(void)argc;
	const unsigned char *a = sqlite3_value_blob(argv[0]), *b = sqlite3_value_blob(argv[1]);
	if (sqlite3_value_bytes(argv[0]) != STORE_YEAR_DAYS ||
	    sqlite3_value_bytes(argv[1]) != STORE_YEAR_DAYS || !a || !b) {
		char msg[200];
		snprintf(msg, sizeof msg, _("database: %s: days not understood"),
			 "host_rule_years");
		sqlite3_result_error(cx, msg, -1);
		return;
	}
	unsigned char out[STORE_YEAR_DAYS];
	for (size_t i = 0; i < sizeof out; i++)
		out[i] = a[i] | b[i];
	sqlite3_result_blob(cx, out, sizeof out, SQLITE_TRANSIENT);
}

/* annual: one report counted in its host's month (host_months). up is
 * HOST_MONTH_UPSERT, prepared. */
#define HOST_MONTH_UPSERT \
	"INSERT INTO host_months(host_id, month, reports, first_at, last_at)" \
	" VALUES(?1, ?2, 1, ?3, ?3) ON CONFLICT(host_id, month) DO UPDATE SET" \
	" reports = reports + 1, first_at = min(first_at, excluded.first_at)," \
	" last_at = max(last_at, excluded.last_at)"

static int add_host_month(sqlite3_stmt *up, int64_t host_id, int64_t finished_at)
{
	sqlite3_reset(up);
	sqlite3_bind_int64(up, 1, host_id);
	sqlite3_bind_int(up, 2, store_month_of(finished_at, NULL));
	sqlite3_bind_int64(up, 3, finished_at);
	int rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(up);
	return rc;
}

/* An aggregate filled from the reports already stored, as ingest would
 * have: each row of select given to add with upsert prepared. */
static int backfill(sqlite3 *db, const char *upsert, const char *select,
		    int (*add)(sqlite3_stmt *up, sqlite3_stmt *row), const char *what, char **msg)
{
	sqlite3_stmt *up = NULL, *rd = NULL;
	int rc = 0, step = SQLITE_DONE;
	if (sqlite3_prepare_v2(db, upsert, -1, &up, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, select, -1, &rd, NULL) != SQLITE_OK)
		rc = -1;
	while (rc == 0 && (step = sqlite3_step(rd)) == SQLITE_ROW)
		rc = add(up, rd);
	if (rc == 0 && step != SQLITE_DONE)
		rc = -1;
	if (rc != 0)
		*msg = sqlite3_mprintf("%s: %s", what, sqlite3_errmsg(db));
	sqlite3_finalize(up);
	sqlite3_finalize(rd);
	return rc;
}

static int months_of_row(sqlite3_stmt *up, sqlite3_stmt *row)
{
	return add_months(up, sqlite3_column_int64(row, 0), sqlite3_column_int64(row, 1),
			  (const char *)sqlite3_column_text(row, 2));
}

/* a host_month_rules row (host_id, month, its four masks, last_at,
 * last_state, rule) as YEAR_UPSERT's: the masks in their month's place */
static int year_of_month_row(sqlite3_stmt *up, sqlite3_stmt *row)
{
	int month = sqlite3_column_int(row, 1);
	int month0 = (month % 100 + 100) % 100 - 1;
	if (month0 < 0 || month0 > 11)
		return 0; /* no month ingest makes */
	unsigned char days[STORE_YEAR_DAYS] = {0};
	for (int slot = 0; slot < 4; slot++) {
		uint32_t mask = (uint32_t)sqlite3_column_int64(row, 2 + slot);
		unsigned char *p = days + 4 * (12 * slot + month0);
		p[0] = (unsigned char)(mask >> 24);
		p[1] = (unsigned char)(mask >> 16);
		p[2] = (unsigned char)(mask >> 8);
		p[3] = (unsigned char)mask;
	}
	sqlite3_reset(up);
	sqlite3_bind_int64(up, 1, sqlite3_column_int64(row, 0));
	sqlite3_bind_int(up, 2, (month - month0 - 1) / 100);
	sqlite3_bind_value(up, 3, sqlite3_column_value(row, 8));
	sqlite3_bind_blob(up, 4, days, sizeof days, SQLITE_STATIC);
	sqlite3_bind_int64(up, 5, sqlite3_column_int64(row, 6));
	sqlite3_bind_value(up, 6, sqlite3_column_value(row, 7));
	int rc = sqlite3_step(up) == SQLITE_DONE ? 0 : -1;
	sqlite3_reset(up);
	return rc;
}

static int host_month_of_row(sqlite3_stmt *up, sqlite3_stmt *row)
{
	return add_host_month(up, sqlite3_column_int64(row, 0), sqlite3_column_int64(row, 1));
}

/* annual: the per host, month and rule aggregate (until v_rule_years
 * made it a row per year), kept at ingest and filled here from the
 * reports already stored (in the order they were finished, as ingest
 * would have); WITHOUT ROWID: the rows lie in key order. And a covering
 * index for the evidence list, so it never reads the summaries. */
static int v_months(sqlite3 *db, char **msg)
{
	if (sqlite3_exec(db,
			 "CREATE TABLE host_month_rules(" /* its organisation: its host's */
			 "  host_id INTEGER NOT NULL REFERENCES hosts(id),"
			 "  month INTEGER NOT NULL,"            /* YYYYMM, UTC */
			 "  rule TEXT NOT NULL,"                /* pack:id */
			 "  pass_days INTEGER NOT NULL, fail_days INTEGER NOT NULL,"
			 "  unknown_days INTEGER NOT NULL, na_days INTEGER NOT NULL,"
			 "  last_at INTEGER NOT NULL, last_state TEXT NOT NULL,"
			 "  PRIMARY KEY(host_id, month, rule)) WITHOUT ROWID;"
			 "CREATE INDEX reports_evidence ON reports(host_id, finished_at,"
			 " received_at, report_id, body_sha256);",
			 NULL, NULL, msg) != SQLITE_OK)
		return -1;
	return backfill(db, MONTH_UPSERT,
			"SELECT host_id, finished_at, summary FROM reports ORDER BY finished_at, id",
			months_of_row, "host_month_rules", msg);
}

/* annual: the reports counted per host and month (UTC), kept at ingest
 * and filled here from the reports already stored (their months as
 * ingest finds them, store_month_of): the annual report's coverage
 * without reading the reports. */
static int v_host_months(sqlite3 *db, char **msg)
{
	if (sqlite3_exec(db,
			 "CREATE TABLE host_months(" /* its organisation: its host's */
			 "  host_id INTEGER NOT NULL REFERENCES hosts(id),"
			 "  month INTEGER NOT NULL,"            /* YYYYMM, UTC */
			 "  reports INTEGER NOT NULL,"
			 "  first_at INTEGER NOT NULL, last_at INTEGER NOT NULL,"
			 "  PRIMARY KEY(host_id, month)) WITHOUT ROWID;",
			 NULL, NULL, msg) != SQLITE_OK)
		return -1;
	return backfill(db, HOST_MONTH_UPSERT, "SELECT host_id, finished_at FROM reports",
			host_month_of_row, "host_months", msg);
}

/* annual: the per host, year and rule aggregate kept at ingest, in place
 * of the per month one (twelve times the rows to read), made from it;
 * WITHOUT ROWID: the rows lie in key order, which is the annual report's
 * reading order. */
static int v_rule_years(sqlite3 *db, char **msg)
{
	if (sqlite3_exec(db,
			 "CREATE TABLE host_rule_years(" /* its organisation: its host's */
			 "  host_id INTEGER NOT NULL REFERENCES hosts(id),"
			 "  year INTEGER NOT NULL,"             /* UTC */
			 "  rule TEXT NOT NULL,"                /* pack:id */
			 "  days BLOB NOT NULL,"                /* STORE_YEAR_DAYS */
			 "  last_at INTEGER NOT NULL, last_state TEXT NOT NULL,"
			 "  PRIMARY KEY(host_id, year, rule)) WITHOUT ROWID;",
			 NULL, NULL, msg) != SQLITE_OK ||
	    backfill(db, YEAR_UPSERT,
		     "SELECT host_id, month, pass_days, fail_days, unknown_days, na_days,"
		     " last_at, last_state, rule FROM host_month_rules",
		     year_of_month_row, "host_rule_years", msg) != 0)
		return -1;
	return sqlite3_exec(db, "DROP TABLE host_month_rules;", NULL, NULL, msg) == SQLITE_OK
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
	v6_tenants, /* tenants: organisations */
	v_alerts, /* alerts: the alerts' outbox */
	v_chain, /* evidence: the reports' hash chain */
	v_months, /* annual: host_month_rules, reports_evidence */
	v_host_months, /* annual: host_months */
	v_rule_years, /* annual: host_rule_years; these three stay last:
		       * tests/collector/test_annual.c rolls them back */
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
		*msg = sqlite3_mprintf(_("schema version %d is newer than this collector's %d; "
				       "upgrade hostaudit-collector"), have, SCHEMA_VERSION);
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
	snprintf(err, err_size, _("database: %s: %s"), what, db ? sqlite3_errmsg(db) : "no memory");
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
	sqlite3_finalize(s->year);
	sqlite3_finalize(s->host_month);
	chain_finalize(&s->chain);
	sqlite3_close(s->db);
	free(s);
}

static int prepare_all(sqlite_store *s)
{
	return sqlite3_prepare_v2(s->db,
				  "SELECT id, org_id, name FROM hosts WHERE token_sha256 = ?", -1,
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
				  -1, &s->exc, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(s->db, YEAR_UPSERT, -1, &s->year, NULL) != SQLITE_OK ||
	       sqlite3_prepare_v2(s->db, HOST_MONTH_UPSERT, -1, &s->host_month, NULL) !=
		       SQLITE_OK ||
	       chain_prepare(s->db, &s->chain) != 0
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
			snprintf(err, err_size, _("database %s: %s"), path, strerror(errno));
			return NULL;
		}
		if (fd >= 0)
			close(fd);
	}
	sqlite_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, _("out of memory"));
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
	if (sqlite3_create_function(s->db, "days_or", 2,
				    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				    days_or, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", NULL, NULL,
			 &msg) != SQLITE_OK ||
	    migrate(s, &msg) != 0) {
		snprintf(err, err_size, _("database %s: %s"), path, msg ? msg : "error");
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

/* One step of a statement, then finalizes it: the step's result
 * (SQLITE_DONE for one that returns nothing; SQLITE_ROW: it had a row). */
static int step_once(sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc;
}

static int sq_enroll(store *s, int64_t org_id, const char *host, const char *hash,
		     int64_t when, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO hosts(name, token_sha256, enrolled_at, org_id)"
			       " VALUES(?,?,?,?) ON CONFLICT(org_id, name) DO UPDATE SET"
			       " token_sha256 = excluded.token_sha256,"
			       " enrolled_at = excluded.enrolled_at",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "enroll", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)when);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)org_id);
	int rc = step_once(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "enroll", err, err_size);
	return 0;
}

static int sq_enroll_new(store *s, int64_t org_id, const char *host, const char *hash,
			 int64_t when, char *err, size_t err_size)
{
	/* One statement decides and stores: two enrollments of one name at
	 * once cannot both see "not enrolled" (the UNIQUE name does it). A
	 * row without a token (revoked) may take a new one. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO hosts(name, token_sha256, enrolled_at, org_id)"
			       " VALUES(?,?,?,?) ON CONFLICT(org_id, name) DO UPDATE SET"
			       " token_sha256 = excluded.token_sha256,"
			       " enrolled_at = excluded.enrolled_at WHERE hosts.token_sha256 IS NULL",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "enroll", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)when);
	sqlite3_bind_int64(st, 4, (sqlite3_int64)org_id);
	int rc = step_once(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "enroll", err, err_size);
	return sqlite3_changes(DB(s)) == 1 ? 1 : 0;
}

static int sq_rate_limit_hit(store *s, int64_t org_id, const char *key, int64_t now,
			     long window_s, long *count, int64_t *window_end)
{
	/* One atomic statement: a new window starts once the old one is over. */
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO rate_limits(org_id, key, window_start, count)"
			       " VALUES(?4, ?1, ?2, 1) ON CONFLICT(org_id, key) DO UPDATE SET"
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
	sqlite3_bind_int64(st, 4, org_id);
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

static int sq_rate_limit_refund(store *s, int64_t org_id, const char *key)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "UPDATE rate_limits SET count = count - 1 WHERE key = ? AND org_id = ?"
			       " AND count > 0",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, org_id);
	int rc = step_once(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int sq_host_by_name(store *s, int64_t org_id, const char *host, int64_t *host_id,
			   int64_t *host_org, char *name, size_t name_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       org_id == 0 ? "SELECT id, org_id, name FROM hosts WHERE name = ?1"
					     " AND token_sha256 IS NOT NULL LIMIT 2"
					   : "SELECT id, org_id, name FROM hosts WHERE name = ?1"
					     " AND org_id = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	if (org_id != 0)
		sqlite3_bind_int64(st, 2, org_id);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		*host_id = sqlite3_column_int64(st, 0);
		*host_org = sqlite3_column_int64(st, 1);
		snprintf(name, name_size, "%s", (const char *)sqlite3_column_text(st, 2));
		found = 1;
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) { /* the same name in another organisation */
			found = 2;
			rc = SQLITE_DONE;
		}
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? found : -1;
}

static int sq_auth(store *st, const char *hash, int64_t *host_id, int64_t *org_id, char *name,
		   size_t name_size)
{
	sqlite_store *s = (sqlite_store *)st;
	sqlite3_reset(s->auth);
	sqlite3_bind_text(s->auth, 1, hash, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(s->auth);
	if (rc == SQLITE_ROW) {
		*host_id = sqlite3_column_int64(s->auth, 0);
		*org_id = sqlite3_column_int64(s->auth, 1);
		snprintf(name, name_size, "%s", (const char *)sqlite3_column_text(s->auth, 2));
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
	/* evidence: chained in the report's own SAVEPOINT, rolled back with it */
	if (rc != SQLITE_DONE || store_exceptions(s, in) != 0 ||
	    chain_append(&s->chain, host_org(s->db, in->host_id), row, sha, in->received_at) != 0 ||
	    add_years(s->year, in->host_id, in->finished_at, summary) != 0 ||
	    add_host_month(s->host_month, in->host_id, in->finished_at) != 0) {
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
		snprintf(err, err_size, _("out of memory"));
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
		store_conflict_message(err, err_size, in->report_id);
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

static int sq_inventory_replace(store *s, int64_t org_id, const inventory_row *rows, size_t n,
				char *err, size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st = NULL, *del = NULL;
	int rc = 0;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "DELETE FROM inventory WHERE org_id = ?", -1, &del, NULL) !=
		    SQLITE_OK ||
	    sqlite3_bind_int64(del, 1, org_id) != SQLITE_OK || sqlite3_step(del) != SQLITE_DONE ||
	    sqlite3_prepare_v2(db,
			       "INSERT OR REPLACE INTO inventory(hostname, attributes, imported_at,"
			       " org_id) VALUES(?,?,strftime('%s','now'),?)",
			       -1, &st, NULL) != SQLITE_OK)
		rc = sqlerr(db, "inventory", err, err_size);
	sqlite3_finalize(del);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, rows[i].hostname, -1, SQLITE_STATIC);
		sqlite3_bind_text(st, 2, rows[i].attributes, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 3, org_id);
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

/* A WAL reader sees the last commit as of its first read. A third handle
 * holds the write lock while both first read (a moment; it waits for a
 * writer as any writer does), so that is the same commit for both. */
static int sq_read_begin_twin(store *s, store **twin, char *err, size_t err_size)
{
	static const char first_read[] = "BEGIN; SELECT count(*) FROM sqlite_schema";
	const char *path = sqlite3_db_filename(DB(s), "main");
	*twin = NULL;
	if (!path || !*path) /* in memory: no second handle on it */
		return sq_read_begin(s, err, err_size);
	sqlite_store *t = calloc(1, sizeof *t);
	sqlite3 *w = NULL;
	int rc = -1;
	if (!t) {
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	t->base.ops = s->ops;
	if (sqlite3_open_v2(path, &t->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK ||
	    sqlite3_open_v2(path, &w, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
		    SQLITE_OK) {
		sqlerr(w ? w : t->db, path, err, err_size);
		goto out;
	}
	sqlite3_busy_timeout(t->db, 10000);
	sqlite3_busy_timeout(w, 10000);
	if (sqlite3_exec(w, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		sqlerr(w, "begin", err, err_size);
		goto out;
	}
	if (sqlite3_exec(DB(s), first_read, NULL, NULL, NULL) != SQLITE_OK)
		sqlerr(DB(s), "begin", err, err_size);
	else if (sqlite3_exec(t->db, first_read, NULL, NULL, NULL) != SQLITE_OK)
		sqlerr(t->db, "begin", err, err_size), sq_read_end(s);
	else
		rc = 0;
	sqlite3_exec(w, "ROLLBACK", NULL, NULL, NULL);
out:
	sqlite3_close(w);
	if (rc == 0)
		*twin = &t->base;
	else
		sq_close(&t->base);
	return rc;
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

static int sq_each_host(store *s, int64_t org_id, int (*cb)(void *, const store_host *),
			void *ctx, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT id, name, token_sha256, enrolled_at FROM hosts"
			       " WHERE org_id = ? ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "hosts", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, host_row, &c, err, err_size);
}

static int inventory_row_cb(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	return ((int (*)(void *, const char *, const char *))c->fn)(c->ctx, text(st, 0),
								  text(st, 1));
}

static int sq_each_inventory(store *s, int64_t org_id,
			     int (*cb)(void *, const char *, const char *), void *ctx, char *err,
			     size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT hostname, attributes FROM inventory WHERE org_id = ?"
			       " ORDER BY 1",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "inventory", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
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
static int sq_each_report(store *s, int64_t org_id, int64_t from, int64_t to,
			  int (*cb)(void *, const store_report *), void *ctx, char *err,
			  size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *hs, *st;
	if (sqlite3_prepare_v2(db, "SELECT id, name FROM hosts WHERE org_id = ? ORDER BY id", -1,
			       &hs, NULL) != SQLITE_OK)
		return sqlerr(db, "hosts", err, err_size);
	sqlite3_bind_int64(hs, 1, org_id);
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

static int sq_each_exception(store *s, int64_t org_id, int64_t from, int64_t to,
			     int (*cb)(void *, const store_exception *), void *ctx, char *err,
			     size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.name, e.rule, e.reason, e.approved_by, e.until,"
			       " e.first_seen, e.last_seen FROM exceptions e JOIN hosts h"
			       " ON h.id = e.host_id WHERE e.last_seen >= ? AND e.first_seen < ?"
			       " AND h.org_id = ? ORDER BY h.name, e.rule, e.until, e.reason, e.approved_by",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "exceptions", err, err_size);
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, exception_row, &c, err, err_size);
}

static int sq_export(store *s, int64_t org_id, const char *report_id, unsigned char **data,
		     size_t *len, int *encoding, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT b.body, b.encoding FROM reports r JOIN hosts h"
			       " ON h.id = r.host_id LEFT JOIN report_bodies b ON b.report = r.id"
			       " WHERE r.report_id = ?1 AND (h.org_id = ?2 OR ?2 = 0)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "export", err, err_size);
	sqlite3_bind_text(st, 1, report_id, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, org_id);
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
			snprintf(err, err_size, _("out of memory"));
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

static int sq_fleet_scores(store *s, int64_t org_id, int64_t from, int64_t to, store_fleet *m,
			   char *err, size_t err_size)
{
	memset(m, 0, sizeof *m);
	sqlite3_stmt *st = NULL, *inv = NULL;
	static const char latest[] =
		"SELECT r.score FROM reports r JOIN hosts h ON h.id = r.host_id AND h.org_id = ?3"
		" WHERE r.finished_at >= ?1 AND r.finished_at <= ?2 AND r.id = ("
		"  SELECT r2.id FROM reports r2 WHERE r2.host_id = r.host_id"
		"   AND r2.finished_at >= ?1 AND r2.finished_at <= ?2"
		"  ORDER BY r2.finished_at DESC, r2.id DESC LIMIT 1)";
	static const char missing[] =
		"SELECT count(*) FROM inventory i WHERE i.org_id = ?3 AND NOT EXISTS ("
		" SELECT 1 FROM reports r JOIN hosts h ON h.id = r.host_id"
		" WHERE h.org_id = i.org_id AND h.name = i.hostname COLLATE NOCASE"
		" AND r.finished_at >= ?1"
		" AND r.finished_at <= ?2 AND r.score IS NOT NULL)";
	int rc = -1, step;
	if (sqlite3_prepare_v2(DB(s), latest, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(DB(s), missing, -1, &inv, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	sqlite3_bind_int64(st, 3, org_id);
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
	sqlite3_bind_int64(inv, 3, org_id);
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

static int sq_inventory_attr(store *s, int64_t org_id, const char *host, const char *key,
			     char *value, size_t size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT json_extract(attributes, '$.' || ?2) FROM inventory"
			       " WHERE hostname = ?1 AND org_id = ?3",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, org_id);
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

static int sq_inventory_set_attr(store *s, int64_t org_id, const char *host, const char *key,
				 const char *value, int64_t when, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	const char *sql = *value
		? "INSERT INTO inventory(hostname, attributes, imported_at, org_id)"
		  " VALUES(?1, json_object(?2, ?3), ?4, ?5) ON CONFLICT(org_id, hostname) DO UPDATE"
		  " SET attributes = json_set(attributes, '$.' || ?2, ?3)"
		: "UPDATE inventory SET attributes = json_remove(attributes, '$.' || ?2)"
		  " WHERE hostname = ?1 AND org_id = ?5";
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "inventory", err, err_size);
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, key, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, org_id);
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

static int sq_each_latest(store *s, int64_t org_id,
			  int (*cb)(void *, const char *, const char *), void *ctx, char *err,
			  size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.name, r.report_id FROM hosts h LEFT JOIN reports r"
			       " ON r.id = (SELECT id FROM reports WHERE host_id = h.id"
			       " ORDER BY finished_at DESC, id DESC LIMIT 1) WHERE h.org_id = ?"
			       " ORDER BY h.name",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "hosts", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
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
	int rc = step_once(st);
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
	int rc = step_once(st);
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
	int rc = step_once(st);
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


/* ---- organisations ---- */

static int sq_org_add(store *s, const char *name, const char *secret, int64_t when,
		      int64_t *id, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "INSERT INTO organisations(name, created_at, enroll_secret_sha256)"
			       " VALUES(?,?,?) ON CONFLICT(name) DO NOTHING",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "organisations", err, err_size);
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, when);
	if (secret)
		sqlite3_bind_text(st, 3, secret, -1, SQLITE_TRANSIENT);
	int rc = step_once(st);
	if (rc != SQLITE_DONE)
		return sqlerr(DB(s), "organisations", err, err_size);
	if (sqlite3_changes(DB(s)) != 1)
		return 0;
	*id = sqlite3_last_insert_rowid(DB(s));
	return 1;
}

/* One id from a query with one text parameter: 1, 0 none, -1. */
static int org_id_of(store *s, const char *sql, const char *param, int64_t *id)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (param)
		sqlite3_bind_text(st, 1, param, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int sq_session_org(store *s, const char *id_sha256, int64_t *org_id)
{
	return org_id_of(s, "SELECT org_id FROM sessions WHERE id_sha256 = ?", id_sha256, org_id);
}

static int sq_org_by_name(store *s, const char *name, int64_t *id)
{
	return org_id_of(s, "SELECT id FROM organisations WHERE name = ?", name, id);
}

static int sq_org_by_secret(store *s, const char *secret, int64_t *id)
{
	return org_id_of(s,
			 secret ? "SELECT id FROM organisations WHERE enroll_secret_sha256 = ?"
				: "SELECT id FROM organisations WHERE enroll_secret_sha256 IS NOT NULL"
				  " LIMIT 1",
			 secret, id);
}

static int org_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_org o = {.id = sqlite3_column_int64(st, 0), .name = text(st, 1),
		       .created_at = sqlite3_column_int64(st, 2), .secret_sha256 = text(st, 3)};
	return ((int (*)(void *, const store_org *))c->fn)(c->ctx, &o);
}

static int sq_each_org(store *s, int (*cb)(void *, const store_org *), void *ctx, char *err,
		       size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT id, name, created_at, enroll_secret_sha256 FROM organisations"
			       " ORDER BY id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "organisations", err, err_size);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, org_row, &c, err, err_size);
}

/* Only an empty one, decided and done in one transaction. */
static int sq_org_remove(store *s, int64_t id, char *err, size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st = NULL;
	int rc = -1, step;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, "organisations", err, err_size);
	if (sqlite3_prepare_v2(db,
			       "SELECT (SELECT count(*) FROM hosts WHERE org_id = ?1) +"
			       " (SELECT count(*) FROM inventory WHERE org_id = ?1) +"
			       " (SELECT count(*) FROM retired_hosts WHERE org_id = ?1) +"
			       " (SELECT count(*) FROM users WHERE org_id = ?1) +"
			       " (SELECT count(*) FROM api_tokens WHERE org_id = ?1)",
			       -1, &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		if (sqlite3_step(st) == SQLITE_ROW)
			rc = sqlite3_column_int64(st, 0) > 0 ? 2 : 0;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (rc == 0 && sqlite3_prepare_v2(db,
					  "DELETE FROM rate_limits WHERE org_id = ?1;", -1, &st,
					  NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
		sqlite3_finalize(st);
		st = NULL;
	}
	if (rc == 0 && sqlite3_prepare_v2(db, "DELETE FROM organisations WHERE id = ?1", -1, &st,
					  NULL) == SQLITE_OK) {
		sqlite3_bind_int64(st, 1, id);
		step = sqlite3_step(st);
		rc = step == SQLITE_DONE ? sqlite3_changes(db) == 1 : -1;
		sqlite3_finalize(st);
	}
	if (rc >= 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK)
		return rc;
	sqlerr(db, "organisations", err, err_size);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

/* ---- alerts: the outbox (store.h, store_alert_*) ---- */

static int sq_alert_new_reports(store *s, int64_t org_id, long limit,
				int (*cb)(void *, const store_alert_report *), void *ctx,
				int64_t *last, char *err, size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st;
	/* a new organisation's cursor: at the newest report */
	if (sqlite3_prepare_v2(db,
			       "INSERT OR IGNORE INTO alert_cursor(org_id, last_report)"
			       " SELECT ?, coalesce(max(id), 0) FROM reports",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, "alert cursor", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	int rc = step_once(st);
	if (rc != SQLITE_DONE)
		return sqlerr(db, "alert cursor", err, err_size);
	if (sqlite3_prepare_v2(db,
			       "SELECT r.id, h.name, r.report_id, r.claimed_hostname,"
			       " r.hostname_mismatch, r.finished_at, r.summary,"
			       " (SELECT p.summary FROM reports p WHERE p.host_id = r.host_id"
			       "  AND (p.finished_at < r.finished_at OR"
			       "   (p.finished_at = r.finished_at AND p.id < r.id))"
			       "  ORDER BY p.finished_at DESC, p.id DESC LIMIT 1)"
			       " FROM reports r JOIN hosts h ON h.id = r.host_id AND h.org_id = ?1"
			       " WHERE r.id > (SELECT last_report FROM alert_cursor WHERE org_id = ?1)"
			       " ORDER BY r.id LIMIT ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(db, "alert reports", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, limit);
	int stop = 0;
	while (!stop && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		store_alert_report r = {
			.id = sqlite3_column_int64(st, 0), .host_name = text(st, 1),
			.report_id = text(st, 2), .claimed_host = text(st, 3),
			.mismatch = sqlite3_column_int(st, 4) != 0,
			.finished_at = sqlite3_column_int64(st, 5), .summary = text(st, 6),
			.prev_summary = text(st, 7),
		};
		stop = cb(ctx, &r);
		if (!stop)
			*last = r.id;
	}
	if (!stop && rc != SQLITE_DONE)
		stop = sqlerr(db, "alert reports", err, err_size);
	sqlite3_finalize(st);
	return stop;
}

static int sq_alert_cursor_advance(store *s, int64_t org_id, int64_t to, char *err,
				   size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "UPDATE alert_cursor SET last_report = max(last_report, ?)"
			       " WHERE org_id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "alert cursor", err, err_size);
	sqlite3_bind_int64(st, 1, to);
	sqlite3_bind_int64(st, 2, org_id);
	int rc = step_once(st);
	return rc == SQLITE_DONE ? 0 : sqlerr(DB(s), "alert cursor", err, err_size);
}

static int silent_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_alert_silent h = {.host_name = text(st, 0), .last_report_id = text(st, 1),
				.last_finished_at = sqlite3_column_int64(st, 2),
				.enrolled_at = sqlite3_column_int64(st, 3)};
	return ((int (*)(void *, const store_alert_silent *))c->fn)(c->ctx, &h);
}

static int sq_alert_each_silent(store *s, int64_t org_id, int64_t before,
				int (*cb)(void *, const store_alert_silent *), void *ctx,
				char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.name, r.report_id, coalesce(r.finished_at, 0), h.enrolled_at"
			       " FROM hosts h LEFT JOIN reports r ON r.id = (SELECT id FROM reports"
			       " WHERE host_id = h.id ORDER BY finished_at DESC, id DESC LIMIT 1)"
			       " WHERE h.token_sha256 IS NOT NULL AND h.org_id = ?2"
			       " AND coalesce(r.finished_at, h.enrolled_at) < ?1 ORDER BY h.name",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "silent hosts", err, err_size);
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, silent_row, &c, err, err_size);
}

static int sq_alert_event_add(store *s, int64_t org_id, const store_alert_event *e,
			      const char *const *receivers, size_t n, char *err, size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, "alert event", err, err_size);
	int rc = -1;
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO alert_events(org_id, event_key, kind, host, rule, detail,"
			       " created_at) VALUES(?,?,?,?,?,?,?) ON CONFLICT DO NOTHING",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_text(st, 2, e->key, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, e->kind, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, e->host ? e->host : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, e->rule ? e->rule : "", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, e->detail ? e->detail : "{}", -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, e->created_at);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_changes(db) != 1) {
		rc = 0;
		goto out;
	}
	int64_t id = sqlite3_last_insert_rowid(db);
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO alert_deliveries(org_id, event, receiver, state, next_at)"
			       " VALUES(?,?,?,'pending',?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, org_id);
		sqlite3_bind_int64(st, 2, id);
		sqlite3_bind_text(st, 3, receivers[i], -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 4, e->created_at);
		if (sqlite3_step(st) != SQLITE_DONE)
			goto out;
	}
	rc = 1;
out:
	if (rc < 0)
		sqlerr(db, "alert event", err, err_size);
	sqlite3_finalize(st);
	if (rc >= 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(db, "alert event", err, err_size);
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int alert_event_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_alert_event e = {.id = sqlite3_column_int64(st, 0), .key = text(st, 1),
			       .kind = text(st, 2), .host = text(st, 3), .rule = text(st, 4),
			       .detail = text(st, 5), .created_at = sqlite3_column_int64(st, 6)};
	return ((int (*)(void *, const store_alert_event *))c->fn)(c->ctx, &e);
}

static int sq_alert_each_event(store *s, int64_t org_id, int64_t from, int64_t to,
			       int (*cb)(void *, const store_alert_event *), void *ctx, char *err,
			       size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT id, event_key, kind, host, rule, detail, created_at"
			       " FROM alert_events WHERE org_id = ? AND created_at >= ?"
			       " AND created_at < ? ORDER BY created_at, id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "alert events", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, alert_event_row, &c, err, err_size);
}

/* A delivery with its event, as alert_delivery_fill() reads it. */
#define ALERT_DELIVERY_SELECT \
	"SELECT d.id, d.receiver, d.state, d.attempts, d.next_at," \
	" coalesce(d.delivered_at, 0), d.last_error, e.id, e.event_key, e.kind, e.host," \
	" e.rule, e.detail, e.created_at FROM alert_deliveries d" \
	" JOIN alert_events e ON e.id = d.event "

static char *dup_or_null(const char *v)
{
	return v ? strdup(v) : NULL;
}

static void alert_delivery_fill(sqlite3_stmt *st, store_alert_delivery *d)
{
	d->id = sqlite3_column_int64(st, 0);
	d->receiver = dup_or_null(text(st, 1));
	d->state = dup_or_null(text(st, 2));
	d->attempts = (long)sqlite3_column_int64(st, 3);
	d->next_at = sqlite3_column_int64(st, 4);
	d->delivered_at = sqlite3_column_int64(st, 5);
	d->last_error = dup_or_null(text(st, 6));
	d->ev.id = sqlite3_column_int64(st, 7);
	d->ev.key = dup_or_null(text(st, 8));
	d->ev.kind = dup_or_null(text(st, 9));
	d->ev.host = dup_or_null(text(st, 10));
	d->ev.rule = dup_or_null(text(st, 11));
	d->ev.detail = dup_or_null(text(st, 12));
	d->ev.created_at = sqlite3_column_int64(st, 13);
}

static int sq_alert_claim(store *s, int64_t org_id, const char *owner, int64_t now,
			  long lease_s, store_alert_delivery *d, char *err, size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st = NULL;
	/* BEGIN IMMEDIATE: the one writer of the file at a time, so the due
	 * row chosen is still free when it is leased. */
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, "alert claim", err, err_size);
	int rc = -1;
	if (sqlite3_prepare_v2(db,
			       "UPDATE alert_deliveries SET lease_owner = ?1, lease_until = ?2 + ?3"
			       " WHERE id = (SELECT id FROM alert_deliveries WHERE org_id = ?4"
			       " AND state = 'pending' AND next_at <= ?2 AND lease_until <= ?2"
			       " ORDER BY next_at, id LIMIT 1) RETURNING id",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_text(st, 1, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, now);
	sqlite3_bind_int64(st, 3, lease_s);
	sqlite3_bind_int64(st, 4, org_id);
	int step = sqlite3_step(st);
	if (step == SQLITE_DONE) {
		rc = 0;
		goto out;
	}
	if (step != SQLITE_ROW)
		goto out;
	int64_t id = sqlite3_column_int64(st, 0);
	sqlite3_step(st);
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_prepare_v2(db, ALERT_DELIVERY_SELECT "WHERE d.id = ?", -1, &st, NULL) !=
		    SQLITE_OK ||
	    (sqlite3_bind_int64(st, 1, id), sqlite3_step(st)) != SQLITE_ROW)
		goto out;
	alert_delivery_fill(st, d);
	rc = 1;
out:
	if (rc < 0)
		sqlerr(db, "alert claim", err, err_size);
	sqlite3_finalize(st);
	if (rc >= 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(db, "alert claim", err, err_size);
	if (rc < 0) {
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
		store_alert_delivery_free(d);
	}
	return rc;
}

static int sq_alert_attempt(store *s, int64_t org_id, int64_t delivery_id, const char *owner,
			    int64_t now, bool ok, const char *detail, int64_t next_at, char *err,
			    size_t err_size)
{
	sqlite3 *db = DB(s);
	sqlite3_stmt *st = NULL;
	if (sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(db, "alert attempt", err, err_size);
	int rc = -1;
	if (sqlite3_prepare_v2(db,
			       "UPDATE alert_deliveries SET attempts = attempts + 1,"
			       " state = CASE WHEN ?1 THEN 'sent' WHEN ?2 = 0 THEN 'failed'"
			       "  ELSE 'pending' END,"
			       " next_at = CASE WHEN ?1 OR ?2 = 0 THEN next_at ELSE ?2 END,"
			       " delivered_at = CASE WHEN ?1 THEN ?3 END,"
			       " last_error = CASE WHEN ?1 THEN NULL ELSE ?4 END,"
			       " lease_owner = NULL, lease_until = 0"
			       " WHERE id = ?5 AND org_id = ?6 AND lease_owner = ?7"
			       " AND state = 'pending'",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int(st, 1, ok);
	sqlite3_bind_int64(st, 2, next_at);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, detail, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, delivery_id);
	sqlite3_bind_int64(st, 6, org_id);
	sqlite3_bind_text(st, 7, owner, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_DONE)
		goto out;
	sqlite3_finalize(st);
	st = NULL;
	if (sqlite3_changes(db) != 1) {
		rc = 0;
		goto out;
	}
	if (sqlite3_prepare_v2(db,
			       "INSERT INTO alert_attempts(org_id, delivery, at, owner, ok, detail)"
			       " VALUES(?,?,?,?,?,?)",
			       -1, &st, NULL) != SQLITE_OK)
		goto out;
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, delivery_id);
	sqlite3_bind_int64(st, 3, now);
	sqlite3_bind_text(st, 4, owner, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 5, ok);
	sqlite3_bind_text(st, 6, detail, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		rc = 1;
out:
	if (rc < 0)
		sqlerr(db, "alert attempt", err, err_size);
	sqlite3_finalize(st);
	if (rc >= 0 && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = sqlerr(db, "alert attempt", err, err_size);
	if (rc < 0)
		sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	return rc;
}

static int alert_delivery_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_alert_delivery d;
	memset(&d, 0, sizeof d);
	alert_delivery_fill(st, &d);
	int rc = ((int (*)(void *, const store_alert_delivery *))c->fn)(c->ctx, &d);
	store_alert_delivery_free(&d);
	return rc;
}

static int sq_alert_each_delivery(store *s, int64_t org_id, int64_t since,
				  int (*cb)(void *, const store_alert_delivery *), void *ctx,
				  char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       ALERT_DELIVERY_SELECT "WHERE d.org_id = ? AND e.created_at >= ?"
			       " ORDER BY e.created_at, e.id, d.receiver",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "alert deliveries", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, since);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, alert_delivery_row, &c, err, err_size);
}

/* ---- the year at a glance (annual) ---- */

typedef struct year_ctx {
	cb_ctx c;
	char *err;
	size_t err_size;
} year_ctx;

static int rule_year_row(sqlite3_stmt *st, void *x)
{
	year_ctx *c = x;
	const char *ls = text(st, 5);
	store_rule_year y = {
		.host_id = sqlite3_column_int64(st, 0), .year = sqlite3_column_int(st, 1),
		.rule = text(st, 2), .last_at = sqlite3_column_int64(st, 4),
		.last_state = ls ? ls[0] : 0,
	};
	const unsigned char *days = sqlite3_column_blob(st, 3);
	if (!days || !store_rule_year_days(&y, days, (size_t)sqlite3_column_bytes(st, 3))) {
		snprintf(c->err, c->err_size, _("database: %s: days not understood"),
			 "host_rule_years");
		return -1;
	}
	return ((int (*)(void *, const store_rule_year *))c->c.fn)(c->c.ctx, &y);
}

static int sq_each_rule_year(store *s, int64_t org_id, int year,
			     int (*cb)(void *, const store_rule_year *), void *ctx, char *err,
			     size_t err_size)
{
	sqlite3_stmt *st;
	/* hosts by id, each host's rows by the table's key: no sort. NOT
	 * INDEXED: hosts by rowid; through the (org_id, name) index SQLite
	 * would sort the whole year's rows in a temporary B-tree */
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.id, m.year, m.rule, m.days, m.last_at, m.last_state"
			       " FROM hosts h NOT INDEXED JOIN host_rule_years m ON m.host_id = h.id"
			       " WHERE h.org_id = ?1 AND m.year = ?2 ORDER BY h.id, m.rule",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "host_rule_years", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int(st, 2, year);
	year_ctx c = {{(void *)cb, ctx}, err, err_size};
	return each_row(DB(s), st, rule_year_row, &c, err, err_size);
}

static int evidence_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_evidence e = {
		.host_id = sqlite3_column_int64(st, 0), .finished_at = sqlite3_column_int64(st, 1),
		.received_at = sqlite3_column_int64(st, 2), .report_id = text(st, 3),
		.body_sha256 = text(st, 4),
	};
	return ((int (*)(void *, const store_evidence *))c->fn)(c->ctx, &e);
}

static int sq_each_evidence(store *s, int64_t org_id, int64_t from, int64_t to,
			    int (*cb)(void *, const store_evidence *), void *ctx, char *err,
			    size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT h.id, r.finished_at, r.received_at, r.report_id,"
			       " r.body_sha256 FROM hosts h NOT INDEXED JOIN reports r"
			       " INDEXED BY reports_evidence ON r.host_id = h.id"
			       " WHERE h.org_id = ?1 AND r.finished_at >= ?2 AND r.finished_at < ?3"
			       " ORDER BY h.id, r.finished_at, r.received_at, r.report_id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "evidence", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, evidence_row, &c, err, err_size);
}

static int host_month_row(sqlite3_stmt *st, void *x)
{
	cb_ctx *c = x;
	store_host_month m = {
		.host_id = sqlite3_column_int64(st, 0), .month = sqlite3_column_int(st, 1),
		.reports = (long)sqlite3_column_int64(st, 2), .first = sqlite3_column_int64(st, 3),
		.last = sqlite3_column_int64(st, 4),
	};
	return ((int (*)(void *, const store_host_month *))c->fn)(c->ctx, &m);
}

static int sq_each_host_month(store *s, int64_t org_id, int from_month, int to_month,
			      int (*cb)(void *, const store_host_month *), void *ctx, char *err,
			      size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT m.host_id, m.month, m.reports, m.first_at, m.last_at"
			       " FROM hosts h NOT INDEXED JOIN host_months m ON m.host_id = h.id"
			       " WHERE h.org_id = ?1 AND m.month >= ?2 AND m.month <= ?3"
			       " ORDER BY h.id, m.month",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "host_months", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	sqlite3_bind_int(st, 2, from_month);
	sqlite3_bind_int(st, 3, to_month);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, host_month_row, &c, err, err_size);
}

static void sq_bench_unsafe(store *s)
{
	sqlite3_exec(DB(s), "PRAGMA synchronous=OFF", NULL, NULL, NULL);
}

/* ---- evidence: the hash chain ---- */

typedef struct link_cb {
	int (*cb)(void *, const store_link *);
	void *ctx;
} link_cb;

static int link_row(sqlite3_stmt *st, void *x)
{
	link_cb *c = x;
	store_link l = {
		.seq = sqlite3_column_int64(st, 0), .report_id = text(st, 1),
		.body_sha256 = text(st, 2), .chain_sha256 = text(st, 3),
		.chained_at = sqlite3_column_int64(st, 4),
		.body_removed = sqlite3_column_int(st, 7) != 0,
	};
	if (sqlite3_column_type(st, 5) != SQLITE_NULL) {
		l.packed = sqlite3_column_blob(st, 5);
		l.packed_len = (size_t)sqlite3_column_bytes(st, 5);
		l.encoding = sqlite3_column_int(st, 6);
		if (!l.packed) /* an empty blob */
			l.packed = (const unsigned char *)"";
	}
	return c->cb(c->ctx, &l);
}

static int sq_each_link(store *s, int64_t org, bool bodies,
			int (*cb)(void *, const store_link *), void *ctx, char *err,
			size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       bodies ? "SELECT c.seq, r.report_id, r.body_sha256, c.chain_sha256,"
					" c.chained_at, b.body, b.encoding,"
					" r.id IS NOT NULL AND b.report IS NULL"
					" FROM report_chain c LEFT JOIN reports r ON r.id = c.report"
					" LEFT JOIN report_bodies b ON b.report = c.report"
					" WHERE c.org_id = ? ORDER BY c.seq"
				      : "SELECT c.seq, r.report_id, r.body_sha256, c.chain_sha256,"
					" c.chained_at, NULL, 0, 0"
					" FROM report_chain c LEFT JOIN reports r ON r.id = c.report"
					" WHERE c.org_id = ? ORDER BY c.seq",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "chain", err, err_size);
	sqlite3_bind_int64(st, 1, org);
	link_cb c = {cb, ctx};
	return each_row(DB(s), st, link_row, &c, err, err_size);
}

/* One row (seq, chain hash) of sql bound to org (and at): 1, 0 none, -1. */
static int chain_one(store *s, const char *sql, int64_t org, const int64_t *at,
		     int64_t *seq, char sha[65], char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s), sql, -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "chain", err, err_size);
	sqlite3_bind_int64(st, 1, org);
	if (at)
		sqlite3_bind_int64(st, 2, *at);
	int rc = sqlite3_step(st), found = 0;
	if (rc == SQLITE_ROW) {
		*seq = sqlite3_column_int64(st, 0);
		snprintf(sha, 65, "%s", text(st, 1) ? text(st, 1) : "");
		found = 1;
	} else if (rc != SQLITE_DONE) {
		found = sqlerr(DB(s), "chain", err, err_size);
	}
	sqlite3_finalize(st);
	return found;
}

static int sq_chain_head(store *s, int64_t org, int64_t at, int64_t *seq, char sha[65],
			 char *err, size_t err_size)
{
	/* the index (org_id, chained_at, seq): one step, at any size */
	return chain_one(s, "SELECT seq, chain_sha256 FROM report_chain WHERE org_id = ?"
			    " AND chained_at < ? ORDER BY chained_at DESC, seq DESC LIMIT 1",
			 org, &at, seq, sha, err, err_size);
}

static int sq_chain_tip(store *s, int64_t org, int64_t *seq, char sha[65], char *err,
			size_t err_size)
{
	return chain_one(s, "SELECT seq, chain_sha256 FROM chain_heads WHERE org_id = ?", org,
			 NULL, seq, sha, err, err_size);
}

static int sq_chain_unlinked(store *s, int64_t org, long *count, char first[64], char *err,
			     size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT count(*), min(report_id) FROM reports r JOIN hosts h"
			       " ON h.id = r.host_id AND h.org_id = ? WHERE NOT EXISTS"
			       " (SELECT 1 FROM report_chain c WHERE c.report = r.id)",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "chain", err, err_size);
	sqlite3_bind_int64(st, 1, org);
	int rc = sqlite3_step(st) == SQLITE_ROW ? 0 : sqlerr(DB(s), "chain", err, err_size);
	if (rc == 0) {
		*count = (long)sqlite3_column_int64(st, 0);
		snprintf(first, 64, "%s", text(st, 1) ? text(st, 1) : "");
	}
	sqlite3_finalize(st);
	return rc;
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

/* Reports belong to their host's organisation (hosts.org_id). */
static int sq_each_latest_report(store *s, int64_t org_id,
				 int (*cb)(void *, const store_report *), void *ctx, char *err,
				 size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT " REPORT_COLS " FROM hosts h JOIN reports r"
			       " ON r.id = (SELECT id FROM reports WHERE host_id = h.id"
			       " ORDER BY finished_at DESC, id DESC LIMIT 1)"
			       " LEFT JOIN report_digests d ON d.report = r.id WHERE h.org_id = ?"
			       " ORDER BY h.id",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "latest reports", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
	cb_ctx c = {(void *)cb, ctx};
	return each_row(DB(s), st, report_full_row, &c, err, err_size);
}

static int sq_each_host_report(store *s, int64_t org_id, const char *host, int64_t bf,
			       int64_t br, long limit, int (*cb)(void *, const store_report *),
			       void *ctx, char *err, size_t err_size)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT " REPORT_COLS " FROM hosts h JOIN reports r ON r.host_id = h.id"
			       " LEFT JOIN report_digests d ON d.report = r.id WHERE h.name = ?1"
			       " AND h.org_id = ?5"
			       " AND (r.finished_at < ?2 OR (r.finished_at = ?2 AND r.id < ?3))"
			       " ORDER BY r.finished_at DESC, r.id DESC LIMIT ?4",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "host reports", err, err_size);
	sqlite3_bind_int64(st, 5, org_id);
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
	int rc = step_once(st);
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

/* 1 when host is enrolled or in the inventory (any case) of org_id, 0
 * not, -1. */
static int sq_known(store *s, int64_t org_id, const char *host)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT 1 FROM hosts WHERE name = ?1 AND org_id = ?2 UNION ALL"
			       " SELECT 1 FROM inventory WHERE hostname = ?1 AND org_id = ?2",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_text(st, 1, host, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, org_id);
	int rc = step_once(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static int sq_host_revoke(store *s, int64_t org_id, const char *host, char *err,
			  size_t err_size)
{
	int k = sq_known(s, org_id, host);
	if (k <= 0)
		return k < 0 ? sqlerr(DB(s), "revoke", err, err_size) : 0;
	char o[24];
	snprintf(o, sizeof o, "%lld", (long long)org_id);
	const char *v[] = {host, o};
	return sq_change(s, "revoke",
			 "UPDATE hosts SET token_sha256 = NULL WHERE name = ?1 AND org_id = ?2", v,
			 2, err, err_size) < 0
		       ? -1
		       : 1;
}

/* One transaction: the host's row, its inventory row and its retirement
 * take the new name together. */
static int sq_host_rename(store *s, int64_t org_id, const char *from, const char *to,
			  char *err, size_t err_size)
{
	int k = sq_known(s, org_id, from);
	if (k <= 0)
		return k < 0 ? sqlerr(DB(s), "rename", err, err_size) : 0;
	if (strcasecmp(from, to) != 0) {
		int t = sq_known(s, org_id, to);
		if (t != 0) {
			if (t > 0)
				snprintf(err, err_size, _("host %s exists already"), to);
			return t < 0 ? sqlerr(DB(s), "rename", err, err_size) : -1;
		}
	}
	char o[24];
	snprintf(o, sizeof o, "%lld", (long long)org_id);
	const char *v[] = {from, to, o};
	if (sqlite3_exec(DB(s), "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "rename", err, err_size);
	int rc = sq_change(s, "rename",
			   "UPDATE hosts SET name = ?2 WHERE name = ?1 AND org_id = ?3", v, 3, err,
			   err_size) < 0 ||
		 sq_change(s, "rename",
			   "UPDATE inventory SET hostname = ?2 WHERE hostname = ?1 AND org_id = ?3",
			   v, 3, err, err_size) < 0 ||
		 sq_change(s, "rename",
			   "UPDATE retired_hosts SET name = ?2 WHERE name = ?1 AND org_id = ?3", v,
			   3, err, err_size) < 0
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
	int k = sq_known(s, org_id, host);
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
			   " ON CONFLICT(org_id, name) DO NOTHING",
			   v, 3, err, err_size) < 0 ||
		 sq_change(s, "retire",
			   "UPDATE hosts SET token_sha256 = NULL WHERE name = ?1 AND org_id = ?2", v,
			   2, err, err_size) < 0
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

static int sq_token_add(store *s, int64_t org_id, const char *name, const char *role_name,
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
	sqlite3_bind_text(st, 3, role_name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, hash, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 5, when);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_CONSTRAINT) {
		snprintf(err, err_size, _("a token named %s exists already"), name);
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : sqlerr(DB(s), "token", err, err_size);
}

static int sq_token_auth(store *s, const char *hash, int64_t *org_id, char *role_name,
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
		snprintf(role_name, role_size, "%s", text(st, 1));
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
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(DB(s),
			       "SELECT count(*) FROM reports r JOIN hosts h ON h.id = r.host_id"
			       " WHERE h.org_id = ?",
			       -1, &st, NULL) != SQLITE_OK)
		return sqlerr(DB(s), "reports", err, err_size);
	sqlite3_bind_int64(st, 1, org_id);
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
	.read_begin_twin = sq_read_begin_twin,
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
	.session_org = sq_session_org,
	.org_add = sq_org_add,
	.org_by_name = sq_org_by_name,
	.org_by_secret = sq_org_by_secret,
	.each_org = sq_each_org,
	.org_remove = sq_org_remove,
	.alert_new_reports = sq_alert_new_reports,
	.alert_cursor_advance = sq_alert_cursor_advance,
	.alert_each_silent = sq_alert_each_silent,
	.alert_event_add = sq_alert_event_add,
	.alert_each_event = sq_alert_each_event,
	.alert_claim = sq_alert_claim,
	.alert_attempt = sq_alert_attempt,
	.alert_each_delivery = sq_alert_each_delivery,
	.each_link = sq_each_link,
	.chain_head = sq_chain_head,
	.chain_tip = sq_chain_tip,
	.chain_unlinked = sq_chain_unlinked,
	.each_rule_year = sq_each_rule_year,
	.each_evidence = sq_each_evidence,
	.each_host_month = sq_each_host_month,
};
