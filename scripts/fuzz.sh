#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# A libFuzzer campaign on one harness of tests/fuzz (or every one).
#
# usage: scripts/fuzz.sh TARGET|all SECONDS [BUILD_DIR]   (default build-fuzz)
#   scripts/fuzz.sh pack 600
#   scripts/fuzz.sh all 20          (CI: each target in turn)
# Builds BUILD_DIR with clang and -DHOSTAUDIT_FUZZ=ON when needed. The
# corpus grows in BUILD_DIR/corpus/TARGET (seeded from tests/fuzz/corpus);
# a crash, leak or timeout (-timeout=10 s per input: a hang) stops the
# campaign with its input in BUILD_DIR/artifacts/TARGET: copy it to
# tests/fuzz/regressions/TARGET with the fix so ctest keeps running it.
# Prints the executions and their rate at the end (for docs/testing.md).
set -eu
[ $# -ge 2 ] || { sed -n 2,12p "$0" >&2; exit 2; }
TARGET=$1
SECONDS_EACH=$2
SRC=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${3:-$SRC/build-fuzz}
case $BUILD in /*) ;; *) BUILD=$SRC/$BUILD ;; esac

if [ ! -f "$BUILD/CMakeCache.txt" ]; then
	CC=clang cmake -S "$SRC" -B "$BUILD" -DHOSTAUDIT_FUZZ=ON -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		> /dev/null
fi
TARGETS=$TARGET
if [ "$TARGET" = all ]; then
	TARGETS=$(awk '/^set\(HOSTAUDIT_FUZZ_TARGETS/ {f = 1} f {print} f && /\)/ {exit}' \
		"$SRC/tests/fuzz/CMakeLists.txt" | sed 's/set(HOSTAUDIT_FUZZ_TARGETS//; s/)//')
fi
for t in $TARGETS; do
	cmake --build "$BUILD" -j2 --target "fuzz_$t" > /dev/null
	mkdir -p "$BUILD/corpus/$t" "$BUILD/artifacts/$t"
	echo "== fuzz_$t for ${SECONDS_EACH}s"
	# The seeds and the regressions as read-only corpora, new inputs kept
	# in BUILD/corpus/t. rss_limit: a parser that balloons is a finding.
	ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 \
	"$BUILD/tests/fuzz/fuzz_$t" -max_total_time="$SECONDS_EACH" -timeout=10 \
		-rss_limit_mb=1024 -max_len=65536 -print_final_stats=1 \
		-artifact_prefix="$BUILD/artifacts/$t/" \
		"$BUILD/corpus/$t" "$SRC/tests/fuzz/corpus/$t" \
		$( [ -d "$SRC/tests/fuzz/regressions/$t" ] && echo "$SRC/tests/fuzz/regressions/$t" ) \
		2> "$BUILD/artifacts/$t/log" || {
		# The sanitizer's report up to its stack traces, then the input's name.
		sed -n '/ERROR: \|runtime error\|==ERROR\|deadly signal\|timeout/,/Shadow bytes\|^SUMMARY/p' \
			"$BUILD/artifacts/$t/log" | head -60 >&2
		tail -8 "$BUILD/artifacts/$t/log" >&2
		echo "fuzz: fuzz_$t found a problem; its input is in $BUILD/artifacts/$t/" >&2
		exit 1
	}
	grep -E "stat::number_of_executed_units|stat::average_exec_per_sec|cov:" \
		"$BUILD/artifacts/$t/log" | tail -3
done
