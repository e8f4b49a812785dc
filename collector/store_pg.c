/* SPDX-License-Identifier: Apache-2.0 */
/* The store on PostgreSQL (store.h), through libpq: several collectors
 * behind a load balancer share one database, so everything shared lives
 * in it: the unique report_id deduplicates across processes, enrollment
 * and tokens are rows, and schema migrations take an advisory lock.
 *
 * Durability: synchronous_commit is set on for every connection (whatever
 * the server's default), and a report is answered only after its COMMIT
 * returned: the commit record is flushed to the server's WAL on disk. The
 * writer thread's batches give group commit here too: one COMMIT, one WAL
 * flush, for every report waiting. */
#define _GNU_SOURCE
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libintl.h>
#include <libpq-fe.h>

#include "store_backend.h"
#include "i18n.h"
#include "pg_copy.h"

typedef struct pg_store {
	store base;
	PGconn *conn;
	int version;
} pg_store;

#define CONN(s) (((pg_store *)(s))->conn)

/* ---- schema, and its migrations ---- */

/* Version 1: the SQLite store's schema, in PostgreSQL's words. Names are
 * unique whatever their case (SQLite's COLLATE NOCASE): on lower(name). */
static const char v1[] =
	"CREATE TABLE hosts("
	"  id BIGSERIAL PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  token_sha256 TEXT UNIQUE,"  /* only the hash of the token */
	"  enrolled_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX hosts_name ON hosts(lower(name));"
	"CREATE TABLE reports("
	"  id BIGSERIAL PRIMARY KEY,"  /* arrival order */
	"  report_id TEXT NOT NULL UNIQUE,"
	"  host_id BIGINT NOT NULL REFERENCES hosts(id),"
	"  claimed_hostname TEXT,"
	"  hostname_mismatch INTEGER NOT NULL,"
	"  finished_at BIGINT NOT NULL,"
	"  received_at BIGINT NOT NULL,"
	"  score DOUBLE PRECISION,"
	"  body_sha256 TEXT NOT NULL,"
	"  summary TEXT NOT NULL);"
	"CREATE TABLE report_bodies("
	"  report BIGINT PRIMARY KEY REFERENCES reports(id),"
	"  body BYTEA NOT NULL);"
	"CREATE TABLE exceptions("
	"  host_id BIGINT NOT NULL REFERENCES hosts(id),"
	"  rule TEXT NOT NULL, reason TEXT NOT NULL,"
	"  approved_by TEXT NOT NULL, until TEXT NOT NULL,"
	"  first_seen BIGINT NOT NULL, last_seen BIGINT NOT NULL,"
	"  UNIQUE(host_id, rule, reason, approved_by, until));"
	"CREATE TABLE inventory("
	"  hostname TEXT NOT NULL,"
	"  attributes TEXT NOT NULL,"
	"  imported_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX inventory_host ON inventory(lower(hostname));"
	"CREATE INDEX reports_time ON reports(finished_at);"
	"CREATE INDEX reports_host_time ON reports(host_id, finished_at);";

/* Version 2: bodies may be stored compressed (body_codec.h); those
 * stored before stay as they are, encoding 0. EXTERNAL: no pglz on top
 * of zstd, which would only cost CPU. */
static const char v2[] =
	"ALTER TABLE report_bodies ADD COLUMN encoding INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE report_bodies ALTER COLUMN body SET STORAGE EXTERNAL;";

/* Version 3: throttles (store_rate_limit_hit), shared by every collector
 * on the database. */
static const char v3[] =
	"CREATE TABLE rate_limits("
	"  key TEXT PRIMARY KEY,"
	"  window_start BIGINT NOT NULL,"
	"  count BIGINT NOT NULL);";

/* ui: the console's users and their sessions (collector/ui/); names
 * unique per organisation whatever their case. */
static const char v5_ui[] =
	"CREATE TABLE users("
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  lang TEXT NOT NULL DEFAULT '',"
	"  password_hash TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX users_name ON users(org_id, lower(name));"
	"CREATE TABLE sessions("
	"  id_sha256 TEXT PRIMARY KEY,"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  user_name TEXT NOT NULL,"
	"  csrf TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  expires_at BIGINT NOT NULL);"
	"CREATE INDEX sessions_expiry ON sessions(expires_at);";

/* api: version 4: the digest of each report (report_digest(), made at
 * ingest; those stored before get theirs from store_backfill_digests()),
 * API tokens, retired hosts. */
static const char v4_api[] =
	"CREATE TABLE report_digests("
	"  report BIGINT PRIMARY KEY REFERENCES reports(id),"
	"  digest TEXT NOT NULL);"
	"CREATE TABLE api_tokens("
	"  id BIGSERIAL PRIMARY KEY,"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  name TEXT NOT NULL,"
	"  role TEXT NOT NULL,"
	"  token_sha256 TEXT NOT NULL UNIQUE,"
	"  created_at BIGINT NOT NULL,"
	"  UNIQUE(org_id, name));"
	"CREATE TABLE retired_hosts("
	"  name TEXT NOT NULL,"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  retired_at BIGINT NOT NULL);"
	"CREATE UNIQUE INDEX retired_hosts_name ON retired_hosts(lower(name));";
/* tenants: organisations (principal.h). Every host, inventory row and
 * throttle belongs to one; what was there before belongs to the default
 * organisation, id 1, that a single-company install has and never names.
 * Host names are unique per organisation. Reports and exceptions belong
 * through their host. */
static const char v6_tenants[] =
	"CREATE TABLE organisations("
	"  id BIGSERIAL PRIMARY KEY,"
	"  name TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  enroll_secret_sha256 TEXT UNIQUE);" /* only the secret's hash */
	"CREATE UNIQUE INDEX organisations_name ON organisations(lower(name));"
	"INSERT INTO organisations(id, name, created_at)"
	" VALUES(1, 'default', extract(epoch from now())::bigint);"
	"SELECT setval('organisations_id_seq', 1);"
	"ALTER TABLE hosts ADD COLUMN org_id BIGINT NOT NULL DEFAULT 1"
	" REFERENCES organisations(id);"
	"DROP INDEX hosts_name;"
	"CREATE UNIQUE INDEX hosts_name ON hosts(org_id, lower(name));"
	"ALTER TABLE inventory ADD COLUMN org_id BIGINT NOT NULL DEFAULT 1"
	" REFERENCES organisations(id);"
	"DROP INDEX inventory_host;"
	"CREATE UNIQUE INDEX inventory_host ON inventory(org_id, lower(hostname));"
	"ALTER TABLE rate_limits ADD COLUMN org_id BIGINT NOT NULL DEFAULT 1"
	" REFERENCES organisations(id);"
	"ALTER TABLE rate_limits DROP CONSTRAINT rate_limits_pkey;"
	"ALTER TABLE rate_limits ADD PRIMARY KEY(org_id, key);"
	/* retired_hosts (api) has its org_id: names unique per organisation */
	"DROP INDEX retired_hosts_name;"
	"CREATE UNIQUE INDEX retired_hosts_name ON retired_hosts(org_id, lower(name));";

/* alerts: the alerts' outbox (collector/alerts/): the cursor
 * over reports, events with a unique key (so collectors sharing the
 * database store each once), deliveries with a lease, every attempt. */
static const char v_alerts[] =
	"CREATE TABLE alert_cursor("
	"  org_id BIGINT NOT NULL DEFAULT 1 PRIMARY KEY,"
	"  last_report BIGINT NOT NULL);"
	"CREATE TABLE alert_events("
	"  id BIGSERIAL PRIMARY KEY,"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  event_key TEXT NOT NULL,"
	"  kind TEXT NOT NULL, host TEXT NOT NULL, rule TEXT NOT NULL,"
	"  detail TEXT NOT NULL,"
	"  created_at BIGINT NOT NULL,"
	"  UNIQUE(org_id, event_key));"
	"CREATE INDEX alert_events_time ON alert_events(org_id, created_at);"
	"CREATE TABLE alert_deliveries("
	"  id BIGSERIAL PRIMARY KEY,"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  event BIGINT NOT NULL REFERENCES alert_events(id),"
	"  receiver TEXT NOT NULL,"
	"  state TEXT NOT NULL,"  /* pending, sent, failed */
	"  attempts INTEGER NOT NULL DEFAULT 0,"
	"  next_at BIGINT NOT NULL,"
	"  lease_owner TEXT,"
	"  lease_until BIGINT NOT NULL DEFAULT 0,"
	"  delivered_at BIGINT,"
	"  last_error TEXT,"
	"  UNIQUE(event, receiver));"
	"CREATE INDEX alert_deliveries_due ON alert_deliveries(org_id, state, next_at);"
	"CREATE TABLE alert_attempts("
	"  id BIGSERIAL PRIMARY KEY,"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  delivery BIGINT NOT NULL REFERENCES alert_deliveries(id),"
	"  at BIGINT NOT NULL,"
	"  owner TEXT NOT NULL,"
	"  ok INTEGER NOT NULL,"
	"  detail TEXT NOT NULL);";

/* evidence: the reports' hash chain, as on SQLite (see
 * store_sqlite.c v_chain; docs/collector.md "Evidence"). Ingest appends to
 * it in C (chain_batch). The migration chains the reports stored before
 * it with hostaudit_chain(): it locks the organisation's head row (FOR
 * UPDATE) and appends the given reports that are in no link yet, in the
 * order given; NULL report_ids: every unlinked report. Ingest called it
 * until 2026-12-02; it stays for the migration, as it was. */
static const char v_chain[] =
	"CREATE TABLE chain_heads("
	"  org_id BIGINT PRIMARY KEY DEFAULT 1,"
	"  seq BIGINT NOT NULL,"
	"  chain_sha256 TEXT NOT NULL,"
	"  chained_at BIGINT NOT NULL);"
	"CREATE TABLE report_chain("
	"  report BIGINT PRIMARY KEY REFERENCES reports(id),"
	"  org_id BIGINT NOT NULL DEFAULT 1,"
	"  seq BIGINT NOT NULL,"
	"  chain_sha256 TEXT NOT NULL,"
	"  chained_at BIGINT NOT NULL,"
	"  UNIQUE(org_id, seq));"
	"CREATE INDEX report_chain_time ON report_chain(org_id, chained_at, seq);"
	"INSERT INTO chain_heads VALUES(1, 0, '" CHAIN_GENESIS "', 0);"
	"CREATE FUNCTION hostaudit_chain(p_org BIGINT, p_ids TEXT[]) RETURNS BIGINT"
	" LANGUAGE plpgsql AS $f$"
	" DECLARE h RECORD; r RECORD; cur REFCURSOR; n BIGINT := 0;"
	"  s BIGINT; c TEXT; t BIGINT;"
	" BEGIN"
	"  INSERT INTO chain_heads VALUES(p_org, 0, '" CHAIN_GENESIS "', 0)"
	"   ON CONFLICT (org_id) DO NOTHING;"
	"  SELECT seq, chain_sha256, chained_at INTO h FROM chain_heads"
	"   WHERE org_id = p_org FOR UPDATE;"
	"  s := h.seq; c := h.chain_sha256; t := h.chained_at;"
	"  IF p_ids IS NULL THEN"
	"   OPEN cur FOR SELECT x.id, x.body_sha256, x.received_at FROM reports x"
	"    JOIN hosts o ON o.id = x.host_id AND o.org_id = p_org"
	"    WHERE NOT EXISTS (SELECT 1 FROM report_chain k WHERE k.report = x.id)"
	"    ORDER BY x.id;"
	"  ELSE"
	"   OPEN cur FOR SELECT x.id, x.body_sha256, x.received_at"
	"    FROM unnest(p_ids) WITH ORDINALITY AS u(rid, ord)"
	"    JOIN reports x ON x.report_id = u.rid"
	"    JOIN hosts o ON o.id = x.host_id AND o.org_id = p_org"
	"    WHERE NOT EXISTS (SELECT 1 FROM report_chain k WHERE k.report = x.id)"
	"    GROUP BY x.id ORDER BY min(u.ord);"
	"  END IF;"
	"  LOOP"
	"   FETCH cur INTO r;"
	"   EXIT WHEN NOT FOUND;"
	"   s := s + 1;"
	"   c := encode(sha256(convert_to(c || r.body_sha256, 'UTF8')), 'hex');"
	"   t := greatest(t, r.received_at);"
	"   INSERT INTO report_chain VALUES(r.id, p_org, s, c, t);"
	"   n := n + 1;"
	"  END LOOP;"
	"  CLOSE cur;"
	"  UPDATE chain_heads SET seq = s, chain_sha256 = c, chained_at = t"
	"   WHERE org_id = p_org;"
	"  RETURN n;"
	" END $f$;"
	/* a batch holds reports of several organisations: each onto its own
	 * chain, the heads locked in organisation order (no deadlock between
	 * two collectors' batches) */
	"CREATE FUNCTION hostaudit_chain_batch(p_ids TEXT[]) RETURNS BIGINT"
	" LANGUAGE plpgsql AS $f$"
	" DECLARE o BIGINT; n BIGINT := 0;"
	" BEGIN"
	"  FOR o IN SELECT DISTINCT h.org_id FROM unnest(p_ids) AS u(rid)"
	"   JOIN reports x ON x.report_id = u.rid JOIN hosts h ON h.id = x.host_id"
	"   ORDER BY 1 LOOP"
	"   n := n + hostaudit_chain(o, p_ids);"
	"  END LOOP;"
	"  RETURN n;"
	" END $f$;"
	"SELECT hostaudit_chain(id, NULL) FROM organisations ORDER BY id;";

/* annual: one report's results as host_rule_years rows, from parameters
 * (year_args): H host id, F finished_at, Y its year, R, S, B arrays of
 * each result's rule, state and day's bit in days (STORE_YEAR_BIT, -1
 * none). YEAR_ROWS selects them; YEAR_MERGE ends the upsert. */
#define YEAR_ROWS(from, H, F, Y, R, S, B) \
	" SELECT DISTINCT ON (u.rule) " H "::bigint, " Y "::int, u.rule," \
	" CASE WHEN u.bit < 0 THEN B'0'::bit(1536) ELSE B'1'::bit(1536) >> u.bit END," \
	" " F "::bigint, u.st FROM " from ", unnest(" R "::text[], " S "::text[], " B "::int[])" \
	" AS u(rule, st, bit) ORDER BY u.rule"
#define YEAR_MERGE \
	" ON CONFLICT (host_id, year, rule) DO UPDATE SET" \
	" days = host_rule_years.days | excluded.days," \
	" last_state = CASE WHEN excluded.last_at >= host_rule_years.last_at" \
	"  THEN excluded.last_state ELSE host_rule_years.last_state END," \
	" last_at = greatest(host_rule_years.last_at, excluded.last_at)"
#define YEAR_COLUMNS "host_rule_years(host_id, year, rule, days, last_at, last_state)"
/* the aggregate v_months made, which v_rule_years replaced */
#define MONTH_COLUMNS \
	"host_month_rules(host_id, month, rule, pass_days, fail_days, unknown_days," \
	" na_days, last_at, last_state)"
/* annual: one report (host H, month M, finished_at F) counted in its
 * host's month (host_months), once per row of from: the report inserted,
 * or none. */
