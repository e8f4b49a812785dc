#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# hostaudit.exe's upload under wine, end to end: a throw-away PKI (the
# collector tests' gen_certs.sh plus a leaf for DNS:localhost), the Linux
# hostaudit-collector on loopback, then `hostaudit.exe run --upload` and
# `hostaudit.exe flush`. TLS is wine's Schannel (on GnuTLS) verifying the
# collector against the config's ca_file, so this checks the libcurl +
# Schannel path, the spool and the token ACL check, not Windows' own
# Schannel (docs/windows.md).
#
#   packaging/windows/test-upload-wine.sh BUILD_WIN COLLECTOR_BINARY
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
build=$(realpath "$1")
collector=$(realpath "$2")
# Under wine's C: drive: the agent checks every directory above its config
# and token, and a build below /tmp (shown by wine without its sticky bit,
# as a directory Everyone may change) would be refused.
prefix="${WINEPREFIX:-$build/wineprefix}"
work="$prefix/drive_c/hostaudit-upload-test"
fail() { echo "test-upload-wine: FAIL: $*" >&2; exit 1; }

rm -rf "$work"
mkdir -p "$work"
chmod 700 "$work"
[ -d "$prefix/drive_c/hostaudit-src-rules" ] || cp -r "$src/rules" "$prefix/drive_c/hostaudit-src-rules"
sh "$src/tests/collector/gen_certs.sh" "$work/pki" >/dev/null
(
	cd "$work/pki"
	/usr/bin/openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=localhost \
		-keyout lh-key.pem -out lh.csr 2>/dev/null
	# curl 7.88's Schannel matches DNS names only, not IP SANs: a name it is.
	printf 'subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n' >lh.ext
	/usr/bin/openssl x509 -req -in lh.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 2 \
		-extfile lh.ext -out lh.pem 2>/dev/null
	chmod 600 lh-key.pem
)
umask 077
cat >"$work/collector.yaml" <<EOF
listen: 127.0.0.1:0
tls_cert: $work/pki/lh.pem
tls_key: $work/pki/lh-key.pem
database: $work/collector.db
EOF
"$collector" -c "$work/collector.yaml" enroll pc-wine 2>/dev/null >"$work/token"
"$collector" -c "$work/collector.yaml" serve --port-file "$work/port" 2>"$work/collector.log" &
pid=$!
trap 'kill $pid 2>/dev/null || true' EXIT
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$work/port" ] && break; sleep 0.5; done
[ -s "$work/port" ] || fail "the collector did not start (see $work/collector.log)"
port=$(cat "$work/port")

# Paths as Windows sees them: Z: is wine's mapping of /.
win() { printf 'Z:%s' "$1" | tr / '\\'; }
cat >"$work/agent.yaml" <<EOF
schema: hostaudit/config/v1
upload:
  url: https://localhost:$port/v1/reports
  ca_file: '$(win "$work/pki/ca.pem")'
  token_file: '$(win "$work/token")'
  spool_dir: '$(win "$work/spool")'
  deadline_s: 20
  connect_timeout_s: 5
EOF

export WINEPREFIX="$build/wineprefix" WINEDEBUG=-all
unset DISPLAY
cd "$src"
set +e
wine "$build/hostaudit.exe" run --rules "C:\\hostaudit-src-rules" --config "$(win "$work/agent.yaml")" --upload \
	>"$work/run.out" 2>"$work/run.err"
rc=$?
set -e
grep 'upload:' "$work/run.err" || true
# 0/1/3: the audit's own status; the upload must not have left anything.
case $rc in 0 | 1 | 3) ;; *) cat "$work/run.err"; fail "run --upload exited $rc" ;; esac
grep -q 'upload: sent 1, pending 0, quarantined 0' "$work/run.err" || fail "run --upload did not send"

# A report spooled while the collector is away goes on the next flush.
kill $pid
wait $pid 2>/dev/null || true
set +e
wine "$build/hostaudit.exe" run --rules "C:\\hostaudit-src-rules" --config "$(win "$work/agent.yaml")" --upload \
	>/dev/null 2>"$work/run2.err"
rc=$?
set -e
[ $rc -eq 4 ] || { cat "$work/run2.err"; fail "run --upload without a collector exited $rc, not 4"; }
ls "$work/spool"/*.json >/dev/null 2>&1 || fail "nothing spooled while the collector was away"
"$collector" -c "$work/collector.yaml" serve --port-file "$work/port2" 2>>"$work/collector.log" &
pid=$!
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$work/port2" ] && break; sleep 0.5; done
port=$(cat "$work/port2")
sed -i "s#https://localhost:[0-9]*/#https://localhost:$port/#" "$work/agent.yaml"
wine "$build/hostaudit.exe" flush --config "$(win "$work/agent.yaml")" 2>"$work/flush.err" ||
	{ cat "$work/flush.err"; fail "flush exited $?"; }
grep -q 'sent 1, pending 0' "$work/flush.err" || { cat "$work/flush.err"; fail "flush did not send"; }
if ls "$work/spool"/*.json >/dev/null 2>&1; then fail "the spool is not empty after flush"; fi

# A token others may read is refused before anything is sent.
chmod 644 "$work/token"
set +e
wine "$build/hostaudit.exe" flush --config "$(win "$work/agent.yaml")" 2>"$work/flush2.err"
rc=$?
set -e
grep -q 'readable by' "$work/flush2.err" || { cat "$work/flush2.err"; fail "a readable token was accepted (exit $rc)"; }
echo "test-upload-wine: run --upload, spool while away, flush, token ACL: passed"
