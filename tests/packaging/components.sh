#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Every file `cmake --install` installs must belong to a packaged component
# (agent or collector): an install() rule without COMPONENT lands in
# `Unspecified`, which no .deb or .rpm carries. Runs as any user; installs
# into a temporary DESTDIR only.
#
# usage: tests/packaging/components.sh BUILD_DIR
set -eu

build=$(cd "${1:?usage: components.sh BUILD_DIR}" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/hostaudit-components.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

files() { # COMPONENT: the files it installs, relative to DESTDIR
	mkdir -p "$tmp/$1"
	DESTDIR="$tmp/$1" cmake --install "$build" --component "$1" >/dev/null
	(cd "$tmp/$1" && find . ! -type d | LC_ALL=C sort)
}

files agent >"$tmp/agent.list"
files collector >"$tmp/collector.list"
files Unspecified >"$tmp/unspecified.list"
LC_ALL=C sort -u "$tmp/agent.list" "$tmp/collector.list" >"$tmp/packaged.list"
stray=$(LC_ALL=C comm -23 "$tmp/unspecified.list" "$tmp/packaged.list")
if [ -n "$stray" ]; then
	echo "FAIL: installed but in no package (add COMPONENT agent or collector):" >&2
	echo "$stray" >&2
	exit 1
fi
for f in ./etc/hostaudit/hostaudit.yaml ./etc/cron.d/hostaudit; do
	grep -qx "$f" "$tmp/agent.list" || {
		echo "FAIL: the agent component lacks $f" >&2
		exit 1
	}
done
echo "ok: $(wc -l <"$tmp/agent.list") agent files, $(wc -l <"$tmp/collector.list") collector files, none unpackaged"