#define HOST_MONTH_UPSERT(from, H, M, F) \
	" INSERT INTO host_months(host_id, month, reports, first_at, last_at)" \
	" SELECT " H "::bigint, " M "::int, 1, " F "::bigint, " F "::bigint FROM " from \
	" ON CONFLICT (host_id, month) DO UPDATE SET reports = host_months.reports + 1," \
	" first_at = least(host_months.first_at, excluded.first_at)," \
	" last_at = greatest(host_months.last_at, excluded.last_at)"

/* annual: the per host, month and rule aggregate (until v_rule_years
 * made it a row per year), filled from the reports already stored (each
 * rule's month: the union of its days, the state of its latest report by
 * finished_at, then arrival), and a covering index for the evidence list.
 * Its organisation: its host's. */
static const char v_months[] =
	"CREATE TABLE host_month_rules("
	"  host_id BIGINT NOT NULL REFERENCES hosts(id),"
	"  month INTEGER NOT NULL,"
	"  rule TEXT COLLATE \"C\" NOT NULL,"  /* SQLite's order */
	"  pass_days INTEGER NOT NULL, fail_days INTEGER NOT NULL,"
	"  unknown_days INTEGER NOT NULL, na_days INTEGER NOT NULL,"
	"  last_at BIGINT NOT NULL, last_state TEXT NOT NULL,"
	"  PRIMARY KEY(host_id, month, rule));"
	"INSERT INTO " MONTH_COLUMNS
	" SELECT host_id, month, rule, bit_or(p), bit_or(f), bit_or(u), bit_or(n), max(fin),"
	" (array_agg(st ORDER BY fin DESC, id DESC))[1] FROM ("
	"  SELECT r.id, r.host_id, r.finished_at AS fin, x.rule, x.st,"
	"  to_char(to_timestamp(r.finished_at) AT TIME ZONE 'UTC', 'YYYYMM')::int AS month,"
	"  CASE WHEN x.st = 'p' THEN x.bit ELSE 0 END AS p,"
	"  CASE WHEN x.st = 'f' THEN x.bit ELSE 0 END AS f,"
	"  CASE WHEN x.st IN ('u', 'e') THEN x.bit ELSE 0 END AS u,"
	"  CASE WHEN x.st IN ('n', 'd') THEN x.bit ELSE 0 END AS n"
	"  FROM reports r CROSS JOIN LATERAL (SELECT split_part(l, '=', 1) AS rule,"
	"   left(split_part(l, '=', 2), 1) AS st,"
	"   1 << (extract(day FROM to_timestamp(r.finished_at) AT TIME ZONE 'UTC')::int - 1)"
	"   AS bit FROM regexp_split_to_table(r.summary, E'\\n') AS l WHERE l LIKE '%=_%') x"
	" ) y GROUP BY host_id, month, rule;"
	"CREATE INDEX reports_evidence ON reports(host_id, finished_at, received_at,"
	" report_id COLLATE \"C\", body_sha256);";

/* annual: the reports counted per host and month (UTC), kept at ingest,
 * filled from the reports already stored: the annual report's coverage
 * (how many, first, last, which months) without reading the reports. */
static const char v_host_months[] =
	"CREATE TABLE host_months("
	"  host_id BIGINT NOT NULL REFERENCES hosts(id),"
	"  month INTEGER NOT NULL,"
	"  reports BIGINT NOT NULL,"
	"  first_at BIGINT NOT NULL, last_at BIGINT NOT NULL,"
	"  PRIMARY KEY(host_id, month));"
	"INSERT INTO host_months SELECT host_id,"
	" to_char(to_timestamp(finished_at) AT TIME ZONE 'UTC', 'YYYYMM')::int, count(*),"
	" min(finished_at), max(finished_at) FROM reports GROUP BY 1, 2;";

/* annual: the per host, year and rule aggregate kept at ingest, in place
 * of the per month one (twelve times the rows to read), made from it:
 * each month's masks in their place in days (STORE_YEAR_BIT), the year's
 * last state that of its latest month. Its organisation: its host's. */
#define MONTH_MASK(col, slot) \
	" ((" col "::bit(32) || B'0'::bit(1504)) >> (" slot " * 384 + (month % 100 - 1) * 32))"
static const char v_rule_years[] =
	"CREATE TABLE host_rule_years("
	"  host_id BIGINT NOT NULL REFERENCES hosts(id),"
	"  year INTEGER NOT NULL,"
	"  rule TEXT COLLATE \"C\" NOT NULL,"  /* SQLite's order */
	"  days BIT(1536) NOT NULL,"           /* STORE_YEAR_DAYS */
	"  last_at BIGINT NOT NULL, last_state TEXT NOT NULL,"
	"  PRIMARY KEY(host_id, year, rule));"
	"INSERT INTO " YEAR_COLUMNS " SELECT host_id, month / 100, rule,"
	" bit_or((" MONTH_MASK("pass_days", "0") " |" MONTH_MASK("fail_days", "1") " |"
	MONTH_MASK("unknown_days", "2") " |" MONTH_MASK("na_days", "3") ")::bit(1536)),"
	" max(last_at), (array_agg(last_state ORDER BY month DESC))[1]"
	" FROM host_month_rules GROUP BY host_id, month / 100, rule;"
	"DROP TABLE host_month_rules;";

/* In order; each runs once, in the transaction that records it. */
static const char *const migrations[] = {
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

/* Any one lock number of our own: collectors starting together migrate
 * one after the other. */
#define MIGRATION_LOCK "7460330116"

static int pgerr(PGconn *c, const char *what, char *err, size_t err_size)
{
	const char *m = c ? PQerrorMessage(c) : "no memory";
	int n = (int)strcspn(m, "\n");
	snprintf(err, err_size, _("database: %s: %.*s"), what, n, m);
	return -1;
}

/* Runs sql (no parameters, no rows wanted); 0 or -1. */
static int exec(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;
	PQclear(r);
	return ok ? 0 : -1;
}

static int migrate(pg_store *s, char *err, size_t err_size)
{
	PGconn *c = s->conn;
	if (exec(c, "BEGIN") != 0 ||
	    exec(c, "SELECT pg_advisory_xact_lock(" MIGRATION_LOCK ")") != 0 ||
	    exec(c, "CREATE TABLE IF NOT EXISTS schema_version(version INTEGER NOT NULL,"
		    " applied_at BIGINT NOT NULL)") != 0) {
		pgerr(c, "schema_version", err, err_size);
		exec(c, "ROLLBACK");
		return -1;
	}
	PGresult *r = PQexec(c, "SELECT coalesce(max(version), 0) FROM schema_version");
	int have = PQresultStatus(r) == PGRES_TUPLES_OK ? atoi(PQgetvalue(r, 0, 0)) : -1;
	PQclear(r);
	int rc = have < 0 ? pgerr(c, "schema_version", err, err_size) : 0;
	if (have > SCHEMA_VERSION) {
		snprintf(err, err_size, _("database: schema version %d is newer than this "
					"collector's %d; upgrade hostaudit-collector"), have,
			 SCHEMA_VERSION);
		rc = -1;
	}
	for (int v = have + 1; rc == 0 && v <= SCHEMA_VERSION; v++) {
		char rec[160];
		snprintf(rec, sizeof rec,
			 "INSERT INTO schema_version VALUES(%d, extract(epoch from now())::bigint)",
			 v);
		if (exec(c, migrations[v - 1]) != 0 || exec(c, rec) != 0) {
			char what[64];
			snprintf(what, sizeof what, "schema migration to version %d", v);
			rc = pgerr(c, what, err, err_size);
		}
	}
	if (rc == 0 && exec(c, "COMMIT") != 0)
		rc = pgerr(c, "schema migration", err, err_size);
	if (rc != 0)
		exec(c, "ROLLBACK");
	s->version = rc == 0 ? SCHEMA_VERSION : have;
	return rc;
}

/* The statements of the hot paths, prepared once per connection. */
static const struct {
	const char *name, *sql;
} prepared[] = {
	{"auth", "SELECT id, name, org_id FROM hosts WHERE token_sha256 = $1"},
	/* report row and body in one round trip; nothing when the report_id
	 * is there already (this or another collector, committed or not yet:
	 * then it waits for that transaction) */
	{"insert",
	 "WITH r AS (INSERT INTO reports(report_id, host_id, claimed_hostname,"
	 " hostname_mismatch, finished_at, received_at, score, body_sha256, summary)"
	 " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (report_id) DO NOTHING RETURNING id),"
	 " d AS (INSERT INTO report_digests(report, digest) SELECT id, $12 FROM r)," /* api */
	 " b AS (INSERT INTO report_bodies(report, body, encoding) SELECT id, $10, $11 FROM r"
	 " RETURNING report)"
	 " SELECT b.report, o.org_id FROM b JOIN hosts o ON o.id = $2"},
	{"find", "SELECT host_id, body_sha256 FROM reports WHERE report_id = $1"},
	/* the pipelined batch's statement: row, body and exceptions in one,
	 * none of it when the report_id is there already; $12 the exceptions
	 * as a JSON array of {rule, reason, approved_by, until} strings;
	 * $14-$18 the year_args */
	{"ingest",
	 "WITH r AS (INSERT INTO reports(report_id, host_id, claimed_hostname,"
	 " hostname_mismatch, finished_at, received_at, score, body_sha256, summary)"
	 " VALUES($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (report_id) DO NOTHING RETURNING id),"
	 " b AS (INSERT INTO report_bodies(report, body, encoding) SELECT id, $10, $11 FROM r"
	 " RETURNING report),"
	 " d AS (INSERT INTO report_digests(report, digest) SELECT id, $13 FROM r)," /* api */
	 " e AS (INSERT INTO exceptions SELECT DISTINCT $2::bigint, x.rule, x.reason,"
	 " x.approved_by, x.until, $5::bigint, $5::bigint FROM r,"
	 " json_to_recordset($12::json) AS x(rule text, reason text, approved_by text, until text)"
	 " ON CONFLICT (host_id, rule, reason, approved_by, until) DO UPDATE SET"
	 " first_seen = least(exceptions.first_seen, excluded.first_seen),"
	 " last_seen = greatest(exceptions.last_seen, excluded.last_seen)),"
	 /* annual: the host's year (host_rule_years), only for a new report */
	 " m AS (INSERT INTO " YEAR_COLUMNS
	 YEAR_ROWS("r", "$2", "$5", "$14", "$15", "$16", "$17") YEAR_MERGE "),"
	 " n AS (" HOST_MONTH_UPSERT("r", "$2", "$18", "$5") ")"
	 " SELECT b.report, o.org_id FROM b JOIN hosts o ON o.id = $2"},
	/* evidence: chain_batch's; $1 the organisations, in order */
	{"heads", "SELECT org_id, seq, chain_sha256, chained_at FROM chain_heads"
		  " WHERE org_id = ANY($1::bigint[]) ORDER BY org_id FOR UPDATE"},
	{"new_heads", "INSERT INTO chain_heads SELECT unnest($1::bigint[]), 0, '" CHAIN_GENESIS
		      "', 0 ON CONFLICT (org_id) DO NOTHING"},
	{"links", "INSERT INTO report_chain(report, org_id, seq, chain_sha256, chained_at)"
		  " SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[], $4::text[],"
		  " $5::bigint[])"},
	{"move_heads", "UPDATE chain_heads h SET seq = u.seq, chain_sha256 = u.sha,"
		       " chained_at = u.at FROM unnest($1::bigint[], $2::bigint[], $3::text[],"
		       " $4::bigint[]) AS u(org, seq, sha, at) WHERE h.org_id = u.org"},
	/* the slow path's, after "insert" stored a new report */
	{"months", "WITH n AS (" HOST_MONTH_UPSERT("(SELECT 1) AS a", "$1", "$7", "$2") ")"
	 " INSERT INTO " YEAR_COLUMNS
	 YEAR_ROWS("(SELECT 1) AS a", "$1", "$2", "$3", "$4", "$5", "$6") YEAR_MERGE},
	{"exception",
	 "INSERT INTO exceptions VALUES($1,$2,$3,$4,$5,$6,$7)"
	 " ON CONFLICT (host_id, rule, reason, approved_by, until) DO UPDATE SET"
	 " first_seen = least(exceptions.first_seen, excluded.first_seen),"
	 " last_seen = greatest(exceptions.last_seen, excluded.last_seen)"},
};

static void pg_close(store *s)
{
	PQfinish(CONN(s));
	free(s);
}

static store *pg_open(const char *uri, char *err, size_t err_size)
{
	pg_store *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, err_size, _("out of memory"));
		return NULL;
	}
	/* libpq translates its own messages too (LANGUAGE=ja, i18n.c) into
	 * LC_CTYPE's codeset, ASCII under "C": every kana a '?'. UTF-8, as
	 * ours; its text domain is "libpq5-" and the major version. */
	char pq_domain[32];
	snprintf(pq_domain, sizeof pq_domain, "libpq5-%d", PQlibVersion() / 10000);
	bind_textdomain_codeset(pq_domain, "UTF-8");
	s->conn = PQconnectdb(uri);
	if (PQstatus(s->conn) != CONNECTION_OK) {
		pgerr(s->conn, _("cannot connect to PostgreSQL"), err, err_size);
		pg_close(&s->base);
		return NULL;
	}
	if (exec(s->conn, "SET synchronous_commit = on; SET client_min_messages = warning") != 0) {
		pgerr(s->conn, "settings", err, err_size);
		pg_close(&s->base);
		return NULL;
	}
	if (migrate(s, err, err_size) != 0) {
		pg_close(&s->base);
		return NULL;
	}
	for (size_t i = 0; i < sizeof prepared / sizeof prepared[0]; i++) {
		PGresult *r = PQprepare(s->conn, prepared[i].name, prepared[i].sql, 0, NULL);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!ok) {
			pgerr(s->conn, prepared[i].name, err, err_size);
			pg_close(&s->base);
			return NULL;
		}
	}
	return &s->base;
}

static int pg_schema_version(store *s)
{
	return ((pg_store *)s)->version;
}

/* ---- parameters and rows ---- */

/* Text parameters; a NULL value is SQL NULL. */
static PGresult *run(PGconn *c, const char *sql, int n, const char *const *v)
{
	return PQexecParams(c, sql, n, NULL, v, NULL, NULL, 0);
}

static int64_t col_i64(const PGresult *r, int row, int col)
{
	return strtoll(PQgetvalue(r, row, col), NULL, 10);
}

static const char *col_text(const PGresult *r, int row, int col)
{
	return PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
}

static bool tuples(const PGresult *r)
{
	return PQresultStatus(r) == PGRES_TUPLES_OK;
}

/* A PostgreSQL array literal (a parameter's text): numbers, hex strings,
 * or any strings quoted. */
typedef struct array_text {
	char *text;
	size_t size, n;
	FILE *f;
} array_text;

static void array_open(array_text *a)
{
	a->text = NULL;
	a->n = 0;
	a->f = open_memstream(&a->text, &a->size);
	if (a->f)
		fputc('{', a->f);
}

static void array_i64(array_text *a, int64_t v)
{
	if (a->f)
		fprintf(a->f, "%s%" PRId64, a->n++ ? "," : "", v);
}

