#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# A throw-away PostgreSQL cluster for the tests and the bench.
#   pg_cluster.sh start STATE_DIR [PORT]   initdb + pg_ctl start on 127.0.0.1;
#       PORT absent: a free one, picked at run time. Writes STATE_DIR/uri
#       (postgresql://postgres@127.0.0.1:PORT, no database: append /NAME)
#       and STATE_DIR/data (the cluster's directory).
#   pg_cluster.sh stop STATE_DIR           stops it and removes the cluster.
# The server runs as the `postgres` user when started by root (initdb
# refuses root), as the caller otherwise. Authentication: trust, on
# 127.0.0.1 only (no Unix socket outside the cluster's directory).
# Exit 77 when the server binaries are absent (ctest: skipped).
# PG_BIN: the binaries' directory (default: Debian's newest under
# /usr/lib/postgresql). PG_OPTS: more server settings (-c name=value ...).
set -euo pipefail
cmd=${1:?usage: pg_cluster.sh start|stop STATE_DIR [PORT]}
state=${2:?usage: pg_cluster.sh start|stop STATE_DIR [PORT]}

find_bin() {
	if [ -n "${PG_BIN:-}" ]; then
		echo "$PG_BIN"
		return
	fi
	local d
	d=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
	echo "${d:-}"
}
BIN=$(find_bin)
if [ -z "$BIN" ] || [ ! -x "$BIN/initdb" ] || [ ! -x "$BIN/pg_ctl" ]; then
	echo "pg_cluster.sh: no PostgreSQL server binaries (initdb, pg_ctl) in" \
		"${BIN:-/usr/lib/postgresql/*/bin}; install Debian's postgresql" >&2
	exit 77
fi

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		/usr/sbin/runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

port_free() {
	# nothing listening on it (IPv4, any address): /proc/net/tcp, state 0A
	local hex
	hex=$(printf '%04X' "$1")
	! awk -v p=":$hex" '$2 ~ p"$" && $4 == "0A"' /proc/net/tcp | grep -q .
}

case "$cmd" in
start)
	mkdir -p "$state"
	data=$(mktemp -d /tmp/hostaudit-pg.XXXXXX)
	[ "$(id -u)" = 0 ] && chown postgres: "$data"
	echo "$data" > "$state/data"
	as_owner "$BIN/initdb" -D "$data/db" -U postgres --auth=trust -E UTF8 \
		--no-locale >"$data/initdb.log" 2>&1 ||
		{ cat "$data/initdb.log" >&2; exit 1; }
	tries=0
	while :; do
		port=${3:-$((20000 + RANDOM % 40000))}
		if port_free "$port" &&
			as_owner "$BIN/pg_ctl" -D "$data/db" -l "$data/server.log" -w -t 60 \
				-o "-c listen_addresses=127.0.0.1 -c port=$port \
				-c unix_socket_directories=$data -c max_connections=300 \
				${PG_OPTS:-}" start >/dev/null; then
			break
		fi
		tries=$((tries + 1))
		if [ -n "${3:-}" ] || [ $tries -ge 10 ]; then
			echo "pg_cluster.sh: cannot start PostgreSQL (port $port):" >&2
			cat "$data/server.log" >&2 || true
			exit 1
		fi
	done
	echo "postgresql://postgres@127.0.0.1:$port" > "$state/uri"
	cat "$state/uri"
	;;
stop)
	[ -f "$state/data" ] || exit 0
	data=$(cat "$state/data")
	as_owner "$BIN/pg_ctl" -D "$data/db" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$data" "$state/data" "$state/uri"
	;;
*)
	echo "usage: pg_cluster.sh start|stop STATE_DIR [PORT]" >&2
	exit 2
	;;
esac
