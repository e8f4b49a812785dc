#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The hostaudit-collector .deb end to end, for real, on this machine, with the
# hostaudit agent .deb as its client: install both, make a throwaway TLS
# certificate, configure the collector on 127.0.0.1 (ephemeral port), enroll
# a host as the service user, run the daemon as that user, upload a real
# report from the installed agent inside an emulation of its systemd sandbox,
# get a refusal quarantined and flushed again, write the annual report, then
# remove, purge, reinstall and purge again, checking owners, modes and what
# is left behind at each step.
#
# usage: tests/packaging/collector-lifecycle.sh [PACKAGES_DIR]
# PACKAGES_DIR holds hostaudit_*.deb and hostaudit-collector_*.deb from
# dpkg-buildpackage (tests/packaging/build-debs.sh); without it, the packages
# are built from this source tree first. Needs root, dpkg, openssl, unshare,
# setpriv, runuser.
# Refuses to run where either package is installed or /etc/hostaudit or
# /var/lib/hostaudit-collector exists. There is no systemd here as PID 1: the
# daemon is started by hand as the service user, and the agent's sandbox is
# emulated (read-only file system but the unit's writable paths, private
# /tmp, the unit's capability bounding set, no new privileges, its umask).
# Exit 0 when every check passes; the first failed check ends it with 1.
set -eu

src=$(cd "$(dirname "$0")/../.." && pwd)
here=$(cd "$(dirname "$0")" && pwd)
etc=/etc/hostaudit
conf=$etc/hostaudit.yaml
cconf=$etc/collector.yaml
user=hostaudit-collector
state=/var/lib/hostaudit-collector
spool=/var/spool/hostaudit
wants=/etc/systemd/system/multi-user.target.wants/hostaudit-collector.service
year=$(date -u +%Y)

fail() {
	echo "FAIL: $*" >&2
	exit 1
}
ok() {
	echo "ok: $*"
}
step() {
	echo
	echo "== $*"
}
expect_mode() { # PATH "0700 user:group"
	got=$(stat -c '%04a %U:%G' "$1") || fail "$1 is missing"
	[ "$got" = "$2" ] || fail "$1 is $got, expected $2"
	ok "$1 $2"
}
expect_absent() {
	if [ -e "$1" ] || [ -L "$1" ]; then
		fail "$1 is still there"
	fi
	ok "$1 is gone"
}
status() { # PACKAGE: dpkg's status, "" when unknown
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true
}
installed() {
	case "$(status "$1")" in
	"" | "unknown ok not-installed") return 1 ;;
	*) return 0 ;;
	esac
}
snapshot() { # what a package may touch; dpkg's and apt's records left out
	find /etc /usr /lib /var /opt -xdev \
		-path /var/lib/dpkg -prune -o -path /var/cache -prune -o \
		-path /var/log -prune -o -path /var/tmp -prune -o \
		-path /var/lib/apt -prune -o -path /var/lib/systemd -prune -o \
		-path /var/lib/man-db -prune -o -path /etc/ld.so.cache -prune -o \
		-print 2>/dev/null | LC_ALL=C sort
}
# wait_for SECONDS COMMAND...: poll every 0.2 s; 1 when time runs out.
wait_for() {
	tries=$(($1 * 5))
	shift
	while ! "$@" 2>/dev/null; do
		tries=$((tries - 1))
		[ "$tries" -gt 0 ] || return 1
		sleep 0.2
	done
}
# stored_reports ANNUAL.json N: the annual report counts N reports in its
# evidence.
stored_reports() {
	python3 -c 'import json, sys
sys.exit(json.load(open(sys.argv[1]))["evidence_summary"]["reports"] != int(sys.argv[2]))' "$1" "$2"
}
as_user() { # the way an administrator runs collector commands
	runuser -u "$user" -- "$@"
}

[ "$(id -u)" = 0 ] || fail "needs root (it installs and purges packages)"
for tool in dpkg dpkg-query openssl unshare setpriv runuser findmnt stat; do
	command -v "$tool" >/dev/null || fail "needs $tool"
done
for p in hostaudit hostaudit-collector; do
	! installed "$p" || fail "$p is installed here ($(status "$p")); this test would purge it"
done
unshare --mount true 2>/dev/null ||
	fail "unshare --mount does not work here (needs CAP_SYS_ADMIN): the sandbox cannot be emulated"
[ ! -e "$etc" ] || fail "$etc exists; this test would purge it"
[ ! -e "$state" ] || fail "$state exists (a collector's database?); move it away first"