static void array_str(array_text *a, const char *v)
{
	if (a->f)
		fprintf(a->f, "%s%s", a->n++ ? "," : "", v);
}

static void array_quoted(array_text *a, const char *v, int n)
{
	if (!a->f)
		return;
	fputs(a->n++ ? ",\"" : "\"", a->f);
	for (int i = 0; i < n; i++) {
		if (v[i] == '"' || v[i] == '\\')
			fputc('\\', a->f);
		fputc(v[i], a->f);
	}
	fputc('"', a->f);
}

/* The literal (freed by the caller), NULL when out of memory. */
static char *array_close(array_text *a)
{
	if (!a->f)
		return NULL;
	bool ok = fputc('}', a->f) != EOF;
	ok = fclose(a->f) == 0 && ok;
	if (!ok) {
		free(a->text);
		return NULL;
	}
	return a->text;
}

/* annual: where a report counts (store_year_bit(), as on SQLite), as
 * parameters: its year, its results' rules, states and day's bits as
 * arrays, its month. */
typedef struct year_args {
	char year[12], month[12];
	char *rules, *states, *bits;
} year_args;

static void year_args_free(year_args *y)
{
	free(y->rules);
	free(y->states);
	free(y->bits);
}

/* 0, or -1 when out of memory. */
static int year_args_make(year_args *y, int64_t finished_at, const char *summary)
{
	int year, month;
	store_year_bit(finished_at, 'p', &year, &month);
	snprintf(y->year, sizeof y->year, "%d", year);
	snprintf(y->month, sizeof y->month, "%d", month);
	array_text r, s, b;
	array_open(&r), array_open(&s), array_open(&b);
	const char *rule;
	int n;
	char st;
	for (const char *p = summary; store_summary_next(&p, &rule, &n, &st);) {
		array_quoted(&r, rule, n);
		array_quoted(&s, &st, 1);
		array_i64(&b, store_year_bit(finished_at, st, &year, &month));
	}
	y->rules = array_close(&r);
	y->states = array_close(&s);
	y->bits = array_close(&b);
	if (!y->rules || !y->states || !y->bits) {
		year_args_free(y);
		return -1;
	}
	return 0;
}

/* ---- hosts ---- */

static int pg_enroll(store *s, int64_t org_id, const char *host, const char *hash,
		     int64_t when, char *err, size_t err_size)
{
	char w[24], o[24];
	snprintf(w, sizeof w, "%" PRId64, when);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, hash, w, o};
	PGresult *r = run(CONN(s),
			  "INSERT INTO hosts(name, token_sha256, enrolled_at, org_id)"
			  " VALUES($1,$2,$3,$4) ON CONFLICT (org_id, (lower(name))) DO UPDATE SET"
			  " token_sha256 = excluded.token_sha256, enrolled_at = excluded.enrolled_at",
			  4, v);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : pgerr(CONN(s), "enroll", err, err_size);
	PQclear(r);
	return rc;
}

static int pg_enroll_new(store *s, int64_t org_id, const char *host, const char *hash,
			 int64_t when, char *err, size_t err_size)
{
	char w[24], o[24];
	snprintf(w, sizeof w, "%" PRId64, when);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, hash, w, o};
	/* One statement decides and stores (the unique lower(name) does it,
	 * across collectors too); a revoked host (no token) may enroll. */
	PGresult *r = run(CONN(s),
			  "INSERT INTO hosts(name, token_sha256, enrolled_at, org_id)"
			  " VALUES($1,$2,$3,$4) ON CONFLICT (org_id, (lower(name))) DO UPDATE SET"
			  " token_sha256 = excluded.token_sha256, enrolled_at = excluded.enrolled_at"
			  " WHERE hosts.token_sha256 IS NULL",
			  4, v);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? strcmp(PQcmdTuples(r), "1") == 0
						      : pgerr(CONN(s), "enroll", err, err_size);
	PQclear(r);
	return rc;
}

static int pg_rate_limit_hit(store *s, int64_t org_id, const char *key, int64_t now,
			     long window_s, long *count, int64_t *window_end)
{
	char n[24], w[24], o[24];
	snprintf(n, sizeof n, "%" PRId64, now);
	snprintf(w, sizeof w, "%ld", window_s);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {key, n, w, o};
	/* One atomic statement: a new window starts once the old one is over. */
	PGresult *r = run(CONN(s),
			  "INSERT INTO rate_limits(org_id, key, window_start, count)"
			  " VALUES($4, $1, $2::bigint, 1) ON CONFLICT(org_id, key) DO UPDATE SET"
			  " count = CASE WHEN rate_limits.window_start + $3::bigint <= $2::bigint"
			  "  THEN 1 ELSE rate_limits.count + 1 END,"
			  " window_start = CASE WHEN rate_limits.window_start + $3::bigint <= $2::bigint"
			  "  THEN $2::bigint ELSE rate_limits.window_start END"
			  " RETURNING window_start, count",
			  4, v);
	int rc = tuples(r) && PQntuples(r) == 1 ? 0 : -1;
	if (rc == 0) {
		*window_end = col_i64(r, 0, 0) + window_s;
		*count = (long)col_i64(r, 0, 1);
	}
	PQclear(r);
	/* A new window here: forget the windows that are over (best effort). */
	if (rc == 0 && *count == 1) {
		const char *d[] = {w, n};
		PQclear(run(CONN(s), "DELETE FROM rate_limits WHERE window_start + $1::bigint"
				     " <= $2::bigint", 2, d));
	}
	return rc;
}

static int pg_rate_limit_refund(store *s, int64_t org_id, const char *key)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {key, o};
	PGresult *r = run(CONN(s),
			  "UPDATE rate_limits SET count = count - 1 WHERE key = $1 AND org_id = $2"
			  " AND count > 0",
			  2, v);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
	PQclear(r);
	return rc;
}

/* 1 a row (id, name, org_id), 2 several, 0 none, -1 error. */
static int host_row(PGresult *r, int64_t *host_id, int64_t *org_id, char *name,
		    size_t name_size)
{
	int rc = !tuples(r) ? -1 : PQntuples(r) > 1 ? 2 : PQntuples(r);
	if (rc >= 1) {
		*host_id = col_i64(r, 0, 0);
		snprintf(name, name_size, "%s", PQgetvalue(r, 0, 1));
		*org_id = col_i64(r, 0, 2);
	}
	PQclear(r);
	return rc;
}

static int pg_host_by_name(store *s, int64_t org_id, const char *host, int64_t *host_id,
			   int64_t *host_org, char *name, size_t name_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, o};
	return host_row(org_id == 0 ? run(CONN(s),
					  "SELECT id, name, org_id FROM hosts"
					  " WHERE lower(name) = lower($1)"
					  " AND token_sha256 IS NOT NULL LIMIT 2",
					  1, v)
				    : run(CONN(s),
					  "SELECT id, name, org_id FROM hosts"
					  " WHERE lower(name) = lower($1) AND org_id = $2",
					  2, v),
			host_id, host_org, name, name_size);
}

static int pg_auth(store *s, const char *hash, int64_t *host_id, int64_t *org_id, char *name,
		   size_t name_size)
{
	const char *v[] = {hash};
	return host_row(PQexecPrepared(CONN(s), "auth", 1, v, NULL, NULL, 0), host_id, org_id,
			name, name_size);
}

/* ---- ingest ---- */

static int store_exceptions(PGconn *c, const ingest *in)
{
	size_t i;
	json_t *e;
	char hid[24], fin[24];
	snprintf(hid, sizeof hid, "%" PRId64, in->host_id);
	snprintf(fin, sizeof fin, "%" PRId64, in->finished_at);
	json_array_foreach(json_object_get(in->report, "exceptions"), i, e) {
		if (!json_is_object(e))
			continue;
		const char *v[] = {hid, store_jstr(e, "rule"), store_jstr(e, "reason"),
				   store_jstr(e, "approved_by"), store_jstr(e, "until"), fin, fin};
		PGresult *r = PQexecPrepared(c, "exception", 7, v, NULL, NULL, 0);
		bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		if (!ok)
			return -1;
	}
	return 0;
}

/* evidence: a report stored new in this batch, to be chained */
typedef struct new_link {
	int64_t report, org, received_at;
	const char *sha; /* its body's SHA-256 */
} new_link;

/* 1 inserted (link: its row and organisation), 0 the report_id is there
 * already, -1 error. */
static int insert_report(PGconn *c, const ingest *in, const char *sha, const char *summary,
			 new_link *link)
{
	char hid[24], fin[24], rec[24], score[32];
	snprintf(hid, sizeof hid, "%" PRId64, in->host_id);
	snprintf(fin, sizeof fin, "%" PRId64, in->finished_at);
	snprintf(rec, sizeof rec, "%" PRId64, in->received_at);
	snprintf(score, sizeof score, "%.17g", in->score);
	const unsigned char *data;
	unsigned char *own;
	size_t data_len;
	int encoding;
	if (store_packed(in, &data, &data_len, &encoding, &own) != 0)
		return -1;
	char enc[8];
	snprintf(enc, sizeof enc, "%d", encoding);
	char *own_digest = in->digest ? NULL : report_digest(in->report);
	const char *v[12] = {in->report_id, hid, in->claimed_host,
			     hostname_matches(in->claimed_host, in->host_name) ? "0" : "1",
			     fin, rec, isnan(in->score) ? NULL : score, sha, summary,
			     (const char *)data, enc, in->digest ? in->digest : own_digest};
	int len[12] = {0};
	int fmt[12] = {0};
	len[9] = (int)data_len;
	fmt[9] = 1; /* the body as bytes, never as text */
	PGresult *r = v[11] ? PQexecPrepared(c, "insert", 12, v, len, fmt, 0) : NULL;
	int rc = !tuples(r) ? -1 : PQntuples(r) == 1;
	if (rc == 1)
		*link = (new_link){.report = col_i64(r, 0, 0), .org = col_i64(r, 0, 1),
				   .received_at = in->received_at, .sha = sha};
	PQclear(r);
	free(own);
	free(own_digest);
	if (rc == 1 && store_exceptions(c, in) != 0)
		rc = -1;
	year_args y;
	if (rc == 1 && year_args_make(&y, in->finished_at, summary) != 0)
		rc = -1;
	else if (rc == 1) {
		const char *mv[7] = {hid, fin, y.year, y.rules, y.states, y.bits, y.month};
		r = PQexecPrepared(c, "months", 7, mv, NULL, NULL, 0);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = -1;
		PQclear(r);
		year_args_free(&y);
	}
	return rc;
}

/* A report whose report_id is stored already: a duplicate of it, or a
 * conflict with it. */
static store_result check_existing(PGconn *c, const ingest *in, const char *sha)
{
	const char *v[] = {in->report_id};
	PGresult *r = PQexecPrepared(c, "find", 1, v, NULL, NULL, 0);
	store_result res = STORE_ERROR;
	if (tuples(r) && PQntuples(r) == 1)
		res = col_i64(r, 0, 0) == in->host_id && strcmp(PQgetvalue(r, 0, 1), sha) == 0
			      ? STORE_DUPLICATE
			      : STORE_CONFLICT;
	PQclear(r);
	return res;
}

/* One report inside the open transaction, in its own SAVEPOINT; link
 * when new. shabuf: its SHA-256 when the caller has none (link points
 * into it). */
static store_result ingest_one(PGconn *c, const ingest *in, char shabuf[65], new_link *link,
			       char *err, size_t err_size)
{
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
	store_result res = STORE_ERROR;
	if (exec(c, "SAVEPOINT report") != 0) {
		pgerr(c, "savepoint", err, err_size);
		free(own_summary);
		return STORE_ERROR;
	}
	int ins = insert_report(c, in, sha, summary, link);
	if (ins == 1)
		res = STORE_NEW;
	else if (ins == 0)
		res = check_existing(c, in, sha);
	if (res == STORE_ERROR)
		pgerr(c, "insert", err, err_size);
	else if (res == STORE_CONFLICT)
		store_conflict_message(err, err_size, in->report_id);
	if (res == STORE_ERROR)
		exec(c, "ROLLBACK TO SAVEPOINT report");
	exec(c, "RELEASE SAVEPOINT report");
	free(own_summary);
	return res;
}

static int by_report_id(const void *a, const void *b, void *in)
{
	const ingest *const *v = in;
	return strcmp(v[*(const size_t *)a]->report_id, v[*(const size_t *)b]->report_id);
}

/* The parameters of one report for "ingest" (text, but the body). */
typedef struct ingest_params {
	char hid[24], fin[24], rec[24], score[32], enc[8], sha[65];
	const char *v[18];
	int len[18], fmt[18];
	year_args year;      /* annual */
	unsigned char *own;  /* the packed body when this made it */
	char *exceptions;    /* JSON */
	char *own_summary;
	char *own_digest;    /* api */
} ingest_params;

static int params_make(ingest_params *p, const ingest *in)
{
	memset(p, 0, sizeof *p);
	const char *sha = in->body_sha256;
	if (!sha) {
		sha256_hex(in->body, in->body_len, p->sha);
		sha = p->sha;
	}
	const char *summary = in->summary;
	if (!summary)
		summary = p->own_summary = results_summary(in->report);
	const unsigned char *data;
	size_t data_len;
	int encoding;
	json_t *ex = json_array();
	size_t i;
	json_t *e;
	json_array_foreach(json_object_get(in->report, "exceptions"), i, e) {
		if (json_is_object(e))
			json_array_append_new(
				ex, json_pack("{s:s,s:s,s:s,s:s}", "rule", store_jstr(e, "rule"),
					      "reason", store_jstr(e, "reason"), "approved_by",
					      store_jstr(e, "approved_by"), "until",
					      store_jstr(e, "until")));
	}
	p->exceptions = json_dumps(ex, JSON_COMPACT);
	json_decref(ex);
	const char *digest = in->digest;
	if (!digest)
		digest = p->own_digest = report_digest(in->report);
	if (!summary || !p->exceptions || !digest ||
	    store_packed(in, &data, &data_len, &encoding, &p->own) != 0 ||
	    year_args_make(&p->year, in->finished_at, summary) != 0)
		return -1;
	snprintf(p->hid, sizeof p->hid, "%" PRId64, in->host_id);
	snprintf(p->fin, sizeof p->fin, "%" PRId64, in->finished_at);
	snprintf(p->rec, sizeof p->rec, "%" PRId64, in->received_at);
	snprintf(p->score, sizeof p->score, "%.17g", in->score);
	snprintf(p->enc, sizeof p->enc, "%d", encoding);
	const year_args *y = &p->year;
	const char *v[18] = {in->report_id, p->hid, in->claimed_host,
			     hostname_matches(in->claimed_host, in->host_name) ? "0" : "1",
			     p->fin, p->rec, isnan(in->score) ? NULL : p->score, sha, summary,
			     (const char *)data, p->enc, p->exceptions, digest, y->year,
			     y->rules, y->states, y->bits, y->month};
	memcpy(p->v, v, sizeof v);
	p->len[9] = (int)data_len;
	p->fmt[9] = 1; /* the body as bytes, never as text */
	return 0;
}

