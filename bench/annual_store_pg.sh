#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The annual report's bench store on PostgreSQL: the rows of a SQLite store
# made by bench/annual_store.py (hosts, reports and the two aggregates) copied
# as they are (COPY, no per-row INSERT) into a PostgreSQL store the
# collector has created (schema migrated, empty). Both stores then hold the
# same rows, so the two backends' reports can be compared byte for byte.
#   usage: bench/annual_store_pg.sh SQLITE_DB POSTGRESQL_URI
# e.g. tests/collector/pg_cluster.sh start /tmp/pg, `createdb`, one
# `hostaudit-collector -c CONF report ...` on the URI to migrate it, then
# this script.
set -eu
db=${1:?usage: annual_store_pg.sh SQLITE_DB POSTGRESQL_URI}
uri=${2:?usage: annual_store_pg.sh SQLITE_DB POSTGRESQL_URI}

copy() { # table, its columns[, what SQLite gives for them]
	/usr/bin/sqlite3 -csv "$db" "SELECT ${3:-$2} FROM $1" |
		/usr/bin/psql -q -v ON_ERROR_STOP=1 "$uri" -c "\\copy $1($2) FROM STDIN CSV"
}
start=$(date +%s)
copy hosts "id, name, token_sha256, enrolled_at, org_id"
copy reports "id, report_id, host_id, claimed_hostname, hostname_mismatch, finished_at, received_at, score, body_sha256, summary"
# days: a BLOB in SQLite, a bit(1536) here: its hex as bit's input takes it
copy host_rule_years "host_id, year, rule, days, last_at, last_state" \
	"host_id, year, rule, 'x' || hex(days), last_at, last_state"
copy host_months "host_id, month, reports, first_at, last_at"
/usr/bin/psql -q -v ON_ERROR_STOP=1 "$uri" \
	-c "SELECT setval('hosts_id_seq', (SELECT max(id) FROM hosts))" \
	-c "SELECT setval('reports_id_seq', (SELECT max(id) FROM reports))" \
	-c "VACUUM ANALYZE hosts" -c "VACUUM ANALYZE reports" -c "VACUUM ANALYZE host_rule_years" \
	-c "VACUUM ANALYZE host_months" \
	>/dev/null
echo "copied $db into $uri in $(($(date +%s) - start)) s"
