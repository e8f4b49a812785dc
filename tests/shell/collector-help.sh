#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `hostaudit-collector COMMAND --help` for every command its --help lists:
# exit 0 without reading any config (a fresh install has none yet), a usage
# line naming the command, its summary, its argument/option rows and
# -h, --help, every line within 80 columns, in English and Japanese (the
# Japanese text differs, i.e. it is translated). A wrong option still exits 2.
#
# usage: tests/shell/collector-help.sh HOSTAUDIT-COLLECTOR
set -eu
prog=${1:?usage: collector-help.sh HOSTAUDIT-COLLECTOR}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
# fits FILE: no line wider than 80 columns (wc -L counts display columns:
# a Japanese character is two).
fits() {
	w=$(LC_ALL=C.UTF-8 wc -L <"$1")
	[ "$w" -le 80 ] || fail "$2: a line is $w columns wide:
$(cat "$1")"
}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/collector-help.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

LC_ALL=C "$prog" --help >"$tmp/top" || fail "--help exited $?"
fits "$tmp/top" "--help"
cmds=$(sed -n '/^commands:/,/^$/s/^  \([a-z][a-z-]*\).*/\1/p' "$tmp/top")
[ "$(echo $cmds | wc -w)" -ge 5 ] || fail "--help lists too few commands: $cmds"
grep -q "COMMAND --help" "$tmp/top" || fail "--help does not point to COMMAND --help"

for c in $cmds; do
	for lang in C ja_JP.UTF-8; do
		out=$tmp/$c.$lang
		rc=0
		# -c names no file: help must not need the config.
		LANG=$lang LC_ALL= "$prog" -c "$tmp/absent.yaml" "$c" --help >"$out" 2>"$tmp/err" || rc=$?
		[ "$rc" = 0 ] || fail "$c --help ($lang) exited $rc: $(cat "$tmp/err")"
		[ ! -s "$tmp/err" ] || fail "$c --help ($lang) wrote to stderr: $(cat "$tmp/err")"
		head -1 "$out" | grep -q "hostaudit-collector \[-c [^]]*\] $c" ||
			fail "$c --help ($lang): no usage line: $(head -1 "$out")"
		grep -q '^  -h, --help  ' "$out" || fail "$c --help ($lang): no -h, --help row"
		rows=$(grep -c '^  [^ ]' "$out")
		[ "$rows" -ge 2 ] || fail "$c --help ($lang): no argument or option rows"
		fits "$out" "$c --help ($lang)"
	done
	cmp -s "$tmp/$c.C" "$tmp/$c.ja_JP.UTF-8" && fail "$c --help is not translated"
	LC_ALL=C "$prog" -c "$tmp/absent.yaml" "$c" -h | cmp -s - "$tmp/$c.C" ||
		fail "$c -h differs from $c --help"
	echo "ok: $c --help, -h ($(wc -l <"$tmp/$c.C") lines, en and ja)"
done

# Without --help the command still reads its config and checks its
# arguments: a usage error exits 2 with the usage on stderr.
echo "listen: 127.0.0.1:0" >"$tmp/collector.yaml"
rc=0
LC_ALL=C "$prog" -c "$tmp/collector.yaml" report --bogus >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" = 2 ] || fail "report --bogus exited $rc, expected 2"
grep -q '^usage: hostaudit-collector \[-c CONFIG\] report ' "$tmp/err" ||
	fail "report --bogus: no usage on stderr: $(cat "$tmp/err")"
# A system error in Japanese is Japanese (glibc's strerror in UTF-8), not
# a row of '?' (its catalogue in the C locale's ASCII).
rc=0
LANG=ja_JP.UTF-8 LC_ALL= LANGUAGE=ja "$prog" -c "$tmp/absent.yaml" report --year 2026 \
	--format html >/dev/null 2>"$tmp/err" || rc=$?
[ "$rc" != 0 ] || fail "report with a missing config exited 0"
grep -q '??' "$tmp/err" && fail "a Japanese error came out as '?': $(cat "$tmp/err")"
echo "PASS: every command has --help"