static void params_free(ingest_params *p)
{
	free(p->own);
	free(p->exceptions);
	free(p->own_summary);
	free(p->own_digest);
	year_args_free(&p->year);
}

static bool command_ok(PGresult *r)
{
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	return ok;
}

/* The heads of orgs (n, ascending), locked to this transaction; a head
 * made first for an organisation that has none. Rows of (org, seq, hash,
 * time), NULL on an error. */
static PGresult *lock_heads(PGconn *c, const char *orgs, size_t n)
{
	const char *v[] = {orgs};
	PGresult *r = PQexecPrepared(c, "heads", 1, v, NULL, NULL, 0);
	if (tuples(r) && (size_t)PQntuples(r) < n) {
		PQclear(r);
		r = command_ok(PQexecPrepared(c, "new_heads", 1, v, NULL, NULL, 0))
			    ? PQexecPrepared(c, "heads", 1, v, NULL, NULL, 0)
			    : NULL;
	}
	if (!tuples(r) || (size_t)PQntuples(r) != n) {
		PQclear(r);
		return NULL;
	}
	return r;
}

static int by_org(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* evidence: the batch's new reports onto their organisations' chains, in
 * the order given (arrival, or the source's chain for migrate), inside
 * the batch's transaction, last before its COMMIT: each head is locked
 * (FOR UPDATE, in organisation order, so two collectors' batches never
 * deadlock) only to the commit, the writers take their turns at the head
 * and no chain forks. The link hash is chain_link_hash(), SQLite's. 0 or
 * -1. */
static int chain_batch(PGconn *c, const new_link *l, size_t n)
{
	if (n == 0)
		return 0;
	int64_t *org = malloc(n * sizeof *org);
	if (!org)
		return -1;
	size_t norg = 0;
	for (size_t i = 0; i < n; i++)
		org[i] = l[i].org;
	qsort(org, n, sizeof *org, by_org);
	for (size_t i = 0; i < n; i++)
		if (norg == 0 || org[norg - 1] != org[i])
			org[norg++] = org[i];
	array_text ao;
	array_open(&ao);
	for (size_t k = 0; k < norg; k++)
		array_i64(&ao, org[k]);
	char *orgs = array_close(&ao);
	PGresult *h = orgs ? lock_heads(c, orgs, norg) : NULL;
	free(orgs);
	/* the heads, moved along as the links are made */
	typedef struct head {
		int64_t seq, at;
		char sha[65];
	} head;
	head *hd = h ? calloc(norg, sizeof *hd) : NULL;
	for (size_t k = 0; hd && k < norg; k++) {
		hd[k].seq = col_i64(h, (int)k, 1);
		hd[k].at = col_i64(h, (int)k, 3);
		snprintf(hd[k].sha, sizeof hd[k].sha, "%s", PQgetvalue(h, (int)k, 2));
	}
	PQclear(h);
	bool ok = hd != NULL;
	array_text ar, ag, as, ah, at;
	array_open(&ar), array_open(&ag), array_open(&as), array_open(&ah), array_open(&at);
	for (size_t i = 0; ok && i < n; i++) {
		const int64_t *o = bsearch(&l[i].org, org, norg, sizeof *org, by_org);
		head *e = &hd[o - org];
		char next[65];
		ok = chain_link_hash(e->sha, l[i].sha, next) == 0;
		e->seq++;
		memcpy(e->sha, next, sizeof next);
		if (l[i].received_at > e->at)
			e->at = l[i].received_at;
		array_i64(&ar, l[i].report), array_i64(&ag, l[i].org), array_i64(&as, e->seq);
		array_str(&ah, e->sha), array_i64(&at, e->at);
	}
	char *lv[5] = {array_close(&ar), array_close(&ag), array_close(&as), array_close(&ah),
		       array_close(&at)};
	ok = ok && lv[0] && lv[1] && lv[2] && lv[3] && lv[4] &&
	     command_ok(PQexecPrepared(c, "links", 5, (const char *const *)lv, NULL, NULL, 0));
	for (int k = 0; k < 5; k++)
		free(lv[k]);
	array_open(&ag), array_open(&as), array_open(&ah), array_open(&at);
	for (size_t k = 0; ok && k < norg; k++) {
		array_i64(&ag, org[k]), array_i64(&as, hd[k].seq);
		array_str(&ah, hd[k].sha), array_i64(&at, hd[k].at);
	}
	char *hv[4] = {array_close(&ag), array_close(&as), array_close(&ah), array_close(&at)};
	ok = ok && hv[0] && hv[1] && hv[2] && hv[3] &&
	     command_ok(PQexecPrepared(c, "move_heads", 4, (const char *const *)hv, NULL, NULL,
				       0));
	for (int k = 0; k < 4; k++)
		free(hv[k]);
	free(hd);
	free(org);
	return ok ? 0 : -1;
}

/* The one result of the next query in the pipeline (NULL: none). */
static PGresult *next_result(PGconn *c)
{
	PGresult *r = PQgetResult(c);
	if (r && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
		while (PQgetResult(c)) /* the NULL that ends each query's results */
			;
	return r;
}

/* The fast path: the whole batch in one round trip (libpq's pipeline
 * mode): BEGIN, per report "ingest", one Sync; then "find" for a report
 * that was there already (a retry: rare), the chain and COMMIT. None of
 * these statements fails for a good report; if one fails all the same,
 * the transaction is gone and the caller takes the slow path, where each
 * report has its own SAVEPOINT. true: out[] is final. */
static bool ingest_pipelined(PGconn *c, const ingest *const *in, ingest_outcome *out,
			     const size_t *order, size_t n)
{
	ingest_params *p = calloc(n, sizeof *p);
	new_link *link = calloc(n, sizeof *link);
	bool ok = p && link && PQenterPipelineMode(c);
	for (size_t k = 0; ok && k < n; k++)
		ok = params_make(&p[k], in[order[k]]) == 0;
	ok = ok && PQsendQueryParams(c, "BEGIN", 0, NULL, NULL, NULL, NULL, 0);
	for (size_t k = 0; ok && k < n; k++)
		ok = PQsendQueryPrepared(c, "ingest", 18, p[k].v, p[k].len, p[k].fmt, 0);
	ok = ok && PQpipelineSync(c);
	bool sent = ok, committed = false;
	PGresult *r;
	if (sent) {
		r = next_result(c); /* BEGIN */
		ok = PQresultStatus(r) == PGRES_COMMAND_OK;
		PQclear(r);
		for (size_t k = 0; k < n; k++) {
			size_t i = order[k];
			PGresult *ins = next_result(c);
			if (!tuples(ins)) {
				ok = false;
			} else if (PQntuples(ins) == 1) {
				out[i].result = STORE_NEW;
				link[i] = (new_link){.report = col_i64(ins, 0, 0),
						     .org = col_i64(ins, 0, 1),
						     .received_at = in[i]->received_at,
						     .sha = p[k].v[7]};
			}
			PQclear(ins);
		}
		while ((r = PQgetResult(c)) && PQresultStatus(r) != PGRES_PIPELINE_SYNC)
			PQclear(r);
		PQclear(r);
	}
	PQexitPipelineMode(c);
	/* the others: there already (stored before, by this or another
	 * collector, or twice in this batch), the same report again or
	 * another under its report_id; a statement of their own (a snapshot
	 * taken after the insert waited for the other writer) */
	ok = ok && PQtransactionStatus(c) == PQTRANS_INTRANS;
	for (size_t k = 0; ok && k < n; k++) {
		size_t i = order[k];
		if (out[i].result != STORE_NEW)
			ok = (out[i].result = check_existing(c, in[i], p[k].v[7])) != STORE_ERROR;
		if (out[i].result == STORE_CONFLICT)
			store_conflict_message(out[i].err, sizeof out[i].err, in[i]->report_id);
	}
	/* evidence: those of them stored now onto the chain, in arrival order */
	size_t nl = 0;
	for (size_t i = 0; ok && i < n; i++)
		if (out[i].result == STORE_NEW)
			link[nl++] = link[i];
	committed = sent && ok && chain_batch(c, link, nl) == 0 && exec(c, "COMMIT") == 0 &&
		    PQtransactionStatus(c) == PQTRANS_IDLE;
	for (size_t k = 0; p && k < n; k++)
		params_free(&p[k]);
	free(p);
	free(link);
	if (PQtransactionStatus(c) != PQTRANS_IDLE)
		exec(c, "ROLLBACK");
	return committed;
}

/* At most this many reports in one pipeline: its answers wait in the
 * socket buffers until the whole batch is sent. */
#define PIPELINE_MAX 256

static void pg_ingest_batch(store *s, const ingest *const *in, ingest_outcome *out, size_t n)
{
	PGconn *c = CONN(s);
	for (size_t i = 0; i < n; i++) {
		out[i].result = STORE_ERROR;
		out[i].err[0] = '\0';
	}
	/* In report_id order: two collectors' batches lock the same rows in
	 * the same order and so never deadlock on them. */
	size_t *order = malloc(n * sizeof *order);
	if (!order) {
		for (size_t i = 0; i < n; i++)
			snprintf(out[i].err, sizeof out[i].err, _("out of memory"));
		return;
	}
	for (size_t i = 0; i < n; i++)
		order[i] = i;
	qsort_r(order, n, sizeof *order, by_report_id, (void *)in);
	if (n <= PIPELINE_MAX) {
		if (ingest_pipelined(c, in, out, order, n)) {
			free(order);
			return;
		}
		/* seen in the log: a batch that needs the slow path is rare */
		char e[300];
		pgerr(c, "pipelined batch", e, sizeof e);
		fprintf(stderr, "hostaudit-collector: %s; storing its %zu reports one by one\n", e,
			n);
	}
	for (size_t i = 0; i < n; i++) {
		out[i].result = STORE_ERROR;
		out[i].err[0] = '\0';
	}
	new_link *link = calloc(n, sizeof *link);
	char (*sha)[65] = calloc(n, sizeof *sha);
	if (!link || !sha || exec(c, "BEGIN") != 0) {
		for (size_t i = 0; i < n; i++)
			pgerr(c, "begin", out[i].err, sizeof out[i].err);
		free(link);
		free(sha);
		free(order);
		return;
	}
	for (size_t k = 0; k < n; k++) {
		size_t i = order[k];
		out[i].result = ingest_one(c, in[i], sha[i], &link[i], out[i].err,
					   sizeof out[i].err);
	}
	free(order);
	/* evidence: the new ones onto the chain, in arrival order, last, as on
	 * the fast path (taking a head's lock before an insert could wait on
	 * another collector that waits for the head: a deadlock) */
	size_t nl = 0;
	for (size_t i = 0; i < n; i++)
		if (out[i].result == STORE_NEW)
			link[nl++] = link[i];
	bool chained = chain_batch(c, link, nl) == 0;
	free(link);
	/* Only a COMMIT that returned makes the batch durable; else nothing
	 * of it is stored, nothing was answered, every agent sends again. */
	bool committed = chained && exec(c, "COMMIT") == 0 &&
			 PQtransactionStatus(c) == PQTRANS_IDLE;
	free(sha);
	if (!committed) {
		for (size_t i = 0; i < n; i++) {
			out[i].result = STORE_ERROR;
			pgerr(c, "commit", out[i].err, sizeof out[i].err);
		}
		exec(c, "ROLLBACK");
	}
}

/* ---- inventory ---- */

static int pg_inventory_replace(store *s, int64_t org_id, const inventory_row *rows, size_t n,
				char *err, size_t err_size)
{
	PGconn *c = CONN(s);
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *ov[] = {o};
	int rc = -1;
	if (exec(c, "BEGIN") == 0) {
		PGresult *r = run(c, "DELETE FROM inventory WHERE org_id = $1", 1, ov);
		rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0 : -1;
		PQclear(r);
	}
	if (rc != 0)
		pgerr(c, "inventory", err, err_size);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		const char *v[] = {rows[i].hostname, rows[i].attributes, o};
		PGresult *r = run(c,
				  "INSERT INTO inventory(hostname, attributes, imported_at, org_id)"
				  " VALUES($1, $2, extract(epoch from now())::bigint, $3)"
				  " ON CONFLICT (org_id, (lower(hostname)))"
				  " DO UPDATE SET hostname = excluded.hostname,"
				  " attributes = excluded.attributes",
				  3, v);
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			rc = pgerr(c, "inventory", err, err_size);
		PQclear(r);
	}
	if (rc == 0 && exec(c, "COMMIT") != 0)
		rc = pgerr(c, "inventory", err, err_size);
	if (rc != 0)
		exec(c, "ROLLBACK");
	return rc;
}

/* ---- reading ---- */

static int pg_read_begin(store *s, char *err, size_t err_size)
{
	/* jit off: its compilation (~0.3 s a query) buys nothing on the
	 * annual report's streamed scans */
	return exec(CONN(s), "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") == 0 &&
			       exec(CONN(s), "SET LOCAL jit = off") == 0
		       ? 0
		       : pgerr(CONN(s), "begin", err, err_size);
}

static void pg_read_end(store *s)
{
	exec(CONN(s), "COMMIT");
}

/* The snapshot exported and imported by a second connection made with
 * the first one's parameters. */
static int pg_read_begin_twin(store *s, store **twin, char *err, size_t err_size)
{
	*twin = NULL;
	if (pg_read_begin(s, err, err_size) != 0)
		return -1;
	PGresult *r = PQexec(CONN(s), "SELECT pg_export_snapshot()");
	char snap[64] = "";
	if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1 &&
	    strspn(PQgetvalue(r, 0, 0), "0123456789ABCDEFabcdef-") == strlen(PQgetvalue(r, 0, 0)))
		snprintf(snap, sizeof snap, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	pg_store *t = snap[0] ? calloc(1, sizeof *t) : NULL;
	if (!t) {
		pgerr(CONN(s), "pg_export_snapshot", err, err_size);
		pg_read_end(s);
		return -1;
	}
	t->base.ops = s->ops;
	PQconninfoOption *opts = PQconninfo(CONN(s));
	const char *kw[80], *val[80];
	size_t n = 0;
	for (PQconninfoOption *o = opts; o && o->keyword && n < 79; o++)
		if (o->val && *o->val) {
			kw[n] = o->keyword;
			val[n++] = o->val;
		}
	kw[n] = val[n] = NULL;
	t->conn = PQconnectdbParams(kw, val, 0);
	PQconninfoFree(opts);
	char q[200];
	snprintf(q, sizeof q,
		 "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; SET TRANSACTION SNAPSHOT '%s';"
		 " SET LOCAL jit = off",
		 snap);
	if (PQstatus(t->conn) != CONNECTION_OK || exec(t->conn, q) != 0) {
		pgerr(t->conn, _("cannot connect to PostgreSQL"), err, err_size);
		pg_close(&t->base);
		pg_read_end(s);
		return -1;
	}
	*twin = &t->base;
	return 0;
}

/* Runs a query; NULL with err when it fails. */
static PGresult *query(PGconn *c, const char *sql, int n, const char *const *v, char *err,
		       size_t err_size)
{
	PGresult *r = run(c, sql, n, v);
	if (tuples(r))
		return r;
	pgerr(c, "read", err, err_size);
	PQclear(r);
	return NULL;
}

static int pg_each_host(store *s, int64_t org_id, int (*cb)(void *, const store_host *),
			void *ctx, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	PGresult *r = query(CONN(s), "SELECT id, name, token_sha256, enrolled_at FROM hosts"
				     " WHERE org_id = $1 ORDER BY id", 1, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		store_host h = {.id = col_i64(r, i, 0), .name = col_text(r, i, 1),
				.token_sha256 = col_text(r, i, 2), .enrolled_at = col_i64(r, i, 3)};
		stop = cb(ctx, &h);
	}
	PQclear(r);
	return stop;
}

static int pg_each_inventory(store *s, int64_t org_id,
			     int (*cb)(void *, const char *, const char *), void *ctx, char *err,
			     size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	PGresult *r = query(CONN(s), "SELECT hostname, attributes FROM inventory WHERE org_id = $1"
				     " ORDER BY 1", 1, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++)
		stop = cb(ctx, col_text(r, i, 0), col_text(r, i, 1));
	PQclear(r);
	return stop;
}

/* In single-row mode: a year of a large fleet never sits in memory. */
static int pg_each_report(store *s, int64_t org_id, int64_t from, int64_t to,
			  int (*cb)(void *, const store_report *), void *ctx, char *err,
			  size_t err_size)
{
	PGconn *c = CONN(s);
	char f[24], t[24], o[24];
	snprintf(f, sizeof f, "%" PRId64, from);
	snprintf(t, sizeof t, "%" PRId64, to);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {f, t, o};
	if (!PQsendQueryParams(c,
			       "SELECT r.host_id, h.name, r.finished_at, r.score, r.summary,"
			       " r.report_id, r.body_sha256, r.received_at, r.hostname_mismatch,"
			       " r.claimed_hostname FROM reports r JOIN hosts h ON h.id = r.host_id"
			       " WHERE r.finished_at >= $1 AND r.finished_at < $2 AND h.org_id = $3"
			       " ORDER BY r.host_id, r.finished_at, r.id",
			       3, NULL, v, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c))
		return pgerr(c, "reports", err, err_size);
	int stop = 0;
	bool failed = false;
	PGresult *r;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE && !stop) {
			store_report rep = {
				.host_id = col_i64(r, 0, 0), .host_name = col_text(r, 0, 1),
				.finished_at = col_i64(r, 0, 2),
				.score = PQgetisnull(r, 0, 3) ? NAN : strtod(PQgetvalue(r, 0, 3), NULL),
				.summary = col_text(r, 0, 4), .report_id = col_text(r, 0, 5),
				.body_sha256 = col_text(r, 0, 6), .received_at = col_i64(r, 0, 7),
				.mismatch = col_i64(r, 0, 8) != 0, .claimed_host = col_text(r, 0, 9),
			};
			stop = cb(ctx, &rep);
		} else if (PQresultStatus(r) != PGRES_SINGLE_TUPLE &&
			   PQresultStatus(r) != PGRES_TUPLES_OK) {
			failed = true;
		}
		PQclear(r); /* read to the end: the connection must be idle again */
	}
	if (failed && !stop)
		stop = pgerr(c, "reports", err, err_size);
	return stop;
}

