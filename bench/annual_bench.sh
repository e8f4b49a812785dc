#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# The annual report's bench (docs/performance.md): every format written
# once from the store CONFIG names, each run timed by GNU time (CPU user +
# sys, peak RSS, wall). With PGDATA set (the cluster's data directory, as
# tests/collector/pg_cluster.sh made it), the server's CPU too: the
# backends' CPU, which the postmaster collects as its children's once a
# backend ends (the report's connection closes with the command), read
# from /proc before and after each run. The report reads on two threads,
# so its CPU time is above its wall time: wall, on a quiet machine, is
# the figure against the goals; on a shared one, compare CPU.
#   usage: bench/annual_bench.sh COLLECTOR_BINARY CONFIG LABEL OUT_DIR [FORMAT...]
set -euo pipefail
bin=${1:?usage: annual_bench.sh COLLECTOR CONFIG LABEL OUT_DIR [FORMAT...]}
conf=${2:?} label=${3:?} out=${4:?}
shift 4
formats=${*:-csv html json xlsx}
mkdir -p "$out"

server_cpu() { # the postmaster's children's CPU (utime + stime), seconds
	[ -n "${PGDATA:-}" ] || { echo 0; return; }
	local pid
	pid=$(head -1 "$PGDATA/postmaster.pid")
	# fields 16 and 17 of /proc/PID/stat: cutime, cstime (clock ticks)
	awk -v hz="$(getconf CLK_TCK)" '{ sub(/^.*\) /, ""); print ($14 + $15) / hz }' \
		"/proc/$pid/stat"
}

for f in $formats; do
	dest="$out/$label.$f"
	rm -rf "$dest"
	before=$(server_cpu)
	/usr/bin/time -f "%U %S %M %e" -o "$out/time.$$" \
		"$bin" -c "$conf" report --year 2026 --format "$f" --out "$dest" \
		--now 2026-12-31T23:00:00Z
	sleep 1 # the backend reaped
	after=$(server_cpu)
	read -r user sys rss wall <"$out/time.$$"
	rm -f "$out/time.$$"
	size=$(du -sh "$dest" | cut -f1)
	awk -v l="$label" -v f="$f" -v u="$user" -v s="$sys" -v r="$rss" -v w="$wall" \
		-v b="$before" -v a="$after" -v z="$size" 'BEGIN {
		printf "%s %s: client CPU %.2f s (user %.2f + sys %.2f), peak RSS %d MB, wall %.1f s",
			l, f, u + s, u, s, r / 1024, w
		if (a - b > 0) printf ", server CPU %.2f s", a - b
		printf ", output %s\n", z }'
done