work=$(mktemp -d /tmp/hostaudit-collector-lifecycle.XXXXXX)
daemon=
stop_daemon() {
	[ -n "$daemon" ] || return 0
	kill -TERM "$daemon" 2>/dev/null || true
	i=0
	while kill -0 "$daemon" 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	if kill -0 "$daemon" 2>/dev/null; then
		echo "the collector ignored SIGTERM for 10 s: SIGKILL" >&2
		kill -KILL "$daemon" 2>/dev/null || true
	fi
	wait "$daemon" 2>/dev/null || true
	daemon=
}
cleanup() {
	rc=$?
	stop_daemon
	if [ "$rc" != 0 ]; then
		echo "cleaning up after the failure" >&2
		[ ! -f "$work/serve.log" ] || tail -20 "$work/serve.log" >&2
		for p in hostaudit-collector hostaudit; do
			! installed "$p" || dpkg --purge "$p" >/dev/null 2>&1 || true
		done
	fi
	rm -rf "$state"  # the test's database, made after the check above
	rm -f "$etc/token" "$etc/collector.pem" "$etc/collector-key.pem" "$etc/collector-ca.pem"
	rmdir "$etc" 2>/dev/null || true
	rm -rf "$work"
	exit "$rc"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

if [ $# -ge 1 ]; then
	pkgdir=$(cd "$1" && pwd)
else
	step "build the packages (dpkg-buildpackage)"
	pkgdir=$work/build
	sh "$here/build-debs.sh" "$src" "$pkgdir" >/dev/null || fail "building the packages"
fi
agent_deb=$(find "$pkgdir" -maxdepth 1 -name 'hostaudit_*.deb' | LC_ALL=C sort | tail -1)
collector_deb=$(find "$pkgdir" -maxdepth 1 -name 'hostaudit-collector_*.deb' | LC_ALL=C sort | tail -1)
if [ -z "$agent_deb" ] || [ -z "$collector_deb" ]; then
	fail "no hostaudit and hostaudit-collector .deb in $pkgdir"
fi
ok "packages: $(basename "$agent_deb") $(basename "$collector_deb")"

step "the collector .deb's control data"
dpkg-deb --ctrl-tarfile "$collector_deb" | tar -xOf - ./conffiles >"$work/conffiles"
grep -qx "$cconf" "$work/conffiles" || fail "$cconf is not a conffile"
dpkg-deb -f "$collector_deb" Depends | grep -q adduser || fail "Depends lacks adduser"
dpkg-deb -f "$collector_deb" Depends | grep -q libmicrohttpd || fail "Depends lacks libmicrohttpd"
ok "Depends: $(dpkg-deb -f "$collector_deb" Depends)"
if command -v shellcheck >/dev/null; then
	mkdir "$work/ctrl"
	dpkg-deb -e "$collector_deb" "$work/ctrl"
	shellcheck -s sh "$work"/ctrl/postinst "$work"/ctrl/prerm "$work"/ctrl/postrm ||
		fail "shellcheck of the maintainer scripts"
	ok "maintainer scripts are shellcheck-clean"
fi

snapshot >"$work/before"

step "install hostaudit and hostaudit-collector"
dpkg -i "$agent_deb" "$collector_deb" >"$work/install.log" 2>&1 || {
	cat "$work/install.log" >&2
	fail "dpkg -i"
}
ok "installed $(dpkg-query -W -f='${Package} ${Version}  ' hostaudit hostaudit-collector)"
getent passwd "$user" >/dev/null || fail "no user $user"
uid=$(id -u "$user")
[ "$uid" -lt 1000 ] || fail "$user is not a system user (uid $uid)"
case "$(getent passwd "$user" | cut -d: -f7)" in
*/nologin | /bin/false) ok "system user $user (uid $uid), no login shell" ;;
*) fail "$user has a login shell" ;;
esac
expect_mode /usr/sbin/hostaudit-collector "0755 root:root"
expect_mode "$state" "0700 $user:$user"
expect_mode "$cconf" "0640 root:$user"
expect_mode "$spool" "0700 root:root"
[ ! -L "$wants" ] || fail "the package enabled the collector"
ok "hostaudit-collector.service is not enabled"
cunit=$(dpkg -L hostaudit-collector | grep '/hostaudit-collector\.service$')
aunit=$(dpkg -L hostaudit | grep '/hostaudit\.service$')
expect_mode "$cunit" "0644 root:root"
expect_mode /usr/share/bash-completion/completions/hostaudit-collector "0644 root:root"
expect_mode /usr/share/zsh/vendor-completions/_hostaudit-collector "0644 root:root"
expect_mode /usr/share/doc/hostaudit-collector/examples/collector.yaml "0644 root:root"
/usr/sbin/hostaudit-collector report --help | grep -q -- '--year' ||
	fail "hostaudit-collector report --help does not list --year"