static int pg_each_exception(store *s, int64_t org_id, int64_t from, int64_t to,
			     int (*cb)(void *, const store_exception *), void *ctx, char *err,
			     size_t err_size)
{
	char f[24], t[24], o[24];
	snprintf(f, sizeof f, "%" PRId64, from);
	snprintf(t, sizeof t, "%" PRId64, to);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {f, t, o};
	PGresult *r = query(CONN(s),
			    "SELECT h.name, e.rule, e.reason, e.approved_by, e.until,"
			    " e.first_seen, e.last_seen FROM exceptions e JOIN hosts h"
			    " ON h.id = e.host_id WHERE e.last_seen >= $1 AND e.first_seen < $2"
			    " AND h.org_id = $3 ORDER BY h.name, e.rule, e.until, e.reason COLLATE \"C\", e.approved_by COLLATE \"C\"",
			    3, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		store_exception e = {
			.host_name = col_text(r, i, 0), .rule = col_text(r, i, 1),
			.reason = col_text(r, i, 2), .approved_by = col_text(r, i, 3),
			.until = col_text(r, i, 4), .first_seen = col_i64(r, i, 5),
			.last_seen = col_i64(r, i, 6),
		};
		stop = cb(ctx, &e);
	}
	PQclear(r);
	return stop;
}

static int pg_export(store *s, int64_t org_id, const char *report_id, unsigned char **data,
		     size_t *len, int *encoding, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {report_id, o};
	/* binary results: the bytea as its bytes, the encoding as int4 */
	PGresult *r = PQexecParams(CONN(s),
				   "SELECT b.body, b.encoding FROM reports r JOIN hosts h"
				   " ON h.id = r.host_id LEFT JOIN report_bodies b ON b.report = r.id"
				   " WHERE r.report_id = $1 AND (h.org_id = $2::bigint OR $2::bigint = 0)",
				   2, NULL, v, NULL, NULL, 1);
	int found = 0;
	if (!tuples(r)) {
		found = pgerr(CONN(s), "export", err, err_size);
	} else if (PQntuples(r) == 1 && PQgetisnull(r, 0, 0)) {
		found = 2; /* removed by retention */
	} else if (PQntuples(r) == 1) {
		const unsigned char *e = (const unsigned char *)PQgetvalue(r, 0, 1);
		*encoding = (int)((uint32_t)e[0] << 24 | (uint32_t)e[1] << 16 | (uint32_t)e[2] << 8 |
				  e[3]); /* network order */
		*len = (size_t)PQgetlength(r, 0, 0);
		*data = malloc(*len + 1);
		if (*data) {
			memcpy(*data, PQgetvalue(r, 0, 0), *len);
			found = 1;
		} else {
			snprintf(err, err_size, _("out of memory"));
			found = -1;
		}
	}
	PQclear(r);
	return found;
}

static long pg_prune_bodies(store *s, int64_t before, char *err, size_t err_size)
{
	char b[24];
	snprintf(b, sizeof b, "%" PRId64, before);
	const char *v[] = {b};
	PGresult *r = run(CONN(s),
			  "DELETE FROM report_bodies WHERE report IN"
			  " (SELECT id FROM reports WHERE finished_at < $1)",
			  1, v);
	long n = PQresultStatus(r) == PGRES_COMMAND_OK ? strtol(PQcmdTuples(r), NULL, 10)
						      : pgerr(CONN(s), "retention", err, err_size);
	PQclear(r);
	return n;
}

/* ---- the organisation's placement, policy groups and status ---- */

static int pg_fleet_scores(store *s, int64_t org_id, int64_t from, int64_t to, store_fleet *m,
			   char *err, size_t err_size)
{
	memset(m, 0, sizeof *m);
	char f[24], t[24], o[24];
	snprintf(f, sizeof f, "%" PRId64, from);
	snprintf(t, sizeof t, "%" PRId64, to);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {f, t, o};
	PGresult *r = query(CONN(s),
			    "SELECT r.score FROM reports r JOIN hosts h ON h.id = r.host_id"
			    " AND h.org_id = $3"
			    " WHERE r.finished_at >= $1 AND r.finished_at <= $2 AND r.id = ("
			    "  SELECT r2.id FROM reports r2 WHERE r2.host_id = r.host_id"
			    "   AND r2.finished_at >= $1 AND r2.finished_at <= $2"
			    "  ORDER BY r2.finished_at DESC, r2.id DESC LIMIT 1)",
			    3, v, err, err_size);
	if (!r)
		return -1;
	for (int i = 0; i < PQntuples(r); i++) {
		if (PQgetisnull(r, i, 0)) {
			m->unscored++;
			continue;
		}
		m->sum += strtod(PQgetvalue(r, i, 0), NULL);
		m->hosts++;
	}
	PQclear(r);
	r = query(CONN(s),
		  "SELECT count(*) FROM inventory i WHERE i.org_id = $3 AND NOT EXISTS ("
		  " SELECT 1 FROM reports r JOIN hosts h ON h.id = r.host_id"
		  " WHERE h.org_id = i.org_id AND lower(h.name) = lower(i.hostname)"
		  " AND r.finished_at >= $1 AND r.finished_at <= $2 AND r.score IS NOT NULL)",
		  3, v, err, err_size);
	if (!r)
		return -1;
	m->absent = (long)col_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

static int pg_inventory_attr(store *s, int64_t org_id, const char *host, const char *key,
			     char *value, size_t size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, key, o};
	PGresult *r = run(CONN(s),
			  "SELECT attributes::jsonb ->> $2::text FROM inventory"
			  " WHERE lower(hostname) = lower($1) AND org_id = $3",
			  3, v);
	int found = !tuples(r) ? -1 : 0;
	const char *g = found == 0 && PQntuples(r) > 0 ? col_text(r, 0, 0) : NULL;
	if (g && *g) {
		snprintf(value, size, "%s", g);
		found = 1;
	}
	PQclear(r);
	return found;
}

static int pg_inventory_set_attr(store *s, int64_t org_id, const char *host, const char *key,
				 const char *value, int64_t when, char *err, size_t err_size)
{
	char w[24], o[24];
	snprintf(w, sizeof w, "%" PRId64, when);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, key, value, w, o};
	const char *rv[] = {host, key, o};
	PGresult *r =
		*value ? run(CONN(s),
			     "INSERT INTO inventory(hostname, attributes, imported_at, org_id)"
			     " VALUES($1, jsonb_build_object($2::text, $3::text)::text, $4::bigint,"
			     " $5::bigint) ON CONFLICT (org_id, (lower(hostname))) DO UPDATE SET"
			     " attributes = (inventory.attributes::jsonb ||"
			     " jsonb_build_object($2::text, $3::text))::text",
			     5, v)
		       : run(CONN(s),
			     "UPDATE inventory SET attributes = (attributes::jsonb - $2::text)::text"
			     " WHERE lower(hostname) = lower($1) AND org_id = $3::bigint",
			     3, rv);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? 0
						      : pgerr(CONN(s), "inventory", err, err_size);
	PQclear(r);
	return rc;
}

static int pg_each_latest(store *s, int64_t org_id,
			  int (*cb)(void *, const char *, const char *), void *ctx, char *err,
			  size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	PGresult *r = query(CONN(s),
			    "SELECT h.name, r.report_id FROM hosts h LEFT JOIN reports r"
			    " ON r.id = (SELECT id FROM reports WHERE host_id = h.id"
			    " ORDER BY finished_at DESC, id DESC LIMIT 1) WHERE h.org_id = $1"
			    " ORDER BY lower(h.name)",
			    1, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++)
		stop = cb(ctx, col_text(r, i, 0), col_text(r, i, 1));
	PQclear(r);
	return stop;
}

/* ---- the console's people and sessions (ui branch) ---- */

static void pg_user_row(const PGresult *r, int i, store_user *u)
{
	memset(u, 0, sizeof *u);
	snprintf(u->name, sizeof u->name, "%s", PQgetvalue(r, i, 0));
	snprintf(u->role, sizeof u->role, "%s", PQgetvalue(r, i, 1));
	snprintf(u->lang, sizeof u->lang, "%s", PQgetvalue(r, i, 2));
	snprintf(u->hash, sizeof u->hash, "%s", PQgetvalue(r, i, 3));
	u->created_at = col_i64(r, i, 4);
}

/* A statement that changes rows: how many, or -1 with err. */
static int pg_user_change(store *s, const char *sql, int n, const char *const *v, char *err,
		     size_t err_size)
{
	PGresult *r = run(CONN(s), sql, n, v);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? atoi(PQcmdTuples(r))
						      : pgerr(CONN(s), "users", err, err_size);
	PQclear(r);
	return rc;
}

static int pg_user_add(store *s, int64_t org_id, const store_user *u, char *err,
		       size_t err_size)
{
	char o[24], w[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	snprintf(w, sizeof w, "%" PRId64, u->created_at);
	const char *v[] = {o, u->name, u->role, u->lang, u->hash, w};
	int n = pg_user_change(s,
			  "INSERT INTO users(org_id, name, role, lang, password_hash, created_at)"
			  " VALUES($1,$2,$3,$4,$5,$6) ON CONFLICT DO NOTHING",
			  6, v, err, err_size);
	return n < 0 ? -1 : n == 1;
}

static int pg_user_set_hash(store *s, int64_t org_id, const char *name, const char *hash,
			    char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o, name, hash};
	int n = pg_user_change(s,
			  "UPDATE users SET password_hash = $3 WHERE org_id = $1"
			  " AND lower(name) = lower($2)",
			  3, v, err, err_size);
	if (n <= 0)
		return n;
	/* a new password ends the sessions the old one opened */
	return pg_user_change(s, "DELETE FROM sessions WHERE org_id = $1 AND lower(user_name) ="
			    " lower($2)", 2, v, err, err_size) < 0 ? -1 : 1;
}

static int pg_user_get(store *s, int64_t org_id, const char *name, store_user *out)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o, name};
	PGresult *r = run(CONN(s),
			  "SELECT name, role, lang, password_hash, created_at FROM users"
			  " WHERE org_id = $1 AND lower(name) = lower($2)",
			  2, v);
	int rc = tuples(r) ? PQntuples(r) == 1 : -1;
	if (rc == 1)
		pg_user_row(r, 0, out);
	PQclear(r);
	return rc;
}

/* A reader's callback and its context, for the row functions (each casts
 * fn back to its own type). */
typedef struct pg_cb {
	void *fn, *ctx;
} pg_cb;

/* The rows of a query's result r to row, one by one, until it returns
 * non-zero; r is cleared. That value, 0 after the last row, or -1 when r
 * is NULL (query() said why). */
static int pg_rows(PGresult *r, int (*row)(PGresult *, int, void *), void *x)
{
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++)
		stop = row(r, i, x);
	PQclear(r);
	return stop;
}

static int user_row(PGresult *r, int i, void *x)
{
	pg_cb *c = x;
	store_user u;
	pg_user_row(r, i, &u);
	return ((int (*)(void *, const store_user *))c->fn)(c->ctx, &u);
}

static int pg_each_user(store *s, int64_t org_id, int (*cb)(void *, const store_user *),
			void *ctx, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	pg_cb c = {(void *)cb, ctx};
	return pg_rows(query(CONN(s),
			     "SELECT name, role, lang, password_hash, created_at FROM users"
			     " WHERE org_id = $1 ORDER BY lower(name)",
			     1, v, err, err_size),
		       user_row, &c);
}

static int pg_user_remove(store *s, int64_t org_id, const char *name, char *err,
			  size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o, name};
	if (pg_user_change(s, "DELETE FROM sessions WHERE org_id = $1 AND lower(user_name) ="
			 " lower($2)", 2, v, err, err_size) < 0)
		return -1;
	return pg_user_change(s, "DELETE FROM users WHERE org_id = $1 AND lower(name) = lower($2)", 2,
			 v, err, err_size);
}

