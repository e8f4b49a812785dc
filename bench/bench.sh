#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Side by side on this machine: a full `hostaudit run` against
# `apt-get -s dist-upgrade` (what Lynis and most scripts use to count
# pending updates) and `lynis audit system --quick`. Prints the median wall
# time and the peak RSS of each, the ratios, and whether hostaudit meets
# its goals (< 100 ms median, < 16 MB peak RSS, >= 20x faster than apt).
#
# usage: bench/bench.sh [BUILD_DIR]      (default: build)
#   RUNS=11 LYNIS_RUNS=3 bench/bench.sh build
# Needs /usr/bin/time (GNU time: peak RSS). apt-get and lynis are skipped
# when absent (`apt-get install lynis`). Lynis writes /var/log/lynis*.log.
# Read-only otherwise; run as the same user for every tool (root gives
# Lynis and hostaudit the most to look at).
set -eu

BUILD=${1:-build}
RUNS=${RUNS:-11}
LYNIS_RUNS=${LYNIS_RUNS:-3}
SRC=$(cd "$(dirname "$0")/.." && pwd)
HOSTAUDIT="$SRC/$BUILD/hostaudit"
[ -x "$HOSTAUDIT" ] || HOSTAUDIT="$BUILD/hostaudit"
[ -x "$HOSTAUDIT" ] || { echo "bench: no hostaudit binary in $BUILD (cmake --build $BUILD)" >&2; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: needs GNU time (/usr/bin/time): apt-get install time" >&2; exit 2; }
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# measure NAME RUNS CMD...: prints "NAME median_ms peak_kb" and stores them.
measure() {
	name=$1; runs=$2; shift 2
	: > "$TMP/$name.ms"; : > "$TMP/$name.kb"
	i=0
	while [ "$i" -lt "$runs" ]; do
		start=$(date +%s%N)
		/usr/bin/time -f %M -o "$TMP/rss" "$@" > /dev/null 2>&1 || true
		end=$(date +%s%N)
		echo $(( (end - start) / 1000 )) >> "$TMP/$name.ms"   # microseconds
		cat "$TMP/rss" >> "$TMP/$name.kb"
		i=$((i + 1))
	done
	med=$(sort -n "$TMP/$name.ms" | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')
	kb=$(sort -n "$TMP/$name.kb" | tail -1)
	echo "$med" > "$TMP/$name.med"; echo "$kb" > "$TMP/$name.peak"
	printf '%-34s %5d runs  median %9.1f ms  peak RSS %8.1f MB\n' "$name" "$runs" \
		"$(echo "$med" | awk '{print $1/1000}')" "$(echo "$kb" | awk '{print $1/1024}')"
}

ratio() { # ratio A B: how many times A's median is B's
	awk -v a="$(cat "$TMP/$1.med")" -v b="$(cat "$TMP/$2.med")" 'BEGIN {printf "%.1f", a / b}'
}

echo "host: $(uname -n), $(nproc) CPUs, $(uname -r); $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "hostaudit: $HOSTAUDIT ($("$HOSTAUDIT" --version 2>/dev/null || echo '?'))"
echo

# Warm the page cache the same way for everyone: one unmeasured run each.
"$HOSTAUDIT" run --rules "$SRC/rules" > /dev/null 2>&1 || true
measure "hostaudit run (full audit)" "$RUNS" "$HOSTAUDIT" run --rules "$SRC/rules"
measure "hostaudit facts (probes only)" "$RUNS" "$HOSTAUDIT" facts

have_apt=0
if [ -x /usr/bin/apt-get ]; then
	have_apt=1
	apt-get -s -q dist-upgrade > /dev/null 2>&1 || true
	measure "apt-get -s dist-upgrade" "$RUNS" apt-get -s -q dist-upgrade
fi
have_lynis=0
if command -v lynis > /dev/null 2>&1; then
	have_lynis=1
	measure "lynis audit system --quick" "$LYNIS_RUNS" lynis audit system --quick --no-colors
fi

echo
med=$(cat "$TMP/hostaudit run (full audit).med")
peak=$(cat "$TMP/hostaudit run (full audit).peak")
[ "$have_apt" = 1 ] && echo "apt-get -s dist-upgrade / hostaudit run:   $(ratio 'apt-get -s dist-upgrade' 'hostaudit run (full audit)')x"
[ "$have_lynis" = 1 ] && echo "lynis --quick / hostaudit run:             $(ratio 'lynis audit system --quick' 'hostaudit run (full audit)')x"
echo
ok=1
if [ "$med" -lt 100000 ]; then echo "goal median < 100 ms:  met"; else echo "goal median < 100 ms:  MISSED"; ok=0; fi
if [ "$peak" -lt 16384 ]; then echo "goal peak RSS < 16 MB: met"; else echo "goal peak RSS < 16 MB: MISSED"; ok=0; fi
if [ "$have_apt" = 1 ]; then
	r=$(ratio 'apt-get -s dist-upgrade' 'hostaudit run (full audit)')
	if awk -v r="$r" 'BEGIN {exit !(r >= 20)}'; then echo "goal >= 20x apt:       met"; else echo "goal >= 20x apt:       MISSED"; ok=0; fi
fi
[ "$ok" = 1 ]
