#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The collector's errors and messages a new administrator meets, under a
# Japanese locale: a broken config (no file, an empty one, an unknown key,
# a bad value, keys that go together, an alerts mistake), a database that
# cannot be opened (SQLite in a missing directory, PostgreSQL on a socket
# that does not exist), wrong commands and options, and the store's own
# refusals and confirmations. Each must come out in Japanese with no
# English sentence left (three English words in a row, once paths, quoted
# names, options, file:line:column and CAPITAL placeholders are set
# aside); the same case under LANG=C must be English and differ, so every
# case really reaches a message. The exit code is checked in both.
#
# usage: tests/shell/collector-ja.sh HOSTAUDIT-COLLECTOR
set -eu
prog=${1:?usage: collector-ja.sh HOSTAUDIT-COLLECTOR}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/collector-ja.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
failures=0
cases=0

# The words of FILE that are prose: paths, '...' and "..." quotes, tokens
# with - _ . / : = @ $ or digits, CAPITALS and a usage line's syntax (the
# command words after "usage: hostaudit-collector") dropped.
prose() {
	LC_ALL=C.UTF-8 sed -e 's/^\(usage\|使い方\): hostaudit-collector [^（(]*/\1 /' \
		-e "s/'[^']*'//g" -e 's/"[^"]*"//g' "$1" |
		LC_ALL=C.UTF-8 tr -s ' \t' '\n\n' |
		LC_ALL=C.UTF-8 grep -v -e '[-_./:=@$0-9|]' -e '^[A-Z][A-Z]*$' -e '^\[' |
		LC_ALL=C.UTF-8 tr '\n' ' '
}
# english FILE: a run of three English words remains
english() {
	prose "$1" | LC_ALL=C.UTF-8 grep -Eq '(^| )[A-Za-z]{2,}[,;]? [A-Za-z]{2,}[,;]? [A-Za-z]{2,}'
}
# an English word of prose (what the LANG=C run must show)
an_english_word() {
	prose "$1" | LC_ALL=C.UTF-8 grep -Eq '[A-Za-z]{3,}'
}
# kana or kanji
japanese() {
	LC_ALL=C.UTF-8 grep -qP '[\x{3041}-\x{30ff}\x{4e00}-\x{9fff}]' "$1"
}

# check NAME RC CONFIG ARGS...: run in ja and C; compare.
check() {
	name=$1 want=$2 cfg=$3
	shift 3
	cases=$((cases + 1))
	rc=0
	LANG=ja_JP.UTF-8 LC_ALL= LC_MESSAGES= LANGUAGE= timeout 20 "$prog" -c "$cfg" "$@" \
		>"$tmp/out.ja" 2>"$tmp/err.ja" </dev/null || rc=$?
	rcc=0
	LANG=C LC_ALL= LC_MESSAGES= LANGUAGE= timeout 20 "$prog" -c "$cfg" "$@" \
		>"$tmp/out.C" 2>"$tmp/err.C" </dev/null || rcc=$?
	why=
	[ "$rc" = "$want" ] || why="exit $rc, expected $want"
	[ "$rcc" = "$want" ] || why="$why; exit $rcc in English"
	[ -s "$tmp/err.ja" ] || why="$why; nothing on stderr"
	japanese "$tmp/err.ja" || why="$why; no Japanese"
	english "$tmp/err.ja" && why="$why; English left: $(prose "$tmp/err.ja")"
	an_english_word "$tmp/err.C" || why="$why; the English run has no English: $(cat "$tmp/err.C")"
	cmp -s "$tmp/err.ja" "$tmp/err.C" && why="$why; the same text in both"
	if [ -n "$why" ]; then
		echo "FAIL: $name:$why"
		echo "  ja: $(cat "$tmp/err.ja")"
		echo "  en: $(cat "$tmp/err.C")"
		failures=$((failures + 1))
	else
		echo "ok: $name: $(head -1 "$tmp/err.ja")"
	fi
}