static int pg_session_add(store *s, int64_t org_id, const char *id_sha256, const char *user,
			  const char *csrf, int64_t now, int64_t expires_at, char *err,
			  size_t err_size)
{
	char o[24], n[24], e[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	snprintf(n, sizeof n, "%" PRId64, now);
	snprintf(e, sizeof e, "%" PRId64, expires_at);
	const char *old[] = {n};
	if (pg_user_change(s, "DELETE FROM sessions WHERE expires_at <= $1", 1, old, err, err_size) < 0)
		return -1;
	const char *v[] = {id_sha256, o, user, csrf, n, e};
	return pg_user_change(s,
			 "INSERT INTO sessions(id_sha256, org_id, user_name, csrf, created_at,"
			 " expires_at) VALUES($1,$2,$3,$4,$5,$6)",
			 6, v, err, err_size) == 1 ? 0 : -1;
}

static int pg_session_get(store *s, int64_t org_id, const char *id_sha256, int64_t now,
			  store_session *out)
{
	char o[24], n[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	snprintf(n, sizeof n, "%" PRId64, now);
	const char *v[] = {id_sha256, o, n};
	PGresult *r = run(CONN(s),
			  "SELECT s.expires_at, u.name, u.role, u.lang, s.csrf FROM sessions s"
			  " JOIN users u ON u.org_id = s.org_id AND lower(u.name) = lower(s.user_name)"
			  " WHERE s.id_sha256 = $1 AND s.org_id = $2 AND s.expires_at > $3",
			  3, v);
	int rc = tuples(r) ? PQntuples(r) == 1 : -1;
	if (rc == 1) {
		memset(out, 0, sizeof *out);
		out->expires_at = col_i64(r, 0, 0);
		snprintf(out->user, sizeof out->user, "%s", PQgetvalue(r, 0, 1));
		snprintf(out->role, sizeof out->role, "%s", PQgetvalue(r, 0, 2));
		snprintf(out->lang, sizeof out->lang, "%s", PQgetvalue(r, 0, 3));
		snprintf(out->csrf, sizeof out->csrf, "%s", PQgetvalue(r, 0, 4));
	}
	PQclear(r);
	return rc;
}

static int pg_session_end(store *s, int64_t org_id, const char *id_sha256)
{
	char o[24], err[200];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o, id_sha256};
	return pg_user_change(s, "DELETE FROM sessions WHERE org_id = $1 AND id_sha256 = $2", 2, v, err,
			 sizeof err) < 0 ? -1 : 0;
}


/* ---- organisations ---- */

static int pg_org_add(store *s, const char *name, const char *secret, int64_t when,
		      int64_t *id, char *err, size_t err_size)
{
	char w[24];
	snprintf(w, sizeof w, "%" PRId64, when);
	const char *v[] = {name, w, secret};
	PGresult *r = run(CONN(s),
			  "INSERT INTO organisations(name, created_at, enroll_secret_sha256)"
			  " VALUES($1, $2, $3) ON CONFLICT ((lower(name))) DO NOTHING RETURNING id",
			  3, v);
	int rc = !tuples(r) ? pgerr(CONN(s), "organisations", err, err_size) : PQntuples(r);
	if (rc == 1)
		*id = col_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

static int org_id_of(store *s, const char *sql, const char *param, int64_t *id)
{
	const char *v[] = {param};
	PGresult *r = run(CONN(s), sql, param ? 1 : 0, v);
	int rc = !tuples(r) ? -1 : PQntuples(r) > 0;
	if (rc == 1)
		*id = col_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

static int pg_session_org(store *s, const char *id_sha256, int64_t *org_id)
{
	return org_id_of(s, "SELECT org_id FROM sessions WHERE id_sha256 = $1", id_sha256,
			 org_id);
}

static int pg_org_by_name(store *s, const char *name, int64_t *id)
{
	return org_id_of(s, "SELECT id FROM organisations WHERE lower(name) = lower($1)", name,
			 id);
}

static int pg_org_by_secret(store *s, const char *secret, int64_t *id)
{
	return org_id_of(s,
			 secret ? "SELECT id FROM organisations WHERE enroll_secret_sha256 = $1"
				: "SELECT id FROM organisations WHERE enroll_secret_sha256 IS NOT NULL"
				  " LIMIT 1",
			 secret, id);
}

static int org_row(PGresult *r, int i, void *x)
{
	pg_cb *c = x;
	store_org o = {.id = col_i64(r, i, 0), .name = col_text(r, i, 1),
		       .created_at = col_i64(r, i, 2), .secret_sha256 = col_text(r, i, 3)};
	return ((int (*)(void *, const store_org *))c->fn)(c->ctx, &o);
}

static int pg_each_org(store *s, int (*cb)(void *, const store_org *), void *ctx, char *err,
		       size_t err_size)
{
	pg_cb c = {(void *)cb, ctx};
	return pg_rows(query(CONN(s),
			     "SELECT id, name, created_at, enroll_secret_sha256 FROM organisations"
			     " ORDER BY id",
			     0, NULL, err, err_size),
		       org_row, &c);
}

/* Only an empty one: the check and the removal in one statement. */
static int pg_org_remove(store *s, int64_t id, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, id);
	const char *v[] = {o};
	PGresult *r = run(CONN(s),
			  "WITH busy AS (SELECT 1 FROM hosts WHERE org_id = $1 UNION ALL"
			  " SELECT 1 FROM inventory WHERE org_id = $1 UNION ALL"
			  " SELECT 1 FROM retired_hosts WHERE org_id = $1 UNION ALL"
			  " SELECT 1 FROM users WHERE org_id = $1 UNION ALL"
			  " SELECT 1 FROM api_tokens WHERE org_id = $1 LIMIT 1),"
			  " rl AS (DELETE FROM rate_limits WHERE org_id = $1"
			  "  AND NOT EXISTS (SELECT 1 FROM busy)),"
			  " gone AS (DELETE FROM organisations WHERE id = $1"
			  "  AND NOT EXISTS (SELECT 1 FROM busy) RETURNING id)"
			  " SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM busy)",
			  1, v);
	int rc = !tuples(r) ? pgerr(CONN(s), "organisations", err, err_size)
	       : col_i64(r, 0, 1) > 0 ? 2
				       : (int)col_i64(r, 0, 0);
	PQclear(r);
	return rc;
}

/* ---- alerts: the outbox (store.h, store_alert_*) ---- */

static void i64s(char out[24], int64_t v)
{
	snprintf(out, 24, "%" PRId64, v);
}

static int pg_alert_new_reports(store *s, int64_t org_id, long limit,
				int (*cb)(void *, const store_alert_report *), void *ctx,
				int64_t *last, char *err, size_t err_size)
{
	char org[24], lim[24];
	i64s(org, org_id);
	i64s(lim, limit);
	const char *v[] = {org, lim};
	/* a new organisation's cursor: at the newest report */
	PGresult *r = run(CONN(s),
			  "INSERT INTO alert_cursor(org_id, last_report)"
			  " SELECT $1::bigint, coalesce(max(id), 0) FROM reports"
			  " ON CONFLICT (org_id) DO NOTHING",
			  1, v);
	bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	PQclear(r);
	if (!ok)
		return pgerr(CONN(s), "alert cursor", err, err_size);
	r = query(CONN(s),
		  "SELECT r.id, h.name, r.report_id, r.claimed_hostname, r.hostname_mismatch,"
		  " r.finished_at, r.summary,"
		  " (SELECT p.summary FROM reports p WHERE p.host_id = r.host_id"
		  "  AND (p.finished_at < r.finished_at OR"
		  "   (p.finished_at = r.finished_at AND p.id < r.id))"
		  "  ORDER BY p.finished_at DESC, p.id DESC LIMIT 1)"
		  " FROM reports r JOIN hosts h ON h.id = r.host_id AND h.org_id = $1::bigint"
		  " WHERE r.id > (SELECT last_report FROM alert_cursor WHERE org_id = $1::bigint)"
		  " ORDER BY r.id LIMIT $2::bigint",
		  2, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		store_alert_report a = {
			.id = col_i64(r, i, 0), .host_name = col_text(r, i, 1),
			.report_id = col_text(r, i, 2), .claimed_host = col_text(r, i, 3),
			.mismatch = col_i64(r, i, 4) != 0, .finished_at = col_i64(r, i, 5),
			.summary = col_text(r, i, 6), .prev_summary = col_text(r, i, 7),
		};
		stop = cb(ctx, &a);
		if (!stop)
			*last = a.id;
	}
	PQclear(r);
	return stop;
}

static int pg_alert_cursor_advance(store *s, int64_t org_id, int64_t to, char *err,
				   size_t err_size)
{
	char org[24], t[24];
	i64s(org, org_id);
	i64s(t, to);
	const char *v[] = {t, org};
	PGresult *r = run(CONN(s),
			  "UPDATE alert_cursor SET last_report = greatest(last_report, $1::bigint)"
			  " WHERE org_id = $2::bigint",
			  2, v);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK
			 ? 0
			 : pgerr(CONN(s), "alert cursor", err, err_size);
	PQclear(r);
	return rc;
}

static int silent_row(PGresult *r, int i, void *x)
{
	pg_cb *c = x;
	store_alert_silent h = {.host_name = col_text(r, i, 0), .last_report_id = col_text(r, i, 1),
				.last_finished_at = col_i64(r, i, 2),
				.enrolled_at = col_i64(r, i, 3)};
	return ((int (*)(void *, const store_alert_silent *))c->fn)(c->ctx, &h);
}

static int pg_alert_each_silent(store *s, int64_t org_id, int64_t before,
				int (*cb)(void *, const store_alert_silent *), void *ctx,
				char *err, size_t err_size)
{
	char b[24], org[24];
	i64s(b, before);
	i64s(org, org_id);
	const char *v[] = {b, org};
	pg_cb c = {(void *)cb, ctx};
	return pg_rows(query(CONN(s),
			     "SELECT h.name, r.report_id, coalesce(r.finished_at, 0), h.enrolled_at"
			     " FROM hosts h LEFT JOIN reports r ON r.id = (SELECT id FROM reports"
			     " WHERE host_id = h.id ORDER BY finished_at DESC, id DESC LIMIT 1)"
			     " WHERE h.token_sha256 IS NOT NULL AND h.org_id = $2::bigint"
			     " AND coalesce(r.finished_at, h.enrolled_at) < $1::bigint"
			     " ORDER BY h.name",
			     2, v, err, err_size),
		       silent_row, &c);
}

/* receivers as a text[] literal: every element quoted, '"' and '\\'
 * escaped. malloc'd. */
static char *text_array(const char *const *v, size_t n)
{
	size_t cap = 3;
	for (size_t i = 0; i < n; i++)
		cap += 2 * strlen(v[i]) + 3;
	char *out = malloc(cap), *p = out;
	if (!out)
		return NULL;
	*p++ = '{';
	for (size_t i = 0; i < n; i++) {
		if (i)
			*p++ = ',';
		*p++ = '"';
		for (const char *c = v[i]; *c; c++) {
			if (*c == '"' || *c == '\\')
				*p++ = '\\';
			*p++ = *c;
		}
		*p++ = '"';
	}
	*p++ = '}';
	*p = '\0';
	return out;
}

static int pg_alert_event_add(store *s, int64_t org_id, const store_alert_event *e,
			      const char *const *receivers, size_t n, char *err, size_t err_size)
{
	char org[24], at[24];
	i64s(org, org_id);
	i64s(at, e->created_at);
	char *arr = text_array(receivers, n);
	if (!arr) {
		snprintf(err, err_size, _("out of memory"));
		return -1;
	}
	const char *v[] = {org, e->key, e->kind, e->host ? e->host : "", e->rule ? e->rule : "",
			   e->detail ? e->detail : "{}", at, arr};
	/* One statement: the event and its deliveries, or nothing when its
	 * key is there (another collector's insert of it waits for that one
	 * to commit, then does nothing). */
	PGresult *r = run(CONN(s),
			  "WITH e AS (INSERT INTO alert_events(org_id, event_key, kind, host, rule,"
			  " detail, created_at) VALUES($1::bigint,$2,$3,$4,$5,$6,$7::bigint)"
			  " ON CONFLICT (org_id, event_key) DO NOTHING RETURNING id),"
			  " d AS (INSERT INTO alert_deliveries(org_id, event, receiver, state, next_at)"
			  " SELECT $1::bigint, e.id, x, 'pending', $7::bigint FROM e,"
			  " unnest($8::text[]) AS x RETURNING 1)"
			  " SELECT (SELECT count(*) FROM e), (SELECT count(*) FROM d)",
			  8, v);
	free(arr);
	int rc = tuples(r) ? col_i64(r, 0, 0) == 1 : pgerr(CONN(s), "alert event", err, err_size);
	PQclear(r);
	return rc;
}

static int pg_alert_each_event(store *s, int64_t org_id, int64_t from, int64_t to,
			       int (*cb)(void *, const store_alert_event *), void *ctx, char *err,
			       size_t err_size)
{
	char org[24], f[24], t[24];
	i64s(org, org_id);
	i64s(f, from);
	i64s(t, to);
	const char *v[] = {org, f, t};
	PGresult *r = query(CONN(s),
			    "SELECT id, event_key, kind, host, rule, detail, created_at"
			    " FROM alert_events WHERE org_id = $1::bigint AND created_at >= $2::bigint"
			    " AND created_at < $3::bigint ORDER BY created_at, id",
			    3, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		store_alert_event e = {.id = col_i64(r, i, 0), .key = col_text(r, i, 1),
				       .kind = col_text(r, i, 2), .host = col_text(r, i, 3),
				       .rule = col_text(r, i, 4), .detail = col_text(r, i, 5),
				       .created_at = col_i64(r, i, 6)};
		stop = cb(ctx, &e);
	}
	PQclear(r);
	return stop;
}

/* A delivery with its event, as alert_delivery_fill() reads it. */
#define ALERT_DELIVERY_SELECT \
	"SELECT d.id, d.receiver, d.state, d.attempts, d.next_at," \
	" coalesce(d.delivered_at, 0), d.last_error, e.id, e.event_key, e.kind, e.host," \
	" e.rule, e.detail, e.created_at FROM alert_deliveries d" \
	" JOIN alert_events e ON e.id = d.event "

static char *dup_col(const PGresult *r, int row, int col)
{
	const char *v = col_text(r, row, col);
	return v ? strdup(v) : NULL;
}

static void alert_delivery_fill(const PGresult *r, int i, store_alert_delivery *d)
{
	d->id = col_i64(r, i, 0);
	d->receiver = dup_col(r, i, 1);
	d->state = dup_col(r, i, 2);
	d->attempts = (long)col_i64(r, i, 3);
	d->next_at = col_i64(r, i, 4);
	d->delivered_at = col_i64(r, i, 5);
	d->last_error = dup_col(r, i, 6);
	d->ev.id = col_i64(r, i, 7);
	d->ev.key = dup_col(r, i, 8);
	d->ev.kind = dup_col(r, i, 9);
	d->ev.host = dup_col(r, i, 10);
	d->ev.rule = dup_col(r, i, 11);
	d->ev.detail = dup_col(r, i, 12);
	d->ev.created_at = col_i64(r, i, 13);
}

static int pg_alert_claim(store *s, int64_t org_id, const char *owner, int64_t now,
			  long lease_s, store_alert_delivery *d, char *err, size_t err_size)
{
	char org[24], n[24], l[24];
	i64s(org, org_id);
	i64s(n, now);
	i64s(l, lease_s);
	const char *v[] = {owner, n, l, org};
	/* SKIP LOCKED: collectors claiming at once take different rows; the
	 * outer conditions are checked again on the row's newest version. */
	PGresult *r = query(CONN(s),
			    "UPDATE alert_deliveries SET lease_owner = $1,"
			    " lease_until = $2::bigint + $3::bigint"
			    " WHERE id = (SELECT id FROM alert_deliveries WHERE org_id = $4::bigint"
			    " AND state = 'pending' AND next_at <= $2::bigint"
			    " AND lease_until <= $2::bigint ORDER BY next_at, id LIMIT 1"
			    " FOR UPDATE SKIP LOCKED)"
			    " AND state = 'pending' AND lease_until <= $2::bigint RETURNING id",
			    4, v, err, err_size);
	if (!r)
		return -1;
	if (PQntuples(r) == 0) {
		PQclear(r);
		return 0;
	}
	char id[24];
	snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
	const char *w[] = {id};
	r = query(CONN(s), ALERT_DELIVERY_SELECT "WHERE d.id = $1::bigint", 1, w, err, err_size);
	if (!r)
		return -1;
	int rc = PQntuples(r) == 1 ? 1 : 0;
	if (rc == 1)
		alert_delivery_fill(r, 0, d);
	PQclear(r);
	return rc;
}

static int pg_alert_attempt(store *s, int64_t org_id, int64_t delivery_id, const char *owner,
			    int64_t now, bool ok, const char *detail, int64_t next_at, char *err,
			    size_t err_size)
{
	char org[24], id[24], n[24], next[24];
	i64s(org, org_id);
	i64s(id, delivery_id);
	i64s(n, now);
	i64s(next, next_at);
	const char *v[] = {ok ? "1" : "0", next, n, detail, id, org, owner};
	/* Only under the caller's lease, and the attempt with it. */
	PGresult *r = query(CONN(s),
			    "WITH u AS (UPDATE alert_deliveries SET attempts = attempts + 1,"
			    " state = CASE WHEN $1::int = 1 THEN 'sent' WHEN $2::bigint = 0"
			    "  THEN 'failed' ELSE 'pending' END,"
			    " next_at = CASE WHEN $1::int = 1 OR $2::bigint = 0 THEN next_at"
			    "  ELSE $2::bigint END,"
			    " delivered_at = CASE WHEN $1::int = 1 THEN $3::bigint END,"
			    " last_error = CASE WHEN $1::int = 1 THEN NULL ELSE $4 END,"
			    " lease_owner = NULL, lease_until = 0"
			    " WHERE id = $5::bigint AND org_id = $6::bigint AND lease_owner = $7"
			    " AND state = 'pending' RETURNING id)"
			    " INSERT INTO alert_attempts(org_id, delivery, at, owner, ok, detail)"
			    " SELECT $6::bigint, id, $3::bigint, $7, $1::int, $4 FROM u RETURNING 1",
			    7, v, err, err_size);
	if (!r)
		return -1;
	int rc = PQntuples(r) == 1 ? 1 : 0;
	PQclear(r);
	return rc;
}

static int pg_alert_each_delivery(store *s, int64_t org_id, int64_t since,
				  int (*cb)(void *, const store_alert_delivery *), void *ctx,
				  char *err, size_t err_size)
{
	char org[24], f[24];
	i64s(org, org_id);
	i64s(f, since);
	const char *v[] = {org, f};
	PGresult *r = query(CONN(s),
			    ALERT_DELIVERY_SELECT "WHERE d.org_id = $1::bigint"
			    " AND e.created_at >= $2::bigint ORDER BY e.created_at, e.id, d.receiver",
			    2, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		store_alert_delivery d;
		memset(&d, 0, sizeof d);
		alert_delivery_fill(r, i, &d);
		stop = cb(ctx, &d);
		store_alert_delivery_free(&d);
	}
	PQclear(r);
	return stop;
}

/* ---- the year at a glance (annual) ---- */

/* COPY (sql) TO STDOUT in the binary format (pg_copy.h), row() per
 * tuple: the year's rows streamed without a PGresult per row (single-row
 * mode spent more than the rows' own work on it) and without their
 * numbers printed and parsed again as text (COPY's text output was half
 * of the server's time on these reads). sql carries no parameters: only
 * integers are put into it. Text comes in the database's encoding,
 * unconverted: the columns read so are ASCII by the store's rules (host
 * names, report ids, hex digests, rule ids, state letters); a bit string,
 * as its length in bits and its bytes. */
static int each_copy_row(PGconn *c, const char *sql, int nf,
			 int (*row)(const pg_copy_tuple *, void *), void *ctx, const char *what,
			 char *err, size_t err_size)
{
	char q[1400];
	snprintf(q, sizeof q, "COPY (%s) TO STDOUT (FORMAT binary)", sql);
	PGresult *r = PQexec(c, q);
	bool ok = PQresultStatus(r) == PGRES_COPY_OUT;
	PQclear(r);
	if (!ok)
		return pgerr(c, what, err, err_size);
	int stop = 0, n;
	char *data, buf[4096];
	bool header = false, malformed = false;
	pg_copy_tuple t;
	while ((n = PQgetCopyData(c, &data, 0)) > 0) {
		if (!stop && !malformed) {
			int k = pg_copy_parse((const unsigned char *)data, (size_t)n, &header, buf,
					   sizeof buf, &t);
			if (k < 0 || (k == 1 && t.n != nf))
				malformed = true;
			else if (k == 1 && (stop = row(&t, ctx)) < 0) /* a field not understood */
				stop = 0, malformed = true;
		}
		PQfreemem(data);
	}
	bool failed = n == -2;
	while ((r = PQgetResult(c))) { /* the COPY's end: the connection idle again */
		if (PQresultStatus(r) != PGRES_COMMAND_OK)
			failed = true;
		PQclear(r);
	}
	if (failed && !stop)
		return pgerr(c, what, err, err_size);
	if (malformed && !stop) {
		snprintf(err, err_size, _("database: %s: a row of COPY not understood"), what);
		return -1;
	}
	return stop;
}

/* days: a bit(1536) in binary, its length in bits then the bytes */
static int rule_year_row(const pg_copy_tuple *f, void *x)
{
	pg_cb *c = x;
	store_rule_year y = {
		.host_id = pg_copy_int(f, 0), .year = (int)pg_copy_int(f, 1), .rule = f->v[2],
		.last_at = pg_copy_int(f, 4), .last_state = f->v[5][0],
	};
	const unsigned char *d = (const unsigned char *)f->v[3];
	if (f->len[3] != 4 + STORE_YEAR_DAYS || pg_copy_be32(d) != STORE_YEAR_DAYS * 8 ||
	    !store_rule_year_days(&y, d + 4, STORE_YEAR_DAYS))
		return -1;
	return ((int (*)(void *, const store_rule_year *))c->fn)(c->ctx, &y);
}

static int pg_each_rule_year(store *s, int64_t org_id, int year,
			     int (*cb)(void *, const store_rule_year *), void *ctx, char *err,
			     size_t err_size)
{
	char q[1000];
	snprintf(q, sizeof q,
		 "SELECT h.id, m.year, m.rule, m.days, m.last_at, m.last_state FROM hosts h"
		 " JOIN host_rule_years m ON m.host_id = h.id"
		 " WHERE h.org_id = %" PRId64 " AND m.year = %d ORDER BY h.id, m.rule",
		 org_id, year);
	pg_cb c = {(void *)cb, ctx};
	return each_copy_row(CONN(s), q, 6, rule_year_row, &c, "host_rule_years", err,
			     err_size);
}

static int evidence_row(const pg_copy_tuple *f, void *x)
{
	pg_cb *c = x;
	store_evidence e = {
		.host_id = pg_copy_int(f, 0), .finished_at = pg_copy_int(f, 1),
		.received_at = pg_copy_int(f, 2), .report_id = f->v[3], .body_sha256 = f->v[4],
	};
	return ((int (*)(void *, const store_evidence *))c->fn)(c->ctx, &e);
}

static int pg_each_evidence(store *s, int64_t org_id, int64_t from, int64_t to,
			    int (*cb)(void *, const store_evidence *), void *ctx, char *err,
			    size_t err_size)
{
	char q[1000];
	snprintf(q, sizeof q,
		 "SELECT r.host_id, r.finished_at, r.received_at, r.report_id, r.body_sha256"
		 " FROM reports r WHERE r.host_id IN (SELECT id FROM hosts WHERE org_id = %" PRId64
		 ") AND r.finished_at >= %" PRId64 " AND r.finished_at < %" PRId64
		 " ORDER BY r.host_id, r.finished_at, r.received_at, r.report_id COLLATE \"C\"",
		 org_id, from, to);
	pg_cb c = {(void *)cb, ctx};
	return each_copy_row(CONN(s), q, 5, evidence_row, &c, "evidence", err, err_size);
}

static int host_month_row(const pg_copy_tuple *f, void *x)
{
	pg_cb *c = x;
	store_host_month m = {
		.host_id = pg_copy_int(f, 0), .month = (int)pg_copy_int(f, 1),
		.reports = (long)pg_copy_int(f, 2), .first = pg_copy_int(f, 3), .last = pg_copy_int(f, 4),
	};
	return ((int (*)(void *, const store_host_month *))c->fn)(c->ctx, &m);
}

static int pg_each_host_month(store *s, int64_t org_id, int from_month, int to_month,
			      int (*cb)(void *, const store_host_month *), void *ctx, char *err,
			      size_t err_size)
{
	char q[600];
	snprintf(q, sizeof q,
		 "SELECT m.host_id, m.month, m.reports, m.first_at, m.last_at FROM host_months m"
		 " WHERE m.host_id IN (SELECT id FROM hosts WHERE org_id = %" PRId64 ")"
		 " AND m.month >= %d AND m.month <= %d ORDER BY m.host_id, m.month",
		 org_id, from_month, to_month);
	pg_cb c = {(void *)cb, ctx};
	return each_copy_row(CONN(s), q, 5, host_month_row, &c, "host_months", err, err_size);
}

static void pg_bench_unsafe(store *s)
{
	exec(CONN(s), "SET synchronous_commit = off");
}

/* ---- evidence: the hash chain ---- */

/* In single-row mode, as pg_each_report: the whole chain never sits in
 * memory. The bodies come as bytea text (hex), unescaped per row. */
static int pg_each_link(store *s, int64_t org, bool bodies,
			int (*cb)(void *, const store_link *), void *ctx, char *err,
			size_t err_size)
{
	PGconn *c = CONN(s);
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org);
	const char *v[] = {o};
	if (!PQsendQueryParams(c,
			       bodies ? "SELECT k.seq, r.report_id, r.body_sha256, k.chain_sha256,"
					" k.chained_at, b.body, b.encoding,"
					" r.id IS NOT NULL AND b.report IS NULL"
					" FROM report_chain k LEFT JOIN reports r ON r.id = k.report"
					" LEFT JOIN report_bodies b ON b.report = k.report"
					" WHERE k.org_id = $1 ORDER BY k.seq"
				      : "SELECT k.seq, r.report_id, r.body_sha256, k.chain_sha256,"
					" k.chained_at, NULL::bytea, 0, false"
					" FROM report_chain k LEFT JOIN reports r ON r.id = k.report"
					" WHERE k.org_id = $1 ORDER BY k.seq",
			       1, NULL, v, NULL, NULL, 0) ||
	    !PQsetSingleRowMode(c))
		return pgerr(c, "chain", err, err_size);
	int stop = 0;
	bool failed = false;
	PGresult *r;
	while ((r = PQgetResult(c))) {
		if (PQresultStatus(r) == PGRES_SINGLE_TUPLE && !stop) {
			store_link l = {
				.seq = col_i64(r, 0, 0), .report_id = col_text(r, 0, 1),
				.body_sha256 = col_text(r, 0, 2), .chain_sha256 = col_text(r, 0, 3),
				.chained_at = col_i64(r, 0, 4),
				.body_removed = PQgetvalue(r, 0, 7)[0] == 't',
			};
			unsigned char *data = NULL;
			if (!PQgetisnull(r, 0, 5)) {
				data = PQunescapeBytea((const unsigned char *)PQgetvalue(r, 0, 5),
						       &l.packed_len);
				l.packed = data;
				l.encoding = (int)col_i64(r, 0, 6);
				if (!data) /* out of memory: said as such, never a pass */
					l.body_error = "out of memory";
			}
			stop = cb(ctx, &l);
			PQfreemem(data);
		} else if (PQresultStatus(r) != PGRES_SINGLE_TUPLE &&
			   PQresultStatus(r) != PGRES_TUPLES_OK) {
			failed = true;
		}
		PQclear(r); /* read to the end: the connection must be idle again */
	}
	if (failed && !stop)
		stop = pgerr(c, "chain", err, err_size);
	return stop;
}

/* One row (seq, chain hash) of a query: 1, 0 none, -1. */
static int chain_one(store *s, const char *sql, int n, const char *const *v, int64_t *seq,
		     char sha[65], char *err, size_t err_size)
{
	PGresult *r = query(CONN(s), sql, n, v, err, err_size);
	if (!r)
		return -1;
	int found = PQntuples(r) > 0;
	if (found) {
		*seq = col_i64(r, 0, 0);
		snprintf(sha, 65, "%s", PQgetvalue(r, 0, 1));
	}
	PQclear(r);
	return found;
}

static int pg_chain_head(store *s, int64_t org, int64_t at, int64_t *seq, char sha[65],
			 char *err, size_t err_size)
{
	char o[24], a[24];
	snprintf(o, sizeof o, "%" PRId64, org);
	snprintf(a, sizeof a, "%" PRId64, at);
	const char *v[] = {o, a};
	/* the index (org_id, chained_at, seq): one step, at any size */
	return chain_one(s, "SELECT seq, chain_sha256 FROM report_chain WHERE org_id = $1"
			    " AND chained_at < $2 ORDER BY chained_at DESC, seq DESC LIMIT 1",
			 2, v, seq, sha, err, err_size);
}

static int pg_chain_tip(store *s, int64_t org, int64_t *seq, char sha[65], char *err,
			size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org);
	const char *v[] = {o};
	return chain_one(s, "SELECT seq, chain_sha256 FROM chain_heads WHERE org_id = $1", 1, v,
			 seq, sha, err, err_size);
}

