#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# The real-system tier: hostaudit's verdicts on real Debian roots, checked
# against what the system's own tools say (apt, PAM through passwd and
# pamtester, sshd -T, nft, gsettings, restic, borg, systemctl).
#
#   tests/realsys/run.sh [BUILD_DIR] [SCENARIO...]
#   tests/realsys/run.sh --list
#
# Needs root (debootstrap, chroot, overlay mounts, network namespaces).
# Base roots are cached (see base.sh); each scenario gets a fresh overlay
# over its suite's base, in its own mount and network namespaces, so
# nothing it mounts outlives it and it has no network. docs/testing.md
# describes the scenario format.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
src=$(cd "$here/../.." && pwd)

# One scenario on one suite, inside `unshare -m -n` (see below).
if [ "${1:-}" = --one ]; then
	scenario=$2 suite=$3 base=$4 bin=$5 work=$6
	name=$(basename "$scenario" .sh)
	mkdir -p "$work/upper" "$work/ovl" "$work/root"
	ROOT=$work/root
	cleanup() {
		for m in dev proc; do
			mountpoint -q "$ROOT/$m" 2>/dev/null && umount -l "$ROOT/$m" || true
		done
		mountpoint -q "$ROOT" && umount -l "$ROOT" || true
	}
	trap cleanup EXIT
	if ! mount -t overlay overlay \
		-o "lowerdir=$base,upperdir=$work/upper,workdir=$work/ovl" "$ROOT" 2>/dev/null; then
		cp -a "$base/." "$ROOT/" # no overlayfs here: a plain copy
	fi
	export ROOT WORK=$work SUITE=$suite HOSTAUDIT=$bin SRC=$src
	# shellcheck source=lib.sh
	. "$here/lib.sh"
	fact='' rule='' config=''
	observe() { observed_default; }
	# shellcheck disable=SC1090
	. "$scenario"
	ip link set lo up 2>/dev/null || true
	setup
	expected=$(oracle)
	observed=$(observe)
	[ -n "$expected" ] || expected='(oracle gave nothing)'
	what=${fact:-$rule}
	if [ "$expected" = "$observed" ]; then
		printf 'ok   %-34s %-8s %s: expected (oracle) %s vs observed (hostaudit) %s\n' \
			"$name" "$suite" "$what" "$expected" "$observed"
		exit 0
	fi
	printf 'FAIL %-34s %-8s %s: expected (oracle) %s vs observed (hostaudit) %s\n' \
		"$name" "$suite" "$what" "$expected" "$observed"
	exit 1
fi

# --list: the scenarios, their suites and what each checks (no root).
if [ "${1:-}" = --list ]; then
	for s in "$here"/scenarios/*.sh; do
		printf '%s\t%s\t%s\t%s\n' "$(basename "$s" .sh)" \
			"$(sed -n 's/^# suites: *//p' "$s" | head -n1)" \
			"$(sed -n 's/^\(fact\|rule\)=\(.*\)/\2/p' "$s" | head -n1)" \
			"$(sed -n '1s/^# //p' "$s")"
	done
	exit 0
fi

[ "$(id -u)" = 0 ] || { echo "realsys: needs root (chroot, mounts, namespaces)" >&2; exit 2; }
build=${1:-build}
shift || true
bin=$(cd "$build" 2>/dev/null && pwd)/hostaudit
[ -x "$bin" ] || { echo "realsys: no hostaudit in $build (build it first)" >&2; exit 2; }
for tool in debootstrap unshare chroot timeout mountpoint python3; do
	command -v "$tool" >/dev/null || { echo "realsys: needs $tool" >&2; exit 2; }
done

if [ $# -gt 0 ]; then
	scenarios=()
	for s in "$@"; do scenarios+=("$here/scenarios/${s%.sh}.sh"); done
else
	scenarios=("$here"/scenarios/*.sh)
fi

# The suites the chosen scenarios run on ("# suites:" line; bookworm by
# default). Their base roots are made (or taken from the cache) side by
# side: a cold run spends its first minutes downloading.
suites_of() {
	local s
	s=$(sed -n 's/^# suites: *//p' "$1" | head -n1)
	echo "${s:-bookworm}"
}
declare -A base
for s in "${scenarios[@]}"; do
	for suite in $(suites_of "$s"); do base[$suite]=; done
done
started=$(date +%s)
tmpb=$(mktemp -d /tmp/hostaudit-realsys-base.XXXXXX)
for suite in "${!base[@]}"; do
	"$here/base.sh" "$suite" >"$tmpb/$suite" &
done
wait_ok=1
for job in $(jobs -p); do wait "$job" || wait_ok=0; done
for suite in "${!base[@]}"; do
	base[$suite]=$(cat "$tmpb/$suite")
	[ -d "${base[$suite]}" ] || wait_ok=0
done
rm -rf "$tmpb"
[ "$wait_ok" = 1 ] || { echo "realsys: a base root could not be made (see above)" >&2; exit 1; }
echo "realsys: base roots ready in $(($(date +%s) - started)) s"

logs=${REALSYS_LOGS:-/tmp/hostaudit-realsys-logs}
rm -rf "$logs"
mkdir -p "$logs"
# One scenario on one suite: its line (ok/FAIL) on stdout, its
# commands' output in its log, its exit status in $logs/NAME-SUITE.rc.
run_one() {
	local s=$1 suite=$2 name work log rc=0
	name=$(basename "$s" .sh)
	work=$(mktemp -d /tmp/hostaudit-realsys.XXXXXX)
	log="$logs/$name-$suite.log"
	timeout -k 10 300 unshare --mount --net --propagation private \
		"$here/run.sh" --one "$s" "$suite" "${base[$suite]}" "$bin" "$work" \
		>"$log.line" 2>"$log" || rc=$?
	[ "$rc" = 0 ] || [ -s "$log.line" ] ||
		echo "FAIL $name $suite: scenario did not finish (exit $rc or time-out); log $log" >"$log.line"
	echo "$rc" >"$logs/$name-$suite.rc"
	cat "$log.line"
	# The overlay died with the scenario's mount namespace; never delete
	# through a mount that is somehow still there.
	mountpoint -q "$work/root" || rm -rf "$work"
}

# Scenarios run side by side (REALSYS_JOBS, default 4): most of their
# time is PAM's delay after a wrong password, not work.
jobs_max=${REALSYS_JOBS:-4}
for s in "${scenarios[@]}"; do
	for suite in $(suites_of "$s"); do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs_max" ]; do wait -n || true; done
		run_one "$s" "$suite" &
	done
done
wait
pass=0 fail=0
for rc in "$logs"/*.rc; do
	if [ "$(cat "$rc")" = 0 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done
echo "realsys: scenarios took $(($(date +%s) - started)) s in all; logs in $logs"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
