#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Line and branch coverage of agent/ and collector/ by the test suite
# (docs/testing.md). Builds in build-cov with gcc --coverage, runs ctest
# and prints lcov's summary for each; `lcov --list build-cov/agent.info`
# shows it file by file, genhtml draws the uncovered branches.
# Needs lcov (apt-get install lcov).
set -eu
cd "$(dirname "$0")/.."
dir=build-cov
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_C_FLAGS=--coverage >/dev/null
cmake --build "$dir" -j "$(nproc)" >/dev/null
find "$dir" -name '*.gcda' -delete
ctest --test-dir "$dir" -j "$(nproc)" --output-on-failure >/dev/null
rc="--rc lcov_branch_coverage=1"
# shellcheck disable=SC2086
lcov $rc --quiet --capture --directory "$dir" --output-file "$dir/all.info" \
	--ignore-errors gcov,source 2>"$dir/lcov-capture.log" # Debian's lcov 1.16 warns of redefined subroutines
for part in agent collector; do
	echo "== $part/"
	# shellcheck disable=SC2086
	lcov $rc --quiet --extract "$dir/all.info" "$PWD/$part/*" -o "$dir/$part.info"
	# shellcheck disable=SC2086
	lcov $rc --summary "$dir/$part.info" 2>&1 | grep -E 'lines|branches'
done