static int pg_chain_unlinked(store *s, int64_t org, long *count, char first[64], char *err,
			     size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org);
	const char *v[] = {o};
	PGresult *r = query(CONN(s),
			    "SELECT count(*), min(report_id) FROM reports x JOIN hosts h"
			    " ON h.id = x.host_id AND h.org_id = $1::bigint WHERE NOT EXISTS"
			    " (SELECT 1 FROM report_chain k WHERE k.report = x.id)",
			    1, v, err, err_size);
	if (!r)
		return -1;
	*count = (long)col_i64(r, 0, 0);
	snprintf(first, 64, "%s", col_text(r, 0, 1) ? col_text(r, 0, 1) : "");
	PQclear(r);
	return 0;
}

/* ---- api: the fleet model, API tokens, host lifecycle, metrics ---- */

#define REPORT_COLS \
	"r.finished_at, r.score, r.summary, r.report_id, r.body_sha256, r.received_at," \
	" r.hostname_mismatch, r.claimed_hostname, r.id, d.digest, r.host_id, h.name"

static int report_rows(PGresult *r, int (*cb)(void *, const store_report *), void *ctx)
{
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++) {
		store_report rep = {
			.finished_at = col_i64(r, i, 0),
			.score = PQgetisnull(r, i, 1) ? NAN : strtod(PQgetvalue(r, i, 1), NULL),
			.summary = col_text(r, i, 2), .report_id = col_text(r, i, 3),
			.body_sha256 = col_text(r, i, 4), .received_at = col_i64(r, i, 5),
			.mismatch = col_i64(r, i, 6) != 0, .claimed_host = col_text(r, i, 7),
			.row_id = col_i64(r, i, 8), .digest = col_text(r, i, 9),
			.host_id = col_i64(r, i, 10), .host_name = col_text(r, i, 11),
		};
		stop = cb(ctx, &rep);
	}
	PQclear(r);
	return stop;
}

