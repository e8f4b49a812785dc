#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# hostaudit.exe's upload under wine, end to end: a throw-away PKI (the
# collector tests' gen_certs.sh plus a leaf for DNS:localhost), the Linux
# hostaudit-collector on loopback, then `hostaudit.exe run --upload` and
# `hostaudit.exe flush`. TLS is wine's Schannel (on GnuTLS) verifying the
# collector against the config's ca_file, so this checks the libcurl +
# Schannel path, the spool and the token ACL check, not Windows' own
# Schannel (docs/windows.md). Then the signed central policy
# (docs/policy.md): published by the collector, fetched, checked by the
# built-in Ed25519 verifier and applied by hostaudit.exe, kept as last-good
# under %ProgramData%\hostaudit\policy; a tampered bundle and one signed
# by another key are refused, the last-good kept.
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
policy_dir: $work/policies
policy_signing_key: $work/policy-signing.key
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
chmod 600 "$work/token"

# ---- the signed central policy ----
# py EXPR: EXPR over the report (r) of the last run, printed.
py() { python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); print('"$1"')' "$work/report.json"; }
"$collector" -c "$work/collector.yaml" policy keygen 2>"$work/keygen.err" ||
	{ cat "$work/keygen.err"; fail "policy keygen"; }
# The machine's screen lock at 900 s idle (a Windows policy value, no
# user's own setting): the policy's threshold decides its verdict. A
# path in a policy (say, backup evidence) would not do: the Linux
# collector checks a bundle as the Linux agent reads it.
lockkey='HKLM\SOFTWARE\Microsoft\Windows\CurrentVersion\Policies\System'
wine reg add "$lockkey" /v InactivityTimeoutSecs /t REG_DWORD /d 900 /f >/dev/null 2>&1
wineserver -w
# policy_dir SECONDS: the site policy, screen_lock_max_idle_seconds SECONDS,
# with its rule pack (the collector checks the params against it).
policy_dir() {
	rm -rf "$work/site-policy"
	mkdir -p "$work/site-policy/rules"
	cp "$src/rules/nisc-9.yaml" "$work/site-policy/rules/"
	printf 'schema: hostaudit/config/v1\nparams:\n  screen_lock_max_idle_seconds: %s\n' "$1" \
		>"$work/site-policy/hostaudit.yaml"
}
cat >>"$work/agent.yaml" <<EOF
policy:
  pubkey_file: '$(win "$work/policy-signing.key.pub")'
  timeout_s: 20
EOF
# The state directory is the default, %ProgramData%\hostaudit\policy, in
# the %ProgramData%\hostaudit that the installer makes.
pdh="$prefix/drive_c/ProgramData/hostaudit"
rm -rf "$pdh" && mkdir -p "$pdh"
# policy_run: the audit with the policy, its JSON report in report.json,
# its exit status in $rc.
policy_run() {
	rm -f "$work/report.json"
	set +e
	wine "$build/hostaudit.exe" run --rules "C:\\hostaudit-src-rules" --config "$(win "$work/agent.yaml")" \
		--upload --format json -o "$(win "$work/report.json")" >"$work/policy.out" 2>"$work/policy.err"
	rc=$?
	set -e
	[ -s "$work/report.json" ] || { cat "$work/policy.err"; fail "no report (exit $rc)"; }
}
lock_status() { py '[x["status"] for x in r["results"] if x["id"] == "screenlock.idle" and x["pack"] == "nisc-9"][0]'; }

policy_dir 300
"$collector" -c "$work/collector.yaml" policy publish "$work/site-policy" >/dev/null 2>"$work/publish.err" ||
	{ cat "$work/publish.err"; fail "policy publish"; }
policy_run
case $rc in 0 | 1 | 3) ;; *) cat "$work/policy.err"; fail "run with policy v1 exited $rc" ;; esac
grep -q 'policy version 1 from collector' "$work/policy.err" || { cat "$work/policy.err"; fail "policy v1 not taken"; }
[ "$(py 'r["policy"]["source"], r["policy"]["version"], len(r["policy"]["sha256"])')" = "collector 1 64" ] ||
	fail "policy v1: the report's policy is $(py 'r["policy"]')"