ok "completion, example config, report --help"
grep -qx "User=$user" "$cunit" || fail "the unit does not run as $user"
grep -qx "StateDirectory=hostaudit-collector" "$cunit" || fail "the unit has no StateDirectory"

step "systemd-analyze"
if command -v systemd-analyze >/dev/null; then
	systemd-analyze verify --man=no "$cunit" || fail "systemd-analyze verify $cunit"
	ok "systemd-analyze verify $cunit"
	systemd-analyze security --offline=true "$cunit" >"$work/security.txt" 2>&1 || true
	score=$(sed -n 's/.*Overall exposure level for hostaudit-collector.service: \([0-9.]*\).*/\1/p' \
		"$work/security.txt")
	[ -n "$score" ] || fail "no exposure score from systemd-analyze security"
	# 10 is unprotected; tuned to 1.0, with the network as its whole job.
	awk -v s="$score" 'BEGIN { exit !(s <= 1.5) }' || fail "exposure $score is above 1.5"
	ok "exposure of hostaudit-collector.service: $score (<= 1.5)"
else
	echo "skip: no systemd-analyze"
fi

step "a throwaway TLS certificate for 127.0.0.1 (/usr/bin/openssl)"
/usr/bin/openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 \
	-subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	-keyout "$work/key.pem" -out "$work/cert.pem" >"$work/openssl.log" 2>&1 ||
	{
		cat "$work/openssl.log" >&2
		fail "openssl req"
	}
install -m 0644 -o root -g root "$work/cert.pem" "$etc/collector.pem"
install -m 0600 -o "$user" -g "$user" "$work/key.pem" "$etc/collector-key.pem"
install -m 0644 -o root -g root "$work/cert.pem" "$etc/collector-ca.pem"
ok "certificate, key (0600 $user) and the agents' CA file in $etc"

step "configure the collector as docs/install.md says (127.0.0.1, ephemeral port)"
sed -i -e 's|^listen: 127\.0\.0\.1:8443$|listen: 127.0.0.1:0|' \
	-e 's|^#tls_cert: |tls_cert: |' -e 's|^#tls_key: |tls_key: |' "$cconf"
grep -qx 'listen: 127.0.0.1:0' "$cconf" || fail "could not set listen in $cconf"
grep -qx "tls_key: $etc/collector-key.pem" "$cconf" || fail "the packaged tls_key is not $etc/collector-key.pem"
expect_mode "$cconf" "0640 root:$user"

step "enroll pc-01 as the service user"
as_user hostaudit-collector enroll pc-01 >"$work/token" 2>"$work/enroll.log" || {
	cat "$work/enroll.log" >&2
	fail "hostaudit-collector enroll pc-01"
}
grep -Eqx '[0-9a-f]{64}' "$work/token" || fail "enroll printed no token"
install -m 0600 -o root -g root "$work/token" "$etc/token"
ok "token in $etc/token"
expect_mode "$state/collector.db" "0600 $user:$user"

step "start the collector as $user (by hand: no systemd here)"
# The port file's directory: the service user's own, reachable through $work.
chmod 0711 "$work"
mkdir -m 0700 "$work/run"
chown "$user:$user" "$work/run"
# As systemd would: the unit's user, no supplementary groups beyond its own,
# no capabilities, no new privileges, a clean environment. setpriv execs, so
# $! is the daemon itself.
env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
	setpriv --reuid="$user" --regid="$user" --init-groups --inh-caps=-all \
	--bounding-set=-all --no-new-privs -- \
	/usr/sbin/hostaudit-collector serve --port-file "$work/run/port" >"$work/serve.log" 2>&1 &
daemon=$!
wait_for 15 test -s "$work/run/port" || fail "the collector wrote no port file in 15 s"
port=$(cat "$work/run/port")
case $port in
'' | *[!0-9]*) fail "port file holds '$port'" ;;
esac
kill -0 "$daemon" || fail "the collector exited"
owner=$(stat -c %U "/proc/$daemon")
[ "$owner" = "$user" ] || fail "the daemon runs as $owner"
ok "serving on 127.0.0.1:$port as $owner (pid $daemon)"
echo | timeout 10 /usr/bin/openssl s_client -connect "127.0.0.1:$port" -verify_return_error \
	-CAfile "$etc/collector-ca.pem" -verify_ip 127.0.0.1 >"$work/s_client.log" 2>&1 || {
	tail -5 "$work/s_client.log" >&2
	fail "TLS handshake with certificate verification"
}
ok "TLS handshake verifies against the CA file"

