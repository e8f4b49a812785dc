#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Collector benchmarks. Usage: bench/collector.sh BUILD_DIR [AGENTS PER_AGENT HOSTS DAYS]
#   BUILD_DIR: a configured build of the tree (e.g. cmake -S . -B build
#   -DCMAKE_BUILD_TYPE=RelWithDebInfo)
# Prints reports/s stored over HTTPS by AGENTS concurrent agents (durable:
# WAL + synchronous=FULL) and the CPU a report took (agents, collector, the
# rest of the machine), then the time of the annual report for
# HOSTS x DAYS reports in csv, html and json.
# Environment: THREADS (collector threads, 4); COLLECTOR=path (another
# hostaudit-collector binary, e.g. an older build, for comparison);
# FSYNC_DELAY_US=N (ingest only: every fsync/fdatasync of the collector
# made N microseconds slower with strace fault injection, to reproduce a
# slow disk: 2600 ~ 380 durable commits/s); KEEP=1 keeps the work dir;
# STORE=postgresql: the same on a throw-away PostgreSQL cluster
# (tests/collector/pg_cluster.sh; fsync and synchronous_commit on), ingest
# and annual report on it.
set -eu
B=$(cd "$1" && pwd)
AGENTS=${2:-50}; PER=${3:-100}; HOSTS=${4:-1000}; DAYS=${5:-365}
HERE=$(cd "$(dirname "$0")/.." && pwd)
W=$(mktemp -d /tmp/hostaudit-bench.XXXXXX)
# Under strace, the collector is strace's child: signal it, not strace.
stop_collector() {
	[ -n "$PID" ] || return 0
	if [ -n "${FSYNC_DELAY_US:-}" ]; then
		kill $(ps -o pid= --ppid "$PID") 2>/dev/null || true
	else
		kill "$PID" 2>/dev/null || true
	fi
	wait "$PID" 2>/dev/null || true
	PID=
}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
stop_pg() {
	[ "${STORE:-}" = postgresql ] && "$HERE/tests/collector/pg_cluster.sh" stop "$W/pg" || true
}
trap 'stop_collector; stop_pg; [ -n "${KEEP:-}" ] || rm -rf "$W"' EXIT INT TERM
# database NAME: a SQLite file in the work dir, or a new PostgreSQL database
database() {
	if [ "${STORE:-}" = postgresql ]; then
		"$PGBIN/createdb" -h 127.0.0.1 -p "${PGURI##*:}" -U postgres "$1"
		echo "$PGURI/$1"
	else
		echo "$W/$1.db"
	fi
}
if [ "${STORE:-}" = postgresql ]; then
	"$HERE/tests/collector/pg_cluster.sh" start "$W/pg" >/dev/null
	PGURI=$(cat "$W/pg/uri")
fi
PID=
cmake --build "$B" --target hostaudit-collector collector_bench >/dev/null
C=${COLLECTOR:-"$B/collector/hostaudit-collector"}
/bin/sh "$HERE/tests/collector/gen_certs.sh" "$W/pki"
cat > "$W/c.yaml" <<EOC
listen: 127.0.0.1:0
tls_cert: $W/pki/server.pem
tls_key: $W/pki/server-key.pem
database: $(database ingest)
per_ip_connections: 200
threads: ${THREADS:-4}
EOC
chmod 600 "$W/c.yaml"
i=0
while [ $i -lt "$AGENTS" ]; do
	"$C" -c "$W/c.yaml" enroll "agent-$i" 2>/dev/null >> "$W/tokens"
	i=$((i + 1))
done
if [ -n "${FSYNC_DELAY_US:-}" ]; then
	strace -f -qq --seccomp-bpf -o /dev/null -e trace=fsync,fdatasync \
		-e inject=fsync,fdatasync:delay_exit="$FSYNC_DELAY_US" \
		"$C" -c "$W/c.yaml" serve --port-file "$W/port" 2>"$W/serve.log" &
else
	"$C" -c "$W/c.yaml" serve --port-file "$W/port" 2>"$W/serve.log" &
fi
PID=$!
n=0; while [ ! -s "$W/port" ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
echo "store: ${STORE:-sqlite}"
echo "machine: $(nproc) cores, $(uname -r), $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1)"
# The collector's own CPU in clock ticks (collector_bench measures the
# agents' and the whole machine's over its timed loop). Throughput on a
# shared VM moves with its neighbours; CPU a report is the steadier figure.
collector_ticks() {
	p=$PID
	[ -z "${FSYNC_DELAY_US:-}" ] || p=$(ps -o pid= --ppid "$PID" | head -1)
	awk '{print $14 + $15}' "/proc/$p/stat"
}
c0=$(collector_ticks)
"$B/collector_bench" ingest "https://127.0.0.1:$(cat "$W/port")/v1/reports" "$W/pki/ca.pem" \
	"$W/tokens" "$AGENTS" "$PER" | tee "$W/ingest.out"
c1=$(collector_ticks)
stored=$(sed -n 's/.*: \([0-9]*\) stored.*/\1/p' "$W/ingest.out")
field() { sed -n "s/^cpu a report, $1: \\([0-9.]*\\) ms/\\1/p" "$W/ingest.out"; }
if [ "${stored:-0}" -gt 0 ]; then
	awk -v c=$((c1 - c0)) -v n="$stored" -v hz="$(getconf CLK_TCK)" \
		-v a="$(field agents)" -v m="$(field 'the whole machine')" 'BEGIN {
		c = c * 1000 / hz / n
		printf "cpu a report, collector: %.3f ms\n", c
		printf "cpu a report, the rest (database server, others): %.3f ms\n", m - c - a }'
fi
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_collector
ADB=$(database annual)
sed -i "s|^database: .*|database: $ADB|" "$W/c.yaml"
"$B/collector_bench" fill "$ADB" "$HOSTS" "$DAYS" 2026
if [ "${STORE:-}" = postgresql ]; then
	echo "annual database: $("$PGBIN/psql" -h 127.0.0.1 -p "${PGURI##*:}" -U postgres \
		-d annual -Atc "SELECT pg_size_pretty(pg_database_size('annual'))")"
else
	echo "annual database: $(du -h "$ADB" | cut -f1)"
fi
for f in csv html json; do
	s=$(date +%s.%N)
	"$C" -c "$W/c.yaml" report --year 2026 --format $f --out "$W/annual.$f" --now 2026-12-31T23:00:00Z
	e=$(date +%s.%N)
	echo "annual report $f ($HOSTS hosts x $DAYS reports): $(echo "$e - $s" | bc) s, $(du -sh "$W/annual.$f" | cut -f1)"
done
