#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Bytes per stored report, on real reports of this agent.
#   bench/store_size.sh BUILD_DIR [REPORTS]
# Runs the agent REPORTS times on this machine (real reports, ~140 KB),
# uploads them to a collector on SQLite and on a throw-away PostgreSQL
# (tests/collector/pg_cluster.sh), then prints the store's size per report:
# SQLite the database file after VACUUM, PostgreSQL the tables and their
# indexes (pg_total_relation_size) - body, row, summary and indexes, all in.
set -euo pipefail
B=$(cd "$1" && pwd)
N=${2:-200}
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/hostaudit-size.XXXXXX)
PID=
cleanup() {
	[ -z "$PID" ] || kill "$PID" 2>/dev/null || true
	"$HERE/tests/collector/pg_cluster.sh" stop "$W/pg" 2>/dev/null || true
	rm -rf "$W"
}
trap cleanup EXIT
/bin/sh "$HERE/tests/collector/gen_certs.sh" "$W/pki" >/dev/null
mkdir "$W/r"
for i in $(seq 1 "$N"); do
	"$B/hostaudit" run --rules "$HERE/rules" -f json -o "$W/r/$i.json" >/dev/null 2>&1 || true
done
raw=$(cat "$W/r"/*.json | wc -c)
echo "reports: $N real reports of this agent, $((raw / N)) bytes each on average"
run() { # database
	cat > "$W/c.yaml" <<EOC
listen: 127.0.0.1:0
tls_cert: $W/pki/server.pem
tls_key: $W/pki/server-key.pem
database: $1
max_body_bytes: 4194304
EOC
	chmod 600 "$W/c.yaml"
	tok=$("$B/collector/hostaudit-collector" -c "$W/c.yaml" enroll "$(hostname)" 2>/dev/null)
	rm -f "$W/port"
	"$B/collector/hostaudit-collector" -c "$W/c.yaml" serve --port-file "$W/port" 2>"$W/serve.log" &
	PID=$!
	n=0; while [ ! -s "$W/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
	port=$(cat "$W/port")
	for f in "$W/r"/*.json; do
		id=$(sed -n 's/.*"report_id": *"\([0-9a-f-]*\)".*/\1/p' "$f" | head -1)
		code=$(curl -s -o /dev/null -w '%{http_code}' --cacert "$W/pki/ca.pem" \
			-H "Authorization: Bearer $tok" -H "Idempotency-Key: $id" \
			-H 'Content-Type: application/json' --data-binary "@$f" \
			"https://127.0.0.1:$port/v1/reports")
		[ "$code" = 201 ] || { echo "upload: $code" >&2; cat "$W/serve.log" >&2; exit 1; }
	done
	kill "$PID"; wait "$PID" 2>/dev/null || true; PID=
}
run "$W/s.db"
sqlite3 "$W/s.db" "VACUUM" 2>/dev/null || true
s=$(stat -c %s "$W/s.db")
echo "SQLite: $s bytes for $N reports: $((s / N)) bytes a report"
if "$HERE/tests/collector/pg_cluster.sh" start "$W/pg" >/dev/null 2>&1; then
	uri=$(cat "$W/pg/uri")
	PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
	"$PGBIN/createdb" -h 127.0.0.1 -p "${uri##*:}" -U postgres size
	run "$uri/size"
	"$PGBIN/psql" -h 127.0.0.1 -p "${uri##*:}" -U postgres -d size -qc "VACUUM FULL"
	p=$("$PGBIN/psql" -h 127.0.0.1 -p "${uri##*:}" -U postgres -d size -Atc \
		"SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c
		 WHERE c.relname IN ('hosts','reports','report_bodies','exceptions','inventory')")
	echo "PostgreSQL: $p bytes for $N reports: $((p / N)) bytes a report"
fi
