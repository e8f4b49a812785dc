#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# ctest collector_e2e_pg: the collector's e2e suite on a real PostgreSQL.
#   run_pg.sh TEST_BINARY ARGS...   (the ARGS of collector_e2e; the 3rd,
#                                    the work directory, also holds the
#                                    cluster's state; HOSTAUDIT_PG_WORK
#                                    instead, if set)
# Without PostgreSQL's server binaries: skipped (77) with the reason, or
# failed when HOSTAUDIT_REQUIRE_PG=1 (CI, where they must be there).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
test_bin=$1
work=${HOSTAUDIT_PG_WORK:-$4}
mkdir -p "$work"
state="$work/pg-state.$$"
"$here/pg_cluster.sh" start "$state" >/dev/null
rc=$?
if [ $rc = 77 ]; then
	if [ "${HOSTAUDIT_REQUIRE_PG:-}" = 1 ]; then
		echo "collector_e2e_pg: FAILED: HOSTAUDIT_REQUIRE_PG=1 but PostgreSQL's server" \
			"binaries are missing" >&2
		exit 1
	fi
	echo "collector_e2e_pg: SKIPPED: PostgreSQL's server binaries are not installed" \
		"(Debian: apt-get install postgresql)"
	exit 77
fi
[ $rc = 0 ] || exit 1
trap '"$here/pg_cluster.sh" stop "$state"; rm -rf "$state"' EXIT
export HOSTAUDIT_TEST_PG
HOSTAUDIT_TEST_PG=$(cat "$state/uri")
echo "collector_e2e_pg: PostgreSQL at $HOSTAUDIT_TEST_PG"
shift
"$test_bin" "$@"
