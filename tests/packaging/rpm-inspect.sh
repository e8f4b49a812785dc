#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Inspects the hostaudit .rpm without installing it: file list and modes,
# %config(noreplace) files, scriptlets, and what it requires (autoreq).
#
# usage: tests/packaging/rpm-inspect.sh PACKAGES_DIR
#   (the directory where `cmake --build BUILD --target package` put them,
#   BUILD/packages). Needs rpm; not root.
set -eu

dir=${1:?usage: rpm-inspect.sh PACKAGES_DIR}
fail() {
	echo "FAIL: $*" >&2
	exit 1
}
ok() {
	echo "ok: $*"
}
command -v rpm >/dev/null || fail "needs rpm (apt-get install rpm)"

set -- "$dir"/hostaudit-[0-9]*.rpm
[ -f "$1" ] || fail "no hostaudit-VERSION.rpm in $dir"
agent=$1
echo "== $(basename "$agent")"
rpm -qip "$agent" | sed -n 's/^\(Name\|Version\|Release\|Summary\) *: /  \1: /p'

echo "-- rpm -qlp"
rpm -qlvp "$agent"
list=$(rpm -qlp "$agent")
for f in /usr/sbin/hostaudit /etc/hostaudit/hostaudit.yaml /etc/cron.d/hostaudit \
	/usr/share/hostaudit/rules/nisc-9.yaml /usr/share/man/man8/hostaudit.8.gz \
	/usr/share/bash-completion/completions/hostaudit /usr/share/zsh/vendor-completions/_hostaudit \
	/usr/share/hostaudit/schema/report.schema.json /usr/share/licenses/hostaudit/LICENSE; do
	echo "$list" | grep -qx "$f" || fail "$f is not in the package"
done
echo "$list" | grep -q '/systemd/system/hostaudit\.service$' || fail "no hostaudit.service"
echo "$list" | grep -q '/systemd/system/hostaudit\.timer$' || fail "no hostaudit.timer"
ok "the agent's files are there"
[ "$(rpm -qp --qf '%{LICENSE}' "$agent")" = Apache-2.0 ] || fail "the License tag is not Apache-2.0"
ok "License: Apache-2.0"
# Directories other packages own (filesystem, systemd) must not be claimed.
for d in /etc /usr /usr/sbin /usr/share/man/man8 /etc/cron.d /usr/lib/systemd/system \
	/lib/systemd/system; do
	if echo "$list" | grep -qx "$d"; then
		fail "the package claims the shared directory $d"
	fi
done
ok "no shared directories claimed"

echo "-- config files (flags: c config, n noreplace)"
flags=$(rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$agent")
echo "$flags" | grep '^c'
for f in /etc/hostaudit/hostaudit.yaml /etc/cron.d/hostaudit; do
	echo "$flags" | grep -qx "cn $f" || fail "$f is not %config(noreplace)"
done
ok "the config and cron.d file are %config(noreplace)"

echo "-- rpm -qp --requires"
requires=$(rpm -qp --requires "$agent")
echo "$requires"
for lib in 'libyaml-0\.so' 'libjansson\.so' 'libc\.so\.6'; do
	echo "$requires" | grep -q "^$lib" || fail "no automatic requirement on $lib"
done
ok "autoreq found the shared libraries"

scripts=$(rpm -qp --scripts "$agent")
# shellcheck disable=SC2016 # the scriptlet's own "$d", literally
echo "$scripts" | grep -q 'mkdir -m 0700 "\$d"' || fail "%post does not make the state directories"
if echo "$scripts" | grep -q 'systemctl[^|]* enable'; then
	fail "a scriptlet enables a unit"
fi
ok "scriptlets make the state directories and enable nothing"

for collector in "$dir"/hostaudit-collector-[0-9]*.rpm; do
	[ -f "$collector" ] || continue
	echo "== $(basename "$collector")"
	rpm -qlvp "$collector"
	clist=$(rpm -qlp "$collector")
	echo "$clist" | grep -qx /usr/sbin/hostaudit-collector || fail "no collector binary"
	echo "$clist" | grep -q '/systemd/system/hostaudit-collector\.service$' ||
		fail "no collector unit"
	rpm -qp --qf '[%{FILEFLAGS:fflags} %{FILENAMES}\n]' "$collector" |
		grep -qx 'cn /etc/hostaudit/collector.yaml' || fail "collector.yaml is not %config(noreplace)"
	rpm -qp --scripts "$collector" | grep -q 'useradd -r' || fail "%pre does not add the user"
	# It may name the TLS key: root and the service's group only.
	rpm -qp --qf '[%{FILEMODES:perms} %{FILEUSERNAME}:%{FILEGROUPNAME} %{FILENAMES}\n]' \
		"$collector" | grep -qx -- '-rw-r----- root:hostaudit-collector /etc/hostaudit/collector.yaml' ||
		fail "collector.yaml is not 0640 root:hostaudit-collector"
	rpm -qp --requires "$collector"
	ok "the collector package"
done

echo "PASS: rpm inspection"
