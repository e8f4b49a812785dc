#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The password and accounts probes over a host with many people: a root
# of N accounts (default 20 000) in /etc/passwd and /etc/shadow, observed
# with `hostaudit facts --root`. Prints the median wall and CPU time and
# the peak RSS. The shadow lookup was a walk of every account per line (1.2 s and
# 16.4 MB at 20 000 accounts); it is a binary search now.
#
# usage: bench/accounts.sh [BUILD_DIR]     (default: build)
#   ACCOUNTS=50000 RUNS=5 bench/accounts.sh build
# Needs /usr/bin/time (GNU time: peak RSS). Writes only a temporary tree.
set -eu

BUILD=${1:-build}
ACCOUNTS=${ACCOUNTS:-20000}
RUNS=${RUNS:-5}
SRC=$(cd "$(dirname "$0")/.." && pwd)
HOSTAUDIT="$SRC/$BUILD/hostaudit"
[ -x "$HOSTAUDIT" ] || HOSTAUDIT="$BUILD/hostaudit"
[ -x "$HOSTAUDIT" ] || { echo "bench: no hostaudit binary in $BUILD" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time)" >&2; exit 2; }
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT

mkdir -p "$ROOT/etc/pam.d"
echo "schema: hostaudit/config/v1" > "$ROOT/config.yaml"
cp -r "$SRC/tests/fixtures/roots/password-weak/etc/pam.d/." "$ROOT/etc/pam.d/"
awk -v n="$ACCOUNTS" -v root="$ROOT" 'BEGIN {
	print "root:x:0:0:root:/root:/bin/bash" > (root "/etc/passwd")
	print "root:*:19000:0:99999:7:::" > (root "/etc/shadow")
	for (i = 0; i < n; i++) {
		printf "user%d:x:%d:%d:User %d:/home/user%d:/bin/bash\n", i, 1000 + i % 59000,
			1000 + i % 59000, i, i > (root "/etc/passwd")
		printf "user%d:$6$salt$%040d:19000:0:%d:7:::\n", n - 1 - i, i, 90 + i % 400 \
			> (root "/etc/shadow")
	}
}'

: > "$ROOT/ms"; : > "$ROOT/kb"; : > "$ROOT/cpu"
i=0
while [ "$i" -lt "$RUNS" ]; do
	start=$(date +%s%N)
	/usr/bin/time -f "%M %U %S" -o "$ROOT/rss" "$HOSTAUDIT" facts -c "$ROOT/config.yaml" --root "$ROOT" \
		-n 2026-11-26 > "$ROOT/facts.json" 2>/dev/null || true
	end=$(date +%s%N)
	echo $(( (end - start) / 1000000 )) >> "$ROOT/ms"
	awk '{print $1}' "$ROOT/rss" >> "$ROOT/kb"
	awk '{printf "%d\n", ($2 + $3) * 1000}' "$ROOT/rss" >> "$ROOT/cpu"
	i=$((i + 1))
done
grep -q '"password.max_age_days"' "$ROOT/facts.json" ||
	{ echo "bench: no password facts in the output" >&2; exit 1; }
med() { sort -n "$1" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# CPU time as well as wall time: on a shared machine the wall time is
# mostly waiting for a core.
echo "accounts $ACCOUNTS: median $(med "$ROOT/ms") ms wall, $(med "$ROOT/cpu") ms CPU," \
	"peak RSS $(med "$ROOT/kb") KB ($RUNS runs of hostaudit facts --root)"