step "configure the agent: the packaged upload: example, uncommented"
# Every line of the commented example, uncommented as written; only the
# collector's address changes. This checks the example as shipped.
awk '/^#upload:/ { on = 1 } on && !/^#/ { on = 0 } on { sub(/^#/, "") } { print }' \
	"$conf" >"$work/hostaudit.yaml"
sed -i "s|https://collector\.example\.com:8443/|https://127.0.0.1:$port/|" "$work/hostaudit.yaml"
grep -q "^  url: https://127.0.0.1:$port/v1/reports" "$work/hostaudit.yaml" ||
	fail "the uncommented example has no url for 127.0.0.1:$port"
diff "$conf" "$work/hostaudit.yaml" | grep '^>' || true
hostaudit validate "$work/hostaudit.yaml" || fail "hostaudit validate of the uncommented upload: example"
ok "the packaged upload: example validates uncommented"
cat "$work/hostaudit.yaml" >"$conf" # in place: keep dpkg's owner and mode
expect_mode "$conf" "0644 root:root"

# sandboxed COMMAND...: run as hostaudit.service would (an emulation): the
# file system read-only but the unit's StateDirectory= and ReadWritePaths=,
# a private /tmp, the unit's capability bounding set, no new privileges.
sandboxed() {
	rw=$(sed -n 's/^StateDirectory=/\/var\/lib\//p; s/^ReadWritePaths=-\{0,1\}//p' "$aunit" | tr '\n' ' ')
	caps=$(sed -n 's/^CapabilityBoundingSet=//p' "$aunit" | tr '[:upper:]' '[:lower:]' |
		sed 's/cap_//g; s/^/+/; s/ /,+/g')
	umask_=$(sed -n 's/^UMask=//p' "$aunit")
	# shellcheck disable=SC2016 # the inner script's own variables
	unshare --mount --propagation private sh -c '
		set -e
		rw=$1 caps=$2 um=$3
		shift 3
		for d in $rw; do mount --bind "$d" "$d"; done
		findmnt -rn -o TARGET | grep -Ev "^/(proc|sys|dev)(/|\$)" | while read -r m; do
			case " $rw " in *" $m "*) continue ;; esac
			mount -o remount,bind,ro "$m" 2>/dev/null || true
		done
		mount -t tmpfs -o mode=1777 tmpfs /tmp
		umask "$um"
		exec setpriv --bounding-set=-all,"$caps" --no-new-privs -- "$@"
	' sandbox "$rw" "$caps" "$umask_" "$@"
}

step "the agent's service (sandbox emulated) audits and uploads"
echo "writable in the sandbox: $(sed -n 's/^StateDirectory=/\/var\/lib\//p; s/^ReadWritePaths=-\{0,1\}//p' "$aunit" | tr '\n' ' ')"
sandboxed sh -c 'touch /etc/hostaudit/sandbox-probe' 2>/dev/null &&
	fail "the emulated sandbox lets /etc be written"
ok "the emulated sandbox keeps /etc read-only"
exec_start=$(sed -n 's/^ExecStart=//p' "$aunit")
[ "$exec_start" = "/usr/sbin/hostaudit run" ] || fail "unexpected ExecStart: $exec_start"
rc=0
# shellcheck disable=SC2086 # ExecStart's words, as systemd splits them
sandboxed $exec_start >"$work/run1.log" 2>&1 || rc=$?
case $rc in
0 | 1 | 3) ok "'$exec_start' exited $rc (the audit's result; everything sent)" ;;
*)
	cat "$work/run1.log" >&2
	fail "'$exec_start' exited $rc (4 pending, 5 refused, 2 config)"
	;;
esac
grep 'upload:' "$work/run1.log" || true
grep -q 'upload: sent 1, pending 0, quarantined 0' "$work/run1.log" ||
	fail "the run did not report one report sent"
expect_mode "$spool" "0700 root:root"
expect_mode "$spool/quarantine" "0700 root:root"
[ -z "$(find "$spool" -name '*.json')" ] || fail "reports are left in the spool"
ok "the spool is empty: the report left it only once stored"