db=$tmp/store.db
good=$tmp/good.yaml
printf 'listen: 127.0.0.1:0\ndatabase: %s\n' "$db" >"$good"
mk() { # mk NAME LINES...: a config file
	f=$tmp/$1.yaml
	shift
	printf '%s\n' "$@" >"$f"
	echo "$f"
}

# the config
check "missing config" 2 "$tmp/absent.yaml" hosts list
: >"$tmp/empty.yaml"
check "empty config" 2 "$tmp/empty.yaml" hosts list
check "unknown key" 2 "$(mk unknown 'listen: 127.0.0.1:0' 'threads: 4' 'thread: 2')" hosts list
check "value out of range" 2 "$(mk range 'threads: 0')" hosts list
check "not a number" 2 "$(mk nan 'max_body_bytes: lots')" hosts list
check "not a mapping" 2 "$(mk list '- listen')" hosts list
check "tls_cert alone" 2 "$(mk tls 'tls_cert: /etc/ssl/x.pem')" hosts list
check "client_cert_required alone" 2 "$(mk ccr 'client_cert_required: true')" hosts list
echo 0123456789abcdef0123456789abcdef >"$tmp/s"
chmod 600 "$tmp/s"
check "alerts: plain http webhook" 2 "$(mk alerts 'alerts:' '  webhooks:' \
	'    - name: ops' '      url: http://127.0.0.1/hook' "      secret_file: $tmp/s")" hosts list
check "alerts: unknown event" 2 "$(mk events 'alerts:' '  webhooks:' '    - name: ops' \
	'      url: https://127.0.0.1/hook' "      secret_file: $tmp/s" '      events: [stail]')" \
	hosts list
# the database
check "SQLite in a missing directory" 1 "$(mk nodir "database: $tmp/no/such/dir/c.db")" \
	hosts list
check "PostgreSQL on no socket" 1 \
	"$(mk pg "database: postgresql:///hostaudit?host=$tmp/nosocket")" hosts list
# serve's start
check "plain HTTP off loopback" 2 "$(mk plain 'listen: 192.0.2.1:8443' "database: $db")" serve
check "listen not address:port" 2 "$(mk listen 'listen: localhost' "database: $db")" serve
# commands and options
check "unknown command" 2 "$good" frobnicate
check "enroll without a host" 2 "$good" enroll
check "hosts, a wrong sub-command" 2 "$good" hosts frob
check "token, a wrong sub-command" 2 "$good" token frob
check "tenant add without a name" 2 "$good" tenant add
check "report csv without --out" 2 "$good" report --year 2026 --format csv
check "migrate into itself" 2 "$good" migrate --to "$db"
check "--tenant of no organisation" 2 "$good" hosts list --tenant nobody
# the store's answers
check "enroll a bad host name" 1 "$good" enroll 'pc/01'
check "enroll a host" 0 "$good" enroll pc-01
check "enroll another" 0 "$good" enroll pc-02
check "rename onto a host" 1 "$good" hosts rename pc-01 pc-02
check "token, a bad role" 2 "$good" token create --role boss --name t1
check "tenant remove, no such organisation" 1 "$good" tenant remove nobody
check "export no report" 1 "$good" export 00000000-0000-4000-8000-000000000000
printf 'name,dept\npc-01,sales\n' >"$tmp/inv.csv"
check "inventory without hostname" 1 "$good" inventory import "$tmp/inv.csv"
printf 'hostname\npc-01\npc-02\n' >"$tmp/inv2.csv"
check "inventory imported" 0 "$good" inventory import "$tmp/inv2.csv"
check "prune" 0 "$good" prune
check "user add, a bad name" 2 "$good" user add 'bad name' --role auditor \
	--password-file "$tmp/pw"
check "tenant remove the default" 1 "$good" tenant remove default

[ "$failures" = 0 ] || { echo "FAIL: $failures of $cases cases"; exit 1; }
echo "PASS: $cases collector messages in Japanese, none left in English"