[ "$(py 'r["params"]["screen_lock_max_idle_seconds"]')" = 300 ] || fail "policy v1: its params were not applied"
[ "$(lock_status)" = fail ] || fail "policy v1 (300 s): screenlock.idle is $(lock_status), not fail"

policy_dir 1200
"$collector" -c "$work/collector.yaml" policy publish "$work/site-policy" >/dev/null 2>"$work/publish.err" ||
	{ cat "$work/publish.err"; fail "policy publish v2"; }
policy_run
case $rc in 0 | 1 | 3) ;; *) cat "$work/policy.err"; fail "run with policy v2 exited $rc" ;; esac
[ "$(py 'r["policy"]["source"], r["policy"]["version"]')" = "collector 2" ] ||
	fail "policy v2: the report's policy is $(py 'r["policy"]')"
[ "$(lock_status)" = pass ] || fail "policy v2 (1200 s): screenlock.idle is $(lock_status), not pass"
sha_v2=$(py 'r["policy"]["sha256"]')
[ -s "$pdh/policy/last-good.json" ] || fail "no last-good under %ProgramData%\\hostaudit\\policy"
# wine shows the protected DACL (SYSTEM, Administrators, the owner) as the
# Unix mode, the spool's: nothing for others (Everyone, Users).
mode=$(stat -c %a "$pdh/policy")
[ "$mode" = "$(stat -c %a "$work/spool")" ] && [ "${mode#??}" = 0 ] ||
	fail "the policy state directory has mode $mode, the spool $(stat -c %a "$work/spool")"

# A tampered bundle: version 2's text changed on the collector.
v2="$work/policies/v00000002.json"
cp "$v2" "$work/v2.orig"
sed -i 's/screen_lock_max_idle_seconds: 1200/screen_lock_max_idle_seconds: 9999/' "$v2"
cmp -s "$v2" "$work/v2.orig" && fail "the bundle was not changed"
policy_run
[ $rc -eq 6 ] || { cat "$work/policy.err"; fail "a tampered bundle: exit $rc, not 6"; }
py 'r["policy"].get("refused", "")' | grep -q signature || fail "tampered: the refusal is $(py 'r["policy"]')"
[ "$(py 'r["policy"]["source"], r["policy"]["version"], r["policy"]["sha256"]')" = "last-good 2 $sha_v2" ] ||
	fail "tampered: not the last-good: $(py 'r["policy"]')"
[ "$(py 'r["params"]["screen_lock_max_idle_seconds"]')" = 1200 ] || fail "tampered: the last-good's params were not used"
cp "$work/v2.orig" "$v2"

# Version 3 signed by another key than the one the agents trust.
sed "s#$work/policy-signing.key#$work/other.key#" "$work/collector.yaml" >"$work/other.yaml"
"$collector" -c "$work/other.yaml" policy keygen 2>/dev/null || fail "keygen of the other key"
policy_dir 60
"$collector" -c "$work/other.yaml" policy sign "$work/site-policy" --version 3 \
	--out "$work/policies/v00000003.json" 2>"$work/sign.err" || { cat "$work/sign.err"; fail "policy sign"; }
policy_run
[ $rc -eq 6 ] || { cat "$work/policy.err"; fail "another key's bundle: exit $rc, not 6"; }
py 'r["policy"].get("refused", "")' | grep -q signature || fail "wrong key: the refusal is $(py 'r["policy"]')"
[ "$(py 'r["policy"]["source"], r["policy"]["version"]')" = "last-good 2" ] ||
	fail "wrong key: not the last-good: $(py 'r["policy"]')"
[ "$(lock_status)" = pass ] || fail "wrong key: screenlock.idle is $(lock_status) under the last-good"
rm -f "$work/policies/v00000003.json"
grep -q "refused the collector's policy" "$work/collector.log" || fail "the collector was not told of the refusals"
rm -rf "$pdh"
wine reg delete "$lockkey" /v InactivityTimeoutSecs /f >/dev/null 2>&1
wineserver -w
echo "test-upload-wine: policy publish, fetch, check (built-in Ed25519), apply; tampered and wrong key refused, last-good kept: passed"