step "a refused upload is quarantined inside the sandbox, then flushed"
mv "$etc/token" "$work/token.good"
printf '%064d\n' 0 >"$etc/token"
chmod 0600 "$etc/token"
rc=0
sandboxed /usr/sbin/hostaudit run --upload >"$work/run2.log" 2>&1 || rc=$?
[ "$rc" = 5 ] || {
	cat "$work/run2.log" >&2
	fail "with a wrong token: exit $rc, expected 5 (refused)"
}
q=$(find "$spool/quarantine" -name '*.json')
[ -n "$q" ] || fail "nothing in $spool/quarantine"
expect_mode "$q" "0600 root:root"
grep -q 401 "$q.reason" || fail "$q.reason does not give the 401"
ok "401 quarantined with its reason: $(head -c 80 "$q.reason")"
mv "$work/token.good" "$etc/token"
mv "$q" "$spool/" # docs/collector.md: move it back to retry
rm -f "$q.reason"
rc=0
sandboxed /usr/sbin/hostaudit flush >"$work/flush.log" 2>&1 || rc=$?
[ "$rc" = 0 ] || {
	cat "$work/flush.log" >&2
	fail "hostaudit flush exited $rc"
}
[ -z "$(find "$spool" -name '*.json')" ] || fail "the spool is not empty after the flush"
ok "flushed: $(grep 'upload:' "$work/flush.log" || true)"

step "the annual report, as the service user"
as_user hostaudit-collector report --year "$year" --format html --out "$work/run/annual.html" ||
	fail "report --year $year --format html"
expect_mode "$work/run/annual.html" "0600 $user:$user"
grep -q 'pc-01' "$work/run/annual.html" || fail "the annual report does not name pc-01"
as_user hostaudit-collector report --year "$year" --format json --out "$work/run/annual.json" ||
	fail "report --format json"
stored_reports "$work/run/annual.json" 2 || fail "the annual report does not count 2 reports"
ok "the annual report (html, json) names pc-01 and its 2 reports"

step "the collector's files"
expect_mode "$state" "0700 $user:$user"
find "$state" -mindepth 1 >"$work/state.list"
while read -r f; do
	expect_mode "$f" "0600 $user:$user"
done <"$work/state.list"
expect_mode "$etc/collector-key.pem" "0600 $user:$user"
expect_mode "$cconf" "0640 root:$user"

step "stop the collector"
stop_daemon
ok "stopped"
grep -i 'error\|warning' "$work/serve.log" || true

step "remove (not purge)"
dpkg -r hostaudit-collector >"$work/remove.log" 2>&1 || {
	cat "$work/remove.log" >&2
	fail "dpkg -r hostaudit-collector"
}
[ "$(status hostaudit-collector)" = "deinstall ok config-files" ] || fail "status: $(status hostaudit-collector)"
expect_absent /usr/sbin/hostaudit-collector
expect_absent "$cunit"
expect_mode "$cconf" "0640 root:$user"
expect_mode "$state/collector.db" "0600 $user:$user"
ok "config and database stay"

step "purge: the evidence database stays, with a note"
dpkg -P hostaudit-collector >"$work/purge.log" 2>&1 || {
	cat "$work/purge.log" >&2
	fail "dpkg -P hostaudit-collector"
}
cat "$work/purge.log"
! installed hostaudit-collector || fail "status after purge: $(status hostaudit-collector)"
expect_absent "$cconf"
expect_absent "$wants"
expect_mode "$state/collector.db" "0600 $user:$user"
expect_mode "$state/README.purged" "0644 root:root"
grep -q 'kept the evidence database' "$work/purge.log" || fail "purge did not say it kept the database"
getent passwd "$user" >/dev/null || fail "purge deleted the user, who owns the database"
ok "database, note and user kept"

step "reinstall: carries on with the database"
dpkg -i "$collector_deb" >"$work/reinstall.log" 2>&1 || {
	cat "$work/reinstall.log" >&2
	fail "dpkg -i (reinstall)"
}
expect_absent "$state/README.purged"
expect_mode "$cconf" "0640 root:$user"
as_user hostaudit-collector report --year "$year" --format json --out "$work/run/again.json" ||
	fail "report after the reinstall"
stored_reports "$work/run/again.json" 2 || fail "after the reinstall the database does not hold 2 reports"
ok "the reinstalled collector still has pc-01's 2 reports"

step "purge both; the administrator deletes the database and own files"
dpkg -P hostaudit-collector hostaudit >"$work/purge2.log" 2>&1 || {
	cat "$work/purge2.log" >&2
	fail "dpkg -P"
}
[ -f "$state/collector.db" ] || fail "the second purge deleted the database"
rm -rf "$state"
rm -f "$etc/token" "$etc/collector.pem" "$etc/collector-key.pem" "$etc/collector-ca.pem"
rmdir "$etc"
snapshot >"$work/after"
if ! diff "$work/before" "$work/after" >"$work/left"; then
	cat "$work/left" >&2
	fail "the file system differs from before the install"
fi
ok "nothing else is left behind (the system user $user stays, by design)"

echo
echo "PASS: collector lifecycle (install, enroll, serve, sandboxed upload, quarantine, annual report, remove, purge, reinstall)"