/* Reports belong to their host's organisation (hosts.org_id). */
static int pg_each_latest_report(store *s, int64_t org_id,
				 int (*cb)(void *, const store_report *), void *ctx, char *err,
				 size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	PGresult *r = query(CONN(s),
			    "SELECT " REPORT_COLS " FROM hosts h JOIN reports r"
			    " ON r.id = (SELECT id FROM reports WHERE host_id = h.id"
			    " ORDER BY finished_at DESC, id DESC LIMIT 1)"
			    " LEFT JOIN report_digests d ON d.report = r.id"
			    " WHERE h.org_id = $1::bigint ORDER BY h.id",
			    1, v, err, err_size);
	return r ? report_rows(r, cb, ctx) : -1;
}

static int pg_each_host_report(store *s, int64_t org_id, const char *host, int64_t bf,
			       int64_t br, long limit, int (*cb)(void *, const store_report *),
			       void *ctx, char *err, size_t err_size)
{
	char f[24], b[24], l[24], o[24];
	snprintf(f, sizeof f, "%" PRId64, bf);
	snprintf(b, sizeof b, "%" PRId64, br);
	snprintf(l, sizeof l, "%ld", limit);
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, f, b, l, o};
	PGresult *r = query(CONN(s),
			    "SELECT " REPORT_COLS " FROM hosts h JOIN reports r ON r.host_id = h.id"
			    " LEFT JOIN report_digests d ON d.report = r.id"
			    " WHERE lower(h.name) = lower($1) AND h.org_id = $5::bigint"
			    " AND (r.finished_at, r.id) < ($2::bigint, $3::bigint)"
			    " ORDER BY r.finished_at DESC, r.id DESC LIMIT $4::bigint",
			    5, v, err, err_size);
	return r ? report_rows(r, cb, ctx) : -1;
}

static int pg_each_undigested(store *s, long limit,
			      int (*cb)(void *, const char *, const char *), void *ctx,
			      char *err, size_t err_size)
{
	char l[24];
	snprintf(l, sizeof l, "%ld", limit);
	const char *v[] = {l};
	PGresult *r = query(CONN(s),
			    "SELECT r.report_id, r.summary FROM reports r WHERE NOT EXISTS"
			    " (SELECT 1 FROM report_digests d WHERE d.report = r.id)"
			    " ORDER BY r.id LIMIT $1::bigint",
			    1, v, err, err_size);
	if (!r)
		return -1;
	int stop = 0;
	for (int i = 0; !stop && i < PQntuples(r); i++)
		stop = cb(ctx, col_text(r, i, 0), col_text(r, i, 1));
	PQclear(r);
	return stop;
}

/* Runs one statement; the rows it changed (or returned), or -1 with err. */
static int pg_change(store *s, const char *what, const char *sql, const char *const *v, int n,
		     char *err, size_t err_size)
{
	PGresult *r = run(CONN(s), sql, n, v);
	int rc = PQresultStatus(r) == PGRES_COMMAND_OK ? atoi(PQcmdTuples(r))
		 : tuples(r)				? PQntuples(r)
							: pgerr(CONN(s), what, err, err_size);
	PQclear(r);
	return rc;
}

static int pg_set_digest(store *s, const char *report_id, const char *digest, char *err,
			 size_t err_size)
{
	const char *v[] = {report_id, digest};
	return pg_change(s, "digest",
			 "INSERT INTO report_digests(report, digest) SELECT id, $2 FROM reports"
			 " WHERE report_id = $1 ON CONFLICT DO NOTHING",
			 v, 2, err, err_size) < 0
		       ? -1
		       : 0;
}

/* 1 when host is enrolled or in the inventory (any case) of org_id, 0
 * not, -1. */
static int pg_known(store *s, int64_t org_id, const char *host, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, o};
	int n = pg_change(s, "host",
			  "SELECT 1 FROM hosts WHERE lower(name) = lower($1) AND org_id = $2::bigint"
			  " UNION ALL SELECT 1 FROM inventory WHERE lower(hostname) = lower($1)"
			  " AND org_id = $2::bigint",
			  v, 2, err, err_size);
	return n < 0 ? -1 : n > 0;
}

static int pg_host_revoke(store *s, int64_t org_id, const char *host, char *err,
			  size_t err_size)
{
	int k = pg_known(s, org_id, host, err, err_size);
	if (k <= 0)
		return k;
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {host, o};
	return pg_change(s, "revoke",
			 "UPDATE hosts SET token_sha256 = NULL WHERE lower(name) = lower($1)"
			 " AND org_id = $2::bigint",
			 v, 2, err, err_size) < 0
		       ? -1
		       : 1;
}

/* Several statements in one transaction, statement i with the first
 * nv[i] values of v: 1, or -1 with err (rolled back). */
static int pg_txn(store *s, const char *what, const char *const *sql, size_t n,
		  const char *const *v, const int *nv, char *err, size_t err_size)
{
	if (exec(CONN(s), "BEGIN") != 0)
		return pgerr(CONN(s), what, err, err_size);
	int rc = 1;
	for (size_t i = 0; rc == 1 && i < n; i++)
		if (pg_change(s, what, sql[i], v, nv[i], err, err_size) < 0)
			rc = -1;
	if (rc == 1 && exec(CONN(s), "COMMIT") != 0)
		rc = pgerr(CONN(s), what, err, err_size);
	if (rc != 1)
		exec(CONN(s), "ROLLBACK");
	return rc;
}

static int pg_host_rename(store *s, int64_t org_id, const char *from, const char *to,
			  char *err, size_t err_size)
{
	int k = pg_known(s, org_id, from, err, err_size);
	if (k <= 0)
		return k;
	if (strcasecmp(from, to) != 0) {
		int t = pg_known(s, org_id, to, err, err_size);
		if (t != 0) {
			if (t > 0)
				snprintf(err, err_size, _("host %s exists already"), to);
			return -1;
		}
	}
	static const char *const sql[] = {
		"UPDATE hosts SET name = $2 WHERE lower(name) = lower($1) AND org_id = $3::bigint",
		"UPDATE inventory SET hostname = $2 WHERE lower(hostname) = lower($1)"
		" AND org_id = $3::bigint",
		"UPDATE retired_hosts SET name = $2 WHERE lower(name) = lower($1)"
		" AND org_id = $3::bigint",
	};
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {from, to, o};
	static const int nv[] = {3, 3, 3};
	return pg_txn(s, "rename", sql, 3, v, nv, err, err_size);
}

static int pg_host_retire(store *s, int64_t org_id, const char *host, int64_t when,
			  char *err, size_t err_size)
{
	int k = pg_known(s, org_id, host, err, err_size);
	if (k <= 0)
		return k;
	char o[24], w[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	snprintf(w, sizeof w, "%" PRId64, when);
	static const char *const sql[] = {
		"INSERT INTO retired_hosts(name, org_id, retired_at)"
		" VALUES($1, $2::bigint, $3::bigint) ON CONFLICT DO NOTHING",
		"UPDATE hosts SET token_sha256 = NULL WHERE lower(name) = lower($1)"
		" AND org_id = $2::bigint",
	};
	const char *v[] = {host, o, w};
	static const int nv[] = {3, 2};
	return pg_txn(s, "retire", sql, 2, v, nv, err, err_size);
}

static int retired_row(PGresult *r, int i, void *x)
{
	pg_cb *c = x;
	return ((int (*)(void *, const char *, int64_t))c->fn)(c->ctx, col_text(r, i, 0),
							       col_i64(r, i, 1));
}

static int pg_each_retired(store *s, int64_t org_id, int (*cb)(void *, const char *, int64_t),
			   void *ctx, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	pg_cb c = {(void *)cb, ctx};
	return pg_rows(query(CONN(s),
			     "SELECT name, retired_at FROM retired_hosts WHERE org_id = $1::bigint"
			     " ORDER BY lower(name)",
			     1, v, err, err_size),
		       retired_row, &c);
}

static int pg_token_add(store *s, int64_t org_id, const char *name, const char *role_name,
			const char *hash, int64_t when, char *err, size_t err_size)
{
	char o[24], w[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	snprintf(w, sizeof w, "%" PRId64, when);
	const char *v[] = {o, name, role_name, hash, w};
	PGresult *r = run(CONN(s),
			  "INSERT INTO api_tokens(org_id, name, role, token_sha256, created_at)"
			  " VALUES($1::bigint, $2, $3, $4, $5::bigint) ON CONFLICT DO NOTHING",
			  5, v);
	int rc = PQresultStatus(r) != PGRES_COMMAND_OK ? pgerr(CONN(s), "token", err, err_size)
		 : atoi(PQcmdTuples(r)) == 1	       ? 0
							       : -2;
	PQclear(r);
	if (rc == -2) {
		snprintf(err, err_size, _("a token named %s exists already"), name);
		rc = -1;
	}
	return rc;
}

static int pg_token_auth(store *s, const char *hash, int64_t *org_id, char *role_name,
			 size_t role_size, char *name, size_t name_size)
{
	const char *v[] = {hash};
	PGresult *r = run(CONN(s),
			  "SELECT org_id, role, name FROM api_tokens WHERE token_sha256 = $1", 1, v);
	int rc = !tuples(r) ? -1 : PQntuples(r) == 1;
	if (rc == 1) {
		*org_id = col_i64(r, 0, 0);
		snprintf(role_name, role_size, "%s", col_text(r, 0, 1));
		snprintf(name, name_size, "%s", col_text(r, 0, 2));
	}
	PQclear(r);
	return rc;
}

static int token_row(PGresult *r, int i, void *x)
{
	pg_cb *c = x;
	store_token t = {.org_id = col_i64(r, i, 0), .name = col_text(r, i, 1),
			 .role = col_text(r, i, 2), .created_at = col_i64(r, i, 3),
			 .token_sha256 = col_text(r, i, 4)};
	return ((int (*)(void *, const store_token *))c->fn)(c->ctx, &t);
}

static int pg_each_token(store *s, int64_t org_id, int (*cb)(void *, const store_token *),
			 void *ctx, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	pg_cb c = {(void *)cb, ctx};
	return pg_rows(query(CONN(s),
			     "SELECT org_id, name, role, created_at, token_sha256 FROM api_tokens"
			     " WHERE org_id = $1::bigint ORDER BY name",
			     1, v, err, err_size),
		       token_row, &c);
}

static int pg_token_revoke(store *s, int64_t org_id, const char *name, char *err,
			   size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o, name};
	int n = pg_change(s, "token", "DELETE FROM api_tokens WHERE org_id = $1::bigint AND name = $2",
			  v, 2, err, err_size);
	return n < 0 ? -1 : n > 0;
}

static int pg_report_count(store *s, int64_t org_id, int64_t *n, char *err, size_t err_size)
{
	char o[24];
	snprintf(o, sizeof o, "%" PRId64, org_id);
	const char *v[] = {o};
	PGresult *r = query(CONN(s),
			    "SELECT count(*) FROM reports r JOIN hosts h ON h.id = r.host_id"
			    " WHERE h.org_id = $1::bigint",
			    1, v, err, err_size);
	if (!r)
		return -1;
	*n = col_i64(r, 0, 0);
	PQclear(r);
	return 0;
}

const store_ops store_pg_ops = {
	.kind = "postgresql",
	.open = pg_open,
	.close = pg_close,
	.schema_version = pg_schema_version,
	.enroll = pg_enroll,
	.enroll_new = pg_enroll_new,
	.rate_limit_hit = pg_rate_limit_hit,
	.rate_limit_refund = pg_rate_limit_refund,
	.auth = pg_auth,
	.host_by_name = pg_host_by_name,
	.ingest_batch = pg_ingest_batch,
	.inventory_replace = pg_inventory_replace,
	.read_begin = pg_read_begin,
	.read_end = pg_read_end,
	.read_begin_twin = pg_read_begin_twin,
	.each_host = pg_each_host,
	.each_inventory = pg_each_inventory,
	.each_report = pg_each_report,
	.each_exception = pg_each_exception,
	.export_body = pg_export,
	.fleet_scores = pg_fleet_scores,
	.inventory_attr = pg_inventory_attr,
	.inventory_set_attr = pg_inventory_set_attr,
	.each_latest = pg_each_latest,
	.prune_bodies = pg_prune_bodies,
	.bench_unsafe = pg_bench_unsafe,
	.user_add = pg_user_add,
	.user_set_hash = pg_user_set_hash,
	.user_get = pg_user_get,
	.each_user = pg_each_user,
	.user_remove = pg_user_remove,
	.session_add = pg_session_add,
	.session_get = pg_session_get,
	.session_end = pg_session_end,
	.each_latest_report = pg_each_latest_report,
	.each_host_report = pg_each_host_report,
	.each_undigested = pg_each_undigested,
	.set_digest = pg_set_digest,
	.host_revoke = pg_host_revoke,
	.host_rename = pg_host_rename,
	.host_retire = pg_host_retire,
	.each_retired = pg_each_retired,
	.token_add = pg_token_add,
	.token_auth = pg_token_auth,
	.each_token = pg_each_token,
	.token_revoke = pg_token_revoke,
	.report_count = pg_report_count,
	.session_org = pg_session_org,
	.org_add = pg_org_add,
	.org_by_name = pg_org_by_name,
	.org_by_secret = pg_org_by_secret,
	.each_org = pg_each_org,
	.org_remove = pg_org_remove,
	.alert_new_reports = pg_alert_new_reports,
	.alert_cursor_advance = pg_alert_cursor_advance,
	.alert_each_silent = pg_alert_each_silent,
	.alert_event_add = pg_alert_event_add,
	.alert_each_event = pg_alert_each_event,
	.alert_claim = pg_alert_claim,
	.alert_attempt = pg_alert_attempt,
	.alert_each_delivery = pg_alert_each_delivery,
	.each_link = pg_each_link,
	.chain_head = pg_chain_head,
	.chain_tip = pg_chain_tip,
	.chain_unlinked = pg_chain_unlinked,
	.each_rule_year = pg_each_rule_year,
	.each_evidence = pg_each_evidence,
	.each_host_month = pg_each_host_month,
};
